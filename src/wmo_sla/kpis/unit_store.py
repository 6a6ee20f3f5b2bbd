# SPDX-License-Identifier: EUPL-1.2
"""Store and read what a run's figures came from: per aanbieder, per kind, as Parquet (ADR 0010).

Writing is one INSERT per (aanbieder × kind) — a few hundred rows even at national scale — inside
the run's transaction. Reading loads only the partitions of one aanbieder, so a reader can never
pick up another aanbieder's units by accident: the aanbieder is part of the key.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.db import connection

import polars as pl

from .models import ComputationRun, RunUnitFrame

_COLUMNS = ["run_id", "aanbieder_agb", "kind", "rows", "data"]


def _parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd", statistics=False)
    return buffer.getvalue()


def canonical_order(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows in one order whatever order the engine produced them in (so two runs of the same
    input store the same partitions): by aanbieder and trajectory, then by every other column
    that can be sorted."""
    keys = [c for c in ("aanbieder_agb", "trajectory_id") if c in frame.columns]
    rest = [
        c
        for c, dtype in frame.schema.items()
        if c not in keys and not isinstance(dtype, pl.List | pl.Array | pl.Struct | pl.Object)
    ]
    return frame.sort([*keys, *rest], nulls_last=True, maintain_order=True)


def store_unit_frames(*, run: ComputationRun, units: dict[str, pl.DataFrame]) -> int:
    """Write ``units`` (kind → whole-run frame with ``aanbieder_agb``) partitioned per aanbieder.

    Every aanbieder that has units of any kind gets a partition of every kind (an empty one where
    it has no such units), so a reader can tell "no units of this kind" (an empty partition) from
    "this run predates this kind" (no partition of the kind at all). Call inside the run's
    transaction. Returns the number of partitions written.
    """
    agbs = sorted(
        {
            str(agb)
            for frame in units.values()
            if "aanbieder_agb" in frame.columns
            for agb in frame["aanbieder_agb"].drop_nulls().unique().to_list()
        }
    )
    rows: list[tuple[int, str, str, int, bytes]] = []
    for kind, frame in units.items():
        ordered = canonical_order(frame)
        parts = {
            str(agb): part
            for (agb,), part in ordered.partition_by(
                "aanbieder_agb", as_dict=True, maintain_order=True
            ).items()
            if agb is not None
        }
        for agb in agbs:
            part = parts.get(agb, frame.clear())
            rows.append((run.pk, agb, kind, part.height, _parquet(part)))
    if not rows:
        return 0
    qn = connection.ops.quote_name
    table = qn(RunUnitFrame._meta.db_table)
    names = ", ".join(qn(c) for c in _COLUMNS)
    marks = ", ".join(["%s"] * len(_COLUMNS))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - identifiers are ours
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 200):
            cursor.executemany(sql, rows[start : start + 200])
    return len(rows)


def unit_frames_of(
    *, run: ComputationRun, aanbieder_agb: str, kinds: Iterable[str]
) -> dict[str, pl.DataFrame] | None:
    """The stored frames of one aanbieder in ``run`` (an absent kind: an empty frame).

    None when the run stored no units at all (a run from before the drill-down existed), or none
    of a wanted kind (a run from before that kind was stored, e.g. K3/K4, K10oe).
    """
    stored = RunUnitFrame.objects.filter(run=run)
    wanted = list(kinds)
    present = set(stored.filter(kind__in=wanted).values_list("kind", flat=True).distinct())
    if not wanted or present != set(wanted):
        return None
    found = {
        kind: pl.read_parquet(io.BytesIO(bytes(data)))
        for kind, data in stored.filter(aanbieder_agb=aanbieder_agb, kind__in=wanted).values_list(
            "kind", "data"
        )
    }
    return {kind: found.get(kind, _empty(run, kind)) for kind in wanted}


def _empty(run: ComputationRun, kind: str) -> pl.DataFrame:
    """An empty frame with the columns of ``kind`` (taken from any aanbieder's partition)."""
    other = RunUnitFrame.objects.filter(run=run, kind=kind).values_list("data", flat=True).first()
    if other is None:
        return pl.DataFrame(schema={"aanbieder_agb": pl.Utf8, "gemeente": pl.Utf8})
    return pl.read_parquet(io.BytesIO(bytes(other)), n_rows=0)
