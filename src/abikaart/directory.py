"""The loaded, validated directory and the queries every output needs.

The site, the exports, the statistics and the CLI all stand on one in-memory `Directory`, loaded once;
so a rule (what is public, what "open now" means) lives in one place.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from abikaart import hours, numbers, validation
from abikaart.loading import Document, Loc, find_files, format_loc
from abikaart.models import Channel, LocalizedText, Location, Organisation, Phone, Service, Taxonomy, Term
from abikaart.problems import Problem, has_errors, shown

TAXONOMY_KINDS = ("needs", "audiences", "counties", "channels", "languages")


@dataclass
class Directory:
    """All organisations, services and taxonomies, with lookups by id."""

    root: Path
    taxonomies: dict[str, dict[str, Term]]
    organisations: dict[str, Organisation] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    organisation_of: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    """Where each record was read from, keyed `organisation:<id>` / `service:<id>`."""
    today: dt.date = field(default_factory=dt.date.today)
    """The day the directory was loaded for: notices past their `notice_until` are gone from then on."""

    # What is public: the one rule every output (pages, lists, emergency bar, exports) asks. ------------

    def notice(self, service: Service) -> LocalizedText | None:
        """The service's notice while it is current; None once `notice_until` has passed."""
        if service.notice is None or (service.notice_until is not None and service.notice_until < self.today):
            return None
        return service.notice

    def public_channels(self, service: Service) -> list[Channel]:
        """Channels that may be published: a `to_verify` contact stays internal."""
        return service.public_channels

    def public_phones(self, organisation: Organisation) -> list[Phone]:
        """The organisation's general numbers that may be published."""
        return [phone for phone in organisation.phones if phone.verified]

    def public_website(self, organisation: Organisation) -> str | None:
        """The website, unless it is marked `website_to_verify`."""
        return None if organisation.website_to_verify else organisation.website

    def public_email(self, organisation: Organisation) -> str | None:
        """The e-mail address, unless it is marked `email_to_verify`."""
        return None if organisation.email_to_verify else organisation.email

    def public_sources(self, record: Organisation | Service) -> list[str]:
        """`source`, then `sources`; none at all while `source_to_verify` is set (a page then says the
        source is being checked, not a link)."""
        if record.source_to_verify:
            return []
        return [record.source, *getattr(record, "sources", [])]

    def sources_withheld(self, record: Organisation | Service) -> bool:
        """Whether the record's source links are withheld from public outputs."""
        return record.source_to_verify is not None

    def term(self, kind: str, term_id: str) -> Term | None:
        return self.taxonomies.get(kind, {}).get(term_id)

    def organisation(self, service: Service | str) -> Organisation:
        """The organisation that offers a service."""
        service_id = service if isinstance(service, str) else service.id
        return self.organisations[self.organisation_of[service_id]]

    def location(self, service: Service, location_id: str) -> Location | None:
        """One of the offering organisation's locations."""
        return next((loc for loc in self.organisation(service).locations if loc.id == location_id), None)

    def services_for_need(self, need: str) -> list[Service]:
        return self._sorted(s for s in self.services.values() if need in s.needs)

    def services_in_county(self, county: str) -> list[Service]:
        """Services for people in a county: local ones and nationwide ones."""
        return self._sorted(
            s for s in self.services.values() if county in s.counties or validation.NATIONWIDE in s.counties
        )

    def always_open(self) -> list[Service]:
        """Services with a public channel open round the clock: the lines shown on every page."""
        return self._sorted(s for s in self.services.values() if is_always_open(s))

    def _sorted(self, services: Iterator[Service] | Any) -> list[Service]:
        return sorted(services, key=lambda s: s.name.get("et").casefold())


def is_always_open(service: Service) -> bool:
    """Whether some public channel of the service is open 24/7."""
    return any(
        (expression := channel.hours or service.hours) is not None and hours.is_always_open(expression)
        for channel in service.public_channels
    )


def is_open(service: Service, when: dt.datetime) -> bool | None:
    """Whether some public channel is open at `when`; None when no hours are known."""
    expressions = [channel.hours or service.hours for channel in service.public_channels]
    known = [expression for expression in expressions if expression]
    if not known:
        return None
    return any(hours.is_open(expression, when) for expression in known)


