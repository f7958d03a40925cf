"""Phone numbers: Estonian ordinary numbers, Estonian short numbers and foreign numbers.

phonenumbers alone is not enough: it calls 116 006 (the victim support line) and 116 123 only
"possible", not valid, and every short number written as +372 ... invalid. So a short number is its
own kind here: valid when the library says so, or when it is in the EU harmonised 116 xxx range.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberFormat, shortnumberinfo
from pydantic_core import PydanticCustomError

from abikaart.problems import shown

REGION = "EE"
_EXAMPLE_NUMBER = phonenumbers.example_number_for_type(REGION, phonenumbers.PhoneNumberType.MOBILE)
EXAMPLE = phonenumbers.format_number(_EXAMPLE_NUMBER, PhoneNumberFormat.INTERNATIONAL) if _EXAMPLE_NUMBER else "+372"
"""How a mobile number is written (the library's documented example), shown in every fix for a bad number."""
_SHORT_RE = re.compile(r"^\d{3,6}$")
_ESTONIAN_RE = re.compile(r"^(?:\+372)?([1-9]\d{6,9})$")
"""An Estonian number as usually written (national, or after +372): no need for the full parser."""
_EU_HARMONISED_RE = re.compile(r"^116\d{3}$")


def _digits(value: str) -> str:
    return re.sub(r"[\s\-().]", "", value)


def is_short(value: str) -> bool:
    """Whether `value` is written as a short number (no country code, 3-6 digits)."""
    return bool(_SHORT_RE.match(_digits(value)))


@lru_cache(maxsize=4096)
def _parse(value: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(value, REGION)
    except phonenumbers.NumberParseException:
        return None


def _estonian(digits: str) -> phonenumbers.PhoneNumber | None:
    """The number of an ordinary Estonian form, built without `phonenumbers.parse` (three times faster)."""
    match = _ESTONIAN_RE.match(digits)
    return phonenumbers.PhoneNumber(country_code=372, national_number=int(match[1])) if match else None


def _valid_short(digits: str) -> bool:
    number = _parse(digits)
    if number is None:
        return False
    return bool(
        shortnumberinfo.is_valid_short_number_for_region(number, REGION) or _EU_HARMONISED_RE.match(digits)
    )


def check(value: str) -> str:
    """Return `value` if it is a callable number, else raise an error that says how to write it."""
    digits = _digits(value)
    if digits.startswith("+372") and _SHORT_RE.match(digits[4:]) and _valid_short(digits[4:]):
        raise PydanticCustomError(
            "phone",
            "{value} is a short number and cannot take +372",
            {"value": shown(value), "fix": f"write it as {display(digits[4:])!r}"},
        )
    if _SHORT_RE.match(digits):
        if _valid_short(digits):
            return value
        raise PydanticCustomError(
            "phone",
            "{value} is not a valid Estonian short number",
            {"value": shown(value), "fix": "check the number; e.g. 112, 116 006, 1247"},
        )
    number = _estonian(digits) or _parse(value)
    if number is None or not phonenumbers.is_valid_number(number):
        raise PydanticCustomError(
            "phone",
            "{value} is not a valid Estonian number",
            {"value": shown(value), "fix": f"expected e.g. {EXAMPLE}"},
        )
    return value


def e164(value: str) -> str:
    """The number for a `tel:` link: +3725…, or the bare digits of a short number."""
    if is_short(value):
        return _digits(value)
    number = _parse(value)
    if number is None:
        return _digits(value)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def display(value: str) -> str:
    """The number as people read it: '116 006', '1247', or international with spaces, like `EXAMPLE`."""
    digits = _digits(value)
    if is_short(value):
        return f"{digits[:3]} {digits[3:]}" if len(digits) == 6 else digits
    number = _parse(value)
    if number is None:
        return value
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


_RUN_RE = re.compile(r"(?<![\d+])\+?\d+(?: \d+)*(?!\d)")
"""Digits in groups separated by single spaces, as numbers are written in prose: '116 006', '+372 5123 4567'."""


def mentions(text: str) -> Iterator[tuple[int, int, str]]:
    """Every digit string a reader could dial in `text`: (start, end, digits) for each run of space-separated
    groups and each contiguous part of it, so '+372 5123 4567' yields its national digits, and '1226' never
    yields '126' (groups are never split). A date '2026-11-25' or a time '16:00' yields only its own groups."""
    for run in _RUN_RE.finditer(text):
        spans = [(m.start() + run.start(), m.end() + run.start()) for m in re.finditer(r"\d+", run[0])]
        for first in range(len(spans)):
            for last in range(first, len(spans)):
                start, end = spans[first][0], spans[last][1]
                yield start, end, re.sub(r"\D", "", text[start:end])


def is_dialable(digits: str) -> bool:
    """Whether bare digits form a number a person could call: a valid short number or an Estonian number."""
    try:
        check(digits)
    except PydanticCustomError:
        return False
    return True
