# SPDX-License-Identifier: EUPL-1.2
"""The pure norm engine: pooled, P75 and P90 worked out by hand."""

from __future__ import annotations

import polars as pl
import pytest

from wmo_sla.contracts.constants import NormMethod as ModelNormMethod
from wmo_sla.engine.norms import (
    NORM_CODES,
    NormMethod,
    NormParams,
    base_period_label,
    propose_norms,
)


def fig(kpi, agb, numerator, denominator, *, period="2023", groep="IB", gemeente="regio", n=None):
    return {
        "kpi": kpi,
        "aanbieder_agb": agb,
        "referentiegroep": groep,
        "gemeente": gemeente,
        "period": period,
        "numerator": float(numerator) if numerator is not None else None,
        "denominator": float(denominator),
        "n": int(denominator) if n is None else n,
    }


def frame(rows):
    return pl.DataFrame(
        rows,
        schema={
            "kpi": pl.Utf8,
            "aanbieder_agb": pl.Utf8,
            "referentiegroep": pl.Utf8,
            "gemeente": pl.Utf8,
            "period": pl.Utf8,
            "numerator": pl.Float64,
            "denominator": pl.Float64,
            "n": pl.Int64,
        },
    )


# Five providers' K8 (lower is better) in 2023: values 0.10, 0.20, 1/30, 0.30 (n = 10), 0.20.
K8_ROWS = [
    fig("K8", "A", 2, 20),
    fig("K8", "B", 5, 25),
    fig("K8", "C", 1, 30),
    fig("K8", "D", 3, 10),
    fig("K8", "E", 8, 40),
]


def one(result: pl.DataFrame, kpi: str = "K8", groep: str = "IB") -> dict:
    rows = result.filter((pl.col("kpi") == kpi) & (pl.col("referentiegroep") == groep))
    assert rows.height == 1
    return rows.row(0, named=True)


def test_norm_codes_are_shares_rates_and_scores_with_a_direction():
    assert set(NORM_CODES) == {
        "K3", "K6", "K8", "K8u", "K9", "K9h", "K9d",
        "K11s", "K11e", "K11ms", "K11me", "K11c", "K13", "K13p",
    }  # fmt: skip
    for context in ("K1", "K2r", "K5", "K7v", "K10", "K12-19", "K6m", "K6p", "K11l"):
        assert context not in NORM_CODES


def test_method_codes_match_the_model_choices():
    assert {m.value for m in NormMethod} == set(ModelNormMethod.values)


def test_pooled_is_sum_of_numerators_over_sum_of_denominators_over_both_years():
    rows = [*K8_ROWS, fig("K8", "A", 4, 20, period="2022")]
    p = one(propose_norms(frame(rows), NormParams(year=2024)))
    # (2+5+1+3+8+4) / (20+25+30+10+40+20) = 23 / 145
    assert p["value"] == pytest.approx(23 / 145)
    assert p["numerator"] == 23 and p["denominator"] == 145
    assert p["n_providers"] == 5
    assert p["n"] == 145
    assert p["direction"] == "max"
    assert p["method"] == "pooled"
    assert p["base_period"] == "2022–2023"
    assert p["year"] == 2024


def test_pooled_only_uses_region_figures_of_the_two_previous_years():
    rows = [
        fig("K8", "A", 1, 10),
        fig("K8", "A", 9, 10, gemeente="0505"),  # a gemeente: ignored
        fig("K8", "A", 9, 10, period="2024"),  # the norm year itself: ignored
        fig("K8", "A", 9, 10, period="2021"),  # three years back: ignored
        fig("K8", "A", 9, 10, period="2023Q1"),  # a quarter: ignored
    ]
    p = one(propose_norms(frame(rows), NormParams(year=2024)))
    assert p["value"] == pytest.approx(0.1)
    assert p["base_period"] == "2023"


def test_rate_per_100_is_scaled_and_score_is_a_pooled_mean():
    rows = [
        fig("K3", "A", 3, 50),
        fig("K3", "B", 2, 50),
        fig("K13", "A", 7 * 10, 10),  # 10 respondents, mean 7
        fig("K13", "B", 9 * 30, 30),  # 30 respondents, mean 9
    ]
    result = propose_norms(frame(rows), NormParams(year=2024))
    assert one(result, "K3")["value"] == pytest.approx(5.0)  # 100 × 5/100
    assert one(result, "K13")["value"] == pytest.approx((70 + 270) / 40)  # 8.5
    assert one(result, "K13")["direction"] == "min"


