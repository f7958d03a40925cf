"""The abikaart/safety plugin's output, read from the built site and from a small site of its own (no browser)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from abikaart.site.safety import markup
from abikaart.site.safety.offline import offline_url
from abikaart.site.safety.texts import EXIT_TEXTS

_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
_EXTERNAL_A = re.compile(r"<a\b[^>]*\bhref=\"https?://[^\"]+\"[^>]*>")


@pytest.fixture(scope="module")
def pages(built_site: Path) -> dict[str, str]:
    return {p.relative_to(built_site).as_posix(): p.read_text(encoding="utf-8") for p in built_site.rglob("*.html")}


def test_every_page_of_every_language_is_processed_exactly_once(pages: dict[str, str]) -> None:
    assert len(pages) > 50 and any(name.startswith("ru/") for name in pages) and any(n.startswith("en/") for n in pages)
    for name, page in pages.items():
        assert page.count("data-abk-exit ") == 1, name
        assert page.count(markup.REFERRER_META) == 1, name
        assert page.count(markup.CSP_META_START) == 1, name
        assert re.search(r"<body\b[^>]*><div class=\"abk-exit\"", page), f"{name}: quick exit is not first in <body>"


def test_the_policy_comes_first_and_allows_exactly_the_inline_scripts_of_all_languages(
    pages: dict[str, str],
) -> None:
    policies = set()
    expected = {markup.script_hash(body) for page in pages.values() for body in markup.inline_scripts(page)}
    for name, page in pages.items():
        match = _POLICY.search(page)
        assert match, name
        assert match.start() < page.index("<script"), f"{name}: a script comes before the policy"
        policies.add(match.group(1))
    assert len(policies) == 1
    policy = policies.pop()
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src "))
    # 'self', then 'wasm-unsafe-eval' (Pagefind's WebAssembly; it allows no JavaScript eval), then the hashes
    assert script_src.split()[1:3] == ["'self'", "'wasm-unsafe-eval'"]
    assert set(script_src.split()[3:]) == expected
    assert 1 <= len(expected) <= 12  # Material's inline scripts come down to a handful
    for forbidden in ("'unsafe-inline'", "'unsafe-eval'", "unsafe-hashes", "http:", "https:", "*", "data: 'self'"):
        assert forbidden not in policy.split("; ")[1], forbidden
        assert forbidden not in policy.replace("img-src 'self' data:", ""), forbidden
    assert "object-src 'none'" in policy and "base-uri 'self'" in policy and "worker-src 'self'" in policy


def test_the_quick_exit_speaks_the_page_language(pages: dict[str, str]) -> None:
    for name, page in pages.items():
        lang = name.split("/")[0] if name.split("/")[0] in ("ru", "en") else "et"
        if name == "404.html":
            continue
        assert f">{EXIT_TEXTS[lang]['label']}</a>" in page, name
        assert EXIT_TEXTS[lang]["left_1"] in page, name


def test_links_to_other_sites_give_nothing_away(pages: dict[str, str]) -> None:
    checked = 0
    for name, page in pages.items():
        for tag in _EXTERNAL_A.findall(page):
            rel = markup.attributes(tag[2:-1]).get("rel", "").split()
            assert {"noopener", "noreferrer"} <= set(rel), f"{name}: {tag}"
            checked += 1
    assert checked > 0


def test_no_page_asks_for_a_missing_sitemap(pages: dict[str, str], built_site: Path) -> None:
    for name, page in pages.items():
        assert not re.search(r"<link\b[^>]*\bhreflang=", page), f"{name}: alternate links make Material fetch sitemaps"
    for lang in ("ru", "en"):
        assert (built_site / lang / "sitemap.xml").is_file()


def test_harden_external_links_keeps_rel_and_leaves_own_links() -> None:
    page = '<a href="https://partner.ee/x" rel="nofollow">p</a><a href="https://abi.ee/y">o</a><a href="../z/">z</a>'
    hardened = markup.harden_external_links(page, "abi.ee")
    assert '<a href="https://partner.ee/x" rel="nofollow noopener noreferrer">' in hardened
    assert '<a href="https://abi.ee/y">' in hardened and '<a href="../z/">' in hardened


def test_third_party_loads_are_found_and_metadata_links_are_not() -> None:
    page = (
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css">'
        '<link rel="canonical" href="https://other.example/">'
        '<img src="data:image/png;base64,AA" srcset="a.png 1x, //cdn.example/b.png 2x">'
        '<script src="assets/x.js"></script><a href="https://partner.ee/">p</a>'
    )
    assert markup.third_party_loads(page, "abi.ee") == ["https://fonts.googleapis.com/css", "//cdn.example/b.png"]


@pytest.mark.parametrize(
    ("url", "here", "expected"),
    [
        ("../", "directory/service", "../index.html"),
        ("../../organisation/x/#hours", "directory/service/a", "../../organisation/x/index.html#hours"),
        ("./", "directory", "index.html"),
        ("/ru/", "directory", "../ru/index.html"),
        ("../assets/abikaart/quick-exit.js", "directory", "../assets/abikaart/quick-exit.js"),
        ("https://partner.ee/", "directory", "https://partner.ee/"),
        ("tel:116006", "directory", "tel:116006"),
    ],
)
def test_offline_links_point_at_files(url: str, here: str, expected: str) -> None:
    indexes = {".", "directory", "directory/service/a", "organisation/x", "directory/organisation/x", "ru"}
    assert offline_url(url, here, indexes) == expected


def _build_small_site(folder: Path, theme: str, plugin: str) -> subprocess.CompletedProcess[str]:
    """Build a one-page Material site with the given theme and plugin lines (YAML, indented by the caller)."""
    (folder / "docs").mkdir()
    (folder / "docs" / "index.md").write_text("# Tere\n\n[SKA](https://www.sotsiaalkindlustusamet.ee/)\n")
    config = f"site_name: t\ntheme:\n  name: material\n{theme}plugins:\n  - abikaart/safety{plugin}\n"
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(folder / "mkdocs.yml")]
    return subprocess.run(command, capture_output=True, text=True, cwd=folder)


def test_a_page_loading_a_web_font_is_never_published(tmp_path: Path) -> None:
    result = _build_small_site(tmp_path, "  font:\n    text: Roboto\n", "")
    assert result.returncode != 0
    assert "index.html: loads https://fonts.googleapis.com/css" in result.stderr
    assert "theme.font: false" in result.stderr
    assert not (tmp_path / "site" / "abikaart-offline.zip").exists()


def test_the_exit_url_is_an_option_and_must_be_a_web_address(tmp_path: Path) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir()
    bad.mkdir()
    weather = "https://www.err.ee/ilm"
    assert _build_small_site(good, "  font: false\n", f":\n      exit_url: {weather}").returncode == 0
    page = (good / "site" / "index.html").read_text(encoding="utf-8")
    assert f'<a class="abk-exit__button" href="{weather}" rel="noreferrer noopener">' in page
    assert f'data-abk-exit-url="{weather}"' in page
    assert (good / "site" / "abikaart-offline.zip").is_file()
    result = _build_small_site(bad, "  font: false\n", ":\n      exit_url: weather")
    assert result.returncode != 0 and "exit_url" in result.stderr
