# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

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
