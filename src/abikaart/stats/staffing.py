"""Counsellors needed per hour of the week: exact Erlang B, Erlang C and Erlang A (M/M/n+M) formulas.

Erlang B uses the stable recursion B(0)=1, B(k) = a·B(k-1) / (k + a·B(k-1)); Erlang C follows from it as
C = n·B / (n - a·(1-B)).  Erlang A (Palm's queue with exponential patience) is computed exactly from its
birth-death chain in log space; given j callers ahead, e^(-θV) of the offered wait V is Beta(n·μ/θ, j+1)
distributed, which gives the service level and speed of answer through the regularised incomplete beta.

Every counsellor on duty answers phone, chat and video, so these form ONE queue (chat counted at handle
time divided by the concurrency); e-mail is a backlog done between contacts.  Russian- and English-speaking
counsellors are a minimum among the counsellors on duty, not extra ones.  The roster counts counsellors on
duty, so the need is compared with it before shrinkage; shrinkage only turns the need into hours to
schedule.  At a few contacts an hour with 20-minute calls the formulas alone under-staff, so a minimum per
hour and per language always applies.  `backtest` checks the model against the observed service level.
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
    overflow_languages: tuple[str, ...] = ("en",)
    """Language groups any counsellor can serve when their speakers are busy or absent (most counsellors
    manage in English; other languages through an interpreter): they need no speakers beyond the minimum."""
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


def _ceil(x: float) -> int:
    """Round a count of counsellors up, ignoring floating-point dust (2.0000000001 is 2)."""
    return math.ceil(round(x, 9))


def scheduled(on_duty: float, cfg: StaffingConfig) -> int:
    """Counsellor-hours to schedule so that `on_duty` are on duty despite breaks, supervision and training.

    Shrinkage belongs here, when turning hours on duty into hours to plan, and nowhere else: the roster
    counts counsellors on duty, so the need is compared with it before shrinkage (like with like).
    """
    return _ceil(on_duty / (1.0 - cfg.shrinkage))


LIVE: tuple[str, ...] = ("phone", "chat", "video")


def open_contacts(df: pd.DataFrame, roster: pd.DataFrame | None) -> pd.DataFrame:
    """Live contacts that reached an open channel: chat and video outside their hours are unmet demand
    (see `unmet`), not work the counsellors on duty could have done."""
    d = df[df["channel"].isin(list(LIVE)).to_numpy()]
    if roster is None or d.empty:
        return d
    grid = roster.set_index(["weekday", "hour"]).sort_index()
    how = with_calendar(d)["how"].to_numpy()
    channel = d["channel"].to_numpy()
    closed = (((channel == "chat") & ~grid["chat_open"].to_numpy(dtype=bool)[how])
              | ((channel == "video") & ~grid["video_open"].to_numpy(dtype=bool)[how]))
    out: pd.DataFrame = d[~closed]
    return out


def work_per_contact(df: pd.DataFrame, cfg: StaffingConfig) -> dict[str, float]:
    """Counsellor time (s) a contact takes by channel: handle time plus after-contact work, for chat divided
    by the concurrency, since one counsellor holds several chats at once."""
    work = {c: mean_handle(df, c) for c in LIVE}
    work["chat"] /= cfg.chat_concurrency
    return work


@dataclass(frozen=True)
class Pooled:
    """One hour's live traffic as a single queue: arrivals per second and load-weighted work per contact."""

    arrivals: np.ndarray
    work: np.ndarray

    @property
    def erlangs(self) -> np.ndarray:
        """Offered load in counsellors kept busy."""
        return np.asarray(self.arrivals * self.work)


def pooled_traffic(df: pd.DataFrame, work: dict[str, float], fallback: float) -> Pooled:
    """Phone, chat and video pooled per hour of the week: every counsellor on duty answers every live
    channel, so they form one queue (staffing each channel as its own queue and adding them overstaffs)."""
    rates = {c: arrivals_by_hour_of_week(df, c).to_numpy() / 3600 for c in LIVE}
    total = sum(rates.values(), np.zeros(168))
    load = sum((rates[c] * work[c] for c in LIVE), np.zeros(168))
    aht = np.divide(load, total, out=np.full(168, fallback), where=total > 0)
    return Pooled(total, np.where(aht > 0, aht, fallback))


def _agents(arrivals: float, aht: float, patience: float, cfg: StaffingConfig) -> int:
    """Counsellors on duty needed for the target: Erlang A when patience is known, else Erlang C."""
    if math.isfinite(patience):
        return agents_erlang_a(arrivals, aht, patience, cfg.target_sl, cfg.sl_seconds, cfg.max_abandon)
    return agents_erlang_c(arrivals, aht, cfg.target_sl, cfg.sl_seconds)


