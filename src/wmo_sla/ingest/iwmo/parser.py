# SPDX-License-Identifier: EUPL-1.2
"""Parse and check one iWmo 3.2 message: bytes in, typed records or a rejection out.

Pure: no Django, no ORM, no I/O. The steps, in order:

1. size limit (``XML-SIZE``) and a byte scan for ``<!DOCTYPE`` (``XML-DOCTYPE``), before parsing;
2. hardened lxml parse: no entities, no DTD, no network, no comments (``XML``), depth limit
   (``XML-DIEPTE``);
3. identification by root namespace ``http://www.istandaarden.nl/iwmo/3_2/wmoNNN/schema`` and
   ``Header/BerichtCode`` (``STANDARD``, ``BERICHTTYPE``, ``BERICHTCODE``);
4. header checks (``HEADER-VERSIE``, ``HEADER-AFZENDER``, ``HEADER-ONTVANGER``);
5. XSD validation when a :class:`~wmo_sla.ingest.iwmo.xsd.SchemaSet` is given (``XSD``);
6. extraction in one pass over the children (``VERPLICHT``, ``DATUM``, ``GETAL`` when a value is
   missing or unreadable; these are left out when the XSD already reported errors);
7. own rules: ``BSN-11PROEF``, ``CS058``, ``CS003``, ``CS335``, ``CS336`` (warning), ``TR382``,
   ``CS340``, ``PRODUCTPERIODE``, ``TR358`` (warning);
8. blanking of personal data for ``stored_xml``.

A message is all-or-nothing: any error rejects it as a whole; warnings travel on the
:class:`ParsedMessage`. No problem message contains a BSN in clear.
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import re
from datetime import date, time
from typing import Any

from lxml import etree

from wmo_sla.ingest.iwmo._tree import (
    IWMO_BASIS_NS,
    MAX_DEPTH,
    Element,
    element_path,
    hardened_parser,
    local_name,
)
from wmo_sla.ingest.iwmo.pseudonym import Pseudonymizer, bsn_is_valid, mask_bsn
from wmo_sla.ingest.iwmo.records import (
    Antwoord,
    ClientInfo,
    Declaratie,
    DeclaratieAntwoord,
    Header,
    MessageType,
    ParsedMessage,
    Prestatie,
    Problem,
    RejectedMessage,
    Retour,
    StartProduct,
    StopProduct,
    Toewijzing,
    Verzoek,
)
from wmo_sla.ingest.iwmo.xsd import SchemaSet

__all__ = ["DEFAULT_MAX_BYTES", "parse_message"]

DEFAULT_MAX_BYTES = 25 * 1024 * 1024  # OP179: files of at most 25 MB

_T = MessageType
_NS_PREFIX = "http://www.istandaarden.nl/iwmo/3_2/wmo"
NAMESPACES: dict[MessageType, str] = {mt: f"{_NS_PREFIX}{mt.number}/schema" for mt in MessageType}
_TYPE_BY_NAMESPACE: dict[str, MessageType] = {ns: mt for mt, ns in NAMESPACES.items()}

# Who sends: for these types the Afzender is a gemeente (4 digits) and the Ontvanger an AGB code
# (8 digits); for the others the other way round. Retours carry a copy of the original header,
# so a 306/308 still has the aanbieder as Afzender.
_GEMEENTE_SENDS = frozenset({_T.WMO301, _T.WMO302, _T.WMO319, _T.WMO325})
_RETOURS = frozenset({_T.WMO302, _T.WMO306, _T.WMO308})
_NOT_REJECTING = frozenset({"0200", "0233"})  # geen opmerking, niet beoordeeld
_NOT_REJECTING_325 = frozenset({"0200", "0233", "8001"})  # 8001: declaratie volledig toegewezen

_NAMES = (  # noqa: SIM905 - a word list reads best as words
    "Header BerichtCode BerichtVersie BerichtSubversie Afzender Ontvanger "
    "BerichtIdentificatie Identificatie Dagtekening IdentificatieRetour DagtekeningRetour "
    "DeclaratieIdentificatie RetourCodes RetourCode Client Clienten Bsn Geboortedatum Datum "
    "Geslacht ToegewezenProducten ToegewezenProduct ToewijzingNummer ReferentieAanbieder "
    "Product Categorie Code Toewijzingsdatum Toewijzingstijd Ingangsdatum Einddatum "
    "RedenWijziging Omvang Volume Eenheid Frequentie Budget StartProducten StartProduct "
    "StopProducten StopProduct ToewijzingIngangsdatum Begindatum StatusAanlevering "
    "RedenBeeindiging AangevraagdeProducten AangevraagdProduct ToewijzingEinddatum Verzoek "
    "RedenVerzoek OngewijzigdeProducten OngewijzigdProduct TeWijzigenProducten "
    "TeWijzigenProduct NieuweProducten NieuwProduct GewensteIngangsdatum Antwoord "
    "VerzoekAntwoord RedenAfwijzingVerzoek Declaratie DeclaratieNummer DeclaratiePeriode "
    "DeclaratieDagtekening TotaalIngediendBedrag TotaalBedrag DebetCredit Prestaties "
    "Prestatie ProductReferentie ReferentieNummer VorigReferentieNummer ProductCategorie "
    "ProductCode ProductPeriode GeleverdVolume ProductTarief IngediendBedrag Bedrag "
    "DeclaratieAntwoord TotaalToegekendBedrag"
).split()
# Per message type: full tag → local name, for the message namespace and the basisschema
# namespace only (an element from another namespace is not recognised).
_LOCAL_NAMES: dict[MessageType, dict[str, str]] = {
    mt: {f"{{{ns}}}{name}": name for name in _NAMES for ns in (NAMESPACES[mt], IWMO_BASIS_NS)}
    for mt in MessageType
}

# Personal data removed from stored_xml, wherever it occurs (any namespace), with all content.
# Only the outermost elements need listing: names, addresses and phone numbers live inside them.
_STRIP_TAGS = tuple(
    f"{{*}}{name}"
    for name in (
        "Naam",
        "Partnernaam",
        "Contactgegevens",
        "Contact",
        "Communicatie",
        "Relaties",
        "WettelijkeVertegenwoordiging",
        "Commentaar",
        "Adres",
        "Telefoon",
        "Emailadres",
        "DatumGebruik",
    )
)
_BSN_TAG = "{*}Bsn"
_GEBOORTEDATUM_TAG = "{*}Geboortedatum"

_TOO_DEEP = etree.XPath("/*" + "/*" * MAX_DEPTH)
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_LIBXML2_POSITION = re.compile(r",? line \d+, column \d+$")
_ASCII_FIRST = (b"<", b"\xef", b" ", b"\t", b"\r", b"\n")
_BSN_IN_BYTES = re.compile(rb"Bsn>\s*([^<\s]{1,40})\s*<")
_ISTANDAARD_NS = re.compile(
    r"^https?://www\.istandaarden\.nl/([A-Za-z]+)/(\d+)_(\d+)/([A-Za-z]+?)(\d+)/schema$"
)
_TIME = re.compile(r"^\d{2}:\d{2}:\d{2}(?:\.\d+)?$")
_STANDARD_NAMES = {
    "iwmo": "iWmo",
    "ijw": "iJw (jeugdzorg)",
    "iwlz": "iWlz (langdurige zorg)",
    "ipgb": "iPgb",
    "ieb": "iEb",
}
_STRUCTURAL_RULES = frozenset({"VERPLICHT", "DATUM", "GETAL", "TIJD"})


# --------------------------------------------------------------------------------------------
# Entry point


def parse_message(
    data: bytes,
    *,
    pseudonymizer: Pseudonymizer,
    schemas: SchemaSet | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParsedMessage | RejectedMessage:
    """Turn one message's bytes into a :class:`ParsedMessage` or a :class:`RejectedMessage`."""
    if not isinstance(data, bytes):
        data = bytes(data)
    size = len(data)
    sha256 = hashlib.sha256(data).hexdigest()

    if size > max_bytes:
        return _early_reject(
            sha256,
            size,
            Problem(
                "XML-SIZE",
                "/",
                f"Het bericht is {size} bytes groot; de grens is {max_bytes} bytes "
                "(OP179: berichten van ten hoogste 25 MB). Het is niet gelezen.",
            ),
        )
    if size == 0 or data.isspace():
        return _early_reject(sha256, size, Problem("XML", "/", "Het bericht is leeg."))

    # UTF-8/ASCII-like input (the iWmo norm) starts with "<", a UTF-8 BOM or whitespace and has no
    # NUL bytes up front; UTF-16/-32 does not, and gets the slower checks on the parsed tree.
    ascii_compatible = data[:1] in _ASCII_FIRST and b"\x00" not in data[:4]
    if data.find(b"<!DOCTYPE") >= 0 or (not ascii_compatible and _wide_doctype(data)):
        return _early_reject(sha256, size, _doctype_problem())

    try:
        root = etree.fromstring(data, hardened_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        return _early_reject(sha256, size, _syntax_problem(exc, data))
    if root is None:
        return _early_reject(sha256, size, Problem("XML", "/", "Het bericht bevat geen element."))
    if not ascii_compatible:
        # UTF-16/-32 input escapes the byte scan above; ask the parsed document instead.
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            return _early_reject(sha256, size, _doctype_problem())
    # Nesting depth d needs at least 2d - 1 "<" characters (d start tags, d - 1 end tags), so
    # small ASCII-compatible messages cannot be too deep; only larger ones need the XPath check.
    if (not ascii_compatible or data.count(b"<") > 2 * MAX_DEPTH) and _TOO_DEEP(root):
        return _early_reject(
            sha256,
            size,
            Problem(
                "XML-DIEPTE",
                "/" + local_name(root.tag),
                f"Het bericht is dieper genest dan {MAX_DEPTH} niveaus; een iWmo-bericht is "
                "hooguit een stuk of tien niveaus diep. Het is niet verder gelezen.",
            ),
        )

    message_type, problem = _identify(root)
    if message_type is None:
        assert problem is not None
        return RejectedMessage(sha256, size, None, (problem,), None)
    ctx = _Context(message_type, pseudonymizer, root)
    problem = _check_berichtcode(ctx)
    if problem is not None:
        # An iWmo 3.2 namespace with a wrong code: still blank and keep it for the user.
        _strip_personal(root)
        return RejectedMessage(sha256, size, None, (problem,), _blank(root, pseudonymizer))
    header = _header(ctx)
    header_problem_count = len(ctx.problems)

    xsd_problems: list[Problem] = []
    if schemas is not None:
        xsd_problems = schemas.validate(message_type, root)

    _strip_personal(root)
    records = _EXTRACTORS[message_type](ctx, root)
    stored_xml = _blank(root, pseudonymizer)

    problems = ctx.problems
    if xsd_problems:
        # The XSD already says what is missing or malformed; keep only our specific findings.
        own = [
            p
            for i, p in enumerate(problems)
            if i < header_problem_count or p.rule not in _STRUCTURAL_RULES
        ]
        problems = xsd_problems + own
    if problems:
        problems = _scrub(problems, ctx.bsns)
    if header is None or any(p.severity == "error" for p in problems):
        return RejectedMessage(sha256, size, header, tuple(problems), stored_xml)
    return ParsedMessage(
        header=header,
        sha256=sha256,
        stored_xml=stored_xml,
        clients=tuple(ctx.clients.values()),
        warnings=tuple(problems),
        size=size,
        **records,
    )


def _early_reject(sha256: str, size: int, problem: Problem) -> RejectedMessage:
    return RejectedMessage(sha256, size, None, (problem,), None)


def _wide_doctype(data: bytes) -> bool:
    """A DOCTYPE in UTF-16/-32 input (rare: iWmo is UTF-8), found by decoding the prolog."""
    head = data[:65536]
    codec = next(
        (name for bom, name in _WIDE_BOMS if head.startswith(bom)),
        "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be",
    )
    text = head.decode(codec, "ignore")
    return "<!DOCTYPE" in text or "<!ENTITY" in text


def _doctype_problem() -> Problem:
    return Problem(
        "XML-DOCTYPE",
        "/",
        "Het bericht bevat een DOCTYPE (DTD/entiteiten). Dat komt in iWmo niet voor en wordt "
        "uit veiligheidsoverwegingen geweigerd; het bericht is niet gelezen.",
    )


def _syntax_problem(exc: Exception, data: bytes) -> Problem:
    line: int | None = None
    column: int | None = None
    text = str(exc)
    if isinstance(exc, etree.XMLSyntaxError):
        position = exc.position or (exc.lineno, None)
        line, column = position[0], position[1]
        text = _LIBXML2_POSITION.sub("", str(exc.msg or exc))
    where = f" (regel {line}, kolom {column})" if line and column else ""
    if line and not column:
        where = f" (regel {line})"
    if "Excessive depth" in text:
        return Problem(
            "XML-DIEPTE",
            "/",
            f"Het bericht is te diep genest{where}: {text}. Het is niet verder gelezen.",
        )
    message = f"Het bericht is geen goedgevormde XML{where}: {text}"
    bsns = [m.decode("utf-8", "replace") for m in _BSN_IN_BYTES.findall(data[:1_000_000])]
    return _scrub([Problem("XML", "/", message)], bsns)[0]


def _scrub(problems: list[Problem], bsns: list[str]) -> list[Problem]:
    """Replace every BSN of the message that may have slipped into a message by its mask."""
    candidates = sorted({b for b in bsns if len(b) >= 5}, key=len, reverse=True)
    if not candidates:
        return problems
    result = []
    for problem in problems:
        text = problem.message
        for bsn in candidates:
            if bsn in text:
                text = text.replace(bsn, mask_bsn(bsn))
        if text is not problem.message:
            problem = Problem(problem.rule, problem.path, text, problem.severity)
        result.append(problem)
    return result


# --------------------------------------------------------------------------------------------
# Identification


def _namespace(tag: object) -> str:
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1 : tag.index("}")]
    return ""


