# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import re
from pathlib import Path

from wmo_sla.kpis.catalogue import render_catalogue
from wmo_sla.kpis.registry import FIGURES, KPIS, kpi_of

REPO = Path(__file__).resolve().parents[2]


def test_docs_kpis_md_is_generated_from_the_registry():
    committed = (REPO / "docs" / "kpis.md").read_text(encoding="utf-8")
    assert committed == render_catalogue(), "run: wmo-sla kpis catalogue -o docs/kpis.md"


def test_every_figure_code_of_kpis_md_is_in_the_registry():
    spec = REPO.parent / "shared" / "spec" / "KPIS.md"
    if not spec.exists():  # the product never needs shared/; only this consistency check does
        return
    text = spec.read_text(encoding="utf-8")
    section = text.split("## Codes of the figures", 1)[1]
    codes = set()
    for row in section.splitlines():
        if row.startswith("| K"):
            codes.update(re.findall(r"\bK\d+[a-z]*\b", row.split("|")[1]))
    codes.discard("K12")  # K12-<reason> codes
    assert codes - set(FIGURES) == set()
    assert {f"K{i}" for i in range(1, 14)} == set(KPIS)


def test_every_figure_belongs_to_a_defined_kpi():
    assert kpi_of("K8u").code == "K8"
    assert kpi_of("K12-19").code == "K12"
    assert all(f.kpi in KPIS for f in FIGURES.values())
