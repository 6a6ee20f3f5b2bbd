# SPDX-License-Identifier: EUPL-1.2
import zlib

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from wmo_sla.accounts.roles import Capability
from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.services import audit_log
from wmo_sla.core.admin_mixins import RolePermissionMixin

from .models import IngestBatch, QuarantinedMessage, RawMessage


class _ReadOnlyAdmin(RolePermissionMixin, admin.ModelAdmin):
    view_capability = Capability.VIEW_QUARANTINE
    audit_views = False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if self.audit_views and response.status_code == 200:
            # Pseudonymised, but client-level: every view is audit-logged.
            audit_log(
                action=AuditAction.VIEW_CLIENT_DATA,
                request=request,
                object_type=self.model._meta.label_lower,
                object_id=str(object_id),
                extra={"via": "admin"},
            )
        return response

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(QuarantinedMessage)
class QuarantinedMessageAdmin(_ReadOnlyAdmin):
    """Rejected messages with their reasons, for the functioneel beheerder."""

    audit_views = True

    list_display = [
        "received_at",
        "file_name",
        "message_type",
        "afzender",
        "identificatie",
        "first_problem",
    ]
    list_filter = ["message_type"]
    search_fields = ["file_name", "afzender", "identificatie", "sha256"]
    fields = [
        "received_at",
        "batch",
        "file_name",
        "message_type",
        "afzender",
        "identificatie",
        "sha256",
        "size",
        "problem_list",
        "blanked_xml",
    ]
    readonly_fields = [
        "received_at",
        "batch",
        "file_name",
        "message_type",
        "afzender",
        "identificatie",
        "sha256",
        "size",
        "problem_list",
        "blanked_xml",
    ]

    @admin.display(description=_("eerste probleem"))
    def first_problem(self, obj: QuarantinedMessage) -> str:
        problems = obj.problems or []
        return f"[{problems[0]['rule']}] {problems[0]['message']}"[:200] if problems else ""

    @admin.display(description=_("problemen"))
    def problem_list(self, obj: QuarantinedMessage) -> str:
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><code>{}</code> {}: {}</li>",
                ((p["rule"], p["path"] or "–", p["message"]) for p in obj.problems or []),
            ),
        )

    @admin.display(description=_("bericht zonder persoonsgegevens"))
    def blanked_xml(self, obj: QuarantinedMessage) -> str:
        if not obj.stored_xml:
            return str(_("(niet bewaard: het bestand was geen leesbare XML)"))
        return format_html(
            "<pre>{}</pre>", zlib.decompress(bytes(obj.stored_xml)).decode("utf-8", "replace")
        )


@admin.register(IngestBatch)
class IngestBatchAdmin(_ReadOnlyAdmin):
    list_display = [
        "id",
        "created_at",
        "source",
        "status",
        "messages_seen",
        "accepted",
        "duplicates",
        "rejected",
        "actor",
    ]
    list_filter = ["status", "source"]
    readonly_fields = [f.name for f in IngestBatch._meta.fields]


@admin.register(RawMessage)
class RawMessageAdmin(_ReadOnlyAdmin):
    audit_views = True
    list_display = [
        "message_type",
        "afzender",
        "ontvanger",
        "identificatie",
        "dagtekening",
        "received_at",
    ]
    list_filter = ["message_type"]
    search_fields = ["afzender", "ontvanger", "identificatie", "sha256"]
    exclude = ["stored_xml"]
    readonly_fields = [
        "sha256",
        "message_type",
        "berichtcode",
        "afzender",
        "ontvanger",
        "identificatie",
        "dagtekening",
        "received_at",
        "batch",
        "file_name",
        "blanked_xml",
    ]

    @admin.display(description=_("bericht zonder persoonsgegevens"))
    def blanked_xml(self, obj: RawMessage) -> str:
        return format_html(
            "<pre>{}</pre>", zlib.decompress(bytes(obj.stored_xml)).decode("utf-8", "replace")
        )
