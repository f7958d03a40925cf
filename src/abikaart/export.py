"""Public exports of the directory: our own JSON, a flat CSV per language (no cell a spreadsheet would run as a
formula, see `csv_cell`), and HSDS 3.0 JSON per language.

Only the public view leaves this module: unverified contacts (`to_verify`), internal notes, who verified a record
and how often, and the address and position of confidential locations (shelters, safe houses) are dropped; a
confidential location keeps only its name and its front door. HSDS has no translated text, so there is one HSDS
file per language; its ids are uuid5 of our ids, so they stay the same from one export to the next.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from abikaart import directory as directory_module
from abikaart import hours, phones
from abikaart.directory import Directory
from abikaart.models import LANGS, Channel, ChannelType, Cost, LocalizedText, Location, Organisation, Service, Status
from abikaart.strings import strings, upper_first
from abikaart.validation import NATIONWIDE, channel_languages

Record = dict[str, Any]

NAMESPACE = uuid.UUID("7fe62607-a550-4761-a806-698e47e2d5a5")
"""abikaart's uuid5 namespace. Never change it: every published HSDS id would change with it."""

SERVICE_PRIVATE = frozenset({"internal_note", "verified_by", "review_every", "source_to_verify", "notice",
                             "notice_until", "source", "sources", "counties_to_verify"})
ORGANISATION_PRIVATE = frozenset({"verified_by", "review_every", "website_to_verify", "email_to_verify",
                                  "source_to_verify", "website", "email", "source"})
"""Never dumped as they are: bookkeeping, reasons to verify, and the fields the directory's public rule
decides (notices, sources, website, e-mail), which `public_service`/`public_organisation` add back."""
PUBLIC_LOCATION_FIELDS = frozenset({"id", "name", "confidential", "front_door"})
"""All that is published of a confidential location."""

HSDS_STATUS = {Status.ACTIVE: "active", Status.TEMPORARILY_CLOSED: "temporarily closed", Status.CLOSED: "defunct"}
HSDS_PHONE_TYPE = {ChannelType.PHONE: "voice", ChannelType.SMS: "text"}
"""RFC 6350 phone types, as HSDS asks."""
URL_CHANNELS = (ChannelType.CHAT, ChannelType.VIDEO, ChannelType.WEB_FORM, ChannelType.APP)
ISO_639_3 = {"et-sign": "ekk"}
"""Language terms whose id is not an ISO 639-1 code."""



def _label(key: str, lang: str) -> str:
    """An interface word from `templates/strings*.yaml` (one translation for the sites and the exports)."""
    return strings()[lang][key]


def _cost_name(cost: Cost, lang: str) -> str:
    return upper_first(_label(f"cost_{cost.value}", lang))


TAXONOMY_NAME = {"needs": "abikaart needs", "audiences": "abikaart audiences"}
REFERENCE_WEEKS = (dt.date(2026, 3, 9), dt.date(2026, 6, 8), dt.date(2026, 9, 7), dt.date(2026, 11, 23))
"""Mondays of ordinary weeks (no public holiday) in each season: hours that agree on all four are weekly."""
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY = 24 * 60


_display = lru_cache(maxsize=65536)(phones.display)
_e164 = lru_cache(maxsize=65536)(phones.e164)
"""Formatting with phonenumbers is slow, and every number is written once per language and format."""


