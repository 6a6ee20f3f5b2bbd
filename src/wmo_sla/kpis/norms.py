# SPDX-License-Identifier: EUPL-1.2
"""Historical norms: derive proposals from a stored run, approve or reject them (writes).

The computation lives in the pure engine (:mod:`wmo_sla.engine.norms`); this module reads the
figures of a stored :class:`~wmo_sla.kpis.models.ComputationRun`, writes
:class:`~wmo_sla.contracts.models.NormProposal` rows and, on approval, the
:class:`~wmo_sla.contracts.models.Norm` that the KPI computation uses (ADR 0009, docs/norms.md).

It lives in ``kpis`` (not ``contracts``) because it reads the computation's figures: the
dependency stays one-way, kpis → contracts, and the contract master data never imports the
computation.

Rules:

- A proposal never replaces a ``contract`` norm of the same KPI × referentiegroep × year; such
  keys are reported as skipped, and an approval is refused if a contract norm appeared since.
- The norm in force (a ``vastgesteld`` Norm row) stays in force until a new proposal is approved
  (re-basing). Deriving again makes a new proposal and lets an open one lapse (``vervallen``);
  a derivation that gives exactly the open proposal or the norm in force is ``ongewijzigd``.
- Every status change goes through :func:`norm_transition` (allowed-transition map
  ``NORM_PROPOSAL_TRANSITIONS``, an append-only :class:`NormEvent`, an audit event).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

import polars as pl

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.services import audit_log, model_changes, snapshot
from wmo_sla.contracts.constants import (
    NORM_PROPOSAL_TRANSITIONS,
    NormKind,
    NormMethod,
    NormProposalStatus,
    NormStatus,
)
from wmo_sla.contracts.models import Norm, NormEvent, NormProposal, Referentiegroep
from wmo_sla.core.transitions import InvalidTransition, check_transition
from wmo_sla.engine import norms as engine

from .models import ComputationRun, Figure
from .selectors import latest_run

__all__ = [
    "DeriveReport",
    "DeriveRow",
    "NormDecisionError",
    "NormPermissionDenied",
    "NormsUnavailable",
    "norm_approve",
    "norm_reject",
    "norm_transition",
    "norms_derive",
]

VIA = "norms"
_FOUR_PLACES = Decimal("0.0001")
MAX_REASON = 500


class NormsUnavailable(Exception):
    """Deriving is not possible (no run, bad arguments); the message is Dutch."""


class NormDecisionError(Exception):
    """An approval or rejection that cannot be done; the message is Dutch."""


class NormPermissionDenied(NormDecisionError):
    """The actor may not approve or reject norms."""


class Outcome:
    CREATED = "nieuw"
    REPLACED = "nieuw; vorig voorstel vervallen"
    UNCHANGED = "ongewijzigd"
    SKIPPED_CONTRACT = "overgeslagen: contractnorm"
    SKIPPED_GROUP = "overgeslagen: onbekende referentiegroep"
    SKIPPED_FEW = "overgeslagen: geen aanbieder met n ≥ 20"


@dataclass(frozen=True)
class DeriveRow:
    kpi: str
    referentiegroep: str
    year: int
    value: Decimal | None  # None when no provider reaches n ≥ 20 (P75/P90)
    direction: str
    base_period: str
    n_providers: int
    n: int
    n_providers_excluded: int
    current: Norm | None  # the Norm row of this key as it was before deriving
    outcome: str
    proposal: NormProposal | None  # the open proposal after deriving (None when skipped)


@dataclass
class DeriveReport:
    year: int
    method: str
    run: ComputationRun
    base_years: tuple[int, int]
    rows: list[DeriveRow] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count(Outcome.CREATED) + self.count(Outcome.REPLACED)

    @property
    def skipped(self) -> list[DeriveRow]:
        return [row for row in self.rows if row.outcome.startswith("overgeslagen")]


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(_FOUR_PLACES, rounding=ROUND_HALF_EVEN)


def _figures_frame(run: ComputationRun, year: int, codes: tuple[str, ...]) -> pl.DataFrame:
    years = [str(y) for y in engine.base_years(year)]
    rows = list(
        Figure.objects.filter(
            run=run, gemeente=engine.REGIO, period__in=years, kpi__in=codes
        ).values_list(
            "kpi",
            "aanbieder_agb",
            "referentiegroep",
            "gemeente",
            "period",
            "numerator",
            "denominator",
            "n",
        )
    )
    return pl.DataFrame(
        rows,
        schema={
            "kpi": pl.Utf8,
            "aanbieder_agb": pl.Utf8,
            "referentiegroep": pl.Utf8,
            "gemeente": pl.Utf8,
            "period": pl.Utf8,
            "numerator": pl.Float64,
            "denominator": pl.Float64,
            "n": pl.Int64,
        },
        orient="row",
    )


def parse_codes(codes: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Validate ``--kpi`` codes; a KPI code (``K8``) stands for all its norm-capable figures."""
    if not codes:
        return engine.NORM_CODES
    from .registry import FIGURES, KPIS

    result: list[str] = []
    problems: list[str] = []
    for code in codes:
        if code in engine.NORM_CODES:
            result.append(code)
        elif code in KPIS and any(FIGURES[c].kpi == code for c in engine.NORM_CODES):
            result += [c for c in engine.NORM_CODES if FIGURES[c].kpi == code]
        elif code in FIGURES:
            problems.append(f"{code} heeft geen historische norm (contextgegeven of mediaan)")
        else:
            problems.append(f"onbekende KPI-code '{code}'")
    if problems:
        allowed = ", ".join(engine.NORM_CODES)
        raise NormsUnavailable("; ".join(problems) + f". Mogelijke codes: {allowed}.")
    return tuple(dict.fromkeys(result))


