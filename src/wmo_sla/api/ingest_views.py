# SPDX-License-Identifier: EUPL-1.2
"""REST endpoint for delivering iWmo traffic: one XML message or a zip archive per request."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.http import Http404

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wmo_sla.accounts.roles import Capability
from wmo_sla.ingest import selectors
from wmo_sla.ingest.constants import BatchSource
from wmo_sla.ingest.services import batch_create, ingest_upload

from .permissions import capability_permission


class RawBodyParser(BaseParser):
    """Accepts the request body as-is for XML messages and zip archives."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return stream


class ProblemSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="Regelcode, bv. XSD, BSN-11PROEF, CS058, TR056.")
    path = serializers.CharField(help_text="Elementpad in het bericht.")
    message = serializers.CharField(help_text="Uitleg in het Nederlands (BSN gemaskeerd).")
    severity = serializers.ChoiceField(choices=["error", "warning"])


class RejectionSerializer(serializers.Serializer):
    file = serializers.CharField()
    message_type = serializers.CharField(allow_blank=True)
    identificatie = serializers.CharField(allow_blank=True)
    problems = ProblemSerializer(many=True)


class IngestReportSerializer(serializers.Serializer):
    batch = serializers.IntegerField()
    files = serializers.IntegerField()
    messages = serializers.IntegerField()
    accepted = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = serializers.IntegerField()
    unknown_aanbieders = serializers.ListField(child=serializers.CharField())
    unknown_gemeenten = serializers.ListField(child=serializers.CharField())
    rejections = RejectionSerializer(many=True)


class BatchStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    messages_seen = serializers.IntegerField()
    accepted = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = serializers.IntegerField()


class IngestView(APIView):
    permission_classes = [capability_permission(Capability.INGEST)]
    parser_classes = [MultiPartParser, RawBodyParser]

    @extend_schema(
        summary="Berichten aanleveren",
        description=(
            "Lever één iWmo 3.2-bericht (Content-Type `application/xml`) of een zip-archief met "
            "berichten (`application/zip`) aan, of een multipart-formulier met het veld "
            "`bestand`. Het antwoord vat de inleesrun samen. Status 200 als alles is "
            "geaccepteerd (of al eerder was ingelezen), 422 als er berichten zijn afgewezen; de "
            "goede berichten zijn dan wel ingelezen."
        ),
        request={
            "application/xml": {"type": "string", "format": "binary"},
            "application/zip": {"type": "string", "format": "binary"},
            "multipart/form-data": {
                "type": "object",
                "properties": {"bestand": {"type": "string", "format": "binary"}},
                "required": ["bestand"],
            },
        },
        responses={
            200: IngestReportSerializer,
            422: OpenApiResponse(
                IngestReportSerializer, description="Eén of meer berichten afgewezen."
            ),
            400: OpenApiResponse(description="Leeg verzoek of geen XML/zip."),
        },
        examples=[
            OpenApiExample(
                "Afgewezen bericht",
                response_only=True,
                status_codes=["422"],
                value={
                    "batch": 12,
                    "files": 1,
                    "messages": 1,
                    "accepted": 0,
                    "duplicates": 0,
                    "rejected": 1,
                    "unknown_aanbieders": [],
                    "unknown_gemeenten": [],
                    "rejections": [
                        {
                            "file": "WMO305-0001.xml",
                            "message_type": "WMO305",
                            "identificatie": "0001",
                            "problems": [
                                {
                                    "rule": "CS058",
                                    "path": "/Bericht/Client/StartProducten/StartProduct/StatusAanlevering",
                                    "message": "StatusAanlevering 2 is niet toegestaan; gebruik 1 of 3.",
                                    "severity": "error",
                                }
                            ],
                        }
                    ],
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        upload = (
            request.FILES.get("bestand") if request.content_type.startswith("multipart/") else None
        )
        with tempfile.TemporaryDirectory(prefix="wmo-sla-api-") as tmp:
            target = Path(tmp) / "upload"
            size = 0
            with target.open("wb") as handle:
                if upload is not None:
                    for chunk in upload.chunks():
                        handle.write(chunk)
                        size += len(chunk)
                    name = Path(upload.name or "upload").name
                else:
                    stream = request.stream
                    while stream is not None and (chunk := stream.read(1024 * 1024)):
                        handle.write(chunk)
                        size += len(chunk)
                    name = request.headers.get("X-Bestandsnaam", "api-upload")[:200]
            if size == 0:
                return Response(
                    {"detail": "Leeg verzoek: lever een XML-bericht of een zip-archief aan."},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            with target.open("rb") as handle:
                head = handle.read(64)
            if not (head.startswith(b"PK") or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")):
                return Response(
                    {"detail": "Dit is geen XML-bericht en geen zip-archief."},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            batch = batch_create(source=BatchSource.API, label=name, actor=request.user)
            report = ingest_upload(name=name, data_path=target, source=BatchSource.API, batch=batch)
        data = report.as_dict()
        return Response(data, status=status.HTTP_200_OK if report.ok else 422)


class IngestBatchView(APIView):
    permission_classes = [capability_permission(Capability.INGEST)]

    @extend_schema(summary="Status van een inleesrun", responses=BatchStatusSerializer)
    def get(self, request: Request, pk: int) -> Response:
        batch = selectors.batch_get(user=request.user, pk=pk)
        if batch is None:
            raise Http404
        return Response(
            BatchStatusSerializer(
                {
                    "id": batch.pk,
                    "status": batch.status,
                    "source": batch.source,
                    "created_at": batch.created_at,
                    "finished_at": batch.finished_at,
                    "messages_seen": batch.messages_seen,
                    "accepted": batch.accepted,
                    "duplicates": batch.duplicates,
                    "rejected": batch.rejected,
                }
            ).data
        )
