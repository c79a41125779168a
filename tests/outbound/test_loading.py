"""Loading and gate-out through the API: sealed bags of the vehicle's carrier only, the manifest closed with the
arrival declared, and at gate-out the parcels' units leave the stock and the account book, the departure is
declared and the orders are shipped, waiting for the consolidated declaration."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from tests.api import helpers as h
from tests.outbound.test_bagging import packed
from tests.outbound.test_picking import post
from wms.customs import book
from wms.customs.models import BookEntry, CustomsRecord
from wms.inventory import ledger
from wms.inventory.models import StockBalance
from wms.outbound.models import Order


def sealed_bag(client, login, dbs, prefix):
    op = login("op01")
    order = packed(client, login, dbs, prefix)
    bag = post(client, "/api/v1/bags", op, {})
    post(client, f"/api/v1/bags/{bag['id']}/parcels", op, {"scan": order.logistics_no})
    return order, bag


def test_load_close_and_gate_out(client, login, dbs):
    op = login("op01")
    order, bag = sealed_bag(client, login, dbs, "L1")
    carrier = order.channel.carrier.code
    manifest = post(client, "/api/v1/manifests", op, {"carrier": carrier, "vehicle_no": "粤B·L1234"}, status=201)
    body = h.problem(client.post(f"/api/v1/manifests/{manifest['id']}/bags", json={"scan": bag["sscc"]}, headers=op),
                     409, "bag_not_sealed")
    assert body["current_state"] == "open"
    post(client, f"/api/v1/bags/{bag['id']}/seal", op, {"count": 1, "weight_kg": "0.9"})
    other = "SF" if carrier != "SF" else "YUNEXPRESS"
    wrong = post(client, "/api/v1/manifests", op, {"carrier": other, "vehicle_no": "粤B·X0000"}, status=201)
    h.problem(client.post(f"/api/v1/manifests/{wrong['id']}/bags", json={"scan": bag["sscc"]}, headers=op), 409,
              "wrong_carrier")
    order.customs_state = "declared"                        # not released yet: loading waits for customs
    dbs.flush()
    h.problem(client.post(f"/api/v1/manifests/{manifest['id']}/bags", json={"scan": bag["sscc"]}, headers=op), 409,
              "not_released")
    order.customs_state = "released"
    dbs.flush()
    loaded = post(client, f"/api/v1/manifests/{manifest['id']}/bags", op, {"scan": bag["sscc"]})
    assert loaded["bags_count"] == 1 and loaded["parcels_count"] == 1
    dbs.expire_all()
    assert dbs.get(Order, order.id).status == "loaded"
    closed = post(client, f"/api/v1/manifests/{manifest['id']}/close", op, {"bill_no": "999-12345675",
                                                                            "traf_name": "CA1234", "voyage_no": "CA1234/1124"})
    assert closed["status"] == "closed"
    declared = set(dbs.scalars(sa.select(CustomsRecord.kind).where(CustomsRecord.cop_no.like(f"{closed['number']}-%"))))
    assert declared == {"arrival", "waybill_bill"}
    document = client.get(f"/api/v1/manifests/{manifest['id']}/document", headers=op)
    assert document.status_code == 200 and document.data.startswith(b"%PDF")
    units = dbs.scalar(sa.select(sa.func.sum(StockBalance.qty)).where(StockBalance.lpn == order.logistics_no))
    product = order.lines[0].product_id
    from wms.customs.models import BookItem
    before = dbs.scalar(sa.select(BookItem.qty).where(BookItem.product_id == product))
    h.problem(client.post(f"/api/v1/manifests/{manifest['id']}/gate-out", headers=login("anke")), 403)
    gone = post(client, f"/api/v1/manifests/{manifest['id']}/gate-out", op)
    assert gone["status"] == "departed"
    dbs.expire_all()
    shipped = dbs.get(Order, order.id)
    assert shipped.status == "shipped" and shipped.summary_state == "pending" and shipped.shipped_at is not None
    assert not dbs.scalar(sa.select(sa.func.sum(StockBalance.qty)).where(StockBalance.lpn == order.logistics_no))
    assert dbs.scalar(sa.select(BookItem.qty).where(BookItem.product_id == product)) == before - Decimal(units)
    entry = dbs.scalars(sa.select(BookEntry).where(BookEntry.doc_no == gone["number"])).one()
    assert entry.direction == "E" and entry.doc_type == "passport" and entry.gate_pass_at is not None
    assert "departure" in set(dbs.scalars(sa.select(CustomsRecord.kind).where(
        CustomsRecord.cop_no == f"{gone['number']}-D")))
    assert ledger.check() == [] and book.reconcile() == []
    detail = client.get(f"/api/v1/bags/{bag['id']}", headers=op).get_json()
    assert detail["status"] == "loaded" and detail["manifest_id"] == manifest["id"]
    assert [(p["logistics_no"], p["status"]) for p in detail["parcels"]] == [(order.logistics_no, "shipped")]
    sheet = client.get(f"/api/v1/manifests/{manifest['id']}", headers=op).get_json()
    assert [b["sscc"] for b in sheet["bags"]] == [bag["sscc"]] and sheet["parcels_count"] == 1


def test_tracking_events_follow_the_departure(client, login, dbs):
    from datetime import timedelta
    from wms.db import utcnow
    op = login("op01")
    order, _ = sealed_bag(client, login, dbs, "L2")
    track = client.get(f"/api/v1/orders/{order.id}/tracking", headers=op).get_json()
    assert track["logistics_no"] == order.logistics_no and track["events"] == [] and track["shipped_at"] is None
    order.shipped_at = utcnow() - timedelta(hours=30)            # as if it had left the zone yesterday
    dbs.flush()
    events = client.get(f"/api/v1/orders/{order.id}/tracking", headers=op).get_json()["events"]
    assert [e["code"] for e in events] == ["departed_zone", "export_cleared", "departed_origin"]
    assert events[0]["text_zh"].startswith("已出区") and events[0]["at"] < events[1]["at"]
    from wms.masterdata.models import Seller
    stranger = next(user for user, code in (("anke", "SZ-ANKE"), ("jinyi", "SZ-JINYI"))
                    if dbs.get(Seller, order.seller_id).code != code)
    h.problem(client.get(f"/api/v1/orders/{order.id}/tracking", headers=login(stranger)), 404)
