"""Inventory operations: receive, move, change status, adjust, issue. Each is one ledger movement;
callers commit. Events for boards are published after commit."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from wms.errors import Conflict, NotFound, ValidationFailed
from wms.events import publish
from wms.extensions import db
from wms.inventory import ledger
from wms.inventory.ledger import StockKey
from wms.inventory.models import Movement
from wms.inventory.states import GOODS
from wms.masterdata.models import Location, Product, ProductBarcode
from wms.masterdata.rules import normalize_code

ROOM = "inventory"


def location_by_code(code: str, field: str = "location") -> Location:
    scanned = code
    code = normalize_code(code)
    location = db.session.scalars(sa.select(Location).where(Location.code == code)).first()
    if location is None:
        raise NotFound("unknown_location", scanned=scanned, field=field)
    if not location.active:
        raise Conflict("inactive_record", entity="location", ref=location.code, field=field)
    return location


def product_by_barcode(code: str, seller_id: int | None = None) -> Product:
    """The product a scanned code names: a barcode, else a SKU. Ambiguous codes ask for the product id."""
    scanned = code
    code = code.strip()
    query = sa.select(Product).join(ProductBarcode, ProductBarcode.product_id == Product.id) \
        .where(ProductBarcode.code == normalize_code(code))
    by_sku = sa.select(Product).where(Product.sku == code)
    if seller_id is not None:
        query, by_sku = query.where(Product.seller_id == seller_id), by_sku.where(Product.seller_id == seller_id)
    found = db.session.scalars(query.limit(2)).all() or db.session.scalars(by_sku.limit(2)).all()
    if not found:
        raise NotFound("unknown_barcode", scanned=scanned)
    if len(found) > 1:
        raise Conflict("ambiguous_barcode", scanned=scanned, product_ids=[p.id for p in found])
    return found[0]


def _positive(qty: int) -> None:
    if qty is None or qty <= 0:
        raise ValidationFailed({"qty": ["Must be a positive quantity."]})


def _announce(movement: Movement) -> Movement:
    publish(db.session, ROOM, "stock.changed", {
        "movement_id": movement.id, "kind": movement.kind, "doc_type": movement.doc_type,
        "doc_ref": movement.doc_ref,
        "lines": [{"product_id": l.product_id, "location_id": l.location_id, "status": l.status,
                   "lpn": l.lpn, "qty": l.qty} for l in movement.lines],
    })
    return movement


def receive(product: Product, location: Location, qty: int, *, status: str, lpn: str = "", lot: str = "",
            expiry: date | None = None, doc_type: str = "", doc_ref: str = "", reason: str = "") -> Movement:
    _positive(qty)
    key = StockKey(product.id, location.id, status, lpn, lot)
    return _announce(ledger.post("receive", [(key, qty)], doc_type=doc_type, doc_ref=doc_ref, reason=reason,
                                 expiry=expiry))


def move(product: Product, source: Location, target: Location, qty: int, *, status: str = "available",
         lpn: str = "", lot: str = "", to_lpn: str | None = None, doc_type: str = "", doc_ref: str = "",
         reason: str = "") -> Movement:
    """Move ``qty`` units from one location to another, keeping status (and LPN unless ``to_lpn``)."""
    _positive(qty)
    to_lpn = lpn if to_lpn is None else to_lpn
    if source.id == target.id and lpn == to_lpn:
        raise ValidationFailed({"to_location": ["Source and destination are the same."]}, code="same_location")
    changes = [(StockKey(product.id, source.id, status, lpn, lot), -qty),
               (StockKey(product.id, target.id, status, to_lpn, lot), qty)]
    return _announce(ledger.post("move", changes, doc_type=doc_type, doc_ref=doc_ref, reason=reason))


def change_status(product: Product, location: Location, qty: int, event: str, *, status: str, lpn: str = "",
                  lot: str = "", doc_type: str = "", doc_ref: str = "", reason: str = "") -> Movement:
    """Move ``qty`` units from ``status`` to the state ``event`` leads to in the goods state machine."""
    _positive(qty)
    target = GOODS.next_state(status, event)
    changes = [(StockKey(product.id, location.id, status, lpn, lot), -qty),
               (StockKey(product.id, location.id, target, lpn, lot), qty)]
    return _announce(ledger.post("status_change", changes, doc_type=doc_type, doc_ref=doc_ref,
                                 reason=reason or event))


def adjust(product: Product, location: Location, delta: int, *, status: str, reason: str, lpn: str = "",
           lot: str = "", doc_type: str = "adjustment", doc_ref: str = "") -> Movement:
    """A correction found by counting: a signed quantity with its reason."""
    if not delta:
        raise ValidationFailed({"qty": ["Must be a positive quantity."]})
    key = StockKey(product.id, location.id, status, lpn, lot)
    return _announce(ledger.post("adjust", [(key, delta)], doc_type=doc_type, doc_ref=doc_ref, reason=reason))


def issue(product: Product, location: Location, qty: int, *, status: str, lpn: str = "", lot: str = "",
          doc_type: str = "", doc_ref: str = "", reason: str = "") -> Movement:
    """Stock leaves the warehouse (shipped, destroyed, returned to the seller)."""
    _positive(qty)
    key = StockKey(product.id, location.id, status, lpn, lot)
    return _announce(ledger.post("issue", [(key, -qty)], doc_type=doc_type, doc_ref=doc_ref, reason=reason))
