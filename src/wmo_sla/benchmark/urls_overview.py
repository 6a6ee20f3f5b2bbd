# SPDX-License-Identifier: EUPL-1.2
"""URLs of the overzicht, funnel per KPI, exports."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
