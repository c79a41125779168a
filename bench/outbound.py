"""Allocation and wave planning of 10,000 open orders, in process on the benchmark database (DESIGN §7:
target < 2 s), next to the database's own time for the same reservations.

Set-up (not timed): stock for the demo sellers' filed products in storage locations (one ledger receipt
each), then 10,000 matched, customs-released orders of 1–3 units spread over those products, inserted in
bulk. Timed: ``allocate_open`` (every order reserved FEFO/FIFO in pick sequence, or backordered) and
``plan_waves`` (single- and multi-item waves by channel), each committed as its API call commits.
Ceiling: the reservation statements those orders need — lock the balance, raise its reservation, insert the
allocation — straight over psycopg in one transaction, plus one set-based wave assignment.
"""
from __future__ import annotations

import random
import time
from decimal import Decimal

import psycopg

ORDERS = 10_000


def prepare(url: str, orders: int = ORDERS) -> dict:
    """Stock and open orders in the benchmark database; returns what was made."""
    import sqlalchemy as sa

    from wms import create_app
    from wms.extensions import db
    from wms.inventory import service as inventory
    from wms.masterdata.models import Channel, Country, Currency, Location, Product, Warehouse, Zone
    from wms.outbound.models import Order, OrderLine
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    rng = random.Random(7)
    with app.app_context():
        products = db.session.scalars(sa.select(Product).where(Product.filing_status == "approved")
                                      .order_by(Product.id).limit(60)).all()
        places = db.session.scalars(sa.select(Location).join(Zone).where(Zone.kind == "storage")
                                    .order_by(Location.pick_sequence.desc()).limit(len(products) * 2)).all()
        for n, product in enumerate(products):
            for k in range(2):
                inventory.receive(product, places[(2 * n + k) % len(places)], 400, status="available",
                                  lpn=f"LPNB{n:04d}{k}", doc_type="bench", doc_ref="BENCH")
        db.session.commit()
        warehouse = db.session.scalar(sa.select(Warehouse.id))
        country = db.session.scalar(sa.select(Country.id).where(Country.code == "US"))
        currency = db.session.scalar(sa.select(Currency.id).where(Currency.code == "USD"))
        channels = db.session.scalars(sa.select(Channel.id).order_by(Channel.id).limit(3)).all()
        order_rows, line_rows = [], []
        first_id = (db.session.scalar(sa.select(sa.func.max(Order.id))) or 0) + 1
        for n in range(orders):
            units = rng.choice((1, 1, 1, 2, 3))
            chosen = [products[rng.randrange(len(products))] for _ in range(1 if units == 1 else 2)]
            qtys = [units] if len(chosen) == 1 else [1, units - 1]
            value = sum(Decimal("9.90") * q for q in qtys)
            order_rows.append({
                "id": first_id + n, "seller_id": chosen[0].seller_id, "warehouse_id": warehouse, "platform": "BENCH",
                "order_no": f"B{n:06d}", "status": "matched", "customs_state": "released", "buyer_name": "Bench Buyer",
                "buyer_phone": "+14155550132", "country_id": country, "city": "SF", "address1": "1 Main St",
                "postal_code": "94105", "currency_id": currency, "goods_value": value, "channel_id": channels[n % 3],
                "logistics_no": f"BENCH{n:010d}", "units": units})
            for gnum, (product, qty) in enumerate(zip(chosen, qtys), start=1):
                same_seller = product if product.seller_id == chosen[0].seller_id else chosen[0]
                line_rows.append({"order_id": first_id + n, "gnum": gnum, "product_id": same_seller.id, "qty": qty,
                                  "price": Decimal("9.90")})
        db.session.execute(sa.insert(Order), order_rows)
        db.session.execute(sa.insert(OrderLine), line_rows)
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return {"orders": orders, "lines": len(line_rows), "products": len(products)}


def run(url: str) -> dict:
    """Time allocation + wave planning in process; returns seconds and outcomes."""
    import sqlalchemy as sa

    from wms import create_app
    from wms.extensions import db
    from wms.masterdata.models import Warehouse
    from wms.outbound.allocation import allocate_open
    from wms.outbound.waves import Plan, plan_waves
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        warehouse = db.session.scalar(sa.select(Warehouse.id))
        started = time.perf_counter()
        counts = allocate_open(limit=ORDERS * 2)
        db.session.commit()                  # as POST /orders/allocate and POST /waves/plan: two transactions
        allocated_at = time.perf_counter()
        waves = plan_waves(Plan(warehouse_id=warehouse))
        db.session.commit()
        finished = time.perf_counter()
        result = {"allocate_s": round(allocated_at - started, 3), "plan_s": round(finished - allocated_at, 3),
                  "total_s": round(finished - started, 3), "allocated": counts.get("allocated", 0),
                  "backordered": counts.get("backordered", 0), "waves": len(waves)}
        db.session.remove()
        db.engine.dispose()
    return result


def ceiling(url: str) -> dict:
    """The same reservations as plain SQL in one transaction (then rolled back), and one wave assignment."""
    with psycopg.connect(url) as conn:
        lines = conn.execute(
            "SELECT l.id, l.order_id, l.product_id, l.qty, o.seller_id FROM order_lines l JOIN orders o ON o.id = l.order_id "
            "WHERE o.platform = 'BENCH' ORDER BY l.order_id, l.product_id").fetchall()
        started = time.perf_counter()
        with conn.cursor() as cur:
            for line_id, order_id, product_id, qty, seller_id in lines:
                row = cur.execute(
                    "SELECT b.id, b.location_id, b.lpn, b.lot, b.qty - b.reserved_qty FROM stock_balances b "
                    "JOIN locations l ON l.id = b.location_id WHERE b.product_id = %s AND b.seller_id = %s "
                    "AND b.status = 'available' AND b.qty - b.reserved_qty >= %s ORDER BY l.pick_sequence LIMIT 1 "
                    "FOR UPDATE OF b", (product_id, seller_id, qty)).fetchone()
                if row is None:
                    continue
                cur.execute("UPDATE stock_balances SET reserved_qty = reserved_qty + %s WHERE id = %s", (qty, row[0]))
                cur.execute("INSERT INTO allocations (order_id, order_line_id, balance_id, product_id, location_id, lpn, "
                            "lot, qty, picked_qty, status, pick_sequence, created_at) VALUES (%s, %s, %s, %s, %s, %s, "
                            "%s, %s, 0, 'open', 0, now())", (order_id, line_id, row[0], product_id, row[1], row[2],
                                                             row[3], qty))
            cur.execute("UPDATE orders SET status = 'allocated' WHERE platform = 'BENCH'")
        elapsed = time.perf_counter() - started
        conn.rollback()
    return {"total_s": round(elapsed, 3), "statements": len(lines) * 3 + 1}
