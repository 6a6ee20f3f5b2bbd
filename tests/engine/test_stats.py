# SPDX-License-Identifier: EUPL-1.2
"""Benchmark statistics (kpi-research §5) against hand-computed and published values."""

from __future__ import annotations

import math

import polars as pl
import pytest

from wmo_sla.engine import stats
from wmo_sla.engine.stats import (
    FunnelLimits,
    XmRLimits,
    arcsine_funnel_limits,
    betainc,
    binomial_cdf,
    clopper_pearson_interval,
    dersimonian_laird,
    exact_binomial_funnel_limits,
    mean_funnel_limits,
    norm_niet_gehaald,
    normal_ppf,
    pooled_sd,
    proportion_funnel_frame,
    proportion_funnel_limits,
    proportion_overdispersion,
    signal,
    small_numbers,
    spc_special_causes,
    summarise_mean,
    t_interval,
    t_ppf,
    visible,
    wilson_interval,
    xmr_limits,
)

PP = 0.001  # 0.1 percentage point

# -- distributions -----------------------------------------------------------------------------


def test_normal_quantiles() -> None:
    assert normal_ppf(0.975) == pytest.approx(1.959963984540054, abs=1e-12)
    assert normal_ppf(0.999) == pytest.approx(3.090232306167813, abs=1e-12)
    assert normal_ppf(0.001) == pytest.approx(-3.090232306167813, abs=1e-12)
    assert normal_ppf(0.5) == pytest.approx(0.0, abs=1e-15)
    assert normal_ppf(1e-10) == pytest.approx(-6.361340902404056, abs=1e-9)


def test_incomplete_beta_and_binomial_cdf_by_hand() -> None:
    # I_0.4(2, 3) = P(Bin(4, 0.4) >= 2) = 6·0.4²·0.6² + 4·0.4³·0.6 + 0.4⁴ = 0.5248
    assert betainc(2, 3, 0.4) == pytest.approx(0.5248, abs=1e-12)
    # P(Bin(20, 0.1) <= 2) = Σ_{k≤2} C(20,k) 0.1^k 0.9^(20−k)
    expected = sum(math.comb(20, k) * 0.1**k * 0.9 ** (20 - k) for k in range(3))
    assert binomial_cdf(2, 20, 0.1) == pytest.approx(expected, abs=1e-12)
    assert binomial_cdf(-1, 20, 0.1) == 0.0
    assert binomial_cdf(20, 20, 0.1) == 1.0


def test_t_quantiles_against_tables() -> None:
    assert t_ppf(0.975, 1) == pytest.approx(12.7062, abs=1e-4)
    assert t_ppf(0.975, 9) == pytest.approx(2.2622, abs=1e-4)
    assert t_ppf(0.999, 3) == pytest.approx(10.2145, abs=1e-4)
    assert t_ppf(0.025, 9) == pytest.approx(-2.2622, abs=1e-4)


# -- intervals (§5.1, K13) -------------------------------------------------------------------


def test_wilson_3_of_10_by_hand() -> None:
    z = 1.959963984540054
    p, n = 0.3, 10
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    ci = wilson_interval(3, 10)
    assert ci is not None
    assert ci.lower == pytest.approx(centre - half, abs=1e-12)
    assert ci.upper == pytest.approx(centre + half, abs=1e-12)
    assert (round(ci.lower, 3), round(ci.upper, 3)) == (0.108, 0.603)


def test_intervals_3_of_20_match_research_section_5_1() -> None:
    w, e = wilson_interval(3, 20), clopper_pearson_interval(3, 20)
    assert w is not None and e is not None
    assert (round(w.lower, 3), round(w.upper, 3)) == (0.052, 0.360)
    assert (round(e.lower, 3), round(e.upper, 3)) == (0.032, 0.379)


def test_interval_edges() -> None:
    assert wilson_interval(0, 0) is None
    assert clopper_pearson_interval(0, 0) is None
    zero = clopper_pearson_interval(0, 10)
    full = clopper_pearson_interval(10, 10)
    assert zero is not None and full is not None
    assert zero.lower == 0.0 and zero.upper == pytest.approx(1 - 0.025 ** (1 / 10), abs=1e-9)
    assert full.upper == 1.0 and full.lower == pytest.approx(0.025 ** (1 / 10), abs=1e-9)
    with pytest.raises(ValueError):
        wilson_interval(5, 3)