def _identify(root: Element) -> tuple[MessageType | None, Problem | None]:
    tag = root.tag
    namespace = _namespace(tag)
    name = local_name(tag)
    message_type = _TYPE_BY_NAMESPACE.get(namespace)
    if message_type is None:
        return None, _foreign_problem(namespace, name)
    if name != "Bericht":
        return None, Problem(
            "STANDARD",
            "/" + name,
            f"Het hoofdelement heet {name}; een iWmo-bericht begint met Bericht.",
        )
    return message_type, None


def _check_berichtcode(ctx: _Context) -> Problem | None:
    message_type = ctx.message_type
    code = _text(ctx.header_kids.get("BerichtCode"))
    if code is None:
        return Problem(
            "BERICHTCODE",
            "/Bericht/Header/BerichtCode",
            f"Header/BerichtCode ontbreekt; voor {message_type.value} hoort die "
            f"{message_type.berichtcode} te zijn.",
        )
    if code == message_type.berichtcode:
        return None
    other = MessageType.from_berichtcode(code)
    if other is None:
        message = (
            f"Onbekende BerichtCode {code[:20]!r}; een {message_type.value} heeft BerichtCode "
            f"{message_type.berichtcode}."
        )
    else:
        message = (
            f"BerichtCode {code} hoort bij {other.value}, maar de namespace is die van "
            f"{message_type.value} (BerichtCode {message_type.berichtcode})."
        )
    return Problem("BERICHTCODE", "/Bericht/Header/BerichtCode", message)