@lru_cache(maxsize=65536)
def uid(*parts: str) -> str:
    """A stable UUID for one of our records, from its kind and ids (cached: terms and organisations repeat)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


# The public view ------------------------------------------------------------------------------------------


def public_location(location: Location) -> Record:
    """A location as it may be published: a confidential one keeps only its name and its front door."""
    if location.confidential:
        return location.model_dump(mode="json", exclude_none=True, include=set(PUBLIC_LOCATION_FIELDS))
    return location.model_dump(mode="json", exclude_none=True)


def _public_sources(directory: Directory, record: Organisation | Service, data: Record) -> None:
    """`source` (and a service's `sources`) as the directory allows: none while they are being checked."""
    found = directory.public_sources(record)
    if found:
        data["source"] = found[0]
        if isinstance(record, Service) and found[1:]:
            data["sources"] = found[1:]


def public_service(directory: Directory, service: Service) -> Record:
    """A service without its internal note, review bookkeeping, unverified contacts or sources, or an expired
    notice."""
    data = service.model_dump(mode="json", exclude_none=True, exclude={*SERVICE_PRIVATE, "channels", "organisation"})
    data["channels"] = [
        channel.model_dump(mode="json", exclude_none=True, exclude={"to_verify"})
        for channel in directory.public_channels(service)
    ]
    if (notice := directory.notice(service)) is not None:
        data["notice"] = notice.model_dump(mode="json")
        if service.notice_until:
            data["notice_until"] = service.notice_until.isoformat()
    _public_sources(directory, service, data)
    return data


def public_organisation(directory: Directory, organisation: Organisation) -> Record:
    """An organisation, its public contacts, its locations (public view) and its services (public view)."""
    data = organisation.model_dump(
        mode="json", exclude_none=True, exclude={*ORGANISATION_PRIVATE, "phones", "locations", "services"}
    )
    if website := directory.public_website(organisation):
        data["website"] = website
    if email := directory.public_email(organisation):
        data["email"] = email
    _public_sources(directory, organisation, data)
    data["phones"] = [
        phone.model_dump(mode="json", exclude_none=True, exclude={"to_verify"})
        for phone in directory.public_phones(organisation)
    ]
    data["locations"] = [public_location(location) for location in organisation.locations]
    data["services"] = [public_service(directory, service) for service in organisation.services]
    return data


# Our JSON -------------------------------------------------------------------------------------------------


def to_json(directory: Directory) -> Record:
    """The whole public directory in our own shape, every language, taxonomies included."""
    return {
        "format": "abikaart",
        "version": 1,
        "languages": list(LANGS),
        "taxonomies": {
            kind: [term.model_dump(mode="json", exclude_none=True) for term in terms.values()]
            for kind, terms in directory.taxonomies.items()
        },
        "organisations": [public_organisation(directory, org) for org in directory.organisations.values()],
    }


# CSV ------------------------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "id", "organisation_id", "organisation", "name", "description", "needs", "audiences", "counties", "languages",
    "phone", "sms", "chat", "video", "web_form", "app", "email", "in_person", "front_door", "hours", "always_open",
    "cost", "cost_note", "confidential", "anonymous", "referral_required", "eligibility", "accessibility", "status",
    "notice", "notice_until", "source", "verified", "verified_how",
)
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
"""First characters that make a spreadsheet read a cell as a formula: OWASP's list (=, +, -, @, tab, carriage
return), with line feed and NUL (OWASP ASVS 1.2.10) as well."""
CSV_TEXT_MARK = "'"
"""The spreadsheet convention for "the rest of this cell is text", put in front of such cells."""


def _services(directory: Directory) -> Iterator[tuple[Organisation, Service]]:
    for organisation in directory.organisations.values():
        for service in organisation.services:
            yield organisation, service


def _text(value: LocalizedText | None, lang: str) -> str:
    return value.get(lang) if value is not None else ""


def _terms(directory: Directory, kind: str, ids: Iterable[str], lang: str) -> str:
    names = []
    for term_id in ids:
        term = directory.term(kind, term_id)
        names.append(term.name.get(lang) if term else _label("nationwide", lang) if term_id == NATIONWIDE else term_id)
    return "; ".join(names)


def _flag(value: bool | None) -> str:
    return "" if value is None else str(value).lower()


def _contact(channel: Channel) -> str:
    """The channel's contact as a person would use it (the location is handled apart)."""
    if channel.number:
        return _display(channel.number)
    return channel.url or channel.email or ""


def _in_person(directory: Directory, service: Service, lang: str) -> str:
    places = []
    for channel in directory.public_channels(service):
        location = directory.location(service, channel.location) if channel.location else None
        if location is None:
            continue
        if location.confidential:
            places.append(f"{location.name.get(lang)}: {_text(location.front_door, lang)}")
        elif location.address:
            places.append(f"{location.name.get(lang)}, {location.address.address_1}, {location.address.city}")
        else:
            places.append(location.name.get(lang))
    return "; ".join(places)


def _hours_summary(directory: Directory, service: Service, lang: str) -> str:
    """One expression when every channel shares it, else each channel's hours, split by ' | '."""
    groups = _hours_groups(directory, service)
    if len(groups) == 1:
        return next(iter(groups))
    return " | ".join(
        f"{', '.join(_channel_label(directory, service, channel, lang) for channel in channels)}: {expression}"
        for expression, channels in groups.items()
    )