def test_t_interval_by_hand_and_small_n() -> None:
    ci = t_interval(7.0, 1.0, 10)
    assert ci is not None
    half = 2.262157162740992 / math.sqrt(10)
    assert ci.lower == pytest.approx(7 - half, abs=1e-6)
    assert ci.upper == pytest.approx(7 + half, abs=1e-6)
    assert t_interval(7.0, 1.0, 1) is None
    assert summarise_mean([]).mean is None
    one = summarise_mean([8.0])
    assert (one.n, one.mean, one.sd, one.interval) == (1, 8.0, None, None)
    s = summarise_mean([6.0, 7.0, 8.0])
    assert s.sd == pytest.approx(1.0)
    assert s.interval is not None and s.interval.lower == pytest.approx(7 - 4.302653 / 3**0.5)


# -- funnel limits (§5.2) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "upper_95", "upper_998"),
    [(20, 0.228, 0.335), (50, 0.180, 0.240), (100, 0.158, 0.198)],
)
def test_known_values_reproduced_by_exact_binomial_with_interpolation(
    n: int, upper_95: float, upper_998: float
) -> None:
    lim = exact_binomial_funnel_limits(n, 0.10)
    assert lim is not None
    assert lim.upper_95 == pytest.approx(upper_95, abs=PP)
    assert lim.upper_998 == pytest.approx(upper_998, abs=PP)


def test_known_values_are_not_the_arcsine_limits() -> None:
    lim = arcsine_funnel_limits(20, 0.10)
    assert lim is not None
    assert abs(lim.upper_95 - 0.228) > 0.02  # 26.5 %: the arcsine scale is another method


def test_exact_binomial_interpolation_by_hand_n20() -> None:
    # r_q for q = 0.975 is 5: F(4) = 0.9568 < 0.975 <= F(5) = 0.9887
    f4, f5 = binomial_cdf(4, 20, 0.1), binomial_cdf(5, 20, 0.1)
    alpha = (f5 - 0.975) / (f5 - f4)
    assert stats.binomial_funnel_limit(20, 0.1, 0.975) == pytest.approx((5 - alpha) / 20)


def test_limits_are_ordered_and_narrow_with_n() -> None:
    previous: FunnelLimits | None = None
    for n in (5, 10, 20, 50, 100, 500, 5000):
        for lim in (exact_binomial_funnel_limits(n, 0.3), arcsine_funnel_limits(n, 0.3, 0.001)):
            assert lim is not None
            assert 0 <= lim.lower_998 <= lim.lower_95 <= 0.3 <= lim.upper_95 <= lim.upper_998 <= 1
        cur = arcsine_funnel_limits(n, 0.3)
        assert cur is not None
        if previous is not None:
            assert cur.upper_95 <= previous.upper_95 and cur.lower_95 >= previous.lower_95
        previous = cur


def test_n_zero_gives_no_limits_and_no_signal() -> None:
    assert exact_binomial_funnel_limits(0, 0.1) is None
    assert arcsine_funnel_limits(0, 0.1) is None
    assert mean_funnel_limits(0, 7.0, 1.0) is None
    assert signal(None, 0, None) == "geen"
    assert signal(0.5, 0, exact_binomial_funnel_limits(10, 0.1)) == "geen"


def test_small_n_and_extreme_targets_do_not_crash() -> None:
    for n in (1, 2, 3, 4):
        for target in (0.0, 0.1, 0.5, 1.0):
            for lim in (exact_binomial_funnel_limits(n, target), arcsine_funnel_limits(n, target)):
                assert lim is not None
                assert 0 <= lim.lower_998 <= lim.upper_998 <= 1


def test_proportion_rule_few_providers_exact_else_arcsine() -> None:
    exact = exact_binomial_funnel_limits(20, 0.1)
    assert proportion_funnel_limits(20, 0.1, tau2=0.5, n_providers=4) == exact
    assert proportion_funnel_limits(20, 0.1, tau2=0.01, n_providers=5) == (
        arcsine_funnel_limits(20, 0.1, 0.01)
    )


# -- overdispersion (§5.3) --------------------------------------------------------------------


def test_dersimonian_laird_by_hand() -> None:
    # z = y (s = 1, centre 0); Winsorised at the type-7 10 %/90 % quantiles ±1.6:
    # φ = (1.6² + 1 + 0 + 1 + 1.6²)/5 = 1.424; I·φ = 7.12 > 4; τ² = (7.12 − 4)/(5 − 5/5) = 0.78
    od = dersimonian_laird([-2.0, -1.0, 0.0, 1.0, 2.0], [1.0] * 5, 0.0)
    assert od.phi == pytest.approx(1.424)
    assert od.tau2 == pytest.approx(0.78)


def test_dersimonian_laird_no_overdispersion() -> None:
    od = dersimonian_laird([-0.5, 0.0, 0.5, 0.2, -0.2], [1.0] * 5, 0.0)
    assert od.tau2 == 0.0
    assert dersimonian_laird([3.0], [1.0], 0.0).tau2 == 0.0