def staffing_table(df: pd.DataFrame, roster: pd.DataFrame | None = None,
                   cfg: StaffingConfig | None = None) -> pd.DataFrame:
    """Counsellors on duty needed per hour of the week, vs the roster (counsellors on duty).

    Phone, chat (handle time / concurrency) and video form one Erlang A queue; e-mail is a backlog done
    between contacts, so it only asks that the total load fit.  `phone_erlang_c` / `phone_erlang_a` show
    phone alone for comparison; `scheduled` is the need after shrinkage, for planning contracted hours.
    """
    cfg = cfg or StaffingConfig()
    live = open_contacts(df, roster)
    patience = estimate_patience(df, "phone")
    phone_aht = mean_handle(df, "phone")
    work = work_per_contact(df, cfg)
    pool = pooled_traffic(live, work, phone_aht)
    phone = arrivals_by_hour_of_week(live, "phone").to_numpy() / 3600
    chat = arrivals_by_hour_of_week(live, "chat").to_numpy() / 3600
    email_daily = arrivals_by_hour_of_week(df, "email").to_numpy().reshape(7, 24).sum(axis=1)
    email_aht = mean_handle(df, "email")
    lo, hi = cfg.email_hours
    rows = []
    for how in range(168):
        weekday, hour = divmod(how, 24)
        n_c = agents_erlang_c(phone[how], phone_aht, cfg.target_sl, cfg.sl_seconds)
        n_a = (agents_erlang_a(phone[how], phone_aht, patience, cfg.target_sl, cfg.sl_seconds, cfg.max_abandon)
               if math.isfinite(patience) else n_c)
        pooled = _agents(float(pool.arrivals[how]), float(pool.work[how]), patience, cfg)
        email_load = email_daily[weekday] * email_aht / 3600 / (hi - lo) if lo <= hour < hi else 0.0
        load = float(pool.erlangs[how]) + email_load
        needed = max(pooled, _ceil(load), cfg.min_per_hour)
        rows.append({"weekday": weekday, "hour": hour, "phone_per_hour": phone[how] * 3600,
                     "chat_per_hour": chat[how] * 3600, "live_per_hour": pool.arrivals[how] * 3600,
                     "work_s": pool.work[how], "live_load": pool.erlangs[how], "email_load": email_load,
                     "phone_erlang_c": n_c, "phone_erlang_a": n_a, "pooled_erlang_a": pooled,
                     "needed": needed, "scheduled": scheduled(needed, cfg)})
    out = pd.DataFrame(rows)
    if roster is not None:
        r = roster.sort_values(["weekday", "hour"]).reset_index(drop=True)
        out["roster"] = r["counsellors"].to_numpy()
        out["gap"] = out["roster"] - out["needed"]
    return out