@dataclass
class LoadResult:
    """The directory (None when any error was found) and every problem, errors and warnings."""

    directory: Directory | None
    problems: list[Problem]
    files: int

    @property
    def ok(self) -> bool:
        return self.directory is not None


# Loading ------------------------------------------------------------------------------------------------


def _load_taxonomies(root: Path, base: Path, problems: list[Problem]) -> dict[str, dict[str, Term]]:
    taxonomies: dict[str, dict[str, Term]] = {kind: {} for kind in TAXONOMY_KINDS}
    for path in find_files(root / "taxonomies"):
        taxonomy, doc = validation.read_model(path, base, Taxonomy, problems)
        if taxonomy is None:
            continue
        for index, term in enumerate(taxonomy.terms):
            if term.id in taxonomies[taxonomy.kind]:
                line, col = doc.mark(("terms", index, "id"))
                problems.append(Problem(doc.path, line, col, f"terms[{index}].id",
                                        f"duplicate {taxonomy.kind} term {shown(term.id)}", "give each term its own id",
                                        code="duplicate_id"))
            taxonomies[taxonomy.kind][term.id] = term
    for kind in TAXONOMY_KINDS:
        if not taxonomies[kind]:
            where = str((root / "taxonomies" / f"{kind}.yaml").relative_to(base)) if root.is_relative_to(base) \
                else str(root / "taxonomies" / f"{kind}.yaml")
            problems.append(Problem(where, 1, 1, "", f"the {kind} taxonomy is missing",
                                    f"create taxonomies/{kind}.yaml with 'kind: {kind}' and its terms",
                                    code="missing_taxonomy"))
    return taxonomies


@dataclass
class _Record:
    """A validated service and where it came from, for the cross-file checks."""

    service: Service
    doc: Document
    loc: Loc
    organisation: str


def _load_records(root: Path, base: Path, problems: list[Problem],
                  ) -> tuple[list[tuple[Organisation, Document]], list[_Record]]:
    organisations: list[tuple[Organisation, Document]] = []
    records: list[_Record] = []
    for path in find_files(root / "organisations"):
        organisation, doc = validation.read_model(path, base, Organisation, problems)
        if organisation is None:
            continue
        organisations.append((organisation, doc))
        for index, service in enumerate(organisation.services):
            loc: Loc = ("services", index)
            if service.organisation not in (None, organisation.id):
                line, col = doc.mark((*loc, "organisation"))
                problems.append(Problem(doc.path, line, col, f"services[{index}].organisation",
                                        f"{shown(service.organisation)} differs from the file's organisation "
                                        f"{shown(organisation.id)}", "remove 'organisation:' here",
                                        code="bad_reference"))
            records.append(_Record(service, doc, loc, organisation.id))
    for path in find_files(root / "services"):
        standalone, doc = validation.read_model(path, base, Service, problems)
        if standalone is None:
            continue
        if standalone.organisation is None:
            line, col = doc.mark(())
            problems.append(Problem(doc.path, line, col, "organisation", "required field 'organisation' is missing",
                                    "add 'organisation:' with the id of the organisation that offers it",
                                    code="missing"))
            continue
        records.append(_Record(standalone, doc, (), standalone.organisation))
    return organisations, records


def _check_ids(organisations: list[tuple[Organisation, Document]], records: list[_Record],
               problems: list[Problem]) -> None:
    """Ids are unique across all files; each duplicate names where the first one is."""
    seen: dict[str, tuple[Document, Loc]] = {}
    for organisation, doc in organisations:
        if not _claim(seen, f"organisation {shown(organisation.id)}", doc, ("id",), problems):
            continue  # its locations would only repeat the same mistake
        for index, location in enumerate(organisation.locations):
            _claim(seen, f"location {shown(location.id)} in {shown(organisation.id)}", doc,
                   ("locations", index, "id"), problems)
    for record in records:
        _claim(seen, f"service {shown(record.service.id)}", record.doc, (*record.loc, "id"), problems)


