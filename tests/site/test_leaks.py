"""The secret-finder: a directory full of secrets, built into the public site, exported and zipped offline, leaks
none of them into any file (archives included); and the finder does find each kind when one is planted."""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import shutil
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from site_project import build

from abikaart import leaks
from abikaart.cli import main
from abikaart.directory import Directory
from abikaart.site import leakcheck
from abikaart.site.safety import offline
from helpers import (
    INTERNAL_NOTE,
    SHELTER_FRONT_DOOR,
    SHELTER_POSTAL_CODE,
    SHELTER_STREET,
    UNVERIFIED_EMAIL,
    UNVERIFIED_NUMBER,
    make_directory,
)
from hostile import public_config

SHORT_UNCONFIRMED = "1220"
"""A short number kept off the public site: found only as a number of its own, never inside a longer one."""

SHORT_SERVICE = f"""\
id: turvakodu-infoliin
organisation: turvakodu-mtu
name: {{et: Turvakodu infoliin, en: Safe Home info line}}
description: {{et: Info tööpäeviti., en: Information on weekdays.}}
needs: [domestic-violence]
audiences: [victims]
counties: [nationwide]
channels:
  - type: phone
    number: +372 5123 4567
  - type: phone
    number: {SHORT_UNCONFIRMED}
    to_verify: said to be forwarded to the shelter at night
notice: {{et: "Suletud kuni 3. jaanuarini remondi tõttu", en: "Closed until 3 January for repairs"}}
notice_until: 2026-01-03
source: https://turvakodu.example.ee/info
sources: [https://vana-foorum.example.ee/turvakodu-info]
source_to_verify: an old forum post; the shelter has not confirmed it
verified: 2026-11-01
verified_by: abikaart maintainers
"""
"""A short unconfirmed number, an expired notice (no longer true: hidden everywhere) and withheld sources."""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Directory, Path]:
    """The public site (with its offline zip and sitemap.xml.gz) and the exports, in one folder."""
    root = tmp_path_factory.mktemp("leaks")
    directory = make_directory(root / "directory", {"turvakodu-infoliin": SHORT_SERVICE})
    result = build(public_config(root), root / "out" / "site")
    assert result.exit_code == 0, result.output
    exported = CliRunner().invoke(main, ["export", str(directory.root), "--out", str(root / "out" / "exports")])
    assert exported.exit_code == 0, exported.output
    return directory, root / "out"


def test_the_secrets_directory_has_every_kind_of_secret(built: tuple[Directory, Path]) -> None:
    kinds = {secret.kind for secret in leaks.secrets(built[0])}
    assert kinds == {"street address", "postal code", "coordinates", "transportation of a confidential place",
                     "accessibility of a confidential place", "unconfirmed number", "unconfirmed email",
                     "to_verify reason", "internal note", "expired notice", "unconfirmed source"}


@pytest.mark.slow
def test_no_secret_reaches_any_output_file(built: tuple[Directory, Path]) -> None:
    directory, out = built
    names = [name for name, _ in leaks.files(out)]
    assert "site/abikaart-offline.zip" in names and "site/sitemap.xml.gz:sitemap.xml" in names
    assert any(name.startswith("site/abikaart-offline.zip:") and name.endswith("turvakodu-varjupaik/index.html")
               for name in names), "the finder reads the offline copy's pages"
    assert {"exports/abikaart.json", "exports/abikaart-et.csv", "exports/hsds-ru.json"} <= set(names)
    assert any(name.startswith("site/pagefind/fragment/") and name.count(":") == 1 for name in names), \
        "the finder reads the search index's gzip-compressed fragments"
    assert "site/downloads/leaflets/ru/harju.pdf:text" in names, "the finder reads the leaflets' text"
    found = leaks.find_leaks(directory, out)
    assert found == [], leaks.report(found)
    # The shelter is still reachable: its front door (public by design) is on its page.
    page = (out / "site" / "directory" / "service" / "turvakodu-varjupaik" / "index.html").read_text("utf-8")
    assert SHELTER_FRONT_DOOR in page


