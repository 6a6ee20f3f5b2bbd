# SPDX-License-Identifier: EUPL-1.2
"""The reporting API (``/api/v1/rapportages/…``): the same drafts, checks and submission as the
form, scoped to the token's aanbieder, every refusal in one error shape."""

from __future__ import annotations

import copy
import datetime as dt

from django.urls import reverse

import pytest

from tests.factories import ComputationRunFactory, ContractFactory, FigureFactory, UserFactory
from tests.reporting.conftest import VALID_OUTFLOW, outflow
from wmo_sla.reporting.models import (
    DueRule,
    PeriodType,
    Report,
    ReportKind,
    ReportStatus,
    ReportVersion,
)
from wmo_sla.reporting.services import obligation_create, save_draft, submit_report

from .conftest import Api, at

pytestmark = pytest.mark.django_db

LIST = "/api/v1/rapportages/"
OTHER_NAME = "Zorg Ander"


def url(name, world, period="2024H1", obligation=None):
    return reverse(f"api:reporting_{name}", args=[(obligation or world.uitstroom).pk, period])


def iwmo(world, *, total, n=None, as_of=dt.date(2024, 9, 30)):
    """A completed run with the own aanbieder's K2 outflow in IB-licht over 2024H1."""
    run = ComputationRunFactory(as_of=as_of)
    FigureFactory(
        run=run,
        aanbieder=world.own,
        kpi="K2",
        referentiegroep="IB-licht",
        period="2024H1",
        numerator=total,
        denominator=None,
        value=total,
        n=total if n is None else n,
        norm=None,
    )
    return run


# --- listing and scope ---------------------------------------------------------------------------


def test_list_shows_the_own_open_periods_with_status(client, world, tokens):
    with at(2024, 10, 15):
        response = Api(client, tokens["own"]).get(LIST)
    assert response.status_code == 200
    rows = response.json()
    assert {(r["obligation"]["kind"], r["period"]) for r in rows} == {
        ("uitstroomredenen", "2024H1"),
        ("klachten", "2024"),  # opens 30-09-2024, 61 days before 30 November
    }
    uitstroom = next(r for r in rows if r["period"] == "2024H1")
    assert uitstroom["status"] == "niet_gestart"
    assert uitstroom["display_status"] == "te_laat"  # due 11-08-2024, never submitted
    assert uitstroom["due_date"] == "2024-08-11"
    assert uitstroom["url"] == url("detail", world)
    assert OTHER_NAME not in response.content.decode()


def test_another_aanbieders_obligation_is_404_without_its_name(client, world, tokens):
    own_only_for_other = ContractFactory(code="ALLEEN-ANDER", aanbieders=[world.other])
    with at(2024, 1, 2):
        obligation = obligation_create(
            actor=world.cm,
            contract=own_only_for_other,
            kind=ReportKind.UITSTROOMREDENEN,
            period_type=PeriodType.HALF_YEAR,
            first_period="2024H1",
            due_rule=DueRule.AFTER_PERIOD,
            due_days=42,
        )
    api = Api(client, tokens["own"])
    with at(2024, 8, 1):
        for name in ("detail", "last_receipt"):
            response = api.get(url(name, world, obligation=obligation))
            assert response.status_code == 404
            assert response.json()["code"] == "not_found"
            assert OTHER_NAME not in response.content.decode()
        response = api.put(url("draft", world, obligation=obligation), {"content": VALID_OUTFLOW})
        assert response.status_code == 404
        assert api.post(url("submit", world, obligation=obligation)).status_code == 404
    assert not Report.objects.exists()


def test_the_other_aanbieders_draft_and_receipt_stay_invisible(client, world, tokens):
    secret = outflow(IB_licht={"overig": 1}, IB_zwaar={})
    secret["rijen"][0]["overig_toelichting"] = f"Geheim van {OTHER_NAME}"
    with at(2024, 8, 1):
        saved = save_draft(
            actor=world.other_provider,
            obligation=world.uitstroom,
            aanbieder=world.other,
            period="2024H1",
            content=secret,
        )
        reference = submit_report(
            actor=world.other_provider, report=saved.report, explanation="x"
        ).reference
        api = Api(client, tokens["own"])
        detail = api.get(url("detail", world))
        assert detail.status_code == 200
        assert detail.json()["status"] == "niet_gestart" and detail.json()["version"] is None
        assert "Geheim" not in detail.content.decode()
        assert api.get(url("last_receipt", world)).status_code == 404
        by_reference = api.get(reverse("api:reporting_receipt", args=[reference]))
        assert by_reference.status_code == 404
        assert reference not in by_reference.content.decode()
        # Submitting the shared obligation's period submits nothing of the other aanbieder.
        assert api.post(url("submit", world)).status_code == 422
    assert Report.objects.get(aanbieder=world.other).status == ReportStatus.INGEDIEND
    assert not Report.objects.filter(aanbieder=world.own).exists()


