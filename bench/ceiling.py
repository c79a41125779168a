"""The database's own ceiling: the SQL a move scan performs, straight over psycopg, no HTTP or ORM.

Per scan, one transaction, in the order the app issues them (see wms/core/idempotency.py and
wms/inventory/ledger.py): look up the idempotency key; insert the movement; for each of the two balances
in key order — lock it (``SELECT … FOR UPDATE``), update its quantity, insert its movement line; insert
the idempotency record with the stored answer; commit. The columns are those of the real tables.
An empty source balance rolls back, as the app's 409 ``insufficient_stock`` does.
"""
from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timezone

import psycopg

from bench.moves import Lane, Login

FIND_KEY = ("SELECT id, user_id, key, fingerprint, status_code, content_type, body, created_at "
            "FROM idempotency_records WHERE user_id = %s AND key = %s")
INSERT_MOVEMENT = ("INSERT INTO movements (kind, doc_type, doc_ref, reason, user_id, created_at) "
                   "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id")
LOCK_BALANCE = ("SELECT id, product_id, seller_id, location_id, lpn, lot, expiry, status, qty, reserved_qty, "
                "updated_at FROM stock_balances WHERE product_id = %s AND location_id = %s AND status = %s "
                "AND lpn = %s AND lot = %s FOR UPDATE")
CREATE_BALANCE = ("INSERT INTO stock_balances (product_id, seller_id, location_id, lpn, lot, expiry, status, qty, "
                  "reserved_qty, updated_at) VALUES (%s, %s, %s, %s, %s, NULL, %s, 0, 0, %s) "
                  "ON CONFLICT (product_id, location_id, lpn, lot, status) DO NOTHING")
UPDATE_BALANCE = "UPDATE stock_balances SET qty = %s, updated_at = %s WHERE id = %s"
INSERT_LINE = ("INSERT INTO movement_lines (movement_id, balance_id, product_id, seller_id, location_id, lpn, "
               "lot, status, qty) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id")
INSERT_KEY = ("INSERT INTO idempotency_records (user_id, key, fingerprint, status_code, content_type, body, "
              "created_at) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id")

# Stored with each key when no real answer was captured: the size of a typical 201 move answer.
DEFAULT_ANSWER = "{" + '"x":"' + "m" * 700 + '"}'


class MoveTransactions:
    """One connection replaying move scans along ``lane``; same ``step()`` contract as the HTTP client."""

    def __init__(self, url: str, login: Login, lane: Lane, answer: str = DEFAULT_ANSWER):
        self.url, self.user_id, self.lane, self.answer = url, login.user_id, lane, answer
        self.conn = psycopg.connect(url)
        self.forward = True

    def step(self) -> tuple[bool, str, str | None]:
        lane, now = self.lane, datetime.now(timezone.utc)
        source, target = (lane.a_id, lane.b_id) if self.forward else (lane.b_id, lane.a_id)
        key = str(uuid.uuid4())
        fingerprint = hashlib.sha256(f"POST /api/v1/moves\n{key}".encode()).hexdigest()
        cur = self.conn.cursor()
        cur.execute(FIND_KEY, (self.user_id, key))
        cur.fetchone()
        movement_id = cur.execute(INSERT_MOVEMENT, ("move", "", "", "", self.user_id, now)).fetchone()[0]
        for location_id, qty in sorted([(source, -1), (target, 1)]):     # key order: same product, by location
            balance = self._lock(cur, location_id, create=qty > 0, now=now)
            if qty < 0 and (balance is None or balance[8] - balance[9] + qty < 0):
                self.conn.rollback()
                self.forward = not self.forward
                return False, "rollback:insufficient_stock", None
            cur.execute(UPDATE_BALANCE, (balance[8] + qty, now, balance[0]))
            cur.execute(INSERT_LINE, (movement_id, balance[0], lane.product_id, balance[2], location_id, lane.lpn,
                                      lane.lot, lane.status, qty)).fetchone()
        cur.execute(INSERT_KEY, (self.user_id, key, fingerprint, 201, "application/json", self.answer, now))
        cur.fetchone()
        self.conn.commit()
        self.forward = not self.forward
        return True, "commit", None

    def _lock(self, cur, location_id: int, *, create: bool, now: datetime):
        lane = self.lane
        where = (lane.product_id, location_id, lane.status, lane.lpn, lane.lot)
        balance = cur.execute(LOCK_BALANCE, where).fetchone()
        if balance is None and create:
            cur.execute(CREATE_BALANCE, (lane.product_id, lane.seller_id, location_id, lane.lpn, lane.lot,
                                         lane.status, now))
            balance = cur.execute(LOCK_BALANCE, where).fetchone()
        return balance

    def recover(self) -> None:
        try:
            self.conn.rollback()
        except psycopg.Error:
            self.conn.close()
            self.conn = psycopg.connect(self.url)

    def close(self) -> None:
        self.conn.close()


def workers(url: str, logins: list[Login], lanes: list[Lane], answer: str | None) -> list[MoveTransactions]:
    return [MoveTransactions(url, logins[i % len(logins)], lane, answer or DEFAULT_ANSWER)
            for i, lane in enumerate(lanes)]
