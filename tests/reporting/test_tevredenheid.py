# SPDX-License-Identifier: EUPL-1.2
"""The tevredenheid report: a K13 survey CSV, validated fully before anything is kept."""

from __future__ import annotations

import pytest

from wmo_sla.kpis.models import SurveyImport, SurveyResponse
from wmo_sla.reporting.models import Report, ReportStatus
from wmo_sla.reporting.services import (
    ReportContentInvalid,
    ReportingError,
    accept_report,
    save_draft,
    submit_report,
    upload_survey,
)

from .conftest import at

pytestmark = pytest.mark.django_db

GOOD = "agb_code;periode;cijfer\n" + "".join(f"11112222;2024;{7 + i % 3}\n" for i in range(12))


def upload(world, data, name="tevredenheid-2024.csv", user=None):
    return upload_survey(
        actor=user or world.provider,
        obligation=world.tevredenheid,
        aanbieder=world.own,
        period="2024",
        data=data,
        name=name,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "geen UTF-8-tekst"),
        (b"naam;score\nPiet;8\n", "kolom(men) ontbreken"),
        (b"agb_code;periode;cijfer\n11112222;2024;11\n", "Regel 2: cijfer '11'"),
        (
            b"agb_code;periode;cijfer\n33334444;2024;8\n",
            "Regel 2: AGB-code 33334444 hoort niet bij uw organisatie",
        ),
        (
            b"agb_code;periode;cijfer\n11112222;2023H2;8\n",
            "Regel 2: periode 2023H2 valt niet binnen 2024",
        ),
    ],
)
def test_a_bad_file_is_rejected_without_side_effects(world, data, message):
    with at(2025, 1, 10), pytest.raises(ReportContentInvalid) as info:
        upload(world, data)
    assert message in " ".join(e.message for e in info.value.errors)
    assert all(e.field == "bestand" for e in info.value.errors)
    assert not Report.objects.exists()
    assert not SurveyImport.objects.exists()


def test_the_form_is_not_for_survey_results(world):
    with at(2025, 1, 10), pytest.raises(ReportingError, match="als CSV-bestand"):
        save_draft(
            actor=world.provider,
            obligation=world.tevredenheid,
            aanbieder=world.own,
            period="2024",
            content={},
        )


def test_answers_reach_k13_only_after_acceptance(world):
    with at(2025, 1, 10):
        saved = upload(world, GOOD.encode())
        assert saved.version.content["regels"] == 12
        assert saved.version.attachment_name == "tevredenheid-2024.csv"
        submit_report(actor=world.provider, report=saved.report)
        assert not SurveyImport.objects.exists()
        accept_report(actor=world.cm, report=saved.report)
    assert Report.objects.get().status == ReportStatus.GEACCEPTEERD
    assert SurveyResponse.objects.filter(aanbieder_agb="11112222", period="2024").count() == 12


def test_a_new_upload_replaces_the_concept_file(world):
    with at(2025, 1, 10):
        first = upload(world, GOOD.encode())
        second = upload(world, b"agb_code;periode;cijfer\n11112222;2024H2;9\n", name="nieuw.csv")
    assert second.version.pk == first.version.pk
    assert second.version.content["regels"] == 1
    assert bytes(second.version.attachment).startswith(b"agb_code")
