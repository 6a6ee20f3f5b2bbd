# SPDX-License-Identifier: EUPL-1.2
"""The `wmo-sla` command as a user runs it: subcommands, exit codes, messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from wmo_sla.cli import EXIT_FATAL, EXIT_INPUT_ERRORS, EXIT_OK, main
from wmo_sla.contracts.models import Aanbieder, Gemeente

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "contract-drechtsteden.yaml"
FIXTURES = Path(__file__).resolve().parent / "contracts" / "fixtures"


def test_help_lists_the_subcommands(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for name in ("demo", "serve", "contracts", "manage"):
        assert name in out


def test_unknown_subcommand_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["bestaat-niet"])
    assert exc.value.code == EXIT_FATAL


@pytest.mark.django_db(transaction=True)
def test_contracts_load_then_dump_round_trip(capsys, tmp_path):
    assert main(["contracts", "load", str(EXAMPLE)]) == EXIT_OK
    assert Gemeente.objects.filter(cbs_code="0505", name="Dordrecht").exists()
    assert Aanbieder.objects.count() == 12
    capsys.readouterr()
    out_file = tmp_path / "dump.yaml"
    assert main(["contracts", "dump", "-o", str(out_file)]) == EXIT_OK
    assert main(["contracts", "load", str(out_file)]) == EXIT_OK
    assert "Niets gewijzigd." in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_contracts_load_with_errors_exits_1_and_names_file_and_path(capsys):
    bad = FIXTURES / "bad_many.yaml"
    assert main(["contracts", "load", str(bad)]) == EXIT_INPUT_ERRORS
    out = capsys.readouterr().out
    assert f"{bad}: norms[0].kpi: onbekende KPI-code 'K99'" in out
    assert "er is niets gewijzigd" in out
    assert Gemeente.objects.count() == 0


def test_contracts_load_missing_file_exits_2(capsys, tmp_path):
    assert main(["contracts", "load", str(tmp_path / "nope.yaml")]) == EXIT_FATAL
    assert "Bestand niet gevonden" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_contracts_index_proposal_for_a_year_with_figures(capsys):
    main(["contracts", "load", str(EXAMPLE)])
    capsys.readouterr()
    assert main(["contracts", "index", "--contract", "IB", "--year", "2025"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Indexatievoorstel IB voor 2025" in out
    assert "H300" in out
