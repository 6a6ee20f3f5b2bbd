# SPDX-License-Identifier: EUPL-1.2
"""Funnel limits as curves over n: the known values, and the same limits the flags used."""

from __future__ import annotations

import polars as pl
import pytest

from wmo_sla.engine.funnel_curves import (
    counts_from_figures,
    curve_ns,
    limit_curve,
    proportion_funnel,
)
from wmo_sla.engine.stats import proportion_funnel_frame


def test_known_values_with_tau2_zero_exact_binomial():
    # θ₀ = 10 %, fewer than 5 providers → τ² = 0 and exact binomial limits (kpi-research §5.2).
    funnel = proportion_funnel([(2, 20), (15, 100)], 0.10)
    assert funnel.method == "binomiaal-exact"
    assert funnel.tau2 == 0.0
    curve = {p.n: p.limits for p in limit_curve(funnel, [20, 50, 100])}
    assert curve[20].upper_95 == pytest.approx(0.228, abs=0.0005)
    assert curve[20].upper_998 == pytest.approx(0.335, abs=0.0005)
    assert curve[50].upper_95 == pytest.approx(0.180, abs=0.0005)
    assert curve[50].upper_998 == pytest.approx(0.240, abs=0.0005)
    assert curve[100].upper_95 == pytest.approx(0.158, abs=0.0005)
    assert curve[100].upper_998 == pytest.approx(0.198, abs=0.0005)
    # The funnel narrows with n.
    assert curve[20].lower_95 <= curve[100].lower_95


def test_five_providers_use_arcsine_with_overdispersion():
    # Very spread-out providers: τ² > 0, limits wider than the binomial ones at the same n.
    counts = [(1, 100), (30, 100), (5, 100), (45, 100), (10, 100), (60, 100)]
    funnel = proportion_funnel(counts, 0.10)
    assert funnel.method == "arcsinus"
    assert funnel.n_providers == 6
    assert funnel.tau2 > 0
    wide = funnel.limits(100)
    narrow = proportion_funnel(counts[:2], 0.10).limits(100)
    assert wide.upper_95 > narrow.upper_95 + 0.05


def test_providers_without_denominator_do_not_count():
    funnel = proportion_funnel([(0, 0)] * 3 + [(1, 10), (2, 10), (3, 10), (4, 10)], 0.2)
    assert funnel.n_providers == 4
    assert funnel.method == "binomiaal-exact"
    assert funnel.limits(0) is None


@pytest.mark.parametrize("n_providers", [3, 8])
def test_curve_at_each_providers_n_equals_the_computations_limits(n_providers):
    """The curve passes exactly through the limits stats.proportion_funnel_frame used."""
    counts = [(k * 3 % 11, 20 + 13 * k) for k in range(n_providers)]
    frame = pl.DataFrame(
        {"x": [c[0] for c in counts], "n": [c[1] for c in counts], "norm": [0.1] * n_providers}
    )
    computed = proportion_funnel_frame(
        frame, numerator_col="x", denominator_col="n", target="norm", direction="lager-is-beter"
    )
    funnel = proportion_funnel(counts, 0.1)
    assert funnel.tau2 == pytest.approx(computed["tau2"][0])
    curve = {
        p.n: p.limits for p in limit_curve(funnel, curve_ns(400, include=[c[1] for c in counts]))
    }
    for row in computed.iter_rows(named=True):
        limits = curve[row["n"]]
        assert limits.upper_95 == pytest.approx(row["upper_95"])
        assert limits.upper_998 == pytest.approx(row["upper_998"])
        assert limits.lower_95 == pytest.approx(row["lower_95"])


def test_curve_ns_dense_at_small_n_and_includes_provider_ns():
    ns = curve_ns(1000, include=[333, 5000])
    assert ns[:20] == list(range(1, 21))
    assert 333 in ns and 1000 in ns and 5000 not in ns
    assert len(ns) < 120
    assert curve_ns(7) == list(range(1, 8))


def test_counts_from_stored_floats():
    assert counts_from_figures([(3.000000001, 20.0), (None, 5.0), (2.0, None)]) == [(3, 20)]
