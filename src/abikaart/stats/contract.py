"""The data contract: the anonymised contact-level record the crisis service exports, and its loader.

Every contact is one row.  Times are Europe/Tallinn with an explicit UTC offset; durations are seconds.
Rows are numbered as in the file (the header is row 1), so a coordinator can find them in a spreadsheet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from abikaart.stats import pii, taxonomy

TZ = "Europe/Tallinn"

# Column -> one-line meaning.  The order is the export order.
COLUMNS: dict[str, str] = {
    "contact_id": "random id of the contact (not derived from anything about the person)",
    "start_time": "when the contact reached the queue, ISO 8601 with UTC offset, Europe/Tallinn",
    "channel": "phone, chat, email or video",
    "language": "et, ru, en, uk or other",
    "caller_token": "keyed hash of the caller's address, rotated monthly by the export; blank if unknown",
    "wait_s": "queue wait in seconds (e-mail: time to first reply)",
    "outcome": "answered, abandoned or callback",
    "handle_s": "handling (talk/chat) time in seconds; required when answered",
    "acw_s": "after-contact work in seconds",
    "caller_type": "victim, relative, official (official or partner) or other",
    "need": "need code from directory/taxonomies/needs.yaml",
    "county": "county code from directory/taxonomies/counties.yaml, blank if unknown",
    "risk_level": "low, medium or high",
    "referral": "directory service id (slug) the person was referred to, blank if none",
    "shift_id": "pseudonymous id of the counsellor shift that handled the contact",
}
REQUIRED = ("contact_id", "start_time", "channel", "language", "wait_s", "outcome")
NUMERIC = ("wait_s", "handle_s", "acw_s")
TEXT = tuple(c for c in COLUMNS if c not in NUMERIC and c != "start_time")

MAX_WAIT_S = 14 * 24 * 3600  # an e-mail may wait days; more than two weeks is a broken export
MAX_HANDLE_S = 8 * 3600
MAX_ACW_S = 4 * 3600

IDENTIFIERS = ("contact_id", "caller_token", "shift_id")
"""Columns that identify a record: each value must be a random or keyed-hash token, nothing readable."""


@dataclass(frozen=True)
class Problem:
    """One contract violation, located by file row (header = row 1) and column."""

    row: int
    column: str
    message: str

    def format(self, source: str) -> str:
        """Render as `FILE:row N: column: message`, the form coordinators and editors can jump to."""
        return f"{source}:row {self.row}: {self.column}: {self.message}"


class ContractError(ValueError):
    """Raised when a contacts file breaks the data contract; holds every problem found."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = sorted(problems, key=lambda p: (p.row, list(COLUMNS).index(p.column)
                                                        if p.column in COLUMNS else 99, p.message))
        super().__init__("\n".join(self.lines(limit=20)))

    def lines(self, limit: int | None = None) -> list[str]:
        """Formatted problem lines, optionally truncated with a count of the rest."""
        out = [p.format(self.source) for p in self.problems[:limit]]
        if limit is not None and len(self.problems) > limit:
            out.append(f"{self.source}: ... and {len(self.problems) - limit} more problems")
        return out


def _row(index: object) -> int:
    """File row of a 0-based frame index (header is row 1)."""
    return int(index) + 2  # type: ignore[call-overload, no-any-return]


def _schema() -> pa.DataFrameSchema:
    """The pandera schema of typed contact records (types, ranges, codes and cross-column rules)."""
    needs = list(taxonomy.need_codes())
    counties = list(taxonomy.county_codes())
    cols = {
        "contact_id": pa.Column(str, unique=True, nullable=False, report_duplicates="exclude_first"),
        "start_time": pa.Column(checks=pa.Check(lambda s: s.dt.year.between(2000, 2100),
                                                error="year outside 2000-2100"), nullable=False),
        "channel": pa.Column(str, pa.Check.isin(taxonomy.CHANNELS), nullable=False),
        "language": pa.Column(str, pa.Check.isin(taxonomy.LANGUAGES), nullable=False),
        "caller_token": pa.Column(str, nullable=True),
        "wait_s": pa.Column(float, pa.Check.in_range(0, MAX_WAIT_S), nullable=False),
        "outcome": pa.Column(str, pa.Check.isin(taxonomy.OUTCOMES), nullable=False),
        "handle_s": pa.Column(float, pa.Check.in_range(0, MAX_HANDLE_S), nullable=True),
        "acw_s": pa.Column(float, pa.Check.in_range(0, MAX_ACW_S), nullable=True),
        "caller_type": pa.Column(str, pa.Check.isin(taxonomy.CALLER_TYPES), nullable=True),
        "need": pa.Column(str, pa.Check.isin(needs), nullable=True),
        "county": pa.Column(str, pa.Check.isin(counties), nullable=True),
        "risk_level": pa.Column(str, pa.Check.isin(taxonomy.RISK_LEVELS), nullable=True),
        "referral": pa.Column(str, nullable=True),
        "shift_id": pa.Column(str, nullable=True),
    }
    answered = "answered"
    rules = [
        ("handle_s", "answered contact has no handle time",
         lambda df: (df["outcome"] != answered) | (df["handle_s"] > 0)),
        ("handle_s", "abandoned contact has a handle time",
         lambda df: (df["outcome"] != "abandoned") | df["handle_s"].isna() | (df["handle_s"] == 0)),
        ("acw_s", "abandoned contact has after-contact work",
         lambda df: (df["outcome"] != "abandoned") | df["acw_s"].isna() | (df["acw_s"] == 0)),
        ("shift_id", "answered contact has no shift id",
         lambda df: (df["outcome"] != answered) | df["shift_id"].notna()),
        ("need", "answered contact has no need code",
         lambda df: (df["outcome"] != answered) | df["need"].notna()),
        ("referral", "abandoned contact cannot have a referral",
         lambda df: (df["outcome"] != "abandoned") | df["referral"].isna()),
    ]
    checks = [pa.Check(fn, name=f"{col}|{msg}", element_wise=False) for col, msg, fn in rules]
    return pa.DataFrameSchema(cols, checks=checks, strict=True, ordered=False)


