# SPDX-License-Identifier: EUPL-1.2
"""Content of the three reports: schema, validation with a Dutch message per field (pure).

The content of a version is JSON. Each validator returns the list of :class:`FieldError` (empty
when the content is valid); the ``field`` is a path the form uses to link the error summary to the
input (``rijen.0.overig_toelichting``). Drafts are stored as typed; only submission requires valid
content.

uitstroomredenen (schema 1), one row per referentiegroep of the contract, whole numbers ≥ 0::

    {"rijen": [{"referentiegroep": "IB", "doelen_bereikt": 3, "andere_maatwerkvoorziening": 0,
                "andere_aanbieder": 1, "overleden": 0, "verhuisd": 0, "wlz": 0, "overig": 1,
                "overig_toelichting": "..."}]}

klachten (schema 1), the fields of the Gouda annex (bijlage 6)::

    {"geen_klachten": false,
     "klachten": [{"nummer": "K-2024-01", "datum_ontvangen": "2024-03-02",
                   "onderwerpen": ["bejegening"], "onderwerp_anders": "",
                   "afgehandeld": true, "oordeel": "ongegrond", "motivatie": "...",
                   "datum_afgehandeld": "2024-04-01", "wijze_afhandeling": "...",
                   "woonplaats": "Dordrecht"}]}

tevredenheid (schema 1): the K13 survey CSV (``wmo_sla.kpis.survey``); the content records the
file's name, SHA-256 and row count, the file itself is stored with the version.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

SCHEMA_VERSION = 1
MAX_COUNT = 100_000
MAX_TEXT = 2000
MAX_COMPLAINTS = 5000


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


# The memo's seven categories (002, "Rol aanbieder"), in the memo's order.
OUTFLOW_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("doelen_bereikt", "Cliënt ondersteuningsonafhankelijk; doelen zijn bereikt"),
    ("andere_maatwerkvoorziening", "Cliënt naar andere maatwerkvoorziening"),
    ("andere_aanbieder", "Cliënt naar andere aanbieder voor individuele begeleiding"),
    ("overleden", "Cliënt overleden"),
    ("verhuisd", "Cliënt verhuisd buiten de regio"),
    ("wlz", "Cliënt in de Wlz"),
    ("overig", "Overig"),
)
OUTFLOW_KEYS: tuple[str, ...] = tuple(key for key, _ in OUTFLOW_CATEGORIES)

# Bijlage 6: "zorgaanbod, kwaliteit, de handelswijze van medewerker(s) of bijvoorbeeld de
# bejegening van Cliënt"; "anders" needs a description.
COMPLAINT_SUBJECTS: tuple[tuple[str, str], ...] = (
    ("zorgaanbod", "Zorgaanbod"),
    ("kwaliteit", "Kwaliteit"),
    ("handelswijze_medewerker", "Handelswijze van medewerker(s)"),
    ("bejegening", "Bejegening van de cliënt"),
    ("anders", "Anders"),
)
COMPLAINT_SUBJECT_KEYS = frozenset(key for key, _ in COMPLAINT_SUBJECTS)
VERDICTS = ("gegrond", "ongegrond")


def _count(value: Any, field: str, label: str, errors: list[FieldError]) -> int | None:
    if value is None or value == "":
        errors.append(FieldError(field, f"Vul het aantal in bij ‘{label}’ (0 als er geen waren)."))
        return None
    if isinstance(value, bool):
        errors.append(FieldError(field, f"‘{label}’ moet een aantal zijn."))
        return None
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"\d+", text):
            errors.append(
                FieldError(
                    field, f"‘{label}’ moet een heel getal van 0 of meer zijn, niet {text!r}."
                )
            )
            return None
        value = int(text)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or value < 0:
        errors.append(FieldError(field, f"‘{label}’ moet een heel getal van 0 of meer zijn."))
        return None
    if value > MAX_COUNT:
        errors.append(FieldError(field, f"‘{label}’ is onwaarschijnlijk groot ({value})."))
        return None
    return value


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def validate_uitstroomredenen(
    content: Mapping[str, Any], referentiegroepen: Sequence[str]
) -> list[FieldError]:
    """Every referentiegroep once, every category a whole number, ‘overig’ explained."""
    errors: list[FieldError] = []
    rows = content.get("rijen")
    if not isinstance(rows, list) or not rows:
        return [FieldError("rijen", "Vul de uitstroom per referentiegroep in.")]
    labels = dict(OUTFLOW_CATEGORIES)
    seen: set[str] = set()
    for i, row in enumerate(rows):
        prefix = f"rijen.{i}"
        if not isinstance(row, Mapping):
            errors.append(FieldError(prefix, f"Regel {i + 1} is geen geldige regel."))
            continue
        group = _text(row.get("referentiegroep"))
        if group not in referentiegroepen:
            errors.append(
                FieldError(
                    f"{prefix}.referentiegroep",
                    f"Referentiegroep {group!r} hoort niet bij dit contract; kies uit "
                    + ", ".join(referentiegroepen)
                    + ".",
                )
            )
        elif group in seen:
            errors.append(
                FieldError(
                    f"{prefix}.referentiegroep",
                    f"Referentiegroep {group} staat er twee keer in; vul elke groep één keer in.",
                )
            )
        seen.add(group)
        for key in OUTFLOW_KEYS:
            _count(row.get(key), f"{prefix}.{key}", f"{group}: {labels[key]}", errors)
        overig = row.get("overig")
        explanation = _text(row.get("overig_toelichting"))
        if str(overig).strip() not in ("", "0", "None") and not explanation:
            errors.append(
                FieldError(
                    f"{prefix}.overig_toelichting",
                    f"{group}: licht toe welke redenen onder ‘Overig’ vallen.",
                )
            )
        if len(explanation) > MAX_TEXT:
            errors.append(
                FieldError(
                    f"{prefix}.overig_toelichting",
                    f"{group}: de toelichting is langer dan {MAX_TEXT} tekens.",
                )
            )
    for group in referentiegroepen:
        if group not in seen:
            errors.append(
                FieldError(
                    "rijen",
                    f"Referentiegroep {group} ontbreekt; vul 0 in als er geen uitstroom was.",
                )
            )
    return errors


def outflow_totals(content: Mapping[str, Any]) -> dict[str, dict[str, int]]:
    """Reported counts per referentiegroep and category (valid content only), plus ``totaal``."""
    result: dict[str, dict[str, int]] = {}
    for row in content.get("rijen") or []:
        counts = {key: int(str(row.get(key) or 0).strip() or 0) for key in OUTFLOW_KEYS}
        counts["totaal"] = sum(counts.values())
        result[_text(row.get("referentiegroep"))] = counts
    return result


def _date(value: Any, field: str, label: str, errors: list[FieldError]) -> dt.date | None:
    text = _text(value)
    if not text:
        errors.append(FieldError(field, f"Vul {label} in."))
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    errors.append(FieldError(field, f"{label.capitalize()} {text!r} is geen datum (dd-mm-jjjj)."))
    return None


def _looks_like_bsn(text: str) -> bool:
    """Nine digits that pass the elfproef: a BSN has no place in a complaints report."""
    if not re.fullmatch(r"\d{9}", text):
        return False
    digits = [int(c) for c in text]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


def validate_klachten(
    content: Mapping[str, Any], period_start: dt.date, period_end: dt.date, today: dt.date
) -> list[FieldError]:
    """The fields of bijlage 6 per complaint; an empty report must say there were none."""
    errors: list[FieldError] = []
    rows = content.get("klachten") or []
    none_declared = content.get("geen_klachten") is True
    if not isinstance(rows, list):
        return [FieldError("klachten", "De klachten zijn geen lijst.")]
    if not rows and not none_declared:
        return [
            FieldError(
                "klachten",
                "Vul minstens één klacht in, of geef aan dat er in deze periode geen klachten "
                "waren.",
            )
        ]
    if rows and none_declared:
        errors.append(
            FieldError(
                "geen_klachten",
                "U geeft aan dat er geen klachten waren, maar er staan klachten in de lijst.",
            )
        )
    if len(rows) > MAX_COMPLAINTS:
        return [FieldError("klachten", f"Meer dan {MAX_COMPLAINTS} klachten in één rapportage.")]
    last_day = min(period_end, today)
    numbers: dict[str, int] = {}
    for i, row in enumerate(rows):
        prefix = f"klachten.{i}"
        n = i + 1
        if not isinstance(row, Mapping):
            errors.append(FieldError(prefix, f"Klacht {n} is geen geldige regel."))
            continue
        number = _text(row.get("nummer"))
        if not number:
            errors.append(FieldError(f"{prefix}.nummer", f"Klacht {n}: vul het klachtnummer in."))
        elif len(number) > 50:
            errors.append(
                FieldError(f"{prefix}.nummer", f"Klacht {n}: het nummer is langer dan 50 tekens.")
            )
        elif _looks_like_bsn(number):
            errors.append(
                FieldError(
                    f"{prefix}.nummer",
                    f"Klacht {n}: het nummer lijkt op een BSN; gebruik uw eigen klachtnummer.",
                )
            )
        elif number in numbers:
            errors.append(
                FieldError(
                    f"{prefix}.nummer",
                    f"Klacht {n}: nummer {number} is al gebruikt bij klacht {numbers[number]}; "
                    "elk nummer moet uniek zijn.",
                )
            )
        else:
            numbers[number] = n
        received = _date(
            row.get("datum_ontvangen"),
            f"{prefix}.datum_ontvangen",
            f"klacht {n}: de datum van ontvangst",
            errors,
        )
        if received is not None and received > last_day:
            errors.append(
                FieldError(
                    f"{prefix}.datum_ontvangen",
                    f"Klacht {n}: de datum van ontvangst {received:%d-%m-%Y} ligt na "
                    f"{last_day:%d-%m-%Y}.",
                )
            )
        subjects = row.get("onderwerpen")
        if not isinstance(subjects, list) or not subjects:
            errors.append(
                FieldError(
                    f"{prefix}.onderwerpen",
                    f"Klacht {n}: kies waar de klacht over gaat (zorgaanbod, kwaliteit, "
                    "handelswijze van medewerker(s), bejegening of anders).",
                )
            )
        else:
            unknown = [s for s in subjects if s not in COMPLAINT_SUBJECT_KEYS]
            if unknown:
                errors.append(
                    FieldError(
                        f"{prefix}.onderwerpen",
                        f"Klacht {n}: onbekend onderwerp {', '.join(map(str, unknown))}.",
                    )
                )
            if "anders" in subjects and not _text(row.get("onderwerp_anders")):
                errors.append(
                    FieldError(
                        f"{prefix}.onderwerp_anders",
                        f"Klacht {n}: beschrijf het onderwerp ‘anders’.",
                    )
                )
        handled = row.get("afgehandeld")
        if handled not in (True, False):
            errors.append(
                FieldError(f"{prefix}.afgehandeld", f"Klacht {n}: is de klacht afgehandeld?")
            )
        verdict = _text(row.get("oordeel"))
        if handled is True:
            if verdict not in VERDICTS:
                errors.append(
                    FieldError(
                        f"{prefix}.oordeel", f"Klacht {n}: was de klacht gegrond of ongegrond?"
                    )
                )
            closed = _date(
                row.get("datum_afgehandeld"),
                f"{prefix}.datum_afgehandeld",
                f"klacht {n}: de datum van afhandeling",
                errors,
            )
            if closed is not None:
                if received is not None and received < period_start and closed < period_start:
                    errors.append(
                        FieldError(
                            f"{prefix}.datum_ontvangen",
                            f"Klacht {n}: ontvangen en afgehandeld vóór {period_start:%d-%m-%Y}; "
                            "deze klacht hoort bij een eerdere periode.",
                        )
                    )
                elif received is not None and closed < received:
                    errors.append(
                        FieldError(
                            f"{prefix}.datum_afgehandeld",
                            f"Klacht {n}: afgehandeld ({closed:%d-%m-%Y}) vóór de ontvangst "
                            f"({received:%d-%m-%Y}).",
                        )
                    )
                elif closed > today:
                    errors.append(
                        FieldError(
                            f"{prefix}.datum_afgehandeld",
                            f"Klacht {n}: de datum van afhandeling ligt in de toekomst.",
                        )
                    )
            if not _text(row.get("wijze_afhandeling")):
                errors.append(
                    FieldError(
                        f"{prefix}.wijze_afhandeling",
                        f"Klacht {n}: beschrijf hoe de klacht is afgehandeld.",
                    )
                )
        elif handled is False:
            if _text(row.get("datum_afgehandeld")):
                errors.append(
                    FieldError(
                        f"{prefix}.datum_afgehandeld",
                        f"Klacht {n}: een klacht die niet is afgehandeld heeft geen datum van "
                        "afhandeling.",
                    )
                )
            if verdict and verdict not in VERDICTS:
                errors.append(
                    FieldError(f"{prefix}.oordeel", f"Klacht {n}: kies gegrond of ongegrond.")
                )
        if verdict == "ongegrond" and not _text(row.get("motivatie")):
            errors.append(
                FieldError(
                    f"{prefix}.motivatie",
                    f"Klacht {n}: motiveer waarom de klacht ongegrond is.",
                )
            )
        woonplaats = _text(row.get("woonplaats"))
        if not woonplaats:
            errors.append(
                FieldError(
                    f"{prefix}.woonplaats", f"Klacht {n}: vul de woonplaats van de cliënt in."
                )
            )
        elif len(woonplaats) > 100 or any(c.isdigit() for c in woonplaats):
            errors.append(
                FieldError(
                    f"{prefix}.woonplaats",
                    f"Klacht {n}: vul alleen de woonplaats in (geen adres of postcode).",
                )
            )
        for key in ("motivatie", "wijze_afhandeling", "onderwerp_anders"):
            if len(_text(row.get(key))) > MAX_TEXT:
                errors.append(
                    FieldError(
                        f"{prefix}.{key}", f"Klacht {n}: de tekst is langer dan {MAX_TEXT} tekens."
                    )
                )
    return errors


def open_complaints(content: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The complaints of a report that were not yet handled (prefill of the next period)."""
    rows = content.get("klachten") or []
    return [
        dict(row) for row in rows if isinstance(row, Mapping) and row.get("afgehandeld") is False
    ]
