# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from . import views

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
]
