# SPDX-License-Identifier: EUPL-1.2
"""The ``wmo-sla generate`` subcommand: argparse wiring, rich progress bar, summary table.

``add_generate_parser(subparsers)`` registers the command on the subparsers object of the main
parser; the handler is stored as ``handler`` (the convention of :mod:`wmo_sla.cli`) and returns
the exit code: 0 success, 2 bad arguments (Dutch message, nothing written).
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path
from typing import Any

EXIT_OK = 0
EXIT_FATAL = 2


def default_contract_file() -> Path:
    """The demo contract, resolved like ``wmo_sla.demo.pipeline.default_contract_file()``."""
    packaged = Path(__file__).resolve().parents[1] / "demo" / "contract-drechtsteden.yaml"
    if packaged.exists():
        return packaged
    return Path(__file__).resolve().parents[3] / "examples" / "contract-drechtsteden.yaml"


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"ongeldige datum {text!r}; gebruik JJJJ-MM-DD, bv. 2022-01-01"
        ) from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"geen geheel getal: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"moet minstens 1 zijn, niet {value}")
    return value


def add_generate_parser(subparsers: Any) -> None:
    """Register ``generate`` on an ``argparse`` subparsers object."""
    help_text = "Genereer synthetisch iWmo 3.2-berichtenverkeer voor een regio (demo en tests)."
    parser = subparsers.add_parser(
        "generate",
        help=help_text,
        description=help_text
        + " Schrijft één XML-bestand per bericht in MAP/<jjjj-mm>/ plus manifest.json.",
    )
    parser.add_argument("--out", required=True, metavar="MAP", help="Uitvoermap (leeg of nieuw).")
    parser.add_argument(
        "--clients", type=_positive_int, default=5000, help="Aantal cliënten (standaard 5000)."
    )
    parser.add_argument(
        "--providers",
        type=_positive_int,
        default=12,
        help="Aantal aanbieders, de eerste N uit het contract (standaard 12).",
    )
    parser.add_argument(
        "--from",
        dest="date_from",
        type=_iso_date,
        default=date(2022, 1, 1),
        metavar="JJJJ-MM-DD",
        help="Begin van de periode (standaard 2022-01-01).",
    )
    parser.add_argument(
        "--to",
        dest="date_to",
        type=_iso_date,
        default=date(2024, 12, 31),
        metavar="JJJJ-MM-DD",
        help="Einde van de periode; geen bericht na deze datum (standaard 2024-12-31).",
    )
    parser.add_argument("--seed", type=int, default=1, help="Startwaarde (standaard 1).")
    parser.add_argument(
        "--contract",
        default=None,
        metavar="YAML",
        help="Contractdefinitie (standaard het democontract Drechtsteden).",
    )
    parser.add_argument("--quiet", action="store_true", help="Geen voortgangsbalk.")
    parser.set_defaults(handler=cmd_generate)


def cmd_generate(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TimeElapsedColumn
    from rich.table import Table

    from . import MESSAGE_TYPES, GeneratorError, check_arguments, generate_region

    console = Console(highlight=False, soft_wrap=True)
    contract = Path(args.contract) if args.contract else default_contract_file()
    if not contract.is_file():
        console.print(f"[red]Contractbestand niet gevonden: {contract}[/red]")
        return EXIT_FATAL
    try:
        check_arguments(
            out_dir=Path(args.out),
            contract_yaml=contract,
            clients=args.clients,
            providers=args.providers,
            date_from=args.date_from,
            date_to=args.date_to,
        )
    except GeneratorError as exc:
        console.print(f"[red]{exc}[/red]")
        return EXIT_FATAL
    started = time.perf_counter()
    try:
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=args.quiet,
        ) as bar:
            task = bar.add_task("Regio simuleren en berichten schrijven", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            summary = generate_region(
                out_dir=Path(args.out),
                contract_yaml=contract,
                clients=args.clients,
                providers=args.providers,
                date_from=args.date_from,
                date_to=args.date_to,
                seed=args.seed,
                progress=progress,
            )
    except GeneratorError as exc:
        console.print(f"[red]{exc}[/red]")
        return EXIT_FATAL
    seconds = time.perf_counter() - started
    table = Table(title=f"Gegenereerd in {summary.out_dir}")
    table.add_column("berichttype")
    table.add_column("aantal", justify="right")
    for kind in MESSAGE_TYPES:
        table.add_row(kind, f"{summary.messages.get(kind, 0):,}".replace(",", "."))
    table.add_row("[bold]totaal (bestanden)[/bold]", f"{summary.files:,}".replace(",", "."))
    console.print(table)
    console.print(
        f"{summary.clients} cliënten, {summary.trajectories} trajecten, "
        f"{summary.toewijzingen} toewijzingen bij {len(summary.providers)} aanbieders; "
        f"{summary.bytes_written / 1_000_000:.1f} MB in {seconds:.1f} s. "
        f"Manifest: {summary.manifest_path}"
    )
    return EXIT_OK
