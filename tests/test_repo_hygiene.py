"""Repository hygiene: committed notebooks carry no outputs, no tracked file outside directory/ holds
something shaped like an Estonian personal ID code or a real-looking Estonian phone number, and nothing the
tests, code or scripts run reads the `shared` folder beside a developer's checkout (a public clone has none).

The patterns themselves live in abikaart.stats.pii; this file builds its examples at run time so that it
does not trip its own check.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from abikaart.stats import pii

REPO = Path(__file__).resolve().parents[1]
EXEMPT_DIRS = ("directory/",)
# The one obvious example number used in docs and error messages ("+372 5123 4567"), built here so this
# file does not contain it literally.  Nothing else is allow-listed.
EXAMPLE_NUMBER = "5123" + " " + "4567"
ALLOWED = ("+372 " + EXAMPLE_NUMBER, "+372" + EXAMPLE_NUMBER.replace(" ", ""), EXAMPLE_NUMBER)
MAX_BYTES = 5_000_000


def tracked_files() -> list[str]:
    """Files git tracks (the index), relative to the repository root."""
    out = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    return [p for p in out.decode("utf-8").split("\0") if p]


def read_text(rel: str) -> str | None:
    """A tracked file's text, or None for binaries, very large or deleted files."""
    path = REPO / rel
    if not path.is_file() or path.stat().st_size > MAX_BYTES:
        return None
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def test_the_scans_below_see_the_repository() -> None:
    """The scans read what git tracks: if the listing or reading broke, they would pass on nothing."""
    files = tracked_files()
    assert {"tests/test_repo_hygiene.py", "src/abikaart/export.py", "pyproject.toml", "README.md"} <= set(files)
    assert all(not Path(rel).is_absolute() and ".." not in Path(rel).parts for rel in files)
    own = read_text("tests/test_repo_hygiene.py")
    assert own is not None and "def test_the_scans_below_see_the_repository" in own
    readable = [rel for rel in files if read_text(rel) is not None]
    assert len(readable) > 0.9 * len(files) > 100


def notebook_outputs(text: str) -> bool:
    """True if a notebook's JSON has a cell with outputs or an execution count."""
    return any(cell.get("outputs") or cell.get("execution_count") is not None
               for cell in json.loads(text).get("cells", []))


def test_committed_notebooks_have_no_outputs() -> None:
    offenders = []
    for rel in tracked_files():
        if not rel.endswith(".ipynb"):
            continue
        text = read_text(rel)
        if text is None:
            continue
        if notebook_outputs(text):
            offenders.append(rel)
    assert not offenders, f"notebooks committed with outputs or execution counts: {offenders}"


def _notebook(**cell: object) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "source": "1 + 1", **cell}], "nbformat": 4})


def test_notebook_check_finds_outputs_and_execution_counts() -> None:
    assert notebook_outputs(_notebook(outputs=[{"output_type": "execute_result", "data": {"text/plain": "2"}}],
                                      execution_count=1))
    assert notebook_outputs(_notebook(outputs=[], execution_count=3))
    assert not notebook_outputs(_notebook(outputs=[], execution_count=None))


def scan(text: str) -> list[str]:
    """Kinds of personal data found in a text (the values are not reported)."""
    for allowed in ALLOWED:
        text = text.replace(allowed, " ")
    found = []
    if pii.find_personal_ids(text):
        found.append("personal ID code")
    if pii.find_phones(text):
        found.append("phone number")
    return found


def test_no_personal_data_shapes_outside_directory() -> None:
    offenders = []
    for rel in tracked_files():
        if rel.startswith(EXEMPT_DIRS):
            continue
        text = read_text(rel)
        if text is None:
            continue
        for lineno, line in enumerate(text.splitlines(), start=1):
            kinds = scan(line)
            if kinds:
                offenders.append(f"{rel}:{lineno}: {', '.join(kinds)}")
    assert not offenders, "personal-data-shaped strings committed:\n" + "\n".join(offenders)


def _id(first_ten: str) -> str:
    """Complete a personal ID code with its check digit."""
    return first_ten + str(pii.personal_id_check_digit(first_ten))


