# SPDX-License-Identifier: EUPL-1.2
from django.urls import URLPattern, path

from . import views

app_name = "publication"

urlpatterns: list[URLPattern] = [
    path("", views.public_index, name="index"),
    path("beheer/", views.manage_list, name="manage_list"),
    path("beheer/<str:code>/", views.manage_contract, name="manage_contract"),
    path("<str:code>/", views.public_contract, name="contract"),
]
