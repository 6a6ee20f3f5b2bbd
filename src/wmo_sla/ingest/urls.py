# SPDX-License-Identifier: EUPL-1.2
from django.urls import path

from . import views

app_name = "ingest"

urlpatterns = [
    path("inlezen/", views.upload_view, name="upload"),
    path("inlezen/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("inlezen/<int:pk>/status/", views.batch_status, name="batch_status"),
    path("inlezen/onbekende-partijen/", views.unknown_parties_view, name="unknown_parties"),
]
