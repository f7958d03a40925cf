"""The committed JSON Schemas match the models, every data file passes them, and they carry guidance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft7Validator, FormatChecker
from jsonschema.validators import validator_for

from abikaart import schema
from abikaart.cli import main
from abikaart.loading import find_files
from helpers import DIRECTORY, REPO, declared_schema, editor_yaml

SCHEMA_DIR = REPO / "schema"


def _validator(name: str) -> Draft7Validator:
    contents = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    assert validator_for(contents) is Draft7Validator, "editors' YAML support validates draft-07 fully"
    Draft7Validator.check_schema(contents)
    return Draft7Validator(contents, format_checker=FormatChecker())


def _errors(name: str, data: Any) -> list[str]:
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator(name).iter_errors(data)]


def test_committed_schemas_match_the_models() -> None:
    drifted = schema.drifted(SCHEMA_DIR)
    assert not drifted, f"{drifted} differ from the models: run `abikaart schema` and commit the result"
    assert sorted(path.name for path in SCHEMA_DIR.glob("*.json")) == sorted(schema.SCHEMAS)


def test_every_data_file_declares_and_passes_its_schema() -> None:
    files = find_files(DIRECTORY)
    checked = 0
    for path in files:
        declared = declared_schema(path)
        assert declared is not None, f"{path} does not declare its schema"
        assert declared.parent == SCHEMA_DIR and declared.is_file(), f"{path}: no schema at {declared}"
        errors = _errors(declared.name, editor_yaml(path.read_text(encoding="utf-8")))
        assert not errors, f"{path.relative_to(REPO)}: {errors}"
        checked += 1
    assert checked == len(files) > 0
    assert {declared_schema(path).name for path in files} >= {"organisation.schema.json",  # type: ignore[union-attr]
                                                               "taxonomy.schema.json"}


MINIMAL_SERVICE = {
    "id": "uus-teenus", "organisation": "sotsiaalkindlustusamet", "name": {"et": "Uus teenus"},
    "description": {"et": "Kirjeldus."}, "needs": ["crime"], "audiences": ["victims"], "counties": ["nationwide"],
    "channels": [{"type": "phone", "number": 1247, "hours": "24/7"}],
    "source": "https://example.ee", "verified": "2026-11-25", "verified_by": "maintainers",
    "review_every": "6 months", "anonymous": True,
}


def test_schema_accepts_what_maintainers_write() -> None:
    """An unquoted 1247 is a number to an editor, a date is text, an interval may be '6 months'."""
    assert _errors("service.schema.json", MINIMAL_SERVICE) == []
    assert _errors("service.schema.json", MINIMAL_SERVICE | {"review_every": 90}) == []


@pytest.mark.parametrize(("change", "field"), [
    ({"id": "Uus Teenus"}, "id"),
    ({"nedds": ["crime"]}, ""),
    ({"name": {"ru": "Новая услуга"}}, "name"),
    ({"name": {"et": "Uus", "fi": "Uusi"}}, "name"),
    ({"verified": "25.11.2026"}, "verified"),
    ({"cost": "gratis"}, "cost"),
    ({"review_every": "half a year"}, "review_every"),
    ({"source": "http://example.ee"}, "source"),
    ({"channels": [{"type": "fax", "number": "5123 4567"}]}, "channels.0.type"),
    ({"anonymous": "maybe"}, "anonymous"),
])
def test_schema_flags_common_mistakes_inline(change: dict[str, Any], field: str) -> None:
    errors = _errors("service.schema.json", MINIMAL_SERVICE | change)
    assert any(error.startswith(f"{field}:") for error in errors), errors


def test_standalone_service_must_name_its_organisation() -> None:
    without = {key: value for key, value in MINIMAL_SERVICE.items() if key != "organisation"}
    assert any("organisation" in error for error in _errors("service.schema.json", without))
    nested = {"id": "x", "name": {"et": "X"}, "description": {"et": "X"}, "source": "https://x.ee",
              "verified": "2026-11-25", "verified_by": "m", "services": [without]}
    assert _errors("organisation.schema.json", nested) == []


def _properties(node: Any) -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        for name, value in (node.get("properties") or {}).items():
            found.append((name, value))
        for value in node.values():
            found.extend(_properties(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_properties(value))
    return found


@pytest.mark.parametrize("name", sorted(schema.SCHEMAS))
def test_every_field_explains_itself(name: str) -> None:
    """Editors show the description on hover: every field a maintainer can type has one."""
    contents = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    properties = _properties(contents)
    assert len(properties) > 5
    undocumented = sorted({field for field, value in properties if not value.get("description")
})
    assert not undocumented, undocumented


def test_cli_check_reports_drift_and_write_fixes_it(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(schema.SCHEMAS)
    assert runner.invoke(main, ["schema", "--check", "--out", str(tmp_path)]).exit_code == 0

    stale = tmp_path / "service.schema.json"
    stale.write_text(stale.read_text().replace("Who offers it", "Who offered it").replace('"id"', '"ident"', 1))
    result = runner.invoke(main, ["schema", "--check", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "service.schema.json" in result.output and "abikaart schema" in result.output

    result = runner.invoke(main, ["schema", "--out", str(tmp_path)])
    assert result.stdout.split() == [str(stale)]
    assert runner.invoke(main, ["schema", "--check", "--out", str(tmp_path)]).exit_code == 0


CONFIDENTIAL_PLACE = """\
id: keskus
name: {et: Keskus}
description: {et: Tugikeskus.}
source: https://example.ee
verified: 2026-11-25
verified_by: maintainers
locations:
  - id: varjupaik
    name: {et: Varjupaik}
    confidential: true
    front_door: {et: Helista 116 006.}
"""


@pytest.mark.parametrize("whereabouts", [
    "    address: {address_1: Peidus 1, city: Tartu, county: tartu}\n", "    latitude: 58.38\n",
    "    longitude: 26.72\n",
])
def test_the_editor_flags_a_confidential_place_with_whereabouts(whereabouts: str) -> None:
    assert _errors("organisation.schema.json", editor_yaml(CONFIDENTIAL_PLACE)) == []
    assert _errors("organisation.schema.json", editor_yaml(CONFIDENTIAL_PLACE + whereabouts))
    public = CONFIDENTIAL_PLACE.replace("confidential: true", "confidential: false") + whereabouts
    assert _errors("organisation.schema.json", editor_yaml(public)) == []
