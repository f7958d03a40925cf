"""Protected views the notebooks show: each function loads or computes and returns disclosure-controlled
tables, so notebooks stay thin and everything they print has passed disclosure control."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from abikaart.stats import contract, kpi, synth
from abikaart.stats.audit import Publication
from abikaart.stats.disclosure import (
    DEFAULT,
    TOTAL,
    DisclosureConfig,
    ProtectedTable,
    protect_plan,
    protect_table,
)

KPI_RATES = {"answer_rate": "offered", "abandon_rate": "offered", "service_level": "offered"}
KPI_MEANS = {"asa_s": "answered", "aht_s": "answered"}
KPI_NUMERATORS = {"answer_rate": "answered", "abandon_rate": "abandoned"}
KPI_DOMINANCE = {"asa_s": "asa_s_top2", "aht_s": "aht_s_top2"}


@dataclass
class Inputs:
    """Everything a notebook needs: all contacts, those in the period, recent history and the roster."""

    contacts: pd.DataFrame
    period: pd.DataFrame
    history: pd.DataFrame
    roster: pd.DataFrame
    start: pd.Timestamp
    end: pd.Timestamp


def period_bounds(period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Local start (inclusive) and end (exclusive) of a YYYY-MM month."""
    start = pd.Timestamp(f"{period}-01").tz_localize(contract.TZ)
    return start, (start + pd.offsets.MonthBegin(1))


def previous_period(period: str) -> str:
    """The month before a YYYY-MM month, as YYYY-MM."""
    return (pd.Period(period, freq="M") - 1).strftime("%Y-%m")


def cut(df: pd.DataFrame, period: str, roster: pd.DataFrame, history_weeks: int = 12) -> Inputs:
    """The month and the `history_weeks` weeks up to its end out of validated contacts (empty if none)."""
    start, end = period_bounds(period)
    t = df["start_time"]
    month = df[((t >= start) & (t < end)).to_numpy()]
    history = df[((t >= end - pd.Timedelta(weeks=history_weeks)) & (t < end)).to_numpy()]
    return Inputs(df, month, history, roster, start, end)


def load_inputs(data_path: str | Path, period: str, roster_path: str | Path | None = None,
                history_weeks: int = 12) -> Inputs:
    """Load and validate the data, cut out the month and the `history_weeks` weeks up to its end."""
    inputs = cut(contract.load_contacts(data_path), period, synth.load_roster(roster_path), history_weeks)
    if inputs.period.empty:
        raise ValueError(f"{data_path}: no contacts in {period}")
    return inputs


def kpis(df: pd.DataFrame, by: str | Sequence[str], cfg: DisclosureConfig = DEFAULT,
         sl_seconds: float = 20.0) -> ProtectedTable:
    """KPI table by a dimension with an independently rounded total row."""
    table = kpi.kpi_table(df, by, sl_seconds=sl_seconds)
    overall = kpi.kpi_table(df, None, sl_seconds=sl_seconds).iloc[0]
    return protect_table(table, kpi.COUNT_COLUMNS, KPI_RATES, KPI_MEANS, total=overall, cfg=cfg,
                         numerators=KPI_NUMERATORS, dominance=KPI_DOMINANCE)


def grid(table: pd.DataFrame, column: str) -> ProtectedTable:
    """A weekday x hour grid of one planning column of a staffing table."""
    wide = table.pivot(index="weekday", columns="hour", values=column)
    return protect_plan(wide)


def figure_path(output_dir: str | Path, name: str) -> Path:
    """Where a notebook's chart goes: OUTPUT_DIR/figures/NAME."""
    return Path(output_dir) / "figures" / name


SUPERVISION_DIMENSIONS = ("channel", "language", "need", "weekday", "hour")
OFFERED_PARTS = [("offered", ["answered", "abandoned", "callback"])]


def supervision_publication(month: pd.DataFrame, earlier: Publication | None = None,
                            span: pd.DataFrame | None = None, cfg: DisclosureConfig = DEFAULT) -> Publication:
    """Every KPI table of the monthly supervision report, audited together and secured.

    Identities: each table's groups add up to its total row, offered = answered + abandoned + callback on
    every line, and every table's total is the same month.  `earlier` is last month's publication (already
    out, so frozen); with `span` (contacts of both months) a by-month table ties the two months together.
    """
    pub = Publication(cfg)
    for dim in SUPERVISION_DIMENSIONS:
        pub.add(dim, kpis(month, dim, cfg), total_row=True, row_identities=OFFERED_PARTS)
    for dim in SUPERVISION_DIMENSIONS[1:]:
        for col in kpi.COUNT_COLUMNS:
            pub.same((dim, TOTAL, col), ("channel", TOTAL, col))
    if earlier is not None:
        pub.freeze(earlier)
        if span is not None:
            by_month = pub.add("month", kpis(span, "month", cfg), total_row=True, row_identities=OFFERED_PARTS)
            first, second = list(by_month.values.index)[:2]
            for col in kpi.COUNT_COLUMNS:
                pub.same(("month", first, col), ("earlier:channel", TOTAL, col))
                pub.same(("month", second, col), ("channel", TOTAL, col))
    pub.secure()
    return pub
