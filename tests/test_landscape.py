"""Issue 13: the services of the 2026-12-01 update, county conflicts and the numbers never to publish.

Counts are computed from the data's own fields, never pinned, so maintainers can keep editing.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from abikaart import export, phones, review
from abikaart.directory import Directory, load_directory
from abikaart.models import LANGS, Service, VerifiedHow
from abikaart.numbers import load_registry, national_digits
from abikaart.validation import NATIONWIDE

ROOT = Path(__file__).resolve().parents[1]
DIRECTORY = ROOT / "directory"
UPDATE = dt.date(2026, 12, 1)
"""The reference's "Update 2026-12-01": the records added from it carry this date."""
REGISTRY = load_registry(DIRECTORY, ROOT, [])
NEVER_PUBLISHED = {national_digits(e.number): e.number for e in [*REGISTRY.obsolete, *REGISTRY.not_public]}
DO_NOT_PUBLISH = tuple(" ".join(groups) for groups in (
    ("6", "880", "400"), ("1345",), ("603", "1345"), ("612", "4611"), ("6", "269", "059"), ("5919", "5718"),
    ("+372", "5302", "8887"), ("514", "2536")))
"""The update's do-not-publish numbers, as digit groups: no phone-shaped literal is committed outside directory/."""
"""The update's "Do not publish" list (HUGO.legal, the municipal helpline, old lines, professionals-only phones)."""
UPDATE_NUMBERS = {national_digits(number) for number in DO_NOT_PUBLISH}


@pytest.fixture(scope="module")
def directory() -> Directory:
    result = load_directory(DIRECTORY, base=ROOT, today=UPDATE + dt.timedelta(days=1))
    assert result.directory is not None, "\n".join(problem.text() for problem in result.problems)
    return result.directory


def test_the_update_is_in_the_data_with_sources_and_honest_verification(directory: Directory) -> None:
    new = [s for s in directory.services.values() if s.verified == UPDATE]
    assert len(new) >= 25
    for service in new:
        assert service.source.startswith("https://"), service.id
        assert service.verified_how in (VerifiedHow.DESK_RESEARCH, VerifiedHow.OFFICIAL_PAGE), service.id
        assert service.verified_by
        assert service.public_channels or service.front_door, service.id


def test_registry_holds_every_do_not_publish_number() -> None:
    for number in DO_NOT_PUBLISH:
        assert national_digits(number) in NEVER_PUBLISHED, number


def _mentioned(text: str) -> set[str]:
    return {national_digits(digits) for _start, _end, digits in phones.mentions(text)}


def test_no_do_not_publish_number_in_any_export(directory: Directory) -> None:
    outputs = [json.dumps(export.to_json(directory), ensure_ascii=False)]
    for lang in LANGS:
        outputs += [export.to_csv(directory, lang), json.dumps(export.to_hsds(directory, lang), ensure_ascii=False)]
    for text in outputs:
        found = _mentioned(text) & UPDATE_NUMBERS
        assert not found, [NEVER_PUBLISHED[d] for d in found]
    assert "hugo.legal" not in "".join(outputs)


def test_no_do_not_publish_number_in_any_data_file() -> None:
    for path in sorted(DIRECTORY.rglob("*.yaml")):
        if path.name == "numbers.yaml":
            continue
        found = _mentioned(path.read_text(encoding="utf-8")) & set(NEVER_PUBLISHED)
        assert not found, f"{path.relative_to(ROOT)}: {[NEVER_PUBLISHED[d] for d in found]}"


def test_county_and_need_lists_follow_the_data(directory: Directory) -> None:
    counties = list(directory.taxonomies["counties"])
    for county in counties:
        expected = {s.id for s in directory.services.values() if county in s.counties or NATIONWIDE in s.counties}
        assert {s.id for s in directory.services_in_county(county)} == expected, county
    for need in directory.taxonomies["needs"]:
        expected = {s.id for s in directory.services.values() if need in s.needs}
        assert {s.id for s in directory.services_for_need(need)} == expected, need
    for need in ("legal-help", "crime-compensation", "refugees-and-foreigners", "addiction",
                 "psychiatric-emergency", "sign-language", "social-help", "bereavement", "using-violence"):
        assert directory.services_for_need(need), f"no service for the new need {need}"


def test_a_county_in_conflict_is_never_listed_and_waits_to_be_verified(directory: Directory) -> None:
    claims = [(s, c) for s in directory.services.values() for c in s.counties_to_verify]
    assert {c.county for _s, c in claims} >= {"jogeva", "rapla", "viljandi", "voru"}
    pending = [p for p in review.pending_contacts(directory) if p.contact_type == "county"]
    for service, claim in claims:
        assert service not in directory.services_in_county(claim.county), (service.id, claim.county)
        assert any(p.id == service.id and p.reason == claim.to_verify for p in pending), service.id
        # the safe route is still listed there: 116 006 for women, nationwide
        assert directory.services["naiste-tugikeskused"] in directory.services_in_county(claim.county)


def test_a_county_both_confirmed_and_in_conflict_is_refused() -> None:
    base = {"id": "x", "name": {"et": "x"}, "description": {"et": "x"}, "needs": ["crime"],
            "audiences": ["victims"], "channels": [{"type": "phone", "number": "116 006"}],
            "source": "https://example.ee", "verified": "2026-12-01", "verified_by": "team"}
    with pytest.raises(ValidationError, match="both confirmed"):
        Service.model_validate({**base, "counties": ["rapla"],
                                "counties_to_verify": [{"county": "rapla", "to_verify": "conflict"}]})
    with pytest.raises(ValidationError, match="needs 'counties'"):
        Service.model_validate(base)
    assert Service.model_validate({**base, "counties_to_verify": [{"county": "rapla", "to_verify": "c"}]})


def test_a_not_public_number_is_refused_even_marked_to_verify(tmp_path: Path) -> None:
    import shutil
    shutil.copytree(DIRECTORY, tmp_path / "directory")
    path = tmp_path / "directory" / "services" / "kuriteoohvri-huvitis.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "  - type: email\n    email: info@sotsiaalkindlustusamet.ee\n",
        f"  - type: phone\n    number: {DO_NOT_PUBLISH[5]}\n    to_verify: professionals only\n")
    path.write_text(text, encoding="utf-8")
    result = load_directory(tmp_path / "directory", base=tmp_path, today=UPDATE)
    messages = [p.text() for p in result.problems]
    assert any("kuriteoohvri-huvitis.yaml" in m and "not for the public" in m and "116 111" in m for m in messages)
