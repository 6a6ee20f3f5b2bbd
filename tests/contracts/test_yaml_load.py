# SPDX-License-Identifier: EUPL-1.2
"""Loading contract definition files: all-or-nothing, idempotent, precise errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.models import AuditEvent
from wmo_sla.contracts.models import (
    Aanbieder,
    AgbCode,
    Contract,
    Gemeente,
    Holiday,
    HolidayCalendar,
    IndexFigure,
    Norm,
    Product,
    Referentiegroep,
    SlaVersion,
    Tariff,
)
from wmo_sla.contracts.services import (
    ContractFileInvalid,
    contract_definition_dump,
    contract_definition_load,
    contract_definition_load_text,
    tariff_indexation_apply,
    tariff_indexation_propose,
)
from wmo_sla.contracts.yaml_schema import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "contract-drechtsteden.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

MODELS = (
    HolidayCalendar,
    Holiday,
    Gemeente,
    Aanbieder,
    AgbCode,
    Referentiegroep,
    Contract,
    SlaVersion,
    IndexFigure,
    Product,
    Tariff,
    Norm,
    AuditEvent,
)


def db_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def load_example():
    return contract_definition_load(path=EXAMPLE)


def assert_invalid(path: Path) -> ContractFileInvalid:
    """Load ``path``, expect ContractFileInvalid, and check that nothing at all changed."""
    counts, dump = db_counts(), contract_definition_dump()
    with pytest.raises(ContractFileInvalid) as exc:
        contract_definition_load(path=path)
    assert db_counts() == counts
    assert contract_definition_dump() == dump
    return exc.value


def paths_of(error: ContractFileInvalid) -> list[str]:
    return [e.path for e in error.errors]


# --- the example file ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_example_file_loads_everything() -> None:
    report = load_example()
    assert report.changed
    assert Gemeente.objects.count() == 9
    assert set(Gemeente.objects.values_list("cbs_code", flat=True)) == {
        "0482", "0505", "0512", "0523", "0531", "1978", "0590", "0610", "0642",
    }  # fmt: skip
    assert Gemeente.objects.get(cbs_code="0505").name == "Dordrecht"
    assert Aanbieder.objects.count() == 12
    assert Aanbieder.objects.filter(agb_codes__isnull=False).distinct().count() == 12
    assert set(Contract.objects.values_list("code", "kind")) == {
        ("IB", "IB"), ("BW", "BW"), ("BEG", "BEG"),
    }  # fmt: skip
    ib = Contract.objects.get(code="IB")
    assert ib.start_date == date(2016, 1, 1)
    assert ib.sla_versions.get().start_date == date(2018, 7, 1)
    bw = Contract.objects.get(code="BW")
    assert bw.start_date == date(2017, 7, 17)
    assert bw.sla_versions.get(version="2022").start_date == date(2022, 7, 1)
    assert bw.gemeenten.count() == 9
    for aanbieder in Aanbieder.objects.all():
        assert 1 <= aanbieder.contracts.count() <= 3, aanbieder.name
    # Products and 2018 tariffs from the seeds.
    h300 = Product.objects.get(contract=ib, categorie="02", code="H300")
    assert h300.eenheid == "04"
    assert h300.tariffs.get(year=2018).price == Decimal("46.80")
    h811 = Product.objects.get(contract__code="BEG", categorie="07", code="H811")
    assert (h811.eenheid, h811.tariffs.get(year=2018).price) == ("16", Decimal("32.40"))
    bw_home = Product.objects.get(contract=bw, categorie="15", code="15A02")
    assert (bw_home.eenheid, bw_home.tariffs.get(year=2018).price) == ("14", Decimal("145.00"))
    minutes = Product.objects.get(contract=bw, code="15R32")
    assert minutes.eenheid == "01"
    assert minutes.tariffs.get(year=2018).price_per == "04"  # price per hour, billed per minute
    assert set(Tariff.objects.values_list("year", flat=True)) == set(range(2018, 2026))
    # Norms.
    k13_bw = Norm.objects.get(kpi_code="K13", referentiegroep__code="BW", year=2024)
    assert (k13_bw.value, k13_bw.direction) == (Decimal("6"), "min")
    k13_ib = Norm.objects.get(kpi_code="K13", referentiegroep__code="IB-REG", year=2024)
    assert k13_ib.value == Decimal("7")
    k8 = Norm.objects.get(kpi_code="K8", referentiegroep__code="IB-REG", year=2022)
    assert (k8.value, k8.direction) == (Decimal("0.10"), "max")
    assert Norm.objects.filter(kpi_code="K6", value=Decimal("0.90"), direction="min").count() == 16
    # Holidays (Algemene termijnenwet 2015-2035).
    calendar = HolidayCalendar.objects.get(code="atw")
    assert calendar.rule == "algemene-termijnenwet"
    assert calendar.holidays.filter(date=date(2024, 3, 29)).exists()
    assert calendar.holidays.filter(date__year=2035).count() == 9


@pytest.mark.django_db
def test_first_load_audits_each_object_and_the_load() -> None:
    report = load_example()
    created = sum(report.created.values())
    assert AuditEvent.objects.filter(action=AuditAction.CREATE).count() == created
    loaded = AuditEvent.objects.get(action=AuditAction.CONTRACTS_LOADED)
    assert loaded.extra["file"] == "contract-drechtsteden.yaml"
    assert loaded.extra["created"]["gemeenten"] == 9
    gemeente_event = AuditEvent.objects.get(
        action=AuditAction.CREATE, object_type="contracts.gemeente", object_repr__contains="0505"
    )
    assert gemeente_event.extra["via"] == "contracts load"
    assert gemeente_event.changes["cbs_code"] == [None, "0505"]


@pytest.mark.django_db
def test_loading_twice_changes_nothing() -> None:
    load_example()
    counts, dump = db_counts(), contract_definition_dump()
    report = load_example()
    assert not report.changed
    assert sum(report.created.values()) == 0
    assert sum(report.updated.values()) == 0
    assert report.unchanged["gemeenten"] == 9
    assert report.unchanged["tariffs"] == Tariff.objects.count() > 0
    assert report.not_in_file == {}
    assert db_counts() == counts  # includes AuditEvent: no new events
    assert contract_definition_dump() == dump


@pytest.mark.django_db
def test_dry_run_reports_but_writes_nothing() -> None:
    report = contract_definition_load(path=EXAMPLE, dry_run=True)
    assert report.dry_run and report.changed
    assert report.created["gemeenten"] == 9
    assert all(count == 0 for count in db_counts().values())


@pytest.mark.django_db
def test_a_change_is_one_update_with_its_diff() -> None:
    contract_definition_load(path=FIXTURES / "minimal.yaml")
    text = (FIXTURES / "minimal.yaml").read_text().replace('"51.00"', '"52.50"')
    before = AuditEvent.objects.count()
    report = contract_definition_load_text(text=text, file="minimal-v2.yaml")
    assert report.updated["tariffs"] == 1
    assert sum(report.updated.values()) == 1
    assert sum(report.created.values()) == 0
    assert Tariff.objects.get(year=2021).price == Decimal("52.50")
    events = AuditEvent.objects.order_by("pk")[before:]
    assert [e.action for e in events] == [AuditAction.UPDATE, AuditAction.CONTRACTS_LOADED]
    assert events[0].changes == {"price": ["51.00", "52.50"]}
    assert events[0].extra == {"via": "contracts load", "file": "minimal-v2.yaml"}


@pytest.mark.django_db
def test_absent_objects_are_left_untouched_and_reported() -> None:
    load_example()
    counts = db_counts()
    report = contract_definition_load(path=FIXTURES / "minimal.yaml")
    # Nothing of the example was deleted.
    for model in MODELS:
        if model is not AuditEvent:
            assert model.objects.count() >= counts[model.__name__]
    assert Gemeente.objects.filter(cbs_code="0642").exists()
    # The gemeenten Dordrecht and Alblasserdam exist and are unchanged; the others are reported.
    assert report.unchanged["gemeenten"] == 2
    assert "0642" in report.not_in_file["gemeenten"]
    assert "0505" not in report.not_in_file["gemeenten"]
    assert "IB" in report.not_in_file["contracts"]
    assert "IB 02/H300" in report.not_in_file["products"]


@pytest.mark.django_db
def test_contract_aanbieders_key_absent_keeps_them_and_empty_list_clears() -> None:
    contract_definition_load(path=FIXTURES / "minimal.yaml")
    contract = Contract.objects.get(code="T")
    assert list(contract.aanbieders.values_list("name", flat=True)) == ["Testzorg Noord"]
    text = (FIXTURES / "minimal.yaml").read_text()
    without = text.replace("    aanbieders: [Testzorg Noord]\n", "")
    assert without != text
    assert not contract_definition_load_text(text=without, file="x.yaml").changed
    assert contract.aanbieders.count() == 1
    emptied = text.replace("aanbieders: [Testzorg Noord]", "aanbieders: []")
    report = contract_definition_load_text(text=emptied, file="x.yaml")
    assert report.updated["contracts"] == 1
    assert contract.aanbieders.count() == 0


@pytest.mark.django_db
def test_tariffs_only_entry_adds_a_year_to_an_existing_product() -> None:
    load_example()
    text = (
        "version: 1\n"
        "products:\n"
        '  - {contract: "IB", categorie: "02", code: "H300", tariffs: {2026: "62.00"}}\n'
    )
    report = contract_definition_load_text(text=text, file="tarieven-2026.yaml")
    assert report.created["tariffs"] == 1
    assert report.updated["products"] == 0
    tariff = Tariff.objects.get(product__code="H300", product__contract__code="IB", year=2026)
    assert (tariff.price, tariff.price_per) == (Decimal("62.00"), "04")
    assert "IB 02/H300 2018" in report.not_in_file["tariffs"]


# --- the example file is internally consistent ---------------------------------------------------


@pytest.mark.django_db
def test_example_tariffs_equal_the_indexation_proposals() -> None:
    load_example()
    compared = 0
    for contract in Contract.objects.all():
        assert contract.indexation_method == "gemiddelde-cao-cpi-september"
        for year in range(2019, 2026):
            for proposal in tariff_indexation_propose(contract=contract, year=year):
                if proposal.current_price is None:
                    continue  # e.g. the BW transition products ended in 2019
                assert proposal.proposed_price == proposal.current_price, (
                    contract.code,
                    proposal.product.code,
                    year,
                )
                compared += 1
    # 13 products with 2019-2025, 4 transition products with 2019 only.
    assert compared == 13 * 7 + 4


@pytest.mark.django_db
def test_indexation_apply_writes_next_year_once_and_audits_it() -> None:
    load_example()
    ib = Contract.objects.get(code="IB")
    with pytest.raises(Exception, match="september 2025"):
        tariff_indexation_propose(contract=ib, year=2026)
    IndexFigure.objects.create(
        contract=ib, year=2025, cao_lonen_index=Decimal("135.00"), cpi_jaarmutatie=Decimal("3.00")
    )
    proposals = tariff_indexation_propose(contract=ib, year=2026)
    assert len(proposals) == 4
    # (135.00 / 129.20 - 1) x 100 = 4.489...; mean with 3.00 = 3.7448... -> 3.74 %.
    assert {p.percentage for p in proposals} == {Decimal("3.74")}
    h300 = next(p for p in proposals if p.product.code == "H300")
    assert (h300.base_price, h300.proposed_price) == (Decimal("60.46"), Decimal("62.72"))
    events = AuditEvent.objects.count()
    assert tariff_indexation_apply(contract=ib, year=2026) == 4
    assert AuditEvent.objects.count() == events + 4
    assert Tariff.objects.get(product=h300.product, year=2026).price == Decimal("62.72")
    assert tariff_indexation_apply(contract=ib, year=2026) == 0
    assert AuditEvent.objects.count() == events + 4


# --- bad input: precise errors, nothing written --------------------------------------------------


@pytest.mark.django_db
def test_malformed_yaml() -> None:
    error = assert_invalid(FIXTURES / "bad_malformed.yaml")
    assert len(error.errors) == 1
    assert "geen geldige YAML" in error.errors[0].message
    assert "regel 5" in error.errors[0].message
    assert str(error).startswith(f"{FIXTURES / 'bad_malformed.yaml'}: geen geldige YAML")


@pytest.mark.django_db
def test_inconsistent_file_reports_each_inconsistency() -> None:
    load_example()
    error = assert_invalid(FIXTURES / "bad_inconsistent.yaml")
    assert paths_of(error) == [
        "gemeenten[0].naam",
        "gemeenten[0].name",
        "contracts[0].end_date",
        "contracts[0].sla_versions[0].start_date",
        "products[0].tariffs[2019]",
    ]
    messages = [e.message for e in error.errors]
    assert "bedoelt u 'name'" in messages[0]
    assert "ontbreekt" in messages[1]
    assert "vóór de ingangsdatum" in messages[2]
    assert "buiten de looptijd" in messages[4]


@pytest.mark.django_db
def test_unknown_cbs_code() -> None:
    error = assert_invalid(FIXTURES / "bad_unknown_cbs.yaml")
    assert paths_of(error) == ["contracts[0].gemeenten[1]"]
    assert "onbekende CBS-code '0999'" in error.errors[0].message
    assert Contract.objects.count() == 0


@pytest.mark.django_db
def test_duplicate_agb_code_in_the_file() -> None:
    error = assert_invalid(FIXTURES / "bad_duplicate_agb.yaml")
    assert paths_of(error) == ["aanbieders[1].agb_codes[1]"]
    assert "dubbele AGB-code 99100001" in error.errors[0].message
    assert "aanbieders[0].agb_codes[0]" in error.errors[0].message


@pytest.mark.django_db
def test_agb_code_of_another_aanbieder_in_the_database() -> None:
    load_example()
    path = FIXTURES / "minimal.yaml"
    text = path.read_text().replace('"99100001"', '"99000101"')  # Zorggroep De Linde's code
    counts = db_counts()
    with pytest.raises(ContractFileInvalid) as exc:
        contract_definition_load_text(text=text, file="agb.yaml")
    assert paths_of(exc.value) == ["aanbieders[0].agb_codes[0]"]
    assert "Zorggroep De Linde" in exc.value.errors[0].message
    assert db_counts() == counts
    assert not Aanbieder.objects.filter(name="Testzorg Noord").exists()


@pytest.mark.django_db
def test_a_product_the_file_would_move_to_another_contract() -> None:
    load_example()
    text = (
        "version: 1\n"
        "products:\n"
        '  - {contract: "BEG", categorie: "02", code: "H300", description: Begeleiding,\n'
        '     eenheid: "04", referentiegroep: "IB-REG", tariffs: {2024: "57.70"}}\n'
    )
    counts = db_counts()
    with pytest.raises(ContractFileInvalid) as exc:
        contract_definition_load_text(text=text, file="move.yaml")
    assert paths_of(exc.value) == ["products[0]"]
    assert "contract IB" in exc.value.errors[0].message
    assert db_counts() == counts


@pytest.mark.django_db
def test_tariff_for_an_unknown_product() -> None:
    load_example()
    error = assert_invalid(FIXTURES / "bad_tariff_unknown_product.yaml")
    assert paths_of(error) == ["products[0].tariffs"]
    assert "onbekend product IB 02/H999" in error.errors[0].message


@pytest.mark.django_db
def test_norm_for_an_unknown_kpi_code() -> None:
    load_example()
    error = assert_invalid(FIXTURES / "bad_unknown_kpi.yaml")
    assert paths_of(error) == ["norms[1].kpi"]
    assert "onbekende KPI-code 'K99'" in error.errors[0].message
    # The valid norm in the same file was not written either.
    assert not Norm.objects.filter(year=2026).exists()


@pytest.mark.django_db
def test_unquoted_cbs_codes_and_the_octal_trap() -> None:
    error = assert_invalid(FIXTURES / "bad_unquoted_codes.yaml")
    assert paths_of(error) == ["gemeenten[0].cbs", "gemeenten[1].cbs"]
    octal, number = (e.message for e in error.errors)
    assert "tussen aanhalingstekens" in octal
    assert '"0505"' in octal
    assert "octale getal 325" in octal
    assert '"1978"' in number
    assert Gemeente.objects.count() == 0


@pytest.mark.django_db
def test_many_errors_are_reported_together() -> None:
    error = assert_invalid(FIXTURES / "bad_many.yaml")
    assert paths_of(error) == [
        "gemeenten[1].cbs",
        "aanbieders[1].agb_codes[0]",
        "contracts[0].kind",
        "contracts[0].gemeenten[1]",
        "products[0].eenheid",
        "products[0].tariffs[2020]",
        "products[0].tariffs[2021]",
        "products[0].tariffs[2022]",
        "norms[0].kpi",
        "norms[1].value",
    ]
    lines = str(error).splitlines()
    assert len(lines) == 10
    assert lines[0].startswith(f"{FIXTURES / 'bad_many.yaml'}: gemeenten[1].cbs: ")
    assert "punt als decimaalteken" in lines[7]


@pytest.mark.django_db
def test_yaml_aliases_are_refused() -> None:
    error = assert_invalid(FIXTURES / "bad_alias.yaml")
    assert len(error.errors) == 1
    assert "niet toegestaan" in error.errors[0].message


@pytest.mark.django_db
def test_duplicate_keys_unsupported_tags_and_missing_version() -> None:
    text = (
        "gemeenten:\n"
        '  - {cbs: "0505", name: Dordrecht, name: Dordt}\n'
        "  - !!python/object:os.system {cbs: '0482'}\n"
    )
    with pytest.raises(ContractFileInvalid) as exc:
        contract_definition_load_text(text=text, file="x.yaml")
    assert paths_of(exc.value) == ["gemeenten[0].name", "gemeenten[1]", "version"]
    assert "dubbele sleutel" in exc.value.errors[0].message
    assert "niet ondersteund" in exc.value.errors[1].message
    assert Gemeente.objects.count() == 0


@pytest.mark.django_db
def test_oversized_and_unreadable_files(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(ContractFileInvalid, match="te groot"):
        contract_definition_load(path=big)
    with pytest.raises(ContractFileInvalid, match="kan het bestand niet lezen"):
        contract_definition_load(path=tmp_path / "missing.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(
        "version: 1\ngemeenten: [{cbs: '0505', name: Dordrecht\xe9}]".encode("latin-1")
    )
    with pytest.raises(ContractFileInvalid, match="UTF-8"):
        contract_definition_load(path=latin)
