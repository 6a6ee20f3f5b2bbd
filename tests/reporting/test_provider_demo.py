# SPDX-License-Identifier: EUPL-1.2
"""The aanbieder's reporting pages on the demo's reporting history (the demo stage's small world):
every link on *Mijn rapportages* of the demo login opens, and shows only its own organisation."""

from __future__ import annotations

import re

from django.urls import reverse

import pytest
import time_machine

from tests.demo.test_demo_reporting import NAMES, TODAY, _run_stage, recomputes, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_every_link_on_my_reports_of_the_demo_login_works(client, world, recomputes):  # noqa: F811
    _run_stage()
    client.force_login(world["provider"])
    with time_machine.travel(TODAY, tick=True):
        mine = client.get(reverse("reporting:mine"))
        assert mine.status_code == 200
        page = mine.content.decode()
        # The stage's story for aanbieder1: a returned report to act on, one waiting for review,
        # open concepts, receipts of earlier submissions.
        assert "Teruggestuurd" in page and "Ingediend" in page and "Concept" in page
        links = sorted(set(re.findall(r'href="(/rapportages/[^"#?]+)"', page)))
        edits = [link for link in links if re.fullmatch(r"/rapportages/mijn/\d+/\w+/", link)]
        receipts = [link for link in links if link.startswith("/rapportages/ontvangst/")]
        assert edits and receipts
        others = [name for name in NAMES if name != "A Atelier"]
        for link in links:
            response = client.get(link)
            assert response.status_code == 200, link
            text = response.content.decode()
            assert not [name for name in others if name in text], link
        # A concept opens on its review page; a receipt also as PDF.
        for link in edits:
            check = client.get(link + "controleren/", follow=True)
            assert check.status_code == 200, link
        pdf = client.get(receipts[0] + "pdf/")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
