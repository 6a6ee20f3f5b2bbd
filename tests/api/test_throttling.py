# SPDX-License-Identifier: EUPL-1.2
"""The API limits how fast one user (session or API token) may call it: DRF's user throttle, 600
requests a minute (``REST_FRAMEWORK`` in ``conf/base.py``); the test lowers the rate to 5."""

from __future__ import annotations

from django.test import Client

import pytest
from rest_framework.throttling import UserRateThrottle

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_a_minute(monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "5/min"})


def test_a_user_is_slowed_down_past_the_rate_and_told_when_to_retry(five_a_minute):
    client = Client()
    client.force_login(UserFactory(contractmanager=True))
    responses = [client.get("/api/v1/me/") for _ in range(6)]
    assert [r.status_code for r in responses] == [200] * 5 + [429]
    assert int(responses[-1]["Retry-After"]) > 0


def test_the_rate_is_per_user(five_a_minute):
    first, second = Client(), Client()
    first.force_login(UserFactory(contractmanager=True))
    second.force_login(UserFactory(contractmanager=True))
    for _ in range(5):
        first.get("/api/v1/me/")
    assert first.get("/api/v1/me/").status_code == 429
    assert second.get("/api/v1/me/").status_code == 200
