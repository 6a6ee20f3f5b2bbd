# SPDX-License-Identifier: EUPL-1.2
"""The page where aanbieders manage their API tokens, under ``/api-tokens/``."""

from django.urls import path

from . import web_views

app_name = "api_tokens"

urlpatterns = [
    path("", web_views.token_list, name="list"),
    path("<int:token_id>/intrekken/", web_views.token_revoke, name="revoke"),
]
