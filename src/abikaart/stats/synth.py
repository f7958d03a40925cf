"""Synthetic contacts: a realistic year of the crisis service's work, the only data in the repo and tests.

The generator draws hourly Poisson arrivals from daily, weekly and yearly cycles (holidays, summer, the
Midsummer and Christmas peaks of domestic violence), adds a few crisis days with surges, and lets waiting
and abandonment rise when demand exceeds the roster.  Everything is vectorised so ten years take seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

from abikaart.stats import taxonomy
from abikaart.stats.contract import COLUMNS, TZ
from abikaart.validation import NATIONWIDE

# Relative arrival intensity by hour of day: quiet nights, a daytime plateau and an evening peak.
HOURLY = np.array([0.55, 0.42, 0.33, 0.27, 0.22, 0.24, 0.35, 0.55, 0.85, 1.05, 1.15, 1.2,
                   1.2, 1.2, 1.2, 1.2, 1.25, 1.3, 1.4, 1.5, 1.55, 1.5, 1.25, 0.85])
WEEKDAY = np.array([1.08, 1.04, 1.0, 1.0, 0.96, 0.93, 1.0])
MONTH = np.array([1.02, 0.98, 1.0, 1.0, 1.0, 0.92, 0.86, 0.88, 1.02, 1.05, 1.05, 1.1])
CHANNEL_MIX = {"phone": 0.60, "chat": 0.28, "email": 0.08, "video": 0.04}
LANGUAGE_MIX = {"et": 0.70, "ru": 0.22, "en": 0.04, "uk": 0.03, "other": 0.01}
CALLER_MIX = {"victim": 0.55, "relative": 0.25, "official": 0.08, "other": 0.12}
# Mean handling time (seconds) by channel; chats run long but several run at once.
HANDLE_MEAN = {"phone": 15 * 60, "chat": 30 * 60, "email": 12 * 60, "video": 45 * 60}
# Mean patience (seconds) of those waiting in the queue, by channel (exponentially distributed).
PATIENCE_MEAN = {"phone": 180.0, "chat": 300.0, "video": 300.0}
RU_GROUP, EN_GROUP = ("ru", "uk"), ("en", "other")
NEED_WEIGHTS = {
    "domestic-violence": 16, "emotional-crisis": 14, "mental-health": 10, "crime": 9, "information": 7,
    "child-worry": 6, "sexual-violence": 5, "suicidal-thoughts": 5, "bereavement": 4,
    "violence-against-women": 4, "traumatic-event": 3, "compensation-and-legal": 3, "online-abuse": 3,
    "child-abuse": 2, "elder-abuse": 2, "immediate-danger": 2, "using-violence": 1.5,
    "safe-accommodation": 1.5, "missing-person": 0.7, "human-trafficking": 0.3, "health-advice": 0.7,
    "poisoning": 0.3,
}
HIGH_RISK_NEEDS = {"suicidal-thoughts": 0.55, "immediate-danger": 0.6, "sexual-violence": 0.25,
                   "domestic-violence": 0.18, "child-abuse": 0.25, "human-trafficking": 0.4}
SELF = "ohvriabi-kriisitelefon"
"""The crisis line itself: counsellors refer onwards, never to their own service."""
LOCAL_WEIGHT = 3.0
"""A service in the caller's county is this many times likelier to be chosen than a nationwide one."""
COUNTY_WEIGHTS = {"harju": 45, "tartu": 12, "ida-viru": 10, "parnu": 6.5, "laane-viru": 4.5,
                  "viljandi": 3.5, "rapla": 2.5, "voru": 2.5, "saare": 2.5, "jogeva": 2, "jarva": 2,
                  "valga": 2, "polva": 2, "laane": 1.5, "hiiu": 0.7}


@dataclass(frozen=True)
class SynthConfig:
    """Knobs of the generator; defaults give about 60,000 contacts a year."""

    contacts_per_year: float = 60_000
    yearly_growth: float = 0.03
    crisis_days_per_year: int = 3
    chat_concurrency: int = 2
    referral_rate: float = 0.3
    frequent_caller_share: float = 0.08
    repeat_after_abandon: float = 0.4
    extra: dict[str, float] = field(default_factory=dict)