@pytest.mark.parametrize("text", [
    "isikukood " + _id("3800101" + "123"),
    "(" + _id("4991231" + "000") + ")",
    "tel " + "+372" + " 5123" + " 4568",
    "+372" + "51234560",
    "00372 " + "612 3456",
    "helista " + "5123" + " 4569",
])
def test_detector_finds_personal_shapes(text: str) -> None:
    assert scan(text)


@pytest.mark.parametrize("text", [
    "2026-10-01T08:15:03+03:00",                 # timestamps
    "1727760903123",                             # epoch milliseconds
    "sha256:" + "3800101" + "1234" + "abcdef",    # digits inside a hash
    "version = " + "38001011234" + ".0",          # invalid check digit / decimals
    _id("3800101" + "123") + "9",                 # 12 digits: not an ID code
    "3" + "801301" + "1234",                      # impossible birth date (month 13)
    "116 006 and 116 111",                        # helpline short numbers
    "size 5123456789",                            # long number
    "2026-05-12 4567",                            # date followed by digits
    "integrity sha512-" + "51234567" + "abc",
])
def test_detector_ignores_ids_timestamps_and_hashes(text: str) -> None:
    assert not scan(text)


def test_only_the_documented_example_is_allowed() -> None:
    assert not scan("e.g. " + ALLOWED[0])
    assert scan("e.g. +372 " + "5123" + " 4560")


@pytest.mark.parametrize(("first_ten", "digit"), [
    ("3760502" + "123", 4),  # weights 1..9,1: 202 % 11 = 4
    ("3760502" + "002", 5),  # weights 1..9,1 give 76 % 11 = 10, so weights 3..9,1,2,3: 126 % 11 = 5
    ("3760502" + "026", 0),  # 10 with both weight sets maps to 0
])
def test_check_digit_follows_the_published_algorithm(first_ten: str, digit: int) -> None:
    assert pii.personal_id_check_digit(first_ten) == digit
    code = first_ten + str(digit)
    assert pii.is_personal_id(code)
    for wrong in range(10):
        if wrong != digit:
            assert not pii.is_personal_id(first_ten + str(wrong))


# Nothing reads the shared folder -------------------------------------------------------------------------

SHARED = "sha" + "red"  # built here, so that this file does not match its own pattern
SHARED_PATH = re.compile(rf"""(?:\.\./|/work/){SHARED}\b|["']{SHARED}["']|/\s*["']{SHARED}/""")
"""The folder beside the checkout, as a relative or absolute path, or as a quoted path part in Python."""
CHECKED = ("tests/", "src/", "scripts/", ".ci/", "notebooks/", "pyproject.toml", "mkdocs.yml", "mkdocs.internal.yml")


def test_nothing_that_runs_reads_the_shared_folder() -> None:
    """Tests, code, scripts and configuration use only what the repository holds (e.g. tests/data/hsds-3.0)."""
    offenders, checked = [], 0
    for rel in tracked_files():
        text = read_text(rel) if rel.startswith(CHECKED) else None
        if text is None:
            continue
        checked += 1
        offenders += [f"{rel}:{n}" for n, line in enumerate(text.splitlines(), start=1) if SHARED_PATH.search(line)]
    assert checked > 50
    assert not offenders, f"paths to the {SHARED} folder (vendor what is needed instead):\n" + "\n".join(offenders)


@pytest.mark.parametrize("line", [
    f'HSDS = REPO.parent / "{SHARED}" / "hsds-3.0" / "schema"',
    f"SCHEMA = Path('../{SHARED}/hsds-3.0/schema/compiled/service.json')",
    f'open("/work/{SHARED}/STYLE.md")',
    f'os.path.join("..", "{SHARED}", "hsds-3.0")',
    f'ROOT.parent / "{SHARED}/hsds-3.0"',
])
def test_shared_path_check_finds_every_spelling(line: str) -> None:
    assert SHARED_PATH.search(line)


@pytest.mark.parametrize("line", [
    f"with pages.{SHARED}_summaries():",
    f'"""Detectors {SHARED} by the data contract and the repository hygiene test."""',
    f"# tests/helpers.py: {SHARED} assertions",
    'HSDS = Path(__file__).parent / "data" / "hsds-3.0"',
])
def test_shared_path_check_ignores_the_word(line: str) -> None:
    assert not SHARED_PATH.search(line)
