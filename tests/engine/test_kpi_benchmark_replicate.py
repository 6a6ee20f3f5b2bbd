# SPDX-License-Identifier: EUPL-1.2
"""The national-scale KPI benchmark replicates stored facts into independent copies.

``bench/kpi_benchmark.py`` itself runs outside the suite; this checks its replication step on a
tiny database: every copy gets its own identities, clients and toewijzing numbers, its own
gemeente/aanbieder codes and dates shifted by whole years, so the copies do not merge into one
client's history.
"""

from __future__ import annotations

import importlib.util
import sqlite3
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kpi_benchmark", REPO / "bench/kpi_benchmark.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tiny_db(path: Path) -> None:
    con = sqlite3.connect(path)
    con.executescript(
        """
        CREATE TABLE ingest_rawmessage (id integer PRIMARY KEY AUTOINCREMENT, sha256 varchar(64) NOT NULL UNIQUE,
            afzender varchar(8), ontvanger varchar(8), identificatie varchar(12),
            dagtekening date, stored_xml BLOB,
            UNIQUE (afzender, identificatie));
        CREATE TABLE ingest_toewijzingfact (id integer PRIMARY KEY AUTOINCREMENT,
            message_sha varchar(64), gemeente varchar(4),
            aanbieder_agb varchar(8), client_key varchar(32), toewijzing_nummer bigint,
            ingangsdatum date, einddatum date NULL);
        CREATE TABLE ingest_aanleveringfact (id integer PRIMARY KEY AUTOINCREMENT, message_sha varchar(64));
        CREATE TABLE ingest_prestatiefact (id integer PRIMARY KEY AUTOINCREMENT, message_sha varchar(64),
            referentienummer varchar(20), vorig_referentienummer varchar(20));
        CREATE TABLE ingest_retourfact (id integer PRIMARY KEY AUTOINCREMENT, message_sha varchar(64));
        CREATE TABLE ingest_prestatieafwijzingfact (id integer PRIMARY KEY AUTOINCREMENT, message_sha varchar(64));
        INSERT INTO ingest_rawmessage (sha256, afzender, ontvanger, identificatie, dagtekening,
            stored_xml) VALUES ('s1', '0505', '99000101', 'A1', '2024-02-29', X'3c783e'),
            ('s2', '99000101', '0505', 'B1', '2023-05-01', X'3c783e');
        INSERT INTO ingest_toewijzingfact (message_sha, gemeente, aanbieder_agb, client_key,
            toewijzing_nummer, ingangsdatum, einddatum)
            VALUES ('s1', '0505', '99000101', 'k1', 7, '2024-01-01', NULL);
        INSERT INTO ingest_prestatiefact (message_sha, referentienummer, vorig_referentienummer)
            VALUES ('s2', 'R1', ''), ('s2', 'R2', 'R1');
        """
    )
    con.commit()
    con.close()


def test_replicate_makes_independent_copies(tmp_path: Path) -> None:
    db = tmp_path / "facts.sqlite3"
    _tiny_db(db)
    counts = _bench().replicate(db, 3)
    assert counts["ingest_rawmessage"] == 6 and counts["ingest_toewijzingfact"] == 3
    con = sqlite3.connect(db)
    messages = con.execute(
        "SELECT sha256, afzender, ontvanger, identificatie, dagtekening, length(stored_xml) "
        "FROM ingest_rawmessage WHERE sha256 LIKE 's1%' ORDER BY id"
    ).fetchall()
    assert messages == [
        ("s1-0", "050500", "9900010100", "A1-0", "2024-02-29", 0),
        ("s1-1", "050501", "9900010101", "A1-1", "2025-03-01", 0),  # 29 Feb + 1 year
        ("s1-2", "050502", "9900010102", "A1-2", "2026-03-01", 0),
    ]
    toewijzingen = con.execute(
        "SELECT message_sha, gemeente, client_key, toewijzing_nummer, ingangsdatum, einddatum "
        "FROM ingest_toewijzingfact ORDER BY id"
    ).fetchall()
    assert toewijzingen[2] == ("s1-2", "050502", "k1-2", 2_000_000_007, "2026-01-01", None)
    references = con.execute(
        "SELECT referentienummer, vorig_referentienummer FROM ingest_prestatiefact ORDER BY id"
    ).fetchall()
    assert references[:2] == [("R1-0", ""), ("R2-0", "R1-0")]  # the chain stays linked
    con.close()
