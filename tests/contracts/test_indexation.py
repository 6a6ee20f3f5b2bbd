# SPDX-License-Identifier: EUPL-1.2
"""The indexation rule of the Gouda annex, checked against hand-computed figures."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from wmo_sla.contracts.indexation import (
    MissingIndexFigures,
    SeptemberFigures,
    cao_index_change_pct,
    figures_year_for,
    indexation_percentage,
    indexed_tariffs,
    percentage_for_tariff_year,
    propose_tariff,
)


def test_hand_computed_example() -> None:
    # Cao index 100.0 -> 102.6 is +2.6 %; CPI jaarmutatie 1.9 %; mean 2.25 %.
    pct = indexation_percentage(
        cao_index_previous=D("100.0"), cao_index_current=D("102.6"), cpi_jaarmutatie=D("1.9")
    )
    assert pct == D("2.25")
    # 46.80 x 1.0225 = 47.853 -> 47.85
    assert propose_tariff(D("46.80"), pct) == D("47.85")


def test_unrounded_cao_change_and_rounded_mean() -> None:
    # 105.4 / 102.6 = 1.0272904...: +2.72904483 %; with CPI 2.6 the mean is 2.6645... -> 2.66.
    change = cao_index_change_pct(D("102.6"), D("105.4"))
    assert D("2.7290") < change < D("2.7291")
    pct = indexation_percentage(
        cao_index_previous=D("102.6"), cao_index_current=D("105.4"), cpi_jaarmutatie=D("2.6")
    )
    assert pct == D("2.66")
    # 47.85 x 1.0266 = 49.12281 -> 49.12
    assert propose_tariff(D("47.85"), pct) == D("49.12")


def test_rounding_is_half_up_for_percentage_and_cents() -> None:
    # Mean (3 + 1.25) / 2 = 2.125: half-up gives 2.13 (half-even would give 2.12).
    pct = indexation_percentage(
        cao_index_previous=D("100"), cao_index_current=D("103"), cpi_jaarmutatie=D("1.25")
    )
    assert pct == D("2.13")
    # 0.10 x 1.05 = 0.105: half-up gives 0.11 (half-even would give 0.10).
    assert propose_tariff(D("0.10"), D("5")) == D("0.11")


def test_negative_cpi_lowers_the_percentage_without_clipping() -> None:
    pct = indexation_percentage(
        cao_index_previous=D("100"), cao_index_current=D("101"), cpi_jaarmutatie=D("-3")
    )
    assert pct == D("-1.00")
    assert propose_tariff(D("100.00"), pct) == D("99.00")


def test_tariff_year_uses_previous_september() -> None:
    assert figures_year_for(2019) == 2018
    figures = [
        SeptemberFigures(2017, D("100.0"), D("1.3")),
        SeptemberFigures(2018, D("102.6"), D("1.9")),
    ]
    assert percentage_for_tariff_year(figures, 2019) == D("2.25")
    with pytest.raises(MissingIndexFigures) as exc:
        percentage_for_tariff_year(figures, 2020)
    assert exc.value.missing_years == [2019]
    assert "september 2019" in str(exc.value)


def test_chain_starts_each_year_from_the_rounded_previous_tariff() -> None:
    figures = [
        SeptemberFigures(2017, D("100.0"), D("1.3")),
        SeptemberFigures(2018, D("102.6"), D("1.9")),
        SeptemberFigures(2019, D("105.4"), D("2.6")),
    ]
    chain = indexed_tariffs(base_price=D("46.80"), base_year=2018, until_year=2020, figures=figures)
    assert chain == {2018: D("46.80"), 2019: D("47.85"), 2020: D("49.12")}


def test_zero_previous_index_is_refused() -> None:
    with pytest.raises(ValueError):
        cao_index_change_pct(D("0"), D("100"))
