"""Synthetic data realism, language demand, unmet demand, workload and forecast."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from stats_helpers import contacts_frame

from abikaart.stats import contract, forecast, kpi, language, synth, taxonomy, unmet, workload


def test_synth_is_deterministic_and_valid(small_contacts: pd.DataFrame) -> None:
    again = synth.synthesize(2026, seed=7, start=dt.date(2026, 7, 1), end=dt.date(2026, 10, 31))
    pd.testing.assert_frame_equal(small_contacts, again)
    other = synth.synthesize(2026, seed=8, start=dt.date(2026, 7, 1), end=dt.date(2026, 7, 31))
    assert not other["contact_id"].isin(small_contacts["contact_id"]).any()
    contract.validate_contacts(small_contacts.astype(object))


def test_synth_referrals_join_to_the_directory(small_contacts: pd.DataFrame) -> None:
    """Every synthetic referral is a directory service that serves the contact's need (local or nationwide),
    and the partners are many, so "referrals by partner" means something."""
    directory = taxonomy.load_directory()
    referred = small_contacts.dropna(subset=["referral"])
    assert len(referred) > 1000
    joined = referred.merge(pd.DataFrame({"referral": list(directory.services)}), on="referral", how="left",
                            indicator=True)
    assert (joined["_merge"] == "both").all()
    for row in referred.drop_duplicates(["referral", "need", "county"]).itertuples():
        service = directory.services[str(row.referral)]
        assert row.need in service.needs
        assert "nationwide" in service.counties or row.county in service.counties
    assert referred["referral"].nunique() >= 15 and synth.SELF not in set(referred["referral"])
    local = referred[referred["referral"] == "naiste-tugikeskus-tartu"]
    assert set(local["county"].dropna()) <= {"tartu", "polva"}


def test_synth_has_daily_weekly_and_language_patterns(small_contacts: pd.DataFrame) -> None:
    d = kpi.with_calendar(small_contacts)
    per_hour = d.groupby("hour").size()
    assert per_hour.loc[20] > 2.5 * per_hour.loc[4]  # evening peak vs. night
    night_share = (d["hour"] < 7).mean()
    assert 0.08 < night_share < 0.25
    share = d["language"].value_counts(normalize=True)
    assert share["et"] > 0.6 and 0.15 < share["ru"] < 0.35 and share["en"] > 0.02
    assert set(d["channel"]) == {"phone", "chat", "email", "video"}
    july, october = (d["month"] == "2026-07").sum(), (d["month"] == "2026-10").sum()
    assert october > july  # summer is quieter


def test_synth_abandonment_rises_with_load(small_contacts: pd.DataFrame) -> None:
    d = kpi.with_calendar(small_contacts[(small_contacts["channel"] == "phone").to_numpy()])
    daily = d.groupby("date").agg(n=("outcome", "size"), ab=("outcome", lambda s: (s == "abandoned").mean()))
    busy = daily["n"] >= daily["n"].quantile(0.9)
    assert daily.loc[busy, "ab"].mean() > daily.loc[~busy, "ab"].mean()


def test_language_share_and_trend() -> None:
    df = contacts_frame([{"start_time": "2026-09-01T10:00:00", "language": "et"},
                         {"start_time": "2026-09-02T10:00:00", "language": "ru"},
                         {"start_time": "2026-10-01T10:00:00", "language": "ru"},
                         {"start_time": "2026-10-02T10:00:00", "language": "ru"}])
    share = language.language_share(df)
    assert share.loc["2026-09", "ru"] == 0.5 and share.loc["2026-10", "ru"] == 1.0
    trend = language.language_trend(df)
    assert trend.loc["ru", "slope_pp_per_month"] == pytest.approx(50.0)
    assert trend.loc["uk", "contacts"] == 0


def test_speakers_needed_compares_roster(small_contacts: pd.DataFrame) -> None:
    out = language.speakers_needed(small_contacts, synth.default_roster())
    assert list(out.index) == list(range(24))
    assert (out["ru_needed"] >= 1).all()
    assert out["ru_contacts_per_hour"].sum() > out["en_contacts_per_hour"].sum()


def test_unmet_demand_by_hand() -> None:
    df = contacts_frame([
        {"start_time": "2026-10-05T02:00:00", "channel": "chat", "outcome": "abandoned", "handle_s": None,
         "caller_token": "aaaaaaaaaaaaaaaa"},
        {"start_time": "2026-10-05T03:00:00", "channel": "phone", "caller_token": "aaaaaaaaaaaaaaaa"},
        {"start_time": "2026-10-05T10:00:00", "channel": "phone", "outcome": "abandoned", "handle_s": None,
         "caller_token": "bbbbbbbbbbbbbbbb"},
        {"start_time": "2026-10-07T10:00:00", "channel": "phone", "caller_token": "bbbbbbbbbbbbbbbb"},
    ])
    table = unmet.unmet_table(df, synth.default_roster())
    assert table.loc[2, "outside_hours"] == 1  # chat is closed at night
    assert table.loc[2, "repeat_after_abandon"] == 1  # came back an hour later
    assert table.loc[10, "repeat_after_abandon"] == 0  # came back after two days: not within 24 h
    assert table.loc[10, "abandoned"] == 1 and table.loc[10, "unmet_share"] == 0.5


def test_workload_consecutive_difficult_runs_and_flags() -> None:
    rows: list[dict[str, object]] = [{"risk_level": "high", "shift_id": "sh-x", "handle_s": 600.0, "acw_s": 0.0}
                                     for _ in range(5)]
    # each 10-minute contact starts `gap` minutes after the previous one ends
    t = pd.Timestamp("2026-10-05T10:00:00")
    for row, gap in zip(rows, [0, 5, 5, 5, 30], strict=True):
        t = t + pd.Timedelta(minutes=gap)
        row["start_time"] = t.isoformat()
        t = t + pd.Timedelta(minutes=10)
    rows.append({"start_time": "2026-10-05T23:00:00", "shift_id": "sh-y", "risk_level": "low"})
    summary = workload.shift_summary(contacts_frame(rows))
    x, y = summary.loc["sh-x"], summary.loc["sh-y"]
    assert x["contacts"] == 5 and x["high_risk"] == 5
    assert x["max_difficult_run"] == 4  # the 30-minute break ends the run
    assert bool(x["flag_many_high_risk"]) and bool(x["flag_difficult_run"])
    assert y["night"] and not bool(y["flag_any"])
    team = workload.team_workload(summary)
    assert team.loc["day", "shifts"] == 1 and team.loc["night", "share_any"] == 0


def test_forecast_beats_or_matches_baseline_and_has_quarter(small_contacts: pd.DataFrame) -> None:
    daily = kpi.daily_counts(small_contacts)
    err = forecast.holdout_error(daily, holdout_weeks=6)
    assert set(err.index) == {"holt_winters", "seasonal_naive"}
    assert (err["mape"] < 0.5).all()
    assert err.loc["holt_winters", "mae"] <= err.loc["seasonal_naive", "mae"]
    assert err.loc["holt_winters", "mape"] <= err.loc["seasonal_naive", "mape"]
    weekly = forecast.forecast_weekly(daily, 13)
    assert len(weekly) == 13
    assert (weekly["lower"] <= weekly["forecast"]).all() and (weekly["forecast"] <= weekly["upper"]).all()
    mean_week = forecast.weekly(daily).iloc[1:-1].mean()
    assert 0.5 * mean_week < weekly["forecast"].mean() < 1.5 * mean_week
    hourly = forecast.forecast_hourly(small_contacts, daily)
    assert hourly.shape == (7, 24) and np.isclose(hourly.sum(axis=1).mean(), weekly["forecast"].mean() / 7,
                                                  rtol=0.2)


def test_forecast_follows_a_trend_the_baseline_cannot() -> None:
    """Demand growing by one contact a day on a weekly pattern: repeating last week (the baseline) falls a week
    further behind with every held-out week, the Holt-Winters trend does not. A forecast that only repeated the
    last week, or ignored the trend, would lose this comparison."""
    rng = np.random.default_rng(1)
    days = pd.date_range("2026-01-05", periods=20 * 7, freq="D")
    t = np.arange(len(days))
    weekly_pattern = np.array([0, 5, 10, 5, 0, -10, -20])
    daily = pd.Series(100 + 1.0 * t + weekly_pattern[t % 7] + rng.normal(0, 3, len(t)), index=days)
    err = forecast.holdout_error(daily, holdout_weeks=6)
    # The baseline's weekly error is 49 contacts per week of horizon: 49 * (1 + ... + 6) / 6 = 171.5 on average.
    assert err.loc["seasonal_naive", "mae"] == pytest.approx(171.5, rel=0.1)
    assert err.loc["holt_winters", "mae"] < 0.5 * err.loc["seasonal_naive", "mae"]
    assert abs(err.loc["holt_winters", "bias"]) < abs(err.loc["seasonal_naive", "bias"])


def test_forecast_needs_history() -> None:
    daily = pd.Series(np.ones(40), index=pd.date_range("2026-01-05", periods=40, freq="D"))
    with pytest.raises(ValueError, match="history"):
        forecast.holdout_error(daily, holdout_weeks=8)
