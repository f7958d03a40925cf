"""The `stats` click group: synth, validate and report (exit codes 0 / 1 / 2)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from abikaart.stats import contract
from abikaart.stats.cli import stats

BAD = Path(__file__).parent / "data" / "bad"


def test_synth_writes_valid_contract_file(tmp_path: Path) -> None:
    out = tmp_path / "c.csv"
    result = CliRunner().invoke(stats, ["synth", "--year", "2026", "--seed", "1", "--start", "2026-10-01",
                                        "--end", "2026-10-07", "--out", str(out), "--roster-out",
                                        str(tmp_path / "roster.csv")])
    assert result.exit_code == 0, result.output
    df = contract.load_contacts(out)
    assert 500 < len(df) < 2500
    assert (tmp_path / "roster.csv").read_text().startswith("weekday,hour,counsellors")
    again = tmp_path / "d.csv"
    CliRunner().invoke(stats, ["synth", "--seed", "1", "--start", "2026-10-01", "--end", "2026-10-07",
                               "--out", str(again)])
    assert again.read_bytes() == out.read_bytes()


def test_validate_reports_rows_without_traceback() -> None:
    path = BAD / "negative_wait.csv"
    result = CliRunner().invoke(stats, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:row 3: wait_s: impossible value (negative" in result.output
    assert "Traceback" not in result.output


def test_report_rejects_bad_data_with_exit_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(stats, ["report", "--month", "2026-10", "--data", str(BAD / "unknown_need.csv"),
                                        "--out", str(tmp_path / "out"), "--docs-dir", str(tmp_path / "docs")])
    assert result.exit_code == 1
    assert "row 2: need: unknown code" in result.output
    assert not (tmp_path / "out").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(stats, ["report", "--month", "2026-13", "--data", str(BAD / "wrong_type.csv")]).exit_code == 2
    assert runner.invoke(stats, ["report", "--month", "2026-10"]).exit_code == 2
    assert runner.invoke(stats, ["synth", "--start", "2026-02-30"]).exit_code == 2
    assert runner.invoke(stats, ["synth", "--start", "2026-10-05", "--end", "2026-10-01",
                                 "--out", str(tmp_path / "x.csv")]).exit_code == 2
