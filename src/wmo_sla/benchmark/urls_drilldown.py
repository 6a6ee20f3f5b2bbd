# SPDX-License-Identifier: EUPL-1.2
"""URLs of the drill-down from a figure to trajectories and messages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
