# SPDX-License-Identifier: EUPL-1.2
"""The meeting pack as a tagged PDF (PDF/UA-1); see ``core.pdf``."""

from __future__ import annotations

from typing import Any

from wmo_sla.core.pdf import render_tagged_pdf


def render_pack_pdf(context: dict[str, Any]) -> bytes:
    return render_tagged_pdf("dialogue/pack_pdf.html", context)
