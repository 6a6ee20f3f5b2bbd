# SPDX-License-Identifier: EUPL-1.2
"""The meeting pack's charts (server-rendered SVG from ``wmo_sla.charts``; page and PDF alike).

A trend chart for every pack figure with a norm (own value, anonymous reference-group median,
norm line) and a stacked bar of the outflow reasons against the reference group. Every chart is
followed in the pack by a table with the same numbers.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from wmo_sla.benchmark.formatting import format_figure_value
from wmo_sla.charts.bars import Bar, BarLabels, Segment, render_stacked_bars
from wmo_sla.charts.svg import nl_number
from wmo_sla.charts.trend import TrendLabels, TrendPoint, render_trend
from wmo_sla.kpis.registry import FIGURES, Unit

from .selectors import MeetingPack, OutflowRow, TrendRow


def _is_share(code: str) -> bool:
    return FIGURES[code].unit == Unit.SHARE


def trend_chart(row: TrendRow, quarters: list[str], aanbieder: str, group: str) -> str:
    """SVG of one figure over the pack's quarters; '' when it has no norm or no visible value."""
    points = [
        TrendPoint(
            label=quarter,
            value=None if cell is None or hidden else cell.value,
            reference=reference,
            norm=cell.norm if cell is not None else None,
        )
        for quarter, (cell, hidden), reference in zip(
            quarters, row.cells, row.references, strict=True
        )
    ]
    shown = [p for p in points if p.value is not None]
    if not shown or all(p.norm is None for p in points):
        return ""
    last = shown[-1]
    percent = _is_share(row.code)
    return render_trend(
        points=points,
        labels=TrendLabels(
            title=_("%(code)s %(name)s per kwartaal, %(aanbieder)s, referentiegroep %(group)s")
            % {"code": row.code, "name": row.name, "aanbieder": aanbieder, "group": group},
            desc=_("Laatste waarde %(value)s in %(period)s. De tabel bevat dezelfde gegevens.")
            % {"value": format_figure_value(row.code, last.value), "period": last.label},
            y_label=FIGURES[row.code].unit.value,
            own=_("Eigen waarde"),
            reference=_("Mediaan referentiegroep"),
            norm=_("Norm"),
        ),
        id_prefix=f"pack-{group}-{row.code}".replace(" ", "-"),
        percent=percent,
        fmt=None if percent else (lambda v: nl_number(v, 0 if abs(v) >= 10 else 1)),
    )


def outflow_chart(rows: list[OutflowRow], aanbieder: str, group: str, period: str) -> str:
    own = [r for r in rows if not r.pack_figure.hidden and r.pack_figure.figure.value is not None]
    if not own:
        return ""

    def segment(row: OutflowRow, share: float | None) -> Segment:
        code = row.pack_figure.figure.kpi.removeprefix("K12-")
        return Segment(code=code, label=f"{code} – {row.pack_figure.name}", share=share or 0.0)

    bars = [Bar(_("Eigen organisatie"), [segment(r, r.pack_figure.figure.value) for r in own])]
    if any(r.reference is not None for r in own):
        bars.append(Bar(_("Referentiegroep"), [segment(r, r.reference) for r in own]))
    return render_stacked_bars(
        bars=bars,
        labels=BarLabels(
            title=_("Uitstroomredenen %(period)s, %(aanbieder)s, referentiegroep %(group)s")
            % {"period": period, "aanbieder": aanbieder, "group": group},
            desc=_(
                "Aandeel van elke laatste reden van beëindiging in de definitieve beëindigingen; "
                "de tabel bevat dezelfde gegevens."
            ),
            x_label=_("Aandeel van de definitieve beëindigingen"),
        ),
        id_prefix=f"pack-k12-{group}".replace(" ", "-"),
    )


def attach_charts(pack: MeetingPack) -> MeetingPack:
    """Render the trend and outflow charts of ``pack`` into it (SVG strings)."""
    name = pack.gesprek.aanbieder.name
    for group, rows in pack.trends.items():
        for row in rows:
            row.chart = trend_chart(row, pack.trend_quarters, name, group)
    for group, outflow_rows in pack.outflow.items():
        chart = outflow_chart(outflow_rows, name, group, pack.gesprek.period)
        if chart:
            pack.outflow_charts[group] = chart
    return pack
