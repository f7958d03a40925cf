"""The directory shipped in `directory/`: valid, complete where it must be, and safe to publish.

These tests read the real data, so they fail when someone edits a file into a state the public site must
not show: an obsolete number, an unverified contact that would be published, a shelter address, a county
left without help for domestic violence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from abikaart import phones
from abikaart.cli import main
from abikaart.directory import Directory, is_always_open, load_directory
from abikaart.models import ChannelType, Organisation, Service, VerifiedHow
from abikaart.numbers import FILE_NAME, load_registry

ROOT = Path(__file__).resolve().parents[1]
DIRECTORY = ROOT / "directory"
RESEARCHED_ON = dt.date(2026, 11, 25)
"""The day the reference research was seen; the warnings are checked on it."""

REGISTRY = load_registry(DIRECTORY, ROOT, [])
"""directory/numbers.yaml: the numbers the reference found dead or wrong, and those it could not confirm."""
OBSOLETE_NUMBERS = {entry.number: entry.reason for entry in REGISTRY.obsolete}
"""Numbers the reference found dead or wrong: never published, not even in an internal note."""
UNVERIFIED_NUMBERS = [entry.number for entry in REGISTRY.unconfirmed]
"""Numbers the reference marks UNVERIFIED (conflicts, old or single sources): internal only."""


@pytest.fixture(scope="module")
def directory() -> Directory:
    result = load_directory(DIRECTORY, base=ROOT, today=RESEARCHED_ON)
    assert result.directory is not None, "\n".join(problem.text() for problem in result.problems)
    return result.directory


def _digits(number: str) -> str:
    return phones.e164(number).removeprefix("+372")


def _public_numbers(service: Service) -> set[str]:
    return {_digits(channel.number) for channel in service.public_channels if channel.number}


def _all_numbers(service: Service) -> set[str]:
    return {_digits(channel.number) for channel in service.channels if channel.number}


def _with_number(directory: Directory, number: str) -> list[Service]:
    return [service for service in directory.services.values() if _digits(number) in _all_numbers(service)]


# Validity ---------------------------------------------------------------------------------------------


def test_bundled_directory_validates_with_the_cli() -> None:
    result = CliRunner().invoke(main, ["validate", str(DIRECTORY)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_bundled_directory_has_no_warnings_on_the_research_day() -> None:
    """Strict: no missing translation, no urgent service unreachable out of hours, nothing overdue.

    `today` is pinned to the research day so that the test checks the data, not the calendar; overdue
    re-verification is reported by `abikaart stale`, not by a failing test suite.
    """
    result = load_directory(DIRECTORY, base=ROOT, today=RESEARCHED_ON)
    assert [problem.text() for problem in result.problems] == []


def test_the_directory_is_not_a_stub(directory: Directory) -> None:
    assert len(directory.organisations) >= 25
    assert len(directory.services) >= 40


def test_one_organisation_per_file_named_by_its_id(directory: Directory) -> None:
    for organisation_id in directory.organisations:
        path = directory.files[f"organisation:{organisation_id}"]
        assert Path(path).name == f"{organisation_id}.yaml"


def test_every_file_points_editors_at_the_schema() -> None:
    for path in sorted((DIRECTORY / "organisations").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/organisation.schema.json", path.name


# The lines everyone must find ---------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "service_id"), [
    ("112", "hadaabinumber-112"),
    ("116 006", "ohvriabi-kriisitelefon"),
    ("116 111", "lasteabi-116111"),
    ("116 000", "kadunud-laste-telefon-116000"),
])
def test_core_lines_exist_publicly_and_round_the_clock(directory: Directory, number: str, service_id: str) -> None:
    service = directory.services[service_id]
    channel = next(c for c in service.public_channels if c.number and _digits(c.number) == _digits(number))
    assert channel.hours == "24/7"
    assert is_always_open(service)
    assert service in directory.always_open()


def test_the_crisis_chat_is_public_and_round_the_clock(directory: Directory) -> None:
    chats = [c for c in directory.services["ohvriabi-kriisitelefon"].public_channels if c.type is ChannelType.CHAT]
    assert [(c.url, c.hours) for c in chats] == [("https://www.palunabi.ee", "24/7")]


def test_the_victim_line_speaks_estonian_russian_and_english(directory: Directory) -> None:
    for service_id in ("ohvriabi-kriisitelefon", "lasteabi-116111"):
        assert {"et", "ru", "en"} <= set(directory.services[service_id].languages)


def test_every_service_and_organisation_has_a_source_and_a_verification(directory: Directory) -> None:
    records: list[Service | Organisation] = [*directory.services.values(), *directory.organisations.values()]
    for record in records:
        assert record.source.startswith("https://"), record.id
        assert all(url.startswith("https://") for url in getattr(record, "sources", []))
        assert RESEARCHED_ON - dt.timedelta(days=3 * 365) <= record.verified <= dt.date.today(), record.id
        assert record.verified_by.strip(), record.id


OFFICIAL_DOMAINS = ("112.ee", "politsei.ee", "sotsiaalkindlustusamet.ee", "palunabi.ee", "lasteabi.ee",
                    "targaltinternetis.ee", "kliinikum.ee", "terviseamet.ee",
                    # update 2026-12-01: pages the reference marks "operator" or "official"
                    "advokatuur.ee", "oiguskantsler.ee", "volinik.ee", "humanrights.ee", "pagulasabi.ee",
                    "integratsioon.ee")
"""Operators' own sites, as the reference names them: only a record read there may say `official-page`."""


