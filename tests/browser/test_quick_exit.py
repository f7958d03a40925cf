"""The quick exit in a real browser: by click and by Shift x3, blanking at once, Back not returning, no JavaScript,
print, and above the fold on a small phone in every language."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from abikaart.site.safety.texts import EXIT_TEXTS
from browser.support import Recorder, url

pytestmark = pytest.mark.browser

FOLD = 640
ABOVE_THE_FOLD = (".abk-exit__button", '.abi-sos a[href="tel:112"]', '.abi-sos a[href="tel:116006"]')


def _wait_until_left(page: Page, origin: str, exit_url: str) -> None:
    """Wait for the browser to settle on a page that is not ours, and check it is the neutral site."""
    page.wait_for_url(lambda address: not address.startswith(origin), timeout=10_000)
    assert page.url == exit_url
    expect(page.locator("p")).to_have_text("Ilmaprognoos")


def _back_does_not_return(page: Page, origin: str, exit_url: str) -> None:
    """Back from the neutral site never shows one of our pages: they leave again before showing anything."""
    page.go_back(wait_until="commit")
    _wait_until_left(page, origin, exit_url)


@pytest.mark.parametrize("kind", ["home", "service"])
def test_emergency_numbers_and_quick_exit_above_the_fold_on_a_phone(
    phone: tuple[Page, Recorder], origin: str, paths: dict[str, str], lang: str, kind: str
) -> None:
    page, recorder = phone
    page.goto(url(origin, lang, paths[kind]))
    for selector in ABOVE_THE_FOLD:
        target = page.locator(selector)
        expect(target).to_be_visible()
        box = target.bounding_box()
        assert box is not None
        assert box["y"] >= 0 and box["y"] + box["height"] <= FOLD, f"{selector} is below the fold: {box}"
    expect(page.locator(".abk-exit__button")).to_have_text(EXIT_TEXTS[lang]["label"])
    recorder.assert_clean()


def _uncovered(page: Page, selector: str) -> bool:
    """Whether the element is inside the viewport and the topmost thing at its centre (so a tap reaches it)."""
    found: bool = page.evaluate(
        """(selector) => {
          const box = document.querySelector(selector).getBoundingClientRect();
          const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
          return box.top >= 0 && box.bottom <= innerHeight && hit !== null && hit.closest(selector) !== null;
        }""",
        selector,
    )
    return found


def test_quick_exit_stays_in_view_and_is_never_covered(
    phone: tuple[Page, Recorder], origin: str, paths: dict[str, str]
) -> None:
    page, _ = phone
    page.goto(url(origin, "et", paths["service"]))
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    assert page.evaluate("window.scrollY") > 0
    assert _uncovered(page, ".abk-exit__button")
    bar, header = page.locator(".abk-exit").bounding_box(), page.locator(".md-header").bounding_box()
    assert bar and header and header["y"] >= bar["y"] + bar["height"] - 1, "the header slides under the quick exit"

    page.click("label[for='__drawer'].md-header__button")
    expect(page.locator(".md-sidebar--primary")).to_be_in_viewport()
    assert _uncovered(page, ".abk-exit__button")

    page.reload()
    page.evaluate("window.scrollTo(0, 0)")
    page.fill("#abi-search-input", "vägivald")
    expect(page.locator(".abi-search__results li").first).to_be_visible()
    assert _uncovered(page, ".abk-exit__button")
    assert _uncovered(page, "#abi-search-input")


def test_quick_exit_by_click_blanks_the_page_at_once_and_back_does_not_return(
    session: tuple[Page, Recorder], origin: str, paths: dict[str, str], exit_url: str
) -> None:
    page, _ = session
    page.goto(url(origin, "et", ""))
    page.goto(url(origin, "et", paths["service"]))
    # Click and look at the page in the same task, before the neutral site has had any chance to arrive.
    state = page.evaluate(
        """() => {
          document.querySelector(".abk-exit__button").click();
          return [getComputedStyle(document.documentElement).display, document.body.childElementCount];
        }"""
    )
    assert state == ["none", 0]
    _wait_until_left(page, origin, exit_url)
    _back_does_not_return(page, origin, exit_url)


def test_quick_exit_by_shift_three_times(
    session: tuple[Page, Recorder], origin: str, paths: dict[str, str], exit_url: str, lang: str
) -> None:
    page, _ = session
    texts = EXIT_TEXTS[lang]
    page.goto(url(origin, lang, ""))
    page.goto(url(origin, lang, paths["service"]))
    status, dots = page.locator(".abk-exit__status"), page.locator(".abk-exit__dot.is-on")

    page.keyboard.press("Shift")
    expect(status).to_have_text(texts["left_2"])
    expect(dots).to_have_count(1)
    page.keyboard.press("Shift")
    expect(status).to_have_text(texts["left_1"])
    expect(dots).to_have_count(2)
    page.keyboard.press("Shift")
    _wait_until_left(page, origin, exit_url)
    _back_does_not_return(page, origin, exit_url)


def test_any_other_key_resets_the_count(session: tuple[Page, Recorder], origin: str, paths: dict[str, str]) -> None:
    page, _ = session
    address = url(origin, "en", paths["service"])
    page.goto(address)
    status = page.locator(".abk-exit__status")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("a")
    expect(status).to_have_text(EXIT_TEXTS["en"]["cancelled"])
    expect(page.locator(".abk-exit__dot.is-on")).to_have_count(0)
    # Shift held for a capital letter is typing, not a press on its own
    page.keyboard.press("Shift+A")
    page.keyboard.press("Shift")
    expect(status).to_have_text(EXIT_TEXTS["en"]["left_2"])
    assert page.url == address


def test_shift_presses_expire_after_five_seconds(
    session: tuple[Page, Recorder], origin: str, paths: dict[str, str]
) -> None:
    page, _ = session
    page.clock.install()
    address = url(origin, "en", paths["service"])
    page.goto(address)
    status = page.locator(".abk-exit__status")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.clock.run_for(5_001)
    expect(status).to_have_text(EXIT_TEXTS["en"]["cancelled"])
    page.keyboard.press("Shift")
    expect(status).to_have_text(EXIT_TEXTS["en"]["left_2"])
    assert page.url == address


def test_coming_back_on_purpose_is_not_bounced(
    session: tuple[Page, Recorder], origin: str, paths: dict[str, str], exit_url: str
) -> None:
    page, _ = session
    page.goto(url(origin, "et", paths["service"]))
    page.click(".abk-exit__button")
    _wait_until_left(page, origin, exit_url)
    home = url(origin, "et", "")
    page.goto(home)
    expect(page.locator(".abk-exit__button")).to_be_visible()
    assert page.url == home


def test_quick_exit_works_without_javascript(
    no_js: tuple[Page, Recorder], origin: str, paths: dict[str, str], exit_url: str
) -> None:
    page, recorder = no_js
    page.goto(url(origin, "ru", paths["service"]))
    for selector in ABOVE_THE_FOLD:
        expect(page.locator(selector)).to_be_visible()
    link = page.locator(".abk-exit__button")
    expect(link).to_have_attribute("href", exit_url)
    assert "noreferrer" in (link.get_attribute("rel") or "").split()
    expect(page.locator(".abk-exit__hint")).to_be_hidden()  # Shift x3 needs JavaScript: no promise made
    recorder.assert_clean()
    link.click()
    _wait_until_left(page, origin, exit_url)


def test_quick_exit_is_not_printed(session: tuple[Page, Recorder], origin: str, paths: dict[str, str]) -> None:
    page, _ = session
    page.goto(url(origin, "et", paths["service"]))
    expect(page.locator(".abk-exit")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".abk-exit")).to_be_hidden()
