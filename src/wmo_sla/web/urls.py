# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from . import views, views_norms

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("contracten/", views.contract_list, name="contract_list"),
    path("contracten/<str:code>/", views.contract_detail, name="contract_detail"),
    path("aanbieders/", views.aanbieder_list, name="aanbieder_list"),
    path("aanbieders/<int:pk>/", views.aanbieder_detail, name="aanbieder_detail"),
    path("mijn-organisatie/", views.own_aanbieder, name="own_aanbieder"),
    path("kpis/definities/", views.kpi_definitions, name="kpi_definitions"),
    path("toegankelijkheid/", views.accessibility_statement, name="accessibility"),
    path("normen/", views_norms.norms_overview, name="norms_overview"),
    path(
        "normen/voorstellen/<int:pk>/",
        views_norms.norm_proposal_detail,
        name="norm_proposal_detail",
    ),
    path(
        "normen/voorstellen/<int:pk>/vaststellen/",
        views_norms.norm_proposal_approve,
        name="norm_proposal_approve",
    ),
    path(
        "normen/voorstellen/<int:pk>/afwijzen/",
        views_norms.norm_proposal_reject,
        name="norm_proposal_reject",
    ),
]
