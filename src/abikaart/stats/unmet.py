"""Unmet demand: abandoned contacts, contacts outside staffed hours and repeat contacts after abandonment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from abikaart.stats.kpi import LIVE_CHANNELS, with_calendar


def repeat_after_abandon(df: pd.DataFrame, window_h: float = 24.0) -> pd.Series:
    """True for abandoned contacts whose caller (same keyed token) came back within `window_h` hours."""
    order = df.sort_values(["caller_token", "start_time"], kind="stable")
    token = order["caller_token"]
    nxt_token = token.shift(-1)
    gap = (order["start_time"].shift(-1) - order["start_time"]).dt.total_seconds()
    flag = ((order["outcome"] == "abandoned") & token.notna() & (nxt_token == token)
            & (gap <= window_h * 3600)).fillna(False)
    return flag.reindex(df.index).astype(bool)


def outside_staffed_hours(df: pd.DataFrame, roster: pd.DataFrame) -> pd.Series:
    """True for live contacts arriving when their channel was closed or nobody was rostered."""
    d = with_calendar(df)
    grid = roster.set_index(["weekday", "hour"]).sort_index()
    how = d["how"].to_numpy()
    staff = grid["counsellors"].to_numpy()[how] > 0
    chat_open = grid["chat_open"].to_numpy(dtype=bool)[how]
    video_open = grid["video_open"].to_numpy(dtype=bool)[how]
    channel = d["channel"].to_numpy()
    closed = ~staff | ((channel == "chat") & ~chat_open) | ((channel == "video") & ~video_open)
    return pd.Series(closed & np.isin(channel, LIVE_CHANNELS), index=df.index)


def unmet_table(df: pd.DataFrame, roster: pd.DataFrame, by: str = "hour", window_h: float = 24.0) -> pd.DataFrame:
    """Per `by` group: live contacts offered, abandoned, outside staffed hours, and repeats after abandonment."""
    live = df[df["channel"].isin(list(LIVE_CHANNELS)).to_numpy()]
    d = with_calendar(live)
    parts = pd.DataFrame({
        "offered": np.ones(len(d), dtype="int64"),
        "abandoned": (d["outcome"] == "abandoned").to_numpy(),
        "outside_hours": outside_staffed_hours(live, roster).to_numpy(),
        "repeat_after_abandon": repeat_after_abandon(live, window_h).to_numpy(),
        by: d[by].to_numpy(),
    })
    sums = parts.groupby(by).sum().astype("int64")
    sums["unmet_share"] = sums["abandoned"] / sums["offered"].where(sums["offered"] > 0)
    return sums
