"""Street addresses in free text: what must never be written about a confidential place.

A shelter's address can slip into any text about it ("the door at Tatari 39", "10134 Tallinn"), not only
into `address:`. The shapes are a street word and a house number, and a postal code before a town. Phone
numbers are taken out first, so "Helista 116 006" or "call 112" is not a street; a number followed by a
lower-case word after a sentence's first word ("Kõik 15 maakonda", "All 15 counties") is a count, not a
house ("Uks on Tatari 39 hoovis" is one).
"""

from __future__ import annotations

import re

from abikaart import phones

_STREET_TYPES = (
    "mnt", "maantee", "tn", "tänav", "pst", "puiestee", "tee", "põik", "väljak", "allee", "plats",
    "street", "st", "road", "rd", "avenue", "ave", "ул", "улица", "пр", "проспект", "шоссе", "пл",
)
_WORD = r"[^\W\d_][^\W\d_'’-]+"
_STREET_RE = re.compile(
    rf"(?<![\w-])(?P<word>{_WORD})\.?"
    rf"(?:\s(?P<type>{'|'.join(_STREET_TYPES)})\.?)?"
    r"\s(?P<number>\d{1,3}[a-zA-Z]?(?:[-/]\d{1,3})?)"
    r"(?![\d:.,/–-]?\d|\s?%)"
)
"""'Tatari 39', 'Paldiski mnt 52', 'Kaunase pst 11-2', 'ул. Татари 39'; not '24/7', '16:00' or '9-17'."""
_TYPE_FIRST_RE = re.compile(
    rf"(?<![\w-])(?:ул|улица|пр|проспект)\.?\s(?P<word>{_WORD})\.?,?\s(?P<number>\d{{1,3}}[a-zA-Z]?)(?![\d:.-]?\d)"
)
"""Russian writes the street type first: 'ул. Татари, 39'."""
_POSTAL_RE = re.compile(r"(?<![\d+])(?P<code>\d{5})\s(?P<town>[^\W\d_]{3,})")
"""'10134 Tallinn': five digits, then a town."""
_COUNT_AFTER_RE = re.compile(r"\s+[^\W\d_]")
_NOT_STREETS = frozenset({
    "kell", "kl", "alates", "kuni", "vanuses", "at", "from", "until", "aged", "age", "в", "с", "до", "от",
    "buss", "bus", "tramm", "tram", "troll", "trolley", "liin", "line", "route", "автобус", "трамвай", "троллейбус",
    "маршрут", "room", "tuba", "kabinet", "korrus", "floor", "кабинет", "этаж", "platform", "perroon",
})
"""Words before a time, an age, a bus or a room, never a street name: 'Kell 9', 'Aged 7', 'Bus 17', 'Room 5'."""


def _without_phones(text: str) -> str:
    """`text` with every dialable number blanked out (same length, so positions still match)."""
    chars = list(text)
    for start, end, digits in phones.mentions(text):
        if (end - start > 3 or " " in text[start:end] or len(digits) >= 3) and phones.is_dialable(digits):
            chars[start:end] = " " * (end - start)
    return "".join(chars)


def _is_count(text: str, end: int) -> bool:
    """Whether the number ending at `end` is followed by a lower-case word: '15 maakonda', '7 days'."""
    after = _COUNT_AFTER_RE.match(text, end)
    return after is not None and after[0].strip().islower()


def _untyped_is_not_a_street(text: str, match: re.Match[str]) -> bool:
    """Without 'mnt', 'tn' or the like, only 'Capitalised 39' is a street: not a count, a time or '24/7'."""
    word, number = match["word"], match["number"]
    return (not word[0].isupper() or word.casefold() in _NOT_STREETS or not number[:1].isdigit()
            or "/" in number or "-" in number
            or (_starts_sentence(text, match.start()) and _is_count(text, match.end())))


def _starts_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` opens a sentence, so its capital says nothing ('Kõik 15 maakonda')."""
    before = text[:start].rstrip()
    return not before or before[-1] in ".!?:;(\"«"


def find_address(text: str) -> str | None:
    """The first street-and-number or postal-code shape in `text`, as written there; None if there is none."""
    plain = _without_phones(text)
    for match in _POSTAL_RE.finditer(plain):
        if match["town"][0].isupper():
            return text[match.start():match.end()]
    for match in _TYPE_FIRST_RE.finditer(plain):
        return text[match.start():match.end()]
    for match in _STREET_RE.finditer(plain):
        if match["type"] is None and _untyped_is_not_a_street(plain, match):
            continue
        return text[match.start():match.end()]
    return None
