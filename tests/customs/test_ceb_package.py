"""The CEB package stays pure (no Flask, no database) and its unsigned output is what the XSD allows."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import wms.customs.ceb as ceb

XS = "{http://www.w3.org/2001/XMLSchema}"
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "wms.extensions", "wms.db", "wms.errors", "marshmallow")


def test_package_imports_no_framework_or_database():
    for path in Path(ceb.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"


@pytest.mark.parametrize("code", list(ceb.MESSAGE_TYPES))
def test_xsd_lets_every_data_message_go_unsigned(code, export_xsd):
    root = export_xsd.getroot().find(f"{XS}element[@name='{code}Message']")
    refs = {e.get("ref"): e for e in root.iter(f"{XS}element")}
    assert refs["ds:Signature"].get("minOccurs") == "0"
    assert refs["ceb:BaseTransfer"].get("minOccurs", "1") == "1"
    business = refs[f"ceb:{ceb.MESSAGE_TYPES[code].element.name}"]
    assert business.get("maxOccurs") == "100"


def test_public_api():
    assert set(ceb.__all__) <= set(dir(ceb))
    for name in ("build", "batch", "wrap_dxp", "unwrap_dxp", "parse_receipt", "ReturnStatus", "CebFieldError",
                 "CebParseError", "InventoryRecord", "BaseTransfer"):
        assert name in ceb.__all__
