# SPDX-License-Identifier: EUPL-1.2
"""Ingest of iWmo traffic: read sources, parse (pure), store in chunks, report.

Bad input never stops good input: a rejected message goes to the quarantine with its reasons and
the rest of the batch continues. Everything is idempotent (a message is identified by the SHA-256 of
its bytes), so re-running an ingest, in any order, gives the same state.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.services import audit_log
from wmo_sla.core.transitions import check_transition

from .constants import BATCH_TRANSITIONS, BatchSource, BatchStatus
from .iwmo import ParsedMessage, Problem, Pseudonymizer, RejectedMessage, SchemaSet, parse_message
from .models import IngestBatch, IngestBatchEvent
from .sources import SourceItem, count_candidates, iter_paths, iter_zip, load
from .writer import CHUNK_SIZE, REPORT_LIMIT, PreparedMessage, Rejection, write_chunk

ProgressCallback = Callable[[int, int | None], None]


@dataclass
class IngestReport:
    batch_id: int
    files: int = 0
    messages: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    unknown_aanbieders: list[str] = field(default_factory=list)
    unknown_gemeenten: list[str] = field(default_factory=list)
    report_path: Path | None = None

    @property
    def ok(self) -> bool:
        return self.rejected == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "batch": self.batch_id,
            "files": self.files,
            "messages": self.messages,
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "unknown_aanbieders": self.unknown_aanbieders,
            "unknown_gemeenten": self.unknown_gemeenten,
            "rejections": [
                {
                    "file": r.file_name,
                    "message_type": r.message_type,
                    "identificatie": r.identificatie,
                    "problems": r.problems,
                }
                for r in self.rejections
            ],
        }


# --- configuration ------------------------------------------------------------------------


def pseudonymizer() -> Pseudonymizer:
    return _pseudonymizer(settings.WMO_SLA_PSEUDONYM_KEY)


@lru_cache(maxsize=4)
def _pseudonymizer(key: str) -> Pseudonymizer:
    return Pseudonymizer(key.encode("utf-8"))


def schema_set() -> SchemaSet | None:
    directory = settings.WMO_SLA_XSD_DIR
    return _schema_set(str(directory)) if directory else None


@lru_cache(maxsize=4)
def _schema_set(directory: str) -> SchemaSet:
    return SchemaSet.from_directory(Path(directory))


# --- batches ------------------------------------------------------------------------------


def batch_create(*, source: BatchSource, label: str = "", actor: Any = None) -> IngestBatch:
    now = timezone.now()
    batch = IngestBatch.objects.create(
        source=source,
        label=label[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=now,
        status=BatchStatus.QUEUED,
    )
    IngestBatchEvent.objects.create(batch=batch, timestamp=now, to_status=BatchStatus.QUEUED)
    return batch


def batch_transition(*, batch: IngestBatch, to: BatchStatus, note: str = "") -> None:
    """The only way a batch changes status; the history is append-only."""
    check_transition(BATCH_TRANSITIONS, batch.status, to)
    now = timezone.now()
    with transaction.atomic():
        IngestBatchEvent.objects.create(
            batch=batch, timestamp=now, from_status=batch.status, to_status=to, note=note[:500]
        )
        batch.status = to
        fields = ["status"]
        if to == BatchStatus.RUNNING:
            batch.started_at = now
            fields.append("started_at")
        if to in (BatchStatus.COMPLETED, BatchStatus.FAILED):
            batch.finished_at = now
            fields.append("finished_at")
        if to == BatchStatus.FAILED:
            batch.error = note
            fields.append("error")
        batch.save(update_fields=fields)


# --- the pipeline -------------------------------------------------------------------------


def _parse_items(
    items: Iterable[SourceItem],
) -> Iterator[
    tuple[str, ParsedMessage | PreparedMessage | RejectedMessage | None, SourceItem | None]
]:
    """(name, parse result, the item itself when it could not be read: result None)."""
    workers = settings.WMO_SLA_INGEST_WORKERS
    if workers > 1:
        from .parallel import parse_in_workers

        directory = settings.WMO_SLA_XSD_DIR
        yield from parse_in_workers(
            items,
            key=settings.WMO_SLA_PSEUDONYM_KEY.encode("utf-8"),
            xsd_dir=str(directory) if directory else None,
            workers=workers,
        )
        return
    pseudo = pseudonymizer()
    schemas = schema_set()
    for item in items:
        item = load(item)
        if item.data is None:
            yield item.name, None, item
            continue
        yield item.name, parse_message(item.data, pseudonymizer=pseudo, schemas=schemas), item


def _source_rejection(item: SourceItem) -> RejectedMessage:
    import hashlib

    return RejectedMessage(
        sha256=hashlib.sha256(f"source-error:{item.name}".encode()).hexdigest(),
        size=0,
        header=None,
        problems=(Problem(rule="BESTAND", path="", message=item.error or "onleesbaar"),),
        stored_xml=None,
    )


def run_batch(
    *,
    batch: IngestBatch,
    items: Iterable[SourceItem],
    total: int | None = None,
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Parse and store ``items`` into ``batch``; returns the report. Writes the report file."""
    report = IngestReport(batch_id=batch.pk)
    batch_transition(batch=batch, to=BatchStatus.RUNNING)
    if total is not None:
        IngestBatch.objects.filter(pk=batch.pk).update(messages_total=total)
    chunk: list[tuple[str, ParsedMessage | PreparedMessage | RejectedMessage]] = []
    chunk_size = getattr(settings, "WMO_SLA_INGEST_CHUNK_SIZE", None) or CHUNK_SIZE
    try:
        for name, result, item in _parse_items(items):
            report.files += 1
            report.messages += 1
            if result is None:
                assert item is not None
                chunk.append((name, _source_rejection(item)))
            else:
                chunk.append((name, result))
            if len(chunk) >= chunk_size:
                _flush(batch, chunk, report)
                chunk = []
                if progress:
                    progress(report.messages, total)
        if chunk:
            _flush(batch, chunk, report)
        if progress:
            progress(report.messages, total)
    except Exception as exc:
        batch_transition(batch=batch, to=BatchStatus.FAILED, note=f"{type(exc).__name__}: {exc}")
        raise
    report.unknown_aanbieders, report.unknown_gemeenten = _unknown_parties_of(batch)
    report.report_path = _write_report_file(report)
    batch_transition(batch=batch, to=BatchStatus.COMPLETED)
    audit_log(
        action=AuditAction.INGEST,
        actor=batch.actor,
        obj=batch,
        extra={
            "accepted": report.accepted,
            "duplicates": report.duplicates,
            "rejected": report.rejected,
        },
    )
    return report


