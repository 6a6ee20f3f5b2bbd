# SPDX-License-Identifier: EUPL-1.2
"""Pages of the dialogue. Views gather what selectors return, call services, render.

Another aanbieder's explanation, meeting or agreement is a 404 (never a 403: no existence leak).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.benchmark.selectors import current_run, value_hidden_for
from wmo_sla.contracts import selectors as contract_selectors
from wmo_sla.core.transitions import InvalidTransition
from wmo_sla.kpis.models import Figure, RunStatus
from wmo_sla.web.decorators import require_capability

from . import selectors, services
from .charts import attach_charts
from .forms import AfspraakForm, AfspraakStatusForm, GesprekForm, ReactieForm, ToelichtingForm
from .models import (
    OPEN_AFSPRAAK_STATUSES,
    AfspraakStatus,
    Toelichting,
    ToelichtingStatus,
    ToelichtingVersie,
    Voortgangsgesprek,
)
from .pdf import render_pack_pdf

ALL_PERIODS = "alle"


def _gemeente_names() -> dict[str, str]:
    names = {g.cbs_code: g.name for g in contract_selectors.gemeenten_all()}
    names["regio"] = _("Hele regio")
    return names


# --- Toelichtingen -----------------------------------------------------------------------------


@require_capability(Capability.WRITE_TOELICHTING)
def mijn_signalen(request: HttpRequest) -> HttpResponse:
    run = current_run()
    # One read: an aanbieder has a few hundred flagged figures at most; periods come from them.
    flagged = list(selectors.flagged_figures_for(user=request.user, run=run))
    periods = sorted({f.period for f in flagged}, reverse=True)
    chosen = request.GET.get("periode") or (periods[0] if periods else ALL_PERIODS)
    if chosen != ALL_PERIODS and chosen not in periods:
        chosen = periods[0] if periods else ALL_PERIODS
    rows = flagged if chosen == ALL_PERIODS else [f for f in flagged if f.period == chosen]
    toelichtingen = selectors.toelichtingen_by_identity(user=request.user, figures=rows)
    items = []
    for figure in rows:
        toelichting = toelichtingen.get(selectors.identity_key(figure))
        items.append(
            {
                "figure": figure,
                "name": selectors.figure_name(figure.kpi),
                "toelichting": toelichting,
                "status": selectors.status_label_for(request.user, toelichting),
            }
        )
    return render(
        request,
        "dialogue/mijn_signalen.html",
        {
            "run": run,
            "items": items,
            "periods": periods,
            "chosen": chosen,
            "all_periods": ALL_PERIODS,
            "gemeenten": _gemeente_names(),
        },
    )


def _explainable_figure(user: Any, figure_id: int) -> Figure | None:
    """A figure of the user's own aanbieder in a completed run whose value it may see."""
    figure = (
        Figure.objects.select_related("run")
        .filter(pk=figure_id, run__status=RunStatus.COMPLETED)
        .first()
    )
    if figure is None or figure.aanbieder_id is None:
        return None
    visible = selectors.flagged_figures_for(user=user, run=figure.run).filter(pk=figure.pk)
    return figure if visible.exists() else None


@require_capability(Capability.WRITE_TOELICHTING)
def toelichting_start(request: HttpRequest, figure_id: int) -> HttpResponse:
    """Start explaining a flagged figure (or continue the explanation of its identity)."""
    figure = _explainable_figure(request.user, figure_id)
    if figure is None:
        raise Http404
    identity = services.FigureIdentity.of(figure)
    existing = selectors.toelichting_for_identity(user=request.user, identity=identity)
    if existing is not None:
        return redirect("dialogue:toelichting_detail", toelichting_id=existing.pk)
    form = ToelichtingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        toelichting = _save_toelichting(request, form, identity, figure)
        if toelichting is not None:
            return redirect("dialogue:toelichting_detail", toelichting_id=toelichting.pk)
    return render(
        request,
        "dialogue/toelichting_form.html",
        {
            "form": form,
            "figure": figure,
            "name": selectors.figure_name(figure.kpi),
            "gemeenten": _gemeente_names(),
        },
    )


def _save_toelichting(
    request: HttpRequest,
    form: ToelichtingForm,
    identity: services.FigureIdentity,
    figure: Figure | None,
) -> Toelichting | None:
    """Save the form as a new version (submitted when the user chose *indienen*) and say so;
    None, with the reason on the form, when the rules do not allow it."""
    try:
        toelichting = services.toelichting_write(
            actor=request.user,
            identity=identity,
            figure=figure,
            submit="indienen" in request.POST,
            request=request,
            **form.cleaned_data,
        )
    except (services.DialogueError, InvalidTransition) as exc:
        form.add_error(None, str(exc))
        return None
    if toelichting.status == ToelichtingStatus.INGEDIEND:
        messages.success(request, _("Uw toelichting is ingediend bij de gemeente."))
    else:
        messages.success(
            request,
            _("Uw toelichting is als concept opgeslagen. De gemeente ziet deze nog niet."),
        )
    return toelichting


