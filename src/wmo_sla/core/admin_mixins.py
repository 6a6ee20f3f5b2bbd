# SPDX-License-Identifier: EUPL-1.2
"""Admin building blocks: role-based permissions and audit logging of every change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import BaseFormSet
from django.http import HttpRequest

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.services import audit_log, model_changes, snapshot


class RolePermissionMixin:
    """Admin permissions come from the role capability map, not from Django's permission tables."""

    view_capability: Capability = Capability.VIEW_CONTRACTS
    edit_capability: Capability = Capability.EDIT_MASTER_DATA

    def _staff_can(self, request: HttpRequest, capability: Capability) -> bool:
        return bool(request.user.is_staff) and has_capability(request.user, capability)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._staff_can(request, self.view_capability)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._staff_can(request, self.view_capability)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._staff_can(request, self.edit_capability)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._staff_can(request, self.edit_capability)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._staff_can(request, self.edit_capability)


class AuditedInlineMixin(RolePermissionMixin):
    pass


class AuditedModelAdmin(RolePermissionMixin, admin.ModelAdmin):
    """Writes an audit event (old → new) for every add, change and delete made in the admin."""

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            request._audit_before = snapshot(obj)  # type: ignore[attr-defined]
        return obj

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        request._audit_obj = obj  # type: ignore[attr-defined]
        request._audit_change = change  # type: ignore[attr-defined]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(request, "_audit_before", None) if change else None
        changes = model_changes(before, snapshot(obj))
        if changes or not change:
            audit_log(
                action=AuditAction.UPDATE if change else AuditAction.CREATE,
                request=request,
                obj=obj,
                changes=changes,
                extra={"via": "admin"},
            )

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseFormSet, change: bool
    ) -> None:
        before = {
            inline_form.instance.pk: snapshot(inline_form.instance)
            for inline_form in formset.forms
            if inline_form.instance.pk is not None
        }
        super().save_formset(request, form, formset, change)
        for inline_obj in getattr(formset, "new_objects", []):
            audit_log(
                action=AuditAction.CREATE,
                request=request,
                obj=inline_obj,
                changes=model_changes(None, snapshot(inline_obj)),
                extra={"via": "admin"},
            )
        for inline_obj, _fields in getattr(formset, "changed_objects", []):
            audit_log(
                action=AuditAction.UPDATE,
                request=request,
                obj=inline_obj,
                changes=model_changes(before.get(inline_obj.pk), snapshot(inline_obj)),
                extra={"via": "admin"},
            )
        for inline_obj in getattr(formset, "deleted_objects", []):
            audit_log(
                action=AuditAction.DELETE,
                request=request,
                obj=inline_obj,
                object_id=str(before and inline_obj.pk),
                changes=model_changes(before.get(inline_obj.pk), None),
                extra={"via": "admin"},
            )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        data = snapshot(obj)
        label, pk, text = obj._meta.label_lower, str(obj.pk), str(obj)
        super().delete_model(request, obj)
        audit_log(
            action=AuditAction.DELETE,
            request=request,
            object_type=label,
            object_id=pk,
            object_repr=text,
            changes=model_changes(data, None),
            extra={"via": "admin"},
        )

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in list(queryset):
            self.delete_model(request, obj)
