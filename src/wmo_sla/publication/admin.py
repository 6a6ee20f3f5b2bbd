# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Publication


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Read-only here: changes go through the publication page (audit-logged)."""

    list_display = ["contract", "enabled", "updated_at", "updated_by"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
