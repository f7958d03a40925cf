"""The development-proposals report as people read it: words, not codes; a period and denominator for every
table; no empty table; the report's own language throughout; the three languages of the label file in step."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from abikaart.stats import forecast, labels
from abikaart.stats.report import NOTEBOOKS as NOTEBOOK_NAMES
from conftest import ReportRun

SNAKE = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)+$")
ENGLISH_WORDS = {"the", "and", "by", "of", "forecast", "staffing", "contacts", "demand", "shift", "error",
                 "weekly", "summary", "charts", "service", "level", "language", "proposals", "period"}
PERIOD_WORD = {"et": "Periood:", "ru": "Период:", "en": "Period:"}
DENOMINATOR_WORD = {"et": "Alus:", "ru": "База:", "en": "Denominator:"}
SLUG = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+$")
PAGES = [name for name in NOTEBOOK_NAMES if name != "development_proposals"]


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


_POINT_DECIMALS = re.compile(r"-\d.*|\d+\.\d+|\d{4,}")
FOREIGN_NUMBER = {"et": _POINT_DECIMALS, "ru": _POINT_DECIMALS, "en": re.compile(r"-\d.*|\d+,\d{1,2}|\d{4,}")}
"""A hyphen for minus, the other decimal mark, or a long number without its thousands separator."""


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
        if lang == "ru" and not re.search(r"[а-яА-Я]", heading_line):
            problems.append(f"heading not in Russian in a Russian report: {heading_line}")
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
        if DENOMINATOR_WORD[lang] not in before:
            problems.append(f"{title}: table without its denominator")
        for row in rows[2:]:
            first, *cells = (c.strip() for c in row.strip("|").split("|"))
            if SLUG.match(first):
                problems.append(f"{title}: raw value {first}")
            problems += [f"{title}: {cell} not written as {lang} writes numbers" for cell in cells
                         if FOREIGN_NUMBER[lang].fullmatch(cell)]
    return problems


def test_the_checker_finds_what_it_looks_for() -> None:
    """The report checks can fail: a report with each fault is caught."""
    bad = ("# Development proposals\n\n## Weekly forecast, next quarter\n\n| index | answer_rate |\n| --- | --- |\n"
           "\n## Tabel\n\nPeriood: 10.2026.\n\n| Kanal | Pöördumisi |\n| --- | --- |\n| night_block | 5 |\n"
           "| child-abuse | 5 |\n| Kokku | 8.8 |\n")
    found = "\n".join(markdown_problems(bad, "et"))
    for fault in ("English heading", "raw column name index", "raw column name answer_rate", "empty table",
                  "without its period", "Tabel: table without its denominator", "raw value night_block",
                  "raw value child-abuse", "8.8 not written as et writes numbers"):
        assert fault in found
    assert "not in Russian" in "\n".join(markdown_problems("# Обзор\n\n## Contacts by hour\n", "ru"))


@pytest.mark.parametrize(("lang", "written"), [
    ("et", ["8,8", "10\xa0250", "\u2212250", "+250", "2\xa0161,0", "<10", "85%", "–"]),
    ("ru", ["8,8", "10\xa0250", "\u2212250", "+250", "2\xa0161,0", "<10", "85%", "–"]),
    ("en", ["8.8", "10,250", "\u2212250", "+250", "2,161.0", "<10", "85%", "–"])])
def test_numbers_are_written_as_the_reports_language_writes_them(lang: str, written: list[str]) -> None:
    """Decimal comma and spaced thousands in Estonian and Russian, a true minus; the decimals protection left."""
    assert [labels.number(v, lang) for v in ("8.8", 10250, "-250", "+250", "2161.0", "<10", "85%", "–")] == written
    assert f" {written[1]}" in labels.text("denominators", "offered_month", lang, n=10250)


@pytest.fixture(scope="module", params=["et", "ru", "en"])
def run(request: pytest.FixtureRequest, report_in: Callable[[str], ReportRun]) -> ReportRun:
    """All six notebooks in one language (the same runs test_stats_notebooks reads in Estonian)."""
    done = report_in(str(request.param))
    assert "[6/6] running development_proposals" in done.output
    return done


@pytest.fixture(scope="module")
def report(run: ReportRun) -> tuple[str, Path]:
    return run.lang, run.docs / "2026-10"


def notebook_markdown(path: Path) -> tuple[str, list[str]]:
    """What an executed notebook shows a reader (its Markdown cells and Markdown outputs) and what it printed."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    shown = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    printed = []
    for output in (o for c in cells if c["cell_type"] == "code" for o in c.get("outputs", [])):
        shown.append("".join(output.get("data", {}).get("text/markdown", "")))
        data = output.get("data", {})
        if output.get("name") == "stdout" or ("text/plain" in data and "text/markdown" not in data):
            printed.append("".join(output.get("text", data.get("text/plain", ""))))
    return "\n".join(shown), printed


@pytest.mark.notebook
def test_every_published_file_reads_as_words_in_its_language(run: ReportRun) -> None:
    """Each notebook's page, what its executed notebook shows, and each chart: in the report's language, every
    table with its period and denominator, no raw names, no bare header."""
    lang = run.lang
    pages = sorted(p.stem for p in run.out.glob("*.md"))
    assert pages == sorted(PAGES)
    for name in PAGES:
        text = (run.out / f"{name}.md").read_text(encoding="utf-8")
        assert text.startswith(f"# {labels.text('pages', name, lang, period='2026-10')}\n"), name
        assert markdown_problems(text, lang) == [], name
        assert text.count(f"{PERIOD_WORD[lang]} ") >= 2 and "|" in text, name
        for alt, figure in re.findall(r"!\[([^]]*)\]\(figures/([^)]+)\.svg\)", text):
            assert figure.endswith(f"_{lang}") and alt == labels.text("alt", figure[:-3], lang), (name, figure)
    for name in NOTEBOOK_NAMES:
        shown, printed = notebook_markdown(run.out / f"{name}.ipynb")
        assert not printed, f"{name} prints {printed[0][:200]!r}"
        assert markdown_problems(shown, lang) == [], name
    figures = [*run.out.glob("figures/*"), *run.docs.glob("2026-10/figures/*")]
    assert figures and all(f.stem.endswith(f"_{lang}") for f in figures), "charts in another language"
    keys = ("hour", "shift_type", "block", "week", "contacts", "counsellors")
    own = {labels.text("charts", k, lang) for k in keys}
    others = {labels.text("charts", k, o) for k in keys for o in labels.LANGS if o != lang} - own
    for svg in (f for f in figures if f.suffix == ".svg"):
        drawn = svg.read_text(encoding="utf-8")  # matplotlib keeps each drawn string as a comment
        assert any(f"<!-- {w} -->" in drawn for w in own), svg.name
        assert not [w for w in others if f"<!-- {w} -->" in drawn], svg.name


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
