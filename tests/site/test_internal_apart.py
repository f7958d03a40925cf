"""No internal page, search entry or asset reaches the public build, built side by side from the same data."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from site_project import Project

from abikaart.cli import main

REPO = Path(__file__).resolve().parents[2]
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.DOTALL)
TAGS = re.compile(r"<[^>]+>")


@pytest.fixture(scope="module")
def internal(project: Project) -> Path:
    root = project.root
    shutil.copy(REPO / "mkdocs.internal.yml", root / "mkdocs.internal.yml")
    shutil.copytree(REPO / "docs-internal", root / "docs-internal",
                    ignore=shutil.ignore_patterns("_generated", "reports"))
    shutil.copytree(REPO / "letters", root / "letters")
    result = CliRunner().invoke(main, ["internal", "build", "-f", str(root / "mkdocs.internal.yml"), "--directory",
                                       str(root / "directory"), "--site-dir", str(root / "site-internal")])
    assert result.exit_code == 0, result.output
    return root / "site-internal"


def _files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_no_internal_page_or_asset_is_in_the_public_build(project: Project, internal: Path) -> None:
    public, inside = _files(project.site), _files(internal)
    internal_pages = [p for p in inside if p.endswith(".html") and (p.startswith(("_generated/", "ru/_generated/",
                      "en/_generated/")) or p not in public)]
    assert any("_generated/letters/" in p for p in internal_pages)  # the build really has internal pages
    assert not [p for p in internal_pages if p in public]
    public_digests = {_digest(p) for p in public.values()}
    own_assets = [p for p in inside if p.startswith("assets/") and p not in public]
    assert not [p for p in own_assets if _digest(inside[p]) in public_digests]


def test_no_internal_heading_or_search_entry_is_in_the_public_build(project: Project, internal: Path) -> None:
    public, inside = _files(project.site), _files(internal)
    headings = set()
    for rel, path in inside.items():
        if rel.endswith(".html") and rel not in public:
            for match in H1.findall(path.read_text(encoding="utf-8")):
                text = html.unescape(TAGS.sub("", match)).strip()
                if len(text) > 12:
                    headings.add(text)
    assert len(headings) > 20
    public_text = "\n".join(html.unescape(p.read_text(encoding="utf-8", errors="replace"))
                            for r, p in public.items() if r.endswith((".html", ".json", ".xml", ".txt", ".js")))
    assert not sorted(h for h in headings if h in public_text)
    locations = set(_search_urls(project.site))
    assert any("/directory/service/" in loc for loc in locations)  # the public index was read
    assert not [loc for loc in locations if "_generated/letters" in loc or "to-verify" in loc]


def _search_urls(site: Path) -> list[str]:
    """The page addresses in Pagefind's index: each fragment is gzip'd `pagefind_dcd` + JSON."""
    urls = []
    for fragment in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        urls.append(json.loads(data)["url"])
    return urls
