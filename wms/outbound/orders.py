"""Order intake (订单): platforms push orders through the API, sellers create or import them in the OMS.

An order is idempotent on platform + order number: the same order sent again answers the first one
(200, nothing changes); the same number with different content is a 409 naming the stored order. The buyer's
address is checked per country (``wms.outbound.address``); products must be the seller's own, filed with
customs; money adds up (goods value = Σ line totals). Cancellation is allowed until the order is loaded.
"""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app

from wms.auth.service import owned, owning_seller
from wms.core.audit import record, snapshot
from wms.errors import Conflict, ValidationFailed
from wms.events import publish
from wms.extensions import db
from wms.masterdata.models import Channel, Country, Currency, Product, Seller, Warehouse
from wms.outbound import address, channels
from wms.outbound.models import Order, OrderLine
from wms.outbound.states import ORDER

ROOM = "outbound"
MONEY_TOLERANCE = Decimal("0.01")
HEADER = ("platform", "order_no", "ebp_code", "ebp_name", "mode", "trade_mode", "buyer_name", "buyer_email",
          "state", "city", "address1", "address2", "goods_value", "freight", "insured_fee", "pay_code",
          "pay_name", "pay_no", "paid_at", "charge", "logistics_no", "parcel_waybill_no", "note")


def get(order_id: int, *, lock: bool = False) -> Order:
    return owned(Order, order_id, "order", lock=lock)


