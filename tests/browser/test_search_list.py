"""The list for the client from search results, in real headless Chromium: "add to list" on a service result
(any page), the same list as the finder's, print view and copy, public contacts only, nothing stored, the query
never in the URL or history, axe-core with the button and the list showing, keyboard only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from abikaart.directory import Directory, load_directory
from browser.conftest import _open_context
from browser.support import LANGS, Recorder, axe, device_traces, url

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
QUERY = {"et": "ohvriabi kriisitelefon", "ru": "насилие", "en": "violence"}


@pytest.fixture(scope="module")
def directory() -> Directory:
    loaded = load_directory(ROOT / "directory", base=ROOT).directory
    assert loaded is not None
    return loaded


def _search(page: Page, query: str) -> None:
    page.fill("#abi-search-input", query)
    page.wait_for_selector("#abi-search-results[aria-busy='false']")
    page.wait_for_selector("#abi-search-results .abi-search__pick")


def _result_ids(page: Page) -> list[str]:
    return page.eval_on_selector_all("#abi-search-results .abi-search__pick", "els => els.map(e => e.dataset.listId)")


def test_add_from_a_search_result_then_print_and_copy(browser: Browser, origin: str, directory: Directory) -> None:
    context, recorder = _open_context(browser, origin, viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    page = context.new_page()
    page.goto(url(origin, "et", ""))
    before = (page.url, page.evaluate("history.length"))
    assert page.locator("#abi-picked").is_hidden()
    _search(page, "ohvriabi kriisitelefon")
    first, second = _result_ids(page)[:2]
    buttons = page.locator("#abi-search-results .abi-search__pick")
    buttons.nth(0).click()
    buttons.nth(1).click()
    assert buttons.nth(0).get_attribute("aria-pressed") == "true"
    assert page.locator("#abi-picked").is_visible()
    names = page.locator(".abi-picked__name").all_inner_texts()
    assert names == [directory.services[first].name.get("et"), directory.services[second].name.get("et")]
    item = page.locator(".abi-picked__item").first
    assert item.locator(".abi-picked__contacts li").count() == len(directory.public_channels(directory.services[first]))
    assert directory.services[first].verified.strftime("%d.%m.%Y") in item.inner_text()
    buttons.nth(1).click()  # removed again
    assert page.locator(".abi-picked__item").count() == 1 and buttons.nth(1).get_attribute("aria-pressed") == "false"
    _search(page, "lähisuhtevägivald")  # new results show what is already in the list
    pressed = page.eval_on_selector_all("#abi-search-results .abi-search__pick[aria-pressed='true']",
                                        "els => els.map(e => e.dataset.listId)")
    assert pressed == [i for i in _result_ids(page) if i == first]
    page.click("#abi-picked-copy")
    expect(page.locator('#abi-picked-status')).not_to_be_empty()  # a locator: the CSP refuses string evals
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Abi, kuhu pöörduda") and names[0] in copied and "andmeid kontrolliti" in copied
    page.emulate_media(media="print")
    assert page.locator("#abi-picked").is_visible() and page.locator(".abi-picked__name").inner_text() == names[0]
    for hidden in (".abi-search", ".md-header", ".abi-sos", ".abk-exit", ".abi-needs", "h1", "#abi-picked-print"):
        assert not page.locator(hidden).first.is_visible(), hidden
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    page.emulate_media(media="screen")
    traces = device_traces(page)
    assert traces == {"local": [], "session": [], "cookie": "", "workers": 0, "caches": [], "indexedDB": []}
    assert (page.url, page.evaluate("history.length")) == before
    assert "kriisitelefon" not in page.evaluate("JSON.stringify(history.state)") and "#" not in page.url
    context.close()
    recorder.assert_clean()


def test_a_search_result_entry_holds_public_contacts_only(session: tuple[Page, Recorder], origin: str,
                                                         directory: Directory) -> None:
    """The women's support centre in Ida-Virumaa has contacts to verify: its entry has only the public ones."""
    page, _ = session
    service = directory.services["naiste-tugikeskus-ida-viru"]
    withheld = [c for c in service.channels if c not in directory.public_channels(service)]
    assert withheld
    page.goto(url(origin, "et", ""))
    _search(page, service.name.get("et"))
    page.click(f'#abi-search-results .abi-search__pick[data-list-id="{service.id}"]')
    text = page.inner_text(".abi-picked__item")
    assert page.locator(".abi-picked__contacts li").count() == len(directory.public_channels(service))
    for channel in withheld:
        assert (channel.number or channel.email or "")[-4:] not in text.replace(" ", "")


def test_search_results_on_the_finder_page_share_its_list(session: tuple[Page, Recorder], origin: str) -> None:
    page, _ = session
    page.goto(url(origin, "en", "finder/"))
    page.wait_for_selector("#abi-finder-form:not([hidden])")
    _search(page, "violence")
    service_id = _result_ids(page)[0]
    page.click(f'#abi-search-results .abi-search__pick[data-list-id="{service_id}"]')
    picked = page.locator(f'#abi-finder-results .abi-finder__pick[data-list-id="{service_id}"]')
    while not picked.count() and page.locator("#abi-finder-more").count():
        page.click("#abi-finder-more")
    assert picked.get_attribute("aria-pressed") == "true"  # the finder's own button knows
    assert page.locator(".abi-picked__item").count() == 1
    assert page.locator("#abi-finder > #abi-picked").count() == 1  # below the finder's results
    picked.click()
    assert page.locator("#abi-picked").is_hidden()


@pytest.mark.parametrize("lang", LANGS)
def test_no_wcag_violations_with_the_add_button(session: tuple[Page, Recorder], origin: str, lang: str) -> None:
    page, _ = session
    page.goto(url(origin, lang, ""))
    _search(page, QUERY[lang])
    page.locator("#abi-search-results .abi-search__pick").first.click()
    assert page.locator("#abi-picked").is_visible()
    violations = axe(page)["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]


def test_add_from_a_search_result_by_keyboard_only(session: tuple[Page, Recorder], origin: str) -> None:
    page, _ = session
    page.goto(url(origin, "en", ""))
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "abi-search-input":
            break
    assert page.evaluate("document.activeElement.id") == "abi-search-input"
    page.keyboard.type("victim support")
    page.keyboard.press("Enter")
    page.wait_for_selector("#abi-search-results .abi-search__pick")
    for _ in range(8):
        page.keyboard.press("Tab")
        if "abi-search__pick" in (page.evaluate("document.activeElement.className") or ""):
            break
    focused = page.evaluate("document.activeElement.dataset.listId")
    assert focused, "Tab never reaches an add button"
    page.keyboard.press("Enter")
    assert page.locator(".abi-picked__item").count() == 1
    assert page.evaluate("document.activeElement.getAttribute('aria-pressed')") == "true"  # focus stays put
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "abi-picked-print":
            break
    assert page.evaluate("document.activeElement.id") == "abi-picked-print", "Tab never reaches the print button"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")  # "remove" on the list item
    assert page.locator("#abi-picked").is_hidden()
