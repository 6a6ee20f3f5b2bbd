# SPDX-License-Identifier: EUPL-1.2
"""The norms page: who may see it, who may decide, CSRF, and the decision in the history."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse

import pytest

from tests.factories import NormFactory, UserFactory
from wmo_sla.contracts.constants import NormProposalStatus
from wmo_sla.contracts.models import Norm, NormProposal
from wmo_sla.kpis.norms import norms_derive

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(run):
    norms_derive(year=2024, codes=["K8"])
    return NormProposal.objects.get()


def urls(proposal):
    return {
        "overview": reverse("web:norms_overview"),
        "detail": reverse("web:norm_proposal_detail", args=[proposal.pk]),
        "approve": reverse("web:norm_proposal_approve", args=[proposal.pk]),
        "reject": reverse("web:norm_proposal_reject", args=[proposal.pk]),
    }


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_provider_gets_403_everywhere(proposal):
    client = logged_in(UserFactory(provider=True))
    for name, url in urls(proposal).items():
        response = client.post(url, {"reason": "x"}) if name in ("approve", "reject") else None
        if response is not None:
            assert response.status_code == 403, name
        assert client.get(url).status_code in (403, 405), name
    proposal.refresh_from_db()
    assert proposal.status == NormProposalStatus.PROPOSED


def test_anonymous_is_sent_to_login(proposal):
    response = Client().get(urls(proposal)["overview"])
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")


def test_analist_sees_the_proposal_but_cannot_decide(proposal, analist):
    client = logged_in(analist)
    page = client.get(urls(proposal)["overview"] + "?jaar=2024").content.decode()
    assert "16,7 %" in page
    assert f"#{proposal.pk} bekijken" in page
    detail = client.get(urls(proposal)["detail"]).content.decode()
    assert "Historie van deze norm" in detail
    assert "Vaststellen:" not in detail and "reject-form" not in detail
    assert client.post(urls(proposal)["approve"]).status_code == 403
    assert client.post(urls(proposal)["reject"], {"reason": "nee"}).status_code == 403
    assert not Norm.objects.exists()


def test_contract_manager_approves_and_the_history_shows_it(proposal, contractmanager):
    client = logged_in(contractmanager)
    detail = client.get(urls(proposal)["detail"]).content.decode()
    assert "Vaststellen: K8 voor IB in 2024 wordt 16,7 %" in detail
    response = client.post(urls(proposal)["approve"], follow=True)
    page = response.content.decode()
    assert f"Voorstel {proposal.pk} is vastgesteld: de norm voor K8 IB 2024 is nu 16,7 %." in page
    norm = Norm.objects.get()
    assert (norm.kind, norm.status, norm.value) == ("historisch", "vastgesteld", Decimal("0.1667"))
    assert norm.approved_by == contractmanager
    assert "hoogstens 16,7 %" in page  # the norms table of 2024
    history = client.get(urls(proposal)["detail"]).content.decode()
    assert "vastgesteld" in history and contractmanager.username in history
    assert "Vaststellen:" not in history  # no longer open


def test_reject_needs_a_reason(proposal, contractmanager):
    client = logged_in(contractmanager)
    response = client.post(urls(proposal)["reject"], {"reason": ""})
    assert response.status_code == 400
    assert "Geef een reden op voor het afwijzen." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == NormProposalStatus.PROPOSED
    response = client.post(urls(proposal)["reject"], {"reason": "Basis te smal"}, follow=True)
    assert "is afgewezen; de huidige norm blijft gelden" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == NormProposalStatus.REJECTED
    history = client.get(urls(proposal)["detail"]).content.decode()
    assert "Basis te smal" in history


def test_posts_need_a_csrf_token(proposal, contractmanager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(contractmanager)
    assert client.post(urls(proposal)["approve"]).status_code == 403
    assert client.post(urls(proposal)["reject"], {"reason": "x"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == NormProposalStatus.PROPOSED


def test_approving_over_a_contract_norm_shows_the_reason(proposal, groep, contractmanager):
    NormFactory(referentiegroep=groep, year=2024, value=Decimal("0.10"))
    response = logged_in(contractmanager).post(urls(proposal)["approve"], follow=True)
    assert "geldt een contractnorm" in response.content.decode()
    assert Norm.objects.get().kind == "contract"


def test_get_on_a_decision_url_is_not_allowed(proposal, contractmanager):
    assert logged_in(contractmanager).get(urls(proposal)["approve"]).status_code == 405


def test_unknown_proposal_is_404(db, contractmanager):
    client = logged_in(contractmanager)
    assert client.get(reverse("web:norm_proposal_detail", args=[999])).status_code == 404
    assert client.post(reverse("web:norm_proposal_approve", args=[999])).status_code == 404


def test_overview_without_any_norm_explains_how_to_start(contractmanager):
    page = logged_in(contractmanager).get(reverse("web:norms_overview")).content.decode()
    assert "wmo-sla norms derive --year JAAR" in page


def test_admin_shows_proposals_read_only(proposal, contractmanager):
    client = logged_in(contractmanager)
    assert client.get("/admin/contracts/normproposal/").status_code == 200
    change = client.get(f"/admin/contracts/normproposal/{proposal.pk}/change/")
    assert change.status_code == 200
    assert "voorgesteld" in change.content.decode()
    assert client.get("/admin/contracts/normproposal/add/").status_code == 403
    assert client.post(f"/admin/contracts/normproposal/{proposal.pk}/delete/").status_code == 403
