# SPDX-License-Identifier: EUPL-1.2
"""Fixtures for the iWmo parser tests: pure, no database."""

from __future__ import annotations

import pytest

from tests.ingest.iwmo._support import HAVE_REFERENCE, REFERENCE, TEST_KEY
from wmo_sla.ingest.iwmo import Pseudonymizer, SchemaSet


@pytest.fixture(scope="session")
def pseudonymizer() -> Pseudonymizer:
    return Pseudonymizer(TEST_KEY)


@pytest.fixture(scope="session")
def schemas() -> SchemaSet:
    if not HAVE_REFERENCE:
        pytest.skip(f"gedeelde iWmo-referentiemap ontbreekt: {REFERENCE}")
    return SchemaSet.from_directory(REFERENCE / "xsd")
