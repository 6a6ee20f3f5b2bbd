# SPDX-License-Identifier: EUPL-1.2
"""A columnar (Parquet) copy of the stored facts, next to the database, for the KPI run (ADR 0011).

The database stays the source of truth; this is a cache that is checked against it on every read.
The fact tables are append-only (ingest inserts facts and never updates or deletes them; ids come
from AUTOINCREMENT / a sequence and are never reused once committed), so per table the copy
records how many rows it holds (``count``), the highest id (``max_id``) and the ``message_sha`` of
its first and last row. A read, in one snapshot of the database:

- checks that the table still has exactly ``count`` rows with ``id <= max_id`` and the same first
  and last row — then the copy holds exactly those rows, and only rows with ``id > max_id`` are
  read from the database (and added to the copy as a new part);
- otherwise (rows deleted, the database replaced, a part missing or unreadable, another schema)
  reads the whole table from the database and writes a fresh copy.

The result equals a read of the database in id order (``kpis.selectors.fact_table``).
Parts are immutable files with a unique name; the manifest is replaced atomically, so a
concurrent run sees either the old or the new manifest. The cache is skipped inside an outer
transaction (it could see rows that are later rolled back), for an in-memory database, and when
``settings.KPI_FACTS_CACHE`` is False.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction

import polars as pl

from wmo_sla.engine.frames import FACT_SCHEMAS
from wmo_sla.engine.state import FactFrames

logger = logging.getLogger(__name__)

VERSION = 1
MANIFEST = "manifest.json"


def cache_dir() -> Path | None:
    """Where the copy of this database lives, or None when the cache is off."""
    if not getattr(settings, "KPI_FACTS_CACHE", True):
        return None
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        if not name or name == ":memory:" or "mode=memory" in name:
            return None
        path = Path(name)
        return path.with_name(f"{path.name}-facts")
    host = str(db.get("HOST") or "local").replace("/", "_")
    return Path(settings.DATA_DIR) / "facts-cache" / f"{host}-{db.get('PORT') or ''}-{db['NAME']}"


def cached_fact_frames() -> FactFrames | None:
    """The facts through the copy (updated as needed), or None when the cache is not used."""
    directory = cache_dir()
    if directory is None or connection.in_atomic_block:
        return None
    from .selectors import fact_tables

    manifest = _read_manifest(directory)
    tables: dict[str, Any] = manifest.get("tables", {})
    frames: dict[str, pl.DataFrame] = {}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # one snapshot for the checks and the reads
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for name, table in fact_tables().items():
            frames[name], tables[name] = _table(directory, name, table, tables.get(name))
    try:
        _write_manifest(directory, {"version": VERSION, "tables": tables})
        _remove_unreferenced(directory, tables)
    except OSError:
        # the copy could not be written (e.g. a read-only directory): the run goes on with the
        # frames read from the database; the next run reads them from the database again
        logger.warning("Kopie van de feiten niet bijgewerkt in %s", directory, exc_info=True)
    return FactFrames(**frames)


def _schema_text(schema: dict[str, Any]) -> list[list[str]]:
    return [[name, str(dtype)] for name, dtype in schema.items()]


def _table(
    directory: Path, name: str, table: str, entry: dict[str, Any] | None
) -> tuple[pl.DataFrame, dict[str, Any]]:
    from .selectors import fact_table

    schema = FACT_SCHEMAS[name]
    if entry and entry.get("count") and entry.get("schema") == _schema_text(schema):
        kept = _kept_part(directory, table, schema, entry)
        if kept is not None:
            tail = fact_table(table, schema, after_id=entry["max_id"])
            if tail.is_empty():
                return kept, entry
            part = _write_part(directory, name, tail.drop("id"))
            entry = {
                **entry,
                "count": entry["count"] + tail.height,
                "max_id": int(tail["id"].max()),  # type: ignore[arg-type]
                "last": _probe(table, int(tail["id"].max())),  # type: ignore[arg-type]
                "parts": [*entry["parts"], part],
            }
            return pl.concat([kept, tail.drop("id")], rechunk=True), entry
    full = fact_table(table, schema)
    frame = full.drop("id")
    if full.is_empty():
        return frame, {"schema": _schema_text(schema), "count": 0, "max_id": 0, "parts": []}
    first_id, last_id = int(full["id"][0]), int(full["id"][-1])
    return frame, {
        "schema": _schema_text(schema),
        "count": full.height,
        "max_id": last_id,
        "first_id": first_id,
        "first": _probe(table, first_id),
        "last": _probe(table, last_id),
        "parts": [_write_part(directory, name, frame)],
    }


def _kept_part(
    directory: Path, table: str, schema: dict[str, Any], entry: dict[str, Any]
) -> pl.DataFrame | None:
    """The rows of the copy when the database still has exactly them (ids ≤ max_id), else None."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        # all rows (counted on the smallest index) minus the newer ones (an id range): cheaper
        # than a range count over the table itself, whose pages hold the stored messages
        cursor.execute(f"SELECT count(*) FROM {qn(table)}")  # noqa: S608 - our identifiers
        (total,) = cursor.fetchone()
        cursor.execute(
            f"SELECT count(*) FROM {qn(table)} WHERE {qn('id')} > %s",  # noqa: S608 - ours
            [entry["max_id"]],
        )
        (newer,) = cursor.fetchone()
    if total - newer != entry["count"]:
        return None
    if (
        _probe(table, entry["first_id"]) != entry["first"]
        or _probe(table, entry["max_id"]) != entry["last"]
    ):
        return None
    try:
        frame = pl.read_parquet([directory / part for part in entry["parts"]])
    except (OSError, pl.exceptions.PolarsError):
        return None
    if frame.height != entry["count"] or frame.schema != pl.Schema(schema):
        return None
    return frame


