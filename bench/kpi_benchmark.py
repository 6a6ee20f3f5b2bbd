#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Benchmark: KPI recompute from the stored state (SQLite), region and national scale.

    .venv/bin/python bench/kpi_benchmark.py --clients 5000            # the region as stored
    .venv/bin/python bench/kpi_benchmark.py --clients 1000000         # national scale
    .venv/bin/python bench/kpi_benchmark.py --clients 200000 --source var/wmo-sla.sqlite3

Input. The region database of ``make demo`` (5,000 clients, 12 aanbieders, 9 gemeenten,
2022–2024, ingested from generated XML). For a larger scale the script replicates its stored facts
*inside SQLite* (``INSERT … SELECT`` over a copy counter): copy i gets its own client keys,
message identities (sha256, identificatie, declaratie- and referentienummers) and toewijzing
numbers, gemeente codes suffixed with ``i mod 40`` and AGB codes suffixed with ``i mod 25`` (so the
national database has 360 gemeenten and 300 aanbieders), and all dates shifted by ``i mod 3``
years (traffic 2022–2026: five years). Why not generate XML and ingest it: at the measured ingest
rate (~1,000 messages/s, docs/benchmarks.md § Ingest) one million clients (~5.4 million messages)
would take about 1.5 hours to ingest and the XML ~24 GB; replicating the stored facts gives the
same tables, columns and value distributions in about a minute. The stored XML of the copies is
left empty: the recompute never reads it. The replicated database is cached in ``bench/.cache/``.

Measurement (each in a fresh subprocess, so peak RSS is that of the measured work):

1. the full recompute ``wmo_sla.kpis.services.compute_figures`` from the stored state — read the
   facts out of the database, derive the state, build trajectories, compute and enrich all
   figures — with the time of each step (from its progress callback) and the peak RSS;
2. the floor: the same input columns, written once to Parquet, scanned once by Polars
   (``pl.read_parquet``, all columns materialised) and by DuckDB (a hash of every column,
   summed: every value read once); also the time our database read alone takes
   (``kpis.selectors.fact_frames()``);
3. with ``--run``: the whole run as ``wmo-sla kpis compute`` does it (``kpis.services.kpis_compute``:
   fingerprint, the recompute above, storing the figures and the drill-down units in one
   transaction) on a throw-away copy of the database (migrated first, not timed), so the measured
   database is never written to;
4. with ``--facts-cache``: the recompute (and with ``--run`` the run) also through the columnar
   copy of the facts (``kpis.fact_cache``, ADR 0011), kept in a directory of the benchmark's own:
   once when it is written (cold) and once when it is used (warm). Without this flag the copy is
   off, so the recompute reads the database.

Not part of the test suite (``tests/bench/test_kpi_benchmark.py`` runs the replication on a tiny
database only).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "bench" / ".cache"
REGION_CLIENTS = 5000
GEMEENTE_GROUPS = 40
AANBIEDER_GROUPS = 25
YEAR_SHIFTS = 3  # region 2022–2024 shifted by 0, 1, 2 years → 2022–2026
AS_OF = "2026-12-31"

FACT_TABLES = [
    "ingest_rawmessage",
    "ingest_toewijzingfact",
    "ingest_aanleveringfact",
    "ingest_prestatiefact",
    "ingest_retourfact",
    "ingest_prestatieafwijzingfact",
]
# Columns made unique per copy (text): value || '-' || i.
_IDENTITY = {
    "sha256",
    "message_sha",
    "client_key",
    "identificatie",
    "original_identificatie",
    "declaratienummer",
    "referentienummer",
    "referentie_aanbieder",
    "file_name",
}


