"""The finder in real headless Chromium: every filter against the bundled data (the public API's view of it),
open now at fixed clocks whatever the device's time zone, the list for the client, the link to send, nothing
stored and nothing in the history, axe-core, keyboard-only use, a small phone and no JavaScript."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from abikaart.directory import Directory, load_directory
from abikaart.site import finder, pages
from abikaart.validation import NATIONWIDE
from browser.conftest import _open_context
from browser.support import Recorder, axe, device_traces, url

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TALLINN = finder.hours.TIMEZONE
KINDS = finder.KINDS
OFFICE = "Mo-Fr 09:00-17:00; Fr[-1] 09:00-13:00; PH off"
NIGHT = "Mo-Su 19:00-07:00"


@pytest.fixture(scope="module")
def directory() -> Directory:
    result = load_directory(ROOT / "directory", ROOT)
    assert result.directory is not None
    return result.directory


def _id_sets(directory: Directory) -> dict[str, dict[str, set[str]]]:
    """For each filter and term: the ids of the public services it matches, computed here from the data."""
    found: dict[str, dict[str, set[str]]] = {kind: {} for kind in KINDS}
    for service in directory.services.values():
        if service.status.value == "closed":
            continue
        channels = directory.public_channels(service)
        own = {
            "needs": set(service.needs),
            "counties": set(directory.taxonomies["counties"]) if NATIONWIDE in service.counties
            else set(finder.local_counties(directory, service)),
            "languages": set(service.languages).union(*(c.languages or [] for c in channels)),
            "channels": {c.type.value for c in channels},
            "audiences": set(service.audiences),
        }
        for kind in KINDS:
            for term in own[kind]:
                found[kind].setdefault(term, set()).add(service.id)
    return found


def _choose(page: Page, **chosen: list[str] | bool) -> None:
    """Tick filters as a person would: open the group, tick the box (a change event each)."""
    for name, values in chosen.items():
        if values is True:
            page.check(f'input[name="{name}"]')
            continue
        assert isinstance(values, list)
        group = page.locator(f'details[data-group="{name}"]')
        if group.get_attribute("open") is None:
            group.locator("summary").click()
        for value in values:
            page.check(f'input[name="{name}"][value="{value}"]')


def _index(directory: Directory, kind: str, term: str) -> str:
    return str(list(directory.taxonomies[kind]).index(term))


def _count(page: Page) -> int:
    return int(re.findall(r"\d+", page.inner_text("#abi-finder-summary"))[0])


def _shown_ids(page: Page) -> list[str]:
    return page.eval_on_selector_all("#abi-finder-results [data-service]", "els => els.map(e => e.dataset.service)")


def _open_finder(page: Page, origin: str, lang: str = "et") -> None:
    page.goto(url(origin, lang, "finder/"))
    page.wait_for_selector("#abi-finder-form:not([hidden])")


def test_every_option_counts_the_services_it_matches(session: tuple[Page, Recorder], origin: str,
                                                     directory: Directory) -> None:
    """Each option alone shows exactly the services the data gives it; its count next to it says the same."""
    page, recorder = session
    _open_finder(page, origin)
    expected = _id_sets(directory)
    total = sum(1 for s in directory.services.values() if s.status.value != "closed")
    assert _count(page) == total
    for kind in KINDS:
        for position, term in enumerate(directory.taxonomies[kind]):
            want = expected[kind].get(term, set())
            label = page.locator(f'input[name="{kind}"][value="{position}"]').locator("xpath=..")
            count_text = label.locator(".abi-finder__count").text_content()
            assert count_text == (f"({len(want)})" if want else "(pole)"), (kind, term)
            assert ("abi-finder__option--none" in (label.get_attribute("class") or "")) == (not want)
            page.evaluate("([k, v]) => { const b = document.querySelector(`input[name='${k}'][value='${v}']`);"
                          " b.checked = true; b.dispatchEvent(new Event('change', {bubbles: true})); }",
                          [kind, position])
            assert _count(page) == len(want), (kind, term)
            if want and len(want) <= 50:
                assert set(_shown_ids(page)) == want, (kind, term)
            page.click("#abi-finder-clear")
    recorder.assert_clean()


def test_choices_in_one_filter_are_any_and_filters_are_all(session: tuple[Page, Recorder], origin: str,
                                                          directory: Directory) -> None:
    page, _ = session
    _open_finder(page, origin)
    sets = _id_sets(directory)
    _choose(page, needs=[_index(directory, "needs", "domestic-violence"),
                         _index(directory, "needs", "sexual-violence")])
    either = sets["needs"]["domestic-violence"] | sets["needs"]["sexual-violence"]
    assert set(_shown_ids(page)) == either
    _choose(page, counties=[_index(directory, "counties", "ida-viru")],
            languages=[_index(directory, "languages", "ru")])
    both = either & sets["counties"]["ida-viru"] & sets["languages"]["ru"]
    assert both and set(_shown_ids(page)) == both
    assert _count(page) == len(both)
    for why in page.locator(".abi-finder__why").all_inner_texts():
        assert ("maakond: Ida-Virumaa" in why or "üle Eesti" in why) and "keel: vene" in why and "mure: " in why


def test_a_chosen_needs_first_contacts_lead_the_rest_by_name(session: tuple[Page, Recorder], origin: str,
                                                           directory: Directory) -> None:
    page, _ = session
    _open_finder(page, origin)
    _choose(page, needs=[_index(directory, "needs", "domestic-violence")])
    shown = _shown_ids(page)
    first = [i for i in shown if "domestic-violence" in directory.services[i].first_contact_for]
    assert first and shown[:len(first)] == first  # 116 006 and palunabi.ee before 112 and the rest
    rest = [directory.services[i].name.get("et").casefold() for i in shown[len(first):]]
    assert rest == sorted(rest)
    page.click("#abi-finder-clear")
    _choose(page, counties=[_index(directory, "counties", "tartu")])  # no need chosen: by name only
    local = page.locator(".abi-finder__results").first.locator("[data-service]").evaluate_all(
        "els => els.map(e => e.dataset.service)")
    names = [directory.services[i].name.get("et").casefold() for i in local]
    assert names == sorted(names)


def test_a_county_lists_its_own_places_first_then_nationwide(session: tuple[Page, Recorder], origin: str,
                                                            directory: Directory) -> None:
    """Ida-Virumaa: the hospital's crisis centre (tagged nationwide, with a place there) comes first, under the
    county's heading; the nationwide lines follow under their own."""
    page, _ = session
    _open_finder(page, origin)
    _choose(page, counties=[_index(directory, "counties", "ida-viru")])
    headings = page.locator(".abi-finder__heading").all_inner_texts()
    assert headings == ["Maakonnas", "Üle Eesti"]
    local = page.locator(".abi-finder__results").first.locator("[data-service]").evaluate_all(
        "els => els.map(e => e.dataset.service)")
    want = {s.id for s in directory.services.values() if "ida-viru" in finder.local_counties(directory, s)}
    assert set(local) == want
    assert any(NATIONWIDE in directory.services[i].counties for i in local)  # the hospital serving all Estonia