def test_p75_and_p90_of_a_lower_is_better_figure_take_the_low_end():
    # n ≥ 20: A 0.10, B 0.20, C 1/30, E 0.20; D (n = 10) does not count.
    # Sorted: 1/30, 0.10, 0.20, 0.20. Lower is better, so P75 = 25th percentile:
    # position 0.25 × 3 = 0.75 → 1/30 + 0.75 × (0.10 − 1/30) = 0.08333…
    p75 = one(propose_norms(frame(K8_ROWS), NormParams(year=2024, method=NormMethod.P75)))
    assert p75["value"] == pytest.approx(1 / 30 + 0.75 * (0.10 - 1 / 30))
    assert p75["n_providers"] == 4
    assert p75["n_providers_excluded"] == 1
    assert p75["n"] == 115
    # P90 = 10th percentile: position 0.3 → 1/30 + 0.3 × (0.10 − 1/30) = 0.05333…
    p90 = one(propose_norms(frame(K8_ROWS), NormParams(year=2024, method=NormMethod.P90)))
    assert p90["value"] == pytest.approx(1 / 30 + 0.3 * (0.10 - 1 / 30))


def test_p75_of_a_higher_is_better_figure_takes_the_high_end():
    # K6 (higher is better), values 0.5, 0.6, 0.7, 0.8, 0.9 with n = 20 each.
    rows = [fig("K6", agb, x, 20) for agb, x in zip("ABCDE", (10, 12, 14, 16, 18), strict=True)]
    p75 = one(propose_norms(frame(rows), NormParams(year=2024, method=NormMethod.P75)), "K6")
    assert p75["value"] == pytest.approx(0.8)  # 75th percentile: position 3 → 0.8
    assert p75["direction"] == "min"
    p90 = one(propose_norms(frame(rows), NormParams(year=2024, method=NormMethod.P90)), "K6")
    assert p90["value"] == pytest.approx(0.86)  # position 3.6 → 0.8 + 0.6 × 0.1


def test_provider_value_for_percentiles_pools_both_base_years():
    # A has n = 10 in each year: together 20, so it counts; alone it would not.
    rows = [fig("K8", "A", 1, 10, period="2022"), fig("K8", "A", 3, 10, period="2023")]
    p = one(propose_norms(frame(rows), NormParams(year=2024, method=NormMethod.P75)))
    assert p["value"] == pytest.approx(0.2)
    assert p["n_providers"] == 1 and p["n_providers_excluded"] == 0


def test_percentile_group_without_any_provider_at_n_20_is_reported_without_value():
    rows = [fig("K8", "A", 1, 10), fig("K8", "B", 2, 19)]
    p = one(propose_norms(frame(rows), NormParams(year=2024, method=NormMethod.P90)))
    assert p["value"] is None
    assert p["n_providers"] == 0
    assert p["n_providers_excluded"] == 2


def test_groups_are_separate():
    rows = [fig("K8", "A", 1, 10, groep="IB"), fig("K8", "A", 5, 10, groep="BW")]
    result = propose_norms(frame(rows), NormParams(year=2024))
    assert one(result, groep="IB")["value"] == pytest.approx(0.1)
    assert one(result, groep="BW")["value"] == pytest.approx(0.5)


def test_empty_base_years_give_no_proposals():
    result = propose_norms(frame(K8_ROWS), NormParams(year=2030))
    assert result.is_empty()
    assert propose_norms(frame([]), NormParams(year=2024)).is_empty()


def test_figures_without_denominator_or_of_context_codes_are_ignored():
    rows = [fig("K8", "A", 0, 0), fig("K2r", "A", 1, 10), fig("K8u", "A", None, 10)]
    assert propose_norms(frame(rows), NormParams(year=2024)).is_empty()


def test_only_selected_codes_and_no_context_codes():
    rows = [*K8_ROWS, fig("K9", "A", 1, 10)]
    result = propose_norms(frame(rows), NormParams(year=2024, codes=("K9",)))
    assert result["kpi"].to_list() == ["K9"]
    with pytest.raises(ValueError, match="K5"):
        propose_norms(frame(rows), NormParams(year=2024, codes=("K5",)))


def test_base_period_label():
    assert base_period_label([2022, 2023]) == "2022–2023"
    assert base_period_label([2023]) == "2023"
    assert base_period_label([]) == ""
