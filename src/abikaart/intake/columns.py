"""The template's columns: what each holds, where it goes in a service record, and its header per language.

A header is read in any of the three languages (or as the column's key), so a Russian partner's sheet and an
Estonian maintainer's copy of it import the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import yaml

from abikaart.models import LANGS

Kind = Literal["text", "localized", "terms", "phones", "email", "chat", "location", "choice", "date"]


@dataclass(frozen=True)
class Column:
    """One column of the template."""

    key: str
    """The column's own name, e.g. `name_et`; also accepted as a header."""
    kind: Kind
    field: str
    """The service field it fills, e.g. `name` (with `lang` for a text in one language)."""
    lang: str | None = None
    taxonomy: str | None = None
    """For `terms`: which taxonomy its values come from."""
    width: int = 24


def _texts(key: str, width: int) -> list[Column]:
    return [Column(f"{key}_{lang}", "localized", key, lang=lang, width=width) for lang in LANGS]


COLUMNS: tuple[Column, ...] = (
    Column("id", "text", "id", width=28),
    *_texts("name", 32),
    *_texts("description", 48),
    Column("needs", "terms", "needs", taxonomy="needs", width=30),
    Column("audiences", "terms", "audiences", taxonomy="audiences", width=30),
    Column("counties", "terms", "counties", taxonomy="counties", width=24),
    Column("languages", "terms", "languages", taxonomy="languages", width=18),
    Column("phones", "phones", "channels", width=22),
    Column("email", "email", "channels", width=26),
    Column("chat", "chat", "channels", width=30),
    Column("location", "location", "channels", width=18),
    Column("hours", "text", "hours", width=26),
    Column("cost", "choice", "cost", width=18),
    *_texts("cost_note", 30),
    Column("status", "choice", "status", width=18),
    *_texts("notice", 36),
    Column("notice_until", "date", "notice_until", width=16),
    Column("source", "text", "source", width=36),
)
BY_KEY = {column.key: column for column in COLUMNS}
CONTACT_TYPES = {"phones": "phone", "email": "email", "chat": "chat", "location": "in-person"}
"""The channel type each contact column fills."""
CHOICES = {"cost": ("free", "paid", "partly"), "status": ("active", "temporarily-closed", "closed")}


@cache
def strings(lang: str) -> dict[str, str]:
    """The template's words in `lang`, from `templates/intake.yaml`."""
    source = resources.files("abikaart") / "templates" / "intake.yaml"
    table: dict[str, dict[str, str]] = yaml.safe_load(source.read_text(encoding="utf-8"))
    return table[lang]


def header(column: Column, lang: str) -> str:
    return strings(lang)[f"col_{column.key}"]


def normal(text: str) -> str:
    """A header or a choice as compared: case, spacing and punctuation around it do not matter."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().strip(".:*").strip().casefold()


@cache
def _headers() -> dict[str, tuple[Column, str | None]]:
    """Every accepted header (normalised) -> its column and the language it is written in."""
    found: dict[str, tuple[Column, str | None]] = {}
    for column in COLUMNS:
        found[normal(column.key)] = (column, None)
        for lang in LANGS:
            found[normal(header(column, lang))] = (column, lang)
    return found


def column_for(text: str) -> tuple[Column, str | None] | None:
    """The column a header names, and its language (None for a key), or None for an unknown header."""
    return _headers().get(normal(text))


def known_headers(lang: str) -> list[str]:
    return [header(column, lang) for column in COLUMNS]


def choice_for(column: Column, text: str) -> str | None:
    """The id of a cost or status written as its id or its word in any language."""
    wanted = normal(text)
    for option in CHOICES[column.key]:
        if wanted == option or any(wanted == normal(strings(lang)[f"{column.key}_{option}"]) for lang in LANGS):
            return option
    return None


def sheet_names() -> dict[str, str]:
    """The services sheet's name in each language -> the language."""
    return {strings(lang)["sheet_services"]: lang for lang in LANGS}