def _column_expr(name: str, decl_type: str) -> str:
    """The SQL expression for column ``name`` of copy ``c.i``."""
    copy_suffix = "'-' || c.i"
    gemeente = f"printf('%02d', c.i % {GEMEENTE_GROUPS})"
    aanbieder = f"printf('%02d', c.i % {AANBIEDER_GROUPS})"
    if name in _IDENTITY:
        return f"CASE WHEN {name} = '' THEN '' ELSE {name} || {copy_suffix} END"
    if name == "vorig_referentienummer":
        return f"CASE WHEN {name} = '' THEN '' ELSE {name} || {copy_suffix} END"
    if name == "gemeente":
        return f"{name} || {gemeente}"
    if name == "aanbieder_agb":
        return f"{name} || {aanbieder}"
    if name in ("afzender", "ontvanger", "original_afzender"):
        # a gemeente (4 digits) or an aanbieder (8 digits)
        return (
            f"CASE WHEN length({name}) = 4 THEN {name} || {gemeente} ELSE {name} || {aanbieder} END"
        )
    if name == "toewijzing_nummer":
        return f"{name} + c.i * 1000000000"
    if name == "stored_xml":
        return "X''"
    if decl_type.lower() == "date":
        return f"date({name}, '+' || (c.i % {YEAR_SHIFTS}) || ' years')"
    return name


def replicate(db: Path, copies: int) -> dict[str, int]:
    """Replace the facts in ``db`` by ``copies`` transformed copies of them (inside SQLite)."""
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-262144")
    counts: dict[str, int] = {}
    try:
        con.execute("PRAGMA foreign_keys=OFF")
        con.execute("CREATE TEMP TABLE copies(i INTEGER PRIMARY KEY)")
        con.executemany("INSERT INTO copies VALUES (?)", [(i,) for i in range(copies)])
        for table in FACT_TABLES:
            info = con.execute(f"PRAGMA table_info({table})").fetchall()
            columns = [row[1] for row in info if row[1] != "id"]
            types = {row[1]: row[2] for row in info}
            (max_id,) = con.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()  # noqa: S608
            exprs = ", ".join(_column_expr(c, types[c]) for c in columns)
            con.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - our identifiers
                f"SELECT {exprs} FROM {table} CROSS JOIN copies AS c "
                f"WHERE {table}.id <= ? ORDER BY c.i, {table}.id",
                (max_id,),
            )
            con.execute(f"DELETE FROM {table} WHERE id <= ?", (max_id,))  # noqa: S608
            counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
        # Figures of earlier runs are not input; drop them so the file stays small.
        for table in ("kpis_figure",):
            if con.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)
            ).fetchone():
                con.execute(f"DELETE FROM {table}")  # noqa: S608
        con.commit()
    finally:
        con.close()
    return counts


