"""Readable, labelled charts in Estonian, Russian or English (words from labels.yaml); they accept only
protected tables."""

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
from matplotlib.ticker import ScalarFormatter

from abikaart.stats import labels, taxonomy
from abikaart.stats.disclosure import ProtectedTable


def text(key: str, lang: str = "et", **values: object) -> str:
    """Chart text in the report's language (et, ru, en) from the label file; a missing key is a KeyError."""
    return labels.text("charts", key, lang, **values)


def series_label(column: str, lang: str) -> str:
    """A legend entry in words: the chart label, else the table header, else the taxonomy's name."""
    if labels.has("charts", column):
        return text(column, lang)
    if labels.has("columns", column):
        return labels.column(column, lang)
    return taxonomy.label(column, lang)


def _tick_labels(codes: Sequence[object], lang: str) -> list[str]:
    """Translate code labels (channels, languages, outcomes) for ticks and legends."""
    return [labels.value(v, lang) if labels.has("values", v) else taxonomy.label(str(v), lang) for v in codes]


class LocalFormatter(ScalarFormatter):
    """Matplotlib's choice of tick values, written as the report's language writes numbers (`labels.number`)."""

    def __init__(self, lang: str) -> None:
        super().__init__(useOffset=False)
        self.lang = lang

    def __call__(self, x: float, pos: int | None = None) -> str:
        return labels.number(super().__call__(x, pos).replace(labels.MINUS, "-"), self.lang)


def _legend_below(ax: Axes, entries: int) -> None:
    """The legend under the axis label: inside the plot it hides bars that reach the top (shares near 100%)."""
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=min(entries, 3))


def _finish(fig: Figure, ax: Axes, title: str, xlabel: str, ylabel: str, hidden: bool, lang: str) -> Figure:
    """Common labelling: title, axis labels, grid and the disclosure note where cells are hidden."""
    ax.yaxis.set_major_formatter(LocalFormatter(lang))
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
              lang: str = "et", stacked: bool = False, percent: bool = False) -> Figure:
    """Bars of protected counts (or shares, as percent) per group; hidden cells are left empty and noted."""
    values = table.values[list(columns)]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    x = np.arange(len(values))
    width = 0.8 if stacked else 0.8 / max(len(columns), 1)
    bottom = np.zeros(len(values))
    for i, col in enumerate(columns):
        v = values[col].to_numpy(dtype=float) * (100 if percent else 1)
        label = series_label(col, lang)
        if stacked:
            ax.bar(x, np.nan_to_num(v), width, bottom=bottom, label=label)
            bottom += np.nan_to_num(v)
        else:
            ax.bar(x + (i - (len(columns) - 1) / 2) * width, v, width, label=label)
    ax.set_xticks(x, _tick_labels(list(values.index), lang), rotation=0 if len(x) <= 12 else 90)
    if len(columns) > 1:
        _legend_below(ax, len(columns))
    return _finish(fig, ax, title, xlabel, ylabel, bool(values.isna().to_numpy().any()), lang)


def line_chart(table: ProtectedTable, columns: Sequence[str], title: str, xlabel: str, ylabel: str,
               lang: str = "et", percent: bool = False) -> Figure:
    """Lines of protected values per ordered group (hours, months); gaps where hidden."""
    values = table.values[list(columns)]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    x = np.arange(len(values))
    for col in columns:
        label = series_label(col, lang)
        v = values[col].to_numpy(dtype=float) * (100 if percent else 1)
        ax.plot(x, v, marker="o", ms=3, label=label)
    step = max(1, math.ceil(len(x) / 24))
    ax.set_xticks(x[::step], [str(i) for i in list(values.index)[::step]],
                  rotation=0 if len(x[::step]) <= 12 else 90)
    if len(columns) > 1:
        _legend_below(ax, len(columns))
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
            ax.text(j, i, labels.number(f"{v:.0f}", lang), ha="center", va="center", fontsize=7)
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
