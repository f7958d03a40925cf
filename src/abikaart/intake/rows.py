"""A row of the partner's sheet as a service record, merged into what the organisation's file already says.

A column the sheet has is the partner's word for that field (an empty cell clears it, except that an empty
Russian or English cell keeps the translation while the Estonian text stays the same); a column it lacks
leaves the field as it is. Contacts the partner lists are confirmed by them (`to_verify` goes); channels of
kinds the sheet has no column for (sms, video, app) are kept. Nothing here judges a value: the models and the
directory's checks do, so the rules are the YAML's.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from abikaart.directory import Directory
from abikaart.intake.columns import CONTACT_TYPES, Column, choice_for, column_for, known_headers, normal, strings
from abikaart.intake.sheets import Table, text_of
from abikaart.models import LANGS
from abikaart.numbers import national_digits
from abikaart.validation import NATIONWIDE, did_you_mean


@dataclass
class Layout:
    """Which column of the sheet holds what, and the sheet's language (for the names of missing columns)."""

    columns: dict[int, Column]
    lang: str
    written: dict[str, str] = field(default_factory=dict)
    """Column key -> its header as written in the sheet."""
    terms: dict[str, list[str]] = field(default_factory=dict)
    """Taxonomy -> its terms' names in the sheet's language, for a did-you-mean people can read."""

    def name(self, key: str) -> str:
        return self.written.get(key) or strings(self.lang)[f"col_{key}"]

    def has(self, key: str) -> bool:
        return key in self.written


def read_layout(table: Table) -> Layout | None:
    """The sheet's columns; unknown and repeated headers are problems (a partner's extra column would be
    silently lost otherwise). None when there is no id column to tell the rows apart."""
    columns: dict[int, Column] = {}
    written: dict[str, str] = {}
    langs: list[str] = []
    for number, text in sorted(table.headers.items()):
        found = column_for(text)
        if found is None:
            choices = [name for lang in LANGS for name in known_headers(lang)]
            guess = did_you_mean(text, choices)
            table.problem(f"unknown column {text!r}", f"did you mean {guess!r}?" if guess else
                          "rename it as in the template, or delete the column", row=1, column=number)
            continue
        column, lang = found
        if column.key in written:
            table.problem(f"the column {text!r} is there twice (also {written[column.key]!r})",
                          "delete one of them", row=1, column=number)
            continue
        columns[number], written[column.key] = column, text
        langs += [lang] if lang else []
    lang = max(LANGS, key=langs.count) if langs else "et"
    if "id" not in written:
        table.problem(f"no column {strings(lang)['col_id']!r}: row 1 must hold the column names of the template",
                      "copy the header row from the template (`abikaart import --template`)", row=1)
        return None
    return Layout(columns, lang, written)


@dataclass
class Row:
    """One row: the values of its columns, as the record's fields want them."""

    number: int
    service_id: str
    values: dict[str, Any]
    """Column key -> text, list of texts, or None for an empty cell."""


_SPLIT = re.compile(r"[;\n]")


Vocabulary = dict[str, dict[str, str]]
"""Per taxonomy: every id and every name in any language (normalised) -> the term's id."""


def vocabulary(directory: Directory) -> Vocabulary:
    """What a cell may say for each taxonomy's terms; built once per import."""
    found: Vocabulary = {}
    for kind, terms in directory.taxonomies.items():
        known = found.setdefault(kind, {})
        for term in terms.values():
            known[normal(term.id)] = term.id
            for name in term.name.root.values():
                known[normal(name)] = term.id
    counties = found.setdefault("counties", {})
    counties[NATIONWIDE] = NATIONWIDE
    for lang in LANGS:
        counties[normal(strings(lang)["nationwide"])] = NATIONWIDE
    return found


def read_row(layout: Layout, number: int, cells: Mapping[int, Any], words: Vocabulary) -> Row:
    values: dict[str, Any] = {}
    for position, column in layout.columns.items():
        raw = cells.get(position)
        text = _unprotect(text_of(raw)) if raw is not None else ""
        values[column.key] = _value(column, raw, text, words) if text else None
    return Row(number, values.get("id") or "", values)


def _unprotect(text: str) -> str:
    """Our CSV downloads put an apostrophe before a cell starting with = + - @ (open-data page): take it off."""
    return text[1:] if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r\n'" else text


def _value(column: Column, raw: Any, text: str, words: Vocabulary) -> Any:
    if column.kind == "terms":
        assert column.taxonomy is not None
        return _terms(text, words.get(column.taxonomy, {}))
    if column.kind in ("phones", "email", "chat", "location"):
        parts = _SPLIT.split(text) if column.kind == "phones" else re.split(r"[;,\s]+", text)
        if column.kind == "phones":
            parts = [piece for part in parts for piece in part.split(",")]
        return [part.strip() for part in parts if part.strip()]
    if column.kind == "choice":
        return choice_for(column, text) or text
    if column.kind == "date":
        return _date(raw, text)
    return text


