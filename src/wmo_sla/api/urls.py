# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from drf_spectacular.views import SpectacularAPIView

from . import ingest_views, views

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
]
