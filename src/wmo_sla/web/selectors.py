# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.audit.models import AuditEvent
from wmo_sla.contracts import selectors as contract_selectors
from wmo_sla.contracts.models import Norm, Product


def home_summary(*, user: Any) -> dict[str, Any]:
    """What the start page of each role shows."""
    contracts = contract_selectors.contracts_visible_to(user)
    summary: dict[str, Any] = {
        "contracts": contracts,
        "contract_count": contracts.count(),
    }
    if has_capability(user, Capability.VIEW_ALL_AANBIEDERS):
        summary["aanbieder_count"] = contract_selectors.aanbieders_visible_to(user).count()
        summary["product_count"] = Product.objects.count()
        summary["norm_count"] = Norm.objects.count()
    if has_capability(user, Capability.VIEW_OWN_AANBIEDER):
        own = contract_selectors.aanbieders_with_codes(user).first()
        summary["own_aanbieder"] = own
    if has_capability(user, Capability.VIEW_AUDIT_LOG):
        summary["recent_audit_events"] = AuditEvent.objects.select_related(None)[:10]
    return summary
