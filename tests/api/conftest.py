# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import json
from typing import Any

import pytest

# The reporting world (two aanbieders on one contract, three obligations) is this folder's too.
from tests.reporting.conftest import World, at, world  # noqa: F401
from wmo_sla.api.services import token_create


@pytest.fixture
def tokens(world: World) -> dict[str, str]:  # noqa: F811
    """One API token (the secret) per aanbieder-gebruiker of the reporting world."""
    return {
        "own": token_create(actor=None, user=world.provider, name="Cliëntsysteem").secret,
        "colleague": token_create(actor=None, user=world.colleague, name="Collega").secret,
        "other": token_create(actor=None, user=world.other_provider, name="Ander").secret,
    }


class Api:
    """The Django test client speaking JSON with an ``Authorization`` header."""

    def __init__(self, client: Any, secret: str | None, keyword: str = "Bearer") -> None:
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"{keyword} {secret}"} if secret else {}

    def get(self, url: str) -> Any:
        return self.client.get(url, **self.headers)

    def put(self, url: str, body: Any) -> Any:
        return self.client.put(
            url, json.dumps(body), content_type="application/json", **self.headers
        )

    def post(self, url: str, body: Any = None) -> Any:
        return self.client.post(
            url, json.dumps(body or {}), content_type="application/json", **self.headers
        )