def fingerprint(data: dict) -> str:
    """What identifies the content of an order request (to tell a replay from a different order)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def receive(data: dict) -> tuple[Order, bool]:
    """Take an order in: (order, created). A replay of the same order answers the stored one."""
    seller_id = owning_seller(data)
    data["trade_mode"] = data.get("trade_mode") or ("9610" if data.get("mode") == "parcel" else "1210")
    platform, order_no = data["platform"], data["order_no"]
    existing = db.session.scalars(sa.select(Order).where(Order.platform == platform,
                                                         Order.order_no == order_no)).first()
    if existing is not None:
        if existing.seller_id != seller_id or existing.request_fingerprint != fingerprint(_comparable(data, seller_id)):
            raise Conflict("order_exists", platform=platform, order_no=order_no, current_state=existing.status)
        return existing, False
    order = _build(data, seller_id)
    db.session.add(order)
    db.session.flush()
    if channels.assign(order) and current_app.config.get("OUTBOUND_AUTO_MATCH"):
        from wms.outbound.declaring import match
        match(order)
    record("order.create", order, before=None, after=snapshot(order) | {"lines": len(order.lines)})
    publish(db.session, ROOM, "order.received", {"id": order.id, "order_no": order.order_no,
                                                 "seller_id": order.seller_id, "lines": len(order.lines)})
    return order, True


def _comparable(data: dict, seller_id: int) -> dict:
    keys = [k for k in (*HEADER, "country", "currency", "channel", "postal_code", "buyer_phone") if k in data]
    lines = [{"sku": l.get("sku"), "product_id": l.get("product_id"), "qty": l["qty"], "price": str(l["price"])}
             for l in data.get("lines", [])]
    return {"seller_id": seller_id, **{k: str(data[k]) for k in keys}, "lines": lines}


def _build(data: dict, seller_id: int) -> Order:
    errors: dict[str, list[str]] = {}
    seller = db.session.get(Seller, seller_id)
    if seller is None:
        raise ValidationFailed({"seller_id": ["Unknown reference."]})
    country = db.session.scalars(sa.select(Country).where(Country.code == data["country"].upper())).first()
    currency = db.session.scalars(sa.select(Currency).where(Currency.code == data["currency"].upper())).first()
    if country is None:
        errors["country"] = [f"Unknown country code {data['country']}."]
    if currency is None:
        errors["currency"] = [f"Unknown currency code {data['currency']}."]
    checked, address_errors = address.check(country.code if country else "", data.get("postal_code", ""),
                                            data.get("buyer_phone", "")) if country else (None, {})
    errors |= address_errors
    channel = None
    if data.get("channel"):
        channel = db.session.scalars(sa.select(Channel).where(Channel.code == data["channel"].upper())).first()
        if channel is None:
            errors["channel"] = [f"Unknown channel {data['channel']}."]
    lines, total = [], Decimal(0)
    for n, line in enumerate(data.get("lines") or []):
        product = _product(seller_id, line)
        if product is None:
            errors[f"lines.{n}.sku"] = [f"Unknown SKU {line.get('sku') or line.get('product_id')}."]
            continue
        if product.filing_status != "approved":
            errors[f"lines.{n}.sku"] = [f"{product.sku} is not filed with customs ({product.filing_status})."]
        lines.append(OrderLine(gnum=n + 1, product_id=product.id, qty=line["qty"], price=Decimal(str(line["price"]))))
        total += Decimal(line["price"]) * line["qty"]
    if not data.get("lines"):
        errors["lines"] = ["Missing data for required field."]
    if data.get("mode") == "parcel":
        errors |= _parcel_errors(data, seller_id)
    if lines and abs(total - Decimal(data["goods_value"])) > MONEY_TOLERANCE:
        errors["goods_value"] = [f"Must equal the sum of the lines ({total.quantize(Decimal('0.01'))})."]
    if errors:
        raise ValidationFailed(errors)
    warehouse_id = data.get("warehouse_id") or db.session.scalar(
        sa.select(Warehouse.id).where(Warehouse.active.is_(True)).order_by(Warehouse.id))
    order = Order(seller_id=seller_id, warehouse_id=warehouse_id, country_id=country.id, currency_id=currency.id,
                  channel_id=channel.id if channel else None, postal_code=checked.postal_code,
                  buyer_phone=checked.phone, **{k: data[k] for k in HEADER if k in data})
    order.request_fingerprint = fingerprint(_comparable(data, seller_id))
    order.lines = lines
    order.units = sum(line.qty for line in lines)
    return order


def _parcel_errors(data: dict, seller_id: int) -> dict[str, list[str]]:
    """A parcel-consolidation order ships its seller's pre-packed parcel under 9610 (the goods never entered the
    bonded account book), and no other live order may claim the same parcel."""
    errors = {}
    if data["trade_mode"] != "9610":
        errors["trade_mode"] = ["A pre-packed parcel ships under 9610: its goods are not in the bonded account book."]
    waybill = data.get("parcel_waybill_no")
    if waybill:
        other = db.session.scalar(sa.select(Order.order_no).where(
            Order.seller_id == seller_id, Order.mode == "parcel", Order.parcel_waybill_no == waybill,
            Order.status != "cancelled").limit(1))
        if other:
            errors["parcel_waybill_no"] = [f"Parcel {waybill} already belongs to order {other}."]
    return errors


def _product(seller_id: int, line: dict) -> Product | None:
    query = sa.select(Product).where(Product.seller_id == seller_id)
    if line.get("product_id"):
        return db.session.scalars(query.where(Product.id == line["product_id"])).first()
    return db.session.scalars(query.where(Product.sku == line.get("sku", ""))).first()


def tracking(order: Order) -> dict:
    """The carrier's events for the order's parcel (运输轨迹): none until it has left the zone."""
    from wms.db import utcnow
    from wms.outbound.carriers import adapter
    events = adapter(current_app.config).track(order.logistics_no, order.shipped_at, utcnow()) \
        if order.logistics_no else []
    return {"order_no": order.order_no, "logistics_no": order.logistics_no, "status": order.status,
            "carrier_code": order.channel.carrier.code if order.channel else None, "shipped_at": order.shipped_at,
            "events": events}


def cancel(order: Order, reason: str) -> Order:
    """Cancel until loaded: reservations are given back and open picks cancelled; units already picked or packed
    go back to stock through return-to-stock tasks (putaway tasks from the cart slot, the batch tote or the
    parcel); a bagged parcel leaves its open bag; the export list is cancelled with CEB605 — at once when customs
    has numbered it, else as soon as it does."""
    from wms.outbound.allocation import release
    from wms.outbound.waves import complete_if_packed
    ORDER.next_state(order.status, "cancel")
    if order.status == "bagged":
        _unbag(order, reason)
    ORDER.fire(order, "cancel", reason=reason)
    _cancel_open_picks(order)
    release(order)
    returned = return_to_stock(order)
    order.status_reason = reason[:300]
    cancel_list(order, reason)
    complete_if_packed(order.wave_id)
    publish(db.session, ROOM, "order.cancelled", {"id": order.id, "order_no": order.order_no, "returned": returned})
    return order


def _cancel_open_picks(order: Order) -> None:
    """The order's picks not yet done are cancelled; a wave with nothing else left to pick is picked."""
    from wms.outbound.models import PickTask, Wave
    from wms.outbound.picking import close_if_picked
    from wms.outbound.states import PICK_TASK
    tasks = db.session.scalars(sa.select(PickTask).where(PickTask.order_id == order.id,
                                                         PickTask.status == "open")).all()
    for task in tasks:
        PICK_TASK.fire(task, "cancel", audit=False)
    for wave_id in {t.wave_id for t in tasks}:
        close_if_picked(db.session.get(Wave, wave_id))