def test_a_period_that_is_not_open_is_404_with_a_reason(client, world, tokens):
    with at(2024, 8, 1):
        for period in ("2024H2", "2024Q3", "onzin"):
            response = Api(client, tokens["own"]).get(url("detail", world, period=period))
            assert response.status_code == 404
            assert "niet aan de beurt" in response.json()["detail"]


def test_municipality_users_cannot_use_the_provider_api(client, world):
    client.force_login(world.cm)
    response = client.get(LIST)
    assert response.status_code == 403
    assert set(response.json()) == {"detail", "code", "errors"}


def test_session_of_a_provider_user_works_too(client, world):
    client.force_login(world.provider)
    with at(2024, 8, 1):
        response = client.get(url("detail", world))
    assert response.status_code == 200
    assert [row["referentiegroep"] for row in response.json()["initial_content"]["rijen"]] == [
        "IB-licht",
        "IB-zwaar",
    ]


# --- drafts ----------------------------------------------------------------------------------------


def test_put_draft_then_a_stale_save_of_a_colleague_is_409(client, world, tokens):
    own, colleague = Api(client, tokens["own"]), Api(client, tokens["colleague"])
    with at(2024, 8, 1):
        first = own.put(url("draft", world), {"content": {"rijen": []}})
        assert first.status_code == 200, first.json()
        loaded_at = first.json()["version"]["saved_at"]
        assert first.json()["status"] == "concept"
        assert first.json()["version"]["saved_by"] == "prov-eigen"

        second = own.put(
            url("draft", world), {"content": VALID_OUTFLOW, "expected_saved_at": loaded_at}
        )
        assert second.status_code == 200
        stale = colleague.put(
            url("draft", world), {"content": {"rijen": []}, "expected_saved_at": loaded_at}
        )
    assert stale.status_code == 409
    body = stale.json()
    assert body["code"] == "draft_conflict"
    assert body["saved_by"] == "prov-eigen"
    assert body["saved_at"] == second.json()["version"]["saved_at"]
    assert "prov-eigen heeft dit concept om" in body["detail"]
    assert ReportVersion.objects.get().content == VALID_OUTFLOW  # nothing overwritten


def test_unreadable_draft_bodies_get_field_errors(client, world, tokens):
    api = Api(client, tokens["own"])
    with at(2024, 8, 1):
        not_an_object = api.put(url("draft", world), {"content": [1, 2]})
        no_content = api.put(url("draft", world), {"expected_saved_at": "gisteren"})
        not_json = client.put(
            url("draft", world),
            "{kapot",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens['own']}",
        )
    assert not_an_object.status_code == 400
    assert not_an_object.json()["errors"] == [
        {"field": "content", "message": "De inhoud moet een JSON-object zijn."}
    ]
    assert no_content.status_code == 400
    assert {e["field"] for e in no_content.json()["errors"]} == {"content", "expected_saved_at"}
    assert not_json.status_code == 400 and not_json.json()["code"] == "parse_error"
    assert not Report.objects.exists()


# --- validate and submit ----------------------------------------------------------------------------


def test_validate_gives_field_paths_and_saves_nothing(client, world, tokens):
    bad = copy.deepcopy(VALID_OUTFLOW)
    bad["rijen"][0]["overig"] = 2
    bad["rijen"][1]["wlz"] = -1
    api = Api(client, tokens["own"])
    with at(2024, 8, 1):
        nothing = api.post(url("validate", world))
        given = api.post(url("validate", world), {"content": bad})
        api.put(url("draft", world), {"content": VALID_OUTFLOW})
        stored = api.post(url("validate", world))
    assert nothing.status_code == 422 and "nog niets ingevuld" in nothing.json()["detail"]
    assert given.status_code == 200
    assert given.json()["valid"] is False
    assert {e["field"] for e in given.json()["errors"]} == {
        "rijen.0.overig_toelichting",
        "rijen.1.wlz",
    }
    assert stored.json() == {
        "valid": True,
        "errors": [],
        "check": {
            "available": False,
            "note": stored.json()["check"]["note"],
            "needs_explanation": False,
            "findings": [],
        },
    }
    assert ReportVersion.objects.get().content == VALID_OUTFLOW


