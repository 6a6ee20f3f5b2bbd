# SPDX-License-Identifier: EUPL-1.2
"""Token authentication for the API: ``Authorization: Token <secret>`` or ``Bearer <secret>``.

The secret is looked up by its SHA-256 hash (no comparison on the secret itself). Refused with
401 and a Dutch ``detail``: an unknown, revoked or expired token, an inactive user, and a user
who no longer belongs to the aanbieder the token was made for (or may no longer submit reports).
Requests without such a header fall through to the next class (the browser session).
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from wmo_sla.accounts.roles import Capability, has_capability

from .models import ApiToken
from .selectors import token_by_secret
from .services import token_record_use

logger = logging.getLogger(__name__)

KEYWORDS = (b"token", b"bearer")


def check_token(token: ApiToken) -> None:
    """Raise :class:`AuthenticationFailed` when ``token`` may not be used (now)."""
    if token.revoked_at is not None:
        raise AuthenticationFailed(
            _("Dit API-token is ingetrokken op %(when)s.")
            % {"when": f"{timezone.localtime(token.revoked_at):%d-%m-%Y %H:%M}"}
        )
    if token.is_expired():
        assert token.expires_on is not None
        raise AuthenticationFailed(
            _("Dit API-token is verlopen (geldig tot en met %(date)s).")
            % {"date": f"{token.expires_on:%d-%m-%Y}"}
        )
    user = token.user
    if not user.is_active:
        raise AuthenticationFailed(_("De gebruiker van dit API-token is niet meer actief."))
    if getattr(user, "aanbieder_id", None) != token.aanbieder_id or not has_capability(
        user, Capability.SUBMIT_REPORTS
    ):
        raise AuthenticationFailed(
            _(
                "De gebruiker van dit API-token hoort niet meer bij de organisatie waarvoor het "
                "token is gemaakt, of mag geen rapportages meer indienen. Maak een nieuw token."
            )
        )


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(
                _(
                    "Ongeldige Authorization-header: gebruik 'Token <sleutel>' of 'Bearer <sleutel>'."
                )
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Onbekend of ongeldig API-token.")) from None
        token = token_by_secret(secret)
        if token is None:
            raise AuthenticationFailed(_("Onbekend of ongeldig API-token."))
        try:
            check_token(token)
        except AuthenticationFailed:
            logger.warning("refused API token %s (%s)", token.prefix, token.state)
            raise
        token_record_use(token=token, request=request._request)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="wmo-sla"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "wmo_sla.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "API-token van een aanbieder-gebruiker: `Authorization: Bearer wsla_…` (of "
                "`Authorization: Token wsla_…`). Een token maakt u op de pagina API-tokens "
                "(via Mijn organisatie); het geheim ziet u één keer. Het token werkt alleen voor "
                "de eigen organisatie; een ingetrokken of verlopen token geeft 401."
            ),
        }
