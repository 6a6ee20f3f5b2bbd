# SPDX-License-Identifier: EUPL-1.2
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchmarkConfig(AppConfig):
    name = "wmo_sla.benchmark"
    label = "benchmark"
    verbose_name = _("Vergelijking en profielen")
