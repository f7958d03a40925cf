"""KPI definitions against hand-computed cases."""

from __future__ import annotations

import math

import pytest
from stats_helpers import contacts_frame

from abikaart.stats import kpi


def five_contacts():  # type: ignore[no-untyped-def]
    """Hand case: 4 phone contacts at 10:xx on a Monday, 1 chat at 22:xx; 1 abandoned, 1 callback."""
    return contacts_frame([
        {"start_time": "2026-10-05T10:00:00", "wait_s": 10.0, "handle_s": 600.0, "acw_s": 60.0, "language": "et"},
        {"start_time": "2026-10-05T10:10:00", "wait_s": 30.0, "handle_s": 900.0, "acw_s": 120.0, "language": "ru"},
        {"start_time": "2026-10-05T10:20:00", "wait_s": 45.0, "outcome": "abandoned", "handle_s": None,
         "acw_s": None, "shift_id": None, "need": None},
        {"start_time": "2026-10-05T10:30:00", "wait_s": 90.0, "outcome": "callback", "handle_s": 300.0},
        {"start_time": "2026-10-05T22:00:00", "wait_s": 5.0, "handle_s": 1800.0, "acw_s": 0.0,
         "channel": "chat"},
    ])


def test_overall_kpis_by_hand() -> None:
    row = kpi.kpi_table(five_contacts()).iloc[0]
    assert (row["offered"], row["answered"], row["abandoned"], row["callback"]) == (5, 3, 1, 1)
    assert row["answer_rate"] == pytest.approx(3 / 5)
    assert row["abandon_rate"] == pytest.approx(1 / 5)
    assert row["asa_s"] == pytest.approx((10 + 30 + 5) / 3)
    # within 20 s: waits 10 and 5 of the answered; strict service level is over all offered
    assert row["service_level"] == pytest.approx(2 / 5)
    assert row["aht_s"] == pytest.approx((660 + 1020 + 1800) / 3)
    assert row["talk_s"] == pytest.approx((600 + 900 + 1800) / 3)


def test_kpis_by_channel_and_hour() -> None:
    by_channel = kpi.kpi_table(five_contacts(), "channel")
    assert by_channel.loc["phone", "offered"] == 4
    assert by_channel.loc["chat", "answer_rate"] == 1.0
    by_hour = kpi.kpi_table(five_contacts(), "hour")
    assert list(by_hour.index) == [10, 22]
    assert by_hour.loc[10, "service_level"] == pytest.approx(1 / 4)
    by_wd = kpi.kpi_table(five_contacts(), "weekday")
    assert list(by_wd.index) == [0]


def test_short_abandons_and_threshold() -> None:
    df = five_contacts()
    row = kpi.kpi_table(df, short_abandon_s=60).iloc[0]
    assert row["offered"] == 4 and row["abandoned"] == 0
    assert kpi.kpi_table(df, sl_seconds=30).iloc[0]["service_level"] == pytest.approx(3 / 5)


def test_no_answers_gives_nan_not_zero() -> None:
    df = contacts_frame([{"outcome": "abandoned", "handle_s": None, "acw_s": None, "wait_s": 40.0}])
    row = kpi.kpi_table(df).iloc[0]
    assert row["answer_rate"] == 0 and math.isnan(row["asa_s"]) and math.isnan(row["aht_s"])


def test_email_is_reported_within_hours() -> None:
    df = contacts_frame([
        {"channel": "email", "wait_s": 3600.0},
        {"channel": "email", "wait_s": 10 * 3600.0},
        {"channel": "email", "wait_s": 30 * 3600.0},
        {"channel": "phone", "wait_s": 1.0},
    ])
    out = kpi.email_response(df).iloc[0]
    assert out["received"] == 3
    assert out["share_within_4h"] == pytest.approx(1 / 3)
    assert out["share_within_24h"] == pytest.approx(2 / 3)
    assert kpi.kpi_table(df).iloc[0]["offered"] == 1  # e-mail is not a live queue


def test_period_and_daily_counts() -> None:
    df = contacts_frame([{"start_time": "2026-09-30T23:59:00"}, {"start_time": "2026-10-01T00:01:00"},
                         {"start_time": "2026-10-03T12:00:00"}])
    assert len(kpi.in_period(df, "2026-10")) == 2
    assert len(kpi.in_period(df, "2026-Q3")) == 1
    daily = kpi.daily_counts(df)
    assert daily.tolist() == [1, 1, 0, 1]
