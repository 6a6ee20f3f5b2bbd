# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from . import views

app_name = "dialogue"

urlpatterns = [
    path("toelichtingen/", views.toelichting_list, name="toelichting_list"),
    path("toelichtingen/mijn-signalen/", views.mijn_signalen, name="mijn_signalen"),
    path(
        "toelichtingen/kengetal/<int:figure_id>/",
        views.toelichting_start,
        name="toelichting_start",
    ),
    path(
        "toelichtingen/<int:toelichting_id>/",
        views.toelichting_detail,
        name="toelichting_detail",
    ),
    path(
        "toelichtingen/<int:toelichting_id>/reactie/",
        views.toelichting_respond,
        name="toelichting_respond",
    ),
    path("voortgangsgesprekken/", views.gesprek_list, name="gesprek_list"),
    path("voortgangsgesprekken/nieuw/", views.gesprek_create, name="gesprek_create"),
    path("voortgangsgesprekken/<int:gesprek_id>/", views.gesprek_detail, name="gesprek_detail"),
    path(
        "voortgangsgesprekken/<int:gesprek_id>/gesprekspakket.pdf",
        views.gesprek_pdf,
        name="gesprek_pdf",
    ),
    path(
        "voortgangsgesprekken/<int:gesprek_id>/afspraken/",
        views.afspraak_create,
        name="afspraak_create",
    ),
    path("verbeterafspraken/", views.afspraak_list, name="afspraak_list"),
    path(
        "verbeterafspraken/<int:afspraak_id>/status/",
        views.afspraak_status,
        name="afspraak_status",
    ),
]
