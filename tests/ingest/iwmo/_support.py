# SPDX-License-Identifier: EUPL-1.2
"""Paths and helpers shared by the iWmo parser tests.

The shared reference folder (official XSDs and examples) lives next to the repository, at
``<repo>/../shared/reference/iwmo``; ``WMO_SLA_SHARED_DIR`` points elsewhere (either at the
``shared`` folder or directly at the ``iwmo`` folder). Tests that need it are skipped without it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from wmo_sla.ingest.iwmo import (
    ParsedMessage,
    Problem,
    Pseudonymizer,
    RejectedMessage,
    parse_message,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEST_KEY = b"wmo-sla-test-pseudonym-key-0001"


def reference_dir() -> Path:
    override = os.environ.get("WMO_SLA_SHARED_DIR")
    if override:
        base = Path(override)
        for candidate in (base / "reference" / "iwmo", base / "iwmo", base):
            if (candidate / "xsd").is_dir():
                return candidate.resolve()
        return (base / "reference" / "iwmo").resolve()
    return (REPO_ROOT / ".." / "shared" / "reference" / "iwmo").resolve()


REFERENCE = reference_dir()
HAVE_REFERENCE = (REFERENCE / "xsd" / "basisschema.xsd").is_file()
needs_reference = pytest.mark.skipif(
    not HAVE_REFERENCE, reason=f"gedeelde iWmo-referentiemap ontbreekt: {REFERENCE}"
)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse_ok(data: bytes, pseudonymizer: Pseudonymizer, **kwargs: Any) -> ParsedMessage:
    """Parse and insist on success; on failure show the problems (they hold no BSN)."""
    result = parse_message(data, pseudonymizer=pseudonymizer, **kwargs)
    assert isinstance(result, ParsedMessage), [(p.rule, p.path, p.message) for p in result.problems]
    return result


def parse_rejected(data: bytes, pseudonymizer: Pseudonymizer, **kwargs: Any) -> RejectedMessage:
    result = parse_message(data, pseudonymizer=pseudonymizer, **kwargs)
    assert isinstance(result, RejectedMessage), "bericht had afgewezen moeten worden"
    return result


def only_problem(result: RejectedMessage, rule: str) -> Problem:
    """The single error with ``rule`` (and fail when there are other errors)."""
    errors = [p for p in result.problems if p.severity == "error"]
    assert [p.rule for p in errors] == [rule], [(p.rule, p.path, p.message) for p in errors]
    return errors[0]
