"""The outbound board's numbers (wms.outbound.board.summary, served at /boards/outbound/state): orders made and
moved through the API — released wave, picks, pack, bag, seal, load, close, gate-out, a short pick, customs'
answers — change exactly the counts they should, in a fixed handful of statements."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import event

from tests.outbound.test_orders import payload
from tests.outbound.test_picking import post, released_wave
from tests.web.test_inbound_screens import sign_in  # noqa: F401  (fixture)
from wms.extensions import db
from wms.masterdata.models import Warehouse
from wms.outbound import board
from wms.outbound.models import Order, PickTask


def state(client) -> dict:
    response = client.get("/boards/outbound/state")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def column(s: dict, key: str) -> tuple[int, int]:
    return s["columns"][key]["orders"], s["columns"][key]["units"]


def wave_of(s: dict, wave_id: int) -> dict | None:
    return next((w for w in s["waves"]["in_progress"] if w["id"] == wave_id), None)


def pick_order(client, login, dbs, wave, order) -> None:
    for task in dbs.scalars(sa.select(PickTask).where(PickTask.wave_id == wave.id, PickTask.order_id == order.id,
                                                      PickTask.status == "open").order_by(PickTask.sequence)).all():
        post(client, f"/api/v1/pick-tasks/{task.id}/pick", login("op01"),
             {"qty": task.qty, "slot": f"C{task.cart}-{task.slot:02d}"})


def pack(client, login, order) -> None:
    op = login("op01")
    scans = [line.product.sku for line in order.lines for _ in range(line.qty)]
    ready = post(client, f"/api/v1/packing/orders/{order.id}/check", op, {"scans": scans})
    weight = Decimal(ready["order"]["expected_weight_kg"]) + Decimal("0.08")          # + the CTN-S carton
    post(client, f"/api/v1/packing/orders/{order.id}/close", op,
         {"scans": scans, "material": "CTN-S", "weight_kg": str(weight)})


def test_an_order_walks_across_the_board(client, login, dbs, sign_in):
    sign_in("supervisor", "super-demo")
    op = login("op01")
    before = state(client)
    assert before["warehouse"]["code"] == dbs.scalar(sa.select(Warehouse.code).order_by(Warehouse.id))

    (first, second), wave, _number = released_wave(client, login, dbs, [2, 3], "OB1", ["multi"])
    now = state(client)
    assert column(now, "waved") == (column(before, "waved")[0] + 2, column(before, "waved")[1] + 5)
    assert column(now, "matched") == column(before, "matched")
    progress = wave_of(now, wave.id)
    assert progress["released_at"] is not None and progress["age_s"] >= 0
    assert {k: v for k, v in progress.items() if k not in ("released_at", "age_s")} == {
        "id": wave.id, "number": wave.number, "kind": "multi", "status": "released", "channel": first.channel.code,
        "carts": 1, "units": 5, "picked_units": 0, "short_units": 0, "orders": 2, "packed_orders": 0}
    waved = now["columns"]["waved"]
    assert len(waved["oldest"]) == min(5, waved["orders"])          # the oldest first, five at most
    assert [o["age_s"] for o in waved["oldest"]] == sorted((o["age_s"] for o in waved["oldest"]), reverse=True)
    assert waved["age_s"] == waved["oldest"][0]["age_s"]

    pick_order(client, login, dbs, wave, first)                     # one order of the two picked
    now = state(client)
    assert column(now, "waved") == (column(before, "waved")[0] + 1, column(before, "waved")[1] + 3)
    assert column(now, "picked") == (column(before, "picked")[0] + 1, column(before, "picked")[1] + 2)
    assert (wave_of(now, wave.id)["picked_units"], wave_of(now, wave.id)["status"]) == (2, "released")

    pick_order(client, login, dbs, wave, second)                    # the wave is picked, nothing packed yet
    now = state(client)
    assert column(now, "waved") == column(before, "waved")
    assert column(now, "picked") == (column(before, "picked")[0] + 2, column(before, "picked")[1] + 5)
    progress = wave_of(now, wave.id)
    assert (progress["status"], progress["picked_units"], progress["units"], progress["packed_orders"]) == \
        ("picked", 5, 5, 0)

    dbs.expire_all()
    pack(client, login, dbs.get(Order, first.id))
    now = state(client)
    assert column(now, "picked") == (column(before, "picked")[0] + 1, column(before, "picked")[1] + 3)
    assert column(now, "packed") == (column(before, "packed")[0] + 1, column(before, "packed")[1] + 2)
    assert (wave_of(now, wave.id)["packed_orders"], wave_of(now, wave.id)["orders"]) == (1, 2)

    bag = post(client, "/api/v1/bags", op, {})
    post(client, f"/api/v1/bags/{bag['id']}/parcels", op, {"scan": first.logistics_no})
    now = state(client)
    assert column(now, "packed") == column(before, "packed")
    assert column(now, "bagged") == (column(before, "bagged")[0] + 1, column(before, "bagged")[1] + 2)
    assert now["bags"] == before["bags"] | {"open": before["bags"]["open"] + 1,
                                            "open_parcels": before["bags"]["open_parcels"] + 1}

    post(client, f"/api/v1/bags/{bag['id']}/seal", op, {"count": 1, "weight_kg": "0.6"})
    now = state(client)
    assert now["bags"] == before["bags"] | {"sealed": before["bags"]["sealed"] + 1,
                                            "sealed_parcels": before["bags"]["sealed_parcels"] + 1}

    manifest = post(client, "/api/v1/manifests", op, {"carrier": first.channel.carrier.code,
                                                      "vehicle_no": "粤B·OB001"}, status=201)
    post(client, f"/api/v1/manifests/{manifest['id']}/bags", op, {"scan": bag["sscc"]})
    now = state(client)
    assert column(now, "bagged") == column(before, "bagged")
    assert column(now, "loaded") == (column(before, "loaded")[0] + 1, column(before, "loaded")[1] + 2)
    assert now["bags"] == before["bags"]
    assert now["vehicles"]["loading"] == before["vehicles"]["loading"] + 1
    vehicle = next(v for v in now["vehicles"]["items"] if v["id"] == manifest["id"])
    assert (vehicle["vehicle_no"], vehicle["status"], vehicle["bags"], vehicle["parcels"]) == ("粤B·OB001", "loading", 1, 1)

    post(client, f"/api/v1/manifests/{manifest['id']}/close", op, {})
    now = state(client)
    assert (now["vehicles"]["loading"], now["vehicles"]["closed"]) == (before["vehicles"]["loading"],
                                                                       before["vehicles"]["closed"] + 1)

    post(client, f"/api/v1/manifests/{manifest['id']}/gate-out", op)
    now = state(client)
    assert column(now, "loaded") == column(before, "loaded")
    assert column(now, "shipped") == (column(before, "shipped")[0] + 1, column(before, "shipped")[1] + 2)
    assert now["shipped_today"] == {"orders": before["shipped_today"]["orders"] + 1,
                                    "units": before["shipped_today"]["units"] + 2}
    assert now["pending_summary"]["orders"] == before["pending_summary"]["orders"] + 1
    assert now["pending_summary"]["age_s"] is not None
    assert (now["vehicles"]["closed"], now["vehicles"]["departed"], now["vehicles"]["departed_parcels"]) == \
        (before["vehicles"]["closed"], before["vehicles"]["departed"] + 1, before["vehicles"]["departed_parcels"] + 1)
    assert next(v for v in now["vehicles"]["items"] if v["id"] == manifest["id"])["status"] == "departed"


def test_a_short_pick_is_an_open_discrepancy(client, login, dbs, sign_in):
    sign_in("supervisor", "super-demo")
    before = state(client)
    [order], wave, number = released_wave(client, login, dbs, [3], "OB2", ["multi"])
    step = post(client, "/api/v1/picking/start", login("op01"), {"scan": number})
    post(client, f"/api/v1/pick-tasks/{step['task']['id']}/short", login("op01"), {"found_qty": 1})
    now = state(client)
    assert (now["discrepancies"]["open"], now["discrepancies"]["units"]) == \
        (before["discrepancies"]["open"] + 1, before["discrepancies"]["units"] + 2)
    assert now["discrepancies"]["open"] <= board.DISCREPANCIES                  # so every one is listed
    [mine] = [d for d in now["discrepancies"]["items"] if d["order_no"] == order.order_no]
    assert (mine["location"], mine["sku"], mine["expected"], mine["found"]) == \
        (step["task"]["location"], step["task"]["sku"], 3, 1)
    assert now["discrepancies"]["age_s"] >= mine["age_s"]                          # the oldest open one's age
    assert column(now, "matched") == (column(before, "matched")[0] + 1, column(before, "matched")[1] + 3)
    assert column(now, "waved") == column(before, "waved")
    assert wave_of(now, wave.id) is None                      # its only order left it: nothing to pick or pack


def test_customs_answers_move_the_customs_counts(client, login, dbs, sign_in):
    from wms.customs.gateway import SandboxGateway
    from wms.customs.service import run_once
    sign_in("supervisor", "super-demo")
    before = state(client)
    seller = login("anke")
    made = client.post("/api/v1/orders", json=payload(dbs, order_no="OB-C1"), headers=seller).get_json()
    failed = client.post("/api/v1/orders", json=payload(dbs, order_no="OB-C2", charge="1.00"), headers=seller).get_json()
    assert (made["status"], failed["status"]) == ("matched", "match_failed")
    now = state(client)
    assert now["customs"] == before["customs"] | {"declared": before["customs"]["declared"] + 1,
                                                  "match_failed": before["customs"]["match_failed"] + 1}
    assert now["columns"]["received"]["states"]["match_failed"] == \
        before["columns"]["received"]["states"]["match_failed"] + 1
    assert column(now, "received")[0] == column(before, "received")[0] + 1
    assert column(now, "matched") == (column(before, "matched")[0] + 1, column(before, "matched")[1] + 2)
    assert "OB-C2" in {o["order_no"] for o in now["columns"]["received"]["oldest"]}

    gateway = SandboxGateway(delay_seconds=0, reject_rate=1, inspect_rate=0)   # customs refuses the list
    for _ in range(4):
        run_once(gateway)
    now = state(client)
    assert now["customs"] == before["customs"] | {"rejected": before["customs"]["rejected"] + 1,
                                                  "match_failed": before["customs"]["match_failed"] + 1}


def test_a_handful_of_statements_whatever_the_orders(app, client, login, dbs):
    """Grouped counts, not a statement per order or per wave: the same number before and after more orders,
    waves in progress and parcels (and at most twelve)."""
    warehouse_id = dbs.scalar(sa.select(Warehouse.id).order_by(Warehouse.id))
    since = datetime.now(timezone.utc) - timedelta(hours=12)
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def measure() -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            board.summary(warehouse_id, since)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    released_wave(client, login, dbs, [2], "OB3", ["multi"])
    one_wave = measure()
    for n, shape in enumerate(([1, 2, 3], [2, 2], [4])):
        released_wave(client, login, dbs, shape, f"OB{4 + n}", ["multi", "single"])
    assert measure() == one_wave <= 12
