# SPDX-License-Identifier: EUPL-1.2
"""Import of client-satisfaction results (K13) from CSV: all-or-nothing, errors per line.

Columns (header row required; separator ``;`` or ``,``; UTF-8, optionally with BOM):

    agb_code ; periode ; cijfer ; gemeente (optional)

``periode`` is a year (``2024``), half year (``2024H1``) or quarter (``2024Q3``); ``cijfer`` is a whole
number from 1 to 10; ``gemeente`` is a 4-digit CBS code. English headers (``period``, ``score``)
are accepted too.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.services import audit_log
from wmo_sla.contracts.models import AgbCode, Gemeente
from wmo_sla.engine.periods import is_period_label

from .models import SurveyImport, SurveyResponse

MAX_BYTES = 50 * 1024 * 1024
HEADERS = {
    "agb_code": "agb_code",
    "agb": "agb_code",
    "agb-code": "agb_code",
    "periode": "period",
    "period": "period",
    "cijfer": "score",
    "score": "score",
    "gemeente": "gemeente",
    "cbs": "gemeente",
}


@dataclass(frozen=True)
class SurveyError:
    line: int
    message: str


class SurveyFileInvalid(Exception):
    def __init__(self, file: str, errors: list[SurveyError]) -> None:
        self.file = file
        self.errors = errors
        super().__init__("\n".join(f"{file}: regel {e.line}: {e.message}" for e in errors))


@dataclass(frozen=True)
class SurveyResult:
    survey_import: SurveyImport
    created: bool


def _rows(text: str, file: str) -> tuple[list[dict[str, str]], list[SurveyError]]:
    sample = text[:2048]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return [], [SurveyError(1, "het bestand is leeg; verwacht een kopregel")]
    columns = [HEADERS.get(h.strip().lower().lstrip("\ufeff")) for h in header]
    missing = {"agb_code", "period", "score"} - {c for c in columns if c}
    errors: list[SurveyError] = []
    if missing:
        names = {"agb_code": "agb_code", "period": "periode", "score": "cijfer"}
        errors.append(
            SurveyError(
                1,
                "kolom(men) ontbreken in de kopregel: "
                + ", ".join(names[m] for m in sorted(missing))
                + f" (gevonden: {', '.join(header)})",
            )
        )
        return [], errors
    rows = []
    for number, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) > len(columns):
            errors.append(
                SurveyError(number, f"{len(raw)} kolommen, de kopregel heeft er {len(columns)}")
            )
            continue
        row = {col: raw[i].strip() for i, col in enumerate(columns) if col and i < len(raw)}
        row["_line"] = str(number)
        rows.append(row)
    return rows, errors


def survey_import(*, path: Path, actor: Any = None) -> SurveyResult:
    """Validate the whole file; store it only when every line is correct. Idempotent per file."""
    return survey_import_bytes(data=path.read_bytes(), name=path.name, actor=actor)


def parse_survey(data: bytes, name: str) -> list[SurveyResponse]:
    """Every answer of the file, unsaved; raises :class:`SurveyFileInvalid` listing every bad line.

    Also used by the tevredenheid report (``wmo_sla.reporting``) to validate an upload without
    storing anything.
    """
    if len(data) > MAX_BYTES:
        raise SurveyFileInvalid(name, [SurveyError(0, "bestand is groter dan 50 MB")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SurveyFileInvalid(
            name,
            [SurveyError(0, "het bestand is geen UTF-8-tekst (CSV); sla het op als CSV UTF-8")],
        ) from None
    rows, errors = _rows(text, name)
    known_agb = set(AgbCode.objects.values_list("code", flat=True))
    known_gemeenten = set(Gemeente.objects.values_list("cbs_code", flat=True))
    clean: list[SurveyResponse] = []
    for row in rows:
        line = int(row["_line"])
        agb, period, score, gemeente = (
            row.get("agb_code", ""),
            row.get("period", "").upper(),
            row.get("score", ""),
            row.get("gemeente", ""),
        )
        if not re.fullmatch(r"\d{8}", agb):
            errors.append(SurveyError(line, f"AGB-code {agb!r} bestaat niet uit 8 cijfers"))
        elif agb not in known_agb:
            errors.append(
                SurveyError(line, f"AGB-code {agb} is niet bekend in de contractdefinitie")
            )
        if not is_period_label(period):
            errors.append(
                SurveyError(
                    line, f"periode {period!r} is ongeldig; gebruik bv. 2024, 2024H1 of 2024Q3"
                )
            )
        if not re.fullmatch(r"\d{1,2}", score) or not 1 <= int(score) <= 10:
            errors.append(
                SurveyError(line, f"cijfer {score!r} is geen geheel getal van 1 tot en met 10")
            )
        if gemeente:
            if not re.fullmatch(r"\d{4}", gemeente):
                errors.append(
                    SurveyError(line, f"gemeentecode {gemeente!r} bestaat niet uit 4 cijfers")
                )
            elif gemeente not in known_gemeenten:
                errors.append(SurveyError(line, f"gemeente {gemeente} is niet bekend"))
        if not errors or errors[-1].line != line:
            clean.append(
                SurveyResponse(
                    line=line,
                    aanbieder_agb=agb,
                    period=period,
                    score=int(score),
                    gemeente=gemeente,
                )
            )
    if not rows and not errors:
        errors.append(SurveyError(2, "het bestand bevat geen antwoorden"))
    if errors:
        raise SurveyFileInvalid(name, sorted(errors, key=lambda e: e.line))
    return clean


def survey_import_bytes(*, data: bytes, name: str, actor: Any = None) -> SurveyResult:
    """:func:`survey_import` for file contents already in memory."""
    if len(data) > MAX_BYTES:
        raise SurveyFileInvalid(name, [SurveyError(0, "bestand is groter dan 50 MB")])
    digest = hashlib.sha256(data).hexdigest()
    existing = SurveyImport.objects.filter(sha256=digest).first()
    if existing is not None:
        return SurveyResult(existing, created=False)
    clean = parse_survey(data, name)
    with transaction.atomic():
        record = SurveyImport.objects.create(
            sha256=digest,
            file_name=name[:300],
            imported_at=timezone.now(),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            rows=len(clean),
        )
        for response in clean:
            response.survey_import = record
        SurveyResponse.objects.bulk_create(clean, batch_size=2000)
        audit_log(
            action=AuditAction.SURVEY_IMPORTED,
            actor=record.actor,
            obj=record,
            extra={"rows": len(clean), "file": name},
        )
    return SurveyResult(record, created=True)
