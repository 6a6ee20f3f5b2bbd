# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "wmo_sla.kpis"
    label = "kpis"
    verbose_name = _("KPI's")
