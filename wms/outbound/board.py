"""The outbound board's numbers (出库看板): one warehouse's outbound work as a supervisor watches it.

``summary`` answers with a handful of aggregate statements whatever the number of orders (grouped counts,
sums and minimums; the only rows read one by one are short, bounded lists: the five oldest orders of each
column, eight waves in progress, the five oldest open pick discrepancies, the vehicles of the day):

* ``columns`` — orders by state as kanban columns, each with its orders, units, the age of its oldest order
  and those five oldest orders. Ages count from the order's last change (``updated_at``: every transition
  writes the order), so they tell how long the oldest order has waited where it is. Shipped: today only.
* ``customs`` — export lists declared and waiting for release, under inspection, rejected; failed
  three-document matches; packed or bagged parcels whose list is not released (loading waits for them).
* ``waves`` — planned waves waiting for release; waves in progress (released, or picked with orders still to
  pack), counted, and the eight released longest ago with pick progress in units (picked, short, of the
  units asked) and pack progress in orders.
* ``discrepancies`` — open pick discrepancies (下架差异), the units missing, the oldest ones.
* ``bags`` — open and sealed bags with their parcels; ``vehicles`` — manifests loading or closed, and those
  departed today, with bags and parcels.
* ``shipped_today`` and ``pending_summary`` (shipped, waiting for the consolidated declaration: 汇总待报).

Never touches ``request``; the caller picks the warehouse and the start of the warehouse's day.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa

from wms.db import utcnow
from wms.extensions import db
from wms.masterdata.models import Carrier, Channel, Location, Product, Warehouse
from wms.outbound.models import Bag, Manifest, Order, PickDiscrepancy, PickTask, Wave

# kanban columns: (key, the order states counted there); "shipped" counts today's only
COLUMNS = (("received", ("received", "match_failed")), ("matched", ("matched",)),
           ("allocated", ("allocated", "backordered")), ("waved", ("waved",)), ("picked", ("picked",)),
           ("packed", ("packed",)), ("bagged", ("bagged",)), ("loaded", ("loaded",)),
           ("shipped", ("shipped",)))
WAITING = tuple(state for key, states in COLUMNS if key != "shipped" for state in states)
COLUMN_OF = {state: key for key, states in COLUMNS for state in states}
PACKED = ("packed", "bagged", "loaded", "shipped")     # orders of a wave that have left the pack station
OLDEST = 5                                             # oldest orders listed per column
WAVES = 8                                              # waves in progress listed, the longest released first
DISCREPANCIES = 5                                      # open discrepancies listed
VEHICLES = 8                                           # vehicles listed


def warehouse(code: str | None = None) -> Warehouse | None:
    """The warehouse of that code, or the first active one (the one the outbound services default to)."""
    query = sa.select(Warehouse).order_by(Warehouse.id)
    if code:
        return db.session.scalars(query.where(Warehouse.code == code)).first()
    return db.session.scalars(query.where(Warehouse.active.is_(True))).first()


def warehouses() -> list[tuple[str, str, str]]:
    """(code, name zh, name en) of the active warehouses, for the board's chooser."""
    return db.session.execute(sa.select(Warehouse.code, Warehouse.name_zh, Warehouse.name_en)
                              .where(Warehouse.active.is_(True)).order_by(Warehouse.id)).all()


def _age(at: datetime | None, now: datetime) -> int | None:
    return max(0, int((now - at).total_seconds())) if at is not None else None


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def summary(warehouse_id: int, since: datetime, now: datetime | None = None) -> dict:
    """The board of one warehouse; ``since`` is the start of the warehouse's day (UTC), for "today"."""
    now = now or utcnow()
    return {"at": now.isoformat(), "since": since.isoformat(), **_orders(warehouse_id, since, now),
            "waves": _waves(warehouse_id, now), "discrepancies": _discrepancies(warehouse_id, now),
            "bags": _bags(warehouse_id), "vehicles": _vehicles(warehouse_id, since, now)}


