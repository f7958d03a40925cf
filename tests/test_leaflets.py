"""The printable county leaflets, read back with pypdf: every county in every language, one or two A4 pages, 112
and the 24/7 lines first, every active public service of the county, when and how each was checked, a QR code
to the county page, and nothing the directory withholds."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdf
import pytest
import segno
import yaml
from click.testing import CliRunner
from mkdocs.utils.yaml import yaml_load

from abikaart import hours, leaflet_pdf, leaflets, phones
from abikaart.cli import main
from abikaart.directory import Directory, load_directory
from abikaart.models import LANGS, ChannelType, Service, Status
from abikaart.site.finder import local_counties
from abikaart.site.pages import Paths
from abikaart.site.render import strings
from abikaart.validation import NATIONWIDE
from helpers import (
    DIRECTORY,
    REPO,
    SHELTER_FRONT_DOOR,
    SHELTER_STREET,
    UNVERIFIED_NUMBER,
    assert_no_confidential,
    make_directory,
)

SITE_URL = "https://abikaart.ee/"
"""mkdocs.yml's site_url (ABIKAART_SITE_URL is not set in the tests)."""
PREFIX = {"et": "", "ru": "ru/", "en": "en/"}


def text_of(path: Path) -> str:
    """A leaflet's text as a reader sees it, every run of whitespace (line breaks, no-break spaces) one space."""
    reader = pypdf.PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def county_of(directory: Directory, service: Service, county: str) -> bool:
    return county in local_counties(directory, service) or NATIONWIDE in service.counties


@pytest.fixture(scope="module")
def bundled() -> Directory:
    loaded = load_directory(DIRECTORY)
    assert loaded.directory is not None
    return loaded.directory


