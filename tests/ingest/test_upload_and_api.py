# SPDX-License-Identifier: EUPL-1.2
"""Upload page and REST endpoint: the same ingest, the same summary, only for the right roles."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from wmo_sla.ingest.models import IngestBatch, RawMessage

pytestmark = pytest.mark.django_db


def _zip(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            z.writestr(name, data)
    return buffer.getvalue()


def test_contractmanager_uploads_a_zip_and_sees_the_summary(client, contractmanager, region_files):
    client.force_login(contractmanager)
    upload = SimpleUploadedFile("week.zip", _zip(region_files[:40]), "application/zip")
    response = client.post(reverse("ingest:upload"), {"bestand": upload})
    assert response.status_code == 302
    batch = IngestBatch.objects.get()
    assert response["Location"] == reverse("ingest:batch_detail", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Geaccepteerd" in page
    assert batch.accepted == 40 and RawMessage.objects.count() == 40
    status = client.get(reverse("ingest:batch_status", args=[batch.pk])).json()
    assert status["finished"] and status["accepted"] == 40


def test_upload_that_is_not_xml_or_zip_is_refused_without_side_effects(client, beheerder):
    client.force_login(beheerder)
    upload = SimpleUploadedFile("foto.xml", b"\x89PNG\r\n\x1a\n....", "application/xml")
    response = client.post(reverse("ingest:upload"), {"bestand": upload})
    assert response.status_code == 200
    assert "geen XML-bericht en geen zip-archief" in response.content.decode()
    assert not IngestBatch.objects.exists()


def test_analist_and_provider_cannot_upload(client, analist, provider_user):
    for user in (analist, provider_user):
        client.force_login(user)
        assert client.get(reverse("ingest:upload")).status_code == 403


def test_rejected_message_is_shown_with_file_rule_and_path(client, contractmanager, region_files):
    _name, data = next((n, d) for n, d in region_files if "WMO305" in n)
    bad = data.replace(b"<", b"<<", 1)
    client.force_login(contractmanager)
    upload = SimpleUploadedFile("kapot.xml", bad, "application/xml")
    response = client.post(reverse("ingest:upload"), {"bestand": upload}, follow=True)
    page = response.content.decode()
    assert "Afgewezen berichten" in page
    assert "kapot.xml" in page


def test_api_accepts_a_single_message_and_reports(client, contractmanager, region_files):
    client.force_login(contractmanager)
    name, data = region_files[0]
    response = client.post(
        reverse("api:ingest"), data=data, content_type="application/xml", HTTP_X_BESTANDSNAAM=name
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["accepted"] == 1 and body["rejected"] == 0
    again = client.post(reverse("api:ingest"), data=data, content_type="application/xml")
    assert again.json()["duplicates"] == 1
    status = client.get(reverse("api:ingest_batch", args=[body["batch"]])).json()
    assert status["accepted"] == 1


def test_api_reports_rejections_with_422(client, beheerder, region_files):
    client.force_login(beheerder)
    bad = region_files[0][1].replace(b"<", b"<<", 1)
    response = client.post(
        reverse("api:ingest"),
        data=_zip([("goed.xml", region_files[1][1]), ("kapot.xml", bad)]),
        content_type="application/zip",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["accepted"] == 1 and body["rejected"] == 1
    assert body["rejections"][0]["file"].endswith("kapot.xml")
    assert body["rejections"][0]["problems"][0]["rule"].startswith("XML")


def test_api_refuses_provider_users(client, provider_user, region_files):
    client.force_login(provider_user)
    response = client.post(
        reverse("api:ingest"), data=region_files[0][1], content_type="application/xml"
    )
    assert response.status_code == 403
    assert not RawMessage.objects.exists()
