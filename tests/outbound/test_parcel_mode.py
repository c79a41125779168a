"""Parcel consolidation (集货) through the API: pre-packed parcels forecast and received by their waybill are
linked to their orders — whichever comes first — skip allocation, picking and packing, are bagged by either
waybill, loaded and gated out under 9610 without touching the bonded stock or the account book."""
from __future__ import annotations

import sqlalchemy as sa

from tests.api import helpers as h
from tests.outbound.test_orders import payload
from tests.outbound.test_picking import post
from wms.customs import book
from wms.customs.gateway import SandboxGateway
from wms.customs.models import BookEntry, CustomsMessage
from wms.customs.service import run_once
from wms.inventory import ledger
from wms.inventory.models import Movement
from wms.outbound.models import Order, Parcel


def parcel_asn(client, login, prefix: str, parcels: list[dict]) -> dict:
    seller, op = login("anke"), login("op01")
    asn = post(client, "/api/v1/asns", seller, {"mode": "parcel", "reference": f"{prefix}-集货",
                                                 "vehicle_no": "粤B·P0001", "parcels": parcels}, status=201)
    post(client, f"/api/v1/asns/{asn['id']}/submit", seller)
    post(client, "/api/v1/gate-passes", op, {"vehicle_no": "粤B·P0001",
                                              "asns": [{"asn": asn["number"], "cartons": len(parcels)}]}, status=201)
    return asn


def receive(client, login, asn: dict, waybill: str) -> dict:
    return post(client, "/api/v1/receiving/parcels", login("op01"), {"asn_id": asn["id"], "waybill_no": waybill,
                                                                      "weight_kg": "0.640"})


def parcel_order(client, login, dbs, no: str, **extra) -> dict:
    body = payload(dbs, order_no=no, mode="parcel") | extra
    return post(client, "/api/v1/orders", login("anke"), body, status=201)


def test_parcel_orders_skip_picking_and_packing_to_gate_out(client, login, dbs):
    movements = dbs.scalar(sa.select(sa.func.count(Movement.id)))
    book_entries = dbs.scalar(sa.select(sa.func.count(BookEntry.id)))
    asn = parcel_asn(client, login, "PM1", [{"waybill_no": "SF1400000001", "order_no": "PM-1"},
                                            {"waybill_no": "SF1400000002", "order_no": "PM-2"}])

    # the parcel first, then its order: matched at intake, it finds the parcel waiting and is packed
    first = receive(client, login, asn, "SF1400000001")
    assert first["prompt_code"] == "parcel_received" and "logistics_no" not in first["parcel"]
    early = parcel_order(client, login, dbs, "PM-1", parcel_waybill_no="SF1400000001")
    assert early["status"] == "packed" and early["trade_mode"] == "9610"

    # the order first (named by the forecast's order number), then its parcel: linked at the scan, relabelled
    late = parcel_order(client, login, dbs, "PM-2")
    assert late["status"] == "matched"
    h.problem(client.post(f"/api/v1/orders/{late['id']}/allocate", headers=login("supervisor")), 409,
              "parcel_order_not_allocated")
    post(client, "/api/v1/orders/allocate", login("supervisor"))          # the batch passes parcel orders by
    dbs.expire_all()
    assert dbs.get(Order, late["id"]).status == "matched"
    second = receive(client, login, asn, "SF1400000002")
    assert second["prompt_code"] == "parcel_linked" and second["parcel"]["order_no"] == "PM-2"
    assert second["parcel"]["logistics_no"] == late["logistics_no"] and "PM-2" in second["prompt"]
    dbs.expire_all()
    linked = dbs.get(Order, late["id"])
    assert linked.status == "packed"
    parcel = dbs.scalars(sa.select(Parcel).where(Parcel.order_id == linked.id)).one()
    assert str(parcel.weight_kg) == "0.640" and parcel.material_id is None and parcel.logistics_no == late["logistics_no"]
    label = client.get(second["parcel"]["label"] + "?format=pdf", headers=login("op01"))
    assert label.status_code == 200 and label.data.startswith(b"%PDF")

    # customs release the lists (9610: no account-book item needed)
    gateway = SandboxGateway(delay_seconds=0, reject_rate=0, inspect_rate=0)
    for _ in range(4):
        run_once(gateway)
    listing = dbs.scalars(sa.select(CustomsMessage).where(CustomsMessage.message_type == "CEB603")
                          .order_by(CustomsMessage.id.desc())).first()
    assert "<ceb:tradeMode>9610</ceb:tradeMode>" in listing.xml and "emsNo" not in listing.xml

    # bagging by the seller's waybill (not yet relabelled) or the international one; loading; gate-out
    op = login("op01")
    bag = post(client, "/api/v1/bags", op, {})
    post(client, f"/api/v1/bags/{bag['id']}/parcels", op, {"scan": "SF1400000001"})
    sealed = post(client, f"/api/v1/bags/{bag['id']}/parcels", op, {"scan": late["logistics_no"]})
    assert sealed["parcels_count"] == 2
    post(client, f"/api/v1/bags/{bag['id']}/seal", op, {"count": 2, "weight_kg": "1.4"})
    carrier = dbs.get(Order, early["id"]).channel.carrier.code
    manifest = post(client, "/api/v1/manifests", op, {"carrier": carrier, "vehicle_no": "粤B·P0002"}, status=201)
    post(client, f"/api/v1/manifests/{manifest['id']}/bags", op, {"scan": bag["sscc"]})
    post(client, f"/api/v1/manifests/{manifest['id']}/close", op, {})
    post(client, f"/api/v1/manifests/{manifest['id']}/gate-out", login("supervisor"))
    dbs.expire_all()
    for order_id in (early["id"], late["id"]):
        shipped = dbs.get(Order, order_id)
        assert shipped.status == "shipped" and shipped.summary_state == "pending"
    # the parcels never were bonded stock: no stock movement, no account-book entry
    assert dbs.scalar(sa.select(sa.func.count(Movement.id))) == movements
    assert dbs.scalar(sa.select(sa.func.count(BookEntry.id))) == book_entries
    assert ledger.check() == [] and book.reconcile() == []


