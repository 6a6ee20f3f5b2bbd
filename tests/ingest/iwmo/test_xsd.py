# SPDX-License-Identifier: EUPL-1.2
"""The SchemaSet: lazy, per type, offline, and hardened against what an XSD could import."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from lxml import etree

from tests.ingest.iwmo._support import REFERENCE, fixture_bytes, needs_reference
from wmo_sla.ingest.iwmo import MessageType, SchemaError, SchemaSet

SCHEMA = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t"
           elementFormDefault="qualified">
  {extra}
  <xs:element name="Bericht" type="xs:string"/>
</xs:schema>
"""


def _schema_dir(tmp_path: Path, extra: str = "", prolog: str = "") -> Path:
    text = SCHEMA.format(extra=extra)
    if prolog:
        text = text.replace("<xs:schema", prolog + "\n<xs:schema", 1)
    (tmp_path / "WMO305.xsd").write_text(text, encoding="utf-8")
    (tmp_path / "basisschema.xsd").write_text(SCHEMA.format(extra=""), encoding="utf-8")
    return tmp_path


@needs_reference
def test_the_reference_directory_has_the_seven_message_types() -> None:
    schemas = SchemaSet.from_directory(REFERENCE / "xsd")
    assert schemas.message_types == {
        MessageType.WMO301,
        MessageType.WMO305,
        MessageType.WMO307,
        MessageType.WMO315,
        MessageType.WMO317,
        MessageType.WMO319,
        MessageType.WMO323,
    }


def test_types_without_an_xsd_are_not_validated(schemas: SchemaSet) -> None:
    tree = etree.fromstring(fixture_bytes("wmo306_retour_afgekeurd.xml"))
    assert not schemas.has(MessageType.WMO306)
    assert schemas.schema(MessageType.WMO306) is None
    assert schemas.validate(MessageType.WMO306, tree) == []


def test_validate_accepts_an_element_tree(schemas: SchemaSet) -> None:
    tree = etree.ElementTree(etree.fromstring(fixture_bytes("wmo305_start.xml")))
    assert schemas.validate(MessageType.WMO305, tree) == []


def test_a_missing_directory_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match="bestaat niet"):
        SchemaSet.from_directory(tmp_path / "nergens")


def test_a_missing_basisschema_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "WMO305.xsd").write_text(SCHEMA.format(extra=""), encoding="utf-8")
    with pytest.raises(SchemaError, match=r"basisschema\.xsd ontbreekt"):
        SchemaSet.from_directory(tmp_path)


@pytest.mark.parametrize(
    "location",
    [
        "http://example.invalid/kwaadaardig.xsd",
        "https://www.w3.org/2001/xml.xsd",
        "../buiten/de/map.xsd",
        "/etc/passwd",
        "file:///etc/passwd",
    ],
)
def test_imports_outside_the_directory_are_refused(tmp_path: Path, location: str) -> None:
    extra = f'<xs:import namespace="urn:ander" schemaLocation="{location}"/>'
    schemas = SchemaSet.from_directory(_schema_dir(tmp_path, extra))
    with pytest.raises(SchemaError, match="kan niet worden gecompileerd"):
        schemas.schema(MessageType.WMO305)


def test_an_import_from_the_directory_itself_works(tmp_path: Path) -> None:
    extra = '<xs:import namespace="urn:t2" schemaLocation="basisschema.xsd"/>'
    text = SCHEMA.format(extra="").replace('targetNamespace="urn:t"', 'targetNamespace="urn:t2"')
    schemas = SchemaSet.from_directory(_schema_dir(tmp_path, extra))
    (tmp_path / "basisschema.xsd").write_text(text, encoding="utf-8")
    tree = etree.fromstring(b'<Bericht xmlns="urn:t">x</Bericht>')
    assert schemas.validate(MessageType.WMO305, tree) == []


def test_a_doctype_in_an_xsd_is_refused(tmp_path: Path) -> None:
    prolog = '<!DOCTYPE xs:schema [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    schemas = SchemaSet.from_directory(_schema_dir(tmp_path, prolog=prolog))
    with pytest.raises(SchemaError, match="DOCTYPE"):
        schemas.schema(MessageType.WMO305)


def test_schemas_are_compiled_per_thread(schemas: SchemaSet) -> None:
    good = etree.fromstring(fixture_bytes("wmo305_start.xml"))
    bad = etree.fromstring(
        fixture_bytes("wmo305_start.xml").replace(
            b"<wmo305:StatusAanlevering>1<", b"<wmo305:StatusAanlevering>7<"
        )
    )
    results: dict[str, list[int]] = {"good": [], "bad": []}

    def work(name: str, tree: etree._Element) -> None:
        for _ in range(30):
            results[name].append(len(schemas.validate(MessageType.WMO305, tree)))

    threads = [
        threading.Thread(target=work, args=("good", good)),
        threading.Thread(target=work, args=("bad", bad)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(results["good"]) == {0}
    assert set(results["bad"]) == {1}
