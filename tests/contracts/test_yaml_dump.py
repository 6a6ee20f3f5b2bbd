# SPDX-License-Identifier: EUPL-1.2
"""Dumping contract master data: the load format, deterministic, and dump -> load is a no-op."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from wmo_sla.audit.models import AuditEvent
from wmo_sla.contracts.models import (
    AgbCode,
    Contract,
    Holiday,
    HolidayCalendar,
    Norm,
    Product,
    Tariff,
)
from wmo_sla.contracts.services import (
    contract_definition_dump,
    contract_definition_load,
    contract_definition_load_text,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "contract-drechtsteden.yaml"


def assert_dump_load_is_noop() -> str:
    dump = contract_definition_dump()
    events = AuditEvent.objects.count()
    report = contract_definition_load_text(text=dump, file="dump.yaml")
    assert not report.changed, (report.created, report.updated)
    assert report.not_in_file == {}
    assert AuditEvent.objects.count() == events
    assert contract_definition_dump() == dump  # byte-identical on repeat
    return dump


@pytest.mark.django_db
def test_dump_of_the_example_loads_back_as_a_noop() -> None:
    contract_definition_load(path=EXAMPLE)
    dump = assert_dump_load_is_noop()
    data = yaml.safe_load(dump)
    assert data["version"] == 1
    assert len(data["gemeenten"]) == 9
    assert len(data["products"]) == 17
    assert sum(len(p["tariffs"]) for p in data["products"]) == Tariff.objects.count()
    assert data["holiday_calendars"][0]["years"] == {"from": 2015, "to": 2035}
    assert data["holiday_calendars"][0]["dates"] == []


@pytest.mark.django_db
def test_dump_into_an_empty_database_recreates_everything() -> None:
    contract_definition_load(path=EXAMPLE)
    dump = contract_definition_dump()
    counts = {
        model.__name__: model.objects.count() for model in (Holiday, Product, Tariff, Norm, AgbCode)
    }
    for model in (Norm, Product, Contract, HolidayCalendar, AgbCode):
        model.objects.all().delete()
    contract_definition_load_text(text=dump, file="dump.yaml")
    assert {
        model.__name__: model.objects.count() for model in (Holiday, Product, Tariff, Norm, AgbCode)
    } == counts
    assert contract_definition_dump() == dump


@pytest.mark.django_db
def test_codes_are_quoted_and_dates_iso() -> None:
    contract_definition_load(path=EXAMPLE)
    dump = contract_definition_dump()
    assert '  - cbs: "0505"\n' in dump
    assert '      - "99000101"\n' in dump
    assert '    categorie: "02"\n' in dump
    assert '    eenheid: "04"\n' in dump
    assert '      2018: "46.80"\n' in dump
    assert "    start_date: 2017-07-17\n" in dump
    # The file says what it is, and carries no timestamp that would break byte-identity.
    assert dump.startswith("# wmo-sla contractdefinitie")


@pytest.mark.django_db
def test_edited_data_round_trips() -> None:
    """Shapes the example does not have: extra holidays, end date, mixed price_per, no rank."""
    contract_definition_load(path=EXAMPLE)
    calendar = HolidayCalendar.objects.get(code="atw")
    Holiday.objects.create(calendar=calendar, date=date(2024, 12, 24), name="Kerstavond (regio)")
    renamed = Holiday.objects.get(calendar=calendar, date=date(2024, 5, 5))
    renamed.name = "Bevrijdingsdag (lustrumvrij)"
    renamed.save()
    Holiday.objects.filter(calendar=calendar, date=date(2035, 12, 26)).delete()
    other = HolidayCalendar.objects.create(code="leeg", name="Zonder regel")
    Holiday.objects.create(calendar=other, date=date(2020, 1, 1), name="Nieuwjaarsdag")
    contract = Contract.objects.get(code="BEG")
    contract.end_date = date(2026, 12, 31)
    contract.save()
    product = Product.objects.get(contract=contract, code="H531")
    product.intensity_rank = None
    product.save()
    Tariff.objects.filter(product=product, year=2025).update(price_per="04", price=Decimal("7.65"))
    Norm.objects.filter(kpi_code="K8", year=2025).update(method="gepoold", source="")

    dump = assert_dump_load_is_noop()
    data = yaml.safe_load(dump)
    atw = next(c for c in data["holiday_calendars"] if c["code"] == "atw")
    assert atw["years"] == {"from": 2015, "to": 2034}
    assert {"date": date(2024, 12, 24), "name": "Kerstavond (regio)"} in atw["dates"]
    assert {"date": date(2024, 5, 5), "name": "Bevrijdingsdag (lustrumvrij)"} in atw["dates"]
    # 2035 is incomplete now, so its remaining dates are written out one by one.
    explicit = {d["date"] for d in atw["dates"]}
    assert date(2035, 12, 25) in explicit
    assert date(2035, 12, 26) not in explicit
    h531 = next(p for p in data["products"] if p["code"] == "H531")
    assert "intensity_rank" not in h531
    assert h531["tariffs"][2025] == {"price": "7.65", "price_per": "04"}
    assert h531["tariffs"][2024] == "37.73"  # unchanged tariffs keep the plain form