def _foreign_problem(namespace: str, name: str) -> Problem:
    path = "/" + name
    if not namespace:
        return Problem(
            "STANDARD",
            path,
            f"Het hoofdelement {name} heeft geen namespace; dit is geen iWmo 3.2-bericht "
            f"(verwacht: namespace {_NS_PREFIX}NNN/schema).",
        )
    match = _ISTANDAARD_NS.match(namespace)
    if match is None:
        return Problem(
            "STANDARD",
            path,
            f"Onbekende namespace {namespace}; dit is geen iWmo-bericht. Alleen iWmo 3.2 "
            f"({_NS_PREFIX}NNN/schema) wordt ingelezen.",
        )
    standard, major, minor, kind, number = match.groups()
    standard = standard.lower()
    version = f"{major}.{minor}"
    if standard == "iwmo":
        if (major, minor) == ("3", "2"):
            return Problem(
                "BERICHTTYPE",
                path,
                f"Dit is een iWmo 3.2-bericht van het type {kind.upper()}{number} (namespace "
                f"{namespace}); dat type wordt niet ingelezen. Ingelezen worden: "
                + ", ".join(mt.value for mt in MessageType)
                + ".",
            )
        family = f"{major}.x" if major != "3" else version
        return Problem(
            "STANDARD",
            path,
            f"Dit is een iWmo {family}-bericht (namespace {namespace}); alleen iWmo 3.2 wordt "
            "ingelezen.",
        )
    label = _STANDARD_NAMES.get(standard, standard)
    if standard == "ijw":
        return Problem(
            "STANDARD",
            path,
            f"Dit is een iJw-bericht (jeugdzorg, versie {version}, namespace {namespace}), geen "
            "Wmo-bericht; alleen iWmo 3.2 wordt ingelezen.",
        )
    return Problem(
        "STANDARD",
        path,
        f"Dit is een bericht van een andere iStandaard: {label} {version} (namespace "
        f"{namespace}); alleen iWmo 3.2 wordt ingelezen.",
    )


# --------------------------------------------------------------------------------------------
# Extraction context and field helpers


class _Context:
    __slots__ = (
        "bsns",
        "clients",
        "get",
        "header",
        "header_kids",
        "message_type",
        "names",
        "problems",
        "pseudonymizer",
        "root",
        "top",
    )

    def __init__(
        self, message_type: MessageType, pseudonymizer: Pseudonymizer, root: Element
    ) -> None:
        self.message_type = message_type
        self.names = names = _LOCAL_NAMES[message_type]
        self.get = names.get
        self.pseudonymizer = pseudonymizer
        self.problems: list[Problem] = []
        self.bsns: list[str] = []
        self.clients: dict[str, ClientInfo] = {}
        self.root = root
        self.top = top = self.children(root)
        self.header = header = top.get("Header")
        self.header_kids = self.children(header) if header is not None else {}

    def children(self, element: Element) -> dict[str, Element]:
        """Known children by local name (one pass; unknown elements are ignored here, the XSD
        reports them)."""
        get = self.get
        found: dict[str, Element] = {}
        for child in element:
            name = get(child.tag)
            if name is not None:
                found[name] = child
        return found

    def error(self, rule: str, path: str, message: str) -> None:
        self.problems.append(Problem(rule, path, message))

    def warning(self, rule: str, path: str, message: str) -> None:
        self.problems.append(Problem(rule, path, message, "warning"))

    def missing(self, parent: Element, name: str, rule: str = "VERPLICHT") -> None:
        self.error(
            rule,
            f"{element_path(parent)}/{name}",
            f"Het verplichte element {name} ontbreekt of is leeg in {local_name(parent.tag)}.",
        )

    def client_key(self, parent: Element, found: dict[str, Element]) -> str:
        """The pseudonym of the Bsn child of ``parent``; checks the 11-proef."""
        element = found.get("Bsn")
        text = _text(element)
        if element is None or text is None:
            self.missing(parent, "Bsn")
            return ""
        self.bsns.append(text)
        if not _bsn_is_valid(text):
            masked = mask_bsn(text)
            if len(text) != 9 or not (text.isascii() and text.isdigit()):
                reason = "bestaat niet uit 9 cijfers"
            else:
                reason = "voldoet niet aan de 11-proef"
            self.error(
                "BSN-11PROEF",
                element_path(element),
                f"Het burgerservicenummer {masked} {reason} (CS002); het bericht wordt geweigerd.",
            )
        return self.pseudonymizer.client_key(text)


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    text: str | None = element.text
    if text is None:
        return None
    text = text.strip()
    return text or None


def _str(ctx: _Context, found: dict[str, Element], parent: Element, name: str) -> str | None:
    """Required string child; records VERPLICHT when missing."""
    element = found.get(name)
    if element is not None:
        text: str | None = element.text
        if text:
            text = text.strip()
            if text:
                return text
    ctx.missing(parent, name)
    return None


def _opt_str(found: dict[str, Element], name: str) -> str | None:
    return _text(found.get(name))


_DATE_CACHE: dict[str, date] = {}
_bsn_is_valid = functools.lru_cache(maxsize=65_536)(bsn_is_valid)