def _planted(text: str) -> dict[str, bytes]:
    """One secret as it could leak: in a page, HTML-escaped, URL-encoded, split by tags, zipped, gzipped."""
    page = f"<html><body><p>{html.escape(text)}</p><a href='/x?q={quote(text)}'>x</a></body></html>"
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("inner/page.html", page)
    return {"page.html": page.encode(), "page.zip": packed.getvalue(), "sitemap.xml.gz": gzip.compress(page.encode())}


@pytest.mark.parametrize(("value", "kind"), [
    (SHELTER_STREET, "street address"),
    (SHELTER_POSTAL_CODE, "postal code"),
    ("59.1235", "coordinates"),
    ("24,654", "coordinates"),
    ("Buss 17 peatus Salajane", "transportation of a confidential place"),
    ("A ramp from the yard, third door", "accessibility of a confidential place"),
    (UNVERIFIED_NUMBER, "unconfirmed number"),
    (UNVERIFIED_NUMBER.replace(" ", ""), "unconfirmed number"),
    (UNVERIFIED_NUMBER.removeprefix("+372 "), "unconfirmed number"),
    (f"Helista {SHORT_UNCONFIRMED}!", "unconfirmed number"),
    (UNVERIFIED_EMAIL, "unconfirmed email"),
    ("bounced in October", "to_verify reason"),
    (INTERNAL_NOTE, "internal note"),
])
def test_the_finder_finds_each_kind_wherever_it_is(built: tuple[Directory, Path], tmp_path: Path, value: str,
                                                     kind: str) -> None:
    for name, data in _planted(value).items():
        (tmp_path / name).write_bytes(data)
    found = leaks.find_leaks(built[0], tmp_path)
    where = {leak.path for leak in found if leak.kind == kind}
    assert where == {"page.html", "page.zip:inner/page.html", "sitemap.xml.gz:sitemap.xml"}, found
    assert all(value not in str(leak) for leak in found), "a finding never repeats the secret"


def test_the_finder_stays_quiet_on_public_values(built: tuple[Directory, Path], tmp_path: Path) -> None:
    """Published numbers, the front door, a confidential place's name and a short number inside a longer one."""
    text = f"+372 5123 4567 · {SHELTER_FRONT_DOOR} · Turvakodu varjupaik · Tallinn · tel. 5{SHORT_UNCONFIRMED}9"
    (tmp_path / "page.html").write_text(f"<p>{text}</p>", encoding="utf-8")
    assert leaks.find_leaks(built[0], tmp_path) == []


def test_a_finding_says_file_kind_record_and_field() -> None:
    leak = leaks.Leak("site/abikaart-offline.zip:abikaart/index.html", "street address", "turvakodu-mtu/varjupaik",
                      "locations[0].address.address_1")
    assert str(leak) == ("site/abikaart-offline.zip:abikaart/index.html: street address of turvakodu-mtu/varjupaik "
                         "(locations[0].address.address_1)")


@pytest.mark.slow
def test_the_build_itself_refuses_to_publish_a_withheld_value(tmp_path: Path) -> None:
    """The secret-finder is the pipeline's last step: a hand-written page quoting an unconfirmed number (or a
    internal note) stops the build, naming the file and the kind of secret, never the secret itself."""
    make_directory(tmp_path / "directory")
    config = public_config(tmp_path)
    (tmp_path / "docs" / "about.md").write_text(f"# Meist\n\nHelista {UNVERIFIED_NUMBER} ; {INTERNAL_NOTE}.\n",
                                                 encoding="utf-8")
    result = build(config, tmp_path / "site")
    assert result.exit_code != 0
    assert "withheld data would be published" in result.output
    assert "about/index.html: unconfirmed number of turvakodu-mtu" in result.output
    assert "about/index.html: internal note of turvakodu-varjupaik" in result.output
    assert UNVERIFIED_NUMBER not in result.output and INTERNAL_NOTE not in result.output


