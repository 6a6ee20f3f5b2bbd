# SPDX-License-Identifier: EUPL-1.2
"""Two-factor enforcement for staff roles."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .roles import STAFF_ROLES

_EXEMPT_PREFIXES = ("/static/", "/account/", "/inloggen/", "/uitloggen/", "/toegankelijkheid/")


class StaffTwoFactorMiddleware:
    """Send staff without a verified second factor to the set-up page when 2FA is required.

    A staff user who has set up TOTP always passes the second step at login (see the login view),
    so ``request.user.is_verified()`` is true for them; this middleware only matters when
    ``WMO_SLA_REQUIRE_2FA`` is on and someone has not set it up yet.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.WMO_SLA_REQUIRE_2FA
            and user.is_authenticated
            and getattr(user, "role", None) in STAFF_ROLES
            and not user.is_verified()  # type: ignore[attr-defined]
            and not request.path.startswith(_EXEMPT_PREFIXES)
        ):
            return redirect(reverse("accounts:two_factor"))
        return self.get_response(request)
