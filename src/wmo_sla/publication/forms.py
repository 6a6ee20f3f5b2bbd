# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wmo_sla.benchmark.selectors_overview import figure_codes_in_order
from wmo_sla.kpis.registry import FIGURES


class PublicationForm(forms.Form):
    enabled = forms.BooleanField(
        label=gettext_lazy("Publiceer de kengetallen van dit contract op de openbare pagina"),
        required=False,
    )
    kpi_codes = forms.MultipleChoiceField(
        label=gettext_lazy("Kengetallen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    periods = forms.MultipleChoiceField(
        label=gettext_lazy("Perioden"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Alleen definitieve kengetallen worden getoond."),
    )

    def __init__(self, *args: Any, periods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = self.fields["kpi_codes"]
        assert isinstance(codes, forms.MultipleChoiceField)
        codes.choices = [(c, f"{c} – {FIGURES[c].name_nl}") for c in figure_codes_in_order()]
        codes.error_messages["invalid_choice"] = _("Kengetal %(value)s bestaat niet.")
        period_field = self.fields["periods"]
        assert isinstance(period_field, forms.MultipleChoiceField)
        period_field.choices = periods
        period_field.error_messages["invalid_choice"] = _(
            "Periode %(value)s heeft geen kengetallen; kies een periode uit de lijst."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("enabled") and not (data.get("kpi_codes") and data.get("periods")):
            raise forms.ValidationError(
                _("Kies ten minste één kengetal en één periode om te publiceren.")
            )
        return data
