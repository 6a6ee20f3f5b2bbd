# SPDX-License-Identifier: EUPL-1.2
"""API tokens on a page: an aanbieder-gebruiker (``SUBMIT_REPORTS``) creates and revokes tokens of
its own organisation; the functioneel beheerder (``MANAGE_USERS``) sees and revokes all of them.

The secret appears once, in the response to the creation (never stored, never in a redirect or
the session)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.web.decorators import require_capability

from . import selectors, services
from .forms import TokenCreateForm


def _list_context(request: HttpRequest, form: TokenCreateForm | None) -> dict[str, object]:
    user = request.user
    can_create = has_capability(user, Capability.SUBMIT_REPORTS) and bool(
        getattr(user, "aanbieder_id", None)
    )
    return {
        "tokens": selectors.tokens_visible_to(user),
        "form": form if can_create else None,
        "all_organisations": selectors.manages_all_tokens(user),
    }


@require_capability(Capability.SUBMIT_REPORTS, Capability.MANAGE_USERS)
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST":
        if not has_capability(request.user, Capability.SUBMIT_REPORTS):
            raise Http404
        if form.is_valid():
            try:
                created = services.token_create(
                    actor=request.user,
                    user=request.user,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    expires_on=form.cleaned_data["expires_on"],
                    request=request,
                )
            except services.ApiTokenError as exc:
                form.add_error(None, str(exc))
            else:
                response = render(
                    request,
                    "api/token_created.html",
                    {"token": created.token, "secret": created.secret},
                )
                response["Cache-Control"] = "no-store"
                return response
    return render(
        request,
        "api/token_list.html",
        _list_context(request, form),
        status=422 if form.errors else 200,
    )


@require_capability(Capability.SUBMIT_REPORTS, Capability.MANAGE_USERS)
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.token_get(user=request.user, pk=token_id)
    if token is None:
        raise Http404
    if request.method == "POST":
        try:
            services.token_revoke(actor=request.user, token=token, request=request)
        except services.ApiTokenError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Het API-token %(name)s is ingetrokken; het werkt niet meer.")
                % {"name": token.name},
            )
        return redirect("api_tokens:list")
    return render(request, "api/token_revoke.html", {"token": token})
