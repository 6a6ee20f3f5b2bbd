# SPDX-License-Identifier: EUPL-1.2
"""Two runs of the same input store the same drill-down partitions: the units are written in one
canonical order, whatever order the engine produced them in."""

from __future__ import annotations

import datetime as dt

import polars as pl

from wmo_sla.kpis.unit_store import canonical_order


def _units() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "aanbieder_agb": ["111", "111", "111", "222", "111", None],
            "trajectory_id": [1, 1, 2, 3, 1, 4],
            "period": ["2024Q1", "2024Q2", "2024Q1", "2024Q1", "2024H1", "2024Q1"],
            "einde": [dt.date(2024, 3, 1), None, dt.date(2024, 2, 1), None, None, None],
            "messages": [[1, 2], [3], [4], [5], [6], []],
        }
    )


def test_any_order_of_the_same_units_gives_the_same_rows_in_the_same_order():
    units = _units()
    expected = canonical_order(units)
    assert expected["period"].to_list()[:3] == ["2024H1", "2024Q1", "2024Q2"]  # ties broken
    for seed in range(5):
        shuffled = units.sample(fraction=1.0, shuffle=True, seed=seed)
        assert canonical_order(shuffled).equals(expected)
