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
from wms.outbound.models import Allocation, Order, OrderLine
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
    if order.mode != "stock":
        raise Conflict("parcel_order_not_allocated", order_no=order.order_no, current_state=order.status)
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
    """Allocate matched and backordered orders, oldest first, as one batch: {allocated, backordered}.

    The same rules as ``allocate``, set-based: every candidate balance of the products involved is read once
    and locked (in id order), orders take from them in memory, oldest first, whole or not at all; then the
    reservations, allocations, order states and audit rows are written in bulk.
    """
    from wms.core.audit import AuditLog, current_actor
    from wms.db import bulk_insert
    o, l = Order.__table__.c, OrderLine.__table__.c
    waiting = (sa.select(o.id).where(o.status.in_(ALLOCATABLE), o.mode == "stock").order_by(o.id).limit(limit))
    if warehouse_id is not None:
        waiting = waiting.where(o.warehouse_id == warehouse_id)
    waiting = waiting.subquery()
    rows = db.session.execute(
        sa.select(o.id, o.seller_id, o.warehouse_id, o.status, l.id, l.product_id, l.qty)
        .join(waiting, waiting.c.id == o.id).join(OrderLine.__table__, l.order_id == o.id)
        .order_by(o.id, l.product_id)).all()
    if not rows:
        return {}
    orders: dict[int, tuple] = {}                          # id -> (seller, warehouse, status, [(line, product, qty)])
    for order_id, seller_id, wh, status, line_id, product_id, qty in rows:
        orders.setdefault(order_id, (seller_id, wh, status, []))[3].append((line_id, product_id, qty))
    pools = _pools({(product_id, seller_id, wh) for seller_id, wh, _, lines in orders.values()
                    for _, product_id, _ in lines})
    taken: dict[int, int] = defaultdict(int)
    allocations, outcome, reasons = [], {}, {}
    for order_id, (seller_id, wh, _, lines) in orders.items():
        plan, short, held = [], {}, defaultdict(int)
        for line_id, product_id, qty in lines:
            need = qty
            for balance in pools.get((product_id, seller_id, wh), ()):
                free = balance[4] - taken[balance[0]] - held[balance[0]]
                if free <= 0:
                    continue
                use = min(need, free)
                plan.append((balance, line_id, product_id, use))
                held[balance[0]] += use
                need -= use
                if not need:
                    break
            if need:
                short[product_id] = need
        if short:
            outcome[order_id], reasons[order_id] = "backordered", short
            continue
        outcome[order_id] = "allocated"
        for balance, line_id, product_id, use in plan:
            taken[balance[0]] += use
            allocations.append({"order_id": order_id, "order_line_id": line_id, "balance_id": balance[0],
                                "product_id": product_id, "location_id": balance[1], "lpn": balance[2],
                                "lot": balance[3], "qty": use, "picked_qty": 0, "status": "open",
                                "pick_sequence": balance[5]})
    c = BALANCES.c
    if taken:
        db.session.execute(sa.update(BALANCES).where(c.id == sa.bindparam("b_id"))
                           .values(reserved_qty=c.reserved_qty + sa.bindparam("units")),
                           [{"b_id": b, "units": n} for b, n in taken.items()])
    bulk_insert(db.session, Allocation.__table__, allocations)
    skus = _skus({p for short in reasons.values() for p in short})
    actor = current_actor.get()
    audit, counts = [], defaultdict(int)
    for order_id, (seller_id, _, status, _) in orders.items():
        state = outcome[order_id]
        counts[state] += 1
        if state == status:
            continue
        event = "allocate" if state == "allocated" else "backorder"
        ORDER.next_state(status, event)
        audit.append({"user_id": getattr(actor, "id", None), "username": getattr(actor, "username", None) or "system",
                      "action": f"order.{event}", "entity_type": "orders", "entity_id": str(order_id),
                      "seller_id": seller_id, "before": {"status": status}, "after": {"status": state}})
    allocated = [order_id for order_id, state in outcome.items() if state == "allocated"]
    for chunk in range(0, len(allocated), 5000):
        db.session.execute(sa.update(Order.__table__).where(o.id.in_(allocated[chunk:chunk + 5000]))
                           .values(status="allocated", status_reason=""))
    for order_id, short in reasons.items():
        text = "缺货 short: " + ", ".join(f"{skus[p]} ×{n}" for p, n in short.items())
        db.session.execute(sa.update(Order.__table__).where(o.id == order_id)
                           .values(status="backordered", status_reason=text[:300]))
    bulk_insert(db.session, AuditLog.__table__, audit)
    db.session.expire_all()
    publish(db.session, ROOM, "orders.allocated", dict(counts))
    return dict(counts)


def _pools(keys: set[tuple[int, int, int]]) -> dict[tuple, list[tuple]]:
    """Candidate balances per (product, seller, warehouse), in the order they are used, locked in id order."""
    received = _received()
    free = StockBalance.qty - StockBalance.reserved_qty
    products = {k[0] for k in keys}
    rows = db.session.execute(
        sa.select(StockBalance.id, StockBalance.location_id, StockBalance.lpn, StockBalance.lot, free,
                  Location.pick_sequence, StockBalance.product_id, StockBalance.seller_id, Location.warehouse_id)
        .join(Location, Location.id == StockBalance.location_id).join(Zone, Zone.id == Location.zone_id)
        .outerjoin(received, received.c.lpn == StockBalance.lpn)
        .where(StockBalance.product_id.in_(products), StockBalance.status == "available", free > 0,
               Zone.kind.in_(PICKABLE_ZONES), Location.active.is_(True))
        .order_by(StockBalance.expiry.is_(None), StockBalance.expiry, received.c.at.is_not(None), received.c.at,
                  Location.pick_sequence, StockBalance.id)).all()
    ids = sorted(r[0] for r in rows)
    for chunk in range(0, len(ids), 1000):                      # lock them, one order for every allocator
        db.session.execute(sa.select(StockBalance.id).where(StockBalance.id.in_(ids[chunk:chunk + 1000]))
                           .order_by(StockBalance.id).with_for_update()).all()
    fresh = dict(db.session.execute(sa.select(StockBalance.id, free).where(StockBalance.id.in_(ids))).all()) \
        if len(ids) <= 30_000 else {}
    pools: dict[tuple, list[tuple]] = defaultdict(list)
    for r in rows:
        key = (r[6], r[7], r[8])
        if key in keys:
            pools[key].append((r[0], r[1], r[2], r[3], fresh.get(r[0], r[4]), r[5]))
    return pools


def _skus(product_ids: set[int]) -> dict[int, str]:
    from wms.masterdata.models import Product
    if not product_ids:
        return {}
    return dict(db.session.execute(sa.select(Product.id, Product.sku).where(Product.id.in_(product_ids))).all())
