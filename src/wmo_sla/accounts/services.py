# SPDX-License-Identifier: EUPL-1.2
"""Writes for users: creation with a role, login bookkeeping and two-factor devices."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.services import audit_log
from wmo_sla.contracts.models import Aanbieder

from .models import User
from .roles import Role, is_staff_role

TOTP_DEVICE_NAME = "authenticator"


@transaction.atomic
def user_upsert(
    *,
    username: str,
    role: Role,
    password: str | None = None,
    aanbieder: Aanbieder | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create or update a user with a role. Staff access follows the role."""
    if role == Role.AANBIEDER and aanbieder is None:
        raise ValidationError(_("Een aanbieder-gebruiker moet bij een aanbieder horen."))
    if role != Role.AANBIEDER and aanbieder is not None:
        raise ValidationError(_("Alleen aanbieder-gebruikers horen bij een aanbieder."))
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role = role
    user.aanbieder = aanbieder
    user.is_staff = is_staff_role(role)
    user.email = email
    user.first_name = first_name
    user.last_name = last_name
    if password is not None:
        user.set_password(password)
    user.full_clean(exclude=["password"] if password is None else None)
    user.save()
    return user


def login_complete(*, request: HttpRequest, user: User, device: TOTPDevice | None = None) -> None:
    """Finish a login (after the password and, when enabled, the TOTP step)."""
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    audit_log(
        action=AuditAction.LOGIN,
        request=request,
        actor=user,
        extra={"two_factor": device is not None},
    )


def login_failed(*, request: HttpRequest, username: str) -> None:
    audit_log(action=AuditAction.LOGIN_FAILED, request=request, extra={"username": username[:150]})


def logout_user(*, request: HttpRequest) -> None:
    user = request.user
    if user.is_authenticated:
        audit_log(action=AuditAction.LOGOUT, request=request, actor=user)
    auth_logout(request)


def confirmed_totp_device(user: Any) -> TOTPDevice | None:
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_setup_start(*, user: User) -> TOTPDevice:
    """Return the user's unconfirmed TOTP device, creating one with a fresh secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret_base32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode("ascii").rstrip("=")


@transaction.atomic
def totp_setup_confirm(*, request: HttpRequest, user: User, token: str) -> bool:
    """Confirm the pending device with a token from the app. True when it was accepted."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip()):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    audit_log(action=AuditAction.OTP_ENABLED, request=request, actor=user, obj=user)
    return True


@transaction.atomic
def totp_disable(*, request: HttpRequest, user: User, token: str) -> bool:
    device = confirmed_totp_device(user)
    if device is None or not device.verify_token(token.strip()):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    audit_log(action=AuditAction.OTP_DISABLED, request=request, actor=user, obj=user)
    return True
