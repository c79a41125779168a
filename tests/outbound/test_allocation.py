"""Allocation: only available stock of the order's seller in storage, FEFO then FIFO then pick sequence,
whole orders or backorders, reservations given back on cancellation."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from tests.api import helpers as h
from tests.outbound.test_orders import payload
from wms.core.audit import AuditLog
from wms.inventory import service as inventory
from wms.inventory.models import StockBalance
from wms.masterdata.models import Location, Product, Zone
from wms.outbound.models import Allocation, Order


def fresh_product(dbs, sku: str = "ALLOC-TEST-1") -> Product:
    """A filed ANKE product with its book line and no stock, so each test sets the stock it needs."""
    from wms.customs.book import open_item
    data = h.product_payload(sku=sku)
    product = Product(**{k: v for k, v in data.items() if k != "barcodes"}, filing_status="approved",
                      weight_kg=Decimal("0.2"))
    dbs.add(product)
    dbs.flush()
    open_item(product)
    dbs.flush()
    return product


def storage(dbs, n: int) -> Location:
    return dbs.scalars(sa.select(Location).join(Zone).where(Zone.kind == "storage")
                       .order_by(Location.pick_sequence.desc()).offset(n)).first()


def ordered(client, login, dbs, product: Product, qty: int, no: str) -> Order:
    body = payload(dbs, order_no=no, lines=[{"sku": product.sku, "qty": qty, "price": "10.00"}],
                   goods_value=str(10 * qty), charge=str(10 * qty + Decimal("4.50")))
    response = client.post("/api/v1/orders", json=body, headers=login("anke"))
    assert response.status_code == 201 and response.get_json()["status"] == "matched", response.get_json()
    return dbs.get(Order, response.get_json()["id"])


def allocate(client, login, order):
    response = client.post(f"/api/v1/orders/{order.id}/allocate", headers=login("supervisor"))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_fefo_then_pick_sequence_and_reservations(client, login, dbs):
    product = fresh_product(dbs)
    late, early, plain = storage(dbs, 0), storage(dbs, 1), storage(dbs, 2)
    inventory.receive(product, late, 5, status="available", lpn="LPN70000001", lot="L2", expiry=date(2027, 6, 30))
    inventory.receive(product, early, 3, status="available", lpn="LPN70000002", lot="L1", expiry=date(2027, 1, 31))
    inventory.receive(product, plain, 9, status="temp_stored", lpn="LPN70000003")      # not allocatable
    order = ordered(client, login, dbs, product, 6, "A-1")
    body = allocate(client, login, order)
    assert body["status"] == "allocated"
    assert [(a["lpn"], a["qty"]) for a in body["allocations"]] in ([("LPN70000002", 3), ("LPN70000001", 3)],
                                                                   [("LPN70000001", 3), ("LPN70000002", 3)])
    reserved = dict(dbs.execute(sa.select(StockBalance.lpn, StockBalance.reserved_qty)
                                .where(StockBalance.product_id == product.id)).all())
    assert reserved == {"LPN70000001": 3, "LPN70000002": 3, "LPN70000003": 0}      # the earliest expiry first


def test_short_is_a_backorder_that_reserves_nothing(client, login, dbs):
    product = fresh_product(dbs)
    inventory.receive(product, storage(dbs, 0), 2, status="available", lpn="LPN70000011")
    order = ordered(client, login, dbs, product, 5, "A-2")
    body = allocate(client, login, order)
    assert body["status"] == "backordered" and f"{product.sku} ×3" in body["status_reason"]
    assert body["allocations"] == []
    assert dbs.scalar(sa.select(StockBalance.reserved_qty).where(StockBalance.lpn == "LPN70000011")) == 0
    inventory.receive(product, storage(dbs, 1), 3, status="available", lpn="LPN70000012")
    assert allocate(client, login, order)["status"] == "allocated"            # re-allocated when stock came


def test_another_sellers_stock_is_never_promised(client, login, dbs):
    product = fresh_product(dbs)
    other = dbs.scalars(sa.select(Product).where(Product.seller_id == h.seller_id("SZ-JINYI"),
                                                 Product.filing_status == "approved")).first()
    inventory.receive(other, storage(dbs, 0), 5, status="available", lpn="LPN70000051")   # not this seller's
    order = ordered(client, login, dbs, product, 1, "A-3")
    assert allocate(client, login, order)["status"] == "backordered"


def test_cancel_gives_the_reservation_back(client, login, dbs):
    product = fresh_product(dbs)
    inventory.receive(product, storage(dbs, 0), 4, status="available", lpn="LPN70000021")
    order = ordered(client, login, dbs, product, 4, "A-4")
    allocate(client, login, order)
    assert dbs.scalar(sa.select(StockBalance.reserved_qty).where(StockBalance.lpn == "LPN70000021")) == 4
    done = client.post(f"/api/v1/orders/{order.id}/cancel", json={"reason": "买家取消"}, headers=login("anke"))
    assert done.status_code == 200 and done.get_json()["allocations"] == []
    assert dbs.scalar(sa.select(StockBalance.reserved_qty).where(StockBalance.lpn == "LPN70000021")) == 0
    assert {a.status for a in dbs.scalars(sa.select(Allocation).where(Allocation.order_id == order.id))} == {"released"}


def test_allocating_twice_names_the_state(client, login, dbs):
    product = fresh_product(dbs)
    inventory.receive(product, storage(dbs, 0), 1, status="available", lpn="LPN70000031")
    order = ordered(client, login, dbs, product, 1, "A-5")
    allocate(client, login, order)
    body = h.problem(client.post(f"/api/v1/orders/{order.id}/allocate", headers=login("supervisor")), 409,
                     "invalid_transition")
    assert body["current_state"] == "allocated"


def test_batch_allocation_takes_the_oldest_first(client, login, dbs):
    product = fresh_product(dbs)
    inventory.receive(product, storage(dbs, 0), 3, status="available", lpn="LPN70000041")
    first = ordered(client, login, dbs, product, 2, "A-6")
    second = ordered(client, login, dbs, product, 2, "A-7")
    response = client.post("/api/v1/orders/allocate", headers=login("supervisor"))
    assert response.status_code == 200 and response.get_json()["allocated"] >= 1
    dbs.expire_all()
    assert (dbs.get(Order, first.id).status, dbs.get(Order, second.id).status) == ("allocated", "backordered")
    assert dbs.get(Order, second.id).status_reason == f"缺货 short: {product.sku} ×1"
    reserved = dbs.scalars(sa.select(Allocation).where(Allocation.order_id == first.id)).all()
    assert [(a.qty, a.lpn, a.status) for a in reserved] == [(2, "LPN70000041", "open")]
    trail = dict(dbs.execute(sa.select(AuditLog.entity_id, AuditLog.after).where(
        AuditLog.entity_type == "orders", AuditLog.action.in_(("order.allocate", "order.backorder")),
        AuditLog.entity_id.in_((str(first.id), str(second.id))))).all())
    assert trail == {str(first.id): {"status": "allocated"}, str(second.id): {"status": "backordered"}}
