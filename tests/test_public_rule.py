"""One rule for what is public (issue 9), asked of `Directory` and obeyed by every output.

A small directory with everything that must be withheld: an expired notice, an unconfirmed website, e-mail
and source links, a service reachable only through its front door. Each output (service and organisation
pages, list summaries, JSON, CSV, HSDS) is checked for the withheld values, and for what must still show.
"""

from __future__ import annotations

import datetime as dt
import html
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from abikaart import export
from abikaart.cli import main
from abikaart.directory import Directory, load_directory
from abikaart.models import LANGS
from abikaart.review import pending_contacts
from abikaart.site import pages
from abikaart.site.render import Renderer, strings

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 12, 1)
WITHHELD_SITE = "https://kontrollimata.example.ee"
WITHHELD_EMAIL = "vana@kontrollimata.example.ee"
WITHHELD_SOURCE = "https://vana-allikas.example.ee/leht"
EXPIRED = "Suletud 3. jaanuarini"
CURRENT = "Jõulude ajal lühendatud ajad"

ORGANISATION = f"""\
id: keskus
name: {{et: Keskus, ru: Центр, en: Centre}}
description: {{et: Tugikeskus., ru: Центр поддержки., en: A support centre.}}
website: {WITHHELD_SITE}
website_to_verify: only an undated stored copy of the site
email: {WITHHELD_EMAIL}
email_to_verify: from a 2017 list only
source: {WITHHELD_SOURCE}
source_to_verify: the page is from 2015
verified: 2026-11-25
verified_by: maintainers
services:
  - id: vana-teade
    name: {{et: Nõustamine, ru: Консультации, en: Counselling}}
    description: {{et: Nõustamine., ru: Консультации., en: Counselling.}}
    notice: {{et: {EXPIRED}, ru: Закрыто, en: Closed until 3 January}}
    notice_until: 2026-11-30
    needs: [crime]
    audiences: [victims]
    counties: [nationwide]
    channels:
      - type: phone
        number: 116 006
        hours: 24/7
    source: https://keskus.example.ee/noustamine
    verified: 2026-11-25
    verified_how: official-page
    verified_by: maintainers
  - id: kehtiv-teade
    name: {{et: Tugigrupp, ru: Группа, en: Support group}}
    description: {{et: Tugigrupp., ru: Группа поддержки., en: A support group.}}
    notice: {{et: {CURRENT}, ru: Праздничное время, en: Holiday hours}}
    notice_until: 2026-12-01
    front_door: {{et: Tugigruppi pääseb 116 006 kaudu., ru: Через 116 006., en: Join through 116 006.}}
    needs: [crime]
    audiences: [victims]
    counties: [nationwide]
    channels:
      - type: phone
        number: 5123 4567
        to_verify: one leaflet from 2016
    source: {WITHHELD_SOURCE}
    sources: [https://teine-vana.example.ee]
    source_to_verify: both pages are from 2015
    verified: 2026-11-25
    verified_by: maintainers
"""


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    root = tmp_path_factory.mktemp("public") / "directory"
    shutil.copytree(REPO / "directory" / "taxonomies", root / "taxonomies")
    (root / "organisations").mkdir()
    (root / "organisations" / "keskus.yaml").write_text(ORGANISATION, encoding="utf-8")
    result = load_directory(root, base=root.parent, today=TODAY)
    assert result.directory is not None, [problem.text() for problem in result.problems]
    return result.directory


PATHS = pages.Paths("directory")


def _outputs(directory: Directory) -> dict[str, str]:
    renderer = Renderer(PATHS)
    found = {"json": export.render(directory, "json")}
    for lang in LANGS:
        found[f"csv-{lang}"] = export.render(directory, "csv", lang)
        found[f"hsds-{lang}"] = export.render(directory, "hsds", lang)
        found[f"organisation-{lang}"] = renderer.body(
            pages.organisation_page(directory, directory.organisations["keskus"], lang, PATHS))
        for service_id in directory.services:
            found[f"{service_id}-{lang}"] = renderer.body(
                pages.service_page(directory, directory.services[service_id], lang, PATHS))
        found[f"need-{lang}"] = renderer.body(pages.need_page(directory, "crime", lang, PATHS))
    return {name: html.unescape(text) for name, text in found.items()}


