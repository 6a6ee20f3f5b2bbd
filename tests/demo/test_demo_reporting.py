# SPDX-License-Identifier: EUPL-1.2
"""The demo stage that sets up the reporting workflow: obligations, exemptions and a replayed
history of reports through the reporting services, on a small world of nine aanbieders. The board
shows the planned mix; running the stage again adds nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

import pytest
import time_machine
from rich.console import Console

from tests.factories import (
    AanbiederFactory,
    AgbCodeFactory,
    ComputationRunFactory,
    ContractFactory,
    FigureFactory,
    GemeenteFactory,
    ProductFactory,
    ReferentiegroepFactory,
    UserFactory,
)
from wmo_sla.accounts.models import User
from wmo_sla.audit.models import AuditEvent
from wmo_sla.demo.pipeline import STAGES, DemoContext
from wmo_sla.demo.reporting import RETURN_REASON_OUTFLOW, RETURN_REASON_SURVEY, demo_reporting
from wmo_sla.kpis.models import SurveyImport
from wmo_sla.reporting.models import (
    Exemption,
    Report,
    ReportEvent,
    ReportingObligation,
    ReportKind,
    ReportStatus,
    ReportVersion,
)
from wmo_sla.reporting.schemas import outflow_totals
from wmo_sla.reporting.selectors import return_reason, status_board, timeliness

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
TODAY = dt.datetime(2026, 11, 25, 10, 0, tzinfo=AMS)
HALF_YEARS = ("2023H1", "2023H2", "2024H1", "2024H2")
# Sorted by name: the demo logins first, then the parts of the story in the stage's order.
NAMES = (
    "A Atelier",  # aanbieder1
    "B Bureau",  # aanbieder2
    "C Klein",  # the smallest: exempt from klachten
    "D Teruggestuurd",
    "E Laat",
    "F Vergeten",
    "G Gecorrigeerd",
    "H Laat",
    "I Verschil",
)


@pytest.fixture
def world(db) -> dict[str, Any]:
    gemeenten = [
        GemeenteFactory(cbs_code="0505", name="Dordrecht"),
        GemeenteFactory(cbs_code="0642", name="Zwijndrecht"),
        GemeenteFactory(cbs_code="0590", name="Papendrecht"),
    ]
    aanbieders = []
    for index, name in enumerate(NAMES):
        aanbieder = AanbiederFactory(name=name, agb=None)
        AgbCodeFactory(code=f"990009{index:02d}", aanbieder=aanbieder)
        aanbieders.append(aanbieder)
    contract = ContractFactory(code="IB", aanbieders=aanbieders, gemeenten=gemeenten)
    ProductFactory(contract=contract, referentiegroep=ReferentiegroepFactory(code="IB"))
    run = ComputationRunFactory()
    for number, aanbieder in enumerate(aanbieders):
        total = 4 if aanbieder.name == "C Klein" else 30 + number
        for period in HALF_YEARS:
            small = total < 10
            counts = {
                "K12-19": total // 2,
                "K12-02": 0 if small else 1,
                "K12-38": 1 if small else 2,
                "K12-39": 0 if small else 2,
            }
            FigureFactory(
                run=run,
                aanbieder=aanbieder,
                kpi="K2",
                period=period,
                numerator=total,
                denominator=None,
                value=total,
                n=total,
                norm=None,
            )
            for kpi, count in counts.items():
                FigureFactory(
                    run=run,
                    aanbieder=aanbieder,
                    kpi=kpi,
                    period=period,
                    numerator=count,
                    denominator=total,
                    norm=None,
                )
        for year in ("2023", "2024"):
            FigureFactory(
                run=run,
                aanbieder=aanbieder,
                kpi="K2",
                period=year,
                numerator=2 * total,
                denominator=None,
                value=2 * total,
                n=2 * total,
                norm=None,
            )
    manager = UserFactory(username="contractmanager", contractmanager=True)
    provider = UserFactory(username="aanbieder1", provider=True, aanbieder=aanbieders[0])
    UserFactory(username="aanbieder2", provider=True, aanbieder=aanbieders[1])
    return {
        "by_name": {a.name: a for a in aanbieders},
        "manager": manager,
        "provider": provider,
        "run": run,
        "contract": contract,
    }


@pytest.fixture
def recomputes(monkeypatch) -> list[dt.date]:
    """The KPI recomputations the stage asks for (the real one needs iWmo facts)."""
    calls: list[dt.date] = []

    def fake_compute(*, as_of: dt.date, **_kwargs: Any) -> Any:
        calls.append(as_of)
        return ComputationRunFactory(as_of=as_of)

    monkeypatch.setattr("wmo_sla.kpis.services.kpis_compute", fake_compute)
    return calls


def _ctx() -> DemoContext:
    return DemoContext(
        data_dir=Path("/nonexistent"),
        contract_file=Path("/nonexistent.yaml"),
        console=Console(file=io.StringIO()),
    )


def _run_stage() -> DemoContext:
    ctx = _ctx()
    with time_machine.travel(TODAY, tick=True):
        demo_reporting(ctx)
    return ctx


def _board(user: User) -> list[Any]:
    with time_machine.travel(TODAY, tick=True):
        return status_board(user=user)


def _rows() -> dict[str, int]:
    models = (
        ReportingObligation,
        Exemption,
        Report,
        ReportVersion,
        ReportEvent,
        SurveyImport,
        User,
        AuditEvent,
    )
    return {m.__name__: m.objects.count() for m in models}


def test_the_stage_is_the_last_one():
    assert STAGES[-1].name == "Rapportages van de demo klaarzetten"


def _check_the_board_shows_the_planned_mix(world, recomputes, ctx):
    cells = _board(world["manager"])
    by_name = world["by_name"]
    mix = Counter(c.display_status for c in cells)
    assert mix["geaccepteerd"] > len(cells) // 2
    assert mix["te_laat"] == 1
    assert mix["gewijzigd_na_acceptatie"] == 1
    assert mix["teruggestuurd"] == 1

    [late] = [c for c in cells if c.display_status == "te_laat"]
    assert (late.aanbieder.name, late.obligation.kind, late.period) == (
        "F Vergeten",
        ReportKind.UITSTROOMREDENEN,
        "2024H2",
    )
    assert late.report is not None and late.report.status == ReportStatus.CONCEPT

    # The smallest aanbieder is exempt from klachten; tevredenheid 2023 is exempt for everyone.
    exempt = {
        (c.aanbieder.name, c.obligation.kind, c.period)
        for c in cells
        if c.display_status == "vrijgesteld"
    }
    assert {("C Klein", ReportKind.KLACHTEN, year) for year in ("2023", "2024", "2025")} <= exempt
    assert {(name, ReportKind.TEVREDENHEID, "2023") for name in NAMES} <= exempt
    assert not Report.objects.filter(aanbieder=by_name["C Klein"], obligation__kind="klachten")

    # Returned with a reason, resubmitted as version 2, then accepted.
    returned = Report.objects.get(
        aanbieder=by_name["D Teruggestuurd"], obligation__kind="uitstroomredenen", period="2024H1"
    )
    assert [e.to_status for e in returned.events.order_by("timestamp", "id")] == [
        "concept",
        "ingediend",
        "teruggestuurd",
        "concept",
        "ingediend",
        "geaccepteerd",
    ]
    assert return_reason(returned) == RETURN_REASON_OUTFLOW
    assert returned.accepted_version.number == 2

    # Two aanbieders are regularly late; aanbieder2 has a clean record.
    record = {t.aanbieder.name: t for t in timeliness(cells, on=TODAY.date())}
    assert record["E Laat"].late >= 3 and record["H Laat"].late >= 3
    assert all(record[n].late == 0 for n in NAMES if n not in ("E Laat", "H Laat"))
    clean = record["B Bureau"]
    assert (clean.late, clean.missing) == (0, 0) and clean.on_time == clean.expected > 0
    assert any("Rapportages:" in note for note in ctx.notes)


def _check_history_is_replayed_not_submitted_today(world, recomputes, ctx):
    versions = ReportVersion.objects.filter(
        report__period="2024H1", report__obligation__kind="uitstroomredenen"
    ).exclude(submitted_at=None)
    assert versions.count() >= len(NAMES)
    for version in versions:
        # 2024H1 opens 01-07-2024; the late ones come in weeks after the due date 11-08-2024.
        day = timezone.localdate(version.submitted_at)
        assert dt.date(2024, 7, 1) <= day < dt.date(2024, 10, 1)
        assert version.reference.startswith("RAP-2024-")
    events = ReportEvent.objects.filter(report__period="2024H1")
    assert all(e.timestamp.year == 2024 for e in events)


def _check_reported_outflow_follows_the_iwmo_figures(world, recomputes, ctx):
    for version in ReportVersion.objects.filter(
        report__obligation__kind="uitstroomredenen", report__period="2024H1", number=1
    ).select_related("report__aanbieder"):
        totals = outflow_totals(version.content)["IB"]
        name = version.report.aanbieder.name
        k2 = 4 if name == "C Klein" else 30 + NAMES.index(name)
        assert abs(totals["totaal"] - k2) <= 1, name
        assert abs(totals["doelen_bereikt"] - k2 // 2) <= 1, name
    # One aanbieder explained a difference above the tolerance before submitting.
    explained = ReportVersion.objects.exclude(check_explanation="").get()
    assert explained.report.aanbieder.name == "I Verschil"
    assert explained.report.period == "2024H2"
    assert any(f["over_tolerance"] for f in explained.check_result["findings"])
    assert "stopberichten" in explained.check_explanation


def _check_the_demo_logins_have_something_to_do(world, recomputes, ctx):
    cells = _board(world["provider"])
    assert {c.aanbieder.name for c in cells} == {"A Atelier"}
    status = {(c.obligation.kind, c.period): c for c in cells}
    # An open concept for the period that is open and not yet due (klachten 2026, due 30-11).
    concept = status[(ReportKind.KLACHTEN, "2026")]
    assert concept.display_status == "concept"
    saved = concept.report.versions.get()
    assert timezone.localdate(saved.saved_at) == TODAY.date()
    assert saved.saved_by == world["provider"]
    # A returned report to act on, and a submitted one with its reference.
    returned = status[(ReportKind.TEVREDENHEID, "2025")]
    assert returned.display_status == "teruggestuurd"
    assert return_reason(returned.report) == RETURN_REASON_SURVEY
    submitted = status[(ReportKind.UITSTROOMREDENEN, "2026H1")]
    assert submitted.display_status == "ingediend" and not submitted.submitted_late
    assert submitted.report.versions.get().reference.startswith("RAP-2026-")


def _check_complaints_have_the_annex_fields_and_no_personal_data(world, recomputes, ctx):
    rows = [
        row
        for version in ReportVersion.objects.filter(report__obligation__kind="klachten")
        for row in version.content["klachten"]
    ]
    assert rows
    for row in rows:
        assert row["woonplaats"] in {"Dordrecht", "Zwijndrecht", "Papendrecht"}
        assert not row["nummer"].isdigit()
        assert row["onderwerpen"]


def _check_accepted_satisfaction_reports_reach_k13_by_a_recomputation(world, recomputes, ctx):
    accepted = Report.objects.filter(obligation__kind="tevredenheid", status="geaccepteerd")
    assert accepted.exists()
    assert SurveyImport.objects.count() >= accepted.count()
    assert recomputes == [world["run"].as_of]


def test_running_the_stage_twice_adds_nothing(world, recomputes):
    _run_stage()
    first = _rows()
    ctx = _run_stage()
    assert _rows() == first
    assert recomputes == [world["run"].as_of]  # nothing new accepted: no second recomputation
    assert any("niets toegevoegd" in note for note in ctx.notes)


def test_without_a_contract_manager_nothing_is_set_up(world, recomputes):
    world["manager"].delete()
    ctx = _run_stage()
    assert not ReportingObligation.objects.exists()
    assert any("geen contractmanager" in note for note in ctx.notes)


def test_the_stage_replays_the_planned_story(world, recomputes):
    """One run of the stage (it takes seconds), checked from every side."""
    ctx = _run_stage()
    _check_the_board_shows_the_planned_mix(world, recomputes, ctx)
    _check_history_is_replayed_not_submitted_today(world, recomputes, ctx)
    _check_reported_outflow_follows_the_iwmo_figures(world, recomputes, ctx)
    _check_the_demo_logins_have_something_to_do(world, recomputes, ctx)
    _check_complaints_have_the_annex_fields_and_no_personal_data(world, recomputes, ctx)
    _check_accepted_satisfaction_reports_reach_k13_by_a_recomputation(world, recomputes, ctx)
