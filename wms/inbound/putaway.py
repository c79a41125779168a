"""Putaway (上架): tasks for available goods, the strategy chain that suggests where they go, and the
PDA scenario that confirms them.

A warehouse's chain is its active ``PutawayRule`` rows in ``sequence`` order (default: consolidate with
the same SKU/lot in storage, then the nearest empty storage location). Each rule accepts a product or not
(seller, unit weight, longest side, battery/liquid/magnetic flags) and looks only in its zone:
- ``fixed``: the product's own location (固定库位);
- ``consolidate``: a location already holding the same product and lot;
- ``empty``: the nearest empty location (lowest pick sequence).
Capacity is respected everywhere: units on hand plus units already suggested to open tasks, against the
location's capacity (0 = not limited) and maximum weight.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from wms.auth.service import owned
from wms.core.audit import current_actor
from wms.db import utcnow
from wms.errors import Conflict, NotFound, ValidationFailed
from wms.events import publish
from wms.extensions import db
from wms.inbound import asn as asns
from wms.inbound.models import FixedLocation, PutawayRule, PutawayTask
from wms.inbound.receiving import answer
from wms.inbound.states import PUTAWAY
from wms.inventory import service as inventory
from wms.inventory.models import StockBalance
from wms.masterdata.models import Location, Product, Zone
from wms.masterdata.rules import normalize_code

STORAGE_KINDS = ("storage",)
DEFAULT_CHAIN = (("consolidate", None), ("empty", None))


@dataclass
class Suggestion:
    location: Location
    strategy: str


def _onhand(location=Location.id):
    """Units on hand at a location, as a correlated scalar subquery."""
    return sa.func.coalesce(sa.select(sa.func.sum(StockBalance.qty)).where(StockBalance.location_id == location)
                            .scalar_subquery(), 0)


def _planned(location=Location.id):
    """Units open putaway tasks already plan to bring to a location."""
    return sa.func.coalesce(sa.select(sa.func.sum(PutawayTask.qty)).where(
        PutawayTask.suggested_location_id == location, PutawayTask.status == "open").scalar_subquery(), 0)


def chain(warehouse_id: int) -> list[PutawayRule]:
    rules = db.session.scalars(sa.select(PutawayRule).where(PutawayRule.warehouse_id == warehouse_id,
                                                            PutawayRule.active.is_(True))
                               .order_by(PutawayRule.sequence, PutawayRule.id)).all()
    return rules or [PutawayRule(warehouse_id=warehouse_id, strategy=s, zone_id=z) for s, z in DEFAULT_CHAIN]


def accepts(rule: PutawayRule, product: Product) -> bool:
    """Whether a rule takes this product at all (its seller, size, weight and hazard flags)."""
    if rule.seller_id is not None and rule.seller_id != product.seller_id:
        return False
    if rule.max_weight_kg is not None and (product.weight_kg or 0) > rule.max_weight_kg:
        return False
    sides = [s for s in (product.length_cm, product.width_cm, product.height_cm) if s is not None]
    if rule.max_side_cm is not None and sides and max(sides) > rule.max_side_cm:
        return False
    return not ((product.battery and rule.allows_battery is False) or (product.liquid and rule.allows_liquid is False)
                or (product.magnetic and rule.allows_magnetic is False))


def suggest(product: Product, qty: int, warehouse_id: int, lot: str = "", *,
            exclude: int | None = None) -> Suggestion | None:
    """The first location the warehouse's strategy chain finds for ``qty`` units, or None."""
    for rule in chain(warehouse_id):
        if not accepts(rule, product):
            continue
        location = _find(rule, product, qty, warehouse_id, lot, exclude)
        if location is not None:
            return Suggestion(location, rule.strategy)
    return None


def _find(rule: PutawayRule, product: Product, qty: int, warehouse_id: int, lot: str,
          exclude: int | None) -> Location | None:
    return db.session.scalars(find_query(rule, product, qty, warehouse_id, lot, exclude)).first()


