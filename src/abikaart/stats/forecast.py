"""Forecast of daily, weekly and hourly demand for the next quarter, with error on held-out weeks.

Method: additive Holt-Winters exponential smoothing with a damped trend and weekly seasonality
(statsmodels), fitted to daily counts; hours follow the recent hour-of-week profile.  It is compared on
held-out weeks with the seasonal-naive baseline (same weekday last week), so its value is visible.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from abikaart.stats.kpi import with_calendar

MIN_TRAIN_DAYS = 28


def _fit_predict(train: pd.Series, horizon: int) -> np.ndarray:
    """Holt-Winters forecast of `horizon` days; seasonal naive if the history is too short."""
    if len(train) < MIN_TRAIN_DAYS:
        return seasonal_naive(train, horizon)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ExponentialSmoothing(train.to_numpy(dtype=float), trend="add", damped_trend=True,
                                     seasonal="add", seasonal_periods=7, initialization_method="estimated")
        fit = model.fit(optimized=True, use_brute=False)  # the brute-force start search costs 60% of the fit
        pred: np.ndarray = np.clip(np.asarray(fit.forecast(horizon), dtype=float), 0, None)
    return pred


def seasonal_naive(train: pd.Series, horizon: int) -> np.ndarray:
    """Repeat the last observed week: the baseline any forecast must beat."""
    last = train.to_numpy(dtype=float)[-7:]
    out: np.ndarray = np.resize(last, horizon) if len(last) else np.zeros(horizon)
    return out


def forecast_daily(daily: pd.Series, horizon_days: int = 91) -> pd.DataFrame:
    """Daily forecast with a rough 80% band from the spread of week-on-week differences (hourly planning only;
    the weekly forecast has its own held-out interval)."""
    pred = _fit_predict(daily, horizon_days)
    index = pd.date_range(daily.index[-1] + pd.Timedelta(days=1), periods=horizon_days, freq="D")
    resid = daily.to_numpy(dtype=float)[7:] - daily.to_numpy(dtype=float)[:-7]
    spread = 1.2816 * float(np.std(resid)) if len(resid) > 1 else 0.0
    return pd.DataFrame({"forecast": pred, "lower": np.clip(pred - spread, 0, None), "upper": pred + spread},
                        index=index)


def weekly(series: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Sum daily values into ISO weeks starting on Monday."""
    return series.resample("W-SUN").sum()


Z80 = 1.2816
"""Half-width of a central 80% normal interval, in standard errors."""


