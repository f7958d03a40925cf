"""The development-proposals summary: findings from staffing, language, unmet demand, workload and the
forecast, written as Markdown with charts (Estonian with English variants) for the internal guidance site.

Every number in the text is read from a protected table, never from raw data.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from abikaart.stats import charts, forecast, staffing, views
from abikaart.stats.disclosure import ProtectedTable, protect_plan, protect_table, protect_team
from abikaart.stats.workload import FLAG_COLUMNS

BLOCKS = {"night 00-08": range(0, 8), "day 08-16": range(8, 16), "evening 16-24": range(16, 24)}


@dataclass
class Findings:
    """Proposals (English text), the protected tables behind them, and chart makers per language."""

    period: str
    proposals: list[str] = field(default_factory=list)
    tables: dict[str, ProtectedTable] = field(default_factory=dict)
    figures: dict[str, Callable[[str], Figure]] = field(default_factory=dict)


def _blocks(staff: pd.DataFrame, fit: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per shift block: mean counsellors needed on duty and rostered, hours of the week short of staff and,
    with a back-test, contacts offered, the observed service level and Erlang A's for the roster."""
    rows = []
    for name, hours in BLOCKS.items():
        part = staff[staff["hour"].isin(list(hours))]
        row: dict[str, object] = {
            "block": name, "needed": round(float(part["needed"].mean()), 1),
            "roster": round(float(part["roster"].mean()), 1),
            "hours_short": int((part["roster"] < part["needed"]).sum())}
        if fit is not None:
            f = fit[fit["hour"].isin(list(hours))]
            offered = int(f["offered"].sum())
            row |= {"offered": offered,
                    "observed_sl": float(f["answered_in_target"].sum()) / offered if offered else math.nan,
                    "predicted_sl": float(f["predicted_in_target"].sum()) / offered if offered else math.nan}
        rows.append(row)
    return pd.DataFrame(rows).set_index("block")


def _language_fit(fit: pd.DataFrame) -> pd.DataFrame:
    """Offered contacts and observed vs predicted service level per language group (et, ru, en)."""
    rows = [staffing.fit_summary(fit, group=g).assign(group=g) for g in ("et", *staffing.LANGUAGE_GROUPS)]
    return pd.concat(rows).set_index("group")


def _pct(v: float) -> str:
    """A protected share as a whole percent, or 'not shown'."""
    return "not shown (n < 10)" if math.isnan(v) else f"{100 * v:.0f}%"


