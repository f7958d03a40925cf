"""What a county's printable leaflet says, in one language: the lines to call first, then the county's services.

A police station, a hospital or a local government office hands the leaflet to a victim, so it holds only
what may be published, taken through the `Directory` public API (`public_channels`, `notice`): no contact to
verify, no confidential place's address, no expired notice. The services and their order are the county
page's (`pages.county_services`): those with a place in the county first, then the nationwide ones. How it
looks on paper is `leaflet_pdf`; this module decides only what is on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from abikaart.directory import Directory
from abikaart.models import LANGS, Channel, ChannelType, Service, Status
from abikaart.site import pages
from abikaart.site.render import strings

NO_BREAK = "\u00a0"
"""Between the digit groups of a phone number: a number is never broken over two lines."""
BREAK = "\u200b"
"""After the slashes of a web address: where a long address may be broken (never printed)."""
CRISIS_LINE = "116 006"
"""The line listed right after 112, as in the site's emergency bar (`crisis_line` of the plugin)."""


@dataclass(frozen=True)
class Line:
    """A number to call at any hour: 112, then the 24/7 lines."""

    number: str
    name: str


@dataclass(frozen=True)
class Contact:
    """One way to reach a service: "Phone", "116 006", "24/7" (hours None when they say nothing)."""

    kind: str
    reach: str
    hours: str | None
    address: bool = True
    """`reach` is a number or an address to type (printed bold), not a place or a sentence."""


@dataclass(frozen=True)
class Entry:
    """One service as the leaflet prints it: every text already in the leaflet's language."""

    name: str
    status: str | None
    """"Temporarily closed" when it is; None when active."""
    about: str
    """The organisation and when and how the record was checked: the leaflet never claims more than was done."""
    short_about: str
    """The same in fewer words ("Org, 25.11.2026 unconfirmed"), explained by the leaflet's legend."""
    checked: str
    """Only the date and how ("25.11.2026 unconfirmed"): the shortest style leaves the organisation to the page."""
    contacts: list[Contact]
    """Its public channels, an address only for a public place; its front door when it has no channel."""
    notice: str | None
    description: str


@dataclass(frozen=True)
class Leaflet:
    """A county's leaflet in one language."""

    county: str
    lang: str
    title: str
    intro: str
    lines: list[Line]
    local: list[Entry]
    nationwide: list[Entry]
    url: str
    """The county page on the public site, in the leaflet's language: the QR code and the printed link."""
    made: dt.date
    strings: dict[str, str]


def county_url(site_url: str, paths: pages.Paths, county: str, lang: str) -> str:
    """The public address of a county's page in a language (`https://abikaart.ee/en/directory/county/harju/`)."""
    prefix = "" if lang == LANGS[0] else f"{lang}/"
    return site_url.rstrip("/") + "/" + prefix + pages.page_url(paths.county(county))


def leaflet_path(county: str, lang: str) -> str:
    """Where a leaflet lives inside the leaflets folder: `<lang>/<county>.pdf`."""
    return f"{lang}/{county}.pdf"


def leaflet(directory: Directory, county: str, lang: str, site_url: str, paths: pages.Paths,
            crisis_line: str = CRISIS_LINE) -> Leaflet:
    """The leaflet of `county` in `lang`, from public data only."""
    s = strings()[lang]
    term = directory.taxonomies["counties"][county]
    here, elsewhere = pages.county_services(directory, county)
    return Leaflet(
        county=county,
        lang=lang,
        title=s["leaflet_title"].format(county=term.name.get(lang)),
        intro=s["leaflet_intro"],
        lines=emergency_lines(directory, county, lang, paths, crisis_line),
        local=_entries(directory, here, lang),
        nationwide=_entries(directory, elsewhere, lang),
        url=county_url(site_url, paths, county, lang),
        made=directory.today,
        strings=s,
    )


def emergency_lines(directory: Directory, county: str, lang: str, paths: pages.Paths,
                    crisis_line: str) -> list[Line]:
    """112, the crisis line, then every other public phone open 24/7 of a service given in the county (the
    site's emergency bar, uncut, without another county's round-the-clock lines)."""
    s = strings()[lang]
    here, elsewhere = pages.county_services(directory, county)
    given = {paths.service(service.id) for service in (*here, *elsewhere)}
    return [Line(line.display, line.name.text if line.name else s["emergency_112"])
            for line in pages.emergency_lines(directory, lang, paths, crisis_line)
            if line.path is None or line.path in given]


