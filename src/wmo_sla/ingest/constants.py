# SPDX-License-Identifier: EUPL-1.2
from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchSource(models.TextChoices):
    CLI = "cli", _("Opdrachtregel")
    UPLOAD = "upload", _("Upload in de webapplicatie")
    API = "api", _("REST-API")
    DEMO = "demo", _("Demo")


class BatchStatus(models.TextChoices):
    QUEUED = "wachtrij", _("In de wachtrij")
    RUNNING = "bezig", _("Bezig")
    COMPLETED = "klaar", _("Klaar")
    FAILED = "mislukt", _("Mislukt")


# Allowed status changes of a batch (append-only history in IngestBatchEvent).
BATCH_TRANSITIONS: dict[str, frozenset[str]] = {
    BatchStatus.QUEUED: frozenset({BatchStatus.RUNNING, BatchStatus.FAILED}),
    BatchStatus.RUNNING: frozenset({BatchStatus.COMPLETED, BatchStatus.FAILED}),
    BatchStatus.COMPLETED: frozenset(),
    BatchStatus.FAILED: frozenset(),
}


class AanleveringKind(models.TextChoices):
    START = "start", _("Start zorg (WMO305)")
    STOP = "stop", _("Stop zorg (WMO307)")