def default_roster() -> pd.DataFrame:
    """The current roster: counsellors on duty per hour of the week, with Russian and English speakers.

    Chat is open 08-24, video on weekdays 09-17; phone and e-mail around the clock.
    """
    rows = []
    for weekday in range(7):
        for hour in range(24):
            weekend = weekday >= 5
            if hour < 8:
                staff, ru, en = 3, (1 if hour < 4 else 0), 0
            elif hour < 16:
                staff, ru, en = (5, 1, 1) if weekend else (7, 2, 1)
            else:
                staff, ru, en = 7, 2, (0 if weekend else 1)
            rows.append({
                "weekday": weekday, "hour": hour, "counsellors": staff, "ru": ru, "en": en,
                "chat_open": hour >= 8, "video_open": (not weekend) and 9 <= hour < 17,
            })
    return pd.DataFrame(rows)


ROSTER_COLUMNS = ("weekday", "hour", "counsellors", "ru", "en", "chat_open", "video_open")


def load_roster(path: str | Path | None) -> pd.DataFrame:
    """The current roster from CSV (168 rows), or the default roster when no path is given."""
    if not path:
        return default_roster()
    roster = pd.read_csv(path)
    missing = [c for c in ROSTER_COLUMNS if c not in roster.columns]
    if missing or len(roster) != 168:
        raise ValueError(f"{path}: roster needs 168 rows and columns {', '.join(ROSTER_COLUMNS)}")
    for col in ("chat_open", "video_open"):
        roster[col] = roster[col].astype(str).str.lower().isin(["true", "1", "yes"])
    return roster.sort_values(["weekday", "hour"]).reset_index(drop=True)


def _hours(start: dt.date, end: dt.date) -> pd.DatetimeIndex:
    """Every local hour from start (inclusive) to end (inclusive), DST-aware."""
    first = pd.Timestamp(start).tz_localize(TZ)
    last = pd.Timestamp(end + dt.timedelta(days=1)).tz_localize(TZ)
    return pd.date_range(first, last, freq="h", inclusive="left")


def _intensity(hours: pd.DatetimeIndex, cfg: SynthConfig, rng: np.random.Generator) -> tuple[
        np.ndarray, np.ndarray]:
    """Expected contacts per hour, and a flag for hours in a crisis surge."""
    years = sorted(set(hours.year))
    ee_holidays = holidays.country_holidays("EE", years=years)
    dates = hours.date
    base = cfg.contacts_per_year / (365 * 24)
    lam = base * HOURLY[hours.hour] / HOURLY.mean() * WEEKDAY[hours.day_of_week] / WEEKDAY.mean()
    lam *= MONTH[hours.month - 1] / MONTH.mean()
    lam *= (1 + cfg.yearly_growth) ** (hours.year - 2026)
    is_holiday = np.array([d in ee_holidays for d in dates])
    lam *= np.where(is_holiday, 1.15, 1.0)
    md = hours.month * 100 + hours.day
    lam *= np.where(np.isin(md, [623, 624, 1224, 1225, 1226, 101]), 1.35, 1.0)
    surge = np.zeros(len(hours), dtype=bool)
    for year in years:
        in_year = np.flatnonzero(hours.year == year)
        n = cfg.crisis_days_per_year if len(in_year) > 24 * 60 else min(1, cfg.crisis_days_per_year)
        for start in rng.choice(in_year[:-30], size=n, replace=False) if len(in_year) > 30 else []:
            span = np.arange(start, min(start + 18, len(hours)))
            surge[span] = True
            lam[span] *= np.linspace(3.0, 1.3, len(span))
    return lam, surge


