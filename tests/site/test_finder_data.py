"""The finder's data and the county pages, from the bundled directory: public contacts only, a service with a
place in a county is on that county's page, data that cannot close its script element."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from abikaart.directory import Directory, load_directory
from abikaart.site import finder, pages
from abikaart.validation import NATIONWIDE

ROOT = Path(__file__).resolve().parents[2]
PATHS = pages.Paths("directory")


@pytest.fixture(scope="module")
def directory() -> Directory:
    result = load_directory(ROOT / "directory", ROOT)
    assert result.directory is not None
    return result.directory


def _data(directory: Directory, lang: str = "et", start: dt.date = dt.date(2026, 12, 7)) -> dict:
    return json.loads(finder.script(finder.finder_data(directory, lang, PATHS, start))
                      .removeprefix("window.abikaartFinderData=").rstrip(";\n"))


def test_only_public_channels_are_in_the_data(directory: Directory) -> None:
    data = _data(directory)
    by_id = {item["id"]: item for item in data["services"]}
    withheld = [c for s in directory.services.values() for c in s.channels if not c.verified]
    assert withheld, "the bundled directory has contacts to verify: the test needs one"
    for service_id, item in by_id.items():
        assert len(item["ch"]) == len(directory.public_channels(directory.services[service_id]))
    text = json.dumps(data)
    for channel in withheld:
        assert channel.to_verify not in text


def test_a_night_line_is_one_interval_across_midnight(directory: Directory) -> None:
    start = finder.tallinn_midnight(dt.date(2026, 12, 7))
    spans = finder.open_intervals("Mo-Su 19:00-07:00", start, 2)
    assert spans[:2] == [0, 7 * 60] and spans[2:4] == [19 * 60, 31 * 60]


def test_intervals_are_utc_minutes_across_the_clock_change() -> None:
    start = finder.tallinn_midnight(dt.date(2026, 3, 28))
    spans = finder.open_intervals("Mo-Su 09:00-10:00", start, 2)
    assert spans == [9 * 60, 10 * 60, 24 * 60 + 8 * 60, 24 * 60 + 9 * 60]  # the second day is an hour shorter


def test_public_holidays_are_closed(directory: Directory) -> None:
    start = finder.tallinn_midnight(dt.date(2026, 12, 21))
    spans = finder.open_intervals("Mo-Fr 09:00-17:00; PH off", start, 5)
    days = {begin // 1440 for begin in spans[::2]}
    assert days == {0, 1, 2}  # 24 and 25 December are public holidays


def test_county_page_lists_services_with_a_place_there_then_nationwide(directory: Directory) -> None:
    page = pages.county_page(directory, "ida-viru", "et", PATHS)
    local = {item.link.path for item in page.services}
    placed = [s for s in directory.services.values() if NATIONWIDE in s.counties
              and "ida-viru" in finder.local_counties(directory, s)]
    assert placed, "a nationwide service with a place in Ida-Virumaa (the hospital's crisis centre)"
    assert {PATHS.service(s.id) for s in placed} <= local
    nationwide = {item.link.path for item in page.nationwide_services}
    assert nationwide and not nationwide & local
    assert all(NATIONWIDE in directory.services[p.rsplit("/", 1)[1][:-3]].counties for p in nationwide)


def test_data_cannot_close_its_script_element() -> None:
    assert "</script>" not in finder.script({"n": "</script><script>alert(1)</script>"})


def test_a_place_is_named_and_only_a_public_one_has_its_address(directory: Directory) -> None:
    data = _data(directory)
    places = [ch for item in data["services"] for ch in item["ch"] if data["terms"]["channels"][ch[0]] == "Kohapeal"]
    assert places and all(ch[1] for ch in places)
    hidden = {loc.name.get("et") for org in directory.organisations.values() for loc in org.locations
              if loc.confidential}
    assert all(ch[5] is None for ch in places if ch[1] in hidden)


def test_internal_data_adds_contacts_to_verify_and_notes_and_filters_alike(directory: Directory) -> None:
    """The internal site's data: every contact to verify, with its reason and no link, and every internal note;
    the public data (the `Directory.public_*` rule) has neither, and both filter on the same fields."""
    public = _data(directory)
    internal = json.loads(finder.script(finder.finder_data(directory, "et", PATHS, dt.date(2026, 12, 7),
                                                           audience="internal"))
                          .removeprefix("window.abikaartFinderData=").rstrip(";\n"))
    assert [s["id"] for s in public["services"]] == [s["id"] for s in internal["services"]]
    fields = ("need", "county", "nw", "lang", "aud", "free", "anon")
    for mine, theirs in zip(public["services"], internal["services"], strict=True):
        assert [mine[f] for f in fields] == [theirs[f] for f in fields], mine["id"]
        service = directory.services[mine["id"]]
        withheld = [c for c in service.channels if not c.verified]
        marked = [ch for ch in theirs["ch"] if len(ch) == 7]
        assert [_resolved(ch, internal) for ch in theirs["ch"][:len(mine["ch"])]] == \
            [_resolved(ch, public) for ch in mine["ch"]] and len(marked) == len(withheld)
        assert [ch[6] for ch in marked] == [c.to_verify for c in withheld]
        assert all(ch[2] is None for ch in marked)  # nothing to press as if it worked
        assert theirs.get("in") == service.internal_note and "in" not in mine
    assert any(len(ch) == 7 for s in internal["services"] for ch in s["ch"])
    assert any("in" in s for s in internal["services"])
    assert all(len(ch) == 6 for s in public["services"] for ch in s["ch"])


def _resolved(channel: list, data: dict) -> list:
    """A channel with its schedule instead of the schedule's index (the two data sets number them apart)."""
    return [*channel[:3], None if channel[3] is None else data["schedules"][channel[3]], *channel[4:]]


def test_internal_finder_pages_link_referrals_and_never_a_confidential_address(directory: Directory) -> None:
    from abikaart.site.internal_finder import finder_pages, referral_link

    made = finder_pages(directory, "_generated")
    assert sorted(made) == ["finder.en.md", "finder.md", "finder.ru.md"]
    assert 'src="../../data/finder-internal-et.js"' in made["finder.md"]
    assert 'src="../../../data/finder-internal-ru.js"' in made["finder.ru.md"]
    assert "KONTROLLIDA" in made["finder.md"] and "abi-picked" in made["finder.md"]
    service = directory.services["naiste-tugikeskus-ida-viru"]
    assert referral_link("_generated")(service) == f"../referrals/{service.needs[0]}/#{service.id}"
    text = json.dumps(finder.finder_data(directory, "et", PATHS, dt.date(2026, 12, 7), audience="internal"),
                      ensure_ascii=False)
    for organisation in directory.organisations.values():
        for location in organisation.locations:
            if location.confidential and location.address:
                assert location.address.address_1 not in text
