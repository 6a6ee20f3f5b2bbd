# SPDX-License-Identifier: EUPL-1.2
"""Exemptions, the status board aanbieder × obligation × period, and timeliness per aanbieder."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from wmo_sla.audit.models import AuditEvent
from wmo_sla.reporting.selectors import status_board, timeliness
from wmo_sla.reporting.services import (
    ReportingError,
    accept_report,
    exemption_create,
    exemption_revoke,
    return_report,
    save_draft,
    submit_report,
)

from .conftest import VALID_OUTFLOW, at

pytestmark = pytest.mark.django_db


def uitstroom_cells(world, user, on):
    return {
        (c.aanbieder.name, c.period): c
        for c in status_board(user=user, obligations=[world.uitstroom], on=on)
    }


def draft(world, period="2024H1", user=None):
    return save_draft(
        actor=user or world.provider,
        obligation=world.uitstroom,
        aanbieder=world.own,
        period=period,
        content=copy.deepcopy(VALID_OUTFLOW),
    )


def test_generic_exemption_covers_everyone_until_revoked(world):
    with at(2024, 6, 1):
        exemption = exemption_create(
            actor=world.cm,
            obligation=world.uitstroom,
            aanbieder=None,
            start_date=dt.date(2024, 1, 1),
            end_date=None,
            reason="Memo: rapportageverplichting vervalt",
        )
    with at(2024, 7, 15):
        with pytest.raises(ReportingError, match="vrijgesteld van deze rapportage over 2024H1"):
            draft(world)
        cells = uitstroom_cells(world, world.cm, dt.date(2024, 9, 1))
        assert {c.display_status for c in cells.values()} == {"vrijgesteld"}
        assert not any(c.is_late for c in cells.values())
    with at(2024, 10, 1):
        exemption_revoke(actor=world.cm, exemption=exemption, reason="Resultaten geven aanleiding")
        with pytest.raises(ReportingError, match="al ingetrokken op 01-10-2024"):
            exemption_revoke(actor=world.cm, exemption=exemption, reason="nog eens")
    with at(2025, 1, 5):
        cells = uitstroom_cells(world, world.cm, dt.date(2025, 3, 1))
        # 2024H1 was due before the revocation and stays exempt; 2024H2 must be reported.
        assert cells[("Zorg Eigen", "2024H1")].display_status == "vrijgesteld"
        assert cells[("Zorg Eigen", "2024H2")].display_status == "te_laat"
        assert draft(world, period="2024H2").report.period == "2024H2"
    events = AuditEvent.objects.filter(object_type="reporting.exemption").values_list(
        "extra__event", flat=True
    )
    assert sorted(events) == ["vrijstelling_ingetrokken", "vrijstelling_verleend"]


def test_individual_exemption_only_covers_that_aanbieder(world):
    with at(2024, 6, 1):
        exemption_create(
            actor=world.cm,
            obligation=world.uitstroom,
            aanbieder=world.other,
            start_date=dt.date(2024, 1, 1),
            end_date=dt.date(2024, 12, 31),
            reason="Nieuwe aanbieder, nog geen cliënten",
        )
    cells = uitstroom_cells(world, world.cm, dt.date(2025, 3, 1))
    assert cells[("Zorg Ander", "2024H1")].exemption is not None
    assert cells[("Zorg Ander", "2024H2")].display_status == "te_laat"  # due 11-02-2025
    assert cells[("Zorg Eigen", "2024H1")].exemption is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reason": " "}, "Vul de reden"),
        ({"end_date": dt.date(2023, 1, 1)}, "vóór de begindatum"),
    ],
)
def test_bad_exemptions_are_refused(world, kwargs, message):
    args = {
        "actor": world.cm,
        "obligation": world.uitstroom,
        "aanbieder": None,
        "start_date": dt.date(2024, 1, 1),
        "end_date": None,
        "reason": "Memo",
        **kwargs,
    }
    with pytest.raises(ReportingError, match=message):
        exemption_create(**args)


def test_only_the_gemeente_grants_exemptions(world):
    with pytest.raises(ReportingError, match="Alleen de gemeente"):
        exemption_create(
            actor=world.provider,
            obligation=world.uitstroom,
            aanbieder=world.own,
            start_date=dt.date(2024, 1, 1),
            end_date=None,
            reason="Graag",
        )


def test_board_states_and_timeliness(world):
    with at(2024, 8, 1):
        on_time = draft(world)
        submit_report(actor=world.provider, report=on_time.report)
    with at(2024, 8, 20):
        accept_report(actor=world.cm, report=on_time.report)
        draft(world, user=world.colleague)  # a correction after acceptance
    with at(2025, 1, 10):
        late = draft(world, period="2024H2")
    on = dt.date(2025, 3, 1)
    cells = uitstroom_cells(world, world.cm, on)
    own_h1 = cells[("Zorg Eigen", "2024H1")]
    assert own_h1.display_status == "gewijzigd_na_acceptatie"
    assert own_h1.changed_since_acceptance
    assert str(own_h1.display_label) == "Gewijzigd na acceptatie"
    assert own_h1.due_date == dt.date(2024, 8, 11)
    assert cells[("Zorg Eigen", "2024H2")].display_status == "te_laat"  # concept, due 11-02-2025
    assert cells[("Zorg Ander", "2024H1")].display_status == "te_laat"
    assert cells[("Zorg Ander", "2024H1")].status == "niet_gestart"
    with at(2025, 3, 2):
        submit_report(actor=world.provider, report=late.report)
    cells = uitstroom_cells(world, world.cm, dt.date(2025, 3, 3))
    assert cells[("Zorg Eigen", "2024H2")].display_status == "ingediend"
    assert cells[("Zorg Eigen", "2024H2")].submitted_late
    rows = {
        t.aanbieder.name: t
        for t in timeliness(
            status_board(user=world.cm, obligations=[world.uitstroom], on=dt.date(2025, 3, 3)),
            on=dt.date(2025, 3, 3),
        )
    }
    assert (rows["Zorg Eigen"].expected, rows["Zorg Eigen"].on_time, rows["Zorg Eigen"].late) == (
        2,
        1,
        1,
    )
    assert rows["Zorg Eigen"].on_time_share == 0.5
    assert (rows["Zorg Ander"].expected, rows["Zorg Ander"].missing) == (2, 2)


def test_returned_report_shows_as_returned(world):
    with at(2024, 8, 1):
        saved = draft(world)
        submit_report(actor=world.provider, report=saved.report)
        return_report(actor=world.cm, report=saved.report, reason="Onvolledig")
    cell = uitstroom_cells(world, world.cm, dt.date(2024, 8, 2))[("Zorg Eigen", "2024H1")]
    assert cell.display_status == "teruggestuurd"
    assert not cell.is_late  # it was submitted in time


def test_a_provider_sees_only_its_own_row_and_outsiders_nothing(world):
    cells = status_board(user=world.provider, on=dt.date(2025, 3, 1))
    assert cells and {c.aanbieder.pk for c in cells} == {world.own.pk}
    # Asking for the other aanbieder does not widen a provider's scope.
    cells = status_board(user=world.provider, aanbieder_id=world.other.pk, on=dt.date(2025, 3, 1))
    assert {c.aanbieder.pk for c in cells} == {world.own.pk}
    everyone = status_board(user=world.analist, on=dt.date(2025, 3, 1))
    assert {c.aanbieder.pk for c in everyone} == {world.own.pk, world.other.pk}
    from tests.factories import UserFactory

    assert (
        status_board(user=UserFactory(beheerder=True, is_active=False), on=dt.date(2025, 3, 1))
        == []
    )
