"""Page models: what each generated page shows, in one language, independent of the theme.

The site is data -> page model -> template. These dataclasses hold only what may be published (public
channels, no internal notes, no address or position of a confidential location) unless the audience is
`internal`; the templates decide only how it looks, so moving to another theme touches templates alone.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from abikaart import hours, phones
from abikaart.directory import Directory
from abikaart.models import Channel, ChannelType, LocalizedText, Location, Organisation, Service, Status
from abikaart.validation import NATIONWIDE

Audience = Literal["public", "internal"]

_display = lru_cache(maxsize=65536)(phones.display)
_e164 = lru_cache(maxsize=65536)(phones.e164)
"""Formatting a number with phonenumbers is slow, and every number is shown on several pages in three languages."""

EMERGENCY_NUMBER = "112"
"""The EU emergency number: always first in the emergency bar, whatever the directory says."""


@dataclass(frozen=True, slots=True)
class Text:
    """A text resolved for one page language; `fallback` when Estonian stands in for a missing translation."""

    text: str
    lang: str
    fallback: bool = False


def text(value: LocalizedText, lang: str) -> Text:
    return Text(value.get(lang), lang if value.has(lang) else "et", not value.has(lang))


def maybe_text(value: LocalizedText | None, lang: str) -> Text | None:
    return None if value is None else text(value, lang)


@dataclass(frozen=True, slots=True)
class Link:
    """A link to another generated or hand-written page, by its docs-relative source path."""

    title: Text
    path: str


@dataclass(frozen=True, slots=True)
class Paths:
    """Where each kind of generated page lives inside docs_dir."""

    root: str

    def index(self) -> str:
        return f"{self.root}/index.md"

    def organisations(self) -> str:
        return f"{self.root}/organisations.md"

    def always_open(self) -> str:
        return f"{self.root}/24-7.md"

    def nationwide(self) -> str:
        return f"{self.root}/nationwide.md"

    def service(self, service_id: str) -> str:
        return f"{self.root}/service/{service_id}.md"

    def organisation(self, organisation_id: str) -> str:
        return f"{self.root}/organisation/{organisation_id}.md"

    def need(self, need_id: str) -> str:
        return f"{self.root}/need/{need_id}.md"

    def county(self, county_id: str) -> str:
        return f"{self.root}/county/{county_id}.md"


def page_url(path: str) -> str:
    """The URL of a docs-relative page with directory URLs: `a/b.md` -> `a/b/`, `a/index.md` -> `a/`."""
    stem = path.removesuffix(".md")
    return stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else f"{stem}/"


def url_from(target: str, source: str) -> str:
    """The relative link from page `source` to page `target`; the same in every language's folder."""
    link = _relpath(page_url(target) or ".", page_url(source) or ".")
    return "./" if link == "." else f"{link}/"


def _relpath(target: str, start: str) -> str:
    """posixpath.relpath for two paths inside docs_dir, without its two getcwd() calls (a tenth of page
    generation: every page links to dozens of others)."""
    target, start = posixpath.normpath(target), posixpath.normpath(start)
    if target.startswith(("/", "..")) or start.startswith(("/", "..")):
        return posixpath.relpath(target, start)
    to = [part for part in target.split("/") if part != "."]
    here = [part for part in start.split("/") if part != "."]
    common = 0
    for mine, theirs in zip(to, here, strict=False):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


