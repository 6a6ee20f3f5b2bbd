# SPDX-License-Identifier: EUPL-1.2
"""Test support for the figure tests: the contract tariffs of a contract YAML as the engine's
tariff frame (what ``kpis/services.py::_tariffs_frame`` reads from the database)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tests.engine_trajectories.support import CONTRACT
from wmo_sla.engine.intensity import TARIFF_SCHEMA


def contract_tariffs(contract: Path = CONTRACT) -> pl.DataFrame:
    """Tariffs per (categorie, productcode, year); ``price_per`` = the product's price_per, else
    its eenheid (as the contract loader stores it)."""
    import yaml

    data = yaml.safe_load(contract.read_text(encoding="utf-8"))
    rows = [
        (
            str(p["categorie"]),
            str(p["code"]),
            int(year),
            float(price),
            str(p.get("price_per") or p["eenheid"]),
        )
        for p in data["products"]
        for year, price in (p.get("tariffs") or {}).items()
    ]
    return pl.DataFrame(rows, schema=TARIFF_SCHEMA, orient="row")


def tariffs(rows: list[tuple[str, str, int, float, str]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=TARIFF_SCHEMA, orient="row")
