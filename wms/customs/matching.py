"""Three-document match (三单对碰) for export: the order, the payment and the waybill must agree with the
export list on the keys and amounts of customs.md §6 before the list is declared.

``mismatches`` compares what was (or will be) declared and names every differing field with each
document's value; ``check_list`` finds the declared order, payment and waybill for a list.
"""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from wms.core.statemachine import StateMachine
from wms.customs.models import CustomsRecord, MatchException
from wms.extensions import db

MONEY_TOLERANCE = Decimal("0.01")
WEIGHT_TOLERANCE = Decimal("0.05")      # a waybill's gross weight may differ from the list's by 5 %


def _d(value) -> Decimal:
    return Decimal(str(value or 0))


def _party(payload: dict, key: str) -> str:
    return (payload.get(key) or {}).get("code", "")


def mismatches(listing: dict, order: dict | None, payment: dict | None, waybill: dict | None) -> list[dict]:
    """Every field on which the documents disagree: [{"field", "documents": {name: value}}]."""
    found: list[dict] = []

    def differ(field: str, **documents):
        found.append({"field": field, "documents": {k: str(v) for k, v in documents.items()}})

    for name, document in (("order", order), ("payment", payment), ("waybill", waybill)):
        if document is None:
            differ("document", **{name: "missing"})
    if order is not None:
        for key in ("ebc", "ebp"):
            if _party(order, key) != _party(listing, key):
                differ(f"{key}Code", order=_party(order, key), list=_party(listing, key))
        order_lines = {int(i["gnum"]): i for i in order.get("items", [])}
        list_lines = {int(i["gnum"]): i for i in listing.get("items", [])}
        if set(order_lines) != set(list_lines):
            differ("gnum", order=sorted(order_lines), list=sorted(list_lines))
        for gnum in sorted(set(order_lines) & set(list_lines)):
            o, l = order_lines[gnum], list_lines[gnum]
            for field, left, right in (("itemNo", o["item_no"], l["item_no"]), ("qty", _d(o["qty"]), _d(l["qty"])),
                                       ("price", _d(o["price"]), _d(l["price"])),
                                       ("currency", o["currency"], l["currency"])):
                if left != right:
                    differ(f"line {gnum} {field}", order=left, list=right)
        listed = sum((_d(i["total_price"]) for i in listing.get("items", [])), Decimal(0))
        if abs(_d(order.get("goods_value")) - listed) > MONEY_TOLERANCE:
            differ("goodsValue", order=_d(order.get("goods_value")), list=listed)
        if payment is not None:
            due = _d(order.get("goods_value")) + _d(order.get("freight"))
            if abs(_d(payment.get("charge")) - due) > MONEY_TOLERANCE:
                differ("charge", payment=_d(payment.get("charge")), order=due)
            if payment.get("currency") != order.get("currency"):
                differ("currency", payment=payment.get("currency"), order=order.get("currency"))
    if waybill is not None and listing.get("gross_weight") is not None:
        declared, carried = _d(listing["gross_weight"]), _d(waybill.get("gross_weight"))
        if declared and abs(carried - declared) > declared * WEIGHT_TOLERANCE:
            differ("grossWeight", waybill=carried, list=declared)
    return found


MATCH_EXCEPTION = StateMachine("match_exception", {
    "open": {"resolve": "resolved", "dismiss": "dismissed"},
    "resolved": {},
    "dismissed": {},
}, attr="state")


def keep_exceptions(problems: list[dict], seller_id: int | None) -> None:
    """Store refused lists for sellers and supervisors (the caller commits, outside the refused work)."""
    for problem in problems:
        db.session.add(MatchException(seller_id=seller_id, order_no=problem["order_no"][:60],
                                      logistics_no=(problem.get("logistics_no") or "")[:32],
                                      mismatches=problem["mismatches"]))


def _declared(kind: str, seller_id: int | None, **keys) -> dict | None:
    owner = CustomsRecord.seller_id.is_(None) if seller_id is None else CustomsRecord.seller_id == seller_id
    query = sa.select(CustomsRecord.payload).where(CustomsRecord.kind == kind, owner,
                                                   CustomsRecord.status.not_in(("rejected", "error")),
                                                   *(getattr(CustomsRecord, k) == v for k, v in keys.items()))
    return db.session.scalars(query.order_by(CustomsRecord.id.desc()).limit(1)).first()


def check_list(listing: dict, seller_id: int | None = None) -> list[dict]:
    """Match an export list (as declared, see ``service.plain``) with the order, payment and waybill the same
    seller declared."""
    ebc, order_no = _party(listing, "ebc"), listing.get("order_no", "")
    order = _declared("order", seller_id, ebc_code=ebc, order_no=order_no)
    payment = _declared("payment", seller_id, ebc_code=ebc, order_no=order_no)
    waybill = _declared("waybill", seller_id, logistics_code=_party(listing, "logistics"),
                        logistics_no=listing.get("logistics_no", ""))
    return mismatches(listing, order, payment, waybill)