def _method(method: str) -> NormMethod:
    try:
        return NormMethod(method)
    except ValueError:
        choices = ", ".join(NormMethod.values)
        raise NormsUnavailable(f"onbekende methode '{method}'; kies uit {choices}") from None


def norms_derive(
    *,
    year: int,
    method: str = NormMethod.POOLED,
    actor: Any = None,
    codes: list[str] | tuple[str, ...] | None = None,
    run: ComputationRun | None = None,
) -> DeriveReport:
    """Propose historical norms for ``year`` from the figures of ``Y-2`` and ``Y-1`` in ``run``
    (default: the latest completed run). See the module docstring for the rules."""
    if not 2000 <= year <= 2100:
        raise NormsUnavailable(f"jaar {year} valt buiten 2000–2100")
    chosen = _method(method)
    selected = parse_codes(codes)
    run = run or latest_run()
    if run is None:
        raise NormsUnavailable(
            "er is nog geen voltooide berekening; draai eerst 'wmo-sla kpis compute'"
        )
    proposals = engine.propose_norms(
        _figures_frame(run, year, selected),
        engine.NormParams(year=year, method=engine.NormMethod(chosen.value), codes=selected),
    )
    report = DeriveReport(
        year=year, method=chosen.value, run=run, base_years=engine.base_years(year)
    )
    groepen = {g.code: g for g in Referentiegroep.objects.all()}
    norms = {
        (n.kpi_code, n.referentiegroep.code): n
        for n in Norm.objects.select_related("referentiegroep").filter(year=year)
    }
    with transaction.atomic():
        open_proposals = {
            (p.kpi_code, p.referentiegroep.code): p
            for p in NormProposal.objects.select_for_update()
            .select_related("referentiegroep")
            .filter(year=year, status=NormProposalStatus.PROPOSED)
        }
        for row in proposals.iter_rows(named=True):
            key = (row["kpi"], row["referentiegroep"])
            outcome, proposal = _derive_one(
                row,
                groep=groepen.get(row["referentiegroep"]),
                current=norms.get(key),
                open_proposal=open_proposals.get(key),
                run=run,
                actor=actor,
            )
            report.rows.append(
                DeriveRow(
                    kpi=row["kpi"],
                    referentiegroep=row["referentiegroep"],
                    year=year,
                    value=None if row["value"] is None else _decimal(row["value"]),
                    direction=row["direction"],
                    base_period=row["base_period"],
                    n_providers=row["n_providers"],
                    n=row["n"],
                    n_providers_excluded=row["n_providers_excluded"],
                    current=norms.get(key),
                    outcome=outcome,
                    proposal=proposal,
                )
            )
    return report


