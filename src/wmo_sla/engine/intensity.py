# SPDX-License-Identifier: EUPL-1.2
"""Intensity of a toewijzing: expected cost per week, or hours per week (KPIS.md K3/K4, K10).

Pure Polars expressions over toewijzing rows (``volume``, ``eenheid``, ``frequentie``,
``budget``, ``ingangsdatum``, ``einddatum``, ``categorie``, ``productcode``) joined with a
*tariff frame* (``TARIFF_SCHEMA``: the contract tariff per product and year, built by the caller
from ``contracts.Tariff``; the engine never reads the database).

- **Volume per week** (WMO757 Frequentie): 1 per dag × 7; 2 per week × 1; 4 per maand × 12 ÷ 52;
  6 totaal binnen geldigheidsduur × 7 ÷ (Einddatum − Ingangsdatum + 1) days (none without an
  Einddatum). Another or an empty Frequentie gives no volume per week.
- **Hours per week** (the fallback without a tariff): minuut ÷ 60, uur × 1, dagdeel × 4,
  etmaal × 24 (WJ756 01, 04, 16, 14); other units have no hours.
- **Euro per week**: with a Budget (eurocent, for the whole validity of the toewijzing, CD075):
  budget ÷ 100 × 7 ÷ days of validity; else Eenheid 83 (euro's): the volume per week itself;
  else volume per week × tariff of the product in the year of the Ingangsdatum, after converting
  the Eenheid to the tariff's ``price_per`` (equal units, or both time units: e.g. minutes with a
  tariff per hour ÷ 60). No tariff (or units that do not convert): no euro per week.

Two intensities compare in euros when both have one, else in hours when both have them; other
pairs are not comparable (:func:`comparable_intensities`).
"""

from __future__ import annotations

import polars as pl

__all__ = [
    "HOURS_PER_UNIT",
    "TARIFF_SCHEMA",
    "comparable_intensities",
    "empty_tariffs",
    "euro_per_week_expr",
    "hours_per_week_expr",
    "validity_days_expr",
    "volume_per_week_expr",
    "with_intensity",
    "with_tariff",
]

#: Contract tariffs: one row per product (categorie, productcode) and year; ``price`` in euro
#: per ``price_per`` unit (WJ756).
TARIFF_SCHEMA: dict[str, pl.DataType] = {
    "categorie": pl.Utf8(),
    "productcode": pl.Utf8(),
    "year": pl.Int32(),
    "price": pl.Float64(),
    "price_per": pl.Utf8(),
}

#: WJ756 time units → hours per unit.
HOURS_PER_UNIT: dict[str, float] = {"01": 1 / 60, "04": 1.0, "16": 4.0, "14": 24.0}
EURO_UNIT = "83"
_PER_WEEK = {"1": 7.0, "2": 1.0, "4": 12 / 52}
TOTAL_FREQUENCY = "6"


def empty_tariffs() -> pl.DataFrame:
    return pl.DataFrame(schema=TARIFF_SCHEMA)


def validity_days_expr(start: str = "ingangsdatum", end: str = "einddatum") -> pl.Expr:
    """Days of validity of a toewijzing (Einddatum − Ingangsdatum + 1); null when open-ended."""
    return (pl.col(end) - pl.col(start)).dt.total_days() + 1


def volume_per_week_expr() -> pl.Expr:
    days = validity_days_expr()
    per_week = (
        pl.when(pl.col("frequentie") == TOTAL_FREQUENCY)
        .then(pl.when(days > 0).then(7.0 / days))
        .otherwise(
            pl.col("frequentie").replace_strict(_PER_WEEK, default=None, return_dtype=pl.Float64)
        )
    )
    return pl.col("volume").cast(pl.Float64) * per_week


def hours_per_week_expr() -> pl.Expr:
    hours = pl.col("eenheid").replace_strict(HOURS_PER_UNIT, default=None, return_dtype=pl.Float64)
    return volume_per_week_expr() * hours


def _unit_factor() -> pl.Expr:
    """Volume units per tariff unit: 1 when equal, the hour ratio for two time units."""
    unit_hours = pl.col("eenheid").replace_strict(
        HOURS_PER_UNIT, default=None, return_dtype=pl.Float64
    )
    price_hours = pl.col("price_per").replace_strict(
        HOURS_PER_UNIT, default=None, return_dtype=pl.Float64
    )
    return (
        pl.when(pl.col("eenheid") == pl.col("price_per"))
        .then(pl.lit(1.0))
        .otherwise(unit_hours / price_hours)
    )


def euro_per_week_expr() -> pl.Expr:
    """Needs the tariff columns ``price`` and ``price_per`` (see :func:`with_tariff`)."""
    days = validity_days_expr()
    return (
        pl.when(pl.col("budget").is_not_null())
        .then(pl.when(days > 0).then(pl.col("budget").cast(pl.Float64) / 100 * 7 / days))
        .when(pl.col("eenheid") == EURO_UNIT)
        .then(volume_per_week_expr())
        .otherwise(volume_per_week_expr() * _unit_factor() * pl.col("price"))
    )


def with_tariff(
    toewijzingen: pl.DataFrame, tariffs: pl.DataFrame, year: pl.Expr | None = None
) -> pl.DataFrame:
    """Adds ``price`` and ``price_per``: the tariff of the product in ``year`` (default: the
    year of the Ingangsdatum, KPIS.md K3/K4)."""
    year = pl.col("ingangsdatum").dt.year() if year is None else year
    table = (
        tariffs.select(
            pl.col("categorie").cast(pl.Utf8),
            pl.col("productcode").cast(pl.Utf8),
            pl.col("year").cast(pl.Int32),
            pl.col("price").cast(pl.Float64),
            pl.col("price_per").cast(pl.Utf8),
        )
        .sort(["categorie", "productcode", "year", "price", "price_per"])
        .unique(["categorie", "productcode", "year"], keep="first", maintain_order=True)
    )
    return (
        toewijzingen.with_columns(year.cast(pl.Int32).alias("_tariff_year"))
        .join(
            table,
            left_on=["categorie", "productcode", "_tariff_year"],
            right_on=["categorie", "productcode", "year"],
            how="left",
        )
        .drop("_tariff_year")
    )


def with_intensity(toewijzingen: pl.DataFrame, tariffs: pl.DataFrame) -> pl.DataFrame:
    """Adds ``euro_per_week`` and ``hours_per_week`` (null where unknown)."""
    return (
        with_tariff(toewijzingen, tariffs)
        .with_columns(
            euro_per_week_expr().alias("euro_per_week"),
            hours_per_week_expr().alias("hours_per_week"),
        )
        .drop("price", "price_per")
    )


def comparable_intensities(
    euro_a: pl.Expr, hours_a: pl.Expr, euro_b: pl.Expr, hours_b: pl.Expr
) -> tuple[pl.Expr, pl.Expr]:
    """(intensity A, intensity B) on one scale: euros when both have one, else hours when both
    have them, else null (not comparable)."""
    in_euro = euro_a.is_not_null() & euro_b.is_not_null()
    in_hours = hours_a.is_not_null() & hours_b.is_not_null()
    a = pl.when(in_euro).then(euro_a).when(in_hours).then(hours_a)
    b = pl.when(in_euro).then(euro_b).when(in_hours).then(hours_b)
    return a, b
