# SPDX-License-Identifier: EUPL-1.2
"""The municipality's reporting pages (namespace ``reporting``, under ``/rapportages/``)."""

from django.urls import path

from . import views_review as views

urlpatterns = [
    path("", views.board, name="board"),
    path("overzicht.<str:fmt>", views.board_export, name="board_export"),
    path("rapport/<int:report_pk>/", views.report_detail, name="report_detail"),
    path("rapport/<int:report_pk>/accepteren/", views.accept, name="accept"),
    path("rapport/<int:report_pk>/terugsturen/", views.return_, name="return"),
    path(
        "rapport/<int:report_pk>/versie/<int:version_number>/bestand/",
        views.version_file,
        name="version_file",
    ),
    path("verplichtingen/", views.obligation_list, name="obligation_list"),
    path("verplichtingen/nieuw/", views.obligation_create, name="obligation_create"),
    path(
        "verplichtingen/<int:obligation_pk>/wijzigen/",
        views.obligation_edit,
        name="obligation_edit",
    ),
    path("vrijstellingen/", views.exemption_list, name="exemption_list"),
    path("vrijstellingen/nieuw/", views.exemption_create, name="exemption_create"),
    path(
        "vrijstellingen/<int:exemption_pk>/intrekken/",
        views.exemption_revoke,
        name="exemption_revoke",
    ),
]
