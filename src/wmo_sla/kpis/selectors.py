# SPDX-License-Identifier: EUPL-1.2
"""Reads for KPI runs, figures, norms and survey results."""

from __future__ import annotations

import hashlib
import tempfile
from typing import Any

from django.db import connection
from django.db.models import QuerySet

import polars as pl

from wmo_sla.contracts.constants import NormStatus
from wmo_sla.contracts.models import Norm
from wmo_sla.engine.frames import FACT_SCHEMAS
from wmo_sla.engine.state import FactFrames

from .models import ComputationRun, Figure, RunStatus, SurveyImport, SurveyResponse


def latest_run() -> ComputationRun | None:
    return (
        ComputationRun.objects.filter(status=RunStatus.COMPLETED)
        .order_by("-created_at", "-id")
        .first()
    )


def figures_of(*, run: ComputationRun) -> QuerySet[Figure]:
    return Figure.objects.filter(run=run)


def norms_frame() -> pl.DataFrame:
    """The norms in force: only ``vastgesteld`` ones reach the computation (proposals never do)."""
    rows = list(
        Norm.objects.filter(status=NormStatus.APPROVED).values_list(
            "kpi_code", "referentiegroep__code", "year", "value", "direction", "kind"
        )
    )
    return pl.DataFrame(
        [(k, r, y, float(v), d, kind) for k, r, y, v, d, kind in rows],
        schema={
            "kpi": pl.Utf8,
            "referentiegroep": pl.Utf8,
            "year": pl.Int32,
            "norm": pl.Float64,
            "direction": pl.Utf8,
            "norm_kind": pl.Utf8,
        },
        orient="row",
    )


def survey_fingerprint() -> str:
    digest = hashlib.sha256()
    for sha in SurveyImport.objects.order_by("sha256").values_list("sha256", flat=True):
        digest.update(sha.encode())
    return digest.hexdigest()


def survey_responses_frame() -> pl.DataFrame:
    rows = list(SurveyResponse.objects.values_list("aanbieder_agb", "period", "score", "gemeente"))
    return pl.DataFrame(
        rows,
        schema={
            "aanbieder_agb": pl.Utf8,
            "period": pl.Utf8,
            "score": pl.Int64,
            "gemeente": pl.Utf8,
        },
        orient="row",
    )


# --- the stored facts as columnar frames (a run's input) ---------------------------------------

#: Rows per fetch from SQLite: only one chunk exists as Python objects at a time.
_FETCH_ROWS = 200_000


def fact_frames() -> FactFrames:
    """All stored facts as Polars frames: the same columns, dtypes and rows (in id order) as
    ``wmo_sla.ingest.selectors.fact_frames()``, read set-based for the KPI run.

    Through the columnar copy of :mod:`wmo_sla.kpis.fact_cache` when it is enabled (ADR 0012):
    only rows added since the copy was written are read from the database. Otherwise, or when the
    copy cannot be trusted, everything is read from the database (:func:`fact_table`).
    """
    from .fact_cache import cached_fact_frames

    cached = cached_fact_frames()
    if cached is not None:
        return cached
    return FactFrames(
        **{
            name: fact_table(table, FACT_SCHEMAS[name]).drop("id")
            for name, table in fact_tables().items()
        }
    )


def fact_tables() -> dict[str, str]:
    """Fact frame name → database table."""
    from wmo_sla.ingest.models import (
        AanleveringFact,
        PrestatieAfwijzingFact,
        PrestatieFact,
        RawMessage,
        RetourFact,
        ToewijzingFact,
    )

    return {
        "messages": RawMessage._meta.db_table,
        "toewijzingen": ToewijzingFact._meta.db_table,
        "aanleveringen": AanleveringFact._meta.db_table,
        "prestaties": PrestatieFact._meta.db_table,
        "retours": RetourFact._meta.db_table,
        "prestatie_afwijzingen": PrestatieAfwijzingFact._meta.db_table,
    }


