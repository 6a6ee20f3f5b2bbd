# SPDX-License-Identifier: EUPL-1.2
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from django_otp.plugins.otp_totp.models import TOTPDevice

from wmo_sla.accounts.roles import Capability, is_staff_role
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

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        obj.is_staff = is_staff_role(obj.role)
        super().save_model(request, obj, form, change)


# Two-factor devices: the functioneel beheerder may see whether a user has one and delete it
# (lost phone), but never see or change a secret. Replaces django-otp's own admin.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(AuditedModelAdmin):
    view_capability = Capability.MANAGE_USERS
    edit_capability = Capability.MANAGE_USERS
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = ["user", "name", "confirmed", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
