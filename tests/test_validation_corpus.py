"""Every mistake a maintainer can make, and the exact message `abikaart validate` gives for it.

Each case under `tests/data/broken/<case>/` is a small directory (the real taxonomies are added by the
`make_directory` fixture) with one kind of mistake. The messages are asserted whole: file, line, column,
field path, what is wrong and the fix. Cross-file checks (unknown terms, references, duplicate ids) run
only on records that passed the per-record checks, so they have cases of their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from abikaart import phones
from abikaart.cli import main
from abikaart.directory import load_directory

DATA = Path(__file__).resolve().parent / "data"
MakeDirectory = Callable[..., Path]
ORG = "directory/organisations/example-centre.yaml"
TODAY = dt.date(2026, 11, 25)

ERRORS: dict[str, list[str]] = {
    "yaml-syntax": [
        f"{ORG}:12:21: YAML syntax error: a ':' where no field can start (put text that contains ': ' in "
        "quotes, e.g. name: 'Abi: 24/7', or line the field up with the others)",
        "directory/organisations/tabbed.yaml:18:1: YAML syntax error: a tab character "
        "(indent with spaces, not tabs)",
    ],
    "unknown-field": [
        f"{ORG}:9:5: locations[0].adress: unknown field 'adress' (did you mean 'address'?)",
    ],
    "missing-required": [
        f"{ORG}:15:5: services[0].source: required field 'source' is missing (add 'source:')",
        "directory/services/lonely-line.yaml:1:1: organisation: required field 'organisation' is missing "
        "(add 'organisation:' with the id of the organisation that offers it)",
    ],
    "wrong-type": [
        f"{ORG}:13:15: review_every: 'often' is not an interval (write e.g. '6 months', '90 days' or '1 year')",
        f"{ORG}:16:11: services[0].name: expected a mapping of field: value, got 'Abiliin' "
        "(write it per language, e.g. name: {et: Abiliin, ru: ..., en: ...})",
        f"{ORG}:18:12: services[0].needs: expected a list, got 'domestic-violence' "
        "(write it as a list, e.g. [domestic-violence])",
    ],
    "invalid-phone": [
        f"{ORG}:24:17: services[0].channels[0].number: '5551234' is not a valid Estonian number "
        f"(expected e.g. {phones.EXAMPLE})",
        f"{ORG}:27:17: services[0].channels[1].number: '+372 116 006' is a short number and cannot take +372 "
        "(write it as '116 006')",
    ],
    "invalid-email": [
        f"{ORG}:5:8: email: 'info(at)example.ee' is not a valid e-mail address: an email address must have an "
        "@-sign (write it as name@example.ee)",
    ],
    "invalid-url": [
        f"{ORG}:4:10: website: 'http://example.ee' is not https (use 'https://example.ee')",
        f"{ORG}:29:13: services[0].source: 'example.ee/line' is not a valid web address "
        "(write it as https://example.ee/page)",
    ],
    "bad-hours": [
        f"{ORG}:28:16: services[0].channels[1].hours: 'Mon-Fri 9-17' is not valid opening hours (at character 3) "
        "(write e.g. 'Mo-Fr 09:00-17:00; PH off' or '24/7')",
    ],
    "unknown-term": [
        f"{ORG}:18:13: services[0].needs[0]: unknown needs term 'domestic-violense' "
        "(did you mean 'domestic-violence'?)",
        f"{ORG}:19:26: services[0].audiences[1]: unknown audiences term 'tourists' "
        "(use a term from directory/taxonomies/audiences.yaml)",
    ],
    "duplicate-id": [
        f"{ORG}:1:5: id: duplicate organisation 'example-centre', first defined at "
        "directory/organisations/copy-of-example.yaml:1 (choose another id, or remove the copy)",
        "directory/organisations/second-centre.yaml:15:9: services[0].id: duplicate service 'example-line', "
        f"first defined at {ORG}:15 (choose another id, or remove the copy)",
    ],
    "bad-reference": [
        f"{ORG}:19:44: services[0].first_contact_for[1]: 'crime' is not one of the service's needs "
        "(add it to 'needs', or remove it here)",
        f"{ORG}:28:19: services[0].channels[1].location: 'example-centre' has no location 'ofice' "
        "(did you mean 'office'?)",
        f"{ORG}:34:16: services[0].see_also[0]: no service has the id 'example-lien' (did you mean 'example-line'?)",
        "directory/services/lonely-line.yaml:2:15: organisation: no organisation has the id 'example-centr' "
        "(did you mean 'example-centre'?)",
    ],
    "future-date": [
        f"{ORG}:30:15: services[0].verified: 2999-01-15 is in the future (use the date the record was checked)",
    ],
    "empty-file": [
        "directory/organisations/new-centre.yaml:1:1: the file is empty "
        "(write the record's fields, starting with 'id:', or delete the file)",
    ],
    "not-mapping": [
        "directory/organisations/list.yaml:1:1: the file must be a mapping of field: value, not a list "
        "(write one record per file as 'field: value' lines, starting with 'id:')",
    ],
    "not-utf8": [
        f"{ORG}:2:13: the file is not UTF-8 (byte 0xe4) (save the file as UTF-8)",
    ],
    "registry-number": [
        f"{ORG}:18:17: services[0].channels[0].number: '1492' is obsolete: closed in 2018 (example) "
        "(give 116 006 instead; see numbers.yaml)",
        f"{ORG}:21:17: services[0].channels[1].number: '1247' is unconfirmed: one old source only (example) "
        "(add 'to_verify:' with the reason, or confirm it and remove it from numbers.yaml's unconfirmed list)",
    ],
    "confidential-address": [
        f"{ORG}:9:5: locations[0].address: a confidential location's whereabouts must never be written in the "
        "public repository (remove 'address:'; 'front_door:' says how to reach the place)",
    ],
    "confidential-text": [
        "directory/organisations/example.yaml:8:66: locations[0].front_door.en: 'Tatari 39' looks like a street "
        "address, and this place is confidential (remove it; say how to reach the place without its address, e.g. "
        "through 116 006)",
        "directory/organisations/example.yaml:10:5: locations[0].latitude: a confidential location's whereabouts "
        "must never be written in the public repository (remove 'latitude:'; 'front_door:' says how to reach the "
        "place)",
        "directory/organisations/example.yaml:18:23: services[0].description.et: '10134 Tallinn' looks like a "
        "street address, and this place is confidential (remove it; say how to reach the place without its "
        "address, e.g. through 116 006)",
    ],
    "registry-number-in-text": [
        "directory/organisations/example.yaml:10:16: services[0].name.et: '1247' is unconfirmed, and a text is "
        "published as written: one old source only (example) (remove the number from the text (keep it in a "
        "channel marked 'to_verify'), or confirm it and remove it from numbers.yaml's unconfirmed list)",
        "directory/organisations/example.yaml:11:75: services[0].description.en: '14 92' is obsolete: closed in "
        "2018 (example) (write 116 006 instead; see numbers.yaml)",
        "directory/organisations/example.yaml:24:27: services[0].channels[1].description.et: '1492' is obsolete: "
        "closed in 2018 (example) (write 116 006 instead; see numbers.yaml)",
    ],
    "no-public-contact": [
        "directory/organisations/example.yaml:16:7: services[0].channels: an active service with no public "
        "contact: every channel is marked 'to_verify' (add 'front_door:' saying how to reach it (e.g. through "
        "116 006), or set 'status:')",
    ],
    "duplicate-key": [
        f"{ORG}:32:5: services[0].source: duplicate key 'source' (first at line 29) (remove one of them)",
    ],
}

WARNINGS: dict[str, list[str]] = {
    "missing-translation": [
        f"{ORG}:16:11: warning: services[0].name: no ru or en translation "
        "(add ru:, en:; the site shows the Estonian text with a note meanwhile)",
        f"{ORG}:26:22: warning: services[0].channels[0].description: no en translation "
        "(add en:; the site shows the Estonian text with a note meanwhile)",
    ],
    "overdue-review": [
        f"{ORG}:30:15: warning: services[0].verified: last verified 2020-01-01, due again 2020-06-29 "
        "(check the contacts with the organisation and update 'verified')",
    ],
    "urgent-office-hours": [
        f"{ORG}:23:7: warning: services[0].channels: serves the urgent need 'domestic-violence' but has no "
        "contact outside office hours (add a channel open evenings and weekends, or list a 24/7 service in "
        "'see_also')",
    ],
}


def validate(*args: str) -> Result:
    return CliRunner().invoke(main, ["validate", *args])


def reported(result: Result) -> list[str]:
    """The problem lines of a text-format run (the summary line aside)."""
    return [line for line in result.stderr.splitlines() if line.startswith("directory/")]


def files_in(case: str) -> int:
    """YAML files a case's directory holds: its own and the five taxonomies."""
    return sum(1 for _ in (DATA / "broken" / case).rglob("*.yaml")) + 5