def fact_table(table: str, schema: dict[str, Any], *, after_id: int = 0) -> pl.DataFrame:
    """The rows of ``table`` with ``id > after_id`` in id order: ``id`` and the ``schema`` columns.

    One ``SELECT`` with only these columns. SQLite: dates and times are selected as their stored
    ISO text (no Python ``date`` per value) and parsed by Polars in one expression per column;
    each fetched chunk becomes columns. PostgreSQL: ``COPY (SELECT …) TO STDOUT`` as CSV, parsed
    by Polars. See docs/benchmarks.md § KPI computation.
    """
    read = _copy_frame if connection.vendor == "postgresql" else _fetch_frame
    return read(table, {"id": pl.Int64, **schema}, int(after_id))


def _as_text(dtype: Any) -> bool:
    return dtype in (pl.Date, pl.Time, pl.Boolean)


def _parse_text_columns(frame: pl.DataFrame, schema: dict[str, Any]) -> pl.DataFrame:
    """Dates and times from ISO text, booleans from 0/1: the dtypes of ``schema``."""
    parsed = []
    for name, dtype in schema.items():
        if dtype == pl.Date:
            parsed.append(pl.col(name).str.to_date("%Y-%m-%d"))
        elif dtype == pl.Time:
            parsed.append(pl.col(name).str.to_time("%H:%M:%S%.f"))
        elif dtype == pl.Boolean:
            parsed.append(pl.col(name).cast(pl.Int8).cast(pl.Boolean))
    return frame.with_columns(parsed) if parsed else frame


def _fetch_frame(table: str, schema: dict[str, Any], after_id: int) -> pl.DataFrame:
    qn = connection.ops.quote_name
    # A CAST has no declared type, so the driver returns the stored text as is (no converter).
    exprs = [
        f"CAST({qn(c)} AS {'INTEGER' if t == pl.Boolean else 'TEXT'})" if _as_text(t) else qn(c)
        for c, t in schema.items()
    ]
    raw = {
        c: (pl.Utf8 if t in (pl.Date, pl.Time) else pl.Int8 if t == pl.Boolean else t)
        for c, t in schema.items()
    }
    # Identifiers come from the model definitions, never from input.
    sql = (
        f"SELECT {', '.join(exprs)} FROM {qn(table)} "  # noqa: S608
        f"WHERE {qn('id')} > %s ORDER BY {qn('id')}"
    )
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [after_id])
        while rows := cursor.fetchmany(_FETCH_ROWS):
            columns = zip(*rows, strict=True)
            chunks.append(
                pl.DataFrame(
                    [
                        pl.Series(c, values, dtype=raw[c])
                        for c, values in zip(raw, columns, strict=True)
                    ]
                )
            )
            del rows
    frame = pl.concat(chunks, rechunk=True) if chunks else pl.DataFrame(schema=raw)
    return _parse_text_columns(frame, schema)


def _copy_frame(table: str, schema: dict[str, Any], after_id: int) -> pl.DataFrame:
    qn = connection.ops.quote_name
    exprs = []
    for c, t in schema.items():
        if t == pl.Date:
            exprs.append(f"to_char({qn(c)}, 'YYYY-MM-DD')")
        elif t == pl.Time:
            exprs.append(f"{qn(c)}::text")
        elif t == pl.Boolean:
            exprs.append(f"{qn(c)}::int")
        else:
            exprs.append(qn(c))
    raw = {c: (pl.Utf8 if _as_text(t) else t) for c, t in schema.items()}
    # ``after_id`` is an int (fact_table); COPY takes no bound parameters.
    sql = (
        f"COPY (SELECT {', '.join(exprs)} FROM {qn(table)} "  # noqa: S608
        f"WHERE {qn('id')} > {int(after_id)} ORDER BY {qn('id')}) TO STDOUT WITH (FORMAT csv)"
    )
    # CSV keeps NULL (unquoted empty) apart from "" (quoted); spooled to a temporary file so the
    # text never exists twice in memory.
    with tempfile.TemporaryFile() as spool, connection.cursor() as cursor:
        with cursor.cursor.copy(sql) as copy:
            for block in copy:
                spool.write(block)
        if not spool.tell():
            return pl.DataFrame(schema=schema)
        spool.seek(0)
        frame = pl.read_csv(spool, has_header=False, new_columns=list(raw), schema=raw)
    return _parse_text_columns(frame, {c: t for c, t in schema.items()})