def backtest(df: pd.DataFrame, roster: pd.DataFrame, cfg: StaffingConfig | None = None) -> pd.DataFrame:
    """Per hour of the week: the observed service level of live contacts on open channels, next to what
    Erlang A predicts for the counsellors on the roster at that hour, so the model's fit can be seen.

    Both are 'answered within the target / offered' (abandons count against it).  Estonian contacts are
    predicted from the pooled queue of all counsellors on duty; Russian ones (with Ukrainian) from their
    traffic alone on the rostered speakers, or from the pooled queue when no speaker is on duty; groups
    that overflow to anyone (English and other languages) from the pooled queue.  `offered` and
    `answered_in_target` are counts; `predicted_in_target` is the expected count, so blocks are summed
    and divided the same way for both.  The same three columns per language group end in _et, _ru, _en.
    """
    cfg = cfg or StaffingConfig()
    live = open_contacts(df, roster)
    patience = estimate_patience(df, "phone")
    work, fallback = work_per_contact(df, cfg), mean_handle(df, "phone")
    grid = roster.sort_values(["weekday", "hour"]).reset_index(drop=True)
    staff = grid["counsellors"].to_numpy()
    pool = pooled_traffic(live, work, fallback)
    pooled = np.array([_predicted_sl(int(staff[h]), float(pool.arrivals[h]), float(pool.work[h]), patience, cfg)
                       for h in range(168)])
    d = with_calendar(live)
    how = d["how"].to_numpy()
    quick = ((d["outcome"] == "answered") & (d["wait_s"] <= cfg.sl_seconds)).to_numpy()
    out = pd.DataFrame({"weekday": np.arange(168) // 24, "hour": np.arange(168) % 24, "roster": staff})
    groups = d["language"].map({lang: g for g, langs in LANGUAGE_GROUPS.items() for lang in langs}).fillna("et")
    for group in ("et", *LANGUAGE_GROUPS):
        mine = (groups == group).to_numpy()
        predicted = pooled
        speakers = grid[group].to_numpy() if group in grid else np.zeros(168, dtype=int)
        if group != "et" and group not in cfg.overflow_languages:
            sub = pooled_traffic(live[mine], work, fallback)
            predicted = np.array([
                _predicted_sl(int(speakers[h]), float(sub.arrivals[h]), float(sub.work[h]), patience, cfg)
                if speakers[h] > 0 else pooled[h] for h in range(168)])
        offered = np.bincount(how[mine], minlength=168)
        out[f"offered_{group}"] = offered
        out[f"answered_in_target_{group}"] = np.bincount(how[mine], weights=quick[mine].astype(float),
                                                         minlength=168).astype(int)
        out[f"predicted_in_target_{group}"] = offered * predicted
    for col in ("offered", "answered_in_target", "predicted_in_target"):
        out[col] = out[[f"{col}_{g}" for g in ("et", *LANGUAGE_GROUPS)]].sum(axis=1)
    return out


def fit_summary(fit: pd.DataFrame, by: str | None = None, group: str | None = None) -> pd.DataFrame:
    """Sum a back-test by `by` (hour, weekday or None for all) for all contacts or one language group:
    offered, observed service level and predicted service level."""
    suffix = f"_{group}" if group else ""
    cols = [f"offered{suffix}", f"answered_in_target{suffix}", f"predicted_in_target{suffix}"]
    sums = fit.groupby(by)[cols].sum() if by else fit[cols].sum().to_frame().T
    offered = sums[cols[0]].where(sums[cols[0]] > 0)
    return pd.DataFrame({"offered": sums[cols[0]].astype(int), "observed_sl": sums[cols[1]] / offered,
                         "predicted_sl": sums[cols[2]] / offered})


def _predicted_sl(n: int, arrivals: float, aht: float, patience: float, cfg: StaffingConfig) -> float:
    """Erlang A (or C without abandonment data) service level of n counsellors on duty."""
    if arrivals <= 0:
        return 1.0
    if math.isfinite(patience):
        return erlang_a(n, arrivals, aht, patience, cfg.sl_seconds).service_level
    return service_level_c(n, arrivals * aht, aht, cfg.sl_seconds)


LANGUAGE_GROUPS: dict[str, tuple[str, ...]] = {"ru": ("ru", "uk"), "en": ("en", "other")}
"""Who a language-skilled counsellor serves: Ukrainian speakers are mostly helped in Russian, and callers
in other languages in English (or through an interpreter arranged in English)."""


def language_staffing(df: pd.DataFrame, group: str, roster: pd.DataFrame | None = None,
                      cfg: StaffingConfig | None = None) -> pd.DataFrame:
    """Counsellors speaking `group` (ru, en) needed on duty per hour of the week, as a minimum among the
    counsellors of `staffing_table` (they are part of that pooled total, not added to it).

    Contacts in the group can only be answered by its speakers, so the speakers must meet the target for
    that traffic on their own (Erlang A, phone, chat and video pooled); between those contacts they answer
    Estonian ones.  Groups in `cfg.overflow_languages` overflow to any counsellor, so only their minimum
    applies.  No shrinkage: the roster's language columns count speakers on duty.
    """
    cfg = cfg or StaffingConfig()
    languages = LANGUAGE_GROUPS.get(group, (group,))
    live = open_contacts(df, roster)
    d = live[live["language"].isin(list(languages)).to_numpy()]
    patience = estimate_patience(df, "phone")
    pool = pooled_traffic(d, work_per_contact(df, cfg), mean_handle(df, "phone"))
    minimum = cfg.min_per_language.get(group, 0)
    rows = []
    for how in range(168):
        n = (0 if group in cfg.overflow_languages
             else _agents(float(pool.arrivals[how]), float(pool.work[how]), patience, cfg))
        rows.append({"weekday": how // 24, "hour": how % 24, "contacts_per_hour": pool.arrivals[how] * 3600,
                     "needed": max(n, minimum)})
    out = pd.DataFrame(rows)
    if roster is not None and group in roster.columns:
        r = roster.sort_values(["weekday", "hour"]).reset_index(drop=True)
        out["roster"] = r[group].to_numpy()
        out["gap"] = out["roster"] - out["needed"]
    return out
