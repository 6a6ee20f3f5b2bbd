# SPDX-License-Identifier: EUPL-1.2
"""Template filters that show a figure the way KPIS.md defines its unit (Dutch notation)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from wmo_sla.benchmark.formatting import format_figure_value, signaal_label

register = template.Library()


@register.filter
def figure_value(value: float | None, code: str) -> str:
    """``{{ figure.value|figure_value:figure.kpi }}`` → "12,3 %", "45 dagen", "€ 1.234"."""
    return format_figure_value(code, value)


@register.filter
def signaal_text(signaal: str | None) -> str:
    return signaal_label(signaal)


@register.filter
def norm_text(flag: bool | None) -> str:
    if flag is None:
        return _("geen norm")
    return _("norm niet gehaald") if flag else _("norm gehaald")
