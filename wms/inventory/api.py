"""Inventory routes: stock, movements, scans that move stock, and barcode look-up."""
from __future__ import annotations

import sqlalchemy as sa
from flask_smorest import Blueprint
from marshmallow import fields
from sqlalchemy.orm import joinedload

from wms.core.fields import CONTROL_CHARACTERS, Id, Text
from wms.auth.service import require, seller_scope
from wms.core.idempotency import idempotent
from wms.core.crud import register_list
from wms.core.listing import Column as C, ListSpec
from wms.errors import NotFound
from wms.extensions import db
from wms.inventory import schemas, service
from wms.inventory.models import Movement, MovementLine, StockBalance
from wms.inventory.states import STATUSES
from wms.masterdata.models import Location, Product
from wms.masterdata.rules import normalize_code

blp = Blueprint("inventory", __name__, url_prefix="/api/v1",
                description="Stock by product × location × LPN/lot × status, the movement ledger, scans")

IDEMPOTENCY_DOC = {"parameters": [{"in": "header", "name": "Idempotency-Key", "schema": {"type": "string"},
                                   "description": "Client-made scan id; a replay returns the first answer"}]}

stock_listing = ListSpec(
    StockBalance, search=(Product.sku, Product.name_zh, Product.name_en, Location.code, StockBalance.lpn),
    filters={"product_id": (Id(), StockBalance.product_id),
             "location_id": (Id(), StockBalance.location_id),
             "seller_id": (Id(), StockBalance.seller_id),
             "status": (Text(), StockBalance.status),
             "lpn": (Text(), StockBalance.lpn), "lot": (Text(), StockBalance.lot),
             "location_code": (Text(), Location.code), "sku": (Text(), Product.sku)},
    sort=("qty", "status", "updated_at", "lpn"), default_sort="id",
    columns=[C("product.sku", "SKU", "SKU"), C("product.name_zh", "Name (zh)", "中文名称"),
             C("location.code", "Location", "库位"), C("lpn", "LPN", "LPN"), C("lot", "Lot", "批次"),
             C("status", "Status", "状态"), C("qty", "Qty", "数量"), C("reserved_qty", "Reserved", "已分配")])

movement_listing = ListSpec(
    MovementLine, search=(Product.sku, Location.code, MovementLine.lpn, Movement.doc_ref),
    filters={"product_id": (Id(), MovementLine.product_id),
             "location_id": (Id(), MovementLine.location_id),
             "movement_id": (Id(), MovementLine.movement_id),
             "kind": (Text(), Movement.kind), "doc_type": (Text(), Movement.doc_type),
             "doc_ref": (Text(), Movement.doc_ref), "status": (Text(), MovementLine.status)},
    sort=("movement_id",), default_sort="-movement_id",
    columns=[C("movement_id", "Movement", "流水号"), C("movement.created_at", "When", "时间"),
             C("movement.kind", "Kind", "类型"), C("product.sku", "SKU", "SKU"),
             C("location.code", "Location", "库位"), C("lpn", "LPN", "LPN"), C("status", "Status", "状态"),
             C("qty", "Qty", "数量"), C("movement.doc_type", "Document", "单据类型"),
             C("movement.doc_ref", "Document no.", "单据号"), C("movement.reason", "Reason", "原因")])


def stock_query():
    query = (sa.select(StockBalance).join(Product, Product.id == StockBalance.product_id)
             .join(Location, Location.id == StockBalance.location_id).where(StockBalance.qty > 0)
             .options(joinedload(StockBalance.product), joinedload(StockBalance.location)))
    scope = seller_scope()
    return query if scope is None else query.where(StockBalance.seller_id == scope)


def movement_query():
    query = (sa.select(MovementLine).join(Movement, Movement.id == MovementLine.movement_id)
             .join(Product, Product.id == MovementLine.product_id)
             .join(Location, Location.id == MovementLine.location_id)
             .options(joinedload(MovementLine.movement), joinedload(MovementLine.product),
                      joinedload(MovementLine.location)))
    scope = seller_scope()
    return query if scope is None else query.where(MovementLine.seller_id == scope)


class MovementLineRow(schemas.MovementLineSchema):
    movement_id = Id()
    kind = fields.String(attribute="movement.kind")
    created_at = fields.DateTime(attribute="movement.created_at")
    doc_type = fields.String(attribute="movement.doc_type")
    doc_ref = fields.String(attribute="movement.doc_ref")
    reason = fields.String(attribute="movement.reason")


