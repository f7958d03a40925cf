"""The map's holes, as figures: county x need coverage, the verification queue, stale records, missing
translations and urgent needs without an out-of-hours contact.

Computed here once, without any rendering, so the internal site's dashboard and the coordinator's CSV files
(`abikaart dashboard --out DIR`) show the same numbers. Coverage is what a person can find on the public site:
closed services and unconfirmed channels do not count. The queue and the stale records are
`review.pending_contacts` and `review.due_records`, so whom to call is `review.check_with`'s answer everywhere.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from abikaart.directory import Directory
from abikaart.export import csv_cell
from abikaart.loading import format_loc
from abikaart.models import LANGS, LocalizedText, Organisation, Service, Status
from abikaart.review import Due, Pending, due_records, pending_contacts
from abikaart.site.finder import local_counties
from abikaart.validation import NATIONWIDE, localized_fields, reachable_out_of_hours

State = Literal["local", "nationwide", "none"]
STATES: tuple[State, ...] = ("local", "nationwide", "none")

@dataclass(frozen=True, slots=True)
class Cell:
    """One county and one need: how many services are given in the county, and how many for all of Estonia."""

    county: str
    need: str
    local: int
    nationwide: int

    @property
    def state(self) -> State:
        return "local" if self.local else "nationwide" if self.nationwide else "none"


@dataclass(frozen=True, slots=True)
class Missing:
    """A record's text that has no translation into some languages (the site shows the Estonian text)."""

    kind: str
    id: str
    name: LocalizedText
    file: str
    field: str
    langs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UrgentGap:
    """An urgent need whose services (if any) are all closed outside office hours, or have no known hours."""

    need: str
    services: int


@dataclass(frozen=True, slots=True)
class Figures:
    """Everything the dashboard shows and the CSV files hold."""

    today: dt.date
    counties: tuple[str, ...]
    needs: tuple[str, ...]
    cells: dict[tuple[str, str], Cell]
    queue: list[Pending]
    stale: list[Due]
    missing: list[Missing]
    urgent_gaps: list[UrgentGap]

    def cell(self, county: str, need: str) -> Cell:
        return self.cells[(county, need)]

    def county_totals(self, county: str) -> dict[State, int]:
        """How many needs the county has with a local service, with only nationwide ones, with none."""
        totals: dict[State, int] = dict.fromkeys(STATES, 0)
        for need in self.needs:
            totals[self.cell(county, need).state] += 1
        return totals


def _open_services(directory: Directory) -> list[Service]:
    return [service for service in directory.services.values() if service.status is not Status.CLOSED]


def coverage(directory: Directory) -> dict[tuple[str, str], Cell]:
    """Every county x need cell, counting services that are not closed."""
    services = [(service, set(local_counties(directory, service))) for service in _open_services(directory)]
    cells: dict[tuple[str, str], Cell] = {}
    for need in directory.taxonomies["needs"]:
        for_need = [(service, where) for service, where in services if need in service.needs]
        nationwide = sum(NATIONWIDE in service.counties for service, _ in for_need)
        for county in directory.taxonomies["counties"]:
            local = sum(county in where for _, where in for_need)
            cells[(county, need)] = Cell(county, need, local, nationwide)
    return cells


def out_of_hours(service: Service) -> bool:
    """Whether an active service has a public channel open outside office hours: `validation`'s rule (the one
    behind its warning for urgent needs), so the dashboard and `abikaart validate` agree."""
    return service.status is Status.ACTIVE and reachable_out_of_hours(service) is True


def urgent_gaps(directory: Directory) -> list[UrgentGap]:
    """Urgent needs (taxonomy order) with no service reachable out of hours."""
    gaps = []
    for need, term in directory.taxonomies["needs"].items():
        if not term.urgent:
            continue
        services = [s for s in _open_services(directory) if need in s.needs]
        if not any(out_of_hours(service) for service in services):
            gaps.append(UrgentGap(need, len(services)))
    return gaps


