"""The attacker of test_stats_attack, turned on the development-proposals report: every count table it
publishes (contacts by channel, unmet demand by hour, shift blocks, language groups, referrals by partner,
need and county) and the identities a reader sees between them.  No hidden cell may come out narrower than
1-9, and each chart draws the published, rounded values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from abikaart.stats import proposals, referrals, staffing, synth, unmet, views, workload
from abikaart.stats.audit import Publication
from abikaart.stats.disclosure import SECONDARY, TOTAL

Cell = tuple[str, object, str]


def known(text: str) -> tuple[int, int]:
    """What a reader knows of a raw count from its published text."""
    if text == "<10":
        return 1, 9
    if text == SECONDARY:
        return 0, 10**7
    v = int(text)
    return (0, 0) if v == 0 else (max(10, v - 2), v + 2)


def solve(tables: dict[str, pd.DataFrame], identities: list[tuple[Cell, list[Cell]]],
          unknowns: list[Cell]) -> dict[Cell, tuple[int, int]]:
    """Smallest and largest value of every '<10' cell under all identities (MILP, as an attacker would)."""
    cells = sorted({c for t, ps in identities for c in [t, *ps]}, key=str)
    index = {c: i for i, c in enumerate(cells)}
    a = np.zeros((len(identities), len(cells)))
    for row, (total, parts) in enumerate(identities):
        a[row, index[total]] += 1
        for p in parts:
            a[row, index[p]] -= 1
    bounds = [(0, 10**7) if c in unknowns else known(str(tables[c[0]].at[c[1], c[2]])) for c in cells]
    lo, hi = zip(*bounds, strict=True)
    out = {}
    for c in cells:
        if c in unknowns or tables[c[0]].at[c[1], c[2]] != "<10":
            continue
        v = np.zeros(len(cells))
        v[index[c]] = 1
        found = [milp(s * v, constraints=LinearConstraint(a, 0, 0), bounds=Bounds(np.array(lo, float), np.array(
            hi, float)), integrality=np.ones(len(cells))) for s in (1, -1)]
        assert all(r.success for r in found), "the published tables contradict their own identities"
        out[c] = (round(found[0].fun), round(-found[1].fun))
    return out


def identities(t: dict[str, pd.DataFrame], p: str = "") -> list[tuple[Cell, list[Cell]]]:
    """What a reader of the report can write down from its tables alone (`p`: a prefix for last month's)."""
    out: list[tuple[Cell, list[Cell]]] = []
    kpis = t[p + "kpis"]
    for r in kpis.index:
        out.append(((p + "kpis", r, "offered"), [(p + "kpis", r, c) for c in ("answered", "abandoned", "callback")]))
    for c in ("offered", "answered", "abandoned", "callback"):
        out.append(((p + "kpis", TOTAL, c), [(p + "kpis", r, c) for r in kpis.index if r != TOTAL]))
    for c in ("offered", "abandoned"):
        out.append(((p + "kpis", TOTAL, c), [(p + "unmet", h, c) for h in t[p + "unmet"].index]))
    for name in ("staffing", "language_fit"):
        out.append(((p + "window", "all", "offered"), [(p + name, b, "offered") for b in t[p + name].index]))
    for name, cols in (("referrals_partner", ["referrals"]), ("referrals_need", ["answered", "referred"]),
                       ("referrals_county", ["answered", "referred"])):
        for c in cols:
            out.append(((p + name, TOTAL, c), [(p + name, r, c) for r in t[p + name].index if r != TOTAL]))
    out.append(((p + "referrals_need", TOTAL, "referred"), [(p + "referrals_partner", TOTAL, "referrals")]))
    out.append(((p + "referrals_county", TOTAL, "referred"), [(p + "referrals_partner", TOTAL, "referrals")]))
    out.append(((p + "referrals_county", TOTAL, "answered"), [(p + "referrals_need", TOTAL, "answered")]))
    return out


def month_identities(t: dict[str, pd.DataFrame], months: tuple[str, str]) -> list[tuple[Cell, list[Cell]]]:
    """The two-month table: its lines and total, and each month's line is that month's total by channel."""
    counts = ("offered", "answered", "abandoned", "callback")
    out: list[tuple[Cell, list[Cell]]] = [(("months", r, "offered"), [("months", r, c) for c in counts[1:]])
                                          for r in t["months"].index]
    for c in counts:
        out.append((("months", TOTAL, c), [("months", m, c) for m in months]))
        out.append((("months", months[0], c), [("earlier:kpis", TOTAL, c)]))
        out.append((("months", months[1], c), [("kpis", TOTAL, c)]))
    return out


@pytest.fixture(scope="module")
def findings() -> proposals.Findings:
    """One synthetic month (October 2026, seed 5) with twelve weeks of history, as the notebook builds it."""
    import datetime as dt

    df = synth.synthesize(2026, seed=5, start=dt.date(2026, 8, 1), end=dt.date(2026, 10, 31))
    start, end = views.period_bounds("2026-10")
    t = df["start_time"]
    month = df[((t >= start) & (t < end)).to_numpy()]
    history = df[((t >= end - pd.Timedelta(weeks=12)) & (t < end)).to_numpy()]
    roster = synth.default_roster()
    staff = staffing.staffing_table(history, roster)
    fit = staffing.backtest(history, roster)
    team = workload.team_workload(workload.shift_summary(month), by="shift_type")
    daily = pd.Series(1.0, index=pd.date_range("2026-08-01", "2026-10-31", freq="D"))
    return proposals.build("2026-10", month, staff, pd.DataFrame(index=pd.RangeIndex(24, name="hour")),
                           unmet.unmet_table(month, roster, by="hour"), team, daily, None, None, fit,
                           refs=referrals.publication(month))


def test_report_tables_leave_no_hidden_cell_narrowed(findings: proposals.Findings) -> None:
    tables = {name: t.display for name, t in findings.tables.items()}
    tables["window"] = pd.DataFrame({"offered": [SECONDARY]}, index=["all"])
    ranges = solve(tables, identities(tables), unknowns=[("window", "all", "offered")])
    assert ranges, "a month with no hidden cell in an identity tests nothing"
    assert all(r == (1, 9) for r in ranges.values()), {k: r for k, r in ranges.items() if r != (1, 9)}


def test_report_charts_draw_the_published_values(findings: proposals.Findings) -> None:
    fig = findings.figures["unmet_by_hour"]("et")
    heights = [p.get_height() for p in fig.axes[0].patches]
    display = findings.tables["unmet"].display
    published = [float("nan") if s in ("<10", SECONDARY) else float(s) for col in ("abandoned", "outside_hours")
                 for s in display[col]]
    assert np.allclose(heights, published, equal_nan=True)
    fig = findings.figures["backtest"]("et")
    heights = [p.get_height() for p in fig.axes[0].patches]
    shown = findings.tables["staffing"].display
    percents = [float("nan") if s == "–" else float(s.rstrip("%")) for col in ("observed_sl", "predicted_sl")
                for s in shown[col]]
    assert np.allclose(heights, percents, equal_nan=True)  # drawn in whole percent, as the table shows them



def _tiny_month() -> pd.DataFrame:
    """Five abandoned contacts at 03, twelve at 10, forty answered at 11: the hours' published abandoned
    (<10 and 10) and the month's total (15) leave 03:00 at 1..7 unless the audit sees that they add up."""
    from stats_helpers import contacts_frame

    gone = {"outcome": "abandoned", "handle_s": None, "acw_s": None, "need": None, "shift_id": None,
            "risk_level": None, "caller_type": None}
    rows = ([{"start_time": "2026-10-05T03:10:00", **gone}] * 5 + [{"start_time": "2026-10-06T10:10:00", **gone}] * 12
            + [{"start_time": "2026-10-06T11:10:00"}] * 40)
    return contacts_frame(rows)


def test_the_hours_and_the_month_total_are_audited_together(monkeypatch: pytest.MonkeyPatch) -> None:
    month = _tiny_month()
    roster = synth.default_roster()
    staff = roster.assign(needed=roster["counsellors"], roster=roster["counsellors"], gap=0)
    args = (month, staff, unmet.unmet_table(month, roster, by="hour"),
            workload.team_workload(workload.shift_summary(month), by="shift_type"), None, None)
    pub = proposals.audited(*args)
    assert pub.suppressed, "the audit saw the hours add up to the month and suppressed a further cell"
    tables = {"kpis": pub.tables["kpis"].display, "unmet": pub.tables["unmet"].display}
    ids = [i for i in identities({**tables, "staffing": pd.DataFrame({"offered": []}),
                                  "language_fit": pd.DataFrame({"offered": []}),
                                  "window": pd.DataFrame({"offered": ["0"]}, index=["all"]),
                                  **{f"referrals_{k}": pd.DataFrame() for k in ("partner", "need", "county")}})
           if i[0][0] in ("kpis", "unmet")]
    ranges = solve(tables, ids, unknowns=[])
    assert ranges and all(r == (1, 9) for r in ranges.values()), ranges
    # Without the report-wide audit the same tables give the attacker 03:00's abandoned as 1..7.
    from abikaart.stats.audit import Publication

    monkeypatch.setattr(Publication, "secure", lambda self, max_rounds=500: [])
    naive = proposals.audited(*args)
    tables = {"kpis": naive.tables["kpis"].display, "unmet": naive.tables["unmet"].display}
    assert solve(tables, ids, unknowns=[])[("unmet", 3, "abandoned")] != (1, 9)


def test_a_section_without_data_says_why(findings: proposals.Findings, tmp_path: pytest.TempPathFactory) -> None:
    """Built without a forecast (too little history) and without language rows: no bare header, a reason."""
    from pathlib import Path

    from test_stats_report import markdown_problems

    from abikaart.stats import labels

    folder = Path(str(tmp_path))
    proposals.write_report(findings, folder, "et")
    text = (folder / "index.md").read_text(encoding="utf-8")
    assert markdown_problems(text, "et") == []
    forecast = text.split(f"## {labels.text('tables', 'forecast', 'et')}")[1].split("\n## ")[0]
    assert labels.text("report", "empty", "et", why=labels.text("why", "forecast", "et")) in forecast
    assert "|" not in forecast


REPORT_TABLES = {"kpis": "kpis", "unmet": "unmet", "staffing": "staffing", "language_fit": "language_fit",
                 "referrals_partner": "referrals:partner", "referrals_need": "referrals:need",
                 "referrals_county": "referrals:county"}


@pytest.fixture(scope="module")
def two_reports() -> tuple[pd.DataFrame, Publication, proposals.Findings]:
    """September's report (already out) and October's, built with September frozen and both months' contacts."""
    import datetime as dt

    df = synth.synthesize(2026, seed=5, start=dt.date(2026, 6, 1), end=dt.date(2026, 10, 31))
    roster = synth.default_roster()
    september = proposals.audited_month(views.cut(df, "2026-09", roster))
    october = views.cut(df, "2026-10", roster)
    t = df["start_time"]
    both = df[((t >= views.period_bounds("2026-09")[0]) & (t < october.end)).to_numpy()]
    staff = staffing.staffing_table(october.history, roster)
    fit = staffing.backtest(october.history, roster)
    team = workload.team_workload(workload.shift_summary(october.period), by="shift_type")
    daily = pd.Series(1.0, index=pd.date_range("2026-08-01", "2026-10-31", freq="D"))
    found = proposals.build("2026-10", october.period, staff, pd.DataFrame(index=pd.RangeIndex(24, name="hour")),
                            unmet.unmet_table(october.period, roster, by="hour"), team, daily, None, None, fit,
                            refs=referrals.publication(october.period), earlier=september, two_months=both)
    return both, september, found


def test_two_consecutive_reports_recover_and_narrow_nothing(
        two_reports: tuple[pd.DataFrame, Publication, proposals.Findings]) -> None:
    """A reader holding last month's report and this one, with the two-month table between them, solves one
    integer program over both: no hidden cell of either month comes out narrower than 1-9."""
    _, september, october = two_reports
    tables = {name: t.display for name, t in october.tables.items()}
    tables |= {f"earlier:{ours}": september.tables[theirs].display for ours, theirs in REPORT_TABLES.items()}
    for p in ("", "earlier:"):
        tables[p + "window"] = pd.DataFrame({"offered": [SECONDARY]}, index=["all"])
    months = tuple(str(m) for m in tables["months"].index if m != TOTAL)
    assert months == ("2026-09", "2026-10")
    ids = identities(tables) + identities(tables, "earlier:") + month_identities(tables, months)  # type: ignore[arg-type]
    ranges = solve(tables, ids, unknowns=[("window", "all", "offered"), ("earlier:window", "all", "offered")])
    assert any(k[0].startswith("earlier:") for k in ranges) and any(k[0] == "unmet" for k in ranges)
    assert all(r == (1, 9) for r in ranges.values()), {k: r for k, r in ranges.items() if r != (1, 9)}


def test_the_two_month_table_is_in_the_report_with_its_period(
        two_reports: tuple[pd.DataFrame, Publication, proposals.Findings], tmp_path: Path) -> None:
    from test_stats_report import markdown_problems

    from abikaart.stats import labels

    _, _, october = two_reports
    proposals.write_report(october, tmp_path, "et")
    text = (tmp_path / "index.md").read_text(encoding="utf-8")
    assert markdown_problems(text, "et") == []
    section = text.split(f"## {labels.text('tables', 'months', 'et')}")[1].split("\n## ")[0]
    assert "Periood: 01.09.2026–31.10.2026." in section and "| 2026-09 |" in section and "| 2026-10 |" in section


def _callbacks(day: str, n: int) -> pd.DataFrame:
    """A small month: `n` callbacks at 10:00 and forty answered contacts at 11:00 on one day."""
    from stats_helpers import contacts_frame

    return contacts_frame([{"start_time": f"{day}T10:10:00", "outcome": "callback"}] * n
                          + [{"start_time": f"{day}T11:10:00"}] * 40)


def _small_report(month: pd.DataFrame, earlier: Publication | None = None,
                  both: pd.DataFrame | None = None) -> Publication:
    roster = synth.default_roster()
    staff = roster.assign(needed=roster["counsellors"], roster=roster["counsellors"], gap=0)
    return proposals.audited(month, staff, unmet.unmet_table(month, roster, by="hour"),
                             workload.team_workload(workload.shift_summary(month), by="shift_type"), None, None,
                             earlier, both)


def _attack_small(october: Publication, september: Publication, months: pd.DataFrame) -> dict[Cell, tuple[int, int]]:
    """The attacker over both months' channel and hour tables and the two-month table."""
    tables = {n: october.tables[n].display for n in ("kpis", "unmet")}
    tables |= {f"earlier:{n}": september.tables[n].display for n in ("kpis", "unmet")}
    tables["months"] = months
    empty = {n: pd.DataFrame({"offered": []}) for n in ("staffing", "language_fit")}
    refs = {f"referrals_{k}": pd.DataFrame() for k in ("partner", "need", "county")}
    ids = [i for p in ("", "earlier:")
           for i in identities({**{p + k: v for k, v in {**empty, **refs}.items()}, **tables}, p)
           if i[0][0] in (p + "kpis", p + "unmet")]
    return solve(tables, ids + month_identities(tables, ("2026-09", "2026-10")), unknowns=[])


def test_without_the_two_month_audit_the_months_give_cells_away() -> None:
    """Seven callbacks in September and eight in October: each month alone shows "<10", but the two-month
    table's 15 (13-17) leaves each at 6-9 unless the audit sees both months together; with it, nothing."""
    september, october = _callbacks("2026-09-14", 7), _callbacks("2026-10-05", 8)
    both = pd.concat([september, october], ignore_index=True)
    last = _small_report(september)
    alone = _small_report(october)
    naive = _attack_small(alone, last, views.kpis(both, "month").display)
    assert naive[("kpis", TOTAL, "callback")] == (6, 9), naive
    audited = _small_report(october, last, both)
    ranges = _attack_small(audited, last, audited.tables["months"].display)
    assert ranges and all(r == (1, 9) for r in ranges.values()), ranges
    assert audited.suppressed and not [k for k in audited.suppressed if k[0].startswith("earlier:")]