def _detail_page(
    request: HttpRequest,
    toelichting: Toelichting,
    figure: Figure | None,
    *,
    versies: list[ToelichtingVersie],
    form: ToelichtingForm | None,
    reactie_form: ReactieForm | None,
    status: int = 200,
) -> HttpResponse:
    """The toelichting page: its figure, the versions this user may see, reactions, history."""
    return render(
        request,
        "dialogue/toelichting_detail.html",
        {
            "toelichting": toelichting,
            "status": selectors.status_label_for(request.user, toelichting),
            "figure": figure,
            "figure_hidden": figure is not None and value_hidden_for(request.user, figure),
            "name": selectors.figure_name(toelichting.kpi),
            "versies": list(reversed(versies)),
            "reacties": selectors.reacties_of(toelichting),
            "events": selectors.events_of(toelichting),
            "form": form,
            "reactie_form": reactie_form,
            "gemeenten": _gemeente_names(),
        },
        status=status,
    )


@require_capability(
    Capability.WRITE_TOELICHTING, Capability.RESPOND_TOELICHTING, Capability.VIEW_BENCHMARK
)
def toelichting_list(request: HttpRequest) -> HttpResponse:
    if not selectors.is_municipal(request.user):
        return redirect("dialogue:mijn_signalen")
    status = request.GET.get("status", ToelichtingStatus.INGEDIEND)
    qs = selectors.toelichtingen_visible_to(request.user).order_by("-ingediend_at", "-id")
    if status in ToelichtingStatus.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    items = [
        {"toelichting": t, "status": selectors.status_label_for(request.user, t)} for t in qs[:500]
    ]
    return render(
        request,
        "dialogue/toelichting_list.html",
        {
            "items": items,
            "status": status,
            "statuses": ToelichtingStatus.choices,
            "gemeenten": _gemeente_names(),
        },
    )


@require_capability(
    Capability.WRITE_TOELICHTING, Capability.RESPOND_TOELICHTING, Capability.VIEW_BENCHMARK
)
def toelichting_detail(request: HttpRequest, toelichting_id: int) -> HttpResponse:
    toelichting = selectors.toelichting_get(user=request.user, pk=toelichting_id)
    if toelichting is None:
        raise Http404
    identity = services.FigureIdentity.of_toelichting(toelichting)
    run = current_run()
    figure = selectors.figure_for_identity(user=request.user, run=run, identity=identity)
    may_write = (
        has_capability(request.user, Capability.WRITE_TOELICHTING)
        and getattr(request.user, "aanbieder_id", None) == toelichting.aanbieder_id
    )
    versies = selectors.versies_visible(user=request.user, toelichting=toelichting)
    form = None
    if may_write:
        latest = versies[-1] if versies else None
        initial = (
            {"oorzaak": latest.oorzaak, "tekst": latest.tekst, "maatregel": latest.maatregel}
            if latest
            else None
        )
        form = ToelichtingForm(request.POST or None, initial=initial)
        if (
            request.method == "POST"
            and form.is_valid()
            and _save_toelichting(request, form, identity, figure) is not None
        ):
            return redirect("dialogue:toelichting_detail", toelichting_id=toelichting.pk)
    elif request.method == "POST":
        raise PermissionDenied
    may_respond = (
        has_capability(request.user, Capability.RESPOND_TOELICHTING)
        and toelichting.status == ToelichtingStatus.INGEDIEND
    )
    return _detail_page(
        request,
        toelichting,
        figure,
        versies=versies,
        form=form,
        reactie_form=ReactieForm() if may_respond else None,
    )


@require_POST
@require_capability(Capability.RESPOND_TOELICHTING)
def toelichting_respond(request: HttpRequest, toelichting_id: int) -> HttpResponse:
    toelichting = selectors.toelichting_get(user=request.user, pk=toelichting_id)
    if toelichting is None:
        raise Http404
    form = ReactieForm(request.POST)
    if form.is_valid():
        try:
            services.toelichting_respond(
                actor=request.user,
                toelichting=toelichting,
                tekst=form.cleaned_data["tekst"],
                request=request,
            )
        except services.DialogueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Uw reactie is opgeslagen en zichtbaar voor de aanbieder."))
            return redirect("dialogue:toelichting_detail", toelichting_id=toelichting.pk)
    identity = services.FigureIdentity.of_toelichting(toelichting)
    figure = selectors.figure_for_identity(user=request.user, run=current_run(), identity=identity)
    versies = selectors.versies_visible(user=request.user, toelichting=toelichting)
    return _detail_page(
        request, toelichting, figure, versies=versies, form=None, reactie_form=form, status=400
    )


# --- Voortgangsgesprekken ---------------------------------------------------------------------


@require_capability(Capability.VIEW_MEETINGS)
def gesprek_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "dialogue/gesprek_list.html",
        {
            "gesprekken": selectors.gesprekken_visible_to(request.user)[:500],
            "may_manage": has_capability(request.user, Capability.MANAGE_MEETINGS),
        },
    )


