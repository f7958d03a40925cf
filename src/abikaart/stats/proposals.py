"""The development-proposals report: findings from staffing, language, unmet demand, workload and the
forecast, written as Markdown with charts in one language (Estonian by default) for the internal guidance site.

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

from abikaart.stats import charts, forecast, kpi, labels, referrals, staffing, taxonomy, unmet, views, workload
from abikaart.stats.audit import Publication
from abikaart.stats.disclosure import SECONDARY, TOTAL, ProtectedTable, protect_plan, protect_table, protect_team
from abikaart.stats.workload import FLAG_COLUMNS

BLOCKS = {"night 00-08": range(0, 8), "day 08-16": range(8, 16), "evening 16-24": range(16, 24)}


@dataclass(frozen=True)
class Proposal:
    """One proposal: a sentence of the label file with its values, the figure behind it and its uncertainty.

    Values are taken from protected tables only; words in them (a shift block, a shift type) are codes
    the report labels in its language.
    """

    key: str
    values: dict[str, object]
    figure: str
    uncertainty: tuple[str, dict[str, object]] = ("none", {})


@dataclass(frozen=True)
class TableMeta:
    """What a table covers: its period and what its counts and rates are out of."""

    period: str
    denominator: tuple[str, dict[str, object]]
    why_empty: str = "any"
    rows: str = "value"
    """How row labels are put in words: `value` (labels.yaml), `language`, `weekday`, `need`, `county` or
    `partner` (the directory)."""


@dataclass
class Findings:
    """Proposals, the protected tables behind them (with period and denominator), chart makers per language."""

    period: str
    proposals: list[Proposal] = field(default_factory=list)
    tables: dict[str, ProtectedTable] = field(default_factory=dict)
    meta: dict[str, TableMeta] = field(default_factory=dict)
    figures: dict[str, Callable[[str], Figure]] = field(default_factory=dict)
    caveats: list[str] = field(default_factory=list)


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
    """A protected share as a whole percent, or '–' (not shown)."""
    return "–" if math.isnan(v) else f"{100 * v:.0f}%"


def wilson(share: float, n: float, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson interval of a published share out of a published count: uncertainty from protected values."""
    if math.isnan(share) or not n:
        return math.nan, math.nan
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _share_uncertainty(share: float, n: float) -> tuple[str, dict[str, object]]:
    low, high = wilson(share, n)
    return ("share", {"low": _pct(low), "high": _pct(high), "n": int(n)}) if not math.isnan(low) else ("none", {})


def _model_uncertainty(observed: float, predicted: float) -> tuple[str, dict[str, object]]:
    if math.isnan(observed) or math.isnan(predicted):
        return ("model_only", {})
    return ("model", {"observed": _pct(observed), "predicted": _pct(predicted),
                      "diff": f"{abs(100 * (observed - predicted)):.0f}"})


def _hours(n: int) -> str:
    """A figure in hours of the week, labelled in the report's language when written."""
    return f"hours:{n}"


def _figure(figure: str, lang: str) -> str:
    """The summary's figure in `lang` (hours carry their unit word)."""
    if figure.startswith("hours:"):
        return labels.text("report", "hours", lang, n=int(figure[len("hours:"):]))
    return labels.number(figure, lang)


def _day(t: object) -> str:
    return pd.Timestamp(str(t)).strftime("%d.%m.%Y")


def span(start: object, end: object) -> str:
    """A period as 'dd.mm.yyyy–dd.mm.yyyy' (end inclusive), the same in every language."""
    return f"{_day(start)}–{_day(pd.Timestamp(str(end)) - pd.Timedelta(days=1))}"


BIAS_SHARE = 0.5
"""Bias is named in the summary when it is at least this share of the mean absolute error (mostly one way)."""


UNPUBLISHED = "unpublished:window"
"""A figure the identities need but the report does not print (the back-test window's total)."""
UNMET_COUNTS = ["offered", "abandoned", "outside_hours", "repeat_after_abandon"]