def test_a_number_inside_a_longer_number_is_not_that_number() -> None:
    """A withheld 7-digit landline is found as itself, not inside another (public) 8-digit mobile number."""
    landline = "6" + "12 3456"  # built at run time: no phone-shaped literal in the repository
    finder = leaks.Finder([leaks._number("x-teenus", "channels[0].number", landline)])
    assert finder.scan("page", f"Helista +372 5{landline}".encode()) == []
    assert finder.scan("page", f"5{landline.replace(' ', '')} ööpäev läbi".encode()) == []
    assert [str(leak) for leak in finder.scan("page", f"Helista {landline}".encode())] == [
        "page: unconfirmed number of x-teenus (channels[0].number)"]
    assert finder.scan("page", f"tel:+372{landline.replace(' ', '')}".encode()) != []


def test_the_build_check_skips_only_members_that_are_the_site_s_own_pages(built: tuple[Directory, Path],
                                                                          tmp_path: Path) -> None:
    """The build's check (`site.leakcheck`) scans each page once: a member of the offline zip that is not exactly
    what the copy makes of a site file (changed after the copy was made, or not in the site at all) is scanned."""
    directory, out = built
    site = Path(shutil.copytree(out / "site", tmp_path / "site"))
    copy = site / "abikaart-offline.zip"
    finder = leaks.Finder(leaks.secrets(directory))
    assert leakcheck.find_leaks(finder, site, copy) == []
    members = _zip_members(copy)
    members["abikaart/index.html"] += f"<p>{INTERNAL_NOTE}</p>".encode()
    members["abikaart/extra.txt"] = f"Helista {UNVERIFIED_NUMBER}".encode()
    _write_zip(copy, members)
    (site / "about" / "index.html").write_text(f"<p>{html.escape(SHELTER_STREET)}</p>", encoding="utf-8")
    found = {(leak.path, leak.kind) for leak in leakcheck.find_leaks(finder, site, copy)}
    assert found == {("abikaart-offline.zip:abikaart/index.html", "internal note"),
                     ("abikaart-offline.zip:abikaart/extra.txt", "unconfirmed number"),
                     ("about/index.html", "street address")}


def test_the_build_check_trusts_only_digests_that_still_match(built: tuple[Directory, Path], tmp_path: Path) -> None:
    """With the digests the copy's writer recorded (`offline.Copy.made`), a page member is skipped only while both
    it and its site file are as the writer saw them: a member changed afterwards, or a member whose site file
    changed afterwards, is scanned."""
    directory, out = built
    site = Path(shutil.copytree(out / "site", tmp_path / "site"))
    copy = site / "abikaart-offline.zip"
    made = offline.write_offline_zip(site, copy).made
    assert "abikaart/index.html" in made and "abikaart/about/index.html" in made
    finder = leaks.Finder(leaks.secrets(directory))
    assert leakcheck.find_leaks(finder, site, copy, made=made) == []
    members = _zip_members(copy)
    members["abikaart/index.html"] += f"<p>{INTERNAL_NOTE}</p>".encode()
    members["abikaart/about/index.html"] += f"<p>{html.escape(SHELTER_STREET)}</p>".encode()
    _write_zip(copy, members)
    (site / "about" / "index.html").write_text("<p>Meist</p>", encoding="utf-8")
    # the writer's digests of index.html's member no longer match it; about/'s site file changed after the copy
    made["abikaart/about/index.html"] = offline.Made(made["abikaart/about/index.html"].source,
                                                     hashlib.sha256(members["abikaart/about/index.html"]).digest())
    found = {(leak.path, leak.kind) for leak in leakcheck.find_leaks(finder, site, copy, made=made)}
    assert found == {("abikaart-offline.zip:abikaart/index.html", "internal note"),
                     ("abikaart-offline.zip:abikaart/about/index.html", "street address")}


def _zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write_zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_a_withheld_value_in_the_search_index_is_found(built: tuple[Directory, Path], tmp_path: Path) -> None:
    """Pagefind stores page text in gzip-compressed fragments: a secret that reached the index is found there
    even when the page itself is gone."""
    from abikaart.site.search.index import run_pagefind

    page = tmp_path / "about" / "index.html"
    page.parent.mkdir()
    page.write_text(f"<html lang='et'><body><main><h1>Meist</h1><p>{html.escape(INTERNAL_NOTE)}</p></main>"
                    "</body></html>", encoding="utf-8")
    run_pagefind(tmp_path)
    page.unlink()
    found = leaks.find_leaks(built[0], tmp_path)
    where = {leak.path for leak in found if leak.kind == "internal note"}
    assert where and all(path.startswith("pagefind/fragment/") and ".pf_fragment:" in path for path in where), found


