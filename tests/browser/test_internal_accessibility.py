"""axe-core finds no WCAG 2.2 A/AA violation on any page type of the internal site (hand-written guidance, the
referral lists, "to verify", the reports, the letters and the dashboard with its chart) in et, ru and en."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route

from browser.conftest import QuietHandler
from browser.support import Recorder, axe, url
from browser.test_accessibility import RULES_EVERY_PAGE_PASSES, _describe

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
INTERNAL_PAGE_TYPES = {
    "home": "",
    "guidance": "contact/",
    "referral index": "_generated/referrals/",
    "referral list": "_generated/referrals/domestic-violence/",
    "to verify": "_generated/to-verify/",
    "reports": "_generated/reports/",
    "letters": "_generated/letters/",
    "letter": "_generated/letters/referral/",
    "dashboard": "_generated/dashboard/",
}


@pytest.fixture(scope="module")
def internal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The internal site as `abikaart internal build` makes it from the bundled directory/."""
    work = tmp_path_factory.mktemp("internal")
    shutil.copy(ROOT / "mkdocs.internal.yml", work / "mkdocs.internal.yml")
    shutil.copytree(ROOT / "docs-internal", work / "docs-internal",
                    ignore=shutil.ignore_patterns("_generated", "reports"))
    shutil.copytree(ROOT / "letters", work / "letters")
    command = [str(Path(sys.executable).with_name("abikaart")), "internal", "build", "-f",
               str(work / "mkdocs.internal.yml"), "--directory", str(ROOT / "directory"),
               "--site-dir", str(work / "site-internal")]
    result = subprocess.run(command, cwd=work, capture_output=True, text=True)
    assert result.returncode == 0, f"abikaart internal build failed:\n{result.stdout}\n{result.stderr}"
    return work / "site-internal"


@pytest.fixture(scope="module")
def internal_origin(internal_site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(internal_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def internal_session(browser: Browser, internal_origin: str) -> Iterator[tuple[Page, Recorder]]:
    """A fresh profile on the internal site; requests to any other origin are recorded and aborted."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    recorder = Recorder(internal_origin)
    recorder.attach(context)

    def elsewhere(route: Route) -> None:
        recorder.elsewhere.append(route.request.url)
        route.abort()

    context.route(lambda address: not address.startswith(internal_origin + "/"), elsewhere)
    yield context.new_page(), recorder
    context.close()


@pytest.mark.parametrize("kind", list(INTERNAL_PAGE_TYPES))
def test_no_wcag_violations_on_the_internal_site(internal_session: tuple[Page, Recorder], internal_origin: str,
                                                 lang: str, kind: str) -> None:
    page, recorder = internal_session
    response = page.goto(url(internal_origin, lang, INTERNAL_PAGE_TYPES[kind]))
    assert response is not None and response.ok, f"{kind} in {lang}: {response and response.status}"
    result = axe(page)
    passed = {rule["id"] for rule in result["passes"]}
    assert passed >= RULES_EVERY_PAGE_PASSES, f"axe did not check the {kind} page in {lang}: {sorted(passed)}"
    assert result["violations"] == [], f"internal {kind} page in {lang}:\n{_describe(result['violations'])}"
    assert recorder.elsewhere == []


def test_the_dashboard_chart_has_a_text_alternative(internal_session: tuple[Page, Recorder],
                                                    internal_origin: str) -> None:
    """The chart is named and described for assistive technology, and the coverage table says each state in words."""
    page, _ = internal_session
    page.goto(url(internal_origin, "en", INTERNAL_PAGE_TYPES["dashboard"]))
    chart = page.locator("svg[role=img]")
    assert chart.get_attribute("aria-labelledby") == "abi-chart-title abi-chart-desc"
    assert page.locator("#abi-chart-title").text_content() == "Coverage of needs by county"
    assert "Harju County: local " in (page.locator("#abi-chart-desc").text_content() or "")
    first = page.locator("table.abi-coverage tbody td").first
    assert (first.text_content() or "").strip().endswith(("local service", "only nationwide", "no service"))
