# SPDX-License-Identifier: EUPL-1.2
"""Set-based storage of parsed messages: bulk inserts per chunk, one transaction per chunk.

A message is atomic: all of its rows are written in the same transaction as the raw message, or
none are. Chunks make the ingest fast (one commit per few thousand messages); an interrupted run
loses at most the uncommitted chunk, and a rerun skips what is already stored (by SHA-256), so it
ends in the same state as an uninterrupted run.

:func:`prepare` turns a :class:`ParsedMessage` into the rows to insert (plain tuples, the blanked
XML compressed). It is pure and runs in the parser worker processes, so the writing process only
checks for duplicates and hands the rows to the database: ``executemany`` on SQLite, ``COPY`` on
PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from .iwmo import Header, MessageType, ParsedMessage, Problem, RejectedMessage
from .iwmo.identity import message_parties, storage_identity
from .models import (
    AanleveringFact,
    AntwoordFact,
    ClientFact,
    IngestBatch,
    PrestatieAfwijzingFact,
    PrestatieFact,
    QuarantinedMessage,
    RawMessage,
    RetourFact,
    ToewijzingFact,
    VerzoekFact,
)

CHUNK_SIZE = 2000
REPORT_LIMIT = 1000  # rejections kept in memory for the report; all are in the quarantine table


@dataclass(slots=True)
class Rejection:
    file_name: str
    message_type: str
    identificatie: str
    problems: list[dict[str, str]]


@dataclass(slots=True)
class ChunkResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)


def compressed(xml: bytes) -> bytes:
    """zlib-compress the blanked XML; already compressed bytes (from a worker) pass through."""
    if xml[:1] == b"\x78":  # zlib header; XML starts with '<' or a BOM
        return xml
    return zlib.compress(xml, 1)


def _iso(value: dt.date | dt.time | None) -> str | None:
    return None if value is None else value.isoformat()


def _s(value: str | None) -> str:
    return "" if value is None else value


Row = tuple[Any, ...]


def _insert(cursor: Any, model: type[Model], columns: list[str], rows: list[Row]) -> None:
    """Bulk insert: ``COPY`` on PostgreSQL, ``executemany`` elsewhere. Identifiers come from the
    model definitions; values are never interpolated into SQL."""
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    names = ", ".join(qn(c) for c in columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


_HEADER_FIELDS = tuple(Header.__dataclass_fields__)


class PreparedMessage(NamedTuple):
    """An accepted message as rows ready to insert (see :func:`prepare`). A plain tuple of plain
    values, so that sending it from a worker process costs little.

    ``raw`` holds the :data:`_RAW_COLS` values up to and including ``stored_xml`` (compressed); the
    writer adds the receipt time, batch and file name. ``facts`` are (table number in
    :data:`FACT_TABLES`, row) pairs. ``header_values`` are the :class:`Header` fields in order,
    the message type as its name."""

    sha256: str
    size: int
    header_values: tuple[Any, ...]
    identity: tuple[str, str, str]
    raw: Row
    facts: tuple[tuple[int, Row], ...]

    @property
    def header(self) -> Header:
        message_type, *rest = self.header_values
        return Header(MessageType(message_type), *rest)


_RAW_COLS = [
    "sha256",
    "message_type",
    "berichtcode",
    "afzender",
    "ontvanger",
    "identificatie",
    "dagtekening",
    "original_berichtcode",
    "stored_xml",
    "received_at",
    "batch_id",
    "file_name",
]
_CLIENT_COLS = ["message_sha", "client_key", "gemeente", "birth_year", "gender"]
_TW_COLS = [
    "message_sha",
    "gemeente",
    "aanbieder_agb",
    "client_key",
    "toewijzing_nummer",
    "categorie",
    "productcode",
    "toewijzingsdatum",
    "toewijzingstijd",
    "ingangsdatum",
    "einddatum",
    "reden_wijziging",
    "volume",
    "eenheid",
    "frequentie",
    "budget",
    "referentie_aanbieder",
    "dagtekening",
]
_AL_COLS = [
    "message_sha",
    "kind",
    "aanbieder_agb",
    "gemeente",
    "client_key",
    "toewijzing_nummer",
    "categorie",
    "productcode",
    "toewijzing_ingangsdatum",
    "begindatum",
    "einddatum",
    "reden_beeindiging",
    "status_aanlevering",
    "dagtekening",
]
_PR_COLS = [
    "message_sha",
    "aanbieder_agb",
    "gemeente",
    "declaratienummer",
    "client_key",
    "referentienummer",
    "vorig_referentienummer",
    "toewijzing_nummer",
    "categorie",
    "productcode",
    "periode_begin",
    "periode_eind",
    "geleverd_volume",
    "eenheid",
    "tarief",
    "bedrag",
    "debet_credit",
    "dagtekening",
]
_VZ_COLS = [
    "message_sha",
    "kind",
    "aanbieder_agb",
    "gemeente",
    "client_key",
    "referentie_aanbieder",
    "toewijzing_nummer",
    "categorie",
    "productcode",
    "ingangsdatum",
    "einddatum",
    "volume",
    "eenheid",
    "frequentie",
    "reden_verzoek",
    "dagtekening",
]
_AW_COLS = [
    "message_sha",
    "gemeente",
    "aanbieder_agb",
    "referentie_aanbieder",
    "verzoek_antwoord",
    "reden_afwijzing",
    "dagtekening",
]
_RT_COLS = [
    "message_sha",
    "original_afzender",
    "original_berichtcode",
    "original_identificatie",
    "rejected",
    "codes",
    "dagtekening",
]
_PA_COLS = ["message_sha", "aanbieder_agb", "declaratienummer", "referentienummer", "codes"]
_Q_COLS = [
    "sha256",
    "size",
    "file_name",
    "message_type",
    "afzender",
    "identificatie",
    "problems",
    "stored_xml",
    "received_at",
    "batch_id",
]


# Fact tables in insertion order (after RawMessage).
FACT_TABLES: tuple[tuple[type[Model], list[str]], ...] = (
    (ClientFact, _CLIENT_COLS),
    (ToewijzingFact, _TW_COLS),
    (AanleveringFact, _AL_COLS),
    (PrestatieFact, _PR_COLS),
    (VerzoekFact, _VZ_COLS),
    (AntwoordFact, _AW_COLS),
    (RetourFact, _RT_COLS),
    (PrestatieAfwijzingFact, _PA_COLS),
)
# The table numbers used in PreparedMessage.facts (positions in FACT_TABLES).
_NUMBER: dict[type[Model], int] = {model: i for i, (model, _) in enumerate(FACT_TABLES)}
_CF, _TW, _AL, _PR, _VZ, _AW, _RT, _PA = (
    _NUMBER[model]
    for model in (
        ClientFact,
        ToewijzingFact,
        AanleveringFact,
        PrestatieFact,
        VerzoekFact,
        AntwoordFact,
        RetourFact,
        PrestatieAfwijzingFact,
    )
)


def prepare(m: ParsedMessage) -> PreparedMessage:
    """The rows that store ``m``: pure, so it can run in a worker process. The blanked XML is
    compressed here (already compressed XML passes through)."""
    h = m.header
    identity = storage_identity(m)
    facts: list[tuple[int, Row]] = []
    _add_facts(facts, m)
    raw = (
        m.sha256,
        str(h.message_type),
        identity[1],
        h.afzender,
        h.ontvanger,
        identity[2],
        h.dagtekening.isoformat(),
        _s(h.original_berichtcode),
        compressed(m.stored_xml),
    )
    header_values = (str(h.message_type), *(getattr(h, name) for name in _HEADER_FIELDS[1:]))
    return PreparedMessage(m.sha256, m.size, header_values, identity, raw, tuple(facts))


def _problem_dicts(problems: Sequence[Problem]) -> list[dict[str, str]]:
    return [
        {"rule": p.rule, "path": p.path, "message": p.message, "severity": p.severity}
        for p in problems
    ]


def _add_facts(rows: list[tuple[int, Row]], m: ParsedMessage) -> None:
    """Append the fact rows of ``m`` as (table number, row). Runs for every message: plain
    appends, dates of required fields formatted directly (``_iso`` only where a value may be
    missing)."""
    add = rows.append
    sha = m.sha256
    h = m.header
    dag = h.dagtekening.isoformat()
    gemeente, agb = message_parties(m)
    for c in m.clients:
        add((_CF, (sha, c.client_key, gemeente, c.birth_year, _s(c.gender))))
    for t in m.toewijzingen:
        add(
            (
                _TW,
                (
                    sha,
                    gemeente,
                    agb,
                    t.client_key,
                    t.toewijzing_nummer,
                    _s(t.categorie),
                    _s(t.productcode),
                    t.toewijzingsdatum.isoformat(),
                    t.toewijzingstijd.isoformat(),
                    t.ingangsdatum.isoformat(),
                    _iso(t.einddatum),
                    _s(t.reden_wijziging),
                    t.volume,
                    _s(t.eenheid),
                    _s(t.frequentie),
                    t.budget,
                    _s(t.referentie_aanbieder),
                    dag,
                ),
            )
        )
    for s in m.starts:
        add(
            (
                _AL,
                (
                    sha,
                    "start",
                    agb,
                    gemeente,
                    s.client_key,
                    s.toewijzing_nummer,
                    _s(s.categorie),
                    _s(s.productcode),
                    _iso(s.toewijzing_ingangsdatum),
                    s.begindatum.isoformat(),
                    None,
                    "",
                    s.status_aanlevering,
                    dag,
                ),
            )
        )
    for p in m.stops:
        add(
            (
                _AL,
                (
                    sha,
                    "stop",
                    agb,
                    gemeente,
                    p.client_key,
                    p.toewijzing_nummer,
                    _s(p.categorie),
                    _s(p.productcode),
                    _iso(p.toewijzing_ingangsdatum),
                    p.begindatum.isoformat(),
                    p.einddatum.isoformat(),
                    p.reden_beeindiging,
                    p.status_aanlevering,
                    dag,
                ),
            )
        )
    if m.declaratie is not None:
        d = m.declaratie
        nummer = d.declaratienummer
        for pr in d.prestaties:
            vorige = pr.vorig_referentienummer
            add(
                (
                    _PR,
                    (
                        sha,
                        agb,
                        gemeente,
                        nummer,
                        pr.client_key,
                        pr.referentienummer,
                        "" if vorige is None else vorige,
                        pr.toewijzing_nummer,
                        pr.categorie,
                        pr.productcode,
                        pr.periode_begin.isoformat(),
                        pr.periode_eind.isoformat(),
                        pr.geleverd_volume,
                        pr.eenheid,
                        pr.tarief,
                        pr.bedrag,
                        pr.debet_credit,
                        dag,
                    ),
                )
            )
    for v in m.verzoeken:
        add(
            (
                _VZ,
                (
                    sha,
                    v.kind,
                    agb,
                    gemeente,
                    v.client_key,
                    v.referentie_aanbieder,
                    v.toewijzing_nummer,
                    _s(v.categorie),
                    _s(v.productcode),
                    _iso(v.ingangsdatum),
                    _iso(v.einddatum),
                    v.volume,
                    _s(v.eenheid),
                    _s(v.frequentie),
                    _s(v.reden_verzoek),
                    dag,
                ),
            )
        )
    if m.antwoord is not None:
        a = m.antwoord
        add(
            (
                _AW,
                (
                    sha,
                    gemeente,
                    agb,
                    a.referentie_aanbieder,
                    a.verzoek_antwoord,
                    _s(a.reden_afwijzing),
                    dag,
                ),
            )
        )
    if m.retour is not None:
        add(
            (
                _RT,
                (
                    sha,
                    h.afzender,
                    _s(h.original_berichtcode),
                    h.identificatie,
                    m.retour.rejected,
                    ",".join(m.retour.codes),
                    _iso(h.dagtekening_retour or h.dagtekening),
                ),
            )
        )
    if m.declaratie_antwoord is not None:
        da = m.declaratie_antwoord
        codes = ",".join(da.codes)
        for ref in da.rejected_referentienummers:
            add((_PA, (sha, h.afzender, da.declaratienummer, ref, codes)))


def _existing(cursor: Any, table: str, column: str, values: list[str]) -> set[str]:
    """The ``values`` already present in ``table.column`` (an indexed column)."""
    qn = connection.ops.quote_name
    found: set[str] = set()
    for start in range(0, len(values), 500):
        part = values[start : start + 500]
        marks = ", ".join(["%s"] * len(part))
        cursor.execute(
            f"SELECT {qn(column)} FROM {qn(table)} WHERE {qn(column)} IN ({marks})",  # noqa: S608
            part,
        )
        found.update(value for (value,) in cursor.fetchall())
    return found


def write_chunk(
    *,
    batch: IngestBatch,
    items: Iterable[tuple[str, ParsedMessage | PreparedMessage | RejectedMessage]],
) -> ChunkResult:
    """Store one chunk atomically. ``items`` are (file name, parse result); a
    :class:`ParsedMessage` is prepared here, a :class:`PreparedMessage` comes from a worker."""
    result = ChunkResult()
    now = timezone.now()
    received = connection.ops.adapt_datetimefield_value(now)
    ready: list[tuple[str, PreparedMessage | RejectedMessage]] = [
        (name, prepare(r) if isinstance(r, ParsedMessage) else r) for name, r in items
    ]
    shas = list({r.sha256 for _, r in ready})
    raw_table = RawMessage._meta.db_table
    raw_rows: list[Row] = []
    fact_rows: list[list[Row]] = [[] for _ in FACT_TABLES]
    quarantine_rows: list[Row] = []
    with transaction.atomic(), connection.cursor() as cursor:
        existing = _existing(cursor, raw_table, "sha256", shas)
        quarantined = _existing(cursor, QuarantinedMessage._meta.db_table, "sha256", shas)
        identities = {r.identity for _, r in ready if isinstance(r, PreparedMessage)}
        taken: dict[tuple[str, str, str], str] = {}
        if identities:
            # Look up only the identifications in this chunk (indexed), never all messages.
            wanted = sorted({i[2] for i in identities})
            qn = connection.ops.quote_name
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                cursor.execute(
                    "SELECT afzender, berichtcode, identificatie, sha256 "  # noqa: S608
                    f"FROM {qn(raw_table)} WHERE identificatie IN ({', '.join(['%s'] * len(part))})",
                    part,
                )
                for afz, code, ident, sha in cursor.fetchall():
                    if (afz, code, ident) in identities:
                        taken[(afz, code, ident)] = sha
        seen: set[str] = set()
        for file_name, r in ready:
            if r.sha256 in existing or r.sha256 in seen:
                result.duplicates += 1
                continue
            seen.add(r.sha256)
            if isinstance(r, PreparedMessage):
                identity = r.identity
                if identity in taken and taken[identity] != r.sha256:
                    r = RejectedMessage(
                        sha256=r.sha256,
                        size=r.size,
                        header=r.header,
                        problems=(
                            Problem(
                                rule="TR056",
                                path="/Bericht/Header/BerichtIdentificatie/Identificatie",
                                message=(
                                    f"Identificatie {identity[2]} is al gebruikt voor een ander "
                                    f"bericht met BerichtCode {identity[1]} van afzender "
                                    f"{identity[0]} (retourcode 9056); dit bericht is niet "
                                    "ingelezen."
                                ),
                            ),
                        ),
                        stored_xml=r.raw[8],
                    )
                else:
                    taken[identity] = r.sha256
                    raw_rows.append((*r.raw, received, batch.pk, file_name[:500]))
                    for table, row in r.facts:
                        fact_rows[table].append(row)
                    result.accepted += 1
                    continue
            # Rejected (by the parser, or above).
            result.rejected += 1
            header = r.header
            problems = _problem_dicts(r.problems)
            if len(result.rejections) < REPORT_LIMIT:
                result.rejections.append(
                    Rejection(
                        file_name=file_name,
                        message_type=str(header.message_type) if header else "",
                        identificatie=header.identificatie if header else "",
                        problems=problems,
                    )
                )
            if r.sha256 in quarantined:
                continue
            quarantined.add(r.sha256)
            quarantine_rows.append(
                (
                    r.sha256,
                    r.size,
                    file_name[:500],
                    str(header.message_type) if header else "",
                    header.afzender[:8] if header else "",
                    header.identificatie[:12] if header else "",
                    _json(problems),
                    None if r.stored_xml is None else compressed(r.stored_xml),
                    received,
                    batch.pk,
                )
            )
        # Raw messages first: facts reference them.
        _insert(cursor, RawMessage, _RAW_COLS, raw_rows)
        for (model, columns), rows in zip(FACT_TABLES, fact_rows, strict=True):
            _insert(cursor, model, columns, rows)
        _insert(cursor, QuarantinedMessage, _Q_COLS, quarantine_rows)
    return result


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
