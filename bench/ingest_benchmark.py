#!/usr/bin/env python3
# SPDX-License-Identifier: EUPL-1.2
"""Benchmark: end-to-end ingest rate vs the raw lxml parse rate of the same files.

    .venv/bin/python bench/ingest_benchmark.py                 # region and 10x region, SQLite
    .venv/bin/python bench/ingest_benchmark.py --postgres      # also PostgreSQL (bin/ci-postgres)
    .venv/bin/python bench/ingest_benchmark.py --scales 1      # region only

For each scale it generates the region once (cached under bench/.cache/), measures the raw parse
rate (read file + ``lxml.etree.fromstring``, one process), then runs ``wmo-sla ingest`` on a fresh
database in a subprocess and reports messages/s, the ratio to the raw parse rate and the peak
resident memory of the largest process of the ingest tree. Not part of the test suite.

Next to wall-clock rates it reports CPU time per message (user + system, all processes of the
ingest, and of the raw parse): on a machine shared with other work the wall-clock rates move with
the load, the CPU cost per message much less. The fixed start-up cost (Python, Django, the CLI:
the CPU of ``wmo-sla ingest`` on an empty folder) is measured on its own and also reported taken
out of the per-message figure.

``--floors`` also measures, each in isolation and in one process, what any ingest of these files
into SQLite must at least spend per message: reading + hardened ``lxml.etree.fromstring`` (the
raw parse), and storing the already prepared rows with the ingest's own ``write_chunk`` (inserts,
duplicate checks, commits) on a fresh database. Their sum against the CPU budget of 10,000
messages/s on this machine (2 cores: 200 µs per message) answers whether that target is reachable.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "bench" / ".cache"
VENV_BIN = Path(sys.executable).parent


def generate(clients: int, providers: int, seed: int) -> Path:
    target = CACHE / f"region-c{clients}-p{providers}-s{seed}"
    if (target / "manifest.json").exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [
            str(VENV_BIN / "wmo-sla"),
            "generate",
            "--out",
            str(target),
            "--clients",
            str(clients),
            "--providers",
            str(providers),
            "--seed",
            str(seed),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"generated {target.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return target


def raw_parse_rate(directory: Path) -> tuple[int, float, int, float]:
    """(files, wall seconds, bytes, CPU seconds) of reading and parsing every file once."""
    files = sorted(directory.rglob("*.xml"))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    total_bytes = 0
    cpu_started = time.process_time()
    started = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        total_bytes += len(data)
        etree.fromstring(data, parser)
    elapsed = time.perf_counter() - started
    return len(files), elapsed, total_bytes, time.process_time() - cpu_started


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _env(data_dir: Path, database_url: str | None, workers: int) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wmo_sla.conf.dev",
        "WMO_SLA_DATA_DIR": str(data_dir),
        "WMO_SLA_INGEST_WORKERS": str(workers),
        "LOG_LEVEL": "WARNING",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def run_ingest(directory: Path, *, database_url: str | None, workers: int) -> dict[str, float]:
    data_dir = Path(tempfile.mkdtemp(prefix="wmo-sla-bench-"))
    env = _env(data_dir, database_url, workers)
    subprocess.run([str(VENV_BIN / "wmo-sla"), "manage", "migrate", "-v0"], check=True, env=env)
    # The fixed cost: the same command on an empty folder (start-up, one empty batch, report).
    empty = data_dir / "empty"
    empty.mkdir()
    cpu_before = _children_cpu()
    subprocess.run(
        [str(VENV_BIN / "wmo-sla"), "ingest", str(empty), "--quiet"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    startup_cpu = _children_cpu() - cpu_before
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = usage.ru_maxrss
    cpu_before = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    proc = subprocess.run(
        [str(VENV_BIN / "wmo-sla"), "ingest", str(directory), "--quiet"],
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_kb = usage.ru_maxrss
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    if proc.returncode not in (0, 1):
        raise SystemExit(f"ingest failed:\n{proc.stdout}\n{proc.stderr}")
    summary = proc.stdout.strip().splitlines()[0]
    shutil.rmtree(data_dir, ignore_errors=True)
    return {
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "startup_cpu_seconds": startup_cpu,
        "peak_rss_mb": max(peak_kb, before) / 1024,
        "summary": summary,
    }


_STORE_FLOOR = """
import sys, time
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from wmo_sla.ingest import writer
from wmo_sla.ingest.constants import BatchSource
from wmo_sla.ingest.services import batch_create, pseudonymizer
from wmo_sla.ingest.sources import iter_paths, load
from wmo_sla.ingest.iwmo import ParsedMessage, parse_message
from pathlib import Path
pseudo = pseudonymizer()
items = []
for item in iter_paths([Path(sys.argv[1])]):
    item = load(item)
    result = parse_message(item.data, pseudonymizer=pseudo)
    if isinstance(result, ParsedMessage):
        result = writer.prepare(result)
    items.append((item.name, result))
batch = batch_create(source=BatchSource.CLI)
started = time.process_time()
for start in range(0, len(items), writer.CHUNK_SIZE):
    writer.write_chunk(batch=batch, items=items[start : start + writer.CHUNK_SIZE])