def audited(month: pd.DataFrame, staff: pd.DataFrame, gaps: pd.DataFrame, team: pd.DataFrame,
            fit: pd.DataFrame | None, refs: Publication | None, earlier: Publication | None = None,
            span: pd.DataFrame | None = None) -> Publication:
    """Every count table of the report, protected and audited together with the identities between them.

    The month's contacts by channel and by hour (unmet demand) are the same contacts, so the hours add up to
    the channel table's total (offered and abandoned); the shift blocks and the language groups of the
    back-test split the same history window; the referral tables keep their own identities (they count
    e-mail too, which the queue tables leave out).  `earlier` is last month's report (already out, so frozen)
    and `span` the contacts of both months: the report then shows the two months side by side, and each
    month's row is that month's total by channel, so this month's cells are audited against last month's
    tables too.  `Publication.secure` then suppresses what an integer program could narrow; the proposals are
    phrased only afterwards, from what survived.
    """
    pub = Publication()
    kpis = pub.add("kpis", views.kpis(month, "channel"), total_row=True, row_identities=views.OFFERED_PARTS)
    fitted = fit is not None
    pub.add("staffing", protect_table(_blocks(staff, fit), counts=["offered"] if fitted else [],
                                      rates={"observed_sl": "offered", "predicted_sl": "offered"} if fitted else None,
                                      plan=["needed", "roster", "hours_short"]))
    unmet = pub.add("unmet", protect_table(gaps, UNMET_COUNTS, rates={"unmet_share": "offered"},
                                           numerators={"unmet_share": "abandoned"}))
    hours = list(unmet.values.index)
    total_row = kpis.values.index[-1]
    for col in ("offered", "abandoned"):
        pub.link(("kpis", total_row, col), [("unmet", h, col) for h in hours])
    flags = list(FLAG_COLUMNS)
    pub.add("workload", protect_team(team, "shifts", counts=flags, rates={f"share_{c[5:]}": "shifts" for c in flags}))
    if fit is not None:
        groups = pub.add("language_fit", protect_table(_language_fit(fit), ["offered"],
                                                       rates={"observed_sl": "offered", "predicted_sl": "offered"}))
        # Blocks and language groups split the same window; its total is not published (an unknown to solve).
        window = protect_table(pd.DataFrame({"offered": [math.nan]}, index=pd.Index(["all"], name="window")),
                               ["offered"])
        window.display.loc["all", "offered"] = SECONDARY
        pub.tables[UNPUBLISHED] = window
        pub.link((UNPUBLISHED, "all", "offered"), [("staffing", b, "offered") for b in BLOCKS])
        pub.link((UNPUBLISHED, "all", "offered"), [("language_fit", g, "offered") for g in groups.values.index])
    if refs is not None:
        for name, table in refs.tables.items():
            pub.add(f"referrals:{name}", table)
        pub.identities.extend(((f"referrals:{t[0]}", t[1], t[2]), [(f"referrals:{q[0]}", q[1], q[2]) for q in ps])
                              for t, ps in refs.identities)
    if earlier is not None:
        pub.freeze(earlier)
        if span is not None:
            months = pub.add("months", views.kpis(span, "month"), total_row=True,
                             row_identities=views.OFFERED_PARTS)
            rows = list(months.values.index)
            if len(rows) != 3:
                raise ValueError("span must hold exactly last month and this month")
            for col in kpi.COUNT_COLUMNS:
                pub.same(("months", rows[0], col), ("earlier:kpis", TOTAL, col))
                pub.same(("months", rows[1], col), ("kpis", total_row, col))
    pub.secure()
    return pub


def audited_month(inputs: views.Inputs, earlier: Publication | None = None,
                  span: pd.DataFrame | None = None) -> Publication:
    """The audited count tables of one month's report from its inputs: how last month's report is rebuilt to
    be frozen under this one (in its one-month form; its own earlier month only suppresses more)."""
    staff = staffing.staffing_table(inputs.history, inputs.roster)
    fit = staffing.backtest(inputs.history, inputs.roster)
    gaps = unmet.unmet_table(inputs.period, inputs.roster, by="hour")
    team = workload.team_workload(workload.shift_summary(inputs.period), by="shift_type")
    return audited(inputs.period, staff, gaps, team, fit, referrals.publication(inputs.period), earlier, span)


