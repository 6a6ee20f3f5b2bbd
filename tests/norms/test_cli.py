# SPDX-License-Identifier: EUPL-1.2
"""``wmo-sla norms …`` as a user runs it: output and exit codes."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from wmo_sla.cli import EXIT_FATAL, EXIT_INPUT_ERRORS, EXIT_OK, main
from wmo_sla.contracts.constants import NormProposalStatus
from wmo_sla.contracts.models import Norm, NormProposal

pytestmark = pytest.mark.django_db(transaction=True)


def out(capsys) -> str:
    return " ".join(capsys.readouterr().out.split())


def test_derive_shows_the_proposals_in_a_table(run, capsys):
    assert main(["norms", "derive", "--year", "2024"]) == EXIT_OK
    text = out(capsys)
    assert f"Normvoorstellen 2024 (pooled, basis 2022–2023, berekening #{run.pk})" in text
    assert "16,7 %" in text  # K8 pooled 20/120
    assert "2 nieuw(e) voorstel(len), 0 overgeslagen" in text
    assert NormProposal.objects.filter(status="voorgesteld").count() == 2


def test_derive_for_one_kpi_with_p90(run, capsys):
    assert main(["norms", "derive", "--year", "2024", "--kpi", "K8", "--method", "p90"]) == 0
    assert "(p90," in out(capsys)
    assert list(NormProposal.objects.values_list("kpi_code", "method")) == [("K8", "p90")]


def test_derive_without_a_run_exits_2(db, capsys):
    assert main(["norms", "derive", "--year", "2024"]) == EXIT_FATAL
    assert "er is nog geen voltooide berekening" in out(capsys)


def test_derive_with_an_unknown_kpi_exits_2(run, capsys):
    assert main(["norms", "derive", "--year", "2024", "--kpi", "K99"]) == EXIT_FATAL
    assert "onbekende KPI-code 'K99'" in out(capsys)
    assert not NormProposal.objects.exists()


def test_derive_with_empty_base_years_exits_1(run, capsys):
    assert main(["norms", "derive", "--year", "2030"]) == EXIT_INPUT_ERRORS
    text = out(capsys)
    assert "Geen kengetallen (regio, jaren 2028 en 2029)" in text
    assert "er is niets voorgesteld" in text


def test_derive_with_an_unknown_method_is_a_usage_error(run):
    with pytest.raises(SystemExit) as exc:
        main(["norms", "derive", "--year", "2024", "--method", "mediaan"])
    assert exc.value.code == EXIT_FATAL


def test_approve_by_a_contract_manager(run, capsys):
    UserFactory(username="cm", contractmanager=True)
    main(["norms", "derive", "--year", "2024"])
    ids = [str(pk) for pk in NormProposal.objects.order_by("pk").values_list("pk", flat=True)]
    capsys.readouterr()
    assert main(["norms", "approve", *ids, "--user", "cm"]) == EXIT_OK
    text = out(capsys)
    assert f"Voorstel #{ids[0]} vastgesteld: norm K8 IB 2024 = 16,7 % (door cm" in text
    assert Norm.objects.filter(kind="historisch", status="vastgesteld").count() == 2
    # approving again: nothing open any more
    assert main(["norms", "approve", ids[0], "--user", "cm"]) == EXIT_INPUT_ERRORS
    assert "alleen een open voorstel" in out(capsys)


def test_approve_is_all_or_nothing(run, capsys):
    UserFactory(username="cm", contractmanager=True)
    main(["norms", "derive", "--year", "2024"])
    first, second = NormProposal.objects.order_by("pk")
    main(["norms", "reject", str(second.pk), "--user", "cm", "--reason", "te weinig data"])
    capsys.readouterr()
    assert main(["norms", "approve", str(first.pk), str(second.pk), "--user", "cm"]) == 1
    assert "Er is niets vastgesteld." in out(capsys)
    assert not Norm.objects.exists()
    first.refresh_from_db()
    assert first.status == NormProposalStatus.PROPOSED


@pytest.mark.parametrize("trait", ["analist", "beheerder"])
def test_approve_by_someone_else_exits_2_with_a_dutch_message(run, capsys, trait):
    UserFactory(username="iemand", **{trait: True})
    main(["norms", "derive", "--year", "2024"])
    pk = str(NormProposal.objects.first().pk)
    capsys.readouterr()
    assert main(["norms", "approve", pk, "--user", "iemand"]) == EXIT_FATAL
    assert "Gebruiker 'iemand' mag geen normen vaststellen" in out(capsys)
    assert not Norm.objects.exists()


def test_approve_unknown_user_or_id(run, capsys):
    UserFactory(username="cm", contractmanager=True)
    assert main(["norms", "approve", "1", "--user", "niemand"]) == EXIT_FATAL
    assert "Onbekende of inactieve gebruiker 'niemand'" in out(capsys)
    assert main(["norms", "approve", "999", "--user", "cm"]) == EXIT_INPUT_ERRORS
    assert "Onbekend(e) normvoorstel(len): 999; er is niets gewijzigd." in out(capsys)


def test_reject_and_list(run, capsys):
    UserFactory(username="cm", contractmanager=True)
    main(["norms", "derive", "--year", "2024", "--kpi", "K8"])
    pk = str(NormProposal.objects.get().pk)
    assert main(["norms", "reject", pk, "--user", "cm", "--reason", "atypisch jaar"]) == 0
    assert f"Voorstel #{pk} afgewezen" in out(capsys)
    assert main(["norms", "list", "--year", "2024", "--status", "afgewezen"]) == EXIT_OK
    text = out(capsys)
    assert "Geen normen gevonden." in text
    assert "afgewezen" in text and "16,7 %" in text
    assert main(["norms", "list", "--status", "voorgesteld"]) == EXIT_OK
    assert "Geen normvoorstellen gevonden." in out(capsys)


def test_help_lists_norms(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "norms" in capsys.readouterr().out
