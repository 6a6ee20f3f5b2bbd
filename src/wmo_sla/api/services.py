# SPDX-License-Identifier: EUPL-1.2
"""Writes of API tokens: create (the secret is returned once), revoke, and record use.

Every refusal is an :class:`ApiTokenError` with a Dutch message meant for the user. Creation and
revocation are audit-logged; use is logged coarsely (once per token per day) and ``last_used_at``
is written at most every few minutes.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.services import audit_log

from .models import ApiToken
from .selectors import TOKEN_PREFIX, hash_secret, manages_all_tokens

# No 0/O, 1/l: the prefix is read off a screen to recognise a token.
_PREFIX_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
_PREFIX_LENGTH = 8
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


class ApiTokenError(Exception):
    """A token action the rules do not allow; the message is Dutch and meant for the user."""


@dataclass(frozen=True)
class TokenCreated:
    token: ApiToken
    secret: str  # shown once; only its hash is stored


def _who(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def token_create(
    *,
    actor: Any,
    user: Any,
    name: str,
    description: str = "",
    expires_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> TokenCreated:
    """A new token acting for ``user``, an active aanbieder-gebruiker with ``SUBMIT_REPORTS``,
    bound to that user's aanbieder. ``actor`` None: created from the command line. Otherwise the
    actor must be a ``SUBMIT_REPORTS`` user of the same aanbieder."""
    if not user.is_active:
        raise ApiTokenError(_("Gebruiker %(user)s is niet actief.") % {"user": user.get_username()})
    if not has_capability(user, Capability.SUBMIT_REPORTS) or not user.aanbieder_id:
        raise ApiTokenError(
            _(
                "Een API-token is alleen voor aanbieder-gebruikers die rapportages indienen; "
                "%(user)s is dat niet."
            )
            % {"user": user.get_username()}
        )
    if actor is not None and (
        not has_capability(actor, Capability.SUBMIT_REPORTS)
        or getattr(actor, "aanbieder_id", None) != user.aanbieder_id
    ):
        raise ApiTokenError(_("U kunt alleen API-tokens voor uw eigen organisatie aanmaken."))
    name = name.strip()
    if not name:
        raise ApiTokenError(
            _("Geef het token een naam, bijvoorbeeld het systeem dat het gebruikt.")
        )
    if len(name) > 100:
        raise ApiTokenError(_("De naam is te lang (hoogstens 100 tekens)."))
    if expires_on is not None and expires_on < timezone.localdate():
        raise ApiTokenError(_("De einddatum ligt in het verleden."))
    with transaction.atomic():
        while True:
            prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _i in range(_PREFIX_LENGTH))
            if not ApiToken.objects.filter(prefix=prefix).exists():
                break
        secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken.objects.create(
            name=name,
            description=description.strip(),
            prefix=prefix,
            key_hash=hash_secret(secret),
            user=user,
            aanbieder_id=user.aanbieder_id,
            created_at=timezone.now(),
            created_by=actor,
            expires_on=expires_on,
        )
        audit_log(
            action=AuditAction.CREATE,
            actor=actor,
            request=request,
            obj=token,
            extra={
                "event": "api_token_aangemaakt",
                "prefix": prefix,
                "namens": user.get_username(),
                "aanbieder": user.aanbieder_id,
                "geldig_tot": expires_on.isoformat() if expires_on else None,
                "via": "web" if actor is not None else "beheercommando",
            },
        )
    return TokenCreated(token=token, secret=secret)


def token_revoke(*, actor: Any, token: ApiToken, request: HttpRequest | None = None) -> ApiToken:
    """Revoke a token from now on. ``actor`` None: from the command line; otherwise the
    functioneel beheerder, or a ``SUBMIT_REPORTS`` user of the token's aanbieder."""
    own_organisation = (
        actor is not None
        and has_capability(actor, Capability.SUBMIT_REPORTS)
        and getattr(actor, "aanbieder_id", None) == token.aanbieder_id
    )
    if actor is not None and not manages_all_tokens(actor) and not own_organisation:
        raise ApiTokenError(_("U kunt alleen API-tokens van uw eigen organisatie intrekken."))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise ApiTokenError(
                _("Dit API-token is al ingetrokken op %(when)s.")
                % {"when": f"{timezone.localtime(token.revoked_at):%d-%m-%Y %H:%M}"}
            )
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_log(
            action=AuditAction.UPDATE,
            actor=actor,
            request=request,
            obj=token,
            changes={"ingetrokken": [False, True]},
            extra={
                "event": "api_token_ingetrokken",
                "prefix": token.prefix,
                "via": "web" if actor is not None else "beheercommando",
            },
        )
    return token


def token_record_use(*, token: ApiToken, request: HttpRequest | None = None) -> None:
    """Note that ``token`` was used: ``last_used_at`` at most every few minutes, and one audit
    event per token per day (coarse on purpose: a system calling every minute must not flood
    the audit log)."""
    now = timezone.now()
    last = token.last_used_at
    if last is not None and now - last < LAST_USED_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    if last is None or timezone.localdate(last) != timezone.localdate(now):
        audit_log(
            action=AuditAction.API_TOKEN_USED,
            actor=token.user,
            request=request,
            obj=token,
            extra={"prefix": token.prefix, "eerste_gebruik_vandaag": True},
        )
