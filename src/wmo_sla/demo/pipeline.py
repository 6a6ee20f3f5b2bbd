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


# The dialogue the served demo shows (stage "Dialoog van de demo klaarzetten").
DEMO_PROVIDER = "aanbieder1"
DEMO_CONTRACTMANAGER = "contractmanager"
DEMO_MEETING_IN_DAYS = 14  # the planned meeting lies this far after the day the demo is built
DEMO_AGREEMENT_WEEKS = 8  # the agreement is due this long after the meeting


def _choose_demo_figure(*, provider: Any, run: Any) -> Any:
    """The provider's newest flagged figure it may see, preferring a main KPI over the whole
    region in a quarter (what a contract manager would discuss first). Deterministic."""
    from wmo_sla.benchmark.selectors_overview import REGIO
    from wmo_sla.dialogue.selectors import PACK_CODES, flagged_figures_for

    flagged = flagged_figures_for(user=provider, run=run)
    preferred = flagged.filter(gemeente=REGIO, kpi__in=PACK_CODES, period__contains="Q")
    return (
        preferred.order_by("-period", "kpi", "referentiegroep").first()
        or flagged.order_by("-period", "kpi", "referentiegroep", "gemeente", "id").first()
    )


def _publish_demo_contracts(ctx: DemoContext, *, actor: Any, run: Any) -> None:
    """Publish the main KPIs of each demo contract for the latest year and quarter with definitive
    figures. A contract whose publication was already set (by the demo or by a user) is left as is."""
    from wmo_sla.benchmark.selectors_overview import DEFAULT_CODES, REGIO
    from wmo_sla.contracts.models import Contract
    from wmo_sla.kpis.models import Figure
    from wmo_sla.publication.selectors import PUBLISHED_STATUS, publication_of
    from wmo_sla.publication.services import save_publication

    final = set(
        Figure.objects.filter(run=run, kpi="K1", gemeente=REGIO, status=PUBLISHED_STATUS)
        .values_list("period", flat=True)
        .distinct()
        .order_by()
    )
    years = sorted(p for p in final if len(p) == 4)
    quarters = sorted(p for p in final if "Q" in p)
    periods = [*years[-1:], *quarters[-1:]]
    if not periods:
        ctx.notes.append("Openbare pagina: nog geen definitieve kengetallen, niets gepubliceerd.")
        return
    published = []
    for contract in Contract.objects.order_by("code"):
        if publication_of(contract) is not None:
            continue
        save_publication(
            contract=contract,
            enabled=True,
            kpi_codes=list(DEFAULT_CODES),
            periods=periods,
            actor=actor,
        )
        published.append(contract.code)
    if published:
        ctx.notes.append(
            f"Openbare pagina (/openbaar/): {', '.join(published)} gepubliceerd over "
            f"{' en '.join(periods)}."
        )


