"""Inbound benchmarks: receiving scans and putaway suggestions through the HTTP API, each next to the
database's own rate for the same statements, in a warehouse grown to 20,000 locations.

- Receiving: every client has its own forecast (one line, a large forecast quantity), opened for
  receiving; a scan is ``POST /api/v1/receiving/receipts`` (one unit onto a new LPN in temporary
  storage). Ceiling, per scan in one transaction: the idempotency look-up, the conditional line count,
  the LPN number, the balance upsert, the movement and its line, the receipt, the stored answer.
- Putaway suggestions: ``POST /api/v1/putaway/suggestions`` for products in turn. Ceiling: the strategy
  chain's statements (fixed → consolidate → nearest empty), compiled by the app and run over psycopg.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timezone

import psycopg

from bench.moves import Api, Login

LOCATIONS_WANTED = 20_000
ASN_QTY = 10_000_000
SELLER = ("anke", "anke-demo")


def grow_warehouse(url: str, wanted: int = LOCATIONS_WANTED) -> int:
    """Add storage locations (zone STO, aisles 11…) until the warehouse has ``wanted``; returns the count."""
    with psycopg.connect(url) as conn:
        have = conn.execute("SELECT count(*) FROM locations").fetchone()[0]
        warehouse_id, zone_id = conn.execute(
            "SELECT z.warehouse_id, z.id FROM zones z WHERE z.kind = 'storage' ORDER BY z.id LIMIT 1").fetchone()
        sequence = conn.execute("SELECT coalesce(max(pick_sequence), 0) FROM locations").fetchone()[0]
        rows, n = [], 0
        now = datetime.now(timezone.utc)
        while have + len(rows) < wanted:
            aisle, rest = divmod(n, 400)
            bay, rest = divmod(rest, 10)
            level, bin_ = divmod(rest, 2)
            code = f"A{aisle + 11:02d}-{bay + 1:02d}-{level + 1}-{bin_ + 1}"
            sequence += 1
            rows.append((warehouse_id, zone_id, code, f"{aisle + 11:02d}", f"{bay + 1:02d}", str(level + 1),
                         str(bin_ + 1), 200, "150.000", sequence, True, now, now))
            n += 1
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO locations (warehouse_id, zone_id, code, aisle, bay, level, bin, capacity, max_weight_kg, "
                "pick_sequence, active, created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                "%s, %s)", rows)
        conn.commit()
        conn.execute("ANALYZE")          # statistics, as autovacuum would keep them in production
        conn.commit()
        return conn.execute("SELECT count(*) FROM locations").fetchone()[0]


def prepare_receiving(host: str, port: int, staff: Login, clients: int) -> list[dict]:
    """One forecast per client, submitted, through the gate and opened: [{asn_id, product_id}]."""
    seller = Api(host, port)
    token = seller.json("POST", "/api/v1/auth/token", {"username": SELLER[0], "password": SELLER[1],
                                                        "label": "bench"})["token"]
    seller = Api(host, port, token)
    warehouse = Api(host, port, staff.token)
    try:
        products = [p for p in seller.json("GET", "/api/v1/products?filing_status=approved&per_page=200")["items"]]
        plans = []
        for i in range(clients):
            product = products[i % len(products)]
            asn = seller.json("POST", "/api/v1/asns", {"reference": f"BENCH-{i}", "lines": [
                {"product_id": product["id"], "expected_qty": ASN_QTY, "cartons": 1}]})
            seller.json("POST", f"/api/v1/asns/{asn['id']}/submit", {})
            warehouse.json("POST", "/api/v1/gate-passes", {"vehicle_no": f"粤B·B{i:04d}",
                                                          "asns": [{"asn": asn["number"]}]})
            warehouse.json("POST", "/api/v1/receiving/open", {"scan": asn["number"]})
            # the first receipt measures a first arrival and takes the temp-storage location
            warehouse.json("POST", "/api/v1/receiving/receipts", {
                "asn_id": asn["id"], "product_id": product["id"], "qty": 1, "weight_kg": "0.2", "length_cm": "10",
                "width_cm": "10", "height_cm": "5"})
            plans.append({"asn_id": asn["id"], "product_id": product["id"], "number": asn["number"]})
        return plans
    finally:
        seller.close()
        warehouse.close()


class ReceiveClient:
    """One PDA receiving one unit per scan onto a new LPN."""

    def __init__(self, host: str, port: int, login: Login, plan: dict, timeout: float = 30):
        self.api, self.plan = Api(host, port, login.token, timeout), plan

    def step(self):
        status, data, response = self.api.request(
            "POST", "/api/v1/receiving/receipts", {"asn_id": self.plan["asn_id"], "product_id": self.plan["product_id"],
                                                   "qty": 1}, {"Idempotency-Key": str(uuid.uuid4())})
        return status == 200, str(status), data

    def recover(self):
        self.api.reconnect()

    def close(self):
        self.api.close()


def receive_clients(host, port, logins, plans):
    return [ReceiveClient(host, port, logins[i % len(logins)], plan) for i, plan in enumerate(plans)]


class ReceiveTransactions:
    """The statements of one receiving scan, straight over psycopg (see the module docstring)."""

    def __init__(self, url: str, login: Login, plan: dict, answer: str):
        self.url, self.user_id, self.plan, self.answer = url, login.user_id, plan, answer
        self.conn = psycopg.connect(url)
        cur = self.conn.cursor()
        self.line_id, self.seller_id = cur.execute(
            "SELECT l.id, a.seller_id FROM asn_lines l JOIN asns a ON a.id = l.asn_id WHERE l.asn_id = %s",
            (plan["asn_id"],)).fetchone()
        self.location_id = cur.execute("SELECT location_id FROM receipts WHERE asn_id = %s ORDER BY id DESC LIMIT 1",
                                       (plan["asn_id"],)).fetchone()[0]
        self.conn.commit()

    def step(self):
        now, key = datetime.now(timezone.utc), str(uuid.uuid4())
        cur = self.conn.cursor()
        cur.execute("SELECT id FROM idempotency_records WHERE user_id = %s AND key = %s", (self.user_id, key))
        cur.fetchone()
        counted = cur.execute("UPDATE asn_lines SET received_qty = received_qty + 1, damaged_qty = damaged_qty "
                              "WHERE id = %s AND received_qty + 1 <= expected_qty RETURNING id",
                              (self.line_id,)).fetchone()
        if counted is None:
            self.conn.rollback()
            return False, "rollback:over_receipt", None
        serial = cur.execute("UPDATE number_series SET next_value = next_value + 1 WHERE name = 'lpn' "
                             "RETURNING next_value").fetchone()[0]
        lpn = f"LPN{serial:08d}"
        balance_id = cur.execute(
            "INSERT INTO stock_balances (product_id, seller_id, location_id, lpn, lot, status, qty, reserved_qty, "
            "updated_at) VALUES (%s, %s, %s, %s, '', 'temp_stored', 1, 0, %s) ON CONFLICT (product_id, location_id, "
            "lpn, lot, status) DO UPDATE SET qty = stock_balances.qty + 1, updated_at = %s RETURNING id",
            (self.plan["product_id"], self.seller_id, self.location_id, lpn, now, now)).fetchone()[0]
        movement_id = cur.execute("INSERT INTO movements (kind, doc_type, doc_ref, reason, user_id, created_at) "
                                  "VALUES ('receive', 'asn', %s, 'good', %s, %s) RETURNING id",
                                  (self.plan["number"], self.user_id, now)).fetchone()[0]
        cur.execute("INSERT INTO movement_lines (movement_id, balance_id, product_id, seller_id, location_id, lpn, lot, "
                    "status, qty) VALUES (%s, %s, %s, %s, %s, %s, '', 'temp_stored', 1)",
                    (movement_id, balance_id, self.plan["product_id"], self.seller_id, self.location_id, lpn))
        cur.execute("INSERT INTO receipts (asn_id, asn_line_id, product_id, seller_id, qty, condition, reason, "
                    "first_arrival, lpn, lot, location_id, movement_id, user_id, created_at) VALUES "
                    "(%s, %s, %s, %s, 1, 'good', '', false, %s, '', %s, %s, %s, %s)",
                    (self.plan["asn_id"], self.line_id, self.plan["product_id"], self.seller_id, lpn,
                     self.location_id, movement_id, self.user_id, now))
        fingerprint = hashlib.sha256(f"POST /api/v1/receiving/receipts\n{key}".encode()).hexdigest()
        cur.execute("INSERT INTO idempotency_records (user_id, key, fingerprint, status_code, content_type, body, "
                    "created_at) VALUES (%s, %s, %s, 200, 'application/json', %s, %s)",
                    (self.user_id, key, fingerprint, self.answer, now))
        self.conn.commit()
        return True, "commit", None

    def recover(self):
        try:
            self.conn.rollback()
        except psycopg.Error:
            self.conn.close()
            self.conn = psycopg.connect(self.url)

    def close(self):
        self.conn.close()


def receive_ceiling(url, logins, plans, answer: bytes | str | None):
    text = answer.decode() if isinstance(answer, bytes) else (answer or "{" + '"x":"' + "r" * 900 + '"}')
    return [ReceiveTransactions(url, logins[i % len(logins)], plan, text) for i, plan in enumerate(plans)]


def suggestion_products(host: str, port: int, login: Login) -> list[dict]:
    api = Api(host, port, login.token)
    try:
        return api.json("GET", "/api/v1/products?filing_status=approved&per_page=200")["items"]
    finally:
        api.close()


class SuggestClient:
    """A putaway screen asking where units of each product should go, products in turn."""

    def __init__(self, host, port, login: Login, products: list[dict], start: int):
        self.api, self.products, self.i = Api(host, port, login.token), products, start

    def step(self):
        product = self.products[self.i % len(self.products)]
        self.i += 1
        status, data, _ = self.api.request("POST", "/api/v1/putaway/suggestions",
                                           {"product_id": product["id"], "qty": 12})
        found = status == 200 and json.loads(data).get("location")
        return status == 200, str(status) if found else f"{status} none", data

    def recover(self):
        self.api.reconnect()

    def close(self):
        self.api.close()


def suggest_clients(host, port, logins, products, clients: int):
    return [SuggestClient(host, port, logins[i % len(logins)], products, i * 7) for i in range(clients)]


def chain_statements(url: str, products: list[dict]) -> list[list[str]]:
    """Per product, the SQL texts of its strategy chain (as the app compiles them, literal values bound)."""
    from sqlalchemy.dialects import postgresql

    from wms import create_app
    from wms.extensions import db
    from wms.inbound import putaway
    from wms.masterdata.models import Product
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        warehouse_id = db.session.execute(db.text("SELECT id FROM warehouses ORDER BY id LIMIT 1")).scalar()
        rules = putaway.chain(warehouse_id)
        texts = []
        for row in products:
            product = db.session.get(Product, row["id"])
            texts.append([str(putaway.find_query(rule, product, 12, warehouse_id).compile(
                dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
                for rule in rules if putaway.accepts(rule, product)])
        db.session.remove()
        db.engine.dispose()
    return texts


class SuggestTransactions:
    """The chain's statements over psycopg: each in turn until one finds a location."""

    def __init__(self, url: str, statements: list[list[str]], start: int):
        self.url, self.statements, self.i = url, statements, start
        self.conn = psycopg.connect(url, autocommit=True)

    def step(self):
        chain = self.statements[self.i % len(self.statements)]
        self.i += 1
        for sql in chain:
            if self.conn.execute(sql).fetchone() is not None:
                return True, "found", None
        return True, "none", None

    def recover(self):
        self.conn.close()
        self.conn = psycopg.connect(self.url, autocommit=True)

    def close(self):
        self.conn.close()


def suggest_ceiling(url: str, statements: list[list[str]], clients: int):
    return [SuggestTransactions(url, statements, i * 7) for i in range(clients)]
