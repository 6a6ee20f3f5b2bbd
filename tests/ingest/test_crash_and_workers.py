# SPDX-License-Identifier: EUPL-1.2
"""An ingest killed with SIGKILL and run again ends in the same state; worker processes give the
same results as a single process; the CLI exit codes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from wmo_sla.cli import EXIT_FATAL, EXIT_INPUT_ERRORS, EXIT_OK, main
from wmo_sla.ingest.iwmo import ParsedMessage, Pseudonymizer, parse_message
from wmo_sla.ingest.parallel import parse_in_workers
from wmo_sla.ingest.sources import SourceItem
from wmo_sla.ingest.writer import PreparedMessage, prepare

WMO_SLA = str(Path(sys.executable).parent / "wmo-sla")
STATE_DIGEST = (
    "import django, hashlib, json; django.setup();"
    "from wmo_sla.ingest.selectors import fact_frames;"
    "from wmo_sla.engine.state import derive_state;"
    "s = derive_state(fact_frames());"
    "print(json.dumps({k: hashlib.sha256(v.write_csv().encode()).hexdigest()"
    " for k, v in sorted(s.frames().items())}))"
)


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="wmo_sla.conf.dev",
        WMO_SLA_DATA_DIR=str(data_dir),
        WMO_SLA_PSEUDONYM_KEY="crash-test-pseudonym-key-0123456789",
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


def _digest(env: dict[str, str]) -> str:
    return subprocess.run(
        [sys.executable, "-c", STATE_DIGEST], env=env, check=True, capture_output=True, text=True
    ).stdout


def test_ingest_killed_halfway_and_rerun_ends_in_the_same_state(tmp_path, small_region):
    whole = _env(tmp_path / "whole")
    subprocess.run([WMO_SLA, "manage", "migrate", "-v0"], env=whole, check=True)
    subprocess.run([WMO_SLA, "ingest", str(small_region), "--quiet"], env=whole, check=True)
    expected = _digest(whole)

    killed = _env(tmp_path / "killed", WMO_SLA_INGEST_CHUNK_SIZE="25", WMO_SLA_INGEST_WORKERS="1")
    subprocess.run([WMO_SLA, "manage", "migrate", "-v0"], env=killed, check=True)
    proc = subprocess.Popen(
        [WMO_SLA, "ingest", str(small_region), "--quiet"],
        env=killed,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    database = tmp_path / "killed" / "wmo-sla.sqlite3"
    deadline = time.monotonic() + 60
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(database, timeout=1) as conn:
                stored = conn.execute("SELECT COUNT(*) FROM ingest_rawmessage").fetchone()[0]
        except sqlite3.Error:
            stored = 0
        if stored >= 50:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    with sqlite3.connect(database) as conn:
        halfway = conn.execute("SELECT COUNT(*) FROM ingest_rawmessage").fetchone()[0]
        batch_status = conn.execute("SELECT status FROM ingest_ingestbatch").fetchone()[0]
    total = sum(1 for _ in small_region.rglob("*.xml"))
    assert 0 < halfway < total
    assert halfway % 25 == 0, "only whole chunks (transactions) may be stored"
    assert batch_status == "bezig"

    rerun = subprocess.run([WMO_SLA, "ingest", str(small_region), "--quiet"], env=killed)
    assert rerun.returncode == EXIT_OK
    assert _digest(killed) == expected


def test_worker_processes_give_the_same_results_in_the_same_order(region_files, tmp_path):
    key = b"worker-test-key-0123456789abcdef"
    items = [SourceItem(name, data) for name, data in region_files[:120]]
    # Half of them as files on disk, which the workers read themselves.
    for index in range(0, len(items), 2):
        path = tmp_path / f"{index}.xml"
        path.write_bytes(items[index].data or b"")
        items[index] = SourceItem(items[index].name, None, path=str(path))
    datas = [data for _, data in region_files[:120]]
    sequential = [parse_message(data, pseudonymizer=Pseudonymizer(key)) for data in datas]
    parallel = list(parse_in_workers(items, key=key, xsd_dir=None, workers=2, chunk_size=7))
    assert [name for name, _, _ in parallel] == [i.name for i in items]
    for expected, (_, got, _) in zip(sequential, parallel, strict=True):
        assert isinstance(got, PreparedMessage) and isinstance(expected, ParsedMessage)
        assert got == prepare(expected)
        assert got.sha256 == expected.sha256
        assert zlib.decompress(got.raw[8]) == expected.stored_xml


@pytest.mark.django_db(transaction=True)
def test_cli_exit_codes(tmp_path, region_files, capsys):
    good = tmp_path / "goed"
    good.mkdir()
    for name, data in region_files[:5]:
        (good / Path(name).name).write_bytes(data)
    assert main(["ingest", str(good), "--quiet"]) == EXIT_OK
    bad = tmp_path / "fout"
    bad.mkdir()
    (bad / "kapot.xml").write_bytes(b"<nee")
    (bad / Path(region_files[6][0]).name).write_bytes(region_files[6][1])
    capsys.readouterr()
    assert main(["ingest", str(bad), "--quiet"]) == EXIT_INPUT_ERRORS
    out = capsys.readouterr().out
    assert "1 bericht(en) afgewezen" in out and "kapot.xml" in out and "batch-" in out
    assert main(["ingest", str(tmp_path / "bestaat-niet")]) == EXIT_FATAL
