# SPDX-License-Identifier: EUPL-1.2
"""The one function that writes the audit log."""

from __future__ import annotations

import logging
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from .constants import AuditAction
from .models import AuditEvent

logger = logging.getLogger(__name__)


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return str(value)


def audit_log(
    *,
    action: AuditAction,
    actor: Any = None,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. ``changes`` maps a field to ``[old, new]``.

    Pass either ``obj`` or the object fields. Never pass a BSN or other client identity: use the
    pseudonymised client key.
    """
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    event = AuditEvent.objects.create(
        timestamp=timezone.now(),
        actor=actor,
        actor_repr=(
            actor.get_username() if actor is not None else (extra or {}).get("username", "")
        )[:200],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        changes=_jsonable(changes or {}),
        extra=_jsonable(extra or {}),
        ip_address=_client_ip(request),
    )
    logger.debug("audit %s %s %s:%s", event.action, event.actor_repr, object_type, object_id)
    return event


def model_changes(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> dict[str, list[Any]]:
    """Diff two field snapshots into ``{field: [old, new]}`` for the fields that differ."""
    before = before or {}
    after = after or {}
    keys = sorted(set(before) | set(after))
    return {
        key: [_jsonable(before.get(key)), _jsonable(after.get(key))]
        for key in keys
        if _jsonable(before.get(key)) != _jsonable(after.get(key))
    }


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of a model instance, many-to-many included, for diffs."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        data[field.attname] = _jsonable(getattr(obj, field.attname))
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            data[m2m.name] = sorted(
                str(pk) for pk in getattr(obj, m2m.name).values_list("pk", flat=True)
            )
    return data
