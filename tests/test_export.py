"""Exports: HSDS 3.0 that Open Referral's own schemas accept, stable ids, and nothing private in any output."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from abikaart import export
from abikaart.cli import main
from abikaart.directory import Directory, load_directory
from abikaart.models import LANGS
from helpers import (
    DIRECTORY,
    INTERNAL_NOTE,
    REPO,
    SHELTER_FRONT_DOOR,
    SHELTER_STREET,
    UNVERIFIED_NUMBER,
    assert_no_confidential,
    make_directory,
)

HSDS = REPO.parent / "shared" / "hsds-3.0" / "schema"
"""Open Referral's own schemas, beside the repository (../shared), as the issue asks."""


@pytest.fixture(scope="module")
def shelter(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    return make_directory(tmp_path_factory.mktemp("data") / "directory")


@pytest.fixture(scope="module")
def bundled() -> Directory:
    result = load_directory(DIRECTORY)
    assert result.directory is not None
    return result.directory


def _validator(compiled: str) -> Draft202012Validator:
    """A validator for one compiled HSDS schema; every $ref resolves to the local files, never the network."""
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012))
        for path in [*HSDS.glob("*.json"), *(HSDS / "compiled").glob("*.json")]
    ]
    schema = json.loads((HSDS / "compiled" / compiled).read_text())
    return Draft202012Validator(schema, registry=Registry().with_resources(resources), format_checker=FormatChecker())


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


# HSDS -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("which", ["shelter", "bundled"])
def test_hsds_validates_against_open_referral_compiled_schemas(
    lang: str, which: str, request: pytest.FixtureRequest
) -> None:
    directory: Directory = request.getfixturevalue(which)
    services = export.to_hsds(directory, lang)
    assert len(services) == len(directory.services) > 0
    service_validator, organisation_validator = _validator("service.json"), _validator("organization.json")
    for service in services:
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in service_validator.iter_errors(service)]
        assert not errors, f"{service['name']}: {errors}"
        errors = [e.message for e in organisation_validator.iter_errors(service["organization"])]
        assert not errors, errors


def test_the_schema_check_is_not_vacuous() -> None:
    validator = _validator("service.json")
    assert not validator.is_valid({"id": "not-a-uuid", "name": "x", "status": "active"})
    assert not validator.is_valid({"id": str(uuid.uuid4()), "name": "x", "status": "closed"})
    assert not validator.is_valid({"id": str(uuid.uuid4()), "name": "x"})


def test_hsds_is_in_the_language_asked_for(bundled: Directory) -> None:
    service = bundled.services["ohvriabi-kriisitelefon"]
    for lang in LANGS:
        [record] = [s for s in export.to_hsds(bundled, lang) if s["id"] == export.uid("service", service.id)]
        assert record["name"] == service.name.get(lang)
        assert record["organization"]["name"] == bundled.organisation(service).name.get(lang)
        assert {term["taxonomy_term"]["language"] for term in record["attributes"]} == {lang}


def test_hsds_ids_are_uuid5_of_our_ids_and_never_change(bundled: Directory) -> None:
    services = export.to_hsds(bundled, "et")
    assert services == export.to_hsds(bundled, "et")
    by_id = {service["id"]: service for service in services}
    expected = str(uuid.uuid5(export.NAMESPACE, "service/ohvriabi-kriisitelefon"))
    # Pinned: these ids are published; a change here breaks everyone who imported them.
    assert expected == "ceebe8ed-52ee-58f0-9522-c597dde51029"
    assert by_id[expected]["name"] == bundled.services["ohvriabi-kriisitelefon"].name.get("et")
    assert len(by_id) == len(bundled.services)
    ids_across_languages = [{s["id"] for s in export.to_hsds(bundled, lang)} for lang in LANGS]
    assert ids_across_languages[0] == ids_across_languages[1] == ids_across_languages[2]


@pytest.mark.parametrize("which", ["shelter", "bundled"])
def test_hsds_ids_are_distinct_for_distinct_things(which: str, request: pytest.FixtureRequest) -> None:
    """The same id may appear twice only for the same thing (an organisation nested under two services)."""
    directory: Directory = request.getfixturevalue(which)
    seen: dict[str, dict[str, Any]] = {}
    for record in _objects(export.to_hsds(directory, "en")):
        if "id" not in record:
            continue
        uuid.UUID(record["id"])
        assert seen.setdefault(record["id"], record) == record, f"two different objects share {record['id']}"
    assert len(seen) > len(directory.services)


