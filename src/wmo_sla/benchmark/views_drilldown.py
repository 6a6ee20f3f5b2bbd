# SPDX-License-Identifier: EUPL-1.2
"""Drill-down pages: figure → its units (list, CSV) → trajectory → message. Every view and
download of client-level data is audit-logged (who, which figure/trajectory/message, how many rows).

Anything the user may not see is a 404, so the existence of another aanbieder's figure, trajectory
or message is never revealed.
"""

from __future__ import annotations

import csv
from typing import Any, cast

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import polars as pl

from wmo_sla.accounts.roles import Capability
from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.services import audit_log
from wmo_sla.kpis.models import Figure
from wmo_sla.kpis.registry import FIGURES
from wmo_sla.web.decorators import require_capability

from .selectors_drilldown import (
    UnsupportedFigure,
    drilldown_figure,
    figure_members,
    members_hidden,
    message_xml,
    short_client_key,
    trajectory_detail,
    trajectory_message,
)

PAGE_SIZE = 50

# The meaning of a member's ``measure`` per figure code (column header; None: no column).
_MEASURES: dict[str, str | Promise] = {
    "K3": gettext_lazy("Verandering intensiteit (%)"),
    "K4": gettext_lazy("Verandering intensiteit (%)"),
    "K5": gettext_lazy("Duur (dagen)"),
    "K5m": gettext_lazy("Duur (dagen)"),
    "K5n": gettext_lazy("Netto duur (dagen)"),
    "K5km": gettext_lazy("Duur tot einde of peildatum (dagen)"),
    "K6": gettext_lazy("Wachttijd"),
    "K6m": gettext_lazy("Wachttijd"),
    "K6p": gettext_lazy("Wachttijd"),
    "K7": gettext_lazy("Werkelijk ÷ gepland"),
    "K7v": gettext_lazy("Werkelijk ÷ gepland"),
    "K7e": gettext_lazy("Werkelijk ÷ gepland"),
    "K10": gettext_lazy("Bedrag (euro)"),
    "K10w": gettext_lazy("Bedrag (euro) of zorgperioden van 4 weken"),
    "K10oe": gettext_lazy("Gedeclareerd in de periode (euro)"),
    "K11s": gettext_lazy("Doorlooptijd (werkdagen)"),
    "K11l": gettext_lazy("Doorlooptijd (werkdagen)"),
    "K13": gettext_lazy("Rapportcijfer"),
    "K13p": gettext_lazy("Rapportcijfer"),
}

_UNIT_LABELS: dict[str, str | Promise] = {
    "traject": gettext_lazy("traject"),
    "toewijzing": gettext_lazy("toewijzing"),
    "startbericht": gettext_lazy("startbericht"),
    "stopbericht": gettext_lazy("stopbericht"),
    "aanlevering": gettext_lazy("aanlevering"),
    "client": gettext_lazy("cliënt"),
    "antwoorden": gettext_lazy("antwoorden"),
    "wijziging": gettext_lazy("wijziging"),
    "declaratie": gettext_lazy("declaratieperiode"),
}

# The second number of a K10oe member (``expected``): column header per code.
_EXPECTED: dict[str, str | Promise] = {"K10oe": gettext_lazy("Verwacht (euro)")}

# Column headers of the two flags where "teller/noemer" is not what they mean (K5km: a
# Kaplan–Meier median has no teller; the flag marks an ended trajectory, the rest is censored).
_FLAG_LABELS: dict[str, tuple[str | Promise, str | Promise]] = {
    "K5km": (gettext_lazy("Geëindigd"), gettext_lazy("In cohort")),
}
_DEFAULT_FLAG_LABELS = (gettext_lazy("In teller"), gettext_lazy("In noemer"))


def _figure_or_404(request: HttpRequest, figure_id: int) -> Figure:
    figure = drilldown_figure(user=request.user, figure_id=figure_id)
    if figure is None:
        raise Http404(_("Dit kengetal bestaat niet of u mag het niet inzien."))
    return figure


