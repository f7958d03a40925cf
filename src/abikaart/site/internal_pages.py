"""Page models of the internal site's generated pages: referral lists, "to verify", reports and the dashboard.

The same data -> page model -> template path as the public site (`pages.py`, `render.py`): each service on a
referral page is a `pages.ServicePage` built with `audience="internal"`, so it carries the contacts to verify
(marked by the shared `contact_item` macro) and the internal note; the templates are in
`templates/pages/internal/`, autoescaped like every other page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from abikaart.coverage import CSV_FILES, Figures, State, csv_name
from abikaart.directory import Directory, is_always_open
from abikaart.models import Service, Status
from abikaart.review import Due, Pending
from abikaart.site import pages
from abikaart.site.pages import Link, ServicePage, Text, text

ROOT = "_generated"
PATHS = pages.Paths(ROOT)
"""Service pages of the public site do not exist here: the shared models need paths, the templates print names."""


def referral_path(need: str) -> str:
    return f"{ROOT}/referrals/{need}.md"


REFERRAL_INDEX = f"{ROOT}/referrals/index.md"
TO_VERIFY = f"{ROOT}/to-verify.md"
REPORTS = f"{ROOT}/reports.md"
DASHBOARD = f"{ROOT}/dashboard.md"
CSV_FOLDER = f"{ROOT}/dashboard"
"""The dashboard's CSV files, next to its page's index.html in the built site."""


@dataclass(frozen=True, slots=True)
class SeeAlso:
    """Another service: a link to its block on a referral page, or only its name when it is closed."""

    title: Text
    path: str | None
    anchor: str


@dataclass(frozen=True, slots=True)
class ReferralService:
    page: ServicePage
    id: str
    organisation: Text
    see_also: list[SeeAlso]
    counties_to_verify: list[tuple[Text, str]]


@dataclass(frozen=True, slots=True)
class ReferralPage:
    path: str
    lang: str
    today: dt.date
    title: Text
    need: Text
    urgent: bool
    services: list[ReferralService]


@dataclass(frozen=True, slots=True)
class NeedRow:
    link: Link
    urgent: bool
    services: int
    always_open: bool


@dataclass(frozen=True, slots=True)
class ReferralIndexPage:
    path: str
    lang: str
    today: dt.date
    needs: list[NeedRow]


@dataclass(frozen=True, slots=True)
class ToVerifyPage:
    path: str
    lang: str
    today: dt.date
    queue: list[QueueRow]
    stale: list[StaleRow]


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One contact to verify: whose, what, why, where it lives and whom to call (`review.check_with`)."""

    urgent: bool
    name: Text
    organisation: Text | None
    kind: Text
    value: str
    reason: str
    file: str
    check_with: str


@dataclass(frozen=True, slots=True)
class StaleRow:
    name: Text
    verified: dt.date
    due: dt.date
    file: str
    check_with: str


@dataclass(frozen=True, slots=True)
class Report:
    link: Link


@dataclass(frozen=True, slots=True)
class Period:
    name: str
    reports: list[Report]
    charts: int


@dataclass(frozen=True, slots=True)
class ReportsPage:
    path: str
    lang: str
    today: dt.date
    periods: list[Period]


@dataclass(frozen=True, slots=True)
class CoverageRow:
    """One need across the counties: each cell's state and number of local services."""

    need: Text
    urgent: bool
    cells: list[tuple[State, int]]


@dataclass(frozen=True, slots=True)
class CountyBar:
    """One county in the chart: how many needs have a local service, only nationwide ones, none."""

    county: Text
    local: int
    nationwide: int
    none: int


@dataclass(frozen=True, slots=True)
class Download:
    """A CSV file of the figures. The files are in the default language's folder only (mkdocs-static-i18n copies
    no static file into /ru/ or /en/), so `href` climbs to the site root."""

    key: str
    file: str
    rows: int
    href: str


@dataclass(frozen=True, slots=True)
class DashboardPage:
    path: str
    lang: str
    today: dt.date
    counties: list[Text]
    coverage: list[CoverageRow]
    bars: list[CountyBar]
    needs: int
    queue: list[QueueRow]
    stale: list[StaleRow]
    missing: list[tuple[Text, str, str, str]]
    """Record name, field, missing languages (their names), file."""
    urgent_gaps: list[tuple[Text, int]]
    downloads: list[Download] = field(default_factory=list)


InternalPage = ReferralPage | ReferralIndexPage | ToVerifyPage | ReportsPage | DashboardPage


# Referral lists ------------------------------------------------------------------------------------------


def referral_services(directory: Directory, need: str) -> list[Service]:
    """Services to refer to for a need: not closed; its first contacts (`first_contact_for`) first, then the
    round-the-clock ones, then by name."""
    services = [s for s in directory.services_for_need(need) if s.status != Status.CLOSED]
    return sorted(services, key=lambda s: (need not in s.first_contact_for, not is_always_open(s)))


def _term(directory: Directory, kind: str, term_id: str, lang: str) -> Text:
    term = directory.term(kind, term_id)
    return text(term.name, lang) if term else Text(term_id, lang)


def _referral_service(directory: Directory, service: Service, lang: str) -> ReferralService:
    see_also = []
    for ref in service.see_also:
        other = directory.services.get(ref)
        if other is not None:  # a closed service has no block on any referral page: named, not linked
            path = None if other.status == Status.CLOSED else referral_path(other.needs[0])
            see_also.append(SeeAlso(text(other.name, lang), path, other.id))
    conflicts = [(_term(directory, "counties", claim.county, lang), claim.to_verify)
                 for claim in service.counties_to_verify]
    return ReferralService(pages.service_page(directory, service, lang, PATHS, "internal"), service.id,
                           text(directory.organisation(service).name, lang), see_also, conflicts)


