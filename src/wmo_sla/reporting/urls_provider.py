# SPDX-License-Identifier: EUPL-1.2
"""The aanbieder's reporting pages (namespace ``reporting``, under ``/rapportages/``).

The receipt pages are shared: the own aanbieder and the municipality both see them.
"""

from django.urls import path

from . import views_provider as views

urlpatterns = [
    path("mijn/", views.mine, name="mine"),
    path("mijn/<int:obligation_pk>/<str:period>/", views.edit, name="edit"),
    path("mijn/<int:obligation_pk>/<str:period>/opslaan/", views.autosave, name="autosave"),
    path("mijn/<int:obligation_pk>/<str:period>/controleren/", views.check, name="check"),
    path("mijn/<int:obligation_pk>/<str:period>/indienen/", views.submit, name="submit"),
    path("ontvangst/<int:version_pk>/", views.receipt, name="receipt"),
    path("ontvangst/<int:version_pk>/pdf/", views.receipt_pdf, name="receipt_pdf"),
]
