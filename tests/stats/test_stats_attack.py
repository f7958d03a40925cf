"""An attacker reads one month's (and then two consecutive months') published supervision tables and solves
an integer program over every identity between them; no hidden cell may come out narrower than 1-9.

The attacker is written here from the published text alone (the display strings), independently of
`abikaart.stats.audit`, so a bug in the audit's bookkeeping shows up as a narrowed cell.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from abikaart.stats import charts, contract, kpi, synth, views
from abikaart.stats.audit import Publication
from abikaart.stats.disclosure import SECONDARY, TOTAL, ProtectedTable

Key = tuple[str, Hashable, str]
COUNTS = list(kpi.COUNT_COLUMNS)


@pytest.fixture(scope="module")
def two_months() -> pd.DataFrame:
    """September and October 2026 of a synthetic year (seed 11)."""
    return synth.synthesize(2026, seed=11, start=dt.date(2026, 9, 1), end=dt.date(2026, 10, 31))


def split(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two months apart."""
    october = (df["start_time"] >= pd.Timestamp("2026-10-01").tz_localize(contract.TZ)).to_numpy()
    return df[~october], df[october]


def interval(text: str) -> tuple[int, int]:
    """What a reader knows of a raw count from its published text."""
    if text == "<10":
        return 1, 9
    if text == SECONDARY:
        return 0, 10**7
    v = int(text)
    return (0, 0) if v == 0 else (max(10, v - 2), v + 2)


def attack(tables: dict[str, ProtectedTable], months: tuple[str, str] | None = None) -> dict[Key, tuple[int, int]]:
    """Smallest and largest raw value of every '<10' cell consistent with all published counts."""
    keys: list[Key] = [(n, r, c) for n, t in tables.items() for r in t.display.index for c in COUNTS
                       if c in t.display.columns]
    index = {k: i for i, k in enumerate(keys)}
    rows: list[dict[int, float]] = []

    def eq(total: Key, parts: list[Key]) -> None:
        row = {index[total]: 1.0}
        for p in parts:
            row[index[p]] = row.get(index[p], 0.0) - 1.0
        rows.append(row)

    for name, t in tables.items():
        body = [r for r in t.display.index if r != TOTAL]
        for c in COUNTS:
            eq((name, TOTAL, c), [(name, r, c) for r in body])
            if name != "channel" and not name.startswith("earlier") and name != "month":
                eq((name, TOTAL, c), [("channel", TOTAL, c)])
        for r in t.display.index:
            eq((name, r, "offered"), [(name, r, c) for c in COUNTS[1:]])
    if months is not None:
        for name in [n for n in tables if n.startswith("earlier:") and n != "earlier:channel"]:
            for c in COUNTS:
                eq((name, TOTAL, c), [("earlier:channel", TOTAL, c)])
        for c in COUNTS:
            eq(("month", months[0], c), [("earlier:channel", TOTAL, c)])
            eq(("month", months[1], c), [("channel", TOTAL, c)])
    a = np.zeros((len(rows), len(keys)))
    for i, row in enumerate(rows):
        for j, v in row.items():
            a[i, j] = v
    lo, hi = zip(*(interval(str(tables[k[0]].display.at[k[1], k[2]])) for k in keys), strict=True)  # type: ignore[index]
    bounds, cons = Bounds(np.array(lo, float), np.array(hi, float)), LinearConstraint(a, 0, 0)
    out: dict[Key, tuple[int, int]] = {}
    for k in keys:
        if tables[k[0]].display.at[k[1], k[2]] != "<10":  # type: ignore[index]
            continue
        c = np.zeros(len(keys))
        c[index[k]] = 1
        low = milp(c, constraints=cons, bounds=bounds, integrality=np.ones(len(keys)))
        high = milp(-c, constraints=cons, bounds=bounds, integrality=np.ones(len(keys)))
        assert low.success and high.success, "the published tables contradict their own identities"
        out[k] = (round(low.fun), round(-high.fun))
    return out


def raw_value(df: pd.DataFrame, key: Key) -> int:
    """The true count behind a published cell."""
    name, row, col = key
    table = kpi.kpi_table(df, None if row == TOTAL else name.split(":")[-1])
    return int(table[col].iloc[0] if row == TOTAL else table.at[row, col])


def test_naive_publication_is_broken_by_the_attacker(two_months: pd.DataFrame) -> None:
    """Without the report-wide audit, the identity offered = answered + abandoned + callback narrows cells."""
    _, october = split(two_months)
    tables = {dim: views.kpis(october, dim) for dim in views.SUPERVISION_DIMENSIONS}
    narrowed = {k: r for k, r in attack(tables).items() if r != (1, 9)}
    assert narrowed, "the attacker should break per-table control; if not, this test proves nothing"


