"""The packing station (打包贴标): re-check (复核) every unit against the order, choose the packing material,
weigh, and print the shipping label.

    start   scan a cart slot (WV…-C1-03), the order's number or waybill → the order and its lines to check;
            at the single-item fast lane, scan the item itself → the oldest order of the batch waiting for it
    item    scan each unit: a unit the order does not have, or one too many, blocks with an error
    close   the material (its stock goes down by one) and the weight (typed or from the scale), checked
            against the expected weight (units + material tare) ± the tolerance → the parcel is made:
            its units move from the cart slot onto the parcel's waybill LPN, the order is ``packed``, and
            the answer carries the shipping label's address
"""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask import current_app

from wms.core.audit import current_actor
from wms.errors import Conflict, NotFound, ValidationFailed
from wms.events import publish
from wms.extensions import db
from wms.inventory import service as inventory
from wms.inventory.models import StockBalance
from wms.masterdata.models import Location, PackagingMaterial
from wms.masterdata.rules import normalize_code
from wms.outbound.models import Order, PackagingMovement, PackagingStock, Parcel, Wave
from wms.outbound.states import ORDER

ROOM = "outbound"


def _order_by_scan(code: str) -> Order:
    text = normalize_code(code)
    lpn = db.session.scalars(sa.select(StockBalance).where(StockBalance.lpn == text, StockBalance.qty > 0)).first()
    query = sa.select(Order).where(Order.status == "picked")
    if lpn is not None and "-C" in text:
        wave_no, _, slot = text.rpartition("-C")
        cart, _, slot_no = slot.partition("-")
        from wms.outbound.models import PickTask
        order_id = db.session.scalar(sa.select(PickTask.order_id).join(Wave, Wave.id == PickTask.wave_id).where(
            Wave.number == wave_no, PickTask.cart == int(cart or 0), PickTask.slot == int(slot_no or 0)).limit(1))
        order = db.session.scalars(query.where(Order.id == order_id)).first()
    else:
        order = db.session.scalars(query.where(sa.or_(Order.order_no == code.strip(), Order.logistics_no == text)))\
            .first()
    if order is None:
        raise NotFound("nothing_to_pack", scanned=code)
    return order


def view(order: Order, checked: dict[int, int]) -> dict:
    return {"id": order.id, "order_no": order.order_no, "logistics_no": order.logistics_no,
            "channel": order.channel.code if order.channel else "", "country": order.country.code,
            "lines": [{"product_id": l.product_id, "sku": l.product.sku, "name_zh": l.product.name_zh,
                       "qty": l.qty, "checked": checked.get(l.product_id, 0)} for l in order.lines],
            "expected_weight_kg": str(expected_weight(order, None))}


def start(code: str) -> dict:
    from wms.inbound.receiving import answer
    order = _order_by_scan(code)
    return answer("verify", "verify_items", order=view(order, {}), prompt_params={"order_no": order.order_no})


def fast_lane(wave_number: str, code: str) -> dict:
    """Single-item fast lane: the scanned unit names the oldest picked order of the batch that wants it."""
    from wms.inbound.receiving import answer
    wave = db.session.scalars(sa.select(Wave).where(Wave.number == normalize_code(wave_number))).first()
    if wave is None or wave.kind != "single":
        raise NotFound("unknown_wave", scanned=wave_number)
    product = inventory.product_by_barcode(code)
    from wms.outbound.models import OrderLine
    order = db.session.scalars(sa.select(Order).join(OrderLine, OrderLine.order_id == Order.id).where(
        Order.wave_id == wave.id, Order.status == "picked", OrderLine.product_id == product.id)
        .order_by(Order.id).limit(1)).first()
    if order is None:
        raise Conflict("no_order_for_item", scanned=code, wave=wave.number)
    return answer("close", "choose_material", order=view(order, {product.id: 1}), scans=[code],
                  prompt_params={"order_no": order.order_no})


