# SPDX-License-Identifier: EUPL-1.2
"""Writes of contract master data: the contract definition file (load/dump) and tariff indexation.

Loading (:func:`contract_definition_load`) is all-or-nothing and idempotent:

- The file is parsed and validated first (:mod:`.yaml_schema`); any error raises
  :class:`ContractFileInvalid` listing *all* errors as ``FILE: PATH: MESSAGE``. Conflicts with the
  database (an AGB code that belongs to another aanbieder, a product the file would move to another
  contract) are checked next, before anything is written, and raise the same exception.
- Objects are matched on their natural keys (CBS code, aanbieder name, AGB code, codes of calendar,
  referentiegroep and contract, (contract, categorie, code) of a product, (product, year) of a
  tariff, (kpi, referentiegroep, year) of a norm, ...). Each object is compared with the database
  before writing, so loading the same file twice writes nothing and logs nothing.
- Every created or changed object gets one audit event with its field changes; a load that changed
  something also gets one ``contracts_loaded`` event with the counts.
- **Objects absent from the file are left untouched**: loading never deletes. The report lists them
  under ``not_in_file`` so the user can see what the file does not describe. Rows that belong to a
  parent (holidays, AGB codes, SLA versions, index figures, tariffs) are listed only for parents
  that are in the file. Fields of an object that *is* in the file are set as the file says; the
  one exception is ``contracts[].aanbieders``: when the key is absent the participating aanbieders
  stay as they are (write ``aanbieders: []`` to empty the list).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction

import yaml

from wmo_sla.audit.constants import AuditAction
from wmo_sla.audit.services import audit_log, model_changes, snapshot

from .constants import IndexationMethod
from .holiday_rules import RULES, HolidayRule
from .indexation import (
    MissingIndexFigures,
    SeptemberFigures,
    percentage_for_tariff_year,
    propose_tariff,
)
from .models import (
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
from .yaml_schema import (
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    ContractDefinition,
    ContractFileError,
    ContractFileInvalid,
    KnownKeys,
    ProductSpec,
    decode_contract_bytes,
    parse_contract_definition,
    plain_decimal,
)

__all__ = [
    "ContractFileError",
    "ContractFileInvalid",
    "IndexationUnavailable",
    "LoadReport",
    "TariffProposal",
    "contract_definition_dump",
    "contract_definition_load",
    "contract_definition_load_text",
    "tariff_indexation_apply",
    "tariff_indexation_propose",
]

VIA_LOAD = "contracts load"
VIA_INDEXATION = "tariff indexation"

#: The kinds of objects a load reports on, in file order, with their Dutch label.
KINDS: dict[str, str] = {
    "holiday_calendars": "feestdagenkalenders",
    "holidays": "feestdagen",
    "gemeenten": "gemeenten",
    "aanbieders": "aanbieders",
    "agb_codes": "AGB-codes",
    "referentiegroepen": "referentiegroepen",
    "contracts": "contracten",
    "sla_versions": "SLA-versies",
    "index_figures": "indexcijfers",
    "products": "producten",
    "tariffs": "tarieven",
    "norms": "normen",
}


def _zero_counts() -> dict[str, int]:
    return dict.fromkeys(KINDS, 0)


@dataclass
class LoadReport:
    """What a load did (or, with ``dry_run``, would do)."""

    file: str
    dry_run: bool = False
    created: dict[str, int] = field(default_factory=_zero_counts)
    updated: dict[str, int] = field(default_factory=_zero_counts)
    unchanged: dict[str, int] = field(default_factory=_zero_counts)
    not_in_file: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def summary_lines(self) -> list[str]:
        """One Dutch line per kind that occurs in the file or the database."""
        lines = []
        for kind, label in KINDS.items():
            created, updated = self.created[kind], self.updated[kind]
            unchanged, absent = self.unchanged[kind], len(self.not_in_file.get(kind, []))
            if created or updated or unchanged or absent:
                line = f"{label}: {created} nieuw, {updated} gewijzigd, {unchanged} ongewijzigd"
                if absent:
                    line += f", {absent} niet in het bestand (ongemoeid gelaten)"
                lines.append(line)
        if not self.changed:
            lines.append("Niets gewijzigd.")
        elif self.dry_run:
            lines.append("Proefrun: er is niets opgeslagen.")
        return lines


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def _known_keys() -> KnownKeys:
    return KnownKeys(
        gemeenten=frozenset(Gemeente.objects.values_list("cbs_code", flat=True)),
        aanbieders=frozenset(Aanbieder.objects.values_list("name", flat=True)),
        referentiegroepen=frozenset(Referentiegroep.objects.values_list("code", flat=True)),
        contracts=frozenset(Contract.objects.values_list("code", flat=True)),
        holiday_calendars=frozenset(HolidayCalendar.objects.values_list("code", flat=True)),
        products=frozenset(
            Product.objects.values_list("contract__code", "categorie", "code").iterator()
        ),
    )


def _product_label(contract: str, categorie: str, code: str) -> str:
    return f"{contract} {categorie}/{code or '(leeg)'}"


class _Writer:
    """Applies a validated definition to the database. Call ``conflicts()`` before ``write()``."""

    def __init__(
        self, definition: ContractDefinition, report: LoadReport, *, file_name: str, actor: Any
    ) -> None:
        self.definition = definition
        self.report = report
        self.actor = actor
        self.extra = {"via": VIA_LOAD, "file": file_name}

    # conflicts with the database -------------------------------------------------------------

    def conflicts(self) -> list[ContractFileError]:
        errors: list[ContractFileError] = []
        codes = [code for spec in self.definition.aanbieders for code in spec.agb_codes]
        owners = dict(AgbCode.objects.filter(code__in=codes).values_list("code", "aanbieder__name"))
        for spec in self.definition.aanbieders:
            for j, code in enumerate(spec.agb_codes):
                owner = owners.get(code)
                if owner is not None and owner != spec.name:
                    errors.append(
                        ContractFileError(
                            f"{spec.path}.agb_codes[{j}]",
                            f"AGB-code {code} hoort in de database bij aanbieder '{owner}', niet "
                            f"bij '{spec.name}'; een AGB-code verhuist niet via het "
                            "contractbestand (pas dat aan in het beheer)",
                        )
                    )
        errors.extend(self._product_moves())
        return errors

    def _product_moves(self) -> list[ContractFileError]:
        """A product new under contract X while it exists under Y and the file leaves Y out."""
        errors: list[ContractFileError] = []
        file_keys = {spec.key for spec in self.definition.products}
        existing: dict[tuple[str, str], set[str]] = {}
        for contract, categorie, code in Product.objects.values_list(
            "contract__code", "categorie", "code"
        ):
            existing.setdefault((categorie, code), set()).add(contract)
        for spec in self.definition.products:
            elsewhere = existing.get((spec.categorie, spec.code), set())
            if spec.contract in elsewhere:
                continue
            left_out = sorted(
                other for other in elsewhere if (other, spec.categorie, spec.code) not in file_keys
            )
            if left_out:
                label = f"{spec.categorie}/{spec.code or '(leeg)'}"
                errors.append(
                    ContractFileError(
                        spec.path,
                        f"product {label} staat in de database bij contract "
                        f"{', '.join(left_out)}; dit bestand zou het naar contract {spec.contract} "
                        "verplaatsen. Verplaatsen kan niet via het contractbestand (de historie "
                        "hangt aan het product). Hoort het in beide contracten, neem het dan ook "
                        f"onder contract {', '.join(left_out)} op.",
                    )
                )
        return errors

    # generic upsert --------------------------------------------------------------------------

    def _upsert(
        self,
        kind: str,
        model: type[models.Model],
        existing: models.Model | None,
        *,
        key: dict[str, Any],
        values: dict[str, Any],
        m2m: dict[str, set[int]] | None = None,
    ) -> Any:
        m2m = m2m or {}
        if existing is None:
            obj = model(**key, **values)
            obj.save()
            for name, pks in m2m.items():
                getattr(obj, name).set(sorted(pks))
            audit_log(
                action=AuditAction.CREATE,
                actor=self.actor,
                obj=obj,
                changes=model_changes(None, snapshot(obj)),
                extra=self.extra,
            )
            self.report.created[kind] += 1
            return obj
        obj = existing
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        changed_m2m = [
            name
            for name, pks in m2m.items()
            if set(getattr(obj, name).values_list("pk", flat=True)) != pks
        ]
        if not changed and not changed_m2m:
            self.report.unchanged[kind] += 1
            return obj
        before = snapshot(obj)
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            obj.save(update_fields=changed)
        for name in changed_m2m:
            getattr(obj, name).set(sorted(m2m[name]))
        audit_log(
            action=AuditAction.UPDATE,
            actor=self.actor,
            obj=obj,
            changes=model_changes(before, snapshot(obj)),
            extra=self.extra,
        )
        self.report.updated[kind] += 1
        return obj

    # the sections ----------------------------------------------------------------------------

    def write(self) -> None:
        calendars = self._calendars()
        gemeenten = self._gemeenten()
        aanbieders = self._aanbieders()
        groepen = self._referentiegroepen()
        contracts = self._contracts(calendars, gemeenten, aanbieders)
        self._products(contracts, groepen)
        self._norms(groepen)

    def _calendars(self) -> dict[str, HolidayCalendar]:
        result = {calendar.code: calendar for calendar in HolidayCalendar.objects.all()}
        absent_holidays: list[str] = []
        for spec in self.definition.holiday_calendars:
            calendar = self._upsert(
                "holiday_calendars",
                HolidayCalendar,
                result.get(spec.code),
                key={"code": spec.code},
                values={"name": spec.name, "rule": spec.rule},
            )
            result[spec.code] = calendar
            existing = {holiday.date: holiday for holiday in calendar.holidays.all()}
            wanted = spec.holidays()
            for holiday in wanted:
                self._upsert(
                    "holidays",
                    Holiday,
                    existing.get(holiday.day),
                    key={"calendar": calendar, "date": holiday.day},
                    values={"name": holiday.name},
                )
            wanted_days = {holiday.day for holiday in wanted}
            absent_holidays += [
                f"{spec.code} {day.isoformat()}"
                for day in sorted(existing)
                if day not in wanted_days
            ]
        in_file = {spec.code for spec in self.definition.holiday_calendars}
        self._absent("holiday_calendars", sorted(code for code in result if code not in in_file))
        self._absent("holidays", absent_holidays)
        return result

    def _gemeenten(self) -> dict[str, Gemeente]:
        result = {gemeente.cbs_code: gemeente for gemeente in Gemeente.objects.all()}
        for spec in self.definition.gemeenten:
            result[spec.cbs_code] = self._upsert(
                "gemeenten",
                Gemeente,
                result.get(spec.cbs_code),
                key={"cbs_code": spec.cbs_code},
                values={"name": spec.name},
            )
        in_file = {spec.cbs_code for spec in self.definition.gemeenten}
        self._absent("gemeenten", sorted(code for code in result if code not in in_file))
        return result

    def _aanbieders(self) -> dict[str, Aanbieder]:
        result = {aanbieder.name: aanbieder for aanbieder in Aanbieder.objects.all()}
        agb_codes = {agb.code: agb for agb in AgbCode.objects.all()}
        absent_codes: list[str] = []
        for spec in self.definition.aanbieders:
            aanbieder = self._upsert(
                "aanbieders", Aanbieder, result.get(spec.name), key={"name": spec.name}, values={}
            )
            result[spec.name] = aanbieder
            for code in spec.agb_codes:
                self._upsert(
                    "agb_codes",
                    AgbCode,
                    agb_codes.get(code),
                    key={"code": code},
                    values={"aanbieder_id": aanbieder.pk},
                )
            absent_codes += [
                f"{spec.name} {agb.code}"
                for agb in sorted(agb_codes.values(), key=lambda agb: agb.code)
                if agb.aanbieder_id == aanbieder.pk and agb.code not in spec.agb_codes
            ]
        in_file = {spec.name for spec in self.definition.aanbieders}
        self._absent("aanbieders", sorted(name for name in result if name not in in_file))
        self._absent("agb_codes", absent_codes)
        return result

    def _referentiegroepen(self) -> dict[str, Referentiegroep]:
        result = {groep.code: groep for groep in Referentiegroep.objects.all()}
        for spec in self.definition.referentiegroepen:
            result[spec.code] = self._upsert(
                "referentiegroepen",
                Referentiegroep,
                result.get(spec.code),
                key={"code": spec.code},
                values={"name": spec.name, "description": spec.description},
            )
        in_file = {spec.code for spec in self.definition.referentiegroepen}
        self._absent("referentiegroepen", sorted(code for code in result if code not in in_file))
        return result

    def _contracts(
        self,
        calendars: dict[str, HolidayCalendar],
        gemeenten: dict[str, Gemeente],
        aanbieders: dict[str, Aanbieder],
    ) -> dict[str, Contract]:
        result = {contract.code: contract for contract in Contract.objects.all()}
        absent_versions: list[str] = []
        absent_figures: list[str] = []
        for spec in self.definition.contracts:
            m2m = {"gemeenten": {gemeenten[cbs].pk for cbs in spec.gemeenten}}
            if spec.aanbieders is not None:
                m2m["aanbieders"] = {aanbieders[name].pk for name in spec.aanbieders}
            contract = self._upsert(
                "contracts",
                Contract,
                result.get(spec.code),
                key={"code": spec.code},
                values={
                    "name": spec.name,
                    "kind": spec.kind,
                    "start_date": spec.start_date,
                    "end_date": spec.end_date,
                    "holiday_calendar_id": calendars[spec.holiday_calendar].pk,
                    "indexation_method": spec.indexation_method,
                },
                m2m=m2m,
            )
            result[spec.code] = contract
            versions = {version.version: version for version in contract.sla_versions.all()}
            for version in spec.sla_versions:
                self._upsert(
                    "sla_versions",
                    SlaVersion,
                    versions.get(version.version),
                    key={"contract": contract, "version": version.version},
                    values={"start_date": version.start_date, "title": version.title},
                )
            in_file_versions = {version.version for version in spec.sla_versions}
            absent_versions += [
                f"{spec.code} {name}" for name in sorted(versions) if name not in in_file_versions
            ]
            figures = {figure.year: figure for figure in contract.index_figures.all()}
            for figure in spec.index_figures:
                self._upsert(
                    "index_figures",
                    IndexFigure,
                    figures.get(figure.year),
                    key={"contract": contract, "year": figure.year},
                    values={
                        "cao_lonen_index": figure.cao_lonen_index,
                        "cpi_jaarmutatie": figure.cpi_jaarmutatie,
                    },
                )
            in_file_years = {figure.year for figure in spec.index_figures}
            absent_figures += [
                f"{spec.code} {year}" for year in sorted(figures) if year not in in_file_years
            ]
        in_file = {spec.code for spec in self.definition.contracts}
        self._absent("contracts", sorted(code for code in result if code not in in_file))
        self._absent("sla_versions", absent_versions)
        self._absent("index_figures", absent_figures)
        return result

    def _products(
        self, contracts: dict[str, Contract], groepen: dict[str, Referentiegroep]
    ) -> None:
        existing = {
            (product.contract.code, product.categorie, product.code): product
            for product in Product.objects.select_related("contract")
        }
        absent_tariffs: list[str] = []
        for spec in self.definition.products:
            product = existing.get(spec.key)
            if spec.details is None:
                if product is None:  # pragma: no cover - the schema stage refuses this
                    raise AssertionError(f"unknown product {spec.key}")
                self.report.unchanged["products"] += 1
            else:
                details = spec.details
                product = self._upsert(
                    "products",
                    Product,
                    product,
                    key={
                        "contract": contracts[spec.contract],
                        "categorie": spec.categorie,
                        "code": spec.code,
                    },
                    values={
                        "description": details.description,
                        "eenheid": details.eenheid,
                        "product_group": details.product_group,
                        "referentiegroep_id": groepen[details.referentiegroep].pk,
                        "intensity_rank": details.intensity_rank,
                    },
                )
            absent_tariffs += self._tariffs(spec, product)
        in_file = set(spec.key for spec in self.definition.products)
        self._absent(
            "products", [_product_label(*key) for key in sorted(existing) if key not in in_file]
        )
        self._absent("tariffs", absent_tariffs)

    def _tariffs(self, spec: ProductSpec, product: Product) -> list[str]:
        default_price_per = spec.price_per or product.eenheid
        tariffs = {tariff.year: tariff for tariff in product.tariffs.all()}
        for tariff in spec.tariffs:
            self._upsert(
                "tariffs",
                Tariff,
                tariffs.get(tariff.year),
                key={"product": product, "year": tariff.year},
                values={"price": tariff.price, "price_per": tariff.price_per or default_price_per},
            )
        years = {tariff.year for tariff in spec.tariffs}
        label = _product_label(*spec.key)
        return [f"{label} {year}" for year in sorted(tariffs) if year not in years]

    def _norms(self, groepen: dict[str, Referentiegroep]) -> None:
        existing = {
            (norm.kpi_code, norm.referentiegroep.code, norm.year): norm
            for norm in Norm.objects.select_related("referentiegroep")
        }
        for spec in self.definition.norms:
            self._upsert(
                "norms",
                Norm,
                existing.get(spec.key),
                key={
                    "kpi_code": spec.kpi,
                    "referentiegroep": groepen[spec.referentiegroep],
                    "year": spec.year,
                },
                values={
                    "kind": spec.kind,
                    "value": spec.value,
                    "direction": spec.direction,
                    "status": spec.status,
                    "method": spec.method,
                    "base_period": spec.base_period,
                    "source": spec.source,
                },
            )
        in_file = {spec.key for spec in self.definition.norms}
        self._absent(
            "norms",
            [
                f"{kpi} {groep} {year}"
                for kpi, groep, year in sorted(existing)
                if (kpi, groep, year) not in in_file
            ],
        )

    def _absent(self, kind: str, labels: list[str]) -> None:
        if labels:
            self.report.not_in_file[kind] = labels


def contract_definition_load_text(
    *, text: str, file: str, actor: Any = None, dry_run: bool = False
) -> LoadReport:
    """Load a contract definition from YAML text; see the module docstring for the rules.

    ``file`` names the source in errors and in the audit log. With ``dry_run`` everything is done
    inside a transaction that is rolled back: the report says what a real load would change.
    """
    report = LoadReport(file=file, dry_run=dry_run)
    with transaction.atomic():
        definition = parse_contract_definition(text, file=file, known=_known_keys())
        writer = _Writer(definition, report, file_name=Path(file).name, actor=actor)
        errors = writer.conflicts()
        if errors:
            raise ContractFileInvalid(errors, file)
        writer.write()
        if report.changed:
            audit_log(
                action=AuditAction.CONTRACTS_LOADED,
                actor=actor,
                object_type="contracts.definition",
                object_repr=Path(file).name,
                extra={
                    **writer.extra,
                    "created": {k: v for k, v in report.created.items() if v},
                    "updated": {k: v for k, v in report.updated.items() if v},
                },
            )
        if dry_run:
            transaction.set_rollback(True)
    return report


def contract_definition_load(*, path: Path, actor: Any = None, dry_run: bool = False) -> LoadReport:
    """Load the contract definition file at ``path`` (all-or-nothing, idempotent)."""
    file = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ContractFileInvalid(
                [ContractFileError("", f"bestand is te groot; de grens is {MAX_FILE_BYTES} bytes")],
                file,
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ContractFileInvalid(
            [ContractFileError("", f"kan het bestand niet lezen: {exc.strerror or exc}")], file
        ) from exc
    text = decode_contract_bytes(data, file=file)
    return contract_definition_load_text(text=text, file=file, actor=actor, dry_run=dry_run)


# --------------------------------------------------------------------------------------------
# Dumping
# --------------------------------------------------------------------------------------------


class _Quoted(str):
    """A string the dump always writes in double quotes (codes, prices)."""

    __slots__ = ()


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key, as people write YAML by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_quoted(dumper: yaml.SafeDumper, data: _Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


_Dumper.add_representer(_Quoted, _represent_quoted)

_DUMP_HEADER = (
    "# wmo-sla contractdefinitie, formaat: docs/contract-yaml.md\n"
    "# Gemaakt met 'wmo-sla contracts dump'; inlezen met 'wmo-sla contracts load BESTAND'.\n"
)


def _dump_calendar(calendar: HolidayCalendar) -> dict[str, Any]:
    stored = {holiday.date: holiday.name for holiday in calendar.holidays.all()}
    data: dict[str, Any] = {"code": _Quoted(calendar.code), "name": calendar.name}
    generated: dict[dt.date, str] = {}
    rule = RULES.get(calendar.rule)
    if calendar.rule:
        data["rule"] = calendar.rule
    if rule is not None and stored:
        years = _covered_years(rule, stored)
        if years is not None:
            data["years"] = {"from": years[0], "to": years[1]}
            generated = dict(rule(range(years[0], years[1] + 1)))
    data["dates"] = [
        {"date": day, "name": name}
        for day, name in sorted(stored.items())
        if generated.get(day) != name
    ]
    return data


def _covered_years(rule: HolidayRule, stored: dict[dt.date, str]) -> tuple[int, int] | None:
    """The longest run of years whose generated dates are all stored (names may differ)."""
    first_year, last_year = min(stored).year, max(stored).year
    try:
        full = [
            year
            for year in range(first_year, last_year + 1)
            if all(day in stored for day, _ in rule([year]))
        ]
    except ValueError:  # years before the rule's first year
        full = []
    best: tuple[int, int] | None = None
    run_start: int | None = None
    for i, year in enumerate(full):
        if run_start is None or year != full[i - 1] + 1:
            run_start = year
        if best is None or year - run_start > best[1] - best[0]:
            best = (run_start, year)
    return best


def _dump_product(product: Product) -> dict[str, Any]:
    tariffs = sorted(product.tariffs.all(), key=lambda tariff: tariff.year)
    data: dict[str, Any] = {
        "contract": _Quoted(product.contract.code),
        "categorie": _Quoted(product.categorie),
        "code": _Quoted(product.code),
        "description": product.description,
        "eenheid": _Quoted(product.eenheid),
        "product_group": _Quoted(product.product_group),
        "referentiegroep": _Quoted(product.referentiegroep.code),
        "intensity_rank": product.intensity_rank,
    }
    price_pers = {tariff.price_per for tariff in tariffs}
    default = product.eenheid
    if len(price_pers) == 1 and product.eenheid not in price_pers:
        default = price_pers.pop()
        data["price_per"] = _Quoted(default)
    data["tariffs"] = {
        tariff.year: (
            _Quoted(str(tariff.price))
            if tariff.price_per == default
            else {"price": _Quoted(str(tariff.price)), "price_per": _Quoted(tariff.price_per)}
        )
        for tariff in tariffs
    }
    if product.intensity_rank is None:
        del data["intensity_rank"]
    return data


def _dump_contract(contract: Contract) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": _Quoted(contract.code),
        "name": contract.name,
        "kind": _Quoted(contract.kind),
        "start_date": contract.start_date,
    }
    if contract.end_date is not None:
        data["end_date"] = contract.end_date
    data["holiday_calendar"] = _Quoted(contract.holiday_calendar.code)
    data["gemeenten"] = [
        _Quoted(code) for code in sorted(contract.gemeenten.values_list("cbs_code", flat=True))
    ]
    data["aanbieders"] = sorted(contract.aanbieders.values_list("name", flat=True))
    data["sla_versions"] = [
        {
            "version": _Quoted(version.version),
            "start_date": version.start_date,
            "title": version.title,
        }
        for version in contract.sla_versions.order_by("start_date", "version")
    ]
    figures = list(contract.index_figures.order_by("year"))
    if contract.indexation_method != IndexationMethod.NONE or figures:
        data["indexation"] = {
            "method": contract.indexation_method,
            "figures": [
                {
                    "year": figure.year,
                    "cao_lonen_index": _Quoted(str(figure.cao_lonen_index)),
                    "cpi_jaarmutatie": _Quoted(str(figure.cpi_jaarmutatie)),
                }
                for figure in figures
            ],
        }
    return data


def contract_definition_dump() -> str:
    """All contract master data as YAML in exactly the load format; loading it back is a no-op.

    Deterministic: the same database gives the same bytes (sorted by natural keys, no timestamps).
    """
    data: dict[str, Any] = {"version": FORMAT_VERSION}
    data["holiday_calendars"] = [
        _dump_calendar(calendar)
        for calendar in HolidayCalendar.objects.prefetch_related("holidays").order_by("code")
    ]
    data["gemeenten"] = [
        {"cbs": _Quoted(gemeente.cbs_code), "name": gemeente.name}
        for gemeente in Gemeente.objects.order_by("cbs_code")
    ]
    data["aanbieders"] = [
        {
            "name": aanbieder.name,
            "agb_codes": [
                _Quoted(code) for code in sorted(a.code for a in aanbieder.agb_codes.all())
            ],
        }
        for aanbieder in Aanbieder.objects.prefetch_related("agb_codes").order_by("name")
    ]
    data["referentiegroepen"] = [
        {"code": _Quoted(groep.code), "name": groep.name, "description": groep.description}
        for groep in Referentiegroep.objects.order_by("code")
    ]
    data["contracts"] = [
        _dump_contract(contract)
        for contract in Contract.objects.select_related("holiday_calendar").order_by("code")
    ]
    data["products"] = [
        _dump_product(product)
        for product in Product.objects.select_related("contract", "referentiegroep")
        .prefetch_related("tariffs")
        .order_by("contract__code", "categorie", "code")
    ]
    data["norms"] = [
        _dump_norm(norm)
        for norm in Norm.objects.select_related("referentiegroep").order_by(
            "kpi_code", "referentiegroep__code", "year"
        )
    ]
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return _DUMP_HEADER + body


def _dump_norm(norm: Norm) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kpi": _Quoted(norm.kpi_code),
        "referentiegroep": _Quoted(norm.referentiegroep.code),
        "year": norm.year,
        "kind": norm.kind,
        "value": _Quoted(plain_decimal(norm.value)),
        "direction": norm.direction,
        "status": norm.status,
    }
    for name in ("method", "base_period", "source"):
        if getattr(norm, name):
            data[name] = getattr(norm, name)
    return data


# --------------------------------------------------------------------------------------------
# Tariff indexation
# --------------------------------------------------------------------------------------------


class IndexationUnavailable(Exception):
    """The contract has no indexation rule or lacks the figures; the message is Dutch."""


@dataclass(frozen=True)
class TariffProposal:
    product: Product
    year: int
    base_price: Decimal  # the tariff of year - 1
    price_per: str
    percentage: Decimal
    proposed_price: Decimal
    current_price: Decimal | None  # the tariff of ``year`` that exists now, if any

    @property
    def differs(self) -> bool:
        return self.current_price != self.proposed_price


def _september_figures(contract: Contract) -> list[SeptemberFigures]:
    return [
        SeptemberFigures(figure.year, figure.cao_lonen_index, figure.cpi_jaarmutatie)
        for figure in contract.index_figures.all()
    ]


def tariff_indexation_propose(*, contract: Contract, year: int) -> list[TariffProposal]:
    """Proposed tariffs of ``year`` for every product of ``contract`` with a tariff in year - 1.

    Uses the contract's index figures of September ``year - 1`` and ``year - 2``
    (see :mod:`.indexation`). Raises :class:`IndexationUnavailable` when that is not possible.
    """
    if contract.indexation_method != IndexationMethod.CAO_CPI_SEPTEMBER:
        raise IndexationUnavailable(f"Contract {contract.code} heeft geen indexatieregel.")
    try:
        pct = percentage_for_tariff_year(_september_figures(contract), year)
    except MissingIndexFigures as exc:
        raise IndexationUnavailable(f"Contract {contract.code}: {exc}") from exc
    proposals = []
    for product in contract.products.prefetch_related("tariffs").order_by("categorie", "code"):
        tariffs = {tariff.year: tariff for tariff in product.tariffs.all()}
        base = tariffs.get(year - 1)
        if base is None:
            continue
        current = tariffs.get(year)
        proposals.append(
            TariffProposal(
                product=product,
                year=year,
                base_price=base.price,
                price_per=base.price_per,
                percentage=pct,
                proposed_price=propose_tariff(base.price, pct),
                current_price=current.price if current is not None else None,
            )
        )
    return proposals


def tariff_indexation_apply(*, contract: Contract, year: int, actor: Any = None) -> int:
    """Write the proposed tariffs of ``year``; returns how many tariffs were created or changed."""
    written = 0
    with transaction.atomic():
        for proposal in tariff_indexation_propose(contract=contract, year=year):
            tariff = Tariff.objects.filter(product=proposal.product, year=year).first()
            extra = {
                "via": VIA_INDEXATION,
                "contract": contract.code,
                "percentage": str(proposal.percentage),
            }
            if tariff is None:
                tariff = Tariff.objects.create(
                    product=proposal.product,
                    year=year,
                    price=proposal.proposed_price,
                    price_per=proposal.price_per,
                )
                audit_log(
                    action=AuditAction.CREATE,
                    actor=actor,
                    obj=tariff,
                    changes=model_changes(None, snapshot(tariff)),
                    extra=extra,
                )
                written += 1
            elif tariff.price != proposal.proposed_price or tariff.price_per != proposal.price_per:
                before = snapshot(tariff)
                tariff.price = proposal.proposed_price
                tariff.price_per = proposal.price_per
                tariff.save(update_fields=["price", "price_per"])
                audit_log(
                    action=AuditAction.UPDATE,
                    actor=actor,
                    obj=tariff,
                    changes=model_changes(before, snapshot(tariff)),
                    extra=extra,
                )
                written += 1
    return written
