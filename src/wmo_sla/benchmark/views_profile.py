# SPDX-License-Identifier: EUPL-1.2
"""The aanbieder-profiel (contract manager, analist) and the provider portal (aanbieder user).

One page for both: the provider portal is the profile of the user's own aanbieder. A provider who
opens another aanbieder's profile gets 404 (the aanbieder is looked up through the scoped
``contracts.selectors.aanbieder_get``), never 403, so the URL does not reveal whether it exists.
Data come from :mod:`wmo_sla.benchmark.selectors_profile`; this module only checks the query
parameters and turns the data into charts with translated labels.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from wmo_sla.accounts.roles import Capability, has_capability
from wmo_sla.charts.bars import Bar, BarLabels, Segment, render_stacked_bars
from wmo_sla.charts.spc import SpcLabels, render_spc
from wmo_sla.charts.trend import TrendLabels, TrendPoint, render_trend
from wmo_sla.contracts.selectors import aanbieder_get
from wmo_sla.kpis.registry import FIGURES, KPIS, Direction, Unit
from wmo_sla.web.decorators import require_capability

from .formatting import format_figure_value
from .selectors import current_run, sees_all_aanbieders
from .selectors_profile import (
    MAIN_CODES,
    MIN_PEERS,
    MIN_PEERS_QUARTILES,
    Profile,
    SpcSeries,
    Trend,
    attach_figure_rows,
    default_referentiegroep,
    profile_choices,
    profile_for,
)

#: Reason texts of WMO588 for the K12 chart and table (KPIS.md K12).
REASONS = {
    "02": "overlijden",
    "19": "volgens plan beëindigd",
    "21": "eenzijdig door cliënt",
    "22": "eenzijdig door aanbieder",
    "23": "in overeenstemming voortijdig",
    "31": "verhuizing naar andere gemeente",
    "36": "geïnitieerd door gemeente",
    "37": "i.v.m. wijzigingsverzoek",
    "38": "overstap naar andere aanbieder",
    "39": "uitstroom naar ander domein (Wlz/Zvw)",
    "z": "zonder stopbericht",
}
#: Figure codes a user may pick for the trends (K12 has its own chart).
SELECTABLE_CODES = tuple(code for code in FIGURES if not code.startswith("K12-"))


def _percent(code: str) -> bool:
    return FIGURES[code].unit == Unit.SHARE


def _trend_chart(trend: Trend, aanbieder_name: str) -> str:
    points = [
        TrendPoint(
            label=row.period,
            value=None if row.figure is None or row.figure.hidden else row.figure.value,
            reference=row.reference.median,
            norm=row.figure.norm if row.figure is not None else None,
        )
        for row in trend.rows
    ]
    shown = [p for p in points if p.value is not None]
    if shown:
        last = shown[-1]
        desc = _(
            "Kwartaalwaarden van %(first)s tot en met %(last)s; laatste waarde %(value)s in %(period)s."
        ) % {
            "first": points[0].label,
            "last": points[-1].label,
            "value": format_figure_value(trend.code, last.value),
            "period": last.label,
        }
    else:
        desc = _("Geen waarden om te tonen.")
    return render_trend(
        points=points,
        labels=TrendLabels(
            title=_("%(code)s %(name)s per kwartaal, %(aanbieder)s")
            % {"code": trend.code, "name": trend.name, "aanbieder": aanbieder_name},
            desc=desc + " " + _("De tabel hieronder bevat dezelfde gegevens."),
            y_label=FIGURES[trend.code].unit.value,
            own=_("Eigen waarde"),
            reference=_("Mediaan referentiegroep"),
            norm=_("Norm"),
        ),
        id_prefix=f"trend-{trend.code}",
        percent=_percent(trend.code),
    )


def _finding_text(code: str, finding: Any) -> str:
    up = finding.direction > 0
    if finding.rule == "buiten_grenzen":
        text = (
            _("%(first)s: punt boven de bovenste procesgrens")
            if up
            else _("%(first)s: punt onder de onderste procesgrens")
        )
    elif finding.rule == "run":
        text = (
            _("%(first)s t/m %(last)s: %(points)s maanden op rij boven het gemiddelde")
            if up
            else _("%(first)s t/m %(last)s: %(points)s maanden op rij onder het gemiddelde")
        )
    elif finding.rule == "trend":
        text = (
            _("%(first)s t/m %(last)s: %(points)s maanden op rij stijgend")
            if up
            else _("%(first)s t/m %(last)s: %(points)s maanden op rij dalend")
        )
    else:
        text = (
            _("%(first)s t/m %(last)s: twee van drie punten dicht bij de bovenste procesgrens")
            if up
            else _("%(first)s t/m %(last)s: twee van drie punten dicht bij de onderste procesgrens")
        )
    text %= {"first": finding.first, "last": finding.last, "points": finding.points}
    direction = FIGURES[code].direction
    if direction == Direction.CONTEXT:
        return text
    good = (direction == Direction.HIGHER_IS_BETTER) == up
    return f"{text} ({_('gunstig') if good else _('ongunstig')})"


def _spc_context(series: SpcSeries, aanbieder_name: str) -> dict[str, Any]:
    context: dict[str, Any] = {"series": series, "chart": "", "findings": [], "rows": []}
    if series.result is None:
        return context
    result = series.result
    findings = [_finding_text(series.code, f) for f in result.findings]
    context["findings"] = findings
    lim = result.limits
    context["limits"] = {
        "mean": format_figure_value(series.code, lim.mean),
        "lower": format_figure_value(series.code, lim.lower),
        "upper": format_figure_value(series.code, lim.upper),
    }
    context["rows"] = [
        {
            "label": label,
            "value": format_figure_value(series.code, value),
            "special": point.special_cause,
        }
        for label, value, point in zip(result.labels, result.values, result.points, strict=True)
    ]
    desc = _(
        "%(count)s maanden van %(first)s tot en met %(last)s; gemiddelde %(mean)s, procesgrenzen "
        "%(lower)s en %(upper)s."
    ) % {
        "count": len(result.labels),
        "first": result.labels[0],
        "last": result.labels[-1],
        **context["limits"],
    }
    desc += " " + (
        _("Bijzondere variatie: %(list)s.") % {"list": "; ".join(findings)}
        if findings
        else _("Geen bijzondere variatie: alleen gewone variatie.")
    )
    context["chart"] = render_spc(
        result=result,
        labels=SpcLabels(
            title=_("SPC-grafiek (XmR) %(code)s %(name)s per maand, %(aanbieder)s")
            % {"code": series.code, "name": series.name, "aanbieder": aanbieder_name},
            desc=desc,
            y_label=FIGURES[series.code].unit.value,
            value=_("Maandwaarde"),
            special=_("Bijzondere variatie"),
            mean=_("Gemiddelde"),
            limits=_("Procesgrenzen"),
            norm=_("Norm"),
        ),
        id_prefix=f"spc-{series.code}",
        norm=series.norm,
        percent=_percent(series.code),
    )
    return context


def _k12_chart(profile: Profile) -> str:
    def segments(attr: str) -> list[Segment]:
        return [
            Segment(
                code=bar.reason,
                label=f"{bar.reason} – {REASONS.get(bar.reason, '')}",
                share=getattr(bar, attr) or 0.0,
            )
            for bar in profile.k12
        ]

    bars = []
    if profile.k12_total is not None:
        bars.append(Bar(_("Eigen organisatie"), segments("own")))
    if any(bar.reference is not None for bar in profile.k12):
        bars.append(Bar(_("Referentiegroep"), segments("reference")))
    if not bars:
        return ""
    return render_stacked_bars(
        bars=bars,
        labels=BarLabels(
            title=_("Uitstroomredenen %(period)s, %(aanbieder)s tegen de referentiegroep")
            % {"period": profile.period, "aanbieder": profile.aanbieder.name},
            desc=_(
                "Aandeel van elke laatste reden van beëindiging in de definitieve beëindigingen; "
                "de tabel hieronder bevat dezelfde gegevens."
            ),
            x_label=_("Aandeel van de definitieve beëindigingen"),
        ),
        id_prefix="k12",
    )


def _aanbieder(request: HttpRequest, pk: int) -> Any:
    aanbieder = aanbieder_get(user=request.user, pk=pk)
    if aanbieder is None:
        raise Http404
    if not sees_all_aanbieders(request.user) and aanbieder.pk != getattr(
        request.user, "aanbieder_id", None
    ):
        raise Http404
    return aanbieder


@require_capability(Capability.VIEW_BENCHMARK, Capability.VIEW_OWN_AANBIEDER)
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    aanbieder = _aanbieder(request, pk)
    user = request.user
    run = current_run()
    errors: list[str] = []
    groups, gemeenten = profile_choices(user=user, run=run, aanbieder=aanbieder)
    group_codes = [code for code, _label in groups]
    referentiegroep = request.GET.get("referentiegroep") or ""
    if referentiegroep and referentiegroep not in group_codes:
        errors.append(
            _(
                "Referentiegroep %(value)s bestaat niet of heeft geen kengetallen van deze aanbieder."
            )
            % {"value": referentiegroep}
        )
        referentiegroep = ""
    referentiegroep = referentiegroep or default_referentiegroep((groups, gemeenten)) or ""
    gemeente = request.GET.get("gemeente") or "regio"
    if gemeente not in [code for code, _label in gemeenten]:
        errors.append(
            _("Gemeente %(value)s is onbekend of heeft geen kengetallen van deze aanbieder.")
            % {"value": gemeente}
        )
        gemeente = "regio"
    codes = request.GET.getlist("kengetal")
    unknown = [c for c in codes if c not in SELECTABLE_CODES]
    if unknown:
        errors.append(
            _("Onbekende kengetallen: %(codes)s; zie de KPI-definities.")
            % {"codes": ", ".join(unknown)}
        )
    codes = [c for c in SELECTABLE_CODES if c in codes] or list(MAIN_CODES)
    period = request.GET.get("periode") or None
    data = profile_for(
        user=user,
        run=run,
        aanbieder=aanbieder,
        referentiegroep=referentiegroep,
        gemeente=gemeente,
        period=period,
        codes=codes,
        choices=(groups, gemeenten),
    )
    if period and period != data.period:
        errors.append(
            _("Periode %(value)s heeft geen kengetallen; getoond wordt %(shown)s.")
            % {"value": period, "shown": data.period or "–"}
        )
    linked = [*data.overview, *data.admin]
    attach_figure_rows(user=user, run=run, views=linked)
    trends = [
        {"trend": trend, "chart": _trend_chart(trend, aanbieder.name) if trend.has_values else ""}
        for trend in data.trends
    ]
    variant_groups = [
        {"kpi": kpi, "codes": [FIGURES[c] for c in SELECTABLE_CODES if FIGURES[c].kpi == kpi.code]}
        for kpi in KPIS.values()
        if kpi.code != "K12"
    ]
    return render(
        request,
        "benchmark/profile/profile.html",
        {
            "aanbieder": aanbieder,
            "profile": data,
            "errors": errors,
            "is_provider": not sees_all_aanbieders(user),
            "trends": trends,
            "spc": [_spc_context(s, aanbieder.name) for s in data.spc],
            "k12_chart": _k12_chart(data),
            "k12_rows": [{"bar": bar, "text": REASONS.get(bar.reason, "")} for bar in data.k12],
            "compliance": data.extra["compliance"],
            "can_drilldown": has_capability(user, Capability.VIEW_DRILLDOWN),
            "linked_figures": [v.figure for v in linked if v.figure is not None],
            "variant_groups": variant_groups,
            "selected_codes": set(codes),
            "min_peers": MIN_PEERS,
            "min_peers_quartiles": MIN_PEERS_QUARTILES,
            "nav_current": "benchmark:portal" if not sees_all_aanbieders(user) else "",
        },
    )


@require_capability(Capability.VIEW_OWN_AANBIEDER)
def portal(request: HttpRequest) -> HttpResponse:
    """The provider portal: the profile of the user's own aanbieder."""
    aanbieder_id = getattr(request.user, "aanbieder_id", None)
    if not aanbieder_id:
        raise Http404
    response = redirect("benchmark:profile", pk=aanbieder_id)
    if request.GET:
        response["Location"] += "?" + request.GET.urlencode()
    return response