def test_the_directory_answers_the_public_questions(directory: Directory) -> None:
    organisation = directory.organisations["keskus"]
    old, current = directory.services["vana-teade"], directory.services["kehtiv-teade"]
    assert directory.today == TODAY
    assert directory.notice(old) is None
    assert directory.notice(current) is current.notice  # notice_until is the last day it shows
    assert directory.public_website(organisation) is None and directory.public_email(organisation) is None
    assert directory.public_sources(organisation) == [] and directory.public_sources(current) == []
    assert directory.public_sources(old) == ["https://keskus.example.ee/noustamine"]
    assert directory.public_channels(current) == []


@pytest.mark.parametrize("secret", [EXPIRED, "Closed until 3 January", WITHHELD_SITE, WITHHELD_EMAIL,
                                    WITHHELD_SOURCE, "teine-vana.example.ee", "kontrollimata.example.ee",
                                    "5123 4567", "one leaflet from 2016", "the page is from 2015"])
def test_no_output_shows_a_withheld_value(directory: Directory, secret: str) -> None:
    for name, text in _outputs(directory).items():
        assert secret not in text, name


def test_what_is_public_still_shows(directory: Directory) -> None:
    outputs = _outputs(directory)
    assert CURRENT in outputs["kehtiv-teade-et"] and CURRENT in outputs["csv-et"]
    assert "Tugigruppi pääseb 116 006 kaudu." in outputs["kehtiv-teade-et"]
    assert "Join through 116 006." in outputs["csv-en"] and "Join through 116 006." in outputs["hsds-en"]
    assert "https://keskus.example.ee/noustamine" in outputs["vana-teade-et"]
    for lang in LANGS:
        withheld = strings()[lang]["source_withheld"]
        assert withheld in outputs[f"kehtiv-teade-{lang}"] and withheld in outputs[f"organisation-{lang}"]


def test_pages_say_how_each_record_was_checked(directory: Directory) -> None:
    outputs = _outputs(directory)
    expected = {"et": ("Asutuse enda kodulehelt", "Teisestest allikatest (lauauuring)"),
                "ru": ("С официального сайта организации", "По вторичным источникам"),
                "en": ("From the organisation's own website", "From secondary sources (desk research)")}
    for lang, (official, desk) in expected.items():
        assert official in outputs[f"vana-teade-{lang}"] and desk not in outputs[f"vana-teade-{lang}"]
        assert desk in outputs[f"kehtiv-teade-{lang}"] and desk in outputs[f"organisation-{lang}"]
    assert '"verified_how": "official-page"' in outputs["json"]


def test_an_expired_notice_is_gone_from_the_list_summaries(directory: Directory) -> None:
    summaries = {s.link.path: s for s in pages.need_page(directory, "crime", "et", PATHS).services}
    assert not summaries[PATHS.service("vana-teade")].has_notice
    assert summaries[PATHS.service("kehtiv-teade")].has_notice


def test_every_withheld_contact_waits_in_one_queue(directory: Directory) -> None:
    queue = pending_contacts(directory)
    kinds = [(item.kind, item.id, item.contact_type) for item in queue]
    assert sorted(kinds) == sorted([
        ("organisation", "keskus", "website"), ("organisation", "keskus", "email"),
        ("organisation", "keskus", "source"), ("service", "kehtiv-teade", "phone"),
        ("service", "kehtiv-teade", "source")])
    assert all(item.check_with for item in queue)
    phone = next(item for item in queue if item.contact_type == "phone")
    assert phone.check_with == "+372 5123 4567"  # nothing confirmed to call instead: calling it confirms it


def test_stale_lists_every_contact_to_verify_even_when_nothing_is_due(directory: Directory) -> None:
    result = CliRunner().invoke(main, ["stale", "--today", "2026-12-01", str(directory.root)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 5 and all("to verify:" in line for line in lines)
    assert "5 contact(s) to verify, 0 record(s) due for re-verification" in result.stderr