def relative(target: str, source: str) -> str:
    """The Markdown link from page `source` to page `target` (both docs-relative .md paths)."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


@dataclass(frozen=True, slots=True)
class Place:
    """A location as it may be shown: a confidential one keeps only its name and front door."""

    name: Text
    confidential: bool
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    front_door: Text | None = None
    transportation: Text | None = None
    accessibility: Text | None = None


def place(location: Location, lang: str) -> Place:
    if location.confidential:
        return Place(text(location.name, lang), True, front_door=maybe_text(location.front_door, lang))
    address = location.address
    line = ", ".join(part for part in (address.address_1, address.postal_code, address.city) if part) \
        if address else None
    return Place(
        text(location.name, lang), False, line, location.latitude, location.longitude,
        maybe_text(location.front_door, lang), maybe_text(location.transportation, lang),
        maybe_text(location.accessibility, lang),
    )


@dataclass(frozen=True, slots=True)
class Contact:
    """One way to reach a service: what to press or where to go, and when."""

    type: str
    type_name: Text
    display: str
    href: str | None
    hours: str | None = None
    always_open: bool = False
    languages: list[Text] = field(default_factory=list)
    description: Text | None = None
    place: Place | None = None
    to_verify: str | None = None


def contact(directory: Directory, service: Service, channel: Channel, lang: str) -> Contact:
    expression = channel.hours or service.hours
    type_term = directory.term("channels", channel.type.value)
    type_name = text(type_term.name, lang) if type_term else Text(channel.type.value, lang)
    display, href = _reach(channel)
    location = directory.location(service, channel.location) if channel.location else None
    return Contact(
        type=channel.type.value,
        type_name=type_name,
        display=display,
        href=href,
        hours=expression,
        always_open=bool(expression) and hours.is_always_open(expression or ""),
        languages=_terms(directory, "languages", channel.languages or [], lang),
        description=maybe_text(channel.description, lang),
        place=place(location, lang) if location else None,
        to_verify=channel.to_verify,
    )


def _reach(channel: Channel) -> tuple[str, str | None]:
    if channel.number:
        scheme = "sms" if channel.type is ChannelType.SMS else "tel"
        return _display(channel.number), f"{scheme}:{_e164(channel.number)}"
    if channel.email:
        return channel.email, f"mailto:{channel.email}"
    if channel.url:
        return url_text(channel.url), channel.url
    return "", None


def _terms(directory: Directory, kind: str, ids: list[str], lang: str) -> list[Text]:
    found = (directory.term(kind, term_id) for term_id in ids)
    return [text(term.name, lang) for term in found if term is not None]


def _term_links(directory: Directory, kind: str, ids: list[str], lang: str, path: str) -> list[Link]:
    links = []
    for term_id in ids:
        term = directory.term(kind, term_id)
        if term is not None:
            links.append(Link(text(term.name, lang), path.format(term_id)))
    return links


def channels_for(directory: Directory, service: Service, audience: Audience) -> list[Channel]:
    """Public channels only, unless the page is for counsellors (then unverified ones are marked)."""
    return service.channels if audience == "internal" else directory.public_channels(service)


@dataclass(frozen=True, slots=True)
class Summary:
    """A service as one line of a list page: its name, organisation, first phone and any warning."""

    link: Link
    organisation: Text
    phone: Contact | None
    status: str
    has_notice: bool


_SUMMARIES: ContextVar[dict[tuple[int, str, str, Paths, Audience], Summary] | None] = \
    ContextVar("abikaart_summaries", default=None)


@contextmanager
def shared_summaries() -> Iterator[None]:
    """Within this block, each service's summary is built once per language: a service is listed on its
    needs', its counties' and its organisation's pages. Only for a directory left unchanged meanwhile."""
    token = _SUMMARIES.set({})
    try:
        yield
    finally:
        _SUMMARIES.reset(token)


def summary(directory: Directory, service: Service, lang: str, paths: Paths, audience: Audience) -> Summary:
    cache = _SUMMARIES.get()
    if cache is None:
        return _summary(directory, service, lang, paths, audience)
    key = (id(service), service.id, lang, paths, audience)
    found = cache.get(key)
    if found is None:
        found = cache[key] = _summary(directory, service, lang, paths, audience)
    return found


def _summary(directory: Directory, service: Service, lang: str, paths: Paths, audience: Audience) -> Summary:
    phone = next((c for c in channels_for(directory, service, audience) if c.type is ChannelType.PHONE), None)
    return Summary(
        Link(text(service.name, lang), paths.service(service.id)),
        text(directory.organisation(service).name, lang),
        contact(directory, service, phone, lang) if phone else None,
        service.status.value,
        directory.notice(service) is not None,
    )