def _missing(kind: str, record: Organisation | Service, file: str) -> Iterator[Missing]:
    for loc, value in localized_fields(record):
        if kind == "organisation" and loc[0] == "services":
            continue  # each service is a row of its own
        langs = tuple(lang for lang in LANGS if not value.has(lang))
        if langs:
            yield Missing(kind, record.id, record.name, file, format_loc(loc), langs)


def missing_translations(directory: Directory) -> list[Missing]:
    """Texts without ru or en (the texts `abikaart validate` warns about), each organisation then its services."""
    found: list[Missing] = []
    for organisation in sorted(directory.organisations.values(), key=lambda o: o.id):
        found.extend(_missing("organisation", organisation, directory.files[f"organisation:{organisation.id}"]))
        for service in sorted(organisation.services, key=lambda s: s.id):
            found.extend(_missing("service", service, directory.files[f"service:{service.id}"]))
    return found


def figures(directory: Directory, today: dt.date) -> Figures:
    """All the dashboard's figures for `today`."""
    return Figures(
        today=today,
        counties=tuple(directory.taxonomies["counties"]),
        needs=tuple(directory.taxonomies["needs"]),
        cells=coverage(directory),
        queue=pending_contacts(directory),
        stale=due_records(directory, today),
        missing=missing_translations(directory),
        urgent_gaps=urgent_gaps(directory),
    )


# CSV -----------------------------------------------------------------------------------------------------


def _name(directory: Directory, kind: str, term_id: str, lang: str) -> str:
    term = directory.term(kind, term_id)
    return term.name.get(lang) if term else term_id


def _csv(header: list[str], rows: list[list[str]]) -> str:
    """Rows as CSV; every cell through `export.csv_cell`, so no spreadsheet runs a value as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[csv_cell(str(cell)) for cell in row] for row in rows])
    return out.getvalue()


CSV_FILES = ("coverage", "queue", "stale", "translations", "urgent")
"""The CSV files, each `<name>-<lang>.csv`: column names are stable ids, names are in the file's language."""


def csv_tables(directory: Directory, found: Figures, lang: str) -> dict[str, str]:
    """The figures as CSV files for the coordinator, by file name."""
    coverage_rows = [
        [cell.county, _name(directory, "counties", cell.county, lang), cell.need,
         _name(directory, "needs", cell.need, lang), cell.state, str(cell.local), str(cell.nationwide)]
        for cell in (found.cell(county, need) for county in found.counties for need in found.needs)]
    queue_rows = [["yes" if p.urgent else "no", p.kind, p.id, p.name.get(lang), p.contact_type, p.value, p.reason,
                   p.file, p.check_with] for p in found.queue]
    stale_rows = [[d.kind, d.id, d.name, d.verified.isoformat(), d.due.isoformat(), d.file, d.contact]
                  for d in found.stale]
    missing_rows = [[m.kind, m.id, m.name.get(lang), m.field, " ".join(m.langs), m.file] for m in found.missing]
    urgent_rows = [[g.need, _name(directory, "needs", g.need, lang), str(g.services)] for g in found.urgent_gaps]
    tables = {
        "coverage": _csv(["county", "county_name", "need", "need_name", "coverage", "local_services",
                          "nationwide_services"], coverage_rows),
        "queue": _csv(["urgent", "kind", "id", "name", "contact_type", "contact", "reason", "file", "check_with"],
                      queue_rows),
        "stale": _csv(["kind", "id", "name", "last_verified", "due", "file", "check_with"], stale_rows),
        "translations": _csv(["kind", "id", "name", "field", "missing", "file"], missing_rows),
        "urgent": _csv(["need", "need_name", "services"], urgent_rows),
    }
    return {csv_name(name, lang): tables[name] for name in CSV_FILES}


def csv_name(name: str, lang: str) -> str:
    """`coverage-et.csv`: a hyphen, not a dot, so mkdocs-static-i18n does not take `-et` for a language suffix."""
    return f"{name}-{lang}.csv"