def test_hsds_schedules_follow_the_opening_hours(shelter: Directory) -> None:
    [counselling] = [s for s in export.to_hsds(shelter, "en") if s["name"] == "Counselling in Tartu"]
    schedules = {(s["description"], s.get("byday"), s.get("opens_at"), s.get("closes_at"))
                 for s in counselling["schedules"]}
    assert schedules == {
        ("Mo-Fr 09:00-17:00; PH off", "MO,TU,WE,TH,FR", "09:00", "17:00"),
        ("Mo,We 10:00-12:00,13:00-15:00", "MO,WE", "10:00", "12:00"),
        ("Mo,We 10:00-12:00,13:00-15:00", "MO,WE", "13:00", "15:00"),
        # Seasonal hours are not one weekly pattern: only the text is given.
        ("Jun-Aug Mo-Fr 10:00-14:00", None, None, None),
    }
    [shelter_service] = [s for s in export.to_hsds(shelter, "en") if s["name"] == "Shelter"]
    [always] = shelter_service["schedules"]
    assert (always["byday"], always["opens_at"], always["closes_at"]) == ("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")


def test_hsds_carries_areas_languages_terms_and_costs(shelter: Directory) -> None:
    [record] = [s for s in export.to_hsds(shelter, "en") if s["name"] == "Shelter"]
    assert [area["name"] for area in record["service_areas"]] == ["Harju County"]
    assert [(language["name"], language["code"]) for language in record["languages"]] == [
        ("Estonian", "et"), ("Russian", "ru")]
    terms = {(a["link_type"], a["taxonomy_term"]["code"]) for a in record["attributes"]}
    assert terms == {("need", "domestic-violence"), ("need", "safe-accommodation"), ("audience", "victims"),
                     ("audience", "women")}
    assert record["cost_options"][0]["amount"] == 0
    assert record["fees_description"] == "Free"
    assert [phone["number"] for phone in record["phones"]] == ["+372 5123 4567"]
    [place] = record["service_at_locations"]
    assert place["location"]["description"] == "Call 5123 4567; we meet you in front of the Baltic station"
    assert "addresses" not in place["location"] and "latitude" not in place["location"]


def test_public_location_keeps_its_address(shelter: Directory) -> None:
    [record] = [s for s in export.to_hsds(shelter, "et") if s["name"] == "Nõustamine Tartus"]
    [place] = record["service_at_locations"]
    assert place["location"]["addresses"][0]["address_1"] == "Avalik tänav 1"
    assert place["location"]["latitude"] == 58.3776


# Nothing private in any output --------------------------------------------------------------------------------


def _outputs(directory: Directory) -> Iterator[tuple[str, str]]:
    yield "json", json.dumps(export.to_json(directory), ensure_ascii=False)
    for lang in LANGS:
        yield f"csv-{lang}", export.to_csv(directory, lang)
        yield f"hsds-{lang}", json.dumps(export.to_hsds(directory, lang), ensure_ascii=False)


def test_no_output_publishes_a_confidential_address_an_unverified_contact_or_an_internal_note(
    shelter: Directory,
) -> None:
    outputs = dict(_outputs(shelter))
    assert len(outputs) == 7
    for name, text in outputs.items():
        assert_no_confidential(text, shelter)
        assert "internal_note" not in text and "to_verify" not in text and "verified_by" not in text, name
    # The shelter is still reachable: its front door is in every output.
    assert SHELTER_FRONT_DOOR in outputs["json"] and SHELTER_FRONT_DOOR in outputs["csv-et"]
    assert SHELTER_FRONT_DOOR in outputs["hsds-et"]


def test_written_files_hold_no_secrets(shelter: Directory, tmp_path: Path) -> None:
    written = export.write_exports(shelter, tmp_path)
    assert sorted(path.name for path in written) == sorted(
        ["abikaart.json", *(f"abikaart-{lang}.csv" for lang in LANGS), *(f"hsds-{lang}.json" for lang in LANGS)])
    for path in written:
        assert_no_confidential(path.read_text(encoding="utf-8-sig"), shelter)


