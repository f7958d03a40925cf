"""Issue 13 on the built public site: county pages follow the data, and no do-not-publish number is anywhere."""

from __future__ import annotations

from site_project import Project

from abikaart import phones
from abikaart.leaks import files
from abikaart.models import LANGS
from abikaart.numbers import national_digits

PREFIX = {"et": "", "ru": "ru/", "en": "en/"}
DO_NOT_PUBLISH = tuple(" ".join(groups) for groups in (
    ("6", "880", "400"), ("1345",), ("603", "1345"), ("612", "4611"), ("6", "269", "059"), ("5919", "5718"),
    ("+372", "5302", "8887"), ("514", "2536")))
"""The update's do-not-publish numbers, as digit groups: no phone-shaped literal is committed outside directory/."""
"""The reference update's "Do not publish" list."""


def test_every_county_page_lists_every_service_with_a_place_in_that_county(project: Project) -> None:
    directory = project.directory
    checked = 0
    for county in directory.taxonomies["counties"]:
        for lang in LANGS:
            html = (project.site / PREFIX[lang] / "directory" / "county" / county / "index.html").read_text("utf-8")
            for service in directory.services.values():
                link = f"service/{service.id}/"
                if county in service.counties:
                    assert link in html, (county, lang, service.id)
                    checked += 1
                elif any(claim.county == county for claim in service.counties_to_verify):
                    assert link not in html, f"{service.id} is listed for {county}, a county in conflict"
    assert checked > 15 * 3


def test_no_do_not_publish_number_in_any_file_of_the_site(project: Project) -> None:
    numbers = {national_digits(number) for number in DO_NOT_PUBLISH}
    scanned = 0
    for name, data in files(project.site):
        if name.endswith((".js", ".woff", ".woff2", ".png", ".svg", ".ico")):
            continue  # the theme's own scripts and fonts (lunr's segmenter holds digit tables), not our data
        text = data.decode("utf-8", "replace")
        found = {national_digits(d) for _s, _e, d in phones.mentions(text)} & numbers
        assert not found, (name, found)
        assert "hugo.legal" not in text, name
        scanned += 1
    assert scanned > 100