def _derive_one(
    row: dict[str, Any],
    *,
    groep: Referentiegroep | None,
    current: Norm | None,
    open_proposal: NormProposal | None,
    run: ComputationRun,
    actor: Any,
) -> tuple[str, NormProposal | None]:
    if groep is None:
        return Outcome.SKIPPED_GROUP, None
    if current is not None and current.kind == NormKind.CONTRACT:
        return Outcome.SKIPPED_CONTRACT, None
    if row["value"] is None:
        return Outcome.SKIPPED_FEW, None
    value = _decimal(row["value"])
    source = f"berekening #{run.pk}"
    same_as = (value, row["method"], row["base_period"])
    if open_proposal is not None and same_as == (
        open_proposal.value,
        open_proposal.method,
        open_proposal.base_period,
    ):
        return Outcome.UNCHANGED, open_proposal
    if (
        open_proposal is None
        and current is not None
        and current.status == NormStatus.APPROVED
        and same_as == (current.value, current.method, current.base_period)
    ):
        return Outcome.UNCHANGED, None
    outcome = Outcome.CREATED
    if open_proposal is not None:
        norm_transition(
            proposal=open_proposal,
            to=NormProposalStatus.SUPERSEDED,
            actor=actor,
            note=f"vervangen door een nieuwe afleiding uit {source}",
        )
        outcome = Outcome.REPLACED
    proposal = NormProposal(
        kpi_code=row["kpi"],
        referentiegroep=groep,
        year=row["year"],
        value=value,
        direction=row["direction"],
        method=row["method"],
        base_period=row["base_period"],
        source=source,
        run=run,
        n_providers=row["n_providers"],
        n=row["n"],
        n_providers_excluded=row["n_providers_excluded"],
        numerator=row["numerator"],
        denominator=row["denominator"],
        status="",
        created_at=timezone.now(),
        created_by=_user_or_none(actor),
    )
    norm_transition(
        proposal=proposal,
        to=NormProposalStatus.PROPOSED,
        actor=actor,
        note=f"afgeleid ({row['method']}, basis {row['base_period']}) uit {source}",
    )
    return outcome, proposal


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def norm_transition(*, proposal: NormProposal, to: str, actor: Any, note: str = "") -> None:
    """The one place where a proposal's status changes (creation included: ``"" → voorgesteld``).

    Checks the transition map, saves the proposal, appends a :class:`NormEvent` and writes an
    audit event. Raises :class:`~wmo_sla.core.transitions.InvalidTransition` otherwise.
    """
    current = proposal.status
    check_transition(NORM_PROPOSAL_TRANSITIONS, current, to)
    now = timezone.now()
    user = _user_or_none(actor)
    proposal.status = to
    if current == "":
        proposal.save()
        audit_log(
            action=AuditAction.CREATE,
            actor=user,
            obj=proposal,
            changes=model_changes(None, snapshot(proposal)),
            extra={"via": VIA, "event": "norm_proposed", "note": note},
        )
    else:
        fields = ["status"]
        if to in (NormProposalStatus.APPROVED, NormProposalStatus.REJECTED):
            proposal.decided_at = now
            proposal.decided_by = user
            proposal.decision_note = note[:MAX_REASON]
            fields += ["decided_at", "decided_by", "decision_note"]
        proposal.save(update_fields=fields)
        audit_log(
            action=AuditAction.UPDATE,
            actor=user,
            obj=proposal,
            changes={"status": [current, to]},
            extra={"via": VIA, "event": "norm_status", "note": note},
        )
    NormEvent.objects.create(
        proposal=proposal,
        timestamp=now,
        actor=user,
        actor_repr=user.get_username() if user is not None else "",
        from_status=current,
        to_status=to,
        note=note[:MAX_REASON],
    )