def build(period: str, month: pd.DataFrame, staff: pd.DataFrame, speakers: pd.DataFrame, gaps: pd.DataFrame,
          team: pd.DataFrame, daily: pd.Series, weekly_forecast: pd.DataFrame | None,
          errors: pd.DataFrame | None, fit: pd.DataFrame | None = None,
          window: tuple[pd.Timestamp, pd.Timestamp] | None = None, refs: Publication | None = None,
          earlier: Publication | None = None, two_months: pd.DataFrame | None = None) -> Findings:
    """Collect protected tables and phrase the proposals from their published values.

    `window` is the history the staffing and language tables come from (start, end exclusive); `refs` the
    month's audited referral and coverage tables (`referrals.publication`); `earlier` and `two_months` last
    month's report and both months' contacts (`audited`'s `earlier` and `span`).
    """
    f = Findings(period)
    start, end = views.period_bounds(period)
    month_span = span(start, end)
    window_span = span(*window) if window else month_span
    fitted = fit is not None
    pub = audited(month, staff, gaps, team, fit, refs, earlier, two_months)
    kpis, blocks, unmet, team_table = (pub.tables[k] for k in ("kpis", "staffing", "unmet", "workload"))
    f.tables["kpis"] = kpis
    total = kpis.values["offered"].iloc[-1]
    f.meta["kpis"] = TableMeta(month_span, ("offered_month", {"n": int(total)}))
    if "months" in pub.tables:
        f.tables["months"] = pub.tables["months"]
        f.meta["months"] = TableMeta(span(views.period_bounds(views.previous_period(period))[0], end),
                                     ("months", {}))
    f.tables["staffing"] = blocks
    f.meta["staffing"] = TableMeta(window_span, ("offered_window", {}))
    for block, row in blocks.values.iterrows():
        if row["hours_short"] > 0:
            seen = (float(row["observed_sl"]), float(row["predicted_sl"])) if fitted else (math.nan, math.nan)
            f.proposals.append(Proposal(
                "staffing", {"block": str(block), "short": int(row["hours_short"]),
                             "total": 7 * len(BLOCKS[str(block)]), "needed": f"{row['needed']:g}",
                             "roster": f"{row['roster']:g}"},
                _hours(int(row["hours_short"])), _model_uncertainty(*seen)))
    plan_cols = [c for c in speakers.columns if c.endswith(("_needed", "_roster"))]
    f.tables["languages"] = protect_table(speakers, plan=plan_cols)
    f.meta["languages"] = TableMeta(window_span, ("offered_window", {}))
    observed: dict[str, float] = {}
    predicted: dict[str, float] = {}
    if fitted:
        by_group = pub.tables["language_fit"]
        f.tables["language_fit"] = by_group
        f.meta["language_fit"] = TableMeta(window_span, ("offered_window", {}))
        observed = {str(k): float(v) for k, v in by_group.values["observed_sl"].items()}
        predicted = {str(k): float(v) for k, v in by_group.values["predicted_sl"].items()}
    for group in ("ru", "en"):
        if f"{group}_hours_short" in speakers:
            per_hour = speakers[f"{group}_hours_short"]
            short = per_hour[per_hour > 0].sort_values(ascending=False, kind="stable").index.tolist()
            if short:
                f.proposals.append(Proposal(
                    f"language_{group}", {"hours": int(per_hour.sum()),
                                          "at": ", ".join(f"{h:02d}:00" for h in short[:4])},
                    _hours(int(per_hour.sum())),
                    _model_uncertainty(observed.get(group, math.nan), predicted.get(group, math.nan))))
    f.tables["unmet"] = unmet
    f.meta["unmet"] = TableMeta(month_span, ("offered_month", {"n": int(total)}))  # the same contacts (`audited`)
    worst = unmet.values["unmet_share"].dropna().sort_values(ascending=False).head(3)
    if not worst.empty:
        top = worst.index[0]
        f.proposals.append(Proposal(
            "unmet", {"hours": ", ".join(f"{int(str(h)):02d}:00 ({_pct(v)})" for h, v in worst.items())},
            _pct(float(worst.iloc[0])), _share_uncertainty(float(worst.iloc[0]),
                                                            float(unmet.values.loc[top, "offered"]))))
    f.tables["workload"] = team_table
    f.meta["workload"] = TableMeta(month_span, ("shifts_month", {}))
    if "share_any" in team_table.values:
        share = team_table.values["share_any"].dropna()
        if not share.empty:
            kind = share.idxmax()
            shifts = float(team_table.values["shifts"].to_dict()[kind])
            f.proposals.append(Proposal(
                "workload", {"shift_type": str(kind), "share": _pct(float(share.max()))}, _pct(float(share.max())),
                _share_uncertainty(float(share.max()), shifts)))
    _forecast_findings(f, daily, weekly_forecast, errors)
    if refs is not None:
        _referral_findings(f, refs, month_span)
    f.figures["staffing_gap"] = lambda lang: charts.heatmap(
        protect_plan(staff.pivot(index="weekday", columns="hour", values="gap")), charts.text("gap_title", lang),
        lang, diverging=True, label="gap")
    if fitted:
        f.caveats.append("backtest_caveat")
        f.figures["backtest"] = lambda lang: charts.bar_chart(
            blocks, ["observed_sl", "predicted_sl"], charts.text("backtest", lang), charts.text("block", lang),
            charts.text("service_level", lang), lang, percent=True)
    f.figures["unmet_by_hour"] = lambda lang: charts.bar_chart(
        unmet, ["abandoned", "outside_hours"], charts.text("unmet_title", lang), charts.text("hour", lang),
        charts.text("contacts", lang), lang)
    return f


