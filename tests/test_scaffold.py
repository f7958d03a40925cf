"""`abikaart new`: files that validate the first time, answers checked as they are typed, nothing overwritten."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft7Validator, FormatChecker

from abikaart.cli import main
from abikaart.directory import load_directory
from abikaart.loading import parse_text
from abikaart.scaffold import scalar
from helpers import DIRECTORY, OTHER_NUMBER, REPO, declared_schema, editor_yaml

ORGANISATION = ["--id", "naiste-varjupaik", "--name-et", "Naiste varjupaik: Tartu", "--name-en", "Women's shelter",
                "--description-et", "Varjupaik naistele # ja lastele.", "--phone", "5123 4567",
                "--website", "https://varjupaik.example.ee", "--source", "https://varjupaik.example.ee/meist",
                "--verified-by", "abikaart maintainers"]
SERVICE = ["--id", "varjupaiga-noustamine", "--organisation", "naiste-varjupaik", "--name-et", "Nõustamine",
           "--name-ru", "Консультирование", "--description-et", "Nõustamine vägivalla kogenud naistele.",
           "--needs", "domestic-violence, crime", "--audiences", "victims,women", "--counties", "tartu",
           "--languages", "et,ru", "--phone", OTHER_NUMBER, "--chat", "https://varjupaik.example.ee/vestlus",
           "--hours", "24/7", "--cost", "free", "--source", "https://varjupaik.example.ee/noustamine",
           "--verified-by", "abikaart maintainers"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the bundled directory, without standalone services (so services/ starts empty)."""
    shutil.copytree(DIRECTORY, tmp_path / "directory", ignore=shutil.ignore_patterns("services"))
    shutil.copytree(REPO / "schema", tmp_path / "schema")  # where the files' `$schema=../../schema/...` points
    assert CliRunner().invoke(main, ["validate", str(tmp_path / "directory")]).exit_code == 0
    return tmp_path / "directory"


def _new(root: Path, kind: str, args: list[str], stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, ["new", kind, "--dir", str(root), *args], input=stdin)


def _assert_valid(root: Path, path: Path) -> None:
    """The file passes `abikaart validate` (no errors) and its declared JSON Schema, as an editor reads it."""
    result = CliRunner().invoke(main, ["validate", str(root)])
    assert result.exit_code == 0, result.output
    schema = declared_schema(path)
    assert schema is not None and schema.parent == root.parent / "schema"
    validator = Draft7Validator(json.loads(schema.read_text()), format_checker=FormatChecker())
    errors = [error.message for error in validator.iter_errors(editor_yaml(path.read_text()))]
    assert not errors, errors


def test_new_organisation_from_flags_validates(root: Path) -> None:
    result = _new(root, "organisation", ORGANISATION)
    assert result.exit_code == 0, result.output
    path = root / "organisations" / "naiste-varjupaik.yaml"
    assert result.stdout.strip() == str(path)
    _assert_valid(root, path)
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../schema/organisation.schema.json\n")
    assert "# ru: the name in Russian" in text
    organisation = load_directory(root).directory.organisations["naiste-varjupaik"]  # type: ignore[union-attr]
    assert organisation.name.get("et") == "Naiste varjupaik: Tartu"
    assert organisation.description.get("et") == "Varjupaik naistele # ja lastele."
    assert organisation.phones[0].number == "5123 4567"


def test_new_service_from_flags_validates(root: Path) -> None:
    assert _new(root, "organisation", ORGANISATION).exit_code == 0
    result = _new(root, "service", SERVICE)
    assert result.exit_code == 0, result.output
    path = root / "services" / "varjupaiga-noustamine.yaml"
    _assert_valid(root, path)
    directory = load_directory(root).directory
    assert directory is not None
    service = directory.services["varjupaiga-noustamine"]
    assert directory.organisation_of[service.id] == "naiste-varjupaik"
    assert service.needs == ["domestic-violence", "crime"]
    assert service.counties == ["tartu"]
    assert [channel.type.value for channel in service.channels] == ["phone", "chat"]
    assert service.hours == "24/7"
    assert service.name.get("ru") == "Консультирование"


def test_prompts_ask_again_until_the_answer_is_valid(root: Path) -> None:
    answers = "\n".join([
        "Naiste Varjupaik",  # not a slug
        "naiste-varjupaik",
        "Naiste varjupaik",
        "Varjupaik naistele.",
        "http://varjupaik.example.ee",  # not https
        "https://varjupaik.example.ee",
        "abikaart maintainers",
    ]) + "\n"
    result = _new(root, "organisation", ["--phone", "5123 4567"], answers)
    assert result.exit_code == 0, result.output
    assert "is not a valid id" in result.output and "'naiste-varjupaik'" in result.output
    assert "is not https" in result.output
    _assert_valid(root, root / "organisations" / "naiste-varjupaik.yaml")


def test_service_without_a_contact_asks_for_a_phone_and_checks_it(root: Path) -> None:
    args = [arg for arg in SERVICE if arg not in ("--phone", OTHER_NUMBER, "--chat",
                                                   "https://varjupaik.example.ee/vestlus")]
    args[args.index("naiste-varjupaik")] = "sotsiaalkindlustusamet"
    result = _new(root, "service", args, "+372 116 006\n116 006\n")
    assert result.exit_code == 0, result.output
    assert "short number and cannot take +372" in result.output
    _assert_valid(root, root / "services" / "varjupaiga-noustamine.yaml")


def test_refuses_to_overwrite_or_reuse_an_id(root: Path) -> None:
    assert _new(root, "organisation", ORGANISATION).exit_code == 0
    path = root / "organisations" / "naiste-varjupaik.yaml"
    path.write_text(path.read_text() + "# edited by hand\n")
    before = path.read_text()
    result = _new(root, "organisation", ORGANISATION)
    assert result.exit_code == 1
    assert "exists already" in result.output
    assert path.read_text() == before

    taken = [*SERVICE]
    taken[taken.index("varjupaiga-noustamine")] = "ohvriabi-kriisitelefon"  # nested in another file
    result = _new(root, "service", taken)
    assert result.exit_code == 1 and "exists already" in result.output
    assert not (root / "services").exists()


def test_checks_terms_and_the_organisation(root: Path) -> None:
    wrong_need = [*SERVICE]
    wrong_need[wrong_need.index("domestic-violence, crime")] = "domestic-violense"
    result = _new(root, "service", wrong_need)
    assert result.exit_code == 2
    assert "unknown needs term 'domestic-violense'" in result.output and "domestic-violence" in result.output

    result = _new(root, "service", SERVICE)  # its organisation does not exist yet
    assert result.exit_code == 1
    assert "no organisation has the id 'naiste-varjupaik'" in result.output

    bad_hours = [*SERVICE]
    bad_hours[bad_hours.index("24/7")] = "9-17"
    result = _new(root, "service", bad_hours)
    assert result.exit_code == 2 and "not valid opening hours" in result.output


def test_help_explains_the_commands() -> None:
    result = CliRunner().invoke(main, ["new", "service", "--help"])
    assert result.exit_code == 0
    for option in ("--organisation", "--needs", "--phone", "--chat", "--hours", "--dir"):
        assert option in result.output


@given(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=40))
def test_any_text_survives_the_round_trip(value: str) -> None:
    """Whatever a maintainer types is written so that it reads back exactly, nested as in a record."""
    doc = parse_text("x.yaml", f"name:\n  et: {scalar(value)}\n".encode())
    assert not doc.problems, (value, scalar(value), doc.problems)
    assert doc.data == {"name": {"et": value}}