def _entries(directory: Directory, services: list[Service], lang: str) -> list[Entry]:
    """The services that are not closed, in the alphabetical order of the leaflet's language."""
    shown = [entry(directory, service, lang) for service in services if service.status is not Status.CLOSED]
    return sorted(shown, key=lambda item: item.name.casefold())


def entry(directory: Directory, service: Service, lang: str) -> Entry:
    """A service's name, organisation, check, public contacts with their hours and public places."""
    s = strings()[lang]
    checked = service.verified.strftime("%d.%m.%Y")
    how = s["leaflet_checked"].format(date=checked)
    organisation = directory.organisation(service).name.get(lang)
    notice = directory.notice(service)
    return Entry(
        name=service.name.get(lang),
        status=s[f"status_{service.status.value}"] if service.status is not Status.ACTIVE else None,
        about=f"{organisation} · {how}: {s['leaflet_how_' + service.verified_how.value]}",
        short_about=f"{organisation}, {checked} {s['leaflet_short_' + service.verified_how.value]}",
        checked=f"{checked} {s['leaflet_short_' + service.verified_how.value]}",
        contacts=_contacts(directory, service, lang),
        notice=f"{s['notice']}: {notice.get(lang)}" if notice is not None else None,
        description=service.description.get(lang),
    )


def _contacts(directory: Directory, service: Service, lang: str) -> list[Contact]:
    found = [_contact(directory, service, channel, lang) for channel in directory.public_channels(service)]
    if not found and service.front_door is not None:
        found.append(Contact(strings()[lang]["contacts"], service.front_door.get(lang), None, address=False))
    return found


def _contact(directory: Directory, service: Service, channel: Channel, lang: str) -> Contact:
    s = strings()[lang]
    shown = pages.contact(directory, service, channel, lang)
    reach = shown.display.replace(" ", NO_BREAK) if channel.number else breakable(shown.display)
    if shown.place is not None:
        where = shown.place.name.text
        if shown.place.confidential:
            where += f" ({s['location_confidential']})"
        elif shown.place.address:
            where += f", {shown.place.address}"
        reach = f"{reach}, {where}" if reach else where
    hours = pages.hours_text(shown.hours, s) if shown.hours or channel.type in _TIMED else None
    return Contact(shown.type_name.text, reach, hours, address=shown.place is None)


def breakable(address: str) -> str:
    """A web or e-mail address that may be broken after its slashes."""
    return address.replace("/", "/" + BREAK)


_TIMED = frozenset({ChannelType.PHONE, ChannelType.SMS, ChannelType.CHAT, ChannelType.VIDEO})
"""Channels a caller waits on: unknown hours are said ("opening hours not known"); e-mail, forms and a
place (its page has what is known) say nothing."""


def write_leaflet(directory: Directory, out_dir: Path, county: str, lang: str, site_url: str, paths: pages.Paths,
                  crisis_line: str = CRISIS_LINE) -> Path:
    """One county's leaflet in one language as `out_dir/<lang>/<county>.pdf`; the file written.

    Raises `leaflet_pdf.TooLong` naming the county and language when it cannot fit two pages.
    """
    from abikaart.leaflet_pdf import render

    target = out_dir / leaflet_path(county, lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(render(leaflet(directory, county, lang, site_url, paths, crisis_line)))
    return target


def write_leaflets(directory: Directory, out_dir: Path, site_url: str, paths: pages.Paths,
                   langs: tuple[str, ...] = LANGS, crisis_line: str = CRISIS_LINE) -> list[Path]:
    """Every county's leaflet in every language of `langs` into `out_dir`, on every core; the files written."""
    from functools import partial

    from abikaart.site.parallel import fork_map

    pairs = [(county, lang) for lang in langs for county in directory.taxonomies["counties"]]
    write = partial(_write_pair, directory, out_dir, site_url, paths, crisis_line)
    return fork_map(write, pairs)


def _write_pair(directory: Directory, out_dir: Path, site_url: str, paths: pages.Paths, crisis_line: str,
                pair: tuple[str, str]) -> Path:
    return write_leaflet(directory, out_dir, pair[0], pair[1], site_url, paths, crisis_line)