def _orders(warehouse_id: int, since: datetime, now: datetime) -> dict:
    """Columns, customs, shipped today and 汇总待报: three statements over the orders."""
    packed_or_bagged = sa.case((Order.status.in_(("packed", "bagged")), 1), else_=0)
    grid = db.session.execute(
        sa.select(Order.status, Order.customs_state, sa.func.count(),
                  sa.func.coalesce(sa.func.sum(Order.units), 0), sa.func.min(Order.updated_at),
                  sa.func.sum(packed_or_bagged))
        .where(Order.warehouse_id == warehouse_id, Order.status.in_(WAITING))
        .group_by(Order.status, Order.customs_state)).all()
    columns = {key: {"orders": 0, "units": 0, "states": {s: 0 for s in states}, "oldest_at": None,
                     "age_s": None, "oldest": []} for key, states in COLUMNS}
    customs = {"declared": 0, "inspection": 0, "rejected": 0, "match_failed": 0, "not_released_packed": 0}
    for status, customs_state, count, units, oldest, packed in grid:
        column = columns[COLUMN_OF[status]]
        column["orders"] += count
        column["units"] += int(units)
        column["states"][status] += count
        if oldest is not None and (column["oldest_at"] is None or oldest < column["oldest_at"]):
            column["oldest_at"] = oldest
        if customs_state in customs:
            customs[customs_state] += count
        if customs_state != "released":
            customs["not_released_packed"] += int(packed or 0)
        if status == "match_failed":
            customs["match_failed"] += count

    today = sa.and_(Order.shipped_at.is_not(None), Order.shipped_at >= since)
    pending = Order.summary_state == "pending"
    shipped, shipped_units, waiting, waiting_since = db.session.execute(
        sa.select(sa.func.count(sa.case((today, 1))),
                  sa.func.coalesce(sa.func.sum(sa.case((today, Order.units))), 0),
                  sa.func.count(sa.case((pending, 1))), sa.func.min(sa.case((pending, Order.shipped_at))))
        .where(Order.warehouse_id == warehouse_id, Order.status == "shipped", sa.or_(today, pending))).one()
    shipped_column = columns["shipped"]
    shipped_column["orders"] = shipped_column["states"]["shipped"] = shipped
    shipped_column["units"] = int(shipped_units)

    firsts = [sa.select(Order.id, Order.order_no, Order.status, Order.updated_at)    # a top-N per state, not a sort
              .where(Order.warehouse_id == warehouse_id, Order.status == state)
              .order_by(Order.updated_at, Order.id).limit(OLDEST).subquery() for state in WAITING]
    oldest = db.session.execute(sa.union_all(*(sa.select(first) for first in firsts))).all()
    picked: dict[str, list] = defaultdict(list)
    for row in oldest:
        picked[COLUMN_OF[row.status]].append(row)
    for key, rows in picked.items():         # e.g. received and match_failed: the oldest of both
        rows.sort(key=lambda r: (r.updated_at, r.id))
        columns[key]["oldest"] = [{"id": r.id, "order_no": r.order_no, "status": r.status,
                                   "age_s": _age(r.updated_at, now)} for r in rows[:OLDEST]]
    for column in columns.values():
        column["age_s"] = _age(column["oldest_at"], now)
        column["oldest_at"] = _iso(column["oldest_at"])
    return {"columns": columns, "customs": customs,
            "shipped_today": {"orders": shipped, "units": int(shipped_units)},
            "pending_summary": {"orders": waiting, "oldest_at": _iso(waiting_since),
                                "age_s": _age(waiting_since, now)}}


def _waves(warehouse_id: int, now: datetime) -> dict:
    """Planned waves waiting for release; the waves being picked or packed (released, or picked with orders
    still to pack), counted, and the longest released of them with their progress."""
    to_pack = sa.select(Order.wave_id).where(Order.status.in_(("waved", "picked")), Order.wave_id.is_not(None))
    working = sa.or_(Wave.status == "released", sa.and_(Wave.status == "picked", Wave.id.in_(to_pack)))
    planned = sa.case((Wave.status == "planned", 1), else_=0)
    planned_waves, planned_orders, planned_units, in_progress = db.session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(planned), 0),
                  sa.func.coalesce(sa.func.sum(planned * Wave.orders_count), 0),
                  sa.func.coalesce(sa.func.sum(planned * Wave.units), 0), sa.func.count(sa.case((working, 1))))
        .where(Wave.warehouse_id == warehouse_id, sa.or_(Wave.status == "planned", working))).one()
    waves = db.session.execute(
        sa.select(Wave.id, Wave.number, Wave.kind, Wave.status, Wave.carts, Wave.released_at,
                  Channel.code.label("channel"))
        .outerjoin(Channel, Channel.id == Wave.channel_id)
        .where(Wave.warehouse_id == warehouse_id, working)
        .order_by(Wave.released_at, Wave.id).limit(WAVES)).all()
    ids = [w.id for w in waves]
    tasks, orders = {}, {}
    if ids:
        short = sa.case((PickTask.status == "short", PickTask.qty - PickTask.picked_qty), else_=0)
        tasks = {row[0]: row[1:] for row in db.session.execute(
            sa.select(PickTask.wave_id, sa.func.sum(PickTask.qty), sa.func.sum(PickTask.picked_qty),
                      sa.func.sum(short))
            .where(PickTask.wave_id.in_(ids), PickTask.status != "cancelled").group_by(PickTask.wave_id))}
        done = sa.case((Order.status.in_(PACKED), 1), else_=0)
        orders = {row[0]: row[1:] for row in db.session.execute(
            sa.select(Order.wave_id, sa.func.count(), sa.func.sum(done))
            .where(Order.wave_id.in_(ids), Order.status != "cancelled").group_by(Order.wave_id))}
    items = []
    for w in waves:
        units, picked_units, short_units = (int(v or 0) for v in tasks.get(w.id, (0, 0, 0)))
        total, packed = (int(v or 0) for v in orders.get(w.id, (0, 0)))
        items.append({"id": w.id, "number": w.number, "kind": w.kind, "status": w.status,
                      "channel": w.channel or "", "carts": w.carts, "units": units,
                      "picked_units": picked_units, "short_units": short_units, "orders": total,
                      "packed_orders": packed, "released_at": _iso(w.released_at),
                      "age_s": _age(w.released_at, now)})
    return {"planned": int(planned_waves), "planned_orders": int(planned_orders),
            "planned_units": int(planned_units), "in_progress_count": in_progress, "in_progress": items}


