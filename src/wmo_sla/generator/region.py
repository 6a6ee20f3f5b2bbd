# SPDX-License-Identifier: EUPL-1.2
"""The synthetic region read from a contract definition: gemeenten, providers, product groups.

Reads the contract with :func:`wmo_sla.contracts.yaml_schema.parse_contract_definition` (pure,
no database). A product takes part when it has an ``intensity_rank``, a weekly unit the
generator can plan (uur, dagdeel, etmaal), a price per that same unit, and a tariff in every year
of the generated range. Its product group becomes a *group* of the region; providers are the
first ``providers`` aanbieders of the contract file, in file order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from wmo_sla.contracts.holiday_rules import RULES, algemene_termijnenwet
from wmo_sla.contracts.yaml_schema import (
    ContractDefinition,
    ContractFileInvalid,
    parse_contract_definition,
)

from .model import ProductInfo
from .personas import Persona, assign_personas
from .werkdagen import WerkdagCalendar

WEEKLY_UNITS = ("04", "16", "14")  # uur, dagdeel, etmaal


class GeneratorError(ValueError):
    """A problem with the arguments or the contract file; the message is Dutch, for the user."""


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupParams:
    """Behaviour of a product group that does not depend on the provider."""

    plan_days: tuple[int, ...]  # possible toewijzing lengths in days
    duration_median: int  # median natural trajectory duration in days (× persona factor)
    norm_in_days: bool  # wait norm in calendar days (BW) instead of werkdagen
    norm: int  # 10 werkdagen or 91 days
    p_death: float
    p_move: float
    p_wlz: float
    p_gemeente: float
    age_range: tuple[int, int]
    new_client_weight: float


GROUP_PARAMS: dict[str, GroupParams] = {
    "02": GroupParams(
        plan_days=(182, 365, 365),
        duration_median=300,
        norm_in_days=False,
        norm=10,
        p_death=0.03,
        p_move=0.04,
        p_wlz=0.03,
        p_gemeente=0.02,
        age_range=(18, 80),
        new_client_weight=0.55,
    ),
    "07": GroupParams(
        plan_days=(365,),
        duration_median=420,
        norm_in_days=False,
        norm=10,
        p_death=0.06,
        p_move=0.03,
        p_wlz=0.06,
        p_gemeente=0.02,
        age_range=(18, 90),
        new_client_weight=0.30,
    ),
    "15": GroupParams(
        plan_days=(730, 1095),
        duration_median=800,
        norm_in_days=True,
        norm=91,
        p_death=0.02,
        p_move=0.03,
        p_wlz=0.08,
        p_gemeente=0.02,
        age_range=(18, 70),
        new_client_weight=0.15,
    ),
}
DEFAULT_GROUP_PARAMS = GROUP_PARAMS["02"]


def group_params(group: str) -> GroupParams:
    return GROUP_PARAMS.get(group, DEFAULT_GROUP_PARAMS)


@dataclass(frozen=True, slots=True, kw_only=True)
class Provider:
    index: int
    name: str
    persona: Persona
    agb_codes: tuple[str, ...]  # all codes of the aanbieder (contract order)
    agb_by_group: dict[str, str]  # the code this provider uses per product group


@dataclass(frozen=True, slots=True, kw_only=True)
class Group:
    code: str
    products: tuple[ProductInfo, ...]  # by rank, lightest first
    gemeenten: tuple[str, ...]  # CBS codes of the contracts with these products
    providers: tuple[str, ...]  # selected provider names with a contract for this group
    params: GroupParams


@dataclass(frozen=True, slots=True, kw_only=True)
class Region:
    gemeenten: dict[str, str]  # CBS -> name
    providers: dict[str, Provider]  # by name, in contract order
    all_aanbieders: tuple[str, ...]
    groups: dict[str, Group]  # by product group code, sorted
    calendar: WerkdagCalendar
    contract_file: str


def _cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def _calendar(
    definition: ContractDefinition, contract_codes: list[str], first: date, last: date
) -> WerkdagCalendar:
    wanted = ""
    for contract in definition.contracts:
        if contract.code in contract_codes and contract.holiday_calendar:
            wanted = contract.holiday_calendar
            break
    years = range(first.year, last.year + 1)
    holidays: set[date] = set()
    spec = next((c for c in definition.holiday_calendars if c.code == wanted), None)
    if spec is None:
        holidays.update(day for day, _ in algemene_termijnenwet(years))
    else:
        if spec.rule:
            holidays.update(day for day, _ in RULES[spec.rule](years))
        holidays.update(h.day for h in spec.dates)
    return WerkdagCalendar(holidays, first, last)


_PARSED: dict[tuple[str, bytes], ContractDefinition] = {}


def read_contract(contract_yaml: Path) -> ContractDefinition:
    """Parse the contract file (pure); parsed definitions are cached per path and content."""
    try:
        data = contract_yaml.read_bytes()
    except OSError as exc:
        raise GeneratorError(f"Contractbestand niet leesbaar: {contract_yaml} ({exc})") from exc
    key = (str(contract_yaml.resolve()), data)
    if key not in _PARSED:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise GeneratorError(f"Contractbestand is geen UTF-8: {contract_yaml}") from exc
        try:
            _PARSED[key] = parse_contract_definition(text, file=str(contract_yaml))
        except ContractFileInvalid as exc:
            raise GeneratorError(f"Contractbestand ongeldig:\n{exc}") from exc
    return _PARSED[key]


def load_region(contract_yaml: Path, *, providers: int, date_from: date, date_to: date) -> Region:
    definition = read_contract(contract_yaml)
    return build_region(
        definition,
        providers=providers,
        date_from=date_from,
        date_to=date_to,
        contract_file=contract_yaml.name,
    )


def build_region(
    definition: ContractDefinition,
    *,
    providers: int,
    date_from: date,
    date_to: date,
    contract_file: str = "<contract>",
) -> Region:
    names = tuple(a.name for a in definition.aanbieders)
    if not names:
        raise GeneratorError("Het contractbestand bevat geen aanbieders.")
    if providers < 1 or providers > len(names):
        raise GeneratorError(
            f"--providers moet tussen 1 en {len(names)} liggen (het aantal aanbieders in het "
            f"contract); gevraagd: {providers}."
        )
    selected = names[:providers]
    personas = assign_personas(names)
    years = range(date_from.year, date_to.year + 1)

    contracts = {c.code: c for c in definition.contracts}
    products_by_group: dict[str, list[ProductInfo]] = {}
    contracts_by_group: dict[str, list[str]] = {}
    for spec in definition.products:
        details = spec.details
        if details is None or details.intensity_rank is None:
            continue
        if details.eenheid not in WEEKLY_UNITS or spec.contract not in contracts:
            continue
        tariffs: dict[int, int] = {}
        for tariff in spec.tariffs:
            per = tariff.price_per or spec.price_per or details.eenheid
            if per == details.eenheid:
                tariffs[tariff.year] = _cents(tariff.price)
        if any(year not in tariffs for year in years):
            continue
        product = ProductInfo(
            categorie=spec.categorie,
            code=spec.code,
            eenheid=details.eenheid,
            group=details.product_group,
            rank=details.intensity_rank,
            description=details.description,
            tariffs=tariffs,
        )
        products_by_group.setdefault(details.product_group, []).append(product)
        contracts_by_group.setdefault(details.product_group, [])
        if spec.contract not in contracts_by_group[details.product_group]:
            contracts_by_group[details.product_group].append(spec.contract)

    # provider -> groups in contract-file order, for the AGB code per group
    groups_of_provider: dict[str, list[str]] = {name: [] for name in names}
    for contract in definition.contracts:
        for group, codes in sorted(contracts_by_group.items()):
            if contract.code in codes:
                for name in contract.aanbieders or ():
                    if name in groups_of_provider and group not in groups_of_provider[name]:
                        groups_of_provider[name].append(group)

    agb_of = {a.name: a.agb_codes for a in definition.aanbieders}
    provider_map: dict[str, Provider] = {}
    for index, name in enumerate(selected):
        agb_codes = agb_of[name]
        agb_by_group = {
            group: agb_codes[i % len(agb_codes)] for i, group in enumerate(groups_of_provider[name])
        }
        provider_map[name] = Provider(
            index=index,
            name=name,
            persona=personas[name],
            agb_codes=agb_codes,
            agb_by_group=agb_by_group,
        )

    groups: dict[str, Group] = {}
    for code in sorted(products_by_group):
        gemeenten: list[str] = []
        members: list[str] = []
        for contract_code in contracts_by_group[code]:
            contract = contracts[contract_code]
            for cbs in contract.gemeenten:
                if cbs not in gemeenten:
                    gemeenten.append(cbs)
        members = [name for name in selected if code in provider_map[name].agb_by_group]
        if not members or not gemeenten:
            continue
        products = tuple(sorted(products_by_group[code], key=lambda p: (p.rank, p.code)))
        groups[code] = Group(
            code=code,
            products=products,
            gemeenten=tuple(gemeenten),
            providers=tuple(members),
            params=group_params(code),
        )
    if not groups:
        raise GeneratorError(
            "Geen enkele productgroep heeft een gekozen aanbieder en tarieven voor elk jaar van "
            f"{date_from.year} tot en met {date_to.year}."
        )
    calendar = _calendar(
        definition,
        [c for codes in contracts_by_group.values() for c in codes],
        date_from - timedelta(days=800),
        date_to + timedelta(days=5 * 366),
    )
    return Region(
        gemeenten={g.cbs_code: g.name for g in definition.gemeenten},
        providers=provider_map,
        all_aanbieders=names,
        groups=groups,
        calendar=calendar,
        contract_file=contract_file,
    )
