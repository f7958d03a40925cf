"""The development-proposals report as people read it: words, not codes; a period and denominator for every
table; no empty table; the report's own language throughout; the three languages of the label file in step."""

from __future__ import annotations

import re
import string
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from abikaart.stats import forecast, labels
from abikaart.stats.cli import stats

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")
ENGLISH_WORDS = {"the", "and", "by", "of", "forecast", "staffing", "contacts", "demand", "shift", "error",
                 "weekly", "summary", "charts", "service", "level", "language", "proposals", "period"}
PERIOD_WORD = {"et": "Periood:", "ru": "Период:", "en": "Period:"}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_label_file_has_every_language_with_the_same_placeholders() -> None:
    for section, entries in labels.load().items():
        for key, entry in entries.items():
            assert sorted(entry) == sorted(labels.LANGS), (section, key)
            assert all(entry[lang].strip() for lang in labels.LANGS), (section, key)
            assert len({frozenset(_placeholders(entry[lang])) for lang in labels.LANGS}) == 1, (section, key)
            if re.search(r"[A-Za-z]{3}", entry["en"]):
                assert re.search(r"[а-яА-Я]", entry["ru"]), (section, key, "Russian is not translated")


def markdown_problems(text: str, lang: str) -> list[str]:
    """What a reader would trip over in a generated report; empty when the report is fit to read."""
    problems: list[str] = []
    english = {labels.text(s, k, "en") for s in ("tables", "report") for k in labels.load()[s]}
    sections = re.split(r"^## ", text, flags=re.M)
    for heading_line in re.findall(r"^#+ (.+)$", text, flags=re.M):
        if lang == "et":
            words = set(re.findall(r"[a-z]+", heading_line.lower()))
            if heading_line in english or words & ENGLISH_WORDS:
                problems.append(f"English heading in an Estonian report: {heading_line}")
    for section in sections[1:]:
        title = section.splitlines()[0]
        rows = [line for line in section.splitlines() if line.startswith("|")]
        if not rows:
            continue
        header = [c.strip() for c in rows[0].strip("|").split("|")]
        for cell in header:
            if SNAKE.match(cell) or cell.lower() == "index":
                problems.append(f"{title}: raw column name {cell}")
        if len(rows) < 3:
            problems.append(f"{title}: empty table")
        before = section.split(rows[0])[0]
        if PERIOD_WORD[lang] not in before:
            problems.append(f"{title}: table without its period")
        for row in rows[2:]:
            first = row.strip("|").split("|")[0].strip()
            if SNAKE.match(first):
                problems.append(f"{title}: raw value {first}")
    return problems


def test_the_checker_finds_what_it_looks_for() -> None:
    """The report checks can fail: a report with each fault is caught."""
    bad = ("# Development proposals\n\n## Weekly forecast, next quarter\n\n| index | answer_rate |\n| --- | --- |\n"
           "\n## Tabel\n\nPeriood: 10.2026.\n\n| Kanal | Pöördumisi |\n| --- | --- |\n| night_block | 5 |\n")
    found = "\n".join(markdown_problems(bad, "et"))
    for fault in ("English heading", "raw column name index", "raw column name answer_rate", "empty table",
                  "without its period", "raw value night_block"):
        assert fault in found


@pytest.fixture(scope="module", params=["et", "ru", "en"])
def report(request: pytest.FixtureRequest, small_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[
        str, Path]:
    lang = str(request.param)
    docs = tmp_path_factory.mktemp(f"docs-{lang}")
    args = ["report", "--month", "2026-10", "--data", str(small_csv), "--out", str(docs / "out"), "--docs-dir",
            str(docs), "--notebooks-dir", str(NOTEBOOKS), "--notebook", "development_proposals"]
    result = CliRunner().invoke(stats, args + ([] if lang == "et" else ["--lang", lang]))
    assert result.exit_code == 0, result.output
    assert "[1/1] running development_proposals" in result.output
    return lang, docs / "2026-10"


@pytest.mark.notebook
def test_generated_report_reads_as_words_in_its_language(report: tuple[str, Path]) -> None:
    lang, folder = report
    text = (folder / "index.md").read_text(encoding="utf-8")
    assert text.startswith(f"# {labels.text('report', 'title', lang, period='2026-10')}")
    assert markdown_problems(text, lang) == []
    summary = text.split("\n## ")[1]
    assert summary.startswith(labels.text("report", "summary", lang))
    bullets = [line for line in summary.splitlines() if line.startswith("- **")]
    assert bullets and all(f"*{labels.text('report', 'uncertainty', lang)}:" in b for b in bullets)
    # The forecast's uncertainty, and the comparison with the naive baseline, are in the summary.
    assert any("80%" in b for b in bullets)
    assert any(labels.text("proposals", k, lang).split("{")[0] in summary
               for k in ("beats_baseline", "loses_baseline"))
    assert labels.text("report", "backtest_caveat", lang) in text
    for table in ("referrals_partner", "referrals_need", "referrals_county", "coverage"):
        assert f"## {labels.text('tables', table, lang)}" in text
    # The coverage gap is a proposal with its figure and interval.
    assert any(labels.text("proposals", "coverage", lang).split("{")[0] in b for b in bullets)
    for name in ("staffing_gap", "unmet_by_hour", "forecast"):
        svg = (folder / "figures" / f"{name}_{lang}.svg").read_text(encoding="utf-8")
        assert f"![{labels.text('alt', name, lang)}](figures/{name}_{lang}.svg)" in text
        title = {"staffing_gap": "gap_title", "unmet_by_hour": "unmet_title", "forecast": "forecast_title"}[name]
        words = labels.text("charts", title, lang).split()[0]
        assert words in svg, (name, words)


def _seasonal_series(weeks: int, trend: float, seed: int = 3) -> pd.Series:
    rng = np.random.default_rng(seed)
    days = np.arange(weeks * 7)
    weekday = np.array([1.1, 1.05, 1.0, 1.0, 0.95, 0.9, 1.0])[days % 7]
    lam = (150 + trend * days) * weekday
    index = pd.date_range("2026-01-05", periods=len(days), freq="D")
    return pd.Series(rng.poisson(lam).astype(float), index=index)


def test_forecast_beats_the_seasonal_naive_baseline_on_a_trend() -> None:
    """Where demand grows steadily, repeating last week falls behind; the model must do better."""
    errors = forecast.holdout_error(_seasonal_series(30, trend=0.8), holdout_weeks=8)
    assert errors.loc["holt_winters", "mae"] < 0.6 * errors.loc["seasonal_naive", "mae"]
    assert errors.loc["seasonal_naive", "bias"] < 0  # the baseline lags a rising series: named as bias


def test_forecast_interval_comes_from_held_out_errors_and_widens() -> None:
    daily = _seasonal_series(30, trend=0.3)
    out = forecast.forecast_weekly(daily, 13)
    width = (out["upper"] - out["lower"]).to_numpy()
    assert np.all(np.diff(width) >= -1e-9) and width[-1] > width[0]
    full = forecast.full_weeks(daily)
    errs = forecast.horizon_errors(full, 13)
    rmse1 = float(np.sqrt(np.mean(np.square(errs[0]))))
    assert width[0] / 2 == pytest.approx(forecast.Z80 * rmse1, rel=1e-6)
