# SPDX-License-Identifier: EUPL-1.2
"""Synthetic iWmo 3.2 traffic for a region that uses a contract definition (``wmo-sla generate``).

Pure Python (no Django, no ORM). Entry point: :func:`generate_region`. Same arguments, same bytes.
See docs/generator.md.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .bsn import capacity as bsn_capacity
from .finalize import finalize
from .manifest import build_manifest, write_manifest
from .region import GeneratorError, Region, load_region
from .simulation import simulate
from .writer import MANIFEST_NAME, check_out_dir, prepare_out_dir, write_messages

__all__ = [
    "MESSAGE_TYPES",
    "GenerationSummary",
    "GeneratorError",
    "check_arguments",
    "generate_region",
]

MESSAGE_TYPES = ("WMO301", "WMO305", "WMO307", "WMO315", "WMO317", "WMO319", "WMO323")


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerationSummary:
    out_dir: Path
    manifest_path: Path
    files: int
    bytes_written: int
    messages: dict[str, int]  # per message type, every type listed (0 when none)
    clients: int
    trajectories: int
    toewijzingen: int
    providers: tuple[str, ...]


def check_arguments(
    *,
    out_dir: Path,
    contract_yaml: Path,
    clients: int,
    providers: int,
    date_from: date,
    date_to: date,
) -> Region:
    """Validate the arguments without writing anything; return the region they describe.

    Raises :class:`GeneratorError` with a Dutch message for the user.
    """
    if clients < 1:
        raise GeneratorError(f"--clients moet minstens 1 zijn; gevraagd: {clients}.")
    if clients > bsn_capacity():
        raise GeneratorError(
            f"--clients mag hoogstens {bsn_capacity()} zijn (fictieve BSN's); gevraagd: {clients}."
        )
    if date_to < date_from:
        raise GeneratorError(f"--to ({date_to}) ligt voor --from ({date_from}).")
    if (date_to - date_from).days < 60:
        raise GeneratorError("De periode van --from tot --to moet minstens 60 dagen zijn.")
    if date_from.year < 2015:
        raise GeneratorError("--from moet in 2015 of later liggen (werkdagenkalender).")
    check_out_dir(out_dir)
    return load_region(contract_yaml, providers=providers, date_from=date_from, date_to=date_to)


def generate_region(
    *,
    out_dir: Path,
    contract_yaml: Path,
    clients: int,
    providers: int,
    date_from: date,
    date_to: date,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> GenerationSummary:
    """Simulate the region and write one XML file per message plus manifest.json.

    ``progress(done, total)``: ``total`` is ``2 × clients``; the first half counts simulated
    clients, the second half the files written (scaled), so the bar only moves forward.
    Raises :class:`GeneratorError` (Dutch message) on bad arguments.
    """
    region = check_arguments(
        out_dir=out_dir,
        contract_yaml=contract_yaml,
        clients=clients,
        providers=providers,
        date_from=date_from,
        date_to=date_to,
    )
    prepare_out_dir(out_dir)
    total = 2 * clients

    def sim_progress(done: int, _: int) -> None:
        if progress is not None:
            progress(done, total)

    result = simulate(
        region,
        clients=clients,
        date_from=date_from,
        date_to=date_to,
        seed=seed,
        progress=sim_progress,
    )
    finalize(result)

    def write_progress(done: int, count: int) -> None:
        if progress is not None:
            progress(clients + (clients * done) // max(1, count), total)

    bytes_written = write_messages(out_dir, result.messages, write_progress)
    counts = Counter(m.kind for m in result.messages)
    message_counts = {kind: counts.get(kind, 0) for kind in MESSAGE_TYPES}
    manifest = build_manifest(
        result,
        clients=clients,
        providers=providers,
        contract_sha256=hashlib.sha256(contract_yaml.read_bytes()).hexdigest(),
        message_counts=message_counts,
        files=len(result.messages),
    )
    manifest_path = out_dir / MANIFEST_NAME
    write_manifest(manifest_path, manifest)
    if progress is not None:
        progress(total, total)
    return GenerationSummary(
        out_dir=out_dir,
        manifest_path=manifest_path,
        files=len(result.messages),
        bytes_written=bytes_written,
        messages=message_counts,
        clients=clients,
        trajectories=len(result.trajectories),
        toewijzingen=len(result.toewijzingen),
        providers=tuple(region.providers),
    )