def find_query(rule: PutawayRule, product: Product, qty: int, warehouse_id: int, lot: str = "",
               exclude: int | None = None) -> sa.Select:
    """The one statement a strategy runs: the first location (by pick sequence) that takes ``qty`` units."""
    query = sa.select(Location).where(Location.warehouse_id == warehouse_id, Location.active.is_(True))
    if rule.zone_id:
        query = query.where(Location.zone_id == rule.zone_id)
    else:
        query = query.where(Location.zone_id.in_(sa.select(Zone.id).where(Zone.kind.in_(STORAGE_KINDS))))
    if exclude:
        query = query.where(Location.id != exclude)
    weight = (product.weight_kg or Decimal(0)) * qty
    if weight:
        query = query.where(sa.or_(Location.max_weight_kg.is_(None), Location.max_weight_kg >= weight))
    if rule.strategy == "empty":             # nothing there and nothing on its way: the whole capacity is free
        taken = sa.select(StockBalance.id).where(StockBalance.location_id == Location.id, StockBalance.qty > 0)
        planned = sa.select(PutawayTask.id).where(PutawayTask.suggested_location_id == Location.id,
                                                  PutawayTask.status == "open")
        query = query.where(~taken.exists(), ~planned.exists(), sa.or_(Location.capacity == 0, Location.capacity >= qty))
    else:
        query = query.where(sa.or_(Location.capacity == 0, Location.capacity - _onhand() - _planned() >= qty))
    if rule.strategy == "fixed":
        query = query.join(FixedLocation, FixedLocation.location_id == Location.id) \
            .where(FixedLocation.product_id == product.id, FixedLocation.active.is_(True))
    elif rule.strategy == "consolidate":
        same = sa.select(StockBalance.location_id).where(
            StockBalance.product_id == product.id, StockBalance.lot == lot, StockBalance.qty > 0,
            StockBalance.status == "available")
        query = query.where(Location.id.in_(same))
    return query.order_by(Location.pick_sequence, Location.id).limit(1)


def create_task(product: Product, location: Location, qty: int, lpn: str, lot: str) -> PutawayTask:
    found = suggest(product, qty, location.warehouse_id, lot)
    task = PutawayTask(number=asns.number("PA", "putaway"), seller_id=product.seller_id, product_id=product.id,
                       lpn=lpn, lot=lot, qty=qty, from_location_id=location.id,
                       suggested_location_id=found.location.id if found else None,
                       strategy=found.strategy if found else "")
    db.session.add(task)
    db.session.flush()
    _backlog()
    return task


def _backlog() -> None:
    open_tasks, units = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(PutawayTask.qty), 0))
        .where(PutawayTask.status == "open")).one()
    publish(db.session, asns.ROOM, "putaway.backlog", {"open_tasks": open_tasks, "units": int(units)})


def get(task_id: int) -> PutawayTask:
    return owned(PutawayTask, task_id, "putaway_task", lock=True)


def task_view(task: PutawayTask) -> dict:
    product = task.product
    return {"id": task.id, "number": task.number, "lpn": task.lpn, "lot": task.lot, "qty": task.qty,
            "sku": product.sku, "name_zh": product.name_zh, "name_en": product.name_en,
            "from_location": task.from_location.code,
            "suggested_location": task.suggested_location.code if task.suggested_location else None,
            "strategy": task.strategy, "status": task.status}


def scan(code: str) -> dict:
    """The open task a scanned LPN (or SKU) names, with a fresh suggestion if the old one filled up."""
    lpn = normalize_code(code)
    query = sa.select(PutawayTask).where(PutawayTask.status == "open")
    task = db.session.scalars(query.where(PutawayTask.lpn == lpn).order_by(PutawayTask.id)).first()
    if task is None:
        try:
            product = inventory.product_by_barcode(code)
        except (NotFound, Conflict):
            product = None
        if product is not None:
            task = db.session.scalars(query.where(PutawayTask.product_id == product.id)
                                      .order_by(PutawayTask.id)).first()
    if task is None:
        raise NotFound("no_putaway_task", scanned=code)
    if task.suggested_location is None or not _fits(task, task.suggested_location):
        found = suggest(task.product, task.qty, task.from_location.warehouse_id, task.lot,
                        exclude=task.suggested_location_id)
        task.suggested_location_id = found.location.id if found else None
        task.strategy = found.strategy if found else ""
        db.session.flush()
        db.session.refresh(task)
    prompt = "scan_putaway_location" if task.suggested_location else "no_putaway_location"
    return answer("location", prompt, task=task_view(task),
                  prompt_params={"location": task.suggested_location.code if task.suggested_location else "",
                                 "sku": task.product.sku})


