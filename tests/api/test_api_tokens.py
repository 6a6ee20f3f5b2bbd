# SPDX-License-Identifier: EUPL-1.2
"""API tokens: authentication, the token page per role, the management command, the audit log."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

import pytest

from tests.factories import AanbiederFactory, UserFactory
from wmo_sla.api.models import ApiToken
from wmo_sla.api.services import ApiTokenError, token_create, token_revoke
from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.models import AuditEvent

from .conftest import Api

pytestmark = pytest.mark.django_db

LIST = "/api/v1/rapportages/"


def _database_text() -> str:
    """Every value of every table, as text (to prove a secret is stored nowhere)."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the schema)
            for row in cursor.fetchall():
                chunks.extend(
                    v.decode("utf-8", "replace") if isinstance(v, bytes | memoryview) else str(v)
                    for v in (bytes(c) if isinstance(c, memoryview) else c for c in row)
                )
    return "\n".join(chunks)


# --- authentication ---------------------------------------------------------------------------


def test_a_valid_token_authenticates_as_its_user_with_either_keyword(client, world, tokens):
    for keyword in ("Bearer", "Token"):
        response = Api(client, tokens["own"], keyword).get("/api/v1/me/")
        assert response.status_code == 200
        assert response.json()["username"] == "prov-eigen"
        assert response.json()["aanbieder"]["name"] == "Zorg Eigen"


def test_no_header_gives_401_with_a_challenge(client, world):
    response = client.get(LIST)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    "secret",
    ["wsla_abcdefgh_verkeerd", "iets-anders", "wsla_" + "x" * 300],
)
def test_a_wrong_token_gives_401(client, world, tokens, secret):
    response = Api(client, secret).get(LIST)
    assert response.status_code == 401
    assert response.json()["detail"] == "Onbekend of ongeldig API-token."


def test_a_token_with_one_character_changed_is_refused(client, world, tokens):
    secret = tokens["own"]
    tampered = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert Api(client, tampered).get(LIST).status_code == 401


def test_a_revoked_token_gives_401_and_says_so(client, world, tokens):
    token = ApiToken.objects.get(user=world.provider)
    token_revoke(actor=world.provider, token=token)
    response = Api(client, tokens["own"]).get(LIST)
    assert response.status_code == 401
    assert "ingetrokken" in response.json()["detail"]


def test_an_expired_token_gives_401_after_its_last_day(client, world):
    created = token_create(
        actor=None, user=world.provider, name="Kort", expires_on=timezone.localdate()
    )
    assert Api(client, created.secret).get(LIST).status_code == 200  # the last day still counts
    ApiToken.objects.filter(pk=created.token.pk).update(
        expires_on=timezone.localdate() - dt.timedelta(days=1)
    )
    response = Api(client, created.secret).get(LIST)
    assert response.status_code == 401
    assert "verlopen" in response.json()["detail"]


def test_an_inactive_user_gives_401(client, world, tokens):
    world.provider.is_active = False
    world.provider.save()
    response = Api(client, tokens["own"]).get(LIST)
    assert response.status_code == 401
    assert "niet meer actief" in response.json()["detail"]


def test_a_user_who_moved_to_another_aanbieder_gives_401(client, world, tokens):
    world.provider.aanbieder = AanbiederFactory(name="Nieuwe Werkgever")
    world.provider.save()
    response = Api(client, tokens["own"]).get(LIST)
    assert response.status_code == 401
    assert "hoort niet meer bij de organisatie" in response.json()["detail"]


def test_use_is_recorded_coarsely(client, world, tokens):
    for _ in range(3):
        assert Api(client, tokens["own"]).get(LIST).status_code == 200
    token = ApiToken.objects.get(user=world.provider)
    assert token.last_used_at is not None
    events = AuditEvent.objects.filter(action=AuditAction.API_TOKEN_USED, object_id=str(token.pk))
    assert events.count() == 1
    assert events.get().actor_repr == "prov-eigen"


