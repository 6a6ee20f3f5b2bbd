# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from rest_framework import serializers

from wmo_sla.accounts.models import User
from wmo_sla.contracts.models import (
    Aanbieder,
    Contract,
    Gemeente,
    Norm,
    Product,
    Referentiegroep,
    Tariff,
)


class GemeenteSerializer(serializers.ModelSerializer[Gemeente]):
    class Meta:
        model = Gemeente
        fields = ["cbs_code", "name"]


class AanbiederSerializer(serializers.ModelSerializer[Aanbieder]):
    agb_codes: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )

    class Meta:
        model = Aanbieder
        fields = ["id", "name", "agb_codes"]


class ReferentiegroepSerializer(serializers.ModelSerializer[Referentiegroep]):
    class Meta:
        model = Referentiegroep
        fields = ["code", "name", "description"]


class TariffSerializer(serializers.ModelSerializer[Tariff]):
    class Meta:
        model = Tariff
        fields = ["year", "price", "price_per"]


class ProductSerializer(serializers.ModelSerializer[Product]):
    referentiegroep: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        read_only=True, slug_field="code"
    )
    tariffs = TariffSerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "categorie",
            "code",
            "description",
            "eenheid",
            "product_group",
            "referentiegroep",
            "intensity_rank",
            "tariffs",
        ]


class ContractSerializer(serializers.ModelSerializer[Contract]):
    gemeenten: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="cbs_code"
    )
    holiday_calendar: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        read_only=True, slug_field="code"
    )

    class Meta:
        model = Contract
        fields = [
            "code",
            "name",
            "kind",
            "start_date",
            "end_date",
            "gemeenten",
            "holiday_calendar",
            "indexation_method",
        ]


class ContractDetailSerializer(ContractSerializer):
    products = ProductSerializer(many=True, read_only=True)

    class Meta(ContractSerializer.Meta):
        fields = [*ContractSerializer.Meta.fields, "products"]


class NormSerializer(serializers.ModelSerializer[Norm]):
    referentiegroep: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        read_only=True, slug_field="code"
    )

    class Meta:
        model = Norm
        fields = [
            "kpi_code",
            "referentiegroep",
            "year",
            "kind",
            "value",
            "direction",
            "status",
            "method",
            "base_period",
        ]


class MeSerializer(serializers.ModelSerializer[User]):
    aanbieder = AanbiederSerializer(read_only=True)

    class Meta:
        model = User
        fields = ["username", "role", "aanbieder"]
