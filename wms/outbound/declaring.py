"""An order's customs documents and the three-document match (三单对碰) that releases it for picking.

For each order the WMS, as the declaring agent of the zone warehouse, builds the e-commerce order (CEB303),
the payment (CEB403) and the waybill (CEB505) from the order's own data, and the export list (CEB603,
supervision mode 1210 or 9610) whose lines map to the seller's account-book items. ``match`` declares the
three documents, then the list: the customs core's matcher compares them first; a disagreement fails the
match (the order waits in ``match_failed`` with the differing fields, and a match exception is kept for the
seller and supervisors); agreement moves the order to ``matched`` with its list declared. Customs' answers
to the list (released 800, rejected 100, inspection 500) are followed on the order.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app

from wms.customs import ceb
from wms.customs.models import BookItem, CustomsRecord
from wms.customs.states import FAILURES
from wms.customs.ceb import CHINA_TZ, Party
from wms.db import utcnow
from wms.errors import Conflict
from wms.events import publish
from wms.extensions import db
from wms.outbound.models import Order
from wms.outbound.states import ORDER

ROOM = "outbound"
ISO3 = {"CN": "CHN", "HK": "HKG", "MO": "MAC", "TW": "TWN", "JP": "JPN", "KR": "KOR", "SG": "SGP", "MY": "MYS",
        "TH": "THA", "VN": "VNM", "ID": "IDN", "PH": "PHL", "IN": "IND", "AE": "ARE", "SA": "SAU", "IL": "ISR",
        "TR": "TUR", "US": "USA", "CA": "CAN", "MX": "MEX", "BR": "BRA", "CL": "CHL", "GB": "GBR", "DE": "DEU",
        "FR": "FRA", "IT": "ITA", "ES": "ESP", "NL": "NLD", "BE": "BEL", "PL": "POL", "SE": "SWE", "CH": "CHE",
        "AT": "AUT", "IE": "IRL", "PT": "PRT", "CZ": "CZE", "RU": "RUS", "AU": "AUS", "NZ": "NZL", "ZA": "ZAF"}
TRAF_AIR = "5"                 # 航空运输
WRAP_OTHER = "2"               # 纸箱 / 其他包装
FLAG_TOTAL = "3"               # freight and insurance given as totals


def _agent() -> Party:
    config = current_app.config
    return Party(config["CUSTOMS_COP_CODE"], config["CUSTOMS_COP_NAME"])


def _parties(order: Order) -> tuple[Party, Party, Party]:
    seller = order.seller
    ebp = Party(order.ebp_code or "无", order.ebp_name or order.platform)
    ebc = Party(seller.customs_code, seller.name_zh)
    carrier = order.channel.carrier
    return ebp, ebc, Party(carrier.customs_code or carrier.code[:18], carrier.name_zh)


def weights(order: Order) -> tuple[Decimal, Decimal]:
    """(gross, net) kg: units × unit weight, plus 10 % packing for the gross, at least 0.01 kg."""
    net = sum((Decimal(l.product.weight_kg or 0) * l.qty for l in order.lines), Decimal(0))
    net = max(net, Decimal("0.01"))
    return (net * Decimal("1.1")).quantize(Decimal("0.001")), net.quantize(Decimal("0.001"))


def build(order: Order) -> tuple[ceb.OrderRecord, ceb.PaymentRecord, ceb.WaybillRecord, ceb.InventoryRecord]:
    """The four documents of one order, consistent with each other by construction."""
    ebp, ebc, logistics = _parties(order)
    currency = order.currency.customs_code
    gross, net = weights(order)
    items = db.session.scalars(sa.select(BookItem).where(
        BookItem.product_id.in_([l.product_id for l in order.lines]))).all()
    book = {i.product_id: i for i in items}
    bonded = order.trade_mode == "1210"
    missing = [l.product.sku for l in order.lines if bonded and l.product_id not in book]
    if missing:
        raise Conflict("no_book_item", seller=order.seller.code, skus=", ".join(missing),
                       book_no=order.seller.account_book_no or "-")
    order_items, list_items = [], []
    for line in order.lines:
        product, total = line.product, line.total
        order_items.append(ceb.OrderItem(gnum=line.gnum, item_no=product.sku[:30], item_name=product.name_zh[:250],
                                         unit=product.unit, currency=currency, qty=Decimal(line.qty),
                                         price=line.price, total_price=total,
                                         bar_code=(product.barcode_codes or [None])[0]))
        legal = (Decimal(line.qty) * (product.legal_factor1 or Decimal(1))).quantize(Decimal("0.00001"))
        list_items.append(ceb.InventoryItem(
            gnum=line.gnum, item_no=product.sku[:30], gcode=product.hs_code, gname=product.name_zh[:250],
            gmodel=(product.declaration_elements or product.name_zh)[:250], country=order.country.customs_code,
            currency=currency, qty=Decimal(line.qty), unit=product.unit, qty1=legal,
            unit1=product.legal_unit1 or product.unit, price=line.price, total_price=total,
            bar_code=(product.barcode_codes or ["无"])[0],
            item_record_no=book[line.product_id].item_no if bonded else None, item_name=product.name_zh[:250]))
    paid = order.paid_at or order.created_at or utcnow()
    order_record = ceb.OrderRecord(order_no=order.order_no, ebp=ebp, ebc=ebc, goods_value=Decimal(order.goods_value),
                                   freight=Decimal(order.freight or 0), currency=currency, items=order_items)
    payment = ceb.PaymentRecord(ebp=ebp, ebc=ebc, order_no=order.order_no, pay_name=order.pay_name or "现金支付",
                                pay_code=order.pay_code or None, pay_no=order.pay_no or None,
                                charge=Decimal(order.charge or 0) or Decimal(order.goods_value) + Decimal(order.freight or 0),
                                currency=currency,
                                accounting_date=paid.astimezone(CHINA_TZ))
    freight, insured = Decimal(order.freight or 0), Decimal(order.insured_fee or 0)
    waybill = ceb.WaybillRecord(logistics=logistics, logistics_no=order.logistics_no, freight=freight,
                                insured_fee=insured, currency=currency, gross_weight=gross, pack_no=1,
                                goods_info="，".join(f"{l.product.name_zh[:30]}{l.qty}件" for l in order.lines)[:200],
                                ebc=ebc)
    warehouse = order.warehouse
    customs = warehouse.customs_area_code or current_app.config.get("CUSTOMS_AREA", "5349")
    listing = ceb.InventoryRecord(
        customs_code=customs, ebp=ebp, order_no=order.order_no, logistics=logistics, logistics_no=order.logistics_no,
        cop_no=f"{order.seller.code[:8]}-{order.id:010d}", port_code=customs,
        ie_date=datetime.now(CHINA_TZ).date(), statistics_flag="B", agent=_agent(), ebc=ebc, owner=ebc,
        trade_mode=order.trade_mode, traf_mode=TRAF_AIR, country=order.country.customs_code,
        pod=ISO3.get(order.country.code, order.country.code + "0"), freight=freight, f_currency=currency,
        f_flag=FLAG_TOTAL, insured_fee=insured, i_currency=currency, i_flag=FLAG_TOTAL,
        wrap_type=WRAP_OTHER, pack_no=1, gross_weight=gross, net_weight=net, items=list_items,
        iac=_agent() if bonded else None, ems_no=order.seller.account_book_no if bonded else None)
    return order_record, payment, waybill, listing


def match(order: Order) -> Order:
    """Declare the order's documents and its export list; the three-document match decides its state."""
    from wms.customs import service as customs
    from wms.customs.matching import keep_exceptions
    ORDER.next_state(order.status, "match")            # 409 before anything is declared
    if not order.logistics_no:
        raise Conflict("no_waybill", order_no=order.order_no, reason=order.status_reason)
    order_record, payment, waybill, listing = build(order)
    again = order.status == "match_failed"           # corrected data goes out as changes (appType 2 变更)
    with db.session.begin_nested():
        for record in (order_record, payment, waybill):
            if again and _declared(order, record):
                customs.declare([replace(record, app_type=ceb.AppType.CHANGE)], seller_id=order.seller_id)
            elif not _declared(order, record):
                customs.declare([record], seller_id=order.seller_id)
    try:
        with db.session.begin_nested():
            customs.declare([listing], seller_id=order.seller_id)
    except Conflict as exc:
        if exc.code != "three_document_mismatch":
            raise
        keep_exceptions(exc.params["lists"], order.seller_id)
        found = ", ".join(m["field"] for p in exc.params["lists"] for m in p["mismatches"])
        if not again:
            ORDER.fire(order, "match_fail", mismatches=found)
        order.status_reason = f"三单对碰不符 documents disagree: {found}"[:300]
        publish(db.session, ROOM, "order.match_failed", {"id": order.id, "order_no": order.order_no, "fields": found})
        return order
    ORDER.fire(order, "match", list_cop_no=listing.cop_no)
    order.list_guid, order.customs_state, order.status_reason = listing.guid, "declared", ""
    publish(db.session, ROOM, "order.matched", {"id": order.id, "order_no": order.order_no})
    if order.mode == "parcel":
        from wms.outbound import consolidation
        consolidation.link(order)                      # its pre-packed parcel may already be waiting
    return order