def _host(url: str) -> str:
    return re.sub(r"^https://(www\.)?", "", url).split("/", 1)[0]


def test_verification_claims_no_more_than_was_done(directory: Directory) -> None:
    """Nobody has called anyone yet; a page read on the operator's own site may say so, all else is desk
    research. A record `confirmed` with the service cannot still hold contacts to verify."""
    records: list[Service | Organisation] = [*directory.services.values(), *directory.organisations.values()]
    claims = {how: [r for r in records if r.verified_how is how] for how in VerifiedHow}
    assert claims[VerifiedHow.DESK_RESEARCH] and claims[VerifiedHow.OFFICIAL_PAGE]
    for record in claims[VerifiedHow.OFFICIAL_PAGE]:
        assert _host(record.source).endswith(OFFICIAL_DOMAINS), record.id
        assert record.source_to_verify is None, record.id
    for record in claims[VerifiedHow.CONFIRMED]:
        channels = record.channels if isinstance(record, Service) else []
        assert not [c for c in channels if c.to_verify], f"{record.id} is confirmed but has contacts to verify"


# Nothing unsafe is published ----------------------------------------------------------------------------


def number_mentions(text: str) -> Iterator[str]:
    """Every digit string a reader could dial in `text`: each run of space-separated digit groups, and
    each contiguous part of it, so a number written in groups after +372 yields its bare digits, but
    '1226' never yields '126'."""
    for run in re.finditer(r"(?<![\d])\+?\d+(?: \d+)*(?![\d])", text):
        groups = run[0].lstrip("+").split(" ")
        for start in range(len(groups)):
            for end in range(start + 1, len(groups) + 1):
                yield "".join(groups[start:end])


def _obsolete_in(text: str) -> list[str]:
    found = set(number_mentions(text))
    return [number for number in OBSOLETE_NUMBERS if number.replace(" ", "") in found]


def test_number_scanner_finds_a_dead_number_without_false_alarms() -> None:
    dead = next(number for number in OBSOLETE_NUMBERS if len(number.replace(" ", "")) == 7)
    short = next(number for number in OBSOLETE_NUMBERS if len(number) == 3)
    assert set(_obsolete_in(f"helista {short} või +372 {dead}")) == {dead, short}
    assert _obsolete_in(f"call {dead.replace(' ', '')}") == [dead]
    assert _obsolete_in("1226, 116 111, 2026-11-25, Mo-Fr 16:00-20:00") == []


def test_no_obsolete_number_appears_anywhere_in_the_directory() -> None:
    files = sorted(path for path in DIRECTORY.rglob("*.yaml") if path.name != FILE_NAME)
    assert files and len(OBSOLETE_NUMBERS) >= 10
    for path in files:
        found = _obsolete_in(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(ROOT)}: {', '.join(f'{n} ({OBSOLETE_NUMBERS[n]})' for n in found)}"