def test_nothing_matches_says_which_filter_to_drop_and_lists_the_24_7_lines(
        session: tuple[Page, Recorder], origin: str, directory: Directory) -> None:
    page, _ = session
    sets = _id_sets(directory)
    pair = next((need, channel) for need in sets["needs"] for channel in sets["channels"]
                if not sets["needs"][need] & sets["channels"][channel])
    _open_finder(page, origin)
    _choose(page, needs=[_index(directory, "needs", pair[0])], channels=[_index(directory, "channels", pair[1])])
    assert _count(page) == 0
    best = max(len(sets["needs"][pair[0]]), len(sets["channels"][pair[1]]))
    drop = page.locator(".abi-finder__drop")
    assert re.search(rf": {best} teenust$", drop.inner_text())
    always = {s.id for s in directory.always_open() if s.status.value != "closed"}
    assert set(_shown_ids(page)) == always and always
    drop.click()
    assert _count(page) == best


def _patched_data(directory: Directory, start: dt.date) -> str:
    """The finder's data for a window starting on `start`, with two services of known hours added: an office
    open on weekdays (shorter on the last Friday of the month, closed on public holidays) and a night line."""
    template = next(s for s in directory.services.values() if directory.public_channels(s)
                    and directory.public_channels(s)[0].type.value == "phone")
    owner = directory.organisation_of[template.id]
    extra = Directory(directory.root, directory.taxonomies, dict(directory.organisations), dict(directory.services),
                      dict(directory.organisation_of), today=directory.today)
    for service_id, expression in (("test-office", OFFICE), ("test-night", NIGHT)):
        channel = directory.public_channels(template)[0].model_copy(update={"hours": expression})
        extra.services[service_id] = template.model_copy(update={
            "id": service_id, "channels": [channel], "hours": None,
            "name": template.name.model_copy(update={"root": {"et": service_id}})})
        extra.organisation_of[service_id] = owner
    return finder.script(finder.finder_data(extra, "et", pages.Paths("directory"), start))


