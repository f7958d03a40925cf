"""Repository hygiene: committed notebooks carry no outputs, and no tracked file outside directory/ holds
something shaped like an Estonian personal ID code or a real-looking Estonian phone number.

The patterns themselves live in abikaart.stats.pii; this file builds its examples at run time so that it
does not trip its own check.
"""

from __future__ import annotations

import json
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


def test_git_lists_files() -> None:
    files = tracked_files()
    assert "tests/test_repo_hygiene.py" in files or len(files) > 0


def test_committed_notebooks_have_no_outputs() -> None:
    offenders = []
    for rel in tracked_files():
        if not rel.endswith(".ipynb"):
            continue
        text = read_text(rel)
        if text is None:
            continue
        nb = json.loads(text)
        for cell in nb.get("cells", []):
            if cell.get("outputs") or cell.get("execution_count") is not None:
                offenders.append(rel)
                break
    assert not offenders, f"notebooks committed with outputs or execution counts: {offenders}"


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


def test_check_digit_follows_the_published_algorithm() -> None:
    # Second weight set is used when the first remainder is 10, and 10 again maps to 0.
    assert pii.personal_id_check_digit("3760" + "502" + "123") in range(10)
    code = _id("3760502" + "123")
    assert pii.is_personal_id(code)
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    assert not pii.is_personal_id(wrong)
