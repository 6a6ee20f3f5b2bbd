# SPDX-License-Identifier: EUPL-1.2
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wmo_sla.accounts.roles import STAFF_ROLES, Capability
from wmo_sla.core.admin_mixins import AuditedModelAdmin

from .models import User


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    view_capability = Capability.MANAGE_USERS
    edit_capability = Capability.MANAGE_USERS
    list_display = ["username", "role", "aanbieder", "is_active", "last_login"]
    list_filter = ["role", "is_active", "aanbieder"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Persoon"), {"fields": ("first_name", "last_name", "email")}),
        (_("Rol"), {"fields": ("role", "aanbieder", "is_active")}),
        (_("Datums"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "password1", "password2", "role", "aanbieder")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:  # type: ignore[no-untyped-def, override]
        # Staff access follows the role (same rule as accounts.services.user_upsert).
        obj.is_staff = obj.role in STAFF_ROLES
        super().save_model(request, obj, form, change)
