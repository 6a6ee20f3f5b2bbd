# SPDX-License-Identifier: EUPL-1.2
from django.urls import URLPattern

app_name = "publication"

urlpatterns: list[URLPattern] = []
