# SPDX-License-Identifier: EUPL-1.2
from django import forms
from django.utils.translation import gettext_lazy as _

from wmo_sla.core.forms import UtrechtFormMixin


class LoginForm(UtrechtFormMixin, forms.Form):
    username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(UtrechtFormMixin, forms.Form):
    token = forms.CharField(
        label=_("Code uit uw authenticator-app"),
        help_text=_("Zes cijfers; de code verandert elke 30 seconden."),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )
