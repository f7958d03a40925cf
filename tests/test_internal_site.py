"""The internal guidance site: built from valid data only, in et/ru/en, with what the public site must not show."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from abikaart import phones
from abikaart.cli import main
from abikaart.directory import load_cached, load_directory
from abikaart.site import internal

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs-internal"
LANGS = ("et", "ru", "en")
TODAY = dt.date.today().isoformat()

# Anything the browser would fetch by itself from another origin: scripts, styles, fonts, images, frames.
EXTERNAL_LOAD = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?\b(?:src|href|srcset|data)\s*=\s*"
    r"[\"']?\s*(?:https?:)?//", re.IGNORECASE)
EXTERNAL_CSS = re.compile(r"(?:@import|url\()\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)

UNVERIFIED = "+372 5123 4567"
REASON = "Only on a 2015 leaflet; nobody answered on 3 November"
NOTE = "Ask for the duty counsellor; first contact always by phone"
SECRET_ADDRESS = "Salajane tänav 13"
FRONT_DOOR = "Kohtumine kokkuleppel telefoni teel"

# The real taxonomies: the hand-written pages link to the referral page of needs by id, so a site built on
# other needs would (rightly) fail its link check.
TAXONOMIES = REPO / "directory" / "taxonomies"

ORGANISATION = f"""id: test-tugikeskus
name: {{et: Testi tugikeskus, ru: Тестовый центр, en: Test support centre}}
description: {{et: Katseandmed., ru: Тестовые данные., en: Test data.}}
source: https://example.ee/tugikeskus
verified: {TODAY}
verified_by: tests
locations:
  - id: varjupaik
    name: {{et: Varjupaik, ru: Приют, en: Shelter}}
    confidential: true
    front_door: {{et: {FRONT_DOOR}, ru: Встреча по договорённости, en: Meeting by arrangement}}
services:
  - id: testi-noustamine
    name: {{et: Testi nõustamine, ru: Тестовое консультирование, en: Test counselling}}
    description: {{et: Nõustamine ja majutus., ru: Консультирование и жильё., en: Counselling and shelter.}}
    needs: [domestic-violence]
    audiences: [victims]
    counties: [harju]
    languages: [et, ru, en]
    channels:
      - type: phone
        number: 116 006
        hours: 24/7
      - type: phone
        number: {UNVERIFIED}
        to_verify: {REASON}
      - type: in-person
        location: varjupaik
    source: https://example.ee/tugikeskus
    verified: {TODAY}
    verified_by: tests
    internal_note: {NOTE}
    see_also: [vana-leinatugi, suletud-teenus]
    notice:
      et: |-
        Jõulude ajal suletud,
        helista 116 006.
  - id: suletud-teenus
    name: {{et: Suletud teenus, ru: Закрытая услуга, en: Closed service}}
    description: {{et: Enam ei tööta., ru: Больше не работает., en: No longer runs.}}
    status: closed
    needs: [domestic-violence]
    audiences: [victims]
    counties: [harju]
    channels:
      - type: phone
        number: 116 123
    source: https://example.ee/suletud
    verified: {TODAY}
    verified_by: tests
  - id: vana-leinatugi
    name: {{et: Vana leinatugi, ru: Старая поддержка в горе, en: Old bereavement support}}
    description: {{et: Leinatugi., ru: Поддержка в горе., en: Bereavement support.}}
    needs: [bereavement]
    audiences: [victims]
    counties: [nationwide]
    channels:
      - type: phone
        number: 1247
    source: https://example.ee/lein
    verified: 2020-01-15
    verified_by: tests
    review_every: 6 months
