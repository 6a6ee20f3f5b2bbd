# SPDX-License-Identifier: EUPL-1.2
"""Reads of contract master data. Provider scoping lives here, so no view can forget it."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from wmo_sla.accounts.roles import Capability, has_capability

from .models import Aanbieder, AgbCode, Contract, Gemeente, Norm, Product, Referentiegroep


def aanbieders_visible_to(user: Any) -> QuerySet[Aanbieder]:
    """All aanbieders for municipal roles; only its own for an aanbieder-gebruiker; else none."""
    qs = Aanbieder.objects.order_by("name")
    if has_capability(user, Capability.VIEW_ALL_AANBIEDERS):
        return qs
    if has_capability(user, Capability.VIEW_OWN_AANBIEDER) and user.aanbieder_id:
        return qs.filter(pk=user.aanbieder_id)
    return qs.none()


def aanbieder_get(*, user: Any, pk: int) -> Aanbieder | None:
    return aanbieders_with_codes(user).filter(pk=pk).first()


def contracts_visible_to(user: Any) -> QuerySet[Contract]:
    if not has_capability(user, Capability.VIEW_CONTRACTS):
        return Contract.objects.none()
    qs = Contract.objects.select_related("holiday_calendar").prefetch_related("gemeenten")
    if not has_capability(user, Capability.VIEW_ALL_AANBIEDERS):
        # An aanbieder-gebruiker sees the contracts its own organisation takes part in.
        qs = qs.filter(aanbieders__pk=user.aanbieder_id)
    return qs.order_by("code")


def contract_get(*, user: Any, code: str) -> Contract | None:
    contract = contracts_visible_to(user).filter(code=code).first()
    if contract is None:
        return None
    return contract


def contract_aanbieders(*, user: Any, contract: Contract) -> QuerySet[Aanbieder]:
    """Participating aanbieders of a contract, limited to what the user may see."""
    return aanbieders_visible_to(user).filter(contracts=contract)


def contract_products(*, contract: Contract) -> QuerySet[Product]:
    return (
        contract.products.select_related("referentiegroep")
        .prefetch_related("tariffs")
        .order_by("categorie", "code")
    )


def gemeenten_all() -> QuerySet[Gemeente]:
    return Gemeente.objects.order_by("name")


def referentiegroepen_all() -> QuerySet[Referentiegroep]:
    return Referentiegroep.objects.order_by("code")


def norms_all() -> QuerySet[Norm]:
    return Norm.objects.select_related("referentiegroep").order_by(
        "kpi_code", "referentiegroep", "year"
    )


def agb_codes_of(aanbieder: Aanbieder) -> list[str]:
    return [code.code for code in aanbieder.agb_codes.all()]


def aanbieders_with_codes(user: Any) -> QuerySet[Aanbieder]:
    return aanbieders_visible_to(user).prefetch_related(
        Prefetch("agb_codes", queryset=AgbCode.objects.order_by("code"))
    )
