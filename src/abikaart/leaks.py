"""The secret-finder: every value the directory withholds from the public, looked for in every output file.

What is withheld is collected from the `Directory` by one small function per kind (`_confidential_place`,
`_unconfirmed_phone`, ...), so a new withheld field is one more function in `WITHHELD`. The finder then reads
every file of a folder, archives included (`.zip` members, `.gz`, a PDF's text as a reader sees it), and looks
for each secret in the forms it could be printed in: as typed, HTML-unescaped, URL-decoded, JSON-unescaped, with
tags and runs of whitespace removed, case ignored. A finding names the file, the kind of secret, its record and
field, never the secret itself, so a CI log does not publish what the check protects.

What stays public by design: a confidential location's *name* (pages name the place its front door leads to;
a name is no position, and validation keeps addresses out of it) and its *front door* (how to reach it, the
reason it exists). Short numbers (under `MIN_NUMBER_DIGITS`) and very short texts are not searched for: 1247
or "no" occur by chance in any page.
"""

from __future__ import annotations

import gzip
import html
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import ahocorasick
import phonenumbers

from abikaart import phones
from abikaart.directory import Directory
from abikaart.models import Channel, LocalizedText, Location, Organisation, Phone

MIN_NUMBER_DIGITS = 6
MIN_TEXT_LENGTH = 6
COORDINATE_DECIMALS = (3, 4, 5, 6)
"""How many decimals a position may be printed with (fewer says little more than the town)."""


@dataclass(frozen=True)
class Secret:
    """One withheld value in the forms it could be printed in; `kind`, `record` and `field` say which."""

    kind: str
    record: str
    field: str
    forms: frozenset[str]
    word: bool = False
    """Found only as a word of its own: a short number (1492) is a secret, not the digits of 214920."""


@dataclass(frozen=True)
class Leak:
    """A secret found in an output file (`member` when inside an archive)."""

    path: str
    kind: str
    record: str
    field: str

    def __str__(self) -> str:
        return f"{self.path}: {self.kind} of {self.record} ({self.field})"


# What is withheld, one kind a function ---------------------------------------------------------------------

def _secret(kind: str, record: str, field: str, forms: Iterable[str], *, word: bool = False) -> Secret:
    kept = frozenset(_normal(form) for form in forms if word or _searchable(form))
    return Secret(kind, record, field, kept, word)


def _texts(text: LocalizedText | None) -> list[str]:
    return list(text.root.values()) if text else []


def number_forms(number: str) -> set[str]:
    """The ways a page may print a number: as typed, +372 5123 4567, +37251234567, 5123 4567, 51234567."""
    e164 = phones.e164(number)
    digits = re.sub(r"\D", "", e164)
    forms = {number, phones.display(number), e164, digits}
    if phones.is_short(number):
        return forms
    try:
        parsed = phonenumbers.parse(e164, phones.REGION)
    except phonenumbers.NumberParseException:
        return forms
    national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return forms | {national, re.sub(r"\D", "", national), str(parsed.national_number)}


def coordinate_forms(value: float) -> set[str]:
    """A coordinate as JSON, Python and maps print it, with a decimal point or comma."""
    forms = {repr(value), *(f"{value:.{places}f}" for places in COORDINATE_DECIMALS)}
    return forms | {form.replace(".", ",") for form in forms}


def _confidential_place(organisation: Organisation) -> Iterator[Secret]:
    """Every field of a confidential location but its name and front door: address, position, directions."""
    for index, location in enumerate(organisation.locations):
        if location.confidential:
            yield from _place_fields(organisation.id, index, location)


def _place_fields(organisation_id: str, index: int, location: Location) -> Iterator[Secret]:
    record, at = f"{organisation_id}/{location.id}", f"locations[{index}]"
    if location.address:
        yield _secret("street address", record, f"{at}.address.address_1", [location.address.address_1])
        if location.address.postal_code:
            code = location.address.postal_code  # five digits: searched as a number of its own
            yield _secret("postal code", record, f"{at}.address.postal_code", [code], word=True)
    for axis in ("latitude", "longitude"):
        value = getattr(location, axis)
        if value is not None:
            yield _secret("coordinates", record, f"{at}.{axis}", coordinate_forms(value))
    for name in ("transportation", "accessibility"):
        yield _secret(f"{name} of a confidential place", record, f"{at}.{name}", _texts(getattr(location, name)))


def _unconfirmed_phone(organisation: Organisation) -> Iterator[Secret]:
    """An organisation phone marked `to_verify`: the number in every form, and the reason."""
    for index, phone in enumerate(organisation.phones):
        if not phone.verified:
            yield from _withheld_phone(organisation.id, f"phones[{index}]", phone)


def _number(record: str, field: str, number: str) -> Secret:
    """A withheld number, in every form, as a number of its own: a landline's 7 digits inside another
    (confirmed) mobile number's 8 are not a leak, while every printed form of the number itself stands alone."""
    return _secret("unconfirmed number", record, field, number_forms(number), word=True)


