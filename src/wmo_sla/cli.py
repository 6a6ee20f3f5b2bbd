# SPDX-License-Identifier: EUPL-1.2
"""The ``wmo-sla`` command: one entry point with subcommands.

Exit codes: 0 success, 1 the input had problems (reported), 2 usage or fatal error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_INPUT_ERRORS = 1
EXIT_FATAL = 2


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wmo_sla.conf.dev")
    import django

    django.setup()


def _console() -> Any:
    from rich.console import Console

    return Console(stderr=False, highlight=False, soft_wrap=True)


# --- subcommand handlers --------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    _setup_django()
    from django.conf import settings

    from wmo_sla.demo.pipeline import DEMO_PASSWORD, DemoContext, default_contract_file, run_demo

    console = _console()
    contract_file = Path(args.contract) if args.contract else default_contract_file()
    console.print(f"[bold]wmo-sla demo[/bold] · gegevensmap {settings.DATA_DIR}")
    ctx = run_demo(
        DemoContext(
            data_dir=Path(settings.DATA_DIR),
            contract_file=contract_file,
            console=console,
            clients=args.clients,
            providers=args.providers,
            seed=args.seed,
        )
    )
    for note in ctx.notes:
        console.print(f"  {note}")
    from rich.table import Table

    table = Table(title=f"Demo-logins (wachtwoord voor allemaal: {DEMO_PASSWORD})")
    table.add_column("gebruikersnaam")
    table.add_column("rol")
    table.add_column("organisatie")
    for login in ctx.logins:
        table.add_row(login.username, login.role, login.organisation or "–")
    console.print(table)
    if args.no_serve:
        return EXIT_OK
    return _serve(args.host, args.port, console)


def _serve(host: str, port: int, console: Any) -> int:
    from waitress import serve

    from wmo_sla.wsgi import application

    console.print(
        f"[bold]wmo-sla draait op http://{host}:{port}[/bold] — stoppen met Ctrl+C", highlight=False
    )
    with contextlib.suppress(KeyboardInterrupt):
        serve(application, host=host, port=port, threads=8, ident="wmo-sla")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    _setup_django()
    return _serve(args.host, args.port, _console())


def cmd_contracts_load(args: argparse.Namespace) -> int:
    _setup_django()
    from wmo_sla.contracts.services import ContractFileInvalid, contract_definition_load

    console = _console()
    path = Path(args.file)
    if not path.is_file():
        console.print(f"[red]Bestand niet gevonden: {path}[/red]")
        return EXIT_FATAL
    try:
        report = contract_definition_load(path=path, dry_run=args.dry_run)
    except ContractFileInvalid as exc:
        console.print(f"[red]{path}: {len(exc.errors)} fout(en); er is niets gewijzigd.[/red]")
        for error in exc.errors:
            console.print(f"  {path}: {error.path}: {error.message}", markup=False)
        return EXIT_INPUT_ERRORS
    console.print(f"{path}: ingelezen.", highlight=False)
    for line in report.summary_lines():
        console.print(f"  {line}", markup=False, highlight=False)
    return EXIT_OK


def cmd_contracts_dump(args: argparse.Namespace) -> int:
    _setup_django()
    from wmo_sla.contracts.services import contract_definition_dump

    text = contract_definition_dump()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_contracts_index(args: argparse.Namespace) -> int:
    _setup_django()
    from wmo_sla.contracts.models import Contract
    from wmo_sla.contracts.services import (
        IndexationUnavailable,
        tariff_indexation_apply,
        tariff_indexation_propose,
    )

    console = _console()
    contract = Contract.objects.filter(code=args.contract).first()
    if contract is None:
        console.print(f"[red]Onbekend contract: {args.contract}[/red]")
        return EXIT_FATAL
    try:
        proposals = tariff_indexation_propose(contract=contract, year=args.year)
    except IndexationUnavailable as exc:
        console.print(f"[red]{exc}[/red]")
        return EXIT_INPUT_ERRORS
    from rich.table import Table

    table = Table(title=f"Indexatievoorstel {contract.code} voor {args.year}")
    for column in ("product", f"tarief {args.year - 1}", "%", "voorstel", "huidig"):
        table.add_column(column)
    for p in proposals:
        current = "–" if p.current_price is None else f"{p.current_price}"
        table.add_row(
            f"{p.product.categorie}/{p.product.code}",
            f"{p.base_price}",
            f"{p.percentage}",
            f"{p.proposed_price}",
            current,
        )
    console.print(table)
    if args.apply:
        count = tariff_indexation_apply(contract=contract, year=args.year)
        console.print(f"{count} tarief/tarieven opgeslagen (in het auditlog).")
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    _setup_django()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from wmo_sla.ingest.services import ingest_paths
    from wmo_sla.ingest.sources import SourceError

    console = _console()
    paths = [Path(p) for p in args.paths]
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
        disable=args.quiet,
    ) as bar:
        task = bar.add_task("Berichten inlezen", total=None)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        try:
            report = ingest_paths(paths=paths, progress=progress)
        except SourceError as exc:
            console.print(f"[red]{exc}[/red]", markup=True)
            return EXIT_FATAL
    console.print(
        f"Inleesrun #{report.batch_id}: {report.messages} berichten gelezen, "
        f"{report.accepted} geaccepteerd, {report.duplicates} al eerder ingelezen, "
        f"{report.rejected} afgewezen.",
        highlight=False,
    )
    if report.unknown_aanbieders or report.unknown_gemeenten:
        console.print(
            "[yellow]Onbekende partijen (ingelezen onder hun code; koppel ze in Beheer): "
            f"AGB {', '.join(report.unknown_aanbieders) or '–'}; "
            f"gemeente {', '.join(report.unknown_gemeenten) or '–'}[/yellow]",
            highlight=False,
        )
    if report.rejected:
        for rejection in report.rejections[:20]:
            for problem in rejection.problems[:3]:
                console.print(
                    f"  {rejection.file_name}: {rejection.identificatie or '–'}: "
                    f"{problem['path'] or '–'}: [{problem['rule']}] {problem['message']}",
                    markup=False,
                    highlight=False,
                )
        if report.rejected > 20:
            console.print(f"  … en {report.rejected - 20} meer.", highlight=False)
        console.print(
            f"[red]{report.rejected} bericht(en) afgewezen.[/red] Volledig rapport: "
            f"{report.report_path}",
            highlight=False,
        )
        return EXIT_INPUT_ERRORS
    console.print(f"Rapport: {report.report_path}", highlight=False)
    return EXIT_OK


def cmd_kpis_compute(args: argparse.Namespace) -> int:
    _setup_django()
    import datetime as dt

    from wmo_sla.kpis.services import kpis_compute

    console = _console()
    try:
        as_of = dt.date.fromisoformat(args.as_of) if args.as_of else None
    except ValueError:
        console.print(f"Ongeldige datum {args.as_of!r}; gebruik JJJJ-MM-DD.", markup=False)
        return EXIT_FATAL
    with console.status("KPI's berekenen …") as status:

        def progress(step: str) -> None:
            status.update(f"KPI's berekenen: {step} …")
            console.print(f"  {step}", markup=False)

        run = kpis_compute(as_of=as_of, progress=progress)
    console.print(
        f"Berekening #{run.pk} (peildatum {run.as_of}): {run.figure_count} kengetallen in "
        f"{run.seconds:.1f} s; vingerafdruk invoer {run.input_fingerprint[:12]}…",
        markup=False,
    )
    return EXIT_OK


def cmd_kpis_export(args: argparse.Namespace) -> int:
    _setup_django()
    from wmo_sla.kpis.export import ExportError, export_figures

    try:
        text = export_figures(
            period=args.period, kpi=args.kpi, gemeente=args.gemeente, fmt=args.format
        )
    except ExportError as exc:
        _console().print(str(exc), markup=False)
        return EXIT_INPUT_ERRORS
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_kpis_catalogue(args: argparse.Namespace) -> int:
    from wmo_sla.kpis.catalogue import render_catalogue

    text = render_catalogue()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def cmd_survey_import(args: argparse.Namespace) -> int:
    _setup_django()
    from wmo_sla.kpis.survey import SurveyFileInvalid, survey_import

    console = _console()
    path = Path(args.file)
    if not path.is_file():
        console.print(f"Bestand niet gevonden: {path}", markup=False)
        return EXIT_FATAL
    try:
        result = survey_import(path=path)
    except SurveyFileInvalid as exc:
        console.print(f"{path}: {len(exc.errors)} fout(en); er is niets ingelezen.", markup=False)
        for error in exc.errors[:200]:
            console.print(f"  {path}: regel {error.line}: {error.message}", markup=False)
        return EXIT_INPUT_ERRORS
    if result.created:
        console.print(f"{path}: {result.survey_import.rows} antwoorden ingelezen.", markup=False)
    else:
        console.print(f"{path}: dit bestand is al eerder ingelezen; niets gewijzigd.", markup=False)
    return EXIT_OK


def cmd_api_token(args: argparse.Namespace) -> int:
    """``wmo-sla api-token create|revoke|list …``: the management command ``api_token``."""
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["wmo-sla api-token", "api_token", *args.token_args])
    return EXIT_OK


def cmd_manage(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["wmo-sla manage", *args.manage_args])
    return EXIT_OK


# --- parser ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wmo-sla",
        description="SLA-monitoring van Wmo-aanbieders op basis van iWmo-berichtenverkeer.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_text: str) -> Any:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    demo = add("demo", cmd_demo, "Maak een demo-omgeving aan en start de webapplicatie.")
    demo.add_argument("--no-serve", action="store_true", help="Alleen opbouwen, niet starten.")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--contract", help="Ander contractdefinitiebestand (YAML).")
    demo.add_argument("--clients", type=int, default=5000, help="Cliënten in de demo-regio.")
    demo.add_argument("--providers", type=int, default=12, help="Aanbieders in de demo-regio.")
    demo.add_argument("--seed", type=int, default=1, help="Seed van de generator.")

    serve = add("serve", cmd_serve, "Start de webapplicatie (waitress).")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)

    contracts = sub.add_parser(
        "contracts",
        help="Contractdefinities laden en exporteren (YAML).",
        description="Contractdefinities laden en exporteren (YAML).",
    )
    csub = contracts.add_subparsers(dest="contracts_command", metavar="ACTION")
    csub.required = True
    load = csub.add_parser("load", help="Laad een contractdefinitie (alles of niets).")
    load.add_argument("file", help="Pad naar het YAML-bestand.")
    load.add_argument("--dry-run", action="store_true", help="Controleer alleen; wijzig niets.")
    load.set_defaults(handler=cmd_contracts_load)
    dump = csub.add_parser("dump", help="Exporteer alle contractdefinities als YAML.")
    dump.add_argument("--output", "-o", help="Schrijf naar dit bestand in plaats van stdout.")
    dump.set_defaults(handler=cmd_contracts_dump)
    index = csub.add_parser(
        "index", help="Bereken het indexatievoorstel voor de tarieven van een jaar."
    )
    index.add_argument("--contract", required=True, help="Contractcode, bv. BW.")
    index.add_argument("--year", type=int, required=True, help="Tariefjaar, bv. 2026.")
    index.add_argument("--apply", action="store_true", help="Sla de voorgestelde tarieven op.")
    index.set_defaults(handler=cmd_contracts_index)

    from wmo_sla.generator.cli import add_generate_parser

    add_generate_parser(sub)

    ingest = add(
        "ingest",
        cmd_ingest,
        "Lees iWmo 3.2-berichten in: XML-bestanden, mappen (recursief) en zip-archieven.",
    )
    ingest.add_argument("paths", nargs="+", metavar="PATH")
    ingest.add_argument("--quiet", action="store_true", help="Geen voortgangsbalk.")

    kpis = sub.add_parser(
        "kpis",
        help="KPI's berekenen, exporteren en de catalogus schrijven.",
        description="KPI's berekenen, exporteren en de catalogus schrijven.",
    )
    ksub = kpis.add_subparsers(dest="kpis_command", metavar="ACTION")
    ksub.required = True
    compute = ksub.add_parser("compute", help="Bereken alle KPI's (een nieuwe, bewaarde run).")
    compute.add_argument("--as-of", help="Peildatum JJJJ-MM-DD (standaard vandaag).")
    compute.set_defaults(handler=cmd_kpis_compute)
    export = ksub.add_parser("export", help="Exporteer kengetallen van de laatste berekening.")
    export.add_argument("--period", required=True, help="2024Q3, 2024H2 of 2024")
    export.add_argument("--kpi", help="Alleen deze code, bv. K8")
    export.add_argument("--gemeente", help="CBS-code, of 'regio'")
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--output", "-o", help="Bestand; standaard stdout.")
    export.set_defaults(handler=cmd_kpis_export)
    catalogue = ksub.add_parser("catalogue", help="Schrijf de KPI-catalogus (docs/kpis.md).")
    catalogue.add_argument("--output", "-o", help="Bestand; standaard stdout.")
    catalogue.set_defaults(handler=cmd_kpis_catalogue)

    survey = sub.add_parser(
        "survey",
        help="Resultaten van cliënttevredenheidsonderzoek (K13).",
        description="Resultaten van cliënttevredenheidsonderzoek (K13).",
    )
    ssub = survey.add_subparsers(dest="survey_command", metavar="ACTION")
    ssub.required = True
    simport = ssub.add_parser(
        "import",
        help="Lees een CSV in (kolommen agb_code;periode;cijfer;gemeente). Alles of niets.",
    )
    simport.add_argument("file", help="CSV-bestand")
    simport.set_defaults(handler=cmd_survey_import)

    from wmo_sla.kpis.norms_cli import add_norms_parser

    add_norms_parser(sub)

    api_token = add(
        "api-token",
        cmd_api_token,
        "API-tokens van aanbieders: create --user NAAM --name NAAM [--expires JJJJ-MM-DD], "
        "revoke PREFIX, list.",
    )
    api_token.add_argument("token_args", nargs=argparse.REMAINDER)

    manage = add("manage", cmd_manage, "Django-beheercommando's (migrate, createsuperuser, ...).")
    manage.add_argument("manage_args", nargs=argparse.REMAINDER)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        return EXIT_FATAL


if __name__ == "__main__":
    sys.exit(main())
