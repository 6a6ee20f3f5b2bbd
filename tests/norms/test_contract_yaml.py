# SPDX-License-Identifier: EUPL-1.2
"""The contract file and historical norms: approved norms round-trip, proposals stay out."""

from __future__ import annotations

import pytest
import yaml

from tests.contracts.test_yaml_dump import assert_dump_load_is_noop
from wmo_sla.contracts.models import Norm, NormProposal
from wmo_sla.contracts.services import contract_definition_dump, contract_definition_load_text
from wmo_sla.kpis.norms import norm_approve, norms_derive

pytestmark = pytest.mark.django_db


def test_approved_historical_norm_is_dumped_and_loads_back_as_a_noop(run, contractmanager):
    norms_derive(year=2024)
    k8 = NormProposal.objects.get(kpi_code="K8")
    norm_approve(proposal=k8, actor=contractmanager)
    dump = assert_dump_load_is_noop()
    norms = yaml.safe_load(dump)["norms"]
    assert norms == [
        {
            "kpi": "K8",
            "referentiegroep": "IB",
            "year": 2024,
            "kind": "historisch",
            "value": "0.1667",
            "direction": "max",
            "status": "vastgesteld",
            "method": "pooled",
            "base_period": "2022–2023",
            "source": f"berekening #{run.pk}, voorstel #{k8.pk}",
        }
    ]  # the open K9 proposal is not part of the contract file
    # the approver stays in the database when the same file is loaded again
    assert Norm.objects.get().approved_by == contractmanager


def test_loading_the_file_leaves_open_proposals_alone(run):
    norms_derive(year=2024)
    before = list(NormProposal.objects.values_list("pk", "status", "value"))
    contract_definition_load_text(text=contract_definition_dump(), file="dump.yaml")
    assert list(NormProposal.objects.values_list("pk", "status", "value")) == before