def _forecast_findings(f: Findings, daily: pd.Series, weekly_forecast: pd.DataFrame | None,
                       errors: pd.DataFrame | None) -> None:
    """The forecast table, its held-out error against the seasonal-naive baseline, and what they propose."""
    weekly_hist = forecast.weekly(daily.astype(float))
    assert isinstance(weekly_hist, pd.Series)
    hist = protect_table(weekly_hist.to_frame("contacts").iloc[1:-1], ["contacts"])
    if weekly_forecast is None or weekly_forecast.empty:
        f.tables["forecast"] = protect_table(pd.DataFrame({"forecast": [], "lower": [], "upper": []}),
                                             estimates=["forecast", "lower", "upper"])
        f.meta["forecast"] = TableMeta("–", ("weekly", {}), why_empty="forecast")
        return
    fc = protect_table(weekly_forecast, estimates=["forecast", "lower", "upper"])
    f.tables["forecast"] = fc
    first, last = fc.values.index[0], fc.values.index[-1]
    f.meta["forecast"] = TableMeta(span(pd.Timestamp(first) - pd.Timedelta(days=6), pd.Timestamp(last)
                                         + pd.Timedelta(days=1)), ("weekly", {}))
    v = fc.values
    mean = 5 * round(float(np.nanmean(v["forecast"])) / 5)  # rounded as the table's forecasts are
    f.proposals.append(Proposal(
        "forecast", {"mean": mean}, str(mean),
        ("interval", {"lower": int(v["lower"].iloc[0]), "upper": int(v["upper"].iloc[0]),
                      "last_lower": int(v["lower"].iloc[-1]), "last_upper": int(v["upper"].iloc[-1])})))
    if errors is not None:
        err = protect_table(errors.assign(mape_pct=100 * errors["mape"]).drop(columns="mape"),
                            plan=["weeks", "mape_pct"], estimates=["mae", "bias"])
        f.tables["forecast_error"] = err
        end = pd.Timestamp(forecast.full_weeks(daily).index[-1]) + pd.Timedelta(days=1)
        held_out = span(end - pd.Timedelta(weeks=int(errors["weeks"].iloc[0])), end)
        f.meta["forecast_error"] = TableMeta(held_out, ("weekly", {}))
        model = {str(k): float(v) for k, v in err.values.to_dict("index")["holt_winters"].items()}
        naive = {str(k): float(v) for k, v in err.values.to_dict("index")["seasonal_naive"].items()}
        key = "beats_baseline" if model["mae"] < naive["mae"] else "loses_baseline"
        f.proposals.append(Proposal(key, {"model": f"{model['mape_pct']:.0f}%", "naive": f"{naive['mape_pct']:.0f}%"},
                                    f"{model['mape_pct']:.0f}%"))
        if abs(model["bias"]) >= BIAS_SHARE * model["mae"] and model["mae"] > 0:
            f.proposals.append(Proposal("bias_low" if model["bias"] < 0 else "bias_high",
                                        {"bias": int(abs(model["bias"]))}, f"{int(model['bias']):+d}"))
    f.figures["forecast"] = lambda lang: charts.forecast_chart(hist, fc, charts.text("forecast_title", lang), lang)


def _referral_findings(f: Findings, refs: Publication, month_span: str) -> None:
    """Referral tables by partner, need and county, the coverage gap, and the proposal it makes."""
    for key, rows, den in (("partner", "partner", "referrals"), ("need", "need", "answered_month"),
                           ("county", "county", "answered_month")):
        f.tables[f"referrals_{key}"] = refs.tables[key]
        f.meta[f"referrals_{key}"] = TableMeta(month_span, (den, {}), rows=rows)
    cov = refs.tables["coverage"]
    f.tables["coverage"] = cov
    f.meta["coverage"] = TableMeta(month_span, ("coverage", {}), rows="need")
    shown = cov.values["uncovered"].dropna()
    shown = shown[shown > 0]
    if shown.empty:
        return
    need = str(shown.idxmax())
    row = {str(k): float(v) for k, v in cov.values.to_dict("index")[need].items()}
    directory = taxonomy.load_directory()
    missing = referrals.uncovered_counties(directory, need)
    f.proposals.append(Proposal(
        "coverage", {"need": f"need:{need}", "n": int(row["uncovered"]), "share": _pct(float(row["uncovered_share"])),
                     "k": len(missing), "counties": f"counties:{','.join(missing[:4])}"},
        f"{int(row['uncovered'])}", _share_uncertainty(float(row["uncovered_share"]), float(row["contacts"]))))


