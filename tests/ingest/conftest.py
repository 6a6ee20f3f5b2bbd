# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_CONTRACT = REPO / "examples" / "contract-drechtsteden.yaml"


@pytest.fixture(scope="session")
def small_region(tmp_path_factory) -> Path:
    """A small generated region (deterministic), shared by the ingest tests of one worker."""
    from wmo_sla.generator import generate_region

    out = tmp_path_factory.mktemp("region") / "traffic"
    generate_region(
        out_dir=out,
        contract_yaml=EXAMPLE_CONTRACT,
        clients=80,
        providers=4,
        date_from=dt.date(2023, 1, 1),
        date_to=dt.date(2023, 12, 31),
        seed=7,
    )
    return out


@pytest.fixture(scope="session")
def region_files(small_region: Path) -> list[tuple[str, bytes]]:
    return [
        (str(p.relative_to(small_region)), p.read_bytes())
        for p in sorted(small_region.rglob("*.xml"))
    ]
