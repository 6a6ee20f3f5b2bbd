# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from wmo_sla.accounts.roles import Capability, has_capability


def require_capability(
    *capabilities: Capability,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Login required, and at least one of ``capabilities``; otherwise 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(has_capability(request.user, cap) for cap in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
