# SPDX-License-Identifier: EUPL-1.2
"""``wmo-sla manage send_report_reminders``: reminders before the due date and overdue notices.

Meant for cron (daily). Idempotent: a reminder or notice is sent at most once per aanbieder ×
obligation × period, whatever the number of runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from wmo_sla.reporting.services import send_reminders


class Command(BaseCommand):
    help = "Stuur herinneringen voor rapportages die binnenkort moeten, en meldingen bij te laat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--datum",
            help="Doe alsof het deze datum is (jjjj-mm-dd); standaard vandaag.",
        )
        parser.add_argument(
            "--proef",
            action="store_true",
            help="Toon wat verstuurd zou worden, zonder te versturen of vast te leggen.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options["datum"]:
            try:
                on = dt.date.fromisoformat(options["datum"])
            except ValueError:
                raise CommandError(
                    f"--datum {options['datum']!r} is geen datum; gebruik jjjj-mm-dd."
                ) from None
        sent = send_reminders(on=on, dry_run=options["proef"])
        verb = "zou versturen" if options["proef"] else "verstuurd"
        for reminder in sent:
            self.stdout.write(
                f"{reminder.kind}: {reminder.obligation.get_kind_display()} {reminder.period} "
                f"({reminder.aanbieder.name}, uiterlijk {reminder.due_date:%d-%m-%Y}) → "
                f"{', '.join(reminder.recipients)}"
            )
        self.stdout.write(f"{len(sent)} bericht(en) {verb}.")
