# SPDX-License-Identifier: EUPL-1.2
"""The demo as a pipeline of stages. Later work adds stages (generate traffic, ingest, compute KPIs).

A stage is a name plus a function of the shared :class:`DemoContext`. Stages are idempotent: running
the demo twice gives the same database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEMO_PASSWORD = "wmo-sla-demo"  # noqa: S105 - demo only, documented in the README, loopback only


@dataclass
class DemoLogin:
    username: str
    role: str
    organisation: str = ""


@dataclass
class DemoContext:
    data_dir: Path
    contract_file: Path
    console: Any
    logins: list[DemoLogin] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[DemoContext], None]


def _migrate(ctx: DemoContext) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def _load_contract(ctx: DemoContext) -> None:
    from wmo_sla.contracts.services import contract_definition_load

    report = contract_definition_load(path=ctx.contract_file)
    created = sum(report.created.values())
    updated = sum(report.updated.values())
    ctx.notes.append(
        f"Contractdefinitie {ctx.contract_file.name}: {created} aangemaakt, {updated} gewijzigd."
    )


def _create_users(ctx: DemoContext) -> None:
    from wmo_sla.accounts.roles import Role
    from wmo_sla.accounts.services import user_upsert
    from wmo_sla.contracts.models import Aanbieder

    for username, role in (
        ("contractmanager", Role.CONTRACTMANAGER),
        ("analist", Role.ANALIST),
        ("beheerder", Role.BEHEERDER),
    ):
        user_upsert(username=username, role=role, password=DEMO_PASSWORD)
        ctx.logins.append(DemoLogin(username, str(role.label)))
    for index, aanbieder in enumerate(Aanbieder.objects.order_by("name")[:2], start=1):
        username = f"aanbieder{index}"
        user_upsert(
            username=username, role=Role.AANBIEDER, password=DEMO_PASSWORD, aanbieder=aanbieder
        )
        ctx.logins.append(DemoLogin(username, str(Role.AANBIEDER.label), aanbieder.name))


STAGES: list[Stage] = [
    Stage("Database aanmaken en bijwerken", _migrate),
    Stage("Contractdefinitie laden", _load_contract),
    Stage("Demogebruikers aanmaken", _create_users),
]


def default_contract_file() -> Path:
    """The demo contract: packaged copy first, else the repository's examples/ folder."""
    packaged = Path(__file__).with_name("contract-drechtsteden.yaml")
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parents[3] / "examples" / "contract-drechtsteden.yaml"


def run_demo(ctx: DemoContext, stages: list[Stage] | None = None) -> DemoContext:
    stages = STAGES if stages is None else stages
    for number, stage in enumerate(stages, start=1):
        with ctx.console.status(f"[{number}/{len(stages)}] {stage.name} …"):
            stage.run(ctx)
        ctx.console.print(f"[green]✓[/green] [{number}/{len(stages)}] {stage.name}")
    return ctx
