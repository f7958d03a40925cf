"""The internal site's finder in real headless Chromium, built by `abikaart internal build` from the bundled
directory: contacts to verify are shown marked with their reason (never as a link, never counted by a filter or
as open, never in the client's list), internal notes are shown; the filters give exactly what the public finder
gives; the public finder has neither; nothing stored, nothing in the URL or history; axe-core in 3 languages."""

from __future__ import annotations

import datetime as dt
import functools
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from abikaart.directory import Directory, load_directory
from abikaart.site import finder, pages
from browser.conftest import QuietHandler, _open_context
from browser.support import LANGS, Recorder, axe, device_traces, url

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
FINDER = "_generated/finder/"
MARK = {"et": "KONTROLLIDA", "ru": "ПРОВЕРИТЬ", "en": "TO VERIFY"}


@pytest.fixture(scope="module")
def directory() -> Directory:
    result = load_directory(ROOT / "directory", ROOT)
    assert result.directory is not None
    return result.directory


@pytest.fixture(scope="module")
def internal_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The internal site as `abikaart internal build` makes it from the bundled directory, on 127.0.0.1."""
    out = tmp_path_factory.mktemp("internal") / "site-internal"
    command = [str(Path(sys.executable).with_name("abikaart")), "internal", "build", "--site-dir", str(out)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"abikaart internal build failed:\n{result.stdout}\n{result.stderr}"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def inside(browser: Browser, internal_origin: str) -> Iterator[tuple[Page, Recorder]]:
    context, recorder = _open_context(browser, internal_origin, viewport={"width": 1280, "height": 800})
    yield context.new_page(), recorder
    context.close()


def _open(page: Page, origin: str, path: str, lang: str = "et") -> None:
    page.goto(url(origin, lang, path))
    page.wait_for_selector("#abi-finder-form:not([hidden])")


def _tick(page: Page, name: str, value: str) -> None:
    group = page.locator(f'details[data-group="{name}"]')
    if group.count() and group.get_attribute("open") is None:
        group.locator("summary").click()
    page.check(f'input[name="{name}"][value="{value}"]')


def _index(directory: Directory, kind: str, term: str) -> str:
    return str(list(directory.taxonomies[kind]).index(term))


def _all_shown(page: Page) -> list[str]:
    while page.locator("#abi-finder-more").count():
        page.click("#abi-finder-more")
    return page.eval_on_selector_all("#abi-finder-results [data-service]", "els => els.map(e => e.dataset.service)")


def _withheld(directory: Directory, service_id: str) -> list[Any]:
    service = directory.services[service_id]
    return [c for c in service.channels if c not in directory.public_channels(service)]


def test_contacts_to_verify_are_marked_and_internal_notes_shown(inside: tuple[Page, Recorder], internal_origin: str,
                                                               directory: Directory) -> None:
    """Domestic violence in Ida-Virumaa: the county's women's support centre has contacts to verify; each shown
    service has exactly its withheld contacts marked (with the reason, no link) and its internal note."""
    page, recorder = inside
    _open(page, internal_origin, FINDER)
    _tick(page, "needs", _index(directory, "needs", "domestic-violence"))
    _tick(page, "counties", _index(directory, "counties", "ida-viru"))
    shown = _all_shown(page)
    assert "naiste-tugikeskus-ida-viru" in shown
    marked = notes = 0
    for service_id in shown:
        card = page.locator(f'[data-service="{service_id}"]')
        withheld = _withheld(directory, service_id)
        rows = card.locator(".abi-finder__unverified")
        assert rows.count() == len(withheld), service_id
        for row, channel in zip(rows.all(), withheld, strict=True):
            text = row.inner_text()
            assert text.startswith("KONTROLLIDA ") and f"kinnitamata, põhjus: {channel.to_verify}" in text, text
            assert row.locator("a").count() == 0  # never a number to press as if it worked
        note = directory.services[service_id].internal_note
        assert card.locator(".abi-finder__note").count() == (1 if note else 0)
        if note:
            assert note in card.locator(".abi-finder__note").inner_text()
        marked += len(withheld)
        notes += bool(note)
    assert marked and notes
    recorder.assert_clean()


def _option_counts(page: Page) -> list[str | None]:
    return page.eval_on_selector_all(".abi-finder__count", "els => els.map(e => e.textContent)")


@pytest.mark.parametrize("chosen", [
    {"needs": ["domestic-violence"], "counties": ["ida-viru"], "languages": ["ru"], "open": True},
    {"needs": ["violence-against-women"], "channels": ["email"]},
    {"channels": ["phone"], "open": True, "free": True},
    {"counties": ["jarva"], "audiences": ["women"]},
], ids=["ru-ida-viru-open", "email", "phone-open-free", "jarva-women"])
def test_filters_give_what_the_public_finder_gives(browser: Browser, origin: str, internal_origin: str,
                                                   directory: Directory, chosen: dict[str, Any]) -> None:
    """A contact to verify counts for no filter and is never open: the internal finder lists exactly the public
    finder's services and option counts, at the same clock."""
    clock = dt.datetime.now(finder.hours.TIMEZONE).replace(hour=21, minute=30, second=0, microsecond=0)
    found = []
    for site, path in ((origin, "finder/"), (internal_origin, FINDER)):
        context, _ = _open_context(browser, site)
        page = context.new_page()
        page.clock.set_fixed_time(clock)
        _open(page, site, path)
        for name, values in chosen.items():
            if values is True:
                page.check(f'input[name="{name}"]')
            else:
                for value in values:
                    _tick(page, name, _index(directory, name, value))
        found.append((sorted(_all_shown(page)), _option_counts(page)))
        context.close()
    assert found[0] == found[1]


