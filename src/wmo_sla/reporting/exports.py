# SPDX-License-Identifier: EUPL-1.2
"""The status board's rows, for the page and for CSV/XLSX: one list, so an export holds exactly
what the page shows (same rows, same order, same words).

CSV is for Dutch spreadsheet software like the benchmark exports: ``;``-separated, UTF-8 with
BOM, dates as dd-mm-jjjj, no formulas from data. XLSX keeps dates as dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .models import ReminderKind, Report, ReportReminder
from .selectors import BoardCell, CellKey, cell_key

# Every status in words and with a symbol (never colour alone); the class only adds colour.
STATUS_MARKS: dict[str, tuple[str, str]] = {
    "niet_gestart": ("○", "app-flag--geen"),
    "concept": ("✎", "app-flag--geen"),
    "ingediend": ("●", "app-flag--let-op"),
    "te_laat": ("✗", "app-flag--signaal"),
    "geaccepteerd": ("✓", "app-flag--gehaald"),
    "teruggestuurd": ("↩", "app-flag--let-op"),
    "vrijgesteld": ("–", "app-flag--geen"),
    "gewijzigd_na_acceptatie": ("△", "app-flag--let-op"),
}


@dataclass(frozen=True)
class BoardRow:
    cell: BoardCell
    report: Report | None
    aanbieder: str
    contract: str
    kind: str
    period: str
    opens_on: dt.date
    due_date: dt.date
    status_key: str
    status: str
    late: str  # "", "te laat ingediend", "te laat, nog niet ingediend"
    first_submitted: dt.datetime | None
    last_submitted: dt.datetime | None
    version: int | None
    exemption: str
    reminder: dt.datetime | None
    overdue_notice: dt.datetime | None

    @property
    def symbol(self) -> str:
        return STATUS_MARKS.get(self.status_key, ("", ""))[0]

    @property
    def css(self) -> str:
        return STATUS_MARKS.get(self.status_key, ("", ""))[1]


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value is not None else None


def board_rows(
    cells: Sequence[BoardCell], reminders: dict[CellKey, dict[str, ReportReminder]]
) -> list[BoardRow]:
    rows = []
    for cell in cells:
        report = cell.report
        sent = reminders.get(cell_key(cell), {})
        if cell.submitted_late:
            late = _("te laat ingediend")
        elif cell.is_late:
            late = _("te laat, nog niet ingediend")
        else:
            late = ""
        exemption = ""
        if cell.exemption is not None:
            exemption = (
                _("generiek: %(reason)s")
                if cell.exemption.aanbieder_id is None
                else _("deze aanbieder: %(reason)s")
            ) % {"reason": cell.exemption.reason}
        herinnering = sent.get(ReminderKind.HERINNERING)
        te_laat = sent.get(ReminderKind.TE_LAAT)
        rows.append(
            BoardRow(
                cell=cell,
                report=report,
                aanbieder=cell.aanbieder.name,
                contract=cell.obligation.contract.code,
                kind=str(cell.obligation.get_kind_display()),
                period=cell.period,
                opens_on=cell.opens_on,
                due_date=cell.due_date,
                status_key=cell.display_status,
                status=str(cell.display_label),
                late=late,
                first_submitted=_local(report.first_submitted_at) if report else None,
                last_submitted=_local(report.last_submitted_at) if report else None,
                version=cell.latest_version_number,
                exemption=exemption,
                reminder=_local(herinnering.sent_at) if herinnering else None,
                overdue_notice=_local(te_laat.sent_at) if te_laat else None,
            )
        )
    return rows


def headers() -> list[str]:
    return [
        _("Aanbieder"),
        _("Contract"),
        _("Soort rapportage"),
        _("Periode"),
        _("Open vanaf"),
        _("Uiterste datum"),
        _("Status"),
        _("Te laat"),
        _("Eerst ingediend"),
        _("Laatst ingediend"),
        _("Versie"),
        _("Vrijstelling"),
        _("Herinnering verstuurd"),
        _("Te-laat-melding verstuurd"),
    ]


def _values(row: BoardRow) -> list[Any]:
    return [
        row.aanbieder,
        row.contract,
        row.kind,
        row.period,
        row.opens_on,
        row.due_date,
        row.status,
        row.late,
        row.first_submitted,
        row.last_submitted,
        row.version,
        row.exemption,
        row.reminder,
        row.overdue_notice,
    ]


def _safe_text(text: str) -> str:
    """No spreadsheet formulas from data (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%d-%m-%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d-%m-%Y}"
    if isinstance(value, int):
        return str(value)
    return _safe_text(str(value))


def to_csv(rows: Sequence[BoardRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    for row in rows:
        writer.writerow([_text(v) for v in _values(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[BoardRow], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Rapportages"
    sheet.append([title])
    sheet.append(headers())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        values: list[Any] = []
        for value in _values(row):
            if isinstance(value, dt.datetime):
                values.append(value.replace(tzinfo=None))  # Excel has no time zones
            elif isinstance(value, str):
                values.append(_safe_text(value))
            else:
                values.append(value)
        sheet.append(values)
        excel_row = sheet.max_row
        for index, value in enumerate(values, start=1):
            if isinstance(value, dt.datetime):
                sheet.cell(excel_row, index).number_format = "dd-mm-yyyy hh:mm"
            elif isinstance(value, dt.date):
                sheet.cell(excel_row, index).number_format = "dd-mm-yyyy"
    sheet.freeze_panes = "B3"
    for index in range(1, len(headers()) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 28 if index == 1 else 16
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
