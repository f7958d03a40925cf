"""Bring another system's export onto the data contract with a mapping file (YAML).

A contact-centre or chat system names its columns, writes its times and codes its outcomes its own way; the
mapping says, for each contract column, which export column holds it, how times are written and in which
time zone, the unit of durations, and how its codes translate.  Every problem names the export's row
(header = row 1) and column, and says what a refused value looks like without printing it; personal data
in any column, mapped or not, is refused as the contract refuses it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from abikaart.loading import parse_text
from abikaart.stats import contract, pii, taxonomy
from abikaart.stats.contract import COLUMNS, ContractError, Problem

UNITS = {"s": 1.0, "ms": 0.001, "min": 60.0}
CODED = ("channel", "language", "outcome", "caller_type", "risk_level")


@dataclass
class Mapping:
    """A parsed mapping file."""

    path: str
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    time_format: str = "iso"
    timezone: str = contract.TZ
    units: dict[str, str] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)


def _text_map(value: object) -> dict[str, str]:
    return {str(k): "" if v is None else str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def load_mapping(path: str | Path) -> Mapping:
    """Read a mapping through the core YAML loader; a broken mapping is a ContractError naming its lines."""
    path = Path(path)
    doc = parse_text(str(path), path.read_bytes())
    where = str(path)
    if doc.problems or not isinstance(doc.data, dict):
        raise ContractError(where, [Problem(1, "", p.text()) for p in doc.problems]
                            or [Problem(1, "", "expected a mapping with `columns:`")])
    data = doc.data
    m = Mapping(where, columns=_text_map(data.get("columns")), constants=_text_map(data.get("constants")),
                units=_text_map(data.get("units")),
                codes={str(k): _text_map(v) for k, v in (data.get("codes") or {}).items()})
    time = _text_map(data.get("time"))
    m.time_format, m.timezone = time.get("format", "iso"), time.get("timezone", contract.TZ)
    problems = []
    for col in [*m.columns, *m.constants, *m.units, *m.codes]:
        if col not in COLUMNS:
            line, _ = doc.mark(("columns", col))
            problems.append(Problem(line, col, f"not a column of the data contract (one of: {', '.join(COLUMNS)})"))
    for col, unit in m.units.items():
        if unit not in [*UNITS, "hms"]:
            problems.append(Problem(doc.mark(("units", col))[0], col, "unknown unit (use s, ms, min or hms)"))
    try:
        ZoneInfo(m.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(Problem(doc.mark(("time", "timezone"))[0], "timezone",
                                "unknown time zone (e.g. Europe/Tallinn)"))
    if problems:
        raise ContractError(where, problems)
    return m


def _row(index: object) -> int:
    return int(index) + 2  # type: ignore[call-overload, no-any-return]


def _parse_time(text: str, fmt: str) -> dt.datetime | None:
    """One time in the export's format (`iso` or a strptime format); None when it does not read."""
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")) if fmt == "iso" else dt.datetime.strptime(
            text, fmt)
    except ValueError:
        return None


def _times(values: pd.Series, m: Mapping, source: str) -> tuple[pd.Series, list[Problem]]:
    """Times in the export's format and zone (used when a time has no offset of its own), as contract text:
    ISO 8601 with the Tallinn offset."""
    zone, tallinn = ZoneInfo(m.timezone), ZoneInfo(contract.TZ)
    problems = []
    out: dict[object, str] = {}
    for i, value in values.items():
        if pd.isna(value) or not str(value).strip():
            continue
        text = str(value).strip()
        t = _parse_time(text, m.time_format)
        if t is None:
            problems.append(Problem(_row(i), source, f"not a time in the mapping's format {m.time_format!r} "
                                                     f"(the value looks like {pii.value_kind(text)})"))
            continue
        if t.tzinfo is None:
            local = t.replace(tzinfo=zone)
            if local.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != t:
                problems.append(Problem(_row(i), source, f"time does not exist in {m.timezone} (clocks went forward)"))
                continue
            t = local
        out[i] = t.astimezone(tallinn).isoformat()
    return pd.Series(out, index=values.index, dtype="object"), problems


