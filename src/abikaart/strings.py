"""Every interface string of the sites, the exports, the quick exit and the statistics labels, from YAML.

The catalogues are `templates/strings*.yaml` (one mapping per language: et, ru, en). They are merged into one
table per language, and a key may live in one catalogue only, so a word ("nationwide") has one translation.
`abikaart diff`'s sentences (`templates/diff.yaml`) are read through the same `catalogue`.
One test (tests/test_strings.py) checks that every key exists in every language, no value is empty, and the
`{placeholders}` agree across languages.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from importlib.abc import Traversable

import yaml

from abikaart.models import LANGS

PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _folder() -> Traversable:
    return resources.files("abikaart") / "templates"


def catalogue(name: str) -> dict[str, dict[str, str]]:
    """One catalogue file's strings per language, as written (`diff.yaml`, `abikaart diff`'s sentences, is read
    on its own: its keys are a namespace of their own)."""
    data = yaml.safe_load((_folder() / name).read_text(encoding="utf-8"))
    return {lang: dict(data.get(lang) or {}) for lang in data}


def catalogues() -> dict[str, dict[str, dict[str, str]]]:
    """Each interface catalogue (`templates/strings*.yaml`) by file name."""
    names = sorted(entry.name for entry in _folder().iterdir())
    return {name: catalogue(name) for name in names if name.startswith("strings") and name.endswith(".yaml")}


@cache
def strings() -> dict[str, dict[str, str]]:
    """The interface strings per language, every catalogue merged; a key found in two catalogues is an error."""
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    owner: dict[str, str] = {}
    for name, table in catalogues().items():
        for lang in LANGS:
            for key, value in table.get(lang, {}).items():
                if owner.setdefault(key, name) != name:
                    raise ValueError(f"templates/{name}: {key}: also in templates/{owner[key]} (keep it in one)")
                merged[lang][key] = value
    return merged


def placeholders(value: str) -> set[str]:
    """The `{name}` placeholders of a string."""
    return set(PLACEHOLDER.findall(value))


def lower_first(value: str) -> str:
    """A heading word used inside a sentence: 'Üle Eesti' -> 'üle Eesti'."""
    return value[:1].lower() + value[1:]


def upper_first(value: str) -> str:
    """A word that starts a cell or a sentence: 'tasuta' -> 'Tasuta'."""
    return value[:1].upper() + value[1:]
