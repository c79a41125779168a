"""Cancelling after picking or packing: the units go back to stock through return-to-stock (putaway) tasks, a
bagged parcel leaves its open bag, and an export list customs numbered is cancelled with CEB605."""
from __future__ import annotations

import sqlalchemy as sa

from tests.api import helpers as h
from tests.outbound.test_bagging import packed
from tests.outbound.test_picking import post
from wms.customs.gateway import SandboxGateway
from wms.customs.models import CustomsRecord
from wms.customs.service import run_once
from wms.inbound.models import PutawayTask
from wms.inventory import ledger
from wms.inventory.models import StockBalance
from wms.masterdata.models import Location, Zone
from wms.outbound.models import Order


def test_cancel_a_packed_order_returns_its_units_and_cancels_its_list(client, login, dbs):
    op, seller = login("op01"), login("anke")
    order = packed(client, login, dbs, "X1")
    gateway = SandboxGateway(delay_seconds=0, reject_rate=0, inspect_rate=0)
    for _ in range(3):
        run_once(gateway)                                  # customs numbers and releases the list
    dbs.expire_all()
    listing = dbs.scalars(sa.select(CustomsRecord).where(CustomsRecord.guid == order.list_guid)).one()
    assert listing.invt_no
    units = dbs.scalar(sa.select(sa.func.sum(StockBalance.qty)).where(StockBalance.lpn == order.logistics_no))
    body = post(client, f"/api/v1/orders/{order.id}/cancel", seller, {"reason": "买家取消"})
    assert body["status"] == "cancelled" and body["customs_state"] == "cancelled"
    cancels = dbs.scalars(sa.select(CustomsRecord).where(CustomsRecord.kind == "cancel",
                                                         CustomsRecord.invt_no == listing.invt_no)).all()
    assert len(cancels) == 1
    task = dbs.scalars(sa.select(PutawayTask).where(PutawayTask.lpn == order.logistics_no,
                                                    PutawayTask.status == "open")).one()
    assert task.qty == units and task.suggested_location is not None
    post(client, f"/api/v1/putaway-tasks/{task.id}/complete", op, {"location": task.suggested_location.code})
    stored = dict(dbs.execute(sa.select(Zone.kind, sa.func.sum(StockBalance.qty))
                              .join(Location, Location.id == StockBalance.location_id)
                              .join(Zone, Zone.id == Location.zone_id)
                              .where(StockBalance.lpn == order.logistics_no, StockBalance.qty > 0)
                              .group_by(Zone.kind)).all())
    assert stored == {"storage": units}
    assert ledger.check() == []


def test_a_bagged_parcel_leaves_its_open_bag_but_not_a_sealed_one(client, login, dbs):
    op, seller = login("op01"), login("anke")
    order = packed(client, login, dbs, "X2")
    bag = post(client, "/api/v1/bags", op, {})
    post(client, f"/api/v1/bags/{bag['id']}/parcels", op, {"scan": order.logistics_no})
    post(client, f"/api/v1/bags/{bag['id']}/seal", op, {"count": 1, "weight_kg": "0.9"})
    h.problem(client.post(f"/api/v1/orders/{order.id}/cancel", json={"reason": "取消"}, headers=seller), 409, "bag_sealed")
    dbs.expire_all()
    assert dbs.get(Order, order.id).status == "bagged"
    other = packed(client, login, dbs, "X3")
    open_bag = post(client, "/api/v1/bags", op, {})
    post(client, f"/api/v1/bags/{open_bag['id']}/parcels", op, {"scan": other.logistics_no})
    assert post(client, f"/api/v1/orders/{other.id}/cancel", seller, {"reason": "取消"})["status"] == "cancelled"
    assert client.get(f"/api/v1/bags?q={open_bag['sscc']}", headers=op).get_json()["items"][0]["parcels_count"] == 0


def test_cancelling_one_single_item_order_returns_only_its_unit_from_the_shared_tote(client, login, dbs):
    from tests.outbound.test_packing import picked
    orders, wave, number = picked(client, login, dbs, [1, 1, 1], "X4", kinds=("single",))
    tote = f"{number}-B"
    assert dbs.scalar(sa.select(sa.func.sum(StockBalance.qty)).where(StockBalance.lpn == tote)) == 3
    body = post(client, f"/api/v1/orders/{orders[1].id}/cancel", login("anke"), {"reason": "买家取消"})
    assert body["status"] == "cancelled"
    tasks = dbs.scalars(sa.select(PutawayTask).where(PutawayTask.lpn == tote, PutawayTask.status == "open")).all()
    assert [t.qty for t in tasks] == [1]                 # the other two orders' units stay in the tote
    post(client, f"/api/v1/orders/{orders[2].id}/cancel", login("anke"), {"reason": "买家取消"})
    tasks = dbs.scalars(sa.select(PutawayTask).where(PutawayTask.lpn == tote, PutawayTask.status == "open")).all()
    assert sorted(t.qty for t in tasks) == [1, 1]


def test_cancelling_a_waved_order_cancels_its_open_picks(client, login, dbs):
    from tests.outbound.test_picking import released_wave
    from wms.outbound.models import PickTask, Wave
    orders, wave, number = released_wave(client, login, dbs, [2, 3], "X5", ["multi"])
    first, second = orders
    post(client, f"/api/v1/orders/{first.id}/cancel", login("anke"), {"reason": "买家取消"})
    dbs.expire_all()
    assert {t.status for t in dbs.scalars(sa.select(PickTask).where(PickTask.order_id == first.id))} == {"cancelled"}
    assert dbs.get(Wave, wave.id).status == "released"
    for task in dbs.scalars(sa.select(PickTask).where(PickTask.order_id == second.id)).all():
        post(client, f"/api/v1/pick-tasks/{task.id}/pick", login("op01"),
             {"qty": task.qty, "slot": f"C{task.cart}-{task.slot:02d}"})
    dbs.expire_all()
    assert dbs.get(Wave, wave.id).status == "picked" and dbs.get(Order, second.id).status == "picked"
    assert not dbs.scalar(sa.select(sa.func.count()).where(PutawayTask.lpn.like(f"{number}-%")))


def test_a_list_not_yet_numbered_is_cancelled_when_customs_numbers_it(client, login, dbs):
    from tests.outbound.test_orders import payload
    body = post(client, "/api/v1/orders", login("anke"), payload(dbs, order_no="X6-1"), status=201)
    cancelled = post(client, f"/api/v1/orders/{body['id']}/cancel", login("anke"), {"reason": "买家取消"})
    assert cancelled["customs_state"] == "cancelling"            # the list is still on its way to customs
    gateway = SandboxGateway(delay_seconds=0, reject_rate=0, inspect_rate=0)
    for _ in range(4):
        run_once(gateway)
    dbs.expire_all()
    order = dbs.get(Order, body["id"])
    listing = dbs.scalars(sa.select(CustomsRecord).where(CustomsRecord.guid == order.list_guid)).one()
    assert order.customs_state == "cancelled" and listing.invt_no
    assert dbs.scalars(sa.select(CustomsRecord.kind).where(CustomsRecord.kind == "cancel",
                                                          CustomsRecord.invt_no == listing.invt_no)).all() == ["cancel"]
