"""The one parity test of every interface string (both sites, the exports, the quick exit, the statistics labels
and reports, the letter pages, `abikaart diff`): each key in et, ru and en, no empty value, the same
{placeholders} in every language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from abikaart import strings
from abikaart.models import LANGS
from abikaart.stats import labels


def _flat(prefix: str, value: Any) -> dict[str, str]:
    """A catalogue value as `key -> text`: a list's items are keys of their own, so each language has as many."""
    if isinstance(value, list):
        return {f"{prefix}[{index}]": str(item) for index, item in enumerate(value)}
    return {prefix: "" if value is None else str(value)}


def _report_labels() -> dict[str, dict[str, str]]:
    """`stats/labels.yaml` (section -> key -> language), turned to one mapping per language."""
    data = yaml.safe_load(labels.PATH.read_text(encoding="utf-8"))
    table: dict[str, dict[str, str]] = {}
    for section, entries in data.items():
        for key, texts in entries.items():
            for lang, value in texts.items():
                table.setdefault(lang, {}).update(_flat(f"{section}.{key}", value))
    return table


def _problems(name: str, table: dict[str, dict[str, str]]) -> list[str]:
    problems = [f"{name}: no '{lang}:' section" for lang in LANGS if lang not in table]
    keys = set().union(*(table.get(lang, {}) for lang in LANGS))
    for key in sorted(keys):
        values = {lang: table.get(lang, {}).get(key) for lang in LANGS}
        problems += [f"{name}: {key}: missing in {lang}" for lang, value in values.items() if value is None]
        problems += [f"{name}: {key}: empty in {lang}" for lang, value in values.items()
                     if value is not None and not str(value).strip()]
        found = {lang: strings.placeholders(str(value)) for lang, value in values.items() if value}
        if len({frozenset(names) for names in found.values()}) > 1:
            problems.append(f"{name}: {key}: placeholders differ: {found}")
    return problems


def test_every_string_exists_in_every_language_with_the_same_placeholders() -> None:
    tables = strings.catalogues()
    tables["diff.yaml"] = strings.catalogue("diff.yaml")
    tables["stats/labels.yaml"] = _report_labels()
    assert {"strings.yaml", "strings-internal.yaml", "strings-exports.yaml", "strings-safety.yaml",
            "strings-stats.yaml", "strings-letters.yaml"} <= set(tables)
    problems = [problem for name, table in tables.items() for problem in _problems(name, table)]
    assert problems == []
    merged = strings.strings()
    assert all(set(merged[lang]) == set(merged["et"]) for lang in LANGS)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ({"et": {"a": "x"}, "ru": {"a": "y"}}, ["t: no 'en:' section", "t: a: missing in en"]),
        ({"et": {"a": "{n} x"}, "ru": {"a": "y"}, "en": {"a": " "}},
         ["t: a: empty in en", "t: a: placeholders differ"]),
    ],
)
def test_the_parity_check_finds_what_is_wrong(table: dict[str, dict[str, str]], expected: list[str]) -> None:
    found = _problems("t", table)
    assert [problem[:len(want)] for problem, want in zip(found, expected, strict=True)] == expected


def test_nationwide_is_translated_once() -> None:
    """One key says "all of Estonia" on both sites and in the exports; no second translation of it remains."""
    for lang in LANGS:
        table = strings.strings()[lang]
        word = table["nationwide"].casefold()
        assert [key for key, value in table.items() if value.casefold() == word] == ["nationwide"], lang


def test_a_key_in_two_catalogues_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    twice = {"a.yaml": {lang: {"same": "x"} for lang in LANGS}, "b.yaml": {lang: {"same": "y"} for lang in LANGS}}
    monkeypatch.setattr(strings, "catalogues", lambda: twice)
    strings.strings.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"same: also in templates/a\.yaml"):
            strings.strings()
    finally:
        monkeypatch.undo()
        strings.strings.cache_clear()
