"""Detectors for things shaped like personal data, shared by the data contract and the repository hygiene test."""

from __future__ import annotations

import datetime as dt
import re

# An Estonian personal ID code (isikukood) is 11 digits: GYYMMDDSSSC.  We refuse to match inside a longer
# alphanumeric run (hashes, ids, timestamps) or a decimal number.
PERSONAL_ID_RE = re.compile(r"(?<![0-9A-Za-z_.])[1-6]\d{10}(?![0-9A-Za-z_]|\.\d)")

# Real-looking Estonian phone numbers: +372 / 00372 followed by 7-8 digits (optionally spaced or dashed),
# or a spaced mobile number such as 5xxx xxxx / 5xx xxxx.
PHONE_RE = re.compile(
    r"(?<![0-9A-Za-z_.+])(?:\+|00)372[ \-]?\d(?:[ \-]?\d){6,7}(?![0-9A-Za-z_]|[ \-]?\d)"
    r"|(?<![0-9A-Za-z_.+:\-])5\d{2,3} \d{4}(?![0-9A-Za-z_:\-]|[ .]?\d)"
)

EMAIL_RE = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")

_WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 1)
_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 1, 2, 3)
_CENTURY = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


def personal_id_check_digit(first_ten: str) -> int:
    """Return the isikukood check digit, so generated and scanned codes use one algorithm."""
    digits = [int(c) for c in first_ten]
    total = sum(d * w for d, w in zip(digits, _WEIGHTS_1, strict=True)) % 11
    if total < 10:
        return total
    total = sum(d * w for d, w in zip(digits, _WEIGHTS_2, strict=True)) % 11
    return total if total < 10 else 0


def is_personal_id(code: str) -> bool:
    """True if `code` is a valid isikukood: century digit, real birth date and correct check digit."""
    if len(code) != 11 or not code.isdigit() or code[0] not in "123456":
        return False
    year = _CENTURY[int(code[0])] + int(code[1:3])
    try:
        dt.date(year, int(code[3:5]), int(code[5:7]))
    except ValueError:
        return False
    return personal_id_check_digit(code[:10]) == int(code[10])


def find_personal_ids(text: str) -> list[str]:
    """All substrings of `text` that are valid personal ID codes."""
    return [m.group(0) for m in PERSONAL_ID_RE.finditer(text) if is_personal_id(m.group(0))]


def find_phones(text: str) -> list[str]:
    """All substrings of `text` shaped like a real Estonian phone number."""
    return [m.group(0) for m in PHONE_RE.finditer(text)]


def find_emails(text: str) -> list[str]:
    """All substrings of `text` shaped like an e-mail address."""
    return [m.group(0) for m in EMAIL_RE.finditer(text)]


def personal_data_kind(text: str) -> str | None:
    """Name the kind of personal data `text` looks like, or None; the value itself is never echoed."""
    if find_personal_ids(text):
        return "an Estonian personal ID code"
    if find_phones(text):
        return "a phone number"
    if find_emails(text):
        return "an e-mail address"
    return None


# Column names that suggest personal data (in English and Estonian); such a column is never accepted.
PERSONAL_COLUMN_RE = re.compile(
    r"(^|[_\s\-])("
    r"name|first.?name|last.?name|surname|full.?name|nimi|eesnimi|perenimi|"
    r"phone|telephone|tel|mobile|msisdn|telefon|mobiil|"
    r"e.?mail|e.?post|epost|"
    r"isikukood|personal.?(id|code)|id.?code|ssn|national.?id|"
    r"address|aadress|birth|dob|sünni.*|synni.*|ip.?address"
    r")($|[_\s\-])",
    re.IGNORECASE,
)


def column_looks_personal(column: str) -> bool:
    """True if a column header suggests it holds personal data."""
    return bool(PERSONAL_COLUMN_RE.search(column.strip()))


# A record identifier as an export writes it: 16 or more hex digits (64 bits of a random id or a keyed hash)
# or a UUID, optionally after a short lowercase prefix such as "sh-".  Anything else is readable.
TOKEN_RE = re.compile(
    r"(?:[a-z]{1,8}[-_])?(?:[0-9a-fA-F]{16,128}"
    r"|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
)
_DIGITS_RE = re.compile(r"[0-9]{6,}")
_NUMBER_RE = re.compile(r"[+\-]?[0-9][0-9 .,:\-/]*")
_WORDS_RE = re.compile(r"[^\W\d_]+(?:[\s_.\-'][^\W\d_]+)*")


def value_kind(text: str) -> str:
    """What a refused value looks like, in words, so an error can locate it without printing it.

    Personal data first (an isikukood hidden in a longer id such as `id_38001085718` counts), then the
    shape: a number, a name or word, or other text.
    """
    kind = personal_data_kind(text)
    if kind:
        return kind
    if any(is_personal_id(run) for run in _DIGITS_RE.findall(text)):
        return "an Estonian personal ID code"
    stripped = text.strip()
    if not stripped:
        return "blank text"
    if _NUMBER_RE.fullmatch(stripped):
        return "a number"
    if _WORDS_RE.fullmatch(stripped):
        return "a name or words"
    if re.search(r"\d", stripped) and re.search(r"[^\W\d_]", stripped):
        return f"text of {len(stripped)} letters and digits"
    return f"text of {len(stripped)} characters"