def test_every_case_on_disk_is_asserted() -> None:
    """A case added under tests/data/broken without expectations would silently test nothing."""
    on_disk = {path.name for path in (DATA / "broken").iterdir() if path.is_dir()}
    assert on_disk == set(ERRORS) | set(WARNINGS)


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_error_case_gives_exact_messages_and_exit_1(case: str, make_directory: MakeDirectory) -> None:
    make_directory(f"broken/{case}")
    result = validate("directory")
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert reported(result) == ERRORS[case]
    errors = len(ERRORS[case])
    assert result.stderr.rstrip().endswith(f"{errors} error(s), 0 warning(s) in {files_in(case)} file(s): "
                                           "nothing was written")


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_error_case_yields_no_directory(case: str, make_directory: MakeDirectory) -> None:
    """Nothing broken is ever published: the API gives no directory at all, only the problems."""
    result = load_directory(make_directory(f"broken/{case}"))
    assert result.directory is None
    assert [problem.text() for problem in sorted(result.problems, key=lambda p: p.sort_key())] == ERRORS[case]
    assert all(problem.level == "error" for problem in result.problems)


@pytest.mark.parametrize("case", sorted(WARNINGS))
def test_warning_case_gives_exact_messages(case: str, make_directory: MakeDirectory) -> None:
    result = load_directory(make_directory(f"broken/{case}"), today=TODAY)
    assert result.ok
    assert [problem.text() for problem in result.problems] == WARNINGS[case]