register_list(blp, "/stock", endpoint="list_stock", listing=stock_listing, query=stock_query,
              schema=schemas.StockSchema, name="Stock", permission="inventory.read",
              summary="Stock on hand by product × location × LPN/lot × status",
              description=f"Statuses: {', '.join(STATUSES)}. Sellers see their own stock only.")
register_list(blp, "/movements", endpoint="list_movements", listing=movement_listing, query=movement_query,
              schema=MovementLineRow, name="Movement", permission="inventory.read",
              summary="The inventory ledger, one row per movement line (signed quantity)")


def _product(data) -> Product:
    if data.get("product_id"):
        product = db.session.get(Product, data["product_id"])
        if product is None or (seller_scope() not in (None, product.seller_id)):
            raise NotFound("record_not_found", entity="product", id=data["product_id"])
        return product
    return service.product_by_barcode(data["barcode"], seller_scope())


@blp.route("/moves", methods=["POST"])
@require("inventory.move")
@idempotent
@blp.arguments(schemas.MoveSchema)
@blp.response(201, schemas.MovementSchema)
@blp.doc(summary="Move stock between locations (a PDA move scan)", **IDEMPOTENCY_DOC)
def post_move(data):
    source = service.location_by_code(data["from_location"], "from_location", active=False)  # stock may leave
    target = service.location_by_code(data["to_location"], "to_location")
    lpn = data.get("lpn")
    if data.get("product_id"):
        product = _product(data)
    else:
        product, scanned_lpn = service.stock_scan(data["barcode"], source, seller_scope())
        lpn = lpn or scanned_lpn
    movement = service.move(product, source, target, data["qty"], status=data["status"], lpn=lpn,
                            lot=data["lot"], to_lpn=data.get("to_lpn"), reason=data["reason"])
    return movement


@blp.route("/adjustments", methods=["POST"])
@require("inventory.adjust")
@idempotent
@blp.arguments(schemas.AdjustmentSchema)
@blp.response(201, schemas.MovementSchema)
@blp.doc(summary="Correct a balance (signed quantity with a reason)", **IDEMPOTENCY_DOC)
def post_adjustment(data):
    product = _product(data)
    location = service.location_by_code(data["location"])
    movement = service.adjust(product, location, data["qty"], status=data["status"], reason=data["reason"],
                              lpn=data["lpn"], lot=data["lot"])
    return movement


@blp.route("/status-changes", methods=["POST"])
@require("inventory.status")
@idempotent
@blp.arguments(schemas.StatusChangeSchema)
@blp.response(201, schemas.MovementSchema)
@blp.doc(summary="Move stock along the goods state machine (release, hold, QC result…)",
         description="An event not allowed from the given status answers 409 with the allowed events.",
         **IDEMPOTENCY_DOC)
def post_status_change(data):
    product = _product(data)
    location = service.location_by_code(data["location"])
    movement = service.change_status(product, location, data["qty"], data["event"], status=data["status"],
                                     lpn=data["lpn"], lot=data["lot"], doc_type="status_change",
                                     doc_ref=data["doc_ref"], reason=data["reason"])
    return movement


@blp.route("/barcodes/<path:code>")
@require("barcodes.resolve")
@blp.response(200, schemas.BarcodeSchema)
@blp.doc(summary="What a scanned code is: a location, a product (barcode or SKU) or an LPN, with its stock",
         description="An unknown code answers 404 echoing the scanned value in `scanned`.")
def resolve_barcode(code):
    scope = seller_scope()
    normalized = normalize_code(code)
    if CONTROL_CHARACTERS.search(code):         # no code has them; never send them to the database
        raise NotFound("unknown_barcode", scanned=code)
    if scope is None:
        location = db.session.scalars(sa.select(Location).where(Location.code == normalized)).first()
        if location is not None:
            stock = db.session.scalars(stock_query().where(StockBalance.location_id == location.id)).all()
            return {"scanned": code, "kind": "location", "stock": stock,
                    "location": {"id": location.id, "code": location.code, "zone": location.zone.code,
                                 "zone_kind": location.zone.kind, "active": location.active}}
    try:
        product = service.product_by_barcode(code, scope)
    except NotFound:
        product = None
    if product is not None:
        stock = db.session.scalars(stock_query().where(StockBalance.product_id == product.id)).all()
        return {"scanned": code, "kind": "product", "stock": stock,
                "product": {"id": product.id, "sku": product.sku, "name_zh": product.name_zh,
                            "name_en": product.name_en, "seller_id": product.seller_id}}
    stock = db.session.scalars(stock_query().where(StockBalance.lpn == normalized)).all()
    if stock:
        return {"scanned": code, "kind": "lpn", "lpn": normalized, "stock": stock}
    raise NotFound("unknown_barcode", scanned=code)