def _parse_date(text: str) -> date | None:
    """Strict xs:date without timezone (``JJJJ-MM-DD``); memoised, dates repeat a lot."""
    value = _DATE_CACHE.get(text)
    if value is not None:
        return value
    stripped = text.strip()
    if len(stripped) != 10 or stripped[4] != "-" or stripped[7] != "-":
        return None
    try:
        value = date.fromisoformat(stripped)
    except ValueError:
        return None
    if len(_DATE_CACHE) >= 4096:
        _DATE_CACHE.clear()
    _DATE_CACHE[text] = value
    return value


def _date(
    ctx: _Context,
    found: dict[str, Element],
    parent: Element,
    name: str,
    rule: str = "VERPLICHT",
    personal: bool = False,
) -> date | None:
    """Required date child. ``rule`` is used both for a missing and for an unreadable date
    (default: VERPLICHT resp. DATUM)."""
    element = found.get(name)
    if element is not None:
        text: str | None = element.text
        if text and not text.isspace():
            value = _DATE_CACHE.get(text)
            if value is not None:
                return value
            return _date_value(ctx, element, name, text, rule, personal)
    ctx.missing(parent, name, rule)
    return None


def _opt_date(ctx: _Context, found: dict[str, Element], name: str) -> date | None:
    element = found.get(name)
    if element is not None:
        text: str | None = element.text
        if text and not text.isspace():
            value = _DATE_CACHE.get(text)
            if value is not None:
                return value
            return _date_value(ctx, element, name, text, "VERPLICHT", False)
    return None


def _date_value(
    ctx: _Context, element: Element, name: str, text: str, rule: str, personal: bool
) -> date | None:
    value = _parse_date(text)
    if value is None:
        shown = "" if personal else f" {text.strip()[:40]!r}"
        ctx.error(
            "DATUM" if rule == "VERPLICHT" else rule,
            element_path(element),
            f"{name}{shown} is geen geldige datum; verwacht JJJJ-MM-DD zonder tijdzone.",
        )
    return value


def _int(ctx: _Context, found: dict[str, Element], parent: Element, name: str) -> int | None:
    """Required xs:integer child (an optional sign, ASCII digits)."""
    element = found.get(name)
    if element is not None:
        text: str | None = element.text
        if text and text.isdigit() and text.isascii() and len(text) <= 18:
            return int(text)
        if text and not text.isspace():
            return _int_value(ctx, element, name, text)
    ctx.missing(parent, name)
    return None


def _opt_int(ctx: _Context, found: dict[str, Element], name: str) -> int | None:
    element = found.get(name)
    if element is not None:
        text: str | None = element.text
        if text and text.isdigit() and text.isascii() and len(text) <= 18:
            return int(text)
        if text and not text.isspace():
            return _int_value(ctx, element, name, text)
    return None


def _int_value(ctx: _Context, element: Element, name: str, text: str) -> int | None:
    text = text.strip()
    digits = text[1:] if text[:1] in "+-" else text  # xs:integer allows a sign
    if digits.isdigit() and digits.isascii() and len(digits) <= 18:
        return int(text)
    ctx.error("GETAL", element_path(element), f"{name} {text[:40]!r} is geen geheel getal.")
    return None


def _time(ctx: _Context, found: dict[str, Element], parent: Element, name: str) -> time | None:
    element = found.get(name)
    text = _text(element)
    if text is None:
        ctx.missing(parent, name)
        return None
    if _TIME.match(text):
        head, _, fraction = text.partition(".")
        try:
            return time.fromisoformat(head + ("." + fraction[:6].ljust(6, "0") if fraction else ""))
        except ValueError:
            pass
    ctx.error(
        "TIJD",
        element_path(element),
        f"{name} {text[:40]!r} is geen geldige tijd; verwacht UU:MM:SS zonder tijdzone.",
    )
    return None


def _product(ctx: _Context, element: Element | None) -> tuple[str | None, str | None]:
    """(Categorie, Code) of an optional CDT_Product."""
    if element is None:
        return None, None
    found = ctx.children(element)
    return _str(ctx, found, element, "Categorie"), _opt_str(found, "Code")


def _omvang(ctx: _Context, element: Element | None) -> tuple[int | None, str | None, str | None]:
    """(Volume, Eenheid, Frequentie) of an optional CDT_Omvang (all three required inside)."""
    if element is None:
        return None, None, None
    found = ctx.children(element)
    return (
        _int(ctx, found, element, "Volume"),
        _str(ctx, found, element, "Eenheid"),
        _str(ctx, found, element, "Frequentie"),
    )


def _euro(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}€ {whole:,}".replace(",", ".") + f",{rest:02d}"


# --------------------------------------------------------------------------------------------
# Header


def _header(ctx: _Context) -> Header | None:
    element = ctx.header
    if element is None:
        ctx.missing(ctx.root, "Header")
        return None
    message_type = ctx.message_type
    h = ctx.header_kids
    problems_before = len(ctx.problems)
    code = _str(ctx, h, element, "BerichtCode") or ""
    versie = _int(ctx, h, element, "BerichtVersie")
    subversie = _int(ctx, h, element, "BerichtSubversie")
    if versie is not None and subversie is not None and (versie, subversie) != (3, 2):
        ctx.error(
            "HEADER-VERSIE",
            element_path(h["BerichtVersie"] if versie != 3 else h["BerichtSubversie"]),
            f"BerichtVersie {versie}, BerichtSubversie {subversie}: dit is geen iWmo 3.2-bericht "
            "(verwacht BerichtVersie 3 en BerichtSubversie 2); alleen iWmo 3.2 wordt ingelezen.",
        )
    afzender = _str(ctx, h, element, "Afzender")
    ontvanger = _str(ctx, h, element, "Ontvanger")
    gemeente_sends = message_type in _GEMEENTE_SENDS
    if afzender is not None:
        _check_party(ctx, h["Afzender"], "Afzender", afzender, gemeente=gemeente_sends)
    if ontvanger is not None:
        _check_party(ctx, h["Ontvanger"], "Ontvanger", ontvanger, gemeente=not gemeente_sends)

    identificatie, dagtekening = _identification(ctx, h, element, "BerichtIdentificatie")
    identificatie_retour: str | None = None
    dagtekening_retour: date | None = None
    original = message_type.original
    if message_type in _RETOURS:
        identificatie_retour = _str(ctx, h, element, "IdentificatieRetour")
        dagtekening_retour = _date(ctx, h, element, "DagtekeningRetour")
    elif message_type is _T.WMO325:
        # Same convention as the retours: identificatie = the original (323) message's.
        identificatie_retour, dagtekening_retour = identificatie, dagtekening
        identificatie, dagtekening = _identification(ctx, h, element, "DeclaratieIdentificatie")
    if len(ctx.problems) != problems_before:
        return None
    assert versie is not None and subversie is not None
    assert afzender is not None and ontvanger is not None
    assert identificatie is not None and dagtekening is not None
    return Header(
        message_type,
        code,
        versie,
        subversie,
        afzender,
        ontvanger,
        identificatie,
        dagtekening,
        identificatie_retour,
        dagtekening_retour,
        original.berichtcode if original is not None else None,
    )


