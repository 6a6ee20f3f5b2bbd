# SPDX-License-Identifier: EUPL-1.2
"""Render the KPI catalogue (docs/kpis.md) from the registry. The test suite checks it is current."""

from __future__ import annotations

from .registry import FIGURES, KPIS


def render_catalogue() -> str:
    lines = [
        "# KPI-catalogus",
        "",
        "<!-- Gegenereerd uit src/wmo_sla/kpis/registry.py met `wmo-sla kpis catalogue`; "
        "niet met de hand bewerken. -->",
        "",
        "De definities volgen `KPIS.md` versie 1. Elke code is een publieke interface (export, API).",
        "",
    ]
    for kpi in KPIS.values():
        lines += [
            f"## {kpi.code} — {kpi.name_nl} ({kpi.name_en})",
            "",
            kpi.definition_nl,
            "",
            f"*Norm:* {kpi.norm_nl} · *Definitieversie:* {kpi.version}",
            "",
        ]
        if kpi.parameters:
            lines += ["| parameter | standaard | betekenis |", "|---|---|---|"]
            lines += [f"| `{p.name}` | {p.default} | {p.description_nl} |" for p in kpi.parameters]
            lines.append("")
        lines += ["| code | kengetal | eenheid | richting |", "|---|---|---|---|"]
        lines += [
            f"| `{f.code}` | {f.name_nl} | {f.unit.value} | {f.direction.value} |"
            for f in FIGURES.values()
            if f.kpi == kpi.code
        ]
        lines.append("")
    return "\n".join(lines)
