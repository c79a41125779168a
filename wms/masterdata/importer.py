"""Excel import of product filings (商品备案): one row per product, checked row by row.

Every row is validated like an API request; when any row is wrong nothing is saved and the answer lists
each bad row with its field messages. New SKUs become draft filings; existing ones are updated unless their
filing is declared or approved (those change only through the filing events).
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import sqlalchemy as sa
from marshmallow import ValidationError
from openpyxl import load_workbook

from wms.core import workbook

from wms.auth.service import seller_scope
from wms.errors import ValidationFailed, WmsError
from wms.extensions import db
from wms.i18n import message, translate_errors
from wms.masterdata.models import Country, Currency, Product, Seller
from wms.masterdata.schemas import ProductSchema

MAX_ROWS = 5000
# column key, English header, Chinese header
COLUMNS = [
    ("seller", "Seller code", "卖家代码"), ("sku", "SKU", "SKU"), ("name_zh", "Name (zh)", "中文品名"),
    ("name_en", "Name (en)", "英文品名"), ("hs_code", "HS code", "HS编码"),
    ("declaration_elements", "Declaration elements", "申报要素"), ("origin", "Origin country", "原产国"),
    ("unit", "Unit code", "申报计量单位"), ("legal_unit1", "Legal unit 1", "法定第一计量单位"),
    ("legal_factor1", "Legal qty 1 per unit", "法定第一数量/单位"), ("legal_unit2", "Legal unit 2", "法定第二计量单位"),
    ("legal_factor2", "Legal qty 2 per unit", "法定第二数量/单位"), ("book_item_no", "Book item no.", "账册备案料号"),
    ("declared_price", "Declared price", "申报单价"), ("currency", "Currency", "币制"),
    ("weight_kg", "Weight kg", "重量(kg)"), ("length_cm", "Length cm", "长(cm)"), ("width_cm", "Width cm", "宽(cm)"),
    ("height_cm", "Height cm", "高(cm)"), ("battery", "Battery", "带电"), ("liquid", "Liquid", "液体"),
    ("magnetic", "Magnetic", "带磁"), ("barcodes", "Barcodes", "条码"),
]
HEADERS = {text.strip().lower(): key for key, en, zh in COLUMNS for text in (key, en, zh)}
FLAGS = ("battery", "liquid", "magnetic")
YES = {"1", "y", "yes", "true", "是", "有", "√", "✓"}


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def template() -> bytes:
    """An empty workbook with bilingual headers, for sellers to fill."""
    return workbook.template("products", COLUMNS)


def read_rows(data: bytes, *, headers: dict[str, str] = HEADERS, min_headers: int = 3,
              what: str = "product") -> list[tuple[int, dict]]:
    """(row number, {column key: text}) for every non-empty row under the header row(s).

    A row naming at least ``min_headers`` known columns (``headers``: header text -> key) is a header row."""
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationFailed({"file": ["Not a readable .xlsx workbook."]}) from None
    keys, rows = None, []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = ["" if v is None else str(v).strip() for v in values]
        if not any(cells):
            continue
        mapped = [headers.get(c.lower()) for c in cells]
        if sum(1 for m in mapped if m) >= min_headers:          # a header row (Chinese or English names)
            keys = mapped
            continue
        if keys is None:
            raise ValidationFailed({"file": ["The first row must name the columns (see the template)."]})
        rows.append((number, {k: c for k, c in zip(keys, cells) if k and c != ""}))
        if len(rows) > MAX_ROWS:
            raise ValidationFailed({"file": [f"At most {MAX_ROWS} rows per file."]})
    if not rows:
        raise ValidationFailed({"file": [f"The workbook has no {what} rows."]})
    return rows


def import_products(data: bytes, products_resource) -> ImportResult:
    """Create or update the products of a workbook; all rows or none (ValidationFailed lists bad rows)."""
    rows = read_rows(data)
    sellers = {s.code: s.id for s in db.session.scalars(sa.select(Seller))}
    countries = {c.code: c.id for c in db.session.scalars(sa.select(Country))}
    currencies = {c.code: c.id for c in db.session.scalars(sa.select(Currency))}
    scope = seller_scope()
    result, problems, seen = ImportResult(), [], set()
    for number, row in rows:
        try:
            with db.session.begin_nested():
                _import_row(row, scope, sellers, countries, currencies, products_resource, result, seen)
        except ValidationError as exc:
            problems.append({"row": number, "errors": exc.messages})
        except ValidationFailed as exc:
            problems.append({"row": number, "errors": exc.errors or {}})
        except WmsError as exc:
            problems.append({"row": number, "errors": {"_row": [message(exc.code, **exc.params)]}})
    if problems:
        rows = [{"row": p["row"], "errors": translate_errors(p["errors"])} for p in problems]
        raise ValidationFailed({"rows": ["Some rows are not valid; nothing was imported."]}, rows=rows)
    return result


def _import_row(row, scope, sellers, countries, currencies, resource, result, seen) -> None:
    errors: dict[str, list[str]] = {}
    seller_id = scope if scope is not None else sellers.get(row.pop("seller", "").upper())
    if seller_id is None:
        errors["seller"] = ["Unknown reference."]
    payload = {k: v for k, v in row.items() if k not in ("origin", "currency", "seller")}
    for key, table, target in (("origin", countries, "origin_country_id"), ("currency", currencies, "currency_id")):
        code = row.get(key, "").upper()
        if code:
            if code in table:
                payload[target] = table[code]
            else:
                errors[key] = ["Unknown reference."]
    for flag in FLAGS:
        if flag in payload:
            payload[flag] = payload[flag].strip().lower() in YES
    if "barcodes" in payload:
        payload["barcodes"] = [c for c in payload["barcodes"].replace("，", ",").replace(";", ",").split(",") if c.strip()]
    if errors:
        raise ValidationFailed(errors)
    sku = payload.get("sku", "")
    if (seller_id, sku) in seen:
        raise ValidationFailed({"sku": ["Already used."]})
    seen.add((seller_id, sku))
    existing = db.session.scalars(sa.select(Product).where(Product.seller_id == seller_id, Product.sku == sku)).first()
    if existing is None:
        data = ProductSchema().load({**payload, "seller_id": seller_id})
        resource.create(data)
        result.created.append(sku)
        return
    if existing.filing_status in ("declared", "approved"):
        raise ValidationFailed({"sku": [f"Filing is {existing.filing_status}; change it through the filing first."]})
    data = ProductSchema(partial=True).load(payload)
    data.pop("sku", None)
    resource.update(existing, data)
    result.updated.append(sku)