def _identification(
    ctx: _Context, found: dict[str, Element], parent: Element, name: str
) -> tuple[str | None, date | None]:
    element = found.get(name)
    if element is None:
        ctx.missing(parent, name)
        return None, None
    inner = ctx.children(element)
    return _str(ctx, inner, element, "Identificatie"), _date(ctx, inner, element, "Dagtekening")


def _check_party(ctx: _Context, element: Element, name: str, value: str, *, gemeente: bool) -> None:
    length = 4 if gemeente else 8
    if len(value) == length and value.isascii() and value.isdigit():
        return
    rule = "HEADER-AFZENDER" if name == "Afzender" else "HEADER-ONTVANGER"
    expected = (
        "een gemeentecode (CBS, 4 cijfers)"
        if gemeente
        else "een AGB-code van de aanbieder (8 cijfers)"
    )
    ctx.error(
        rule,
        element_path(element),
        f"{name} {value[:20]!r} is geen geldige code: in een {ctx.message_type.value} is de "
        f"{name} {expected}.",
    )


# --------------------------------------------------------------------------------------------
# Clients


def _client(ctx: _Context, element: Element) -> tuple[str, dict[str, Element]]:
    """Register the ClientInfo of a Client element; returns (client_key, children)."""
    found = ctx.children(element)
    key = ctx.client_key(element, found)
    birth_year: int | None = None
    geboortedatum = found.get("Geboortedatum")
    if geboortedatum is not None:
        inner = ctx.children(geboortedatum)
        born = _date(ctx, inner, geboortedatum, "Datum", personal=True)
        if born is not None:
            birth_year = born.year
    gender = _opt_str(found, "Geslacht")
    if key and key not in ctx.clients:
        ctx.clients[key] = ClientInfo(key, birth_year, gender)
    return key, found


def _single_client(ctx: _Context, root: Element) -> tuple[str, dict[str, Element], Element] | None:
    """(client_key, children, element) of the one Client of a 301/305/307/315/317."""
    element = ctx.top.get("Client")
    if element is None:
        ctx.missing(root, "Client")
        return None
    key, children = _client(ctx, element)
    return key, children, element


def _items(
    ctx: _Context, found: dict[str, Element], parent: Element, container: str, item: str
) -> list[Element]:
    """The ``item`` children of the required ``container`` child (e.g. StartProducten)."""
    element = found.get(container)
    if element is None:
        ctx.missing(parent, container)
        return []
    tag_names = ctx.names
    items = [child for child in element if tag_names.get(child.tag) == item]
    if not items:
        ctx.missing(element, item)
    return items


# --------------------------------------------------------------------------------------------
# Per message type


def _extract_301(ctx: _Context, root: Element) -> dict[str, Any]:
    client = _single_client(ctx, root)
    if client is None:
        return {}
    key, found, client_element = client
    result: list[Toewijzing] = []
    for element in _items(ctx, found, client_element, "ToegewezenProducten", "ToegewezenProduct"):
        f = ctx.children(element)
        nummer = _int(ctx, f, element, "ToewijzingNummer")
        categorie, code = _product(ctx, f.get("Product"))
        toewijzingsdatum = _date(ctx, f, element, "Toewijzingsdatum")
        toewijzingstijd = _time(ctx, f, element, "Toewijzingstijd")
        ingangsdatum = _date(ctx, f, element, "Ingangsdatum")
        einddatum = _opt_date(ctx, f, "Einddatum")
        reden = _opt_str(f, "RedenWijziging")
        volume, eenheid, frequentie = _omvang(ctx, f.get("Omvang"))
        budget = _opt_int(ctx, f, "Budget")
        if ingangsdatum is not None and einddatum is not None and einddatum < ingangsdatum:
            ctx.error(
                "CS003",
                element_path(f["Einddatum"]),
                f"Toewijzing {nummer}: Einddatum {einddatum} ligt voor Ingangsdatum "
                f"{ingangsdatum} (CS003).",
            )
        if reden == "13" and (einddatum is None or einddatum != ingangsdatum):
            ctx.error(
                "CS335",
                element_path(f["RedenWijziging"]),
                f"Toewijzing {nummer}: RedenWijziging 13 (verwijderd) mag alleen als Einddatum "
                f"gelijk is aan Ingangsdatum; Einddatum is {einddatum or 'leeg'}, Ingangsdatum "
                f"{ingangsdatum} (CS335).",
            )
        elif reden == "01":
            ctx.warning(
                "CS336",
                element_path(f["RedenWijziging"]),
                f"Toewijzing {nummer}: RedenWijziging 01 (administratieve correctie) is vervallen "
                "en mag niet meer worden gebruikt (CS336).",
            )
        if (
            nummer is None
            or toewijzingsdatum is None
            or toewijzingstijd is None
            or ingangsdatum is None
        ):
            continue
        result.append(
            Toewijzing(
                key,
                nummer,
                categorie,
                code,
                toewijzingsdatum,
                toewijzingstijd,
                ingangsdatum,
                einddatum,
                reden,
                volume,
                eenheid,
                frequentie,
                budget,
                _opt_str(f, "ReferentieAanbieder"),
            )
        )
    return {"toewijzingen": tuple(result)}


def _status(ctx: _Context, found: dict[str, Element], parent: Element) -> str | None:
    status = _str(ctx, found, parent, "StatusAanlevering")
    if status is not None and status not in ("1", "3"):
        ctx.error(
            "CS058",
            element_path(found["StatusAanlevering"]),
            f"StatusAanlevering {status[:10]!r} is niet toegestaan in een "
            f"{ctx.message_type.value}: alleen 1 (eerste aanlevering) of 3 (verwijderen "
            "aanlevering) (CS058).",
        )
        return None
    return status


def _extract_305(ctx: _Context, root: Element) -> dict[str, Any]:
    client = _single_client(ctx, root)
    if client is None:
        return {}
    key, found, client_element = client
    result: list[StartProduct] = []
    for element in _items(ctx, found, client_element, "StartProducten", "StartProduct"):
        f = ctx.children(element)
        nummer = _opt_int(ctx, f, "ToewijzingNummer")
        categorie, code = _product(ctx, f.get("Product"))
        toewijzing_ingangsdatum = _opt_date(ctx, f, "ToewijzingIngangsdatum")
        begindatum = _date(ctx, f, element, "Begindatum")
        status = _status(ctx, f, element)
        if begindatum is None or status is None:
            continue
        result.append(
            StartProduct(
                key,
                nummer,
                categorie,
                code,
                toewijzing_ingangsdatum,
                begindatum,
                status,
            )
        )
    return {"starts": tuple(result)}


