"""`abikaart diff`: what changed in directory/ between a git revision and the working tree, in people's words.

A reviewer of a pull request reads "phone changed from ... to ...; now closed on Sundays", not a YAML diff. Both
sides are loaded by the same `load_directory` and compared record by record. The report is posted where anyone
may read it (a job summary), so it only prints what the public site prints: values of contacts to verify,
internal notes, expired notices and everything about a confidential location are named, never shown.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from abikaart import hours
from abikaart.directory import Directory, load_directory
from abikaart.models import Address, Channel, LocalizedText, Location, Organisation, Phone, Service
from abikaart.strings import catalogue

REFERENCE_MONDAY = dt.date(2026, 3, 2)
"""An ordinary week (no Estonian public holiday) to tell on which weekdays a place is open."""

SERVICE_SAID = {"name", "description", "channels", "hours", "notice", "notice_until", "status", "cost", "counties",
                "needs", "audiences", "languages", "front_door", "internal_note", "verified", "source", "sources",
                "source_to_verify", "organisation", "first_contact_for"}
"""Service fields that have their own sentence; any other changed field is named in `other_changed`."""
ORGANISATION_SAID = {"name", "description", "website", "website_to_verify", "email", "email_to_verify", "phones",
                     "locations", "services", "verified", "source", "source_to_verify"}


class DiffError(Exception):
    """The revision cannot be read (not a git repository, unknown revision): a usage error, exit 2."""


@cache
def strings(lang: str) -> dict[str, str]:
    """The sentences in `lang`, from `templates/diff.yaml` (through the one strings loader)."""
    return catalogue("diff.yaml")[lang]


@dataclass
class Section:
    """The changes of one organisation (its own and its services'), as sentences in one language."""

    title: str
    lines: list[str] = field(default_factory=list)


# Reading a revision ---------------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True)
    except FileNotFoundError:
        raise DiffError("git is not installed") from None
    except subprocess.CalledProcessError as error:
        message = error.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(f"git {' '.join(args)}: {message[-1] if message else 'failed'}") from None
    return done.stdout


def default_base(repo: Path) -> str:
    """The merge base with main (or origin/main), where the branch under review started."""
    for main in ("main", "origin/main"):
        try:
            return _git(repo, "merge-base", main, "HEAD").decode().strip()
        except DiffError:
            continue
    raise DiffError("no branch 'main' or 'origin/main' to compare with: give a revision, e.g. HEAD~1")


def load_revision(directory: Path, revision: str, into: Path, today: dt.date | None = None) -> Directory | None:
    """The directory as it was at `revision` (None if the folder did not exist then), extracted under `into`."""
    directory = directory.resolve()
    top = Path(_git(directory, "rev-parse", "--show-toplevel").decode().strip())
    relative = directory.relative_to(top).as_posix()
    _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    listed = _git(top, "ls-tree", "-d", "--name-only", revision, "--", relative).decode().strip()
    if not listed:
        return None
    archive = _git(top, "archive", "--format=tar", revision, "--", relative)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    result = load_directory(into / relative, base=into, today=today)
    if result.directory is None:
        raise DiffError(f"directory/ at {revision} does not load: {len(result.problems)} problem(s)")
    return result.directory


def diff_revision(directory: Path, revision: str | None, lang: str, today: dt.date | None = None) -> list[Section]:
    """Changes from `revision` (default: the merge base with main) to the working tree's `directory`."""
    new = load_directory(directory, today=today)
    if new.directory is None:
        first = next((problem.text() for problem in new.problems if problem.level == "error"), "")
        raise DiffError(f"{directory} does not load ({first}): run `abikaart validate`")
    base = revision or default_base(directory)
    with tempfile.TemporaryDirectory(prefix="abikaart-diff-") as scratch:
        old = load_revision(directory, base, Path(scratch), today)
    return compare(old, new.directory, lang)


# Comparing ------------------------------------------------------------------------------------------------


class Words:
    """Sentences in one language, with the data's texts and terms in that language."""

    def __init__(self, lang: str, old: Directory | None, new: Directory) -> None:
        self.lang, self.old, self.new = lang, old, new
        self.table = strings(lang)

    def __call__(self, key: str, **values: str) -> str:
        return self.table[key].format(**values)

    def text(self, value: LocalizedText | None) -> str:
        return value.get(self.lang) if value is not None else ""

    def term(self, kind: str, term_id: str) -> str:
        for directory in (self.new, self.old):
            found = directory.term(kind, term_id) if directory is not None else None
            if found is not None:
                return found.name.get(self.lang)
        return term_id

    def days(self, numbers: Iterable[int]) -> str:
        return self("days_and").join(self(f"day_{day}") for day in sorted(numbers))


def compare(old: Directory | None, new: Directory, lang: str) -> list[Section]:
    """Every organisation with a change, with its own changes first, then its services'."""
    words = Words(lang, old, new)
    old_orgs = old.organisations if old is not None else {}
    sections: list[Section] = []
    for org_id in sorted(old_orgs.keys() | new.organisations.keys()):
        before, after = old_orgs.get(org_id), new.organisations.get(org_id)
        named = after or before
        assert named is not None
        section = Section(words.text(named.name))
        if before is None:
            section.lines.append(words("new_organisation"))
        elif after is None:
            section.lines.append(words("removed_organisation"))
        else:
            section.lines += organisation_changes(words, before, after)
        section.lines += services_changes(words, before, after)
        if section.lines:
            sections.append(section)
    return sections


def services_changes(words: Words, before: Organisation | None, after: Organisation | None) -> list[str]:
    old = {service.id: service for service in (before.services if before else [])}
    new = {service.id: service for service in (after.services if after else [])}
    lines: list[str] = []
    for service_id in sorted(old.keys() | new.keys()):
        was, now = old.get(service_id), new.get(service_id)
        if was is None and now is not None:
            lines.append(words("new_service", name=words.text(now.name)))
        elif now is None and was is not None:
            lines.append(words("removed_service", name=words.text(was.name)))
        elif was is not None and now is not None:
            name = words.text(now.name)
            lines += [f"{name}: {line}" for line in service_changes(words, was, now)]
    return lines


def service_changes(words: Words, was: Service, now: Service) -> list[str]:
    """One service's changes, in the order a reader cares about: reachability first."""
    assert words.new is not None
    lines: list[str] = []
    if was.name != now.name:
        lines.append(words("name_changed", old=words.text(was.name), new=words.text(now.name)))
    if was.status != now.status:
        lines.append(words("status_changed", old=words(f"status_{was.status.value}"),
                           new=words(f"status_{now.status.value}")))
    lines += channel_changes(words, was.channels, now.channels)
    lines += hours_changes(words, was.hours, now.hours)
    lines += notice_changes(words, _notice(words.old, was), words.new.notice(now))
    if was.cost != now.cost:
        lines.append(words("cost_changed", old=_cost(words, was), new=_cost(words, now)))
    for kind in ("counties", "needs", "first_contact_for", "audiences", "languages"):
        lines += terms_changes(words, kind, getattr(was, kind), getattr(now, kind))
    if was.description != now.description:
        lines.append(words("description_changed"))
    if was.front_door != now.front_door:
        lines.append(words("front_door_changed"))
    lines += record_changes(words, was, now, SERVICE_SAID)
    return lines


def _notice(directory: Directory | None, service: Service) -> LocalizedText | None:
    return directory.notice(service) if directory is not None else service.notice


def _cost(words: Words, service: Service) -> str:
    return words(f"cost_{service.cost.value}") if service.cost is not None else words("cost_unknown")


def record_changes(words: Words, was: Service | Organisation, now: Service | Organisation,
                   said: set[str]) -> list[str]:
    """What every record has: internal note, sources, the day it was checked, and the fields not said above."""
    lines: list[str] = []
    if getattr(was, "internal_note", None) != getattr(now, "internal_note", None):
        lines.append(words("internal_note_changed"))
    if (was.source, getattr(was, "sources", []), was.source_to_verify) != (
            now.source, getattr(now, "sources", []), now.source_to_verify):
        lines.append(words("sources_changed"))
    if was.verified != now.verified:
        lines.append(words("checked_on", date=now.verified.isoformat()))
    others = sorted(name for name in type(now).model_fields
                    if name not in said and getattr(was, name) != getattr(now, name))
    if others:
        lines.append(words("other_changed", fields=", ".join(others)))
    return lines


def terms_changes(words: Words, kind: str, was: Sequence[str], now: Sequence[str]) -> list[str]:
    taxonomy = "needs" if kind == "first_contact_for" else kind
    added = [words.term(taxonomy, term) for term in now if term not in was]
    removed = [words.term(taxonomy, term) for term in was if term not in now]
    lines = []
    if added:
        lines.append(words("terms_added", what=words(f"what_{kind}"), names=", ".join(added)))
    if removed:
        lines.append(words("terms_removed", what=words(f"what_{kind}"), names=", ".join(removed)))
    return lines


def notice_changes(words: Words, was: LocalizedText | None, now: LocalizedText | None) -> list[str]:
    """Only current notices count: an expired one is withheld like a secret, so it is never printed."""
    if was == now:
        return []
    if now is None:
        return [words("notice_removed")]
    return [words("notice_added" if was is None else "notice_changed", text=words.text(now))]


# Opening hours --------------------------------------------------------------------------------------------


def open_days(expression: str) -> set[int]:
    """Weekdays (0 = Monday) on which a place opens or is open at noon, in an ordinary week: a night line
    open 19:00-07:00 belongs to the evening it opens, not to the morning after."""
    days: set[int] = set()
    for begin, end in hours.week_intervals(expression, REFERENCE_MONDAY):
        days.add(begin // 1440)
        days.update(day for day in range(7) if begin <= day * 1440 + 720 < end)
    return days


def hours_changes(words: Words, was: str | None, now: str | None) -> list[str]:
    """Said in words where the days changed ("now closed on Sundays"), else as the two expressions."""
    if was == now:
        return []
    if was is None:
        assert now is not None
        return [words("hours_added", new=now)]
    if now is None:
        return [words("hours_removed")]
    before, after = open_days(was), open_days(now)
    said = []
    if before - after:
        said.append(words("now_closed_on", days=words.days(before - after)))
    if after - before:
        said.append(words("now_open_on", days=words.days(after - before)))
    if said:
        return [words("hours_changed_words", words="; ".join(said))]
    return [words("hours_changed", old=was, new=now)]


# Contacts -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """A channel or a phone as compared: its kind, its value, and whether the public may see the value."""

    kind: str
    value: str
    public: bool
    hours: str | None = None


def _channel(channel: Channel) -> Contact:
    value = channel.number or channel.url or channel.email or channel.location or ""
    return Contact(channel.type.value, str(value), channel.verified, channel.hours)


def _phone(phone: Phone) -> Contact:
    return Contact("phone", str(phone.number), phone.verified)


def channel_changes(words: Words, was: Sequence[Channel], now: Sequence[Channel]) -> list[str]:
    return contact_changes(words, [_channel(c) for c in was], [_channel(c) for c in now])


def contact_changes(words: Words, was: Sequence[Contact], now: Sequence[Contact]) -> list[str]:
    """Same value: confirmation or hours changed; otherwise a removed and an added contact of one kind are
    one change ("phone changed from ... to ..."). A value to verify is never printed."""
    lines: list[str] = []
    old = {(c.kind, c.value): c for c in was}
    new = {(c.kind, c.value): c for c in now}
    for key in [k for k in new if k in old]:
        lines += _same_contact(words, old[key], new[key])
    removed = [c for k, c in old.items() if k not in new]
    added = [c for k, c in new.items() if k not in old]
    for kind in dict.fromkeys(c.kind for c in [*removed, *added]):
        gone = [c for c in removed if c.kind == kind]
        came = [c for c in added if c.kind == kind]
        for before, after in zip(gone, came, strict=False):
            lines.append(_replaced(words, before, after))
        lines += [_removed(words, c) for c in gone[len(came):]]
        lines += [_added(words, c) for c in came[len(gone):]]
    return lines


def _kind(words: Words, contact: Contact) -> str:
    return words(f"kind_{contact.kind}")


def _same_contact(words: Words, before: Contact, after: Contact) -> list[str]:
    lines = []
    if before.public and not after.public:
        lines.append(words("contact_to_verify", kind=_kind(words, after)))  # the value is withheld from now on
    elif after.public and not before.public:
        lines.append(words("contact_verified", kind=_kind(words, after), new=after.value))
    if before.hours != after.hours:
        shown = _kind(words, after) + (f" {after.value}" if after.public and before.public else "")
        lines += [words("channel_hours", kind=shown, change=line)
                  for line in hours_changes(words, before.hours, after.hours)]
    return lines


def _replaced(words: Words, before: Contact, after: Contact) -> str:
    kind = _kind(words, after)
    if before.public and after.public:
        return words("contact_changed", kind=kind, old=before.value, new=after.value)
    if after.public:
        return words("contact_changed_to", kind=kind, new=after.value)
    return words("contact_changed_hidden", kind=kind)


def _removed(words: Words, contact: Contact) -> str:
    if contact.public:
        return words("contact_removed", kind=_kind(words, contact), old=contact.value)
    return words("contact_removed_to_verify", kind=_kind(words, contact))


def _added(words: Words, contact: Contact) -> str:
    if contact.public:
        return words("contact_added", kind=_kind(words, contact), new=contact.value)
    return words("contact_added_to_verify", kind=_kind(words, contact))


# Organisations and their places ---------------------------------------------------------------------------


def _org_contacts(organisation: Organisation) -> list[Contact]:
    contacts = [_phone(phone) for phone in organisation.phones]
    if organisation.website:
        contacts.append(Contact("website", organisation.website, organisation.website_to_verify is None))
    if organisation.email:
        contacts.append(Contact("email", organisation.email, organisation.email_to_verify is None))
    return contacts


def organisation_changes(words: Words, was: Organisation, now: Organisation) -> list[str]:
    lines: list[str] = []
    if was.name != now.name:
        lines.append(words("name_changed", old=words.text(was.name), new=words.text(now.name)))
    lines += contact_changes(words, _org_contacts(was), _org_contacts(now))
    lines += locations_changes(words, was.locations, now.locations)
    if was.description != now.description:
        lines.append(words("description_changed"))
    lines += record_changes(words, was, now, ORGANISATION_SAID)
    return lines


def _address(address: Address | None) -> str:
    if address is None:
        return "-"
    return ", ".join(filter(None, (address.address_1, address.postal_code, address.city)))


def _whereabouts(location: Location) -> tuple[Any, ...]:
    return (location.address, location.latitude, location.longitude, location.transportation,
            location.front_door, location.accessibility)


def locations_changes(words: Words, was: Sequence[Location], now: Sequence[Location]) -> list[str]:
    """A confidential place is only ever said to have changed: its address, position and directions are
    secret however it changed."""
    old = {location.id: location for location in was}
    new = {location.id: location for location in now}
    lines: list[str] = []
    for location_id in sorted(old.keys() | new.keys()):
        before, after = old.get(location_id), new.get(location_id)
        if before is None and after is not None:
            lines.append(words("confidential_location_added") if after.confidential else
                         words("location_added", name=words.text(after.name), address=_address(after.address)))
        elif after is None and before is not None:
            lines.append(words("confidential_location_removed") if before.confidential else
                         words("location_removed", name=words.text(before.name)))
        elif before is not None and after is not None:
            lines += _location_change(words, before, after)
    return lines


def _location_change(words: Words, before: Location, after: Location) -> list[str]:
    if before.confidential or after.confidential:
        if not before.confidential:
            return [words("location_now_confidential", name=words.text(after.name))]
        changed = _whereabouts(before) != _whereabouts(after) or before.confidential != after.confidential
        return [words("confidential_location_changed")] if changed or before.name != after.name else []
    name = words.text(after.name)
    lines = []
    if before.name != after.name:
        lines.append(words("name_changed", old=words.text(before.name), new=name))
    if (before.address, before.latitude, before.longitude) != (after.address, after.latitude, after.longitude):
        lines.append(words("location_address_changed", name=name, old=_address(before.address),
                           new=_address(after.address)))
    if (before.transportation, before.front_door, before.accessibility) != (
            after.transportation, after.front_door, after.accessibility):
        lines.append(words("location_details_changed", name=name))
    return lines


# Printing -------------------------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def markdown_text(text: str) -> str:
    """Data as literal Markdown text: no markup, no HTML (a job summary renders both)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render(sections: Sequence[Section], lang: str, fmt: str) -> str:
    """The report as plain text or Markdown."""
    table = strings(lang)
    if fmt == "markdown":
        return _render(sections, table, f"## {table['title']}\n", "### {}", "- {}", markdown_text)
    return _render(sections, table, "", "{}", "  - {}", lambda text: text)


def _render(sections: Sequence[Section], table: dict[str, str], head: str, title: str, item: str,
            escape: Callable[[str], str]) -> str:
    if not sections:
        return head + ("\n" if head else "") + escape(table["no_changes"]) + "\n"
    parts = [head] if head else []
    for section in sections:
        parts.append(title.format(escape(section.title)))
        parts += [item.format(escape(line)) for line in section.lines]
        parts.append("")
    return "\n".join(parts)
