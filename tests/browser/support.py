"""What the browser tests share: the page types, a recorder of everything a browsing session does, helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Response

LANGS = ("et", "ru", "en")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_AXE = Axe()
# Resolves once every finite CSS transition and animation has ended (a cancelled one counts as ended).
_SETTLED = """() => Promise.all(document.getAnimations()
  .filter((a) => Number.isFinite(a.effect.getComputedTiming().endTime))
  .map((a) => a.finished.catch(() => null)))"""
# Page type -> folder of the built site holding one sub-folder per page (or, ending in "/", the page itself).
PAGE_TYPES = {
    "service": "directory/service",
    "organisation": "directory/organisation",
    "need": "directory/need",
    "county": "directory/county",
    "browse-safely": "safe-browsing/",
    "open-data": "open-data/",
}
_EXIT_HREF = re.compile(r'<a class="abk-exit__button" href="([^"]+)"')
# Reports every Content-Security-Policy violation of every document to the recorder.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__abkViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${where}`);
});
"""


def url(origin: str, lang: str, path: str) -> str:
    """Address of `path` (a site path without language prefix) in `lang`."""
    prefix = "" if lang == "et" else f"{lang}/"
    return f"{origin}/{prefix}{path}"


def exit_url_of(page: str) -> str:
    """Where the page's quick exit leads."""
    match = _EXIT_HREF.search(page)
    assert match, "the page has no quick exit link"
    return match.group(1).replace("&amp;", "&")


@dataclass
class Recorder:
    """Everything one browser profile asked for or complained about."""

    origin: str
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.expose_function("__abkViolation", self._violation)
        context.add_init_script(_CSP_LISTENER)
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("requestfailed", lambda request: self._failed_request(request.url, request.failure))
        context.on("response", self._response)
        context.on("console", self._console)
        context.on("weberror", lambda error: self.page_errors.append(str(error.error)))

    def _violation(self, report: str) -> None:
        self.violations.append(report)

    def _failed_request(self, url: str, failure: Any) -> None:
        # ERR_ABORTED: the page was left before a background load finished, which is not a failure of the site
        if url.startswith(self.origin + "/") and "ERR_ABORTED" not in str(failure):
            self.failed.append(f"{failure} {url}")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def assert_clean(self) -> None:
        """Nothing from another origin, no failed request, no CSP violation, no script error."""
        assert self.elsewhere == [], f"requests to other origins: {self.elsewhere}"
        other = [u for u in self.requests if not u.startswith(self.origin + "/") and not u.startswith("data:")]
        assert other == [], f"requests to other origins: {other}"
        assert self.failed == [], f"failed requests: {self.failed}"
        assert self.violations == [], f"Content-Security-Policy violations: {self.violations}"
        assert self.page_errors == [], f"script errors: {self.page_errors}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"


def device_traces(page: Page) -> dict[str, Any]:
    """What the visit left in the browser: storage, service workers, caches, IndexedDB databases."""
    traces: dict[str, Any] = page.evaluate(
        """async () => ({
          local: Object.entries(localStorage),
          session: Object.entries(sessionStorage),
          cookie: document.cookie,
          workers: (await navigator.serviceWorker.getRegistrations()).length,
          caches: await caches.keys(),
          indexedDB: (await indexedDB.databases()).map((db) => db.name),
        })"""
    )
    return traces


def axe(page: Page, context: str | None = None, result_types: tuple[str, ...] = ("violations",)) -> dict[str, Any]:
    """axe-core's WCAG 2.2 A/AA results for the page, once every transition has ended.

    Material fades a button's colours over 125 ms: read half-way (just after a click), a pressed button's light text
    sits on a still-white background and axe reports a contrast nobody ever sees at rest."""
    page.evaluate(_SETTLED)
    options: dict[str, Any] = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    if result_types:
        options["resultTypes"] = list(result_types)
    response: dict[str, Any] = _AXE.run(page, context=context, options=options).response
    return response
