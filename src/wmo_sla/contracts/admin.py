# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wmo_sla.accounts.roles import Capability
from wmo_sla.core.admin_mixins import AuditedModelAdmin, RolePermissionMixin

from .models import (
    Aanbieder,
    AgbCode,
    Contract,
    Gemeente,
    Holiday,
    HolidayCalendar,
    IndexFigure,
    Norm,
    NormEvent,
    NormProposal,
    Product,
    Referentiegroep,
    SlaVersion,
    Tariff,
)


class AgbCodeInline(RolePermissionMixin, admin.TabularInline):
    model = AgbCode
    extra = 0


class SlaVersionInline(RolePermissionMixin, admin.TabularInline):
    model = SlaVersion
    extra = 0


class IndexFigureInline(RolePermissionMixin, admin.TabularInline):
    model = IndexFigure
    extra = 0


class TariffInline(RolePermissionMixin, admin.TabularInline):
    model = Tariff
    extra = 0


class HolidayInline(RolePermissionMixin, admin.TabularInline):
    model = Holiday
    extra = 0


@admin.register(Gemeente)
class GemeenteAdmin(AuditedModelAdmin):
    list_display = ["cbs_code", "name"]
    search_fields = ["cbs_code", "name"]


@admin.register(Aanbieder)
class AanbiederAdmin(AuditedModelAdmin):
    list_display = ["name", "agb_list"]
    search_fields = ["name", "agb_codes__code"]
    inlines = [AgbCodeInline]

    @admin.display(description="AGB-codes")
    def agb_list(self, obj: Aanbieder) -> str:
        return ", ".join(code.code for code in obj.agb_codes.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("agb_codes")


@admin.register(Referentiegroep)
class ReferentiegroepAdmin(AuditedModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(HolidayCalendar)
class HolidayCalendarAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "rule"]
    inlines = [HolidayInline]


@admin.register(Contract)
class ContractAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "start_date", "end_date"]
    list_filter = ["kind"]
    filter_horizontal = ["gemeenten", "aanbieders"]
    inlines = [SlaVersionInline, IndexFigureInline]


@admin.register(Product)
class ProductAdmin(AuditedModelAdmin):
    list_display = [
        "contract",
        "categorie",
        "code",
        "description",
        "eenheid",
        "product_group",
        "referentiegroep",
        "intensity_rank",
    ]
    list_filter = ["contract", "categorie", "referentiegroep"]
    search_fields = ["code", "description"]
    inlines = [TariffInline]


@admin.register(Norm)
class NormAdmin(AuditedModelAdmin):
    edit_capability = Capability.EDIT_NORMS
    list_display = ["kpi_code", "referentiegroep", "year", "kind", "value", "direction", "status"]
    list_filter = ["kind", "status", "year", "referentiegroep"]
    search_fields = ["kpi_code"]
    readonly_fields = ["approved_by", "approved_at"]


class _ReadOnlyMixin:
    """Proposals and their history change only through ``wmo_sla.kpis.norms`` (never here)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NormEventInline(_ReadOnlyMixin, RolePermissionMixin, admin.TabularInline):
    model = NormEvent
    extra = 0
    fields = ["timestamp", "actor_repr", "from_status", "to_status", "note"]
    readonly_fields = ["timestamp", "actor_repr", "from_status", "to_status", "note"]


@admin.register(NormProposal)
class NormProposalAdmin(_ReadOnlyMixin, AuditedModelAdmin):
    list_display = [
        "id",
        "kpi_code",
        "referentiegroep",
        "year",
        "value",
        "method",
        "base_period",
        "n_providers",
        "n",
        "status",
    ]
    list_filter = ["status", "method", "year", "referentiegroep"]
    search_fields = ["kpi_code"]
    inlines = [NormEventInline]
