# SPDX-License-Identifier: EUPL-1.2
"""Login (password, then TOTP when set up), logout, account page and TOTP set-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

import segno

from . import services
from .forms import LoginForm, TokenForm
from .models import User
from .roles import STAFF_ROLES

_PENDING_KEY = "wmo_sla_pending_2fa_user"
_NEXT_KEY = "wmo_sla_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if user is None:
            services.login_failed(request=request, username=username)
            form.add_error(
                None, _("De combinatie van gebruikersnaam en wachtwoord is niet bekend.")
            )
        else:
            assert isinstance(user, User)
            device = services.confirmed_totp_device(user)
            if device is not None:
                request.session.cycle_key()
                request.session[_PENDING_KEY] = user.pk
                request.session[_NEXT_KEY] = next_url
                return redirect("accounts:login_verify")
            services.login_complete(request=request, user=user)
            return redirect(next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@csrf_protect
@never_cache
def login_verify_view(request: HttpRequest) -> HttpResponse:
    user_pk = request.session.get(_PENDING_KEY)
    user = User.objects.filter(pk=user_pk, is_active=True).first() if user_pk else None
    if user is None:
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.confirmed_totp_device(user)
        if device is not None and device.verify_token(form.cleaned_data["token"].strip()):
            next_url = request.session.pop(_NEXT_KEY, "/")
            request.session.pop(_PENDING_KEY, None)
            services.login_complete(request=request, user=user, device=device)
            return redirect(_safe_next(request, next_url))
        services.login_failed(request=request, username=user.get_username())
        form.add_error("token", _("Deze code klopt niet of is verlopen. Probeer de nieuwste code."))
    return render(request, "accounts/login_verify.html", {"form": form})


@require_POST
@csrf_protect
def logout_view(request: HttpRequest) -> HttpResponse:
    services.logout_user(request=request)
    messages.info(request, _("U bent uitgelogd."))
    return redirect("accounts:login")


@login_required
def account_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    return render(
        request,
        "accounts/account.html",
        {
            "account": user,
            "can_use_2fa": user.role in STAFF_ROLES or user.is_superuser,
            "has_2fa": services.confirmed_totp_device(user) is not None,
        },
    )


@login_required
@csrf_protect
@never_cache
def two_factor_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not (user.role in STAFF_ROLES or user.is_superuser):
        messages.info(
            request, _("Tweestapsverificatie is beschikbaar voor medewerkers van de gemeente.")
        )
        return redirect("accounts:account")
    has_2fa = services.confirmed_totp_device(user) is not None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if request.POST.get("action") == "disable":
            if services.totp_disable(request=request, user=user, token=token):
                messages.success(request, _("Tweestapsverificatie staat uit."))
                return redirect("accounts:account")
            form.add_error("token", _("Deze code klopt niet; tweestapsverificatie staat nog aan."))
        elif services.totp_setup_confirm(request=request, user=user, token=token):
            messages.success(
                request,
                _(
                    "Tweestapsverificatie staat aan. Vanaf nu vragen we bij het inloggen om een code."
                ),
            )
            return redirect("accounts:account")
        else:
            form.add_error(
                "token",
                _(
                    "Deze code klopt niet. Controleer de tijd op uw telefoon en probeer de nieuwste code."
                ),
            )
    context: dict[str, object] = {"form": form, "has_2fa": has_2fa}
    if not has_2fa:
        device = services.totp_setup_start(user=user)
        qr = segno.make(device.config_url, error="m")
        context["qr_svg"] = qr.svg_inline(scale=5, title=_("QR-code voor uw authenticator-app"))
        context["secret"] = services.totp_secret_base32(device)
    return render(request, "accounts/two_factor.html", context)
