# SPDX-License-Identifier: EUPL-1.2
"""Reads of API tokens. Who sees which tokens: the functioneel beheerder (``MANAGE_USERS``) all of
them, an aanbieder-gebruiker (``SUBMIT_REPORTS``) those of its own organisation, anyone else none."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import QuerySet

from wmo_sla.accounts.roles import Capability, has_capability

from .models import ApiToken

TOKEN_PREFIX = "wsla_"  # noqa: S105 (the public start of every token, not a secret)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def token_by_secret(secret: str) -> ApiToken | None:
    """The token whose hash matches ``secret`` (any state; the caller checks it).

    The lookup is on the SHA-256 of the secret, so no comparison ever runs on the secret itself
    (nothing to learn from timing)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    return (
        ApiToken.objects.select_related("user", "aanbieder")
        .filter(key_hash=hash_secret(secret))
        .first()
    )


def manages_all_tokens(user: Any) -> bool:
    return has_capability(user, Capability.MANAGE_USERS)


def tokens_visible_to(user: Any) -> QuerySet[ApiToken]:
    qs = ApiToken.objects.select_related("user", "aanbieder", "created_by", "revoked_by")
    if manages_all_tokens(user):
        return qs
    if has_capability(user, Capability.SUBMIT_REPORTS) and getattr(user, "aanbieder_id", None):
        return qs.filter(aanbieder_id=user.aanbieder_id)
    return qs.none()


def token_get(*, user: Any, pk: int) -> ApiToken | None:
    return tokens_visible_to(user).filter(pk=pk).first()