def _extract_307(ctx: _Context, root: Element) -> dict[str, Any]:
    client = _single_client(ctx, root)
    if client is None:
        return {}
    key, found, client_element = client
    result: list[StopProduct] = []
    for element in _items(ctx, found, client_element, "StopProducten", "StopProduct"):
        f = ctx.children(element)
        nummer = _opt_int(ctx, f, "ToewijzingNummer")
        categorie, code = _product(ctx, f.get("Product"))
        toewijzing_ingangsdatum = _opt_date(ctx, f, "ToewijzingIngangsdatum")
        # TR382: the stop copies the Begindatum of the start it closes; it must be a date. The
        # pairing with that start is checked later, against stored starts.
        begindatum = _date(ctx, f, element, "Begindatum", "TR382")
        reden = _str(ctx, f, element, "RedenBeeindiging")
        einddatum = _date(ctx, f, element, "Einddatum")
        status = _status(ctx, f, element)
        if begindatum is not None and einddatum is not None and einddatum < begindatum:
            ctx.error(
                "CS003",
                element_path(f["Einddatum"]),
                f"Stop van toewijzing {nummer if nummer is not None else '(zonder nummer)'}: "
                f"Einddatum {einddatum} ligt voor Begindatum {begindatum} (CS003).",
            )
        if begindatum is None or einddatum is None or reden is None or status is None:
            continue
        result.append(
            StopProduct(
                key,
                nummer,
                categorie,
                code,
                toewijzing_ingangsdatum,
                begindatum,
                reden,
                einddatum,
                status,
            )
        )
    return {"stops": tuple(result)}


def _extract_315(ctx: _Context, root: Element) -> dict[str, Any]:
    client = _single_client(ctx, root)
    if client is None:
        return {}
    key, found, client_element = client
    result: list[Verzoek] = []
    for element in _items(
        ctx, found, client_element, "AangevraagdeProducten", "AangevraagdProduct"
    ):
        f = ctx.children(element)
        referentie = _str(ctx, f, element, "ReferentieAanbieder")
        categorie, code = _product(ctx, f.get("Product"))
        ingangsdatum = _date(ctx, f, element, "ToewijzingIngangsdatum")
        einddatum = _opt_date(ctx, f, "ToewijzingEinddatum")
        volume, eenheid, frequentie = _omvang(ctx, f.get("Omvang"))
        budget = _opt_int(ctx, f, "Budget")
        if referentie is None:
            continue
        result.append(
            Verzoek(
                client_key=key,
                kind="VOT",
                referentie_aanbieder=referentie,
                categorie=categorie,
                productcode=code,
                ingangsdatum=ingangsdatum,
                einddatum=einddatum,
                volume=volume,
                eenheid=eenheid,
                frequentie=frequentie,
                reden_verzoek=None,
                budget=budget,
            )
        )
    return {"verzoeken": tuple(result)}


def _extract_317(ctx: _Context, root: Element) -> dict[str, Any]:
    client = _single_client(ctx, root)
    if client is None:
        return {}
    key, found, client_element = client
    verzoek = found.get("Verzoek")
    if verzoek is None:
        ctx.missing(client_element, "Verzoek")
        return {}
    v = ctx.children(verzoek)
    referentie = _str(ctx, v, verzoek, "ReferentieAanbieder")
    reden = _str(ctx, v, verzoek, "RedenVerzoek")
    names = ctx.names
    ongewijzigd: list[int] = []
    container = v.get("OngewijzigdeProducten")
    if container is not None:
        for element in container:
            if names.get(element.tag) == "OngewijzigdProduct":
                nummer = _int(ctx, ctx.children(element), element, "ToewijzingNummer")
                if nummer is not None:
                    ongewijzigd.append(nummer)
    result: list[Verzoek] = []
    for container_name, item_name in (
        ("TeWijzigenProducten", "TeWijzigenProduct"),
        ("NieuweProducten", "NieuwProduct"),
    ):
        container = v.get(container_name)
        if container is None:
            continue
        for element in container:
            if names.get(element.tag) != item_name:
                continue
            f = ctx.children(element)
            nummer = None
            if item_name == "TeWijzigenProduct":
                nummer = _int(ctx, f, element, "ToewijzingNummer")
            categorie, code = _product(ctx, f.get("Product"))
            ingangsdatum = _date(ctx, f, element, "GewensteIngangsdatum")
            einddatum = _opt_date(ctx, f, "Einddatum")
            volume, eenheid, frequentie = _omvang(ctx, f.get("Omvang"))
            budget = _opt_int(ctx, f, "Budget")
            if referentie is None:
                continue
            result.append(
                Verzoek(
                    client_key=key,
                    kind="VOW",
                    referentie_aanbieder=referentie,
                    categorie=categorie,
                    productcode=code,
                    ingangsdatum=ingangsdatum,
                    einddatum=einddatum,
                    volume=volume,
                    eenheid=eenheid,
                    frequentie=frequentie,
                    reden_verzoek=reden,
                    toewijzing_nummer=nummer,
                    budget=budget,
                )
            )
    return {"verzoeken": tuple(result), "ongewijzigde_toewijzingen": tuple(ongewijzigd)}


def _extract_319(ctx: _Context, root: Element) -> dict[str, Any]:
    element = ctx.top.get("Antwoord")
    if element is None:
        ctx.missing(root, "Antwoord")
        return {}
    f = ctx.children(element)
    referentie = _str(ctx, f, element, "ReferentieAanbieder")
    antwoord = _str(ctx, f, element, "VerzoekAntwoord")
    if referentie is None or antwoord is None:
        return {}
    return {"antwoord": Antwoord(referentie, antwoord, _opt_str(f, "RedenAfwijzingVerzoek"))}


def _period(
    ctx: _Context, found: dict[str, Element], parent: Element, name: str
) -> tuple[date | None, date | None, Element | None]:
    element = found.get(name)
    if element is None:
        ctx.missing(parent, name)
        return None, None, None
    inner = ctx.children(element)
    begin = _date(ctx, inner, element, "Begindatum")
    end = _date(ctx, inner, element, "Einddatum")
    return begin, end, element


def _amount(
    ctx: _Context, found: dict[str, Element], parent: Element, name: str, amount_name: str
) -> tuple[int | None, str | None]:
    element = found.get(name)
    if element is None:
        ctx.missing(parent, name)
        return None, None
    inner = ctx.children(element)
    value = _int(ctx, inner, element, amount_name)
    debet_credit = _str(ctx, inner, element, "DebetCredit")
    if debet_credit is not None and debet_credit not in ("D", "C"):
        ctx.error(
            "DEBETCREDIT",
            element_path(inner["DebetCredit"]),
            f"DebetCredit {debet_credit[:10]!r} is ongeldig; verwacht D of C.",
        )
        debet_credit = None
    return value, debet_credit


