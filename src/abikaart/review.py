"""Which records are due for re-verification, and whom to call to check them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from abikaart import phones
from abikaart.directory import Directory


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

    def text(self) -> str:
        overdue = "OVERDUE " if self.due < dt.date.today() else ""
        return (f"{overdue}{self.due.isoformat()}  {self.kind} {self.id} ({self.name}), last verified "
                f"{self.verified.isoformat()}, {self.file}; call {self.contact}")


def _contact(directory: Directory, service_id: str | None, organisation_id: str) -> str:
    """The best number or address to check a record with: a confirmed one of the service, else of the
    organisation, and only then an unconfirmed one (calling it is also how it gets confirmed)."""
    organisation = directory.organisations[organisation_id]
    channels = directory.services[service_id].channels if service_id else []
    candidates = [
        *[(c.verified, (c.number and phones.display(c.number)) or c.email) for c in channels],
        *[(p.verified, phones.display(p.number)) for p in organisation.phones],
    ]
    for wanted in (True, False):
        for verified, contact in candidates:
            if verified is wanted and contact:
                return contact
    return organisation.email or organisation.website or organisation.source


def due_records(directory: Directory, today: dt.date, include_all: bool = False) -> list[Due]:
    """Records whose `verified` date plus `review_every` has passed, oldest first."""
    rows: list[Due] = []
    for org in directory.organisations.values():
        rows.append(Due("organisation", org.id, org.name.get("et"), directory.files[f"organisation:{org.id}"],
                        org.verified, org.verified + dt.timedelta(days=org.review_every),
                        _contact(directory, None, org.id)))
    for service in directory.services.values():
        org_id = directory.organisation_of[service.id]
        rows.append(Due("service", service.id, service.name.get("et"), directory.files[f"service:{service.id}"],
                        service.verified, service.verified + dt.timedelta(days=service.review_every),
                        _contact(directory, service.id, org_id)))
    if not include_all:
        rows = [row for row in rows if row.due <= today]
    return sorted(rows, key=lambda row: (row.verified, row.kind, row.id))
