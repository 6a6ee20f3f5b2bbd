# SPDX-License-Identifier: EUPL-1.2
"""The receipt of a submitted report as a tagged PDF (PDF/UA-1) with WeasyPrint.

Like the meeting pack (``dialogue/pdf.py``): a structure tree, the document language and title,
system fonts embedded, and a fetcher that allows ``data:`` URLs only (no network, no files).
The same bytes are attached to the receipt e-mail.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

PDF_VARIANT = "pdf/ua-1"


def render_receipt_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    with translation.override("nl"):
        html = render_to_string("reporting/receipt_pdf.html", context)
    document = HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols=("data",)))
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None
    return pdf
