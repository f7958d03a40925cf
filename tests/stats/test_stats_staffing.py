"""Erlang B, C and A against published numbers and exact identities; staffing rules."""

from __future__ import annotations

import math

import pytest
from scipy import special, stats  # type: ignore[import-untyped]
from stats_helpers import contacts_frame

from abikaart.stats import staffing, synth


def test_erlang_b_table_value() -> None:
    # Standard Erlang B tables (e.g. ITU-T E.800-series traffic tables): 10 erlangs on 15 circuits, B = 0.0365
    assert staffing.erlang_b(15, 10.0) == pytest.approx(0.03650, abs=5e-5)
    assert staffing.erlang_b(0, 3.0) == 1.0


def test_erlang_c_call_centre_helper_worked_example() -> None:
    # Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example": 100 calls in 30 min,
    # AHT 180 s, 80% in 20 s.  A = 10 erlangs; with 11 agents P(wait) = 0.6821 and service level 39%;
    # 14 agents are the first to reach 80% (about 89%); with 30% shrinkage that is 20 agents.
    a, aht = 10.0, 180.0
    assert staffing.erlang_c(11, a) == pytest.approx(0.6821, abs=5e-5)
    assert staffing.service_level_c(11, a, aht, 20) == pytest.approx(0.39, abs=0.005)
    assert staffing.service_level_c(13, a, aht, 20) < 0.8 <= staffing.service_level_c(14, a, aht, 20)
    assert staffing.agents_erlang_c(200 / 3600, aht, 0.8, 20) == 14
    assert math.ceil(14 / (1 - 0.3)) == 20
    assert staffing.asa_c(14, a, aht) == pytest.approx(7.8, abs=0.05)


def test_erlang_c_is_stable_for_large_n() -> None:
    c = staffing.erlang_c(2000, 1900.0)
    assert 0 < c < 1 and math.isfinite(c)
    assert staffing.erlang_c(5, 5.0) == 1.0 and staffing.service_level_c(5, 6.0, 60, 20) == 0.0


def mandelbaum_zeltyn(n: int, lam: float, mu: float, theta: float) -> tuple[float, float]:
    """P(wait > 0) and P(abandon) of Erlang A in closed form (Mandelbaum & Zeltyn, 'The Palm/Erlang-A queue,
    with applications to call centers', 2007: A(x,y) = x e^y y^-x γ(x,y), x = nμ/θ, y = λ/θ)."""
    x, y = n * mu / theta, lam / theta
    big_a = math.exp(math.log(x) + y - x * math.log(y) + math.log(special.gammainc(x, y)) + special.gammaln(x))
    e = staffing.erlang_b(n, lam / mu)
    p_wait = big_a * e / (1 + (big_a - 1) * e)
    rho = lam / (n * mu)
    return p_wait, (1 / (rho * big_a) + 1 - 1 / rho) * p_wait


@pytest.mark.parametrize(("n", "per_hour", "aht", "patience"),
                         [(12, 200, 180, 180), (5, 10, 900, 120), (3, 20, 600, 300), (2, 3, 1200, 90)])
def test_erlang_a_matches_published_closed_form(n: int, per_hour: float, aht: float, patience: float) -> None:
    lam = per_hour / 3600
    result = staffing.erlang_a(n, lam, aht, patience, 20)
    p_wait, p_abandon = mandelbaum_zeltyn(n, lam, 1 / aht, 1 / patience)
    assert result.p_wait == pytest.approx(p_wait, rel=1e-9)
    assert result.p_abandon == pytest.approx(p_abandon, rel=1e-9)


def test_erlang_a_with_patience_equal_to_handle_time_is_poisson() -> None:
    # With θ = μ the number in system is Poisson(λ/μ) (M/M/∞), so P(wait) = P(N >= n) exactly.
    r = staffing.erlang_a(12, 200 / 3600, 180, 180, 20)
    assert r.p_wait == pytest.approx(stats.poisson.sf(11, 10), rel=1e-12)


def test_erlang_a_tends_to_erlang_c_without_abandonment() -> None:
    r = staffing.erlang_a(14, 200 / 3600, 180, 1e8, 20)
    assert r.p_wait == pytest.approx(staffing.erlang_c(14, 10), rel=1e-5)
    assert r.service_level == pytest.approx(staffing.service_level_c(14, 10, 180, 20), rel=1e-5)
    assert r.asa == pytest.approx(staffing.asa_c(14, 10, 180), rel=1e-4)


def test_erlang_a_abandonment_lowers_staff_needed() -> None:
    c = staffing.agents_erlang_c(200 / 3600, 180, 0.8, 20)
    a = staffing.agents_erlang_a(200 / 3600, 180, 180, 0.8, 20)
    assert a < c
    assert staffing.erlang_a(a, 200 / 3600, 180, 180, 20).service_level >= 0.8
    assert staffing.erlang_a(a - 1, 200 / 3600, 180, 180, 20).service_level < 0.8


def test_small_queue_gets_minimum_and_shrinkage() -> None:
    # Two phone calls in the whole week: queueing says ~1 counsellor, the minimum per hour says 2.
    df = contacts_frame([{"start_time": "2026-10-05T03:10:00"}, {"start_time": "2026-10-05T03:40:00",
                                                                 "outcome": "abandoned", "handle_s": None,
                                                                 "wait_s": 60.0}])
    table = staffing.staffing_table(df, synth.default_roster())
    assert len(table) == 168
    assert (table["needed"] >= 2).all()
    monday_3 = table[(table["weekday"] == 0) & (table["hour"] == 3)].iloc[0]
    assert monday_3["phone_erlang_a"] >= 1
    assert monday_3["gap"] == monday_3["roster"] - monday_3["needed"]


def test_language_minimum_applies() -> None:
    df = contacts_frame([{"language": "et"}])
    ru = staffing.language_staffing(df, "ru", synth.default_roster())
    assert (ru["needed"] == 1).all()  # no Russian demand at all, still one Russian speaker per hour