def _demo_dialogue(ctx: DemoContext) -> None:
    """Make the served demo show the dialogue, through the same services as the pages: a published
    public page, a submitted and answered toelichting of aanbieder1, a planned voortgangsgesprek
    over the latest quarter with one open verbeterafspraak. Running it again changes nothing."""
    import datetime as dt

    from django.utils import timezone

    from wmo_sla.accounts.models import User
    from wmo_sla.benchmark.selectors import current_run
    from wmo_sla.benchmark.selectors_overview import default_period, periods_of
    from wmo_sla.dialogue import selectors as dialogue_selectors
    from wmo_sla.dialogue import services as dialogue_services
    from wmo_sla.dialogue.models import Oorzaak, ToelichtingStatus

    run = current_run()
    manager = User.objects.filter(username=DEMO_CONTRACTMANAGER).first()
    provider = (
        User.objects.filter(username=DEMO_PROVIDER, aanbieder__isnull=False)
        .select_related("aanbieder")
        .first()
    )
    if run is None or manager is None:
        ctx.notes.append("Dialoog: geen berekening of contractmanager; niets klaargezet.")
        return
    _publish_demo_contracts(ctx, actor=manager, run=run)
    aanbieder = provider.aanbieder if provider is not None else None
    if provider is None or aanbieder is None:
        ctx.notes.append(
            f"Dialoog: gebruiker {DEMO_PROVIDER} ontbreekt; geen toelichting of gesprek."
        )
        return

    figure = _choose_demo_figure(provider=provider, run=run)
    if figure is None:
        ctx.notes.append(
            f"Dialoog: {aanbieder} heeft geen kengetal met een vlag; geen toelichting."
        )
    else:
        identity = dialogue_services.FigureIdentity.of(figure)
        toelichting = dialogue_selectors.toelichting_for_identity(user=provider, identity=identity)
        if toelichting is None:
            toelichting = dialogue_services.toelichting_write(
                actor=provider,
                identity=identity,
                figure=figure,
                oorzaak=Oorzaak.PERSONEEL,
                tekst=(
                    "In deze periode waren twee van de vijf begeleiders langdurig ziek. Nieuwe "
                    "cliënten zijn daardoor later gestart en berichten zijn later verstuurd."
                ),
                maatregel=(
                    "Twee invalkrachten aangenomen; de planner controleert wekelijks de "
                    "openstaande toewijzingen."
                ),
                submit=True,
            )
        if toelichting.status == ToelichtingStatus.INGEDIEND and not toelichting.reacties.exists():
            dialogue_services.toelichting_respond(
                actor=manager,
                toelichting=toelichting,
                tekst=(
                    "Dank voor de toelichting. We bespreken in het voortgangsgesprek of de "
                    "invalkrachten genoeg zijn om de wachttijd terug te brengen."
                ),
            )
            toelichting.refresh_from_db()
        ctx.notes.append(
            f"Dialoog: toelichting van {aanbieder} op {figure.kpi} {figure.referentiegroep} "
            f"{figure.gemeente} {figure.period} ({toelichting.get_status_display().lower()})."
        )

    period = default_period(periods_of(run))
    if period is None:
        return
    gesprek = (
        dialogue_selectors.gesprekken_visible_to(manager)
        .filter(aanbieder=aanbieder, period=period)
        .order_by("date", "id")
        .first()
    )
    if gesprek is None:
        gesprek = dialogue_services.gesprek_plan(
            actor=manager,
            aanbieder=aanbieder,
            period=period,
            date=timezone.localdate() + dt.timedelta(days=DEMO_MEETING_IN_DAYS),
            deelnemers=f"Contractmanager gemeente; directeur en kwaliteitsmedewerker {aanbieder}",
        )
    if not dialogue_selectors.afspraken_visible_to(manager).filter(gesprek=gesprek).exists():
        dialogue_services.afspraak_create(
            actor=manager,
            gesprek=gesprek,
            actie=(
                "Start- en stopberichten binnen 5 werkdagen versturen; de aanbieder meldt elke "
                "maand hoeveel berichten te laat waren."
            ),
            eigenaar=f"Kwaliteitsmedewerker {aanbieder}",
            deadline=gesprek.date + dt.timedelta(weeks=DEMO_AGREEMENT_WEEKS),
        )
    ctx.notes.append(
        f"Dialoog: voortgangsgesprek met {aanbieder} over {period} op {gesprek.date:%d-%m-%Y} "
        "met een open verbeterafspraak."
    )


def _demo_reporting(ctx: DemoContext) -> None:
    from wmo_sla.demo.reporting import demo_reporting

    demo_reporting(ctx)


STAGES: list[Stage] = [
    Stage("Database aanmaken en bijwerken", _migrate),
    Stage("Contractdefinitie laden", _load_contract),
    Stage("Demogebruikers aanmaken", _create_users),
    Stage("Berichtenverkeer van de demo-regio genereren", _generate_traffic, shows_progress=True),
    Stage("Berichtenverkeer inlezen", _ingest_traffic, shows_progress=True),
    Stage("KPI's berekenen", _compute_kpis),
    Stage("Dialoog en openbare pagina van de demo klaarzetten", _demo_dialogue),
    Stage("Rapportages van de demo klaarzetten", _demo_reporting),
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