def _extract_323(ctx: _Context, root: Element) -> dict[str, Any]:
    element = ctx.top.get("Declaratie")
    if element is None:
        ctx.missing(root, "Declaratie")
        return {}
    d = ctx.children(element)
    nummer = _str(ctx, d, element, "DeclaratieNummer")
    begin, end, period_element = _period(ctx, d, element, "DeclaratiePeriode")
    dagtekening = _date(ctx, d, element, "DeclaratieDagtekening")
    totaal, totaal_dc = _amount(ctx, d, element, "TotaalIngediendBedrag", "TotaalBedrag")
    month_ok = False
    if begin is not None and end is not None:
        last_day = calendar.monthrange(begin.year, begin.month)[1]
        month_ok = begin.day == 1 and end == begin.replace(day=last_day)
        if not month_ok:
            ctx.error(
                "CS340",
                element_path(period_element),
                f"DeclaratiePeriode {begin} t/m {end} is geen kalendermaand; een declaratie "
                "beslaat precies één kalendermaand, van de eerste tot en met de laatste dag "
                "(CS340).",
            )
    prestaties: list[Prestatie] = []
    children = ctx.children
    # A prestatie running past this date breaks PRODUCTPERIODE (only checked for a valid month).
    month_end = end if month_ok else None
    for client_element in _items(ctx, d, element, "Clienten", "Client"):
        key, c = _client(ctx, client_element)
        for p_element in _items(ctx, c, client_element, "Prestaties", "Prestatie"):
            p = children(p_element)
            prestatie = _fast_prestatie(ctx, p, key, month_end)
            if prestatie is None:
                prestatie = _slow_prestatie(ctx, p_element, p, key, month_ok, begin, end)
            if prestatie is not None:
                prestaties.append(prestatie)
    if (
        nummer is None
        or begin is None
        or end is None
        or dagtekening is None
        or totaal is None
        or totaal_dc is None
    ):
        return {}
    if not any(p.severity == "error" for p in ctx.problems):
        signed_total = totaal if totaal_dc == "D" else -totaal
        signed_sum = sum(p.bedrag if p.debet_credit == "D" else -p.bedrag for p in prestaties)
        if signed_total != signed_sum:
            ctx.warning(
                "TR358",
                element_path(d["TotaalIngediendBedrag"]),
                f"TotaalIngediendBedrag is {_euro(signed_total)}, maar de prestaties tellen op tot "
                f"{_euro(signed_sum)} (som debet min som credit) (TR358).",
            )
    declaratie = Declaratie(
        declaratienummer=nummer,
        periode_begin=begin,
        periode_eind=end,
        dagtekening=dagtekening,
        totaal_bedrag=totaal,
        debet_credit=totaal_dc,
        prestaties=tuple(prestaties),
    )
    return {"declaratie": declaratie}


def _fast_prestatie(
    ctx: _Context, p: dict[str, Element], key: str, month_end: date | None
) -> Prestatie | None:
    """The common case of a Prestatie without any problem, read inline. Returns None whenever
    anything is missing, unreadable or breaks a rule; :func:`_slow_prestatie` then reads it again
    and records the problems (so the result is the same as reading it the slow way)."""
    get = ctx.get
    try:
        referentie_element = p["ProductReferentie"]
        period_element = p["ProductPeriode"]
        amount_element = p["IngediendBedrag"]
        toewijzing_text = p["ToewijzingNummer"].text
        categorie = p["ProductCategorie"].text
        code = p["ProductCode"].text
        volume_text = p["GeleverdVolume"].text
        eenheid = p["Eenheid"].text
    except KeyError:
        return None
    referentie = vorige = None
    for child in referentie_element:
        name = get(child.tag)
        if name == "ReferentieNummer":
            referentie = child.text
        elif name == "VorigReferentieNummer":
            vorige = child.text
    begin_text = end_text = None
    for child in period_element:
        name = get(child.tag)
        if name == "Begindatum":
            begin_text = child.text
        elif name == "Einddatum":
            end_text = child.text
    bedrag_text = debet_credit = None
    for child in amount_element:
        name = get(child.tag)
        if name == "Bedrag":
            bedrag_text = child.text
        elif name == "DebetCredit":
            debet_credit = child.text
    if not (
        referentie
        and categorie
        and code
        and eenheid
        and begin_text
        and end_text
        and debet_credit
        and toewijzing_text
        and toewijzing_text.isdigit()
        and toewijzing_text.isascii()
        and len(toewijzing_text) <= 18
        and volume_text
        and volume_text.isdigit()
        and volume_text.isascii()
        and len(volume_text) <= 18
        and bedrag_text
        and bedrag_text.isdigit()
        and bedrag_text.isascii()
        and len(bedrag_text) <= 18
    ):
        return None
    referentie = referentie.strip()
    categorie = categorie.strip()
    code = code.strip()
    eenheid = eenheid.strip()
    debet_credit = debet_credit.strip()
    if not (referentie and categorie and code and eenheid) or debet_credit not in ("D", "C"):
        return None
    p_begin = _DATE_CACHE.get(begin_text) or _parse_date(begin_text)
    p_end = _DATE_CACHE.get(end_text) or _parse_date(end_text)
    if p_begin is None or p_end is None or p_end < p_begin:
        return None
    if month_end is not None and p_end > month_end:
        return None
    tarief: int | None = None
    tarief_element = p.get("ProductTarief")
    if tarief_element is not None:
        tarief_text = tarief_element.text
        if tarief_text and tarief_text.isdigit() and tarief_text.isascii():
            if len(tarief_text) > 18:
                return None
            tarief = int(tarief_text)
        elif tarief_text and not tarief_text.isspace():
            return None
    if vorige is not None:
        vorige = vorige.strip() or None
    return Prestatie(
        key,
        referentie,
        vorige,
        int(toewijzing_text),
        categorie,
        code,
        p_begin,
        p_end,
        int(volume_text),
        eenheid,
        tarief,
        int(bedrag_text),
        debet_credit,
    )