def _unbag(order: Order, reason: str) -> None:
    from wms.outbound import bagging
    from wms.outbound.models import Bag, Parcel
    parcel = db.session.scalars(sa.select(Parcel).where(Parcel.order_id == order.id)).first()
    bag = db.session.get(Bag, parcel.bag_id) if parcel is not None and parcel.bag_id else None
    if bag is not None:
        bagging.remove_parcel(bag, parcel.logistics_no, reason)      # 409 when the bag is already sealed


def return_to_stock(order: Order) -> int:
    """Putaway tasks for the order's picked units wherever they wait — its parcel once packed, else its cart slot
    or, from the single-item batch tote it shares with other orders, only its own units: the units returned."""
    from collections import defaultdict

    from wms.inbound import putaway
    from wms.inbound.models import PutawayTask
    from wms.inventory.models import StockBalance
    from wms.outbound.models import Parcel, PickTask, Wave
    from wms.outbound.picking import carrier_lpn
    owed: dict[tuple[str, int, str], int | None] = defaultdict(int)      # (lpn, product, lot) -> units; None: all
    if db.session.scalar(sa.select(Parcel.id).where(Parcel.order_id == order.id)) and order.logistics_no:
        for product_id, lot in db.session.execute(sa.select(StockBalance.product_id, StockBalance.lot).where(
                StockBalance.lpn == order.logistics_no, StockBalance.qty > 0)).all():
            owed[(order.logistics_no, product_id, lot)] = None
    else:
        for task in db.session.scalars(sa.select(PickTask).where(PickTask.order_id == order.id,
                                                                 PickTask.picked_qty > 0)):
            owed[(carrier_lpn(db.session.get(Wave, task.wave_id), task), task.product_id, task.lot)] += task.picked_qty
    units = 0
    for (lpn, product_id, lot), wanted in owed.items():
        balance = db.session.scalars(sa.select(StockBalance).where(
            StockBalance.lpn == lpn, StockBalance.product_id == product_id, StockBalance.lot == lot,
            StockBalance.seller_id == order.seller_id, StockBalance.status == "available",
            StockBalance.qty > 0)).first()
        if balance is None or balance.location.zone.kind == "storage":
            continue
        planned = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(PutawayTask.qty), 0)).where(
            PutawayTask.lpn == lpn, PutawayTask.product_id == product_id, PutawayTask.status == "open"))
        qty = min(balance.qty - planned, balance.qty if wanted is None else wanted)
        if qty > 0:
            putaway.create_task(balance.product, balance.location, qty, lpn, lot)
            units += qty
    return units


def cancel_list(order: Order, reason: str) -> None:
    """CEB605 for the order's export list once customs has numbered it; a list not numbered yet is marked
    ``cancelling`` and cancelled when its number comes (``declaring.on_list``)."""
    from wms.customs import ceb, service as customs
    from wms.customs.models import CustomsRecord
    from wms.customs.states import FAILURES
    listing = db.session.scalars(sa.select(CustomsRecord).where(CustomsRecord.guid == order.list_guid)).first() \
        if order.list_guid else None
    if listing is None or listing.status in FAILURES:
        if listing is not None:
            order.customs_state = "cancelled"                  # customs refused it: nothing to cancel there
        return
    if not listing.invt_no:
        order.customs_state = "cancelling"
        return
    config = current_app.config
    customs.declare([ceb.InventoryCancel(
        customs_code=order.warehouse.customs_area_code or config.get("CUSTOMS_AREA", "5349"), cop_no=listing.cop_no,
        invt_no=listing.invt_no, pre_no=listing.pre_no or None, reason=reason[:100] or "订单取消",
        agent=ceb.Party(config["CUSTOMS_COP_CODE"], config["CUSTOMS_COP_NAME"]),
        ebc=ceb.Party(order.seller.customs_code, order.seller.name_zh))], seller_id=order.seller_id)
    order.customs_state = "cancelled"


