# SPDX-License-Identifier: EUPL-1.2
"""The navigation per role, derived from capabilities (one source of truth: accounts.roles)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wmo_sla.accounts.roles import Capability, has_capability


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    capabilities: tuple[Capability, ...]  # any one of them; empty: every logged-in user

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_C = Capability
NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("home", _("Start"), "web:home", ()),
    NavItem("overview", _("Overzicht"), "benchmark:overview", (_C.VIEW_BENCHMARK,)),
    NavItem("portal", _("Mijn prestaties"), "benchmark:portal", (_C.VIEW_OWN_AANBIEDER,)),
    NavItem("signals", _("Mijn signalen"), "dialogue:mijn_signalen", (_C.WRITE_TOELICHTING,)),
    NavItem(
        "toelichtingen",
        _("Toelichtingen"),
        "dialogue:toelichting_list",
        (_C.RESPOND_TOELICHTING, _C.VIEW_BENCHMARK),
    ),
    NavItem("meetings", _("Voortgangsgesprekken"), "dialogue:gesprek_list", (_C.VIEW_MEETINGS,)),
    NavItem("my_reports", _("Mijn rapportages"), "reporting:mine", (_C.SUBMIT_REPORTS,)),
    NavItem(
        "reports",
        _("Rapportages"),
        "reporting:board",
        (_C.REVIEW_REPORTS, _C.VIEW_ALL_AANBIEDERS),
    ),
    NavItem("contracts", _("Contracten"), "web:contract_list", (_C.VIEW_CONTRACTS,)),
    NavItem("aanbieders", _("Aanbieders"), "web:aanbieder_list", (_C.VIEW_ALL_AANBIEDERS,)),
    NavItem("own", _("Mijn organisatie"), "web:own_aanbieder", (_C.VIEW_OWN_AANBIEDER,)),
    NavItem("norms", _("Normen"), "web:norms_overview", (_C.APPROVE_NORMS, _C.VIEW_BENCHMARK)),
    NavItem("kpis", _("KPI-definities"), "web:kpi_definitions", (_C.VIEW_KPI_DEFINITIONS,)),
    NavItem("ingest", _("Berichten inlezen"), "ingest:upload", (_C.INGEST,)),
    NavItem("unknown", _("Onbekende partijen"), "ingest:unknown_parties", (_C.VIEW_QUARANTINE,)),
    NavItem("publication", _("Publicatie"), "publication:manage_list", (_C.MANAGE_PUBLICATION,)),
    NavItem("audit", _("Auditlog"), "admin:audit_auditevent_changelist", (_C.VIEW_AUDIT_LOG,)),
    NavItem("admin", _("Beheer"), "admin:index", (_C.USE_ADMIN,)),
)


def nav_items_for(user: Any) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [
        item
        for item in NAV_ITEMS
        if not item.capabilities or any(has_capability(user, c) for c in item.capabilities)
    ]
