# SPDX-License-Identifier: EUPL-1.2
"""Test support: XML files → FactFrames → DerivedState without a database, and product maps."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import polars as pl

from wmo_sla.engine.frames import fact_frames_from_messages
from wmo_sla.engine.state import DerivedState, FactFrames, derive_state
from wmo_sla.ingest.iwmo import ParsedMessage, Pseudonymizer, parse_message

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPO = Path(__file__).resolve().parents[2]
CONTRACT = REPO / "examples" / "contract-drechtsteden.yaml"
PSEUDONYMIZER = Pseudonymizer(b"engine-trajectories-test-key-0123")


def parse_files(paths: Iterable[Path]) -> list[ParsedMessage]:
    parsed: list[ParsedMessage] = []
    for path in sorted(paths):
        result = parse_message(path.read_bytes(), pseudonymizer=PSEUDONYMIZER)
        assert isinstance(result, ParsedMessage), (path, getattr(result, "problems", None))
        parsed.append(result)
    return parsed


def facts_from_dir(directory: Path) -> FactFrames:
    return fact_frames_from_messages(parse_files(directory.rglob("*.xml")))


def state_from_dir(directory: Path) -> DerivedState:
    return derive_state(facts_from_dir(directory))


def key(bsn: str) -> str:
    """The client_key of a BSN under the test pseudonymizer."""
    return PSEUDONYMIZER.client_key(bsn)


def contract_products(contract: Path = CONTRACT) -> pl.DataFrame:
    """The product map (categorie, productcode, product_group, referentiegroep) of a contract."""
    import yaml

    data = yaml.safe_load(contract.read_text(encoding="utf-8"))
    rows = [
        (str(p["categorie"]), str(p["code"]), str(p["product_group"]), str(p["referentiegroep"]))
        for p in data["products"]
    ]
    return pl.DataFrame(
        rows,
        schema=["categorie", "productcode", "product_group", "referentiegroep"],
        orient="row",
    ).unique()
