# SPDX-License-Identifier: EUPL-1.2
"""Deriving, approving, rejecting and re-basing historical norms (services)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import ComputationRunFactory, NormFactory, UserFactory
from tests.norms.conftest import add_figures
from wmo_sla.audit.models import AuditEvent
from wmo_sla.contracts.constants import (
    NORM_PROPOSAL_TRANSITIONS,
    NormKind,
    NormProposalStatus,
    NormStatus,
)
from wmo_sla.contracts.models import Norm, NormEvent, NormProposal
from wmo_sla.core.transitions import InvalidTransition
from wmo_sla.kpis.norms import (
    NormDecisionError,
    NormPermissionDenied,
    NormsUnavailable,
    Outcome,
    norm_approve,
    norm_reject,
    norm_transition,
    norms_derive,
)
from wmo_sla.kpis.selectors import norms_frame

pytestmark = pytest.mark.django_db


def k8(report):
    return next(row for row in report.rows if row.kpi == "K8")


def test_derive_proposes_pooled_norms_with_their_basis(run, contractmanager):
    report = norms_derive(year=2024, actor=contractmanager)
    row = k8(report)
    assert row.outcome == Outcome.CREATED
    assert row.value == Decimal("0.1667")  # 20 / 120
    assert (row.n_providers, row.n) == (3, 120)
    proposal = row.proposal
    assert proposal.status == NormProposalStatus.PROPOSED
    assert proposal.method == "pooled"
    assert proposal.base_period == "2022–2023"
    assert proposal.source == f"berekening #{run.pk}"
    assert proposal.direction == "max"
    assert proposal.created_by == contractmanager
    # a proposal is not a norm: nothing reaches the computation yet
    assert not Norm.objects.exists()
    assert norms_frame().is_empty()
    event = NormEvent.objects.get(proposal=proposal)
    assert (event.from_status, event.to_status, event.actor) == ("", "voorgesteld", contractmanager)
    assert AuditEvent.objects.filter(
        object_type="contracts.normproposal", object_id=str(proposal.pk), action="create"
    ).exists()


def test_derive_never_touches_a_contract_norm(run, groep):
    contract = NormFactory(referentiegroep=groep, year=2024, value=Decimal("0.10"))
    report = norms_derive(year=2024)
    assert k8(report).outcome == Outcome.SKIPPED_CONTRACT
    assert k8(report).proposal is None
    assert [row.kpi for row in report.skipped] == ["K8"]
    assert not NormProposal.objects.filter(kpi_code="K8").exists()
    contract.refresh_from_db()
    assert (contract.kind, contract.value) == (NormKind.CONTRACT, Decimal("0.1000"))


def test_deriving_twice_from_the_same_run_changes_nothing(run):
    first = norms_derive(year=2024)
    events = AuditEvent.objects.count()
    second = norms_derive(year=2024)
    assert k8(second).outcome == Outcome.UNCHANGED
    assert k8(second).proposal == k8(first).proposal
    assert NormProposal.objects.count() == 2  # K8 and K9
    assert AuditEvent.objects.count() == events


def test_deriving_again_with_other_figures_lets_the_open_proposal_lapse(run):
    old = k8(norms_derive(year=2024)).proposal
    newer = ComputationRunFactory()
    add_figures(newer, [("K8", "10000001", 1, 20, "2023")])
    row = k8(norms_derive(year=2024, run=newer))
    assert row.outcome == Outcome.REPLACED
    old.refresh_from_db()
    assert old.status == NormProposalStatus.SUPERSEDED
    assert row.proposal.value == Decimal("0.0500")
    assert [e.to_status for e in old.events.order_by("id")] == ["voorgesteld", "vervallen"]


def test_approve_makes_the_proposal_the_norm_in_force(run, contractmanager):
    proposal = k8(norms_derive(year=2024)).proposal
    norm = norm_approve(proposal=proposal, actor=contractmanager)
    assert (norm.kind, norm.status, norm.value) == (
        NormKind.HISTORISCH,
        NormStatus.APPROVED,
        Decimal("0.1667"),
    )
    assert (norm.method, norm.base_period) == ("pooled", "2022–2023")
    assert norm.source == f"berekening #{run.pk}, voorstel #{proposal.pk}"
    assert norm.approved_by == contractmanager and norm.approved_at is not None
    proposal.refresh_from_db()
    assert proposal.status == NormProposalStatus.APPROVED
    assert proposal.decided_by == contractmanager
    assert [e.to_status for e in proposal.events.order_by("id")] == ["voorgesteld", "vastgesteld"]
    assert AuditEvent.objects.filter(
        object_type="contracts.norm", object_id=str(norm.pk), action="create", actor=contractmanager
    ).exists()
    assert AuditEvent.objects.filter(
        object_type="contracts.normproposal",
        object_id=str(proposal.pk),
        action="update",
        changes={"status": ["voorgesteld", "vastgesteld"]},
    ).exists()
    frame = norms_frame()
    assert frame.select("kpi", "referentiegroep", "year", "norm").rows() == [
        ("K8", "IB", 2024, pytest.approx(0.1667))
    ]


def test_rebasing_keeps_the_approved_norm_in_force_until_the_new_one_is_approved(
    run, contractmanager
):
    first = k8(norms_derive(year=2024)).proposal
    norm_approve(proposal=first, actor=contractmanager)
    newer = ComputationRunFactory()
    add_figures(newer, [("K8", "10000001", 2, 20, "2023")])
    row = k8(norms_derive(year=2024, run=newer))
    assert row.outcome == Outcome.CREATED
    assert row.current.value == Decimal("0.1667")
    # the approved norm is still the one the computation uses
    assert norms_frame()["norm"].to_list() == [pytest.approx(0.1667)]
    first.refresh_from_db()
    assert first.status == NormProposalStatus.APPROVED
    norm = norm_approve(proposal=row.proposal, actor=contractmanager)
    assert norm.value == Decimal("0.1000")
    assert Norm.objects.count() == 1
    assert norms_frame()["norm"].to_list() == [pytest.approx(0.1)]
    update = AuditEvent.objects.filter(
        object_type="contracts.norm", object_id=str(norm.pk), action="update"
    ).get()
    assert update.changes["value"] == ["0.1667", "0.1000"]


def test_rederiving_what_is_already_in_force_proposes_nothing(run, contractmanager):
    norm_approve(proposal=k8(norms_derive(year=2024)).proposal, actor=contractmanager)
    row = k8(norms_derive(year=2024))
    assert row.outcome == Outcome.UNCHANGED
    assert row.proposal is None


def test_reject_needs_a_reason_and_leaves_the_norm_alone(run, contractmanager):
    proposal = k8(norms_derive(year=2024)).proposal
    with pytest.raises(NormDecisionError, match="reden"):
        norm_reject(proposal=proposal, actor=contractmanager, reason="  ")
    norm_reject(proposal=proposal, actor=contractmanager, reason="Basisjaar 2022 was atypisch")
    proposal.refresh_from_db()
    assert proposal.status == NormProposalStatus.REJECTED
    assert proposal.decision_note == "Basisjaar 2022 was atypisch"
    last = proposal.events.order_by("id").last()
    assert (last.from_status, last.to_status, last.note, last.actor) == (
        "voorgesteld",
        "afgewezen",
        "Basisjaar 2022 was atypisch",
        contractmanager,
    )
    assert not Norm.objects.exists()


@pytest.mark.parametrize("final", ["approve", "reject", "supersede"])
def test_a_decided_proposal_cannot_be_decided_again(run, contractmanager, final):
    proposal = k8(norms_derive(year=2024)).proposal
    if final == "approve":
        norm_approve(proposal=proposal, actor=contractmanager)
    elif final == "reject":
        norm_reject(proposal=proposal, actor=contractmanager, reason="nee")
    else:
        norm_transition(proposal=proposal, to=NormProposalStatus.SUPERSEDED, actor=None)
    events = NormEvent.objects.count()
    with pytest.raises(NormDecisionError, match="alleen een open voorstel"):
        norm_approve(proposal=proposal, actor=contractmanager)
    with pytest.raises(NormDecisionError, match="alleen een open voorstel"):
        norm_reject(proposal=proposal, actor=contractmanager, reason="toch niet")
    assert NormEvent.objects.count() == events


def test_the_transition_map_refuses_going_back(run):
    proposal = k8(norms_derive(year=2024)).proposal
    norm_transition(proposal=proposal, to=NormProposalStatus.REJECTED, actor=None, note="x")
    with pytest.raises(InvalidTransition):
        norm_transition(proposal=proposal, to=NormProposalStatus.PROPOSED, actor=None)
    assert NORM_PROPOSAL_TRANSITIONS[NormProposalStatus.APPROVED] == frozenset()


@pytest.mark.parametrize("trait", ["analist", "beheerder", "provider"])
def test_only_a_contract_manager_decides(run, trait):
    user = UserFactory(**{trait: True})
    proposal = k8(norms_derive(year=2024)).proposal
    with pytest.raises(NormPermissionDenied, match="contractmanager"):
        norm_approve(proposal=proposal, actor=user)
    with pytest.raises(NormPermissionDenied):
        norm_reject(proposal=proposal, actor=user, reason="nee")
    proposal.refresh_from_db()
    assert proposal.status == NormProposalStatus.PROPOSED


def test_approval_is_refused_when_a_contract_norm_appeared_since(run, groep, contractmanager):
    proposal = k8(norms_derive(year=2024)).proposal
    NormFactory(referentiegroep=groep, year=2024, value=Decimal("0.10"))
    with pytest.raises(NormDecisionError, match="contractnorm"):
        norm_approve(proposal=proposal, actor=contractmanager)
    assert Norm.objects.get().kind == NormKind.CONTRACT
    proposal.refresh_from_db()
    assert proposal.status == NormProposalStatus.PROPOSED


def test_only_approved_norms_reach_the_computation(groep):
    NormFactory(referentiegroep=groep, year=2024, kpi_code="K8", status=NormStatus.APPROVED)
    NormFactory(
        referentiegroep=groep, year=2024, kpi_code="K9", status=NormStatus.PROPOSED
    )  # e.g. a contract norm still "voorgesteld" in the contract file
    assert norms_frame()["kpi"].to_list() == ["K8"]


def test_p75_method_and_code_selection(run):
    report = norms_derive(year=2024, method="p75", codes=["K8"])
    assert [row.kpi for row in report.rows] == ["K8"]
    # providers 0.125, 0.225, 0.15 (n = 40 each); lower is better → 25th percentile = 0.1375
    assert k8(report).value == Decimal("0.1375")
    assert k8(report).proposal.method == "p75"


def test_derive_errors_are_dutch_and_specific(db, groep):
    with pytest.raises(NormsUnavailable, match="geen voltooide berekening"):
        norms_derive(year=2024)
    ComputationRunFactory()
    with pytest.raises(NormsUnavailable, match="onbekende KPI-code 'K99'"):
        norms_derive(year=2024, codes=["K99"])
    with pytest.raises(NormsUnavailable, match="K5 heeft geen historische norm"):
        norms_derive(year=2024, codes=["K5"])
    with pytest.raises(NormsUnavailable, match="onbekende methode"):
        norms_derive(year=2024, method="mediaan")
    with pytest.raises(NormsUnavailable, match="buiten"):
        norms_derive(year=1900)


def test_empty_base_years_propose_nothing(run):
    report = norms_derive(year=2030)
    assert report.rows == []
    assert not NormProposal.objects.exists()
