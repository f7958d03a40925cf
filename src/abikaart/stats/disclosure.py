"""Statistical disclosure control for every table and chart that leaves a notebook.

Default rule, as national statistics offices use for small health counts: 0 stays 0, 1-9 is shown as "<10",
10 and above are rounded to the nearest 5, and totals are rounded independently from the raw sums, so a
hidden cell cannot be recovered by subtracting the other cells from the total.  Rates and means are shown
only where their denominator n >= 10, and a rate is hidden if it implies a numerator (or complement) of 1-9.
A published rate is the ratio of the rounded numerator to the rounded denominator, to a whole percent, so
a rate beside its count says nothing the counts do not; a chart draws exactly these values.  A mean needs
n >= 10 contributors and the largest two may hold at most `dominance` of its sum.  Nothing is published per
counsellor (or per shift, contact or caller): the guard looks at the row labels themselves, not only at
column names.  Planning figures are rounded too.  After rounding, every line with a total is audited by
interval arithmetic here; `abikaart.stats.audit` then audits a whole report's tables together with the
identities between them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

SUPPRESSED = "<10"
SECONDARY = "[c]"
TOTAL = "kokku / total"


@dataclass(frozen=True)
class DisclosureConfig:
    """The disclosure rule; change it only with the data protection officer's agreement."""

    threshold: int = 10
    base: int = 5
    min_n: int = 10
    min_team: int = 5
    forbidden: tuple[str, ...] = ("shift_id", "contact_id", "caller_token", "counsellor", "counsellor_id")
    dominance: float = 0.6

    @property
    def small_label(self) -> str:
        """How a small count is shown, e.g. '<10'."""
        return f"<{self.threshold}"


DEFAULT = DisclosureConfig()


class DisclosureError(ValueError):
    """Raised when a table would publish something the rules forbid (e.g. per counsellor)."""


def round_count(n: float, cfg: DisclosureConfig = DEFAULT) -> float:
    """Published value of a count: 0, NaN for 1..threshold-1 (shown '<10'), else nearest multiple of base."""
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return math.nan
    if n < 0:
        raise ValueError("counts cannot be negative")
    if n == 0:
        return 0.0
    if n < cfg.threshold:
        return math.nan
    return float(cfg.base * math.floor(n / cfg.base + 0.5))


def round_counts(values: pd.Series | np.ndarray, cfg: DisclosureConfig = DEFAULT) -> np.ndarray:
    """Vectorised round_count."""
    v = np.asarray(values, dtype=float)
    out = cfg.base * np.floor(v / cfg.base + 0.5)
    out = np.where((v > 0) & (v < cfg.threshold), np.nan, out)
    return np.where(v == 0, 0.0, out)


def count_interval(published: float, cfg: DisclosureConfig = DEFAULT) -> tuple[int, int]:
    """The raw counts a published value could stand for (NaN means '<10')."""
    if math.isnan(published):
        return 1, cfg.threshold - 1
    if published == 0:
        return 0, 0
    half_down, half_up = cfg.base // 2, (cfg.base - 1) // 2
    return max(cfg.threshold, int(published) - half_down), int(published) + half_up


def recoverable_cells(cells: Sequence[float], total: float, cfg: DisclosureConfig = DEFAULT) -> list[int]:
    """Indices of hidden cells whose raw value is pinned to one number by the published cells and total."""
    if math.isnan(total):
        return []
    bounds = [count_interval(c, cfg) for c in cells]
    t_lo, t_hi = count_interval(total, cfg)
    lo_sum, hi_sum = sum(b[0] for b in bounds), sum(b[1] for b in bounds)
    pinned = []
    for i, cell in enumerate(cells):
        if not math.isnan(cell):
            continue
        lo = max(bounds[i][0], t_lo - (hi_sum - bounds[i][1]))
        hi = min(bounds[i][1], t_hi - (lo_sum - bounds[i][0]))
        if lo >= hi:
            pinned.append(i)
    return pinned