def _pdf(*lines: str) -> bytes:
    """A PDF with `lines` in DejaVu Sans, as fpdf2 writes it: compressed streams, a font subset that re-encodes
    every character, so the secret is nowhere in the file's bytes."""
    from fpdf import FPDF

    from abikaart.leaflet_pdf import FONTS

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONTS[""]))
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_a_withheld_value_in_a_pdf_is_found(built: tuple[Directory, Path], tmp_path: Path) -> None:
    """A leaflet or any PDF: the finder reads the text a reader sees, also inside the offline zip, and the build's
    own check (`site.leakcheck`) does too."""
    directory, _ = built
    data = _pdf("Turvakodu varjupaik", f"Helista {UNVERIFIED_NUMBER}", f"Aadress: {SHELTER_STREET}, Tallinn")
    assert UNVERIFIED_NUMBER.encode() not in data and SHELTER_STREET.encode() not in data
    site = tmp_path / "site"
    (site / "downloads").mkdir(parents=True)
    (site / "downloads" / "leaflet.pdf").write_bytes(data)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("abikaart/extra/leaflet.pdf", data)
    (site / "copy.zip").write_bytes(packed.getvalue())
    found = {(leak.path, leak.kind) for leak in leaks.find_leaks(directory, site)}
    assert found == {("downloads/leaflet.pdf:text", "unconfirmed number"),
                     ("downloads/leaflet.pdf:text", "street address"),
                     ("copy.zip:abikaart/extra/leaflet.pdf:text", "unconfirmed number"),
                     ("copy.zip:abikaart/extra/leaflet.pdf:text", "street address")}
    checked = {(leak.path, leak.kind) for leak in leakcheck.find_leaks(leaks.Finder(leaks.secrets(directory)),
                                                                      site, site / "copy.zip")}
    assert ("downloads/leaflet.pdf:text", "street address") in checked
    assert ("copy.zip:abikaart/extra/leaflet.pdf:text", "unconfirmed number") in checked
    assert leaks.find_leaks(directory, _only(tmp_path / "public", "ok.pdf", _pdf("Helista +372 5123 4567"))) == []


def test_a_planted_secret_in_a_rendered_leaflet_is_found(built: tuple[Directory, Path], tmp_path: Path) -> None:
    """Our own leaflets (`leaflet_pdf`: text placed span by span in a cut-down font): a withheld value that
    reached one is found."""
    import dataclasses

    from abikaart import leaflet_pdf, leaflets
    from abikaart.site.pages import Paths

    directory, _ = built
    made = leaflets.leaflet(directory, "harju", "et", "https://abikaart.ee/", Paths("directory"))
    first = made.nationwide[0]
    planted = dataclasses.replace(first, contacts=[
        *first.contacts, leaflets.Contact("Telefon", UNVERIFIED_NUMBER.replace(" ", leaflets.NO_BREAK), None),
        leaflets.Contact("Kohapeal", f"{'Väga pika nimega koht ' * 3}{SHELTER_STREET}", None, address=False)])
    data = leaflet_pdf.render(dataclasses.replace(made, nationwide=[planted, *made.nationwide[1:]]))
    found = {leak.kind for leak in leaks.find_leaks(directory, _only(tmp_path, "harju.pdf", data))}
    assert found == {"unconfirmed number", "street address"}


def test_a_pdf_the_finder_cannot_read_is_a_finding(built: tuple[Directory, Path], tmp_path: Path) -> None:
    found = leaks.find_leaks(built[0], _only(tmp_path, "broken.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 4))
    assert [(leak.path, leak.kind) for leak in found] == [("broken.pdf:text", "unreadable PDF")]


def _only(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder
