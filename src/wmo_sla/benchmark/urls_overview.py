# SPDX-License-Identifier: EUPL-1.2
"""URLs of the overzicht, funnel per KPI, exports."""

from django.urls import URLPattern, path

from . import views_overview

urlpatterns: list[URLPattern] = [
    path("benchmark/", views_overview.overview_page, name="overview"),
    path(
        "benchmark/export.<str:fmt>",
        views_overview.overview_export,
        name="overview_export",
    ),
    path("benchmark/kpi/<str:kpi>/", views_overview.funnel_page, name="funnel"),
]