def _require_approver(actor: Any) -> None:
    if actor is None or not has_capability(actor, Capability.APPROVE_NORMS):
        name = getattr(actor, "username", "") or "onbekend"
        raise NormPermissionDenied(
            f"Gebruiker '{name}' mag geen normen vaststellen of afwijzen; dat mag alleen een "
            "contractmanager."
        )


def _locked_open(proposal: NormProposal, verb: str) -> NormProposal:
    locked = NormProposal.objects.select_for_update().select_related("referentiegroep")
    fresh = locked.get(pk=proposal.pk)
    if fresh.status != NormProposalStatus.PROPOSED:
        raise NormDecisionError(
            f"Voorstel #{fresh.pk} ({fresh.kpi_code} {fresh.referentiegroep.code} {fresh.year}) "
            f"is {fresh.get_status_display().lower()}; alleen een open voorstel kan worden "
            f"{verb}."
        )
    return fresh


def norm_approve(*, proposal: NormProposal, actor: Any) -> Norm:
    """Approve an open proposal: it becomes the norm in force (a ``historisch`` Norm row).

    The previous norm of the key (an earlier historical norm) is replaced in the same
    transaction; a ``contract`` norm is never replaced (:class:`NormDecisionError`).
    """
    _require_approver(actor)
    with transaction.atomic():
        fresh = _locked_open(proposal, "vastgesteld")
        norm = (
            Norm.objects.select_for_update()
            .filter(kpi_code=fresh.kpi_code, referentiegroep=fresh.referentiegroep, year=fresh.year)
            .first()
        )
        if norm is not None and norm.kind == NormKind.CONTRACT:
            raise NormDecisionError(
                f"Voor {fresh.kpi_code} {fresh.referentiegroep.code} {fresh.year} geldt een "
                "contractnorm; een historisch voorstel vervangt die niet. Wijs het voorstel af."
            )
        now = timezone.now()
        values = {
            "kind": NormKind.HISTORISCH,
            "value": fresh.value,
            "direction": fresh.direction,
            "status": NormStatus.APPROVED,
            "method": fresh.method,
            "base_period": fresh.base_period,
            "source": f"{fresh.source}, voorstel #{fresh.pk}",
            "approved_by": actor,
            "approved_at": now,
        }
        before = snapshot(norm) if norm is not None else None
        if norm is None:
            norm = Norm(
                kpi_code=fresh.kpi_code,
                referentiegroep=fresh.referentiegroep,
                year=fresh.year,
                **values,
            )
            norm.save()
        else:
            for name, value in values.items():
                setattr(norm, name, value)
            norm.save(update_fields=list(values))
        norm_transition(
            proposal=fresh,
            to=NormProposalStatus.APPROVED,
            actor=actor,
            note=(
                f"vastgesteld; vervangt de vorige norm ({before['value']})"
                if before is not None
                else "vastgesteld"
            ),
        )
        audit_log(
            action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
            actor=actor,
            obj=norm,
            changes=model_changes(before, snapshot(norm)),
            extra={"via": VIA, "event": "norm_approved", "proposal": fresh.pk},
        )
    proposal.refresh_from_db()
    return norm


def norm_reject(*, proposal: NormProposal, actor: Any, reason: str) -> NormProposal:
    """Reject an open proposal with a reason (required); the norm in force stays as it is."""
    _require_approver(actor)
    reason = (reason or "").strip()
    if not reason:
        raise NormDecisionError("Geef een reden op voor het afwijzen van het voorstel.")
    if len(reason) > MAX_REASON:
        raise NormDecisionError(
            f"De reden is te lang ({len(reason)} tekens); hoogstens {MAX_REASON} tekens."
        )
    with transaction.atomic():
        fresh = _locked_open(proposal, "afgewezen")
        norm_transition(proposal=fresh, to=NormProposalStatus.REJECTED, actor=actor, note=reason)
    proposal.refresh_from_db()
    return proposal


__all__ += ["InvalidTransition", "Outcome", "parse_codes"]