# --- Excel import -----------------------------------------------------------------------------------------

# key, English, Chinese; one row per order line, the order's columns repeated on each of its rows
COLUMNS = [("seller", "Seller code", "卖家代码"), ("platform", "Platform", "平台"), ("order_no", "Order no.", "订单号"), ("buyer_name", "Buyer", "收件人"),
           ("buyer_phone", "Phone", "电话"), ("buyer_email", "Email", "邮箱"), ("country", "Country", "国家"),
           ("state", "State", "州/省"), ("city", "City", "城市"), ("address1", "Address 1", "地址1"),
           ("address2", "Address 2", "地址2"), ("postal_code", "Postal code", "邮编"), ("currency", "Currency", "币制"),
           ("freight", "Freight", "运费"), ("channel", "Channel", "物流渠道"), ("pay_no", "Payment no.", "支付单号"),
           ("sku", "SKU", "SKU"), ("qty", "Qty", "数量"), ("price", "Price", "单价")]
HEADERS = {text.strip().lower(): key for key, en, zh in COLUMNS for text in (key, en, zh)}
ORDER_COLUMNS = tuple(k for k, _, _ in COLUMNS if k not in ("sku", "qty", "price", "seller"))


def template() -> bytes:
    import io
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = "orders"
    sheet.append([zh for _, _, zh in COLUMNS])
    sheet.append([en for _, en, _ in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_orders(data: bytes, seller_id: int | None) -> dict[str, list[str]]:
    """Create the orders of a workbook, all or none; every bad row is listed with its field messages."""
    from marshmallow import ValidationError
    from wms.i18n import translate_errors
    from wms.masterdata.importer import read_rows
    from wms.outbound.schemas import OrderSchema
    rows = read_rows(data, headers=HEADERS, min_headers=3, what="order")
    grouped: dict[tuple[str, str], list[tuple[int, dict]]] = {}
    for number, row in rows:
        grouped.setdefault((row.get("platform", "").upper(), row.get("order_no", "")), []).append((number, row))
    problems, created, replayed = [], [], []
    for (platform, order_no), members in grouped.items():
        first = members[0][1]
        lines = [{"sku": r.get("sku", ""), "qty": r.get("qty"), "price": r.get("price")} for _, r in members]
        payload = {k: first[k] for k in ORDER_COLUMNS if k in first} | {"lines": lines}
        try:
            payload["goods_value"] = str(sum(Decimal(str(l["price"])) * int(l["qty"]) for l in lines))
        except Exception:
            payload["goods_value"] = "0"
        if seller_id is not None:
            payload["seller_id"] = seller_id
        elif first.get("seller"):
            payload["seller_id"] = db.session.scalar(sa.select(Seller.id).where(Seller.code == first["seller"].upper()))
            if payload["seller_id"] is None:
                problems.append({"row": members[0][0], "order_no": order_no,
                                 "errors": translate_errors({"seller": ["Unknown reference."]})})
                continue
        try:
            with db.session.begin_nested():
                order, new = receive(OrderSchema().load(payload))
            (created if new else replayed).append(order.order_no)
        except ValidationError as exc:
            problems += [{"row": n, "order_no": order_no, "errors": translate_errors(exc.messages)} for n, _ in members[:1]]
        except ValidationFailed as exc:
            problems += [{"row": n, "order_no": order_no, "errors": translate_errors(exc.errors or {})}
                         for n, _ in members[:1]]
        except Conflict as exc:
            from wms.i18n import message
            problems.append({"row": members[0][0], "order_no": order_no,
                             "errors": {"order_no": [message(exc.code, **exc.params)]}})
    if problems:
        raise ValidationFailed({"rows": ["Some rows are not valid; nothing was imported."]}, rows=problems)
    return {"created": created, "unchanged": replayed}