def check_all(order: Order, scans: list[str]) -> dict[int, int]:
    """The station sends every unit scanned so far; each is checked in turn (the first wrong one blocks)."""
    checked: dict[int, int] = {}
    for code in scans:
        checked = check_item(order, code, checked)
    return checked


def check_item(order: Order, code: str, checked: dict[int, int]) -> dict[int, int]:
    """Count one scanned unit against the order: a wrong or extra unit blocks."""
    try:
        product = inventory.product_by_barcode(code, order.seller_id)
    except NotFound:
        raise Conflict("wrong_item", scanned=code, expected=", ".join(l.product.sku for l in order.lines)) from None
    wanted = {l.product_id: l.qty for l in order.lines}
    if product.id not in wanted:
        raise Conflict("wrong_item", scanned=code, expected=", ".join(l.product.sku for l in order.lines))
    if checked.get(product.id, 0) >= wanted[product.id]:
        raise Conflict("extra_item", scanned=code, sku=product.sku, qty=wanted[product.id])
    return checked | {product.id: checked.get(product.id, 0) + 1}


def expected_weight(order: Order, material: PackagingMaterial | None) -> Decimal:
    units = sum((Decimal(l.product.weight_kg or 0) * l.qty for l in order.lines), Decimal(0))
    return (units + Decimal(material.tare_weight_kg or 0 if material else 0)).quantize(Decimal("0.001"))


def tolerance(expected: Decimal) -> Decimal:
    """± the larger of ``PACK_WEIGHT_TOLERANCE_KG`` (default 0.05 kg) and ``PACK_WEIGHT_TOLERANCE_PCT`` (10 %)."""
    config = current_app.config
    return max(Decimal(str(config.get("PACK_WEIGHT_TOLERANCE_KG", "0.05"))),
               expected * Decimal(str(config.get("PACK_WEIGHT_TOLERANCE_PCT", "10"))) / 100)


def close(order: Order, checked: dict[int, int], material_code: str, weight_kg: Decimal) -> Parcel:
    """All units checked, a material, a weight within tolerance: the parcel is made and the order packed."""
    ORDER.next_state(order.status, "pack")
    missing = {l.product.sku: l.qty - checked.get(l.product_id, 0) for l in order.lines
               if checked.get(l.product_id, 0) < l.qty}
    if missing:
        raise Conflict("items_unchecked", order_no=order.order_no,
                       missing=", ".join(f"{sku} ×{n}" for sku, n in missing.items()))
    material = db.session.scalars(sa.select(PackagingMaterial).where(
        PackagingMaterial.code == normalize_code(material_code), PackagingMaterial.active.is_(True))).first()
    if material is None:
        raise ValidationFailed({"material": [f"Unknown packing material {material_code}."]})
    expected = expected_weight(order, material)
    if abs(Decimal(weight_kg) - expected) > tolerance(expected):
        raise Conflict("weight_out_of_tolerance", weight=str(weight_kg), expected=str(expected),
                       tolerance=str(tolerance(expected).quantize(Decimal("0.001"))))
    _use_material(order, material)
    location = _move_units(order)
    parcel = Parcel(order_id=order.id, logistics_no=order.logistics_no, material_id=material.id,
                    weight_kg=weight_kg, expected_weight_kg=expected, location_id=location.id,
                    packed_by_id=getattr(current_actor.get(), "id", None))
    db.session.add(parcel)
    ORDER.fire(order, "pack", weight_kg=str(weight_kg), material=material.code)
    db.session.flush()
    from wms.outbound.waves import complete_if_packed
    complete_if_packed(order.wave_id)
    publish(db.session, ROOM, "order.packed", {"id": order.id, "order_no": order.order_no,
                                               "logistics_no": order.logistics_no})
    return parcel