print(len(items), time.process_time() - started)
"""


def store_floor(directory: Path, *, database_url: str | None) -> float:
    """CPU µs per message of storing already prepared messages (one process, fresh database)."""
    data_dir = Path(tempfile.mkdtemp(prefix="wmo-sla-bench-"))
    env = _env(data_dir, database_url, 1)
    out = subprocess.run(
        [sys.executable, "-c", _STORE_FLOOR, str(directory)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    shutil.rmtree(data_dir, ignore_errors=True)
    return float(out[1]) / int(out[0]) * 1e6


def start_postgres() -> tuple[str, str]:
    out = subprocess.run(
        [str(REPO / "bin" / "ci-postgres"), "start"], check=True, capture_output=True, text=True
    ).stdout
    values = dict(
        line.removeprefix("export ").split("=", 1) for line in out.splitlines() if "=" in line
    )
    return values["WMO_SLA_DATABASE_URL"], values["WMO_SLA_PG_DIR"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--providers", type=int, default=12)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument(
        "--floors",
        action="store_true",
        help="Also measure the SQLite store cost per message in isolation (see above).",
    )
    parser.add_argument("--json", type=Path, help="Also write the results as JSON.")
    args = parser.parse_args()

    pg_url = pg_dir = None
    if args.postgres:
        pg_url, pg_dir = start_postgres()
    results = []
    floors: list[dict[str, float]] = []
    try:
        for scale in args.scales:
            directory = generate(args.clients * scale, args.providers, seed=1)
            count, parse_seconds, total_bytes, parse_cpu = raw_parse_rate(directory)
            raw_rate = count / parse_seconds
            targets = [("SQLite", None)] + ([("PostgreSQL", pg_url)] if pg_url else [])
            for label, url in targets:
                if url:  # a fresh database per run
                    subprocess.run(
                        [
                            "psql",
                            url.rsplit("/", 1)[0] + "/postgres",
                            "-qc",
                            "DROP DATABASE IF EXISTS wmo_sla",
                        ],
                        check=True,
                    )
                    subprocess.run(
                        [
                            "psql",
                            url.rsplit("/", 1)[0] + "/postgres",
                            "-qc",
                            "CREATE DATABASE wmo_sla",
                        ],
                        check=True,
                    )
                load_before = os.getloadavg()[0]
                run = run_ingest(directory, database_url=url, workers=args.workers)
                rate = count / run["seconds"]
                work_cpu = run["cpu_seconds"] - run["startup_cpu_seconds"]
                results.append(
                    {
                        "scale": scale,
                        "clients": args.clients * scale,
                        "database": label,
                        "messages": count,
                        "megabytes": round(total_bytes / 1e6, 1),
                        "raw_parse_msgs_per_s": round(raw_rate),
                        "ingest_seconds": round(run["seconds"], 1),
                        "ingest_msgs_per_s": round(rate),
                        "ratio_to_raw_parse": round(rate / raw_rate, 2),
                        "raw_parse_cpu_us_per_msg": round(parse_cpu / count * 1e6),
                        "ingest_cpu_us_per_msg": round(run["cpu_seconds"] / count * 1e6),
                        "startup_cpu_s": round(run["startup_cpu_seconds"], 1),
                        "ingest_cpu_us_per_msg_without_startup": round(work_cpu / count * 1e6),
                        "load_average_1min": round(os.getloadavg()[0], 1),
                        "load_average_1min_before": round(load_before, 1),
                        "peak_rss_mb": round(run["peak_rss_mb"]),
                        "workers": args.workers,
                        "summary": run["summary"],
                    }
                )
                print(json.dumps(results[-1]), file=sys.stderr)
            if args.floors:
                floors.append(
                    {
                        "scale": scale,
                        "messages": count,
                        "read_and_fromstring_cpu_us_per_msg": round(parse_cpu / count * 1e6),
                        "sqlite_store_cpu_us_per_msg": round(
                            store_floor(directory, database_url=None)
                        ),
                        "load_average_1min": round(os.getloadavg()[0], 1),
                    }
                )
                print(json.dumps(floors[-1]), file=sys.stderr)
    finally:
        if pg_dir:
            subprocess.run([str(REPO / "bin" / "ci-postgres"), "stop", pg_dir], check=False)

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    print(
        "| scale | clients | database | messages | MB | raw parse msg/s | ingest s | ingest msg/s "
        "| ratio | raw parse CPU µs/msg | ingest CPU µs/msg | of which start-up s "
        "| ingest CPU µs/msg without start-up | peak RSS MB | load before/after |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['scale']}x | {r['clients']} | {r['database']} | {r['messages']} | {r['megabytes']} "
            f"| {r['raw_parse_msgs_per_s']} | {r['ingest_seconds']} | {r['ingest_msgs_per_s']} "
            f"| {r['ratio_to_raw_parse']} | {r['raw_parse_cpu_us_per_msg']} "
            f"| {r['ingest_cpu_us_per_msg']} | {r['startup_cpu_s']} "
            f"| {r['ingest_cpu_us_per_msg_without_startup']} | {r['peak_rss_mb']} "
            f"| {r['load_average_1min_before']}/{r['load_average_1min']} |"
        )
    for f in floors:
        floor = f["read_and_fromstring_cpu_us_per_msg"] + f["sqlite_store_cpu_us_per_msg"]
        print(
            f"floors {f['scale']}x: read + fromstring {f['read_and_fromstring_cpu_us_per_msg']} µs, "
            f"SQLite store {f['sqlite_store_cpu_us_per_msg']} µs, together {floor} µs CPU per "
            f"message; at best {2e6 / floor:,.0f} msg/s on 2 cores with no parsing, validation "
            "or blanking at all (10,000 msg/s needs at most 200 µs)"
        )
    if args.json:
        args.json.write_text(json.dumps({"runs": results, "floors": floors}, indent=2))


if __name__ == "__main__":
    main()