def test_one_month_recovers_and_narrows_nothing(two_months: pd.DataFrame) -> None:
    _, october = split(two_months)
    pub = views.supervision_publication(october)
    ranges = attack(pub.tables)
    assert ranges, "a month with no hidden cell tests nothing"
    for key, found in ranges.items():
        assert found == (1, 9), key
        assert 1 <= raw_value(october, key) <= 9, key


def test_two_consecutive_months_recover_and_narrow_nothing(two_months: pd.DataFrame) -> None:
    september, october = split(two_months)
    earlier = views.supervision_publication(september)
    pub = views.supervision_publication(october, earlier=earlier, span=two_months)
    ranges = attack(pub.tables, months=("2026-09", "2026-10"))
    assert any(k[0].startswith("earlier:") for k in ranges) and any(k[0] == "hour" for k in ranges)
    assert all(found == (1, 9) for found in ranges.values()), {k: r for k, r in ranges.items() if r != (1, 9)}
    assert all(earlier.tables[n].display.equals(pub.tables[f"earlier:{n}"].display) for n in earlier.tables)


def test_a_rate_is_made_of_its_published_counts(two_months: pd.DataFrame) -> None:
    """A shown rate is its published numerator over its published denominator: it tells nothing more."""
    _, october = split(two_months)
    pub = views.supervision_publication(october)
    shown = 0
    for t in pub.tables.values():
        for rate, (num, den) in (t.rate_parts or {}).items():
            for r in t.values.index:
                v = float(t.values.at[r, rate])  # type: ignore[arg-type]
                if math.isnan(v) or num is None:
                    continue
                n, d = (str(t.display.at[r, c]) for c in (num, den))  # type: ignore[index]
                assert n.isdigit() and d.isdigit(), (r, rate)
                assert v == round(100 * int(n) / int(d)) / 100
                shown += 1
    assert shown > 50


def test_suppressed_count_takes_its_rate_with_it() -> None:
    pub = Publication()
    raw = pd.DataFrame({"offered": [44, 33], "answered": [36, 20], "abandoned": [8, 13], "callback": [0, 0],
                        "answer_rate": [36 / 44, 20 / 33]}, index=pd.Index(["a", "b"], name="channel"))
    from abikaart.stats.disclosure import protect_table
    t = protect_table(raw, COUNTS, rates={"answer_rate": "offered"}, numerators={"answer_rate": "answered"},
                      total=raw.sum())
    pub.add("t", t, total_row=True, row_identities=views.OFFERED_PARTS)
    assert ("t", "a", "abandoned") in pub.disclosures()  # 45 - 35 - 0 within rounding: 6..9
    pub.secure()
    assert not pub.disclosures() and not pub.structural and pub.suppressed
    assert t.display.at["a", "abandoned"] == "<10"
    for r in t.values.index:
        if SECONDARY in (t.display.at[r, "offered"], t.display.at[r, "answered"]):
            assert t.display.at[r, "answer_rate"] == "–"
    assert "–" in t.display["answer_rate"].tolist()


def test_two_small_groups_make_a_total_of_two_at_least_and_that_is_not_hidden_away() -> None:
    """When the narrowing comes from the hidden cells themselves, secure() names it instead of looping."""
    from abikaart.stats.disclosure import protect_table
    raw = pd.DataFrame({"n": [5, 4]}, index=pd.Index(["a", "b"], name="channel"))
    pub = Publication()
    pub.add("t", protect_table(raw, ["n"], total=raw.sum()), total_row=True)
    pub.secure()
    assert pub.structural == {("t", TOTAL, "n"), ("t", "a", "n"), ("t", "b", "n")}  # 2..9 and 1..8
    assert pub.suppressed == [] and pub.tables["t"].display["n"].tolist() == ["<10", "<10", "<10"]


def test_charts_draw_the_published_values(two_months: pd.DataFrame) -> None:
    """Bar heights and line points are exactly the published figures (rates as the shown whole percent)."""
    _, october = split(two_months)
    hours = views.supervision_publication(october).tables["hour"]
    body = ProtectedTable(hours.values.iloc[:-1], hours.display.iloc[:-1], hours.note)
    fig = charts.bar_chart(body, ["offered", "abandoned"], "t", "x", "y")
    heights = [p.get_height() for p in fig.axes[0].patches]
    published = [float("nan") if s in ("<10", SECONDARY) else float(s)
                 for col in ("offered", "abandoned") for s in body.display[col]]
    assert np.allclose(heights, published, equal_nan=True)
    fig = charts.line_chart(body, ["service_level", "answer_rate"], "t", "x", "%", percent=True)
    for line, col in zip(fig.axes[0].get_lines(), ["service_level", "answer_rate"], strict=True):
        shown = [float("nan") if s == "–" else float(s.rstrip("%")) for s in body.display[col]]
        assert np.allclose(line.get_ydata(), shown, equal_nan=True)
