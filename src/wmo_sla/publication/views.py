# SPDX-License-Identifier: EUPL-1.2
"""The public page (no login) and the page where a contract manager chooses what it shows."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wmo_sla.accounts.roles import Capability
from wmo_sla.benchmark.selectors import current_run
from wmo_sla.benchmark.selectors_overview import DEFAULT_CODES, contracts_all, periods_of
from wmo_sla.contracts.models import Contract
from wmo_sla.kpis.models import Figure
from wmo_sla.web.decorators import require_capability

from . import selectors
from .forms import PublicationForm
from .services import save_publication


def public_index(request: HttpRequest) -> HttpResponse:
    publications = [p for p in selectors.published_publications() if p.is_public]
    return render(request, "publication/public_index.html", {"publications": publications})


def public_contract(request: HttpRequest, code: str) -> HttpResponse:
    publication = selectors.published_contract(code)
    if publication is None:
        raise Http404(_("Dit contract publiceert geen kengetallen."))
    tables, missing = selectors.public_tables(publication)
    return render(
        request,
        "publication/public_contract.html",
        {
            "publication": publication,
            "contract": publication.contract,
            "tables": tables,
            "missing_periods": missing,
            "definitions": selectors.definitions(publication.kpi_codes),
        },
    )


@require_capability(Capability.MANAGE_PUBLICATION)
def manage_list(request: HttpRequest) -> HttpResponse:
    contracts = list(contracts_all().select_related("publication"))
    return render(request, "publication/manage_list.html", {"contracts": contracts})


def _period_choices() -> list[tuple[str, str]]:
    run = current_run()
    periods = periods_of(run)
    if run is None:
        return []
    definitief = set(
        Figure.objects.filter(run=run, status="definitief")
        .values_list("period", flat=True)
        .distinct()
        .order_by()
    )
    return [
        (p, p if p in definitief else _("%(period)s (nog niet definitief)") % {"period": p})
        for p in periods
    ]


@require_capability(Capability.MANAGE_PUBLICATION)
def manage_contract(request: HttpRequest, code: str) -> HttpResponse:
    contract = Contract.objects.filter(code=code).first()
    if contract is None:
        raise Http404
    publication = selectors.publication_of(contract)
    initial = {
        "enabled": publication.enabled if publication else False,
        "kpi_codes": publication.kpi_codes if publication else list(DEFAULT_CODES),
        "periods": publication.periods if publication else [],
    }
    periods = _period_choices()
    if request.method == "POST":
        form = PublicationForm(request.POST, periods=periods)
        if form.is_valid():
            save_publication(
                contract=contract,
                enabled=form.cleaned_data["enabled"],
                kpi_codes=form.cleaned_data["kpi_codes"],
                periods=form.cleaned_data["periods"],
                actor=request.user,
                request=request,
            )
            messages.success(request, _("De publicatie-instellingen zijn opgeslagen."))
            return redirect("publication:manage_contract", code=contract.code)
        status = 400
    else:
        form = PublicationForm(initial=initial, periods=periods)
        status = 200
    return render(
        request,
        "publication/manage_contract.html",
        {"contract": contract, "publication": publication, "form": form},
        status=status,
    )