# --- creating and revoking ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["contractmanager", "analist", "beheerder"])
def test_only_provider_users_get_a_token(world, role):
    user = UserFactory(**{role: True})
    with pytest.raises(ApiTokenError, match="alleen voor aanbieder-gebruikers"):
        token_create(actor=None, user=user, name="x")
    assert not ApiToken.objects.exists()


def test_a_provider_cannot_create_a_token_for_another_organisation(world):
    with pytest.raises(ApiTokenError, match="eigen organisatie"):
        token_create(actor=world.other_provider, user=world.provider, name="x")
    with pytest.raises(ApiTokenError, match="in het verleden"):
        token_create(
            actor=world.provider,
            user=world.provider,
            name="x",
            expires_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert not ApiToken.objects.exists()


def test_creation_and_revocation_are_audit_logged(world):
    created = token_create(actor=world.provider, user=world.provider, name="Systeem")
    token_revoke(actor=world.colleague, token=created.token)
    events = list(
        AuditEvent.objects.filter(object_id=str(created.token.pk), object_type="api.apitoken")
        .order_by("id")
        .values_list("action", "actor_repr", "extra__event")
    )
    assert events == [
        (AuditAction.CREATE, "prov-eigen", "api_token_aangemaakt"),
        (AuditAction.UPDATE, "prov-collega", "api_token_ingetrokken"),
    ]
    with pytest.raises(ApiTokenError, match="al ingetrokken"):
        token_revoke(actor=world.provider, token=created.token)
    with pytest.raises(ApiTokenError, match="eigen organisatie"):
        token_revoke(
            actor=world.other_provider,
            token=token_create(actor=None, user=world.provider, name="Ander").token,
        )


# --- the page ------------------------------------------------------------------------------------


def test_provider_creates_a_token_on_the_page_and_sees_the_secret_once(client, world):
    client.force_login(world.provider)
    url = reverse("api_tokens:list")
    page = client.get(url)
    assert page.status_code == 200
    assert "Nieuw token aanmaken" in page.content.decode()
    schema_url = reverse("api:schema")
    assert schema_url in page.content.decode()
    assert client.get(schema_url).status_code == 200  # the linked documentation opens

    response = client.post(url, {"name": "Ons ECD", "description": "", "expires_on": ""})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    secret = re.search(r">(wsla_[^<]+)</textarea>", body).group(1)
    assert "U ziet het maar één keer" in body

    token = ApiToken.objects.get()
    assert token.user == world.provider and token.aanbieder == world.own
    assert token.prefix in secret
    # Only the hash is stored: neither the secret nor its random part is anywhere in the database.
    stored = _database_text()
    assert token.key_hash in stored  # the scan does reach the token table
    assert secret not in stored
    assert secret.rsplit("_", 1)[1] not in stored
    # The list shows the token by its prefix, never the secret again.
    listing = client.get(url).content.decode()
    assert "Ons ECD" in listing and token.prefix in listing and secret not in listing
    # And the secret works.
    client.logout()
    assert Api(client, secret).get(LIST).status_code == 200


def test_the_form_explains_bad_input(client, world):
    client.force_login(world.provider)
    response = client.post(reverse("api_tokens:list"), {"name": "", "expires_on": "31-02-2025"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Geef het token een naam." in body
    assert "Vul een geldige datum in" in body
    assert not ApiToken.objects.exists()


def test_provider_revokes_a_token_of_its_organisation_on_the_page(client, world, tokens):
    token = ApiToken.objects.get(user=world.colleague)
    client.force_login(world.provider)
    confirm = client.get(reverse("api_tokens:revoke", args=[token.pk]))
    assert confirm.status_code == 200 and "Token intrekken" in confirm.content.decode()
    response = client.post(reverse("api_tokens:revoke", args=[token.pk]), follow=True)
    assert "is ingetrokken" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == world.provider
    client.logout()
    assert Api(client, tokens["colleague"]).get(LIST).status_code == 401


def test_a_provider_never_sees_or_revokes_another_organisations_token(client, world, tokens):
    other_token = ApiToken.objects.get(user=world.other_provider)
    client.force_login(world.provider)
    listing = client.get(reverse("api_tokens:list")).content.decode()
    assert "Zorg Ander" not in listing and other_token.prefix not in listing
    assert client.get(reverse("api_tokens:revoke", args=[other_token.pk])).status_code == 404
    assert client.post(reverse("api_tokens:revoke", args=[other_token.pk])).status_code == 404
    other_token.refresh_from_db()
    assert other_token.revoked_at is None


def test_beheerder_lists_and_revokes_every_token_but_creates_none(client, world, tokens):
    beheerder = UserFactory(beheerder=True)
    client.force_login(beheerder)
    listing = client.get(reverse("api_tokens:list")).content.decode()
    assert "Zorg Eigen" in listing and "Zorg Ander" in listing
    assert "Nieuw token aanmaken" not in listing
    assert client.post(reverse("api_tokens:list"), {"name": "x"}).status_code == 404
    other_token = ApiToken.objects.get(user=world.other_provider)
    client.post(reverse("api_tokens:revoke", args=[other_token.pk]))
    other_token.refresh_from_db()
    assert other_token.revoked_by == beheerder


@pytest.mark.parametrize("role", ["contractmanager", "analist"])
def test_municipality_roles_have_no_token_page(client, world, role):
    client.force_login(UserFactory(**{role: True}))
    assert client.get(reverse("api_tokens:list")).status_code == 403


def test_own_organisation_page_links_to_the_tokens(client, world):
    client.force_login(world.provider)
    page = client.get(reverse("web:own_aanbieder"), follow=True).content.decode()
    assert reverse("api_tokens:list") in page


# --- management command -----------------------------------------------------------------------------


def test_command_creates_lists_and_revokes(client, world):
    out = io.StringIO()
    call_command(
        "api_token",
        "create",
        "--user",
        "prov-eigen",
        "--name",
        "ECD",
        "--expires",
        "2099-12-31",
        stdout=out,
    )
    secret = out.getvalue().strip().splitlines()[-1]
    assert secret.startswith("wsla_")
    token = ApiToken.objects.get()
    assert token.expires_on == dt.date(2099, 12, 31) and token.created_by is None
    assert Api(client, secret).get(LIST).status_code == 200

    listing = io.StringIO()
    call_command("api_token", "list", stdout=listing)
    assert token.prefix in listing.getvalue() and "Zorg Eigen" in listing.getvalue()
    assert secret not in listing.getvalue()

    call_command("api_token", "revoke", f"wsla_{token.prefix}_…", stdout=io.StringIO())
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Api(client, secret).get(LIST).status_code == 401
    with pytest.raises(CommandError, match="al ingetrokken"):
        call_command("api_token", "revoke", token.prefix, stdout=io.StringIO())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "cm-rap", "--name", "x"], "alleen voor aanbieder-gebruikers"),
        (["--user", "niemand", "--name", "x"], "bestaat niet"),
        (["--user", "prov-eigen", "--name", "x", "--expires", "31-12-2099"], "geen datum"),
    ],
)
def test_command_refuses_bad_input_and_creates_nothing(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("api_token", "create", *args, stdout=io.StringIO())
    assert not ApiToken.objects.exists()


# Like ``wmo-sla manage``, the command closes the database connections when it ends: transactional.
@pytest.mark.django_db(transaction=True)
def test_wmo_sla_api_token_runs_the_command(client, world, capsys):
    from wmo_sla.cli import EXIT_OK, main

    assert main(["api-token", "create", "--user", "prov-eigen", "--name", "ECD"]) == EXIT_OK
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert Api(client, secret).get(LIST).status_code == 200
    with pytest.raises(SystemExit) as exc:
        main(["api-token", "create", "--user", "cm-rap", "--name", "x"])
    assert exc.value.code == 1
    assert "alleen voor aanbieder-gebruikers" in capsys.readouterr().err
    assert ApiToken.objects.count() == 1
