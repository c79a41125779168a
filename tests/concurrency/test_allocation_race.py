"""Parallel allocations of orders competing for the same units never promise a unit twice."""
from __future__ import annotations

import threading
from decimal import Decimal

import pytest
import sqlalchemy as sa

from wms.extensions import db
from wms.inventory import service as inventory
from wms.inventory.models import StockBalance
from wms.masterdata.models import Country, Currency, Location, Product, Seller, Zone
from wms.outbound import orders
from wms.outbound.allocation import allocate
from wms.outbound.models import Order

pytestmark = pytest.mark.live
ORDERS, UNITS_EACH, STOCK = 12, 2, 11


def _setup() -> list[int]:
    from wms.customs.book import open_item
    seller = db.session.scalars(sa.select(Seller).where(Seller.code == "SZ-ANKE")).one()
    product = Product(seller_id=seller.id, sku="RACE-1", name_zh="并发测试商品", hs_code="8517629400",
                      origin_country_id=db.session.scalar(sa.select(Country.id).where(Country.code == "CN")),
                      currency_id=db.session.scalar(sa.select(Currency.id).where(Currency.code == "USD")),
                      filing_status="approved", weight_kg=Decimal("0.2"))
    db.session.add(product)
    db.session.flush()
    open_item(product)
    places = db.session.scalars(sa.select(Location).join(Zone).where(Zone.kind == "storage")
                                .order_by(Location.pick_sequence.desc()).limit(3)).all()
    for n, (place, units) in enumerate(zip(places, (4, 4, STOCK - 8))):
        inventory.receive(product, place, units, status="available", lpn=f"LPN8800000{n}")
    ids = []
    for n in range(ORDERS):
        order, _ = orders.receive({
            "seller_id": seller.id, "platform": "RACE", "order_no": f"RACE-{n}", "buyer_name": "Race Buyer",
            "buyer_phone": "+1 415 555 0132", "country": "US", "city": "SF", "address1": "1 Main St",
            "postal_code": "94105", "currency": "USD", "goods_value": Decimal(20), "freight": Decimal(0),
            "charge": Decimal(20), "lines": [{"product_id": product.id, "qty": UNITS_EACH, "price": "10"}]})
        assert order.status == "matched", order.status_reason
        ids.append(order.id)
    db.session.commit()
    return ids


def test_parallel_allocations_never_overpromise(live_app):
    with live_app.app_context():
        ids = _setup()
        db.session.remove()
    barrier = threading.Barrier(4)
    errors: list[str] = []

    def worker(mine: list[int]):
        with live_app.app_context():
            barrier.wait()
            for order_id in mine:
                try:
                    order = db.session.scalars(sa.select(Order).where(Order.id == order_id).with_for_update()).one()
                    allocate(order)
                    db.session.commit()
                except Exception as exc:  # any failure is a finding, reported below
                    db.session.rollback()
                    errors.append(repr(exc))
            db.session.remove()

    threads = [threading.Thread(target=worker, args=(ids[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with live_app.app_context():
        states = db.session.scalars(sa.select(Order.status).where(Order.id.in_(ids))).all()
        reserved = db.session.scalar(sa.select(sa.func.sum(StockBalance.reserved_qty))
                                     .where(StockBalance.lpn.like("LPN8800000%")))
        assert states.count("allocated") == STOCK // UNITS_EACH
        assert reserved == states.count("allocated") * UNITS_EACH <= STOCK
        assert states.count("backordered") == ORDERS - STOCK // UNITS_EACH
        db.session.remove()
