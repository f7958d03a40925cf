"""Readable, labelled charts in Estonian with English variants; they accept only protected tables."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from abikaart.stats import labels, taxonomy
from abikaart.stats.disclosure import ProtectedTable

TEXT: dict[str, tuple[str, str]] = {
    "contacts": ("Pöördumisi", "Contacts"),
    "hour": ("Tund", "Hour of day"),
    "weekday": ("Nädalapäev", "Weekday"),
    "month": ("Kuu", "Month"),
    "week": ("Nädal", "Week"),
    "counsellors": ("Nõustajaid", "Counsellors"),
    "needed": ("Vajalik", "Needed"),
    "roster": ("Praegune graafik", "Current roster"),
    "gap": ("Graafik miinus vajadus", "Roster minus need"),
    "share": ("Osakaal", "Share"),
    "abandoned": ("Katkestatud", "Abandoned"),
    "outside_hours": ("Väljaspool tööaega", "Outside staffed hours"),
    "repeat_after_abandon": ("Uus pöördumine pärast katkestust", "Repeat after abandonment"),
    "forecast": ("Prognoos", "Forecast"),
    "history": ("Tegelik", "Actual"),
    "interval": ("80% vahemik", "80% interval"),
    "hidden": ("<10 ei näidata", "<10 not shown"),
    "flagged": ("Tähelepanu vajavad vahetused", "Shifts to look at"),
    "service_level": ("Teenindustase", "Service level"),
    "answer_rate": ("Vastamise määr", "Answer rate"),
    "observed_sl": ("Tegelik teenindustase", "Observed service level"),
    "predicted_sl": ("Erlangi prognoos graafikule", "Erlang prediction for the roster"),
    "backtest": ("Mudeli kontroll: 20 s jooksul vastatud", "Model check: answered within 20 s"),
    "block": ("Vahetus", "Shift block"),
}


def text(key: str, lang: str = "et") -> str:
    """Chart text in the report's language: the label file (et, ru, en) first, then the older et/en pairs."""
    if labels.has("charts", key):
        return labels.text("charts", key, lang)
    pair = TEXT.get(key, (key, key))
    return pair[0] if lang == "et" else pair[1]


def _tick_labels(codes: Sequence[object], lang: str) -> list[str]:
    """Translate code labels (channels, languages, outcomes) for ticks and legends."""
    return [labels.value(v, lang) if labels.has("values", v) else taxonomy.label(str(v), lang) for v in codes]


def _finish(fig: Figure, ax: Axes, title: str, xlabel: str, ylabel: str, hidden: bool, lang: str) -> Figure:
    """Common labelling: title, axis labels, grid and the disclosure note where cells are hidden."""
    ax.set_title(title, fontsize=13, loc="left")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    if hidden:
        fig.text(0.99, 0.01, text("hidden", lang), ha="right", va="bottom", fontsize=8, color="#555")
    fig.tight_layout()
    return fig


def bar_chart(table: ProtectedTable, columns: Sequence[str], title: str, xlabel: str, ylabel: str,
              lang: str = "et", stacked: bool = False) -> Figure:
    """Bars of protected counts per group; hidden cells are left empty and noted."""
    values = table.values[list(columns)]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    x = np.arange(len(values))
    width = 0.8 if stacked else 0.8 / max(len(columns), 1)
    bottom = np.zeros(len(values))
    for i, col in enumerate(columns):
        v = values[col].to_numpy(dtype=float)
        label = text(col, lang) if col in TEXT or labels.has("charts", col) else taxonomy.label(col, lang)
        if stacked:
            ax.bar(x, np.nan_to_num(v), width, bottom=bottom, label=label)
            bottom += np.nan_to_num(v)
        else:
            ax.bar(x + (i - (len(columns) - 1) / 2) * width, v, width, label=label)
    ax.set_xticks(x, _tick_labels(list(values.index), lang), rotation=0 if len(x) <= 12 else 90)
    if len(columns) > 1:
        ax.legend(frameon=False)
    return _finish(fig, ax, title, xlabel, ylabel, bool(values.isna().to_numpy().any()), lang)


def line_chart(table: ProtectedTable, columns: Sequence[str], title: str, xlabel: str, ylabel: str,
               lang: str = "et", percent: bool = False) -> Figure:
    """Lines of protected values per ordered group (hours, months); gaps where hidden."""
    values = table.values[list(columns)]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    x = np.arange(len(values))
    for col in columns:
        label = text(col, lang) if col in TEXT or labels.has("charts", col) else taxonomy.label(col, lang)
        v = values[col].to_numpy(dtype=float) * (100 if percent else 1)
        ax.plot(x, v, marker="o", ms=3, label=label)
    step = max(1, math.ceil(len(x) / 24))
    ax.set_xticks(x[::step], [str(i) for i in list(values.index)[::step]],
                  rotation=0 if len(x[::step]) <= 12 else 90)
    if len(columns) > 1:
        ax.legend(frameon=False)
    return _finish(fig, ax, title, xlabel, ylabel, bool(values.isna().to_numpy().any()), lang)


def heatmap(table: ProtectedTable, title: str, lang: str = "et", diverging: bool = False,
            label: str = "counsellors") -> Figure:
    """Weekday x hour heatmap of protected values, numbers written in the cells."""
    values = table.values.to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(12, 3.8))
    if diverging:
        lim = max(1.0, float(np.nanmax(np.abs(values))) if np.isfinite(values).any() else 1.0)
        im = ax.imshow(values, aspect="auto", cmap="RdBu", vmin=-lim, vmax=lim)
    else:
        im = ax.imshow(values, aspect="auto", cmap="YlOrRd")
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=7)
    ax.set_yticks(range(values.shape[0]), text("weekdays", lang).split()[:values.shape[0]])
    ax.set_xticks(range(values.shape[1]), [str(h) for h in range(values.shape[1])])
    fig.colorbar(im, ax=ax, label=text(label, lang), fraction=0.025)
    ax.set_title(title, fontsize=13, loc="left")
    ax.set_xlabel(text("hour", lang))
    fig.tight_layout()
    return fig


def forecast_chart(history: ProtectedTable, forecast: ProtectedTable, title: str, lang: str = "et") -> Figure:
    """Weekly history and forecast with its interval."""
    fig, ax = plt.subplots(figsize=(9, 4.5))
    h, f = history.values, forecast.values
    ax.plot(h.index, h["contacts"], color="#1f4e79", label=text("history", lang))
    ax.plot(f.index, f["forecast"], color="#c55a11", label=text("forecast", lang))
    ax.fill_between(f.index, f["lower"], f["upper"], color="#c55a11", alpha=0.2, label=text("interval", lang))
    ax.legend(frameon=False)
    fig.autofmt_xdate()
    return _finish(fig, ax, title, text("week", lang), text("contacts", lang), False, lang)


def save(fig: Figure, path: Path, formats: Sequence[str] = ("svg",)) -> list[Path]:
    """Write a figure in each format and close it (notebooks make many)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        target = path.with_suffix(f".{fmt}")
        fig.savefig(target, dpi=120, metadata={"Date": None} if fmt == "svg" else None)
        written.append(target)
    plt.close(fig)
    return written
