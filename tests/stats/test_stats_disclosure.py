"""Disclosure control, including the cases where naive suppression leaks through a total."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abikaart.stats import disclosure as sdc


@pytest.mark.parametrize(("n", "shown"), [(0, "0"), (1, "<10"), (9, "<10"), (10, "10"), (12, "10"),
                                          (13, "15"), (17, "15"), (18, "20"), (1234, "1235")])
def test_rounding_rule(n: int, shown: str) -> None:
    t = sdc.protect_table(pd.DataFrame({"k": [n]}), ["k"])
    assert t.display.iloc[0, 0] == shown


def naive(cells: list[int]) -> tuple[list[str], int]:
    """What naive suppression publishes: small cells hidden, exact other cells and exact total."""
    return [("<10" if 0 < c < 10 else str(c)) for c in cells], sum(cells)


def test_naive_suppression_leaks_but_ours_does_not() -> None:
    cells = [3, 12, 20]
    published, total = naive(cells)
    recovered = total - sum(int(c) for c in published if c != "<10")
    assert recovered == 3  # the leak: row total minus the other cells

    raw = pd.DataFrame({"contacts": cells}, index=pd.Index(["a", "b", "c"], name="group"))
    t = sdc.protect_table(raw, ["contacts"], total=pd.Series({"contacts": sum(cells)}))
    shown = t.values["contacts"].tolist()
    assert math.isnan(shown[0]) and shown[1:] == [10, 20, 35]
    assert sdc.recoverable_cells([math.nan, 10, 20], 35) == []
    # b shown 10 is 10..12, the total shown 35 is 33..37, so the hidden cell can be anything from 1 to 7
    lo_b, hi_b = sdc.count_interval(10)
    lo_t, hi_t = sdc.count_interval(35)
    assert (lo_b, hi_b, lo_t, hi_t) == (10, 12, 33, 37)
    feasible = {t_ - b - 20 for t_ in range(lo_t, hi_t + 1) for b in range(lo_b, hi_b + 1)} & set(range(1, 10))
    assert feasible == set(range(1, 8)) and cells[0] in feasible


def test_independent_rounding_can_still_pin_a_cell_so_total_is_suppressed() -> None:
    # 1 + 13 + 13 = 27: cells show <10, 15, 15 and the total 25; 25+2-(13+13) = 1 pins the hidden cell.
    raw = pd.DataFrame({"n": [1, 13, 13]}).rename_axis("group")
    assert sdc.recoverable_cells([math.nan, 15.0, 15.0], 25.0) == [0]
    t = sdc.protect_table(raw, ["n"], total=pd.Series({"n": 27}))
    assert t.display["n"].tolist() == ["<10", "15", "15", sdc.SECONDARY]


def test_crosstab_margins_are_rounded_independently_and_audited() -> None:
    raw = pd.DataFrame([[3, 12, 20], [0, 40, 7]], index=["r1", "r2"], columns=["c1", "c2", "c3"])
    t = sdc.protect_crosstab(raw)
    assert t.display.loc["r1", sdc.TOTAL] == "35"
    assert t.display.loc["r2", "c1"] == "0"
    assert t.display.loc[sdc.TOTAL, "c2"] == "50"
    assert t.display.loc[sdc.TOTAL, sdc.TOTAL] == "80"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=60), min_size=2, max_size=6))
def test_no_hidden_cell_is_ever_pinned_by_its_total(cells: list[int]) -> None:
    raw = pd.DataFrame({"n": cells}).rename_axis("group")
    t = sdc.protect_table(raw, ["n"], total=pd.Series({"n": sum(cells)}))
    published = t.values["n"].tolist()
    assert sdc.recoverable_cells(published[:-1], published[-1]) == []
    for true, shown in zip(cells, published[:-1], strict=True):
        lo, hi = sdc.count_interval(shown)
        assert lo <= true <= hi


def test_rates_and_means_need_n_of_ten() -> None:
    raw = pd.DataFrame({"offered": [9, 200, 200], "answer_rate": [0.5, 0.5, 0.98], "asa_s": [5.0, 6.0, 7.0]},
                       index=pd.Index(["a", "b", "c"], name="group"))
    t = sdc.protect_table(raw, ["offered"], rates={"answer_rate": "offered"}, means={"asa_s": "offered"})
    assert t.display["answer_rate"].tolist() == ["–", "50%", "–"]  # 98% of 200 implies 4 unanswered
    assert t.display["asa_s"].tolist() == ["–", "6.0", "7.0"]


def test_nothing_per_counsellor_or_shift() -> None:
    for name in ("shift_id", "counsellor", "caller_token"):
        with pytest.raises(sdc.DisclosureError):
            sdc.protect_table(pd.DataFrame({"n": [10]}, index=pd.Index(["x"], name=name)), ["n"])
    with pytest.raises(sdc.DisclosureError):
        sdc.protect_table(pd.DataFrame({"shift_id": ["x"], "n": [10]}), ["n"])


def test_team_figures_need_five() -> None:
    raw = pd.DataFrame({"shifts": [4, 30], "contacts": [40, 300], "mean": [10.0, 10.0]},
                       index=pd.Index(["night", "day"], name="shift_type"))
    t = sdc.protect_team(raw, "shifts", counts=["contacts"], means={"mean": "shifts"})
    assert (t.display.loc["night"] == sdc.SECONDARY).all()
    assert t.display.loc["day", "contacts"] == "300"


def test_undeclared_columns_never_leave() -> None:
    """Only the declared, protected column is in every rendering; the raw counts and the other column are not."""
    t = sdc.protect_table(pd.DataFrame({"n": [7, 13], "secret": [3141, 2718]}).rename_axis("group"), ["n"])
    assert "secret" not in t.display.columns and "secret" not in t.values.columns
    assert str(t).split("\n\n")[0].split() == ["n", "group", "0", "<10", "1", "15"]
    assert t.to_markdown().splitlines()[:4] == ["| group | n |", "| --- | --- |", "| 0 | <10 |", "| 1 | 15 |"]
    for rendering in (str(t), t.to_markdown(), t._repr_html_()):
        for leak in ("secret", "3141", "2718", "13", "7"):
            assert leak not in rendering, leak
        assert t.note in rendering
    assert "<td>&lt;10</td>" in t._repr_html_() and "<td>15</td>" in t._repr_html_()


def test_a_rate_is_its_rounded_numerator_over_its_rounded_denominator() -> None:
    """137 of 163 is 84%, but the published 135 / 165 is 82%: the rate says no more than the counts."""
    raw = pd.DataFrame({"offered": [163], "answer_rate": [137 / 163]}, index=pd.Index(["phone"], name="channel"))
    t = sdc.protect_table(raw, ["offered"], rates={"answer_rate": "offered"})
    assert t.display["answer_rate"].tolist() == ["82%"] and t.values["answer_rate"].tolist() == [0.82]


def test_a_mean_held_by_two_contributors_is_hidden() -> None:
    """18 answered, two of them waited: the mean wait is about those two people."""
    raw = pd.DataFrame({"answered": [18, 18], "asa_s": [20.0, 20.0], "asa_s_top2": [1.0, 0.3]},
                       index=pd.Index(["night", "day"], name="block"))
    t = sdc.protect_table(raw, ["answered"], means={"asa_s": "answered"}, dominance={"asa_s": "asa_s_top2"})
    assert t.display["asa_s"].tolist() == ["–", "20.0"]


def test_the_guard_reads_row_labels_not_only_names() -> None:
    """A per-shift table passes no name check once its index is unnamed; its labels still give it away."""
    per_shift = pd.DataFrame({"contacts": [12, 15]}, index=pd.Index(["sh-3f9a0c21de", "sh-77b0e1a9c4"]))
    with pytest.raises(sdc.DisclosureError, match="identifier"):
        sdc.protect_table(per_shift, ["contacts"])
    with pytest.raises(sdc.DisclosureError, match="no label"):
        sdc.protect_table(per_shift.reset_index(drop=True), ["contacts"])
    with pytest.raises(sdc.DisclosureError, match="identifier"):
        sdc.protect_table(pd.DataFrame({"who": ["Kati_Kask1"], "n": [10]}, index=pd.Index(["x"], name="g")), ["n"])
    ok = pd.DataFrame({"n": [10, 20]}, index=pd.Index(["2026-10", "2026-11"], name="month"))
    assert sdc.protect_table(ok, ["n"]).display["n"].tolist() == ["10", "20"]
    ok = pd.DataFrame({"n": [10, 20]}, index=pd.Index(["domestic-violence", "child-abuse"], name="need"))
    assert sdc.protect_table(ok, ["n"]).display["n"].tolist() == ["10", "20"]


def test_planning_figures_are_rounded() -> None:
    raw = pd.DataFrame({"needed": [3.4167], "mae": [179.399]}, index=pd.Index(["holt_winters"], name="model"))
    t = sdc.protect_table(raw, plan=["needed"], estimates=["mae"])
    assert t.display.iloc[0].tolist() == ["3", "180"]
    grid = sdc.protect_plan(pd.DataFrame([[2.6, 1.2]], index=pd.Index([0], name="weekday")))
    assert grid.display.iloc[0].tolist() == ["3", "1"]
