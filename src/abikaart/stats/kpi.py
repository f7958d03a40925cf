"""Key performance indicators with the definitions large crisis lines publish.

Definitions (live channels: phone, chat, video; e-mail is reported separately as % answered within N hours):

* offered      every contact that reached the queue (abandons shorter than `short_abandon_s` excluded)
* answered     contacts a counsellor took; callback = a requested call-back, counted as offered only
* answer rate  answered / offered; abandon rate = abandoned / offered
* ASA          average speed of answer: mean queue wait of answered contacts
* service level answered within `sl_seconds` / offered (the strict form: abandons count against it)
* AHT          average handle time: mean of handle time + after-contact work of answered contacts
* asa_s_top2, aht_s_top2  share of the mean's sum held by its two largest contributions (disclosure control)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

LIVE_CHANNELS: tuple[str, ...] = ("phone", "chat", "video")
KPI_COLUMNS = ("offered", "answered", "abandoned", "callback", "answer_rate", "abandon_rate",
               "asa_s", "service_level", "aht_s", "talk_s")
COUNT_COLUMNS = ("offered", "answered", "abandoned", "callback")


def with_calendar(df: pd.DataFrame) -> pd.DataFrame:
    """Add local calendar keys (date, month, weekday 0=Mon, hour, hour of week) used for grouping."""
    if "hour" in df.columns and "how" in df.columns:
        return df
    t = df["start_time"].dt
    out = df.copy()
    out["date"] = t.date
    out["month"] = t.strftime("%Y-%m")
    out["weekday"] = t.day_of_week.astype("int64")
    out["hour"] = t.hour.astype("int64")
    out["how"] = out["weekday"] * 24 + out["hour"]
    return out


def in_period(df: pd.DataFrame, period: str) -> pd.DataFrame:
    """Contacts whose local start falls in `period` ('2026-10' month, '2026-Q4' quarter or '2026' year)."""
    t = df["start_time"].dt
    if "Q" in period:
        year, q = period.split("-Q")
        mask = (t.year == int(year)) & (t.quarter == int(q))
    elif "-" in period:
        year, month = period.split("-")
        mask = (t.year == int(year)) & (t.month == int(month))
    else:
        mask = t.year == int(period)
    out: pd.DataFrame = df[mask.to_numpy()]
    return out


def _keys(by: str | Sequence[str] | None) -> list[str]:
    """Normalise a grouping argument to a list of column names."""
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def kpi_table(df: pd.DataFrame, by: str | Sequence[str] | None = None, sl_seconds: float = 20.0,
              short_abandon_s: float = 0.0, channels: Sequence[str] | None = LIVE_CHANNELS) -> pd.DataFrame:
    """KPIs overall or by any of channel, hour, weekday, month, language, need (one row per group)."""
    keys = _keys(by)
    if any(k in ("hour", "weekday", "month", "date", "how") for k in keys):
        df = with_calendar(df)
    if channels is not None:
        df = df[df["channel"].isin(list(channels)).to_numpy()]
    outcome = df["outcome"].to_numpy()
    wait = df["wait_s"].to_numpy(dtype=float)
    answered = outcome == "answered"
    short = (outcome == "abandoned") & (wait < short_abandon_s)
    handle = np.nan_to_num(df["handle_s"].to_numpy(dtype=float))
    acw = np.nan_to_num(df["acw_s"].to_numpy(dtype=float))
    parts = pd.DataFrame({
        "offered": ~short,
        "answered": answered,
        "abandoned": (outcome == "abandoned") & ~short,
        "callback": outcome == "callback",
        "within": answered & (wait <= sl_seconds),
        "wait_sum": np.where(answered, wait, 0.0),
        "work_sum": np.where(answered, handle + acw, 0.0),
        "talk_sum": np.where(answered, handle, 0.0),
    }, index=df.index)
    if keys:
        for k in keys:  # a contact without a code is a group of its own, so the groups add up to the total
            col = df[k]
            parts[k] = col.to_numpy() if pd.api.types.is_numeric_dtype(col) else (
                col.astype(object).where(col.notna(), "unknown").to_numpy())
        sums = parts.groupby(keys, sort=True, observed=True).sum()
    else:
        sums = parts.sum().to_frame("all").T
    out = _ratios(sums)
    for mean_col, sum_col in (("asa_s", "wait_sum"), ("aht_s", "work_sum")):
        top = _top_two(parts, keys, sum_col).reindex(out.index)
        total = sums[sum_col].where(sums[sum_col] > 0)
        out[f"{mean_col}_top2"] = (top.to_numpy() / total.to_numpy()) if len(out) else []
    return out


def _top_two(parts: pd.DataFrame, keys: list[str], col: str) -> pd.Series:
    """Sum of the two largest contributions to `col` per group: a mean they dominate says who they are."""
    ordered = parts.sort_values(col, ascending=False, kind="stable")
    if not keys:
        return pd.Series([float(ordered[col].head(2).sum())], index=["all"])
    top: pd.Series = ordered.groupby(keys, sort=True, observed=True).head(2).groupby(
        keys, sort=True, observed=True)[col].sum()
    return top


def _ratios(sums: pd.DataFrame) -> pd.DataFrame:
    """Turn summed parts into counts and ratios; a ratio with a zero denominator is NaN, not 0."""
    out = pd.DataFrame(index=sums.index)
    for col in COUNT_COLUMNS:
        out[col] = sums[col].astype("int64")
    offered = sums["offered"].where(sums["offered"] > 0)
    answered = sums["answered"].where(sums["answered"] > 0)
    out["answer_rate"] = sums["answered"] / offered
    out["abandon_rate"] = sums["abandoned"] / offered
    out["asa_s"] = sums["wait_sum"] / answered
    out["service_level"] = sums["within"] / offered
    out["aht_s"] = sums["work_sum"] / answered
    out["talk_s"] = sums["talk_sum"] / answered
    return out


def email_response(df: pd.DataFrame, by: str | Sequence[str] | None = "month",
                   within_hours: Sequence[float] = (4, 24)) -> pd.DataFrame:
    """E-mail is a backlog, not a queue: received, and share with a first reply within N hours."""
    keys = _keys(by)
    mail = with_calendar(df[(df["channel"] == "email").to_numpy()])
    replied = mail["outcome"].isin(["answered", "callback"]).to_numpy()
    parts = pd.DataFrame({"received": np.ones(len(mail), dtype="int64")}, index=mail.index)
    for h in within_hours:
        parts[f"within_{h:g}h"] = replied & (mail["wait_s"].to_numpy() <= h * 3600)
    for k in keys:
        parts[k] = mail[k].to_numpy()
    sums = parts.groupby(keys).sum() if keys else parts.sum().to_frame("all").T
    out = pd.DataFrame({"received": sums["received"].astype("int64")}, index=sums.index)
    for h in within_hours:
        out[f"share_within_{h:g}h"] = sums[f"within_{h:g}h"] / sums["received"].where(sums["received"] > 0)
    return out


def daily_counts(df: pd.DataFrame, channels: Sequence[str] | None = None) -> pd.Series:
    """Contacts offered per local calendar day (missing days filled with 0), for trend and forecast."""
    if channels is not None:
        df = df[df["channel"].isin(list(channels)).to_numpy()]
    days = df["start_time"].dt.tz_localize(None).dt.normalize()
    counts = days.value_counts().sort_index()
    if counts.empty:
        empty: pd.Series = counts.astype("int64")
        return empty
    full = pd.date_range(counts.index.min(), counts.index.max(), freq="D")
    filled: pd.Series = counts.reindex(full, fill_value=0).astype("int64").rename("contacts")
    return filled
