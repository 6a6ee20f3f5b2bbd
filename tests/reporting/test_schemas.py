# SPDX-License-Identifier: EUPL-1.2
"""Content validation of uitstroomredenen and klachten (pure): one Dutch message per field."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from wmo_sla.reporting.schemas import outflow_totals, validate_klachten, validate_uitstroomredenen

from .conftest import VALID_OUTFLOW, outflow

GROUPS = ["IB-licht", "IB-zwaar"]


def fields(errors):
    return {e.field: e.message for e in errors}


def test_valid_outflow_has_no_errors_and_totals_per_group():
    assert validate_uitstroomredenen(VALID_OUTFLOW, GROUPS) == []
    totals = outflow_totals(VALID_OUTFLOW)
    assert totals["IB-licht"]["totaal"] == 7
    assert totals["IB-zwaar"] == {**totals["IB-zwaar"], "wlz": 2, "totaal": 2}


def test_missing_group_duplicate_group_and_unknown_group():
    content = outflow(IB_licht={}, IB_onbekend={})
    content["rijen"].append(dict(content["rijen"][0]))
    errors = validate_uitstroomredenen(content, GROUPS)
    messages = " | ".join(e.message for e in errors)
    assert "Referentiegroep IB-zwaar ontbreekt" in messages
    assert "'IB-onbekend' hoort niet bij dit contract" in messages
    assert "IB-licht staat er twee keer in" in messages
    assert fields(errors)["rijen.2.referentiegroep"].startswith("Referentiegroep IB-licht")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "heel getal van 0 of meer"),
        ("drie", "niet 'drie'"),
        (2.5, "heel getal van 0 of meer"),
        (None, "Vul het aantal in"),
        (True, "moet een aantal zijn"),
        (10**6, "onwaarschijnlijk groot"),
    ],
)
def test_bad_counts_get_a_message_on_their_field(value, message):
    content = copy.deepcopy(VALID_OUTFLOW)
    content["rijen"][1]["overleden"] = value
    errors = fields(validate_uitstroomredenen(content, GROUPS))
    assert list(errors) == ["rijen.1.overleden"]
    assert message in errors["rijen.1.overleden"]
    assert "IB-zwaar: Cliënt overleden" in errors["rijen.1.overleden"]


def test_counts_typed_as_text_are_accepted():
    content = copy.deepcopy(VALID_OUTFLOW)
    content["rijen"][0]["doelen_bereikt"] = " 6 "
    assert validate_uitstroomredenen(content, GROUPS) == []


def test_overig_needs_an_explanation():
    content = copy.deepcopy(VALID_OUTFLOW)
    content["rijen"][0]["overig"] = 2
    errors = fields(validate_uitstroomredenen(content, GROUPS))
    assert errors == {
        "rijen.0.overig_toelichting": "IB-licht: licht toe welke redenen onder ‘Overig’ vallen."
    }


def test_empty_outflow_report():
    assert fields(validate_uitstroomredenen({}, GROUPS)) == {
        "rijen": "Vul de uitstroom per referentiegroep in."
    }


# --- klachten -----------------------------------------------------------------------------------

START, END, TODAY = dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2024, 10, 15)


def complaint(**overrides):
    row = {
        "nummer": "K-2024-001",
        "datum_ontvangen": "2024-03-02",
        "onderwerpen": ["bejegening"],
        "afgehandeld": True,
        "oordeel": "gegrond",
        "datum_afgehandeld": "2024-04-01",
        "wijze_afhandeling": "Gesprek met de cliënt en de begeleider",
        "woonplaats": "Dordrecht",
    }
    row.update(overrides)
    return row


def check(*rows, **extra):
    return fields(validate_klachten({"klachten": list(rows), **extra}, START, END, TODAY))


def test_valid_complaints_and_declared_none():
    assert (
        check(complaint(), complaint(nummer="K-2", afgehandeld=False, datum_afgehandeld="")) == {}
    )
    assert validate_klachten({"geen_klachten": True, "klachten": []}, START, END, TODAY) == []


def test_empty_report_must_say_there_were_none():
    assert "geef aan dat er in deze periode geen klachten waren" in check()["klachten"]
    assert "geen klachten waren, maar" in check(complaint(), geen_klachten=True)["geen_klachten"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nummer": ""}, "nummer", "vul het klachtnummer in"),
        ({"nummer": "111222333"}, "nummer", "lijkt op een BSN"),
        ({"datum_ontvangen": "31-02-2024"}, "datum_ontvangen", "is geen datum"),
        (
            {"datum_ontvangen": "2024-11-01", "afgehandeld": False, "datum_afgehandeld": ""},
            "datum_ontvangen",
            "ligt na 15-10-2024",
        ),
        ({"onderwerpen": []}, "onderwerpen", "kies waar de klacht over gaat"),
        ({"onderwerpen": ["eten"]}, "onderwerpen", "onbekend onderwerp eten"),
        ({"onderwerpen": ["anders"]}, "onderwerp_anders", "beschrijf het onderwerp"),
        ({"afgehandeld": "ja"}, "afgehandeld", "is de klacht afgehandeld"),
        ({"oordeel": ""}, "oordeel", "gegrond of ongegrond"),
        ({"oordeel": "ongegrond"}, "motivatie", "motiveer waarom"),
        ({"datum_afgehandeld": ""}, "datum_afgehandeld", "Vul klacht 1: de datum van afh"),
        ({"datum_afgehandeld": "2024-03-01"}, "datum_afgehandeld", "vóór de ontvangst"),
        ({"datum_afgehandeld": "2024-12-01"}, "datum_afgehandeld", "in de toekomst"),
        ({"wijze_afhandeling": " "}, "wijze_afhandeling", "hoe de klacht is afgehandeld"),
        ({"woonplaats": ""}, "woonplaats", "vul de woonplaats"),
        ({"woonplaats": "Dordrecht 3311AB"}, "woonplaats", "geen adres of postcode"),
        (
            {"afgehandeld": False, "oordeel": "", "datum_afgehandeld": "2024-04-01"},
            "datum_afgehandeld",
            "niet is afgehandeld heeft geen datum",
        ),
        (
            {"datum_ontvangen": "2023-05-01", "datum_afgehandeld": "2023-06-01"},
            "datum_ontvangen",
            "hoort bij een eerdere periode",
        ),
    ],
)
def test_bad_complaint_fields(overrides, field, message):
    errors = check(complaint(**overrides))
    assert list(errors) == [f"klachten.0.{field}"], errors
    assert message in errors[f"klachten.0.{field}"]
    assert errors[f"klachten.0.{field}"].startswith(("Klacht 1", "Vul klacht 1"))


def test_a_complaint_carried_over_from_last_year_is_valid_when_handled_this_year():
    assert check(complaint(datum_ontvangen="2023-12-01", datum_afgehandeld="2024-01-10")) == {}


def test_complaint_numbers_are_unique():
    errors = check(complaint(), complaint())
    assert "al gebruikt bij klacht 1" in errors["klachten.1.nummer"]