def _withheld_phone(record: str, at: str, phone: Phone) -> Iterator[Secret]:
    yield _number(record, f"{at}.number", phone.number)
    yield _secret("to_verify reason", record, f"{at}.to_verify", [phone.to_verify or ""])


def _unconfirmed_channel(organisation: Organisation) -> Iterator[Secret]:
    """A channel marked `to_verify`: its number in every form, its e-mail or web address, and the reason."""
    for service in organisation.services:
        for index, channel in enumerate(service.channels):
            if not channel.verified:
                yield from _withheld_channel(service.id, f"channels[{index}]", channel)


def _withheld_channel(record: str, at: str, channel: Channel) -> Iterator[Secret]:
    if channel.number:
        yield _number(record, f"{at}.number", channel.number)
    for name in ("email", "url"):
        value = getattr(channel, name)
        if value:
            yield _secret(f"unconfirmed {name}", record, f"{at}.{name}", [value])
    yield _secret("to_verify reason", record, f"{at}.to_verify", [channel.to_verify or ""])


def _internal_note(organisation: Organisation) -> Iterator[Secret]:
    """`internal_note` is for counsellors only."""
    for service in organisation.services:
        if service.internal_note:
            yield _secret("internal note", service.id, "internal_note", [service.internal_note])


def _unconfirmed_link(organisation: Organisation) -> Iterator[Secret]:
    """A website, e-mail or source link marked `website_to_verify` / `email_to_verify` / `source_to_verify`."""
    if organisation.website and organisation.website_to_verify:
        yield _secret("unconfirmed website", organisation.id, "website", [organisation.website])
    if organisation.email and organisation.email_to_verify:
        yield _secret("unconfirmed e-mail", organisation.id, "email", [organisation.email])
    if organisation.source_to_verify:
        yield _secret("unconfirmed source", organisation.id, "source", [organisation.source])
    for service in organisation.services:
        if service.source_to_verify:
            yield _secret("unconfirmed source", service.id, "source", [service.source, *service.sources])
        for index, claim in enumerate(service.counties_to_verify):
            yield _secret("to_verify reason", service.id, f"counties_to_verify.{index}.to_verify", [claim.to_verify])


Withheld = Callable[[Organisation], Iterable[Secret]]
WITHHELD: tuple[Withheld, ...] = (_confidential_place, _unconfirmed_phone, _unconfirmed_channel, _internal_note,
                                  _unconfirmed_link)
"""Every kind of withheld value; a new withheld field is one more function here."""


def _expired_notices(directory: Directory) -> Iterator[Secret]:
    """A notice past its `notice_until` ("closed until 3 January") is no longer true: it must be gone."""
    for service in directory.services.values():
        if service.notice is not None and directory.notice(service) is None:
            yield _secret("expired notice", service.id, "notice", _texts(service.notice))


def secrets(directory: Directory) -> list[Secret]:
    """Every withheld value of the directory, minus the forms that are published anyway by another record
    (the same number confirmed on another channel, a URL that is also a source)."""
    found = [secret for organisation in directory.organisations.values() for kind in WITHHELD
             for secret in kind(organisation)]
    found += _expired_notices(directory)
    public = _normal_set(_published(directory))
    return [Secret(s.kind, s.record, s.field, s.forms - public, s.word) for s in found if s.forms - public]


def _published(directory: Directory) -> Iterator[str]:
    """Numbers, web and e-mail addresses the public sees: confirmed contacts, websites, sources."""
    for organisation in directory.organisations.values():
        yield from filter(None, (directory.public_website(organisation), directory.public_email(organisation)))
        yield from directory.public_sources(organisation)
        for phone in directory.public_phones(organisation):
            yield from number_forms(phone.number)
        for service in organisation.services:
            yield from directory.public_sources(service)
            for channel in directory.public_channels(service):
                yield from filter(None, (channel.url, channel.email))
                if channel.number:
                    yield from number_forms(channel.number)


# Looking for them ------------------------------------------------------------------------------------------