def _csv_row(directory: Directory, organisation: Organisation, service: Service, lang: str) -> dict[str, str]:
    channels = directory.public_channels(service)
    notice = directory.notice(service)

    def contacts(kind: ChannelType) -> str:
        return "; ".join(_contact(channel) for channel in channels if channel.type == kind)

    return {
        "id": service.id,
        "organisation_id": organisation.id,
        "organisation": organisation.name.get(lang),
        "name": service.name.get(lang),
        "description": service.description.get(lang),
        "needs": _terms(directory, "needs", service.needs, lang),
        "audiences": _terms(directory, "audiences", service.audiences, lang),
        "counties": _terms(directory, "counties", service.counties, lang),
        "languages": _terms(directory, "languages", service.languages, lang),
        "phone": contacts(ChannelType.PHONE),
        "sms": contacts(ChannelType.SMS),
        "chat": contacts(ChannelType.CHAT),
        "video": contacts(ChannelType.VIDEO),
        "web_form": contacts(ChannelType.WEB_FORM),
        "app": contacts(ChannelType.APP),
        "email": contacts(ChannelType.EMAIL),
        "in_person": _in_person(directory, service, lang),
        "front_door": _text(service.front_door, lang),
        "hours": _hours_summary(directory, service, lang),
        "always_open": _flag(directory_module.is_always_open(service)),
        "cost": _cost_name(service.cost, lang) if service.cost else "",
        "cost_note": _text(service.cost_note, lang),
        "confidential": _flag(service.confidential),
        "anonymous": _flag(service.anonymous),
        "referral_required": _flag(service.referral_required),
        "eligibility": _text(service.eligibility, lang),
        "accessibility": _text(service.accessibility, lang),
        "status": service.status.value,
        "notice": _text(notice, lang),
        "notice_until": service.notice_until.isoformat() if notice and service.notice_until else "",
        "source": next(iter(directory.public_sources(service)), ""),
        "verified": service.verified.isoformat(),
        "verified_how": service.verified_how.value,
    }


def csv_cell(value: str) -> str:
    """`value` as a cell no spreadsheet runs as a formula (OWASP's CSV-injection guidance).

    A value that begins, after any spaces, with one of `CSV_FORMULA_START` (a phone number's `+372` too) gets a
    leading apostrophe, which Excel and LibreOffice take as "this is text"; so does a value that already begins with
    an apostrophe, so that a program gets every value back by dropping one leading apostrophe (`csv_value`)."""
    if value.startswith(CSV_TEXT_MARK) or value.lstrip(" ").startswith(CSV_FORMULA_START):
        return CSV_TEXT_MARK + value
    return value


def csv_value(cell: str) -> str:
    """The value a cell written by `csv_cell` stands for: what a program reading our CSV should do to each cell."""
    return cell.removeprefix(CSV_TEXT_MARK)