def _slow_prestatie(
    ctx: _Context,
    p_element: Element,
    p: dict[str, Element],
    key: str,
    month_ok: bool,
    begin: date | None,
    end: date | None,
) -> Prestatie | None:
    """One Prestatie, recording every problem on ``ctx``."""
    referentie_element = p.get("ProductReferentie")
    referentie = vorige = None
    if referentie_element is None:
        ctx.missing(p_element, "ProductReferentie")
    else:
        r = ctx.children(referentie_element)
        referentie = _str(ctx, r, referentie_element, "ReferentieNummer")
        vorige = _opt_str(r, "VorigReferentieNummer")
    toewijzing = _int(ctx, p, p_element, "ToewijzingNummer")
    categorie = _str(ctx, p, p_element, "ProductCategorie")
    code = _str(ctx, p, p_element, "ProductCode")
    p_begin, p_end, p_period = _period(ctx, p, p_element, "ProductPeriode")
    volume = _int(ctx, p, p_element, "GeleverdVolume")
    eenheid = _str(ctx, p, p_element, "Eenheid")
    tarief = _opt_int(ctx, p, "ProductTarief")
    bedrag, bedrag_dc = _amount(ctx, p, p_element, "IngediendBedrag", "Bedrag")
    if p_begin is not None and p_end is not None:
        if p_end < p_begin:
            ctx.error(
                "CS003",
                element_path(p_period),
                f"Prestatie {referentie or '?'}: ProductPeriode-Einddatum {p_end} ligt "
                f"voor Begindatum {p_begin} (CS003).",
            )
        elif month_ok and end is not None and p_end > end:
            # Earlier periods are fine: late claims go in a later declaration (IV090).
            ctx.error(
                "PRODUCTPERIODE",
                element_path(p_period),
                f"Prestatie {referentie or '?'}: ProductPeriode {p_begin} t/m {p_end} "
                f"loopt door na de DeclaratiePeriode {begin} t/m {end}; zorg kan pas na "
                "afloop van de periode worden gedeclareerd.",
            )
    if (
        referentie is None
        or toewijzing is None
        or categorie is None
        or code is None
        or p_begin is None
        or p_end is None
        or volume is None
        or eenheid is None
        or bedrag is None
        or bedrag_dc is None
    ):
        return None
    return Prestatie(
        key,
        referentie,
        vorige,
        toewijzing,
        categorie,
        code,
        p_begin,
        p_end,
        volume,
        eenheid,
        tarief,
        bedrag,
        bedrag_dc,
    )


def _codes(root: Element, ctx: _Context) -> list[str]:
    tag = f"{{{NAMESPACES[ctx.message_type]}}}RetourCode"
    return [text for text in (_text(e) for e in root.iter(tag)) if text is not None]


def _extract_retour(ctx: _Context, root: Element) -> dict[str, Any]:
    client = ctx.top.get("Client")
    if client is not None:
        _client(ctx, client)
    codes = _codes(root, ctx)
    rejected = any(code not in _NOT_REJECTING for code in codes)
    return {"retour": Retour(rejected=rejected, codes=tuple(dict.fromkeys(codes)))}


def _extract_325(ctx: _Context, root: Element) -> dict[str, Any]:
    codes = _codes(root, ctx)
    distinct = tuple(dict.fromkeys(codes))
    header_codes = _direct_codes(ctx, ctx.header_kids)
    element = ctx.top.get("DeclaratieAntwoord")
    if element is None:
        rejected = any(code not in _NOT_REJECTING_325 for code in header_codes)
        return {
            "declaratie_antwoord": DeclaratieAntwoord(
                declaratienummer="",
                rejected_referentienummers=(),
                codes=distinct,
                totaal_toegekend=None,
                rejected=rejected,
            )
        }
    a = ctx.children(element)
    nummer = _str(ctx, a, element, "DeclaratieNummer")
    ingediend, ingediend_dc = _amount(ctx, a, element, "TotaalIngediendBedrag", "TotaalBedrag")
    toegekend, toegekend_dc = _amount(ctx, a, element, "TotaalToegekendBedrag", "TotaalBedrag")
    own_codes = header_codes + _direct_codes(ctx, a)
    rejected_refs: list[str] = []
    clienten = a.get("Clienten")
    if clienten is not None:
        for client_element in clienten:
            if ctx.names.get(client_element.tag) != "Client":
                continue
            c = _client(ctx, client_element)[1]
            client_codes = _direct_codes(ctx, c)
            client_rejects = any(code not in _NOT_REJECTING_325 for code in client_codes)
            prestaties = c.get("Prestaties")
            if prestaties is None:
                ctx.missing(client_element, "Prestaties")
                continue
            for p_element in prestaties:
                if ctx.names.get(p_element.tag) != "Prestatie":
                    continue
                p = ctx.children(p_element)
                referentie_element = p.get("ProductReferentie")
                if referentie_element is None:
                    ctx.missing(p_element, "ProductReferentie")
                    continue
                r = ctx.children(referentie_element)
                referentie = _str(ctx, r, referentie_element, "ReferentieNummer")
                prestatie_codes = _direct_codes(ctx, p)
                if referentie is not None and (
                    client_rejects
                    or any(code not in _NOT_REJECTING_325 for code in prestatie_codes)
                ):
                    rejected_refs.append(referentie)
    if nummer is None:
        return {}
    return {
        "declaratie_antwoord": DeclaratieAntwoord(
            declaratienummer=nummer,
            rejected_referentienummers=tuple(dict.fromkeys(rejected_refs)),
            codes=distinct,
            totaal_toegekend=toegekend,
            totaal_toegekend_debet_credit=toegekend_dc,
            totaal_ingediend=ingediend,
            totaal_ingediend_debet_credit=ingediend_dc,
            rejected=any(code not in _NOT_REJECTING_325 for code in own_codes),
        )
    }


def _direct_codes(ctx: _Context, found: dict[str, Element]) -> list[str]:
    """The codes of the RetourCodes child of an element (not of its descendants)."""
    element = found.get("RetourCodes")
    if element is None:
        return []
    return [t for t in (_text(e) for e in element if isinstance(e.tag, str)) if t is not None]


_EXTRACTORS = {
    _T.WMO301: _extract_301,
    _T.WMO302: _extract_retour,
    _T.WMO305: _extract_305,
    _T.WMO306: _extract_retour,
    _T.WMO307: _extract_307,
    _T.WMO308: _extract_retour,
    _T.WMO315: _extract_315,
    _T.WMO317: _extract_317,
    _T.WMO319: _extract_319,
    _T.WMO323: _extract_323,
    _T.WMO325: _extract_325,
}


# --------------------------------------------------------------------------------------------
# Blanking


def _strip_personal(root: Element) -> None:
    """Remove names, contact data, addresses, telephone numbers, e-mail, communication needs,
    relations, legal representation, free-text Commentaar and DatumGebruik, wherever they occur.
    Runs in C (``strip_elements``) before the extraction, which needs none of it."""
    etree.strip_elements(root, *_STRIP_TAGS, with_tail=False)


def _blank(root: Element, pseudonymizer: Pseudonymizer) -> bytes:
    """Finish blanking (after :func:`_strip_personal`) and serialise: every Bsn becomes its
    client_key and a Geboortedatum keeps only the year (``Datum`` = ``YYYY``)."""
    client_key = pseudonymizer.client_key
    for element in root.iter(_BSN_TAG, _GEBOORTEDATUM_TAG):
        tag = element.tag
        if tag.endswith("}Bsn") or tag == "Bsn":
            text = element.text
            text = text.strip() if text else ""
            element.text = client_key(text) if text else ""
            if len(element):  # not in iWmo; never keep anything inside a Bsn
                for child in list(element):
                    element.remove(child)
        else:  # Geboortedatum: only the year of its Datum survives
            element.text = None
            for child in list(element):
                year = (child.text or "").strip()[:4]
                if local_name(child.tag) == "Datum" and len(year) == 4 and year.isdigit():
                    child.text = year
                    child[:] = []
                else:
                    element.remove(child)
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return result