def test_invalid_content_is_refused_with_every_field_error(client, world, tokens):
    incomplete = copy.deepcopy(VALID_OUTFLOW)
    incomplete["rijen"][1]["wlz"] = None
    incomplete["rijen"][0]["overig"] = 1
    api = Api(client, tokens["own"])
    with at(2024, 8, 1):
        api.put(url("draft", world), {"content": incomplete})
        response = api.post(url("submit", world))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_content"
    assert {e["field"] for e in body["errors"]} == {"rijen.0.overig_toelichting", "rijen.1.wlz"}
    assert "fout(en)" in body["detail"]
    assert Report.objects.get().status == ReportStatus.CONCEPT


def test_submit_gives_a_receipt_and_a_double_submit_is_409(client, world, tokens):
    api = Api(client, tokens["own"])
    with at(2024, 8, 1):
        api.put(url("draft", world), {"content": VALID_OUTFLOW})
        submitted = api.post(url("submit", world))
        assert submitted.status_code == 201, submitted.json()
        receipt = submitted.json()
        assert receipt["reference"].startswith("RAP-2024-")
        assert receipt["submitted_by"] == "prov-eigen"
        assert receipt["aanbieder"] == "Zorg Eigen"
        assert receipt["content"] == VALID_OUTFLOW
        assert receipt["status"] == "ingediend"
        assert submitted["Location"] == reverse(
            "api:reporting_receipt", args=[receipt["reference"]]
        )

        assert api.get(url("last_receipt", world)).json() == receipt
        assert api.get(submitted["Location"]).json() == receipt
        colleague = Api(client, tokens["colleague"])
        assert colleague.get(submitted["Location"]).json()["reference"] == receipt["reference"]

        again = api.post(url("submit", world))
        assert again.status_code == 409
        assert again.json()["code"] == "already_submitted"
        assert again.json()["reference"] == receipt["reference"]
        assert receipt["reference"] in again.json()["detail"]

        locked = api.put(url("draft", world), {"content": VALID_OUTFLOW})
        assert locked.status_code == 409 and locked.json()["code"] == "state_conflict"
        detail = api.get(url("detail", world)).json()
    assert detail["status"] == "ingediend" and detail["editable"] is False
    assert detail["version"]["reference"] == receipt["reference"]
    assert ReportVersion.objects.count() == 1


def test_an_unexplained_difference_is_422_then_accepted_with_explanation(client, world, tokens):
    iwmo(world, total=20)  # reported total in IB-licht is 7: difference 13 > max(2, 10 %)
    api = Api(client, tokens["own"])
    with at(2024, 10, 1):
        api.put(url("draft", world), {"content": VALID_OUTFLOW})
        check = api.post(url("validate", world)).json()["check"]
        refused = api.post(url("submit", world), {"explanation": "  "})
        assert refused.status_code == 422
        body = refused.json()
        assert body["code"] == "explanation_required"
        warning = next(f for f in body["findings"] if f["over_tolerance"])
        assert warning == {
            "referentiegroep": "IB-licht",
            "category": "totaal",
            "reported": 7,
            "derived": 20,
            "allowed": 2.0,
            "over_tolerance": True,
            "message": warning["message"],
        }
        assert Report.objects.get().status == ReportStatus.CONCEPT
        accepted = api.post(url("submit", world), {"explanation": "Twee dossiers laat gesloten."})
    assert check["available"] is True and check["needs_explanation"] is True
    assert accepted.status_code == 201
    assert accepted.json()["check_explanation"] == "Twee dossiers laat gesloten."
    assert accepted.json()["check"]["needs_explanation"] is True
    assert ReportVersion.objects.get().check_explanation == "Twee dossiers laat gesloten."


