"""Words of the statistics reports in Estonian, Russian and English, from `labels.yaml`.

One file holds every header, value label, heading and sentence, so a report never shows a code or a
snake_case column name and the three languages stay in step (the parity test reads the same file).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal

from abikaart.loading import parse_text

LANGS: tuple[str, ...] = ("et", "ru", "en")
PATH = Path(__file__).with_name("labels.yaml")
_NUMBER = re.compile(r"([-+]?)\d+(?:\.(\d+))?")
MINUS = "\u2212"


@lru_cache(maxsize=1)
def load() -> dict[str, dict[str, dict[str, str]]]:
    """The label file through the core YAML loader (every scalar kept as typed text)."""
    doc = parse_text(str(PATH), PATH.read_bytes())
    if doc.problems or not isinstance(doc.data, dict):
        raise ValueError("; ".join(p.text() for p in doc.problems) or f"{PATH}: expected sections of labels")
    data: dict[str, Any] = doc.data
    return data


def has(section: str, key: object) -> bool:
    """Whether the label file has a label for `key` in `section`."""
    return str(key) in load().get(section, {})


def text(section: str, key: object, lang: str = "et", **values: object) -> str:
    """The label or sentence in `lang`, with {placeholders} filled; KeyError names a missing label."""
    entry = load()[section][str(key)]
    if not values:
        return entry[lang]
    return entry[lang].format(**{k: number(v, lang) if _is_number(v) else v for k, v in values.items()})


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def number(value: object, lang: str = "et") -> str:
    """A published number written as readers of `lang` write it (CLDR, through Babel): `8,8` and `10 250` in
    Estonian and Russian, `8.8` and `10,250` in English, a true minus sign. The decimals shown are the ones
    the value came with (protection rounded it already); text that is not a plain number is returned as is."""
    plain = str(value) if not isinstance(value, float) or not value.is_integer() else str(int(value))
    match = _NUMBER.fullmatch(plain)
    if match is None:
        return plain
    decimals = len(match.group(2) or "")
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    written = format_decimal(Decimal(plain), format=pattern, locale=lang).replace("-", MINUS)
    return "+" + written if match.group(1) == "+" else written


def column(name: object, lang: str = "et") -> str:
    """A table header in words; an unknown column is a bug the report test catches (it stays as is)."""
    return text("columns", name, lang) if has("columns", name) else str(name)


def value(code: object, lang: str = "et") -> str:
    """A cell or row label in words (blocks, channels, language groups, methods); other values as they are."""
    return text("values", code, lang) if has("values", code) else str(code)