@require_capability(Capability.MANAGE_MEETINGS)
def gesprek_create(request: HttpRequest) -> HttpResponse:
    aanbieders = selectors.aanbieders_for_planning(request.user)
    periods = selectors.periods_with_figures(current_run())
    quarters = [p for p in periods if "Q" in p]
    form = GesprekForm(
        request.POST or None,
        aanbieders=aanbieders,
        initial={"period": quarters[0] if quarters else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            gesprek = services.gesprek_plan(
                actor=request.user,
                aanbieder=form.cleaned_data["aanbieder"],
                period=form.cleaned_data["period"],
                date=form.cleaned_data["date"],
                deelnemers=form.cleaned_data["deelnemers"],
                request=request,
            )
        except services.DialogueError as exc:
            form.add_error("period", str(exc))
        else:
            messages.success(request, _("Het voortgangsgesprek is gepland."))
            return redirect("dialogue:gesprek_detail", gesprek_id=gesprek.pk)
    return render(request, "dialogue/gesprek_form.html", {"form": form, "periods": periods[:24]})


def _pack_context(request: HttpRequest, gesprek: Voortgangsgesprek) -> dict[str, Any]:
    return {
        "pack": attach_charts(selectors.meeting_pack(user=request.user, gesprek=gesprek)),
        "gesprek": gesprek,
        "gemeenten": _gemeente_names(),
    }


@require_capability(Capability.VIEW_MEETINGS)
def gesprek_detail(request: HttpRequest, gesprek_id: int) -> HttpResponse:
    gesprek = selectors.gesprek_get(user=request.user, pk=gesprek_id)
    if gesprek is None:
        raise Http404
    context = _pack_context(request, gesprek)
    may_manage = has_capability(request.user, Capability.MANAGE_MEETINGS)
    context["may_manage"] = may_manage
    if may_manage:
        context["afspraak_form"] = AfspraakForm()
        context["status_forms"] = {
            a.pk: AfspraakStatusForm(current=a.status, prefix=f"a{a.pk}")
            for a in [*context["pack"].afspraken, *context["pack"].open_afspraken]
            if a.status in OPEN_AFSPRAAK_STATUSES
        }
    return render(request, "dialogue/gesprek_detail.html", context)


@require_capability(Capability.VIEW_MEETINGS)
def gesprek_pdf(request: HttpRequest, gesprek_id: int) -> HttpResponse:
    gesprek = selectors.gesprek_get(user=request.user, pk=gesprek_id)
    if gesprek is None:
        raise Http404
    pdf = render_pack_pdf(_pack_context(request, gesprek))
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"gesprekspakket-{gesprek.period}-{gesprek.date:%Y%m%d}-{gesprek.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@require_capability(Capability.MANAGE_MEETINGS)
def afspraak_create(request: HttpRequest, gesprek_id: int) -> HttpResponse:
    gesprek = selectors.gesprek_get(user=request.user, pk=gesprek_id)
    if gesprek is None:
        raise Http404
    form = AfspraakForm(request.POST)
    if form.is_valid():
        try:
            services.afspraak_create(
                actor=request.user, gesprek=gesprek, request=request, **form.cleaned_data
            )
        except services.DialogueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De verbeterafspraak is vastgelegd."))
            return redirect("dialogue:gesprek_detail", gesprek_id=gesprek.pk)
    context = _pack_context(request, gesprek)
    context.update({"may_manage": True, "afspraak_form": form, "status_forms": {}})
    return render(request, "dialogue/gesprek_detail.html", context, status=400)


@require_capability(Capability.VIEW_MEETINGS)
def afspraak_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("status") == "alle"
    qs = selectors.afspraken_visible_to(request.user).order_by("deadline", "id")
    if not show_all:
        qs = qs.filter(status__in=OPEN_AFSPRAAK_STATUSES)
    return render(
        request,
        "dialogue/afspraak_list.html",
        {"afspraken": qs[:500], "show_all": show_all},
    )


@require_POST
@require_capability(Capability.MANAGE_MEETINGS)
def afspraak_status(request: HttpRequest, afspraak_id: int) -> HttpResponse:
    afspraak = selectors.afspraak_get(user=request.user, pk=afspraak_id)
    if afspraak is None:
        raise Http404
    form = AfspraakStatusForm(request.POST, current=afspraak.status, prefix=f"a{afspraak.pk}")
    if form.is_valid():
        try:
            services.afspraak_transition(
                actor=request.user,
                afspraak=afspraak,
                to=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except InvalidTransition:
            messages.error(request, _("Deze statuswijziging is niet toegestaan."))
        else:
            messages.success(
                request,
                _("Status van de verbeterafspraak gewijzigd in: %(status)s.")
                % {"status": AfspraakStatus(form.cleaned_data["status"]).label},
            )
    else:
        messages.error(
            request,
            _("De status is niet gewijzigd: %(reason)s")
            % {"reason": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
    next_url = request.POST.get("next", "")
    if next_url == "lijst":
        return redirect("dialogue:afspraak_list")
    return redirect("dialogue:gesprek_detail", gesprek_id=afspraak.gesprek_id)
