# SPDX-License-Identifier: EUPL-1.2
"""Accepting an uploaded file: check what it is, store it, and process it in the background."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import close_old_connections
from django.utils.translation import gettext as _

from .constants import BatchSource, BatchStatus
from .models import IngestBatch
from .services import batch_create, batch_transition, ingest_upload


class UploadRejected(Exception):
    """The file is not an XML message or a zip archive; nothing was stored."""


def _kind(head: bytes) -> str | None:
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return "xml"
    return None


def upload_accept(
    *, uploaded: UploadedFile, actor: Any, source: BatchSource = BatchSource.UPLOAD
) -> IngestBatch:
    """Store the upload under MEDIA_ROOT and start ingesting it. Raises UploadRejected."""
    if uploaded.size is not None and uploaded.size > settings.WMO_SLA_MAX_UPLOAD_BYTES:
        raise UploadRejected(_("Het bestand is groter dan toegestaan."))
    chunks = uploaded.chunks()
    first = next(chunks, b"")
    kind = _kind(first[:64])
    if kind is None:
        raise UploadRejected(
            _(
                "Dit bestand is geen XML-bericht en geen zip-archief. Lever iWmo-berichten aan "
                "als .xml of als .zip."
            )
        )
    directory = Path(settings.MEDIA_ROOT) / "uploads"
    directory.mkdir(parents=True, exist_ok=True)
    safe_name = Path(uploaded.name or "upload").name[:100]
    target = directory / f"{uuid.uuid4().hex}-{safe_name}"
    with target.open("wb") as handle:
        handle.write(first)
        for chunk in chunks:
            handle.write(chunk)
    batch = batch_create(source=source, label=safe_name, actor=actor)
    IngestBatch.objects.filter(pk=batch.pk).update(upload_path=str(target))
    if settings.WMO_SLA_INGEST_IN_BACKGROUND:
        threading.Thread(
            target=_process,
            args=(batch.pk, safe_name, target),
            daemon=True,
            name=f"ingest-{batch.pk}",
        ).start()
    else:
        _process(batch.pk, safe_name, target)
    return batch


def _process(batch_id: int, name: str, path: Path) -> None:
    try:
        batch = IngestBatch.objects.get(pk=batch_id)
        try:
            ingest_upload(name=name, data_path=path, source=BatchSource.UPLOAD, batch=batch)
        except Exception as exc:
            batch.refresh_from_db()
            if batch.status in (BatchStatus.QUEUED, BatchStatus.RUNNING):
                batch_transition(
                    batch=batch, to=BatchStatus.FAILED, note=f"{type(exc).__name__}: {exc}"
                )
        finally:
            path.unlink(missing_ok=True)
    finally:
        if threading.current_thread() is not threading.main_thread():
            close_old_connections()
