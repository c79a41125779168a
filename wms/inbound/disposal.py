"""Disposal of defective goods: destroyed under customs supervision (销毁) or returned to the seller (退仓).

A disposal lists defective units (product × location × LPN/lot). It is approved (customs liaison or
supervisor) and completed when the goods have gone: each line leaves the inventory (an ``issue``
movement of defective stock) and, for bonded goods, the account book (an outbound entry on the
disposal's customs document: the 销毁 核注清单, or the 出区 document of a return).
"""
from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from wms.auth.service import owned, owning_seller
from wms.core.audit import record, snapshot
from wms.customs import book
from wms.customs.models import BookItem
from wms.db import utcnow
from wms.errors import NotFound, ValidationFailed
from wms.events import publish
from wms.extensions import db
from wms.inbound import asn as asns
from wms.inbound.models import Disposal, DisposalLine
from wms.inbound.states import DISPOSAL
from wms.inventory import service as inventory
from wms.inventory.models import StockBalance
from wms.masterdata.models import Product


def get(disposal_id: int, *, lock: bool = False) -> Disposal:
    return owned(Disposal, disposal_id, "disposal", lock=lock)


def create(data: dict) -> Disposal:
    seller_id = owning_seller(data)
    errors, rows = {}, []
    wanted: dict[tuple, int] = defaultdict(int)
    for n, line in enumerate(data["lines"]):
        product = db.session.get(Product, line["product_id"])
        if product is None or product.seller_id != seller_id:
            errors[f"lines.{n}.product_id"] = ["Unknown reference."]
            continue
        try:
            location = inventory.location_by_code(line["location"], active=False)
        except NotFound:
            errors[f"lines.{n}.location"] = [f"Unknown location {line['location']}."]
            continue
        key = (product.id, location.id, line.get("lpn", ""), line.get("lot", ""))
        wanted[key] += line["qty"]
        free = db.session.scalar(sa.select(StockBalance.qty - StockBalance.reserved_qty).where(
            StockBalance.product_id == product.id, StockBalance.location_id == location.id,
            StockBalance.lpn == key[2], StockBalance.lot == key[3], StockBalance.status == "defective")) or 0
        if free < wanted[key]:
            errors[f"lines.{n}.qty"] = [f"Only {free} defective units of {product.sku} at {location.code}."]
            continue
        rows.append((product, location, line))
    if errors:
        raise ValidationFailed(errors)
    disposal = Disposal(number=asns.number("DS" if data["kind"] == "destroy" else "RS", "disposal"),
                        seller_id=seller_id, kind=data["kind"], reason=data.get("reason", ""))
    db.session.add(disposal)
    db.session.flush()
    for product, location, line in rows:
        db.session.add(DisposalLine(disposal_id=disposal.id, product_id=product.id, location_id=location.id,
                                    lpn=line.get("lpn", ""), lot=line.get("lot", ""), qty=line["qty"]))
    db.session.flush()
    record("disposal.create", disposal, before=None, after=snapshot(disposal) | {"lines": len(rows)})
    return disposal


def fire(disposal: Disposal, event: str, *, customs_ref: str = "") -> Disposal:
    DISPOSAL.next_state(disposal.status, event)
    if event == "complete":
        _complete(disposal, customs_ref)
    DISPOSAL.fire(disposal, event, customs_ref=disposal.customs_ref)
    publish(db.session, asns.ROOM, f"disposal.{disposal.status}", {"number": disposal.number, "kind": disposal.kind})
    return disposal


def _complete(disposal: Disposal, customs_ref: str) -> None:
    """The goods are gone: out of stock and, when bonded, out of the account book."""
    if disposal.kind == "destroy" and not (customs_ref or disposal.customs_ref):
        raise ValidationFailed({"customs_ref": ["Give the customs document of the destruction (销毁核注清单)."]},
                               code="customs_ref_required")
    disposal.customs_ref = (customs_ref or disposal.customs_ref or disposal.number)[:40]
    reason = "销毁 destroyed" if disposal.kind == "destroy" else "退仓 returned to seller"
    leaving: dict[int, int] = defaultdict(int)
    for line in disposal.lines:
        inventory.issue(line.product, line.location, line.qty, status="defective", lpn=line.lpn, lot=line.lot,
                        doc_type="disposal", doc_ref=disposal.number, reason=reason)
        if line.location.zone.bonded:
            leaving[line.product_id] += line.qty
    items = {i.product_id: i for i in db.session.scalars(sa.select(BookItem).where(BookItem.product_id.in_(leaving)))}
    for product_id, qty in leaving.items():
        if product_id in items:
            book.post(items[product_id], -qty, doc_type="inv", doc_no=disposal.customs_ref,
                      note=f"{reason} {disposal.number}")
    disposal.completed_at = utcnow()


