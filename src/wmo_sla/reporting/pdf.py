# SPDX-License-Identifier: EUPL-1.2
"""The receipt of a submitted report as a tagged PDF (PDF/UA-1); see ``core.pdf``. The same
bytes are attached to the receipt e-mail."""

from __future__ import annotations

from typing import Any

from wmo_sla.core.pdf import render_tagged_pdf


def render_receipt_pdf(context: dict[str, Any]) -> bytes:
    return render_tagged_pdf("reporting/receipt_pdf.html", context)