@dataclass(frozen=True, slots=True)
class ServicePage:
    """Everything a person or a counsellor needs to decide on and reach one service."""

    path: str
    lang: str
    title: Text
    description: Text
    organisation: Link
    status: str
    notice: Text | None
    notice_until: dt.date | None
    contacts: list[Contact]
    needs: list[Link]
    audiences: list[Text]
    counties: list[Link]
    nationwide: bool
    languages: list[Text]
    cost: str | None
    cost_note: Text | None
    confidential: bool | None
    anonymous: bool | None
    referral_required: bool | None
    eligibility: Text | None
    accessibility: Text | None
    front_door: Text | None
    verified: dt.date
    verified_how: str
    sources: list[str]
    """The source links that may be shown (`source` first); empty while they are withheld."""
    sources_withheld: bool
    source_to_verify: str | None
    """Internal pages only: why the sources are not confirmed."""
    see_also: list[Link]
    internal_note: str | None


def service_page(directory: Directory, service: Service, lang: str, paths: Paths,
                 audience: Audience = "public") -> ServicePage:
    organisation = directory.organisation(service)
    see_also = [directory.services[ref] for ref in service.see_also if ref in directory.services]
    notice = directory.notice(service)
    return ServicePage(
        path=paths.service(service.id),
        lang=lang,
        title=text(service.name, lang),
        description=text(service.description, lang),
        organisation=Link(text(organisation.name, lang), paths.organisation(organisation.id)),
        status=service.status.value,
        notice=maybe_text(notice, lang),
        notice_until=service.notice_until if notice else None,
        contacts=[contact(directory, service, c, lang) for c in channels_for(directory, service, audience)],
        needs=_term_links(directory, "needs", service.needs, lang, paths.need("{}")),
        audiences=_terms(directory, "audiences", service.audiences, lang),
        counties=_term_links(directory, "counties", [c for c in service.counties if c != NATIONWIDE], lang,
                             paths.county("{}")),
        nationwide=NATIONWIDE in service.counties,
        languages=_terms(directory, "languages", service.languages, lang),
        cost=service.cost.value if service.cost else None,
        cost_note=maybe_text(service.cost_note, lang),
        confidential=service.confidential,
        anonymous=service.anonymous,
        referral_required=service.referral_required,
        eligibility=maybe_text(service.eligibility, lang),
        accessibility=maybe_text(service.accessibility, lang),
        front_door=maybe_text(service.front_door, lang),
        verified=service.verified,
        verified_how=service.verified_how.value,
        **_sources(directory, service, audience),
        see_also=[Link(text(s.name, lang), paths.service(s.id)) for s in see_also],
        internal_note=service.internal_note if audience == "internal" else None,
    )


@dataclass(frozen=True, slots=True)
class OrganisationPage:
    path: str
    lang: str
    title: Text
    alternate_name: Text | None
    description: Text
    website: str | None
    email: str | None
    phones: list[Contact]
    places: list[Place]
    services: list[Summary]
    verified: dt.date
    verified_how: str
    sources: list[str]
    sources_withheld: bool
    source_to_verify: str | None
    website_to_verify: str | None = None
    email_to_verify: str | None = None
    """Internal pages only: why the website or e-mail shown is not confirmed."""


def _sources(directory: Directory, record: Organisation | Service, audience: Audience) -> dict[str, Any]:
    """The source links a page may show, and whether (internal: why) they are withheld."""
    if audience == "internal":
        return {"sources": [record.source, *getattr(record, "sources", [])], "sources_withheld": False,
                "source_to_verify": record.source_to_verify}
    return {"sources": directory.public_sources(record), "sources_withheld": directory.sources_withheld(record),
            "source_to_verify": None}


def _organisation_contacts(directory: Directory, organisation: Organisation, audience: Audience) -> dict[str, Any]:
    """Website and e-mail: the public ones, or (internal) every one with its reason to verify."""
    if audience == "internal":
        return {"website": organisation.website, "email": organisation.email,
                "website_to_verify": organisation.website_to_verify, "email_to_verify": organisation.email_to_verify}
    return {"website": directory.public_website(organisation), "email": directory.public_email(organisation)}