def _pandera_problems(df: pd.DataFrame) -> list[Problem]:
    """Validate with pandera (lazily, to collect every failure) and turn failures into row/column problems."""
    try:
        _schema().validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _failures_to_problems(exc.failure_cases)
    return []


def _failures_to_problems(cases: pd.DataFrame) -> list[Problem]:
    """Map pandera failure cases (column, check, index, failure_case) to located problems."""
    problems: list[Problem] = []
    for case in cases.to_dict("records"):
        check = str(case["check"])
        column = case["column"] if isinstance(case["column"], str) else ""
        failure = case["failure_case"]
        if "|" in check:
            column, message = check.split("|", 1)
        elif check.startswith("isin"):
            message = f"unknown code (the value looks like {pii.value_kind(str(failure))}; {_allowed(column)})"
        elif check.startswith("in_range"):
            low, high = check[len("in_range("):-1].split(", ")
            side = "negative" if float(failure) < float(low) else f"more than {float(high):.0f}"
            message = f"impossible value ({side}; allowed {float(low):.0f} to {float(high):.0f} seconds)"
        elif "field_uniqueness" in check or check.startswith("unique"):
            message = "duplicate contact id"
        elif check == "not_nullable":
            message = "value is required"
        else:
            message = check
        index = case["index"]
        row = _row(index) if isinstance(index, int | float) and index == index else 1
        problems.append(Problem(row, column, message))
    return problems


def _allowed(column: str) -> str:
    """Where a coded column's allowed values are listed, for an `unknown code` message."""
    fixed = {"channel": taxonomy.CHANNELS, "language": taxonomy.LANGUAGES, "outcome": taxonomy.OUTCOMES,
             "caller_type": taxonomy.CALLER_TYPES, "risk_level": taxonomy.RISK_LEVELS}
    if column in fixed:
        return "allowed: " + ", ".join(fixed[column])
    return f"allowed: the ids in directory/taxonomies/{'counties' if column == 'county' else 'needs'}.yaml"


def _identifier_problems(raw: pd.DataFrame) -> list[Problem]:
    """Identifier values that are not random tokens (a name, a number, a personal ID code...).

    A real export's ids are random or keyed hashes; anything readable in them is about a person.  The
    message says what the value looks like, never the value.
    """
    problems: list[Problem] = []
    for col in IDENTIFIERS:
        if col not in raw:
            continue
        values = raw[col].dropna().astype(str).str.strip()
        bad = values[(values != "") & ~values.str.fullmatch(pii.TOKEN_RE)]
        for index, value in bad.items():
            kind = pii.value_kind(value)
            problems.append(Problem(_row(index), col, f"not a random token: the value looks like {kind} "
                                                      "(write a random id or keyed hash, 16+ hex digits)"))
    return problems


def _referral_problems(raw: pd.DataFrame, services: frozenset[str]) -> list[Problem]:
    """Referrals that are not the id of a service in the directory, so they could not be joined to it."""
    if "referral" not in raw:
        return []
    values = raw["referral"].dropna().astype(str).str.strip()
    bad = values[(values != "") & ~values.isin(services)]
    problems = []
    for index, value in bad.items():
        kind = pii.value_kind(value)
        problems.append(Problem(_row(index), "referral", f"not a service id of the directory: the value looks "
                                                         f"like {kind} (write the id of a directory/services "
                                                         "record, e.g. lasteabi-116111)"))
    return problems


def _header_problems(columns: Iterable[str]) -> list[Problem]:
    """Unexpected, personal-looking and missing columns: the file fails rather than carrying them along."""
    problems: list[Problem] = []
    cols = list(columns)
    for col in cols:
        if col in COLUMNS:
            continue
        if pii.column_looks_personal(col):
            problems.append(Problem(1, col, "column looks like personal data; never export it"))
        else:
            problems.append(Problem(1, col, "unexpected column (not in the data contract)"))
    problems += [Problem(1, c, "missing required column") for c in REQUIRED if c not in cols]
    return problems


