"""The data contract: good data loads; each file in the bad corpus is rejected naming row and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from stats_helpers import BAD, fake_personal_id, fake_phone

from abikaart.stats import contract

# file -> (row, column, part of the message).  Row numbers are file lines (header = row 1).
EXPECTED = {
    "negative_wait.csv": (3, "wait_s", "impossible value (negative; allowed 0 to 1209600 seconds)"),
    "answered_no_handle.csv": (2, "handle_s", "answered contact has no handle time"),
    "abandoned_with_handle.csv": (3, "handle_s", "abandoned contact has a handle time"),
    "negative_handle.csv": (2, "handle_s", "impossible value (negative"),
    "huge_handle.csv": (2, "handle_s", "impossible value (more than 28800"),
    "unknown_channel.csv": (2, "channel", "unknown code (the value looks like a name or words; allowed: phone,"),
    "unknown_language.csv": (3, "language", "unknown code"),
    "unknown_need.csv": (2, "need", "unknown code (the value looks like a name or words; allowed: the ids in "
                                   "directory/taxonomies/needs.yaml)"),
    "unknown_county.csv": (2, "county", "taxonomies/counties.yaml"),
    "unknown_outcome.csv": (2, "outcome", "unknown code"),
    "wrong_type.csv": (2, "handle_s", "not a number (the value looks like a name or words)"),
    "naive_time.csv": (2, "start_time", "no UTC offset"),
    "bad_time.csv": (2, "start_time", "not a time"),
    "extra_column.csv": (1, "notes", "unexpected column"),
    "name_column.csv": (1, "caller_name", "looks like personal data"),
    "phone_column.csv": (1, "telefon", "looks like personal data"),
    "missing_column.csv": (1, "outcome", "missing required column"),
    "duplicate_id.csv": (3, "contact_id", "duplicate contact id"),
    "referral_not_slug.csv": (2, "referral", "not a service id of the directory: the value looks like a name"),
    "email_in_referral.csv": (2, "referral", "looks like an e-mail address"),
    "personal_id_token.csv": (3, "caller_token", "looks like an Estonian personal ID code"),
    "phone_in_notes.csv": (2, "notes", "looks like a phone number"),
    "answered_no_shift.csv": (2, "shift_id", "answered contact has no shift id"),
}


def materialise(name: str, tmp_path: Path) -> Path:
    """Copy a corpus file, substituting personal-data placeholders built at run time."""
    text = (BAD / name).read_text(encoding="utf-8")
    text = text.replace("@@PERSONAL_ID@@", fake_personal_id()).replace("@@PHONE@@", fake_phone())
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_corpus_is_complete() -> None:
    """Every bad file has an expectation, so nothing in the corpus goes untested."""
    assert sorted(p.name for p in BAD.glob("*.csv")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_rejected_with_row_and_column(name: str, tmp_path: Path) -> None:
    path = materialise(name, tmp_path)
    row, column, message = EXPECTED[name]
    with pytest.raises(contract.ContractError) as info:
        contract.load_contacts(path)
    lines = info.value.lines()
    wanted = f"{path}:row {row}: {column}: "
    assert any(line.startswith(wanted) and message in line for line in lines), lines


def test_personal_values_are_never_echoed(tmp_path: Path) -> None:
    for name in ("personal_id_token.csv", "phone_in_notes.csv"):
        with pytest.raises(contract.ContractError) as info:
            contract.load_contacts(materialise(name, tmp_path))
        text = "\n".join(info.value.lines())
        assert fake_personal_id() not in text and "4567" not in text


def test_synthetic_file_round_trips(small_contacts: pd.DataFrame, small_csv: Path) -> None:
    loaded = contract.load_contacts(small_csv)
    assert list(loaded.columns) == list(contract.COLUMNS)
    assert len(loaded) == len(small_contacts)
    assert str(loaded["start_time"].dt.tz) == contract.TZ
    assert (loaded["start_time"].dt.floor("D", ambiguous="NaT", nonexistent="NaT").notna().mean()) > 0.99
    pd.testing.assert_series_equal(loaded["outcome"].reset_index(drop=True),
                                   small_contacts["outcome"].astype("str").reset_index(drop=True),
                                   check_names=False, check_dtype=False)


def test_unexpected_column_is_not_carried_along(tmp_path: Path) -> None:
    with pytest.raises(contract.ContractError):
        contract.load_contacts(materialise("extra_column.csv", tmp_path))


def test_valid_minimal_file_loads(tmp_path: Path) -> None:
    text = (BAD / "negative_wait.csv").read_text(encoding="utf-8").replace(",-5,", ",5,")
    path = tmp_path / "ok.csv"
    path.write_text(text, encoding="utf-8")
    df = contract.load_contacts(path)
    assert df["wait_s"].tolist() == [12.0, 5.0]
    assert df["outcome"].tolist() == ["answered", "abandoned"]
    assert pd.isna(df.loc[1, "handle_s"])


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    text = (BAD / "unknown_channel.csv").read_text(encoding="utf-8").replace(",900,", ",-1,")
    path = tmp_path / "two.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(contract.ContractError) as info:
        contract.load_contacts(path)
    columns = {p.column for p in info.value.problems}
    assert {"channel", "handle_s"} <= columns


GOOD_ROW = {"contact_id": "a1b2c3d4e5f60718", "start_time": "2026-10-01T08:15:03+03:00", "channel": "phone",
            "language": "et", "caller_token": "0123456789abcdef", "wait_s": "12", "outcome": "answered",
            "handle_s": "900", "acw_s": "240", "caller_type": "victim", "need": "domestic-violence",
            "county": "harju", "risk_level": "medium", "referral": "naiste-tugikeskus-harju",
            "shift_id": "sh-00aa11bb22cc33dd"}

# column -> (value built at run time, what the message must say it looks like)
IDENTIFIER_CASES = {
    "shift-name": ("shift_id", lambda: "Kati" + "_" + "Kask", "a name or words"),
    "referral-name": ("referral", lambda: "mari" + "-" + "tamm", "a name or words"),
    "token-personal-id": ("caller_token", lambda: "id_" + fake_personal_id(), "an Estonian personal ID code"),
    "contact-number": ("contact_id", lambda: "1234" + "5678", "a number"),
    "contact-short-token": ("contact_id", lambda: "ab12cd", "text of 6 letters and digits"),
    "shift-phone": ("shift_id", fake_phone, "a phone number"),
    "token-email": ("caller_token", lambda: "kati" + "@" + "example.org", "an e-mail address"),
}


@pytest.mark.parametrize("case", sorted(IDENTIFIER_CASES))
def test_identifier_columns_hold_tokens_and_errors_never_show_the_value(case: str, tmp_path: Path) -> None:
    """A readable identifier is refused at its row and column, saying what it looks like but not what it is."""
    column, make, kind = IDENTIFIER_CASES[case]
    value = make()
    rows = [GOOD_ROW, {**GOOD_ROW, "contact_id": "b1b2c3d4e5f60718", column: value}]
    path = tmp_path / "ids.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    with pytest.raises(contract.ContractError) as info:
        contract.load_contacts(path)
    lines = info.value.lines()
    assert any(line.startswith(f"{path}:row 3: {column}: ") and kind in line for line in lines), lines
    text = "\n".join(lines)
    assert value not in text and value.split("_")[-1] not in text and "Kask" not in text


def test_good_row_loads(tmp_path: Path) -> None:
    path = tmp_path / "good.csv"
    pd.DataFrame([GOOD_ROW]).to_csv(path, index=False)
    assert contract.load_contacts(path)["referral"].tolist() == ["naiste-tugikeskus-harju"]


def test_referral_must_be_a_directory_service(tmp_path: Path) -> None:
    """A well-formed slug that names no service of the directory cannot be joined, so it is refused."""
    path = tmp_path / "ref.csv"
    pd.DataFrame([{**GOOD_ROW, "referral": "naiste-tugikeskus-atlantis"}]).to_csv(path, index=False)
    with pytest.raises(contract.ContractError) as info:
        contract.load_contacts(path)
    assert [p.column for p in info.value.problems] == ["referral"]
    assert "not a service id of the directory" in info.value.problems[0].message
    assert "atlantis" not in str(info.value)


def test_unknown_codes_are_not_echoed(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    pd.DataFrame([{**GOOD_ROW, "need": "secret" + "-need", "channel": "pigeon" + "post"}]).to_csv(path, index=False)
    with pytest.raises(contract.ContractError) as info:
        contract.load_contacts(path)
    text = str(info.value)
    assert {p.column for p in info.value.problems} == {"need", "channel"}
    assert "secret" not in text and "pigeon" not in text
