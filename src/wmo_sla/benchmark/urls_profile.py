# SPDX-License-Identifier: EUPL-1.2
"""URLs of the aanbieder-profiel and the provider portal."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
