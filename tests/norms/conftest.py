# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import pytest

from tests.factories import ComputationRunFactory, FigureFactory, ReferentiegroepFactory


def add_figures(run, rows):
    """rows: (kpi, agb, numerator, denominator, period); whole-region figures of group IB."""
    for kpi, agb, numerator, denominator, period in rows:
        FigureFactory(
            run=run,
            kpi=kpi,
            aanbieder=None,
            aanbieder_agb=agb,
            referentiegroep="IB",
            gemeente="regio",
            period=period,
            numerator=float(numerator),
            denominator=float(denominator),
            n=int(denominator),
        )


# K8 in 2022 and 2023 for three providers: pooled (2+3+4+5+1+5) / (20×6) = 20/120 = 0.1667.
BASE_ROWS = [
    ("K8", "10000001", 2, 20, "2022"),
    ("K8", "10000001", 3, 20, "2023"),
    ("K8", "10000002", 4, 20, "2022"),
    ("K8", "10000002", 5, 20, "2023"),
    ("K8", "10000003", 1, 20, "2022"),
    ("K8", "10000003", 5, 20, "2023"),
    ("K9", "10000001", 2, 40, "2023"),
]


@pytest.fixture
def groep(db):
    return ReferentiegroepFactory(code="IB", name="Individuele begeleiding")


@pytest.fixture
def run(groep):
    run = ComputationRunFactory()
    add_figures(run, BASE_ROWS)
    return run
