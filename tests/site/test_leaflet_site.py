"""The leaflets in the built site: each county page links to its county's leaflet in its own language, and the
file is there, made from the same data (the secret-finder, the build's last step, has read its text)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pypdf
from site_project import DAY_CENTRE_PHONE, NOTICE_TEXT, Project

from abikaart.models import LANGS
from abikaart.site.render import strings
from helpers import assert_no_confidential

PREFIX = {"et": "", "ru": "ru/", "en": "en/"}
LINK = re.compile(r'<p class="abi-leaflet"><a href="([^"]+)" type="application/pdf">([^<]+)</a></p>')


def leaflet_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages).split())


def test_every_county_page_links_to_its_leaflet_in_its_language(project: Project) -> None:
    site = project.site
    for lang in LANGS:
        for county, term in project.directory.taxonomies["counties"].items():
            folder = f"{PREFIX[lang]}directory/county/{county}/"
            html = (site / folder / "index.html").read_text(encoding="utf-8")
            links = LINK.findall(html)
            assert links == [(links[0][0], strings()[lang]["leaflet_link"])], (lang, county)
            target = posixpath.normpath(posixpath.join(folder, links[0][0]))
            assert target == f"downloads/leaflets/{lang}/{county}.pdf"
            text = leaflet_text(site / target)
            assert strings()[lang]["leaflet_title"].format(county=term.name.get(lang)) in text
            assert_no_confidential(text, project.directory)


def test_the_offline_copy_holds_the_leaflets_its_pages_link_to(project: Project) -> None:
    import zipfile

    with zipfile.ZipFile(project.site / "abikaart-offline.zip") as archive:
        names = set(archive.namelist())
    assert {f"abikaart/downloads/leaflets/{lang}/harju.pdf" for lang in LANGS} <= names


def test_a_temporarily_closed_service_is_on_the_leaflet_as_closed_with_its_notice(project: Project) -> None:
    text = leaflet_text(project.site / "downloads" / "leaflets" / "et" / "harju.pdf")
    assert f"Turvakodu päevakeskus ({strings()['et']['status_temporarily-closed']})" in text
    assert NOTICE_TEXT in text and DAY_CENTRE_PHONE in text


def test_only_the_public_site_with_a_site_url_builds_leaflets() -> None:
    """The internal site's county pages are for counsellors, and a QR code needs the site's address: neither
    the internal site nor a site without site_url (nor `leaflets: false`, nor a `mkdocs serve` preview) writes
    or links leaflets."""
    from abikaart.site.plugin import DirectoryPlugin

    def folder(site_url: str | None, command: str = "build", **options: object) -> str | None:
        plugin = DirectoryPlugin()
        errors, _warnings = plugin.load_config(options)
        assert not errors
        plugin.on_startup(command=command, dirty=False)
        plugin._site_url = site_url
        return plugin._leaflets_dir()

    assert folder("https://abikaart.ee/") == "downloads/leaflets"
    assert folder("https://abikaart.ee/", leaflets_dir="/print/") == "print"
    assert folder("https://abikaart.ee/", audience="internal") is None
    assert folder("https://abikaart.ee/", leaflets=False) is None
    assert folder(None) is None
    assert folder("https://abikaart.ee/", command="serve") is None, "a preview starts quickly"
