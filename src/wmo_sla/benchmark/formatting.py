# SPDX-License-Identifier: EUPL-1.2
"""Formatting of figure values by their unit in the KPI registry (pure, no ORM)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from wmo_sla.kpis.registry import FIGURES, Unit


def _nl_number(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def format_figure_value(code: str, value: float | None) -> str:
    """Show ``value`` of figure ``code`` in its unit, Dutch style; "–" when there is none."""
    if value is None:
        return "–"
    definition = FIGURES.get(code)
    unit = definition.unit if definition else None
    if unit == Unit.SHARE:
        return f"{_nl_number(100 * value, 1)} %"
    if unit == Unit.RATE_PER_100:
        return _("%(value)s per 100") % {"value": _nl_number(value, 1)}
    if unit == Unit.DAYS:
        return _("%(value)s dagen") % {"value": _nl_number(value, 0)}
    if unit == Unit.WERKDAGEN:
        return _("%(value)s werkdagen") % {"value": _nl_number(value, 1)}
    if unit == Unit.EURO:
        return f"€ {_nl_number(value, 0)}"
    if unit == Unit.RATIO:
        return _nl_number(value, 2)
    if unit == Unit.SCORE:
        return _nl_number(value, 1)
    return _nl_number(value, 0)


def signaal_label(signaal: str | None) -> str:
    """The words for a funnel flag (never colour alone)."""
    if signaal == "signaal":
        return _("signaal (buiten 99,8 %-grens)")
    if signaal == "let op":
        return _("let op (buiten 95 %-grens)")
    return _("geen signaal")