def test_homogeneous_providers_have_no_overdispersion() -> None:
    od = proportion_overdispersion([10, 20, 5, 30, 15], [100, 200, 50, 300, 150])
    assert od.n_units == 5
    assert od.tau2 == 0.0


def test_overdispersed_providers_widen_the_limits() -> None:
    od = proportion_overdispersion([1, 5, 10, 20, 40, 0], [100, 100, 100, 100, 100, 0])
    assert od.n_units == 5
    assert od.tau2 > 0
    plain, wide = arcsine_funnel_limits(100, 0.1), arcsine_funnel_limits(100, 0.1, od.tau2)
    assert plain is not None and wide is not None
    assert wide.upper_95 > plain.upper_95


def test_zero_numerators_and_full_numerators_are_valid() -> None:
    od = proportion_overdispersion([0, 0, 10, 10, 5], [10, 10, 10, 10, 10])
    assert math.isfinite(od.tau2) and od.tau2 > 0


def test_pooled_sd() -> None:
    assert pooled_sd([(3, 1.0), (5, 2.0), (1, 9.0)]) == pytest.approx(math.sqrt((2 + 16) / 6))
    assert pooled_sd([(1, 3.0)]) is None


def test_log_mean_funnel_is_symmetric_on_the_log_scale() -> None:
    lim = stats.log_mean_funnel_limits(25, 10.0, 0.5)
    assert lim is not None
    assert lim.upper_95 * lim.lower_95 == pytest.approx(100.0)
    assert math.log(lim.upper_95 / 10) == pytest.approx(1.959964 * 0.5 / 5, abs=1e-6)
    with_offset = stats.log_mean_funnel_limits(25, 0.0, 0.5, offset=1.0)
    assert with_offset is not None and with_offset.lower_95 < 0 < with_offset.upper_95


# -- flags ------------------------------------------------------------------------------------


def test_norm_niet_gehaald() -> None:
    assert norm_niet_gehaald(0.12, 0.10, "lager-is-beter") is True
    assert norm_niet_gehaald(0.10, 0.10, "lager-is-beter") is False
    assert norm_niet_gehaald(0.85, 0.90, "hoger-is-beter") is True
    assert norm_niet_gehaald(0.90, 0.90, "hoger-is-beter") is False
    assert norm_niet_gehaald(0.5, 0.1, "context") is None
    assert norm_niet_gehaald(None, 0.1, "lager-is-beter") is None


def test_signal_levels_and_direction() -> None:
    lim = FunnelLimits(lower_95=0.05, upper_95=0.15, lower_998=0.02, upper_998=0.20)
    assert signal(0.10, 50, lim) == "geen"
    assert signal(0.16, 50, lim) == "let op"
    assert signal(0.25, 50, lim) == "signaal"
    assert signal(0.01, 50, lim) == "signaal"
    assert signal(0.01, 50, lim, "lager-is-beter") == "geen"  # better than the norm
    assert signal(0.25, 50, lim, "hoger-is-beter") == "geen"
    assert signal(0.04, 50, lim, "hoger-is-beter") == "let op"


def test_small_numbers_marking() -> None:
    assert [small_numbers(n) for n in (0, 4, 5, 19, 20)] == [
        "onderdrukt",
        "onderdrukt",
        "kleine aantallen",
        "kleine aantallen",
        "voldoende",
    ]
    assert small_numbers(9, suppress_below=stats.K13_SUPPRESS_BELOW) == "onderdrukt"
    assert visible(3, municipal=True) and not visible(3, municipal=False)
    assert visible(5, municipal=False)


def test_proportion_funnel_frame_per_group() -> None:
    df = pl.DataFrame(
        {
            "groep": ["a"] * 6 + ["b"] * 3,
            "x": [0, 2, 5, 10, 3, 30, 1, 0, 4],
            "n": [10, 20, 40, 50, 0, 60, 5, 3, 4],
        }
    )
    out = proportion_funnel_frame(
        df,
        numerator_col="x",
        denominator_col="n",
        target=0.1,
        direction="lager-is-beter",
        by=["groep"],
    )
    assert out.height == 9
    a, b = out.filter(pl.col("groep") == "a"), out.filter(pl.col("groep") == "b")
    assert set(a["funnel_method"]) == {"arcsinus"}  # 5 providers with n > 0
    assert set(b["funnel_method"]) == {"binomiaal-exact"}
    assert set(b["tau2"]) == {0.0}
    # the n = 0 row: no value, no limits, no signal
    empty = out.filter(pl.col("n") == 0).row(0, named=True)
    assert empty["value"] is None and empty["upper_95"] is None and empty["signal"] == "geen"
    assert empty["small_numbers"] == "onderdrukt"
    # each row's limits equal the scalar function
    for row in out.filter(pl.col("n") > 0).iter_rows(named=True):
        providers = 5 if row["groep"] == "a" else 3
        lim = proportion_funnel_limits(row["n"], 0.1, tau2=row["tau2"], n_providers=providers)
        assert lim is not None and row["upper_95"] == pytest.approx(lim.upper_95)
        assert row["signal"] == signal(row["value"], row["n"], lim, "lager-is-beter")
        assert row["norm_niet_gehaald"] == (row["value"] > 0.1)
    assert b.filter(pl.col("x") == 4)["signal"].item() == "signaal"  # 4/4 against 10 %


