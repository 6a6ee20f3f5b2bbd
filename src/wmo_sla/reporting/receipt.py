# SPDX-License-Identifier: EUPL-1.2
"""What a receipt shows: the content of a submitted version read-only, the iWmo check, the facts.

One context for the receipt page, its PDF (``pdf.py``) and the receipt e-mail
(``services._send_receipt``); the review page before submitting uses the same content display.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors
from .models import Report, ReportKind, ReportVersion
from .schemas import COMPLAINT_SUBJECTS, OUTFLOW_CATEGORIES

# Short column headers of the uitstroomredenen tables (receipt, review page; the full wording of
# each question is on the form).
SHORT_LABELS: dict[str, Any] = {
    "doelen_bereikt": gettext_lazy("Doelen bereikt"),
    "andere_maatwerkvoorziening": gettext_lazy("Andere maatwerkvoorziening"),
    "andere_aanbieder": gettext_lazy("Andere aanbieder (IB)"),
    "overleden": gettext_lazy("Overleden"),
    "verhuisd": gettext_lazy("Verhuisd buiten de regio"),
    "wlz": gettext_lazy("Wlz"),
    "overig": gettext_lazy("Overig"),
}


def who(user: Any) -> str:
    if user is None:
        return _("onbekend")
    return str(user.get_full_name() or user.get_username())


def content_display(report: Report, version: ReportVersion) -> dict[str, Any]:
    """The content of a version, ready for a read-only table (page, receipt and PDF)."""
    content = version.content if isinstance(version.content, dict) else {}
    kind = report.obligation.kind
    result: dict[str, Any] = {"kind": kind}
    if kind == ReportKind.UITSTROOMREDENEN:
        result["categories"] = [
            {"short": SHORT_LABELS[key], "label": label} for key, label in OUTFLOW_CATEGORIES
        ]
        rows = []
        for row in content.get("rijen") or []:
            if not isinstance(row, dict):
                continue
            values = [row.get(key) for key, _label in OUTFLOW_CATEGORIES]
            rows.append(
                {
                    "group": row.get("referentiegroep", ""),
                    "values": ["–" if v is None or v == "" else str(v) for v in values],
                    "total": sum(v for v in values if isinstance(v, int)),
                    "toelichting": row.get("overig_toelichting") or "",
                }
            )
        result["rows"] = rows
    elif kind == ReportKind.KLACHTEN:
        subjects = dict(COMPLAINT_SUBJECTS)
        result["geen_klachten"] = content.get("geen_klachten") is True
        complaints = []
        for row in content.get("klachten") or []:
            if not isinstance(row, dict):
                continue
            names = [str(subjects.get(s, s)) for s in row.get("onderwerpen") or []]
            if row.get("onderwerp_anders"):
                names.append(str(row["onderwerp_anders"]))
            handled = row.get("afgehandeld")
            complaints.append(
                {
                    **row,
                    "onderwerpen_text": ", ".join(names),
                    "afgehandeld_text": _("ja")
                    if handled is True
                    else _("nee")
                    if handled is False
                    else "",
                    "datum_ontvangen": date_text(row.get("datum_ontvangen")),
                    "datum_afgehandeld": date_text(row.get("datum_afgehandeld")),
                }
            )
        result["klachten"] = complaints
    else:
        result["bestand"] = content.get("bestand") or version.attachment_name
        result["regels"] = content.get("regels")
        result["sha256"] = content.get("sha256", "")
    return result


def check_view(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """A stored or fresh check result (``CheckResult.as_json()``) for the templates."""
    if not result:
        return None
    return {
        "available": bool(result.get("available")),
        "note": result.get("note", ""),
        "run_id": result.get("run_id"),
        "warnings": [f["message"] for f in result.get("findings", []) if f.get("over_tolerance")],
    }


def date_text(value: Any) -> str:
    """An ISO date from the content as dd-mm-jjjj; anything else as stored."""
    text = str(value or "")
    try:
        return f"{dt.date.fromisoformat(text):%d-%m-%Y}"
    except ValueError:
        return text


def receipt_context(version: ReportVersion) -> dict[str, Any]:
    report = version.report
    due = selectors.obligation_due_date(report.obligation, report.period)
    return {
        "version": version,
        "report": report,
        "title": f"{report.obligation.get_kind_display()} {report.period}",
        "submitted_by": who(version.submitted_by),
        "display": content_display(report, version),
        "check": check_view(version.check_result or None),
        "due_date": due,
        "submitted_late": version.submitted_at is not None
        and timezone.localdate(version.submitted_at) > due,
    }
