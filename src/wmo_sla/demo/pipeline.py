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
    clients: int = 5000
    providers: int = 12
    seed: int = 1
    logins: list[DemoLogin] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def traffic_dir(self) -> Path:
        return self.data_dir / "demo-traffic" / f"c{self.clients}-p{self.providers}-s{self.seed}"


@dataclass(frozen=True)
class Stage:
    name: str
    run: Callable[[DemoContext], None]
    shows_progress: bool = False  # the stage draws its own progress bar


def _progress_bar(ctx: DemoContext) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    return Progress(
        "  [progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=ctx.console,
        transient=True,
    )


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


def _generate_traffic(ctx: DemoContext) -> None:
    """Generate the synthetic region once; the same parameters give the same bytes, so reuse it."""
    import datetime as dt
    import shutil

    from wmo_sla.generator import generate_region

    target = ctx.traffic_dir
    if (target / "manifest.json").exists():
        ctx.notes.append(f"Berichtenverkeer: bestaande demo-regio in {target} hergebruikt.")
        return
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    with _progress_bar(ctx) as bar:
        task = bar.add_task("Berichten genereren", total=None)
        summary = generate_region(
            out_dir=partial,
            contract_yaml=ctx.contract_file,
            clients=ctx.clients,
            providers=ctx.providers,
            date_from=dt.date(2022, 1, 1),
            date_to=dt.date(2024, 12, 31),
            seed=ctx.seed,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    partial.rename(target)
    ctx.notes.append(
        f"Berichtenverkeer: {summary.files} berichten voor {summary.clients} cliënten gegenereerd."
    )


def _ingest_traffic(ctx: DemoContext) -> None:
    from wmo_sla.ingest.constants import BatchSource
    from wmo_sla.ingest.services import ingest_paths

    with _progress_bar(ctx) as bar:
        task = bar.add_task("Berichten inlezen", total=None)
        report = ingest_paths(
            paths=[ctx.traffic_dir],
            source=BatchSource.DEMO,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
            label="Demo-regio",
        )
    ctx.notes.append(
        f"Inlezen: {report.accepted} geaccepteerd, {report.duplicates} al eerder ingelezen, "
        f"{report.rejected} afgewezen (zie Berichten inlezen)."
    )


DEMO_AS_OF = (2024, 12, 31)  # the generated traffic runs until this date


def _compute_kpis(ctx: DemoContext) -> None:
    import datetime as dt

    from wmo_sla.kpis.services import kpis_compute

    run = kpis_compute(as_of=dt.date(*DEMO_AS_OF))
    ctx.notes.append(
        f"KPI's: berekening #{run.pk} met peildatum {run.as_of}: {run.figure_count} kengetallen."
    )


STAGES: list[Stage] = [
    Stage("Database aanmaken en bijwerken", _migrate),
    Stage("Contractdefinitie laden", _load_contract),
    Stage("Demogebruikers aanmaken", _create_users),
    Stage("Berichtenverkeer van de demo-regio genereren", _generate_traffic, shows_progress=True),
    Stage("Berichtenverkeer inlezen", _ingest_traffic, shows_progress=True),
    Stage("KPI's berekenen", _compute_kpis),
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
        if stage.shows_progress:
            ctx.console.print(f"  [{number}/{len(stages)}] {stage.name} …")
            stage.run(ctx)
        else:
            with ctx.console.status(f"[{number}/{len(stages)}] {stage.name} …"):
                stage.run(ctx)
        ctx.console.print(f"[green]✓[/green] [{number}/{len(stages)}] {stage.name}")
    return ctx