def test_mean_funnel_frame_log_scale() -> None:
    df = pl.DataFrame({"v": [10.0, 12.0, 30.0, 8.0, 9.0, 11.0], "n": [20, 30, 25, 0, 40, 15]})
    out = stats.mean_funnel_frame(
        df, value_col="v", n_col="n", target=10.0, sd=0.5, log_scale=True, overdispersion=False
    )
    row = out.filter(pl.col("v") == 30.0).row(0, named=True)
    lim = stats.log_mean_funnel_limits(25, 10.0, 0.5)
    assert lim is not None and row["upper_998"] == pytest.approx(lim.upper_998)
    assert row["signal"] == "signaal"
    assert out.filter(pl.col("n") == 0)["upper_95"].item() is None


# -- SPC (§5.6) -------------------------------------------------------------------------------


def _no_flags(values: list[float]) -> bool:
    return not any(p.special_cause for p in spc_special_causes(values))


def test_flat_and_noisy_series_have_no_special_cause() -> None:
    assert _no_flags([5.0] * 12)
    assert _no_flags([10.0, 11.0] * 8)
    assert _no_flags([])
    assert _no_flags([3.0])


def test_xmr_limits_and_screening() -> None:
    lim = xmr_limits([10.0, 11.0] * 10 + [100.0])
    assert lim is not None
    assert lim.average_moving_range == pytest.approx(1.0)  # the jump of 89 is screened out
    assert lim.upper - lim.mean == pytest.approx(2.66)
    assert lim.upper_close - lim.mean == pytest.approx(2.66 * 2 / 3)


def test_point_outside_the_limits() -> None:
    points = spc_special_causes([10.0, 11.0] * 8 + [30.0])
    assert points[-1].outside and points[-1].special_cause
    assert not any(p.outside for p in points[:-1])


def test_run_of_seven_on_one_side() -> None:
    limits = XmRLimits(0.0, 1.0, -3.0, 3.0, -2.0, 2.0)
    six = [-0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, -0.5]
    seven = [-0.5, *[0.5] * 7, -0.5]
    assert not any(p.run for p in spc_special_causes(six, limits))
    flags = [p.run for p in spc_special_causes(seven, limits)]
    assert flags == [False, *[True] * 7, False]
    on_mean = [0.5, 0.5, 0.5, 0.0, 0.5, 0.5, 0.5, 0.5]  # a point on the mean breaks the run
    assert not any(p.run for p in spc_special_causes(on_mean, limits))


def test_trend_of_seven() -> None:
    limits = XmRLimits(0.0, 1.0, -3.0, 3.0, -2.0, 2.0)
    up = [0.0, -0.5, -0.4, -0.3, 0.1, 0.2, 0.3, 0.4, 0.0]  # 7 rising points: index 1..7
    flags = [p.trend for p in spc_special_causes(up, limits)]
    assert flags == [False, *[True] * 7, False]
    down = [0.4, 0.3, 0.2, 0.1, 0.0, -0.1, -0.2]
    assert all(p.trend for p in spc_special_causes(down, limits))
    six = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.1]
    assert not any(p.trend for p in spc_special_causes(six, limits))
    assert any(p.trend for p in spc_special_causes(six, limits, trend_length=6))


def test_two_of_three_close_to_a_limit() -> None:
    limits = XmRLimits(0.0, 1.0, -3.0, 3.0, -2.0, 2.0)
    hit = [0.5, -0.5, 2.5, 0.5, 2.5, -0.5, 0.5]
    flags = [p.two_of_three for p in spc_special_causes(hit, limits)]
    assert flags == [False, False, True, False, True, False, False]
    # opposite sides of the mean do not count (NHSRplotthedots issue #143)
    split = [0.5, -0.5, 2.5, -0.5, 2.5, -0.5, 0.5]
    assert not any(p.two_of_three for p in spc_special_causes(split, limits))
    below = [-2.5, -0.5, -2.5]
    points = spc_special_causes(below, limits)
    assert [p.two_of_three for p in points] == [True, False, True]
