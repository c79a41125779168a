"""Parcel consolidation (集货, cross-dock): sellers send parcels already packed per buyer order. Such an order
(``mode = "parcel"``) is never allocated, waved, picked or packed: once its documents match and its pre-packed
parcel has been received on a parcel forecast, the two are linked — the received parcel becomes the order's
parcel (on the international waybill the channel issued) and the order is ``packed``, ready for bagging.

Either may come first: the parcel scanned at receiving links to its matched order at once, and an order
matched later finds its parcel already waiting. An order names its parcel by the seller's waybill number
(``parcel_waybill_no``); without one, the forecast's parcel list names the order number instead.
"""
from __future__ import annotations

import sqlalchemy as sa

from wms.core.audit import current_actor
from wms.db import utcnow
from wms.events import publish
from wms.extensions import db
from wms.inbound.models import Asn, AsnParcel
from wms.outbound.models import Order, Parcel
from wms.outbound.states import ORDER

ROOM = "outbound"


def _linked(parcel: AsnParcel) -> bool:
    """Whether a live order already carries this received parcel."""
    return db.session.scalar(
        sa.select(Order.id).join(Parcel, Parcel.order_id == Order.id)
        .where(Order.mode == "parcel", Order.seller_id == parcel.asn.seller_id, Order.status != "cancelled",
               sa.or_(Order.parcel_waybill_no == parcel.waybill_no,
                      sa.and_(Order.parcel_waybill_no == "", Order.order_no == parcel.order_no)))
        .limit(1)) is not None


def received_parcel(order: Order) -> AsnParcel | None:
    """The received, still unlinked parcel the order names."""
    query = (sa.select(AsnParcel).join(Asn, Asn.id == AsnParcel.asn_id)
             .where(Asn.seller_id == order.seller_id, AsnParcel.received_at.is_not(None))
             .order_by(AsnParcel.received_at.desc()))
    if order.parcel_waybill_no:
        query = query.where(AsnParcel.waybill_no == order.parcel_waybill_no)
    else:
        query = query.where(AsnParcel.order_no == order.order_no)
    return next((p for p in db.session.scalars(query) if not _linked(p)), None)


def order_for(parcel: AsnParcel) -> Order | None:
    """The matched parcel-mode order a just-received parcel belongs to."""
    seller_id = parcel.asn.seller_id
    query = (sa.select(Order).where(Order.mode == "parcel", Order.seller_id == seller_id, Order.status == "matched")
             .order_by(Order.id).with_for_update())
    order = db.session.scalars(query.where(Order.parcel_waybill_no == parcel.waybill_no)).first()
    if order is None and parcel.order_no:
        order = db.session.scalars(query.where(Order.parcel_waybill_no == "",
                                               Order.order_no == parcel.order_no)).first()
    return order


def link(order: Order, parcel: AsnParcel | None = None) -> Parcel | None:
    """Make the received parcel the order's parcel (the order becomes ``packed``); None while it has not arrived."""
    from wms.outbound.declaring import weights
    if order.mode != "parcel" or order.status != "matched":
        return None
    parcel = parcel or received_parcel(order)
    if parcel is None:
        return None
    expected, _ = weights(order)
    packed = Parcel(order_id=order.id, logistics_no=order.logistics_no, material_id=None,
                    weight_kg=parcel.weight_kg or expected, expected_weight_kg=expected, location_id=parcel.location_id,
                    packed_by_id=getattr(current_actor.get(), "id", None), packed_at=utcnow())
    db.session.add(packed)
    ORDER.fire(order, "link_parcel", parcel_waybill_no=parcel.waybill_no, asn=parcel.asn.number)
    db.session.flush()
    publish(db.session, ROOM, "order.packed", {"id": order.id, "order_no": order.order_no,
                                               "logistics_no": order.logistics_no, "parcel": parcel.waybill_no})
    return packed


def on_received(parcel: AsnParcel) -> Order | None:
    """A parcel just scanned at receiving: linked to its order when that order is already matched."""
    order = order_for(parcel)
    if order is not None and link(order, parcel) is not None:
        return order
    return None