def to_csv(directory: Directory, lang: str) -> str:
    """One row per service in `lang` (Estonian where a text has no translation); lists joined with '; '.

    Every cell goes through `csv_cell`, so opening the file in a spreadsheet never evaluates a formula."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writerow({column: csv_cell(column) for column in CSV_COLUMNS})
    for organisation, service in _services(directory):
        row = _csv_row(directory, organisation, service, lang)
        writer.writerow({column: csv_cell(value) for column, value in row.items()})
    return out.getvalue()


# HSDS 3.0 -------------------------------------------------------------------------------------------------


def _channel_label(directory: Directory, service: Service, channel: Channel, lang: str) -> str:
    """'Phone +372 5123 4567', 'Chat https://...', 'In person Counselling centre', in `lang`."""
    term = directory.term("channels", channel.type.value)
    kind = term.name.get(lang) if term else channel.type.value
    location = directory.location(service, channel.location) if channel.location else None
    contact = location.name.get(lang) if location else _contact(channel)
    return f"{kind} {contact}" if contact else kind


def _hours_groups(directory: Directory, service: Service) -> dict[str, list[Channel]]:
    """Public channels by the opening hours that apply to them (their own, else the service's)."""
    groups: dict[str, list[Channel]] = {}
    for channel in directory.public_channels(service):
        expression = channel.hours or service.hours
        if expression:
            groups.setdefault(expression, []).append(channel)
    return groups


@lru_cache(maxsize=4096)
def _day_spans(expression: str) -> tuple[tuple[int, int, int], ...] | None:
    """(weekday, opens, closes) in minutes, when the hours repeat every week; None when they do not.

    Cached: the same expressions recur across services, and each is needed once per language."""
    weeks = [hours.week_intervals(expression, monday) for monday in REFERENCE_WEEKS]
    if any(week != weeks[0] for week in weeks[1:]):
        return None
    spans = []
    for start, end in weeks[0]:
        while start < end:
            day = start // DAY
            stop = min(end, (day + 1) * DAY)
            spans.append((day, start - day * DAY, stop - day * DAY))
            start = stop
    return tuple(spans)


def _clock(minutes: int) -> str:
    """HH:MM; the end of the day is 23:59, as 24:00 is not a time most readers accept."""
    minutes = min(minutes, DAY - 1)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _hsds_schedules(directory: Directory, service: Service, lang: str) -> list[Record]:
    """One schedule per weekly opening (byday, opens_at, closes_at); the OSM text always in `description`."""
    schedules = []
    for expression, channels in _hours_groups(directory, service).items():
        base = {
            "service_id": uid("service", service.id),
            "description": expression,
            "attending_type": ", ".join(_channel_label(directory, service, channel, lang) for channel in channels),
            "notes": _label("export_local_time", lang),
        }
        spans = _day_spans(expression)
        if not spans:
            schedules.append({"id": uid("service", service.id, "schedule", expression), **base})
            continue
        days_by_time: dict[tuple[int, int], list[int]] = {}
        for day, opens, closes in spans:
            days_by_time.setdefault((opens, closes), []).append(day)
        for (opens, closes), days in sorted(days_by_time.items(), key=lambda item: (item[1][0], item[0])):
            byday = ",".join(WEEKDAYS[day] for day in sorted(set(days)))
            schedules.append({
                "id": uid("service", service.id, "schedule", expression, byday, _clock(opens)),
                **base,
                "freq": "WEEKLY",
                "wkst": "MO",
                "byday": byday,
                "opens_at": _clock(opens),
                "closes_at": _clock(closes),
            })
    return schedules


def _language(directory: Directory, code: str, lang: str, *owner: str) -> Record:
    term = directory.term("languages", code)
    return {
        "id": uid(*owner, "language", code),
        "name": term.name.get(lang) if term else code,
        "code": ISO_639_3.get(code, code),
    }


def _hsds_phones(directory: Directory, service: Service, lang: str) -> list[Record]:
    found = []
    seen: dict[tuple[str, ...], int] = {}
    for channel in directory.public_channels(service):
        if channel.type not in HSDS_PHONE_TYPE or not channel.number:
            continue
        owner: tuple[str, ...] = ("service", service.id, "channel", channel.type.value, _e164(channel.number))
        seen[owner] = seen.get(owner, 0) + 1
        if seen[owner] > 1:  # the same number twice, e.g. one menu option per language
            owner = (*owner, str(seen[owner]))
        phone: Record = {
            "id": uid(*owner),
            "service_id": uid("service", service.id),
            "number": _display(channel.number),
            "type": HSDS_PHONE_TYPE[channel.type],
            "languages": [_language(directory, code, lang, *owner) for code in channel_languages(channel, service)],
        }
        if channel.description:
            phone["description"] = channel.description.get(lang)
        found.append(phone)
    return found


def _hsds_areas(directory: Directory, service: Service, lang: str) -> list[Record]:
    return [
        {
            "id": uid("service", service.id, "area", county),
            "service_id": uid("service", service.id),
            "name": _terms(directory, "counties", [county], lang),
        }
        for county in service.counties
    ]


def _taxonomy_term(directory: Directory, kind: str, term_id: str, lang: str) -> Record:
    term = directory.taxonomies[kind][term_id]
    name = term.name.get(lang)
    return {
        "id": uid("term", kind, term_id),
        "code": term_id,
        "name": name,
        "description": _text(term.description, lang) or name,
        "taxonomy": TAXONOMY_NAME[kind],
        "taxonomy_id": uid("taxonomy", kind),
        "taxonomy_detail": {
            "id": uid("taxonomy", kind),
            "name": TAXONOMY_NAME[kind],
            "description": f"The {kind} of abikaart, the help directory of Estonia's victim support service.",
        },
        "language": lang,
    }


def _hsds_attributes(directory: Directory, service: Service, lang: str) -> list[Record]:
    """Needs and audiences as taxonomy terms linked to the service."""
    attributes = []
    for kind, link_type, ids in (("needs", "need", service.needs), ("audiences", "audience", service.audiences)):
        for term_id in ids:
            term = _taxonomy_term(directory, kind, term_id, lang)
            attributes.append({
                "id": uid("service", service.id, kind, term_id),
                "link_id": uid("service", service.id),
                "link_type": link_type,
                "link_entity": "service",
                "taxonomy_term_id": term["id"],
                "taxonomy_term": term,
            })
    return attributes


def _hsds_location(organisation: Organisation, location: Location, lang: str) -> Record:
    """An HSDS location; a confidential one has no address, coordinates or directions, only its front door."""
    record: Record = {
        "id": uid("location", organisation.id, location.id),
        "location_type": "physical",
        "organization_id": uid("organisation", organisation.id),
        "name": location.name.get(lang),
    }
    if location.confidential:
        record["description"] = _text(location.front_door, lang)
        return record
    if location.transportation:
        record["transportation"] = location.transportation.get(lang)
    if location.latitude is not None and location.longitude is not None:
        record["latitude"], record["longitude"] = location.latitude, location.longitude
    if location.address:
        address = location.address
        record["addresses"] = [{
            "id": uid("location", organisation.id, location.id, "address"),
            "location_id": record["id"],
            "address_1": address.address_1,
            "city": address.city,
            "state_province": address.county,
            "postal_code": address.postal_code or "",
            "country": "EE",
            "address_type": "physical",
        }]
    return record


def _hsds_service_at_locations(directory: Directory, service: Service, lang: str) -> list[Record]:
    organisation = directory.organisation(service)
    places = []
    for channel in directory.public_channels(service):
        location = directory.location(service, channel.location) if channel.location else None
        if location is None:
            continue
        places.append({
            "id": uid("service", service.id, "location", location.id),
            "service_id": uid("service", service.id),
            "location_id": uid("location", organisation.id, location.id),
            "location": _hsds_location(organisation, location, lang),
        })
    return places


def _hsds_organisation(directory: Directory, organisation: Organisation, lang: str) -> Record:
    record: Record = {
        "id": uid("organisation", organisation.id),
        "name": organisation.name.get(lang),
        "description": organisation.description.get(lang),
        "phones": [
            {
                "id": uid("organisation", organisation.id, "phone", _e164(phone.number)),
                "organization_id": uid("organisation", organisation.id),
                "number": _display(phone.number),
                "type": "voice",
                **({"description": phone.description.get(lang)} if phone.description else {}),
            }
            for phone in directory.public_phones(organisation)
        ],
        "locations": [_hsds_location(organisation, location, lang) for location in organisation.locations],
    }
    if organisation.alternate_name:
        record["alternate_name"] = organisation.alternate_name.get(lang)
    if website := directory.public_website(organisation):
        record["website"] = website
    if email := directory.public_email(organisation):
        record["email"] = email
    return record


def _fees(service: Service, lang: str) -> str:
    parts = [_cost_name(service.cost, lang)] if service.cost else []
    if service.cost_note:
        parts.append(service.cost_note.get(lang))
    return ". ".join(parts)


def _application_process(directory: Directory, service: Service, lang: str) -> str:
    """How to reach the service: its front door first, then each public channel with its hours."""
    steps = [service.front_door.get(lang)] if service.front_door else []
    steps += [
        _channel_label(directory, service, channel, lang)
        + (f" ({channel.hours or service.hours})" if channel.hours or service.hours else "")
        for channel in directory.public_channels(service)
    ]
    return "; ".join(steps)


def _hsds_service(directory: Directory, service: Service, lang: str, organisations: dict[str, Record]) -> Record:
    organisation = directory.organisation(service)
    channels = directory.public_channels(service)
    record: Record = {
        "id": uid("service", service.id),
        "organization_id": uid("organisation", organisation.id),
        "name": service.name.get(lang),
        "description": service.description.get(lang),
        "status": HSDS_STATUS[service.status],
        "application_process": _application_process(directory, service, lang),
        "assured_date": service.verified.isoformat(),
        "phones": _hsds_phones(directory, service, lang),
        "schedules": _hsds_schedules(directory, service, lang),
        "service_areas": _hsds_areas(directory, service, lang),
        "service_at_locations": _hsds_service_at_locations(directory, service, lang),
        "languages": [_language(directory, code, lang, "service", service.id) for code in service.languages],
        "organization": organisations[organisation.id],
        "contacts": [
            {
                "id": uid("service", service.id, "contact", channel.email),
                "service_id": uid("service", service.id),
                "name": _channel_label(directory, service, channel, lang),
                "email": channel.email,
            }
            for channel in channels
            if channel.email
        ],
        "attributes": _hsds_attributes(directory, service, lang),
    }
    url = next((channel.url for channel in channels if channel.type in URL_CHANNELS and channel.url), None)
    if url:
        record["url"] = url
    email = next((channel.email for channel in channels if channel.email), None)
    if email:
        record["email"] = email
    if fees := _fees(service, lang):
        record["fees_description"] = fees
        record["cost_options"] = [{
            "id": uid("service", service.id, "cost"),
            "service_id": uid("service", service.id),
            "option": fees,
            **({"amount": 0, "currency": "EUR"} if service.cost == Cost.FREE else {}),
        }]
    if service.eligibility:
        record["eligibility_description"] = service.eligibility.get(lang)
    if (notice := directory.notice(service)) is not None:
        record["alert"] = notice.get(lang)
    return record


def to_hsds(directory: Directory, lang: str) -> list[Record]:
    """Every service as an HSDS 3.0 `service` object (service_full: organization, phones, schedules nested).

    A notice is an `alert` while it is current on the directory's day (`Directory.today`)."""
    organisations = {org.id: _hsds_organisation(directory, org, lang) for org in directory.organisations.values()}
    return [_hsds_service(directory, service, lang, organisations) for _, service in _services(directory)]


# Files ----------------------------------------------------------------------------------------------------


_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _dumps(value: Any, depth: int) -> str:
    """JSON indented for `depth` levels, then one record a line (an organisation, a service): still readable
    and diffable, and each record goes through json's C encoder, which `indent` turns off (half the time)."""
    return _indented(value, depth, "") + "\n"


def _indented(value: Any, depth: int, indent: str) -> str:
    if depth and isinstance(value, (list, dict)) and value:
        inner = indent + "  "
        if isinstance(value, list):
            items = [inner + _indented(item, depth - 1, inner) for item in value]
            return "[\n" + ",\n".join(items) + "\n" + indent + "]"
        items = [f"{inner}{_ENCODER.encode(key)}: {_indented(item, depth - 1, inner)}"
                 for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    return _ENCODER.encode(value)


def render(directory: Directory, fmt: str, lang: str = "et") -> str:
    """One export as text: `json` (all languages), `csv` or `hsds` (in `lang`)."""
    if fmt == "json":
        return _dumps(to_json(directory), 2)
    if fmt == "csv":
        return to_csv(directory, lang)
    if fmt == "hsds":
        return _dumps(to_hsds(directory, lang), 1)
    raise ValueError(f"unknown export format {fmt!r}")


def file_name(fmt: str, lang: str) -> str:
    return {"json": "abikaart.json", "csv": f"abikaart-{lang}.csv", "hsds": f"hsds-{lang}.json"}[fmt]


def write_exports(directory: Directory, out_dir: Path, formats: Iterable[str] = ("json", "csv", "hsds"),
                  langs: Iterable[str] = LANGS) -> list[Path]:
    """Write abikaart.json, abikaart-<lang>.csv and hsds-<lang>.json; return the paths written.

    CSV files start with a byte-order mark so that spreadsheet programs read Estonian and Russian letters right.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        for lang in ("et",) if fmt == "json" else tuple(langs):
            path = out_dir / file_name(fmt, lang)
            path.write_text(render(directory, fmt, lang), encoding="utf-8-sig" if fmt == "csv" else "utf-8")
            written.append(path)
    return written