def test_the_secret_check_catches_leaks(shelter: Directory) -> None:
    """assert_no_confidential must fail on each kind of secret, or the tests above prove nothing."""
    digits = UNVERIFIED_NUMBER.replace(" ", "")
    for leak in (SHELTER_STREET, "59.123456", "24.654", "10999", UNVERIFIED_NUMBER, digits, UNVERIFIED_NUMBER[5:],
                 f"tel:{digits[4:]}", INTERNAL_NOTE,
                 "kontrollimata@varjupaik.example.ee"):
        with pytest.raises(AssertionError) as failure:
            assert_no_confidential(f"<p>{leak}</p>", shelter)
        assert leak not in str(failure.value), "the failure message must not repeat the secret"
    assert_no_confidential("+372 5123 4567 is published, Tallinn is a city", shelter)


def test_bundled_exports_are_public_too(bundled: Directory) -> None:
    for _, text in _outputs(bundled):
        assert_no_confidential(text, bundled)


# Our JSON and CSV ---------------------------------------------------------------------------------------------


def test_json_has_every_service_and_only_verified_contacts(shelter: Directory) -> None:
    data = export.to_json(shelter)
    services = {s["id"]: s for org in data["organisations"] for s in org["services"]}
    assert set(services) == set(shelter.services)
    assert [c["type"] for c in services["turvakodu-varjupaik"]["channels"]] == ["phone", "in-person"]
    [organisation] = data["organisations"]
    assert [phone["number"] for phone in organisation["phones"]] == ["+372 5123 4567"]
    confidential, public = organisation["locations"]
    assert set(confidential) == {"id", "name", "confidential", "front_door"}
    assert public["address"]["address_1"] == "Avalik tänav 1"
    assert set(data["taxonomies"]) == {"needs", "audiences", "counties", "channels", "languages"}


def test_csv_has_one_row_per_service_in_the_language(shelter: Directory) -> None:
    rows = list(csv.DictReader(io.StringIO(export.to_csv(shelter, "ru"))))
    assert [row["id"] for row in rows] == ["turvakodu-varjupaik", "turvakodu-noustamine", "turvakodu-tugigrupp"]
    first = rows[0]
    assert first["organisation"] == "НКО Безопасный дом"
    assert first["name"] == "Приют"
    assert first["description"] == "Turvaline majutus lähisuhtevägivalla eest põgenejatele."  # Estonian fallback
    assert first["counties"] == "Харьюмаа"
    assert first["phone"] == "+372 5123 4567"
    assert first["email"] == ""
    assert first["always_open"] == "true"
    assert rows[2]["counties"] == "Вся Эстония"
    assert rows[2]["video"] == "https://turvakodu.example.ee/video"
    assert rows[1]["hours"].count(" | ") == 2


# CLI ---------------------------------------------------------------------------------------------------------


def test_cli_prints_one_format(shelter: Directory) -> None:
    result = CliRunner().invoke(main, ["export", str(shelter.root), "--format", "hsds", "--lang", "ru"])
    assert result.exit_code == 0, result.output
    services = json.loads(result.stdout)
    assert {service["name"] for service in services} >= {"Приют"}
    assert_no_confidential(result.output, shelter)


def test_cli_writes_every_file(shelter: Directory, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(shelter.root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").iterdir())) == 7
    result = CliRunner().invoke(main, ["export", str(shelter.root), "--format", "csv", "--lang", "en",
                                       "--out", str(tmp_path / "csv")])
    assert [path.name for path in (tmp_path / "csv").iterdir()] == ["abikaart-en.csv"]


def test_cli_all_formats_need_a_folder(shelter: Directory) -> None:
    result = CliRunner().invoke(main, ["export", str(shelter.root)])
    assert result.exit_code == 2
    assert "--out" in result.output


def test_cli_writes_nothing_from_broken_data(tmp_path: Path) -> None:
    make_directory(tmp_path / "directory")
    broken = tmp_path / "directory" / "services" / "turvakodu-tugigrupp.yaml"
    broken.write_text(broken.read_text().replace("counties: [nationwide]", "counties: [narnia]"))
    result = CliRunner().invoke(main, ["export", str(tmp_path / "directory"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "narnia" in result.output
    assert not (tmp_path / "out").exists()