@pytest.fixture(scope="module")
def written(bundled: Directory, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """`abikaart leaflets` over the bundled directory, as a maintainer runs it."""
    out = tmp_path_factory.mktemp("leaflets")
    result = CliRunner().invoke(main, ["leaflets", "--out", str(out), "--config", str(REPO / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    assert "45 leaflet(s) written" in result.output
    return {(county, lang): out / lang / f"{county}.pdf" for county in bundled.taxonomies["counties"] for lang in LANGS}


@pytest.fixture(scope="module")
def texts(written: dict[tuple[str, str], Path]) -> dict[tuple[str, str], str]:
    return {key: text_of(path) for key, path in written.items()}


def test_every_county_has_a_leaflet_of_one_or_two_a4_pages_in_every_language(
        bundled: Directory, written: dict[tuple[str, str], Path]) -> None:
    assert len(written) == 15 * 3
    for (county, lang), path in written.items():
        reader = pypdf.PdfReader(path)
        assert 1 <= len(reader.pages) <= 2, path
        for page in reader.pages:
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297), path
        name = bundled.taxonomies["counties"][county].name.get(lang)
        assert reader.metadata is not None and name in str(reader.metadata.title)


def test_every_active_public_service_of_the_county_is_on_it(bundled: Directory,
                                                            texts: dict[tuple[str, str], str]) -> None:
    for (county, lang), text in texts.items():
        services = [s for s in bundled.services.values() if county_of(bundled, s, county)]
        assert len(services) > 40
        for service in services:
            name = " ".join(service.name.get(lang).split())
            if service.status is Status.CLOSED:
                continue
            assert name in text, (county, lang, service.id)
            for channel in bundled.public_channels(service):
                if channel.number:
                    assert phones.display(channel.number) in text, (county, lang, service.id)


def test_the_emergency_number_and_the_county_s_24_7_lines_come_first(bundled: Directory,
                                                                     texts: dict[tuple[str, str], str]) -> None:
    for (county, lang), text in texts.items():
        s = strings()[lang]
        first_section = min(text.index(heading) for heading in (s["county_local"], s["nationwide"])
                            if heading in text)
        head = text[:first_section]
        assert head.index(s["emergency_title"]) < head.index("112 " + s["emergency_112"])
        always = {first_24_7_phone(bundled, service) for service in bundled.services.values()
                  if service.status is Status.ACTIVE and county_of(bundled, service, county)} - {None}
        assert {"116 006", "116 111"} <= always
        for number in always:
            assert number in head, (county, lang, number)
        assert head.index("112 ") < min(head.index(number) for number in always - {"112"})


NIGHT_LINE = "+372 5123 " + "4570"
"""A made-up number (no phone-shaped literal in the repository)."""
NIGHT_SERVICE = f"""\
id: turvakodu-ooliin
organisation: turvakodu-mtu
name: {{et: Tartu ööliin, ru: Ночная линия Тарту, en: Tartu night line}}
description: {{et: Ööpäevaringne liin Tartus., en: A round-the-clock line in Tartu.}}
needs: [domestic-violence]
audiences: [victims]
counties: [tartu]
channels:
  - type: phone
    number: {NIGHT_LINE}
    hours: 24/7
source: https://turvakodu.example.ee/ooliin
verified: 2026-11-01
verified_by: abikaart maintainers
"""


def first_24_7_phone(directory: Directory, service: Service) -> str | None:
    """The service's first public phone open round the clock (the box has one number a service)."""
    for channel in directory.public_channels(service):
        expression = channel.hours or service.hours
        if channel.type is ChannelType.PHONE and channel.number and expression and hours.is_always_open(expression):
            return phones.display(channel.number)
    return None


def test_a_county_s_round_the_clock_line_is_in_its_box_and_not_in_another_county_s(tmp_path: Path) -> None:
    directory = make_directory(tmp_path / "directory", {"turvakodu-ooliin": NIGHT_SERVICE})
    night = phones.display(NIGHT_LINE)
    for county, shown in (("tartu", True), ("harju", False)):
        path = leaflets.write_leaflet(directory, tmp_path / "out", county, "en", SITE_URL, Paths("directory"))
        text = text_of(path)
        head = text[:text.index(strings()["en"]["county_local"])]
        assert (f"{night} Tartu night line" in head) is shown, county


def test_each_service_says_when_and_how_it_was_checked(bundled: Directory, texts: dict[tuple[str, str], str]) -> None:
    for (county, lang), text in texts.items():
        s = strings()[lang]
        assert s["leaflet_legend"].split(";")[0] in text, "the short words are explained"
        for service in bundled.services.values():
            if service.status is Status.CLOSED or not county_of(bundled, service, county):
                continue
            date = service.verified.strftime("%d.%m.%Y")
            how = service.verified_how.value
            short = f"{date} {s['leaflet_short_' + how]}"
            long = f"{s['leaflet_checked'].format(date=date)}: {s['leaflet_how_' + how]}"
            assert short in text or long in text, (county, lang, service.id)


def test_the_qr_code_is_the_county_page_in_the_leaflet_s_language(written: dict[tuple[str, str], Path]) -> None:
    """The QR code's modules are exactly those of the county page's address (segno's encoding of it), and the
    address is printed beside it for whoever cannot scan."""
    for (county, lang), path in written.items():
        url = f"{SITE_URL}{PREFIX[lang]}directory/county/{county}/"
        reader = pypdf.PdfReader(path)
        images = reader.pages[0].images
        assert len(images) == 1
        assert read_modules(images[0].image) == expected_modules(url), (county, lang)
        printed = re.sub(r"/ ", "/", text_of(path))
        assert url.removeprefix("https://").rstrip("/") in printed


def read_modules(image: Any) -> list[list[bool]]:
    """The dark modules of a QR code image drawn ten pixels a module with a four-module quiet zone."""
    grey = image.convert("L")
    size = grey.width // 10
    assert grey.width == grey.height == size * 10
    return [[grey.getpixel((x * 10 + 5, y * 10 + 5)) < 128 for x in range(size)] for y in range(size)]


def expected_modules(url: str) -> list[list[bool]]:
    symbol = segno.make(url, error="m", micro=False)
    return [[bool(module) for module in row] for row in symbol.matrix_iter(border=4)]


def test_no_withheld_value_is_on_any_bundled_leaflet(bundled: Directory, texts: dict[tuple[str, str], str]) -> None:
    for text in texts.values():
        assert_no_confidential(text, bundled)


NOTICES = """\
id: turvakodu-noustamine-talv
organisation: turvakodu-mtu
name: {et: Talvine nõustamine, ru: Зимняя консультация, en: Winter counselling}
description: {et: Nõustamine talvel., en: Counselling in winter.}
needs: [domestic-violence]
audiences: [victims]
counties: [harju]
channels:
  - type: phone
    number: +372 5123 4567
    hours: Mo-Fr 10:00-16:00
notice: {et: "Aegunud teade jõulupühade kohta", ru: "Устаревшее объявление", en: "An outdated holiday notice"}
notice_until: 2020-01-03
source: https://turvakodu.example.ee/talv
verified: 2026-11-01
verified_by: abikaart maintainers
"""
HOSTILE = """\
id: turvakodu-erimargid
organisation: turvakodu-mtu
name: {et: "**Paks** <b>x</b> {nb} %s \\\\ (", ru: "**Жирный** <b>x</b>", en: "**Bold** <b>x</b> {nb} ("}
description: {et: Märgid., en: Characters.}
needs: [domestic-violence]
audiences: [victims]
counties: [tartu]
channels:
  - type: phone
    number: +372 5123 4567
source: https://turvakodu.example.ee/margid
verified: 2026-11-01
verified_by: abikaart maintainers
verified_how: confirmed
"""


def test_a_directory_full_of_secrets_gives_leaflets_without_them(tmp_path: Path) -> None:
    """The shelter's street address and position are on the loaded model (`make_directory` puts them back), its
    second number and e-mail are to verify, a notice has expired: none of it is printed, while the shelter, its
    public number and the note that its place is secret are."""
    directory = make_directory(tmp_path / "directory", {"turvakodu-noustamine-talv": NOTICES,
                                                        "turvakodu-erimargid": HOSTILE})
    written = leaflets.write_leaflets(directory, tmp_path / "out", SITE_URL, Paths("directory"))
    assert len(written) == 45
    for path in written:
        text = text_of(path)
        assert_no_confidential(text, directory)
        assert SHELTER_STREET not in text and UNVERIFIED_NUMBER not in text
        assert "Aegunud teade" not in text and "outdated holiday notice" not in text
    harju = text_of(tmp_path / "out" / "et" / "harju.pdf")
    assert "Turvakodu varjupaik" in harju and "+372 5123 4567" in harju
    assert strings()["et"]["location_confidential"] in harju
    assert "Tugigrupp" in harju, "the nationwide support group is on every county's leaflet"
    tartu = text_of(tmp_path / "out" / "en" / "tartu.pdf")
    assert "Avalik tänav 1, 51003, Tartu" in tartu, "a public place's address is printed"
    assert "**Bold** <b>x</b> {nb} (" in tartu, "data is printed as typed, never as formatting"
    assert SHELTER_FRONT_DOOR not in harju, "a service with channels needs no front door on paper"


def test_the_same_data_gives_the_same_bytes(bundled: Directory) -> None:
    made = leaflets.leaflet(bundled, "tartu", "ru", SITE_URL, Paths("directory"))
    assert leaflet_pdf.render(made) == leaflet_pdf.render(made)
    later = dataclasses.replace(made, made=made.made + dt.timedelta(days=1))
    assert leaflet_pdf.render(later) != leaflet_pdf.render(made), "the date made is printed"


def test_the_county_with_most_services_uses_smaller_type_not_a_third_page(bundled: Directory,
                                                                         tmp_path: Path) -> None:
    county = max(bundled.taxonomies["counties"],
                 key=lambda c: sum(county_of(bundled, s, c) for s in bundled.services.values()))
    for lang in LANGS:
        path = leaflets.write_leaflet(bundled, tmp_path, county, lang, SITE_URL, Paths("directory"))
        assert len(pypdf.PdfReader(path).pages) == 2
    full = " ".join(text_of(path).split())
    made = leaflets.leaflet(bundled, county, "en", SITE_URL, Paths("directory"))
    roomy = dataclasses.replace(made, nationwide=made.nationwide[:3])
    (tmp_path / "roomy.pdf").write_bytes(leaflet_pdf.render(roomy))
    description = " ".join(roomy.nationwide[0].description.split())
    assert description in text_of(tmp_path / "roomy.pdf"), "a short leaflet has room for descriptions"
    assert description not in full, "a full one leaves them to the county page"


def generated_project(root: Path, services: int) -> Path:
    """The repository's mkdocs.yml pointed at a directory of `services` made by scripts/gen_directory.py."""
    data = root / "data"
    subprocess.run([sys.executable, str(REPO / "scripts" / "gen_directory.py"), str(services), "--out", str(data),
                    "--seed", "3"], check=True, capture_output=True)
    (root / "docs").mkdir()
    config: dict[str, Any] = yaml_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(REPO / config["theme"]["custom_dir"])
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "abikaart/directory" in plugin:
            plugin["abikaart/directory"]["directory"] = str(data)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return root / "mkdocs.yml"


@pytest.mark.slow
def test_a_generated_directory_fits_two_pages_until_it_cannot_and_then_says_so(tmp_path: Path) -> None:
    fits = generated_project(tmp_path / "small", 90)
    result = CliRunner().invoke(main, ["leaflets", "--out", str(tmp_path / "small-out"), "--config", str(fits)])
    assert result.exit_code == 0, result.output
    pages = [len(pypdf.PdfReader(path).pages) for path in (tmp_path / "small-out").rglob("*.pdf")]
    assert len(pages) == 45 and max(pages) == 2
    too_many = generated_project(tmp_path / "large", 600)
    result = CliRunner().invoke(main, ["leaflets", "--out", str(tmp_path / "large-out"), "--config", str(too_many)])
    assert result.exit_code == 1
    assert re.search(r"abikaart leaflets: the leaflet of [a-z-]+ \((et|ru|en)\) does not fit 2 A4 pages even in 7 pt "
                     r"type: \d+ services are too many for a leaflet \(fix: ", result.output), result.output
    assert "Traceback" not in result.output


def test_missing_fonts_are_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(leaflet_pdf, "FONTS", {"": tmp_path / "DejaVuSans.ttf", "B": tmp_path / "Bold.ttf"})
    monkeypatch.setattr(leaflet_pdf, "_CUT", {})
    result = CliRunner().invoke(main, ["leaflets", "--out", str(tmp_path / "out"), "--config", str(REPO / "mkdocs.yml"),
                                       "--lang", "en"])
    assert result.exit_code == 1
    assert "DejaVuSans.ttf" in result.output and "(fix: apt-get install fonts-dejavu-core)" in result.output
    assert "Traceback" not in result.output


def test_the_dejavu_fonts_cover_every_letter_of_the_bundled_leaflets(bundled: Directory) -> None:
    """Estonian and Cyrillic come out as letters: no character of a leaflet is missing from DejaVu Sans."""
    from fontTools import ttLib

    covered = set(ttLib.TTFont(leaflet_pdf.FONTS[""])["cmap"].getBestCmap()) & \
        set(ttLib.TTFont(leaflet_pdf.FONTS["B"])["cmap"].getBestCmap())
    for lang in LANGS:
        for county in bundled.taxonomies["counties"]:
            made = leaflets.leaflet(bundled, county, lang, SITE_URL, Paths("directory"))
            used = {ord(char) for item in (*made.local, *made.nationwide)
                    for text in (item.name, item.about, *(c.reach for c in item.contacts)) for char in text}
            assert used - covered - {ord(leaflets.BREAK)} == set(), (county, lang)