def _claim(seen: dict[str, tuple[Document, Loc]], what: str, doc: Document, loc: Loc,
           problems: list[Problem]) -> bool:
    """Record where `what` is defined; a second definition is a problem naming the first. False if taken.

    Positions are looked up only for a duplicate: finding them costs a second parse of the file.
    """
    if what not in seen:
        seen[what] = (doc, loc)
        return True
    first_doc, first_loc = seen[what]
    line, col = doc.mark(loc)
    problems.append(Problem(doc.path, line, col, format_loc(loc),
                            f"duplicate {what}, first defined at {first_doc.path}:{first_doc.mark(first_loc)[0]}",
                            "choose another id, or remove the copy", code="duplicate_id"))
    return False


def _check_references(directory: Directory, records: list[_Record], problems: list[Problem]) -> None:
    taxonomies = directory.taxonomies
    for record in records:
        service, doc, loc = record.service, record.doc, record.loc
        if record.organisation not in directory.organisations:
            line, col = doc.mark((*loc, "organisation"))
            guess = validation.did_you_mean(record.organisation, directory.organisations)
            problems.append(Problem(doc.path, line, col, format_loc((*loc, "organisation")),
                                    f"no organisation has the id {shown(record.organisation)}",
                                    f"did you mean {guess!r}?" if guess else "add its file under organisations/",
                                    code="bad_reference"))
            continue
        problems.extend(validation.check_terms(doc, (*loc, "needs"), service.needs, taxonomies["needs"], "needs"))
        problems.extend(validation.check_first_contact(doc, loc, service))
        problems.extend(validation.check_terms(doc, (*loc, "audiences"), service.audiences,
                                               taxonomies["audiences"], "audiences"))
        problems.extend(validation.check_terms(doc, (*loc, "counties"), service.counties, taxonomies["counties"],
                                               "counties", extra=[validation.NATIONWIDE]))
        problems.extend(validation.check_terms(doc, (*loc, "counties_to_verify"),
                                               [claim.county for claim in service.counties_to_verify],
                                               taxonomies["counties"], "counties"))
        problems.extend(validation.check_terms(doc, (*loc, "languages"), service.languages,
                                               taxonomies["languages"], "languages"))
        organisation = directory.organisations[record.organisation]
        location_ids = {location.id for location in organisation.locations}
        for index, channel in enumerate(service.channels):
            channel_loc = (*loc, "channels", index)
            if channel.languages:
                problems.extend(validation.check_terms(doc, (*channel_loc, "languages"), channel.languages,
                                                       taxonomies["languages"], "languages"))
            if channel.location and channel.location not in location_ids:
                line, col = doc.mark((*channel_loc, "location"))
                guess = validation.did_you_mean(channel.location, location_ids)
                problems.append(Problem(doc.path, line, col, format_loc((*channel_loc, "location")),
                                        f"{shown(organisation.id)} has no location {shown(channel.location)}",
                                        f"did you mean {guess!r}?" if guess else "add it under 'locations:'",
                                        code="bad_reference"))
        for index, ref in enumerate(service.see_also):
            if ref not in directory.services:
                line, col = doc.mark((*loc, "see_also", index))
                guess = validation.did_you_mean(ref, directory.services)
                problems.append(Problem(doc.path, line, col, format_loc((*loc, "see_also", index)),
                                        f"no service has the id {shown(ref)}",
                                        f"did you mean {guess!r}?" if guess else "use the id of a service",
                                        code="bad_reference"))


def _check_hidden_places(organisations: list[tuple[Organisation, Document]], records: list[_Record],
                         problems: list[Problem]) -> None:
    """No whereabouts of a confidential place anywhere: in its own fields or its services' texts."""
    by_organisation: dict[str, list[tuple[Document, Loc, Service]]] = {}
    for record in records:
        by_organisation.setdefault(record.organisation, []).append((record.doc, record.loc, record.service))
    for organisation, doc in organisations:
        if any(location.confidential for location in organisation.locations):
            problems.extend(validation.check_hidden_places(doc, organisation, by_organisation.get(organisation.id, ())))


