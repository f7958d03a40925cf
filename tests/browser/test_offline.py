"""The offline copy for counsellors: a zip of the site that works opened from disk and loads nothing from anywhere."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

pytestmark = pytest.mark.browser

ZIP_NAME = "abikaart-offline.zip"
# Attributes through which a file makes the browser fetch something by itself, pointing at another origin.
_REMOTE_SRC = re.compile(r"\s(?:src|srcset|data|poster)\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)
_REMOTE_LINK = re.compile(r"<link\b(?![^>]*\brel=\"?(?:alternate|canonical)\b)[^>]*\bhref=[\"']?(?:https?:)?//", re.I)
_REMOTE_CSS = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"']?)(?:https?:)?//", re.IGNORECASE)
_CDN_URL = re.compile(r"https?://[^\s\"'`)]*(?:unpkg|jsdelivr|cdnjs|iframe-worker|googleapis|gstatic)[^\s\"'`)]*")
# Material's bundle can fetch two scripts from unpkg, only when needed: a ResizeObserver polyfill for browsers
# older than 2020 and mermaid for diagrams (we have none). The Content-Security-Policy of every page, offline copy
# included, allows scripts from the site itself only, so neither can ever load.
MATERIAL_CONDITIONAL = {
    "https://unpkg.com/resize-observer-polyfill",
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js",
}
_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"')


@pytest.fixture(scope="module")
def offline(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The offline copy unpacked, as a counsellor would."""
    target = tmp_path_factory.mktemp("offline")
    with zipfile.ZipFile(built_site / ZIP_NAME) as archive:
        archive.extractall(target)
    return target / "abikaart"


@pytest.fixture
def disk_page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page in a fresh profile where anything not on disk is recorded and refused."""
    context = browser.new_context()
    remote: list[str] = []

    def refuse(route: Route) -> None:
        remote.append(route.request.url)
        route.abort()

    context.route(lambda address: not address.startswith("file://"), refuse)
    yield context.new_page(), remote
    context.close()


def test_the_copy_holds_every_language_and_no_third_party_reference(offline: Path) -> None:
    for index in ("index.html", "ru/index.html", "en/index.html"):
        assert (offline / index).is_file(), f"{index} missing from the offline copy"
    checked = 0
    for path in offline.rglob("*"):
        if path.suffix not in (".html", ".css", ".js", ".xml", ".json"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        where = path.relative_to(offline)
        assert not _REMOTE_SRC.search(text), f"{where} loads a file from another site"
        assert not _REMOTE_LINK.search(text) or path.suffix != ".html", f"{where} links a remote stylesheet or icon"
        assert not _REMOTE_CSS.search(text) or path.suffix != ".css", f"{where} imports from another site"
        cdn = set(_CDN_URL.findall(text))
        assert cdn <= (MATERIAL_CONDITIONAL if path.suffix == ".js" else set()), f"{where} names a CDN: {cdn}"
        if path.suffix == ".html" and path.name != "404.html":
            policy = _CSP.search(text)
            assert policy, f"{where} has no Content-Security-Policy"
            assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in policy.group(1) and "http" not in policy.group(1)
        checked += 1
    assert checked > 100


def test_links_lead_to_files_not_folders(offline: Path) -> None:
    page = (offline / "directory" / "index.html").read_text(encoding="utf-8")
    relative = re.findall(r"\shref=\"((?!https?:|mailto:|tel:|#)[^\"]*)\"", page)
    assert relative, "the directory page has no relative links"
    to_folders = [href for href in relative if href.split("#")[0].endswith("/") or href in (".", "..")]
    assert to_folders == []


def test_a_service_page_opens_from_disk_and_its_links_work(disk_page: tuple[Page, list[str]], offline: Path) -> None:
    page, remote = disk_page
    service = sorted((offline / "directory" / "service").glob("*/index.html"))[0]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(service.as_uri())
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".abi-sos a[href='tel:112']")).to_be_visible()
    expect(page.locator(".abk-exit__button")).to_be_visible()

    page.locator("article a[href*='organisation/']").first.click()
    expect(page).to_have_url(re.compile(r"^file://.*/directory/organisation/[^/]+/index\.html$"))
    expect(page.locator("h1")).to_be_visible()

    page.hover(".md-header .md-select > button")
    page.click('.md-header .md-select__link[hreflang="ru"]')
    expect(page).to_have_url(re.compile(r"^file://.*/ru/directory/organisation/[^/]+/index\.html$"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")

    assert remote == []
    assert errors == []


def test_the_finder_works_from_disk(disk_page: tuple[Page, list[str]], offline: Path) -> None:
    """The data is a script, not a fetch, so the finder filters from file:// too; its results open the pages."""
    page, remote = disk_page
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((offline / "ru" / "finder" / "index.html").as_uri())
    expect(page.locator("#abi-finder-form")).to_be_visible()
    total = page.locator(".abi-finder__result").count()
    page.locator('details[data-group="languages"] summary').click()
    page.check('input[name="languages"]>> nth=1')
    assert 0 < page.locator(".abi-finder__result").count() < total
    page.locator(".abi-finder__name a").first.click()
    expect(page).to_have_url(re.compile(r"^file://.*/ru/directory/service/[^/]+/index\.html$"))
    assert remote == [] and errors == []
