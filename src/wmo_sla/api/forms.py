# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from wmo_sla.core.forms import UtrechtFormMixin


class TokenCreateForm(UtrechtFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Naam"),
        max_length=100,
        help_text=_("Waarvoor is het token? Bijvoorbeeld de naam van uw cliëntsysteem."),
        error_messages={
            "required": _("Geef het token een naam."),
            "max_length": _("De naam is te lang (hoogstens 100 tekens)."),
        },
    )
    description = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld wie het systeem beheert."),
    )
    expires_on = forms.DateField(
        label=_("Geldig tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        help_text=_("Laat leeg voor een token zonder einddatum. Formaat: dd-mm-jjjj."),
        error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 31-12-2025.")},
    )
