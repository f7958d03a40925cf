"""Page models and their helpers, without building a site."""

from __future__ import annotations

from pathlib import Path

import pytest

from abikaart.directory import Directory
from abikaart.site import pages
from abikaart.site.plugin import localized, prune
from abikaart.site.render import Renderer, strings
from helpers import SHELTER_STREET, make_directory

PATHS = pages.Paths("directory")


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    return make_directory(tmp_path_factory.mktemp("data"))


@pytest.mark.parametrize(("target", "source", "link"), [
    ("directory/service/a.md", "directory/need/crime.md", "../../service/a/"),
    ("directory/24-7.md", "directory/service/a.md", "../../24-7/"),
    ("directory/index.md", "directory/organisations.md", "../"),
    ("directory/service/a.md", "directory/index.md", "service/a/"),
    ("directory/index.md", "directory/index.md", "./"),
])
def test_links_are_relative_page_urls(target: str, source: str, link: str) -> None:
    assert pages.url_from(target, source) == link


def test_hours_read_as_words_in_each_language() -> None:
    assert pages.hours_text("24/7", strings()["ru"]) == "круглосуточно"
    assert pages.hours_text("Mo-Fr 09:00-17:00; PH off", strings()["et"]) == "E-R 09:00-17:00, riigipühad suletud"
    assert pages.hours_text(None, strings()["en"]) == "opening hours not known"


def test_emergency_lines_put_112_and_the_crisis_line_first(directory: Directory) -> None:
    lines = pages.emergency_lines(directory, "et", PATHS, "5123 4567")
    assert [line.href for line in lines] == ["tel:112", "tel:+37251234567"]
    assert lines[1].path == "directory/service/turvakodu-varjupaik.md"


def test_a_confidential_place_keeps_only_its_name_and_front_door(directory: Directory) -> None:
    service = directory.services["turvakodu-varjupaik"]
    page = pages.service_page(directory, service, "et", PATHS)
    place = next(c.place for c in page.contacts if c.place)
    assert place.confidential and place.address is None and place.latitude is None and place.longitude is None
    assert place.front_door is not None and place.transportation is None
    assert SHELTER_STREET not in Renderer(PATHS).body(page)


def test_public_pages_leave_out_unverified_contacts_and_notes(directory: Directory) -> None:
    service = directory.services["turvakodu-varjupaik"]
    public = pages.service_page(directory, service, "et", PATHS)
    internal = pages.service_page(directory, service, "et", PATHS, audience="internal")
    assert all(c.to_verify is None for c in public.contacts) and public.internal_note is None
    assert any(c.to_verify for c in internal.contacts) and internal.internal_note


def test_data_text_cannot_become_markup(directory: Directory) -> None:
    service = directory.services["turvakodu-varjupaik"].model_copy(deep=True)
    service.description.root["et"] = '<script>alert(1)</script> & *kaitse*'
    html = Renderer(PATHS).body(pages.service_page(directory, service, "et", PATHS))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; *kaitse*" in html


def test_localized_paths_follow_the_suffix_layout() -> None:
    assert localized("directory/need/crime.md", "et") == "directory/need/crime.md"
    assert localized("directory/need/crime.md", "ru") == "directory/need/crime.ru.md"


def test_pages_of_removed_records_are_pruned(tmp_path: Path) -> None:
    keep, gone = tmp_path / "service" / "a.md", tmp_path / "service" / "old" / "b.en.md"
    for path in (keep, gone):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    assert prune(tmp_path, {keep}) == 1
    assert keep.exists() and not gone.exists() and not gone.parent.exists()