def test_every_to_verify_contact_is_kept_off_the_public_channels(directory: Directory) -> None:
    unverified = 0
    for service in directory.services.values():
        public = service.public_channels
        for channel in service.channels:
            if channel.to_verify:
                unverified += 1
                assert channel not in public, service.id
                assert len(channel.to_verify) > 20, f"{service.id}: say why the contact is unverified"
            else:
                assert channel in public, service.id
    assert unverified >= 20


@pytest.mark.parametrize("number", UNVERIFIED_NUMBERS)
def test_unverified_numbers_are_listed_but_never_public(directory: Directory, number: str) -> None:
    holders = _with_number(directory, number)
    assert holders, f"{number} should be kept for counsellors to verify"
    for service in holders:
        assert _digits(number) not in _public_numbers(service), service.id


def test_conflicting_hours_are_left_out(directory: Directory) -> None:
    line = directory.services["emotsionaalse-toe-telefon-116123"]
    assert all(channel.hours is None for channel in line.channels) and line.hours is None
    assert line.internal_note and "conflict" in line.internal_note


def test_confidential_locations_have_no_address_or_position(directory: Directory) -> None:
    confidential = [loc for org in directory.organisations.values() for loc in org.locations if loc.confidential]
    assert len(confidential) >= 13  # nine women's support centres and four Children's Houses
    for location in confidential:
        assert location.address is None, location.id
        assert location.latitude is None and location.longitude is None, location.id
        assert location.front_door is not None and location.front_door.has("ru") and location.front_door.has("en")


def test_shelters_and_childrens_houses_are_confidential(directory: Directory) -> None:
    shelter_services = [s for s in directory.services.values()
                        if s.id.startswith("naiste-tugikeskus-") or s.id == "lastemaja"]
    assert len(shelter_services) >= 10
    for service in shelter_services:
        places = [directory.location(service, c.location) for c in service.channels if c.location]
        assert places, service.id
        assert all(place is not None and place.confidential for place in places), service.id


def test_services_without_a_public_contact_point_to_a_24_7_line(directory: Directory) -> None:
    always_open = {service.id for service in directory.always_open()}
    for service in directory.services.values():
        if not service.public_channels:
            assert set(service.see_also) & always_open, f"{service.id} leaves people with no contact"


# Coverage ---------------------------------------------------------------------------------------------


def test_every_county_has_help_for_domestic_violence(directory: Directory) -> None:
    for county in directory.taxonomies["counties"]:
        helping = [s for s in directory.services_in_county(county)
                   if "domestic-violence" in s.needs and s.public_channels]
        assert helping, county


def test_every_county_has_a_local_womens_support_centre(directory: Directory) -> None:
    for county in directory.taxonomies["counties"]:
        local = [s for s in directory.services_for_need("violence-against-women") if county in s.counties]
        assert local, county


def test_victim_support_workers_cover_every_county(directory: Directory) -> None:
    workers = directory.services["ohvriabitootajad"]
    assert set(workers.counties) == set(directory.taxonomies["counties"])


def test_every_urgent_need_has_a_public_24_7_service(directory: Directory) -> None:
    urgent = [term.id for term in directory.taxonomies["needs"].values() if term.urgent]
    for need in urgent:
        assert any(is_always_open(s) for s in directory.services_for_need(need)), need


# What the public sees ---------------------------------------------------------------------------------

REFERENCE_UNVERIFIED = tuple(" ".join(groups) for groups in (
    ("1492",),
    ("6000", "112"),
    ("331", "1041"),
    ("331", "1094"),
    ("5333", "2627"),
    ("5594", "9496"),
    ("5884", "9494"),
    ("447", "3505"),
    ("447", "3393"),
    ("5398", "1620"),
    ("5365", "0260"),
    ("617", "2650"),
    ("661", "6776"),
    ("660", "6077"),
    ("612", "1360"),
    ("16106",),
    ("5682", "4768"),
    ("744", "8706"),
    ("5396", "9834"),
    ("526", "4697"),
    ("748", "4666"),
    ("744", "2086"),
    ("7943", "794"),
    ("626", "9390"),
    ("620", "8358"),
))
"""Numbers the reference research (2026-11-25, updated 2026-12-01) marks UNVERIFIED, kept here rather than read
from the registry, so emptying numbers.yaml cannot make this test pass. Written as digit groups, so that no
phone-shaped string is committed outside directory/ (tests/test_repo_hygiene.py)."""
REFERENCE_UNVERIFIED_SITES = ("lgbt.ee", "naisteabi.ee", "valganaistevarjupaik.ee", "virunaistetugi.ee")
"""Websites the reference could not confirm: never a public link, not even as a source."""


