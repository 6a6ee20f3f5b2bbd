# SPDX-License-Identifier: EUPL-1.2
"""The aanbieder's reporting pages: my reports, the form, drafts, review, submit, receipt."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

import pytest

from tests.dialogue.test_pdf import _page_text, _structure
from tests.factories import ContractFactory
from wmo_sla.reporting.models import (
    DueRule,
    PeriodType,
    Report,
    ReportKind,
    ReportStatus,
    ReportVersion,
)
from wmo_sla.reporting.schemas import OUTFLOW_KEYS
from wmo_sla.reporting.services import obligation_create, return_report, save_draft

from .conftest import VALID_OUTFLOW, at
from .test_iwmo_check import iwmo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_a_fixed_day():
    """1 March 2025: uitstroomredenen 2024H1 and 2024H2 are open, 2025H1 is not yet."""
    with at(2025, 3, 1):
        yield


def edit_url(obligation, period="2024H1", suffix=""):
    return reverse("reporting:edit", args=[obligation.pk, period]) + suffix


def url(name, obligation, period="2024H1"):
    return reverse(f"reporting:{name}", args=[obligation.pk, period])


def outflow_post(**values):
    """Form data of the uitstroomredenen form: IB-licht is row 0, IB-zwaar row 1."""
    data = {f"rijen.{i}.{key}": "0" for i in (0, 1) for key in OUTFLOW_KEYS}
    data.update(values)
    return data


VALID_POST = outflow_post(
    **{"rijen.0.doelen_bereikt": "6", "rijen.0.andere_aanbieder": "1", "rijen.1.wlz": "2"}
)


def expected_of(page: str) -> str:
    return re.search(r'name="expected_saved_at" id="f-expected" value="([^"]*)"', page).group(1)


def owner_of(page: str) -> str:
    return re.search(r'name="_eigenaar" value="([^"]*)"', page).group(1)


@pytest.fixture
def other_only(world):
    """An obligation of a contract that only the OTHER aanbieder takes part in."""
    contract = ContractFactory(code="BW", aanbieders=[world.other])
    with at(2024, 1, 2):
        return obligation_create(
            actor=world.cm,
            contract=contract,
            kind=ReportKind.UITSTROOMREDENEN,
            period_type=PeriodType.HALF_YEAR,
            first_period="2024H1",
            due_rule=DueRule.AFTER_PERIOD,
            due_days=42,
        )


# --- roles -----------------------------------------------------------------------------------------


def test_mine_lists_the_own_obligations_and_periods_with_status_in_words(client, world):
    client.force_login(world.provider)
    page = client.get(reverse("reporting:mine")).content.decode()
    assert "Mijn rapportages" in page
    assert "2024H1" in page and "2024H2" in page and "2025H1" not in page
    # Uitstroomredenen 2024H1 was due 11-08-2024: late, said in words (with a symbol).
    assert "11-08-2024" in page
    assert "Te laat" in page
    assert "Invullen" in page
    assert "Zorg Ander" not in page


def test_mine_is_forbidden_for_the_contract_manager_and_asks_anonymous_users_to_log_in(
    client, world
):
    client.force_login(world.cm)
    assert client.get(reverse("reporting:mine")).status_code == 403
    client.logout()
    response = client.get(reverse("reporting:mine"))
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_another_aanbieders_obligation_period_and_version_are_404(client, world, other_only):
    other_version = save_draft(
        actor=world.other_provider,
        obligation=other_only,
        aanbieder=world.other,
        period="2024H1",
        content=VALID_OUTFLOW,
    ).version
    client.force_login(world.provider)
    for name in ("edit", "check"):
        assert client.get(url(name, other_only)).status_code == 404
    assert client.post(url("autosave", other_only), VALID_POST).status_code == 404
    assert client.post(url("submit", other_only)).status_code == 404
    assert client.get(reverse("reporting:receipt", args=[other_version.pk])).status_code == 404
    assert client.get(edit_url(world.uitstroom, "geen-periode")).status_code == 404
    # The contract manager may not fill in a report.
    client.force_login(world.cm)
    assert client.get(edit_url(world.uitstroom)).status_code == 403


def test_a_period_that_is_not_due_gets_a_clear_message(client, world):
    client.force_login(world.provider)
    page = client.get(edit_url(world.uitstroom, "2025H1")).content.decode()
    assert "nog niet aan de beurt" in page and "01-07-2025" in page
    assert 'id="report-form"' not in page
    response = client.post(edit_url(world.uitstroom, "2025H1"), VALID_POST)
    assert "nog niet aan de beurt" in response.content.decode()
    assert not Report.objects.exists()


# --- the form, drafts and autosave ----------------------------------------------------------------


def test_form_has_a_labelled_input_with_help_per_category_and_group(client, world):
    client.force_login(world.provider)
    page = client.get(edit_url(world.uitstroom)).content.decode()
    assert 'for="f-rijen-1-wlz"' in page and 'id="f-rijen-1-wlz"' in page
    assert "Referentiegroep IB-zwaar" in page
    assert "Wet langdurige zorg" in page  # help text of the Wlz question
    assert "Opslaan als concept" in page and "reporting-autosave.js" in page


def test_save_draft_says_when_and_a_colleague_continues_it(client, world):
    client.force_login(world.provider)
    response = client.post(edit_url(world.uitstroom), {**VALID_POST, "opslaan": "1"}, follow=True)
    page = response.content.decode()
    assert re.search(r"Opgeslagen om \d\d:\d\d", page)
    version = ReportVersion.objects.get()
    assert version.content["rijen"][0]["doelen_bereikt"] == 6
    assert version.saved_by == world.provider
    client.force_login(world.colleague)
    page = client.get(edit_url(world.uitstroom)).content.decode()
    assert 'id="f-rijen-0-doelen_bereikt" value="6"' in page
    assert "laatst opgeslagen door prov-eigen" in page


def test_a_colleagues_intermediate_save_is_never_overwritten(client, world):
    client.force_login(world.provider)
    client.post(edit_url(world.uitstroom), VALID_POST)
    loaded = expected_of(client.get(edit_url(world.uitstroom)).content.decode())
    # The colleague saves in between.
    client.force_login(world.colleague)
    colleague_page = client.get(edit_url(world.uitstroom)).content.decode()
    client.post(
        edit_url(world.uitstroom),
        {**VALID_POST, "rijen.0.overleden": "3", "expected_saved_at": expected_of(colleague_page)},
    )
    client.force_login(world.provider)
    response = client.post(
        edit_url(world.uitstroom),
        {**VALID_POST, "rijen.0.doelen_bereikt": "9", "expected_saved_at": loaded},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "prov-collega heeft dit concept om" in page
    assert 'id="f-rijen-0-doelen_bereikt" value="9"' in page  # the input is still there
    assert "data-autosave-url" not in page  # only an explicit save may replace the colleague's
    version = ReportVersion.objects.get()
    assert version.content["rijen"][0]["overleden"] == 3  # the colleague's save stands
    assert version.content["rijen"][0]["doelen_bereikt"] == 6


def test_errors_are_summarised_at_the_top_with_links_to_the_fields(client, world):
    client.force_login(world.provider)
    data = outflow_post(**{"rijen.0.overig": "2", "rijen.1.wlz": "veel"})
    response = client.post(edit_url(world.uitstroom), {**data, "controleren": "1"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in page
    assert 'href="#f-rijen-0-overig_toelichting"' in page
    assert 'href="#f-rijen-1-wlz"' in page
    assert "licht toe welke redenen onder ‘Overig’ vallen" in page
    # Next to the field too, and the typed text is kept.
    assert 'id="f-rijen-1-wlz-error"' in page
    assert 'id="f-rijen-1-wlz" value="veel"' in page
    # The draft is saved as typed.
    assert ReportVersion.objects.get().content["rijen"][1]["wlz"] == "veel"


def test_autosave_answers_json_and_refuses_without_session_or_capability(client, world):
    client.force_login(world.provider)
    response = client.post(url("autosave", world.uitstroom), VALID_POST)
    body = response.json()
    assert response.status_code == 200
    assert re.fullmatch(r"Opgeslagen om \d\d:\d\d", body["label"])
    version = ReportVersion.objects.get()
    assert version.saved_at.isoformat() == body["saved_at"]
    # The next autosave with that moment is accepted; a stale one is a conflict.
    again = client.post(
        url("autosave", world.uitstroom), {**VALID_POST, "expected_saved_at": body["saved_at"]}
    )
    assert again.status_code == 200
    stale = client.post(
        url("autosave", world.uitstroom), {**VALID_POST, "expected_saved_at": body["saved_at"]}
    )
    assert stale.status_code == 409 and "opgeslagen" in stale.json()["message"]
    client.force_login(world.cm)
    assert client.post(url("autosave", world.uitstroom), VALID_POST).status_code == 403
    client.logout()
    anonymous = client.post(url("autosave", world.uitstroom), VALID_POST)
    assert anonymous.status_code == 401 and "sessie is verlopen" in anonymous.json()["message"]


def test_complaints_can_be_added_and_removed_without_javascript(client, world):
    client.force_login(world.provider)
    klachten = world.klachten
    response = client.post(edit_url(klachten, "2024"), {"toevoegen": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith("#f-klachten-0-nummer")
    page = client.get(edit_url(klachten, "2024")).content.decode()
    assert "Klacht 1" in page and 'id="f-klachten-0-nummer"' in page
    data = {
        "klachten.0.nummer": "K-1",
        "klachten.0.woonplaats": "Gouda",
        "klachten.0.onderwerpen": ["bejegening", "kwaliteit"],
        "klachten.0.afgehandeld": "nee",
    }
    client.post(edit_url(klachten, "2024"), {**data, "toevoegen": "1"})
    content = ReportVersion.objects.get().content
    assert [k["nummer"] for k in content["klachten"]] == ["K-1", ""]
    assert content["klachten"][0]["onderwerpen"] == ["bejegening", "kwaliteit"]
    assert content["klachten"][0]["afgehandeld"] is False
    client.post(
        edit_url(klachten, "2024"),
        {**data, "klachten.1.nummer": "K-2", "klachten.1.woonplaats": "Delft", "verwijderen": "0"},
    )
    assert [k["nummer"] for k in ReportVersion.objects.get().content["klachten"]] == ["K-2"]


def test_none_declared_and_a_complaint_listed_is_an_error_linked_to_the_checkbox(client, world):
    client.force_login(world.provider)
    response = client.post(
        edit_url(world.klachten, "2024"),
        {"geen_klachten": "1", "klachten.0.nummer": "K-1", "controleren": "1"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#f-geen_klachten"' in page
    assert 'href="#f-klachten-0-datum_ontvangen"' in page


# --- expired session --------------------------------------------------------------------------------


def _expire_and_post(client, world, value="8"):
    """Load the form, lose the session, post the form: the input goes to the login page."""
    client.force_login(world.provider)
    page = client.get(edit_url(world.uitstroom)).content.decode()
    client.logout()  # the session is gone (as when it expires)
    response = client.post(
        edit_url(world.uitstroom),
        {
            **VALID_POST,
            "rijen.0.doelen_bereikt": value,
            "_eigenaar": owner_of(page),
            "expected_saved_at": expected_of(page),
            "opslaan": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]
    return response


def test_expired_session_keeps_the_input_and_restores_it_after_login(client, world, password):
    response = _expire_and_post(client, world, value="8")
    login_page = client.get(response["Location"]).content.decode()
    assert "Uw sessie is verlopen" in login_page
    logged_in = client.post(
        reverse("accounts:login"),
        {"username": "prov-eigen", "password": password, "next": edit_url(world.uitstroom)},
    )
    assert logged_in["Location"] == edit_url(world.uitstroom)
    page = client.get(edit_url(world.uitstroom)).content.decode()
    assert "Uw sessie was verlopen. Wat u had ingevuld is teruggezet" in page
    assert 'id="f-rijen-0-doelen_bereikt" value="8"' in page
    assert not ReportVersion.objects.exists()  # restored on the form, not saved behind one's back
    # Only once.
    assert "teruggezet" not in client.get(edit_url(world.uitstroom)).content.decode()


def test_expired_session_input_is_never_restored_for_another_user(client, world, password):
    _expire_and_post(client, world, value="8")
    client.post(
        reverse("accounts:login"),
        {"username": "prov-collega", "password": password, "next": edit_url(world.uitstroom)},
    )
    page = client.get(edit_url(world.uitstroom)).content.decode()
    assert "teruggezet" not in page
    assert 'id="f-rijen-0-doelen_bereikt" value="8"' not in page


def test_a_forged_owner_token_restores_nothing(client, world, password):
    client.post(
        edit_url(world.uitstroom),
        {**VALID_POST, "rijen.0.doelen_bereikt": "8", "_eigenaar": "verzonnen", "opslaan": "1"},
    )
    client.post(reverse("accounts:login"), {"username": "prov-eigen", "password": password})
    assert "teruggezet" not in client.get(edit_url(world.uitstroom)).content.decode()


# --- review, submit, receipt ------------------------------------------------------------------------


def test_review_shows_the_warning_and_submit_needs_an_explanation(client, world):
    iwmo(world, total=7, reasons={"19": 6, "38": 1})
    client.force_login(world.provider)
    # 10 reported in IB-licht where the iWmo data say 7 (tolerance 2).
    client.post(edit_url(world.uitstroom), outflow_post(**{"rijen.0.doelen_bereikt": "10"}))
    page = client.get(url("check", world.uitstroom)).content.decode()
    assert "Controleren en indienen" in page
    assert "IB-licht, totale uitstroom: u meldt 10, uit de iWmo-berichten volgen er 7" in page
    assert 'id="f-toelichting"' in page
    refused = client.post(url("submit", world.uitstroom), {"toelichting": ""})
    assert refused.status_code == 400
    assert "Licht het verschil toe" in refused.content.decode()
    assert Report.objects.get().status == ReportStatus.CONCEPT
    done = client.post(
        url("submit", world.uitstroom), {"toelichting": "Drie cliënten later afgemeld."}
    )
    version = ReportVersion.objects.get()
    assert done["Location"] == reverse("reporting:receipt", args=[version.pk])
    assert version.check_explanation == "Drie cliënten later afgemeld."
    receipt = client.get(done["Location"]).content.decode()
    assert version.reference in receipt
    # Counts as reported, 0 shown as 0 (not as missing): IB-licht 10 + 0 × 6 = 10.
    cells = re.findall(r'numeric-data">([^<]*)</td>', receipt)
    assert cells[:8] == ["10", "0", "0", "0", "0", "0", "0", "10"]
    assert "Drie cliënten later afgemeld." in receipt
    assert "u meldt 10" in receipt


def test_review_says_plainly_when_the_check_is_not_available(client, world):
    client.force_login(world.provider)
    client.post(edit_url(world.uitstroom), VALID_POST)
    page = client.get(url("check", world.uitstroom)).content.decode()
    assert "De controle tegen de iWmo-berichten was niet beschikbaar" in page
    assert 'id="f-toelichting"' not in page


def test_review_of_invalid_content_links_back_to_the_fields_and_cannot_submit(client, world):
    client.force_login(world.provider)
    client.post(edit_url(world.uitstroom), outflow_post(**{"rijen.0.overig": "1"}))
    page = client.get(url("check", world.uitstroom)).content.decode()
    assert f'href="{edit_url(world.uitstroom)}?fouten=1#f-rijen-0-overig_toelichting"' in page
    assert 'id="submit-button"' not in page
    form = client.get(edit_url(world.uitstroom, suffix="?fouten=1")).content.decode()
    assert 'id="f-rijen-0-overig_toelichting-error"' in form


def test_submit_shows_the_receipt_sends_mail_with_pdf_and_a_double_submit_is_told(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.provider)
    client.post(edit_url(world.uitstroom), VALID_POST)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("submit", world.uitstroom), follow=True)
    version = ReportVersion.objects.get()
    page = response.content.decode()
    assert version.reference and version.reference in page
    assert "Uw rapportage is ingediend op" in page
    assert f"/rapportages/ontvangst/{version.pk}/pdf/" in page
    # The e-mail: reference, timestamp, link, and the PDF attached.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert version.reference in message.subject
    assert f"http://testserver/rapportages/ontvangst/{version.pk}/" in message.body
    name, data, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    assert data.startswith(b"%PDF") and "/StructTreeRoot" in _structure(data)
    # A second click (or a second tab).
    again = client.post(url("submit", world.uitstroom), follow=True)
    text = again.content.decode()
    assert "al ingediend op" in text and version.reference in text
    assert again.redirect_chain[-1][0] == reverse("reporting:receipt", args=[version.pk])
    assert ReportVersion.objects.filter(submitted_at__isnull=False).count() == 1
    # The form now says it waits for review; the overview links the receipt.
    assert "wacht op" in client.get(edit_url(world.uitstroom)).content.decode()
    mine = client.get(reverse("reporting:mine")).content.decode()
    assert version.reference in mine and "Ingediend" in mine


def test_receipt_and_pdf_for_own_aanbieder_and_municipality_only(client, world):
    client.force_login(world.provider)
    client.post(edit_url(world.uitstroom), VALID_POST)
    client.post(url("submit", world.uitstroom))
    version = ReportVersion.objects.get()
    receipt = reverse("reporting:receipt", args=[version.pk])
    pdf_url = reverse("reporting:receipt_pdf", args=[version.pk])
    for user, expected in (
        (world.provider, 200),
        (world.colleague, 200),
        (world.cm, 200),
        (world.analist, 200),
        (world.other_provider, 404),
    ):
        client.force_login(user)
        assert client.get(receipt).status_code == expected, user
        assert client.get(pdf_url).status_code == expected, user
    client.force_login(world.cm)
    page = client.get(receipt).content.decode()
    assert reverse("reporting:report_detail", args=[version.report_id]) in page
    assert reverse("reporting:mine") not in page.split('id="main-content"')[1]
    pdf = client.get(pdf_url)
    assert pdf["Content-Type"] == "application/pdf"
    text = _structure(pdf.content)
    assert "/StructTreeRoot" in text
    assert re.search(r"/Lang\s*\(nl\)", text)
    assert re.search(r"/MarkInfo\s*<<\s*/Marked\s+true", text)
    assert re.search(r"/S\s*/Table", text)  # the content table is a tagged table
    assert version.reference in _page_text(pdf.content).replace(" ", "")


def test_a_draft_version_has_no_receipt(client, world):
    client.force_login(world.provider)
    client.post(edit_url(world.uitstroom), VALID_POST)
    draft = ReportVersion.objects.get()
    assert client.get(reverse("reporting:receipt", args=[draft.pk])).status_code == 404
    assert client.get(reverse("reporting:receipt_pdf", args=[draft.pk])).status_code == 404


def test_a_returned_report_shows_the_reason_and_reopens_as_a_new_version(client, world):
    client.force_login(world.provider)
    client.post(edit_url(world.uitstroom), VALID_POST)
    client.post(url("submit", world.uitstroom))
    return_report(actor=world.cm, report=Report.objects.get(), reason="IB-zwaar klopt niet.")
    mine = client.get(reverse("reporting:mine")).content.decode()
    assert "Teruggestuurd" in mine and "IB-zwaar klopt niet." in mine
    assert "Aanpassen en opnieuw indienen" in mine
    page = client.get(edit_url(world.uitstroom)).content.decode()
    assert "IB-zwaar klopt niet." in page and "nieuwe versie" in page
    assert 'id="f-rijen-0-doelen_bereikt" value="6"' in page  # starts from what was submitted
    client.post(edit_url(world.uitstroom), {**VALID_POST, "rijen.1.wlz": "3"})
    assert ReportVersion.objects.count() == 2


def test_exemption_is_shown_with_its_reason(client, world):
    import datetime as dt

    from wmo_sla.reporting.services import exemption_create

    exemption_create(
        actor=world.cm,
        obligation=world.uitstroom,
        aanbieder=world.own,
        start_date=dt.date(2024, 1, 1),
        end_date=None,
        reason="Nieuwe aanbieder, eerste jaar",
    )
    client.force_login(world.provider)
    mine = client.get(reverse("reporting:mine")).content.decode()
    assert "Vrijgesteld: Nieuwe aanbieder, eerste jaar" in mine
    page = client.get(edit_url(world.uitstroom)).content.decode()
    assert "vrijgesteld" in page and 'id="report-form"' not in page


# --- tevredenheid ------------------------------------------------------------------------------------


GOOD_CSV = "agb_code;periode;cijfer\n" + "".join(f"11112222;2024;{7 + i % 3}\n" for i in range(12))
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 20


@pytest.mark.parametrize("data", [PNG, ZIP], ids=["png-als-csv", "zip-als-csv"])
def test_a_file_that_is_not_what_it_claims_is_rejected_without_side_effects(client, world, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.provider)
    response = client.post(
        edit_url(world.tevredenheid, "2024"),
        {"bestand": SimpleUploadedFile("tevredenheid.csv", data, content_type="text/csv")},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Het bestand is niet opgeslagen" in page and 'href="#f-bestand"' in page
    assert not Report.objects.exists() and not ReportVersion.objects.exists()


def test_a_good_survey_file_becomes_the_concept_and_shows_the_format(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.provider)
    page = client.get(edit_url(world.tevredenheid, "2024")).content.decode()
    assert "agb_code" in page and "cijfer" in page and "survey-csv" in page
    response = client.post(
        edit_url(world.tevredenheid, "2024"),
        {"bestand": SimpleUploadedFile("t.csv", GOOD_CSV.encode(), content_type="text/csv")},
        follow=True,
    )
    assert "is gecontroleerd en als concept opgeslagen" in response.content.decode()
    assert ReportVersion.objects.get().content["regels"] == 12
    assert client.post(url("submit", world.tevredenheid, "2024")).status_code == 302
    assert ReportVersion.objects.get().reference


def test_anonymous_get_of_the_form_goes_to_login_with_next(client, world):
    response = client.get(edit_url(world.uitstroom))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_an_autosave_after_the_session_expired_is_restored_after_login(client, world, password):
    client.force_login(world.provider)
    page = client.get(edit_url(world.uitstroom)).content.decode()
    client.logout()
    response = client.post(
        url("autosave", world.uitstroom),
        {**VALID_POST, "rijen.1.wlz": "5", "_eigenaar": owner_of(page)},
    )
    assert response.status_code == 401
    client.post(reverse("accounts:login"), {"username": "prov-eigen", "password": password})
    form = client.get(edit_url(world.uitstroom)).content.decode()
    assert "teruggezet" in form and 'id="f-rijen-1-wlz" value="5"' in form


def test_an_accepted_report_can_be_corrected_as_a_new_version(client, world):
    from wmo_sla.reporting.services import accept_report

    client.force_login(world.provider)
    client.post(edit_url(world.uitstroom), VALID_POST)
    client.post(url("submit", world.uitstroom))
    accept_report(actor=world.cm, report=Report.objects.get())
    mine = client.get(reverse("reporting:mine")).content.decode()
    assert "Geaccepteerd" in mine and "Corrigeren" in mine
    client.post(edit_url(world.uitstroom), {**VALID_POST, "rijen.1.wlz": "3"})
    assert [v.number for v in ReportVersion.objects.order_by("number")] == [1, 2]
    assert "Gewijzigd na acceptatie" in client.get(reverse("reporting:mine")).content.decode()


def test_open_complaints_of_the_previous_year_prefill_the_new_report(client, world):
    from wmo_sla.reporting.services import submit_report

    with at(2024, 11, 1):
        saved = save_draft(
            actor=world.provider,
            obligation=world.klachten,
            aanbieder=world.own,
            period="2024",
            content={
                "geen_klachten": False,
                "klachten": [
                    {
                        "nummer": "K-2024-07",
                        "datum_ontvangen": "2024-10-01",
                        "onderwerpen": ["kwaliteit"],
                        "afgehandeld": False,
                        "woonplaats": "Gouda",
                    }
                ],
            },
        )
        submit_report(actor=world.provider, report=saved.report)
    with at(2025, 10, 15):
        client.force_login(world.provider)
        page = client.get(edit_url(world.klachten, "2025")).content.decode()
    assert 'id="f-klachten-0-nummer" value="K-2024-07"' in page
    assert 'id="f-klachten-0-woonplaats" value="Gouda"' in page
