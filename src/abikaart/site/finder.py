"""The finder's data: every public service as compact JSON in a script file, one per language.

The finder page filters in the browser, so the data is a script (`<script src>`, allowed by the CSP's 'self'
and readable from `file://`, where fetch() is not). Everything comes through the `Directory` public API: no
contact to verify, no expired notice, no confidential address. Opening times are computed here, with
opening-hours-py and the Estonian holidays, as open intervals in minutes from `base` (a UTC epoch) for the
next `DAYS` days: the browser only compares Date.now(), whatever the device's time zone, and the page says
when the data ends (the site is rebuilt daily).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import opening_hours

from abikaart import hours
from abikaart.directory import Directory
from abikaart.models import LANGS, Service
from abikaart.site import pages
from abikaart.validation import NATIONWIDE

DAYS = 14
"""Days of opening times in the data: the site is rebuilt daily, two weeks leave room for a missed build."""
KINDS = ("needs", "counties", "languages", "channels", "audiences")


def file_name(lang: str) -> str:
    return f"finder-{lang}.js"


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
                here: str = "finder.md", days: int = DAYS) -> dict[str, Any]:
    """The finder's data for one language: terms, shared schedules and services (indices into both)."""
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
        for channel in directory.public_channels(service):
            shown = pages.contact(directory, service, channel, lang)
            expression = channel.hours or service.hours
            slot = None
            if expression:
                if expression not in schedule_of:
                    schedule_of[expression] = len(schedules)
                    schedules.append([-1] if hours.is_always_open(expression)
                                     else open_intervals(expression, start, days))
                slot = schedule_of[expression]
            languages.update(channel.languages or [])
            address = shown.place.address if shown.place and not shown.place.confidential else None
            display = shown.display or (shown.place.name.text if shown.place else "")
            channels.append([index["channels"].get(channel.type.value, -1), display, shown.href, slot,
                             pages.hours_text(expression, strings) if expression else "", address])
        services.append({
            "n": service.name.get(lang), "o": directory.organisation(service).name.get(lang),
            "u": pages.url_from(pages.Paths(paths.root).service(service.id), here),
            "id": service.id,
            "need": [index["needs"][x] for x in service.needs if x in index["needs"]],
            "county": [index["counties"][x] for x in local_counties(directory, service) if x in index["counties"]],
            "nw": NATIONWIDE in service.counties,
            "lang": sorted(index["languages"][x] for x in languages if x in index["languages"]),
            "aud": [index["audiences"][x] for x in service.audiences if x in index["audiences"]],
            "free": service.cost is not None and service.cost.value == "free",
            "anon": bool(service.anonymous),
            "ch": channels,
            "v": service.verified.strftime("%d.%m.%Y"),
            **({"note": 1} if directory.notice(service) is not None or service.status.value != "active" else {}),
        })
    return {
        "lang": lang, "base": int(start.timestamp()), "end": int(end.timestamp()),
        "endText": (end - dt.timedelta(minutes=1)).strftime("%d.%m.%Y"),
        "terms": {kind: [directory.taxonomies[kind][t].name.get(lang) for t in ids] for kind, ids in terms.items()},
        "schedules": schedules, "services": services,
    }


def script(data: dict[str, Any]) -> str:
    """The data as a script: `<` escaped, so no text in it can close a script element."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f"window.abikaartFinderData={body};\n"


def write_finder_data(directory: Directory, out_dir: Path, paths: pages.Paths,
                      start_day: dt.date | None = None) -> list[Path]:
    """`finder-<lang>.js` for every language into `out_dir` (the downloads folder)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in LANGS:
        target = out_dir / file_name(lang)
        target.write_text(script(finder_data(directory, lang, paths, start_day or directory.today)),
                          encoding="utf-8")
        written.append(target)
    return written


def _strings() -> dict[str, dict[str, str]]:
    from abikaart.site.render import strings

    return strings()
