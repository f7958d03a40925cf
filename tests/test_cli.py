"""`abikaart validate` and `abikaart stale` as maintainers and CI call them: formats and exit codes.

Exit codes: 0 valid, 1 data errors (or warnings with --strict), 2 usage errors. A traceback is never the
answer to bad data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from abikaart.cli import main

MakeDirectory = Callable[..., Path]
ORG = "directory/organisations/example-centre.yaml"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_json_format_lists_each_problem_with_its_parts(make_directory: MakeDirectory) -> None:
    make_directory("broken/unknown-field")
    result = run("validate", "--format", "json", "directory")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [{
        "path": ORG, "line": 9, "col": 5, "field": "locations[0].adress", "message": "unknown field 'adress'",
        "fix": "did you mean 'address'?", "level": "error", "code": "extra_forbidden",
    }]


def test_json_format_of_a_valid_directory_is_an_empty_list(make_directory: MakeDirectory) -> None:
    make_directory("valid")
    result = run("validate", "--format", "json", "directory")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_json_format_carries_warnings(make_directory: MakeDirectory) -> None:
    make_directory("broken/overdue-review")
    result = run("validate", "--format", "json", "directory")
    assert result.exit_code == 0
    stale = [problem for problem in json.loads(result.stdout) if problem["code"] == "stale"]
    assert stale[0]["level"] == "warning"
    assert (stale[0]["line"], stale[0]["col"], stale[0]["field"]) == (30, 15, "services[0].verified")


def test_github_format_writes_annotations(make_directory: MakeDirectory) -> None:
    make_directory("broken/invalid-url")
    result = run("validate", "--format", "github", "directory")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"::error file={ORG},line=4,col=10,title=website::'http://example.ee' is not https "
        "(use 'https://example.ee')",
        f"::error file={ORG},line=29,col=13,title=services[0].source::'example.ee/line' is not a valid web "
        "address (write it as https://example.ee/page)",
    ]


def test_github_format_marks_warnings_and_strict_fails(make_directory: MakeDirectory) -> None:
    make_directory("broken/missing-translation")
    relaxed = run("validate", "--format", "github", "directory")
    assert relaxed.exit_code == 0
    assert f"::warning file={ORG},line=16,col=11,title=services[0].name::no ru or en translation" in relaxed.stdout
    assert run("validate", "--strict", "--format", "github", "directory").exit_code == 1


@pytest.mark.parametrize("args", [
    ["validate", "no-such-folder"],
    ["validate", "--format", "xml", "directory"],
    ["validate", "--no-such-option", "directory"],
    ["validate", "directory/taxonomies/needs.yaml"],
    ["stale", "--today", "25.11.2026", "directory"],
    ["stale", "no-such-folder"],
])
def test_usage_errors_exit_2(args: list[str], make_directory: MakeDirectory) -> None:
    make_directory("valid")
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "Error:" in result.stderr


def test_default_path_is_directory(make_directory: MakeDirectory) -> None:
    make_directory("broken/future-date")
    result = run("validate")
    assert result.exit_code == 1
    assert f"{ORG}:30:15: services[0].verified: 2999-01-15 is in the future" in result.stderr


def test_a_folder_without_taxonomies_is_a_data_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "directory" / "organisations").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    result = run("validate", "directory")
    assert result.exit_code == 1
    assert "directory/taxonomies/needs.yaml:1:1: the needs taxonomy is missing" in result.stderr


def test_stale_lists_overdue_records_with_whom_to_call(make_directory: MakeDirectory) -> None:
    make_directory("broken/overdue-review")
    result = run("stale", "--today", "2026-11-25", "directory")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"OVERDUE 2020-06-29  service example-line (Abiliin), last verified 2020-01-01, {ORG}; call 116 006",
    ]
    assert "1 record(s) due for re-verification" in result.stderr


def test_stale_refuses_a_broken_directory(make_directory: MakeDirectory) -> None:
    make_directory("broken/duplicate-key")
    result = run("stale", "--today", "2026-11-25", "directory")
    assert result.exit_code == 1
    assert f"{ORG}:32:5: services[0].source: duplicate key 'source'" in result.stderr
    assert result.stdout == ""


def test_stale_suggests_a_confirmed_contact_before_an_unconfirmed_one(make_directory: MakeDirectory) -> None:
    """The unconfirmed number comes first in the file, but the one to call is the confirmed one."""
    root = make_directory("broken/overdue-review")
    path = root / "organisations" / "example-centre.yaml"
    text = path.read_text(encoding="utf-8")
    first_channel = "    channels:\n"
    assert first_channel in text
    path.write_text(text.replace(first_channel, first_channel + "      - type: phone\n        number: 1247\n"
                                 "        to_verify: one old source\n", 1), encoding="utf-8")
    result = run("stale", "--today", "2026-11-25", "directory")
    assert result.exit_code == 0, result.output
    pending, overdue = result.stdout.splitlines()
    assert pending.startswith("URGENT  service example-line (Abiliin): phone 1247 to verify: one old source; ")
    assert pending.endswith("; check with 116 006")
    assert overdue.endswith("; call 116 006")
    assert "1 contact(s) to verify, 1 record(s) due for re-verification" in result.stderr