def test_a_hidden_small_count_is_never_shown_in_findings(client, world, tokens):
    iwmo(world, total=3, n=3)  # n < 5: a provider may not see the iWmo count
    content = outflow(IB_licht={"doelen_bereikt": 12}, IB_zwaar={})
    api = Api(client, tokens["own"])
    with at(2024, 10, 1):
        api.put(url("draft", world), {"content": content})
        refused = api.post(url("submit", world))
        submitted = api.post(url("submit", world), {"explanation": "Uitleg"})
    totaal = next(
        f
        for f in refused.json()["findings"]
        if f["referentiegroep"] == "IB-licht" and f["category"] == "totaal"
    )
    assert totaal["over_tolerance"] is True
    assert totaal["derived"] is None and totaal["allowed"] is None
    assert "volgen er 3" not in refused.content.decode()
    receipt_totaal = next(
        f
        for f in submitted.json()["check"]["findings"]
        if f["referentiegroep"] == "IB-licht" and f["category"] == "totaal"
    )
    assert receipt_totaal["derived"] is None and receipt_totaal["allowed"] is None


def test_a_returned_report_needs_a_new_version_before_resubmitting(client, world, tokens):
    from wmo_sla.reporting.services import return_report

    api = Api(client, tokens["own"])
    with at(2024, 8, 1):
        api.put(url("draft", world), {"content": VALID_OUTFLOW})
        api.post(url("submit", world))
        return_report(actor=world.cm, report=Report.objects.get(), reason="IB-zwaar klopt niet")
        detail = api.get(url("detail", world)).json()
        again = api.post(url("submit", world))
        new = api.put(url("draft", world), {"content": VALID_OUTFLOW})
        resubmitted = api.post(url("submit", world))
    assert detail["status"] == "teruggestuurd"
    assert detail["return_reason"] == "IB-zwaar klopt niet"
    assert detail["editable"] is True
    assert again.status_code == 409 and again.json()["code"] == "state_conflict"
    assert new.json()["version"]["number"] == 2
    assert resubmitted.status_code == 201 and resubmitted.json()["version"] == 2


# --- tevredenheid upload ---------------------------------------------------------------------------

GOOD_CSV = "agb_code;periode;cijfer\n" + "".join(f"11112222;2024;{7 + i % 3}\n" for i in range(6))


def test_a_file_that_is_not_csv_is_422_and_leaves_nothing(client, world, tokens):
    with at(2025, 1, 10):
        response = client.post(
            url("upload", world, period="2024", obligation=world.tevredenheid),
            b"\x89PNG\r\n\x1a\n\x00\x00\x00",
            content_type="text/csv",
            HTTP_AUTHORIZATION=f"Bearer {tokens['own']}",
            HTTP_X_BESTANDSNAAM="resultaten.csv",
        )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_content"
    assert body["errors"] and all(e["field"] == "bestand" for e in body["errors"])
    assert not Report.objects.exists()
    assert not ReportVersion.objects.exists()


def test_a_survey_file_becomes_the_concept_and_can_be_submitted(client, world, tokens):
    from django.core.files.uploadedfile import SimpleUploadedFile

    target = url("upload", world, period="2024", obligation=world.tevredenheid)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens['own']}"}
    with at(2025, 1, 10):
        other_agb = client.post(
            target,
            {"bestand": SimpleUploadedFile("x.csv", b"agb_code;periode;cijfer\n33334444;2024;8\n")},
            **headers,
        )
        good = client.post(
            target, {"bestand": SimpleUploadedFile("enquete.csv", GOOD_CSV.encode())}, **headers
        )
        submitted = Api(client, tokens["own"]).post(
            url("submit", world, period="2024", obligation=world.tevredenheid)
        )
        wrong_kind = client.post(
            url("upload", world), GOOD_CSV.encode(), content_type="text/csv", **headers
        )
    assert other_agb.status_code == 422
    assert "hoort niet bij uw organisatie" in other_agb.json()["errors"][0]["message"]
    assert good.status_code == 200, good.json()
    assert good.json()["version"]["attachment_name"] == "enquete.csv"
    assert good.json()["version"]["content"]["regels"] == 6
    assert submitted.status_code == 201
    assert wrong_kind.status_code == 422 and wrong_kind.json()["code"] == "not_allowed"


def test_the_api_is_in_the_openapi_document(client, world):
    client.force_login(UserFactory(beheerder=True))
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "/api/v1/rapportages/{verplichting_id}/{periode}/indienen/" in paths
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    submit = paths["/api/v1/rapportages/{verplichting_id}/{periode}/indienen/"]["post"]
    assert {"201", "401", "404", "409", "422"} <= set(submit["responses"])
