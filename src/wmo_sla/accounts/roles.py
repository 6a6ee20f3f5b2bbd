# SPDX-License-Identifier: EUPL-1.2
"""Roles and what each role may do. This is the only place where permissions are decided.

Views, the admin and the API ask :func:`has_capability`; nothing else checks a role by name
(Signalen's rule: reason in permissions, never in hard-coded groups).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User


class Role(models.TextChoices):
    CONTRACTMANAGER = "contractmanager", _("Contractmanager")
    AANBIEDER = "aanbieder", _("Aanbieder-gebruiker")
    ANALIST = "analist", _("Analist (alleen lezen)")
    BEHEERDER = "beheerder", _("Functioneel beheerder")


class Capability(StrEnum):
    VIEW_CONTRACTS = "view_contracts"
    VIEW_ALL_AANBIEDERS = "view_all_aanbieders"
    VIEW_OWN_AANBIEDER = "view_own_aanbieder"
    VIEW_KPI_DEFINITIONS = "view_kpi_definitions"
    EDIT_MASTER_DATA = "edit_master_data"
    EDIT_NORMS = "edit_norms"
    LOAD_CONTRACTS = "load_contracts"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT_LOG = "view_audit_log"
    USE_ADMIN = "use_admin"
    USE_API = "use_api"
    INGEST = "ingest"
    VIEW_QUARANTINE = "view_quarantine"
    # Figures and the dialogue with providers (web application).
    VIEW_BENCHMARK = "view_benchmark"  # all aanbieders' figures side by side (never to providers)
    VIEW_DRILLDOWN = "view_drilldown"  # trajectories/messages behind a figure (scoped, audited)
    WRITE_TOELICHTING = "write_toelichting"  # an aanbieder explains its flagged figures
    RESPOND_TOELICHTING = "respond_toelichting"  # the municipality responds to an explanation
    VIEW_MEETINGS = "view_meetings"  # voortgangsgesprekken and their packs (scoped)
    MANAGE_MEETINGS = "manage_meetings"  # plan meetings, record verbeterafspraken
    APPROVE_NORMS = "approve_norms"  # approve proposed historical norms
    MANAGE_PUBLICATION = "manage_publication"  # choose what the public page shows
    # Provider reporting (uitstroomredenen, klachten, tevredenheid).
    SUBMIT_REPORTS = "submit_reports"  # an aanbieder drafts and submits its own reports
    REVIEW_REPORTS = "review_reports"  # obligations, exemptions, accept or return reports


_ALL_READ = {
    Capability.VIEW_CONTRACTS,
    Capability.VIEW_KPI_DEFINITIONS,
    Capability.USE_API,
}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.CONTRACTMANAGER: frozenset(
        _ALL_READ
        | {
            Capability.VIEW_ALL_AANBIEDERS,
            Capability.EDIT_MASTER_DATA,
            Capability.EDIT_NORMS,
            Capability.LOAD_CONTRACTS,
            Capability.USE_ADMIN,
            Capability.INGEST,
            Capability.VIEW_BENCHMARK,
            Capability.VIEW_DRILLDOWN,
            Capability.RESPOND_TOELICHTING,
            Capability.VIEW_MEETINGS,
            Capability.MANAGE_MEETINGS,
            Capability.APPROVE_NORMS,
            Capability.MANAGE_PUBLICATION,
            Capability.REVIEW_REPORTS,
        }
    ),
    Role.ANALIST: frozenset(
        _ALL_READ
        | {Capability.VIEW_ALL_AANBIEDERS, Capability.VIEW_BENCHMARK, Capability.VIEW_MEETINGS}
    ),
    Role.AANBIEDER: frozenset(
        _ALL_READ
        | {
            Capability.VIEW_OWN_AANBIEDER,
            Capability.VIEW_DRILLDOWN,
            Capability.WRITE_TOELICHTING,
            Capability.VIEW_MEETINGS,
            Capability.SUBMIT_REPORTS,
        }
    ),
    Role.BEHEERDER: frozenset(
        _ALL_READ
        | {
            Capability.VIEW_ALL_AANBIEDERS,
            Capability.EDIT_MASTER_DATA,
            Capability.LOAD_CONTRACTS,
            Capability.MANAGE_USERS,
            Capability.VIEW_AUDIT_LOG,
            Capability.USE_ADMIN,
            Capability.INGEST,
            Capability.VIEW_QUARANTINE,
        }
    ),
}

# Roles that get Django admin access (is_staff) and may turn on two-factor login.
STAFF_ROLES = frozenset({Role.CONTRACTMANAGER, Role.BEHEERDER})


def is_staff_role(role: str) -> bool:
    """Whether a role uses the Django admin (``User.is_staff`` follows this, never set by hand)."""
    return role in STAFF_ROLES


def capabilities_of(user: User | AnonymousUser) -> frozenset[Capability]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(Capability)
    return ROLE_CAPABILITIES.get(user.role, frozenset())


def has_capability(user: User | AnonymousUser, capability: Capability) -> bool:
    return capability in capabilities_of(user)
