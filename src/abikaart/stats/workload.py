"""Workload and self-care, per pseudonymous shift and never per named person.

Per shift: contacts, high-risk contacts, the longest run of difficult contacts without a break, after-contact
work and whether it was a night shift.  Only team aggregates (over >= 5 shifts) leave a notebook.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from abikaart.stats import taxonomy


@dataclass(frozen=True)
class WorkloadRules:
    """Thresholds for patterns supervision should look at; agree them with the supervisors."""

    break_minutes: float = 10.0
    many_contacts: int = 22
    many_high_risk: int = 4
    consecutive_difficult: int = 4
    heavy_acw_share: float = 0.4


def shift_type(hour: pd.Series) -> pd.Series:
    """Night (22-06), day (06-14) or evening (14-22), from the hour the shift's first contact started."""
    h = hour.to_numpy()
    kind = np.where((h >= 22) | (h < 6), "night", np.where(h < 14, "day", "evening"))
    return pd.Series(kind, index=hour.index)


def shift_summary(df: pd.DataFrame, rules: WorkloadRules | None = None,
                  difficult_needs: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per shift: contacts, high-risk, longest difficult run without a break, ACW, night flag.

    A contact is difficult if it is high risk, or medium risk about an urgent need.
    """
    rules = rules or WorkloadRules()
    hard = set(difficult_needs) if difficult_needs is not None else set(taxonomy.urgent_needs())
    d = df[df["shift_id"].notna().to_numpy() & df["handle_s"].notna().to_numpy()].copy()
    d["answer"] = d["start_time"] + pd.to_timedelta(d["wait_s"], unit="s")
    d = d.sort_values(["shift_id", "answer"], kind="stable")
    d["end"] = d["answer"] + pd.to_timedelta(d["handle_s"] + d["acw_s"].fillna(0), unit="s")
    high = (d["risk_level"] == "high").to_numpy()
    difficult = high | (d["need"].isin(list(hard)) & (d["risk_level"] == "medium")).to_numpy()
    new_shift = (d["shift_id"] != d["shift_id"].shift()).to_numpy()
    gap_min = ((d["answer"] - d["end"].shift()).dt.total_seconds() / 60).to_numpy()
    rested = new_shift | ~(gap_min < rules.break_minutes)
    prev_difficult = np.roll(difficult, 1)
    starts_run = difficult & (rested | ~prev_difficult)
    run_id = np.cumsum(starts_run)
    run_len = pd.Series(np.where(difficult, 1, 0)).groupby(np.where(difficult, run_id, -1)).transform("sum")
    d["run"] = np.where(difficult, run_len.to_numpy(), 0)
    d["high"] = high
    d["hour0"] = d["start_time"].dt.hour
    g = d.groupby("shift_id", sort=False)
    out = pd.DataFrame({
        "start": g["start_time"].min(),
        "contacts": g.size(),
        "high_risk": g["high"].sum(),
        "max_difficult_run": g["run"].max(),
        "handle_s": g["handle_s"].sum(),
        "acw_s": g["acw_s"].sum(),
        "first_hour": g["hour0"].first(),
    })
    out["shift_type"] = shift_type(out["first_hour"])
    out["night"] = out["shift_type"] == "night"
    out["month"] = out["start"].dt.strftime("%Y-%m")
    out["acw_share"] = out["acw_s"] / (out["handle_s"] + out["acw_s"]).where(lambda s: s > 0)
    return flag_shifts(out.drop(columns=["first_hour"]), rules)


def flag_shifts(summary: pd.DataFrame, rules: WorkloadRules | None = None) -> pd.DataFrame:
    """Add the flags supervision looks at: many contacts, many high-risk, long difficult runs, heavy ACW."""
    rules = rules or WorkloadRules()
    out = summary.copy()
    out["flag_many_contacts"] = out["contacts"] >= rules.many_contacts
    out["flag_many_high_risk"] = out["high_risk"] >= rules.many_high_risk
    out["flag_difficult_run"] = out["max_difficult_run"] >= rules.consecutive_difficult
    out["flag_heavy_acw"] = out["acw_share"] >= rules.heavy_acw_share
    flags = [c for c in out.columns if c.startswith("flag_")]
    out["flag_any"] = out[flags].any(axis=1)
    return out


FLAG_COLUMNS = ("flag_many_contacts", "flag_many_high_risk", "flag_difficult_run", "flag_heavy_acw", "flag_any")


def team_workload(summary: pd.DataFrame, by: str | Sequence[str] = "shift_type") -> pd.DataFrame:
    """Team aggregates: shifts, mean contacts and high-risk per shift, flagged shifts (counts and shares)."""
    keys = [by] if isinstance(by, str) else list(by)
    g = summary.groupby(keys)
    out = pd.DataFrame({
        "shifts": g.size(),
        "contacts": g["contacts"].sum(),
        "high_risk": g["high_risk"].sum(),
        "mean_contacts": g["contacts"].mean(),
        "mean_high_risk": g["high_risk"].mean(),
        "mean_acw_pct": 100 * g["acw_share"].mean(),  # in percent: a mean keeps one decimal
    })
    for flag in FLAG_COLUMNS:
        out[flag] = g[flag].sum().astype("int64")
        out[f"share_{flag[5:]}"] = out[flag] / out["shifts"]
    return out


def night_share(summary: pd.DataFrame, by: str = "month") -> pd.DataFrame:
    """Share of shifts that are night shifts, per month: a sustainability signal for the whole team."""
    g = summary.groupby(by)
    return pd.DataFrame({"shifts": g.size(), "night_shifts": g["night"].sum().astype("int64"),
                         "night_share": g["night"].mean()})
