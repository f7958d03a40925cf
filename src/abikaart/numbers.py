"""The number registry: numbers known to be dead, and numbers known to be unconfirmed.

`directory/numbers.yaml` is data like the rest of the directory, kept beside it so maintainers can add a
number the day it closes. Every phone in the directory is checked against it: an obsolete number is an
error wherever it appears, and an unconfirmed number must carry `to_verify` (so it stays off the public
site) in every record that uses it, not only in the one where someone first noticed. A not-public number
(for professionals or journalists only) is an error wherever it appears, `to_verify` or not. Free text is
published whole, so any kind in any text (a name, a description, a notice, a front door) is an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

from pydantic import Field

from abikaart import phones
from abikaart.loading import Document, Loc, format_loc
from abikaart.models import Model, Organisation, Service
from abikaart.problems import Problem
from abikaart.validation import localized_fields, read_model

FILE_NAME = "numbers.yaml"


class ObsoleteNumber(Model):
    """A number that once served victims and no longer does, or that old listings give wrongly."""

    number: str = Field(description="As it was published, e.g. '612 3000'.")
    reason: str = Field(description="Why it must not be published, with the date and the source.")
    instead: str | None = Field(default=None, description="What to give instead, e.g. '1247'.")


class UnconfirmedNumber(Model):
    """A number whose sources conflict or are old: internal only until someone confirms it."""

    number: str = Field(description="As the sources give it, e.g. '331 1041'.")
    reason: str = Field(description="What is uncertain: the conflicting sources and their dates.")


class NotPublicNumber(Model):
    """A number that works but is not for the public (professionals, journalists): never in any record."""

    number: str = Field(description="As the sources give it, digits and spaces.")
    reason: str = Field(description="Whom it is for, and the source.")
    instead: str | None = Field(default=None, description="What to give the public instead, e.g. '116 111'.")


class NumberRegistry(Model):
    """The contents of numbers.yaml."""

    obsolete: list[ObsoleteNumber] = Field(
        default_factory=list, description="Dead or wrong numbers: an error wherever they appear in the directory."
    )
    unconfirmed: list[UnconfirmedNumber] = Field(
        default_factory=list, description="Numbers every record must mark 'to_verify', kept off the public site."
    )
    not_public: list[NotPublicNumber] = Field(
        default_factory=list, description="Numbers for professionals only: an error wherever they appear in the "
        "directory, since every record and text may reach the public.",
    )

    @cached_property
    def obsolete_by_digits(self) -> dict[str, ObsoleteNumber]:
        """Looked up for every phone of every record: built once."""
        return {national_digits(entry.number): entry for entry in self.obsolete}

    @cached_property
    def not_public_by_digits(self) -> dict[str, NotPublicNumber]:
        return {national_digits(entry.number): entry for entry in self.not_public}

    @cached_property
    def unconfirmed_by_digits(self) -> dict[str, UnconfirmedNumber]:
        return {national_digits(entry.number): entry for entry in self.unconfirmed}


def national_digits(number: str) -> str:
    """A number with or without +372, spaced or not, becomes its bare national digits, so any form matches."""
    digits = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    return digits.removeprefix("+372").lstrip("+")


def load_registry(root: Path, base: Path, problems: list[Problem]) -> NumberRegistry:
    """Read numbers.yaml if there is one; its own problems join the rest."""
    path = root / FILE_NAME
    if not path.is_file():
        return NumberRegistry()
    registry, _doc = read_model(path, base, NumberRegistry, problems)
    return registry or NumberRegistry()


def _numbers(record: Organisation | Service, base: Loc) -> Iterator[tuple[Loc, str, bool]]:
    """Every phone number in a record: where it stands, the number, and whether it is marked to verify."""
    if isinstance(record, Organisation):
        for index, phone in enumerate(record.phones):
            yield (*base, "phones", index, "number"), phone.number, phone.to_verify is not None
        return
    for index, channel in enumerate(record.channels):
        if channel.number:
            yield (*base, "channels", index, "number"), channel.number, channel.to_verify is not None


def check_numbers(registry: NumberRegistry, doc: Document, record: Organisation | Service,
                  base: Loc = ()) -> Iterator[Problem]:
    """Obsolete and not-public numbers are errors; unconfirmed ones are errors unless marked `to_verify`."""
    obsolete, unconfirmed = registry.obsolete_by_digits, registry.unconfirmed_by_digits
    not_public = registry.not_public_by_digits
    for loc, number, marked in _numbers(record, base):
        digits = national_digits(number)
        line, col = doc.mark(loc)
        if digits in not_public:
            yield _not_public_problem(doc, loc, phones.display(number), not_public[digits])
        elif digits in obsolete:
            entry = obsolete[digits]
            fix = f"give {entry.instead} instead" if entry.instead else "remove it"
            yield Problem(doc.path, line, col, format_loc(loc),
                          f"{phones.display(number)!r} is obsolete: {entry.reason}", f"{fix}; see {FILE_NAME}",
                          code="obsolete_number")
        elif digits in unconfirmed and not marked:
            yield Problem(doc.path, line, col, format_loc(loc),
                          f"{phones.display(number)!r} is unconfirmed: {unconfirmed[digits].reason}",
                          "add 'to_verify:' with the reason, or confirm it and remove it from "
                          f"{FILE_NAME}'s unconfirmed list", code="unconfirmed_number")


def check_text_numbers(registry: NumberRegistry, doc: Document, record: Organisation | Service,
                       base: Loc = ()) -> Iterator[Problem]:
    """Obsolete and unconfirmed numbers written in any text of the record, in any language: errors.

    `to_verify` keeps a channel off the public site, but a text is published as written: "Naiste
    tugitelefon 1492" would publish the unconfirmed 1492 on every page that names the service. An
    organisation's services are checked as records of their own.
    """
    obsolete, unconfirmed = registry.obsolete_by_digits, registry.unconfirmed_by_digits
    not_public = registry.not_public_by_digits
    if not obsolete and not unconfirmed and not not_public:
        return
    for loc, text in localized_fields(record, base):
        if isinstance(record, Organisation) and loc[len(base):][:1] == ("services",):
            continue
        for lang, value in text.root.items():
            reported: set[str] = set()
            for start, end, digits in phones.mentions(value):
                national = national_digits(digits)
                if national in reported or (national not in obsolete and national not in unconfirmed
                                            and national not in not_public):
                    continue
                reported.add(national)
                if national in not_public:
                    yield _not_public_problem(doc, (*loc, lang), value[start:end], not_public[national])
                    continue
                yield _text_problem(doc, (*loc, lang), value[start:end], obsolete.get(national),
                                    unconfirmed.get(national))


def _not_public_problem(doc: Document, loc: Loc, written: str, entry: NotPublicNumber) -> Problem:
    """A number for professionals only, in a channel or a text: no record may carry it, marked or not."""
    line, col = doc.mark(loc)
    fix = f"give {entry.instead} instead" if entry.instead else "remove it"
    return Problem(doc.path, line, col, format_loc(loc), f"{written!r} is not for the public: {entry.reason}",
                   f"{fix}; keep it only in {FILE_NAME}'s not_public list", code="not_public_number")


def _text_problem(doc: Document, loc: Loc, written: str, obsolete: ObsoleteNumber | None,
                  unconfirmed: UnconfirmedNumber | None) -> Problem:
    line, col = doc.mark(loc)
    if obsolete is not None:
        fix = f"write {obsolete.instead} instead" if obsolete.instead else "remove it from the text"
        return Problem(doc.path, line, col, format_loc(loc), f"{written!r} is obsolete: {obsolete.reason}",
                       f"{fix}; see {FILE_NAME}", code="obsolete_number")
    assert unconfirmed is not None
    return Problem(doc.path, line, col, format_loc(loc),
                   f"{written!r} is unconfirmed, and a text is published as written: {unconfirmed.reason}",
                   "remove the number from the text (keep it in a channel marked 'to_verify'), or confirm it "
                   f"and remove it from {FILE_NAME}'s unconfirmed list", code="unconfirmed_number")
