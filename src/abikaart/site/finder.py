"""The finder's data: every public service as compact JSON in a script file, one per language.

The finder page filters in the browser, so the data is a script (`<script src>`, allowed by the CSP's 'self'
and readable from `file://`, where fetch() is not). For the public site everything comes through the `Directory`
public API: no contact to verify, no expired notice, no confidential address. The internal site's data
(`audience="internal"`) adds the contacts to verify, marked with their reason, and the internal notes; a
confidential address is in neither. Opening times are computed here, with
opening-hours-py and the Estonian holidays, as open intervals in minutes from `base` (a UTC epoch) for the
next `DAYS` days: the browser only compares Date.now(), whatever the device's time zone, and the page says
when the data ends (the site is rebuilt daily).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import opening_hours

from abikaart import hours
from abikaart.directory import Directory
from abikaart.models import LANGS, Channel, Service
from abikaart.site import pages
from abikaart.validation import NATIONWIDE

DAYS = 14
"""Days of opening times in the data: the site is rebuilt daily, two weeks leave room for a missed build."""
KINDS = ("needs", "counties", "languages", "channels", "audiences")


def file_name(lang: str, audience: pages.Audience = "public") -> str:
    """`finder-<lang>.js`; the internal site's data (contacts to verify, internal notes) has its own name."""
    return f"finder-{lang}.js" if audience == "public" else f"finder-internal-{lang}.js"


def shown_channels(directory: Directory, service: Service, audience: pages.Audience) -> list[Channel]:
    """The public channels (`Directory.public_channels`, the one rule); for counsellors, then the contacts still to
    verify, which the data marks and the finder never counts as a match or as open."""
    public = directory.public_channels(service)
    if audience == "public":
        return public
    shown = {id(channel) for channel in public}
    return [*public, *(channel for channel in service.channels if id(channel) not in shown)]


def local_counties(directory: Directory, service: Service) -> list[str]:
    """Counties where the service is given: its own counties and the county of each public place it is given
    at (a hospital serving all of Estonia is still in its county). A confidential place has no address."""
    found = [county for county in service.counties if county != NATIONWIDE]
    for channel in directory.public_channels(service):
        location = directory.location(service, channel.location) if channel.location else None
        if location and not location.confidential and location.address and location.address.county not in found:
            found.append(location.address.county)
    return found


def open_intervals(expression: str, start: dt.datetime, days: int) -> list[int]:
    """Open intervals as a flat [begin, end, ...] list of minutes from `start` (aware, Tallinn midnight),
    adjacent ones merged so a night line crossing midnight is one interval."""
    local = start.astimezone(hours.TIMEZONE).replace(tzinfo=None)
    base = start.timestamp()
    flat: list[int] = []
    for begin, finish, state, _comment in hours.parse(expression).intervals(local, local + dt.timedelta(days=days)):
        if state != opening_hours.State.OPEN:
            continue
        a = round((begin.replace(tzinfo=hours.TIMEZONE).timestamp() - base) / 60)
        b = round((finish.replace(tzinfo=hours.TIMEZONE).timestamp() - base) / 60)
        if flat and flat[-1] >= a:
            flat[-1] = max(flat[-1], b)
        else:
            flat += [a, b]
    return flat


def tallinn_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=hours.TIMEZONE)