def referral_page(directory: Directory, need: str, today: dt.date, lang: str, title: str) -> ReferralPage:
    """One need's referral list; `title` is the page title with the need's name in it."""
    term = directory.taxonomies["needs"][need]
    services = [_referral_service(directory, s, lang) for s in referral_services(directory, need)]
    return ReferralPage(referral_path(need), lang, today, Text(title, lang), text(term.name, lang),
                        bool(term.urgent), services)


def referral_index(directory: Directory, today: dt.date, lang: str) -> ReferralIndexPage:
    """All needs, urgent ones first, with how many services and whether one is open round the clock."""
    needs = sorted(directory.taxonomies["needs"].values(), key=lambda t: (not t.urgent, t.name.get(lang).casefold()))
    rows = []
    for term in needs:
        services = referral_services(directory, term.id)
        rows.append(NeedRow(Link(text(term.name, lang), referral_path(term.id)), bool(term.urgent), len(services),
                            any(is_always_open(s) for s in services)))
    return ReferralIndexPage(REFERRAL_INDEX, lang, today, rows)


# To verify -----------------------------------------------------------------------------------------------


def _contact_kind(directory: Directory, item: Pending, lang: str, labels: dict[str, str]) -> Text:
    if item.kind == "organisation" and item.contact_type == "phone":
        return Text(labels["int_org_phone"], lang)
    if item.contact_type in ("website", "source", "county"):
        return Text(labels[f"int_kind_{item.contact_type}"], lang)
    return _term(directory, "channels", item.contact_type, lang)


def queue_rows(directory: Directory, queue: list[Pending], lang: str, labels: dict[str, str]) -> list[QueueRow]:
    """`review.pending_contacts` (the queue `abikaart stale` prints, urgent first) in `lang`."""
    return [QueueRow(item.urgent, text(item.name, lang),
                     text(item.organisation, lang) if item.kind == "service" else None,
                     _contact_kind(directory, item, lang, labels), item.value, item.reason, item.file, item.check_with)
            for item in queue]


def stale_rows(directory: Directory, due: list[Due], lang: str) -> list[StaleRow]:
    rows = []
    for row in due:
        record = directory.organisations[row.id] if row.kind == "organisation" else directory.services[row.id]
        rows.append(StaleRow(text(record.name, lang), row.verified, row.due, row.file, row.contact))
    return rows


def to_verify_page(directory: Directory, found: Figures, lang: str, labels: dict[str, str]) -> ToVerifyPage:
    return ToVerifyPage(TO_VERIFY, lang, found.today, queue_rows(directory, found.queue, lang, labels),
                        stale_rows(directory, found.stale, lang))


# Reports -------------------------------------------------------------------------------------------------


def _report_title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def reports_page(reports: Path, today: dt.date, lang: str) -> ReportsPage:
    """What the statistics notebook has written into reports/<period>/, newest period first."""
    periods = sorted((p for p in reports.iterdir() if p.is_dir()), reverse=True) if reports.is_dir() else []
    found = []
    for period in periods:
        # Only pages in the default language (no .ru/.en suffix) are linked: those exist in every build.
        files = sorted(p for p in period.glob("*.md") if p.suffixes[-2:-1] not in ([".ru"], [".en"]))
        links = [Report(Link(Text(_report_title(p), lang), f"{reports.name}/{period.name}/{p.name}")) for p in files]
        charts = sum(p.suffix in {".png", ".svg"} for p in period.iterdir())
        found.append(Period(period.name, links, charts))
    return ReportsPage(REPORTS, lang, today, found)


# Dashboard -----------------------------------------------------------------------------------------------


def dashboard_page(directory: Directory, found: Figures, lang: str, labels: dict[str, str]) -> DashboardPage:
    """The coverage table and chart, the queue, stale records, missing translations and urgent gaps."""
    rows = []
    for need in found.needs:
        cells = [(found.cell(county, need).state, found.cell(county, need).local) for county in found.counties]
        rows.append(CoverageRow(_term(directory, "needs", need, lang),
                                bool(directory.taxonomies["needs"][need].urgent), cells))
    bars = [CountyBar(_term(directory, "counties", county, lang), **found.county_totals(county))
            for county in found.counties]
    missing = []
    for item in found.missing:
        names = ", ".join(labels[f"int_lang_{code}"] for code in item.langs)
        missing.append((text(item.name, lang), item.field, names, item.file))
    counts = {"coverage": len(found.cells), "queue": len(found.queue), "stale": len(found.stale),
              "translations": len(found.missing), "urgent": len(found.urgent_gaps)}
    root = "../" * (DASHBOARD.count("/") + (1 if lang == "et" else 2))
    downloads = [Download(key, csv_name(key, lang), counts[key], f"{root}{CSV_FOLDER}/{csv_name(key, lang)}")
                 for key in CSV_FILES]
    return DashboardPage(
        DASHBOARD, lang, found.today, [_term(directory, "counties", c, lang) for c in found.counties], rows, bars,
        len(found.needs), queue_rows(directory, found.queue, lang, labels), stale_rows(directory, found.stale, lang),
        missing, [(_term(directory, "needs", gap.need, lang), gap.services) for gap in found.urgent_gaps], downloads)
