"""Whatever a maintainer (or a broken editor) does to a file, validation answers with problems, quickly.

Random mutations of a valid organisation file: deleted keys, values of the wrong type, garbage bytes, deep
nesting and huge strings. The file is loaded as part of a whole directory, so the cross-file checks see the
mutations too. The issue's "never more than a second per file" is hypothesis' per-example deadline: a
hard guard against pathological inputs (backtracking, exponential expansion), not a benchmark.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from abikaart import phones
from abikaart.directory import load_directory
from abikaart.loading import parse_text
from abikaart.problems import Problem

DATA = Path(__file__).resolve().parent / "data"
TAXONOMIES = Path(__file__).resolve().parents[1] / "directory" / "taxonomies"
VALID = (DATA / "valid" / "organisations" / "example.yaml").read_bytes()
BASE: dict[str, Any] = parse_text("example.yaml", VALID).data
TODAY = dt.date(2026, 11, 25)
MAX_TEXT = 1000
"""No problem's text may be longer: a huge value is shown shortened, never pasted whole."""

PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=1000,  # milliseconds per file: the limit
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


# Strategies ---------------------------------------------------------------------------------------------


def _locs(value: Any, loc: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path and list index inside a value, the root aside."""
    found: list[tuple[Any, ...]] = [loc] if loc else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _locs(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _locs(item, (*loc, index))
    return found


def _nested(depth: int, as_mapping: bool) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"deeper": value} if as_mapping else [value]
    return value


HUGE = st.builds(lambda piece, times: piece * times,
                 st.sampled_from(["a", "https://", "+372 ", "Mo-Fr 09:00-17:00; ", "x@", "é", "a-", ".", " "]),
                 st.integers(1_000, 100_000))
DEEP = st.builds(_nested, st.integers(1, 120), st.booleans())
WRONG_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=40),
    st.lists(st.text(max_size=8), max_size=4), st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3),
    st.dates().map(str), HUGE, DEEP,
)
GARBAGE = st.one_of(
    st.binary(min_size=1, max_size=24),
    st.sampled_from([b":", b": ", b"- ", b"\t", b"[", b"]", b"{", b"}", b"&a ", b"*a ", b"!!int ", b"!x ", b"%", b"'",
                     b'"', b"\n", b"  ", b"---\n", b"? ", b"|", b">", b"\xff", b"\x00", b"\x07", b"\xe4", b"#",
                     b"<<: ", b"\r", b"\xef\xbb\xbf"]),
)


@st.composite
def structural_mutation(draw: st.DrawFn) -> bytes:
    """Delete keys and items, or replace values with wrong types, huge strings or deep nesting."""
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 4))):
        locs = _locs(data)
        if not locs:
            break
        loc = draw(st.sampled_from(locs))
        parent = data
        for part in loc[:-1]:
            parent = parent[part]
        if draw(st.booleans()):
            del parent[loc[-1]]
        else:
            parent[loc[-1]] = draw(WRONG_VALUES)
    if draw(st.booleans()):
        data[draw(st.text(min_size=1, max_size=30))] = draw(WRONG_VALUES)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


@st.composite
def byte_mutation(draw: st.DrawFn) -> bytes:
    """Insert, delete, overwrite or repeat bytes and lines of the valid file; or cut it short."""
    raw = bytearray(VALID)
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(raw)))
        operation = draw(st.sampled_from(["insert", "delete", "overwrite", "truncate", "repeat_line"]))
        if operation == "insert":
            raw[position:position] = draw(GARBAGE)
        elif operation == "delete":
            del raw[position:position + draw(st.integers(1, 40))]
        elif operation == "overwrite":
            garbage = draw(GARBAGE)
            raw[position:position + len(garbage)] = garbage
        elif operation == "truncate":
            del raw[position:]
        else:
            start = raw.rfind(b"\n", 0, position) + 1
            end = raw.find(b"\n", position)
            line = bytes(raw[start:end + 1 if end >= 0 else len(raw)])
            raw[start:start] = line * draw(st.integers(1, 3))
    return bytes(raw)


@st.composite
def text_level_nesting(draw: st.DrawFn) -> bytes:
    """Nesting written by hand, deeper than PyYAML's own limit, at some field of the valid file."""
    depth = draw(st.integers(30, 3000))
    opener, closer = draw(st.sampled_from([(b"[", b"]"), (b"{a: ", b"}")]))
    return VALID.replace(b"verified_by: no", b"verified_by: " + opener * depth + b"x" + closer * depth)


MUTATIONS = st.one_of(structural_mutation(), byte_mutation(), text_level_nesting(), st.binary(max_size=2000))


# Properties ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def directory_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mutations") / "directory"
    shutil.copytree(TAXONOMIES, root / "taxonomies")
    (root / "organisations").mkdir()
    (root / "organisations" / "example.yaml").write_bytes(VALID)
    assert load_directory(root, base=root.parent, today=TODAY).ok  # one-time loading of libraries' data
    return root


def _check(problems: list[Problem], shown: str) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.path == shown
        assert problem.line >= 1 and problem.col >= 1
        assert problem.message
        assert len(problem.text()) <= MAX_TEXT, problem.text()[:200]


@PROPERTY_SETTINGS
@given(raw=MUTATIONS)
def test_mutated_file_gives_problems_never_an_exception(raw: bytes, directory_root: Path) -> None:
    path = directory_root / "organisations" / "example.yaml"
    path.write_bytes(raw)
    result = load_directory(directory_root, base=directory_root.parent, today=TODAY)
    _check(result.problems, "directory/organisations/example.yaml")
    errors = [problem for problem in result.problems if problem.level == "error"]
    assert (result.directory is None) == bool(errors)


@PROPERTY_SETTINGS
@given(raw=MUTATIONS)
def test_parse_alone_never_raises(raw: bytes) -> None:
    """The loader on its own (as editors' integrations call it): values or problems, never both missing."""
    doc = parse_text("x.yaml", raw)
    _check(doc.problems, "x.yaml")
    assert doc.data is not None or doc.problems


def test_the_unmutated_file_is_valid(directory_root: Path) -> None:
    """The base of every mutation is valid, so the problems found above come from the mutations."""
    (directory_root / "organisations" / "example.yaml").write_bytes(VALID)
    result = load_directory(directory_root, base=directory_root.parent, today=TODAY)
    assert result.ok
    assert result.problems == []


@settings(max_examples=300, deadline=None)  # agreement, not speed: a loaded machine must not fail it
@given(text=st.from_regex(r"(\+3[0-9]{2} ?)?[0-9][0-9 \-]{5,13}", fullmatch=True))
def test_phone_check_agrees_with_phonenumbers(text: str) -> None:
    """`phones.check` skips the full parser for ordinary Estonian numbers; its verdict must stay the library's."""
    digits = phones._digits(text)
    assume(not phones._SHORT_RE.match(digits.removeprefix("+372")))
    try:
        expected = phonenumbers.is_valid_number(phonenumbers.parse(text, phones.REGION))
    except phonenumbers.NumberParseException:
        expected = False
    try:
        phones.check(text)
        accepted = True
    except PydanticCustomError:
        accepted = False
    assert accepted == expected