# A row label that looks like a record's identifier (a token with digits, a hash, "sh-3f9a...") rather than
# a published dimension (an hour, a channel code, a month "2026-10", a date "2026-10-05").
_ID_LIKE = re.compile(r"^(?=.*\d)(?=.*[A-Za-z_])[A-Za-z0-9_\-]{6,}$|^[0-9a-f]{8,}$")
_PERIOD = re.compile(r"^\d{4}(-(\d{2}|Q\d|W\d{2}))?(-\d{2})?$")


def looks_like_identifier(value: object) -> bool:
    """True for a label that names one record (shift, contact, caller) instead of a group."""
    text = str(value)
    return not _PERIOD.match(text) and bool(_ID_LIKE.match(text))


def _check_allowed(table: pd.DataFrame, cfg: DisclosureConfig) -> None:
    """Refuse tables keyed or labelled by counsellor, shift, contact or caller, by name or by their labels."""
    names = [str(n) for n in table.index.names if n is not None] + [str(c) for c in table.columns]
    bad = [n for n in names if n.lower() in cfg.forbidden]
    if bad:
        raise DisclosureError(f"nothing may be published per {', '.join(bad)}")
    labels = [v for level in range(table.index.nlevels) for v in table.index.get_level_values(level)]
    labels += [v for c in table.columns if not pd.api.types.is_numeric_dtype(table[c]) for v in table[c]]
    if any(isinstance(v, str) and looks_like_identifier(v) for v in labels):
        raise DisclosureError("rows or cells are labelled by something that looks like a record's identifier "
                              "(a shift, contact or caller): publish groups, not records")
    if (isinstance(table.index, pd.RangeIndex) and table.index.name is None and len(table) > 1):
        raise DisclosureError("the rows have no label: name the published dimension (hour, channel, ...) so "
                              "a table of single records cannot pass unnoticed")


@dataclass
class ProtectedTable:
    """A table that has passed disclosure control: numeric values (NaN = hidden) and their display form."""

    values: pd.DataFrame
    display: pd.DataFrame
    note: str
    counts: tuple[str, ...] = ()
    rate_parts: dict[str, tuple[str | None, str]] | None = None

    def __str__(self) -> str:
        """Plain-text rendering, with the disclosure note underneath."""
        return f"{self.display.to_string()}\n\n{self.note}"

    def _repr_html_(self) -> str:
        """Notebook rendering shows only the protected display values."""
        return str(self.display.to_html()) + f"<p><small>{self.note}</small></p>"

    def to_markdown(self) -> str:
        """A GitHub-flavoured Markdown table for the internal guidance site."""
        disp = self.display.reset_index()
        header = "| " + " | ".join(str(c) for c in disp.columns) + " |"
        sep = "|" + "|".join(" --- " for _ in disp.columns) + "|"
        body = ["| " + " | ".join(str(v) for v in row) + " |" for row in disp.itertuples(index=False)]
        return "\n".join([header, sep, *body, "", f"*{self.note}*"])


def _fmt_count(v: float, cfg: DisclosureConfig, secondary: bool = False) -> str:
    """Display form of a protected count."""
    if secondary:
        return SECONDARY
    return cfg.small_label if math.isnan(v) else f"{int(v)}"


def _fmt_ratio(v: float, kind: str) -> str:
    """Display form of a protected rate (as %) or mean (one decimal)."""
    if math.isnan(v):
        return "–"
    return f"{100 * v:.0f}%" if kind == "rate" else f"{v:.1f}"


def note(cfg: DisclosureConfig = DEFAULT) -> str:
    """The disclosure note printed under every table, in Estonian and English."""
    return (f"Väikesed arvud (1–{cfg.threshold - 1}) on peidetud ({cfg.small_label}), teised ümardatud "
            f"{cfg.base} täpsusega, kokkuvõtted eraldi; määrad ja keskmised vaid kui n ≥ {cfg.min_n}. / "
            f"Counts 1–{cfg.threshold - 1} hidden ({cfg.small_label}), others rounded to {cfg.base}, totals "
            f"rounded independently; rates and means only where n ≥ {cfg.min_n}.")


