"""Safety and privacy in a real browser: nothing from other origins, no failed request, no CSP violation, nothing
left on the device, and a language switcher that keeps you on the same page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from browser.support import LANGS, PAGE_TYPES, Recorder, device_traces, url

pytestmark = pytest.mark.browser

NOTHING_LEFT = {"local": [], "session": [], "cookie": "", "workers": 0, "caches": [], "indexedDB": []}


def _switch_language(page: Page, lang: str) -> None:
    """Use the header's language menu as a visitor would (it opens on hover)."""
    page.hover(".md-header .md-select > button")
    page.click(f'.md-header .md-select__link[hreflang="{lang}"]')


def test_a_browsing_session_stays_on_this_site_and_leaves_nothing(
    session: tuple[Page, Recorder], origin: str, paths: dict[str, str]
) -> None:
    page, recorder = session
    page.goto(url(origin, "et", ""))
    page.goto(url(origin, "et", paths["need"]))
    page.goto(url(origin, "et", paths["service"]))
    _switch_language(page, "ru")
    page.wait_for_url(url(origin, "ru", paths["service"]))
    page.wait_for_load_state("networkidle")

    assert len(recorder.requests) >= 8  # pages, styles, scripts, search: the session did load things
    recorder.assert_clean()
    assert page.context.cookies() == []
    assert device_traces(page) == NOTHING_LEFT


@pytest.mark.parametrize(("start", "target"), [("et", "ru"), ("ru", "en"), ("en", "et")])
def test_language_switcher_keeps_the_same_page(
    session: tuple[Page, Recorder], origin: str, paths: dict[str, str], start: str, target: str
) -> None:
    page, recorder = session
    page.goto(url(origin, start, paths["service"]))
    _switch_language(page, target)
    page.wait_for_url(url(origin, target, paths["service"]))
    expect(page.locator("html")).to_have_attribute("lang", target)
    recorder.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_no_page_type_breaks_the_policy_or_fails_a_request(
    session: tuple[Page, Recorder], origin: str, paths: dict[str, str], lang: str
) -> None:
    page, recorder = session
    for kind in ["home", *PAGE_TYPES]:
        page.goto(url(origin, lang, paths[kind]))
        page.wait_for_load_state("networkidle")
        expect(page.locator(".abk-exit__button")).to_be_visible()
    recorder.assert_clean()
    assert device_traces(page) == NOTHING_LEFT


def test_the_not_found_page_is_safe_too(session: tuple[Page, Recorder], origin: str) -> None:
    page, recorder = session
    response = page.goto(f"{origin}/ru/no-such-page/")
    assert response is not None and response.status == 404
    page.wait_for_load_state("networkidle")
    expect(page.locator(".abk-exit__button")).to_be_visible()
    expect(page.locator(".abi-sos")).to_be_visible()
    recorder.failed.remove(f"404 {origin}/ru/no-such-page/")
    recorder.console_errors = [e for e in recorder.console_errors if "404" not in e]
    recorder.assert_clean()