CLOCKS = [
    # (case, Tallinn wall clock, window start, office line, night line)
    ("weekday morning", dt.datetime(2026, 12, 9, 10, 0), dt.date(2026, 12, 7), "avatud kuni 17:00", "avatakse 19:00"),
    ("Sunday night", dt.datetime(2026, 12, 6, 23, 30), dt.date(2026, 12, 6), "avatakse E 09:00", "avatud kuni E 07:00"),
    ("past midnight", dt.datetime(2026, 12, 8, 2, 0), dt.date(2026, 12, 7), "avatakse 09:00", "avatud kuni 07:00"),
    ("Christmas Eve, a public holiday", dt.datetime(2026, 12, 24, 10, 0), dt.date(2026, 12, 20), "avatakse E 09:00",
     "avatakse 19:00"),
    ("the night clocks go forward", dt.datetime(2026, 3, 29, 4, 30), dt.date(2026, 3, 27), "avatakse E 09:00",
     "avatud kuni 07:00"),
    ("the last Friday of a month, afternoon", dt.datetime(2027, 1, 29, 14, 0), dt.date(2027, 1, 20),
     "avatakse E 09:00", "avatakse 19:00"),
    ("an ordinary Friday, afternoon", dt.datetime(2027, 1, 22, 14, 0), dt.date(2027, 1, 20), "avatud kuni 17:00",
     "avatakse 19:00"),
]


@pytest.mark.parametrize("timezone_id", ["Europe/Tallinn", "America/New_York"])
@pytest.mark.parametrize(("case", "wall", "start", "office", "night"), CLOCKS, ids=[c[0] for c in CLOCKS])
def test_open_now_at_fixed_clocks(browser: Browser, origin: str, directory: Directory, timezone_id: str,
                                  case: str, wall: dt.datetime, start: dt.date, office: str, night: str) -> None:
    """Open now and "until"/"opens" in Tallinn time, from the intervals the build computed, whatever the device's
    time zone; with "open now" ticked only open services remain."""
    context, _ = _open_context(browser, origin, timezone_id=timezone_id)
    page = context.new_page()
    body = _patched_data(directory, start)
    page.route("**/data/finder-et.js", lambda route: route.fulfill(body=body, content_type="text/javascript"))
    page.clock.set_fixed_time(wall.replace(tzinfo=TALLINN))
    _open_finder(page, origin)
    _choose(page, needs=[])  # nothing chosen: every service is listed
    page.click("#abi-finder-more") if page.locator("#abi-finder-more").count() else None
    for service_id, want in (("test-office", office), ("test-night", night)):
        line = page.locator(f'[data-service="{service_id}"] .abi-finder__when').inner_text()
        assert line == f" — {want}", (case, service_id, line)
    page.check('input[name="open"]')
    shown = set(_shown_ids(page))
    assert ("test-office" in shown) == office.startswith("avatud")
    assert ("test-night" in shown) == night.startswith("avatud")
    context.close()


def test_open_now_is_off_after_the_data_ends(browser: Browser, origin: str, directory: Directory) -> None:
    context, _ = _open_context(browser, origin)
    page = context.new_page()
    body = _patched_data(directory, dt.date(2026, 12, 1))
    page.route("**/data/finder-et.js", lambda route: route.fulfill(body=body, content_type="text/javascript"))
    page.clock.set_fixed_time(dt.datetime(2026, 12, 20, 12, tzinfo=TALLINN))
    _open_finder(page, origin)
    assert page.locator('input[name="open"]').is_disabled()
    assert "aegunud" in page.inner_text("#abi-finder-dataend")
    context.close()