def redeclare(order: Order) -> Order:
    """Customs refused the export list (清单退单): once the data is put right (the product's filing, the seller,
    the order), the list is declared again — with whichever of the order, payment and waybill customs refused
    too — and followed as before. Only a refused list of a live order."""
    from wms.core.audit import record
    from wms.customs import service as customs
    if order.status == "cancelled" or order.customs_state != "rejected":
        raise Conflict("list_not_rejected", order_no=order.order_no, current_state=order.customs_state or "-")
    order_record, payment, waybill, listing = build(order)
    with db.session.begin_nested():
        for document in (order_record, payment, waybill):
            if not _declared(order, document):
                customs.declare([document], seller_id=order.seller_id)
        customs.declare([listing], seller_id=order.seller_id)      # the three documents must still agree (409)
    record("order.redeclare_list", order, before={"customs_state": "rejected", "list_guid": order.list_guid},
           after={"customs_state": "declared", "list_guid": listing.guid})
    order.list_guid, order.customs_state, order.status_reason = listing.guid, "declared", ""
    publish(db.session, ROOM, "order.redeclared", {"id": order.id, "order_no": order.order_no})
    return order


def _declared(order: Order, record) -> bool:
    """Whether this order's document of that kind is already declared and not refused (a retry keeps it)."""
    kind = {ceb.OrderRecord: "order", ceb.PaymentRecord: "payment", ceb.WaybillRecord: "waybill"}[type(record)]
    keys = {"order": (CustomsRecord.order_no == order.order_no),
            "payment": (CustomsRecord.order_no == order.order_no),
            "waybill": (CustomsRecord.logistics_no == order.logistics_no)}[kind]
    return db.session.scalar(sa.select(CustomsRecord.id).where(
        CustomsRecord.kind == kind, CustomsRecord.seller_id == order.seller_id, keys,
        CustomsRecord.status.not_in(("rejected", "error", "send_failed"))).limit(1)) is not None


