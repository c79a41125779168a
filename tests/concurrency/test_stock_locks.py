"""Two PDAs taking the same units at once: row locks (PostgreSQL) / BEGIN IMMEDIATE (SQLite) make every
scan see the other's result, so stock never goes negative and the ledger still adds up."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from wms.errors import InsufficientStock
from wms.extensions import db
from wms.inventory import ledger, service
from wms.inventory.models import Movement, StockBalance
from wms.masterdata.models import Location, Product

pytestmark = pytest.mark.live
THREADS = 8
TRIES_EACH = 10


def test_parallel_moves_of_the_same_units_never_overdraw(live_app):
    with live_app.app_context():
        balance = db.session.scalars(sa.select(StockBalance).where(StockBalance.status == "available",
                                                                   StockBalance.reserved_qty == 0,
                                                                   StockBalance.qty.between(2, THREADS * TRIES_EACH - 1))
                                     .order_by(StockBalance.id)).first()
        product_id, source_id, lpn, start = balance.product_id, balance.location_id, balance.lpn, balance.qty
        target_code = "A10-20-5-2"
        moves_before = db.session.scalar(sa.select(sa.func.count(Movement.id)))
        db.session.remove()
    assert start < THREADS * TRIES_EACH          # more tries than units: some must be refused

    outcomes: list[str] = []
    barrier = threading.Barrier(THREADS)

    def worker():
        with live_app.app_context():
            barrier.wait()
            for _ in range(TRIES_EACH):
                try:
                    product = db.session.get(Product, product_id)
                    source = db.session.get(Location, source_id)
                    target = service.location_by_code(target_code)
                    service.move(product, source, target, 1, lpn=lpn)
                    db.session.commit()
                    outcomes.append("moved")
                except InsufficientStock:
                    db.session.rollback()
                    outcomes.append("refused")
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert len(outcomes) == THREADS * TRIES_EACH
    assert outcomes.count("moved") == start
    with live_app.app_context():
        source_qty = db.session.scalar(sa.select(StockBalance.qty).where(
            StockBalance.product_id == product_id, StockBalance.location_id == source_id,
            StockBalance.lpn == lpn, StockBalance.status == "available"))
        target_qty = db.session.scalar(sa.select(StockBalance.qty).join(Location).where(
            StockBalance.product_id == product_id, Location.code == target_code, StockBalance.lpn == lpn))
        moves_after = db.session.scalar(sa.select(sa.func.count(Movement.id)))
        assert (source_qty, target_qty) == (0, start)
        assert moves_after - moves_before == start
        assert ledger.check() == []
