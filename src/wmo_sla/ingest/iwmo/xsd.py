# SPDX-License-Identifier: EUPL-1.2
"""XSD validation (level 1 of the iWmo checks) with libxml2 through lxml.

A :class:`SchemaSet` points at a directory with ``WMO301.xsd`` … and ``basisschema.xsd``. Each
schema is compiled lazily, on first use, once per thread (an lxml ``XMLSchema`` keeps its error
log on the object, so sharing one between threads would mix up the errors). Reading the XSDs uses
the same hardened parser as the messages, and a resolver that only serves files from the schema
directory: an ``xs:import`` of anything else (another directory, ``http://…``) is refused, so
compiling never touches the network or the rest of the file system.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from lxml import etree

from wmo_sla.ingest.iwmo._tree import (
    Element,
    element_path,
    find_by_libxml2_path,
    find_by_line,
    local_name,
    new_hardened_parser,
)
from wmo_sla.ingest.iwmo.pseudonym import mask_bsn
from wmo_sla.ingest.iwmo.records import MessageType, Problem

__all__ = ["SchemaError", "SchemaSet"]

_NS_BRACES = re.compile(r"\{[A-Za-z][\w+.-]*:[^{}\s']*\}")  # "{http://…}" before a local name
_ELEMENT_IN_MESSAGE = re.compile(r"^Element '([^']+)'")
_VALUE_IN_MESSAGE = re.compile(r"(The value )'[^']*'")
# Elements whose value must not be echoed in a problem message (libxml2 quotes the value).
_PERSONAL_ELEMENTS = frozenset(
    {
        "Achternaam",
        "Voorvoegsel",
        "Voornamen",
        "Voorletters",
        "Datum",
        "Straatnaam",
        "Huisnummer",
        "Huisletter",
        "HuisnummerToevoeging",
        "Postcode",
        "Plaatsnaam",
        "Telefoonnummer",
        "Emailadres",
        "Commentaar",
        "Organisatie",
        "Naam",
        "Taal",
    }
)
_MAX_PROBLEMS = 50


class SchemaError(RuntimeError):
    """The schema directory is unusable (missing basisschema, broken or refused import)."""


class _DirectoryResolver(etree.Resolver):  # type: ignore[misc]
    """Serves only regular files inside one directory; refuses every other URL."""

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self._directory = directory

    def resolve(self, url: str | None, pubid: str | None, context: Any) -> Any:
        if not url:
            raise SchemaError("Lege schemaLocation in een XSD.")
        parsed = urlparse(url)
        if parsed.scheme not in ("", "file") or parsed.netloc not in ("", "localhost"):
            raise SchemaError(f"XSD-import van {url!r} geweigerd: alleen lokale bestanden.")
        raw = unquote(parsed.path) if parsed.scheme == "file" else url
        candidate = Path(raw) if os.path.isabs(raw) else self._directory / raw
        resolved = candidate.resolve()
        if resolved.parent != self._directory or not resolved.is_file():
            raise SchemaError(
                f"XSD-import van {url!r} geweigerd: het bestand staat niet in {self._directory}."
            )
        return self.resolve_filename(str(resolved), context)


class SchemaSet:
    """The iWmo 3.2 XSDs of one directory. Types without an XSD there are not validated."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory.resolve()
        if not self._directory.is_dir():
            raise SchemaError(f"De XSD-map {directory} bestaat niet.")
        self._files: dict[MessageType, Path] = {}
        for message_type in MessageType:
            path = self._directory / f"{message_type.value}.xsd"
            if path.is_file():
                self._files[message_type] = path
        if self._files and not (self._directory / "basisschema.xsd").is_file():
            raise SchemaError(f"basisschema.xsd ontbreekt in {directory}.")
        self._local = threading.local()
        self._lock = threading.Lock()
        self._documents: dict[MessageType, Any] = {}

    @classmethod
    def from_directory(cls, path: str | os.PathLike[str]) -> SchemaSet:
        return cls(Path(path))

    @property
    def directory(self) -> Path:
        return self._directory

    @property
    def message_types(self) -> frozenset[MessageType]:
        """The types that have an XSD in the directory."""
        return frozenset(self._files)

    def has(self, message_type: MessageType) -> bool:
        return message_type in self._files

    def _document(self, message_type: MessageType) -> Any:
        with self._lock:
            document = self._documents.get(message_type)
            if document is None:
                path = self._files[message_type]
                parser = new_hardened_parser()
                parser.resolvers.add(_DirectoryResolver(self._directory))
                try:
                    with path.open("rb") as handle:
                        document = etree.parse(handle, parser, base_url=str(path))
                except etree.XMLSyntaxError as exc:
                    raise SchemaError(f"{path.name} is geen goedgevormde XML: {exc}") from exc
                if document.docinfo.doctype:
                    raise SchemaError(f"{path.name} bevat een DOCTYPE; dat wordt geweigerd.")
                self._documents[message_type] = document
            return document

    def schema(self, message_type: MessageType) -> Any | None:
        """The compiled ``etree.XMLSchema`` for this thread, or None without an XSD file."""
        if message_type not in self._files:
            return None
        compiled: dict[MessageType, Any] | None = getattr(self._local, "schemas", None)
        if compiled is None:
            compiled = {}
            self._local.schemas = compiled
        schema = compiled.get(message_type)
        if schema is None:
            document = self._document(message_type)
            try:
                schema = etree.XMLSchema(document)
            except etree.XMLSchemaParseError as exc:
                raise SchemaError(
                    f"{message_type.value}.xsd kan niet worden gecompileerd: {exc}"
                ) from exc
            compiled[message_type] = schema
        return schema

    def compile_all(self) -> None:
        """Compile every available schema now (for a warm start; otherwise lazy)."""
        for message_type in self._files:
            self.schema(message_type)

    def validate(self, message_type: MessageType, tree: Element) -> list[Problem]:
        """Validate an element (or element tree); one :class:`Problem` (rule ``XSD``) per error."""
        schema = self.schema(message_type)
        if schema is None:
            return []
        if schema.validate(tree):
            return []
        root = tree.getroot() if hasattr(tree, "getroot") else tree
        problems: list[Problem] = []
        for entry in schema.error_log:
            if len(problems) >= _MAX_PROBLEMS:
                problems.append(
                    Problem(
                        "XSD",
                        "/",
                        f"Meer dan {_MAX_PROBLEMS} XSD-fouten; de rest is weggelaten.",
                    )
                )
                break
            problems.append(_problem(message_type, root, entry))
        return problems


def _problem(message_type: MessageType, root: Element, entry: Any) -> Problem:
    text: str = str(entry.message or "").strip()
    match = _ELEMENT_IN_MESSAGE.match(text)
    tag = match.group(1) if match else None
    element = find_by_libxml2_path(root, entry.path)
    if element is None and entry.line:
        element = find_by_line(root, int(entry.line), tag)
    name = local_name(tag) if tag else (local_name(element.tag) if element is not None else "")
    if name == "Bsn":
        text = _VALUE_IN_MESSAGE.sub(lambda m: f"{m.group(1)}'{mask_bsn(_value(m))}'", text)
    elif name in _PERSONAL_ELEMENTS:
        text = _VALUE_IN_MESSAGE.sub(r"\1'***'", text)
    text = _NS_BRACES.sub("", text)
    path = element_path(element) if element is not None else "/"
    line = f" (regel {entry.line})" if entry.line else ""
    return Problem(
        "XSD",
        path,
        f"Het bericht voldoet niet aan het XSD-schema {message_type.value}.xsd{line}: {text}",
    )


def _value(match: re.Match[str]) -> str:
    whole = match.group(0)
    return whole[whole.index("'") + 1 : -1]
