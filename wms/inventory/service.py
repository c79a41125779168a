"""Inventory operations: receive, move, change status, adjust, issue. Each is one ledger movement;
callers commit. Events for boards are published after commit."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from wms.errors import Conflict, NotFound, ValidationFailed
from wms.events import publish
from wms.extensions import db
from wms.inventory import ledger
from wms.inventory.ledger import PostedMovement, StockKey
from wms.inventory.models import StockBalance
from wms.inventory.states import GOODS
from wms.masterdata.models import Location, Product, ProductBarcode
from wms.masterdata.rules import fold_width, normalize_code

ROOM = "inventory"


def location_by_code(code: str, field: str = "location", *, active: bool = True) -> Location:
    """The location a scanned code names; with ``active`` a deactivated one is refused (409)."""
    scanned = code
    code = normalize_code(code)
    location = db.session.scalars(sa.select(Location).where(Location.code == code)).first()
    if location is None:
        raise NotFound("unknown_location", scanned=scanned, field=field)
    if active and not location.active:
        raise Conflict("inactive_record", entity="location", ref=location.code, field=field)
    return location


def product_by_barcode(code: str, seller_id: int | None = None) -> Product:
    """The product a scanned code names: a barcode, else a SKU. Ambiguous codes ask for the product id."""
    scanned = code
    code = code.strip()
    query = sa.select(Product).join(ProductBarcode, ProductBarcode.product_id == Product.id) \
        .where(ProductBarcode.code == normalize_code(code))
    by_sku = sa.select(Product).where(Product.sku == fold_width(code).strip())
    if seller_id is not None:
        query, by_sku = query.where(Product.seller_id == seller_id), by_sku.where(Product.seller_id == seller_id)
    found = db.session.scalars(query.limit(2)).all() or db.session.scalars(by_sku.limit(2)).all()
    if not found:
        raise NotFound("unknown_barcode", scanned=scanned)
    if len(found) > 1:
        raise Conflict("ambiguous_barcode", scanned=scanned, product_ids=[p.id for p in found])
    return found[0]


def stock_scan(code: str, source: Location, seller_id: int | None) -> tuple[Product, str | None]:
    """What a scan at a source location names: a product (barcode or SKU), or an LPN stored there."""
    try:
        return product_by_barcode(code, seller_id), None
    except NotFound:
        lpn = normalize_code(code)
        query = sa.select(StockBalance.product_id).where(StockBalance.location_id == source.id,
                                                         StockBalance.lpn == lpn, StockBalance.qty > 0)
        if seller_id is not None:
            query = query.where(StockBalance.seller_id == seller_id)
        products = db.session.scalars(query.distinct().limit(2)).all()
        if len(products) == 1 and lpn:
            return db.session.get(Product, products[0]), lpn
        if len(products) > 1:
            raise Conflict("mixed_lpn", scanned=code, location=source.code) from None
        raise


def single_lpn(product: Product, location: Location, status: str, lot: str) -> str:
    """The one LPN (or none) holding free units of a product at a location; several ask for a scan."""
    lpns = db.session.scalars(
        sa.select(StockBalance.lpn).where(StockBalance.product_id == product.id,
                                          StockBalance.location_id == location.id, StockBalance.status == status,
                                          StockBalance.lot == lot, StockBalance.qty > StockBalance.reserved_qty)
        .order_by(StockBalance.lpn).limit(20)).all()
    if len(lpns) > 1:
        raise Conflict("lpn_required", sku=product.sku, location=location.code, lpns=lpns)
    return lpns[0] if lpns else ""


def _positive(qty: int) -> None:
    if qty is None or qty <= 0:
        raise ValidationFailed({"qty": ["Must be a positive quantity."]})


def _post(kind: str, changes, product: Product, locations: list[Location], **details) -> PostedMovement:
    """Post to the ledger, name the lines for people (SKU, location code) and announce it after commit."""
    movement = ledger.post(kind, changes, sellers={product.id: product.seller_id}, **details)
    codes = {loc.id: loc.code for loc in locations}
    for line in movement.lines:
        line.sku, line.location_code = product.sku, codes.get(line.location_id, "")
    return _announce(movement)


def _announce(movement: PostedMovement) -> PostedMovement:
    publish(db.session, ROOM, "stock.changed", {
        "movement_id": movement.id, "kind": movement.kind, "doc_type": movement.doc_type,
        "doc_ref": movement.doc_ref,
        "lines": [{"product_id": l.product_id, "sku": l.sku, "location_id": l.location_id,
                   "location_code": l.location_code, "status": l.status, "lpn": l.lpn, "qty": l.qty}
                  for l in movement.lines],
    })
    return movement


def receive(product: Product, location: Location, qty: int, *, status: str, lpn: str = "", lot: str = "",
            expiry: date | None = None, doc_type: str = "", doc_ref: str = "", reason: str = "") -> PostedMovement:
    _positive(qty)
    if location.zone.bonded and product.filing_status != "approved":
        raise Conflict("product_not_filed", sku=product.sku, filing_status=product.filing_status)
    key = StockKey(product.id, location.id, status, lpn, lot)
    return _post("receive", [(key, qty)], product, [location], doc_type=doc_type, doc_ref=doc_ref, reason=reason,
                 expiry=expiry)


def move(product: Product, source: Location, target: Location, qty: int, *, status: str = "available",
         lpn: str | None = "", lot: str = "", to_lpn: str | None = None, doc_type: str = "", doc_ref: str = "",
         reason: str = "") -> PostedMovement:
    """Move ``qty`` units from one location to another, keeping status (and LPN unless ``to_lpn``).

    ``lpn=None`` takes the units from the only LPN holding the product there (409 ``lpn_required`` if several).
    """
    _positive(qty)
    if lpn is None:
        lpn = single_lpn(product, source, status, lot)
    to_lpn = lpn if to_lpn is None else to_lpn
    if source.id == target.id and lpn == to_lpn:
        raise ValidationFailed({"to_location": ["Source and destination are the same."]}, code="same_location")
    changes = [(StockKey(product.id, source.id, status, lpn, lot), -qty),
               (StockKey(product.id, target.id, status, to_lpn, lot), qty)]
    return _post("move", changes, product, [source, target], doc_type=doc_type, doc_ref=doc_ref, reason=reason)


def change_status(product: Product, location: Location, qty: int, event: str, *, status: str, lpn: str = "",
                  lot: str = "", doc_type: str = "", doc_ref: str = "", reason: str = "") -> PostedMovement:
    """Move ``qty`` units from ``status`` to the state ``event`` leads to in the goods state machine."""
    _positive(qty)
    target = GOODS.next_state(status, event)
    changes = [(StockKey(product.id, location.id, status, lpn, lot), -qty),
               (StockKey(product.id, location.id, target, lpn, lot), qty)]
    return _post("status_change", changes, product, [location], doc_type=doc_type, doc_ref=doc_ref,
                 reason=reason or event)


def adjust(product: Product, location: Location, delta: int, *, status: str, reason: str, lpn: str = "",
           lot: str = "", doc_type: str = "adjustment", doc_ref: str = "") -> PostedMovement:
    """A correction found by counting: a signed quantity with its reason."""
    if not delta:
        raise ValidationFailed({"qty": ["Must be a positive quantity."]})
    key = StockKey(product.id, location.id, status, lpn, lot)
    return _post("adjust", [(key, delta)], product, [location], doc_type=doc_type, doc_ref=doc_ref, reason=reason)


def issue(product: Product, location: Location, qty: int, *, status: str, lpn: str = "", lot: str = "",
          doc_type: str = "", doc_ref: str = "", reason: str = "") -> PostedMovement:
    """Stock leaves the warehouse (shipped, destroyed, returned to the seller)."""
    _positive(qty)
    key = StockKey(product.id, location.id, status, lpn, lot)
    return _post("issue", [(key, -qty)], product, [location], doc_type=doc_type, doc_ref=doc_ref, reason=reason)
