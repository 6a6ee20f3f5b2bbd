# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import (
    AanbiederFactory,
    AgbCodeFactory,
    ContractFactory,
    ProductFactory,
    ReferentiegroepFactory,
    UserFactory,
)
from wmo_sla.reporting.models import DueRule, PeriodType, ReportKind
from wmo_sla.reporting.schemas import OUTFLOW_KEYS
from wmo_sla.reporting.services import obligation_create

AMS = ZoneInfo("Europe/Amsterdam")


def at(year: int, month: int, day: int, hour: int = 10) -> Any:
    """Travel to a moment (Amsterdam time); use as a context manager."""
    return time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=AMS), tick=True)


@dataclass
class World:
    contract: Any
    own: Any
    other: Any
    provider: Any
    colleague: Any
    other_provider: Any
    cm: Any
    analist: Any
    uitstroom: Any  # half year, due 42 days after, from 2024H1
    klachten: Any  # year, due 30 November, opens 61 days before
    tevredenheid: Any  # year, due 90 days after, from 2024


@pytest.fixture
def world(db) -> World:
    own = AanbiederFactory(name="Zorg Eigen", agb=None)
    AgbCodeFactory(code="11112222", aanbieder=own)
    other = AanbiederFactory(name="Zorg Ander", agb=None)
    AgbCodeFactory(code="33334444", aanbieder=other)
    contract = ContractFactory(code="IB")
    contract.aanbieders.add(own, other)
    ProductFactory(contract=contract, referentiegroep=ReferentiegroepFactory(code="IB-licht"))
    ProductFactory(contract=contract, referentiegroep=ReferentiegroepFactory(code="IB-zwaar"))
    cm = UserFactory(username="cm-rap", contractmanager=True, email="cm@gemeente.example")
    with at(2024, 1, 2):
        uitstroom = obligation_create(
            actor=cm,
            contract=contract,
            kind=ReportKind.UITSTROOMREDENEN,
            period_type=PeriodType.HALF_YEAR,
            first_period="2024H1",
            due_rule=DueRule.AFTER_PERIOD,
            due_days=42,
        )
        klachten = obligation_create(
            actor=cm,
            contract=contract,
            kind=ReportKind.KLACHTEN,
            period_type=PeriodType.YEAR,
            first_period="2024",
            due_rule=DueRule.FIXED_DATE,
            due_month=11,
            due_day=30,
            open_days_before_due=61,
        )
        tevredenheid = obligation_create(
            actor=cm,
            contract=contract,
            kind=ReportKind.TEVREDENHEID,
            period_type=PeriodType.YEAR,
            first_period="2024",
            due_rule=DueRule.AFTER_PERIOD,
            due_days=90,
        )
    return World(
        contract=contract,
        own=own,
        other=other,
        provider=UserFactory(
            username="prov-eigen", provider=True, aanbieder=own, email="a@eigen.example"
        ),
        colleague=UserFactory(
            username="prov-collega", provider=True, aanbieder=own, email="b@eigen.example"
        ),
        other_provider=UserFactory(
            username="prov-ander", provider=True, aanbieder=other, email="c@ander.example"
        ),
        cm=cm,
        analist=UserFactory(username="analist-rap", analist=True),
        uitstroom=uitstroom,
        klachten=klachten,
        tevredenheid=tevredenheid,
    )


def outflow(**groups: dict[str, int]) -> dict[str, Any]:
    """Uitstroomredenen content; unspecified categories are 0."""
    keys = OUTFLOW_KEYS
    rows = []
    for group, counts in groups.items():
        row: dict[str, Any] = {"referentiegroep": group.replace("_", "-")}
        row.update({key: counts.get(key, 0) for key in keys})
        if counts.get("overig"):
            row["overig_toelichting"] = "Opgenomen in een instelling buiten de Wmo"
        rows.append(row)
    return {"rijen": rows}


VALID_OUTFLOW = outflow(IB_licht={"doelen_bereikt": 6, "andere_aanbieder": 1}, IB_zwaar={"wlz": 2})
