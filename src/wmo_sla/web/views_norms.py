# SPDX-License-Identifier: EUPL-1.2
"""Norms page for the contract manager: norms per year and referentiegroep, open historical
proposals with their basis, approve / reject, and the history per norm (docs/norms.md).

The analist may look (VIEW_BENCHMARK); only APPROVE_NORMS decides. Views only gather what the
selectors return and call the services in :mod:`wmo_sla.kpis.norms`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.benchmark.formatting import format_figure_value
from wmo_sla.contracts.models import NormProposal
from wmo_sla.core.forms import UtrechtFormMixin
from wmo_sla.kpis import norm_selectors as selectors
from wmo_sla.kpis.norms import MAX_REASON, NormDecisionError, norm_approve, norm_reject

from .decorators import require_capability


class RejectForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reden van afwijzing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_REASON,
        help_text=gettext_lazy("Verplicht; de reden komt in de historie van de norm."),
        error_messages={
            "required": gettext_lazy("Geef een reden op voor het afwijzen."),
            "max_length": gettext_lazy("Gebruik hoogstens %(limit_value)d tekens."),
        },
    )


def _year(request: HttpRequest, years: list[int]) -> int | None:
    raw = request.GET.get("jaar", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[0] if years else None


@require_capability(Capability.APPROVE_NORMS, Capability.VIEW_BENCHMARK)
def norms_overview(request: HttpRequest) -> HttpResponse:
    years = selectors.norm_years()
    year = _year(request, years)
    context: dict[str, Any] = {
        "years": years,
        "year": year,
        "groups": selectors.norms_by_groep(year) if year is not None else [],
        "open": selectors.open_proposals(year=year) if year is not None else [],
        "may_decide": has_capability(request.user, Capability.APPROVE_NORMS),
    }
    return render(request, "web/norms/overview.html", context)


def _proposal_or_404(pk: int) -> NormProposal:
    proposal = selectors.proposal_get(pk)
    if proposal is None:
        raise Http404
    return proposal


def _detail(
    request: HttpRequest,
    proposal: NormProposal,
    *,
    form: RejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_decide = has_capability(request.user, Capability.APPROVE_NORMS)
    return render(
        request,
        "web/norms/proposal_detail.html",
        {
            "proposal": proposal,
            "name": selectors.figure_name(proposal.kpi_code),
            "current": selectors.current_norm(proposal),
            "history": selectors.history(
                kpi_code=proposal.kpi_code,
                referentiegroep_id=proposal.referentiegroep_id,
                year=proposal.year,
            ),
            "may_decide": may_decide and proposal.status == "voorgesteld",
            "reject_form": form or RejectForm(),
        },
        status=status,
    )


@require_capability(Capability.APPROVE_NORMS, Capability.VIEW_BENCHMARK)
def norm_proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _proposal_or_404(pk))


def _label(proposal: NormProposal) -> str:
    return f"{proposal.kpi_code} {proposal.referentiegroep.code} {proposal.year}"


@require_POST
@require_capability(Capability.APPROVE_NORMS)
def norm_proposal_approve(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(pk)
    try:
        norm = norm_approve(proposal=proposal, actor=request.user)
    except NormDecisionError as exc:
        messages.error(request, str(exc))
        return redirect("web:norm_proposal_detail", pk=proposal.pk)
    messages.success(
        request,
        _(
            "Voorstel %(id)s is vastgesteld: de norm voor %(label)s is nu %(value)s. "
            "De volgende KPI-berekening gebruikt deze norm."
        )
        % {
            "id": proposal.pk,
            "label": _label(proposal),
            "value": format_figure_value(norm.kpi_code, float(norm.value)),
        },
    )
    return redirect(f"{_overview_url()}?jaar={proposal.year}")


@require_POST
@require_capability(Capability.APPROVE_NORMS)
def norm_proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            norm_reject(proposal=proposal, actor=request.user, reason=form.cleaned_data["reason"])
        except NormDecisionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Voorstel %(id)s voor %(label)s is afgewezen; de huidige norm blijft gelden.")
                % {"id": proposal.pk, "label": _label(proposal)},
            )
            return redirect(f"{_overview_url()}?jaar={proposal.year}")
    return _detail(request, proposal, form=form, status=400)


def _overview_url() -> str:
    return reverse("web:norms_overview")
