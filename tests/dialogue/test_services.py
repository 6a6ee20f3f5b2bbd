# SPDX-License-Identifier: EUPL-1.2
"""Explanations, responses, meetings and agreements: transitions, versions, history, audit."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import ComputationRunFactory, FigureFactory
from wmo_sla.audit.models import AuditEvent
from wmo_sla.core.transitions import InvalidTransition
from wmo_sla.dialogue import services
from wmo_sla.dialogue.models import (
    AFSPRAAK_TRANSITIONS,
    AfspraakStatus,
    Toelichting,
    ToelichtingStatus,
    VerbeterafspraakEvent,
)
from wmo_sla.dialogue.services import DialogueError, FigureIdentity

pytestmark = pytest.mark.django_db


def _write(d, *, figure=None, text="Registratiefout in het stopbericht", submit=False, **kw):
    figure = figure or d.flagged
    return services.toelichting_write(
        actor=kw.pop("actor", d.provider),
        identity=FigureIdentity.of(figure),
        figure=figure,
        oorzaak=kw.pop("oorzaak", "registratie"),
        tekst=text,
        maatregel=kw.pop("maatregel", ""),
        submit=submit,
    )


def _statuses(toelichting):
    return [(e.from_status, e.to_status) for e in toelichting.events.order_by("timestamp", "id")]


def test_concept_then_submit_then_respond_walks_the_allowed_transitions(dialogue):
    t = _write(dialogue)
    assert t.status == ToelichtingStatus.CONCEPT and t.ingediend_at is None
    t = _write(dialogue, submit=True)  # same content: no new version, only the submission
    assert t.status == ToelichtingStatus.INGEDIEND and t.ingediend_at is not None
    assert t.versies.count() == 1
    reactie = services.toelichting_respond(actor=dialogue.cm, toelichting=t, tekst="Dank, helder.")
    t.refresh_from_db()
    assert t.status == ToelichtingStatus.BEANTWOORD
    assert reactie.versie.number == 1
    assert _statuses(t) == [
        ("", "concept"),
        ("concept", "ingediend"),
        ("ingediend", "beantwoord"),
    ]


def test_every_edit_is_a_new_version_and_old_versions_stay_unchanged(dialogue):
    _write(dialogue, text="Eerste versie", submit=True)
    t = _write(dialogue, text="Tweede versie", submit=True)  # resubmission while ingediend
    t = _write(dialogue, text="Derde versie")  # revision back into concept
    versies = list(t.versies.order_by("number").values_list("number", "tekst"))
    assert versies == [(1, "Eerste versie"), (2, "Tweede versie"), (3, "Derde versie")]
    assert t.status == ToelichtingStatus.CONCEPT
    assert _statuses(t)[-2:] == [("ingediend", "ingediend"), ("ingediend", "concept")]


def test_a_version_records_the_figure_it_was_written_against(dialogue):
    t = _write(dialogue)
    versie = t.versies.get()
    assert versie.run_id == dialogue.run.pk
    assert versie.figure_value == pytest.approx(0.3)
    assert versie.figure_n == 40 and versie.figure_signaal == "signaal"
    assert versie.figure_norm_niet_gehaald is True


def test_explanation_survives_recomputation_and_attaches_to_the_new_figure(dialogue):
    t = _write(dialogue, submit=True)
    newer = ComputationRunFactory(created_at=dt.datetime(2025, 2, 1, tzinfo=dt.UTC))
    again = FigureFactory(
        run=newer,
        aanbieder=dialogue.own,
        kpi="K8",
        period="2024Q3",
        numerator=9,
        denominator=40,
        signaal="let op",
    )
    t2 = _write(dialogue, figure=again, text="Bijgewerkt na herberekening", submit=True)
    assert t2.pk == t.pk
    latest = t2.versies.order_by("-number").first()
    assert latest.run_id == newer.pk and latest.figure_value == pytest.approx(0.225)
    assert t2.versies.order_by("number").first().run_id == dialogue.run.pk


def test_responding_to_a_concept_or_twice_is_refused(dialogue):
    t = _write(dialogue)
    with pytest.raises(DialogueError, match="alleen reageren op een ingediende"):
        services.toelichting_respond(actor=dialogue.cm, toelichting=t, tekst="Te vroeg")
    t = _write(dialogue, submit=True)
    services.toelichting_respond(actor=dialogue.cm, toelichting=t, tekst="Eerste reactie")
    with pytest.raises(DialogueError):
        services.toelichting_respond(actor=dialogue.cm, toelichting=t, tekst="Nogmaals")
    assert t.reacties.count() == 1


def test_forbidden_transition_is_raised_by_the_map(dialogue):
    t = _write(dialogue)
    with pytest.raises(InvalidTransition):
        services._toelichting_to(
            t, ToelichtingStatus.BEANTWOORD, actor=dialogue.cm, versie=None, request=None
        )
    t.refresh_from_db()
    assert t.status == ToelichtingStatus.CONCEPT


def test_submitting_the_same_submitted_version_again_is_refused(dialogue):
    _write(dialogue, submit=True)
    with pytest.raises(DialogueError, match="al ingediend"):
        _write(dialogue, submit=True)


def test_saving_an_unchanged_draft_after_submission_is_refused(dialogue):
    _write(dialogue, submit=True)
    with pytest.raises(DialogueError, match="niets gewijzigd"):
        _write(dialogue)


def test_only_flagged_figures_of_the_own_aanbieder_can_be_explained(dialogue):
    with pytest.raises(DialogueError, match="signaal of een niet gehaalde norm"):
        _write(dialogue, figure=dialogue.unflagged)
    with pytest.raises(DialogueError, match="eigen organisatie"):
        _write(dialogue, figure=dialogue.other_flagged)
    with pytest.raises(DialogueError, match="eigen organisatie"):
        _write(dialogue, actor=dialogue.cm)
    assert not Toelichting.objects.exists()


def test_empty_text_is_refused(dialogue):
    with pytest.raises(DialogueError, match="Vul de toelichting in"):
        _write(dialogue, text="   ")


def test_every_write_is_audit_logged(dialogue):
    before = AuditEvent.objects.count()
    t = _write(dialogue, submit=True)
    services.toelichting_respond(actor=dialogue.cm, toelichting=t, tekst="Reactie")
    events = list(
        AuditEvent.objects.order_by("id")[before:].values_list("action", "extra", "actor_id")
    )
    kinds = [(action, extra.get("event")) for action, extra, _ in events]
    assert kinds == [
        ("create", "toelichting_created"),
        ("create", "toelichting_versie"),
        ("update", "toelichting_status"),
        ("create", "toelichting_reactie"),
        ("update", "toelichting_status"),
    ]
    assert events[-1][2] == dialogue.cm.pk


def test_meeting_plan_validates_the_period(dialogue):
    with pytest.raises(DialogueError, match="Ongeldige periode"):
        services.gesprek_plan(
            actor=dialogue.cm,
            aanbieder=dialogue.own,
            period="2024Q5",
            date=dt.date(2024, 11, 1),
            deelnemers="",
        )
    gesprek = services.gesprek_plan(
        actor=dialogue.cm,
        aanbieder=dialogue.own,
        period="2024Q3",
        date=dt.date(2024, 11, 1),
        deelnemers=" Jan (gemeente) ",
    )
    assert gesprek.deelnemers == "Jan (gemeente)"
    assert AuditEvent.objects.filter(
        object_type="dialogue.voortgangsgesprek", object_id=str(gesprek.pk)
    ).exists()


@pytest.fixture
def gesprek(dialogue):
    return services.gesprek_plan(
        actor=dialogue.cm,
        aanbieder=dialogue.own,
        period="2024Q3",
        date=dt.date(2024, 11, 1),
        deelnemers="",
    )


def _afspraak(dialogue, gesprek):
    return services.afspraak_create(
        actor=dialogue.cm,
        gesprek=gesprek,
        actie="Stopberichten binnen 5 werkdagen",
        eigenaar="Teamleider",
        deadline=dt.date(2025, 3, 31),
    )


@pytest.mark.parametrize(
    ("path", "forbidden"),
    [
        (["in_uitvoering", "afgerond"], "open"),
        (["vervallen"], "open"),
        (["in_uitvoering", "open", "afgerond"], "in_uitvoering"),
    ],
)
def test_agreement_transitions_with_history_and_terminal_states(dialogue, gesprek, path, forbidden):
    afspraak = _afspraak(dialogue, gesprek)
    for to in path:
        afspraak = services.afspraak_transition(
            actor=dialogue.cm, afspraak=afspraak, to=to, note=f"naar {to}"
        )
    assert afspraak.status == path[-1]
    history = list(
        VerbeterafspraakEvent.objects.filter(afspraak=afspraak).values_list(
            "from_status", "to_status"
        )
    )
    assert history == list(zip(["", "open", *path[:-1]], ["open", *path], strict=True))
    with pytest.raises(InvalidTransition):
        services.afspraak_transition(actor=dialogue.cm, afspraak=afspraak, to=forbidden)
    afspraak.refresh_from_db()
    assert afspraak.status == path[-1]
    assert AuditEvent.objects.filter(
        object_type="dialogue.verbeterafspraak", action="update"
    ).count() == len(path)


def test_every_status_pair_outside_the_map_is_refused(dialogue, gesprek):
    for current, allowed in AFSPRAAK_TRANSITIONS.items():
        for to in AfspraakStatus.values:
            if to in allowed:
                continue
            afspraak = _afspraak(dialogue, gesprek)
            afspraak.status = current  # put it in the state directly to probe the map
            afspraak.save(update_fields=["status"])
            with pytest.raises(InvalidTransition):
                services.afspraak_transition(actor=dialogue.cm, afspraak=afspraak, to=to)


def test_agreement_needs_action_and_owner(dialogue, gesprek):
    with pytest.raises(DialogueError, match="Beschrijf de actie"):
        services.afspraak_create(
            actor=dialogue.cm,
            gesprek=gesprek,
            actie=" ",
            eigenaar="x",
            deadline=dt.date(2025, 1, 1),
        )
    with pytest.raises(DialogueError, match="eigenaar"):
        services.afspraak_create(
            actor=dialogue.cm,
            gesprek=gesprek,
            actie="Actie",
            eigenaar="",
            deadline=dt.date(2025, 1, 1),
        )


def test_a_status_change_keeps_its_note_and_version_in_history_and_audit(dialogue, gesprek):
    afspraak = _afspraak(dialogue, gesprek)
    services.afspraak_transition(
        actor=dialogue.cm, afspraak=afspraak, to="vervallen", note="  Niet meer nodig  "
    )
    last = VerbeterafspraakEvent.objects.filter(afspraak=afspraak).order_by("id").last()
    assert (last.note, last.actor_id, str(last)) == (
        "Niet meer nodig",
        dialogue.cm.pk,
        f"{afspraak.pk}: open → vervallen",
    )
    audit = AuditEvent.objects.filter(
        object_type="dialogue.verbeterafspraak", object_id=str(afspraak.pk), action="update"
    ).get()
    assert audit.changes == {"status": ["open", "vervallen"]}
    assert audit.extra == {"event": "verbeterafspraak_status", "note": "Niet meer nodig"}

    t = _write(dialogue, submit=True)
    submitted = t.events.order_by("id").last()
    assert submitted.versie.number == 1 and submitted.timestamp == t.ingediend_at
    assert AuditEvent.objects.filter(
        object_type="dialogue.toelichting", object_id=str(t.pk), action="update"
    ).get().extra == {"event": "toelichting_status", "versie": 1}
