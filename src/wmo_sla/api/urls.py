# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from drf_spectacular.views import SpectacularAPIView

from . import ingest_views, reporting_views, views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("me/", views.MeView.as_view(), name="me"),
    path("gemeenten/", views.GemeenteListView.as_view(), name="gemeente_list"),
    path("aanbieders/", views.AanbiederListView.as_view(), name="aanbieder_list"),
    path("aanbieders/<int:pk>/", views.AanbiederDetailView.as_view(), name="aanbieder_detail"),
    path(
        "referentiegroepen/", views.ReferentiegroepListView.as_view(), name="referentiegroep_list"
    ),
    path("contracten/", views.ContractListView.as_view(), name="contract_list"),
    path("contracten/<str:code>/", views.ContractDetailView.as_view(), name="contract_detail"),
    path("normen/", views.NormListView.as_view(), name="norm_list"),
    path("ingest/", ingest_views.IngestView.as_view(), name="ingest"),
    path("ingest/<int:pk>/", ingest_views.IngestBatchView.as_view(), name="ingest_batch"),
    # Reporting API for aanbieders' systems (docs/reporting.md, "API voor aanbieders").
    path("rapportages/", reporting_views.ReportListView.as_view(), name="reporting_list"),
    path(
        "rapportages/ontvangstbevestigingen/<str:kenmerk>/",
        reporting_views.ReceiptByReferenceView.as_view(),
        name="reporting_receipt",
    ),
    path(
        "rapportages/<int:verplichting_id>/<str:periode>/",
        reporting_views.ReportDetailView.as_view(),
        name="reporting_detail",
    ),
    path(
        "rapportages/<int:verplichting_id>/<str:periode>/concept/",
        reporting_views.ReportDraftView.as_view(),
        name="reporting_draft",
    ),
    path(
        "rapportages/<int:verplichting_id>/<str:periode>/bestand/",
        reporting_views.ReportUploadView.as_view(),
        name="reporting_upload",
    ),
    path(
        "rapportages/<int:verplichting_id>/<str:periode>/controleren/",
        reporting_views.ReportValidateView.as_view(),
        name="reporting_validate",
    ),
    path(
        "rapportages/<int:verplichting_id>/<str:periode>/indienen/",
        reporting_views.ReportSubmitView.as_view(),
        name="reporting_submit",
    ),
    path(
        "rapportages/<int:verplichting_id>/<str:periode>/ontvangstbevestiging/",
        reporting_views.ReportReceiptView.as_view(),
        name="reporting_last_receipt",
    ),
]
