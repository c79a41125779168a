"""Bagging (汇总入袋): packed parcels of one carrier channel and destination go into a bag labelled with an
SSCC; the bag is sealed with its count and weight and later loaded.

    open    scan a bag's SSCC label (pre-printed from the SSCC series), or ask for a new bag → the bag
    parcel  scan a parcel's waybill: it must be packed, and of the bag's channel and destination (the first
            parcel sets them); the order becomes ``bagged``
    seal    the count is checked and the bag weighed; a sealed bag takes no more parcels
    unbag   an open bag gives a parcel back, with the reason; the order is ``packed`` again
"""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from wms.auth.service import owned
from wms.core.audit import record
from wms.db import utcnow
from wms.errors import Conflict, NotFound, ValidationFailed
from wms.events import publish
from wms.extensions import db
from wms.masterdata.models import Warehouse
from wms.masterdata.rules import gs1_check_digit, normalize_code
from wms.outbound.models import Bag, Order, Parcel
from wms.outbound.states import BAG, ORDER

ROOM = "outbound"


def get(bag_id: int, *, lock: bool = False) -> Bag:
    return owned(Bag, bag_id, "bag", lock=lock, seller_of=lambda bag: None)


def _sscc(code: str) -> str:
    text = normalize_code(code)
    if text.startswith("(00)"):
        text = text[4:]
    elif text.startswith("00") and len(text) == 20:
        text = text[2:]
    if len(text) != 18 or not text.isdigit() or gs1_check_digit(text[:-1]) != int(text[-1]):
        raise ValidationFailed({"scan": [f"Not an SSCC: {code}."]}, code="not_sscc", scanned=code)
    return text


def open_bag(code: str | None) -> Bag:
    """The bag an SSCC label names (made on its first scan), or a new bag with a new SSCC."""
    from wms.printing import sscc
    number = _sscc(code) if code else sscc.allocate(1)[0]
    bag = db.session.scalars(sa.select(Bag).where(Bag.sscc == number)).first()
    if bag is None:
        warehouse_id = db.session.scalar(sa.select(Warehouse.id).where(Warehouse.active.is_(True)).order_by(Warehouse.id))
        bag = Bag(sscc=number, warehouse_id=warehouse_id)
        db.session.add(bag)
        db.session.flush()
        record("bag.open", bag, before=None, after={"sscc": number})
        publish(db.session, ROOM, "bag.opened", {"sscc": number})
    return bag


def _parcel(waybill: str) -> Parcel | None:
    """The parcel a scan names: its waybill, or — for a pre-packed parcel not yet relabelled — the seller's."""
    query = sa.select(Parcel).with_for_update(of=Parcel)
    parcel = db.session.scalars(query.where(Parcel.logistics_no == waybill)).first()
    if parcel is None:
        parcel = db.session.scalars(query.join(Order, Order.id == Parcel.order_id).where(
            Order.parcel_waybill_no == waybill, Order.mode == "parcel", Order.status != "cancelled")).first()
    return parcel


def add_parcel(bag: Bag, code: str) -> Parcel:
    BAG.next_state(bag.status, "seal")                      # only an open bag takes parcels
    parcel = _parcel(normalize_code(code))
    if parcel is None:
        raise NotFound("unknown_parcel", scanned=code)
    waybill = parcel.logistics_no
    order = db.session.get(Order, parcel.order_id)
    if parcel.bag_id is not None:
        raise Conflict("parcel_bagged", scanned=code, bag=db.session.get(Bag, parcel.bag_id).sscc)
    if order.status != "packed":
        raise Conflict("parcel_not_packed", scanned=code, current_state=order.status)
    if bag.channel_id is None:
        bag.channel_id, bag.country_id = order.channel_id, order.country_id
    elif (bag.channel_id, bag.country_id) != (order.channel_id, order.country_id):
        raise Conflict("wrong_bag", scanned=code, bag_channel=bag.channel.code if bag.channel else "",
                       parcel_channel=order.channel.code if order.channel else "",
                       bag_country=bag.country.code if bag.country else "", parcel_country=order.country.code)
    parcel.bag_id = bag.id
    bag.parcels_count += 1
    ORDER.fire(order, "bag", bag=bag.sscc, audit=False)
    publish(db.session, ROOM, "parcel.bagged", {"bag": bag.sscc, "logistics_no": waybill, "count": bag.parcels_count})
    return parcel


def remove_parcel(bag: Bag, code: str, reason: str) -> Parcel:
    """Unbag: an open bag gives a parcel back (wrong bag, damaged, order cancelled …) with the reason."""
    if bag.status != "open":
        raise Conflict("bag_sealed", sscc=bag.sscc, current_state=bag.status,
                       allowed_events=BAG.allowed_events(bag.status))
    parcel = _parcel(normalize_code(code))
    if parcel is None or parcel.bag_id != bag.id:
        raise NotFound("parcel_not_in_bag", scanned=code, sscc=bag.sscc)
    parcel.bag_id = None
    bag.parcels_count -= 1
    order = db.session.get(Order, parcel.order_id)
    ORDER.fire(order, "unbag", bag=bag.sscc, reason=reason)
    if not bag.parcels_count:
        bag.channel_id = bag.country_id = None
    publish(db.session, ROOM, "parcel.unbagged", {"bag": bag.sscc, "logistics_no": parcel.logistics_no,
                                                  "count": bag.parcels_count})
    return parcel


def seal(bag: Bag, count: int, weight_kg: Decimal) -> Bag:
    """Close the bag: the parcels counted by hand must be the parcels scanned."""
    if count != bag.parcels_count:
        raise Conflict("bag_count_differs", sscc=bag.sscc, counted=count, scanned=bag.parcels_count)
    if not bag.parcels_count:
        raise Conflict("bag_empty", sscc=bag.sscc)
    BAG.fire(bag, "seal", count=count, weight_kg=str(weight_kg))
    bag.weight_kg, bag.sealed_at = weight_kg, utcnow()
    publish(db.session, ROOM, "bag.sealed", {"sscc": bag.sscc, "parcels": count, "weight_kg": str(weight_kg)})
    return bag


def label_items(bag: Bag) -> list[dict]:
    """The bag's GS1 logistics label (SSCC), naming carrier, channel, destination and content."""
    warehouse = db.session.get(Warehouse, bag.warehouse_id)
    channel = bag.channel
    return [{"sscc": bag.sscc, "from_name": warehouse.name_zh, "from_address": warehouse.address or "",
             "to_name": (channel.carrier.name_zh + " " + channel.name_zh) if channel else "",
             "to_address": bag.country.name_en if bag.country else "",
             "content": f"{bag.parcels_count} parcels 包裹" + (f" · {bag.weight_kg} kg" if bag.weight_kg else ""),
             "count": str(bag.parcels_count)}]
