# SPDX-License-Identifier: EUPL-1.2
"""Read API for contract master data. Scoping comes from the contract selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wmo_sla.accounts.roles import Capability
from wmo_sla.contracts import selectors

from . import serializers
from .permissions import capability_permission


class MeView(APIView):
    @extend_schema(responses=serializers.MeSerializer, summary="De ingelogde gebruiker")
    def get(self, request: Request) -> Response:
        return Response(serializers.MeSerializer(request.user).data)  # type: ignore[arg-type]


class GemeenteListView(generics.ListAPIView):
    serializer_class = serializers.GemeenteSerializer
    permission_classes = [capability_permission(Capability.USE_API)]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.gemeenten_all()


class AanbiederListView(generics.ListAPIView):
    serializer_class = serializers.AanbiederSerializer
    permission_classes = [capability_permission(Capability.USE_API)]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.aanbieders_with_codes(self.request.user)


class AanbiederDetailView(generics.RetrieveAPIView):
    serializer_class = serializers.AanbiederSerializer
    permission_classes = [capability_permission(Capability.USE_API)]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.aanbieders_with_codes(self.request.user)


class ReferentiegroepListView(generics.ListAPIView):
    serializer_class = serializers.ReferentiegroepSerializer
    permission_classes = [capability_permission(Capability.USE_API)]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.referentiegroepen_all()


class ContractListView(generics.ListAPIView):
    serializer_class = serializers.ContractSerializer
    permission_classes = [capability_permission(Capability.USE_API)]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.contracts_visible_to(self.request.user)


class ContractDetailView(generics.RetrieveAPIView):
    serializer_class = serializers.ContractDetailSerializer
    permission_classes = [capability_permission(Capability.USE_API)]
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.contracts_visible_to(self.request.user).prefetch_related(
            "products__tariffs", "products__referentiegroep"
        )


class NormListView(generics.ListAPIView):
    serializer_class = serializers.NormSerializer
    permission_classes = [capability_permission(Capability.USE_API)]

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.norms_all()
