# SPDX-License-Identifier: EUPL-1.2
"""Forms of the municipality's reporting pages: board filter, return reason, obligation,
exemption. The rules stay in ``services``/``schedule``; a form only turns input into values and
puts the rule's message next to the field it is about."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wmo_sla.contracts.models import Aanbieder, Contract
from wmo_sla.core.forms import UtrechtFormMixin

from .models import DueRule, PeriodType, ReportingObligation, ReportKind
from .schedule import DueRuleSpec, ScheduleError, check_period, check_rule
from .selectors import DISPLAY_LABELS


def _date_field(label: Any, *, required: bool, help_text: Any = "") -> forms.DateField:
    """A date picker (``type="date"`` sends YYYY-MM-DD) that also accepts a typed DD-MM-YYYY."""
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=help_text,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={
            "required": _("Vul de datum in."),
            "invalid": _("Vul een geldige datum in, bijvoorbeeld 01-01-2026."),
        },
    )


class BoardFilterForm(UtrechtFormMixin, forms.Form):
    """Filters of the status board; every field optional, an unknown value is a field error."""

    contract = forms.ChoiceField(label=_("Contract"), required=False)
    soort = forms.ChoiceField(
        label=_("Soort rapportage"),
        required=False,
        choices=[("", _("Alle soorten")), *ReportKind.choices],
        error_messages={"invalid_choice": _("Kies een soort uit de lijst.")},
    )
    periode = forms.ChoiceField(label=_("Periode"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle statussen")), *DISPLAY_LABELS.items()],
        error_messages={"invalid_choice": _("Kies een status uit de lijst.")},
    )

    def __init__(self, *args: Any, contracts: list[Contract], periods: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["contract"].choices = [  # type: ignore[attr-defined]
            ("", _("Alle contracten")),
            *[(str(c.pk), f"{c.code} – {c.name}" if c.name else c.code) for c in contracts],
        ]
        self.fields["contract"].error_messages["invalid_choice"] = _(
            "Kies een contract uit de lijst."
        )
        self.fields["periode"].choices = [  # type: ignore[attr-defined]
            ("", _("Alle perioden")),
            *[(p, p) for p in periods],
        ]
        self.fields["periode"].error_messages["invalid_choice"] = _(
            "Kies een periode uit de lijst."
        )

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data if self.is_valid() else {}
        contract = data.get("contract") or ""
        return {
            "contract_id": int(contract) if contract else None,
            "kind": data.get("soort") or "",
            "period": data.get("periode") or "",
            "display_status": data.get("status") or "",
        }


class ReturnForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden van terugsturen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("De aanbieder ziet deze reden en krijgt hem per e-mail. Wat moet er anders?"),
        error_messages={"required": _("Vul de reden in waarom u de rapportage terugstuurt.")},
    )


def _int_field(label: Any, *, help_text: Any = "", min_value: int = 0, max_value: int = 3660):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=min_value,
        max_value=max_value,
        help_text=help_text,
        error_messages={
            "invalid": _("Vul een heel getal in."),
            "min_value": _("Vul een getal van %(limit_value)s of meer in."),
            "max_value": _("Vul een getal van hoogstens %(limit_value)s in."),
        },
    )


class ObligationForm(UtrechtFormMixin, forms.Form):
    """Create (every field) or edit (``editing=True``: contract, soort, periodesoort and eerste
    periode are fixed) a reporting obligation. The due rule is checked here with the schedule's
    own rules, so its message lands next to the field it is about."""

    contract: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Contract"),
        queryset=Contract.objects.none(),
        empty_label=_("Kies een contract"),
        error_messages={
            "required": _("Kies een contract."),
            "invalid_choice": _("Kies een contract uit de lijst."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Soort rapportage"),
        choices=[("", _("Kies een soort")), *ReportKind.choices],
        error_messages={
            "required": _("Kies de soort rapportage."),
            "invalid_choice": _("Kies een soort uit de lijst."),
        },
    )
    period_type = forms.ChoiceField(
        label=_("Periode"),
        choices=PeriodType.choices,
        error_messages={
            "required": _("Kies halfjaar of jaar."),
            "invalid_choice": _("Kies halfjaar of jaar."),
        },
    )
    first_period = forms.CharField(
        label=_("Eerste periode"),
        max_length=7,
        help_text=_("Bijvoorbeeld 2026H1 (halfjaar) of 2026 (jaar)."),
        error_messages={"required": _("Vul de eerste periode in, bijvoorbeeld 2026H1 of 2026.")},
    )
    last_period = forms.CharField(
        label=_("Laatste periode"),
        max_length=7,
        required=False,
        help_text=_("Leeg: de verplichting loopt door."),
    )
    due_rule = forms.ChoiceField(
        label=_("Termijnregel"),
        choices=DueRule.choices,
        error_messages={
            "required": _("Kies een termijnregel."),
            "invalid_choice": _("Kies een termijnregel."),
        },
    )
    due_days = _int_field(
        _("Aantal dagen na afloop van de periode"),
        help_text=_("Bij ‘aantal dagen na afloop’. Zes weken na het halfjaar: 42."),
    )
    due_day = _int_field(
        _("Dag van de vaste datum"),
        help_text=_("Bij ‘vaste datum’ (alleen jaarrapportages). Vóór 1 december: dag 30."),
        min_value=1,
        max_value=31,
    )
    due_month = _int_field(
        _("Maand van de vaste datum"),
        help_text=_("Bij ‘vaste datum’: 1 tot en met 12. Vóór 1 december: maand 11."),
        min_value=1,
        max_value=12,
    )
    open_days_before_due = _int_field(
        _("Open vanaf (dagen vóór de uiterste datum)"),
        help_text=_(
            "Leeg: indienen kan vanaf de dag na afloop van de periode. Nodig als de uiterste "
            "datum in de periode zelf ligt (klachten vóór 1 december: 61)."
        ),
    )
    reminder_days = _int_field(
        _("Herinnering (dagen vóór de uiterste datum)"),
        help_text=_("Leeg: 14 dagen."),
    )
    tolerance_abs = _int_field(
        _("Tolerantie van de iWmo-controle (aantal)"),
        help_text=_("Alleen bij uitstroomredenen. Leeg: 2."),
        max_value=10_000,
    )
    tolerance_pct = _int_field(
        _("Tolerantie van de iWmo-controle (procent)"),
        help_text=_("Alleen bij uitstroomredenen. Leeg: 10."),
        max_value=100,
    )
    help_text = forms.CharField(
        label=_("Uitleg voor de aanbieder"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )

    FIXED_ON_EDIT = ("contract", "kind", "period_type", "first_period")
    DEFAULTS = {"reminder_days": 14, "tolerance_abs": 2, "tolerance_pct": 10}

    def __init__(
        self,
        *args: Any,
        contracts: Any = None,
        obligation: ReportingObligation | None = None,
        **kwargs: Any,
    ) -> None:
        self.obligation = obligation
        if obligation is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "last_period": obligation.last_period,
                "due_rule": obligation.due_rule,
                "due_days": obligation.due_days,
                "due_day": obligation.due_day,
                "due_month": obligation.due_month,
                "open_days_before_due": obligation.open_days_before_due,
                "reminder_days": obligation.reminder_days,
                "tolerance_abs": obligation.tolerance_abs,
                "tolerance_pct": obligation.tolerance_pct,
                "help_text": obligation.help_text,
            }
        super().__init__(*args, **kwargs)
        if obligation is not None:
            for name in self.FIXED_ON_EDIT:
                del self.fields[name]
        else:
            self.fields["contract"].queryset = contracts  # type: ignore[attr-defined]

    @property
    def period_type_value(self) -> str:
        if self.obligation is not None:
            return self.obligation.period_type
        return str(self.cleaned_data.get("period_type") or "")

    def clean_first_period(self) -> str:
        return str(self.cleaned_data["first_period"]).strip().upper()

    def clean_last_period(self) -> str:
        return str(self.cleaned_data.get("last_period") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        period_type = self.period_type_value
        if not period_type:
            return data
        for name in ("first_period", "last_period"):
            value = data.get(name)
            if name in self.fields and value:
                try:
                    check_period(value, period_type)
                except ScheduleError as exc:
                    self.add_error(name, str(exc))
        rule = data.get("due_rule")
        if rule == DueRule.AFTER_PERIOD and data.get("due_days") is None:
            self.add_error("due_days", _("Vul het aantal dagen na afloop van de periode in."))
        elif rule == DueRule.FIXED_DATE:
            if data.get("due_day") is None:
                self.add_error("due_day", _("Vul de dag van de vaste datum in."))
            if data.get("due_month") is None:
                self.add_error("due_month", _("Vul de maand van de vaste datum in."))
            if period_type == PeriodType.HALF_YEAR:
                self.add_error(
                    "due_rule",
                    _(
                        "Een vaste datum past alleen bij een jaarrapportage; gebruik voor een "
                        "halfjaar een aantal dagen na afloop."
                    ),
                )
            elif data.get("due_day") is not None and data.get("due_month") is not None:
                try:
                    check_rule(
                        DueRuleSpec(period_type, rule, None, data["due_month"], data["due_day"])
                    )
                except ScheduleError as exc:
                    self.add_error("due_day", str(exc))
        for name, default in self.DEFAULTS.items():
            if data.get(name) is None:
                data[name] = default
        return data

    def values(self) -> dict[str, Any]:
        """Keyword arguments for ``services.obligation_create`` / ``obligation_update``."""
        data = dict(self.cleaned_data)
        if data.get("due_rule") == DueRule.AFTER_PERIOD:
            data["due_day"] = data["due_month"] = None
        else:
            data["due_days"] = None
        return data


class ExemptionForm(UtrechtFormMixin, forms.Form):
    """A vrijstelling for one obligation: generic (no aanbieder) or for one of its contract's."""

    aanbieder: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Voor wie"),
        queryset=Aanbieder.objects.none(),
        required=False,
        empty_label=_("Alle aanbieders van het contract (generiek)"),
        error_messages={"invalid_choice": _("Kies een aanbieder van dit contract.")},
    )
    start_date = _date_field(
        _("Vanaf"),
        required=True,
        help_text=_("De vrijstelling geldt voor perioden waarvan de uiterste datum hierna ligt."),
    )
    end_date = _date_field(_("Tot en met"), required=False, help_text=_("Leeg: geen einddatum."))
    reason = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Vul de reden van de vrijstelling in.")},
    )

    def __init__(self, *args: Any, obligation: ReportingObligation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aanbieder"].queryset = obligation.contract.aanbieders.order_by(  # type: ignore[attr-defined]
            "name"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: dt.date | None = data.get("start_date")
        end: dt.date | None = data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("De einddatum ligt vóór de begindatum."))
        return data


class RevokeForm(UtrechtFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reden van intrekking"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_(
            "Vanaf vandaag geldt de verplichting weer voor perioden die nog moeten worden "
            "ingediend; perioden die al voorbij zijn blijven vrijgesteld."
        ),
        error_messages={"required": _("Vul de reden van de intrekking in.")},
    )
