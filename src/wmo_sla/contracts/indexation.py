# SPDX-License-Identifier: EUPL-1.2
"""Annual tariff indexation: the rule of the Gouda annex (Bijlage 2, Artikel 2: Indexering). Pure.

The annex reads: *"Jaarlijks vindt een indexering plaats van de tarieven met een percentage gelijk
aan het rekenkundig gemiddelde van (1) de CBS-index Cao-lonen [...] sector Q gezondheidszorg en
welzijnszorg, indexcijfer cao-lonen per maand inclusief bijzondere beloningen en (2) de CBS-index
consumentenprijzen, indexcijfer jaarmutatie consumentenprijsindex. Hierbij wordt telkens het
maandcijfer van de maand september gehanteerd, waarbij het indexcijfer van september 2017 wordt
gesteld op 100%."* and *"Gemeente zal de aangepaste tarieven jaarlijks voor 1 november [...] bekend
maken. De aangepaste tarieven gaan in op 1 januari van het volgende jaar."*

Our reading, which this module implements:

- The tariffs of year Y+1 use the September figures of year Y. They are announced before
  1 November of year Y and take effect on 1 January of year Y+1. So tariff year 2019 uses
  September 2018 against September 2017.
- Term (1) is the change of the cao-lonen index, in %, from September Y-1 to September Y. The
  annex rebases the index to September 2017 = 100; a percentage change does not depend on the base,
  so any consistent series may be used.
- Term (2) is the CPI *jaarmutatie* (year-on-year change, already in %) of September Y.
- The indexation percentage is the arithmetic mean of both, rounded to two decimals
  (ROUND_HALF_UP), because that is how a percentage is announced; the new tariff is computed from
  that rounded percentage: old tariff x (1 + percentage / 100), rounded to whole cents
  (ROUND_HALF_UP). Each year starts from the previous year's rounded tariff, so a chain of years
  reproduces the published price lists.
- The result is a *proposal*: the contract manager decides. Negative percentages are possible (for
  example a negative CPI) and are not clipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext

CENT = Decimal("0.01")
PERCENTAGE_QUANTUM = Decimal("0.01")
_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class SeptemberFigures:
    """The CBS figures of September of ``year``."""

    year: int
    cao_lonen_index: Decimal
    cpi_jaarmutatie: Decimal


class MissingIndexFigures(LookupError):
    """The figures a tariff year needs are not there."""

    def __init__(self, tariff_year: int, missing_years: list[int]) -> None:
        self.tariff_year = tariff_year
        self.missing_years = missing_years
        years = ", ".join(f"september {year}" for year in missing_years)
        super().__init__(
            f"Voor de tarieven van {tariff_year} ontbreken de CBS-cijfers van {years}."
        )


def figures_year_for(tariff_year: int) -> int:
    """The September whose figures set the tariffs of ``tariff_year`` (the year before)."""
    return tariff_year - 1


def cao_index_change_pct(previous: Decimal, current: Decimal) -> Decimal:
    """Change of the cao-lonen index in % from ``previous`` to ``current`` (unrounded)."""
    if previous <= 0:
        raise ValueError("Het vorige indexcijfer cao-lonen moet groter dan 0 zijn.")
    with localcontext() as ctx:
        ctx.prec = 28
        ctx.rounding = ROUND_HALF_EVEN
        return (current / previous - 1) * _HUNDRED


def indexation_percentage(
    *, cao_index_previous: Decimal, cao_index_current: Decimal, cpi_jaarmutatie: Decimal
) -> Decimal:
    """Mean of the cao-lonen index change (%) and the CPI jaarmutatie (%), to two decimals."""
    with localcontext() as ctx:
        ctx.prec = 28
        mean = (cao_index_change_pct(cao_index_previous, cao_index_current) + cpi_jaarmutatie) / 2
        return mean.quantize(PERCENTAGE_QUANTUM, rounding=ROUND_HALF_UP)


def propose_tariff(price: Decimal, pct: Decimal) -> Decimal:
    """``price`` raised by ``pct`` percent, rounded to cents (ROUND_HALF_UP)."""
    with localcontext() as ctx:
        ctx.prec = 28
        return (price * (1 + pct / _HUNDRED)).quantize(CENT, rounding=ROUND_HALF_UP)


def percentage_for_tariff_year(figures: Iterable[SeptemberFigures], tariff_year: int) -> Decimal:
    """The indexation percentage for ``tariff_year``: September Y-1 against September Y-2."""
    by_year = {figure.year: figure for figure in figures}
    current_year = figures_year_for(tariff_year)
    missing = [year for year in (current_year - 1, current_year) if year not in by_year]
    if missing:
        raise MissingIndexFigures(tariff_year, missing)
    previous, current = by_year[current_year - 1], by_year[current_year]
    return indexation_percentage(
        cao_index_previous=previous.cao_lonen_index,
        cao_index_current=current.cao_lonen_index,
        cpi_jaarmutatie=current.cpi_jaarmutatie,
    )


def indexed_tariffs(
    *,
    base_price: Decimal,
    base_year: int,
    until_year: int,
    figures: Iterable[SeptemberFigures],
) -> dict[int, Decimal]:
    """The chain of proposed tariffs from ``base_year`` (given) to ``until_year`` inclusive."""
    figure_list = list(figures)
    prices = {base_year: base_price}
    for year in range(base_year + 1, until_year + 1):
        pct = percentage_for_tariff_year(figure_list, year)
        prices[year] = propose_tariff(prices[year - 1], pct)
    return prices