def _fits(task: PutawayTask, location: Location) -> bool:
    """Room for the task's units at a location (its own suggestion counted once)."""
    if not location.active:
        return False
    onhand = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(StockBalance.qty), 0))
                               .where(StockBalance.location_id == location.id)) or 0
    planned = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(PutawayTask.qty), 0)).where(
        PutawayTask.suggested_location_id == location.id, PutawayTask.status == "open",
        PutawayTask.id != task.id)) or 0
    if location.capacity and onhand + planned + task.qty > location.capacity:
        return False
    weight = (task.product.weight_kg or Decimal(0)) * task.qty
    return location.max_weight_kg is None or weight <= location.max_weight_kg


def complete(task: PutawayTask, code: str, reason: str = "") -> dict:
    """Store the task's units at the scanned location (the suggestion, or another one with a reason)."""
    PUTAWAY.next_state(task.status, "complete")
    target = inventory.location_by_code(code)
    if target.zone.kind not in STORAGE_KINDS or target.warehouse_id != task.from_location.warehouse_id:
        raise Conflict("not_storage_location", location=target.code, scanned=code)
    if target.id != task.suggested_location_id:
        if not reason:
            raise ValidationFailed({"reason": ["Not the suggested location; say why."]},
                                   code="putaway_reason_required", suggested=task.suggested_location.code
                                   if task.suggested_location else None, scanned=code)
        if not _fits(task, target) or not _accepted_here(task.product, target):
            raise Conflict("location_full", location=target.code, scanned=code, qty=task.qty)
    source = db.session.scalars(sa.select(StockBalance).where(
        StockBalance.product_id == task.product_id, StockBalance.lpn == task.lpn, StockBalance.lot == task.lot,
        StockBalance.status == "available", StockBalance.qty >= task.qty)
        .order_by(StockBalance.location_id != task.from_location_id, StockBalance.id)).first()
    if source is None:
        raise Conflict("insufficient_stock", available=0, requested=task.qty, lpn=task.lpn, sku=task.product.sku)
    movement = inventory.move(task.product, source.location, target, task.qty, status="available", lpn=task.lpn,
                              lot=task.lot, doc_type="putaway", doc_ref=task.number, reason=reason)
    task.to_location_id, task.override_reason = target.id, reason[:300]
    task.user_id, task.done_at = getattr(current_actor.get(), "id", None), utcnow()
    PUTAWAY.fire(task, "complete", to_location=target.code)
    db.session.flush()
    _backlog()
    return answer("lpn", "putaway_done", task=task_view(task) | {"to_location": target.code},
                  movement_id=movement.id, prompt_params={"qty": task.qty, "sku": task.product.sku,
                                                          "location": target.code})


def _accepted_here(product: Product, location: Location) -> bool:
    """A location picked by hand still has to be one some rule of the chain would use for this product."""
    for rule in chain(location.warehouse_id):
        if rule.zone_id not in (None, location.zone_id) or not accepts(rule, product):
            continue
        if rule.zone_id is None and location.zone.kind not in STORAGE_KINDS:
            continue
        return True
    return False


def occupancy(location_ids: list[int] | None = None) -> dict[int, dict]:
    """Units on hand and planned (open putaway suggestions) per location."""
    onhand = dict(db.session.execute(sa.select(StockBalance.location_id, sa.func.sum(StockBalance.qty))
                                     .where(StockBalance.qty > 0).group_by(StockBalance.location_id)).all())
    planned = dict(db.session.execute(sa.select(PutawayTask.suggested_location_id, sa.func.sum(PutawayTask.qty))
                                      .where(PutawayTask.status == "open")
                                      .group_by(PutawayTask.suggested_location_id)).all())
    ids = location_ids if location_ids is not None else set(onhand) | set(planned)
    return {i: {"onhand": int(onhand.get(i) or 0), "planned": int(planned.get(i) or 0)} for i in ids}
