"""Move scans through the HTTP API: sign-in, the stock "lanes" clients move along, and the clients.

A lane is one stock row (product × LPN, status available) and two storage locations; a client moves one
unit from A to B, then back, and so on. Each client has its own lane (no two fight for a row) unless the
variant is *contended*, where every client shares the lane of the fullest stock row. Every scan is
``POST /api/v1/moves`` with a fresh ``Idempotency-Key``, over one keep-alive connection per client.
"""
from __future__ import annotations

import http.client
import json
import uuid
from dataclasses import dataclass

# Demo sign-ins (fixtures/users.yaml) allowed to move stock; clients take them in turn.
USERS = (("op01", "op01-demo"), ("op02", "op02-demo"), ("supervisor", "super-demo"), ("admin", "admin-demo"))


@dataclass(frozen=True)
class Login:
    username: str
    user_id: int
    token: str


@dataclass(frozen=True)
class Lane:
    """One unit's round trip: ``product`` on ``lpn`` between location A and location B."""
    product_id: int
    seller_id: int
    lpn: str
    lot: str
    status: str
    a_code: str
    a_id: int
    b_code: str
    b_id: int
    qty: int                   # units at A when planned


class Api:
    """A tiny JSON client over one keep-alive ``http.client`` connection."""

    def __init__(self, host: str, port: int, token: str | None = None, timeout: float = 30):
        self.host, self.port, self.timeout = host, port, timeout
        self.headers = {"Content-Type": "application/json", "Accept-Language": "en"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)

    def request(self, method: str, path: str, body: dict | None = None,
                headers: dict | None = None) -> tuple[int, bytes, http.client.HTTPResponse]:
        payload = None if body is None else json.dumps(body).encode()
        self.conn.request(method, path, payload, {**self.headers, **(headers or {})})
        response = self.conn.getresponse()
        data = response.read()
        if response.will_close:
            self.reconnect()
        return response.status, data, response

    def json(self, method: str, path: str, body: dict | None = None) -> dict:
        status, data, _ = self.request(method, path, body)
        if not 200 <= status < 300:
            raise RuntimeError(f"{method} {path} answered {status}: {data[:500]!r}")
        return json.loads(data)

    def reconnect(self) -> None:
        self.conn.close()
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def close(self) -> None:
        self.conn.close()


def sign_in(host: str, port: int) -> list[Login]:
    """One bearer token per demo user that may move stock."""
    api = Api(host, port)
    try:
        logins = []
        for username, password in USERS:
            answer = api.json("POST", "/api/v1/auth/token",
                              {"username": username, "password": password, "label": "bench"})
            logins.append(Login(username, answer["user"]["id"], answer["token"]))
        return logins
    finally:
        api.close()


def available_stock(host: str, port: int, login: Login) -> list[dict]:
    """Stock rows with status available and at least 2 free units, oldest first."""
    api = Api(host, port, login.token)
    try:
        rows = api.json("GET", "/api/v1/stock?status=available&per_page=500")["items"]
    finally:
        api.close()
    return [r for r in sorted(rows, key=lambda r: r["id"]) if r["qty"] - r["reserved_qty"] >= 2]


def plan(rows: list[dict], clients: int) -> tuple[list[Lane], Lane]:
    """Lanes for the uncontended run (one per client, rows reused only past their number) and the one
    lane every client shares in the contended run (the fullest row no uncontended client uses, if any).
    Location B of a lane is the location of another stock row, so both ends are storage locations."""
    if len(rows) < 2:
        raise RuntimeError(f"need at least 2 available stock rows with qty >= 2, found {len(rows)}")

    def lane(i: int) -> Lane:
        row, other = rows[i % len(rows)], rows[(i + len(rows) // 2) % len(rows)]
        if other["location_id"] == row["location_id"]:
            other = rows[(i + 1) % len(rows)]
        return Lane(row["product_id"], row["seller_id"], row["lpn"], row["lot"], row["status"],
                    row["location_code"], row["location_id"], other["location_code"], other["location_id"],
                    row["qty"] - row["reserved_qty"])

    lanes = [lane(i) for i in range(clients)]
    spare = list(range(clients, len(rows))) or list(range(len(rows)))
    fullest = max(spare, key=lambda i: rows[i]["qty"] - rows[i]["reserved_qty"])
    return lanes, lane(fullest)


class MoveClient:
    """One PDA: moves its lane's unit A→B, B→A, … one scan per ``step()``."""

    def __init__(self, host: str, port: int, login: Login, lane: Lane, timeout: float = 30):
        self.api = Api(host, port, login.token, timeout)
        self.lane = lane
        self.forward = True

    def step(self) -> tuple[bool, str, bytes]:
        lane = self.lane
        source, target = (lane.a_code, lane.b_code) if self.forward else (lane.b_code, lane.a_code)
        body = {"product_id": lane.product_id, "from_location": source, "to_location": target, "qty": 1,
                "lpn": lane.lpn}
        status, data, response = self.api.request("POST", "/api/v1/moves", body,
                                                  {"Idempotency-Key": str(uuid.uuid4())})
        # Success moves the unit; "insufficient stock" means it is already at the other end.
        if status == 201 or (status == 409 and b"insufficient_stock" in data):
            self.forward = not self.forward
        outcome = str(status)
        if response.getheader("Idempotent-Replayed"):
            outcome += " replayed"
        return 200 <= status < 300, outcome, data

    def recover(self) -> None:
        self.api.reconnect()

    def close(self) -> None:
        self.api.close()


def clients(host: str, port: int, logins: list[Login], lanes: list[Lane]) -> list[MoveClient]:
    return [MoveClient(host, port, logins[i % len(logins)], lane) for i, lane in enumerate(lanes)]
