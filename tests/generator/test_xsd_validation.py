# SPDX-License-Identifier: EUPL-1.2
"""Every generated message of the small region validates against the iWmo 3.2 XSDs (lxml)."""

from __future__ import annotations

import pytest
from lxml import etree

from .parsing import MESSAGE_CODES, xsd_dir

XSD_DIR = xsd_dir()
pytestmark = pytest.mark.skipif(
    XSD_DIR is None, reason="iWmo XSDs niet gevonden (zet WMO_SLA_SHARED_DIR)"
)


@pytest.fixture(scope="module")
def schemas() -> dict[str, etree.XMLSchema]:
    assert XSD_DIR is not None
    return {
        code: etree.XMLSchema(etree.parse(str(XSD_DIR / f"WMO{code}.xsd")))
        for code in MESSAGE_CODES
    }


@pytest.mark.parametrize("code", MESSAGE_CODES)
def test_every_message_of_the_type_validates(small_region, schemas, code):
    messages = small_region.of(code)
    assert messages, f"de kleine regio bevat geen WMO{code}"
    schema = schemas[code]
    failures = []
    for message in messages:
        if not schema.validate(message.root.getroottree()):
            failures.append(f"{message.path.name}: {schema.error_log.last_error}")
    assert not failures, "\n".join(failures[:10])


def test_files_are_utf8_with_declaration_and_one_message_each(small_region):
    for message in small_region.messages[:200]:
        raw = message.path.read_bytes()
        assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        raw.decode("utf-8")
        assert raw.count(b":Bericht ") == 1