def _cell(value: object, lang: str, rows: str = "value") -> str:
    """A table cell or row label in words: codes labelled, the total row named, dates as dates; needs,
    counties and partners by their names in the directory."""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%d.%m.%Y")
    if value == TOTAL:
        return labels.value("total", lang)
    text = str(value)
    if text.startswith("need:"):
        return _cell(text[5:], lang, "need")
    if text.startswith("counties:"):
        return ", ".join(_cell(c, lang, "county") for c in text[9:].split(","))
    prefix = {"language": "lang", "weekday": "weekday"}.get(rows)
    if prefix and labels.has("values", f"{prefix}_{text}"):
        return labels.value(f"{prefix}_{text}", lang)
    if rows in ("need", "county"):
        directory = taxonomy.load_directory()
        term = directory.term("needs" if rows == "need" else "counties", text)
        if term is not None:
            return term.name.get(lang) or term.name.get("et")
        return labels.value(value, lang)
    if rows == "partner":
        directory = taxonomy.load_directory()
        service = next((s for s in directory.services.values() if s.name.get("et") == text), None)
        return (service.name.get(lang) or text) if service else text
    return labels.value(value, lang)


def _header(name: object, lang: str) -> str:
    """A column header in words: the total column, a language column of a crosstab, or the label file's."""
    if name == TOTAL:
        return labels.value("total", lang)
    if not labels.has("columns", name) and labels.has("columns", f"lang_{name}"):
        return labels.column(f"lang_{name}", lang)
    return labels.column(name, lang)


def table_markdown(table: ProtectedTable, lang: str, rows: str = "value") -> str:
    """A protected table as Markdown with every header and label in words of `lang`."""
    disp = table.display.reset_index()
    names = [_header(c, lang) for c in disp.columns]
    lines = ["| " + " | ".join(names) + " |", "|" + "|".join(" --- " for _ in names) + "|"]
    for row in disp.itertuples(index=False):
        cells = [_cell(row[0], lang, rows), *(labels.number(v, lang) for v in row[1:])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_report(findings: Findings, report_dir: Path, lang: str = "et") -> list[Path]:
    """Write index.md in `lang` and its charts (SVG and PNG, titles and alt text in `lang`) into `report_dir`.

    It opens with the summary a manager reads in a minute; every table then states its period and
    denominator, and a table without rows says why instead of showing a bare header.
    """
    figures = report_dir / "figures"
    written: list[Path] = []
    for name, make in findings.figures.items():
        written += charts.save(make(lang), figures / f"{name}_{lang}", formats=("svg", "png"))
    t = labels.text
    lines = [f"# {t('report', 'title', lang, period=findings.period)}", "", t("report", "intro", lang), "",
             f"## {t('report', 'summary', lang)}", "", t("report", "summary_lead", lang), ""]
    for p in findings.proposals or [Proposal("no_gaps", {}, "–")]:
        sentence = (t("report", "no_gaps", lang) if p.key == "no_gaps" else
                    t("proposals", p.key, lang, **{k: _cell(v, lang) if isinstance(v, str) else v
                                                   for k, v in p.values.items()}))
        unc_key, unc_values = p.uncertainty
        lines.append(f"- **{_figure(p.figure, lang)}** — {sentence} *{t('report', 'uncertainty', lang)}: "
                     f"{t('uncertainty', unc_key, lang, **unc_values)}*")
    lines += [""] + [t("report", c, lang) for c in findings.caveats]
    for key, table in findings.tables.items():
        meta = findings.meta[key]
        den_key, den_values = meta.denominator
        lines += ["", f"## {t('tables', key, lang)}", "",
                  f"{t('report', 'period', lang, period=meta.period)} "
                  f"{t('report', 'denominator', lang, what=t('denominators', den_key, lang, **den_values))}", ""]
        if table.values.empty:
            lines.append(t("report", "empty", lang, why=t("why", meta.why_empty, lang)))
            continue
        lines += [table_markdown(table, lang, meta.rows), "", f"*{t('report', 'note', lang)}*"]
    lines += ["", f"## {t('report', 'charts', lang)}", ""]
    for name in findings.figures:
        lines += [f"![{t('alt', name, lang)}](figures/{name}_{lang}.svg)", "",
                  f"{t('report', 'other_formats', lang)}: [PNG](figures/{name}_{lang}.png)", ""]
    index = report_dir / "index.md"
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [index, *written]
