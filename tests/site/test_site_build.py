"""The built site: every page in every language, emergency numbers first, no secrets, no broken links."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pytest
from site_project import DAY_CENTRE_PHONE, NOTICE_TEXT, Project, build, make_project

from abikaart.models import LANGS
from abikaart.site import pages, shell
from abikaart.site.build import site_config
from abikaart.site.plugin import generate, save_if_changed
from abikaart.site.render import strings
from abikaart.site.safety import markup
from helpers import REPO, SHELTER_FRONT_DOOR, assert_no_confidential

PREFIX = {"et": "", "ru": "ru/", "en": "en/"}
FIRST_BYTES = 14 * 1024
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
HAND_WRITTEN = ("", "safe-browsing/", "about/", "how-to-use/", "open-data/", "directory/")


def html_files(site: Path) -> list[Path]:
    found = sorted(site.rglob("*.html"))
    assert len(found) > 100
    return found


def page(site: Path, lang: str, url: str) -> str:
    return (site / PREFIX[lang] / url / "index.html").read_text(encoding="utf-8")


def test_every_record_has_a_page_in_every_language(project: Project) -> None:
    directory = project.directory
    urls = [f"directory/service/{s}/" for s in directory.services]
    urls += [f"directory/organisation/{o}/" for o in directory.organisations]
    urls += [f"directory/need/{n}/" for n in directory.taxonomies["needs"]]
    urls += [f"directory/county/{c}/" for c in directory.taxonomies["counties"]]
    missing = [PREFIX[lang] + url for lang in LANGS for url in [*urls, *HAND_WRITTEN]
               if not (project.site / PREFIX[lang] / url / "index.html").is_file()]
    assert not missing
    assert len(urls) > 60


def test_pages_are_in_their_language(project: Project) -> None:
    for lang in LANGS:
        html = page(project.site, lang, "directory/service/turvakodu-varjupaik/")
        assert f'<html lang="{lang}"' in html
        assert strings()[lang]["contacts"] in html


def test_every_page_starts_with_the_emergency_numbers(project: Project) -> None:
    lines = {lang: pages.emergency_lines(project.directory, lang, pages.Paths("directory"), "116 006")
             for lang in LANGS}
    assert [line.href for line in lines["et"][:2]] == ["tel:112", "tel:116006"]
    for path in html_files(project.site):
        head = path.read_bytes()[:FIRST_BYTES].decode("utf-8", errors="ignore")
        lang = next((code for code in ("ru", "en") if f'<html lang="{code}"' in head), "et")
        for line in lines[lang][:6]:
            assert f'<a href="{line.href}"><strong>{line.display}</strong>' in head, (path, line.display)
        assert strings()[lang]["emergency_title"] in head, path


def test_other_round_the_clock_lines_are_in_the_bar(project: Project) -> None:
    html = page(project.site, "et", "")
    shown = [line for line in pages.emergency_lines(project.directory, "et", pages.Paths("directory"), "116 006")]
    assert len(shown) > 2
    assert "tel:+37251234567" in {line.href for line in shown}, "the shelter's 24/7 phone is a 24/7 line"
    assert html.index("tel:112") < html.index('class="md-header')


def test_no_secret_anywhere_in_the_site(project: Project) -> None:
    fragments = sorted((project.site / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert fragments, "the search index is built"
    texts = [p for p in project.site.rglob("*") if p.suffix in {".html", ".json", ".xml", ".csv", ".txt", ".js"}]
    assert len(texts) > 100
    for path in texts:
        assert_no_confidential(path.read_text(encoding="utf-8-sig", errors="ignore"), project.directory)
    for fragment in fragments:  # Pagefind's fragments are gzip-compressed JSON
        assert_no_confidential(gzip.decompress(fragment.read_bytes()).decode("utf-8", "ignore"), project.directory)


def test_confidential_location_shows_only_its_front_door(project: Project) -> None:
    html = page(project.site, "et", "directory/service/turvakodu-varjupaik/")
    assert SHELTER_FRONT_DOOR in html
    assert strings()["et"]["location_confidential"] in html
    public = page(project.site, "et", "directory/organisation/turvakodu-mtu/")
    assert "Avalik tänav 1" in public, "a non-confidential address is shown"


@pytest.mark.parametrize("lang", LANGS)
def test_a_need_page_lists_its_first_contacts_above_its_other_services(project: Project, lang: str) -> None:
    html, s = page(project.site, lang, "directory/need/domestic-violence/"), strings()[lang]
    services = project.directory.services_for_need("domestic-violence")
    first = [x.id for x in services if "domestic-violence" in x.first_contact_for]
    assert first and len(first) < len(services)  # the data names some, not all
    start, rest = html.index(f">{s['first_contact']}</h2>"), html.index(f">{s['other_services']}</h2>")
    where = {x.id: html.index(f'href="../../service/{x.id}/"') for x in services}
    assert all(start < where[i] < rest for i in first)
    assert all(where[x.id] > rest for x in services if x.id not in first)
    others = sorted((x for x in services if x.id not in first), key=lambda x: where[x.id])
    names = [x.name.get(lang).casefold() for x in others]
    assert names == sorted(names)  # in the page's language: an English page in Estonian order reads as none


@pytest.mark.parametrize("lang", LANGS)
def test_list_pages_are_in_the_alphabetical_order_of_their_language(project: Project, lang: str) -> None:
    directory = project.directory
    for url, services in (("directory/county/tartu/", pages.county_services(directory, "tartu")[0]),
                          ("directory/24-7/", directory.always_open())):
        html = page(project.site, lang, url)
        html = html[html.index('class="abi-list-page"'):]  # past the emergency bar, which links some of them
        shown = sorted(services, key=lambda x: html.index(f'/service/{x.id}/"'))
        names = [x.name.get(lang).casefold() for x in shown]
        assert len(names) > 2 and names == sorted(names), (url, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_notice_and_closure_come_before_the_contacts(project: Project, lang: str) -> None:
    html = page(project.site, lang, "directory/service/turvakodu-remondis/")
    s = strings()[lang]
    contacts = html.index(f">{s['contacts']}</h2>")
    assert html.index(s["status_temporarily-closed"]) < contacts
    notice = {"et": NOTICE_TEXT, "ru": "Закрыто на ремонт", "en": "Closed for repairs"}[lang]
    assert html.index(notice) < contacts
    assert html.index(notice) < html.index("tel:" + DAY_CENTRE_PHONE.replace(" ", ""))


def test_missing_translation_shows_estonian_marked_and_noted(project: Project) -> None:
    html = page(project.site, "ru", "directory/service/turvakodu-tugigrupp/")
    assert "Информация доступна только на эстонском" in html
    assert '<p lang="et">Tugigrupp vägivalla kogenutele.</p>' in html
    assert '<h1 lang="et">Tugigrupp</h1>' in html
    listed = page(project.site, "ru", "directory/organisation/turvakodu-mtu/")
    assert '<a href="../../service/turvakodu-tugigrupp/"><span lang="et">Tugigrupp</span></a>' in listed
    english = page(project.site, "en", "directory/service/turvakodu-tugigrupp/")
    assert "Only available in Estonian" not in english


def test_language_switcher_stays_on_the_same_page(project: Project) -> None:
    html = page(project.site, "ru", "directory/service/turvakodu-varjupaik/")
    assert 'href="../../../../en/directory/service/turvakodu-varjupaik/" hreflang="en"' in html
    assert 'href="../../../../directory/service/turvakodu-varjupaik/" hreflang="et"' in html


def test_a_record_page_is_its_own_page_not_the_shell_it_was_made_from(project: Project) -> None:
    service = project.directory.services["turvakodu-varjupaik"]
    for lang in LANGS:
        html = page(project.site, lang, f"directory/service/{service.id}/")
        title, summary = (escape(" ".join(text.get(lang).split())) for text in (service.name, service.description))
        assert f"<title>{title} - abikaart</title>" in html
        assert f'<meta name="description" content="{summary[:150]}' in html
        switcher = re.findall(r'href="[./]*([a-z/]*directory/service/[^"]*)" hreflang="(\w+)"', html)
        assert sorted(switcher) == sorted((f"{PREFIX[other]}directory/service/{service.id}/", other)
                                          for other in LANGS if other != lang)
        assert html.count("<h1") == 1 and '<main class="md-main"' in html
    organisation = project.directory.organisations["turvakodu-mtu"]
    html = page(project.site, "en", f"directory/organisation/{organisation.id}/")
    assert f"<title>{escape(organisation.name.get('en'))} - abikaart</title>" in html


def test_no_trace_of_the_shells_is_left_in_the_site(project: Project) -> None:
    assert not list(project.site.rglob(f"{shell.SLUG}*"))
    for path in project.site.rglob("*"):
        if path.suffix in {".html", ".xml", ".json", ".js"}:
            text = path.read_text(encoding="utf-8")
            assert shell.SLUG not in text and "ABIKAART-SHELL" not in text, path


SITE_URL = "https://abikaart.ee/"


def _sitemap(path: Path) -> ElementTree.Element:
    return ElementTree.fromstring(path.read_bytes())


def test_the_sitemap_lists_every_page_of_every_language_at_the_site_url(project: Project) -> None:
    urls = _sitemap(project.site / "sitemap.xml").findall("sm:url", SITEMAP_NS)
    locs = [url.findtext("sm:loc", namespaces=SITEMAP_NS) or "" for url in urls]
    assert len(locs) == len(set(locs))
    assert all(loc.startswith(SITE_URL) for loc in locs), [loc for loc in locs if not loc.startswith(SITE_URL)][:3]
    on_disk = {path.parent.relative_to(project.site).as_posix() + "/" for path in project.site.rglob("index.html")}
    on_disk = {"" if path == "./" else path for path in on_disk if not path.startswith(("assets/", "search/"))}
    assert {loc.removeprefix(SITE_URL) for loc in locs} == on_disk
    for lang in LANGS:
        expected = {f"{PREFIX[lang]}directory/service/{s}/" for s in project.directory.services}
        expected |= {f"{PREFIX[lang]}directory/organisation/{o}/" for o in project.directory.organisations}
        assert expected <= on_disk


def test_each_sitemap_address_names_its_translations(project: Project) -> None:
    urls = {url.findtext("sm:loc", namespaces=SITEMAP_NS): url
            for url in _sitemap(project.site / "sitemap.xml").findall("sm:url", SITEMAP_NS)}
    service = "directory/service/turvakodu-varjupaik/"
    expected = {lang: f"{SITE_URL}{PREFIX[lang]}{service}" for lang in LANGS}
    for lang in LANGS:
        links = urls[expected[lang]].findall("xhtml:link", SITEMAP_NS)
        assert {link.get("hreflang"): link.get("href") for link in links} == expected
        assert {link.get("rel") for link in links} == {"alternate"}


def test_the_packed_and_language_sitemaps_are_the_same_file(project: Project) -> None:
    text = (project.site / "sitemap.xml").read_bytes()
    assert gzip.decompress((project.site / "sitemap.xml.gz").read_bytes()) == text
    for lang in ("ru", "en"):
        assert (project.site / lang / "sitemap.xml").read_bytes() == text


def test_robots_txt_points_at_the_sitemap(project: Project) -> None:
    robots = (project.site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots
    assert "Disallow: /" not in robots


def test_every_page_names_its_canonical_address(project: Project) -> None:
    for lang in LANGS:
        for url in ("", "directory/service/turvakodu-varjupaik/", "directory/need/domestic-violence/"):
            html = page(project.site, lang, url)
            assert re.findall(r'<link rel="canonical" href="([^"]*)"', html) == [f"{SITE_URL}{PREFIX[lang]}{url}"]


def test_a_fork_sets_its_own_site_url(monkeypatch: pytest.MonkeyPatch) -> None:
    assert site_config(REPO / "mkdocs.yml").site_url == SITE_URL
    monkeypatch.setenv("ABIKAART_SITE_URL", "https://help.example.org/")
    assert site_config(REPO / "mkdocs.yml").site_url == "https://help.example.org/"


def test_open_data_is_written_with_its_licence(project: Project) -> None:
    for name in ("abikaart.json", "abikaart-et.csv", "hsds-ru.json", "hsds-en.json"):
        assert (project.site / "data" / name).stat().st_size > 100
    for lang in LANGS:
        html = page(project.site, lang, "open-data/")
        assert "CC BY 4.0" in html and "hsds-en.json" in html


def test_the_about_page_offers_the_partner_template_in_every_language(project: Project) -> None:
    import openpyxl

    from abikaart.intake.columns import strings as template_strings

    for lang in LANGS:
        html = page(project.site, lang, "about/")
        links = re.findall(r'href="([^"]*abikaart-partner-template-(\w\w)\.xlsx)"', html)
        assert [code for _, code in links] == [lang, *(code for code in LANGS if code != lang)]
        for link, code in links:
            target = _target(project.site, project.site / PREFIX[lang] / "about" / "index.html", link)
            assert target is not None and target.is_file()
            book = openpyxl.load_workbook(target)
            assert book.sheetnames[0] == template_strings(code)["sheet_services"]
            assert book.worksheets[0]["A1"].value == template_strings(code)["col_id"]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"href", "src"} and value:
                self.found.append(value)


def _target(site: Path, page_path: Path, link: str) -> Path | None:
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    base = site if path.startswith("/") else page_path.parent
    target = (base / path.lstrip("/")).resolve()
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def test_every_page_loads_only_from_the_site_and_hides_where_visitors_came_from(project: Project) -> None:
    """The safety plugin checks the pages MkDocs made; record pages are filled in after it, so check them all here."""
    checked = 0
    for path in html_files(project.site):
        text = path.read_text(encoding="utf-8")
        assert markup.third_party_loads(text, None) == [], path
        assert text.count(markup.CSP_META_START) == 1, path
        for _, attrs, _ in markup.tags(text, ["a"]):
            if attrs.get("href", "").startswith(("http://", "https://", "//")):
                assert {"noopener", "noreferrer"} <= set(attrs.get("rel", "").split()), (path, attrs)
                checked += 1
    assert checked > 100


def test_no_internal_link_is_broken(project: Project) -> None:
    broken = []
    checked = 0
    for path in html_files(project.site):
        parser = _Links()
        parser.feed(path.read_text(encoding="utf-8"))
        for link in parser.found:
            target = _target(project.site, path, link)
            if target is None:
                continue
            checked += 1
            if not target.is_file():
                broken.append(f"{path.relative_to(project.site)} -> {link}")
    assert not broken, "\n".join(broken[:20])
    assert checked > 1000


def _tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_failed_validation_leaves_the_previous_build_untouched(project: Project, tmp_path: Path) -> None:
    config = make_project(tmp_path)
    broken = tmp_path / "directory" / "services" / "turvakodu-remondis.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("needs: [domestic-violence]", "needs: [nope]"),
                      encoding="utf-8")
    site = tmp_path / "site"
    shutil.copytree(project.site, site)
    before = _tree_hash(site)
    result = build(config, site)
    assert result.exit_code == 1
    assert "turvakodu-remondis.yaml" in result.output and "nope" in result.output
    assert _tree_hash(site) == before
    assert not (tmp_path / "docs" / "directory").exists(), "nothing generated from invalid data"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_failed_build_leaves_the_previous_build_untouched(project: Project, tmp_path: Path) -> None:
    config = make_project(tmp_path)
    (tmp_path / "docs" / "about.md").write_text("# Kataloogist\n\n[katki](puudub.md)\n", encoding="utf-8")
    site = tmp_path / "site"
    shutil.copytree(project.site, site)
    before = _tree_hash(site)
    result = build(config, site)
    assert result.exit_code == 1, result.output
    assert _tree_hash(site) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_unchanged_generated_pages_are_not_rewritten(project: Project) -> None:
    files = sorted(project.generated.rglob("*.md"))
    lists = 4 + len(project.directory.taxonomies["needs"]) + len(project.directory.taxonomies["counties"])
    assert len(files) == 3 * (lists + 2)  # the list pages and the two record shells, in three languages
    before = {path: os.stat(path).st_mtime_ns for path in files}
    generated = generate(project.directory, pages.Paths("directory"), "public", "downloads/leaflets")
    written = [page.path for page in generated
               if save_if_changed(project.root / "docs" / page.path, page.content)]
    assert written == []
    assert {path: os.stat(path).st_mtime_ns for path in files} == before


def test_a_changed_page_is_rewritten(tmp_path: Path) -> None:
    target = tmp_path / "x.md"
    assert save_if_changed(target, "# A\n")
    assert not save_if_changed(target, "# A\n")
    assert save_if_changed(target, "# B\n")
    assert target.read_text(encoding="utf-8") == "# B\n"


@pytest.mark.parametrize("lang", LANGS)
def test_every_service_is_reachable_from_the_home_page_without_javascript(project: Project, lang: str) -> None:
    start = (project.site / PREFIX[lang] / "index.html").resolve()
    seen, queue = {start}, [start]
    while queue:
        current = queue.pop()
        parser = _Links()
        parser.feed(current.read_text(encoding="utf-8"))
        for link in parser.found:
            target = _target(project.site, current, link)
            if target and target.suffix == ".html" and target.is_file() and target not in seen:
                seen.add(target)
                queue.append(target)
    services = {(project.site / PREFIX[lang] / "directory" / "service" / s / "index.html").resolve()
                for s in project.directory.services}
    assert services - seen == set()


def test_search_indexes_every_kind_of_page_per_language_and_no_index_on_the_page(project: Project) -> None:
    """One Pagefind index a language, holding services, organisations, needs, counties and hand-written pages;
    pages carry only the lazy script (the index is fetched on the first keystroke)."""
    entry = json.loads((project.site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert set(entry["languages"]) == {"et", "ru", "en"}
    urls = set()
    for fragment in (project.site / "pagefind" / "fragment").glob("*.pf_fragment"):
        body = gzip.decompress(fragment.read_bytes()).decode("utf-8")
        urls.add(json.loads(body[body.index("{"):])["url"])
    for prefix in ("/", "/ru/", "/en/"):
        for path in ("directory/service/turvakodu-varjupaik/", "directory/need/domestic-violence/",
                     "directory/county/harju/", "safe-browsing/"):
            assert prefix + path in urls, prefix + path
        assert any(url.startswith(prefix + "directory/organisation/") for url in urls)
    assert not [url for url in urls if "404" in url]
    for lang in LANGS:
        home = page(project.site, lang, "")
        assert 'class="abi-search__form"' in home and "search.js" in home
        assert "pagefind.js" not in home and "search_index" not in home
        assert 'name="search"' not in home  # Material's own search is off


def test_the_root_404_page_is_estonian_with_its_quick_exit(project: Project) -> None:
    """Static hosts serve the root 404.html for every language; each language build rewrites it, so the
    default language's must be the one left (not whichever was built last)."""
    html = (project.site / "404.html").read_text(encoding="utf-8")
    assert '<html lang="et"' in html
    assert "Lahku kiiresti" in html and "Exit this page" not in html


@pytest.mark.parametrize("lang", LANGS)
def test_counsellors_find_the_offline_copy(project: Project, lang: str) -> None:
    html = page(project.site, lang, "how-to-use/")
    href = re.search(r'href="([^"]*abikaart-offline\.zip)"', html)
    assert href, "the how-to-use page links to the offline copy"
    page_dir = project.site / ("" if lang == "et" else lang) / "how-to-use"
    assert (page_dir / href[1]).resolve().is_file()