def _choice(rng: np.random.Generator, mix: dict[str, float], size: int) -> np.ndarray:
    """Draw codes from a weight dictionary."""
    keys = list(mix)
    p = np.array([mix[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=size, p=p / p.sum())]


def _none(size: int) -> np.ndarray:
    """An object array of missing values, for codes that are unknown."""
    return np.full(size, None, dtype=object)


def _hex(rng: np.random.Generator, size: int, width: int = 16) -> np.ndarray:
    """Random lowercase hex tokens, as an export's random ids and keyed hashes look."""
    raw = rng.integers(0, 2**62, size=size, dtype=np.int64)
    return np.array([f"{x:016x}"[-width:] for x in raw], dtype=object)


def synthesize(year: int = 2026, seed: int = 1, start: dt.date | None = None, end: dt.date | None = None,
               config: SynthConfig | None = None, roster: pd.DataFrame | None = None) -> pd.DataFrame:
    """Generate contacts for a year (or start..end) that satisfy the data contract."""
    cfg = config or SynthConfig()
    rng = np.random.default_rng(seed)
    roster = default_roster() if roster is None else roster
    hours = _hours(start or dt.date(year, 1, 1), end or dt.date(year, 12, 31))
    lam, surge = _intensity(hours, cfg, rng)
    counts = rng.poisson(lam)
    idx = np.repeat(np.arange(len(hours)), counts)
    n = len(idx)
    offsets = rng.integers(0, 3600, size=n)
    start_time = hours[idx] + pd.to_timedelta(offsets, unit="s")
    df = pd.DataFrame({"start_time": start_time})
    df["channel"] = _choice(rng, CHANNEL_MIX, n)
    closed_video = (df["channel"] == "video").to_numpy() & ~_roster_lookup(start_time, roster, "video_open")
    df.loc[closed_video & (rng.random(n) < 0.85), "channel"] = "phone"  # most know video is by day
    df["language"] = _choice(rng, LANGUAGE_MIX, n)
    night = hours.hour[idx] < 7
    df.loc[night & (rng.random(n) < 0.08), "language"] = "ru"  # more Russian-speaking callers at night
    df["caller_type"] = _choice(rng, CALLER_MIX, n)
    needs = {k: v for k, v in NEED_WEIGHTS.items() if k in taxonomy.need_codes()}
    df["need"] = _choice(rng, needs, n)
    df.loc[surge[idx] & (rng.random(n) < 0.6), "need"] = "traumatic-event"
    known = rng.random(n) < 0.7
    df["county"] = np.where(known, _choice(rng, COUNTY_WEIGHTS, n), _none(n))
    ru_east = (df["language"] == "ru").to_numpy() & known & (rng.random(n) < 0.35)
    df.loc[ru_east, "county"] = "ida-viru"
    df["caller_token"] = _hex(rng, n)
    frequent = rng.random(n) < cfg.frequent_caller_share
    pool = _hex(rng, 150)
    df.loc[frequent, "caller_token"] = pool[rng.zipf(1.6, size=int(frequent.sum())) % len(pool)]
    df = _handling(df, cfg, rng)
    df = _queue(df, roster, cfg, rng)
    df = _add_repeats(df, cfg, rng)
    df = _unhandled(df)
    df = _shifts(df, roster, rng)
    df = df.sort_values("start_time", kind="stable").reset_index(drop=True)
    df["contact_id"] = _hex(rng, len(df))
    df["wait_s"] = df["wait_s"].round()
    return df[list(COLUMNS)]


def _roster_lookup(times: pd.Series | pd.DatetimeIndex, roster: pd.DataFrame, col: str) -> np.ndarray:
    """The roster value in force at each time (by weekday and hour)."""
    table = roster.set_index(["weekday", "hour"])[col].sort_index()
    grid = table.to_numpy().reshape(7, 24)
    t = pd.DatetimeIndex(times)
    return np.asarray(grid[t.day_of_week, t.hour])


def _queue(df: pd.DataFrame, roster: pd.DataFrame, cfg: SynthConfig, rng: np.random.Generator) -> pd.DataFrame:
    """Waiting and outcome from a first-come-first-served queue served by the counsellors on the roster.

    Every live contact takes the counsellor who comes free first among those who can serve it (see
    `_seat`: Russian and Ukrainian speakers need a Russian-speaking counsellor when one is on duty); it
    gives up if its wait exceeds its patience (exponential), so
    abandonment rises when demand outgrows the roster as an Erlang A queue predicts.  A counsellor is busy
    for handle time plus after-contact work, a chat for that divided by the chat concurrency.
    """
    n = len(df)
    channel = df["channel"].to_numpy()
    lang = df["language"].to_numpy()
    t = df["start_time"]
    staff = _roster_lookup(t, roster, "counsellors").astype(int)
    ru_seats = _roster_lookup(t, roster, "ru").astype(int)
    en_seats = _roster_lookup(t, roster, "en").astype(int)
    is_ru = np.isin(lang, list(RU_GROUP))
    is_en = np.isin(lang, list(EN_GROUP))
    barrier = is_ru & (ru_seats == 0) & (rng.random(n) < 0.12)  # no Russian speaker: some hang up
    closed = ((channel == "chat") & ~_roster_lookup(t, roster, "chat_open").astype(bool)) | (
        (channel == "video") & ~_roster_lookup(t, roster, "video_open").astype(bool))
    turned_away = closed & (rng.random(n) < 0.75)  # the rest are taken over by phone
    work = (df["handle_s"].to_numpy(dtype=float) + df["acw_s"].to_numpy(dtype=float))
    work = np.where(channel == "chat", work / cfg.chat_concurrency, work)
    patience = rng.exponential(np.array([PATIENCE_MEAN.get(c, 1.0) for c in channel]))
    quick = rng.exponential(30.0, size=n)
    at = (t - t.min()).dt.total_seconds().to_numpy()
    wait = np.zeros(n)
    answered = np.zeros(n, dtype=bool)
    free = np.zeros(int(roster["counsellors"].max()) + 1)
    for i in np.argsort(at, kind="stable"):
        if channel[i] == "email":
            answered[i] = True
            continue
        if turned_away[i] or barrier[i] or staff[i] == 0:
            wait[i] = quick[i]
            continue
        k = _seat(free, at[i], staff[i], ru_seats[i], en_seats[i], bool(is_ru[i]), bool(is_en[i]))
        start = max(at[i], free[k])
        if start - at[i] > patience[i]:
            wait[i] = patience[i]
            continue
        wait[i], answered[i] = start - at[i], True
        free[k] = start + work[i]
    outcome = np.where(answered, "answered", "abandoned").astype(object)
    callback = (outcome == "abandoned") & (channel == "phone") & (rng.random(n) < 0.15)
    outcome[callback] = "callback"
    hour = pd.DatetimeIndex(t).hour.to_numpy()
    email_wait = rng.gamma(2.0, 3 * 3600, size=n) + np.where(hour < 8, (8 - hour) * 3600, 0)
    wait = np.where(channel == "email", email_wait, wait)
    df["outcome"] = outcome
    df["wait_s"] = np.minimum(wait, 13 * 24 * 3600)
    return df


def _seat(free: np.ndarray, now: float, staff: int, ru: int, en: int, is_ru: bool, is_en: bool) -> int:
    """The counsellor a contact reaches.  Russian and Ukrainian speakers wait for a Russian-speaking
    counsellor (anyone if none is on duty); English and other languages go to an English-speaking one if
    free, else to anyone (most counsellors manage in English, or call an interpreter).  Estonian contacts
    go to a counsellor without a second language when one is free, keeping the others available."""
    if is_ru and ru > 0:
        return int(np.argmin(free[:ru]))
    if is_en and en > 0 and free[ru:ru + en].min() <= now:
        return ru + int(np.argmin(free[ru:ru + en]))
    general = free[ru + en:staff]
    if is_ru or len(general) == 0 or general.min() > now:
        return int(np.argmin(free[:staff]))
    return ru + en + int(np.argmin(general))


def _add_repeats(df: pd.DataFrame, cfg: SynthConfig, rng: np.random.Generator) -> pd.DataFrame:
    """Some who gave up try again within two hours, mostly by the same channel: unmet demand returns."""
    gave_up = df[(df["outcome"] == "abandoned") & (rng.random(len(df)) < cfg.repeat_after_abandon)].copy()
    gave_up["start_time"] = gave_up["start_time"] + pd.to_timedelta(
        rng.integers(120, 7200, size=len(gave_up)), unit="s")
    gave_up["outcome"] = np.where(rng.random(len(gave_up)) < 0.8, "answered", "abandoned")
    gave_up["wait_s"] = np.where(gave_up["outcome"] == "answered", rng.exponential(25, len(gave_up)),
                                 rng.exponential(50, len(gave_up)))
    return pd.concat([df, gave_up], ignore_index=True)


def _handling(df: pd.DataFrame, cfg: SynthConfig, rng: np.random.Generator) -> pd.DataFrame:
    """Risk, handle time, after-contact work and referral each contact would get if answered (drawn before
    the queue, which needs the work it brings); `_unhandled` clears them for contacts nobody took."""
    n = len(df)
    mean = df["channel"].map(HANDLE_MEAN).to_numpy(dtype=float)
    high_p = df["need"].map(HIGH_RISK_NEEDS).fillna(0.04).to_numpy(dtype=float)
    r = rng.random(n)
    risk = np.where(r < high_p, "high", np.where(r < high_p + 0.3, "medium", "low")).astype(object)
    factor = np.where(risk == "high", 1.6, np.where(risk == "medium", 1.15, 0.85))
    sigma = 0.6
    handle = rng.lognormal(np.log(mean * factor) - sigma**2 / 2, sigma)
    acw = rng.lognormal(np.log(240 * factor) - 0.5**2 / 2, 0.5)
    referred = rng.random(n) < cfg.referral_rate * np.where(risk == "low", 0.6, 1.3)
    df["referral"] = _referrals(df["need"].to_numpy(), df["county"].to_numpy(), referred, rng)
    acw = acw + referred * 180
    df["handle_s"] = np.clip(np.round(handle), 30, 6 * 3600)
    df["acw_s"] = np.clip(np.round(acw), 0, 2 * 3600)
    df["risk_level"] = risk
    return df


def referral_candidates(need: str, county: str | None) -> tuple[list[str], np.ndarray]:
    """Directory services for a need a counsellor could refer to, with weights favouring local ones.

    Read from the validated directory, so every synthetic referral joins to a real service id.
    """
    directory = taxonomy.load_directory()
    ids, weights = [], []
    for service in directory.services_for_need(need):
        if service.id == SELF:
            continue
        if county is not None and county in service.counties:
            ids.append(service.id)
            weights.append(LOCAL_WEIGHT)
        elif NATIONWIDE in service.counties:
            ids.append(service.id)
            weights.append(1.0)
    w = np.array(weights, dtype=float)
    return ids, w / w.sum() if len(w) else w


def _referrals(needs: np.ndarray, counties: np.ndarray, referred: np.ndarray,
               rng: np.random.Generator) -> np.ndarray:
    """A service id for each referred contact: a directory service for its need, local ones first."""
    out = _none(len(needs))
    keys = pd.Series([f"{a}|{b}" for a, b in zip(needs, counties, strict=True)])
    for key, where in keys[referred].groupby(keys[referred]).groups.items():
        need, county = str(key).split("|")
        ids, p = referral_candidates(need, None if county == "None" else county)
        if ids:
            out[np.asarray(where)] = np.array(ids, dtype=object)[rng.choice(len(ids), size=len(where), p=p)]
    return out


def _unhandled(df: pd.DataFrame) -> pd.DataFrame:
    """Contacts nobody answered (abandoned) have no handle time, risk, need, caller type or referral."""
    gone = (df["outcome"] == "abandoned").to_numpy()
    df.loc[gone, ["handle_s", "acw_s"]] = np.nan
    df.loc[gone, ["risk_level", "need", "caller_type", "referral"]] = None
    return df


def _shifts(df: pd.DataFrame, roster: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Assign answered contacts to pseudonymous shifts: 3 eight-hour slots a day, one id per counsellor."""
    handled = df["handle_s"].notna().to_numpy()
    t = pd.DatetimeIndex(df["start_time"])
    slot = t.hour // 8
    grid = roster.set_index(["weekday", "hour"])["counsellors"].sort_index().to_numpy().reshape(7, 24)
    staff = np.maximum(grid[t.day_of_week, slot * 8], 1)
    seat = (rng.random(len(df)) * staff).astype(int)
    day = t.strftime("%Y%m%d").to_numpy()
    key = pd.Series(day, dtype=object) + "-" + pd.Series(slot.astype(str), dtype=object) + "-" + seat.astype(str)
    codes, uniques = pd.factorize(key)
    ids = _hex(rng, len(uniques))
    shift = np.array(["sh-" + s for s in ids], dtype=object)[codes]
    df["shift_id"] = np.where(handled, shift, _none(len(df)))
    return df
