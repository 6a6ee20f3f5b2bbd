# SPDX-License-Identifier: EUPL-1.2
"""The overzicht (aanbieders × KPIs), its CSV/XLSX export and the funnel plot per KPI.

Municipality only (``VIEW_BENCHMARK``). Views gather what the selectors return and render it.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.services import audit_log
from wmo_sla.charts.funnel import FunnelLabels, FunnelPoint, SignalName, render_funnel
from wmo_sla.kpis.models import ComputationRun
from wmo_sla.kpis.registry import FIGURES, KPIS, Unit
from wmo_sla.web.decorators import require_capability

from . import exports
from .formatting import format_figure_value, signaal_label
from .forms_overview import OverviewFilterForm
from .selectors import current_run
from .selectors_overview import (
    REGIO,
    FunnelData,
    Overview,
    funnel_data,
    overview,
    parse_sort,
    periods_of,
)


def _query(params: QueryDict, **changes: str | None) -> str:
    query = params.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


def _filter_params(form: OverviewFilterForm) -> QueryDict:
    """The selection as query parameters (what the page shows, defaults filled in)."""
    sel = form.selection()
    params = QueryDict(mutable=True)
    params["period"] = sel.period
    params["contract"] = sel.contract.code
    params["referentiegroep"] = sel.referentiegroep
    params["gemeente"] = sel.gemeente
    if form.cleaned_data.get("kpi"):
        params.setlist("kpi", list(sel.codes))
    if sel.sort != "aanbieder":
        params["sort"] = sel.sort
    if sel.descending:
        params["dir"] = "desc"
    return params


def _headers(
    request: HttpRequest, overview_data: Overview, params: QueryDict
) -> list[dict[str, Any]]:
    """Sortable column headers: link, aria-sort, and what the next click does."""
    sel = overview_data.selection
    current, what = parse_sort(sel.sort, sel.codes)
    key_now = current if current == "aanbieder" else (f"{current}:n" if what == "n" else current)
    headers = []
    for key, label in [("aanbieder", _("Aanbieder"))] + [
        (code, f"{code} {FIGURES[code].name_nl}") for code in sel.codes
    ]:
        entries = []
        for sort_key, sort_label in (
            [(key, label)] if key == "aanbieder" else [(key, _("waarde")), (f"{key}:n", "n")]
        ):
            active = sort_key == key_now
            descending = active and sel.descending
            next_dir = "asc" if descending else ("desc" if active else "asc")
            entries.append(
                {
                    "key": sort_key,
                    "label": sort_label,
                    "active": active,
                    "descending": descending,
                    "url": "?"
                    + _query(
                        params,
                        sort=None if sort_key == "aanbieder" and next_dir == "asc" else sort_key,
                        dir=None if next_dir == "asc" else "desc",
                    ),
                }
            )
        aria = "none"
        for entry in entries:
            if entry["active"]:
                aria = "descending" if entry["descending"] else "ascending"
        headers.append(
            {
                "key": key,
                "label": label,
                "entries": entries,
                "aria_sort": aria,
                "funnel_url": None
                if key == "aanbieder"
                else reverse("benchmark:funnel", args=[key])
                + "?"
                + _query(params, sort=None, dir=None, kpi=None),
                "definition": "" if key == "aanbieder" else KPIS[FIGURES[key].kpi].definition_nl,
            }
        )
    return headers


def _form(request: HttpRequest, run: ComputationRun | None) -> tuple[OverviewFilterForm, list[str]]:
    periods = periods_of(run)
    return OverviewFilterForm(request.GET, periods=periods), periods


@require_capability(Capability.VIEW_BENCHMARK)
def overview_page(request: HttpRequest) -> HttpResponse:
    run = current_run()
    form, periods = _form(request, run)
    context: dict[str, Any] = {
        "form": form,
        "run": run,
        "has_figures": bool(periods),
        "can_drilldown": has_capability(request.user, Capability.VIEW_DRILLDOWN),
    }
    status = 200
    if periods and form.is_valid():
        data = overview(user=request.user, run=run, selection=form.selection())
        params = _filter_params(form)
        context.update(
            overview=data,
            headers=_headers(request, data, params),
            params=params.urlencode(),
            notice=form.notice,
            gemeente_label=_gemeente_label(form, data.selection.gemeente),
            csv_url=reverse("benchmark:overview_export", args=["csv"]) + "?" + params.urlencode(),
            xlsx_url=reverse("benchmark:overview_export", args=["xlsx"]) + "?" + params.urlencode(),
            chosen_codes=set(data.selection.codes),
        )
    elif periods:
        status = 400
    return render(request, "benchmark/overview/overview.html", context, status=status)


def _gemeente_label(form: OverviewFilterForm, code: str) -> str:
    return dict(form.fields["gemeente"].choices).get(code, code)  # type: ignore[attr-defined]


@require_capability(Capability.VIEW_BENCHMARK)
def overview_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    run = current_run()
    form, periods = _form(request, run)
    if not periods or not form.is_valid():
        return render(
            request,
            "benchmark/overview/overview.html",
            {"form": form, "run": run, "has_figures": bool(periods)},
            status=400,
        )
    data = overview(user=request.user, run=run, selection=form.selection())
    stem = exports.file_stem(data)
    if fmt == "csv":
        content = exports.to_csv(data)
        content_type = "text/csv; charset=utf-8"
    else:
        content = exports.to_xlsx(data)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sel = data.selection
    audit_log(
        action=AuditAction.FIGURES_EXPORTED,
        request=request,
        object_type="benchmark.overzicht",
        object_id=stem,
        object_repr=f"{stem}.{fmt}",
        extra={
            "format": fmt,
            "run": run.pk if run else None,
            "period": sel.period,
            "contract": sel.contract.code,
            "referentiegroep": sel.referentiegroep,
            "gemeente": sel.gemeente,
            "codes": list(sel.codes),
            "sort": sel.sort,
            "descending": sel.descending,
            "rows": len(data.rows),
        },
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def _funnel_svg(data: FunnelData, title: str) -> str:
    code = data.code
    percent = FIGURES[code].unit == Unit.SHARE or code.startswith("K12-")
    points = []
    for row, cell in data.cells:
        if cell.value is None or cell.n <= 0:
            continue
        summary = f"{format_figure_value(code, cell.value)} (n = {cell.n}) · {signaal_label(cell.signaal)}"
        signal: SignalName = (
            "signaal"
            if cell.signaal == "signaal"
            else "let op"
            if cell.signaal == "let op"
            else "geen"
        )
        points.append(
            FunnelPoint(str(row.aanbieder_id), row.aanbieder, cell.n, cell.value, summary, signal)
        )
    norm_text = format_figure_value(code, data.norm) if data.norm is not None else ""
    labels = FunnelLabels(
        title=title,
        desc=_(
            "Funnelplot: per aanbieder de waarde tegen het aantal (n), met de norm en de 95 %%- en "
            "99,8 %%-grenzen rond de norm. %(count)s aanbieders. De tabel onder de grafiek bevat dezelfde gegevens."
        )
        % {"count": len(points)},
        x_label=_("Aantal (n)"),
        y_label=FIGURES[code].name_nl,
        norm=_("Norm (%(norm)s)") % {"norm": norm_text},
        limit_95=_("95 %-grens (let op)"),
        limit_998=_("99,8 %-grens (signaal)"),
        point_geen=_("geen signaal"),
        point_let_op=_("let op"),
        point_signaal=_("signaal"),
    )
    return render_funnel(
        points=points,
        curve=data.curve,
        target=data.norm,
        labels=labels,
        id_prefix=f"funnel-{code}",
        percent=percent,
        fmt=None if percent else (lambda v: format_figure_value(code, v)),
    )


@require_capability(Capability.VIEW_BENCHMARK)
def funnel_page(request: HttpRequest, kpi: str) -> HttpResponse:
    if kpi not in FIGURES:
        raise Http404(_("Onbekend kengetal."))
    run = current_run()
    form, periods = _form(request, run)
    definition = FIGURES[kpi]
    context: dict[str, Any] = {
        "form": form,
        "run": run,
        "has_figures": bool(periods),
        "code": kpi,
        "can_drilldown": has_capability(request.user, Capability.VIEW_DRILLDOWN),
        "figure_definition": definition,
        "kpi_definition": KPIS[definition.kpi],
    }
    status = 200
    if periods and form.is_valid():
        sel = form.selection()
        data = funnel_data(user=request.user, run=run, selection=sel, code=kpi)
        params = _filter_params(form)
        params.pop("kpi", None)
        params.pop("sort", None)
        params.pop("dir", None)
        gemeente = _gemeente_label(form, sel.gemeente)
        title = _("%(code)s %(name)s, %(period)s, %(groep)s, %(gemeente)s") % {
            "code": kpi,
            "name": definition.name_nl,
            "period": sel.period,
            "groep": sel.referentiegroep,
            "gemeente": gemeente,
        }
        rows = [
            {
                "row": row,
                "cell": cell,
                "limits": data.funnel.limits(cell.n) if data.funnel and cell.n > 0 else None,
            }
            for row, cell in data.cells
        ]
        context.update(
            data=data,
            rows=rows,
            selection=sel,
            notice=form.notice,
            gemeente_label=gemeente,
            chart=mark_safe(_funnel_svg(data, title)) if data.cells else "",  # noqa: S308 - all text escaped by charts.svg
            overview_url=reverse("benchmark:overview") + "?" + params.urlencode(),
            params=params.urlencode(),
            regio=REGIO,
        )
    elif periods:
        status = 400
    return render(request, "benchmark/overview/funnel.html", context, status=status)
