# SPDX-License-Identifier: EUPL-1.2
from django import forms
from django.utils.translation import gettext_lazy as _

from wmo_sla.core.forms import UtrechtFormMixin


class UploadForm(UtrechtFormMixin, forms.Form):
    bestand = forms.FileField(
        label=_("Bestand met iWmo-berichten"),
        help_text=_(
            "Eén XML-bericht (iWmo 3.2) of een zip-archief met berichten. Berichten die al eerder "
            "zijn ingelezen, worden overgeslagen."
        ),
    )
