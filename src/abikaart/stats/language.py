"""Language demand: share and trend per language and hour, and the Russian- and English-speaking
counsellors needed."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from abikaart.stats import staffing, taxonomy
from abikaart.stats.kpi import with_calendar


def language_counts(df: pd.DataFrame, by: str = "month") -> pd.DataFrame:
    """Contacts per `by` (month, hour, weekday, channel) and language; every language is a column."""
    d = with_calendar(df)
    table = pd.crosstab(d[by], d["language"])
    return table.reindex(columns=list(taxonomy.LANGUAGES), fill_value=0)


def language_share(df: pd.DataFrame, by: str = "month") -> pd.DataFrame:
    """Share of each language within each `by` group (rows sum to 1)."""
    counts = language_counts(df, by)
    totals = counts.sum(axis=1)
    return counts.div(totals.where(totals > 0), axis=0)


def language_trend(df: pd.DataFrame) -> pd.DataFrame:
    """Per language: first and last month's share and the least-squares slope in points per month."""
    counts = language_counts(df, "month")
    share = counts.div(counts.sum(axis=1), axis=0)
    x = np.arange(len(share), dtype=float)
    rows = []
    for lang in share.columns:
        y = share[lang].to_numpy(dtype=float)
        slope = float(np.polyfit(x, y, 1)[0]) if len(x) >= 2 else float("nan")
        rows.append({"language": lang, "contacts": int(counts[lang].sum()), "months": len(x),
                     "first_share": float(y[0]) if len(y) else float("nan"),
                     "last_share": float(y[-1]) if len(y) else float("nan"),
                     "slope_pp_per_month": 100 * slope})
    return pd.DataFrame(rows).set_index("language")


def speakers_needed(df: pd.DataFrame, roster: pd.DataFrame | None = None,
                    groups: Sequence[str] = ("ru", "en"),
                    cfg: staffing.StaffingConfig | None = None) -> pd.DataFrame:
    """Speakers needed on duty per hour of day for each language group (max over weekdays), the roster
    (min over weekdays) and `hours_short`: how many of the 7 weekdays at that hour the roster is short."""
    frames = []
    for group in groups:
        t = staffing.language_staffing(df, group, roster, cfg)
        agg = {"needed": "max", "contacts_per_hour": "mean"}
        if "roster" in t:
            t["hours_short"] = (t["gap"] < 0).astype(int)
            agg |= {"roster": "min", "hours_short": "sum"}
        by_hour = t.groupby("hour").agg(agg)
        by_hour.columns = [f"{group}_{c}" for c in by_hour.columns]
        frames.append(by_hour)
    return pd.concat(frames, axis=1)
