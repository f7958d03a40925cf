"""Every notebook runs end to end through papermill on synthetic data, printing only protected tables."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import jupytext
import pandas as pd
import pytest

from abikaart.stats import labels, report
from conftest import ReportRun

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def test_every_notebook_has_a_parameters_cell() -> None:
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.py")) == sorted(report.NOTEBOOKS)
    for name in report.NOTEBOOKS:
        nb = jupytext.read(NOTEBOOKS / f"{name}.py")
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, name
        source = tagged[0].source
        for param in ("period", "data_path", "output_dir"):
            assert re.search(rf"^{param} = ", source, re.M), (name, param)


@pytest.fixture(scope="module")
def report_run(report_in: Callable[[str], ReportRun]) -> tuple[Path, Path, list[str]]:
    """`stats report` for October 2026 on the small synthetic period, in Estonian (the default)."""
    run = report_in("et")
    return run.out, run.docs, run.output


@pytest.mark.notebook
@pytest.mark.parametrize("name", report.NOTEBOOKS)
def test_notebook_runs_end_to_end(name: str, report_run: tuple[Path, Path, list[str]],
                                  small_csv: Path) -> None:
    out, _, _ = report_run
    executed = json.loads((out / f"{name}.ipynb").read_text(encoding="utf-8"))
    code = [c for c in executed["cells"] if c["cell_type"] == "code"]
    assert all(c.get("execution_count") for c in code), "every cell ran"
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    text = json.dumps([c.get("outputs", []) for c in code])
    printed = [o for c in code for o in c.get("outputs", []) if o.get("name") == "stdout"]
    assert not printed, f"{name} prints raw tables instead of showing its page"
    shown = "".join("".join(o.get("data", {}).get("text/markdown", "")) for c in code for o in c.get("outputs", []))
    # What the notebook shows is its protected page: tables with the disclosure note in words.
    assert "|" in shown and labels.text("report", "note", "et") in shown, name
    raw = pd.read_csv(small_csv, usecols=["contact_id", "shift_id", "caller_token"], dtype=str)
    for column in ("contact_id", "shift_id", "caller_token"):
        leaked = [v for v in raw[column].dropna().unique()[:300] if v in text]
        assert not leaked, f"{name} printed {column} values"


@pytest.mark.notebook
def test_development_proposals_written_to_docs(report_run: tuple[Path, Path, list[str]]) -> None:
    _, docs, _ = report_run
    index = docs / "2026-10" / "index.md"
    text = index.read_text(encoding="utf-8")
    assert text.startswith("# Arendusettepanekud — 2026-10")  # Estonian by default
    assert "## Kokkuvõte" in text and "figures/staffing_gap_et.svg" in text
    for ext in ("svg", "png"):
        assert (docs / "2026-10" / "figures" / f"forecast_et.{ext}").stat().st_size > 1000
    svg_et = (docs / "2026-10" / "figures" / "unmet_by_hour_et.svg").read_text(encoding="utf-8")
    assert "Kellaaeg" in svg_et and "Hour of day" not in svg_et


@pytest.mark.notebook
def test_report_prints_the_backtest_and_no_blanket_shortage(report_run: tuple[Path, Path, list[str]]) -> None:
    _, docs, _ = report_run
    text = (docs / "2026-10" / "index.md").read_text(encoding="utf-8")
    header = ("| Vahetus | Pöördumisi | Tegelik: vastatud 20 s jooksul | Mudel: vastatud 20 s jooksul | "
              "Vajalikke nõustajaid (keskmiselt) | Graafikus nõustajaid (keskmiselt) | Puudujäägiga tunde nädalas |")
    assert header in text
    blocks = ("| öö 00–08", "| päev 08–16", "| õhtu 16–24")
    rows = [line.split(" | ") for line in text.splitlines() if line.startswith(blocks)]
    assert len(rows) == 3 and all(row[2].endswith("%") and row[3].endswith("%") for row in rows)
    assert all(int(row[6].rstrip(" |")) < 56 for row in rows)  # the default roster is not short everywhere
    assert "56 tunnil nädalas 56-st" not in text
    svg = (docs / "2026-10" / "figures" / "backtest_et.svg").read_text(encoding="utf-8")
    assert "Tegelik teenindustase" in svg and "Erlangi prognoos tööajakavale" in svg