def _use_material(order: Order, material: PackagingMaterial) -> None:
    table = PackagingStock.__table__
    used = db.session.execute(sa.update(table).where(
        table.c.warehouse_id == order.warehouse_id, table.c.material_id == material.id, table.c.qty >= 1)
        .values(qty=table.c.qty - 1).returning(table.c.id)).first()
    if used is None:
        raise Conflict("out_of_material", material=material.code)
    db.session.add(PackagingMovement(warehouse_id=order.warehouse_id, material_id=material.id, qty=-1,
                                     reason="pack", doc_ref=order.order_no,
                                     user_id=getattr(current_actor.get(), "id", None)))


def receive_material(warehouse_id: int, material: PackagingMaterial, qty: int, reference: str = "") -> int:
    """Materials delivered to the warehouse: the stock goes up, with its movement."""
    from sqlalchemy.dialects import postgresql, sqlite
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    table = PackagingStock.__table__
    db.session.execute(dialect.insert(table).values(warehouse_id=warehouse_id, material_id=material.id, qty=qty)
                       .on_conflict_do_update(index_elements=["warehouse_id", "material_id"],
                                              set_={"qty": table.c.qty + qty}))
    db.session.add(PackagingMovement(warehouse_id=warehouse_id, material_id=material.id, qty=qty, reason="receive",
                                     doc_ref=reference, user_id=getattr(current_actor.get(), "id", None)))
    return db.session.scalar(sa.select(table.c.qty).where(table.c.warehouse_id == warehouse_id,
                                                          table.c.material_id == material.id))


def _move_units(order: Order) -> Location:
    """The order's picked units, wherever they wait in the packing zone, go onto the parcel's LPN."""
    from wms.outbound.models import PickTask
    from wms.outbound.picking import carrier_lpn
    tasks = db.session.scalars(sa.select(PickTask).where(PickTask.order_id == order.id, PickTask.status == "done",
                                                         PickTask.wave_id == order.wave_id)).all()
    wave = db.session.get(Wave, order.wave_id)
    location = None
    for task in tasks:
        source_lpn = carrier_lpn(wave, task)
        balance = db.session.scalars(sa.select(StockBalance).where(
            StockBalance.lpn == source_lpn, StockBalance.product_id == task.product_id,
            StockBalance.status == "available", StockBalance.qty >= task.picked_qty)).first()
        if balance is None:
            raise Conflict("insufficient_stock", available=0, requested=task.picked_qty, lpn=source_lpn,
                           sku=task.product.sku)
        location = balance.location
        inventory.move(task.product, location, location, task.picked_qty, status="available", lpn=source_lpn,
                       lot=task.lot, to_lpn=order.logistics_no, doc_type="pack", doc_ref=order.order_no,
                       reason="打包 packed")
    if location is None:
        raise Conflict("nothing_to_pack", scanned=order.order_no)
    return location


def shipping_label_items(order: Order) -> list[dict]:
    """The 100×150 mm shipping label of a packed order: carrier, channel, waybill barcode, both addresses."""
    config = current_app.config
    parcel = db.session.scalars(sa.select(Parcel).where(Parcel.order_id == order.id)).first()
    if parcel is None or not order.logistics_no:
        raise Conflict("not_packed", order_no=order.order_no, current_state=order.status)
    address = ", ".join(p for p in (order.address1, order.address2, order.city, order.state, order.postal_code) if p)
    warehouse = order.warehouse
    return [{"carrier": order.channel.carrier.name_en or order.channel.carrier.name_zh,
             "channel": order.channel.name_zh, "waybill": order.logistics_no, "receiver_name": order.buyer_name,
             "receiver_address": address, "receiver_country": f"{order.country.code} {order.country.name_en}",
             "receiver_phone": order.buyer_phone, "sender_name": config.get("CUSTOMS_COP_NAME") or warehouse.name_zh,
             "sender_address": warehouse.address or warehouse.name_zh, "order_no": order.order_no,
             "weight_kg": str(parcel.weight_kg)}]
