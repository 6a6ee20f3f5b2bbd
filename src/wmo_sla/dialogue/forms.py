# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wmo_sla.core.forms import UtrechtFormMixin
from wmo_sla.engine.periods import is_period_label

from .models import AFSPRAAK_TRANSITIONS, AfspraakStatus, Oorzaak


def _date_field(label: Any, *, required: Any, invalid: Any, help_text: Any = "") -> forms.DateField:
    """A date picker (``type="date"`` sends YYYY-MM-DD) that also accepts a typed DD-MM-YYYY."""
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=help_text,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"required": required, "invalid": invalid},
    )


class ToelichtingForm(UtrechtFormMixin, forms.Form):
    oorzaak = forms.ChoiceField(
        label=_("Oorzaak"),
        choices=[("", _("Kies een oorzaak")), *Oorzaak.choices],
        help_text=_("Kies de categorie die de afwijking het best verklaart."),
        error_messages={"required": _("Kies een oorzaak.")},
    )
    tekst = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Wat verklaart de afwijking? Noem geen namen of andere gegevens van cliënten."),
        error_messages={"required": _("Vul de toelichting in.")},
    )
    maatregel = forms.CharField(
        label=_("Geplande maatregel"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
        help_text=_("Wat gaat u doen, en wanneer? Laat leeg als er geen maatregel nodig is."),
    )


class ReactieForm(UtrechtFormMixin, forms.Form):
    tekst = forms.CharField(
        label=_("Reactie van de gemeente"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": _("Vul een reactie in.")},
    )


class GesprekForm(UtrechtFormMixin, forms.Form):
    aanbieder: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Aanbieder"),
        queryset=None,
        empty_label=_("Kies een aanbieder"),
        error_messages={
            "required": _("Kies een aanbieder."),
            "invalid_choice": _("Kies een aanbieder uit de lijst."),
        },
    )
    period = forms.CharField(
        label=_("Periode"),
        max_length=7,
        help_text=_("Het kwartaal, halfjaar of jaar van het gesprek, bijvoorbeeld 2024Q3."),
        error_messages={"required": _("Vul de periode in, bijvoorbeeld 2024Q3.")},
    )
    date = _date_field(
        _("Datum van het gesprek"),
        help_text=_("Bijvoorbeeld 15-10-2024."),
        required=_("Vul de datum van het gesprek in."),
        invalid=_("Vul een geldige datum in, bijvoorbeeld 15-10-2024."),
    )
    deelnemers = forms.CharField(
        label=_("Deelnemers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Namen en functies van de deelnemers, één per regel."),
    )

    def __init__(self, *args: Any, aanbieders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aanbieder"].queryset = aanbieders  # type: ignore[attr-defined]

    def clean_period(self) -> str:
        period = self.cleaned_data["period"].strip().upper()
        if not is_period_label(period):
            raise forms.ValidationError(
                _("Gebruik een kwartaal, halfjaar of jaar, bijvoorbeeld 2024Q3, 2024H2 of 2024.")
            )
        return period


class AfspraakForm(UtrechtFormMixin, forms.Form):
    actie = forms.CharField(
        label=_("Actie"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Beschrijf de actie.")},
    )
    eigenaar = forms.CharField(
        label=_("Eigenaar"),
        max_length=200,
        help_text=_("Wie is verantwoordelijk (naam of functie, en organisatie)?"),
        error_messages={"required": _("Vul de eigenaar van de actie in.")},
    )
    deadline = _date_field(
        _("Uiterlijk klaar op"),
        required=_("Vul de datum in waarop de actie klaar moet zijn."),
        invalid=_("Vul een geldige datum in, bijvoorbeeld 31-03-2025."),
    )


class AfspraakStatusForm(UtrechtFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Nieuwe status"),
        choices=AfspraakStatus.choices,
        error_messages={"invalid_choice": _("Kies een status uit de lijst.")},
    )
    note = forms.CharField(label=_("Opmerking"), max_length=500, required=False)

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = AFSPRAAK_TRANSITIONS.get(current, frozenset())
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in AfspraakStatus.choices if value in allowed
        ]
