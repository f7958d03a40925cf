"""axe-core (bundled in axe-playwright-python, injected from disk) finds no WCAG 2.2 A/AA violation on any page
type in any language."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from browser.support import PAGE_TYPES, Recorder, axe, url

pytestmark = pytest.mark.browser


def _describe(violations: list[dict[str, Any]]) -> str:
    """One line per rule and element, enough to find and fix it."""
    lines = []
    for violation in violations:
        for node in violation["nodes"][:5]:
            lines.append(f"{violation['id']} ({violation['impact']}): {node['target']} - {node['failureSummary']}")
    return "\n".join(lines)


RULES_EVERY_PAGE_PASSES = {"html-has-lang", "html-lang-valid", "document-title"}
"""Rules every page of ours has something for: if they are not among the passes, axe did not check the page."""


@pytest.mark.parametrize("kind", ["home", *PAGE_TYPES])
def test_no_wcag_violations(
    session: tuple[Page, Recorder], origin: str, paths: dict[str, str], lang: str, kind: str
) -> None:
    page, recorder = session
    page.goto(url(origin, lang, paths[kind]))
    response = axe(page)
    violations = response["violations"]
    passed = {rule["id"] for rule in response["passes"]}
    assert passed >= RULES_EVERY_PAGE_PASSES, f"axe did not check the {kind} page in {lang}: {sorted(passed)}"
    assert violations == [], f"{kind} page in {lang}:\n{_describe(violations)}"
    assert recorder.elsewhere == []  # axe ran from disk: it fetched nothing


def test_axe_reports_violations_it_is_shown(session: tuple[Page, Recorder], origin: str) -> None:
    """The same run finds what is wrong when a page has it (an image without text, a page without a language),
    so the test above can fail."""
    page, _ = session
    page.goto(url(origin, "et", ""))
    page.evaluate("""() => {
        document.documentElement.removeAttribute("lang");
        document.querySelector("main, body").prepend(document.createElement("img"));
    }""")
    found = {rule["id"] for rule in axe(page)["violations"]}
    assert {"image-alt", "html-has-lang"} <= found, found
