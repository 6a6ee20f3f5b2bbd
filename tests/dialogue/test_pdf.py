# SPDX-License-Identifier: EUPL-1.2
"""The meeting pack PDF: tagged (PDF/UA-1), with the aanbieder, its figures and agreements."""

from __future__ import annotations

import datetime as dt
import re
import zlib

from django.urls import reverse

import pytest

from wmo_sla.dialogue import services

from .conftest import OTHER_NAME, OWN_NAME

pytestmark = pytest.mark.django_db


def _streams(pdf: bytes) -> dict[int, bytes]:
    """Every stream object, decompressed, by object number."""
    streams = {}
    for match in re.finditer(
        rb"(\d+) 0 obj\s*<<(.*?)>>\s*stream\r?\n(.*?)\r?\nendstream", pdf, re.S
    ):
        body = match.group(3)
        if b"/FlateDecode" in match.group(2):
            body = zlib.decompress(body)
        streams[int(match.group(1))] = body
    return streams


def _objects(pdf: bytes, streams: dict[int, bytes]) -> dict[int, str]:
    """Plain and object-stream objects as text (the catalog and fonts live in object streams)."""
    objects = {
        int(m.group(1)): m.group(2).decode("latin-1")
        for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S)
    }
    for body in streams.values():
        head = re.match(rb"((?:\d+ \d+ ?)+)\n", body)
        if not head or b"<<" not in body:
            continue
        numbers = [int(n) for n in head.group(1).split()]
        pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
        content = body[len(head.group(0)) :]
        for index, (number, offset) in enumerate(pairs):
            stop = pairs[index + 1][1] if index + 1 < len(pairs) else len(body)
            objects[number] = content[offset:stop].decode("latin-1")
    return objects


def _structure(pdf: bytes) -> str:
    streams = _streams(pdf)
    texts = [*_objects(pdf, streams).values(), *(b.decode("latin-1") for b in streams.values())]
    return "\n".join(texts)


def _page_text(pdf: bytes) -> str:
    """The visible text: glyph ids in the content streams mapped through each font's ToUnicode."""
    streams = _streams(pdf)
    objects = _objects(pdf, streams)
    cmaps: dict[str, dict[str, str]] = {}
    for text in objects.values():
        font = re.search(r"/BaseFont /(\w+)\+", text)
        to_unicode = re.search(r"/ToUnicode (\d+) 0 R", text)
        if font and to_unicode:
            cmap = streams[int(to_unicode.group(1))].decode("latin-1")
            cmaps[font.group(1)] = {
                glyph.lower(): chr(int(code, 16))
                for glyph, code in re.findall(r"<([0-9a-fA-F]{4})> <([0-9a-fA-F]{4})>", cmap)
            }
    words = []
    for body in streams.values():
        text = body.decode("latin-1")
        if " Tf" not in text:
            continue
        font: dict[str, str] = {}
        for token in re.finditer(r"/(\w+) [\d.]+ Tf|\[(.*?)\] TJ", text, re.S):
            if token.group(1):
                font = cmaps.get(token.group(1), {})
                continue
            glyphs = re.findall(r"<([0-9a-fA-F]+)>", token.group(2))
            words.append(
                "".join(
                    font.get(g[i : i + 4].lower(), "?") for g in glyphs for i in range(0, len(g), 4)
                )
            )
    return " ".join(words)


@pytest.fixture
def pdf_response(client, dialogue):
    gesprek = services.gesprek_plan(
        actor=dialogue.cm,
        aanbieder=dialogue.own,
        period="2024Q3",
        date=dt.date(2024, 11, 1),
        deelnemers="",
    )
    services.afspraak_create(
        actor=dialogue.cm,
        gesprek=gesprek,
        actie="Wachtlijst halveren",
        eigenaar="Directeur",
        deadline=dt.date(2025, 3, 31),
    )
    client.force_login(dialogue.cm)
    return client.get(reverse("dialogue:gesprek_pdf", args=[gesprek.pk]))


def test_pack_pdf_is_a_tagged_pdf_ua_document(pdf_response):
    assert pdf_response.status_code == 200
    assert pdf_response["Content-Type"] == "application/pdf"
    assert pdf_response["Content-Disposition"].startswith(
        'attachment; filename="gesprekspakket-2024Q3'
    )
    pdf = pdf_response.content
    assert pdf.startswith(b"%PDF-1.7")
    text = _structure(pdf)
    assert re.search(r"/MarkInfo\s*<<\s*/Marked\s+true", text)
    assert "/StructTreeRoot" in text
    assert re.search(r"/Lang\s*\(nl\)", text)
    assert "pdfuaid:part" in text  # PDF/UA identification in the XMP metadata
    assert re.search(r"/S\s*/Table", text) and re.search(r"/S\s*/TH", text)
    # Charts are figures with a text alternative (the SVG title).
    assert re.search(r"/S\s*/Figure", text)
    assert re.search(r"/Alt\s*\(K6 Gestart binnen de norm per kwartaal, Zorg Eigen", text)


def test_pack_pdf_contains_the_aanbieder_figures_and_agreements(pdf_response):
    text = _page_text(pdf_response.content)
    assert OWN_NAME in text
    assert "30,0 %" in text  # K8 of 2024Q3, the flagged figure
    assert "norm niet gehaald" in text and "signaal (buiten 99,8 %-grens)" in text
    assert "Levering volgens plan beëindigd" in text  # outflow reasons
    assert "Wachtlijst halveren" in text  # the agreement of this meeting
    assert OTHER_NAME not in text