def test_the_public_finder_has_no_contact_to_verify_and_no_note(session: tuple[Page, Recorder], origin: str,
                                                               directory: Directory) -> None:
    page, _ = session
    _open(page, origin, "finder/")
    shown = _all_shown(page)
    assert len(shown) == sum(1 for s in directory.services.values() if s.status.value != "closed")
    assert page.locator(".abi-finder__unverified, .abi-finder__verify, .abi-finder__note").count() == 0
    assert page.evaluate("window.abikaartFinderData.services"
                         ".every(s => !('in' in s) && s.ch.every(c => c.length === 6))")
    text = page.inner_text("main")
    assert not [s.id for s in directory.services.values() if s.internal_note and s.internal_note[:40] in text]
    assert "KONTROLLIDA" not in text


def test_the_client_list_leaves_out_contacts_to_verify_and_notes(browser: Browser, internal_origin: str,
                                                                 directory: Directory) -> None:
    context, recorder = _open_context(browser, internal_origin, viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=internal_origin)
    page = context.new_page()
    _open(page, internal_origin, FINDER)
    before = (page.url, page.evaluate("history.length"))
    _tick(page, "counties", _index(directory, "counties", "ida-viru"))
    service = directory.services["naiste-tugikeskus-ida-viru"]
    card = page.locator(f'[data-service="{service.id}"]')
    card.locator(".abi-finder__pick").click()
    assert card.locator(".abi-finder__pick").get_attribute("aria-pressed") == "true"
    item = page.locator(".abi-picked__item")
    assert item.count() == 1
    assert item.locator(".abi-picked__contacts li").count() == len(directory.public_channels(service))
    page.click("#abi-picked-copy")
    expect(page.locator('#abi-picked-status')).not_to_be_empty()  # a locator: the CSP refuses string evals
    copied = page.evaluate("navigator.clipboard.readText()")
    assert service.name.get("et") in copied
    withheld = _withheld(directory, service.id)
    assert withheld
    for channel in withheld:
        assert channel.to_verify[:30] not in copied
        assert pages.contact(directory, service, channel, "et").display not in copied
    assert service.internal_note and service.internal_note[:30] not in copied and "KONTROLLIDA" not in copied
    page.emulate_media(media="print")
    assert page.locator("#abi-picked").is_visible()
    for hidden in ("#abi-finder-form", "#abi-finder-results", ".md-header", ".md-sidebar", ".abk-exit", "h1"):
        assert not page.locator(hidden).first.is_visible(), hidden
    page.emulate_media(media="screen")
    traces = device_traces(page)
    assert traces["local"] == [] and traces["session"] == [] and traces["cookie"] == ""
    assert (page.url, page.evaluate("history.length")) == before
    context.close()
    recorder.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_no_wcag_violations(inside: tuple[Page, Recorder], internal_origin: str, directory: Directory,
                            lang: str) -> None:
    """With a group open, a contact to verify and a note on screen, and the list for the client showing."""
    page, _ = inside
    _open(page, internal_origin, FINDER, lang)
    _tick(page, "counties", _index(directory, "counties", "ida-viru"))
    assert page.locator(".abi-finder__verify").first.inner_text().strip() == MARK[lang]
    assert page.locator(".abi-finder__note").count() >= 1
    page.locator(".abi-finder__pick").first.click()
    violations = axe(page)["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]


def test_keyboard_only(inside: tuple[Page, Recorder], internal_origin: str) -> None:
    page, _ = inside
    _open(page, internal_origin, FINDER)
    total = len(_all_shown(page))
    page.focus("details.abi-finder__group summary")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "needs"
    page.keyboard.press("Space")
    assert len(_all_shown(page)) < total
    page.focus(".abi-finder__pick")
    page.keyboard.press("Enter")
    assert page.locator(".abi-picked__item").count() == 1