def test_parcel_order_rules(client, login, dbs):
    seller = login("anke")
    h.field_errors(client.post("/api/v1/orders", headers=seller, json=payload(
        dbs, order_no="PM-R1", mode="parcel", trade_mode="1210")), "trade_mode")
    h.field_errors(client.post("/api/v1/orders", headers=seller, json=payload(
        dbs, order_no="PM-R2", mode="parcel", lines=[])), "lines")
    parcel_order(client, login, dbs, "PM-R3", parcel_waybill_no="SF1400000009")
    h.field_errors(client.post("/api/v1/orders", headers=seller, json=payload(
        dbs, order_no="PM-R4", mode="parcel", parcel_waybill_no="SF1400000009")), "parcel_waybill_no")
    assert not dbs.scalar(sa.select(Order.id).where(Order.order_no.in_(("PM-R1", "PM-R2", "PM-R4"))))


def test_a_cancelled_parcel_order_frees_its_parcel_for_a_new_order(client, login, dbs):
    asn = parcel_asn(client, login, "PM3", [{"waybill_no": "SF1400000021"}])
    receive(client, login, asn, "SF1400000021")
    first = parcel_order(client, login, dbs, "PM-3A", parcel_waybill_no="SF1400000021")
    assert first["status"] == "packed"
    post(client, f"/api/v1/orders/{first['id']}/cancel", login("anke"), {"reason": "买家取消 buyer cancelled"})
    again = parcel_order(client, login, dbs, "PM-3B", parcel_waybill_no="SF1400000021")
    assert again["status"] == "packed"
    bag = post(client, "/api/v1/bags", login("op01"), {})
    into = post(client, f"/api/v1/bags/{bag['id']}/parcels", login("op01"), {"scan": "SF1400000021"})
    detail = client.get(f"/api/v1/bags/{into['id']}", headers=login("op01")).get_json()
    assert [p["order_no"] for p in detail["parcels"]] == ["PM-3B"]
