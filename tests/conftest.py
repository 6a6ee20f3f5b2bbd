# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.cache import cache
from django.db import connection

import pytest

from tests.factories import TEST_PASSWORD, UserFactory


def set_audit_append_only(enabled: bool) -> None:
    """Switch the database-level append-only guard of the audit log (see audit migration 0002)."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_guard SET append_only = %s", [1 if enabled else 0])


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return any(name in request.fixturenames for name in ("transactional_db", "live_server"))


@pytest.fixture(autouse=True)
def _audit_guard_off_before_flush(request: pytest.FixtureRequest):
    """Transactional tests end with a table flush; SQLite's DELETE would hit the audit trigger.

    Switching the guard off happens in this fixture's teardown, which runs before pytest-django's
    flush because this fixture depends on its database helper.
    """
    transactional = _is_transactional(request)
    if transactional:
        request.getfixturevalue("_django_db_helper")
    yield
    if transactional:
        set_audit_append_only(False)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: rolled-back rows give their ids to the next test's
    rows (SQLite reuses rowids), so a key such as a run id can mean other data across tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def contractmanager(db):
    return UserFactory(username="cm", contractmanager=True)


@pytest.fixture
def analist(db):
    return UserFactory(username="analist", analist=True)


@pytest.fixture
def beheerder(db):
    return UserFactory(username="beheerder", beheerder=True)


@pytest.fixture
def provider_user(db):
    return UserFactory(username="aanbieder", provider=True)


REPO = Path(__file__).resolve().parents[1]
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
