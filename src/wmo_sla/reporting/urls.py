# SPDX-License-Identifier: EUPL-1.2
"""URLs of the reporting workflow, under ``/rapportages/``.

The aanbieder's pages (fill in, check, submit, receipt) live in ``urls_provider``; the
municipality's (status board, review, obligations, exemptions) in ``urls_review``.
"""

from django.urls import include, path

app_name = "reporting"

urlpatterns = [
    path("", include("wmo_sla.reporting.urls_provider")),
    path("", include("wmo_sla.reporting.urls_review")),
]
