# SPDX-License-Identifier: EUPL-1.2
"""A contract manager uploads a zip with iWmo messages in the browser and sees the summary."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def traffic_zip(tmp_path_factory) -> Path:
    from wmo_sla.generator import generate_region

    out = tmp_path_factory.mktemp("e2e-region") / "traffic"
    generate_region(
        out_dir=out,
        contract_yaml=REPO / "examples" / "contract-drechtsteden.yaml",
        clients=15,
        providers=2,
        date_from=dt.date(2024, 1, 1),
        date_to=dt.date(2024, 6, 30),
        seed=3,
    )
    files = sorted(out.rglob("*.xml"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, path.relative_to(out))
        archive.writestr("kapot.xml", b"<Bericht><niet-af>")
    target = tmp_path_factory.mktemp("e2e-zip") / "week-26.zip"
    target.write_bytes(buffer.getvalue())
    return target


def test_upload_zip_shows_progress_page_with_summary_and_rejection(
    live_server, page, login, password, traffic_zip, assert_no_serious_axe_violations
):
    UserFactory(username="e2e-upload", contractmanager=True)
    login(page, live_server, "e2e-upload", password)
    page.get_by_role("link", name="Berichten inlezen").click()
    assert_no_serious_axe_violations(page, "inlezen")
    page.get_by_label("Bestand met iWmo-berichten").set_input_files(str(traffic_zip))
    page.get_by_role("button", name="Inlezen").click()
    page.wait_for_url("**/inlezen/*/")
    page.get_by_text("Status: Klaar").wait_for()
    with zipfile.ZipFile(traffic_zip) as archive:
        messages = len(archive.namelist())
    accepted = int(page.locator('[data-count="accepted"]').inner_text())
    rejected = int(page.locator('[data-count="rejected"]').inner_text())
    assert (accepted, rejected) == (messages - 1, 1)
    assert page.get_by_role("cell", name="week-26.zip!kapot.xml").is_visible()
    assert_no_serious_axe_violations(page, "inleesrun")