def _warnings(directory: Directory, organisations: list[tuple[Organisation, Document]],
              records: list[_Record], today: dt.date) -> list[Problem]:
    urgent = {term.id for term in directory.taxonomies["needs"].values() if term.urgent}
    always_open = {service.id for service in directory.services.values() if is_always_open(service)}
    found: list[Problem] = []
    for organisation, doc in organisations:
        found.extend(validation.check_translations(doc, organisation.model_copy(update={"services": []})))
        found.extend(validation.check_review(doc, (), organisation.verified, organisation.review_every, today))
    for record in records:
        found.extend(validation.check_translations(record.doc, record.service, record.loc))
        found.extend(validation.check_review(record.doc, record.loc, record.service.verified,
                                             record.service.review_every, today))
        found.extend(validation.check_urgent_reach(record.doc, record.loc, record.service, urgent, always_open))
    return found


def load_directory(root: Path | str, base: Path | None = None, today: dt.date | None = None) -> LoadResult:
    """Load and validate every file under `root`; the directory is None if any error was found.

    Problems name files relative to `base` (by default the current folder, as editors and CI expect).
    """
    with _gc_paused():
        return _load(Path(root).resolve(), (base or Path.cwd()).resolve(), today or dt.date.today())


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector while loading, as mypy does while parsing.

    Loading makes millions of objects that all stay alive (nodes, positions, models) and no cycles, so the
    collector's passes over the growing heap find nothing; at 10,000 services they took more than half
    the time and made it grow faster than the data. Reference counting still frees garbage meanwhile.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(root: Path, base: Path, today: dt.date) -> LoadResult:
    if not root.is_relative_to(base):
        base = root.parent
    problems: list[Problem] = []
    taxonomies = _load_taxonomies(root, base, problems)
    organisations, records = _load_records(root, base, problems)
    _check_ids(organisations, records, problems)
    directory = Directory(root=root, taxonomies=taxonomies, today=today)
    for organisation, doc in organisations:
        directory.organisations.setdefault(organisation.id, organisation)
        directory.files.setdefault(f"organisation:{organisation.id}", doc.path)
    for record in records:
        directory.services.setdefault(record.service.id, record.service)
        directory.organisation_of.setdefault(record.service.id, record.organisation)
        directory.files.setdefault(f"service:{record.service.id}", record.doc.path)
    _check_references(directory, records, problems)
    registry = numbers.load_registry(root, base, problems)
    for organisation, doc in organisations:
        problems.extend(numbers.check_numbers(registry, doc, organisation))
        problems.extend(numbers.check_text_numbers(registry, doc, organisation))
    for record in records:
        problems.extend(numbers.check_numbers(registry, record.doc, record.service, record.loc))
        problems.extend(numbers.check_text_numbers(registry, record.doc, record.service, record.loc))
        problems.extend(validation.check_reachable(record.doc, record.loc, record.service))
    _check_hidden_places(organisations, records, problems)
    for record in records:
        owner = directory.organisations.get(record.organisation)
        if record.loc == () and owner is not None and record.service not in owner.services:
            owner.services.append(record.service)
    files = len(find_files(root))
    if has_errors(problems):
        return LoadResult(None, problems, files)
    problems.extend(_warnings(directory, organisations, records, today))
    return LoadResult(directory, problems, files)


# Loading once per process -----------------------------------------------------------------------------------

Fingerprint = tuple[tuple[str, int, int], ...]
_LOADED: dict[Path, tuple[Fingerprint, LoadResult]] = {}


def fingerprint(root: Path) -> Fingerprint:
    """Every data file's path, modification time and size: a change to any of them means reload."""
    found = []
    for path in find_files(root):
        stat = path.stat()
        found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def load_cached(root: Path) -> LoadResult:
    """Load and validate once per process, again only after a file changed.

    mkdocs-static-i18n runs the whole build once per language and `mkdocs serve` rebuilds on every edit;
    both site plugins (public and internal) share this, so neither validates the directory three times.
    """
    root = root.resolve()
    current = fingerprint(root)
    cached = _LOADED.get(root)
    if cached and cached[0] == current:
        return cached[1]
    result = load_directory(root)
    _LOADED[root] = (current, result)
    return result


def remember(root: Path, result: LoadResult) -> None:
    """Keep a result the CLI already loaded, so the build does not validate the directory twice."""
    root = root.resolve()
    _LOADED[root] = (fingerprint(root), result)


def loaded_fingerprint(root: Path) -> Fingerprint | None:
    """The fingerprint of the files the cached result was loaded from, if any."""
    cached = _LOADED.get(root.resolve())
    return cached[0] if cached else None