def finder_data(directory: Directory, lang: str, paths: pages.Paths, start_day: dt.date,
                here: str = "finder.md", days: int = DAYS, audience: pages.Audience = "public",
                link: Callable[[Service], str] | None = None) -> dict[str, Any]:
    """The finder's data for one language: terms, shared schedules and services (indices into both).

    `audience` "internal" (the counsellors' site only) adds each contact still to verify, with its reason as the
    channel's seventh field, and the internal note (`in`); `link` gives a service's address from the finder page
    (default: its public page)."""
    strings = _strings()[lang]
    start = tallinn_midnight(start_day)
    end = tallinn_midnight(start_day + dt.timedelta(days=days))
    terms = {kind: list(directory.taxonomies[kind]) for kind in KINDS}
    index = {kind: {term_id: i for i, term_id in enumerate(ids)} for kind, ids in terms.items()}
    schedules: list[list[int]] = []
    schedule_of: dict[str, int] = {}
    services = []
    for service in sorted(directory.services.values(), key=lambda s: s.name.get(lang).casefold()):
        if service.status.value == "closed":
            continue
        channels = []
        languages = set(service.languages)
        public = {id(channel) for channel in directory.public_channels(service)}
        for channel in shown_channels(directory, service, audience):
            shown = pages.contact(directory, service, channel, lang)
            expression = channel.hours or service.hours
            slot = None
            if expression:
                if expression not in schedule_of:
                    schedule_of[expression] = len(schedules)
                    schedules.append([-1] if hours.is_always_open(expression)
                                     else open_intervals(expression, start, days))
                slot = schedule_of[expression]
            address = shown.place.address if shown.place and not shown.place.confidential else None
            display = shown.display or (shown.place.name.text if shown.place else "")
            row: list[Any] = [index["channels"].get(channel.type.value, -1), display, shown.href, slot,
                   pages.hours_text(expression, strings) if expression else "", address]
            if id(channel) in public:
                languages.update(channel.languages or [])
            else:  # to verify: no link to press, the reason instead
                row[2] = None
                row.append(channel.to_verify or "")
            channels.append(row)
        services.append({
            "n": service.name.get(lang), "o": directory.organisation(service).name.get(lang),
            "u": link(service) if link else pages.url_from(pages.Paths(paths.root).service(service.id), here),
            "id": service.id,
            "need": [index["needs"][x] for x in service.needs if x in index["needs"]],
            **({"first": [index["needs"][x] for x in service.first_contact_for if x in index["needs"]]}
               if service.first_contact_for else {}),
            "county": [index["counties"][x] for x in local_counties(directory, service) if x in index["counties"]],
            "nw": NATIONWIDE in service.counties,
            "lang": sorted(index["languages"][x] for x in languages if x in index["languages"]),
            "aud": [index["audiences"][x] for x in service.audiences if x in index["audiences"]],
            "free": service.cost is not None and service.cost.value == "free",
            "anon": bool(service.anonymous),
            "ch": channels,
            "v": service.verified.strftime("%d.%m.%Y"),
            **({"note": 1} if directory.notice(service) is not None or service.status.value != "active" else {}),
            **({"in": service.internal_note} if audience == "internal" and service.internal_note else {}),
        })
    return {
        "lang": lang, "base": int(start.timestamp()), "end": int(end.timestamp()),
        "endText": (end - dt.timedelta(minutes=1)).strftime("%d.%m.%Y"),
        "terms": {kind: [directory.taxonomies[kind][t].name.get(lang) for t in ids] for kind, ids in terms.items()},
        "schedules": schedules, "services": services,
    }


def list_entry(directory: Directory, service: Service, lang: str) -> dict[str, Any]:
    """A service as the list for the client holds it (client-list.js), for a search result: its public contacts
    as lines, written as finder.js writes them ("Phone: 116 006 — 24/7"), and the date it was checked."""
    strings = _strings()[lang]
    lines = []
    for channel in directory.public_channels(service):
        shown = pages.contact(directory, service, channel, lang)
        term = directory.term("channels", channel.type.value)
        address = shown.place.address if shown.place and not shown.place.confidential else None
        display = shown.display or (shown.place.name.text if shown.place else "")
        expression = channel.hours or service.hours
        lines.append(f"{term.name.get(lang) if term else ''}: {display}" + (f", {address}" if address else "")
                     + (f" — {pages.hours_text(expression, strings)}" if expression else ""))
    return {"id": service.id, "n": service.name.get(lang), "o": directory.organisation(service).name.get(lang),
            "lines": lines, "v": service.verified.strftime("%d.%m.%Y")}


def script(data: dict[str, Any]) -> str:
    """The data as a script: `<` escaped, so no text in it can close a script element."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f"window.abikaartFinderData={body};\n"


def write_finder_data(directory: Directory, out_dir: Path, paths: pages.Paths, start_day: dt.date | None = None,
                      audience: pages.Audience = "public", here: str = "finder.md",
                      link: Callable[[Service], str] | None = None) -> list[Path]:
    """`finder-<lang>.js` (public) or `finder-internal-<lang>.js` for every language into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in LANGS:
        target = out_dir / file_name(lang, audience)
        data = finder_data(directory, lang, paths, start_day or directory.today, here, audience=audience, link=link)
        target.write_text(script(data), encoding="utf-8")
        written.append(target)
    return written


def _strings() -> dict[str, dict[str, str]]:
    from abikaart.site.render import strings

    return strings()
