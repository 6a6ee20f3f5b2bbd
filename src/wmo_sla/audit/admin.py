# SPDX-License-Identifier: EUPL-1.2
from django.contrib import admin
from django.http import HttpRequest

from wmo_sla.accounts.roles import Capability, has_capability

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Readable by the functioneel beheerder; nobody can add, change or delete events."""

    list_display = ["timestamp", "actor_repr", "action", "object_type", "object_repr", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_repr", "object_repr", "object_id"]
    date_hierarchy = "timestamp"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.VIEW_AUDIT_LOG)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return has_capability(request.user, Capability.VIEW_AUDIT_LOG)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
