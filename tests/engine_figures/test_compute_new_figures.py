# SPDX-License-Identifier: EUPL-1.2
"""K3/K4, K5km and K10oe in a stored KPI run (database → engine → figures → export), with the
contract tariffs read from the database and ε stored in the run's parameters."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import EXAMPLE_CONTRACT
from wmo_sla.contracts.services import contract_definition_load
from wmo_sla.ingest.services import ingest_paths
from wmo_sla.kpis.export import export_figures
from wmo_sla.kpis.models import Figure
from wmo_sla.kpis.services import kpis_compute

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 3, 31)
NEW = {"K3", "K4", "K5km", "K10oe"}


@pytest.fixture
def loaded(small_region):
    contract_definition_load(path=EXAMPLE_CONTRACT)
    ingest_paths(paths=[small_region])


def test_new_figures_are_stored_and_exported(loaded):
    run = kpis_compute(as_of=AS_OF)
    assert run.parameters["scaling_epsilon"] == 0.10
    figures = Figure.objects.filter(run=run, kpi__in=NEW)
    assert set(figures.values_list("kpi", flat=True)) == NEW
    assert set(figures.filter(kpi="K5km").values_list("period", flat=True)) <= {"2023", "2024"}
    # Rates per 100: value = 100 × numerator ÷ denominator, numerator = events.
    for figure in figures.filter(kpi__in=["K3", "K4"]):
        assert figure.value == pytest.approx(100 * figure.numerator / figure.denominator)
        assert figure.n == figure.denominator
        assert figure.ci_low <= figure.value <= figure.ci_high  # Poisson interval, per 100
    # Observed ÷ expected on the generated declarations (80–100 % of the assigned volume).
    regio_year = figures.filter(kpi="K10oe", gemeente="regio", period="2023")
    assert regio_year.exists()
    assert all(0.7 < f.value < 1.1 for f in regio_year)
    exported = json.loads(export_figures(period="2023", kpi="K10oe"))
    assert exported and {row["kpi"] for row in exported} == {"K10oe"}
    assert {row["definition_version"] for row in exported} == {1}


def test_epsilon_is_a_run_parameter(loaded):
    default = kpis_compute(as_of=AS_OF)
    strict = kpis_compute(as_of=AS_OF, parameters={"scaling_epsilon": 0.9})
    assert strict.parameters["scaling_epsilon"] == 0.9
    assert strict.input_fingerprint != default.input_fingerprint

    def events(run) -> float:
        rows = Figure.objects.filter(run=run, kpi__in=["K3", "K4"], gemeente="regio", period="2023")
        return sum(f.numerator for f in rows)

    assert events(default) > 0
    # Far fewer re-indications change the intensity by 90 % or more.
    assert events(strict) < events(default)
