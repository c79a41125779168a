"""Shared helpers of the API and integration tests: problem+json checks, demo-data look-ups, payloads,
and a fingerprint of the database to prove that a refused request changed nothing."""

from __future__ import annotations

import os
import re

import sqlalchemy as sa

from wms.core.audit import AuditLog
from wms.extensions import db
from wms.inventory.models import StockBalance
from wms.masterdata.models import Country, Currency, Location, Product, ProductBarcode, Seller, Zone
from wms.masterdata.rules import gs1_check_digit, uscc_check_char

IS_PG = os.environ.get("WMS_TEST_DATABASE_URL", "").startswith("postgres")
PROBLEM_JSON = "application/problem+json"
CJK = re.compile(r"[\u4e00-\u9fff]")

# One demo user per role; "seller" is SZ-ANKE's user.
ROLE_USERS = {
    "admin": "admin",
    "supervisor": "supervisor",
    "operator": "op01",
    "customs": "customs",
    "seller": "anke",
}
SELLER_USERS = {"anke": "SZ-ANKE", "jinyi": "SZ-JINYI", "leju": "SZ-LEJU"}

# Tables whose row counts (and last update) tell whether a request changed anything.
WATCHED_TABLES = (
    "warehouses",
    "zones",
    "locations",
    "sellers",
    "products",
    "product_barcodes",
    "countries",
    "currencies",
    "exchange_rates",
    "carriers",
    "channels",
    "packaging_materials",
    "users",
    "stock_balances",
    "movements",
    "movement_lines",
    "audit_log",
    "idempotency_records",
)
UPDATED_AT_TABLES = (
    "warehouses",
    "zones",
    "locations",
    "sellers",
    "products",
    "countries",
    "currencies",
    "carriers",
    "channels",
    "packaging_materials",
    "users",
    "stock_balances",
)


def problem(response, status: int, code: str | None = None) -> dict:
    """Assert an RFC 9457 problem answer with ``status`` (and ``code``) and return its body."""
    text = response.get_data(as_text=True)
    assert response.status_code == status, f"expected {status}, got {response.status_code}: {text[:600]}"
    assert response.mimetype == PROBLEM_JSON, (response.mimetype, text[:300])
    body = response.get_json()
    for key in ("type", "title", "status", "detail", "code"):
        assert body.get(key) not in (None, ""), f"problem without {key}: {body}"
    assert body["status"] == status
    assert body["type"] == f"urn:bonded-wms:problem:{body['code']}"
    if code is not None:
        assert body["code"] == code, body
    return body


def field_errors(response, *fields: str) -> dict:
    """A 422 naming each of ``fields`` in ``errors``; returns the errors."""
    body = problem(response, 422)
    errors = body.get("errors") or {}
    for name in fields:
        assert name in errors and errors[name], f"no error for {name}: {errors}"
    return errors


def fingerprint() -> dict:
    """Row counts, total stock and last update of the watched tables."""
    session = db.session
    result = {t: session.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in WATCHED_TABLES}
    result |= {
        f"{t}.updated_at": str(session.scalar(sa.text(f"SELECT max(updated_at) FROM {t}")))
        for t in UPDATED_AT_TABLES
    }
    result["stock.qty"] = session.scalar(sa.text("SELECT coalesce(sum(qty), 0) FROM stock_balances"))
    result["stock.reserved"] = session.scalar(
        sa.text("SELECT coalesce(sum(reserved_qty), 0) FROM stock_balances")
    )
    return result


# --- demo data ----------------------------------------------------------------------------------------------


def seller_id(code: str) -> int:
    return db.session.scalar(sa.select(Seller.id).where(Seller.code == code))


def product(seller_code: str = "SZ-ANKE", *, filing_status: str | None = None, index: int = 0) -> Product:
    query = sa.select(Product).join(Seller, Seller.id == Product.seller_id).where(Seller.code == seller_code)
    if filing_status:
        query = query.where(Product.filing_status == filing_status)
    return db.session.scalars(query.order_by(Product.id).offset(index).limit(1)).one()


def barcode_of(product_id: int) -> str:
    return db.session.scalars(
        sa.select(ProductBarcode.code)
        .where(ProductBarcode.product_id == product_id)
        .order_by(ProductBarcode.id)
    ).first()


def stock(status: str = "available", seller_code: str | None = None, min_qty: int = 2) -> StockBalance:
    query = sa.select(StockBalance).where(
        StockBalance.status == status, StockBalance.qty >= min_qty, StockBalance.reserved_qty == 0
    )
    if seller_code:
        query = query.where(StockBalance.seller_id == seller_id(seller_code))
    return db.session.scalars(query.order_by(StockBalance.id).limit(1)).one()


def location(code: str) -> Location:
    return db.session.scalars(sa.select(Location).where(Location.code == code)).one()


def zone(code: str, warehouse: str = "QH01") -> Zone:
    from wms.masterdata.models import Warehouse

    return db.session.scalars(
        sa.select(Zone)
        .join(Warehouse, Warehouse.id == Zone.warehouse_id)
        .where(Zone.code == code, Warehouse.code == warehouse)
    ).one()


def country_id(code: str = "CN") -> int:
    return db.session.scalar(sa.select(Country.id).where(Country.code == code))


def currency_id(code: str = "USD") -> int:
    return db.session.scalar(sa.select(Currency.id).where(Currency.code == code))


def audit_rows(entity_type: str, entity_id) -> list[AuditLog]:
    return db.session.scalars(
        sa.select(AuditLog)
        .where(AuditLog.entity_type == entity_type, AuditLog.entity_id == str(entity_id))
        .order_by(AuditLog.id)
    ).all()


# --- valid codes and payloads -------------------------------------------------------------------------------


def gtin13(body12: str) -> str:
    """A GTIN-13 with its check digit."""
    return body12 + str(gs1_check_digit(body12))


def uscc(body17: str) -> str:
    """An 18-character unified social credit code with its check character."""
    return body17 + uscc_check_char(body17)


def product_payload(seller: str | None = "SZ-ANKE", **overrides) -> dict:
    data = {
        "sku": "T-SKU-001",
        "name_zh": "测试商品",
        "name_en": "Test product",
        "hs_code": "8517629400",
        "origin_country_id": country_id("CN"),
        "currency_id": currency_id("USD"),
        "declared_price": "9.9000",
        "barcodes": [],
    }
    if seller:
        data["seller_id"] = seller_id(seller)
    return data | overrides


def seller_payload(**overrides) -> dict:
    return {
        "code": "SZ-TEST",
        "name_zh": "深圳测试跨境电商有限公司",
        "name_en": "Shenzhen Test Co.",
        "customs_code": "4403960T01",
        "uscc": uscc("91440300MA5TEXT01"),
    } | overrides