def build(period: str, month: pd.DataFrame, staff: pd.DataFrame, speakers: pd.DataFrame, gaps: pd.DataFrame,
          team: pd.DataFrame, daily: pd.Series, weekly_forecast: pd.DataFrame,
          errors: pd.DataFrame | None, fit: pd.DataFrame | None = None) -> Findings:
    """Collect protected tables and phrase the proposals from their published values."""
    f = Findings(period)
    kpis = views.kpis(month, "channel")
    f.tables["kpis"] = kpis
    fitted = fit is not None
    blocks = protect_table(_blocks(staff, fit), counts=["offered"] if fitted else [],
                           rates={"observed_sl": "offered", "predicted_sl": "offered"} if fitted else None,
                           plan=["needed", "roster", "hours_short"])
    f.tables["staffing"] = blocks
    for block, row in blocks.values.iterrows():
        if row["hours_short"] > 0:
            seen = (f" Observed: {_pct(row['observed_sl'])} answered within 20 s; the model predicts "
                    f"{_pct(row['predicted_sl'])} for the roster." if fitted else "")
            f.proposals.append(
                f"Staffing ({block}): {int(row['hours_short'])} of {7 * len(BLOCKS[str(block)])} hours of the week "
                f"have fewer counsellors on duty than needed for 80% answered within 20 s (mean need "
                f"{row['needed']:g}, rostered {row['roster']:g}).{seen}")
    plan_cols = [c for c in speakers.columns if c.endswith(("_needed", "_roster"))]
    f.tables["languages"] = protect_table(speakers, plan=plan_cols)
    by_group = None
    if fitted:
        assert fit is not None
        by_group = protect_table(_language_fit(fit), ["offered"],
                                 rates={"observed_sl": "offered", "predicted_sl": "offered"})
        f.tables["language_fit"] = by_group
        observed, predicted = (by_group.values[c].to_dict() for c in ("observed_sl", "predicted_sl"))
    for group, name in (("ru", "Russian"), ("en", "English")):
        if f"{group}_hours_short" in speakers:
            per_hour = speakers[f"{group}_hours_short"]
            short = per_hour[per_hour > 0].sort_values(ascending=False, kind="stable").index.tolist()
            if short:
                seen = "" if by_group is None else (
                    f" Observed: {_pct(observed[group])} of their contacts answered within 20 s (Estonian "
                    f"{_pct(observed['et'])}); the model predicts {_pct(predicted[group])} for the roster.")
                f.proposals.append(
                    f"{name}-speaking counsellors (among those on duty, not extra): the roster has fewer than "
                    f"needed in {int(per_hour.sum())} hours of the week, most at "
                    f"{', '.join(f'{h:02d}:00' for h in short[:4])}.{seen}")
    counts = ["offered", "abandoned", "outside_hours", "repeat_after_abandon"]
    unmet = protect_table(gaps, counts, rates={"unmet_share": "offered"})
    f.tables["unmet"] = unmet
    worst = unmet.values["unmet_share"].dropna().sort_values(ascending=False).head(3)
    if not worst.empty:
        f.proposals.append("Unmet demand is highest at " + ", ".join(
            f"{int(str(h)):02d}:00 ({_pct(v)} abandoned)" for h, v in worst.items()) + "; contacts outside "
            "staffed hours mostly come when chat is closed.")
    flags = list(FLAG_COLUMNS)
    team_table = protect_team(team, "shifts", counts=flags, rates={f"share_{c[5:]}": "shifts" for c in flags})
    f.tables["workload"] = team_table
    if "share_any" in team_table.values:
        share = team_table.values["share_any"].dropna()
        if not share.empty:
            f.proposals.append(f"Workload: the share of shifts with a pattern for supervision is highest on "
                               f"{share.idxmax()} shifts ({_pct(float(share.max()))}).")
    weekly_hist = forecast.weekly(daily.astype(float))
    assert isinstance(weekly_hist, pd.Series)
    hist = protect_table(weekly_hist.to_frame("contacts").iloc[1:-1], ["contacts"])
    fc = protect_table(weekly_forecast, ["forecast", "lower", "upper"])
    f.tables["forecast"] = fc
    if errors is not None:
        f.tables["forecast_error"] = protect_table(
            errors.assign(mape_pct=100 * errors["mape"]), plan=["weeks", "mape_pct"], estimates=["mae", "bias"])
        mape = float(errors["mape"].to_numpy()[list(errors.index).index("holt_winters")])
        f.proposals.append(f"Demand next quarter: about {int(np.nanmean(fc.values['forecast'])):d} contacts a "
                           f"week (held-out weekly error {100 * mape:.0f}%).")
    f.figures["staffing_gap"] = lambda lang: charts.heatmap(
        protect_plan(staff.pivot(index="weekday", columns="hour", values="gap")), charts.text("gap", lang), lang,
        diverging=True, label="gap")
    if fitted:
        f.figures["backtest"] = lambda lang: charts.bar_chart(
            blocks, ["observed_sl", "predicted_sl"], charts.text("backtest", lang), charts.text("block", lang),
            charts.text("service_level", lang), lang)
    f.figures["unmet_by_hour"] = lambda lang: charts.bar_chart(
        unmet, ["abandoned", "outside_hours"], charts.text("abandoned", lang), charts.text("hour", lang),
        charts.text("contacts", lang), lang)
    f.figures["forecast"] = lambda lang: charts.forecast_chart(hist, fc, charts.text("forecast", lang), lang)
    if not f.proposals:
        f.proposals.append("No staffing, language or unmet-demand gaps found for this period.")
    return f


def write_report(findings: Findings, report_dir: Path) -> list[Path]:
    """Write index.md and the charts (SVG and PNG, Estonian and English) into `report_dir`."""
    figures = report_dir / "figures"
    written: list[Path] = []
    for name, make in findings.figures.items():
        for lang in ("et", "en"):
            written += charts.save(make(lang), figures / f"{name}_{lang}", formats=("svg", "png"))
    lines = [f"# Development proposals — {findings.period}", "",
             "Generated by `abikaart stats report` from the contact statistics. All figures have passed "
             "disclosure control (counts 1–9 shown as <10, others rounded to 5, totals rounded independently, "
             "rates only where n ≥ 10, nothing per counsellor).", "", "## Proposals", ""]
    lines += [f"- {p}" for p in findings.proposals]
    titles = {"kpis": "Contacts by channel",
              "staffing": "Staffing by shift block (counsellors on duty; observed vs predicted service level)",
              "languages": "Language-skilled counsellors needed by hour",
              "language_fit": "Service level by language group: observed vs predicted for the roster (ru = "
                              "Russian and Ukrainian, en = English and other languages)",
              "unmet": "Unmet demand by hour",
              "workload": "Workload patterns by shift type", "forecast": "Weekly forecast, next quarter",
              "forecast_error": "Forecast error on held-out weeks"}
    for key, table in findings.tables.items():
        lines += ["", f"## {titles.get(key, key)}", "", table.to_markdown()]
    lines += ["", "## Charts", ""]
    for name in findings.figures:
        lines += [f"![{name}](figures/{name}_et.svg)", "",
                  f"English: [SVG](figures/{name}_en.svg), [PNG](figures/{name}_en.png)", ""]
    index = report_dir / "index.md"
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [index, *written]
