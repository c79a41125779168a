"""The picking scenario (拣货) the PDA drives, one scan at a time (DESIGN §5).

    start     scan a released wave's number (or ask for the next one) → step ``location``
    location  scan the task's location (a wrong one is refused, naming the right one) → step ``item``
    item      scan the product (barcode or SKU) or the LPN → step ``qty``
    qty       units picked; multi-item waves then ask for the cart slot (分拣车格口) → step ``slot``
    slot      scan the slot label (``C<cart>-<slot>``) → the pick is posted → next task's ``location``

Exception verbs: ``empty`` (the location has none: 零拣), ``short`` (fewer than asked) — both record a pick
discrepancy (下架差异) for the supervisor — and ``skip`` (come back later). A pick is one ledger movement:
the units leave the storage balance (its reservation given back first, under the same row lock) for the
wave's pack-station staging location, on the cart slot's (or the batch's) LPN.
"""
from __future__ import annotations

import sqlalchemy as sa

from wms.auth.service import owned
from wms.core.audit import current_actor
from wms.db import utcnow
from wms.errors import Conflict, NotFound, ValidationFailed
from wms.events import publish
from wms.extensions import db
from wms.inbound.receiving import answer
from wms.inventory import service as inventory
from wms.inventory.models import StockBalance
from wms.masterdata.models import Location, Zone
from wms.masterdata.rules import normalize_code
from wms.outbound.models import Allocation, Order, PickDiscrepancy, PickTask, Wave
from wms.outbound.states import ORDER, PICK_TASK, WAVE

ROOM = "outbound"
BALANCES = StockBalance.__table__


def carrier_lpn(wave: Wave, task: PickTask) -> str:
    """Where picked units travel: the cart slot of a multi-item order, or the single-item batch tote."""
    return f"{wave.number}-C{task.cart}-{task.slot:02d}" if wave.kind == "multi" else f"{wave.number}-B"


def slot_code(task: PickTask) -> str:
    return f"C{task.cart}-{task.slot:02d}"


def _wave_by_scan(code: str) -> Wave:
    wave = db.session.scalars(sa.select(Wave).where(Wave.number == normalize_code(code))).first()
    if wave is None:
        raise NotFound("unknown_wave", scanned=code)
    if wave.status != "released":
        raise Conflict("wave_not_released", number=wave.number, current_state=wave.status,
                       allowed_events=WAVE.allowed_events(wave.status))
    return wave


def next_task(wave: Wave, after: int = 0) -> PickTask | None:
    """The next open task in walking order (after ``after``; wrapping round to skipped ones)."""
    query = sa.select(PickTask).where(PickTask.wave_id == wave.id, PickTask.status == "open")
    return (db.session.scalars(query.where(PickTask.sequence > after).order_by(PickTask.sequence).limit(1)).first()
            or db.session.scalars(query.order_by(PickTask.sequence).limit(1)).first())


def task_view(task: PickTask, wave: Wave) -> dict:
    left = db.session.scalar(sa.select(sa.func.count()).where(PickTask.wave_id == wave.id,
                                                              PickTask.status == "open"))
    return {"id": task.id, "wave": wave.number, "kind": wave.kind, "sequence": task.sequence,
            "location": task.location.code, "sku": task.product.sku, "name_zh": task.product.name_zh,
            "name_en": task.product.name_en, "lpn": task.lpn, "qty": task.qty - task.picked_qty,
            "cart": task.cart, "slot": task.slot, "slot_code": slot_code(task) if wave.kind == "multi" else "",
            "open_tasks": left}


def _next(wave: Wave, after: int = 0, **extra) -> dict:
    task = next_task(wave, after)
    if task is None:
        return answer("done", "wave_picked", wave={"number": wave.number, "status": wave.status}, **extra,
                      prompt_params={"number": wave.number})
    return answer("location", "go_to_location", task=task_view(task, wave), **extra,
                  prompt_params={"location": task.location.code, "sku": task.product.sku})


def start(code: str | None) -> dict:
    """Begin (or resume) a wave: the scanned one, or the oldest released one with open tasks."""
    if code:
        wave = _wave_by_scan(code)
    else:
        wave = db.session.scalars(sa.select(Wave).where(Wave.status == "released").order_by(Wave.released_at, Wave.id)
                                  .where(Wave.id.in_(sa.select(PickTask.wave_id).where(PickTask.status == "open"))))\
            .first()
        if wave is None:
            raise NotFound("no_released_wave", scanned="")
    return _next(wave)


def task(task_id: int) -> tuple[PickTask, Wave]:
    found = owned(PickTask, task_id, "pick_task", lock=True, seller_of=lambda t: None)
    return found, db.session.get(Wave, found.wave_id)


