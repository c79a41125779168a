"""The picking scenario through the API: wave → location → item → quantity → cart slot, each pick one ledger
movement to the pack-station staging; wrong scans refused naming what is expected; short picks become pick
discrepancies that a supervisor's count resolves, the order re-allocated."""
from __future__ import annotations

import sqlalchemy as sa

from tests.api import helpers as h

from tests.outbound.test_waves import _allocated, plan
from wms.inventory import ledger
from wms.inventory.models import StockBalance
from wms.outbound.models import Order, PickDiscrepancy, PickTask, Wave


def post(client, url, headers, body=None, status=200):
    response = client.post(url, json=body or {}, headers=headers)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def released_wave(client, login, dbs, shape, prefix, kinds):
    orders = _allocated(client, login, dbs, shape, prefix)
    waves = plan(client, login, kinds=kinds, cart_slots=4)
    wave_id = dbs.scalar(sa.select(Order.wave_id).where(Order.id == orders[0].id))
    number = next(w["number"] for w in waves if w["id"] == wave_id)
    post(client, f"/api/v1/waves/{wave_id}/release", login("supervisor"))
    return orders, dbs.get(Wave, wave_id), number


def test_pick_a_multi_item_wave_to_the_cart(client, login, dbs):
    op = login("op01")
    orders, wave, number = released_wave(client, login, dbs, [2, 3], "P1", ["multi"])
    step = post(client, "/api/v1/picking/start", op, {"scan": number})
    picked_units = 0
    while step["step"] != "done":
        task = step["task"]
        assert step["step"] == "location"
        body = h.problem(client.post(f"/api/v1/pick-tasks/{task['id']}/location", json={"scan": "A10-20-5-2"},
                                     headers=op), 409, "wrong_location") if task["location"] != "A10-20-5-2" else None
        assert body is None or body["expected"] == task["location"]
        assert post(client, f"/api/v1/pick-tasks/{task['id']}/location", op, {"scan": task["location"]})["step"] == "item"
        item = dbs.get(PickTask, task["id"]).product
        assert post(client, f"/api/v1/pick-tasks/{task['id']}/item", op, {"scan": item.sku})["step"] == "qty"
        ask = post(client, f"/api/v1/pick-tasks/{task['id']}/pick", op, {"qty": task["qty"]})
        assert ask["step"] == "slot" and ask["task"]["slot_code"] == task["slot_code"]
        h.problem(client.post(f"/api/v1/pick-tasks/{task['id']}/pick", json={"qty": task["qty"], "slot": "C9-99"},
                              headers=op), 409, "wrong_slot")
        step = post(client, f"/api/v1/pick-tasks/{task['id']}/pick", op, {"qty": task["qty"], "slot": task["slot_code"]})
        picked_units += task["qty"]
    assert picked_units == 5
    dbs.expire_all()
    assert dbs.get(Wave, wave.id).status == "picked"
    assert {dbs.get(Order, o.id).status for o in orders} == {"picked"}
    on_cart = dict(dbs.execute(sa.select(StockBalance.lpn, StockBalance.qty)
                               .where(StockBalance.lpn.like(f"{number}-C%"), StockBalance.qty > 0)).all())
    assert sorted(on_cart.values()) == [2, 3]
    assert ledger.check() == []


def test_short_pick_is_a_discrepancy_resolved_by_a_count(client, login, dbs):
    op, boss = login("op01"), login("supervisor")
    orders, wave, number = released_wave(client, login, dbs, [3], "P2", ["multi"])
    step = post(client, "/api/v1/picking/start", op, {"scan": number})
    task = step["task"]
    balance = dbs.scalars(sa.select(StockBalance).where(StockBalance.lpn == task["lpn"],
                                                        StockBalance.status == "available")).one()
    h.field_errors(client.post(f"/api/v1/pick-tasks/{task['id']}/short", json={"found_qty": 3}, headers=op),
                   "found_qty")
    after = post(client, f"/api/v1/pick-tasks/{task['id']}/short", op, {"found_qty": 1})
    assert after["discrepancy"]["expected"] == 3 and after["discrepancy"]["found"] == 1
    dbs.expire_all()
    order = dbs.get(Order, orders[0].id)
    assert order.status == "matched" and order.wave_id is None and "short pick" in order.status_reason
    from wms.inbound.models import PutawayTask
    back = dbs.scalars(sa.select(PutawayTask).where(PutawayTask.lpn == f"{number}-C{task['cart']}-{task['slot']:02d}",
                                                    PutawayTask.status == "open")).one()
    assert back.qty == 1                                     # the one unit found goes back to storage
    discrepancy = dbs.scalars(sa.select(PickDiscrepancy).where(PickDiscrepancy.order_id == order.id)).one()
    dbs.refresh(balance)
    assert balance.reserved_qty == 0
    on_record = balance.qty
    h.problem(client.post(f"/api/v1/pick-discrepancies/{discrepancy.id}/resolve", json={"counted_qty": 0},
                          headers=op), 403)
    resolved = post(client, f"/api/v1/pick-discrepancies/{discrepancy.id}/resolve", boss, {"counted_qty": 0,
                                                                                           "note": "库位实盘为空"})
    assert resolved["status"] == "resolved" and resolved["counted_qty"] == 0
    dbs.expire_all()
    assert dbs.get(StockBalance, balance.id).qty == 0 and on_record > 0        # the count corrected the balance
    assert dbs.get(Order, order.id).status in ("allocated", "backordered")       # and the order tried again
    assert ledger.check() == []


def test_only_released_waves_are_picked(client, login, dbs):
    orders = _allocated(client, login, dbs, [2], "P3")
    plan(client, login, kinds=["multi"])
    wave = dbs.get(Wave, dbs.scalar(sa.select(Order.wave_id).where(Order.id == orders[0].id)))
    body = h.problem(client.post("/api/v1/picking/start", json={"scan": wave.number}, headers=login("op01")), 409,
                     "wave_not_released")
    assert body["current_state"] == "planned"
    h.problem(client.post("/api/v1/picking/start", json={"scan": "WV-NOPE"}, headers=login("op01")), 404,
              "unknown_wave")
