# SPDX-License-Identifier: EUPL-1.2
"""Monthly figures for the SPC charts of the aanbieder-profiel (Making Data Count, kpi-research
§5.6: XmR needs 15–20 points; quarters give four a year, months twelve).

Only a subset that makes sense as a monthly process series is computed, and only for the whole
region (``gemeente = "regio"``); the labels are ``YYYYMmm`` (``2024M03``). The figures come from the
same KPI functions as the quarterly ones, run inside :func:`~wmo_sla.engine.periods.month_periods`,
so the definitions are shared, never re-implemented:

- K1 instroom (count of trajectory starts in the month);
- K2 uitstroom (count of definitive ends in the month);
- K6 gestart binnen de norm (share, cohort by anchor month);
- K8 beëindigd zonder doelen (share, by end month);
- K11s / K11e start- and stopberichten tijdig (share, by reference date / Einddatum month).

Left out on purpose: stocks and durations that overlap months (K2s, K2a, K5, K10), K9 (its window
makes months arrive a year late) and K12/K13 (distributions and survey results, not processes).
"""

from __future__ import annotations

import polars as pl

from .calendar import WorkdayCalendar
from .figures import DIMS, FigureParams, k1_instroom, k2_uitstroom, k8_zonder_doelen
from .figures_process import ProcessParams, k6_wachttijd, k11_administratief
from .periods import month_periods
from .state import DerivedState
from .trajectories import Trajectories

__all__ = ["MONTHLY_CODES", "monthly_figures"]

#: The figure codes computed per month (region level only).
MONTHLY_CODES: tuple[str, ...] = ("K1", "K2", "K6", "K8", "K11s", "K11e")


def monthly_figures(
    state: DerivedState,
    trajectories: Trajectories,
    calendar: WorkdayCalendar,
    figure_params: FigureParams,
    process_params: ProcessParams,
) -> pl.DataFrame:
    """The :data:`MONTHLY_CODES` per aanbieder × referentiegroep × month, gemeente ``regio``."""
    traj = trajectories.trajectories
    with month_periods():
        parts = [
            k1_instroom(traj, figure_params),
            k2_uitstroom(traj, figure_params),
            k8_zonder_doelen(traj, figure_params),
            k6_wachttijd(state, trajectories, calendar, process_params),
            k11_administratief(state, trajectories, calendar, process_params),
        ]
    return (
        pl.concat(parts)
        .filter(pl.col("kpi").is_in(MONTHLY_CODES) & (pl.col("gemeente") == "regio"))
        .sort(["kpi", *DIMS])
    )
