# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "wmo_sla.reporting"
    label = "reporting"
    verbose_name = _("Rapportages van aanbieders")
