# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "wmo_sla.audit"
    label = "audit"
    verbose_name = _("Auditlog")
