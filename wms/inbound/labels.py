"""Inbound labels: carton labels (箱唛) of a forecast, LPN labels of received units, and hold labels
(海关查验 / QC / 不良品) for goods that must not move. Each renders through the label engine as PDF, ZPL or
TSPL, or is sent to a named printer."""
from __future__ import annotations

import sqlalchemy as sa
from wms.errors import Conflict, NotFound
from wms.extensions import db
from wms.inbound import asn as asns
from wms.inbound.models import Asn
from wms.inventory.models import StockBalance
from wms.masterdata.models import Location, Product
from wms.masterdata.rules import normalize_code
from wms.printing.api import label_response

HOLD_STATUSES = {"customs_hold": ("海关查验 暂扣", "CUSTOMS HOLD"), "qc_pending": ("待质检", "QC PENDING"),
                 "defective": ("不良品 禁止发货", "DEFECTIVE"), "seized": ("海关扣押", "SEIZED"),
                 "temp_stored": ("暂存 待申报", "AWAITING CUSTOMS")}


def carton_items(asn: Asn) -> list[dict]:
    if asn.status in ("draft", "cancelled"):
        raise Conflict("asn_not_submitted", number=asn.number, current_state=asn.status)
    cartons = asns.cartons(asn)
    if not cartons:
        raise NotFound("no_cartons", number=asn.number)
    skus = ", ".join(f"{l.product.sku} × {l.expected_qty}" for l in asn.lines[:6]) + (" …" if len(asn.lines) > 6 else "")
    total_qty = sum(l.expected_qty for l in asn.lines)
    return [{"carton_id": c.code, "carton_no": c.carton_no, "carton_total": len(cartons), "asn_no": asn.number,
             "seller": f"{asn.seller.code} {asn.seller.name_zh}", "skus": skus, "total_qty": total_qty,
             "warehouse": asn.warehouse.code} for c in cartons]


def carton_labels(asn: Asn, args):
    return label_response("carton", carton_items(asn), args)


def lpn_items(lpn: str) -> list[dict]:
    """One label per product on the LPN (normally one), with what it holds now."""
    from wms.auth.service import seller_scope
    code = normalize_code(lpn)
    query = (sa.select(StockBalance.product_id, sa.func.sum(StockBalance.qty), sa.func.min(StockBalance.lot),
                       sa.func.min(Location.code), sa.func.min(StockBalance.status))
             .join(Location, Location.id == StockBalance.location_id)
             .where(StockBalance.lpn == code, StockBalance.qty > 0).group_by(StockBalance.product_id))
    scope = seller_scope()
    if scope is not None:
        query = query.where(StockBalance.seller_id == scope)
    rows = db.session.execute(query).all()
    if not rows:
        raise NotFound("unknown_lpn", scanned=lpn)
    items = []
    for product_id, qty, lot, location, status in rows:
        product = db.session.get(Product, product_id)
        items.append({"lpn": code, "sku": product.sku, "qty": int(qty), "name_zh": product.name_zh,
                      "seller": product.seller.code, "lot": lot or "", "location": location, "status": status})
    return items


def lpn_labels(lpn: str, args):
    """The LPN label, or with ``hold=1`` the hold label of goods that must not move."""
    items = lpn_items(lpn)
    if args.get("hold") not in ("1", "true", "yes"):
        return label_response("lpn", items, args)
    return label_response("hold", [item | {"status_zh": HOLD_STATUSES.get(item["status"], ("", ""))[0],
                                           "status_en": HOLD_STATUSES.get(item["status"], ("", ""))[1],
                                           "reason": args.get("reason", "")[:60]} for item in items], args)
