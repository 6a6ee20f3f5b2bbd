# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import (
    AanbiederFactory,
    AgbCodeFactory,
    ComputationRunFactory,
    FigureFactory,
    UserFactory,
)

OWN_NAME = "Zorg Eigen"
OTHER_NAME = "Zorg Ander"


@dataclass
class Dialogue:
    own: Any
    other: Any
    run: Any
    flagged: Any  # own K8 2024Q3, norm niet gehaald, signaal
    unflagged: Any  # own K6 2024Q3, fine
    small: Any  # own K8 2024Q3 gemeente 0505, flagged but n < 5
    other_flagged: Any
    provider: Any
    other_provider: Any
    cm: Any
    analist: Any


@pytest.fixture
def dialogue(db) -> Dialogue:
    own = AanbiederFactory(name=OWN_NAME, agb=None)
    AgbCodeFactory(code="11112222", aanbieder=own)
    other = AanbiederFactory(name=OTHER_NAME, agb=None)
    AgbCodeFactory(code="33334444", aanbieder=other)
    run = ComputationRunFactory()
    flagged = FigureFactory(
        run=run,
        aanbieder=own,
        kpi="K8",
        period="2024Q3",
        numerator=12,
        denominator=40,
        norm=0.10,
        signaal="signaal",
    )
    unflagged = FigureFactory(
        run=run, aanbieder=own, kpi="K6", period="2024Q3", numerator=38, denominator=40, norm=0.5
    )
    unflagged.norm_niet_gehaald = False
    unflagged.save()
    small = FigureFactory(
        run=run,
        aanbieder=own,
        kpi="K8",
        period="2024Q3",
        gemeente="0505",
        numerator=2,
        denominator=3,
        norm=0.10,
    )
    for period, num in (("2024Q1", 4), ("2024Q2", 5)):
        FigureFactory(
            run=run, aanbieder=own, kpi="K8", period=period, numerator=num, denominator=40
        )
    FigureFactory(
        run=run,
        aanbieder=own,
        kpi="K12-19",
        period="2024Q3",
        numerator=20,
        denominator=40,
        norm=None,
    )
    other_flagged = FigureFactory(
        run=run,
        aanbieder=other,
        kpi="K8",
        period="2024Q3",
        numerator=15,
        denominator=40,
        signaal="let op",
    )
    return Dialogue(
        own=own,
        other=other,
        run=run,
        flagged=flagged,
        unflagged=unflagged,
        small=small,
        other_flagged=other_flagged,
        provider=UserFactory(username="prov-eigen", provider=True, aanbieder=own),
        other_provider=UserFactory(username="prov-ander", provider=True, aanbieder=other),
        cm=UserFactory(username="cm-dialoog", contractmanager=True),
        analist=UserFactory(username="analist-dialoog", analist=True),
    )