def _figure_label(figure: Figure) -> str:
    definition = FIGURES.get(figure.kpi)
    name = definition.name_nl if definition else figure.kpi
    return f"{figure.kpi} {name}"


def _measure_text(value: float | None) -> str:
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


class _Rows:
    """A Polars frame as a sequence for Django's Paginator (len and slices only)."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame

    def __len__(self) -> int:
        return self.frame.height

    def __getitem__(self, index: slice) -> pl.DataFrame:
        return self.frame[index]


def _display_rows(rows: list[dict[str, Any]], refs: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {
            **row,
            "client": short_client_key(row["client_key"]),
            "unit_label": _UNIT_LABELS.get(row["unit"], row["unit"]),
            "measure_text": _measure_text(row["measure"]),
            "expected_text": _measure_text(row["expected"]),
            "trajectory_ref": refs.get(row["trajectory_id"]) if row["trajectory_id"] else None,
        }
        for row in rows
    ]


@require_capability(Capability.VIEW_DRILLDOWN)
def figure_members_page(request: HttpRequest, figure_id: int) -> HttpResponse:
    figure = _figure_or_404(request, figure_id)
    context: dict[str, Any] = {
        "figure": figure,
        "figure_label": _figure_label(figure),
        "measure_label": _MEASURES.get(figure.kpi),
        "expected_label": _EXPECTED.get(figure.kpi),
        "flag_labels": _FLAG_LABELS.get(figure.kpi, _DEFAULT_FLAG_LABELS),
        "kaplan_meier": figure.kpi == "K5km",
    }
    if members_hidden(user=request.user, figure=figure):
        context["hidden"] = True
        return render(request, "benchmark/drilldown/figure.html", context)
    try:
        found = figure_members(figure=figure)
    except UnsupportedFigure:
        context["unsupported"] = True
        return render(request, "benchmark/drilldown/figure.html", context)
    if not found.available:
        context["not_stored"] = True
        return render(request, "benchmark/drilldown/figure.html", context)
    rows = found.rows
    paginator: Paginator[Any] = Paginator(cast(Any, _Rows(rows)), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("pagina"))
    shown = cast(pl.DataFrame, page.object_list).to_dicts() if len(rows) else []
    context.update(
        page=page,
        rows=_display_rows(shown, found.refs),
        total=len(rows),
        in_numerator=int(rows["in_numerator"].sum()) if len(rows) else 0,
        in_denominator=int(rows["in_denominator"].sum()) if len(rows) else 0,
        censored=int((rows["in_denominator"] & ~rows["in_numerator"]).sum()) if len(rows) else 0,
        has_weight=bool(len(rows)) and bool((rows["weight"] != 1).any()),
    )
    audit_log(
        action=AuditAction.VIEW_CLIENT_DATA,
        request=request,
        obj=figure,
        extra={
            "view": "drilldown_figure",
            "kpi": figure.kpi,
            "run": figure.run_id,
            "page": page.number,
            "rows": len(shown),
            "total": len(rows),
        },
    )
    return render(request, "benchmark/drilldown/figure.html", context)


_CSV_COLUMNS = [
    "eenheid",
    "client_key",
    "traject",
    "gemeente",
    "toewijzing_nummer",
    "referentiegroep",
    "productgroep",
    "datum",
    "start",
    "einde",
    "reden",
    "toelichting",
    "maat",
    "verwacht",
    "aantal",
    "in_teller",
    "in_noemer",
]


@require_capability(Capability.VIEW_DRILLDOWN)
def figure_members_csv(request: HttpRequest, figure_id: int) -> HttpResponse:
    figure = _figure_or_404(request, figure_id)
    if members_hidden(user=request.user, figure=figure):
        raise Http404(_("Bij minder dan 5 eenheden is de uitsplitsing alleen voor de gemeente."))
    try:
        found = figure_members(figure=figure)
    except UnsupportedFigure as exc:
        raise Http404(_("Voor dit kengetal is geen uitsplitsing beschikbaar.")) from exc
    if not found.available:
        raise Http404(_("Deze berekening heeft de herkomst van de kengetallen niet bewaard."))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"kengetal-{figure.pk}-{figure.kpi}-{figure.period}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(_CSV_COLUMNS)
    for r in found.rows.iter_rows(named=True):
        writer.writerow(
            [
                r["unit"],
                r["client_key"] or "",
                found.refs.get(r["trajectory_id"], "") if r["trajectory_id"] else "",
                r["gemeente"] or "",
                "" if r["toewijzing_nummer"] is None else r["toewijzing_nummer"],
                r["referentiegroep"] or "",
                r["product_group"] or "",
                r["date"] or "",
                r["start"] or "",
                r["end"] or "",
                r["reason"] or "",
                r["detail"] or "",
                "" if r["measure"] is None else _measure_text(r["measure"]),
                "" if r["expected"] is None else _measure_text(r["expected"]),
                r["weight"],
                "ja" if r["in_numerator"] else "nee",
                "ja" if r["in_denominator"] else "nee",
            ]
        )
    audit_log(
        action=AuditAction.DOWNLOAD_CLIENT_DATA,
        request=request,
        obj=figure,
        extra={
            "view": "drilldown_figure_csv",
            "kpi": figure.kpi,
            "run": figure.run_id,
            "rows": len(found.rows),
        },
    )
    return response


def _trajectory_or_404(request: HttpRequest, figure_id: int, trajectory_ref: int) -> Any:
    figure = _figure_or_404(request, figure_id)
    if members_hidden(user=request.user, figure=figure):
        raise Http404(_("Bij minder dan 5 eenheden is de uitsplitsing alleen voor de gemeente."))
    detail = trajectory_detail(figure=figure, trajectory_ref=trajectory_ref)
    if detail is None:
        raise Http404(_("Dit traject bestaat niet of u mag het niet inzien."))
    return figure, detail


@require_capability(Capability.VIEW_DRILLDOWN)
def trajectory_page(request: HttpRequest, figure_id: int, trajectory_ref: int) -> HttpResponse:
    figure, detail = _trajectory_or_404(request, figure_id, trajectory_ref)
    audit_log(
        action=AuditAction.VIEW_CLIENT_DATA,
        request=request,
        object_type="traject",
        object_id=detail.row["trajectory_id"][:200],
        object_repr=f"traject {trajectory_ref} van kengetal {figure.pk}",
        extra={
            "view": "drilldown_trajectory",
            "figure": figure.pk,
            "run": figure.run_id,
            "rows": len(detail.versions) + len(detail.aanleveringen) + len(detail.prestaties),
            "messages": len(detail.messages),
        },
    )
    return render(
        request,
        "benchmark/drilldown/trajectory.html",
        {
            "figure": figure,
            "figure_label": _figure_label(figure),
            "detail": detail,
            "t": detail.row,
            "client": short_client_key(detail.row["client_key"]),
        },
    )


@require_capability(Capability.VIEW_DRILLDOWN)
def message_page(
    request: HttpRequest, figure_id: int, trajectory_ref: int, message_id: int
) -> HttpResponse:
    figure, detail = _trajectory_or_404(request, figure_id, trajectory_ref)
    message = trajectory_message(detail=detail, message_id=message_id)
    if message is None:
        raise Http404(_("Dit bericht hoort niet bij dit traject of u mag het niet inzien."))
    facts = {
        "versions": [f for f in detail.versions if f.message_id == message.sha256],
        "aanleveringen": [f for f in detail.aanleveringen if f.message_id == message.sha256],
        "prestaties": [f for f in detail.prestaties if f.message_id == message.sha256],
    }
    audit_log(
        action=AuditAction.VIEW_CLIENT_DATA,
        request=request,
        obj=message,
        extra={
            "view": "drilldown_message",
            "figure": figure.pk,
            "trajectory": detail.row["trajectory_id"][:200],
            "rows": sum(len(v) for v in facts.values()),
        },
    )
    return render(
        request,
        "benchmark/drilldown/message.html",
        {
            "figure": figure,
            "figure_label": _figure_label(figure),
            "detail": detail,
            "client": short_client_key(detail.row["client_key"]),
            "message": message,
            "xml": message_xml(message),
            **facts,
        },
    )
