# SPDX-License-Identifier: EUPL-1.2
"""The contract definition file (YAML): parse and validate into frozen dataclasses. Pure: no ORM.

The format is documented in ``docs/contract-yaml.md``. This module reads the text, refuses what is
unsafe or ambiguous, and reports *every* problem it finds, each with the path inside the file
(``gemeenten[2].cbs``, ``products[3].tariffs[2019]``) and a Dutch message. References are checked
against the file itself plus, optionally, the keys that already exist in the database
(:class:`KnownKeys`), so a file may hold only part of the master data.

Safety: the text is limited to :data:`MAX_FILE_BYTES`; YAML aliases (``*name``) are refused, which
rules out "billion laughs" expansion; only the plain YAML types are accepted (no ``!!python``
tags); duplicate keys in a mapping are an error instead of the silent last-one-wins of PyYAML.

Codes are strings. YAML reads an unquoted ``0505`` as the octal number 325 and ``1978`` as a
number, so an unquoted code is an error that says to quote it, instead of a silently wrong code.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Final, Self

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from wmo_sla.kpis import registry

from .constants import (
    ContractKind,
    Eenheid,
    IndexationMethod,
    NormDirection,
    NormKind,
    NormStatus,
)
from .holiday_rules import FIRST_SUPPORTED_YEAR, RULES
from .indexation import SeptemberFigures

MAX_FILE_BYTES: Final = 5 * 1024 * 1024
FORMAT_VERSION: Final = 1
MIN_YEAR: Final = 1990
MAX_YEAR: Final = 2100
MAX_CALENDAR_YEARS: Final = 100

CBS_RE: Final = re.compile(r"\d{4}")
AGB_RE: Final = re.compile(r"\d{8}")
CATEGORIE_RE: Final = re.compile(r"\d{2}")
PRODUCT_CODE_RE: Final = re.compile(r"[0-9A-Za-z]{0,5}")
KEY_CODE_RE: Final = re.compile(r"\S(.{0,48}\S)?")
SLUG_RE: Final = re.compile(r"[-a-zA-Z0-9_]{1,50}")
SLA_VERSION_RE: Final = re.compile(r"\S.{0,49}")
ISO_DATE_RE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
DECIMAL_RE: Final = re.compile(r"[+-]?\d+(\.\d+)?")

TOP_LEVEL_KEYS: Final = (
    "version",
    "holiday_calendars",
    "gemeenten",
    "aanbieders",
    "referentiegroepen",
    "contracts",
    "products",
    "norms",
)


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContractFileError:
    """One problem in a contract file: where (``path`` inside the file) and what (Dutch)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ContractFileInvalid(Exception):
    """The file cannot be loaded. ``str()`` gives one ``FILE: PATH: MESSAGE`` line per error."""

    def __init__(self, errors: Sequence[ContractFileError], file: str) -> None:
        self.errors = list(errors)
        self.file = file
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(f"{self.file}: {error}" for error in self.errors)


# --------------------------------------------------------------------------------------------
# The parsed definition
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HolidaySpec:
    day: dt.date
    name: str


@dataclass(frozen=True, slots=True)
class HolidayCalendarSpec:
    path: str
    code: str
    name: str
    rule: str  # "" when the calendar has only explicit dates
    years: tuple[int, int] | None  # inclusive range the rule generates
    dates: tuple[HolidaySpec, ...]

    def holidays(self) -> tuple[HolidaySpec, ...]:
        """Generated dates plus explicit ones; an explicit date overrides a generated name."""
        by_day: dict[dt.date, str] = {}
        if self.rule and self.years is not None:
            first, last = self.years
            by_day.update(RULES[self.rule](range(first, last + 1)))
        by_day.update({holiday.day: holiday.name for holiday in self.dates})
        return tuple(HolidaySpec(day, name) for day, name in sorted(by_day.items()))


@dataclass(frozen=True, slots=True)
class GemeenteSpec:
    path: str
    cbs_code: str
    name: str


@dataclass(frozen=True, slots=True)
class AanbiederSpec:
    path: str
    name: str
    agb_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReferentiegroepSpec:
    path: str
    code: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class SlaVersionSpec:
    path: str
    version: str
    start_date: dt.date
    title: str


@dataclass(frozen=True, slots=True)
class IndexFigureSpec:
    path: str
    year: int
    cao_lonen_index: Decimal
    cpi_jaarmutatie: Decimal

    def as_september_figures(self) -> SeptemberFigures:
        return SeptemberFigures(self.year, self.cao_lonen_index, self.cpi_jaarmutatie)


@dataclass(frozen=True, slots=True)
class ContractSpec:
    path: str
    code: str
    name: str
    kind: str
    start_date: dt.date
    end_date: dt.date | None
    holiday_calendar: str
    gemeenten: tuple[str, ...]  # CBS codes
    aanbieders: tuple[str, ...] | None  # aanbieder names; None: key absent, keep as is
    sla_versions: tuple[SlaVersionSpec, ...]
    indexation_method: str
    index_figures: tuple[IndexFigureSpec, ...]


@dataclass(frozen=True, slots=True)
class TariffSpec:
    path: str
    year: int
    price: Decimal
    price_per: str | None  # None: the product's price_per, else its eenheid


@dataclass(frozen=True, slots=True)
class ProductDetails:
    description: str
    eenheid: str
    product_group: str
    referentiegroep: str
    intensity_rank: int | None


@dataclass(frozen=True, slots=True)
class ProductSpec:
    path: str
    contract: str
    categorie: str
    code: str
    details: ProductDetails | None  # None: tariffs only, for a product that already exists
    price_per: str | None
    tariffs: tuple[TariffSpec, ...]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.contract, self.categorie, self.code)


@dataclass(frozen=True, slots=True)
class NormSpec:
    path: str
    kpi: str
    referentiegroep: str
    year: int
    kind: str
    value: Decimal
    direction: str
    status: str
    method: str
    base_period: str
    source: str

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.kpi, self.referentiegroep, self.year)


