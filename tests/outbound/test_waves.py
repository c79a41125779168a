"""Wave planning: allocated, customs-released orders grouped by channel into single-item (fast lane) and
multi-item (sorting cart) waves within the limits, pick lists in walking order, release and cancel."""
from __future__ import annotations


import sqlalchemy as sa

from tests.api import helpers as h
from tests.outbound.test_allocation import fresh_product, ordered, storage
from wms.inventory import service as inventory
from wms.outbound.models import Order, PickTask, Wave


def _allocated(client, login, dbs, shape: list[int], prefix: str) -> list[Order]:
    """Orders of ``shape`` units each, stocked, allocated and released by customs."""
    from wms.customs.book import post
    from wms.customs.models import BookItem
    product = fresh_product(dbs, sku=f"{prefix}-SKU")
    for n in range(3):
        inventory.receive(product, storage(dbs, n), 20, status="available", lpn=f"LPN6{prefix[-1]}00000{n}")
    item = dbs.scalars(sa.select(BookItem).where(BookItem.product_id == product.id)).one()
    post(item, 60, doc_type="opening", doc_no=f"TEST-{prefix}")       # the stock is bonded: in the book too
    made = []
    for n, units in enumerate(shape):
        order = ordered(client, login, dbs, product, units, f"{prefix}-{n}")
        assert client.post(f"/api/v1/orders/{order.id}/allocate", headers=login("supervisor")).status_code == 200
        order.customs_state = "released"
        made.append(order)
    dbs.flush()
    return made


def plan(client, login, **body):
    response = client.post("/api/v1/waves/plan", json=body, headers=login("supervisor"))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_single_and_multi_item_waves_with_carts(client, login, dbs):
    orders = _allocated(client, login, dbs, [1, 1, 1, 2, 3, 2], "W1")
    waves = plan(client, login, max_orders=2, cart_slots=2)
    mine = [w for w in waves if w["orders_count"]]
    kinds = sorted((w["kind"], w["orders_count"]) for w in mine
                   if dbs.scalar(sa.select(sa.func.count()).where(Order.wave_id == w["id"],
                                                                   Order.id.in_([o.id for o in orders]))))
    assert ("single", 2) in kinds and ("multi", 2) in kinds
    for order in orders:
        dbs.refresh(order)
        assert order.status == "waved" and order.wave_id is not None
    multi = next(w for w in mine if w["kind"] == "multi")
    detail = client.get(f"/api/v1/waves/{multi['id']}", headers=login("op01")).get_json()
    sequences = [t["sequence"] for t in detail["tasks"]]
    assert sequences == sorted(sequences) and {t["slot"] for t in detail["tasks"]} <= {1, 2}
    assert all(t["cart"] == 1 for t in detail["tasks"])
    single = next(w for w in mine if w["kind"] == "single")
    assert {t["slot"] for t in client.get(f"/api/v1/waves/{single['id']}", headers=login("op01"))
            .get_json()["tasks"]} == {0}


def test_units_limit_and_customs_release_gate(client, login, dbs, app):
    orders = _allocated(client, login, dbs, [3, 3, 3], "W2")
    orders[2].customs_state = "declared"                  # not released by customs yet
    dbs.flush()
    waves = plan(client, login, max_units=5, kinds=["multi"])
    wave_of = dict(dbs.execute(sa.select(Order.id, Order.wave_id).where(Order.id.in_([o.id for o in orders]))).all())
    in_waves = [wave_of[o.id] for o in orders]
    assert in_waves[2] is None and in_waves[0] != in_waves[1]            # 3 + 3 > 5: two waves
    assert all(w["units"] <= 5 for w in waves)
    app.config["OUTBOUND_PICK_BEFORE_RELEASE"] = True
    try:
        plan(client, login, kinds=["multi"])
    finally:
        app.config["OUTBOUND_PICK_BEFORE_RELEASE"] = False
    dbs.refresh(orders[2])
    assert orders[2].status == "waved"


def test_release_and_cancel(client, login, dbs):
    orders = _allocated(client, login, dbs, [2], "W3")
    [wave] = [w for w in plan(client, login, kinds=["multi"])
              if dbs.scalar(sa.select(Order.wave_id).where(Order.id == orders[0].id)) == w["id"]]
    h.problem(client.post(f"/api/v1/waves/{wave['id']}/release", headers=login("op01")), 403)
    cancelled = client.post(f"/api/v1/waves/{wave['id']}/cancel", headers=login("supervisor"))
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    dbs.refresh(orders[0])
    assert orders[0].status == "allocated" and orders[0].wave_id is None
    assert {t.status for t in dbs.scalars(sa.select(PickTask).where(PickTask.wave_id == wave["id"]))} == {"cancelled"}
    [again] = [w for w in plan(client, login, kinds=["multi"])
               if dbs.scalar(sa.select(Order.wave_id).where(Order.id == orders[0].id)) == w["id"]]
    released = client.post(f"/api/v1/waves/{again['id']}/release", headers=login("supervisor"))
    assert released.status_code == 200 and released.get_json()["status"] == "released"
    body = h.problem(client.post(f"/api/v1/waves/{again['id']}/release", headers=login("supervisor")), 409)
    assert body["current_state"] == "released"
    assert dbs.get(Wave, again["id"]).released_at is not None
