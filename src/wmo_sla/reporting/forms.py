# SPDX-License-Identifier: EUPL-1.2
"""The aanbieder's report forms: POST data ↔ report content, and what the templates render.

The content of a report is JSON (``schemas.py``); the forms are therefore not Django model
forms. Every input is named after the content path the domain validates
(``rijen.0.overig_toelichting``, ``klachten.2.motivatie``) and gets the id
``f-rijen-0-overig_toelichting`` (:func:`field_id`), so a :class:`~.schemas.FieldError` links
from the error summary to its input and is shown next to it. Drafts are kept as typed: a count
that is not a number stays text, so the validation message can quote it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wmo_sla.core.forms import UtrechtFormMixin

from .schemas import COMPLAINT_SUBJECTS, OUTFLOW_CATEGORIES, VERDICTS, FieldError

# Per-question help for the aanbieder (issue #7: "clearer questions").
OUTFLOW_HELP: dict[str, Any] = {
    "doelen_bereikt": _(
        "De ondersteuning is beëindigd omdat de doelen zijn bereikt en de cliënt geen "
        "begeleiding meer nodig heeft."
    ),
    "andere_maatwerkvoorziening": _(
        "De cliënt gaat over naar een andere Wmo-maatwerkvoorziening (bijvoorbeeld beschermd "
        "wonen of dagbesteding in plaats van begeleiding)."
    ),
    "andere_aanbieder": _("De cliënt krijgt individuele begeleiding van een andere aanbieder."),
    "overleden": _("De cliënt is overleden."),
    "verhuisd": _("De cliënt is verhuisd naar een gemeente buiten de regio."),
    "wlz": _("De cliënt krijgt zorg uit de Wet langdurige zorg (Wlz)."),
    "overig": _("Alle andere redenen. Licht toe welke redenen dit zijn."),
}
COMPLAINT_HELP: dict[str, Any] = {
    "nummer": _("Uw eigen, unieke klachtnummer. Geen BSN, naam of andere gegevens van de cliënt."),
    "datum_ontvangen": _("De datum waarop u de klacht ontving."),
    "onderwerpen": _("Waar gaat de klacht over? Kies alles wat van toepassing is."),
    "onderwerp_anders": _("Alleen als u ‘Anders’ kiest: waar gaat de klacht over?"),
    "afgehandeld": _("Is de klacht op dit moment afgehandeld?"),
    "oordeel": _("Was de klacht gegrond of ongegrond? Leeg laten als dat nog niet vaststaat."),
    "motivatie": _("Verplicht bij een ongegronde klacht: waarom is de klacht ongegrond?"),
    "datum_afgehandeld": _("Leeg laten als de klacht nog niet is afgehandeld."),
    "wijze_afhandeling": _(
        "Hoe is de klacht afgehandeld (bijvoorbeeld gesprek, klachtencommissie, bemiddeling)?"
    ),
    "woonplaats": _("Alleen de woonplaats van de cliënt, geen adres of postcode."),
}
COMPLAINT_LABELS: dict[str, Any] = {
    "nummer": _("Klachtnummer"),
    "datum_ontvangen": _("Datum ontvangen"),
    "onderwerpen": _("Onderwerp"),
    "onderwerp_anders": _("Omschrijving van ‘anders’"),
    "afgehandeld": _("Afgehandeld"),
    "oordeel": _("Oordeel"),
    "motivatie": _("Motivatie"),
    "datum_afgehandeld": _("Datum afgehandeld"),
    "wijze_afhandeling": _("Wijze van afhandeling"),
    "woonplaats": _("Woonplaats van de cliënt"),
}
COMPLAINT_TEXT_KEYS = (
    "nummer",
    "datum_ontvangen",
    "onderwerp_anders",
    "oordeel",
    "motivatie",
    "datum_afgehandeld",
    "wijze_afhandeling",
    "woonplaats",
)
MAX_ROWS = 5000  # more complaints than the schema allows is refused there, with a message

_COMPLAINT_INDEX = re.compile(r"^klachten\.(\d+)\.nummer$")


def field_id(path: str) -> str:
    """The HTML id of the input for a content path (``rijen.0.wlz`` → ``f-rijen-0-wlz``)."""
    return "f-" + path.replace(".", "-")


def _typed(value: str | None) -> Any:
    """A count as typed: an int when it is a whole number, None when empty, else the text."""
    text = (value or "").strip()
    if not text:
        return None
    return int(text) if re.fullmatch(r"\d{1,9}", text) else text


def outflow_from_post(post: Mapping[str, Any], groups: Sequence[str]) -> dict[str, Any]:
    """Uitstroomredenen content from the form: one row per referentiegroep of the contract."""
    rows: list[dict[str, Any]] = []
    for i, group in enumerate(groups):
        prefix = f"rijen.{i}"
        row: dict[str, Any] = {"referentiegroep": group}
        for key, _label in OUTFLOW_CATEGORIES:
            row[key] = _typed(post.get(f"{prefix}.{key}"))
        row["overig_toelichting"] = (post.get(f"{prefix}.overig_toelichting") or "").strip()
        rows.append(row)
    return {"rijen": rows}


def _complaint_from_post(post: Any, i: int) -> dict[str, Any]:
    prefix = f"klachten.{i}"
    row: dict[str, Any] = {
        key: (post.get(f"{prefix}.{key}") or "").strip() for key in COMPLAINT_TEXT_KEYS
    }
    subjects = post.getlist(f"{prefix}.onderwerpen") if hasattr(post, "getlist") else []
    row["onderwerpen"] = [s for s in subjects if s]
    handled = post.get(f"{prefix}.afgehandeld")
    row["afgehandeld"] = {"ja": True, "nee": False}.get(handled or "")
    return row


def _blank(row: Mapping[str, Any]) -> bool:
    return (
        not any(row.get(k) for k in COMPLAINT_TEXT_KEYS)
        and not row.get("onderwerpen")
        and (row.get("afgehandeld") is None)
    )


def klachten_from_post(post: Any) -> dict[str, Any]:
    """Klachten content from the form. Rows are found by their number input (indices may have
    gaps after a row was removed in the browser); "Klacht N verwijderen" drops row N and
    "Klacht toevoegen" adds an empty one (both work without JavaScript)."""
    indices = sorted({int(m.group(1)) for key in post if (m := _COMPLAINT_INDEX.match(key))})[
        :MAX_ROWS
    ]
    remove = post.get("verwijderen")
    rows = [
        _complaint_from_post(post, i) for i in indices if remove is None or str(i) != str(remove)
    ]
    if "toevoegen" in post:
        rows.append(empty_complaint())
    else:
        # An empty row that was added and never filled is not a complaint.
        rows = [row for row in rows if not _blank(row)]
    return {"geen_klachten": post.get("geen_klachten") == "1", "klachten": rows}


def empty_complaint() -> dict[str, Any]:
    return {key: "" for key in COMPLAINT_TEXT_KEYS} | {"onderwerpen": [], "afgehandeld": None}


# --- what the templates render ------------------------------------------------------------------


@dataclass
class Input:
    path: str
    label: Any
    value: Any = ""
    help: Any = ""
    errors: list[str] = field(default_factory=list)
    kind: str = "text"  # text, count, date, textarea
    options: list[tuple[str, Any, bool]] = field(default_factory=list)  # value, label, checked

    @property
    def name(self) -> str:
        return self.path

    @property
    def id(self) -> str:
        return field_id(self.path)

    @property
    def describedby(self) -> str:
        ids = []
        if self.help:
            ids.append(f"{self.id}-help")
        if self.errors:
            ids.append(f"{self.id}-error")
        return " ".join(ids)

    def option_id(self, index: int) -> str:
        return self.id if index == 0 else f"{self.id}-{index}"

    @property
    def choices(self) -> list[dict[str, Any]]:
        return [
            {"value": v, "label": label, "checked": checked, "id": self.option_id(i)}
            for i, (v, label, checked) in enumerate(self.options)
        ]


@dataclass
class SummaryError:
    href: str
    message: str


def _input_for_error(path: str, known: set[str]) -> str:
    """The input an error path links to: itself, or the first input of its row or list."""
    if path in known:
        return path
    candidates = [p for p in known if p.startswith(path + ".")]
    return sorted(candidates, key=_path_key)[0] if candidates else path


def _path_key(path: str) -> tuple[Any, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in path.split("."))


class ReportForm:
    """The inputs of one report and its errors (from ``schemas`` or a service)."""

    def __init__(self, inputs: list[Input], errors: Sequence[FieldError] = ()) -> None:
        self.inputs = inputs
        self.summary: list[SummaryError] = []
        by_path = {i.path: i for i in inputs}
        known = set(by_path)
        for error in errors:
            target = _input_for_error(error.field, known)
            self.summary.append(SummaryError(href=f"#{field_id(target)}", message=error.message))
            if target in by_path:
                by_path[target].errors.append(error.message)


@dataclass
class OutflowRow:
    group: str
    index: int
    counts: list[Input]
    toelichting: Input

    @property
    def group_path(self) -> str:
        return f"rijen.{self.index}.referentiegroep"


def outflow_form(
    content: Mapping[str, Any], groups: Sequence[str], errors: Sequence[FieldError] = ()
) -> tuple[ReportForm, list[OutflowRow]]:
    """One fieldset per referentiegroep of the contract; the stored values by group."""
    stored = {
        str(row.get("referentiegroep")): row
        for row in content.get("rijen") or []
        if isinstance(row, Mapping)
    }
    rows: list[OutflowRow] = []
    inputs: list[Input] = []
    for i, group in enumerate(groups):
        values = stored.get(group, {})
        counts = [
            Input(
                path=f"rijen.{i}.{key}",
                label=label,
                value="" if values.get(key) is None else values.get(key),
                help=OUTFLOW_HELP[key],
                kind="count",
            )
            for key, label in OUTFLOW_CATEGORIES
        ]
        toelichting = Input(
            path=f"rijen.{i}.overig_toelichting",
            label=_("Toelichting op ‘Overig’"),
            value=values.get("overig_toelichting") or "",
            help=_("Verplicht als u bij ‘Overig’ meer dan 0 invult."),
            kind="textarea",
        )
        rows.append(OutflowRow(group=group, index=i, counts=counts, toelichting=toelichting))
        inputs += [*counts, toelichting]
    # Errors on a row that is not on the form (an unknown group) point at the row's start.
    return ReportForm(inputs, errors), rows


@dataclass
class ComplaintRow:
    index: int
    number: int
    fields: dict[str, Input]

    @property
    def remove_label(self) -> str:
        return str(_("Klacht %(n)d verwijderen") % {"n": self.number})


def _complaint_inputs(i: int, row: Mapping[str, Any]) -> dict[str, Input]:
    prefix = f"klachten.{i}"

    def text(key: str, kind: str = "text") -> Input:
        value = row.get(key)
        return Input(
            path=f"{prefix}.{key}",
            label=COMPLAINT_LABELS[key],
            value="" if value is None else value,
            help=COMPLAINT_HELP[key],
            kind=kind,
        )

    subjects = row.get("onderwerpen") if isinstance(row.get("onderwerpen"), list) else []
    handled = row.get("afgehandeld")
    verdict = row.get("oordeel") or ""
    return {
        "nummer": text("nummer"),
        "datum_ontvangen": text("datum_ontvangen", "date"),
        "onderwerpen": Input(
            path=f"{prefix}.onderwerpen",
            label=COMPLAINT_LABELS["onderwerpen"],
            help=COMPLAINT_HELP["onderwerpen"],
            kind="checkboxes",
            options=[(key, label, key in (subjects or [])) for key, label in COMPLAINT_SUBJECTS],
        ),
        "onderwerp_anders": text("onderwerp_anders"),
        "afgehandeld": Input(
            path=f"{prefix}.afgehandeld",
            label=COMPLAINT_LABELS["afgehandeld"],
            help=COMPLAINT_HELP["afgehandeld"],
            kind="radios",
            options=[("ja", _("Ja"), handled is True), ("nee", _("Nee"), handled is False)],
        ),
        "oordeel": Input(
            path=f"{prefix}.oordeel",
            label=COMPLAINT_LABELS["oordeel"],
            help=COMPLAINT_HELP["oordeel"],
            kind="radios",
            options=[(v, v.capitalize(), verdict == v) for v in VERDICTS],
        ),
        "motivatie": text("motivatie", "textarea"),
        "datum_afgehandeld": text("datum_afgehandeld", "date"),
        "wijze_afhandeling": text("wijze_afhandeling", "textarea"),
        "woonplaats": text("woonplaats"),
    }


def klachten_form(
    content: Mapping[str, Any], errors: Sequence[FieldError] = ()
) -> tuple[ReportForm, list[ComplaintRow], Input]:
    raw = content.get("klachten")
    rows_in = [r for r in raw if isinstance(r, Mapping)] if isinstance(raw, list) else []
    rows = [
        ComplaintRow(index=i, number=i + 1, fields=_complaint_inputs(i, row))
        for i, row in enumerate(rows_in)
    ]
    none = Input(
        path="geen_klachten",
        label=_("Er waren in deze periode geen klachten"),
        help=_("Vink dit alleen aan als de lijst hieronder leeg is."),
        kind="checkbox",
        value=content.get("geen_klachten") is True,
    )
    # The list itself ("klachten") links to the "Klacht toevoegen" button, id f-klachten.
    add = Input(path="klachten", label=_("Klacht toevoegen"))
    inputs = [none, add, *(i for row in rows for i in row.fields.values())]
    return ReportForm(inputs, errors), rows, none


def template_complaint() -> ComplaintRow:
    """An empty row with index placeholder ``__i__`` for the browser to clone (JavaScript)."""
    row = ComplaintRow(index=0, number=0, fields=_complaint_inputs(0, empty_complaint()))
    for inp in row.fields.values():
        inp.path = inp.path.replace("klachten.0.", "klachten.__i__.")
    return row


# --- Django forms for the file upload and the submission -----------------------------------------


class SurveyUploadForm(UtrechtFormMixin, forms.Form):
    bestand = forms.FileField(
        label=_("CSV-bestand met de tevredenheidsresultaten"),
        help_text=_(
            "Eén regel per respondent, met kolommen agb_code, periode, cijfer en eventueel "
            "gemeente (zie het formaat hieronder). Het hele bestand wordt gecontroleerd; bij een "
            "fout wordt niets bewaard."
        ),
        error_messages={
            "required": _("Kies het CSV-bestand dat u wilt aanleveren."),
            "empty": _("Het gekozen bestand is leeg."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bestand"].widget.attrs.update({"accept": ".csv,text/csv", "id": "f-bestand"})


class SubmitForm(UtrechtFormMixin, forms.Form):
    toelichting = forms.CharField(
        label=_("Toelichting op het verschil met de iWmo-berichten"),
        widget=forms.Textarea(attrs={"rows": 5, "id": "f-toelichting"}),
        max_length=5000,
        required=False,
        help_text=_(
            "Waarom wijken uw aantallen af van wat uit de iWmo-berichten volgt? Noem geen namen of "
            "andere gegevens van cliënten."
        ),
    )