def _flush(
    batch: IngestBatch,
    chunk: list[tuple[str, ParsedMessage | PreparedMessage | RejectedMessage]],
    report: IngestReport,
) -> None:
    result = write_chunk(batch=batch, items=chunk)
    report.accepted += result.accepted
    report.duplicates += result.duplicates
    report.rejected += result.rejected
    room = REPORT_LIMIT - len(report.rejections)
    if room > 0:
        report.rejections.extend(result.rejections[:room])
    IngestBatch.objects.filter(pk=batch.pk).update(
        files_seen=report.files,
        messages_seen=report.messages,
        accepted=report.accepted,
        duplicates=report.duplicates,
        rejected=report.rejected,
    )


def _unknown_parties_of(batch: IngestBatch) -> tuple[list[str], list[str]]:
    from .selectors import unknown_parties

    unknown = unknown_parties(batch_id=batch.pk)
    return [u.code for u in unknown if u.kind == "aanbieder"], [
        u.code for u in unknown if u.kind == "gemeente"
    ]


def _write_report_file(report: IngestReport) -> Path:
    directory = Path(settings.DATA_DIR) / "ingest-reports"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"batch-{report.batch_id}.json"
    path.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def ingest_paths(
    *,
    paths: list[Path],
    source: BatchSource = BatchSource.CLI,
    actor: Any = None,
    progress: ProgressCallback | None = None,
    label: str = "",
) -> IngestReport:
    """Ingest files, folders (recursive) and zip archives. Raises SourceError for a missing path."""
    for path in paths:
        if not path.exists():
            from .sources import SourceError

            raise SourceError(f"{path}: bestand of map bestaat niet")
    total = count_candidates(paths)
    batch = batch_create(
        source=source, label=label or ", ".join(str(p) for p in paths), actor=actor
    )
    return run_batch(batch=batch, items=iter_paths(paths), total=total, progress=progress)


def ingest_upload(
    *,
    name: str,
    data_path: Path,
    source: BatchSource,
    actor: Any = None,
    batch: IngestBatch | None = None,
) -> IngestReport:
    """Ingest one uploaded file (a single XML message or a zip archive) from disk."""
    if batch is None:
        batch = batch_create(source=source, label=name, actor=actor)
    with data_path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(b"PK"):
        total = count_candidates([data_path])

        def items() -> Iterator[SourceItem]:
            yield from iter_zip(data_path, name=name)

        return run_batch(batch=batch, items=items(), total=total)
    data = data_path.read_bytes()
    return run_batch(batch=batch, items=[SourceItem(name, data)], total=1)