def _seconds(values: pd.Series, unit: str, source: str) -> tuple[pd.Series, list[Problem]]:
    """Durations in the export's unit (s, ms, min or h:mm:ss) as whole seconds."""
    text = values.astype("string").str.strip()
    if unit == "hms":
        parts = text.str.extract(r"^(\d+):([0-5]\d):([0-5]\d)$").astype("float")
        num = parts[0] * 3600 + parts[1] * 60 + parts[2]
    else:
        num = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce") * UNITS[unit]
    bad = text.notna() & (text != "") & num.isna()
    problems = [Problem(_row(i), source, f"not a duration in {unit} (the value looks like "
                                         f"{pii.value_kind(str(text[i]))})") for i in text.index[bad]]
    return num.round().astype("Int64").astype("string"), problems


def _codes(values: pd.Series, table: dict[str, str], column: str, source: str, mapping: str) -> tuple[
        pd.Series, list[Problem]]:
    """Translate the export's codes; one it does not list is a problem naming where to add it."""
    text = values.astype("string").str.strip()
    if not table:
        return text, []
    mapped = text.map(lambda v: table.get(str(v)) if pd.notna(v) and v != "" else None)
    bad = text.notna() & (text != "") & mapped.isna()
    problems = [Problem(_row(i), source, f"code not in the mapping (the value looks like "
                                         f"{pii.value_kind(str(text[i]))}; add it under codes.{column} in {mapping})")
                for i in text.index[bad]]
    return mapped.astype("string"), problems


def convert(raw: pd.DataFrame, m: Mapping, source: str = "<export>") -> pd.DataFrame:
    """An all-text export onto the contract (typed and validated); ContractError lists every problem."""
    raw = raw.reset_index(drop=True)
    raw.columns = [str(c).strip() for c in raw.columns]
    problems = list(contract._personal_data_problems(raw))
    personal_columns = {p.column for p in problems}
    out = pd.DataFrame(index=raw.index)
    for col, src in m.columns.items():
        if src not in raw.columns:
            problems.append(Problem(1, src, f"the mapping reads {col} from this column, but the export has no such "
                                            f"column (it has: {', '.join(raw.columns)})"))
            continue
        if src in personal_columns:
            continue
        values = raw[src]
        found: list[Problem] = []
        if col == "start_time":
            values, found = _times(values, m, src)
        elif col in contract.NUMERIC:
            values, found = _seconds(values, m.units.get(col, "s"), src)
        elif col in m.codes or col in CODED:
            values, found = _codes(values, m.codes.get(col, {}), col, src, m.path)
        problems += found
        out[col] = values
    for col, value in m.constants.items():
        out[col] = value
    names = dict(m.columns)
    if problems:  # the identifier and referral checks too, so one run lists everything to fix
        found = contract._identifier_problems(out) + contract._referral_problems(out, taxonomy.service_ids())
        raise ContractError(source, problems + _renamed(found, names))
    out = out.reindex(columns=[c for c in COLUMNS if c in out.columns])
    try:
        return contract.validate_contacts(out.astype("object").where(out.notna(), None), source=source)
    except ContractError as exc:  # the contract's problems, told in the export's column names
        raise ContractError(source, _renamed(exc.problems, names)) from None


def _renamed(problems: list[Problem], names: dict[str, str]) -> list[Problem]:
    """Contract problems located by the export's column (with the contract's name beside it)."""
    return [Problem(p.row, f"{names[p.column]} ({p.column})" if p.column in names else p.column, p.message)
            for p in problems]


def import_file(path: str | Path, mapping: str | Path, out: str | Path) -> tuple[Path, int]:
    """Read an export CSV, map it onto the contract and write the contract CSV; returns (path, rows)."""
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], skipinitialspace=True,
                          sep=None, engine="python")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ContractError(str(path), [Problem(1, "", f"not a readable CSV file: {type(exc).__name__}")]) from None
    df = convert(raw, load_mapping(mapping), source=str(path))
    return contract.write_contacts(df, out), len(df)