def _date(raw: Any, text: str) -> str:
    """A date cell, or text written YYYY-MM-DD or as Estonians write it, 31.12.2026; else as typed."""
    if isinstance(raw, dt.datetime | dt.date):
        return text[:10]
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if match:
        try:
            return dt.date(int(match[3]), int(match[2]), int(match[1])).isoformat()
        except ValueError:
            return text
    return text


def _terms(text: str, known: dict[str, str]) -> list[str]:
    """Term ids from ids or names in any language, comma-separated; a name that holds a comma
    ('Rights, complaints and discrimination') is matched whole. Unknown values stay as typed."""
    parts = re.split(r"[,;\n]", text)
    found: list[str] = []
    start = 0
    while start < len(parts):
        for end in range(len(parts), start, -1):
            candidate = normal(",".join(parts[start:end]))
            if candidate in known:
                found.append(known[candidate])
                start = end
                break
        else:
            if parts[start].strip():
                found.append(parts[start].strip())
            start += 1
    return list(dict.fromkeys(found))


# Merging into the record ------------------------------------------------------------------------------------


@dataclass
class Merged:
    """The row's service as it would be written, and which column each of its fields came from."""

    data: dict[str, Any]
    columns: dict[str, str]
    """Field path relative to the service ('name.et', 'channels[2]') -> column key."""
    changed: bool


_LOCALIZED = ("name", "description", "cost_note", "notice")
_PLAIN = ("id", "needs", "audiences", "counties", "languages", "hours", "cost", "status", "notice_until", "source")


def merge(row: Row, layout: Layout, existing: dict[str, Any] | None, verified_by: str, today: dt.date) -> Merged:
    """The service after the row: `existing` (plain values of the file, untouched) updated by the row's columns."""
    data = copy.deepcopy(existing) if existing is not None else {}
    columns: dict[str, str] = {}
    for key in _PLAIN:
        if layout.has(key):
            _put(data, key, row.values[key])
            columns[key] = key
    for name in _LOCALIZED:
        was = dict(data.get(name) or {})
        text = dict(was)
        touched = False
        for lang in LANGS:
            key = f"{name}_{lang}"
            if not layout.has(key):
                continue
            touched = True
            columns[f"{name}.{lang}"] = key
            columns.setdefault(name, key)
            if row.values[key] is not None:
                text[lang] = row.values[key]
            elif lang == "et" or text.get("et") != was.get("et"):
                text.pop(lang, None)  # a translation of a text that changed is wrong; else an empty cell keeps it
        if touched:
            _put(data, name, {lang: text[lang] for lang in LANGS if lang in text} or None)
    contact_keys = [key for key in CONTACT_TYPES if layout.has(key)]
    if contact_keys:
        data["channels"], channel_columns = _channels(data.get("channels") or [], row, contact_keys)
        columns.update(channel_columns)
        columns.setdefault("channels", contact_keys[0])
        if not data["channels"]:
            del data["channels"]
    changed = data != (existing or {})
    if changed:
        data["verified"] = today.isoformat()
        data["verified_how"] = "confirmed"
        data["verified_by"] = verified_by
    return Merged(data, columns, changed)


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    if value is None or value == []:
        data.pop(key, None)
    else:
        data[key] = value


_CONTACT_FIELD = {"phone": "number", "email": "email", "chat": "url", "in-person": "location"}


def contact_key(kind: str, value: str) -> str:
    """What makes two contacts the same: a number in any spelling, an address in any case."""
    if kind == "phone":
        return national_digits(value)
    if kind == "email":
        return value.casefold()
    return value.rstrip("/")


def _channels(old: list[dict[str, Any]], row: Row, keys: Iterable[str]) -> tuple[list[dict[str, Any]],
                                                                                 dict[str, str]]:
    """The sheet's contacts where the old channels were (their hours, notes and languages kept; `to_verify`
    gone: the partner confirms them), new ones after, and the channels the sheet has no column for."""
    wanted: dict[str, list[tuple[str, str]]] = {}
    for key in keys:
        kind = CONTACT_TYPES[key]
        wanted[kind] = [(contact_key(kind, value), value) for value in row.values[key] or []]
    result: list[dict[str, Any]] = []
    origin: list[str] = []
    key_of = {CONTACT_TYPES[key]: key for key in keys}
    for channel in old:
        kind = channel.get("type", "")
        if kind not in wanted:
            result.append(channel)
            origin.append("")
            continue
        value = str(channel.get(_CONTACT_FIELD[kind], ""))
        match = next((item for item in wanted[kind] if item[0] == contact_key(kind, value)), None)
        if match is None:
            continue
        wanted[kind].remove(match)
        result.append({name: item for name, item in channel.items() if name != "to_verify"})
        origin.append(key_of[kind])
    for kind, items in wanted.items():
        for _key, value in items:
            result.append({"type": kind, _CONTACT_FIELD[kind]: value})
            origin.append(key_of[kind])
    columns = {f"channels[{index}]": key for index, key in enumerate(origin) if key}
    return result, columns