@pytest.mark.parametrize("case", sorted(WARNINGS))
def test_warning_case_exits_0_and_1_when_strict(case: str, make_directory: MakeDirectory) -> None:
    make_directory(f"broken/{case}")
    relaxed = validate("directory")
    assert relaxed.exit_code == 0, relaxed.output
    assert set(WARNINGS[case]) <= set(reported(relaxed))
    assert "valid" in relaxed.stderr
    strict = validate("--strict", "directory")
    assert strict.exit_code == 1
    assert set(WARNINGS[case]) <= set(reported(strict))
    assert "nothing was written" in strict.stderr


def test_all_errors_of_all_files_in_one_run(make_directory: MakeDirectory) -> None:
    """Not just the first mistake: every file's errors come out of a single run."""
    make_directory("broken/empty-file", "broken/not-mapping", "broken/invalid-phone")
    result = validate("directory")
    assert result.exit_code == 1
    expected = ERRORS["invalid-phone"] + ERRORS["not-mapping"] + ERRORS["empty-file"]
    assert reported(result) == expected


def test_valid_directory_exits_0(make_directory: MakeDirectory) -> None:
    make_directory("valid")
    result = validate("directory")
    assert result.exit_code == 0, result.output
    assert reported(result) == []
    assert result.stderr.strip() == "6 file(s), 1 organisation(s), 1 service(s): valid"


def test_valid_directory_has_no_warnings_either(make_directory: MakeDirectory) -> None:
    result = load_directory(make_directory("valid"), today=TODAY)
    assert result.problems == []


def test_yaml_1_1_traps_stay_text(make_directory: MakeDirectory) -> None:
    """`no`, `yes`, bare dates and `116006` mean what the maintainer typed, not YAML 1.1's bool/int/date."""
    result = load_directory(make_directory("valid"), today=TODAY)
    assert result.directory is not None
    organisation = result.directory.organisations["example-centre"]
    assert organisation.verified_by == "no"
    assert organisation.verified == dt.date(2026, 1, 15)
    assert organisation.locations[1].confidential is True  # `yes`
    service = result.directory.services["example-line"]
    assert [channel.number for channel in service.channels[:3]] == ["116006", "112", "1247"]
    assert service.anonymous is False  # `no`


def test_short_numbers_are_valid(make_directory: MakeDirectory) -> None:
    """Estonian short numbers people are told to call: 112, 116 006, 116 111, 1247 (and 116006)."""
    root = make_directory("valid")
    text = (root / "organisations" / "example.yaml").read_text(encoding="utf-8")
    assert all(number in text for number in ("116006", "112", "116 111", "1247"))
    assert load_directory(root, today=TODAY).ok