_TAG = re.compile(r"<[^<>]*>")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\([\"\\/])")


def _normal(text: str) -> str:
    """Case and runs of whitespace do not hide a secret. `lower`, not `casefold`: for Estonian, Russian and
    English letters they agree, and `lower` takes less than half the time over a site's worth of pages."""
    return " ".join(text.lower().split())


def _normal_set(values: Iterable[str]) -> set[str]:
    return {_normal(value) for value in values}


def _searchable(form: str) -> bool:
    return len(_normal(form)) >= MIN_TEXT_LENGTH or (form.isdigit() and len(form) >= MIN_NUMBER_DIGITS)


def readings(text: str) -> list[str]:
    """The ways a reader or a program could see `text`: as stored, JSON- and HTML-unescaped, URL-decoded, and the
    text between tags (a number split by `<strong>` is still a number). Each only when it can differ."""
    variants = [text]
    if "&" in text or "\\" in text:
        text = html.unescape(_JSON_ESCAPE.sub(_json_char, text))
        variants.append(text)
    if "%" in text:
        text = unquote(text)
        variants.append(text)
    if "<" in text:
        between = _TAG.split(text)  # one pass for both ways of taking the tags out
        variants += [html.unescape("".join(between)), html.unescape(" ".join(between))]
    return list(dict.fromkeys(_normal(variant) for variant in variants))


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is not part of a longer word or number."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or after.isalnum())


def _json_char(match: re.Match[str]) -> str:
    return chr(int(match[1], 16)) if match[1] else match[2]


def files(folder: Path, paths: Iterable[Path] | None = None) -> Iterator[tuple[str, bytes]]:
    """Every file under `folder` (or just `paths`) as (shown path, content), with every member of its archives."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()) if paths is None else paths:
        yield from _unpacked(path.relative_to(folder).as_posix(), path.read_bytes())


def _unpacked(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    yield name, data
    if data[:5] == b"%PDF-":
        yield f"{name}:text", pdf_text(data)
    elif data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.infolist():
                if not member.is_dir():
                    yield from _unpacked(f"{name}:{member.filename}", archive.read(member))
    elif data[:2] == b"\x1f\x8b":
        yield from _unpacked(f"{name}:{Path(name.rsplit(':', 1)[-1]).stem}", gzip.decompress(data))


UNREADABLE_PDF = "[abikaart: this PDF cannot be read, so it cannot be checked]"
"""What `pdf_text` gives for a PDF pypdf cannot read; the finder reports it (`Finder.scan`)."""


def pdf_text(data: bytes) -> bytes:
    """The text a reader sees in a PDF (its pages and its title, author, subject and keywords), as UTF-8: its
    streams are compressed and its fonts re-encode the characters, so the file's bytes show no secret."""
    import pypdf
    from pypdf.errors import PyPdfError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        texts = [str(value) for value in (reader.metadata or {}).values()]
        texts += [page.extract_text() for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return UNREADABLE_PDF.encode("utf-8")
    return "\n".join(texts).encode("utf-8")


class Finder:
    """Every form of every secret in one Aho-Corasick automaton: one pass over a text finds them all."""

    def __init__(self, secrets: list[Secret]) -> None:
        self.secrets = secrets
        self._automaton = ahocorasick.Automaton()
        owners: dict[tuple[str, bool], list[int]] = {}
        for index, secret in enumerate(secrets):
            for form in secret.forms:
                owners.setdefault((form, secret.word), []).append(index)
        for (form, word), indexes in owners.items():
            known = self._automaton.get(form, [])
            self._automaton.add_word(form, [*known, (len(form), word, indexes)])
        if owners:
            self._automaton.make_automaton()

    def scan(self, name: str, data: bytes) -> list[Leak]:
        """The secrets found in one file's content (an archive's members are scanned one by one)."""
        if not self.secrets or data[:4] == b"PK\x03\x04" or data[:2] == b"\x1f\x8b":
            return []
        if data == UNREADABLE_PDF.encode("utf-8"):
            return [Leak(name, "unreadable PDF", name.removesuffix(":text"), "the whole file")]
        found: set[int] = set()
        for text in readings(data.decode("utf-8", errors="ignore")):
            for end, entries in self._automaton.iter(text):
                for length, word, indexes in entries:
                    if not word or _stands_alone(text, end + 1 - length, end + 1):
                        found.update(indexes)
        return [self._leak(name, self.secrets[index]) for index in sorted(found)]

    @staticmethod
    def _leak(name: str, secret: Secret) -> Leak:
        return Leak(name, secret.kind, secret.record, secret.field)


def find_leaks(directory: Directory, folder: Path) -> list[Leak]:
    """Every withheld value of `directory` found in any file under `folder`, archives included."""
    return scan_files(Finder(secrets(directory)), folder)


def scan_files(finder: Finder, folder: Path, paths: Iterable[Path] | None = None) -> list[Leak]:
    """What `finder` finds in the files under `folder` (or in `paths` of them, so callers can share the work)."""
    return [leak for name, data in files(folder, paths) for leak in finder.scan(name, data)]


def scan_content(finder: Finder, name: str, data: bytes) -> list[Leak]:
    """What `finder` finds in one file's content shown as `name`, the members of an archive included."""
    return [leak for member, content in _unpacked(name, data) for leak in finder.scan(member, content)]


def report(leaks: list[Leak], limit: int = 50) -> str:
    """Findings one a line, for a build error or a test failure (never the secrets themselves)."""
    lines = [str(leak) for leak in leaks[:limit]]
    if len(leaks) > limit:
        lines.append(f"... and {len(leaks) - limit} more")
    return "\n".join(lines)
