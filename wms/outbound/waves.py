"""Waves (波次): allocated orders grouped for picking, planned by rules and released by a supervisor.

Planning takes allocated orders not in a wave — customs-released ones only, unless the warehouse picks
before release (``OUTBOUND_PICK_BEFORE_RELEASE``; loading then waits for the release) — optionally only
those of one channel or received before a cut-off, and groups them by carrier channel and kind:
single-item orders (一票一件: one unit) go into ``single`` waves, batch-picked and labelled at the fast-lane
pack station; the others into ``multi`` waves picked to sorting carts (分拣车), one slot per order. A wave
closes at its maximum orders or units; a cart at its slot count. Each allocation becomes a pick task, and
tasks are numbered in the locations' pick sequence (a walkable route).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from wms.auth.service import owned
from wms.core.audit import current_actor, record
from wms.db import bulk_insert, utcnow
from wms.events import publish
from wms.extensions import db
from wms.inbound.asn import numbers
from wms.outbound.models import Allocation, Order, PickTask, Wave
from wms.outbound.states import ORDER, WAVE

ROOM = "outbound"


@dataclass(frozen=True)
class Plan:
    warehouse_id: int
    channel_id: int | None = None
    cutoff: datetime | None = None
    kinds: tuple[str, ...] = ("single", "multi")
    max_orders: int = 200
    max_units: int = 1000
    cart_slots: int = 24


def get(wave_id: int, *, lock: bool = False) -> Wave:
    return owned(Wave, wave_id, "wave", lock=lock, seller_of=lambda wave: None)


def _candidates(plan: Plan) -> list[tuple[int, int | None, int, int]]:
    """(order id, channel id, units, first pick sequence) of the orders a plan may take, oldest first."""
    first_pick = (sa.select(Allocation.order_id, sa.func.min(Allocation.pick_sequence).label("seq"))
                  .where(Allocation.status == "open").group_by(Allocation.order_id).subquery())
    query = (sa.select(Order.id, Order.channel_id, Order.units, first_pick.c.seq)
             .join(first_pick, first_pick.c.order_id == Order.id)
             .where(Order.status == "allocated", Order.wave_id.is_(None), Order.warehouse_id == plan.warehouse_id)
             .order_by(Order.id))
    if not current_app.config.get("OUTBOUND_PICK_BEFORE_RELEASE"):
        query = query.where(Order.customs_state == "released")
    if plan.channel_id is not None:
        query = query.where(Order.channel_id == plan.channel_id)
    if plan.cutoff is not None:
        query = query.where(Order.created_at <= plan.cutoff)
    return db.session.execute(query.with_for_update(of=Order, skip_locked=True)
                              if db.session.get_bind().dialect.name == "postgresql" else query).all()


def plan_waves(plan: Plan) -> list[Wave]:
    """Group the waiting orders into waves by channel and kind, within the plan's limits; written in bulk."""
    groups: dict[tuple, list] = defaultdict(list)
    for order_id, channel_id, units, seq in _candidates(plan):
        kind = "single" if units == 1 else "multi"
        if kind in plan.kinds:
            groups[(channel_id, kind)].append((order_id, units, seq))
    chunks: list[tuple[int | None, str, list]] = []
    for (channel_id, kind), members in sorted(groups.items(), key=lambda g: (g[0][0] or 0, g[0][1])):
        if kind == "single":
            members.sort(key=lambda m: m[2])          # the fast lane walks one route for the whole batch
        chunk, units = [], 0
        for member in members + [None]:
            full = member is None or len(chunk) >= plan.max_orders or (chunk and units + member[1] > plan.max_units)
            if full and chunk:
                chunks.append((channel_id, kind, chunk))
                chunk, units = [], 0
            if member is not None:
                chunk.append(member)
                units += member[1]
    if not chunks:
        return []
    db.session.expire_all()                              # order rows change below in bulk statements
    waves = [Wave(number=no, warehouse_id=plan.warehouse_id, kind=kind, channel_id=channel_id,
                  orders_count=len(members), units=sum(m[1] for m in members),
                  carts=(len(members) - 1) // plan.cart_slots + 1 if kind == "multi" else 0)
             for no, (channel_id, kind, members) in zip(numbers("WV", "wave", len(chunks)), chunks)]
    db.session.add_all(waves)
    db.session.flush()
    _tasks(plan, waves, chunks)
    ORDER.next_state("allocated", "wave")                # the orders move allocated → waved, one statement a wave
    o = Order.__table__.c
    for wave, (_, kind, members) in zip(waves, chunks):
        order_ids = [m[0] for m in members]
        db.session.execute(sa.update(Order.__table__).where(o.id.in_(order_ids), o.status == "allocated")
                           .values(status="waved", wave_id=wave.id))
        record("wave.plan", wave, before=None, after={"number": wave.number, "kind": kind, "orders": order_ids,
                                                      "units": wave.units})
        publish(db.session, ROOM, "wave.planned", {"id": wave.id, "number": wave.number, "kind": kind,
                                                   "orders": wave.orders_count, "units": wave.units})
    return waves


def _tasks(plan: Plan, waves: list[Wave], chunks: list[tuple]) -> None:
    """Every open allocation of the planned orders becomes a pick task of its wave, numbered in walking order
    (pick sequence); multi-item waves put each order on a cart slot."""
    place: dict[int, tuple[Wave, int, int]] = {}          # order id -> (wave, cart, slot)
    for wave, (_, kind, members) in zip(waves, chunks):
        for n, (order_id, _, _) in enumerate(members):
            cart, slot = divmod(n, plan.cart_slots)
            place[order_id] = (wave, cart + 1, slot + 1) if kind == "multi" else (wave, 0, 0)
    a = Allocation.__table__.c
    ids = list(place)
    rows = []
    for part in range(0, len(ids), 5000):
        rows += db.session.execute(
            sa.select(a.id, a.order_id, a.product_id, a.location_id, a.lpn, a.lot, a.qty - a.picked_qty,
                      a.pick_sequence)
            .where(a.order_id.in_(ids[part:part + 5000]), a.status == "open")).all()
    rows.sort(key=lambda r: (r[7], r[2], r[1]))
    sequence: dict[int, int] = defaultdict(int)
    tasks = []
    for allocation_id, order_id, product_id, location_id, lpn, lot, qty, _ in rows:
        wave, cart, slot = place[order_id]
        sequence[wave.id] += 1
        tasks.append({"wave_id": wave.id, "allocation_id": allocation_id, "order_id": order_id,
                      "product_id": product_id, "location_id": location_id, "lpn": lpn, "lot": lot, "qty": qty,
                      "picked_qty": 0, "sequence": sequence[wave.id], "status": "open", "cart": cart, "slot": slot})
    bulk_insert(db.session, PickTask.__table__, tasks)


def release(wave: Wave) -> Wave:
    """A supervisor sends the wave to the floor: its pick tasks appear on the PDAs."""
    WAVE.fire(wave, "release")
    wave.released_at, wave.released_by_id = utcnow(), getattr(current_actor.get(), "id", None)
    publish(db.session, ROOM, "wave.released", {"id": wave.id, "number": wave.number, "kind": wave.kind})
    return wave


def complete_if_packed(wave_id: int | None) -> None:
    """A picked wave whose orders are all packed (or gone: cancelled, short-picked) is completed."""
    wave = db.session.get(Wave, wave_id) if wave_id else None
    if wave is None or wave.status != "picked":
        return
    waiting = db.session.scalar(sa.select(sa.func.count()).where(Order.wave_id == wave.id,
                                                                 Order.status.in_(("waved", "picked"))))
    if not waiting:
        WAVE.fire(wave, "all_packed")
        publish(db.session, ROOM, "wave.completed", {"id": wave.id, "number": wave.number})


def cancel(wave: Wave) -> Wave:
    """A planned wave given up: its orders go back to waiting (allocated), its tasks are cancelled."""
    WAVE.fire(wave, "cancel")
    for task in db.session.scalars(sa.select(PickTask).where(PickTask.wave_id == wave.id)):
        task.status = "cancelled"
    for order in db.session.scalars(sa.select(Order).where(Order.wave_id == wave.id)):
        ORDER.fire(order, "unwave", wave=wave.number)
        order.wave_id = None
    publish(db.session, ROOM, "wave.cancelled", {"id": wave.id, "number": wave.number})
    return wave


def pick_list(wave: Wave) -> list[PickTask]:
    return db.session.scalars(sa.select(PickTask).where(PickTask.wave_id == wave.id,
                                                        PickTask.status != "cancelled")
                              .order_by(PickTask.sequence)).all()
