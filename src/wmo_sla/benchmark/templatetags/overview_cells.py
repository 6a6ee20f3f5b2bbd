# SPDX-License-Identifier: EUPL-1.2
"""One cell of the overzicht (value, n, interval, norm, both flags, marks), rendered in Python.

The overzicht can have hundreds of cells; a template include per cell costs more than the whole
rest of the page, so the cell is built here with ``format_html`` (every value escaped).
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from wmo_sla.benchmark.formatting import format_figure_value, signaal_label
from wmo_sla.benchmark.selectors_overview import Cell

register = template.Library()

_SIGNAL = {"signaal": ("signaal", "▲▲"), "let op": ("let-op", "▲")}


def _norm_text(flag: bool | None) -> str:
    if flag is None:
        return _("geen norm")
    return _("norm niet gehaald") if flag else _("norm gehaald")


@register.simple_tag
def overview_cell(cell: Cell | None, drilldown: bool = False) -> SafeString:
    """The cell's text; with ``drilldown`` also a link to the units behind the figure."""
    if cell is None:
        return format_html(
            '<span aria-hidden="true">–</span><span class="app-visually-hidden">{}</span>',
            _("geen kengetal"),
        )
    code = cell.kpi
    parts = [
        format_html('<span class="app-fig__value">{}</span>', format_figure_value(code, cell.value))
    ]
    line = f"n = {cell.n}"
    if cell.ci_low is not None and cell.ci_high is not None:
        line += " · {} {} – {}".format(
            _("95 %:"),
            format_figure_value(code, cell.ci_low),
            format_figure_value(code, cell.ci_high),
        )
    parts.append(format_html('<span class="app-fig__line">{}</span>', line))
    if cell.norm is not None:
        parts.append(
            format_html(
                '<span class="app-fig__line">{} {} {}</span>',
                _("norm"),
                cell.norm_sign,
                format_figure_value(code, cell.norm),
            )
        )
        flag = cell.norm_niet_gehaald
        parts.append(
            format_html(
                '<span class="app-flag app-flag--{}"><span aria-hidden="true">{}</span> {}</span>',
                "niet-gehaald" if flag else "gehaald",
                "✗" if flag else "✓",
                _norm_text(flag),
            )
        )
        css, icon = _SIGNAL.get(cell.signaal, ("geen", "○"))
        parts.append(
            format_html(
                '<span class="app-flag app-flag--{}"><span aria-hidden="true">{}</span> {}</span>',
                css,
                icon,
                signaal_label(cell.signaal),
            )
        )
    if cell.zeer_klein:
        parts.append(
            format_html(
                '<span class="app-tag app-tag--klein">{}</span>',
                _("n onder 5: alleen voor de gemeente"),
            )
        )
    elif cell.kleine_aantallen:
        parts.append(
            format_html('<span class="app-tag app-tag--klein">{}</span>', _("kleine aantallen"))
        )
    if cell.status == "voorlopig":
        parts.append(format_html('<span class="app-tag">{}</span>', _("voorlopig")))
    if drilldown:
        parts.append(drilldown_link(cell))
    return mark_safe("\n".join(parts))  # noqa: S308 - every part is format_html output


@register.simple_tag
def drilldown_link(cell: Cell) -> SafeString:
    """ "Onderbouwing" link to the trajectories or messages behind a figure (drill-down)."""
    return format_html(
        '<a class="utrecht-link app-fig__line app-target" href="{}">{}'
        '<span class="app-visually-hidden"> {}</span></a>',
        reverse("benchmark:figure_members", args=[cell.figure_id]),
        _("onderbouwing"),
        cell.kpi,
    )