def _public_outputs(directory: Directory) -> Iterator[tuple[str, str]]:
    """Every export, and the body of every service, organisation and list page, in every language."""
    from abikaart import export
    from abikaart.models import LANGS
    from abikaart.site import pages
    from abikaart.site.render import Renderer

    yield "abikaart.json", export.render(directory, "json")
    paths = pages.Paths("directory")
    renderer = Renderer(paths)
    for lang in LANGS:
        yield f"csv-{lang}", export.render(directory, "csv", lang)
        yield f"hsds-{lang}", export.render(directory, "hsds", lang)
        for service in directory.services.values():
            yield f"{lang} {service.id}", renderer.body(pages.service_page(directory, service, lang, paths))
        for organisation in directory.organisations.values():
            yield f"{lang} {organisation.id}", renderer.body(
                pages.organisation_page(directory, organisation, lang, paths))
        for need in directory.taxonomies["needs"]:
            yield f"{lang} need {need}", renderer.body(pages.need_page(directory, need, lang, paths))
        for line in pages.emergency_lines(directory, lang, paths, "116 006"):
            yield f"{lang} emergency bar", f"{line.display} {line.name.text if line.name else ''}"


def test_no_public_output_shows_a_number_the_reference_could_not_confirm(directory: Directory) -> None:
    wanted = {number.replace(" ", "") for number in REFERENCE_UNVERIFIED}
    checked = 0
    for name, text in _public_outputs(directory):
        found = wanted & set(number_mentions(text))
        assert not found, f"{name} shows {sorted(found)}"
        checked += 1
    assert checked > 300


def test_no_public_output_links_a_website_the_reference_could_not_confirm(directory: Directory) -> None:
    for name, text in _public_outputs(directory):
        for site in REFERENCE_UNVERIFIED_SITES:
            assert not re.search(rf"https://(www\.)?{re.escape(site)}", text), f"{name} links {site}"


def test_the_withheld_websites_are_kept_for_counsellors_to_verify(directory: Directory) -> None:
    from abikaart.review import pending_contacts

    pending = {item.value for item in pending_contacts(directory) if item.contact_type in ("website", "source")}
    for site in REFERENCE_UNVERIFIED_SITES:
        assert any(site in value for value in pending), site


def test_no_text_defects_are_published(directory: Directory) -> None:
    """A YAML line fold after a hyphen ('Ida- Virumaa') and the ': Harjumaa.' template remnant."""
    from abikaart.validation import localized_fields

    for organisation in directory.organisations.values():
        for loc, text in localized_fields(organisation):
            for value in text.root.values():
                assert not re.search(r"\w- [A-ZÕÄÖÜ]\w+maa", value), (organisation.id, loc, value)
                assert not re.search(r"teenust: \w+maa|женщин: \w+", value), (organisation.id, loc, value)


def test_every_need_has_search_phrases_in_every_language(directory: Directory) -> None:
    """Site search reaches a need's services by how people describe their situation, in et, ru and en."""
    needs = directory.taxonomies["needs"]
    assert len(needs) >= 20
    missing = [f"{need.id}: {lang}" for need in needs.values() for lang in ("et", "ru", "en")
               if len([phrase for phrase in need.search_phrases.get(lang, []) if phrase.strip()]) < 3]
    assert not missing, f"needs with fewer than 3 search phrases: {missing}"


def test_search_phrases_are_checked_by_the_model() -> None:
    """A phrase list under an unknown language is refused: the field is typed, not free-form."""
    from pydantic import ValidationError

    from abikaart.models import Term

    term = Term.model_validate({"id": "x", "name": {"et": "X"}, "search_phrases": {"et": ["a b"]}})
    assert term.search_phrases == {"et": ["a b"]}
    assert Term.model_validate({"id": "x", "name": {"et": "X"}}).search_phrases == {}
    with pytest.raises(ValidationError):
        Term.model_validate({"id": "x", "name": {"et": "X"}, "search_phrases": {"de": ["a"]}})
