# SPDX-License-Identifier: EUPL-1.2
"""Reads of ingest state: batches, quarantine, unknown parties."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.contracts.models import AgbCode, Gemeente

from .models import IngestBatch, QuarantinedMessage, RawMessage

# Message types sent by the gemeente: afzender is the gemeente, ontvanger the aanbieder.
GEMEENTE_SENDS = ("WMO301", "WMO319", "WMO302", "WMO306", "WMO308", "WMO325")


@dataclass(frozen=True)
class UnknownParty:
    kind: str  # "aanbieder" or "gemeente"
    code: str
    messages: int


def unknown_parties(*, batch_id: int | None = None) -> list[UnknownParty]:
    """AGB codes and CBS codes in the traffic that the contract definition does not know yet."""
    qs = RawMessage.objects.all()
    if batch_id is not None:
        qs = qs.filter(batch_id=batch_id)
    agb_counts: dict[str, int] = {}
    gem_counts: dict[str, int] = {}
    rows = qs.values("message_type", "afzender", "ontvanger").annotate(n=Count("id"))
    for row in rows:
        if row["message_type"] in GEMEENTE_SENDS:
            gemeente, agb = row["afzender"], row["ontvanger"]
        else:
            gemeente, agb = row["ontvanger"], row["afzender"]
        agb_counts[agb] = agb_counts.get(agb, 0) + row["n"]
        gem_counts[gemeente] = gem_counts.get(gemeente, 0) + row["n"]
    known_agb = set(AgbCode.objects.filter(code__in=agb_counts).values_list("code", flat=True))
    known_gem = set(
        Gemeente.objects.filter(cbs_code__in=gem_counts).values_list("cbs_code", flat=True)
    )
    result = [
        UnknownParty("aanbieder", code, n)
        for code, n in sorted(agb_counts.items())
        if code not in known_agb
    ]
    result += [
        UnknownParty("gemeente", code, n)
        for code, n in sorted(gem_counts.items())
        if code not in known_gem
    ]
    return result


def batches_visible_to(user: Any) -> QuerySet[IngestBatch]:
    if not has_capability(user, Capability.INGEST):
        return IngestBatch.objects.none()
    return IngestBatch.objects.select_related("actor").order_by("-created_at", "-id")


def batch_get(*, user: Any, pk: int) -> IngestBatch | None:
    return batches_visible_to(user).filter(pk=pk).first()


def quarantine_of_batch(*, batch: IngestBatch) -> QuerySet[QuarantinedMessage]:
    return QuarantinedMessage.objects.filter(batch=batch).order_by("file_name")


# --- facts as columnar frames for the engine -----------------------------------------------


def _frame(model: Any, columns: dict[str, Any]) -> Any:
    from django.db import connection

    import polars as pl

    qn = connection.ops.quote_name
    # Identifiers come from the model definitions, never from input.
    sql = f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(model._meta.db_table)}"  # noqa: S608
    # In chunks: only one chunk of rows exists as Python objects at a time (national scale:
    # millions of rows; see docs/benchmarks.md § KPI computation).
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(_FETCH_ROWS):
            chunks.append(pl.DataFrame(rows, schema=columns, orient="row"))
    if not chunks:
        return pl.DataFrame(schema=columns)
    return pl.concat(chunks, rechunk=True)


_FETCH_ROWS = 100_000


def fact_frames() -> Any:
    """All stored facts as Polars frames (``wmo_sla.engine.state.FactFrames``), with the same
    columns and dtypes as the database-free ``wmo_sla.engine.frames.fact_frames_from_messages``."""
    from wmo_sla.engine.frames import FACT_SCHEMAS
    from wmo_sla.engine.state import FactFrames

    from .models import (
        AanleveringFact,
        PrestatieAfwijzingFact,
        PrestatieFact,
        RetourFact,
        ToewijzingFact,
    )

    tables = {
        "messages": RawMessage,
        "toewijzingen": ToewijzingFact,
        "aanleveringen": AanleveringFact,
        "prestaties": PrestatieFact,
        "retours": RetourFact,
        "prestatie_afwijzingen": PrestatieAfwijzingFact,
    }
    return FactFrames(**{name: _frame(model, FACT_SCHEMAS[name]) for name, model in tables.items()})