def _open(found: PickTask) -> None:
    PICK_TASK.next_state(found.status, "pick")


def scan_location(task_id: int, code: str) -> dict:
    found, wave = task(task_id)
    _open(found)
    if normalize_code(code) != found.location.code:
        raise Conflict("wrong_location", scanned=code, expected=found.location.code)
    return answer("item", "scan_item", task=task_view(found, wave), prompt_params={"sku": found.product.sku})


def scan_item(task_id: int, code: str) -> dict:
    found, wave = task(task_id)
    _open(found)
    scanned = normalize_code(code)
    if scanned != found.lpn or not found.lpn:
        try:
            product = inventory.product_by_barcode(code, found.product.seller_id)
        except NotFound:
            raise Conflict("wrong_item", scanned=code, expected=found.product.sku) from None
        if product.id != found.product_id:
            raise Conflict("wrong_item", scanned=code, expected=found.product.sku)
    return answer("qty", "enter_pick_qty", task=task_view(found, wave),
                  prompt_params={"qty": found.qty - found.picked_qty, "sku": found.product.sku})


def pick(task_id: int, qty: int, slot: str | None = None) -> dict:
    """Post ``qty`` picked units (all the task asks, or fewer with ``short``)."""
    found, wave = task(task_id)
    _open(found)
    left = found.qty - found.picked_qty
    if qty > left:
        raise ValidationFailed({"qty": [f"At most {left}."]}, code="over_pick", expected=left)
    if wave.kind == "multi":
        if not slot:
            return answer("slot", "scan_slot", task=task_view(found, wave), picked=qty,
                          prompt_params={"slot": slot_code(found)})
        if normalize_code(slot) != slot_code(found):
            raise Conflict("wrong_slot", scanned=slot, expected=slot_code(found))
    _take(found, wave, qty)
    if found.picked_qty == found.qty:
        PICK_TASK.fire(found, "pick", audit=False)
        found.done_at, found.user_id = utcnow(), getattr(current_actor.get(), "id", None)
    _progress(found, wave)
    publish(db.session, ROOM, "pick.posted", {"wave": wave.number, "task_id": found.id, "qty": qty})
    return _next(wave, found.sequence, picked={"task_id": found.id, "qty": qty, "to": carrier_lpn(wave, found)})


def _take(found: PickTask, wave: Wave, qty: int) -> None:
    """Units leave the storage balance (reservation first given back) for the staging location."""
    if qty <= 0:
        return
    allocation = db.session.get(Allocation, found.allocation_id)
    c = BALANCES.c
    db.session.execute(sa.update(BALANCES).where(c.id == allocation.balance_id, c.reserved_qty >= qty)
                       .values(reserved_qty=c.reserved_qty - qty))
    staging = _staging(wave)
    inventory.move(found.product, found.location, staging, qty, status="available", lpn=found.lpn, lot=found.lot,
                   to_lpn=carrier_lpn(wave, found), doc_type="wave", doc_ref=wave.number,
                   reason=f"拣货 order {found.order_id}")
    found.picked_qty += qty
    allocation.picked_qty += qty
    if allocation.picked_qty == allocation.qty:
        allocation.status = "picked"


def _staging(wave: Wave) -> Location:
    """The wave's pack-station staging location: the first active location of the packing zone."""
    location = db.session.scalars(sa.select(Location).join(Zone, Zone.id == Location.zone_id).where(
        Zone.kind == "packing", Location.warehouse_id == wave.warehouse_id, Location.active.is_(True))
        .order_by(Location.pick_sequence).limit(1)).first()
    if location is None:
        raise Conflict("no_packing_location", warehouse_id=wave.warehouse_id)
    return location


def _progress(found: PickTask, wave: Wave) -> None:
    """An order whose tasks are all done is picked; a wave whose tasks are all finished is picked."""
    open_for_order = db.session.scalar(sa.select(sa.func.count()).where(PickTask.order_id == found.order_id,
                                                                        PickTask.wave_id == wave.id,
                                                                        PickTask.status == "open"))
    order = db.session.get(Order, found.order_id)
    if not open_for_order and order.status == "waved":
        shorted = db.session.scalar(sa.select(sa.func.count()).where(PickTask.order_id == order.id,
                                                                     PickTask.wave_id == wave.id,
                                                                     PickTask.status == "short"))
        if not shorted:
            ORDER.fire(order, "pick", wave=wave.number, audit=False)
            publish(db.session, ROOM, "order.picked", {"id": order.id, "order_no": order.order_no})
    close_if_picked(wave)


