# SPDX-License-Identifier: EUPL-1.2
"""The GET filter form of the overzicht and the funnel page (bookmarkable URLs)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wmo_sla.contracts.models import Gemeente, Referentiegroep
from wmo_sla.kpis.registry import FIGURES

from .selectors_overview import (
    DEFAULT_CODES,
    REGIO,
    Selection,
    contracts_all,
    default_period,
    figure_codes_in_order,
    referentiegroepen_of,
)


class OverviewFilterForm(forms.Form):
    """Period, contract, referentiegroep, gemeente, the figure codes, and the sort column.

    Unknown values are errors (a clear Dutch message, nothing shown that was not asked for). A
    referentiegroep that does not belong to the chosen contract falls back to the contract's
    first one, with a notice — that happens when the user switches contract in the form.
    """

    period = forms.ChoiceField(label=gettext_lazy("Periode"))
    contract = forms.ChoiceField(label=gettext_lazy("Contract"))
    referentiegroep = forms.ChoiceField(label=gettext_lazy("Referentiegroep"), required=False)
    gemeente = forms.ChoiceField(label=gettext_lazy("Gemeente"), required=False)
    kpi = forms.MultipleChoiceField(
        label=gettext_lazy("Kengetallen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Zonder keuze: het hoofdkengetal van elke KPI."),
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20)
    dir = forms.ChoiceField(
        required=False, choices=[("asc", "asc"), ("desc", "desc")], widget=forms.HiddenInput
    )

    def __init__(self, data: Any, *, periods: list[str], **kwargs: Any) -> None:
        data = data.copy() if data is not None else {}
        self._mutable_data: Any = data
        self.contracts = {c.code: c for c in contracts_all()}
        if not data.get("period") and periods:
            data["period"] = default_period(periods)
        if not data.get("contract") and self.contracts:
            data["contract"] = next(iter(self.contracts))
        super().__init__(data, **kwargs)
        self.notice = ""
        self._field("period").choices = [(p, p) for p in periods]
        self._field("contract").choices = [
            (c.code, f"{c.code} – {c.name}") for c in self.contracts.values()
        ]
        self._field("referentiegroep").choices = [("", _("eerste van het contract"))] + [
            (r.code, f"{r.code} – {r.name}") for r in Referentiegroep.objects.order_by("code")
        ]
        self._field("gemeente").choices = [(REGIO, _("Regio (alle gemeenten)"))] + [
            (g.cbs_code, f"{g.name} ({g.cbs_code})") for g in Gemeente.objects.order_by("name")
        ]
        self._field("kpi").choices = [
            (code, f"{code} – {FIGURES[code].name_nl}") for code in figure_codes_in_order()
        ]
        self.fields["period"].error_messages["invalid_choice"] = _(
            "Periode %(value)s heeft geen kengetallen in de laatste berekening; kies een periode uit de lijst."
        )
        self.fields["contract"].error_messages["invalid_choice"] = _(
            "Contract %(value)s bestaat niet; kies een contract uit de lijst."
        )
        self.fields["referentiegroep"].error_messages["invalid_choice"] = _(
            "Referentiegroep %(value)s bestaat niet; kies er een uit de lijst."
        )
        self.fields["gemeente"].error_messages["invalid_choice"] = _(
            "Gemeente %(value)s bestaat niet; kies 'regio' of een gemeente uit de lijst."
        )
        self.fields["kpi"].error_messages["invalid_choice"] = _(
            "Kengetal %(value)s bestaat niet; zie de KPI-definities."
        )
        self.fields["sort"].error_messages["max_length"] = _("Ongeldige sortering.")

    def _field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def selection(self) -> Selection:
        """The validated selection (call after ``is_valid()``)."""
        data = self.cleaned_data
        contract = self.contracts[data["contract"]]
        groups = [r.code for r in referentiegroepen_of(contract)]
        referentiegroep = data.get("referentiegroep") or ""
        if referentiegroep not in groups:
            if referentiegroep:
                self.notice = _(
                    "Referentiegroep %(groep)s hoort niet bij contract %(contract)s; getoond wordt %(eerste)s."
                ) % {
                    "groep": referentiegroep,
                    "contract": contract.code,
                    "eerste": groups[0] if groups else "–",
                }
            referentiegroep = groups[0] if groups else ""
        codes = tuple(data.get("kpi") or DEFAULT_CODES)
        # Show what is in effect in the form (the select then names the fallback, not "first").
        self._mutable_data["referentiegroep"] = referentiegroep
        self._mutable_data["gemeente"] = data.get("gemeente") or REGIO
        return Selection(
            period=data["period"],
            contract=contract,
            referentiegroep=referentiegroep,
            gemeente=data.get("gemeente") or REGIO,
            codes=codes,
            sort=data.get("sort") or "aanbieder",
            descending=data.get("dir") == "desc",
        )