def _rate_values(v: np.ndarray, n: np.ndarray, cfg: DisclosureConfig) -> np.ndarray:
    """A rate as rounded numerator / rounded denominator, to a whole percent; NaN where it would reveal."""
    num = np.where(np.isnan(v), np.nan, np.round(v * n))
    ok = (n >= cfg.min_n) & ~np.isnan(num)
    for implied in (num, n - num):  # a small numerator or a small complement is a small count
        ok &= ~((implied > 0) & (implied < cfg.threshold))
    num_r, den_r = round_counts(np.nan_to_num(num), cfg), round_counts(n, cfg)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.round(100 * num_r / den_r) / 100
    return np.where(ok & (den_r > 0), rate, np.nan)


def round_plan(v: np.ndarray, base: float = 1.0) -> np.ndarray:
    """Planning figures (slots, forecasts, errors) to the nearest `base`: no more precision than they carry."""
    return np.asarray(base * np.floor(np.asarray(v, dtype=float) / base + 0.5), dtype=float)


def protect_table(table: pd.DataFrame, counts: Iterable[str] = (), rates: Mapping[str, str] | None = None,
                  means: Mapping[str, str] | None = None, total: pd.Series | None = None,
                  plan: Iterable[str] = (), cfg: DisclosureConfig = DEFAULT,
                  numerators: Mapping[str, str] | None = None, dominance: Mapping[str, str] | None = None,
                  estimates: Iterable[str] = ()) -> ProtectedTable:
    """Protect a grouped table: counts rounded, rates/means masked where n < min_n, an optional raw total row.

    `rates` and `means` map a column to the raw count column that is its n; `numerators` names the published
    count a rate is made of (answer rate -> answered), so the audit can hide the rate with it.  `dominance`
    maps a mean to the column holding the share of its sum from its two largest contributors.  `total` is the
    raw total row (computed from the raw data, never from the rounded cells); each count column with a total
    is audited.  `plan` columns are planning figures about staff slots, rounded to whole slots; `estimates`
    are model figures in contacts (forecast errors), rounded to the base.  Any other column is dropped: only
    what was declared leaves the notebook.
    """
    _check_allowed(table, cfg)
    counts, rates, means, plan = list(counts), dict(rates or {}), dict(means or {}), list(plan)
    estimates, dominance = list(estimates), dict(dominance or {})
    raw = table.copy()
    if total is not None:
        total_row = pd.DataFrame([total[list(table.columns)].to_numpy()], columns=table.columns,
                                 index=_total_index(table))
        raw = pd.concat([raw, total_row])
    values = pd.DataFrame(index=raw.index)
    display = pd.DataFrame(index=raw.index)
    secondary = pd.DataFrame(False, index=raw.index, columns=counts)
    for col in counts:
        values[col] = round_counts(raw[col].to_numpy(dtype=float), cfg)
    if total is not None:
        for col in counts:
            cells = values[col].to_numpy()[:-1]
            if recoverable_cells(list(cells), float(values[col].iloc[-1]), cfg):
                values.loc[values.index[-1], col] = math.nan
                secondary.loc[secondary.index[-1], col] = True
    for col, n_col in rates.items():
        values[col] = _rate_values(raw[col].to_numpy(dtype=float), raw[n_col].to_numpy(dtype=float), cfg)
    for col, n_col in means.items():
        n = raw[n_col].to_numpy(dtype=float)
        ok = n >= cfg.min_n
        if col in dominance:
            ok &= ~(raw[dominance[col]].to_numpy(dtype=float) > cfg.dominance)
        values[col] = np.round(np.where(ok, raw[col].to_numpy(dtype=float), np.nan), 1)
    for col in plan:
        values[col] = round_plan(raw[col].to_numpy(dtype=float))
    for col in estimates:
        values[col] = round_plan(raw[col].to_numpy(dtype=float), cfg.base)
    for col in values.columns:
        if col in plan or col in estimates:
            display[col] = ["–" if math.isnan(v) else f"{v:g}" for v in values[col]]
        elif col in counts:
            display[col] = [_fmt_count(v, cfg, s) for v, s in zip(values[col], secondary[col], strict=True)]
        else:
            display[col] = [_fmt_ratio(v, "rate" if col in rates else "mean") for v in values[col]]
    parts = {col: ((numerators or {}).get(col), n_col) for col, n_col in rates.items()}
    return ProtectedTable(values, display, note(cfg), tuple(counts), parts)


