# SPDX-License-Identifier: EUPL-1.2
"""Field-by-field comparison of two versions (changed after acceptance) and the board export's
protection against spreadsheet formulas."""

from __future__ import annotations

import csv
import io

import pytest

from tests.factories import AanbiederFactory
from wmo_sla.reporting import exports
from wmo_sla.reporting.selectors import content_changes, status_board

from .conftest import at

COMPLAINT = {
    "nummer": "K-1",
    "datum_ontvangen": "2024-03-01",
    "onderwerpen": ["kwaliteit"],
    "afgehandeld": False,
    "woonplaats": "Zwijndrecht",
}


def test_complaints_are_compared_per_number():
    old = {"geen_klachten": False, "klachten": [COMPLAINT]}
    new = {
        "geen_klachten": False,
        "klachten": [
            {**COMPLAINT, "afgehandeld": True, "oordeel": "gegrond"},
            {**COMPLAINT, "nummer": "K-2"},
        ],
    }
    changes = [(c.where, c.field, c.old, c.new) for c in content_changes("klachten", old, new)]
    assert changes == [
        ("K-1", "Afgehandeld", "nee", "ja"),
        ("K-1", "Gegrond of ongegrond", "–", "gegrond"),
        ("K-2", "regel", "(niet aanwezig)", "toegevoegd"),
    ]
    assert content_changes("klachten", new, new) == []
    removed = content_changes("klachten", old, {"geen_klachten": True, "klachten": []})
    assert [(c.where, c.field, c.new) for c in removed] == [
        ("–", "Geen klachten", "ja"),
        ("K-1", "regel", "verwijderd"),
    ]


def test_outflow_and_survey_changes():
    old = {"rijen": [{"referentiegroep": "IB", "doelen_bereikt": 3, "overig": 0}]}
    new = {"rijen": [{"referentiegroep": "IB", "doelen_bereikt": "3", "overig": 1}]}
    changes = content_changes("uitstroomredenen", old, new)
    assert [(c.where, c.field, c.old, c.new) for c in changes] == [("IB", "Overig", "0", "1")]
    survey = content_changes(
        "tevredenheid", {"bestand": "a.csv", "regels": 12}, {"bestand": "b.csv", "regels": 12}
    )
    assert [(c.field, c.old, c.new) for c in survey] == [("Bestand", "a.csv", "b.csv")]


@pytest.mark.django_db
def test_export_never_writes_a_formula_from_data(world):
    evil = AanbiederFactory(name='=HYPERLINK("http://x")', agb=None)
    world.contract.aanbieders.add(evil)
    with at(2024, 8, 1):
        cells = status_board(user=world.cm, obligations=[world.uitstroom])
        rows = exports.board_rows(cells, {})
    data = exports.to_csv(rows).decode("utf-8-sig")
    names = [line[0] for line in csv.reader(io.StringIO(data), delimiter=";")]
    assert '\'=HYPERLINK("http://x")' in names
    assert not any(name.startswith("=") for name in names)