def _personal_data_problems(raw: pd.DataFrame) -> list[Problem]:
    """Cells shaped like personal ID codes, phone numbers or e-mail addresses, in any column."""
    problems: list[Problem] = []
    combined = "|".join(f"(?:{r.pattern})" for r in (pii.PERSONAL_ID_RE, pii.PHONE_RE, pii.EMAIL_RE))
    pattern = re.compile(combined)
    for col in raw.columns:
        values = raw[col].dropna().astype(str)
        hits = values[values.str.contains(pattern, regex=True)]
        for index, value in hits.items():
            kind = pii.personal_data_kind(value)
            if kind:
                problems.append(Problem(_row(index), str(col), f"value looks like {kind}; never export it"))
    return problems


def _parse(raw: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn the all-text frame into typed columns, reporting values that are not numbers or times."""
    problems: list[Problem] = []
    df = raw.copy()
    for col in NUMERIC:
        if col not in df:
            df[col] = pd.Series(float("nan"), index=df.index, dtype="float64")
            continue
        text = df[col].astype("string").str.strip()
        num = pd.to_numeric(text, errors="coerce")
        bad = text.notna() & (text != "") & num.isna()
        problems += [Problem(_row(i), col, f"not a number (the value looks like {pii.value_kind(str(text[i]))})")
                     for i in text.index[bad]]
        df[col] = num.astype("float64")
    for col in TEXT:
        if col not in df:
            df[col] = pd.Series(pd.NA, index=df.index, dtype="str")
        stripped = df[col].astype("str").str.strip()
        df[col] = stripped.mask(stripped == "")
    if "start_time" in df:
        df["start_time"], time_problems = _parse_times(df["start_time"])
        problems += time_problems
    return df, problems


def _parse_times(raw: pd.Series) -> tuple[pd.Series, list[Problem]]:
    """Parse ISO 8601 times that carry a UTC offset; naive or unreadable times are problems."""
    text = raw.astype("string").str.strip()
    has_offset = text.str.contains(r"(?:Z|[+\-]\d\d:?\d\d)$", regex=True).fillna(False)
    parsed = pd.to_datetime(text.where(has_offset), errors="coerce", utc=True, format="ISO8601")
    problems = []
    for i in text.index[text.isna() | (text == "")]:
        problems.append(Problem(_row(i), "start_time", "value is required"))
    for i in text.index[text.notna() & (text != "") & ~has_offset]:
        problems.append(Problem(_row(i), "start_time", "time has no UTC offset (write e.g. +03:00)"))
    for i in text.index[has_offset & parsed.isna()]:
        problems.append(Problem(_row(i), "start_time", "not a time (the value looks like "
                                f"{pii.value_kind(str(text[i]))}; write e.g. 2026-10-01T08:15:03+03:00)"))
    local: pd.Series = parsed.dt.tz_convert(TZ)
    return local, problems


def validate_contacts(raw: pd.DataFrame, source: str = "<data>") -> pd.DataFrame:
    """Check an all-text frame against the contract and return it typed; raise ContractError otherwise."""
    raw = raw.reset_index(drop=True)
    raw.columns = [str(c).strip() for c in raw.columns]
    problems = _header_problems(raw.columns)
    problems += _personal_data_problems(raw)
    personal = {(p.row, p.column) for p in problems}
    problems += [p for p in _identifier_problems(raw) + _referral_problems(raw, taxonomy.service_ids())
                 if (p.row, p.column) not in personal]
    known = raw[[c for c in raw.columns if c in COLUMNS]]
    typed, parse_problems = _parse(known)
    problems += parse_problems
    bad_rows = {p.row for p in parse_problems}
    if not any(p.row == 1 and p.message == "missing required column" for p in problems):
        clean = typed.drop(index=[r - 2 for r in bad_rows]) if bad_rows else typed
        problems += _pandera_problems(clean[list(COLUMNS)])
    if problems:
        raise ContractError(source, list(dict.fromkeys(problems)))
    return typed[list(COLUMNS)]


def load_contacts(path: str | Path) -> pd.DataFrame:
    """Load and validate a contacts CSV (optionally compressed); raise ContractError naming row and column."""
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], skipinitialspace=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ContractError(str(path), [Problem(1, "", f"not a readable CSV file: {exc}")]) from exc
    return validate_contacts(raw, source=str(path))


def format_times(times: pd.Series) -> pd.Series:
    """ISO 8601 local times with a colon in the offset, e.g. 2026-10-01T08:15:03+03:00."""
    text = times.dt.strftime("%Y-%m-%dT%H:%M:%S%z")
    out: pd.Series = text.str[:-2] + ":" + text.str[-2:]
    return out


def write_contacts(df: pd.DataFrame, path: str | Path) -> Path:
    """Write contacts in the contract's CSV form (integer seconds, offset times, blanks for unknown)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = df[list(COLUMNS)].copy()
    out["start_time"] = format_times(out["start_time"])
    for col in NUMERIC:
        out[col] = out[col].round().astype("Int64")
    out.to_csv(path, index=False)
    return path