def close_if_picked(wave: Wave) -> None:
    """A released wave with no open task left is picked (and completed when its orders are already packed)."""
    if wave.status != "released" or db.session.scalar(sa.select(sa.func.count()).where(
            PickTask.wave_id == wave.id, PickTask.status == "open")):
        return
    WAVE.fire(wave, "all_picked")
    publish(db.session, ROOM, "wave.picked", {"id": wave.id, "number": wave.number})
    from wms.outbound.waves import complete_if_packed
    complete_if_packed(wave.id)


def short(task_id: int, found_qty: int, reason: str = "short") -> dict:
    """Fewer units than asked (or none: the location is empty). What is there is picked; the difference is a
    pick discrepancy for the supervisor, and the order leaves the wave to be re-allocated."""
    found, wave = task(task_id)
    _open(found)
    left = found.qty - found.picked_qty
    if not 0 <= found_qty < left:
        raise ValidationFailed({"found_qty": [f"Must be from 0 to {left - 1}."]})
    _take(found, wave, found_qty)
    order = db.session.get(Order, found.order_id)
    discrepancy = PickDiscrepancy(pick_task_id=found.id, order_id=order.id, seller_id=order.seller_id,
                                  product_id=found.product_id, location_id=found.location_id, lpn=found.lpn,
                                  expected_qty=left, found_qty=found_qty, reason=reason,
                                  user_id=getattr(current_actor.get(), "id", None))
    db.session.add(discrepancy)
    PICK_TASK.fire(found, "short", expected=left, found=found_qty)
    found.done_at = utcnow()
    _leave_wave(order, wave)
    db.session.flush()
    publish(db.session, ROOM, "pick.discrepancy", {"id": discrepancy.id, "location": found.location.code,
                                                   "sku": found.product.sku, "expected": left, "found": found_qty})
    _progress(found, wave)
    return _next(wave, found.sequence, discrepancy={"id": discrepancy.id, "expected": left, "found": found_qty})


def _leave_wave(order: Order, wave: Wave) -> None:
    """A short-picked order: its other open picks are cancelled, what it reserved is given back, and
    what was already picked goes back to storage through a return-to-stock (putaway) task."""
    from wms.outbound.allocation import release
    for other in db.session.scalars(sa.select(PickTask).where(PickTask.order_id == order.id,
                                                              PickTask.wave_id == wave.id,
                                                              PickTask.status == "open")):
        PICK_TASK.fire(other, "cancel", audit=False)
    from wms.outbound.orders import return_to_stock
    release(order)
    db.session.flush()
    return_to_stock(order)                                # what it already picked goes back to storage
    ORDER.fire(order, "short_pick", wave=wave.number)
    order.wave_id = None
    order.status_reason = "下架差异 short pick: re-allocate"


def skip(task_id: int) -> dict:
    found, wave = task(task_id)
    _open(found)
    return _next(wave, found.sequence)


def resolve(discrepancy: PickDiscrepancy, counted_qty: int, note: str = "") -> PickDiscrepancy:
    """The supervisor's decision on a discrepancy: the location counted (the balance corrected to the count
    by an adjustment), then the order re-allocated — or backordered when the stock is not there."""
    from wms.outbound.allocation import allocate
    if discrepancy.status != "open":
        raise Conflict("invalid_transition", machine="pick_discrepancy", state=discrepancy.status, event="resolve",
                       current_state=discrepancy.status, allowed_events=[])
    balance = db.session.scalars(sa.select(StockBalance).where(
        StockBalance.product_id == discrepancy.product_id, StockBalance.location_id == discrepancy.location_id,
        StockBalance.lpn == discrepancy.lpn, StockBalance.status == "available").with_for_update()).first()
    on_record = balance.qty if balance is not None else 0
    if counted_qty < (balance.reserved_qty if balance is not None else 0):
        raise ValidationFailed({"counted_qty": ["Fewer than other orders still hold there: re-allocate them first."]})
    if counted_qty != on_record:
        inventory.adjust(discrepancy.product, discrepancy.location, counted_qty - on_record, status="available",
                         lpn=discrepancy.lpn, reason=f"下架差异盘点 count after short pick #{discrepancy.id}",
                         doc_type="pick_discrepancy", doc_ref=str(discrepancy.id))
    discrepancy.status, discrepancy.counted_qty, discrepancy.note = "resolved", counted_qty, note[:300]
    discrepancy.resolved_at, discrepancy.resolved_by_id = utcnow(), getattr(current_actor.get(), "id", None)
    order = db.session.get(Order, discrepancy.order_id)
    if order.status in ("matched", "backordered"):
        allocate(order)
    publish(db.session, ROOM, "pick.discrepancy_resolved", {"id": discrepancy.id, "order_status": order.status})
    return discrepancy
