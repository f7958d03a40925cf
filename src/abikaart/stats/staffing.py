"""Counsellors needed per hour of the week: exact Erlang B, Erlang C and Erlang A (M/M/n+M) formulas.

Erlang B uses the stable recursion B(0)=1, B(k) = a·B(k-1) / (k + a·B(k-1)); Erlang C follows from it as
C = n·B / (n - a·(1-B)).  Erlang A (Palm's queue with exponential patience) is computed exactly from its
birth-death chain in log space; given j callers ahead, e^(-θV) of the offered wait V is Beta(n·μ/θ, j+1)
distributed, which gives the service level and speed of answer through the regularised incomplete beta.

Chat (several at once) and e-mail (a backlog) are not Erlang queues: chat uses Erlang C on handle time
divided by the concurrency, e-mail is a workload spread over the day.  At a few contacts an hour with
20-minute calls the formulas alone under-staff, so a minimum per hour and per language always applies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special  # type: ignore[import-untyped]

from abikaart.stats.kpi import with_calendar


def erlang_b(n: int, a: float) -> float:
    """Blocking probability of n servers offered a erlangs (iterative, stable for any n)."""
    if n < 0 or a < 0:
        raise ValueError("n and a must be non-negative")
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(n: int, a: float) -> float:
    """Probability that a contact waits, with n counsellors and a erlangs of load (1 if n <= a)."""
    if n <= a:
        return 1.0
    b = erlang_b(n, a)
    return n * b / (n - a * (1.0 - b))


def service_level_c(n: int, a: float, aht: float, t: float) -> float:
    """Erlang C share of contacts answered within t (same time unit as aht)."""
    if n <= a:
        return 0.0
    return 1.0 - erlang_c(n, a) * math.exp(-(n - a) * t / aht)


def asa_c(n: int, a: float, aht: float) -> float:
    """Erlang C average speed of answer (infinite if n <= a)."""
    if n <= a:
        return math.inf
    return erlang_c(n, a) * aht / (n - a)


@dataclass(frozen=True)
class ErlangA:
    """Performance of an M/M/n+M queue: every probability is per offered contact."""

    p_wait: float
    p_abandon: float
    service_level: float
    asa: float
    occupancy: float


def _erlang_a_chain(n: int, lam: float, mu: float, theta: float) -> tuple[np.ndarray, np.ndarray]:
    """Stationary probabilities of the states below n, and of n+j for j = 0, 1, ... (truncated at 1e-17)."""
    k = np.arange(n + 1)
    log_low = k * math.log(lam / mu) - special.gammaln(k + 1) if lam > 0 else np.where(k == 0, 0.0, -np.inf)
    logs = [np.array([0.0])]
    last, j0, chunk = 0.0, 1, 512
    while True:
        j = np.arange(j0, j0 + chunk)
        step = np.log(lam) - np.log(n * mu + j * theta) if lam > 0 else np.full(len(j), -np.inf)
        cum = last + np.cumsum(step)
        logs.append(cum)
        last, j0 = float(cum[-1]), j0 + chunk
        if (last < -40 and step[-1] < 0) or j0 > 2_000_000 or not np.isfinite(last):
            break
        chunk = min(chunk * 2, 1 << 18)
    log_queue = log_low[-1] + np.concatenate(logs)
    log_all = np.concatenate([log_low[:-1], log_queue])
    peak = np.max(log_all)
    p = np.exp(log_all - peak)
    p /= p.sum()
    return p[:n], p[n:]


def erlang_a(n: int, arrivals: float, aht: float, patience: float, t: float) -> ErlangA:
    """Exact Erlang A: arrivals per time unit, mean handle time aht, mean patience, target wait t."""
    if n < 1:
        return ErlangA(1.0, 1.0, 0.0, math.inf, 0.0)
    mu, theta, lam = 1.0 / aht, 1.0 / patience, arrivals
    below, queue = _erlang_a_chain(n, lam, mu, theta)
    x = n * mu / theta
    j = np.arange(len(queue), dtype=float)
    served = x / (x + j + 1)
    within = served * (1.0 - special.betainc(x + 1, j + 1, math.exp(-theta * t)))
    wait_if_served = served * (special.digamma(x + j + 2) - special.digamma(x + 1)) / theta
    p_served = float(below.sum() + (queue * served).sum())
    busy = float((np.arange(n) * below).sum() + n * queue.sum())
    return ErlangA(
        p_wait=float(queue.sum()),
        p_abandon=float((queue * (1 - served)).sum()),
        service_level=float(below.sum() + (queue * within).sum()),
        asa=float((queue * wait_if_served).sum() / p_served) if p_served > 0 else math.inf,
        occupancy=busy / n,
    )


def agents_erlang_c(arrivals: float, aht: float, target_sl: float, t: float,
                    max_occupancy: float = 1.0) -> int:
    """Fewest counsellors giving Erlang C service level >= target (and occupancy <= max_occupancy)."""
    a = arrivals * aht
    if a <= 0:
        return 0
    n = max(1, math.floor(a) + 1)
    while service_level_c(n, a, aht, t) < target_sl or a / n > max_occupancy:
        n += 1
    return n


def agents_erlang_a(arrivals: float, aht: float, patience: float, target_sl: float, t: float,
                    max_abandon: float = 1.0) -> int:
    """Fewest counsellors giving Erlang A service level >= target (and abandonment <= max_abandon)."""
    if arrivals * aht <= 0:
        return 0
    n = max(1, math.floor(arrivals * aht * 0.5))
    while n > 1 and erlang_a(n, arrivals, aht, patience, t).service_level >= target_sl:
        n -= 1
    while True:
        r = erlang_a(n, arrivals, aht, patience, t)
        if r.service_level >= target_sl and r.p_abandon <= max_abandon:
            return n
        n += 1


@dataclass(frozen=True)
class StaffingConfig:
    """Service targets and planning assumptions; defaults follow common crisis-line practice."""

    target_sl: float = 0.8
    sl_seconds: float = 20.0
    shrinkage: float = 0.30
    chat_concurrency: int = 2
    min_per_hour: int = 2
    min_per_language: dict[str, int] = field(default_factory=lambda: {"ru": 1, "en": 0})
    email_hours: tuple[int, int] = (8, 20)
    max_abandon: float = 0.05


def estimate_patience(df: pd.DataFrame, channel: str = "phone") -> float:
    """Mean patience (s) by the standard estimator: abandons / total time spent waiting (exponential)."""
    d = df[(df["channel"] == channel).to_numpy()]
    abandons = int((d["outcome"] == "abandoned").sum())
    total_wait = float(d["wait_s"].sum())
    return total_wait / abandons if abandons else math.inf


def arrivals_by_hour_of_week(df: pd.DataFrame, channel: str | None = None,
                             language: str | None = None) -> pd.Series:
    """Mean contacts per hour for each of the 168 hours of the week (0 = Monday 00-01)."""
    d = with_calendar(df)
    mask = np.ones(len(d), dtype=bool)
    if channel is not None:
        mask &= (d["channel"] == channel).to_numpy()
    if language is not None:
        mask &= (d["language"] == language).to_numpy()
    counts = np.bincount(d["how"].to_numpy()[mask], minlength=168).astype(float)
    days = pd.Series(pd.to_datetime(d["date"].unique()))
    occurrences = np.bincount(days.dt.day_of_week.to_numpy(), minlength=7).astype(float)
    per = np.repeat(np.maximum(occurrences, 1), 24)
    return pd.Series(counts / per, index=pd.RangeIndex(168, name="how"), name="arrivals")


def mean_handle(df: pd.DataFrame, channel: str) -> float:
    """Mean handle plus after-contact work (s) of answered contacts on a channel (0 if none)."""
    d = df[((df["channel"] == channel) & (df["outcome"] == "answered")).to_numpy()]
    if d.empty:
        return 0.0
    return float((d["handle_s"].fillna(0) + d["acw_s"].fillna(0)).mean())


def _needed(raw: float, cfg: StaffingConfig) -> int:
    """Scale on-queue counsellors up for shrinkage (breaks, supervision, training) and round up."""
    return math.ceil(round(raw / (1.0 - cfg.shrinkage), 9))


def staffing_table(df: pd.DataFrame, roster: pd.DataFrame | None = None,
                   cfg: StaffingConfig | None = None) -> pd.DataFrame:
    """Counsellors needed per hour of the week (Erlang A for phone, Erlang C for chat), vs the roster."""
    cfg = cfg or StaffingConfig()
    phone_aht, chat_aht = mean_handle(df, "phone"), mean_handle(df, "chat")
    video_aht, email_aht = mean_handle(df, "video"), mean_handle(df, "email")
    patience = estimate_patience(df, "phone")
    phone = arrivals_by_hour_of_week(df, "phone").to_numpy() / 3600
    chat = arrivals_by_hour_of_week(df, "chat").to_numpy() / 3600
    video = arrivals_by_hour_of_week(df, "video").to_numpy() / 3600
    email_daily = arrivals_by_hour_of_week(df, "email").to_numpy().reshape(7, 24).sum(axis=1)
    lo, hi = cfg.email_hours
    rows = []
    for how in range(168):
        weekday, hour = divmod(how, 24)
        n_c = agents_erlang_c(phone[how], phone_aht, cfg.target_sl, cfg.sl_seconds)
        n_a = (agents_erlang_a(phone[how], phone_aht, patience, cfg.target_sl, cfg.sl_seconds, cfg.max_abandon)
               if math.isfinite(patience) else n_c)
        chat_n = agents_erlang_c(chat[how], chat_aht / cfg.chat_concurrency, cfg.target_sl, cfg.sl_seconds)
        video_load = video[how] * video_aht
        email_load = email_daily[weekday] * email_aht / 3600 / (hi - lo) if lo <= hour < hi else 0.0
        on_queue = n_a + chat_n + video_load + email_load
        needed = max(_needed(on_queue, cfg), cfg.min_per_hour)
        rows.append({"weekday": weekday, "hour": hour, "phone_per_hour": phone[how] * 3600,
                     "chat_per_hour": chat[how] * 3600, "phone_erlang_c": n_c, "phone_erlang_a": n_a,
                     "chat_agents": chat_n, "video_load": video_load, "email_load": email_load,
                     "on_queue": on_queue, "needed": needed})
    out = pd.DataFrame(rows)
    if roster is not None:
        r = roster.sort_values(["weekday", "hour"]).reset_index(drop=True)
        out["roster"] = r["counsellors"].to_numpy()
        out["gap"] = out["roster"] - out["needed"]
    return out


LANGUAGE_GROUPS: dict[str, tuple[str, ...]] = {"ru": ("ru", "uk"), "en": ("en", "other")}
"""Who a language-skilled counsellor serves: Ukrainian speakers are mostly helped in Russian, and callers
in other languages in English (or through an interpreter arranged in English)."""


def language_staffing(df: pd.DataFrame, group: str, roster: pd.DataFrame | None = None,
                      cfg: StaffingConfig | None = None) -> pd.DataFrame:
    """Counsellors speaking `group` (ru, en) needed per hour of the week, served as one skill group."""
    cfg = cfg or StaffingConfig()
    languages = LANGUAGE_GROUPS.get(group, (group,))
    d = df[df["language"].isin(list(languages)).to_numpy()]
    aht = mean_handle(df, "phone")
    patience = estimate_patience(df, "phone")
    live = arrivals_by_hour_of_week(d[d["channel"].isin(["phone", "video"]).to_numpy()]).to_numpy() / 3600
    chat = arrivals_by_hour_of_week(d, "chat").to_numpy() / 3600
    chat_aht = mean_handle(df, "chat") / cfg.chat_concurrency
    minimum = cfg.min_per_language.get(group, 0)
    rows = []
    for how in range(168):
        # One small skill group answers both phone and chat: pool them with a load-weighted handle time.
        rate = live[how] + chat[how]
        pooled = (live[how] * aht + chat[how] * chat_aht) / rate if rate > 0 else aht
        n = (agents_erlang_a(rate, pooled, patience, cfg.target_sl, cfg.sl_seconds, cfg.max_abandon)
             if math.isfinite(patience) else agents_erlang_c(rate, pooled, cfg.target_sl, cfg.sl_seconds))
        rows.append({"weekday": how // 24, "hour": how % 24, "contacts_per_hour": (live[how] + chat[how]) * 3600,
                     "needed": max(_needed(n, cfg), minimum) if n else minimum})
    out = pd.DataFrame(rows)
    if roster is not None and group in roster.columns:
        r = roster.sort_values(["weekday", "hour"]).reset_index(drop=True)
        out["roster"] = r[group].to_numpy()
        out["gap"] = out["roster"] - out["needed"]
    return out