# --- customs' answers to the export list ------------------------------------------------------------------

def on_list(record: CustomsRecord, event: str) -> None:
    """Listener on export lists: released, rejected or inspected lists change what the order may do."""
    order = db.session.scalars(sa.select(Order).where(Order.list_guid == record.guid).with_for_update()).first()
    if order is None or order.customs_state == "cancelled":
        return
    if order.status == "cancelled":                     # cancelled before customs numbered its list: now CEB605
        if order.customs_state == "cancelling" and (record.invt_no or record.status in FAILURES):
            from wms.outbound.orders import cancel_list
            cancel_list(order, order.status_reason)
        return
    state = {"released": "released", "closed": "released", "inspection": "inspection", "rejected": "rejected",
             "error": "rejected", "send_failed": "rejected"}.get(record.status)
    if state is None or order.customs_state == state or (order.customs_state == "released" and state != "rejected"):
        return
    order.customs_state = state
    if state == "released":
        order.released_at = utcnow()
    elif state == "rejected":
        order.status_reason = f"清单退单 list rejected: {record.return_info}"[:300]
    publish(db.session, ROOM, f"order.customs_{state}", {"id": order.id, "order_no": order.order_no})


def _listen() -> None:
    from wms.customs import service as customs
    customs.on_status("inventory", on_list)


_listen()
