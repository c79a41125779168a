"""Pick scans through the HTTP API, next to the database's own rate for the same statements.

The waves come from the allocation + wave planning run (10,000 orders): they are released, then each client
is a picker walking waves task after task as the PDA does — ``POST /picking/start`` with a wave number, then
per task the location scan, the item scan (LPN) and the quantity (with the cart slot in multi-item waves).
Every request is one scan with a fresh ``Idempotency-Key``; a client that finishes a wave takes the next one.

Ceiling, over psycopg with the same number of connections, walking other waves' tasks: the location and item
scans (idempotency look-up, the task locked with its location and product, the stored answer), and the pick
(idempotency look-up, task and allocation locked, reservation given back, the stock move from the storage
balance to the cart slot's LPN at the staging location — movement and two lines — task and allocation
counted, the order's open tasks counted, the stored answer), each its own transaction.
"""
from __future__ import annotations

import hashlib
import json
import threading
import uuid
from datetime import datetime, timezone

import psycopg

from bench.ceiling import CREATE_BALANCE, FIND_KEY, INSERT_KEY, INSERT_LINE, INSERT_MOVEMENT, UPDATE_BALANCE
from bench.moves import Api, Login


def release_waves(url: str) -> list[tuple[str, str]]:
    """Release every planned wave (as a supervisor would); returns [(number, kind)] in planning order."""
    import sqlalchemy as sa

    from wms import create_app
    from wms.extensions import db
    from wms.outbound import waves
    from wms.outbound.models import Wave
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        planned = db.session.scalars(sa.select(Wave).where(Wave.status == "planned").order_by(Wave.id)).all()
        for wave in planned:
            waves.release(wave)
        db.session.commit()
        released = [(w.number, w.kind) for w in planned]
        db.session.remove()
        db.engine.dispose()
    return released


class WaveQueue:
    """Waves handed out one at a time to whichever picker is free, from the front (HTTP) or back (ceiling)."""

    def __init__(self, waves: list[tuple[str, str]]):
        self.waves, self.lock = list(waves), threading.Lock()

    def front(self) -> tuple[str, str] | None:
        with self.lock:
            return self.waves.pop(0) if self.waves else None

    def back(self) -> tuple[str, str] | None:
        with self.lock:
            return self.waves.pop() if self.waves else None


class PickClient:
    """One picker's PDA: start a wave, then location → item → quantity (→ slot) for each task."""

    def __init__(self, host: str, port: int, login: Login, queue: WaveQueue):
        self.api, self.queue = Api(host, port, login.token), queue
        self.task: dict | None = None
        self.step_name = "start"

    def _post(self, path: str, body: dict):
        status, data, _ = self.api.request("POST", path, body, {"Idempotency-Key": str(uuid.uuid4())})
        return status, data, (json.loads(data) if status == 200 else None)

    def step(self):
        if self.task is None:
            wave = self.queue.front()
            if wave is None:
                return False, "no wave left", None
            status, data, body = self._post("/api/v1/picking/start", {"scan": wave[0]})
        elif self.step_name == "location":
            status, data, body = self._post(f"/api/v1/pick-tasks/{self.task['id']}/location",
                                            {"scan": self.task["location"]})
        elif self.step_name == "item":
            status, data, body = self._post(f"/api/v1/pick-tasks/{self.task['id']}/item",
                                            {"scan": self.task["lpn"] or self.task["sku"]})
        else:
            pick = {"qty": self.task["qty"]} | ({"slot": self.task["slot_code"]} if self.task["slot_code"] else {})
            status, data, body = self._post(f"/api/v1/pick-tasks/{self.task['id']}/pick", pick)
        if body is None:
            self.task = None                      # start over on a fresh wave rather than loop on an error
            return False, str(status), data
        self.step_name = body["step"]
        self.task = body.get("task") if body["step"] != "done" else None
        return True, str(status), data

    def recover(self):
        self.api.reconnect()
        self.task = None

    def close(self):
        self.api.close()


def clients(host, port, logins: list[Login], queue: WaveQueue, count: int) -> list[PickClient]:
    return [PickClient(host, port, logins[i % len(logins)], queue) for i in range(count)]


TASKS = ("SELECT t.id, t.allocation_id, t.order_id, t.product_id, t.location_id, t.lpn, t.lot, t.qty, t.picked_qty, "
         "t.cart, t.slot, p.seller_id FROM pick_tasks t JOIN waves w ON w.id = t.wave_id "
         "JOIN products p ON p.id = t.product_id WHERE w.number = %s AND t.status = 'open' ORDER BY t.sequence")
LOCK_TASK = ("SELECT t.id, t.status, t.qty, t.picked_qty, l.code, p.sku FROM pick_tasks t "
             "JOIN locations l ON l.id = t.location_id JOIN products p ON p.id = t.product_id "
             "WHERE t.id = %s FOR UPDATE OF t")
LOCK_ALLOCATION = "SELECT id, balance_id, qty, picked_qty FROM allocations WHERE id = %s FOR UPDATE"
GIVE_BACK = "UPDATE stock_balances SET reserved_qty = reserved_qty - %s WHERE id = %s AND reserved_qty >= %s"
LOCK_KEYED = ("SELECT id, seller_id, qty, reserved_qty FROM stock_balances WHERE product_id = %s AND location_id = %s "
              "AND status = 'available' AND lpn = %s AND lot = %s FOR UPDATE")
COUNT_PICK = "UPDATE pick_tasks SET picked_qty = picked_qty + %s, status = %s, done_at = %s, user_id = %s WHERE id = %s"
COUNT_ALLOCATION = "UPDATE allocations SET picked_qty = picked_qty + %s, status = %s WHERE id = %s"
OPEN_FOR_ORDER = "SELECT count(*) FROM pick_tasks WHERE order_id = %s AND status = 'open'"


