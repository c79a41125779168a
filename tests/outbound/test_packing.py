"""The packing station through the API: re-check every unit (wrong or extra blocks), material from its stock,
weight within tolerance, the parcel made and the order packed; the shipping label scans to the waybill."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from tests.api import helpers as h
from tests.outbound.test_picking import post, released_wave
from wms.inventory import ledger
from wms.inventory.models import StockBalance
from wms.outbound.models import Order, PackagingMovement, Parcel, PickTask


def picked(client, login, dbs, shape, prefix, kinds=("multi",)):
    """A released wave of ``shape`` orders, every task picked through the scenario."""
    op = login("op01")
    orders, wave, number = released_wave(client, login, dbs, shape, prefix, list(kinds))
    for task in dbs.scalars(sa.select(PickTask).where(PickTask.wave_id == wave.id).order_by(PickTask.sequence)).all():
        slot = {"slot": f"C{task.cart}-{task.slot:02d}"} if wave.kind == "multi" else {}
        post(client, f"/api/v1/pick-tasks/{task.id}/pick", op, {"qty": task.qty, **slot})
    dbs.expire_all()
    return [dbs.get(Order, o.id) for o in orders], wave, number


def test_pack_an_order_from_its_cart_slot(client, login, dbs):
    op, boss = login("op01"), login("supervisor")
    post(client, "/api/v1/packaging-stock", boss, {"material": "CTN-S", "qty": 10}, status=201)
    [order], wave, number = picked(client, login, dbs, [3], "K1")
    sku = order.lines[0].product.sku
    started = post(client, "/api/v1/packing/start", op, {"scan": f"{number}-C1-01"})
    assert started["step"] == "verify" and started["order"]["id"] == order.id
    partial = post(client, f"/api/v1/packing/orders/{order.id}/check", op, {"scans": [sku, sku]})
    assert partial["step"] == "verify" and partial["order"]["lines"][0]["checked"] == 2
    body = h.problem(client.post(f"/api/v1/packing/orders/{order.id}/check", json={"scans": [sku] * 4}, headers=op),
                     409, "extra_item")
    assert body["sku"] == sku
    h.problem(client.post(f"/api/v1/packing/orders/{order.id}/check", json={"scans": ["6900000000000"]},
                          headers=op), 409, "wrong_item")
    ready = post(client, f"/api/v1/packing/orders/{order.id}/check", op, {"scans": [sku] * 3})
    assert ready["step"] == "close"
    expected = Decimal(ready["order"]["expected_weight_kg"]) + Decimal("0.080")     # + the CTN-S carton
    h.problem(client.post(f"/api/v1/packing/orders/{order.id}/close", headers=op, json={
        "scans": [sku] * 2, "material": "CTN-S", "weight_kg": str(expected)}), 409, "items_unchecked")
    body = h.problem(client.post(f"/api/v1/packing/orders/{order.id}/close", headers=op, json={
        "scans": [sku] * 3, "material": "CTN-S", "weight_kg": str(expected + Decimal("5"))}), 409,
        "weight_out_of_tolerance")
    assert Decimal(body["expected"]) == expected
    done = post(client, f"/api/v1/packing/orders/{order.id}/close", op,
                {"scans": [sku] * 3, "material": "CTN-S", "weight_kg": str(expected + Decimal("0.02"))})
    assert done["parcel"]["logistics_no"] == order.logistics_no and done["label_url"].endswith("/shipping-label")
    dbs.expire_all()
    assert dbs.get(Order, order.id).status == "packed"
    parcel = dbs.scalars(sa.select(Parcel).where(Parcel.order_id == order.id)).one()
    assert parcel.weight_kg == expected + Decimal("0.02")
    on_parcel = dbs.scalar(sa.select(sa.func.sum(StockBalance.qty)).where(StockBalance.lpn == order.logistics_no))
    assert on_parcel == 3 and not dbs.scalar(sa.select(sa.func.sum(StockBalance.qty)).where(
        StockBalance.lpn == f"{number}-C1-01"))
    used = dbs.scalars(sa.select(PackagingMovement.qty).where(PackagingMovement.doc_ref == order.order_no)).all()
    assert used == [-1]
    assert ledger.check() == []


def test_shipping_label_scans_to_the_waybill(client, login, dbs, rasterise, decode):
    op, boss = login("op01"), login("supervisor")
    post(client, "/api/v1/packaging-stock", boss, {"material": "MLR-S", "qty": 2}, status=201)
    [order], _, number = picked(client, login, dbs, [2], "K2")
    sku = order.lines[0].product.sku
    ready = post(client, f"/api/v1/packing/orders/{order.id}/check", op, {"scans": [sku, sku]})
    weight = Decimal(ready["order"]["expected_weight_kg"]) + Decimal("0.012")
    post(client, f"/api/v1/packing/orders/{order.id}/close", op, {"scans": [sku, sku], "material": "MLR-S",
                                                                   "weight_kg": str(weight)})
    label = client.get(f"/api/v1/orders/{order.id}/shipping-label", headers=login("anke"))
    assert label.status_code == 200 and label.mimetype == "application/pdf"
    codes = {b.text for page in rasterise(label.data, 203) for b in decode(page)}
    assert order.logistics_no in codes


def test_no_material_left_refuses_the_parcel(client, login, dbs):
    from wms.masterdata.models import PackagingMaterial
    from wms.outbound.models import PackagingStock
    envelope = dbs.scalar(sa.select(PackagingMaterial.id).where(PackagingMaterial.code == "ENV-BUB-M"))
    dbs.execute(sa.update(PackagingStock).where(PackagingStock.material_id == envelope).values(qty=0))   # used up
    op = login("op01")
    [order], _, _ = picked(client, login, dbs, [2], "K3")
    sku = order.lines[0].product.sku
    ready = post(client, f"/api/v1/packing/orders/{order.id}/check", op, {"scans": [sku, sku]})
    weight = Decimal(ready["order"]["expected_weight_kg"]) + Decimal("0.018")
    body = h.problem(client.post(f"/api/v1/packing/orders/{order.id}/close", headers=op, json={
        "scans": [sku, sku], "material": "ENV-BUB-M", "weight_kg": str(weight)}), 409, "out_of_material")
    assert body["material"] == "ENV-BUB-M"
    dbs.expire_all()
    assert dbs.get(Order, order.id).status == "picked"