def _probe(table: str, row_id: int) -> str | None:
    """What identifies row ``row_id``: its message's sha256 (the message itself for messages)."""
    qn = connection.ops.quote_name
    column = "sha256" if table.endswith("rawmessage") else "message_sha"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn(column)} FROM {qn(table)} WHERE {qn('id')} = %s",  # noqa: S608 - ours
            [row_id],
        )
        row = cursor.fetchone()
    return None if row is None else str(row[0])


def _write_part(directory: Path, name: str, frame: pl.DataFrame) -> str:
    """Write ``frame`` as a new part; its name, or "" when it could not be written (the manifest
    is then not written either, see :func:`_write_manifest`)."""
    try:
        return _write_part_file(directory, name, frame)
    except OSError:
        logger.warning("Kopie van de feiten niet geschreven in %s", directory, exc_info=True)
        return ""


def _write_part_file(directory: Path, name: str, frame: pl.DataFrame) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    part = f"{name}-{uuid.uuid4().hex}.parquet"
    handle, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    os.close(handle)
    try:
        frame.write_parquet(tmp, compression="zstd")
        os.replace(tmp, directory / part)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return part


def _read_manifest(directory: Path) -> dict[str, Any]:
    try:
        data = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == VERSION else {}


def _write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    if any("" in entry.get("parts", []) for entry in manifest["tables"].values()):
        raise OSError("a part of the copy could not be written")
    directory.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    with os.fdopen(handle, "w") as out:
        json.dump(manifest, out, indent=1)
    os.replace(tmp, directory / MANIFEST)


def _remove_unreferenced(directory: Path, tables: dict[str, Any]) -> None:
    """Best effort: parts no manifest refers to any more (a concurrent reader that still uses
    one falls back to the database)."""
    used = {part for entry in tables.values() for part in entry.get("parts", [])}
    for path in directory.glob("*.parquet"):
        if path.name not in used:
            path.unlink(missing_ok=True)