@dataclass(frozen=True, slots=True)
class ContractDefinition:
    version: int
    holiday_calendars: tuple[HolidayCalendarSpec, ...] = ()
    gemeenten: tuple[GemeenteSpec, ...] = ()
    aanbieders: tuple[AanbiederSpec, ...] = ()
    referentiegroepen: tuple[ReferentiegroepSpec, ...] = ()
    contracts: tuple[ContractSpec, ...] = ()
    products: tuple[ProductSpec, ...] = ()
    norms: tuple[NormSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class KnownKeys:
    """Natural keys that exist outside the file (in the database); references may point there."""

    gemeenten: frozenset[str] = frozenset()
    aanbieders: frozenset[str] = frozenset()
    referentiegroepen: frozenset[str] = frozenset()
    contracts: frozenset[str] = frozenset()
    holiday_calendars: frozenset[str] = frozenset()
    products: frozenset[tuple[str, str, str]] = field(default_factory=frozenset)


# --------------------------------------------------------------------------------------------
# Reading YAML safely, keeping the source text of numbers
# --------------------------------------------------------------------------------------------


class YamlInt(int):
    """An int read from YAML that remembers how it was written (``0505`` reads as 325)."""

    source: str

    def __new__(cls, value: int, source: str) -> Self:
        obj = super().__new__(cls, value)
        obj.source = source
        return obj


class YamlFloat(float):
    """A float read from YAML that remembers how it was written, for exact decimals."""

    source: str

    def __new__(cls, value: float, source: str) -> Self:
        obj = super().__new__(cls, value)
        obj.source = source
        return obj


class _AliasRefused(yaml.MarkedYAMLError):
    pass


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases; we only compose nodes and convert them ourselves."""

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _AliasRefused(problem="alias", problem_mark=event.start_mark)
        return super().compose_node(parent, index)


class _Invalid:
    """Marker for a value that was already reported as an error."""

    def __repr__(self) -> str:
        return "<ongeldig>"


INVALID: Final = _Invalid()

_TAG = "tag:yaml.org,2002:"
_COLLECTION_TAGS: Final = frozenset({_TAG + "map", _TAG + "seq"})
_constructor = SafeConstructor()


def _child_path(path: str, key: object) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


class _Converter:
    """Node tree -> plain Python values, reporting duplicate keys and unsupported types."""

    def __init__(self, errors: list[ContractFileError]) -> None:
        self.errors = errors

    def convert(self, node: Node, path: str) -> object:
        if isinstance(node, MappingNode | SequenceNode) and node.tag not in _COLLECTION_TAGS:
            self.errors.append(
                ContractFileError(
                    path, f"YAML-type {node.tag} wordt niet ondersteund (regel {_line(node)})"
                )
            )
            return INVALID
        if isinstance(node, MappingNode):
            result: dict[object, object] = {}
            for key_node, value_node in node.value:
                key = self._key(key_node, path)
                if isinstance(key, _Invalid):
                    continue
                child = _child_path(path, key)
                if key in result:
                    self.errors.append(
                        ContractFileError(
                            child, f"dubbele sleutel '{key}' (regel {_line(key_node)})"
                        )
                    )
                    continue
                result[key] = self.convert(value_node, child)
            return result
        if isinstance(node, SequenceNode):
            return [self.convert(item, f"{path}[{i}]") for i, item in enumerate(node.value)]
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        self.errors.append(ContractFileError(path, "onbekend YAML-element"))  # pragma: no cover
        return INVALID  # pragma: no cover

    def _key(self, node: Node, path: str) -> object:
        if not isinstance(node, ScalarNode) or node.tag == _TAG + "merge":
            self.errors.append(
                ContractFileError(
                    path, f"alleen eenvoudige sleutels zijn toegestaan (regel {_line(node)})"
                )
            )
            return INVALID
        key = self._scalar(node, path)
        if isinstance(key, bool) or key is None or not isinstance(key, str | int):
            self.errors.append(
                ContractFileError(path, f"ongeldige sleutel '{node.value}' (regel {_line(node)})")
            )
            return INVALID
        return key

    def _scalar(self, node: ScalarNode, path: str) -> object:
        tag = node.tag
        try:
            if tag == _TAG + "str":
                return str(node.value)
            if tag == _TAG + "null":
                return None
            if tag == _TAG + "bool":
                return _constructor.construct_yaml_bool(node)
            if tag == _TAG + "int":
                return YamlInt(_constructor.construct_yaml_int(node), str(node.value))
            if tag == _TAG + "float":
                return YamlFloat(_constructor.construct_yaml_float(node), str(node.value))
            if tag == _TAG + "timestamp":
                return _constructor.construct_yaml_timestamp(node)
        except (ValueError, ConstructorError):
            self.errors.append(
                ContractFileError(path, f"ongeldige waarde '{node.value}' (regel {_line(node)})")
            )
            return INVALID
        self.errors.append(
            ContractFileError(path, f"YAML-type {tag} wordt niet ondersteund (regel {_line(node)})")
        )
        return INVALID


def decode_contract_bytes(data: bytes, *, file: str) -> str:
    """Check the size and decode UTF-8 (a BOM is allowed); raise ContractFileInvalid otherwise."""
    if len(data) > MAX_FILE_BYTES:
        raise ContractFileInvalid(
            [
                ContractFileError(
                    "",
                    f"bestand is te groot ({len(data)} bytes); de grens is {MAX_FILE_BYTES} bytes",
                )
            ],
            file,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContractFileInvalid(
            [ContractFileError("", f"bestand is geen geldige UTF-8-tekst (byte {exc.start})")], file
        ) from exc


def _read_yaml(text: str, errors: list[ContractFileError]) -> object:
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        errors.append(
            ContractFileError("", f"bestand is te groot; de grens is {MAX_FILE_BYTES} bytes")
        )
        return INVALID
    try:
        node = yaml.compose(text, Loader=_Loader)
    except _AliasRefused as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        errors.append(
            ContractFileError(
                "",
                f"YAML-verwijzingen (&anker en *alias) zijn niet toegestaan (regel {line}); "
                "schrijf de waarden uit",
            )
        )
        return INVALID
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" (regel {mark.line + 1}, kolom {mark.column + 1})" if mark else ""
        errors.append(ContractFileError("", f"geen geldige YAML{where}: {exc.problem}"))
        return INVALID
    except yaml.YAMLError as exc:
        errors.append(ContractFileError("", f"geen geldige YAML: {exc}"))
        return INVALID
    except RecursionError:
        errors.append(ContractFileError("", "YAML is te diep genest"))
        return INVALID
    if node is None:
        errors.append(ContractFileError("", "bestand is leeg"))
        return INVALID
    try:
        return _Converter(errors).convert(node, "")
    except RecursionError:
        errors.append(ContractFileError("", "YAML is te diep genest"))
        return INVALID


# --------------------------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------------------------


def plain_decimal(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: ``Decimal("90.0000")`` -> ``"90"``."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def _describe(value: object) -> str:
    if value is None:
        return "een lege waarde"
    if isinstance(value, bool):
        return f"de ja/nee-waarde {str(value).lower()}"
    if isinstance(value, YamlInt | YamlFloat):
        return f"het getal {value.source}"
    if isinstance(value, int | float):
        return f"het getal {value}"
    if isinstance(value, str):
        return f"de tekst '{value}'"
    if isinstance(value, dt.datetime):
        return f"het tijdstip {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"de datum {value.isoformat()}"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, dict):
        return "een tabel (sleutel: waarde)"
    return type(value).__name__


class _Checker:
    def __init__(self, errors: list[ContractFileError]) -> None:
        self.errors = errors

    def add(self, path: str, message: str) -> None:
        self.errors.append(ContractFileError(path, message))

    @property
    def mark(self) -> int:
        return len(self.errors)

    def clean_since(self, mark: int) -> bool:
        return len(self.errors) == mark

    # structure ---------------------------------------------------------------------------

    def mapping(
        self, value: object, path: str, *, required: Sequence[str], optional: Sequence[str] = ()
    ) -> dict[str, object] | None:
        if isinstance(value, _Invalid):
            return None
        if not isinstance(value, dict):
            self.add(
                path,
                f"verwacht een tabel met sleutels {', '.join(required)}; vond {_describe(value)}",
            )
            return None
        allowed = [*required, *optional]
        result: dict[str, object] = {}
        for key, item in value.items():
            if isinstance(key, str) and key in allowed:
                result[key] = item
                continue
            hint = difflib.get_close_matches(str(key), allowed, n=1)
            suggestion = f" (bedoelt u '{hint[0]}'?)" if hint else ""
            self.add(
                _child_path(path, key),
                f"onbekende sleutel '{key}'{suggestion}; toegestaan: {', '.join(allowed)}",
            )
        for key in required:
            if key not in result:
                self.add(_child_path(path, key), "ontbreekt (verplicht)")
            elif result[key] is None:
                self.add(_child_path(path, key), "is leeg (verplicht)")
        return result

    def sequence(self, value: object, path: str, *, optional: bool = False) -> list[object] | None:
        if isinstance(value, _Invalid):
            return None
        if value is None and optional:
            return []
        if not isinstance(value, list):
            self.add(path, f"verwacht een lijst; vond {_describe(value)}")
            return None
        return value

    # scalars -----------------------------------------------------------------------------

    def text(
        self, value: object, path: str, *, max_length: int, allow_empty: bool = False
    ) -> str | None:
        if isinstance(value, _Invalid) or value is None:
            return None  # None of a required key is reported by mapping()
        if not isinstance(value, str):
            hint = (
                "; zet de waarde tussen aanhalingstekens" if isinstance(value, int | float) else ""
            )
            self.add(path, f"verwacht tekst; vond {_describe(value)}{hint}")
            return None
        if not allow_empty and not value.strip():
            self.add(path, "is leeg")
            return None
        if len(value) > max_length:
            self.add(path, f"is te lang ({len(value)} tekens; hoogstens {max_length})")
            return None
        return value

    def optional_text(self, value: object, path: str, *, max_length: int) -> str | None:
        if value is None:
            return ""
        return self.text(value, path, max_length=max_length, allow_empty=True)

    def code(
        self,
        value: object,
        path: str,
        *,
        what: str,
        pattern: re.Pattern[str],
        rule: str,
        width: int | None = None,
    ) -> str | None:
        if isinstance(value, _Invalid) or value is None:
            return None
        if isinstance(value, YamlInt | YamlFloat):
            source = value.source
            suggestion = source.zfill(width) if width and source.isdigit() else source
            number = int(value) if isinstance(value, YamlInt) else value
            if str(number) == source:
                reading = f"zonder aanhalingstekens is {source} een getal in plaats van een code"
            else:
                octal = "octale " if source.startswith("0") and source.isdigit() else ""
                reading = (
                    f"zonder aanhalingstekens leest YAML {source} als het {octal}getal {number}"
                )
            self.add(
                path,
                f'{what} moet tussen aanhalingstekens staan, bijvoorbeeld "{suggestion}"; '
                f"{reading}",
            )
            return None
        if not isinstance(value, str):
            self.add(
                path, f"{what} moet tekst tussen aanhalingstekens zijn; vond {_describe(value)}"
            )
            return None
        if not pattern.fullmatch(value):
            self.add(path, f"ongeldige {what} '{value}': {rule}")
            return None
        return value

    def choice(self, value: object, path: str, *, what: str, choices: Sequence[str]) -> str | None:
        if isinstance(value, _Invalid) or value is None:
            return None
        if isinstance(value, str) and value in choices:
            return value
        shown = f"'{value}'" if isinstance(value, str) else _describe(value)
        quoted = "; codes staan tussen aanhalingstekens" if isinstance(value, int) else ""
        self.add(path, f"onbekende {what} {shown}; toegestaan: {', '.join(choices)}{quoted}")
        return None

    def integer(
        self, value: object, path: str, *, what: str, minimum: int, maximum: int
    ) -> int | None:
        if isinstance(value, _Invalid) or value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            hint = " (zonder aanhalingstekens)" if isinstance(value, str) else ""
            self.add(path, f"{what} moet een geheel getal zijn{hint}; vond {_describe(value)}")
            return None
        if not minimum <= value <= maximum:
            self.add(path, f"{what} {value} ligt niet tussen {minimum} en {maximum}")
            return None
        return int(value)

    def year(self, value: object, path: str) -> int | None:
        return self.integer(value, path, what="jaar", minimum=MIN_YEAR, maximum=MAX_YEAR)

    def decimal(
        self,
        value: object,
        path: str,
        *,
        what: str,
        places: int,
        max_digits: int,
        minimum: Decimal | None = None,
    ) -> Decimal | None:
        if isinstance(value, _Invalid) or value is None:
            return None
        if isinstance(value, bool):
            self.add(path, f"{what} moet een getal zijn; vond {_describe(value)}")
            return None
        if isinstance(value, YamlInt | YamlFloat):
            text = value.source
        elif isinstance(value, str):
            text = value.strip()
        else:
            self.add(path, f"{what} moet een getal zijn; vond {_describe(value)}")
            return None
        if not DECIMAL_RE.fullmatch(text):
            hint = (
                "; gebruik een punt als decimaalteken"
                if re.fullmatch(r"[+-]?\d+,\d+", text)
                else ""
            )
            self.add(path, f"{what} '{text}' is geen decimaal getal{hint}")
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:  # pragma: no cover - the regex already guarantees a number
            self.add(path, f"{what} '{text}' is geen decimaal getal")
            return None
        quantum = Decimal(1).scaleb(-places)
        if number != number.quantize(quantum):
            self.add(path, f"{what} {text} heeft te veel decimalen (hoogstens {places})")
            return None
        number = number.quantize(quantum)
        if abs(number) >= Decimal(10) ** (max_digits - places):
            self.add(path, f"{what} {text} is te groot")
            return None
        if minimum is not None and number < minimum:
            self.add(path, f"{what} {text} mag niet kleiner zijn dan {minimum}")
            return None
        return number

    def date(self, value: object, path: str) -> dt.date | None:
        if isinstance(value, _Invalid) or value is None:
            return None
        if isinstance(value, dt.datetime):
            self.add(path, "verwacht alleen een datum (JJJJ-MM-DD), zonder tijd")
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and ISO_DATE_RE.fullmatch(value.strip()):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                self.add(path, f"ongeldige datum '{value}'")
                return None
        self.add(path, f"verwacht een datum als JJJJ-MM-DD; vond {_describe(value)}")
        return None


# --------------------------------------------------------------------------------------------
# The sections
# --------------------------------------------------------------------------------------------

_GEMEENTE_RULE = 'een CBS-gemeentecode bestaat uit 4 cijfers, bv. "0505"'
_AGB_RULE = "een AGB-code bestaat uit 8 cijfers"
_CATEGORIE_RULE = 'een productcategorie (WMO020) bestaat uit 2 cijfers, bv. "02"'
_PRODUCT_CODE_RULE = 'een productcode bestaat uit 1 tot 5 letters of cijfers, of is leeg ("")'
_KEY_CODE_RULE = "hoogstens 50 tekens, zonder spaties aan begin of eind"
_SLUG_RULE = "letters, cijfers, '-' of '_', hoogstens 50 tekens"


class _Parser:
    def __init__(self, known: KnownKeys) -> None:
        self.errors: list[ContractFileError] = []
        self.c = _Checker(self.errors)
        self.known = known
        # Keys defined in the file, also by entries that have other errors: a reference to such an
        # entry is not reported a second time as "unknown".
        self.defined: dict[str, set[str]] = {
            "holiday_calendars": set(),
            "gemeenten": set(),
            "aanbieders": set(),
            "referentiegroepen": set(),
            "contracts": set(),
        }
        self.known_sets: dict[str, frozenset[str]] = {
            "holiday_calendars": known.holiday_calendars,
            "gemeenten": known.gemeenten,
            "aanbieders": known.aanbieders,
            "referentiegroepen": known.referentiegroepen,
            "contracts": known.contracts,
        }

    def _ref(self, kind: str, value: str | None, path: str, label: str) -> bool:
        """Check a reference against the keys of the file and of the database."""
        if value is None:
            return False
        if value in self.defined[kind] or value in self.known_sets[kind]:
            return True
        self.c.add(path, f"{label} '{value}': staat niet in dit bestand en niet in de database")
        return False

    def _unique(self, seen: dict[object, str], key: object, path: str, what: str) -> bool:
        """Record ``key`` at ``path``; report "what (ook in PATH)" when it was seen before."""
        if key in seen:
            self.c.add(path, f"{what} (ook in {seen[key]})")
            return False
        seen[key] = path
        return True

    def _entries(self, root: dict[str, object], section: str) -> list[tuple[str, object]]:
        items = self.c.sequence(root.get(section), section, optional=True)
        return [(f"{section}[{i}]", item) for i, item in enumerate(items or [])]

    # holiday calendars ---------------------------------------------------------------------

    def calendars(self, root: dict[str, object]) -> tuple[HolidayCalendarSpec, ...]:
        c = self.c
        result: list[HolidayCalendarSpec] = []
        seen: dict[object, str] = {}
        for path, raw in self._entries(root, "holiday_calendars"):
            m = c.mapping(raw, path, required=("code", "name"), optional=("rule", "years", "dates"))
            if m is None:
                continue
            mark = c.mark
            code = c.code(
                m.get("code"), f"{path}.code", what="kalendercode", pattern=SLUG_RE, rule=_SLUG_RULE
            )
            if code is not None:
                self.defined["holiday_calendars"].add(code)
                self._unique(seen, code, f"{path}.code", f"dubbele kalendercode {code}")
            name = c.text(m.get("name"), f"{path}.name", max_length=200)
            rule = ""
            if m.get("rule") is not None:
                rule = (
                    c.choice(m.get("rule"), f"{path}.rule", what="regel", choices=list(RULES)) or ""
                )
            years = self._years(m.get("years"), f"{path}.years", rule)
            dates = self._holiday_dates(m.get("dates"), f"{path}.dates")
            if c.clean_since(mark) and code is not None and name is not None:
                spec = HolidayCalendarSpec(path, code, name, rule, years, dates)
                try:
                    spec.holidays()
                except ValueError as exc:  # pragma: no cover - years are checked above
                    c.add(f"{path}.years", str(exc))
                    continue
                result.append(spec)
        return tuple(result)

    def _years(self, raw: object, path: str, rule: str) -> tuple[int, int] | None:
        c = self.c
        if raw is None:
            return None
        m = c.mapping(raw, path, required=("from", "to"))
        if m is None:
            return None
        if not rule:
            c.add(
                path,
                "years heeft alleen betekenis samen met rule (bv. rule: algemene-termijnenwet)",
            )
            return None
        first = c.year(m.get("from"), f"{path}.from")
        last = c.year(m.get("to"), f"{path}.to")
        if first is None or last is None:
            return None
        if first < FIRST_SUPPORTED_YEAR:
            c.add(
                f"{path}.from",
                f"de regel {rule} is uitgewerkt vanaf {FIRST_SUPPORTED_YEAR}; "
                "geef eerdere feestdagen op onder dates",
            )
            return None
        if last < first:
            c.add(f"{path}.to", f"'to' ({last}) ligt vóór 'from' ({first})")
            return None
        if last - first >= MAX_CALENDAR_YEARS:
            c.add(path, f"hoogstens {MAX_CALENDAR_YEARS} jaar per kalender")
            return None
        return (first, last)

    def _holiday_dates(self, raw: object, path: str) -> tuple[HolidaySpec, ...]:
        c = self.c
        items = c.sequence(raw, path, optional=True) or []
        result: list[HolidaySpec] = []
        seen: dict[object, str] = {}
        for i, item in enumerate(items):
            item_path = f"{path}[{i}]"
            m = c.mapping(item, item_path, required=("date", "name"))
            if m is None:
                continue
            day = c.date(m.get("date"), f"{item_path}.date")
            name = c.text(m.get("name"), f"{item_path}.name", max_length=100)
            if day is None or name is None:
                continue
            if self._unique(seen, day, f"{item_path}.date", f"dubbele datum {day}"):
                result.append(HolidaySpec(day, name))
        return tuple(result)

    # gemeenten, aanbieders, referentiegroepen ---------------------------------------------

    def gemeenten(self, root: dict[str, object]) -> tuple[GemeenteSpec, ...]:
        c = self.c
        result: list[GemeenteSpec] = []
        seen: dict[object, str] = {}
        for path, raw in self._entries(root, "gemeenten"):
            m = c.mapping(raw, path, required=("cbs", "name"))
            if m is None:
                continue
            mark = c.mark
            cbs = c.code(
                m.get("cbs"),
                f"{path}.cbs",
                what="CBS-code",
                pattern=CBS_RE,
                rule=_GEMEENTE_RULE,
                width=4,
            )
            if cbs is not None:
                self.defined["gemeenten"].add(cbs)
                self._unique(seen, cbs, f"{path}.cbs", f"dubbele CBS-code {cbs}")
            name = c.text(m.get("name"), f"{path}.name", max_length=200)
            if c.clean_since(mark) and cbs is not None and name is not None:
                result.append(GemeenteSpec(path, cbs, name))
        return tuple(result)

    def aanbieders(self, root: dict[str, object]) -> tuple[AanbiederSpec, ...]:
        c = self.c
        result: list[AanbiederSpec] = []
        names: dict[object, str] = {}
        agbs: dict[object, str] = {}
        for path, raw in self._entries(root, "aanbieders"):
            m = c.mapping(raw, path, required=("name", "agb_codes"))
            if m is None:
                continue
            mark = c.mark
            name = c.text(m.get("name"), f"{path}.name", max_length=200)
            if name is not None:
                self.defined["aanbieders"].add(name)
                self._unique(
                    names,
                    name.casefold(),
                    f"{path}.name",
                    f"dubbele aanbiedernaam '{name}'",
                )
            codes: list[str] = []
            raw_codes = c.sequence(m.get("agb_codes"), f"{path}.agb_codes")
            for j, raw_code in enumerate(raw_codes or []):
                code_path = f"{path}.agb_codes[{j}]"
                agb = c.code(
                    raw_code, code_path, what="AGB-code", pattern=AGB_RE, rule=_AGB_RULE, width=8
                )
                if agb is not None and self._unique(
                    agbs, agb, code_path, f"dubbele AGB-code {agb}"
                ):
                    codes.append(agb)
            if c.clean_since(mark) and name is not None:
                result.append(AanbiederSpec(path, name, tuple(codes)))
        return tuple(result)

    def referentiegroepen(self, root: dict[str, object]) -> tuple[ReferentiegroepSpec, ...]:
        c = self.c
        result: list[ReferentiegroepSpec] = []
        seen: dict[object, str] = {}
        for path, raw in self._entries(root, "referentiegroepen"):
            m = c.mapping(raw, path, required=("code", "name"), optional=("description",))
            if m is None:
                continue
            mark = c.mark
            code = c.code(
                m.get("code"),
                f"{path}.code",
                what="referentiegroepcode",
                pattern=KEY_CODE_RE,
                rule=_KEY_CODE_RULE,
            )
            if code is not None:
                self.defined["referentiegroepen"].add(code)
                self._unique(seen, code, f"{path}.code", f"dubbele referentiegroep {code}")
            name = c.text(m.get("name"), f"{path}.name", max_length=200)
            description = c.optional_text(
                m.get("description"), f"{path}.description", max_length=10_000
            )
            if c.clean_since(mark) and code is not None and name is not None:
                result.append(ReferentiegroepSpec(path, code, name, description or ""))
        return tuple(result)

    # contracts -----------------------------------------------------------------------------

    def contracts(self, root: dict[str, object]) -> tuple[ContractSpec, ...]:
        c = self.c
        result: list[ContractSpec] = []
        seen: dict[object, str] = {}
        for path, raw in self._entries(root, "contracts"):
            m = c.mapping(
                raw,
                path,
                required=("code", "name", "kind", "start_date", "holiday_calendar", "gemeenten"),
                optional=("end_date", "aanbieders", "sla_versions", "indexation"),
            )
            if m is None:
                continue
            mark = c.mark
            code = c.code(
                m.get("code"),
                f"{path}.code",
                what="contractcode",
                pattern=KEY_CODE_RE,
                rule=_KEY_CODE_RULE,
            )
            if code is not None:
                self.defined["contracts"].add(code)
                self._unique(seen, code, f"{path}.code", f"dubbele contractcode {code}")
            name = c.text(m.get("name"), f"{path}.name", max_length=200)
            kind = c.choice(
                m.get("kind"), f"{path}.kind", what="soort", choices=ContractKind.values
            )
            start = c.date(m.get("start_date"), f"{path}.start_date")
            end = c.date(m.get("end_date"), f"{path}.end_date")
            if start is not None and end is not None and end < start:
                c.add(f"{path}.end_date", f"einddatum {end} ligt vóór de ingangsdatum {start}")
            calendar = c.code(
                m.get("holiday_calendar"),
                f"{path}.holiday_calendar",
                what="kalendercode",
                pattern=SLUG_RE,
                rule=_SLUG_RULE,
            )
            self._ref(
                "holiday_calendars",
                calendar,
                f"{path}.holiday_calendar",
                "onbekende feestdagenkalender",
            )
            gemeenten = self._code_list(
                m.get("gemeenten"),
                f"{path}.gemeenten",
                what="CBS-code",
                pattern=CBS_RE,
                rule=_GEMEENTE_RULE,
                width=4,
                minimum=1,
            )
            aanbieders = (
                self._name_list(m.get("aanbieders"), f"{path}.aanbieders")
                if m.get("aanbieders") is not None
                else None
            )
            versions = self._sla_versions(m.get("sla_versions"), f"{path}.sla_versions", start, end)
            method, figures = self._indexation(m.get("indexation"), f"{path}.indexation")
            if (
                c.clean_since(mark)
                and code is not None
                and name is not None
                and kind is not None
                and start is not None
                and calendar is not None
            ):
                result.append(
                    ContractSpec(
                        path=path,
                        code=code,
                        name=name,
                        kind=kind,
                        start_date=start,
                        end_date=end,
                        holiday_calendar=calendar,
                        gemeenten=gemeenten,
                        aanbieders=aanbieders,
                        sla_versions=versions,
                        indexation_method=method,
                        index_figures=figures,
                    )
                )
        return tuple(result)

    def _code_list(
        self,
        raw: object,
        path: str,
        *,
        what: str,
        pattern: re.Pattern[str],
        rule: str,
        width: int,
        minimum: int,
    ) -> tuple[str, ...]:
        c = self.c
        items = c.sequence(raw, path)
        if items is None:
            return ()
        if len(items) < minimum:
            c.add(path, f"minstens {minimum} {what} nodig")
        result: list[str] = []
        seen: dict[object, str] = {}
        for i, item in enumerate(items):
            value = c.code(item, f"{path}[{i}]", what=what, pattern=pattern, rule=rule, width=width)
            if (
                value is not None
                and self._unique(seen, value, f"{path}[{i}]", f"{value} staat dubbel in de lijst")
                and self._ref("gemeenten", value, f"{path}[{i}]", f"onbekende {what}")
            ):
                result.append(value)
        return tuple(result)

    def _name_list(self, raw: object, path: str) -> tuple[str, ...]:
        c = self.c
        items = c.sequence(raw, path, optional=True) or []
        result: list[str] = []
        seen: dict[object, str] = {}
        for i, item in enumerate(items):
            value = c.text(item, f"{path}[{i}]", max_length=200)
            if (
                value is not None
                and self._unique(seen, value, f"{path}[{i}]", f"'{value}' staat dubbel in de lijst")
                and self._ref("aanbieders", value, f"{path}[{i}]", "onbekende aanbieder")
            ):
                result.append(value)
        return tuple(result)

    def _sla_versions(
        self, raw: object, path: str, start: dt.date | None, end: dt.date | None
    ) -> tuple[SlaVersionSpec, ...]:
        c = self.c
        items = c.sequence(raw, path, optional=True) or []
        result: list[SlaVersionSpec] = []
        seen: dict[object, str] = {}
        for i, item in enumerate(items):
            item_path = f"{path}[{i}]"
            m = c.mapping(item, item_path, required=("version", "start_date"), optional=("title",))
            if m is None:
                continue
            mark = c.mark
            version = c.code(
                m.get("version"),
                f"{item_path}.version",
                what="SLA-versie",
                pattern=SLA_VERSION_RE,
                rule="hoogstens 50 tekens",
            )
            if version is not None:
                self._unique(
                    seen,
                    version,
                    f"{item_path}.version",
                    f"dubbele SLA-versie {version}",
                )
            version_start = c.date(m.get("start_date"), f"{item_path}.start_date")
            if version_start is not None and start is not None and version_start < start:
                c.add(
                    f"{item_path}.start_date",
                    f"de SLA gaat in ({version_start}) vóór het contract ({start})",
                )
            if version_start is not None and end is not None and version_start > end:
                c.add(
                    f"{item_path}.start_date",
                    f"de SLA gaat in ({version_start}) na de einddatum van het contract ({end})",
                )
            title = c.optional_text(m.get("title"), f"{item_path}.title", max_length=200)
            if c.clean_since(mark) and version is not None and version_start is not None:
                result.append(SlaVersionSpec(item_path, version, version_start, title or ""))
        return tuple(result)

    def _indexation(self, raw: object, path: str) -> tuple[str, tuple[IndexFigureSpec, ...]]:
        c = self.c
        if raw is None:
            return (IndexationMethod.NONE.value, ())
        m = c.mapping(raw, path, required=("method",), optional=("figures",))
        if m is None:
            return (IndexationMethod.NONE.value, ())
        method = c.choice(
            m.get("method"),
            f"{path}.method",
            what="indexatieregel",
            choices=IndexationMethod.values,
        )
        figures: list[IndexFigureSpec] = []
        seen: dict[object, str] = {}
        for i, item in enumerate(
            c.sequence(m.get("figures"), f"{path}.figures", optional=True) or []
        ):
            item_path = f"{path}.figures[{i}]"
            f = c.mapping(item, item_path, required=("year", "cao_lonen_index", "cpi_jaarmutatie"))
            if f is None:
                continue
            year = c.year(f.get("year"), f"{item_path}.year")
            if year is not None:
                self._unique(seen, year, f"{item_path}.year", f"dubbel jaar {year}")
            cao = c.decimal(
                f.get("cao_lonen_index"),
                f"{item_path}.cao_lonen_index",
                what="indexcijfer",
                places=2,
                max_digits=8,
                minimum=Decimal("0.01"),
            )
            cpi = c.decimal(
                f.get("cpi_jaarmutatie"),
                f"{item_path}.cpi_jaarmutatie",
                what="CPI-jaarmutatie",
                places=2,
                max_digits=6,
            )
            if year is not None and cao is not None and cpi is not None:
                figures.append(IndexFigureSpec(item_path, year, cao, cpi))
        return (method or IndexationMethod.NONE.value, tuple(sorted(figures, key=lambda f: f.year)))

    # products ------------------------------------------------------------------------------

    def products(
        self, root: dict[str, object], contracts: dict[str, ContractSpec]
    ) -> tuple[ProductSpec, ...]:
        c = self.c
        result: list[ProductSpec] = []
        seen: dict[object, str] = {}
        details_keys = ("description", "eenheid", "referentiegroep")
        for path, raw in self._entries(root, "products"):
            m = c.mapping(
                raw,
                path,
                required=("contract", "categorie", "code"),
                optional=(
                    *details_keys,
                    "product_group",
                    "intensity_rank",
                    "price_per",
                    "tariffs",
                ),
            )
            if m is None:
                continue
            mark = c.mark
            contract = c.code(
                m.get("contract"),
                f"{path}.contract",
                what="contractcode",
                pattern=KEY_CODE_RE,
                rule=_KEY_CODE_RULE,
            )
            contract_known = self._ref(
                "contracts", contract, f"{path}.contract", "onbekend contract"
            )
            categorie = c.code(
                m.get("categorie"),
                f"{path}.categorie",
                what="productcategorie",
                pattern=CATEGORIE_RE,
                rule=_CATEGORIE_RULE,
                width=2,
            )
            code = c.code(
                m.get("code"),
                f"{path}.code",
                what="productcode",
                pattern=PRODUCT_CODE_RE,
                rule=_PRODUCT_CODE_RULE,
            )
            key = (contract, categorie, code)
            if None not in key:
                self._unique(
                    seen,
                    key,
                    path,
                    f"dubbel product {contract} {categorie}/{code or '(leeg)'}",
                )
            given = [k for k in details_keys if m.get(k) is not None]
            details: ProductDetails | None = None
            if given:
                details = self._product_details(
                    m, path, missing=[k for k in details_keys if k not in given]
                )
            else:
                for extra in ("product_group", "intensity_rank"):
                    if m.get(extra) is not None:
                        c.add(
                            f"{path}.{extra}",
                            "alleen toegestaan samen met description, eenheid en referentiegroep",
                        )
                if contract_known and None not in key and key not in self.known.products:
                    c.add(
                        f"{path}.tariffs" if m.get("tariffs") is not None else path,
                        f"tarief voor een onbekend product {contract} {categorie}/"
                        f"{code or '(leeg)'}: het product bestaat nog niet; geef description, "
                        "eenheid en referentiegroep op om het aan te maken",
                    )
            price_per = None
            if m.get("price_per") is not None:
                price_per = self._eenheid(m.get("price_per"), f"{path}.price_per")
            tariffs = self._tariffs(
                m.get("tariffs"), f"{path}.tariffs", contracts.get(contract or "")
            )
            if (
                c.clean_since(mark)
                and contract is not None
                and categorie is not None
                and code is not None
            ):
                result.append(
                    ProductSpec(path, contract, categorie, code, details, price_per, tariffs)
                )
        return tuple(result)

    def _eenheid(self, raw: object, path: str) -> str | None:
        value = self.c.code(
            raw,
            path,
            what="eenheid",
            pattern=re.compile(r"\d{2}"),
            rule=f"een eenheid (iWmo WJ756) is een van {', '.join(Eenheid.values)}",
            width=2,
        )
        if value is not None and value not in Eenheid.values:
            self.c.add(
                path,
                f"onbekende eenheid '{value}'; toegestaan (iWmo WJ756): {', '.join(Eenheid.values)}",
            )
            return None
        return value

    def _product_details(
        self, m: dict[str, object], path: str, *, missing: list[str]
    ) -> ProductDetails | None:
        c = self.c
        for key in missing:
            c.add(
                f"{path}.{key}",
                "ontbreekt; een product heeft description, eenheid en referentiegroep (laat alle "
                "drie weg om alleen tarieven van een bestaand product op te geven)",
            )
        description = c.text(m.get("description"), f"{path}.description", max_length=200)
        eenheid = (
            self._eenheid(m.get("eenheid"), f"{path}.eenheid")
            if m.get("eenheid") is not None
            else None
        )
        referentiegroep = c.code(
            m.get("referentiegroep"),
            f"{path}.referentiegroep",
            what="referentiegroepcode",
            pattern=KEY_CODE_RE,
            rule=_KEY_CODE_RULE,
        )
        if not self._ref(
            "referentiegroepen",
            referentiegroep,
            f"{path}.referentiegroep",
            "onbekende referentiegroep",
        ):
            referentiegroep = None
        product_group: str | None = None
        if m.get("product_group") is not None:
            product_group = c.code(
                m.get("product_group"),
                f"{path}.product_group",
                what="productgroep",
                pattern=KEY_CODE_RE,
                rule=_KEY_CODE_RULE,
                width=2,
            )
        rank = c.integer(
            m.get("intensity_rank"),
            f"{path}.intensity_rank",
            what="intensity_rank",
            minimum=0,
            maximum=32767,
        )
        categorie = m.get("categorie")
        if missing or description is None or eenheid is None or referentiegroep is None:
            return None
        if product_group is None:
            if not isinstance(categorie, str):
                return None
            product_group = categorie
        return ProductDetails(description, eenheid, product_group, referentiegroep, rank)

    def _tariffs(
        self, raw: object, path: str, contract: ContractSpec | None
    ) -> tuple[TariffSpec, ...]:
        c = self.c
        if raw is None or isinstance(raw, _Invalid):
            return ()
        if not isinstance(raw, dict):
            c.add(
                path, f'verwacht een tabel jaar: tarief, bv. 2019: "48.09"; vond {_describe(raw)}'
            )
            return ()
        result: list[TariffSpec] = []
        for key, value in raw.items():
            item_path = f"{path}[{key}]"
            year = c.year(key, item_path)
            if year is None:
                continue
            if contract is not None:
                first = contract.start_date.year
                last = contract.end_date.year if contract.end_date else None
                if year < first or (last is not None and year > last):
                    period = f"{first}–{last}" if last else f"vanaf {first}"
                    c.add(
                        item_path,
                        f"tarief voor {year} valt buiten de looptijd van het contract ({period})",
                    )
                    continue
            price_per: str | None = None
            price_raw = value
            if isinstance(value, dict):
                m = c.mapping(value, item_path, required=("price",), optional=("price_per",))
                if m is None:
                    continue
                price_raw = m.get("price")
                if m.get("price_per") is not None:
                    price_per = self._eenheid(m.get("price_per"), f"{item_path}.price_per")
                    if price_per is None:
                        continue
            price = c.decimal(
                price_raw, item_path, what="tarief", places=2, max_digits=10, minimum=Decimal(0)
            )
            if price is None:
                if price_raw is None:
                    c.add(item_path, "tarief ontbreekt")
                continue
            result.append(TariffSpec(item_path, year, price, price_per))
        return tuple(sorted(result, key=lambda t: t.year))

    # norms ---------------------------------------------------------------------------------

    def norms(self, root: dict[str, object]) -> tuple[NormSpec, ...]:
        c = self.c
        result: list[NormSpec] = []
        seen: dict[object, str] = {}
        for path, raw in self._entries(root, "norms"):
            m = c.mapping(
                raw,
                path,
                required=("kpi", "referentiegroep", "year", "kind", "value", "direction"),
                optional=("status", "method", "base_period", "source"),
            )
            if m is None:
                continue
            mark = c.mark
            kpi = c.code(
                m.get("kpi"),
                f"{path}.kpi",
                what="KPI-code",
                pattern=re.compile(r"\S{1,20}"),
                rule="hoogstens 20 tekens",
            )
            if kpi is not None and not registry.is_known_code(kpi):
                hint = difflib.get_close_matches(kpi, list(registry.FIGURES), n=1)
                suggestion = f" (bedoelt u '{hint[0]}'?)" if hint else ""
                c.add(f"{path}.kpi", f"onbekende KPI-code '{kpi}'{suggestion}; zie KPIS.md")
                kpi = None
            referentiegroep = c.code(
                m.get("referentiegroep"),
                f"{path}.referentiegroep",
                what="referentiegroepcode",
                pattern=KEY_CODE_RE,
                rule=_KEY_CODE_RULE,
            )
            self._ref(
                "referentiegroepen",
                referentiegroep,
                f"{path}.referentiegroep",
                "onbekende referentiegroep",
            )
            year = c.year(m.get("year"), f"{path}.year")
            kind = c.choice(
                m.get("kind"), f"{path}.kind", what="soort norm", choices=NormKind.values
            )
            value = c.decimal(
                m.get("value"), f"{path}.value", what="normwaarde", places=4, max_digits=12
            )
            direction = c.choice(
                m.get("direction"),
                f"{path}.direction",
                what="richting",
                choices=NormDirection.values,
            )
            status = NormStatus.APPROVED.value
            if m.get("status") is not None:
                status = (
                    c.choice(
                        m.get("status"), f"{path}.status", what="status", choices=NormStatus.values
                    )
                    or status
                )
            method = c.optional_text(m.get("method"), f"{path}.method", max_length=100)
            base_period = c.optional_text(
                m.get("base_period"), f"{path}.base_period", max_length=50
            )
            source = c.optional_text(m.get("source"), f"{path}.source", max_length=200)
            if kpi is not None:
                self._norm_consistency(path, kpi, value, direction)
            if kpi is not None and referentiegroep is not None and year is not None:
                self._unique(
                    seen,
                    (kpi, referentiegroep, year),
                    path,
                    f"dubbele norm {kpi} {referentiegroep} {year}",
                )
            if (
                c.clean_since(mark)
                and kpi is not None
                and referentiegroep is not None
                and year is not None
                and kind is not None
                and value is not None
                and direction is not None
            ):
                result.append(
                    NormSpec(
                        path=path,
                        kpi=kpi,
                        referentiegroep=referentiegroep,
                        year=year,
                        kind=kind,
                        value=value,
                        direction=direction,
                        status=status,
                        method=method or "",
                        base_period=base_period or "",
                        source=source or "",
                    )
                )
        return tuple(result)

    def _norm_consistency(
        self, path: str, kpi: str, value: Decimal | None, direction: str | None
    ) -> None:
        figure = registry.figure(kpi)
        if (
            direction == NormDirection.MAX
            and figure.direction == registry.Direction.HIGHER_IS_BETTER
        ):
            self.c.add(
                f"{path}.direction",
                f"{kpi} is hoger-is-beter; een norm daarop is een minimum (direction: min)",
            )
        if (
            direction == NormDirection.MIN
            and figure.direction == registry.Direction.LOWER_IS_BETTER
        ):
            self.c.add(
                f"{path}.direction",
                f"{kpi} is lager-is-beter; een norm daarop is een maximum (direction: max)",
            )
        if value is None:
            return
        if figure.unit == registry.Unit.SHARE and not Decimal(0) <= value <= Decimal(1):
            self.c.add(
                f"{path}.value",
                f"{kpi} is een aandeel tussen 0 en 1; schrijf 90 % als 0.90 (niet {plain_decimal(value)})",
            )
        if figure.unit == registry.Unit.SCORE and not Decimal(1) <= value <= Decimal(10):
            self.c.add(f"{path}.value", f"{kpi} is een rapportcijfer van 1 tot 10")

    # references ----------------------------------------------------------------------------


def _check_version(c: _Checker, raw: object) -> int | None:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw != FORMAT_VERSION:
        c.add(
            "version",
            f"onbekende formaatversie {_describe(raw)}; deze versie leest {FORMAT_VERSION}",
        )
        return None
    return FORMAT_VERSION


def parse_contract_definition(
    text: str, *, file: str = "<contractbestand>", known: KnownKeys | None = None
) -> ContractDefinition:
    """Parse and validate a contract file; raise :class:`ContractFileInvalid` with every error."""
    parser = _Parser(known or KnownKeys())
    raw = _read_yaml(text, parser.errors)
    if isinstance(raw, _Invalid):
        raise ContractFileInvalid(parser.errors, file)
    if not isinstance(raw, dict):
        parser.c.add(
            "",
            f"verwacht bovenaan een tabel met sleutels (version, gemeenten, …); vond {_describe(raw)}",
        )
        raise ContractFileInvalid(parser.errors, file)
    root = parser.c.mapping(raw, "", required=("version",), optional=TOP_LEVEL_KEYS[1:]) or {}
    version = _check_version(parser.c, raw["version"]) if raw.get("version") is not None else None
    calendars = parser.calendars(root)
    gemeenten = parser.gemeenten(root)
    aanbieders = parser.aanbieders(root)
    referentiegroepen = parser.referentiegroepen(root)
    contracts = parser.contracts(root)
    products = parser.products(root, {contract.code: contract for contract in contracts})
    norms = parser.norms(root)
    definition = ContractDefinition(
        version=version or FORMAT_VERSION,
        holiday_calendars=calendars,
        gemeenten=gemeenten,
        aanbieders=aanbieders,
        referentiegroepen=referentiegroepen,
        contracts=contracts,
        products=products,
        norms=norms,
    )
    if parser.errors:
        raise ContractFileInvalid(parser.errors, file)
    return definition