class PickTransactions:
    """One connection walking waves' tasks with the pick statements (see the module docstring)."""

    def __init__(self, url: str, login: Login, queue: WaveQueue, staging: int, answer: str):
        self.url, self.user_id, self.queue, self.staging, self.answer = url, login.user_id, queue, staging, answer
        self.conn = psycopg.connect(url)
        self.tasks: list[tuple] = []
        self.wave = ""
        self.phase = 0

    def _key(self, cur, path: str) -> tuple[str, str]:
        key = str(uuid.uuid4())
        cur.execute(FIND_KEY, (self.user_id, key))
        cur.fetchone()
        return key, hashlib.sha256(f"POST {path}\n{key}".encode()).hexdigest()

    def _store(self, cur, key: str, fingerprint: str, now: datetime) -> None:
        cur.execute(INSERT_KEY, (self.user_id, key, fingerprint, 200, "application/json", self.answer, now))
        cur.fetchone()

    def step(self):
        if not self.tasks:
            wave = self.queue.back()
            if wave is None:
                return False, "no wave left", None
            self.wave = wave[0]
            self.tasks = self.conn.execute(TASKS, (self.wave,)).fetchall()
            self.conn.commit()
            self.phase = 0
            if not self.tasks:
                return self.step()
        task, now = self.tasks[0], datetime.now(timezone.utc)
        cur = self.conn.cursor()
        path = f"/api/v1/pick-tasks/{task[0]}/" + ("location", "item", "pick")[self.phase]
        key, fingerprint = self._key(cur, path)
        cur.execute(LOCK_TASK, (task[0],)).fetchone()
        if self.phase < 2:                                 # location or item scan: checked against the task
            self._store(cur, key, fingerprint, now)
            self.conn.commit()
            self.phase += 1
            return True, "commit", None
        (task_id, allocation_id, order_id, product_id, location_id, lpn, lot, qty, picked, cart, slot,
         seller_id) = task
        left = qty - picked
        allocation = cur.execute(LOCK_ALLOCATION, (allocation_id,)).fetchone()
        cur.execute(GIVE_BACK, (left, allocation[1], left))
        to_lpn = f"{self.wave}-C{cart}-{slot:02d}" if cart else f"{self.wave}-B"
        movement_id = cur.execute(INSERT_MOVEMENT, ("move", "wave", self.wave, "pick", self.user_id, now)).fetchone()[0]
        for where, delta in sorted([((product_id, location_id, lpn, lot), -left),
                                    ((product_id, self.staging, to_lpn, lot), left)], key=lambda c: c[0][1]):
            balance = cur.execute(LOCK_KEYED, where).fetchone()
            if balance is None:
                cur.execute(CREATE_BALANCE, (product_id, seller_id, where[1], where[2], lot, "available", now))
                balance = cur.execute(LOCK_KEYED, where).fetchone()
            cur.execute(UPDATE_BALANCE, (balance[2] + delta, now, balance[0]))
            cur.execute(INSERT_LINE, (movement_id, balance[0], product_id, seller_id, where[1], where[2], lot,
                                      "available", delta)).fetchone()
        cur.execute(COUNT_PICK, (left, "done", now, self.user_id, task_id))
        cur.execute(COUNT_ALLOCATION, (left, "picked", allocation_id))
        cur.execute(OPEN_FOR_ORDER, (order_id,)).fetchone()
        self._store(cur, key, fingerprint, now)
        self.conn.commit()
        self.tasks.pop(0)
        self.phase = 0
        return True, "commit", None

    def recover(self):
        try:
            self.conn.rollback()
        except psycopg.Error:
            self.conn.close()
            self.conn = psycopg.connect(self.url)
        self.tasks, self.phase = [], 0

    def close(self):
        self.conn.close()


def staging_location(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT l.id FROM locations l JOIN zones z ON z.id = l.zone_id WHERE z.kind = 'packing' "
                            "AND l.active ORDER BY l.pick_sequence LIMIT 1").fetchone()[0]


def ceiling(url: str, logins: list[Login], queue: WaveQueue, count: int, answer: bytes | str | None):
    text = answer.decode() if isinstance(answer, bytes) else (answer or "{" + '"x":"' + "p" * 600 + '"}')
    staging = staging_location(url)
    return [PickTransactions(url, logins[i % len(logins)], queue, staging, text) for i in range(count)]


def check(url: str) -> dict:
    """Picked units are where the picks put them: the benchmark waves' picked units == the units on their cart
    slot and batch LPNs at the staging location."""
    waves = ("SELECT DISTINCT t.wave_id FROM pick_tasks t JOIN orders o ON o.id = t.order_id "
             "WHERE o.platform = 'BENCH'")
    with psycopg.connect(url) as conn:
        picked = conn.execute(f"SELECT coalesce(sum(picked_qty), 0) FROM pick_tasks WHERE wave_id IN ({waves})"
                              ).fetchone()[0]
        staged = conn.execute(
            "SELECT coalesce(sum(b.qty), 0) FROM stock_balances b JOIN locations l ON l.id = b.location_id "
            "JOIN zones z ON z.id = l.zone_id JOIN waves w ON b.lpn LIKE w.number || '-%%' "
            f"WHERE z.kind = 'packing' AND w.id IN ({waves})").fetchone()[0]
    return {"name": "picked units == units staged on cart and batch LPNs", "passed": picked == staged and picked > 0,
            "detail": f"{picked} units picked, {staged} staged"}
