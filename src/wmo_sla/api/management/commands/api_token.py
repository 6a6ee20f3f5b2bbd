# SPDX-License-Identifier: EUPL-1.2
"""``wmo-sla manage api_token create|revoke|list``: API tokens from the command line.

    wmo-sla manage api_token create --user USERNAME --name NAME [--expires YYYY-MM-DD]
    wmo-sla manage api_token revoke PREFIX
    wmo-sla manage api_token list [--all]

``create`` prints the secret once (only its hash is stored). Same rules as the page: the user must
be an active aanbieder-gebruiker who submits reports; everything is audit-logged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wmo_sla.accounts.models import User
from wmo_sla.api.models import ApiToken, TokenState
from wmo_sla.api.services import ApiTokenError, token_create, token_revoke


class Command(BaseCommand):
    help = "Maak, trek in of toon API-tokens van aanbieders."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="ACTIE", required=True)
        create = sub.add_parser("create", help="Maak een token (het geheim verschijnt één keer).")
        create.add_argument("--user", required=True, help="Gebruikersnaam (aanbieder-gebruiker).")
        create.add_argument("--name", required=True, help="Naam van het token.")
        create.add_argument("--description", default="", help="Omschrijving.")
        create.add_argument("--expires", help="Geldig tot en met (jjjj-mm-dd); standaard geen.")
        revoke = sub.add_parser("revoke", help="Trek een token in.")
        revoke.add_argument("prefix", help="De herkenningscode: wsla_<code>_… of alleen <code>.")
        listing = sub.add_parser("list", help="Toon de tokens.")
        listing.add_argument("--all", action="store_true", help="Ook ingetrokken en verlopen.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options)
        elif action == "revoke":
            self._revoke(options["prefix"])
        else:
            self._list(options["all"])

    def _create(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Gebruiker {options['user']!r} bestaat niet.")
        expires = None
        if options["expires"]:
            try:
                expires = dt.date.fromisoformat(options["expires"])
            except ValueError:
                raise CommandError(
                    f"--expires {options['expires']!r} is geen datum; gebruik jjjj-mm-dd."
                ) from None
        try:
            created = token_create(
                actor=None,
                user=user,
                name=options["name"],
                description=options["description"],
                expires_on=expires,
            )
        except ApiTokenError as exc:
            raise CommandError(str(exc)) from None
        token = created.token
        self.stdout.write(
            f"Token {token.name!r} aangemaakt voor {user.get_username()} "
            f"({token.aanbieder.name}), herkenningscode {token.prefix}."
        )
        self.stdout.write("Het geheim verschijnt alleen nu; bewaar het veilig:")
        self.stdout.write(created.secret)

    def _revoke(self, prefix: str) -> None:
        code = prefix.removeprefix("wsla_").split("_", 1)[0].rstrip("…").strip()
        token = ApiToken.objects.filter(prefix=code).first()
        if token is None:
            raise CommandError(f"Geen token met herkenningscode {code!r}.")
        try:
            token_revoke(actor=None, token=token)
        except ApiTokenError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Token {token.name!r} ({token.prefix}) is ingetrokken.")

    def _list(self, show_all: bool) -> None:
        tokens = ApiToken.objects.select_related("user", "aanbieder").order_by("created_at", "id")
        count = 0
        for token in tokens:
            if not show_all and token.state != TokenState.ACTIVE:
                continue
            count += 1
            used = (
                f"{timezone.localtime(token.last_used_at):%Y-%m-%d %H:%M}"
                if token.last_used_at
                else "nooit"
            )
            expires = token.expires_on.isoformat() if token.expires_on else "–"
            self.stdout.write(
                f"{token.prefix}  {token.state:<11}  {token.aanbieder.name}  "
                f"{token.user.get_username()}  {token.name!r}  tot {expires}  gebruikt {used}"
            )
        self.stdout.write(f"{count} token(s).")
