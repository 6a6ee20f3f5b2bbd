# SPDX-License-Identifier: EUPL-1.2
"""K10 spreads each declaration line pro rata over exactly the periods it overlaps: short lines
through the labels of their first and last day, long lines through every period."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from tests.engine_figures.test_process_figures import _state, _traj
from wmo_sla.engine.figures_process import k10_spread

D = dt.date


def _line(nr: int, begin: dt.date, end: dt.date, cents: int) -> dict[str, object]:
    return {
        "client_key": "A",
        "toewijzing_nummer": nr,
        "periode_begin": begin,
        "periode_eind": end,
        "netto_bedrag": cents,
    }


def test_short_and_long_lines_reach_every_overlapping_period_once() -> None:
    state = _state(
        prestaties=[
            _line(20, D(2024, 3, 25), D(2024, 4, 7), 1400),  # 14 days over Q1/Q2 and H1
            _line(20, D(2024, 2, 1), D(2024, 8, 31), 21300),  # 213 days: Q1, Q2, Q3, H1, H2
        ]
    )
    trajectories = _traj(
        [{"trajectory_id": "tA", "client_key": "A", "start": D(2024, 1, 1)}],
        links=[{"toewijzing_nummer": 20, "trajectory_id": "tA"}],
    )
    spread = k10_spread(state, trajectories)
    euros = dict(spread.group_by("period").agg(pl.col("euro").sum()).sort("period").iter_rows())
    # short line: 7 days in Q1, 7 in Q2; long line: Feb+Mar 60 days, Q2 91, Jul+Aug 62
    assert euros["2024Q1"] == pytest.approx(7.0 + 60.0)
    assert euros["2024Q2"] == pytest.approx(7.0 + 91.0)
    assert euros["2024Q3"] == pytest.approx(62.0)
    assert euros["2024H1"] == pytest.approx(14.0 + 151.0)
    assert euros["2024H2"] == pytest.approx(62.0)
    assert euros["2024"] == pytest.approx(14.0 + 213.0)
    assert "2024Q4" not in euros
    # each (line, period) pair once
    assert spread.group_by("periode_begin", "period").len()["len"].max() == 1
