# SPDX-License-Identifier: EUPL-1.2
"""Reported uitstroomredenen against the iWmo-derived outflow (K2/K12) of the same half year."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from tests.factories import ComputationRunFactory, FigureFactory
from wmo_sla.reporting.checks import compare_outflow
from wmo_sla.reporting.models import Report, ReportStatus
from wmo_sla.reporting.services import (
    ReportCheckNeedsExplanation,
    check_version,
    save_draft,
    submit_report,
)

from .conftest import VALID_OUTFLOW, at, outflow

pytestmark = pytest.mark.django_db


def iwmo(
    world, *, run=None, group="IB-licht", total=7, reasons=None, as_of=dt.date(2024, 9, 30), n=None
):
    """A completed run with K2 (total outflow) and K12 counts of the own aanbieder in 2024H1."""
    run = run or ComputationRunFactory(as_of=as_of)
    FigureFactory(
        run=run,
        aanbieder=world.own,
        kpi="K2",
        referentiegroep=group,
        period="2024H1",
        numerator=total,
        denominator=None,
        value=total,
        n=total if n is None else n,
        norm=None,
    )
    for code, count in (reasons or {"19": 6, "38": 1}).items():
        FigureFactory(
            run=run,
            aanbieder=world.own,
            kpi=f"K12-{code}",
            referentiegroep=group,
            period="2024H1",
            numerator=count,
            denominator=total,
            n=total if n is None else n,
            norm=None,
        )
    # Another aanbieder's outflow in the same group never counts for this one.
    FigureFactory(
        run=run,
        aanbieder=world.other,
        kpi="K2",
        referentiegroep=group,
        period="2024H1",
        numerator=50,
        denominator=None,
        value=50,
        norm=None,
    )
    return run


def submit(world, content, explanation=""):
    saved = save_draft(
        actor=world.provider,
        obligation=world.uitstroom,
        aanbieder=world.own,
        period="2024H1",
        content=copy.deepcopy(content),
    )
    return saved, submit_report(actor=world.provider, report=saved.report, explanation=explanation)


def test_pure_tolerance_is_the_larger_of_absolute_and_percentage():
    reported = {"A": {"totaal": 112}, "B": {"totaal": 4}}
    derived = {"A": {"totaal": 100}, "B": {"totaal": 0}}
    findings = {
        (f.referentiegroep, f.category): f
        for f in compare_outflow(reported, derived, tolerance_abs=2, tolerance_pct=10)
    }
    assert findings[("A", "totaal")].allowed == 10.0
    assert findings[("A", "totaal")].over_tolerance  # 12 > 10
    assert findings[("B", "totaal")].allowed == 2.0
    assert findings[("B", "totaal")].over_tolerance  # 4 > 2, a group without iWmo ends counts 0
    assert not findings[("A", "wlz")].over_tolerance


def test_within_tolerance_submits_without_explanation(world):
    with at(2024, 10, 1):
        # Reported: IB-licht 7 (6 doelen bereikt, 1 andere aanbieder), IB-zwaar 2 (Wlz).
        run = iwmo(world, total=8, reasons={"19": 5, "38": 1})
        iwmo(world, run=run, group="IB-zwaar", total=2, reasons={"39": 2})
        _saved, result = submit(world, VALID_OUTFLOW)
    assert result.check is not None and result.check.available
    assert result.check.run_id == run.pk
    assert result.check.warnings == ()
    assert result.report.status == ReportStatus.INGEDIEND


def test_over_tolerance_needs_an_explanation_before_submit(world):
    content = outflow(IB_licht={"doelen_bereikt": 20}, IB_zwaar={})
    with at(2024, 10, 1):
        iwmo(world, total=7)
        with pytest.raises(ReportCheckNeedsExplanation) as info:
            submit(world, content)
        message = str(info.value)
        assert (
            "IB-licht, totale uitstroom: u meldt 20, uit de iWmo-berichten volgen er 7" in message
        )
        assert "verschil +13" in message
        report = Report.objects.get()
        assert report.status == ReportStatus.CONCEPT
        assert report.first_submitted_at is None
        _saved, result = submit(
            world, content, explanation="Twaalf stopberichten zijn nog niet verstuurd."
        )
    version = result.version
    assert version.check_explanation == "Twaalf stopberichten zijn nog niet verstuurd."
    over = [f for f in version.check_result["findings"] if f["over_tolerance"]]
    assert {(f["referentiegroep"], f["category"]) for f in over} == {
        ("IB-licht", "totaal"),
        ("IB-licht", "doelen_bereikt"),
    }


def test_no_run_covering_the_half_year_means_no_check_not_a_pass(world):
    with at(2024, 10, 1):
        iwmo(world, total=0, as_of=dt.date(2024, 5, 31))  # ends before the half year does
        _saved, result = submit(world, outflow(IB_licht={"doelen_bereikt": 20}, IB_zwaar={}))
    assert result.check is not None
    assert not result.check.available
    assert "nog geen berekening" in result.check.note
    assert result.version.check_result["available"] is False


def test_a_provider_never_sees_an_iwmo_count_below_five(world):
    with at(2024, 10, 1):
        iwmo(world, total=3, reasons={"19": 3}, n=3)
        saved = save_draft(
            actor=world.provider,
            obligation=world.uitstroom,
            aanbieder=world.own,
            period="2024H1",
            content=outflow(IB_licht={"doelen_bereikt": 12}, IB_zwaar={}),
        )
        provider_view = check_version(
            user=world.provider, report=saved.report, version=saved.version
        )
        municipal_view = check_version(user=world.cm, report=saved.report, version=saved.version)
    provider_messages = " ".join(f.message() for f in provider_view.warnings)
    assert "wijkt meer dan de tolerantie af" in provider_messages
    assert "volgen er 3" not in provider_messages
    assert "volgen er 3" in " ".join(f.message() for f in municipal_view.warnings)
