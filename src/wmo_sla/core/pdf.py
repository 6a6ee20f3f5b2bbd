# SPDX-License-Identifier: EUPL-1.2
"""Tagged PDFs (PDF/UA-1) from Django templates with WeasyPrint — the meeting pack and the
receipt of a submitted report.

``pdf_variant="pdf/ua-1"`` makes WeasyPrint write a structure tree (``/StructTreeRoot``),
``/MarkInfo << /Marked true >>``, the document language and title and PDF/UA metadata. Fonts are
the system's (fontconfig: DejaVu Sans / Liberation Sans), embedded in the file; the fetcher
allows ``data:`` URLs only, so rendering never reaches the network or the file system. Templates
share their page and table style through ``includes/pdf_style.css``.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

PDF_VARIANT = "pdf/ua-1"


def render_tagged_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    with translation.override("nl"):
        html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=None, url_fetcher=URLFetcher(allowed_protocols=("data",)))
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None
    return pdf
