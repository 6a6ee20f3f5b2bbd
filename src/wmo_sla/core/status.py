# SPDX-License-Identifier: EUPL-1.2
"""Status changes with an append-only history and an audit event, for any model with ``status``.

The one way an app moves an object between statuses: check the allowed-transition map
(:func:`wmo_sla.core.transitions.check_transition`), save the status, append a row to its
:class:`wmo_sla.core.models.StatusEvent` history and write the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Set
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.services import audit_log

from .models import StatusEvent
from .transitions import check_transition


def record_first_status(
    obj: Any,
    *,
    history: type[StatusEvent],
    actor: Any,
    request: HttpRequest | None,
    event: str,
    timestamp: dt.datetime,
    audit_extra: Mapping[str, Any] | None = None,
) -> None:
    """The history and audit log of a newly created ``obj``: its first status (no previous one)."""
    row: dict[str, Any] = {history.parent_field: obj, "to_status": obj.status}
    history._default_manager.create(**row, actor=actor, timestamp=timestamp)
    audit_log(
        action=AuditAction.CREATE,
        actor=actor,
        request=request,
        obj=obj,
        extra={"event": event, **(audit_extra or {})},
    )


def record_status_change(
    obj: Any,
    to: str,
    *,
    transitions: Mapping[str, Set[str]],
    history: type[StatusEvent],
    actor: Any,
    request: HttpRequest | None,
    event: str,
    stamp: str | None = None,
    history_fields: Mapping[str, Any] | None = None,
    audit_extra: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Move ``obj`` to status ``to`` if ``transitions`` allows it (else ``InvalidTransition``).

    Saves the status (and the moment of the change in the datetime field ``stamp``, if given),
    appends a history row with ``history_fields`` and writes an audit event named ``event``.
    ``at`` (default now) is the moment recorded in ``stamp`` and the history row, for replaying
    history (the demo); the audit event always keeps the real time.
    """
    current = obj.status
    check_transition(transitions, current, to)
    now = at if at is not None else timezone.now()
    obj.status = to
    fields = ["status"]
    if stamp is not None:
        setattr(obj, stamp, now)
        fields.append(stamp)
    obj.save(update_fields=fields)
    row: dict[str, Any] = {
        history.parent_field: obj,
        **(history_fields or {}),
        "from_status": current,
        "to_status": to,
    }
    history._default_manager.create(**row, actor=actor, timestamp=now)
    audit_log(
        action=AuditAction.UPDATE,
        actor=actor,
        request=request,
        obj=obj,
        changes={"status": [current, to]},
        extra={"event": event, **(audit_extra or {})},
    )