def _total_index(table: pd.DataFrame) -> pd.Index:
    """Index entry for a total row that matches the table's index shape."""
    if isinstance(table.index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples([(TOTAL,) * table.index.nlevels], names=table.index.names)
    return pd.Index([TOTAL], name=table.index.name)


def protect_crosstab(table: pd.DataFrame, margins: bool = True,
                     cfg: DisclosureConfig = DEFAULT) -> ProtectedTable:
    """Protect a two-way table of counts with row and column totals computed from raw data and audited."""
    _check_allowed(table, cfg)
    raw = table.astype(float)
    cells = pd.DataFrame(round_counts(raw.to_numpy(), cfg), index=raw.index, columns=raw.columns)
    sec = pd.DataFrame(False, index=raw.index, columns=raw.columns)
    if margins:
        cells[TOTAL] = round_counts(raw.sum(axis=1).to_numpy(), cfg)
        col_tot = pd.Series(round_counts(raw.sum(axis=0).to_numpy(), cfg), index=raw.columns)
        col_tot[TOTAL] = round_count(float(raw.to_numpy().sum()), cfg)
        cells.loc[TOTAL] = col_tot
        sec[TOTAL] = False
        sec.loc[TOTAL] = False
        body = cells.loc[raw.index, raw.columns]
        for r in raw.index:
            if recoverable_cells(list(body.loc[r]), float(cells.at[r, TOTAL]), cfg):  # type: ignore[arg-type]
                cells.loc[r, TOTAL] = math.nan
                sec.loc[r, TOTAL] = True
        for c in raw.columns:
            if recoverable_cells(list(body[c]), float(cells.at[TOTAL, c]), cfg):  # type: ignore[arg-type]
                cells.loc[TOTAL, c] = math.nan
                sec.loc[TOTAL, c] = True
    display = cells.copy().astype(object)
    for r in cells.index:
        for c in cells.columns:
            display.loc[r, c] = _fmt_count(float(cells.at[r, c]), cfg, bool(sec.at[r, c]))  # type: ignore[arg-type]
    return ProtectedTable(cells, display, note(cfg), tuple(str(c) for c in cells.columns))


def protect_plan(grid: pd.DataFrame, cfg: DisclosureConfig = DEFAULT) -> ProtectedTable:
    """A weekday x hour grid of planning figures (counsellors needed or rostered): not about people."""
    _check_allowed(grid, cfg)
    values = pd.DataFrame(round_plan(grid.to_numpy(dtype=float)), index=grid.index, columns=grid.columns)
    display = values.map(lambda v: "–" if math.isnan(v) else f"{v:g}")
    return ProtectedTable(values, display, "Planeerimisarvud (nõustajakohad), mitte isikud. / "
                                           "Planning figures (counsellor slots), not people.")


def protect_team(table: pd.DataFrame, team_col: str, counts: Iterable[str] = (),
                 rates: Mapping[str, str] | None = None, means: Mapping[str, str] | None = None,
                 cfg: DisclosureConfig = DEFAULT) -> ProtectedTable:
    """Team figures: rows covering fewer than min_team counsellors (or shifts) are hidden entirely."""
    _check_allowed(table, cfg)
    small = table[team_col].to_numpy(dtype=float) < cfg.min_team
    protected = protect_table(table, [*counts, team_col], rates, means, cfg=cfg)
    protected.values.loc[small, :] = np.nan
    protected.display.loc[small, :] = SECONDARY
    return protected
