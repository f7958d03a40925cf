"""axe-core (bundled in axe-playwright-python, injected from disk) finds no WCAG 2.2 A/AA violation on any page
type in any language."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from browser.support import PAGE_TYPES, Recorder, url

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE = Axe()


def _describe(violations: list[dict[str, Any]]) -> str:
    """One line per rule and element, enough to find and fix it."""
    lines = []
    for violation in violations:
        for node in violation["nodes"][:5]:
            lines.append(f"{violation['id']} ({violation['impact']}): {node['target']} - {node['failureSummary']}")
    return "\n".join(lines)


@pytest.mark.parametrize("kind", ["home", *PAGE_TYPES])
def test_no_wcag_violations(
    session: tuple[Page, Recorder], origin: str, paths: dict[str, str], lang: str, kind: str
) -> None:
    page, recorder = session
    page.goto(url(origin, lang, paths[kind]))
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    violations = results.response["violations"]
    assert results.response["passes"] or results.response["incomplete"] or violations is not None
    assert violations == [], f"{kind} page in {lang}:\n{_describe(violations)}"
    assert recorder.elsewhere == []  # axe ran from disk: it fetched nothing
