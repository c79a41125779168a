"""Schemas for the CEB tests: the official 202205 XSDs, loaded once per session from ../shared."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

CEB_DIR = Path(__file__).parents[3] / "shared/domain/ceb-202205"
XSD_DIR = CEB_DIR / "xsd"
SAMPLES = CEB_DIR / "samples/export"
XS = "{http://www.w3.org/2001/XMLSchema}"


def _load(name: str) -> etree._ElementTree:
    path = XSD_DIR / name
    if not path.is_file():
        pytest.fail(f"{path} is missing: the shared folder must sit beside the repository (../shared)")
    return etree.parse(str(path))


@pytest.fixture(scope="session")
def export_xsd() -> etree._ElementTree:
    return _load("ceb-export.xsd")


@pytest.fixture(scope="session")
def export_schema(export_xsd) -> etree.XMLSchema:
    return etree.XMLSchema(export_xsd)


@pytest.fixture(scope="session")
def import_schema() -> etree.XMLSchema:
    """ceb-import.xsd: where CEB900 (format-check receipt) is defined."""
    return etree.XMLSchema(_load("ceb-import.xsd"))


@pytest.fixture(scope="session")
def dxp_schema() -> etree.XMLSchema:
    return etree.XMLSchema(_load("dxp-transport.xsd"))


@pytest.fixture(scope="session")
def xsd_sequence(export_xsd):
    """name → the child element names of that top-level XSD element, in sequence order."""
    def sequence(name: str) -> list[str]:
        element = export_xsd.getroot().find(f"{XS}element[@name='{name}']")
        assert element is not None, f"{name} is not a top-level element of ceb-export.xsd"
        found = element.find(f"{XS}complexType/{XS}sequence")
        return [child.get("name") or child.get("ref").split(":")[1]
                for child in found if child.tag == f"{XS}element"]
    return sequence
