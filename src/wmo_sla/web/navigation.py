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
    capability: Capability | None  # None: every logged-in user

    @property
    def url(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem("home", _("Start"), "web:home", None),
    NavItem("contracts", _("Contracten"), "web:contract_list", Capability.VIEW_CONTRACTS),
    NavItem("aanbieders", _("Aanbieders"), "web:aanbieder_list", Capability.VIEW_ALL_AANBIEDERS),
    NavItem("own", _("Mijn organisatie"), "web:own_aanbieder", Capability.VIEW_OWN_AANBIEDER),
    NavItem("kpis", _("KPI-definities"), "web:kpi_definitions", Capability.VIEW_KPI_DEFINITIONS),
    NavItem("ingest", _("Berichten inlezen"), "ingest:upload", Capability.INGEST),
    NavItem(
        "unknown", _("Onbekende partijen"), "ingest:unknown_parties", Capability.VIEW_QUARANTINE
    ),
    NavItem("audit", _("Auditlog"), "admin:audit_auditevent_changelist", Capability.VIEW_AUDIT_LOG),
    NavItem("admin", _("Beheer"), "admin:index", Capability.USE_ADMIN),
)


def nav_items_for(user: Any) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [
        item
        for item in NAV_ITEMS
        if item.capability is None or has_capability(user, item.capability)
    ]