def horizon_errors(full: pd.Series, horizon_weeks: int, origins: int = 6) -> list[list[float]]:
    """Held-out weekly errors (forecast minus actual) by horizon, from rolling origins a week apart.

    Each origin fits on the days before it and forecasts the weeks after it that the history still
    covers; errors[h - 1] collects the errors h weeks ahead.  This is how far the forecast has actually
    missed, by how far ahead it looked, rather than a spread of the history.
    """
    errors: list[list[float]] = [[] for _ in range(horizon_weeks)]
    days = len(full)
    for k in range(1, origins + 1):
        origin = days - 7 * k
        if origin < MIN_TRAIN_DAYS:
            break
        weeks = min(horizon_weeks, (days - origin) // 7)
        pred = _fit_predict(full[:origin], weeks * 7)
        actual = full.to_numpy(dtype=float)[origin:origin + weeks * 7]
        err = pred.reshape(weeks, 7).sum(axis=1) - actual.reshape(weeks, 7).sum(axis=1)
        for h in range(weeks):
            errors[h].append(float(err[h]))
    return errors


def horizon_spread(errors: list[list[float]], min_errors: int = 3) -> np.ndarray:
    """Root mean square held-out error per horizon, never narrowing as the horizon grows.

    Where fewer than `min_errors` errors exist (the history is shorter than the horizon) the last measured
    spread grows with the square root of the horizon, as a random walk's would: an assumption, stated.
    """
    spread = np.full(len(errors), np.nan)
    last = None
    for h, errs in enumerate(errors):
        if len(errs) >= min_errors:
            spread[h] = float(np.sqrt(np.mean(np.square(errs))))
            last = h
        elif last is not None:
            spread[h] = spread[last] * math.sqrt((h + 1) / (last + 1))
    if last is None:
        raise ValueError(f"need at least {MIN_TRAIN_DAYS // 7 + min_errors} full weeks of history for an interval")
    out: np.ndarray = np.maximum.accumulate(spread)
    return out


def forecast_weekly(daily: pd.Series, horizon_weeks: int = 13) -> pd.DataFrame:
    """Weekly totals for the next quarter (13 weeks) after the last full week of history, with an 80%
    interval from the forecast's own held-out errors at each horizon (it widens as it looks further)."""
    full = full_weeks(daily)
    days = _fit_predict(full, horizon_weeks * 7)
    index = pd.date_range(full.index[-1] + pd.Timedelta(days=1), periods=horizon_weeks * 7, freq="D")
    sums = weekly(pd.Series(days, index=index))
    assert isinstance(sums, pd.Series)
    out = sums.to_frame("forecast")
    spread = Z80 * horizon_spread(horizon_errors(full, horizon_weeks))
    out["lower"] = np.clip(out["forecast"].to_numpy() - spread, 0, None)
    out["upper"] = out["forecast"].to_numpy() + spread
    out.index.name = "week"
    return out


def full_weeks(daily: pd.Series) -> pd.Series:
    """Trim the history to whole Monday-Sunday weeks so weekly sums are comparable."""
    start = daily.index[0] + pd.Timedelta(days=(7 - daily.index[0].weekday()) % 7)
    end = daily.index[-1] - pd.Timedelta(days=(daily.index[-1].weekday() + 1) % 7)
    return daily[start:end]


def holdout_error(daily: pd.Series, holdout_weeks: int = 8) -> pd.DataFrame:
    """Weekly error of the forecast and of seasonal naive on the last `holdout_weeks` weeks, held out."""
    full = full_weeks(daily)
    horizon = holdout_weeks * 7
    if len(full) < horizon + MIN_TRAIN_DAYS:
        raise ValueError(f"need at least {horizon + MIN_TRAIN_DAYS} days of history for the held-out check")
    train, test = full[:-horizon], full[-horizon:]
    actual = weekly(test)
    rows = []
    for method, pred in (("holt_winters", _fit_predict(train, horizon)), ("seasonal_naive",
                                                                             seasonal_naive(train, horizon))):
        predicted = weekly(pd.Series(pred, index=test.index))
        err = np.asarray(predicted, dtype=float) - np.asarray(actual, dtype=float)
        rows.append({"method": method, "weeks": holdout_weeks, "mae": float(np.mean(np.abs(err))),
                     "mape": float(np.mean(np.abs(err) / np.maximum(np.asarray(actual, dtype=float), 1))),
                     "bias": float(np.mean(err))})
    return pd.DataFrame(rows).set_index("method")


def hour_of_week_profile(df: pd.DataFrame, weeks: int = 12) -> pd.DataFrame:
    """Share of each weekday's contacts falling in each hour, over the last `weeks` weeks (7 x 24)."""
    d = with_calendar(df)
    cutoff = d["start_time"].max() - pd.Timedelta(weeks=weeks)
    d = d[(d["start_time"] > cutoff).to_numpy()]
    counts = np.bincount(d["how"].to_numpy(), minlength=168).reshape(7, 24).astype(float) + 0.5
    return pd.DataFrame(counts / counts.sum(axis=1, keepdims=True), columns=pd.RangeIndex(24, name="hour"),
                        index=pd.RangeIndex(7, name="weekday"))


def forecast_hourly(df: pd.DataFrame, daily: pd.Series, horizon_days: int = 91) -> pd.DataFrame:
    """Mean forecast contacts per hour of the week over the horizon (weekday x hour)."""
    days = forecast_daily(daily, horizon_days)
    weekdays = pd.DatetimeIndex(days.index).day_of_week
    per_weekday = days["forecast"].groupby(weekdays).mean().reindex(range(7), fill_value=0.0)
    profile = hour_of_week_profile(df)
    return profile.mul(per_weekday.to_numpy(), axis=0)
