"""The whole outbound flow through the public API, single-item and multi-item orders together: intake and
the three-document match, customs' release from the sandbox gateway, batch allocation, wave planning and
release, PDA picking (batch tote and sorting cart), the fast lane and the packing station, bagging, loading,
closing with the arrival declared, and gate-out — with stock, ledger and account book balanced at the end."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from tests.outbound.test_allocation import fresh_product, ordered, storage
from tests.outbound.test_picking import post
from wms.customs import book
from wms.customs.book import post as book_post
from wms.customs.gateway import SandboxGateway
from wms.customs.models import BookItem, CustomsRecord
from wms.customs.service import run_once
from wms.inventory import ledger, service as inventory
from wms.inventory.models import StockBalance
from wms.outbound.models import Order, PickTask, Wave


def test_single_and_multi_item_orders_from_intake_to_gate_out(client, login, dbs):
    op, boss = login("op01"), login("supervisor")
    product = fresh_product(dbs, sku="FLOW-SKU-1")
    inventory.receive(product, storage(dbs, 0), 10, status="available", lpn="LPN6F000001")
    book_post(dbs.scalars(sa.select(BookItem).where(BookItem.product_id == product.id)).one(), 10,
              doc_type="opening", doc_no="TEST-FLOW")
    book_before = dbs.scalar(sa.select(BookItem.qty).where(BookItem.product_id == product.id))
    singles = [ordered(client, login, dbs, product, 1, f"FLOW-S{n}") for n in range(2)]
    multi = ordered(client, login, dbs, product, 3, "FLOW-M1")
    everyone = [*singles, multi]

    # customs release the export lists; the batch allocator reserves stock for all three
    gateway = SandboxGateway(delay_seconds=0, reject_rate=0, inspect_rate=0)
    for _ in range(4):
        run_once(gateway)
    dbs.expire_all()
    assert {dbs.get(Order, o.id).customs_state for o in everyone} == {"released"}
    post(client, "/api/v1/orders/allocate", boss)
    dbs.expire_all()
    assert {dbs.get(Order, o.id).status for o in everyone} == {"allocated"}
    assert dbs.scalar(sa.select(StockBalance.reserved_qty).where(StockBalance.lpn == "LPN6F000001")) == 5

    # one single-item wave (fast lane) and one multi-item wave (sorting cart), released
    planned = client.post("/api/v1/waves/plan", json={"cart_slots": 4}, headers=boss).get_json()
    dbs.expire_all()
    waves_of_ours = {dbs.get(Order, o.id).wave_id for o in everyone}
    ours = {w["kind"]: w for w in planned if w["id"] in waves_of_ours}
    assert set(ours) == {"single", "multi"} and ours["single"]["orders_count"] == 2
    for wave in ours.values():
        post(client, f"/api/v1/waves/{wave['id']}/release", boss)

    # the PDA walks each wave: location → item → quantity (→ cart slot)
    for wave in ours.values():
        step = post(client, "/api/v1/picking/start", op, {"scan": wave["number"]})
        while step["step"] != "done":
            task = step["task"]
            post(client, f"/api/v1/pick-tasks/{task['id']}/location", op, {"scan": task["location"]})
            post(client, f"/api/v1/pick-tasks/{task['id']}/item", op, {"scan": task["lpn"] or task["sku"]})
            body = {"qty": task["qty"]} | ({"slot": task["slot_code"]} if task["slot_code"] else {})
            step = post(client, f"/api/v1/pick-tasks/{task['id']}/pick", op, body)
    dbs.expire_all()
    assert {dbs.get(Order, o.id).status for o in everyone} == {"picked"}
    assert not dbs.scalar(sa.select(sa.func.count()).where(PickTask.order_id.in_([o.id for o in everyone]),
                                                           PickTask.status == "open"))

    # fast lane: scan the unit, its order's label comes; packing station: the cart slot, every unit re-checked
    post(client, "/api/v1/packaging-stock", boss, {"material": "MLR-S", "qty": 5}, status=201)
    post(client, "/api/v1/packaging-stock", boss, {"material": "CTN-S", "qty": 5}, status=201)
    barcode = product.barcode_codes[0] if product.barcode_codes else product.sku
    for _ in singles:
        lane = post(client, "/api/v1/packing/fast-lane", op, {"wave": ours["single"]["number"], "scan": barcode})
        order = lane["order"]
        weight = Decimal(order["expected_weight_kg"]) + Decimal("0.012")
        post(client, f"/api/v1/packing/orders/{order['id']}/close", op,
             {"scans": lane["scans"], "material": "MLR-S", "weight_kg": str(weight)})
    started = post(client, "/api/v1/packing/start", op, {"scan": f"{ours['multi']['number']}-C1-01"})
    assert started["order"]["id"] == multi.id
    ready = post(client, f"/api/v1/packing/orders/{multi.id}/check", op, {"scans": [product.sku] * 3})
    post(client, f"/api/v1/packing/orders/{multi.id}/close", op, {
        "scans": [product.sku] * 3, "material": "CTN-S",
        "weight_kg": str(Decimal(ready["order"]["expected_weight_kg"]) + Decimal("0.08"))})
    dbs.expire_all()
    packed = [dbs.get(Order, o.id) for o in everyone]
    assert {o.status for o in packed} == {"packed"}
    assert {dbs.get(Wave, w["id"]).status for w in ours.values()} == {"completed"}     # every order packed

    # bagging, loading, closing (arrival declared), gate-out
    bag = post(client, "/api/v1/bags", op, {})
    for order in packed:
        post(client, f"/api/v1/bags/{bag['id']}/parcels", op, {"scan": order.logistics_no})
    post(client, f"/api/v1/bags/{bag['id']}/seal", op, {"count": 3, "weight_kg": "1.2"})
    manifest = post(client, "/api/v1/manifests", op, {"carrier": packed[0].channel.carrier.code,
                                                      "vehicle_no": "粤B·F1234"}, status=201)
    post(client, f"/api/v1/manifests/{manifest['id']}/bags", op, {"scan": bag["sscc"]})
    closed = post(client, f"/api/v1/manifests/{manifest['id']}/close", op, {})
    assert dbs.scalar(sa.select(CustomsRecord.kind).where(CustomsRecord.cop_no == f"{closed['number']}-A")) == "arrival"
    post(client, f"/api/v1/manifests/{manifest['id']}/gate-out", boss)
    dbs.expire_all()
    assert {(dbs.get(Order, o.id).status, dbs.get(Order, o.id).summary_state) for o in everyone} == \
        {("shipped", "pending")}
    left = dbs.scalar(sa.select(sa.func.sum(StockBalance.qty)).where(StockBalance.product_id == product.id))
    assert left == 5 and dbs.scalar(sa.select(StockBalance.reserved_qty).where(
        StockBalance.lpn == "LPN6F000001")) == 0
    assert dbs.scalar(sa.select(BookItem.qty).where(BookItem.product_id == product.id)) == book_before - 5
    assert ledger.check() == [] and book.reconcile() == []