"""


def _write_directory(root: Path, organisation: str = ORGANISATION) -> Path:
    shutil.copytree(TAXONOMIES, root / "taxonomies")
    (root / "organisations").mkdir(parents=True)
    (root / "organisations" / "test-tugikeskus.yaml").write_text(organisation, encoding="utf-8")
    return root


def _copy_site_sources(target: Path) -> Path:
    """The real config and hand-written pages, copied so a test build writes nothing into the repository."""
    shutil.copy(REPO / "mkdocs.internal.yml", target / "mkdocs.internal.yml")
    shutil.copytree(DOCS, target / "docs-internal", ignore=shutil.ignore_patterns("_generated", "reports"))
    shutil.copytree(REPO / "letters", target / "letters")
    return target / "mkdocs.internal.yml"


def _build(config: Path, directory: Path, site: Path) -> Result:
    return CliRunner().invoke(main, ["internal", "build", "-f", str(config), "--directory", str(directory),
                                     "--site-dir", str(site)])


def _page(site: Path, lang: str, path: str) -> str:
    prefix = site if lang == "et" else site / lang
    return (prefix / path / "index.html").read_text(encoding="utf-8")


def _html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _handwritten() -> dict[str, set[str]]:
    """Hand-written page name -> languages it exists in (suffix layout: page.md, page.ru.md, page.en.md)."""
    pages: dict[str, set[str]] = {}
    for path in DOCS.rglob("*.md"):
        relative = path.relative_to(DOCS)
        if relative.parts[0] in {"_generated", "reports"}:
            continue
        stem, _, lang = relative.name.removesuffix(".md").partition(".")
        pages.setdefault(str(relative.with_name(stem)), set()).add(lang or "et")
    return pages


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The internal site built from the repository's own directory/."""
    work = tmp_path_factory.mktemp("bundled")
    result = _build(_copy_site_sources(work), REPO / "directory", work / "site-internal")
    assert result.exit_code == 0, result.output
    yield work / "site-internal"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The internal site built from a two-service directory (real taxonomies) with an unverified contact."""
    work = tmp_path_factory.mktemp("small")
    config = _copy_site_sources(work)
    period = work / "docs-internal" / "reports" / "2026-10"
    period.mkdir(parents=True)
    (period / "kpi.md").write_text("# Oktoobri näitajad\n\nTekst.\n", encoding="utf-8")
    (period / "waits.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = _build(config, _write_directory(work / "directory"), work / "site-internal")
    assert result.exit_code == 0, result.output
    yield work / "site-internal"


# Hand-written pages ---------------------------------------------------------------------------------------


def test_every_handwritten_page_exists_in_every_language() -> None:
    pages = _handwritten()
    assert len(pages) >= 8  # the letter pages are generated from letters/
    missing = {page: sorted(set(LANGS) - langs) for page, langs in pages.items() if set(LANGS) - langs}
    assert missing == {}


@pytest.mark.slow
def test_every_handwritten_page_is_built_in_every_language(bundled: Path) -> None:
    for page in _handwritten():
        path = "" if page == "index" else page
        for lang in LANGS:
            text = _page(bundled, lang, path)
            assert f'<html lang="{lang}"' in text, (page, lang)


@pytest.mark.slow
def test_letter_placeholders_survive_the_build(bundled: Path) -> None:
    """Placeholders must reach the generated letter pages as written, not be eaten by a template engine."""
    for lang in LANGS:
        page = html.unescape(_page(bundled, lang, "_generated/letters/referral"))
        assert "{{ recipient }}" in page and "{{ need }}" in page
        assert "<code>organisation</code>" in page  # the variables table


# Generated pages -----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_referral_pages_exist_for_every_need_in_every_language(bundled: Path) -> None:
    directory = load_directory(REPO / "directory").directory
    assert directory is not None
    for need, term in directory.taxonomies["needs"].items():
        for lang in LANGS:
            text = _page(bundled, lang, f"_generated/referrals/{need}")
            assert html.escape(term.name.get(lang), quote=False) in text, (need, lang)
    page = _page(bundled, "et", "_generated/referrals/domestic-violence")
    services = directory.services_for_need("domestic-violence")
    where = {s.id: page.index(f'id="{s.id}"') for s in services}
    first = {s.id for s in services if "domestic-violence" in s.first_contact_for}
    assert first and max(where[i] for i in first) < min(where[i] for i in where if i not in first)


@pytest.mark.slow
def test_to_verify_lists_the_unverified_contact_with_reason_and_file(small: Path) -> None:
    for lang in LANGS:
        text = html.unescape(_page(small, lang, "_generated/to-verify"))
        assert UNVERIFIED in text
        assert REASON in text
        assert "organisations/test-tugikeskus.yaml" in text


@pytest.mark.slow
def test_to_verify_lists_overdue_records_only(small: Path) -> None:
    for lang, name in (("et", "Vana leinatugi"), ("ru", "Старая поддержка в горе"), ("en", "Old bereavement support")):
        text = _page(small, lang, "_generated/to-verify")
        overdue = text[text.index('id="overdue"'):]
        assert name in overdue
        assert "2020-01-15" in overdue
        assert "Testi nõustamine" not in overdue and "Test counselling" not in overdue


@pytest.mark.slow
def test_referral_page_shows_internal_contacts_marked_and_the_note(small: Path) -> None:
    marks = {"et": "KONTROLLIDA", "ru": "ПРОВЕРИТЬ", "en": "TO VERIFY"}
    for lang in LANGS:
        text = html.unescape(_page(small, lang, "_generated/referrals/domestic-violence"))
        line = next(line for line in text.splitlines() if UNVERIFIED in line)
        assert marks[lang] in line
        assert REASON in line
        assert NOTE in text
        assert phones.display("116 006") in text
        assert 'href="tel:116006"' in text


@pytest.mark.slow
def test_referral_page_leaves_closed_services_out_and_keeps_notices_whole(small: Path) -> None:
    text = _page(small, "et", "_generated/referrals/domestic-violence")
    assert 'id="suletud-teenus"' not in text
    assert "Suletud teenus" in text  # named under "see also", without a link to a block that does not exist
    assert 'href="../bereavement/#vana-leinatugi"' in text
    notice = text[text.index('class="admonition info"'):]
    notice = notice[:notice.index("</div>")]
    # one paragraph, whole (a line break in the data is white space in HTML)
    assert "<p>Jõulude ajal suletud, helista 116 006.</p>" in " ".join(notice.split())


def test_a_confidential_address_stops_the_directory_before_any_site(tmp_path: Path) -> None:
    """Issue 9: the address is refused in the data itself, so no site (public or internal) can show it."""
    shutil.copytree(TAXONOMIES, tmp_path / "taxonomies")
    (tmp_path / "organisations").mkdir()
    with_address = ORGANISATION.replace(
        "    confidential: true\n",
        f"    confidential: true\n    address: {{address_1: {SECRET_ADDRESS}, city: Tallinn, county: harju}}\n")
    assert with_address != ORGANISATION
    (tmp_path / "organisations" / "test-tugikeskus.yaml").write_text(with_address, encoding="utf-8")
    result = load_directory(tmp_path, base=tmp_path)
    assert result.directory is None
    assert [p.code for p in result.problems if p.level == "error"] == ["confidential_in_data"]


@pytest.mark.slow
def test_confidential_address_is_nowhere_in_the_site(small: Path) -> None:
    files = [path for path in small.rglob("*") if path.is_file() and path.suffix in {".html", ".json", ".xml"}]
    assert files
    for path in files:
        assert SECRET_ADDRESS not in html.unescape(path.read_text(encoding="utf-8")), path
    assert FRONT_DOOR in _page(small, "et", "_generated/referrals/domestic-violence")


@pytest.mark.slow
def test_reports_index_lists_what_the_notebook_wrote(small: Path) -> None:
    text = _page(small, "en", "_generated/reports")
    assert "2026-10" in text and "Oktoobri näitajad" in text and "1 charts" in text
    assert (small / "reports" / "2026-10" / "kpi" / "index.html").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("site", ["bundled", "small"])
def test_no_external_origins_are_loaded(site: str, request: pytest.FixtureRequest) -> None:
    root: Path = request.getfixturevalue(site)
    pages = _html_files(root)
    assert len(pages) > 20
    for path in pages:
        assert not EXTERNAL_LOAD.search(path.read_text(encoding="utf-8")), path
    for path in root.rglob("*.css"):
        assert not EXTERNAL_CSS.search(path.read_text(encoding="utf-8")), path


# Failures ------------------------------------------------------------------------------------------------


BROKEN = ORGANISATION.replace("number: 1247", "number: 12")


def test_failed_validation_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    config = _copy_site_sources(tmp_path)
    directory = _write_directory(tmp_path / "directory", BROKEN)
    result = _build(config, directory, tmp_path / "site-internal")
    assert result.exit_code == 1
    assert re.search(r"test-tugikeskus\.yaml:\d+:\d+: services\[2\]\.channels\[0\]\.number", result.output)
    assert "not built" in result.output
    assert not (tmp_path / "site-internal").exists()
    assert not (tmp_path / "docs-internal" / "_generated").exists()


@pytest.mark.slow
def test_failed_build_keeps_the_previous_site(tmp_path: Path) -> None:
    """Valid data but a broken page link (strict mode): exit 1, the site already there stays as it was."""
    config = _copy_site_sources(tmp_path)
    (tmp_path / "docs-internal" / "contact.md").write_text("# Töö\n\n[link](missing.md)\n", encoding="utf-8")
    previous = tmp_path / "site" / "index.html"
    previous.parent.mkdir()
    previous.write_text("previous site", encoding="utf-8")
    result = _build(config, _write_directory(tmp_path / "directory"), tmp_path / "site-internal")
    assert result.exit_code == 1
    assert "missing.md" in result.output
    assert previous.read_text(encoding="utf-8") == "previous site"
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".site")) == []


def test_plugin_alone_fails_the_build_with_the_problems(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """`mkdocs build -f mkdocs.internal.yml` without our CLI must not build from broken data either."""
    config = _copy_site_sources(tmp_path)
    text = config.read_text(encoding="utf-8").replace("directory: directory", "directory: broken")
    config.write_text(text, encoding="utf-8")
    _write_directory(tmp_path / "broken", BROKEN)
    with pytest.raises(Abort):
        mkdocs_build(load_config(str(config), site_dir=str(tmp_path / "site")))
    assert "services[2].channels[0].number" in caplog.text
    assert not (tmp_path / "docs-internal" / "_generated").exists()


def test_missing_config_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["internal", "build", "-f", str(tmp_path / "nope.yml")])
    assert result.exit_code == 2


# Writing -------------------------------------------------------------------------------------------------


def test_pages_are_written_only_when_changed_and_stale_ones_removed(tmp_path: Path) -> None:
    """`mkdocs serve` watches docs_dir: rewriting unchanged pages would rebuild forever."""
    folder = tmp_path / "_generated"
    assert internal.write_pages(folder, {"a.md": "A", "sub/b.md": "B"}) == 2
    before = (folder / "a.md").stat().st_mtime_ns
    assert internal.write_pages(folder, {"a.md": "A", "sub/b.md": "B"}) == 0
    assert (folder / "a.md").stat().st_mtime_ns == before
    assert internal.write_pages(folder, {"a.md": "A2"}) == 1
    assert (folder / "a.md").read_text(encoding="utf-8") == "A2"
    assert not (folder / "sub" / "b.md").exists()


def test_directory_is_loaded_once_until_a_file_changes(tmp_path: Path) -> None:
    root = _write_directory(tmp_path / "directory")
    first = load_cached(root)
    assert first.directory is not None
    assert load_cached(root) is first
    path = root / "organisations" / "test-tugikeskus.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert load_cached(root) is not first


def test_every_internal_page_asks_search_engines_to_stay_away(bundled: Path) -> None:
    pages = sorted(bundled.rglob("*.html"))
    assert len(pages) > 20
    missing = [str(path.relative_to(bundled)) for path in pages
               if '<meta name="robots" content="noindex, nofollow">' not in path.read_text(encoding="utf-8")]
    assert not missing


def test_the_internal_site_turns_crawlers_away_and_lists_no_page(bundled: Path) -> None:
    robots = (bundled / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "Disallow: /" in robots and not any(line.startswith("Sitemap:") for line in robots)
    assert not list(bundled.rglob("sitemap.xml*"))
    assert not list(bundled.rglob("*.zip"))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  - abikaart/internal:\n", "  - abikaart/internal:\n      noindex: false\n", "noindex: false is refused"),
        ("      offline_zip: false\n", "      offline_zip: true\n", "offline_zip: true is refused"),
    ],
)
def test_the_internal_site_cannot_be_made_indexable_or_downloadable(tmp_path: Path, old: str, new: str,
                                                                     expected: str) -> None:
    config = _copy_site_sources(tmp_path)
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = _build(config, _write_directory(tmp_path / "directory"), tmp_path / "site-internal")
    assert result.exit_code == 1
    assert expected in result.output and "(fix: " in result.output and "Traceback" not in result.output
    assert not (tmp_path / "site-internal").exists()


@pytest.mark.parametrize("where", ["public-out", "public-out/internal", "."])
def test_internal_build_refuses_the_public_sites_folder(where: str, tmp_path: Path) -> None:
    """Internal pages must never land in (or around) the folder the public site is published from."""
    config = _copy_site_sources(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nsite_dir: public-out  # the public build\n", encoding="utf-8")
    public = tmp_path / "public-out"
    public.mkdir()
    (public / "index.html").write_text("public", encoding="utf-8")
    result = _build(config, _write_directory(tmp_path / "directory"), tmp_path / where)
    assert result.exit_code == 2
    assert "public site's folder" in result.stderr
    assert sorted(p.name for p in public.rglob("*")) == ["index.html"]
    assert not list(tmp_path.glob(".*-new-*"))


# One renderer --------------------------------------------------------------------------------------------


def test_internal_pages_render_through_the_public_sites_models_and_macros(tmp_path: Path) -> None:
    """Each contact on a referral page is the public site's `contact_item` macro applied to the shared
    `pages.Contact` model (audience internal), and the sources line is the public `sources` macro: one renderer."""
    from abikaart.site import internal_pages, pages
    from abikaart.site.render import environment, strings

    loaded = load_directory(_write_directory(tmp_path / "directory"), base=tmp_path)
    assert loaded.directory is not None
    files = internal.render_pages(loaded.directory, dt.date.today(), tmp_path / "reports")
    macros = environment().get_template("pages/_macros.html.j2").module
    service = loaded.directory.services["testi-noustamine"]
    for lang, suffix in (("et", ""), ("ru", ".ru"), ("en", ".en")):
        page = files[f"referrals/domestic-violence{suffix}.md"]
        model = pages.service_page(loaded.directory, service, lang, internal_pages.PATHS, "internal")
        assert [c.to_verify for c in model.contacts] == [None, REASON, None]  # internal: the contact to verify too
        s = strings()[lang]
        items = [str(macros.contact_item(c, s)) for c in model.contacts]  # type: ignore[attr-defined]
        for item in items:
            assert item in page, (lang, item)
        assert f'<strong class="abi-to-verify">{s["to_verify"]}:</strong> {REASON}' in items[1]
        assert str(macros.sources(model, s)).strip() in page  # type: ignore[attr-defined]
        public = pages.service_page(loaded.directory, service, lang, internal_pages.PATHS)
        assert all(c.to_verify is None for c in public.contacts) and public.internal_note is None
