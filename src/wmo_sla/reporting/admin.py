# SPDX-License-Identifier: EUPL-1.2
"""The reporting models in the admin, for the functioneel beheerder: read-only.

Every write has rules (due rules, transitions, immutable submitted versions, exemptions only for
aanbieders of the contract) and an audit trail in ``services.py``; the admin would bypass both.
Obligations and exemptions are managed on the municipality's pages (``/rapportages/``), reports
change only through the aanbieder's and the reviewer's pages or the API.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wmo_sla.core.admin_mixins import RolePermissionMixin

from .models import (
    Exemption,
    Report,
    ReportEvent,
    ReportingObligation,
    ReportReminder,
    ReportVersion,
)


class _ReadOnly(RolePermissionMixin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ReportingObligation)
class ReportingObligationAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["contract", "kind", "period_type", "first_period", "last_period", "due_rule"]
    list_filter = ["kind", "period_type", "contract"]


@admin.register(Exemption)
class ExemptionAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["obligation", "aanbieder", "start_date", "end_date", "revoked_at"]
    list_filter = ["obligation__kind"]
    search_fields = ["aanbieder__name", "reason"]


class ReportVersionInline(_ReadOnly, admin.TabularInline):
    model = ReportVersion
    extra = 0
    fields = readonly_fields = (
        "number",
        "saved_at",
        "submitted_at",
        "reference",
        "attachment_name",
    )


class ReportEventInline(_ReadOnly, admin.TabularInline):
    model = ReportEvent
    extra = 0
    fields = readonly_fields = ("timestamp", "actor", "from_status", "to_status", "version", "note")


@admin.register(Report)
class ReportAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["obligation", "aanbieder", "period", "status", "first_submitted_at"]
    list_filter = ["status", "obligation__kind", "period"]
    search_fields = ["aanbieder__name", "versions__reference"]
    inlines = [ReportVersionInline, ReportEventInline]


@admin.register(ReportVersion)
class ReportVersionAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["report", "number", "saved_at", "submitted_at", "reference"]
    search_fields = ["reference"]
    exclude = ["attachment"]  # the file as received: download it on the report's review page


@admin.register(ReportReminder)
class ReportReminderAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["obligation", "aanbieder", "period", "kind", "due_date", "sent_at"]
    list_filter = ["kind"]
