"""Data is text everywhere: markup, an event handler and a Markdown link in every text field of the directory
stay text on every page type of both sites, in the exports and in the offline copy; and a script that is not
ours fails the build."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from html import unescape
from pathlib import Path
from re import sub

import markdown
import pytest
from site_project import build

from abikaart.site.escaping import markdown_link, markdown_text
from abikaart.site.safety import scripts
from hostile import HOSTILE, LETTER, ORGANISATION_ID, SERVICE_ID, Sites, build_all, markup_from_data, shows_payload

PUBLIC_PAGES = {
    "home": "index.html",
    "directory index": "directory/index.html",
    "need": "directory/need/domestic-violence/index.html",
    "county": "directory/county/harju/index.html",
    "24/7": "directory/24-7/index.html",
    "A-Z": "directory/organisations/index.html",
    "service": f"directory/service/{SERVICE_ID}/index.html",
    "organisation": f"directory/organisation/{ORGANISATION_ID}/index.html",
    "404": "404.html",
}
INTERNAL_PAGES = {
    "to verify": "_generated/to-verify/index.html",
    "referral index": "_generated/referrals/index.html",
    "referral list": "_generated/referrals/domestic-violence/index.html",
    "dashboard": "_generated/dashboard/index.html",
    "letters": "_generated/letters/index.html",
    "letter": f"_generated/letters/{LETTER}/index.html",
}
# One label per kind of text field (tests/hostile.py puts it before the payload); where each must be shown.
FIELDS_SHOWN = {
    f"directory/service/{SERVICE_ID}/index.html": [
        "Teenus", "Kirjeldus", "Teade", "Kellele", "Ligipääs", "Tasu", "Kanal", "Koht", "Uks", "Transport",
        "Koha ligipääs", "Salajane koht", "Salajane uks", "Lähisuhtevägivald"],
    f"directory/organisation/{ORGANISATION_ID}/index.html": ["Asutus", "Teine nimi", "Asutuse kirjeldus", "Telefon"],
    "directory/need/domestic-violence/index.html": ["Termin"],
}
INTERNAL_FIELDS_SHOWN = {
    "_generated/to-verify/index.html": ["Põhjus"],
    "_generated/referrals/domestic-violence/index.html": ["Märge", "Põhjus", "Teade", "Kanal", "Salajane uks"],
    "_generated/dashboard/index.html": ["Teenus", "Põhjus", "Asutus"],
    "_generated/letters/index.html": ["Kiri"],
    f"_generated/letters/{LETTER}/index.html": ["Kiri", "Silt", "Näide", "Teema", "Tekst"],
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Sites:
    return build_all(tmp_path_factory.mktemp("hostile"))


def _pages(site: Path, pages: dict[str, str]) -> dict[str, str]:
    found = {}
    for kind, path in pages.items():
        for prefix in ("", "ru/", "en/"):
            target = site / prefix / path
            if prefix and kind == "404":
                continue
            found[f"{kind} ({prefix or 'et/'}{path})"] = target.read_text(encoding="utf-8")
    return found


@pytest.mark.slow
def test_every_page_type_of_both_sites_shows_the_data_as_text(sites: Sites) -> None:
    pages = {**_pages(sites.public, PUBLIC_PAGES), **_pages(sites.internal, INTERNAL_PAGES)}
    assert len(pages) == 3 * len(PUBLIC_PAGES) - 2 + 3 * len(INTERNAL_PAGES)
    for name, html in pages.items():
        assert markup_from_data(html) == [], name
        assert shows_payload(html), f"{name} does not show the data as text"


@pytest.mark.slow
def test_every_kind_of_text_field_is_shown_escaped(sites: Sites) -> None:
    for site, fields in ((sites.public, FIELDS_SHOWN), (sites.internal, INTERNAL_FIELDS_SHOWN)):
        for path, labels in fields.items():
            html = (site / path).read_text(encoding="utf-8")
            for label in labels:
                assert f"{label} &lt;script&gt;alert" in html, (path, label)


@pytest.mark.slow
def test_no_page_of_either_site_nor_the_offline_copy_holds_markup_from_data(sites: Sites) -> None:
    files = [p for site in (sites.public, sites.internal) for p in site.rglob("*.html")]
    assert len(files) > 100
    for path in files:
        html = path.read_text(encoding="utf-8")
        assert markup_from_data(html) == [], path
        assert scripts.foreign_scripts(html) == [], path  # the build's own check agrees, record pages included
    with zipfile.ZipFile(sites.public / "abikaart-offline.zip") as offline:
        members = [name for name in offline.namelist() if name.endswith(".html")]
        assert any(name.endswith(f"service/{SERVICE_ID}/index.html") for name in members)
        for name in members:
            html = offline.read(name).decode("utf-8")
            assert markup_from_data(html) == [], name


@pytest.mark.slow
def test_exports_keep_the_text_exactly(sites: Sites) -> None:
    data = json.loads((sites.exports / "abikaart.json").read_text(encoding="utf-8"))
    assert f"Teenus {HOSTILE}" in json.dumps(data, ensure_ascii=False)
    with (sites.exports / "abikaart-et.csv").open(encoding="utf-8-sig", newline="") as handle:
        row = next(row for row in csv.DictReader(handle) if row["id"] == SERVICE_ID)
    assert row["name"] == f"Teenus {HOSTILE}"
    assert row["description"] == f"Kirjeldus {HOSTILE}"
    hsds = (sites.exports / "hsds-et.json").read_text(encoding="utf-8")
    assert json.dumps(f"Teenus {HOSTILE}", ensure_ascii=False) in hsds
    assert "&lt;script" not in hsds, "exports hold the text itself, not HTML made of it"


# The one function that makes data Markdown text ------------------------------------------------------------

@pytest.mark.parametrize("value", [
    HOSTILE, "a *b* _c_ `d` | e", "1. not a list", "- not an item", "# not a heading", "=== ", "{: .x}",
    "<https://evil.example>", "&lt;b&gt;", "![i](x.png)", "a\\*b", "~~s~~ ^^u^^ ==m==",
])
def test_markdown_text_renders_to_exactly_its_text(value: str) -> None:
    rendered = markdown.markdown(f"| {markdown_text(value)} |\n|---|\n| x |\n\n{markdown_text(value)}",
                                 extensions=["tables", "attr_list", "admonition"])
    paragraph = rendered[rendered.rindex("<p>"):]
    assert markup_from_data(rendered) == []
    assert "<em>" not in rendered and "<code>" not in rendered and "<h1" not in rendered and "<ol>" not in rendered
    assert "<ul>" not in rendered and "<img" not in rendered and "<a " not in rendered
    assert unescape(sub(r"<[^>]+>", "", paragraph)).strip() == " ".join(value.split())
    assert rendered.count("<td>") == 1, "the value stayed in its cell"


def test_markdown_link_allows_only_web_mail_and_phone() -> None:
    assert markdown_link("javascript:alert(1)", "x") == "x"
    assert markdown_link("https://a.ee/[x](javascript:alert(1))|`", "a").startswith('<a href="https://a.ee/%5Bx%5D')
    assert "|" not in markdown_link("https://a.ee/a|b", "a|b").split(">")[0]
    phone = markdown.markdown(markdown_link("tel:+37251234567", "+372 5123 4567"))
    assert unescape(phone) == '<p><a href="tel:+37251234567">+372 5123 4567</a></p>'


# A script that is not ours fails the build ----------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("markup", [
    "<script>alert(1)</script>", '<img src="x" onerror="alert(1)">', '<a href="javascript:alert(1)">x</a>',
])
def test_a_page_with_a_script_that_is_not_ours_fails_the_build(sites: Sites, tmp_path: Path, markup: str) -> None:
    root = sites.public.parent
    work = tmp_path / "project"
    shutil.copytree(root, work, ignore=shutil.ignore_patterns("site", "site-internal", "exports"))
    page = work / "docs" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n\n{markup}\n", encoding="utf-8")
    result = build(work / "mkdocs.yml", work / "site")
    assert result.exit_code != 0
    assert "about/index.html: " in result.output and "not ours" in result.output, result.output
    assert "Traceback" not in result.output


def test_only_our_templates_and_reviewed_material_scripts_are_allowed() -> None:
    allowed = scripts.allowed_pattern()
    assert allowed.match('__md_scope=new URL("../..",location)' + _base_rest())
    assert not allowed.match('__md_scope=new URL("x",alert(1))' + _base_rest())
    assert not allowed.match('__md_scope=new URL("\\"+alert(1)+\\"",location)' + _base_rest())
    assert not allowed.match("alert(1)")
    material = {script.digest for script in scripts.template_scripts(scripts.material_templates(), "material")}
    assert scripts.reviewed_digests() <= material, "material-scripts.txt lists a script Material no longer has"


def _base_rest() -> str:
    """Material's base script after its printed path, so a test can put another value in that place."""
    base = next(script for script in scripts.template_scripts(scripts.material_templates(), "material")
                if script.template.endswith("javascripts/base.html"))
    return base.text.split('",location)', 1)[1]
