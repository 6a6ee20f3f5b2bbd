# SPDX-License-Identifier: EUPL-1.2
"""KPI runs on a generated region: stored, reproducible, exported in the public format."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from tests.conftest import EXAMPLE_CONTRACT
from wmo_sla.contracts.services import contract_definition_load
from wmo_sla.ingest.services import ingest_paths
from wmo_sla.kpis.export import FIELDS, ExportError, export_figures
from wmo_sla.kpis.models import ComputationRun, Figure
from wmo_sla.kpis.services import kpis_compute

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 3, 31)


@pytest.fixture
def loaded(small_region):
    contract_definition_load(path=EXAMPLE_CONTRACT)
    ingest_paths(paths=[small_region])


def _figures(run: ComputationRun) -> list[tuple]:
    return sorted(
        Figure.objects.filter(run=run).values_list(
            "kpi",
            "aanbieder_agb",
            "referentiegroep",
            "gemeente",
            "period",
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
        )
    )


def test_run_is_stored_and_reproducible(loaded):
    first = kpis_compute(as_of=AS_OF)
    assert first.status == "klaar" and first.figure_count > 100
    assert first.parameters["gap_days"] == 1
    assert first.definition_versions["K8"] == 1
    assert [e.to_status for e in first.events.all()] == ["bezig", "klaar"]
    second = kpis_compute(as_of=AS_OF)
    assert second.input_fingerprint == first.input_fingerprint
    assert _figures(second) == _figures(first)
    third = kpis_compute(as_of=AS_OF, parameters={"gap_days": 30})
    assert third.input_fingerprint != first.input_fingerprint


def test_every_figure_has_a_regio_twin_and_known_codes(loaded):
    run = kpis_compute(as_of=AS_OF)
    figures = Figure.objects.filter(run=run)
    assert figures.filter(gemeente="regio").exists()
    assert set(figures.values_list("kpi", flat=True)) >= {
        "K1",
        "K2",
        "K2a",
        "K2s",
        "K5",
        "K8",
        "K12-19",
    }
    assert not figures.filter(value__lt=0).exists()
    shares = figures.filter(kpi="K8", denominator__gt=0)
    assert shares.exists()
    for f in shares:
        assert f.ci_low <= f.value <= f.ci_high
        assert f.norm == pytest.approx(0.10)


def test_export_json_and_csv_have_the_documented_fields(loaded):
    kpis_compute(as_of=AS_OF)
    rows = json.loads(export_figures(period="2023", kpi="K2", gemeente="regio"))
    assert rows and list(rows[0]) == FIELDS
    assert all(
        r["kpi"] == "K2" and r["gemeente"] == "regio" and r["period"] == "2023" for r in rows
    )
    assert rows[0]["aanbieder"] and rows[0]["aanbieder"] != rows[0]["aanbieder_agb"]
    reader = csv.DictReader(io.StringIO(export_figures(period="2023", fmt="csv")))
    assert reader.fieldnames == FIELDS


def test_export_errors_are_specific(loaded):
    with pytest.raises(ExportError, match="nog geen berekening"):
        export_figures(period="2023")
    kpis_compute(as_of=AS_OF)
    with pytest.raises(ExportError, match="Ongeldige periode"):
        export_figures(period="2023Q5")
    with pytest.raises(ExportError, match="Onbekende KPI-code"):
        export_figures(period="2023", kpi="K99")


def test_k13_comes_from_imported_survey_results(loaded, tmp_path):
    from wmo_sla.kpis.survey import survey_import

    csv_file = tmp_path / "tevredenheid.csv"
    csv_file.write_text(
        "agb_code;periode;cijfer\n" + "".join(f"99000101;2023;{s}\n" for s in (8, 7, 6, 9)),
        encoding="utf-8",
    )
    survey_import(path=csv_file)
    run = kpis_compute(as_of=AS_OF)
    k13 = Figure.objects.get(run=run, kpi="K13", gemeente="regio", period="2023")
    assert (k13.n, k13.value, k13.referentiegroep) == (4, 7.5, "alle")
    assert k13.ci_low < 7.5 < k13.ci_high
    assert Figure.objects.get(run=run, kpi="K13p", gemeente="regio", period="2023").value == 0.75
