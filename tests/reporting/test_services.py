# SPDX-License-Identifier: EUPL-1.2
"""Drafts, submission, review and every transition of a report, with the refusals a user meets."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import re

import pytest

from wmo_sla.audit.models import AuditEvent
from wmo_sla.core.transitions import InvalidTransition, check_transition
from wmo_sla.reporting.models import REPORT_TRANSITIONS, Report, ReportStatus, ReportVersion
from wmo_sla.reporting.selectors import initial_content, return_reason
from wmo_sla.reporting.services import (
    ReportContentInvalid,
    ReportingError,
    accept_report,
    return_report,
    save_draft,
    submit_report,
)

from .conftest import VALID_OUTFLOW, at, outflow

pytestmark = pytest.mark.django_db


def draft(world, content=None, user=None, **kwargs):
    return save_draft(
        actor=user or world.provider,
        obligation=world.uitstroom,
        aanbieder=world.own,
        period="2024H1",
        content=copy.deepcopy(content if content is not None else VALID_OUTFLOW),
        **kwargs,
    )


def statuses(report):
    return [(e.from_status, e.to_status) for e in report.events.order_by("timestamp", "id")]


def test_full_path_draft_submit_accept(world, mailoutbox, django_capture_on_commit_callbacks):
    with at(2024, 7, 15):
        saved = draft(world, outflow(IB_licht={}, IB_zwaar={}))
        assert saved.report.status == ReportStatus.CONCEPT
        assert saved.version.number == 1
        # A colleague of the same aanbieder continues the same concept.
        again = draft(world, user=world.colleague)
        assert again.version.pk == saved.version.pk
        assert again.version.saved_by == world.colleague
        assert again.saved_at >= saved.saved_at
        with django_capture_on_commit_callbacks(execute=True):
            result = submit_report(actor=world.colleague, report=saved.report)
    report = Report.objects.get(pk=saved.report.pk)
    assert report.status == ReportStatus.INGEDIEND
    assert re.fullmatch(r"RAP-2024-[2-9A-HJKMNP-Z]{8}", result.reference)
    version = ReportVersion.objects.get(pk=saved.version.pk)
    assert version.reference == result.reference
    assert version.submitted_by == world.colleague
    assert version.content == VALID_OUTFLOW
    assert report.first_submitted_at == version.submitted_at
    # Receipt by e-mail to the one who submitted, with the reference number.
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["b@eigen.example"]
    assert result.reference in mailoutbox[0].subject
    assert "15-07-2024" in mailoutbox[0].body

    with at(2024, 8, 20):
        accept_report(actor=world.cm, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.GEACCEPTEERD
    assert report.accepted_version_id == version.pk
    assert statuses(report) == [
        ("niet_gestart", "concept"),
        ("concept", "ingediend"),
        ("ingediend", "geaccepteerd"),
    ]
    audited = AuditEvent.objects.filter(object_type="reporting.report", object_id=str(report.pk))
    assert {tuple(e.changes.get("status", [])) for e in audited} >= {
        ("concept", "ingediend"),
        ("ingediend", "geaccepteerd"),
    }


def test_submitted_version_is_immutable_and_double_submit_is_refused(world):
    with at(2024, 7, 15):
        saved = draft(world)
        submit_report(actor=world.provider, report=saved.report)
        with pytest.raises(ReportingError, match="wacht op beoordeling"):
            draft(world, outflow(IB_licht={"overleden": 9}, IB_zwaar={}))
        with pytest.raises(ReportingError, match=r"al ingediend op 15-07-2024 .* kenmerk RAP-"):
            submit_report(actor=world.colleague, report=saved.report)
    version = ReportVersion.objects.get(pk=saved.version.pk)
    assert version.content == VALID_OUTFLOW
    assert Report.objects.get(pk=saved.report.pk).versions.count() == 1


def test_returned_report_reopens_as_a_new_version(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with at(2024, 7, 15):
        saved = draft(world)
        submit_report(actor=world.provider, report=saved.report)
    with at(2024, 7, 20):
        with pytest.raises(ReportingError, match="Vul de reden in"):
            return_report(actor=world.cm, report=saved.report, reason="  ")
        with django_capture_on_commit_callbacks(execute=True):
            return_report(
                actor=world.cm, report=saved.report, reason="IB-zwaar mist de overleden cliënt"
            )
    report = Report.objects.get(pk=saved.report.pk)
    assert report.status == ReportStatus.TERUGGESTUURD
    assert return_reason(report) == "IB-zwaar mist de overleden cliënt"
    returned_mail = mailoutbox[-1]
    assert "teruggestuurd" in returned_mail.subject
    assert "IB-zwaar mist de overleden cliënt" in returned_mail.body
    assert sorted(returned_mail.to) == ["a@eigen.example", "b@eigen.example"]
    with at(2024, 7, 21):
        with pytest.raises(ReportingError, match="teruggestuurd; pas hem aan"):
            submit_report(actor=world.provider, report=report)
        corrected = outflow(
            IB_licht={"doelen_bereikt": 6, "andere_aanbieder": 1},
            IB_zwaar={"wlz": 2, "overleden": 1},
        )
        second = draft(world, corrected)
        assert second.version.number == 2
        submit_report(actor=world.provider, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.INGEDIEND
    first, latest = report.versions.order_by("number")
    assert first.content == VALID_OUTFLOW and first.is_submitted
    assert latest.content == corrected and latest.reference != first.reference
    # Timeliness counts the first submission.
    assert report.first_submitted_at == first.submitted_at
    assert report.last_submitted_at == latest.submitted_at
    assert statuses(report)[-3:] == [
        ("ingediend", "teruggestuurd"),
        ("teruggestuurd", "concept"),
        ("concept", "ingediend"),
    ]


def test_correction_after_acceptance_is_a_new_version_to_accept_again(world):
    with at(2024, 7, 15):
        saved = draft(world)
        submit_report(actor=world.provider, report=saved.report)
        accept_report(actor=world.cm, report=saved.report)
        correction = draft(world, outflow(IB_licht={"doelen_bereikt": 7}, IB_zwaar={"wlz": 2}))
    report = Report.objects.get(pk=saved.report.pk)
    assert correction.version.number == 2
    assert report.status == ReportStatus.CONCEPT
    assert report.accepted_version_id == saved.version.pk  # the accepted one still counts


@pytest.mark.parametrize(
    "pair",
    [
        (a, b)
        for a, b in itertools.product(ReportStatus.values, repeat=2)
        if b not in REPORT_TRANSITIONS.get(a, frozenset())
    ],
)
def test_every_transition_outside_the_map_is_refused(pair):
    current, to = pair
    with pytest.raises(InvalidTransition):
        check_transition(REPORT_TRANSITIONS, current, to)


def test_review_of_a_report_that_is_not_submitted_is_refused(world):
    with at(2024, 7, 15):
        saved = draft(world)
        with pytest.raises(ReportingError, match="Alleen een ingediende rapportage"):
            accept_report(actor=world.cm, report=saved.report)
        with pytest.raises(ReportingError, match="Alleen een ingediende rapportage"):
            return_report(actor=world.cm, report=saved.report, reason="x")
        submit_report(actor=world.provider, report=saved.report)
        accept_report(actor=world.cm, report=saved.report)
        with pytest.raises(ReportingError, match="status nu: Geaccepteerd"):
            accept_report(actor=world.cm, report=Report.objects.get(pk=saved.report.pk))


def test_users_of_another_aanbieder_and_the_wrong_roles_are_refused(world):
    with at(2024, 7, 15):
        with pytest.raises(ReportingError, match="eigen organisatie"):
            draft(world, user=world.other_provider)
        saved = draft(world)
        with pytest.raises(ReportingError, match="eigen organisatie"):
            submit_report(actor=world.other_provider, report=saved.report)
        with pytest.raises(ReportingError, match="geen rechten"):
            submit_report(actor=world.cm, report=saved.report)
        submit_report(actor=world.provider, report=saved.report)
        with pytest.raises(ReportingError, match="Alleen de gemeente"):
            accept_report(actor=world.provider, report=saved.report)
        with pytest.raises(ReportingError, match="Alleen de gemeente"):
            return_report(actor=world.analist, report=saved.report, reason="nee")
    assert Report.objects.get(pk=saved.report.pk).status == ReportStatus.INGEDIEND
    assert not Report.objects.filter(aanbieder=world.other).exists()


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2024H2", "nog niet aan de beurt; u kunt hem invullen en indienen vanaf 01-01-2025"),
        ("2024Q1", "past niet bij deze rapportage; verwacht een halfjaar"),
        ("2023H2", "geldt deze rapportageverplichting niet"),
    ],
)
def test_a_period_that_is_not_due_is_refused(world, period, message):
    with at(2024, 7, 15), pytest.raises(ReportingError, match=message):
        save_draft(
            actor=world.provider,
            obligation=world.uitstroom,
            aanbieder=world.own,
            period=period,
            content={},
        )
    assert not Report.objects.exists()


def test_invalid_content_is_refused_on_submit_with_a_message_per_field(world):
    with at(2024, 7, 15):
        bad = outflow(IB_licht={"overig": 3})
        bad["rijen"][0]["overig_toelichting"] = ""
        bad["rijen"][0]["overleden"] = -2
        saved = draft(world, bad)  # a concept may be incomplete
        with pytest.raises(ReportContentInvalid) as info:
            submit_report(actor=world.provider, report=saved.report)
    fields = {e.field: e.message for e in info.value.errors}
    assert set(fields) == {"rijen.0.overleden", "rijen.0.overig_toelichting", "rijen"}
    assert "IB-zwaar ontbreekt" in fields["rijen"]
    report = Report.objects.get(pk=saved.report.pk)
    assert report.status == ReportStatus.CONCEPT
    assert report.first_submitted_at is None
    assert not ReportVersion.objects.filter(submitted_at__isnull=False).exists()


def test_a_colleagues_later_save_is_never_overwritten(world):
    with at(2024, 7, 15, 10):
        mine = draft(world)
    with at(2024, 7, 15, 11):
        theirs = draft(world, outflow(IB_licht={"overleden": 1}, IB_zwaar={}), user=world.colleague)
    with (
        at(2024, 7, 15, 12),
        pytest.raises(ReportingError, match=r"prov-collega heeft dit concept om 11:0\d"),
    ):
        draft(world, outflow(IB_licht={}, IB_zwaar={}), expected_saved_at=mine.saved_at)
    version = ReportVersion.objects.get(pk=mine.version.pk)
    assert version.content == theirs.version.content
    # With the current saved_at the save goes through.
    with at(2024, 7, 15, 13):
        draft(world, VALID_OUTFLOW, expected_saved_at=version.saved_at)


def test_autosave_is_not_audited_one_by_one_but_an_explicit_save_is(world):
    with at(2024, 7, 15):
        saved = draft(world)
        before = AuditEvent.objects.count()
        draft(world, autosave=True)
        assert AuditEvent.objects.count() == before
        draft(world)
        assert AuditEvent.objects.filter(
            object_type="reporting.reportversion",
            object_id=str(saved.version.pk),
            extra__event="rapportage_concept_opgeslagen",
        ).exists()


def test_unreadable_content_is_refused(world):
    with at(2024, 7, 15), pytest.raises(ReportingError, match="niet leesbaar"):
        draft(world, content=["geen", "object"])


def test_initial_content_lists_the_referentiegroepen_to_fill_in(world):
    content = initial_content(world.uitstroom, world.own.pk, "2024H1")
    assert [row["referentiegroep"] for row in content["rijen"]] == ["IB-licht", "IB-zwaar"]
    assert content["rijen"][0]["doelen_bereikt"] is None


def test_open_complaints_of_last_year_prefill_the_next_report(world):
    complaints = {
        "geen_klachten": False,
        "klachten": [
            {
                "nummer": "K-1",
                "datum_ontvangen": "2024-03-01",
                "onderwerpen": ["kwaliteit"],
                "afgehandeld": False,
                "woonplaats": "Zwijndrecht",
            },
            {
                "nummer": "K-2",
                "datum_ontvangen": "2024-03-05",
                "onderwerpen": ["zorgaanbod"],
                "afgehandeld": True,
                "oordeel": "gegrond",
                "datum_afgehandeld": "2024-04-01",
                "wijze_afhandeling": "Excuses en extra uren",
                "woonplaats": "Dordrecht",
            },
        ],
    }
    with at(2024, 10, 1):
        saved = save_draft(
            actor=world.provider,
            obligation=world.klachten,
            aanbieder=world.own,
            period="2024",
            content=complaints,
        )
        submit_report(actor=world.provider, report=saved.report)
    prefill = initial_content(world.klachten, world.own.pk, "2025")
    assert [c["nummer"] for c in prefill["klachten"]] == ["K-1"]
    assert initial_content(world.klachten, world.other.pk, "2025")["klachten"] == []


def test_complaints_report_opens_before_the_year_ends(world):
    with at(2024, 9, 29), pytest.raises(ReportingError, match="vanaf 30-09-2024"):
        save_draft(
            actor=world.provider,
            obligation=world.klachten,
            aanbieder=world.own,
            period="2024",
            content={"geen_klachten": True, "klachten": []},
        )
    with at(2024, 9, 30):
        saved = save_draft(
            actor=world.provider,
            obligation=world.klachten,
            aanbieder=world.own,
            period="2024",
            content={"geen_klachten": True, "klachten": []},
        )
        assert submit_report(actor=world.provider, report=saved.report).reference


def test_due_date_is_not_a_deadline_for_submitting(world):
    # Late reports are still accepted (and flagged on the board), never refused.
    with at(2024, 9, 1):
        saved = draft(world)
        submit_report(actor=world.provider, report=saved.report)
    report = Report.objects.get(pk=saved.report.pk)
    assert report.first_submitted_at.date() > dt.date(2024, 8, 11)
