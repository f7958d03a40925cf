"""Fixtures for the browser tests: the real site built once from the bundled directory, served on 127.0.0.1,
and one headless Debian Chromium for the whole session (no browser is ever downloaded)."""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from browser.support import LANGS, PAGE_TYPES, Recorder, exit_url_of

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# What the neutral site "shows" in tests: nothing leaves this machine.
NEUTRAL_PAGE = "<!doctype html><html lang='et'><title>Ilm</title><p>Ilmaprognoos</p></html>"


class QuietHandler(SimpleHTTPRequestHandler):
    """A static file server like GitHub Pages: quiet, and answering a missing page with the site's 404.html."""

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The public site as `abikaart build` makes it from the bundled directory/."""
    out = tmp_path_factory.mktemp("public") / "site"
    command = [str(Path(sys.executable).with_name("abikaart")), "build", "--config", str(ROOT / "mkdocs.yml")]
    result = subprocess.run([*command, "--site-dir", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"abikaart build failed:\n{result.stdout}\n{result.stderr}"
    return out


@pytest.fixture(scope="session")
def origin(built_site: Path) -> Iterator[str]:
    """http://127.0.0.1:<port> serving the built site."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(built_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian's chromium is missing: scripts/test.sh installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def paths(built_site: Path) -> dict[str, str]:
    """Site path (no language prefix) of one page of each type, found in the build rather than hard-coded."""
    found = {}
    for kind, folder in PAGE_TYPES.items():
        if folder.endswith("/"):
            found[kind] = folder
            continue
        pages = sorted(p.parent for p in (built_site / folder).glob("*/index.html"))
        assert pages, f"the build has no {kind} page under {folder}/"
        found[kind] = f"{folder}/{pages[0].name}/"
    found["home"] = ""
    return found


@pytest.fixture(scope="session")
def exit_url(built_site: Path) -> str:
    return exit_url_of((built_site / "index.html").read_text(encoding="utf-8"))


def _open_context(browser: Browser, origin: str, **options: Any) -> tuple[BrowserContext, Recorder]:
    """A fresh browser profile whose every request, failure, console error and CSP violation is recorded.

    Requests to other origins never reach the network: documents get a stand-in neutral page (the quick exit's
    destination), anything else is aborted; all of them are recorded.
    """
    context = browser.new_context(**options)
    recorder = Recorder(origin)
    recorder.attach(context)

    def elsewhere(route: Route) -> None:
        recorder.elsewhere.append(route.request.url)
        if route.request.resource_type == "document":
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=NEUTRAL_PAGE)
        else:
            route.abort()

    context.route(lambda url: not url.startswith(origin + "/"), elsewhere)
    return context, recorder


@pytest.fixture
def session(browser: Browser, origin: str) -> Iterator[tuple[Page, Recorder]]:
    """A page in a fresh profile (1280x800), with its recorder."""
    context, recorder = _open_context(browser, origin, viewport={"width": 1280, "height": 800})
    yield context.new_page(), recorder
    context.close()


@pytest.fixture
def phone(browser: Browser, origin: str) -> Iterator[tuple[Page, Recorder]]:
    """A page in a fresh profile the size of a small phone (360x640), with its recorder."""
    context, recorder = _open_context(browser, origin, viewport={"width": 360, "height": 640}, has_touch=True)
    yield context.new_page(), recorder
    context.close()


@pytest.fixture
def no_js(browser: Browser, origin: str) -> Iterator[tuple[Page, Recorder]]:
    """A page in a fresh profile with JavaScript switched off."""
    context, recorder = _open_context(browser, origin, java_script_enabled=False)
    yield context.new_page(), recorder
    context.close()


@pytest.fixture(params=LANGS)
def lang(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value