def organisation_page(directory: Directory, organisation: Organisation, lang: str, paths: Paths,
                      audience: Audience = "public") -> OrganisationPage:
    phone_list = organisation.phones if audience == "internal" else directory.public_phones(organisation)
    return OrganisationPage(
        path=paths.organisation(organisation.id),
        lang=lang,
        title=text(organisation.name, lang),
        alternate_name=maybe_text(organisation.alternate_name, lang),
        description=text(organisation.description, lang),
        phones=[
            Contact("phone", Text("", lang), _display(p.number), f"tel:{_e164(p.number)}",
                    description=maybe_text(p.description, lang), to_verify=p.to_verify)
            for p in phone_list
        ],
        places=[place(location, lang) for location in organisation.locations],
        services=[summary(directory, s, lang, paths, audience)
                  for s in sorted(organisation.services, key=lambda s: s.name.get(lang).casefold())],
        verified=organisation.verified,
        verified_how=organisation.verified_how.value,
        **_sources(directory, organisation, audience),
        **_organisation_contacts(directory, organisation, audience),
    )


@dataclass(frozen=True, slots=True)
class ListPage:
    """A need, a county, the nationwide services or the 24/7 lines: a title and the services under it."""

    path: str
    lang: str
    kind: Literal["need", "county", "nationwide", "always_open"]
    title: Text
    description: Text | None
    services: list[Summary]
    nationwide_services: list[Summary] = field(default_factory=list)
    """County pages: the services for all of Estonia that have no place in the county, under their own heading."""
    leaflet: str | None = None
    """County pages: the site-relative path of the county's printable leaflet in the page's language, if built."""
    first_services: list[Summary] = field(default_factory=list)
    """Need pages: where a counsellor sends people with the need first (`first_contact_for`), above the others."""


def alphabetical(items: list[Summary]) -> list[Summary]:
    """A list page's services in the alphabetical order of its language, as the printed leaflets list them: an
    English page in the order of the Estonian names reads as no order at all."""
    return sorted(items, key=lambda item: item.link.title.text.casefold())


def need_page(directory: Directory, need_id: str, lang: str, paths: Paths,
              audience: Audience = "public") -> ListPage:
    term = directory.taxonomies["needs"][need_id]
    found = directory.services_for_need(need_id)
    first = [s for s in found if need_id in s.first_contact_for]
    others = [s for s in found if need_id not in s.first_contact_for]
    return ListPage(paths.need(need_id), lang, "need", text(term.name, lang), maybe_text(term.description, lang),
                    alphabetical([summary(directory, s, lang, paths, audience) for s in others]),
                    first_services=alphabetical([summary(directory, s, lang, paths, audience) for s in first]))


def county_page(directory: Directory, county_id: str, lang: str, paths: Paths,
                audience: Audience = "public", leaflet: str | None = None) -> ListPage:
    """The services with a place or a local office in the county (a hospital there, even when it serves all of
    Estonia), then the nationwide ones under their own heading."""
    term = directory.taxonomies["counties"][county_id]
    here, elsewhere = county_services(directory, county_id)
    return ListPage(paths.county(county_id), lang, "county", text(term.name, lang),
                    maybe_text(term.description, lang),
                    alphabetical([summary(directory, s, lang, paths, audience) for s in here]),
                    alphabetical([summary(directory, s, lang, paths, audience) for s in elsewhere]), leaflet)


def county_services(directory: Directory, county_id: str) -> tuple[list[Service], list[Service]]:
    """The county's services with a place or a local office there, then the nationwide ones without: the county
    page and the county's printed leaflet list the same services in the same order."""
    from abikaart.site.finder import local_counties

    here = [s for s in directory._sorted(directory.services.values())
            if county_id in local_counties(directory, s)]
    local = {s.id for s in here}  # by id: comparing the models field by field made this quadratic
    elsewhere = [s for s in directory.services_in_county(county_id) if s.id not in local]
    return here, elsewhere


