# SPDX-License-Identifier: EUPL-1.2
"""Reads for norms and norm proposals (the page for the contract manager, the CLI).

Norms and proposals are about a referentiegroep as a whole; they carry no aanbieder's data (the
basis of a proposal is the number of providers and the summed n only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from wmo_sla.contracts.constants import NormMethod, NormProposalStatus
from wmo_sla.contracts.models import Norm, NormEvent, NormProposal, Referentiegroep

from .registry import FIGURES

_METHOD_LABELS: dict[str, Any] = dict(NormMethod.choices)  # lazy labels


def figure_name(code: str) -> str:
    definition = FIGURES.get(code)
    return definition.name_nl if definition else code


def norm_years() -> list[int]:
    """Years with a norm or a proposal, newest first."""
    years = set(Norm.objects.values_list("year", flat=True))
    years |= set(NormProposal.objects.values_list("year", flat=True))
    return sorted(years, reverse=True)


def norms_of_year(year: int) -> QuerySet[Norm]:
    return (
        Norm.objects.filter(year=year)
        .select_related("referentiegroep", "approved_by")
        .order_by("referentiegroep__code", "kpi_code")
    )


def proposals(*, year: int | None = None, status: str | None = None) -> QuerySet[NormProposal]:
    qs = NormProposal.objects.select_related("referentiegroep", "run", "created_by", "decided_by")
    if year is not None:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("year", "referentiegroep__code", "kpi_code", "-created_at", "-id")


@dataclass(frozen=True)
class NormLine:
    norm: Norm
    name: str
    method: str  # the label of a known method, else the stored text


@dataclass(frozen=True)
class GroupNorms:
    referentiegroep: Referentiegroep
    lines: list[NormLine]


def norms_by_groep(year: int) -> list[GroupNorms]:
    """The norms of ``year`` per referentiegroep (contract and historical, any status)."""
    groups: dict[int, GroupNorms] = {}
    for norm in norms_of_year(year):
        group = groups.setdefault(norm.referentiegroep_id, GroupNorms(norm.referentiegroep, []))
        method = str(_METHOD_LABELS.get(norm.method, norm.method))
        group.lines.append(NormLine(norm, figure_name(norm.kpi_code), method))
    return list(groups.values())


@dataclass(frozen=True)
class ProposalWithCurrent:
    proposal: NormProposal
    current: Norm | None
    name: str = ""


def open_proposals(*, year: int | None = None) -> list[ProposalWithCurrent]:
    """Open proposals with the norm that is in force (or proposed by contract) for their key."""
    items = list(proposals(year=year, status=NormProposalStatus.PROPOSED))
    years = {p.year for p in items}
    current = {
        (n.kpi_code, n.referentiegroep_id, n.year): n
        for n in Norm.objects.filter(year__in=years).select_related("referentiegroep")
    }
    return [
        ProposalWithCurrent(
            p, current.get((p.kpi_code, p.referentiegroep_id, p.year)), figure_name(p.kpi_code)
        )
        for p in items
    ]


def proposal_get(pk: int) -> NormProposal | None:
    return proposals().filter(pk=pk).first()


def current_norm(proposal: NormProposal) -> Norm | None:
    return (
        Norm.objects.filter(
            kpi_code=proposal.kpi_code,
            referentiegroep_id=proposal.referentiegroep_id,
            year=proposal.year,
        )
        .select_related("approved_by")
        .first()
    )


def history(*, kpi_code: str, referentiegroep_id: int, year: int) -> list[NormProposal]:
    """All proposals of one KPI × referentiegroep × year, newest first, with their events."""
    return list(
        proposals()
        .filter(kpi_code=kpi_code, referentiegroep_id=referentiegroep_id, year=year)
        .prefetch_related(
            Prefetch("events", queryset=NormEvent.objects.select_related("actor").order_by("id"))
        )
    )
