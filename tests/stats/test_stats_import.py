"""`abikaart stats import`: another system's export onto the contract with a mapping file, over a corpus of
messy exports made here (wrong columns, other time zones, unknown codes, personal data in a column)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from stats_helpers import REPO, fake_personal_id, fake_phone

from abikaart.stats import contract, importer
from abikaart.stats.cli import stats

MAPPINGS = REPO / "src" / "abikaart" / "stats" / "mappings"

CALLS = [
    {"CallGUID": "a1b2c3d4e5f60718", "QueueEntered": "01.10.2026 08:15:03", "MediaType": "Voice",
     "QueueLanguage": "EST", "CallerHash": "0123456789abcdef", "QueueTime": "12", "Disposition": "Handled",
     "TalkTime": "0:15:00", "WrapUpTime": "240", "AgentSessionHash": "sh-00aa11bb22cc33dd", "Skill": "General",
     "WrapUpCode": "DV"},
    {"CallGUID": "b1b2c3d4e5f60718", "QueueEntered": "01.10.2026 23:59:00", "MediaType": "Voice",
     "QueueLanguage": "RUS", "CallerHash": "fedcba9876543210", "QueueTime": "95", "Disposition": "Abandoned",
     "TalkTime": "", "WrapUpTime": "", "AgentSessionHash": "", "Skill": "General",
     "WrapUpCode": ""},
]


def write(tmp_path: Path, rows: list[dict[str, str]], name: str = "export.csv", sep: str = ",") -> Path:
    path = tmp_path / name
    pd.DataFrame(rows).to_csv(path, index=False, sep=sep)
    return path


def run(export: Path, mapping: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(stats, ["import", str(export), "--map", str(mapping), "--out", str(out)])
    return result.exit_code, result.output


def test_telephony_export_is_mapped_onto_the_contract(tmp_path: Path) -> None:
    code, output = run(write(tmp_path, CALLS, sep=";"), MAPPINGS / "telephony.yaml", tmp_path / "c.csv")
    assert code == 0, output
    df = contract.load_contacts(tmp_path / "c.csv")
    assert df["channel"].tolist() == ["phone", "phone"]
    assert df["language"].tolist() == ["et", "ru"]
    assert df["outcome"].tolist() == ["answered", "abandoned"]
    assert df.loc[0, "handle_s"] == 900 and pd.isna(df.loc[1, "handle_s"])
    assert df.loc[0, "start_time"].isoformat() == "2026-10-01T08:15:03+03:00"
    assert df["need"].tolist()[0] == "domestic-violence"


def test_chat_export_in_utc_lands_in_tallinn_time(tmp_path: Path) -> None:
    chats = [{"conversation_id": "c0ffee00c0ffee00", "created_at": "2026-10-31T23:30:00Z", "locale": "ru-RU",
              "visitor_hash": "0123456789abcdef", "wait_ms": "30500", "status": "closed", "duration_ms": "1200000",
              "topic": "emotional-crisis", "region": "ida-viru", "risk": "2", "referred_to": "lasteabi-116111",
              "operator_session": "sh-00aa11bb22cc33dd"}]
    code, output = run(write(tmp_path, chats), MAPPINGS / "chat.yaml", tmp_path / "c.csv")
    assert code == 0, output
    df = contract.load_contacts(tmp_path / "c.csv")
    # 23:30 UTC on 31 October is 01:30 on 1 November in Tallinn (winter time, +02:00).
    assert df.loc[0, "start_time"].isoformat() == "2026-11-01T01:30:00+02:00"
    assert df.loc[0, "wait_s"] == 30 or df.loc[0, "wait_s"] == 31
    assert (df.loc[0, "channel"], df.loc[0, "risk_level"], df.loc[0, "handle_s"]) == ("chat", "medium", 1200)


def _mess(kind: str) -> tuple[list[dict[str, str]], int, str, str]:
    """A broken copy of the calls export: (rows, row, column, part of the message)."""
    rows = [dict(r) for r in CALLS]
    if kind == "renamed-column":
        for r in rows:
            r["Start"] = r.pop("QueueEntered")
        return rows, 1, "QueueEntered", "the export has no such column"
    if kind == "unknown-code":
        rows[1]["Disposition"] = "Transferred"
        return rows, 3, "Disposition", "code not in the mapping"
    if kind == "unknown-language":
        rows[0]["QueueLanguage"] = "FIN"
        return rows, 2, "QueueLanguage", "add it under codes.language"
    if kind == "iso-time-in-day-month-format":
        rows[0]["QueueEntered"] = "2026-10-01T08:15:03"
        return rows, 2, "QueueEntered", "not a time in the mapping's format"
    if kind == "time-that-does-not-exist":
        rows[0]["QueueEntered"] = "29.03.2026 03:30:00"  # clocks go from 03:00 to 04:00 in Tallinn
        return rows, 2, "QueueEntered", "time does not exist in Europe/Tallinn"
    if kind == "phone-in-a-column":
        rows[1]["Skill"] = fake_phone()
        return rows, 3, "Skill", "looks like a phone number"
    if kind == "personal-id-as-caller":
        rows[0]["CallerHash"] = fake_personal_id()
        return rows, 2, "CallerHash", "looks like an Estonian personal ID code"
    if kind == "name-as-session":
        rows[0]["AgentSessionHash"] = "Kati" + " " + "Kask"
        return rows, 2, "AgentSessionHash (shift_id)", "not a random token: the value looks like a name"
    if kind == "bad-duration":
        rows[0]["TalkTime"] = "15 min"
        return rows, 2, "TalkTime", "not a duration in hms"
    if kind == "negative-wait":
        rows[1]["QueueTime"] = "-4"
        return rows, 3, "QueueTime (wait_s)", "impossible value (negative"
    raise AssertionError(kind)


MESSES = ["renamed-column", "unknown-code", "unknown-language", "iso-time-in-day-month-format",
          "time-that-does-not-exist", "phone-in-a-column", "personal-id-as-caller", "name-as-session",
          "bad-duration", "negative-wait"]


@pytest.mark.parametrize("kind", MESSES)
def test_messy_export_is_refused_naming_row_and_column(kind: str, tmp_path: Path) -> None:
    rows, row, column, message = _mess(kind)
    export = write(tmp_path, rows)
    code, output = run(export, MAPPINGS / "telephony.yaml", tmp_path / "c.csv")
    assert code == 1
    assert f"{export}:row {row}: {column}: " in output and message in output, output
    assert "Traceback" not in output and not (tmp_path / "c.csv").exists()
    for secret in (fake_phone(), fake_personal_id(), "Kask", "Transferred", "FIN"):
        assert secret not in output


def test_mapping_naming_a_column_the_contract_lacks_is_refused(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  contact_id: CallGUID\n  caller_name: Name\n", encoding="utf-8")
    with pytest.raises(contract.ContractError) as info:
        importer.load_mapping(mapping)
    assert info.value.lines() == [f"{mapping}:row 3: caller_name: not a column of the data contract (one of: "
                                  f"{', '.join(contract.COLUMNS)})"]


def test_every_problem_of_an_export_is_listed_in_one_run(tmp_path: Path) -> None:
    rows = [dict(r) for r in CALLS]
    rows[1] |= {"MediaType": "Fax", "CallerHash": "Mari" + " " + "Tamm", "QueueTime": "x"}
    export = write(tmp_path, rows)
    code, output = run(export, MAPPINGS / "telephony.yaml", tmp_path / "c.csv")
    assert code == 1
    for column in ("MediaType", "QueueTime", "CallerHash (caller_token)"):
        assert f"{export}:row 3: {column}: " in output, output
    assert "Tamm" not in output
