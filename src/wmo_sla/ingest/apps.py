# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IngestConfig(AppConfig):
    name = "wmo_sla.ingest"
    label = "ingest"
    verbose_name = _("Berichtenverkeer (iWmo)")
