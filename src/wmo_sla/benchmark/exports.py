# SPDX-License-Identifier: EUPL-1.2
"""CSV and XLSX of the overzicht: exactly the rows, columns and order the page shows.

Both formats have the same columns. CSV is for Dutch spreadsheet software: ``;``-separated,
UTF-8 with BOM, values written as on screen (decimal comma, units). XLSX keeps numbers as numbers
with a number format per unit (a share is 0–1 shown as a percentage).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from wmo_sla.kpis.registry import FIGURES, Unit

from .formatting import format_figure_value, signaal_label
from .selectors_overview import REGIO, Cell, Overview

_XLSX_FORMATS: dict[Unit, str] = {
    Unit.COUNT: "0",
    Unit.SHARE: "0.0%",
    Unit.RATE_PER_100: "0.0",
    Unit.DAYS: "0",
    Unit.WERKDAGEN: "0.0",
    Unit.EURO: '"€" #,##0',
    Unit.RATIO: "0.00",
    Unit.SCORE: "0.0",
}


def norm_label(flag: bool | None) -> str:
    if flag is None:
        return _("geen norm")
    return _("norm niet gehaald") if flag else _("norm gehaald")


def small_label(cell: Cell) -> str:
    if cell.zeer_klein:
        return _("n onder 5: alleen voor de gemeente")
    if cell.kleine_aantallen:
        return _("kleine aantallen")
    return ""


@dataclass(frozen=True)
class Column:
    header: str
    code: str | None  # the figure code, or None for the aanbieder columns
    part: str  # aanbieder, agb, value, n, ci_low, ci_high, norm, normtoets, signaal, klein, status


def columns(overview: Overview) -> list[Column]:
    cols = [Column(_("Aanbieder"), None, "aanbieder"), Column(_("AGB-code"), None, "agb")]
    for code in overview.selection.codes:
        name = f"{code} {FIGURES[code].name_nl}"
        cols += [
            Column(f"{name}: {_('waarde')}", code, "value"),
            Column(f"{name}: n", code, "n"),
            Column(f"{name}: {_('95%-interval ondergrens')}", code, "ci_low"),
            Column(f"{name}: {_('95%-interval bovengrens')}", code, "ci_high"),
            Column(f"{name}: {_('norm')}", code, "norm"),
            Column(f"{name}: {_('normtoets')}", code, "normtoets"),
            Column(f"{name}: {_('signaal')}", code, "signaal"),
            Column(f"{name}: {_('kleine aantallen')}", code, "klein"),
            Column(f"{name}: {_('status')}", code, "status"),
        ]
    return cols


def _raw(cell: Cell | None, part: str) -> object:
    """The value of one part of a cell (numbers as numbers, flags as Dutch words)."""
    if cell is None:
        return None
    if part == "value":
        return cell.value
    if part == "n":
        return cell.n
    if part == "ci_low":
        return cell.ci_low
    if part == "ci_high":
        return cell.ci_high
    if part == "norm":
        return cell.norm
    if part == "normtoets":
        return norm_label(cell.norm_niet_gehaald)
    if part == "signaal":
        return signaal_label(cell.signaal)
    if part == "klein":
        return small_label(cell)
    if part == "status":
        return cell.status
    raise ValueError(part)


def table(overview: Overview) -> tuple[list[Column], list[list[tuple[object, str | None]]]]:
    """Columns and, per row, (raw value, figure code for numbers) in the page's order."""
    cols = columns(overview)
    index = {code: i for i, code in enumerate(overview.selection.codes)}
    rows: list[list[tuple[object, str | None]]] = []
    for row in overview.rows:
        out: list[tuple[object, str | None]] = []
        for col in cols:
            if col.part == "aanbieder":
                out.append((row.aanbieder, None))
            elif col.part == "agb":
                out.append((row.agb, None))
            else:
                assert col.code is not None
                numeric = col.part in ("value", "ci_low", "ci_high", "norm")
                out.append(
                    (_raw(row.cells[index[col.code]], col.part), col.code if numeric else None)
                )
        rows.append(out)
    return cols, rows


def file_stem(overview: Overview) -> str:
    sel = overview.selection
    parts = ["overzicht", sel.period, sel.contract.code, sel.referentiegroep, sel.gemeente]
    return "_".join(re.sub(r"[^A-Za-z0-9-]+", "-", p) for p in parts if p)


def _safe_text(text: str) -> str:
    """No spreadsheet formulas from data (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(overview: Overview) -> bytes:
    cols, rows = table(overview)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.header for c in cols])
    for row in rows:
        out: list[str] = []
        for (value, code), col in zip(row, cols, strict=True):
            if value is None:
                out.append("")
            elif code is not None:
                out.append(format_figure_value(code, float(value)))  # type: ignore[arg-type]
            elif col.part == "n":
                out.append(str(value))
            else:
                out.append(_safe_text(str(value)))
        writer.writerow(out)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(overview: Overview) -> bytes:
    cols, rows = table(overview)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sel = overview.selection
    sheet.title = "Overzicht"
    gemeente = _("regio") if sel.gemeente == REGIO else sel.gemeente
    sheet.append(
        [
            _(
                "Overzicht %(period)s, contract %(contract)s, referentiegroep %(groep)s, gemeente %(gemeente)s"
            )
            % {
                "period": sel.period,
                "contract": sel.contract.code,
                "groep": sel.referentiegroep,
                "gemeente": gemeente,
            }
        ]
    )
    sheet.append([c.header for c in cols])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe_text(v) if isinstance(v, str) else v for v, _code in row])
        excel_row = sheet.max_row
        for index, (value, code) in enumerate(row, start=1):
            if code is not None and value is not None:
                sheet.cell(excel_row, index).number_format = _XLSX_FORMATS[FIGURES[code].unit]
    sheet.freeze_panes = "C3"
    for index in range(1, len(cols) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 30 if index == 1 else 14
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