def test_the_list_add_remove_copy_print_nothing_stored(browser: Browser, origin: str) -> None:
    context, recorder = _open_context(browser, origin, viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page = context.new_page()
    _open_finder(page, origin)
    history = page.evaluate("history.length")
    assert page.locator("#abi-picked").is_hidden()
    picks = page.locator(".abi-finder__pick")
    names = page.locator(".abi-finder__name").all_inner_texts()
    for i in range(9):
        picks.nth(i).click()
    picks.nth(8).click()  # removed again
    assert picks.nth(8).get_attribute("aria-pressed") == "false"
    assert page.locator(".abi-picked__item").count() == 8
    page.locator(".abi-picked__remove").first.click()
    assert page.locator(".abi-picked__item").count() == 7
    picks.nth(0).click()
    listed = page.locator(".abi-picked__name").all_inner_texts()
    assert sorted(listed) == sorted(names[:8])
    page.click("#abi-picked-copy")
    expect(page.locator('#abi-picked-status')).not_to_be_empty()  # a locator, not a string eval the CSP refuses
    copied = page.evaluate("navigator.clipboard.readText()")
    assert all(name in copied for name in listed) and "andmeid kontrolliti" in copied
    page.emulate_media(media="print")
    assert page.locator("#abi-picked").is_visible()
    for hidden in ("#abi-finder-form", "#abi-finder-results", ".md-header", ".abi-sos", ".abk-exit",
                   "#abi-picked-print"):
        assert not page.locator(hidden).first.is_visible(), hidden
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # 8 services fit one page
    page.emulate_media(media="screen")
    traces = device_traces(page)
    assert traces["local"] == [] and traces["session"] == [] and traces["cookie"] == ""
    assert page.evaluate("history.length") == history and "#" not in page.url
    context.close()
    recorder.assert_clean()


def test_filters_never_enter_the_url_or_history_and_a_copied_link_restores_them(
        browser: Browser, origin: str, directory: Directory) -> None:
    context, _ = _open_context(browser, origin)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page = context.new_page()
    _open_finder(page, origin)
    before = (page.url, page.evaluate("history.length"))
    _choose(page, counties=[_index(directory, "counties", "tartu")], languages=[_index(directory, "languages", "ru")],
            free=True)
    count = _count(page)
    assert (page.url, page.evaluate("history.length")) == before
    page.click("#abi-finder-copy")
    expect(page.locator('#abi-finder-copied')).not_to_be_empty()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link.startswith(url(origin, "et", "finder/") + "#")
    other = context.new_page()
    other.goto(link)
    other.wait_for_selector("#abi-finder-form:not([hidden])")
    assert _count(other) == count
    assert other.is_checked(f'input[name="counties"][value="{_index(directory, "counties", "tartu")}"]')
    assert other.is_checked('input[name="free"]')
    assert "#" not in other.url  # read once, then gone from the address bar
    context.close()


@pytest.mark.parametrize("print_view", [False, True])
def test_no_wcag_violations(session: tuple[Page, Recorder], origin: str, lang: str, print_view: bool) -> None:
    page, _ = session
    _open_finder(page, origin, lang)
    page.locator(".abi-finder__pick").first.click()
    page.locator("details.abi-finder__group summary").first.click()
    if print_view:
        page.emulate_media(media="print")
    violations = axe(page)["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]


def test_keyboard_only(session: tuple[Page, Recorder], origin: str) -> None:
    page, _ = session
    _open_finder(page, origin)
    total = _count(page)
    page.focus("details.abi-finder__group summary")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "needs"
    page.keyboard.press("Space")
    assert _count(page) < total
    page.focus(".abi-finder__pick")
    page.keyboard.press("Enter")
    assert page.locator(".abi-picked__item").count() == 1


def test_small_phone_one_thumb(phone: tuple[Page, Recorder], origin: str) -> None:
    page, _ = phone
    _open_finder(page, origin)
    page.locator("details.abi-finder__group summary").first.tap()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    heights = page.eval_on_selector_all(".abi-finder__option:visible, .abi-finder__group summary, "
                                        ".abi-finder__pick", "els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 44
    page.locator('input[name="needs"]').first.tap()
    assert page.locator(".abi-finder__result").count() >= 1


def test_without_javascript_the_page_says_so_and_links_needs_and_counties(
        no_js: tuple[Page, Recorder], origin: str, directory: Directory) -> None:
    page, _ = no_js
    page.goto(url(origin, "en", "finder/"))
    assert "switched off" in page.inner_text("main")
    assert page.locator("#abi-finder-form").is_hidden()
    links = page.eval_on_selector_all(".abi-finder__links a", "els => els.map(e => e.href)")
    assert len(links) == len(directory.taxonomies["needs"]) + len(directory.taxonomies["counties"])
    assert all("/directory/need/" in link or "/directory/county/" in link for link in links)


def test_home_page_need_choices_open_the_finder(session: tuple[Page, Recorder], no_js: tuple[Page, Recorder],
                                                origin: str, directory: Directory) -> None:
    page, _ = session
    page.goto(url(origin, "ru", ""))
    first = page.locator(".abi-needs a").first
    assert page.locator(".abi-sos").bounding_box()["y"] < first.bounding_box()["y"]  # emergency numbers first
    first.click()
    page.wait_for_selector("#abi-finder-form:not([hidden])")
    assert page.is_checked('input[name="needs"][value="0"]')
    first_need = next(iter(directory.taxonomies["needs"]))
    assert _count(page) == len(_id_sets(directory)["needs"][first_need])
    plain, _ = no_js
    plain.goto(url(origin, "ru", ""))
    assert f"directory/need/{first_need}/" in plain.locator(".abi-needs a").first.get_attribute("href")


def test_a_service_page_prints_and_copies_itself(browser: Browser, origin: str, paths: dict[str, str]) -> None:
    context, recorder = _open_context(browser, origin)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page = context.new_page()
    page.goto(url(origin, "en", paths["service"]))
    page.click("[data-abi-copy]")
    expect(page.locator('.abi-service-tools [role=status]').first).not_to_be_empty()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(page.inner_text("h1")) and "Print this service" not in copied
    page.emulate_media(media="print")
    assert page.locator(".abi-service h1").is_visible()
    for hidden in (".md-header", ".abi-sos", ".abk-exit", "[data-abi-print]"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert device_traces(page)["local"] == []
    context.close()
    recorder.assert_clean()