def prepare(source: Path, clients: int) -> Path:
    """A data directory whose database holds ``clients`` clients (cached)."""
    if clients % REGION_CLIENTS:
        raise SystemExit(f"--clients must be a multiple of {REGION_CLIENTS}")
    copies = clients // REGION_CLIENTS
    target = CACHE / f"kpi-c{clients}"
    db = target / "wmo-sla.sqlite3"
    if (target / "manifest.json").exists():
        return target
    if not source.exists():
        raise SystemExit(f"{source} does not exist: run `make demo` first or pass --source")
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    started = time.perf_counter()
    src = sqlite3.connect(source)
    dst = sqlite3.connect(db)
    src.backup(dst)  # consistent copy even while the demo is running
    src.close()
    dst.close()
    for name in ("secret-key", "pseudonym-key"):
        if (source.parent / name).exists():
            shutil.copy(source.parent / name, target / name)
    counts = replicate(db, copies) if copies > 1 else {}
    manifest = {
        "clients": clients,
        "copies": copies,
        "rows": counts,
        "seconds": round(time.perf_counter() - started, 1),
        "mb": round(db.stat().st_size / 1e6),
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
    print(f"prepared {target.name}: {json.dumps(manifest)}", file=sys.stderr)
    return target


# --- workers (run in a subprocess with the data directory in the environment) ----------------


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wmo_sla.conf.dev")
    import django

    django.setup()
    # The columnar copy of the facts (kpis.fact_cache): off, or in a directory of the benchmark's
    # own (never next to the measured database, which may be the demo's).
    facts = os.environ.get("KPI_BENCH_FACTS_CACHE", "off")
    if facts == "off":
        from django.conf import settings

        settings.KPI_FACTS_CACHE = False
    else:
        from wmo_sla.kpis import fact_cache

        fact_cache.cache_dir = lambda: Path(facts)  # type: ignore[assignment]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """User + system CPU time of this process (all threads): a second view next to wall-clock
    time when other work competes for the CPUs."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def worker_recompute(as_of: str) -> dict[str, object]:
    import datetime as dt

    _setup_django()
    from wmo_sla.kpis.services import DEFAULT_PARAMETERS, compute_figures

    marks: list[tuple[str, float]] = []
    cpu = _cpu_seconds()
    started = time.perf_counter()
    figures = compute_figures(
        as_of=dt.date.fromisoformat(as_of),
        parameters=dict(DEFAULT_PARAMETERS),
        progress=lambda step: marks.append((step, time.perf_counter())),
    )
    total = time.perf_counter() - started
    ends = [t for _, t in marks[1:]] + [started + total]
    steps = {name: round(end - begin, 2) for (name, begin), end in zip(marks, ends, strict=True)}
    return {
        "seconds": round(total, 2),
        "cpu_seconds": round(_cpu_seconds() - cpu, 2),
        "steps": steps,
        "figures": figures.height,
        "peak_rss_mb": round(_peak_rss_mb()),
        "load_average": round(os.getloadavg()[0], 2),
    }


def worker_run(as_of: str) -> dict[str, object]:
    """The whole run as the CLI does it, with the time per step (its progress messages)."""
    import datetime as dt

    _setup_django()
    from wmo_sla.kpis.services import kpis_compute

    marks: list[tuple[str, float]] = []
    cpu = _cpu_seconds()
    started = time.perf_counter()
    run = kpis_compute(
        as_of=dt.date.fromisoformat(as_of),
        progress=lambda step: marks.append((step, time.perf_counter())),
    )
    total = time.perf_counter() - started
    marks.insert(0, ("Vingerafdruk", started))
    ends = [t for _, t in marks[1:]] + [started + total]
    steps = {name: round(end - begin, 2) for (name, begin), end in zip(marks, ends, strict=True)}
    return {
        "seconds": round(total, 2),
        "run_seconds": round(run.seconds or 0.0, 2),  # what the CLI reports ("… in X s")
        "cpu_seconds": round(_cpu_seconds() - cpu, 2),
        "steps": steps,
        "figures": run.figure_count,
        "peak_rss_mb": round(_peak_rss_mb()),
        "load_average": round(os.getloadavg()[0], 2),
    }


def _run_copy(data_dir: Path, as_of: str, *, facts_cache: bool = False) -> dict[str, object]:
    """``worker_run`` on a migrated copy of ``data_dir`` (the original is never written)."""
    with tempfile.TemporaryDirectory(prefix="kpi-run-") as tmp:
        copy = Path(tmp)
        src = sqlite3.connect(data_dir / "wmo-sla.sqlite3")
        dst = sqlite3.connect(copy / "wmo-sla.sqlite3")
        src.backup(dst)
        src.close()
        dst.close()
        for name in ("secret-key", "pseudonym-key"):
            if (data_dir / name).exists():
                shutil.copy(data_dir / name, copy / name)
        env = {**os.environ, "WMO_SLA_DATA_DIR": str(copy)}
        env.pop("DATABASE_URL", None)
        subprocess.run(
            [str(Path(sys.executable).parent / "wmo-sla"), "manage", "migrate", "-v", "0"],
            env=env,
            check=True,
        )
        result = _run_worker(copy, "run", as_of)
        if facts_cache:
            # the run as a user sees it on a second recompute: the copy is written by the first
            facts = copy / "facts"
            _run_worker(copy, "run", as_of, facts)
            result["warm_facts_cache"] = _run_worker(copy, "run", as_of, facts)
        return result


def worker_floor() -> dict[str, object]:
    import duckdb
    import polars as pl

    _setup_django()
    from wmo_sla.kpis.selectors import fact_frames

    started = time.perf_counter()
    facts = fact_frames()
    read = time.perf_counter() - started
    frames = {name: getattr(facts, name) for name in facts.__dataclass_fields__}
    rows = {name: f.height for name, f in frames.items()}
    with tempfile.TemporaryDirectory(prefix="kpi-floor-") as tmp:
        paths = {}
        for name, frame in frames.items():
            paths[name] = Path(tmp) / f"{name}.parquet"
            frame.write_parquet(paths[name])
        del facts, frames
        started = time.perf_counter()
        scanned = [pl.read_parquet(path) for path in paths.values()]
        polars_scan = time.perf_counter() - started
        del scanned
        con = duckdb.connect()
        started = time.perf_counter()
        for path in paths.values():
            # every value of every column is read once (hash per column, summed)
            con.sql(f"SELECT sum(hash(COLUMNS(*))) FROM read_parquet('{path}')").fetchall()  # noqa: S608
        duckdb_scan = time.perf_counter() - started
    return {
        "rows": rows,
        "db_read_seconds": round(read, 2),
        "polars_scan_seconds": round(polars_scan, 2),
        "duckdb_scan_seconds": round(duckdb_scan, 2),
    }


def _run_worker(
    data_dir: Path, kind: str, as_of: str, facts_cache: Path | None = None
) -> dict[str, object]:
    env = {
        **os.environ,
        "WMO_SLA_DATA_DIR": str(data_dir),
        "KPI_BENCH_FACTS_CACHE": str(facts_cache) if facts_cache else "off",
    }
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, __file__, "--worker", kind, "--as-of", as_of],
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"{kind} failed:\n{out.stderr}")
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=1_000_000)
    parser.add_argument("--source", type=Path, default=REPO / "var" / "wmo-sla.sqlite3")
    parser.add_argument(
        "--as-of", default=None, help="default 2024-12-31 (region), else 2026-12-31"
    )
    parser.add_argument("--no-floor", action="store_true", help="skip the floor measurement")
    parser.add_argument(
        "--facts-cache",
        action="store_true",
        help="also the recompute through the columnar copy of the facts (written, then used)",
    )
    parser.add_argument(
        "--run",
        action="store_true",
        help="also the whole run with storing (kpis_compute) on a copy of the database",
    )
    parser.add_argument("--worker", choices=["recompute", "floor", "run"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        workers = {
            "recompute": lambda: worker_recompute(args.as_of),
            "floor": worker_floor,
            "run": lambda: worker_run(args.as_of),
        }
        result = workers[args.worker]()
        print(json.dumps(result))
        return
    as_of = args.as_of or ("2024-12-31" if args.clients == REGION_CLIENTS else AS_OF)
    # the region is measured as stored (the demo database itself)
    region = args.clients == REGION_CLIENTS
    data_dir = args.source.parent if region else prepare(args.source, args.clients)
    report: dict[str, object] = {"clients": args.clients, "as_of": as_of}
    recompute = _run_worker(data_dir, "recompute", as_of)
    report["recompute"] = recompute
    if args.facts_cache:
        # with the columnar copy of the facts: first written (cold), then used (warm)
        with tempfile.TemporaryDirectory(prefix="kpi-facts-") as tmp:
            for label in ("cold", "warm"):
                report[f"recompute_facts_cache_{label}"] = _run_worker(
                    data_dir, "recompute", as_of, Path(tmp) / "facts"
                )
    if args.run:
        report["run"] = _run_copy(data_dir, as_of, facts_cache=args.facts_cache)
    if not args.no_floor:
        floor = _run_worker(data_dir, "floor", as_of)
        report["floor"] = floor
        polars_scan = floor["polars_scan_seconds"]
        assert isinstance(polars_scan, float)
        seconds = recompute["seconds"]
        assert isinstance(seconds, float)
        report["ratio_to_polars_scan"] = round(seconds / max(polars_scan, 1e-3), 1)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