def _discrepancies(warehouse_id: int, now: datetime) -> dict:
    """Open pick discrepancies of the warehouse's orders: count, missing units, the oldest few."""
    d = PickDiscrepancy
    of_warehouse = (d.status == "open", Order.warehouse_id == warehouse_id)
    count, missing, oldest = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(d.expected_qty - d.found_qty), 0),
                  sa.func.min(d.created_at))
        .join(Order, Order.id == d.order_id).where(*of_warehouse)).one()
    rows = db.session.execute(
        sa.select(d.id, d.expected_qty, d.found_qty, d.reason, d.created_at, Location.code.label("location"),
                  Product.sku, Order.order_no)
        .join(Order, Order.id == d.order_id).join(Location, Location.id == d.location_id)
        .join(Product, Product.id == d.product_id)
        .where(*of_warehouse).order_by(d.created_at, d.id).limit(DISCREPANCIES)).all()
    return {"open": count, "units": int(missing), "age_s": _age(oldest, now),
            "items": [{"id": r.id, "location": r.location, "sku": r.sku, "order_no": r.order_no,
                       "expected": r.expected_qty, "found": r.found_qty, "reason": r.reason,
                       "age_s": _age(r.created_at, now)} for r in rows]}


def _bags(warehouse_id: int) -> dict:
    rows = {status: (count, int(parcels or 0)) for status, count, parcels in db.session.execute(
        sa.select(Bag.status, sa.func.count(), sa.func.sum(Bag.parcels_count))
        .where(Bag.warehouse_id == warehouse_id, Bag.status.in_(("open", "sealed"))).group_by(Bag.status))}
    (open_bags, open_parcels), (sealed, sealed_parcels) = rows.get("open", (0, 0)), rows.get("sealed", (0, 0))
    return {"open": open_bags, "open_parcels": open_parcels, "sealed": sealed,
            "sealed_parcels": sealed_parcels}


def _vehicles(warehouse_id: int, since: datetime, now: datetime) -> dict:
    """Vehicles loading or closed (waiting for the gate), and those departed today."""
    rows = db.session.execute(
        sa.select(Manifest.id, Manifest.number, Manifest.vehicle_no, Manifest.status, Manifest.bags_count,
                  Manifest.parcels_count, Manifest.created_at, Manifest.closed_at, Manifest.departed_at,
                  Carrier.code.label("carrier"))
        .join(Carrier, Carrier.id == Manifest.carrier_id)
        .where(Manifest.warehouse_id == warehouse_id,
               sa.or_(Manifest.status.in_(("loading", "closed")),
                      sa.and_(Manifest.status == "departed", Manifest.departed_at >= since)))
        .order_by(sa.case((Manifest.status == "departed", 1), else_=0), Manifest.id)).all()
    counts = {"loading": 0, "closed": 0, "departed": 0}
    parcels = {"loading": 0, "closed": 0, "departed": 0}
    for r in rows:
        counts[r.status] += 1
        parcels[r.status] += r.parcels_count
    items = [{"id": r.id, "number": r.number, "vehicle_no": r.vehicle_no, "carrier": r.carrier,
              "status": r.status, "bags": r.bags_count, "parcels": r.parcels_count,
              "at": _iso(r.departed_at or r.closed_at or r.created_at),
              "age_s": _age(r.closed_at or r.created_at, now) if r.status != "departed" else None}
             for r in rows[:VEHICLES]]
    return {**counts, "loading_parcels": parcels["loading"], "closed_parcels": parcels["closed"],
            "departed_parcels": parcels["departed"], "items": items}
