# SPDX-License-Identifier: EUPL-1.2
"""URLs of the aanbieder-profiel and the provider portal."""

from django.urls import URLPattern, path

from . import views_profile

urlpatterns: list[URLPattern] = [
    path("aanbieders/<int:pk>/profiel/", views_profile.profile, name="profile"),
    path("mijn-prestaties/", views_profile.portal, name="portal"),
]
