"""Account-book rules: opening a book line for an approved bonded product, posting entries, and the
reconciliation of book balances against the physical bonded stock."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from wms.core import numbering
from wms.core.audit import current_actor, record, snapshot
from wms.customs.models import BookEntry, BookItem
from wms.errors import Conflict, ValidationFailed
from wms.extensions import db
from wms.inventory.models import StockBalance
from wms.masterdata.models import Location, Product, Zone

ITEMS = BookItem.__table__


def open_item(product: Product) -> BookItem | None:
    """The product's book line, opened on first approval when its seller keeps an account book."""
    existing = db.session.scalars(sa.select(BookItem).where(BookItem.product_id == product.id)).first()
    if existing is not None or not product.seller.account_book_no:
        return existing
    book_no = product.seller.account_book_no
    if not product.book_item_no:
        product.book_item_no = product.sku[:30]
    item = BookItem(seller_id=product.seller_id, book_no=book_no, seq_no=numbering.take(f"book:{book_no}")[0],
                    item_no=product.book_item_no, product_id=product.id, hs_code=product.hs_code,
                    name=product.name_zh[:300], unit=product.unit, legal_unit=product.legal_unit1 or product.unit)
    db.session.add(item)
    record("book_item.open", item, before=None, after=snapshot(item))
    return item


def post(item: BookItem, qty: Decimal | int, *, doc_type: str, doc_no: str, gate_pass_at: datetime | None = None,
         movement_id: int | None = None, note: str = "") -> BookEntry:
    """Post a signed quantity (+ into the zone, - out of it) to a book line; the balance never goes negative."""
    qty = Decimal(qty)
    if qty == 0:
        raise ValidationFailed({"qty": ["Must be a positive quantity."]})
    factor = db.session.scalar(sa.select(Product.legal_factor1).where(Product.id == item.product_id)) or Decimal(1)
    legal = (qty * factor).quantize(Decimal("0.00001"))
    moved = db.session.execute(
        sa.update(ITEMS).where(ITEMS.c.id == item.id, ITEMS.c.qty + qty >= 0, ITEMS.c.legal_qty + legal >= 0)
        .values(qty=ITEMS.c.qty + qty, legal_qty=ITEMS.c.legal_qty + legal).returning(ITEMS.c.qty)).first()
    if moved is None:
        db.session.refresh(item)
        raise Conflict("book_insufficient", item_no=item.item_no, book_no=item.book_no, balance=str(item.qty),
                       requested=str(-qty))
    entry = BookEntry(book_item_id=item.id, seller_id=item.seller_id, direction="I" if qty > 0 else "E", qty=qty,
                      legal_qty=legal, doc_type=doc_type, doc_no=doc_no, gate_pass_at=gate_pass_at,
                      movement_id=movement_id, user_id=getattr(current_actor.get(), "id", None), note=note)
    db.session.add(entry)
    db.session.flush()
    db.session.expire(item, ["qty", "legal_qty"])
    return entry


UNDECLARED = ("temp_stored",)     # in the zone, not yet on an approved 核注清单: not in the book yet


def physical_bonded_stock() -> dict[int, int]:
    """Units on hand per product in bonded zones that the book must hold: every status but goods still
    waiting in temporary storage for their declaration (those are posted when customs approves it)."""
    rows = db.session.execute(
        sa.select(StockBalance.product_id, sa.func.sum(StockBalance.qty))
        .join(Location, Location.id == StockBalance.location_id).join(Zone, Zone.id == Location.zone_id)
        .where(Zone.bonded.is_(True), StockBalance.status.not_in(UNDECLARED))
        .group_by(StockBalance.product_id)).all()
    return {product_id: int(units) for product_id, units in rows if units}


def reconcile(seller_id: int | None = None) -> list[dict]:
    """Every difference between book balances and physical bonded stock (an empty list is a clean book)."""
    physical = physical_bonded_stock()
    items = db.session.scalars(sa.select(BookItem).order_by(BookItem.book_no, BookItem.seq_no)).all()
    differences, booked = [], set()
    for item in items:
        booked.add(item.product_id)
        on_hand = physical.get(item.product_id, 0)
        if Decimal(on_hand) != item.qty and (seller_id is None or item.seller_id == seller_id):
            differences.append({"seller_id": item.seller_id, "book_no": item.book_no, "seq_no": item.seq_no, "item_no": item.item_no,
                                "product_id": item.product_id, "book_qty": str(item.qty),
                                "physical_qty": on_hand, "difference": str(Decimal(on_hand) - item.qty)})
    unbooked = {p: q for p, q in physical.items() if p not in booked}
    if unbooked:
        products = db.session.scalars(sa.select(Product).where(Product.id.in_(unbooked))).all()
        for product in products:
            if seller_id is None or product.seller_id == seller_id:
                differences.append({"seller_id": product.seller_id, "book_no": "", "seq_no": None, "item_no": product.sku, "product_id": product.id,
                                     "book_qty": "0", "physical_qty": unbooked[product.id],
                                     "difference": str(unbooked[product.id])})
    return differences
