"""Bagging through the API: parcels of one channel and destination into an SSCC-labelled bag, the wrong ones
refused, sealed with a checked count, unbagged with a reason; the bag label scans to its SSCC."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from tests.api import helpers as h
from tests.outbound.test_packing import picked
from tests.outbound.test_picking import post
from wms.outbound.models import Order, Parcel


def packed(client, login, dbs, prefix: str) -> Order:
    [order], _, _ = picked(client, login, dbs, [2], prefix)
    sku = order.lines[0].product.sku
    ready = post(client, f"/api/v1/packing/orders/{order.id}/check", login("op01"), {"scans": [sku, sku]})
    weight = Decimal(ready["order"]["expected_weight_kg"]) + Decimal("0.08")
    post(client, f"/api/v1/packing/orders/{order.id}/close", login("op01"),
         {"scans": [sku, sku], "material": "CTN-S", "weight_kg": str(weight)})
    dbs.expire_all()
    return dbs.get(Order, order.id)


def test_bag_seal_and_the_wrong_parcels(client, login, dbs, rasterise, decode):
    op = login("op01")
    first, second = packed(client, login, dbs, "G1"), packed(client, login, dbs, "G2")
    bag = post(client, "/api/v1/bags", op, {})
    assert len(bag["sscc"]) == 18 and bag["status"] == "open"
    bag = post(client, f"/api/v1/bags/{bag['id']}/parcels", op, {"scan": first.logistics_no})
    assert bag["parcels_count"] == 1 and bag["channel_code"] == first.channel.code
    h.problem(client.post(f"/api/v1/bags/{bag['id']}/parcels", json={"scan": first.logistics_no}, headers=op), 409,
              "parcel_bagged")
    waiting = dbs.scalars(sa.select(Order).where(Order.status == "waved")).first()
    h.problem(client.post(f"/api/v1/bags/{bag['id']}/parcels", json={"scan": waiting.logistics_no}, headers=op), 404,
              "unknown_parcel")
    other = dbs.scalars(sa.select(Parcel).join(Order).where(Order.status == "packed",
                                                           Order.channel_id != first.channel_id)).first()
    if other is not None:
        body = h.problem(client.post(f"/api/v1/bags/{bag['id']}/parcels", json={"scan": other.logistics_no},
                                     headers=op), 409, "wrong_bag")
        assert body["bag_channel"] == first.channel.code
    assert second.channel_id == first.channel_id and second.country_id == first.country_id
    post(client, f"/api/v1/bags/{bag['id']}/parcels", op, {"scan": second.logistics_no})
    unbagged = post(client, f"/api/v1/bags/{bag['id']}/unbag", op, {"scan": second.logistics_no, "reason": "外箱破损"})
    assert unbagged["parcels_count"] == 1
    dbs.expire_all()
    assert dbs.get(Order, second.id).status == "packed" and dbs.get(Order, first.id).status == "bagged"
    h.problem(client.post(f"/api/v1/bags/{bag['id']}/seal", json={"count": 2, "weight_kg": "1.5"}, headers=op), 409,
              "bag_count_differs")
    sealed = post(client, f"/api/v1/bags/{bag['id']}/seal", op, {"count": 1, "weight_kg": "0.850"})
    assert sealed["status"] == "sealed" and sealed["weight_kg"] == "0.850"
    h.problem(client.post(f"/api/v1/bags/{bag['id']}/parcels", json={"scan": second.logistics_no}, headers=op), 409)
    label = client.get(f"/api/v1/bags/{bag['id']}/label", headers=op)
    assert label.status_code == 200
    assert any(bag["sscc"] in b.text for page in rasterise(label.data, 203) for b in decode(page))


def test_a_pre_printed_bag_label_opens_that_bag(client, login, dbs):
    op = login("op01")
    numbers = client.post("/api/v1/labels/sscc?as=json", json={"count": 1, "data": {}}, headers=op).get_json()["sscc"]
    bag = post(client, "/api/v1/bags", op, {"scan": f"(00){numbers[0]}"})
    assert bag["sscc"] == numbers[0]
    assert post(client, "/api/v1/bags", op, {"scan": numbers[0]})["id"] == bag["id"]
    h.field_errors(client.post("/api/v1/bags", json={"scan": "123456789012345678"}, headers=op), "scan")