def nationwide_page(directory: Directory, lang: str, paths: Paths, title: str,
                    audience: Audience = "public") -> ListPage:
    services = alphabetical([summary(directory, s, lang, paths, audience) for s in directory.services.values()
                             if NATIONWIDE in s.counties])
    return ListPage(paths.nationwide(), lang, "nationwide", Text(title, lang), None, services)


def always_open_page(directory: Directory, lang: str, paths: Paths, title: str,
                     audience: Audience = "public") -> ListPage:
    services = alphabetical([summary(directory, s, lang, paths, audience) for s in directory.always_open()])
    return ListPage(paths.always_open(), lang, "always_open", Text(title, lang), None, services)


@dataclass(frozen=True, slots=True)
class IndexPage:
    """The directory's entry page, or the organisations A-Z."""

    path: str
    lang: str
    kind: Literal["index", "organisations"]
    needs: list[Link]
    counties: list[Link]
    organisations: list[Link]


def directory_index(directory: Directory, lang: str, paths: Paths) -> IndexPage:
    return IndexPage(paths.index(), lang, "index", need_links(directory, lang, paths),
                     county_links(directory, lang, paths), [])


def organisations_index(directory: Directory, lang: str, paths: Paths) -> IndexPage:
    links = [Link(text(o.name, lang), paths.organisation(o.id)) for o in directory.organisations.values()]
    links.sort(key=lambda link: link.title.text.casefold())
    return IndexPage(paths.organisations(), lang, "organisations", [], [], links)


def need_links(directory: Directory, lang: str, paths: Paths) -> list[Link]:
    """Needs in taxonomy order (urgent ones are listed first in the file)."""
    return [Link(text(t.name, lang), paths.need(t.id)) for t in directory.taxonomies["needs"].values()]


def county_links(directory: Directory, lang: str, paths: Paths) -> list[Link]:
    return [Link(text(t.name, lang), paths.county(t.id)) for t in directory.taxonomies["counties"].values()]


@dataclass(frozen=True, slots=True)
class Line:
    """One number in the emergency bar."""

    display: str
    href: str
    name: Text | None
    path: str | None = None


def emergency_lines(directory: Directory, lang: str, paths: Paths, crisis_line: str) -> list[Line]:
    """112, then the crisis line, then every other public phone open 24/7; each number once."""
    lines = [Line(EMERGENCY_NUMBER, f"tel:{EMERGENCY_NUMBER}", None)]
    seen = {EMERGENCY_NUMBER}
    found = list(_always_open_phones(directory, lang, paths))
    crisis = _e164(crisis_line)
    found.sort(key=lambda line: line.href != f"tel:{crisis}")
    for line in found:
        number = line.href.removeprefix("tel:")
        if number not in seen:
            seen.add(number)
            lines.append(line)
    return lines


def _always_open_phones(directory: Directory, lang: str, paths: Paths) -> Iterator[Line]:
    for service in directory.always_open():
        if service.status is not Status.ACTIVE:
            continue
        for channel in directory.public_channels(service):
            expression = channel.hours or service.hours
            if channel.type is ChannelType.PHONE and channel.number and expression \
                    and hours.is_always_open(expression):
                display = _display(channel.number)
                name = text(service.name, lang)
                short = Text(name.text.replace(display, "").strip(" -–,"), name.lang, name.fallback)
                yield Line(display, f"tel:{_e164(channel.number)}", short, paths.service(service.id))
                break  # one number a service: the bar stays short (other numbers are on its page)


def url_text(url: str) -> str:
    """A web address as people read it: no scheme, no 'www.', no trailing slash."""
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


_DAY_RE = re.compile(r"\b(Mo|Tu|We|Th|Fr|Sa|Su|PH|off)\b")


def hours_text(expression: str | None, strings: dict[str, str]) -> str:
    """Opening hours for people: '24/7' in words, day names and 'off' in the page language."""
    if not expression:
        return strings["hours_unknown"]
    if hours.is_always_open(expression):
        return strings["hours_always"]
    return _DAY_RE.sub(lambda m: strings[f"day_{m[1]}"], expression).replace(";", ",")
