# SPDX-License-Identifier: EUPL-1.2
"""Pages of the UI shell. Views only gather what selectors return and render it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from wmo_sla.accounts.roles import Capability, Role, has_capability
from wmo_sla.contracts import selectors as contract_selectors
from wmo_sla.kpis.registry import FIGURES, KPIS

from .decorators import require_capability
from .selectors import home_summary


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    role: str = getattr(user, "role", "") or ("beheerder" if user.is_superuser else "")
    templates: dict[str, str] = {
        Role.CONTRACTMANAGER: "web/home_contractmanager.html",
        Role.AANBIEDER: "web/home_aanbieder.html",
        Role.ANALIST: "web/home_analist.html",
        Role.BEHEERDER: "web/home_beheerder.html",
    }
    template = templates.get(role, "web/home_analist.html")
    return render(request, template, home_summary(user=user))


@require_capability(Capability.VIEW_CONTRACTS)
def contract_list(request: HttpRequest) -> HttpResponse:
    contracts = contract_selectors.contracts_visible_to(request.user)
    return render(request, "web/contract_list.html", {"contracts": contracts})


@require_capability(Capability.VIEW_CONTRACTS)
def contract_detail(request: HttpRequest, code: str) -> HttpResponse:
    contract = contract_selectors.contract_get(user=request.user, code=code)
    if contract is None:
        raise Http404
    return render(
        request,
        "web/contract_detail.html",
        {
            "contract": contract,
            "products": contract_selectors.contract_products(contract=contract),
            "aanbieders": contract_selectors.contract_aanbieders(
                user=request.user, contract=contract
            ),
            "sla_versions": contract.sla_versions.order_by("start_date"),
            "show_aanbieders": has_capability(request.user, Capability.VIEW_ALL_AANBIEDERS),
        },
    )


@require_capability(Capability.VIEW_ALL_AANBIEDERS)
def aanbieder_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "web/aanbieder_list.html",
        {"aanbieders": contract_selectors.aanbieders_with_codes(request.user)},
    )


@require_capability(Capability.VIEW_ALL_AANBIEDERS, Capability.VIEW_OWN_AANBIEDER)
def aanbieder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    aanbieder = contract_selectors.aanbieder_get(user=request.user, pk=pk)
    if aanbieder is None:
        raise Http404
    return render(
        request,
        "web/aanbieder_detail.html",
        {
            "aanbieder": aanbieder,
            "contracts": contract_selectors.contracts_visible_to(request.user).filter(
                aanbieders=aanbieder
            ),
        },
    )


@require_capability(Capability.VIEW_OWN_AANBIEDER)
def own_aanbieder(request: HttpRequest) -> HttpResponse:
    return redirect("web:aanbieder_detail", pk=request.user.aanbieder_id)  # type: ignore[union-attr]


@require_capability(Capability.VIEW_KPI_DEFINITIONS)
def kpi_definitions(request: HttpRequest) -> HttpResponse:
    kpis = [
        {"kpi": kpi, "figures": [f for f in FIGURES.values() if f.kpi == kpi.code]}
        for kpi in KPIS.values()
    ]
    return render(request, "web/kpi_definitions.html", {"kpis": kpis})


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")
