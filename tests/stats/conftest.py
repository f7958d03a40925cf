"""Shared fixtures: a small synthetic period on disk, and `stats report` run on it once per language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pytest
from click.testing import CliRunner

from abikaart.stats import contract, synth
from abikaart.stats.cli import stats

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


class ReportRun(NamedTuple):
    """One `stats report` run: its language, the reports folder, the docs folder and what it printed."""

    lang: str
    out: Path
    docs: Path
    output: list[str]


@pytest.fixture(scope="session")
def small_contacts() -> pd.DataFrame:
    """Four months of synthetic contacts (July-October 2026, seed 7)."""
    return synth.synthesize(2026, seed=7, start=dt.date(2026, 7, 1), end=dt.date(2026, 10, 31))


@pytest.fixture(scope="session")
def small_csv(small_contacts: pd.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small synthetic period written as a contract CSV."""
    return contract.write_contacts(small_contacts, tmp_path_factory.mktemp("data") / "contacts.csv")


@pytest.fixture(scope="session")
def report_in(small_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], ReportRun]:
    """`stats report` for October 2026, all six notebooks, run once per language and shared by the tests."""
    runs: dict[str, ReportRun] = {}

    def run(lang: str) -> ReportRun:
        if lang not in runs:
            tmp = tmp_path_factory.mktemp(f"report-{lang}")
            args = ["report", "--month", "2026-10", "--data", str(small_csv), "--out", str(tmp / "out"),
                    "--docs-dir", str(tmp / "docs"), "--notebooks-dir", str(NOTEBOOKS)]
            result = CliRunner().invoke(stats, args + ([] if lang == "et" else ["--lang", lang]))  # et: default
            assert result.exit_code == 0, result.output
            runs[lang] = ReportRun(lang, tmp / "out", tmp / "docs", result.output.splitlines())
        return runs[lang]

    return run
