# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from django.db import connection

import pytest

from tests.factories import TEST_PASSWORD, UserFactory


def set_audit_append_only(enabled: bool) -> None:
    """Switch the database-level append-only guard of the audit log (see audit migration 0002)."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_guard SET append_only = %s", [1 if enabled else 0])


@pytest.fixture
def _audit_guard_off_for_flush(transactional_db):
    """Transactional tests end with a table flush; SQLite's DELETE would hit the audit trigger."""
    yield
    set_audit_append_only(False)


@pytest.fixture(autouse=True)
def _transactional_guard(request):
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("_audit_guard_off_for_flush")
    yield


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
