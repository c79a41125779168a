"""Allocation (订单分配): reserve stock for matched orders.

Only ``available`` stock — customs-released, QC-passed — of the order's own seller, in storage locations,
is ever reserved. Candidates are taken FEFO (earliest expiry first) where lots carry an expiry, otherwise
FIFO by the date the LPN was received, then in the locations' pick sequence. An order is allocated whole or
not at all: when a line cannot be covered, nothing is reserved and the order is backordered with the short
SKUs as its reason (re-allocated later, e.g. after putaway or a count). Each balance is read and reserved
under its row lock, so parallel allocations see what the other took and never promise the same unit twice
(the CHECK ``reserved_qty <= qty`` stands behind it).
"""
from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from wms.errors import Conflict
from wms.events import publish
from wms.extensions import db
from wms.inbound.models import Receipt
from wms.inventory.models import StockBalance
from wms.masterdata.models import Location, Zone
from wms.outbound.models import Allocation, Order
from wms.outbound.states import ORDER

ROOM = "outbound"
BALANCES = StockBalance.__table__
PICKABLE_ZONES = ("storage",)
ALLOCATABLE = ("matched", "backordered")


def _received():
    """When each LPN was first received (opening stock has none and counts as oldest)."""
    return sa.select(Receipt.lpn, sa.func.min(Receipt.created_at).label("at")).group_by(Receipt.lpn).subquery()


def candidates(product_id: int, seller_id: int, warehouse_id: int) -> list[tuple]:
    """(balance id, location id, lpn, lot, free units, pick sequence) in the order they should be used."""
    received = _received()
    free = StockBalance.qty - StockBalance.reserved_qty
    return db.session.execute(
        sa.select(StockBalance.id, StockBalance.location_id, StockBalance.lpn, StockBalance.lot, free,
                  Location.pick_sequence)
        .join(Location, Location.id == StockBalance.location_id).join(Zone, Zone.id == Location.zone_id)
        .outerjoin(received, received.c.lpn == StockBalance.lpn)
        .where(StockBalance.product_id == product_id, StockBalance.seller_id == seller_id,
               StockBalance.status == "available", free > 0, Zone.kind.in_(PICKABLE_ZONES),
               Location.warehouse_id == warehouse_id, Location.active.is_(True))
        .order_by(StockBalance.expiry.is_(None), StockBalance.expiry, received.c.at.is_not(None), received.c.at,
                  Location.pick_sequence, StockBalance.id)).all()


def _reserve(balance_id: int, wanted: int) -> int:
    """Reserve up to ``wanted`` units of a balance, under its row lock: the units actually reserved."""
    c = BALANCES.c
    free = db.session.execute(sa.select(c.qty - c.reserved_qty).where(c.id == balance_id).with_for_update()).scalar()
    take = min(wanted, free or 0)
    if take > 0:
        db.session.execute(sa.update(BALANCES).where(c.id == balance_id).values(reserved_qty=c.reserved_qty + take))
    return take


def allocate(order: Order) -> Order:
    """Reserve every unit of the order, or backorder it naming what is short."""
    ORDER.next_state(order.status, "allocate")
    short: dict[str, int] = {}
    with db.session.begin_nested() as attempt:
        for line in sorted(order.lines, key=lambda l: l.product_id):   # one lock order for all: no deadlocks
            need = line.qty
            for balance_id, location_id, lpn, lot, free, sequence in candidates(line.product_id, order.seller_id,
                                                                                 order.warehouse_id):
                take = _reserve(balance_id, need)  # what is free now, after anyone before us
                if not take:
                    continue
                db.session.add(Allocation(order_id=order.id, order_line_id=line.id, balance_id=balance_id,
                                          product_id=line.product_id, location_id=location_id, lpn=lpn, lot=lot,
                                          qty=take, pick_sequence=sequence))
                need -= take
                if not need:
                    break
            if need:
                short[line.product.sku] = need
        if short:
            attempt.rollback()
    if short:
        if order.status != "backordered":
            ORDER.fire(order, "backorder", short=short)
        order.status_reason = ("缺货 short: " + ", ".join(f"{sku} ×{n}" for sku, n in short.items()))[:300]
        publish(db.session, ROOM, "order.backordered", {"id": order.id, "order_no": order.order_no, "short": short})
        return order
    db.session.flush()
    ORDER.fire(order, "allocate")
    order.status_reason = ""
    publish(db.session, ROOM, "order.allocated", {"id": order.id, "order_no": order.order_no})
    return order


def release(order: Order) -> None:
    """Give back what an order reserved and has not picked (cancellation, re-allocation after a short pick)."""
    c = BALANCES.c
    rows = db.session.scalars(sa.select(Allocation).where(Allocation.order_id == order.id,
                                                          Allocation.status == "open")).all()
    for row in rows:
        left = row.qty - row.picked_qty
        if left:
            db.session.execute(sa.update(BALANCES).where(c.id == row.balance_id)
                               .values(reserved_qty=c.reserved_qty - left))
        row.status = "released"


def allocate_open(warehouse_id: int | None = None, limit: int = 10_000) -> dict[str, int]:
    """Allocate matched and backordered orders, oldest first: {allocated, backordered}."""
    query = sa.select(Order).where(Order.status.in_(ALLOCATABLE)).order_by(Order.id).limit(limit)
    if warehouse_id is not None:
        query = query.where(Order.warehouse_id == warehouse_id)
    counts: dict[str, int] = defaultdict(int)
    for order in db.session.scalars(query).all():
        try:
            allocate(order)
        except Conflict:
            continue
        counts[order.status] += 1
    return dict(counts)
