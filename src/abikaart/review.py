"""What waits for a person to check: every contact marked to verify, and records due for re-verification.

One rule for `abikaart stale` and the internal site's "to verify" page, so both show the same queue in the
same order: every `to_verify` contact at once (not only when a review interval expires), the most urgent
first (services open 24/7 or serving an urgent need, then the rest), each with the contact to call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from abikaart import hours, phones
from abikaart.directory import Directory
from abikaart.models import Channel, LocalizedText, Organisation, Service


@dataclass(frozen=True)
class Pending:
    """One contact waiting to be confirmed: whose, what it is, why it is not confirmed, whom to call."""

    urgent: bool
    kind: str
    """"organisation" or "service": whose contact it is."""
    id: str
    name: LocalizedText
    organisation: LocalizedText
    contact_type: str
    """A channel type (phone, chat, email, ...), or `website`, `source` for an organisation's or record's, or
    `county` for a county claim in conflict."""
    value: str
    """The contact as plain text: a number as people read it, an address, a location's name."""
    reason: str
    file: str
    check_with: str

    def text(self) -> str:
        urgent = "URGENT  " if self.urgent else ""
        return (f"{urgent}{self.kind} {self.id} ({self.name.get('et')}): {self.contact_type} {self.value} "
                f"to verify: {self.reason}; {self.file}; check with {self.check_with}")


@dataclass(frozen=True)
class Due:
    """One record to re-verify: what, where it lives, when it was last checked, whom to call."""

    kind: str
    id: str
    name: str
    file: str
    verified: dt.date
    due: dt.date
    contact: str
    today: dt.date

    def text(self) -> str:
        overdue = "OVERDUE " if self.due < self.today else ""
        return (f"{overdue}{self.due.isoformat()}  {self.kind} {self.id} ({self.name}), last verified "
                f"{self.verified.isoformat()}, {self.file}; call {self.contact}")


def is_urgent(directory: Directory, service: Service) -> bool:
    """Whether a wrong or missing contact would hurt most: a service for an urgent need, or one that says it
    is open 24/7 (on any channel, confirmed or not)."""
    needs = directory.taxonomies.get("needs", {})
    if any(need in needs and needs[need].urgent for need in service.needs):
        return True
    return any((expression := channel.hours or service.hours) is not None and hours.is_always_open(expression)
               for channel in service.channels)


def _number(channel: Channel) -> str | None:
    return phones.display(channel.number) if channel.number else None


def check_with(directory: Directory, organisation: Organisation, service: Service | None = None,
               pending: str | None = None) -> str:
    """Whom to call to confirm something: a confirmed number of the service, else of the organisation; else
    the `pending` number itself (calling it is how it gets confirmed); else a public e-mail, website, or the
    record's source."""
    confirmed = [_number(channel) for channel in directory.public_channels(service)] if service else []
    confirmed += [phones.display(phone.number) for phone in directory.public_phones(organisation)]
    if found := next((number for number in confirmed if number), None):
        return found
    if pending:
        return pending
    emails = [channel.email for channel in directory.public_channels(service) if channel.email] if service else []
    return next(iter(emails), None) or directory.public_email(organisation) \
        or directory.public_website(organisation) or (service.source if service else organisation.source)


def _channel_value(directory: Directory, service: Service, channel: Channel) -> str:
    if channel.number:
        return phones.display(channel.number)
    if channel.email or channel.url:
        return channel.email or channel.url or ""
    location = directory.location(service, channel.location or "")
    return location.name.get("et") if location else ""


def _organisation_pending(directory: Directory, organisation: Organisation, urgent: bool) -> Iterator[Pending]:
    file = directory.files[f"organisation:{organisation.id}"]

    def pending(contact_type: str, value: str, reason: str, number: str | None = None) -> Pending:
        return Pending(urgent, "organisation", organisation.id, organisation.name, organisation.name, contact_type,
                       value, reason, file, check_with(directory, organisation, None, number))

    for phone in organisation.phones:
        if phone.to_verify:
            number = phones.display(phone.number)
            yield pending("phone", number, phone.to_verify, number)
    if organisation.website and organisation.website_to_verify:
        yield pending("website", organisation.website, organisation.website_to_verify)
    if organisation.email and organisation.email_to_verify:
        yield pending("email", organisation.email, organisation.email_to_verify)
    if organisation.source_to_verify:
        yield pending("source", organisation.source, organisation.source_to_verify)


def _service_pending(directory: Directory, organisation: Organisation, service: Service) -> Iterator[Pending]:
    file = directory.files[f"service:{service.id}"]
    urgent = is_urgent(directory, service)
    for channel in service.channels:
        if channel.to_verify:
            value = _channel_value(directory, service, channel)
            yield Pending(urgent, "service", service.id, service.name, organisation.name, channel.type.value, value,
                          channel.to_verify, file, check_with(directory, organisation, service, _number(channel)))
    for claim in service.counties_to_verify:
        county = directory.term("counties", claim.county)
        yield Pending(urgent, "service", service.id, service.name, organisation.name, "county",
                      county.name.get("et") if county else claim.county, claim.to_verify, file,
                      check_with(directory, organisation, service))
    if service.source_to_verify:
        links = " ".join([service.source, *service.sources])
        yield Pending(urgent, "service", service.id, service.name, organisation.name, "source", links,
                      service.source_to_verify, file, check_with(directory, organisation, service))


def pending_contacts(directory: Directory) -> list[Pending]:
    """Every `to_verify` contact of the directory (channels, phones, websites, e-mails, sources, county claims in
    conflict), urgent ones
    first, then in the order of the files."""
    found: list[Pending] = []
    for organisation in sorted(directory.organisations.values(), key=lambda o: o.id):
        services = sorted(organisation.services, key=lambda s: s.id)
        urgent = any(is_urgent(directory, service) for service in services)
        found.extend(_organisation_pending(directory, organisation, urgent))
        for service in services:
            found.extend(_service_pending(directory, organisation, service))
    return sorted(found, key=lambda item: not item.urgent)


def due_records(directory: Directory, today: dt.date, include_all: bool = False) -> list[Due]:
    """Records whose `verified` date plus `review_every` has passed, oldest first."""
    rows: list[Due] = []
    for org in directory.organisations.values():
        rows.append(Due("organisation", org.id, org.name.get("et"), directory.files[f"organisation:{org.id}"],
                        org.verified, org.verified + dt.timedelta(days=org.review_every),
                        check_with(directory, org), today))
    for service in directory.services.values():
        org = directory.organisation(service)
        rows.append(Due("service", service.id, service.name.get("et"), directory.files[f"service:{service.id}"],
                        service.verified, service.verified + dt.timedelta(days=service.review_every),
                        check_with(directory, org, service), today))
    if not include_all:
        rows = [row for row in rows if row.due <= today]
    return sorted(rows, key=lambda row: (row.verified, row.kind, row.id))
