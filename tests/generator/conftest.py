# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from wmo_sla.generator import GenerationSummary, generate_region

from .parsing import CONTRACT, Msg, read_tree

SMALL_FROM = date(2023, 1, 1)
SMALL_TO = date(2024, 12, 31)


@dataclass
class Region:
    out: Path
    summary: GenerationSummary
    manifest: dict[str, Any]
    messages: list[Msg]

    def of(self, code: str) -> list[Msg]:
        return [m for m in self.messages if m.code == code]


@pytest.fixture(scope="session")
def small_region(tmp_path_factory: pytest.TempPathFactory) -> Region:
    """200 clients, 4 providers, 2 years: the region every invariant test reads."""
    out = tmp_path_factory.mktemp("regio") / "berichten"
    summary = generate_region(
        out_dir=out,
        contract_yaml=CONTRACT,
        clients=200,
        providers=4,
        date_from=SMALL_FROM,
        date_to=SMALL_TO,
        seed=7,
    )
    manifest = json.loads(summary.manifest_path.read_text(encoding="utf-8"))
    return Region(out=out, summary=summary, manifest=manifest, messages=read_tree(out))
