# SPDX-License-Identifier: EUPL-1.2
"""The figure export: a public interface (docs/kpi-export.md). Keep the fields stable."""

from __future__ import annotations

import csv
import io
import json
import re

from wmo_sla.contracts.models import Aanbieder
from wmo_sla.engine.periods import is_period_label

from .models import Figure
from .registry import FIGURES
from .selectors import latest_run

FIELDS = [
    "aanbieder_agb",
    "aanbieder",
    "referentiegroep",
    "gemeente",
    "period",
    "kpi",
    "numerator",
    "denominator",
    "value",
    "ci_low",
    "ci_high",
    "n",
    "norm",
    "norm_niet_gehaald",
    "signaal",
    "kleine_aantallen",
    "status",
    "definition_version",
]


class ExportError(Exception):
    pass


def export_rows(
    *, period: str, kpi: str | None = None, gemeente: str | None = None
) -> list[dict[str, object]]:
    # Month labels (2024M03, the monthly SPC series) only when asked for by name.
    if not is_period_label(period, months=True):
        raise ExportError(
            f"Ongeldige periode {period!r}; gebruik bv. 2024Q3, 2024H2, 2024 of 2024M03."
        )
    if kpi and kpi not in FIGURES:
        raise ExportError(f"Onbekende KPI-code {kpi!r}; zie docs/kpis.md.")
    if gemeente and gemeente != "regio" and not re.fullmatch(r"\d{4}", gemeente):
        raise ExportError(f"Ongeldige gemeente {gemeente!r}; gebruik een CBS-code of 'regio'.")
    run = latest_run()
    if run is None:
        raise ExportError("Er is nog geen berekening; draai eerst: wmo-sla kpis compute")
    qs = Figure.objects.filter(run=run, period=period)
    if kpi:
        qs = qs.filter(kpi=kpi)
    if gemeente:
        qs = qs.filter(gemeente=gemeente)
    names = dict(Aanbieder.objects.values_list("pk", "name"))
    rows: list[dict[str, object]] = []
    for f in qs.order_by("kpi", "aanbieder_agb", "referentiegroep", "gemeente").iterator():
        rows.append(
            {
                "aanbieder_agb": f.aanbieder_agb,
                "aanbieder": names.get(f.aanbieder_id or 0, f.aanbieder_agb),
                "referentiegroep": f.referentiegroep,
                "gemeente": f.gemeente,
                "period": f.period,
                "kpi": f.kpi,
                "numerator": f.numerator,
                "denominator": f.denominator,
                "value": f.value,
                "ci_low": f.ci_low,
                "ci_high": f.ci_high,
                "n": f.n,
                "norm": f.norm,
                "norm_niet_gehaald": f.norm_niet_gehaald,
                "signaal": f.signaal,
                "kleine_aantallen": f.kleine_aantallen,
                "status": f.status,
                "definition_version": f.definition_version,
            }
        )
    return rows


def export_figures(
    *, period: str, kpi: str | None = None, gemeente: str | None = None, fmt: str = "json"
) -> str:
    rows = export_rows(period=period, kpi=kpi, gemeente=gemeente)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue()
