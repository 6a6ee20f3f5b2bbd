# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from wmo_sla.accounts.roles import Capability, has_capability


def capability_permission(*capabilities: Capability) -> type[BasePermission]:
    """A DRF permission class that asks the role capability map (accounts.roles)."""

    class _HasCapability(BasePermission):
        def has_permission(self, request: Request, view: Any) -> bool:
            return any(has_capability(request.user, cap) for cap in capabilities)

    _HasCapability.__name__ = "HasCapability_" + "_".join(capabilities)
    return _HasCapability
