# SPDX-License-Identifier: EUPL-1.2
from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
