"""How the simulated users reach the WMS: a transport (in-process or HTTP), the API client with each user's
token, Idempotency-Key and replays, the request statistics, and the customs receipts the day waits for."""
from __future__ import annotations

import contextvars
import http.client
import json
import math
import random
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlencode, urlsplit

API = "/api/v1"
SUCCESS = (200, 201)


# --- transports ---------------------------------------------------------------------------------------------

class InProcess:
    """The app through Flask's test client: the same routing, auth, JSON and idempotency, without a server.

    Each request runs in an empty ``contextvars`` context, so it pushes its own app context and gets its own
    database session, torn down after the request — as under gunicorn — not the caller's.
    """
    name = "in-process"

    def __init__(self, app):
        self.client = app.test_client()

    def send(self, method: str, path: str, body: bytes | None, headers: dict) -> tuple[int, str, dict, bytes]:
        response = contextvars.Context().run(self.client.open, path, method=method, data=body,
                                             headers=headers)
        return response.status_code, response.content_type or "", dict(response.headers), response.get_data()

    def close(self) -> None:
        pass


class OverHttp:
    """A real server at ``url``, over one keep-alive connection (http.client: no extra dependency)."""
    name = "http"

    def __init__(self, url: str, timeout: float = 120):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"Not an http(s) URL: {url}")
        self.https, self.host = parts.scheme == "https", parts.hostname
        self.port, self.prefix = parts.port or (443 if self.https else 80), parts.path.rstrip("/")
        self.timeout, self.connection = timeout, None

    def send(self, method: str, path: str, body: bytes | None, headers: dict) -> tuple[int, str, dict, bytes]:
        for attempt in (1, 2):
            if self.connection is None:
                kind = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
                self.connection = kind(self.host, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, self.prefix + path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                if (response.getheader("Connection") or "").lower() == "close":
                    self.close()
                content_type = response.getheader("Content-Type") or ""
                return response.status, content_type, dict(response.getheaders()), data
            except (http.client.HTTPException, OSError):
                # a keep-alive connection the server closed meanwhile: once more on a new one, with the same
                # Idempotency-Key, as the PDA's queue does — a scan that did arrive is answered from storage
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


# --- requests as the users make them ------------------------------------------------------------------------

class Refused(Exception):
    """An answer the script did not expect (recorded in the stats; the step it belongs to is given up)."""

    def __init__(self, method: str, path: str, status: int, body):
        self.method, self.path, self.status, self.body = method, path, status, body
        if isinstance(body, dict):
            code, detail = body.get("code") or "", body.get("message") or body.get("detail") or ""
        else:
            code, detail = "", str(body)[:200]
        super().__init__(f"{method} {path} → {status} {code} {detail}".strip())


@dataclass
class Reply:
    status: int
    data: object
    headers: dict
    key: str | None = None


@dataclass
class Stats:
    """Every request: status and latency, per route; the 5xx answers and the unexpected ones, with bodies."""
    phase: str = "setup"
    by_status: Counter = field(default_factory=Counter)
    latencies: list = field(default_factory=list)
    by_route: dict = field(default_factory=lambda: defaultdict(list))    # "POST /orders/{id}/cancel" → s
    server_errors: list = field(default_factory=list)
    unexpected: list = field(default_factory=list)
    expected_refusals: Counter = field(default_factory=Counter)
    replays: int = 0
    replay_mismatches: list = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.by_status.values())

    def routes(self) -> list[dict]:
        """Requests per route, most time first: count, total seconds, mean, p95 and max in ms."""
        rows = [{"route": route, "count": len(seconds), "seconds": round(sum(seconds), 3),
                 "mean_ms": round(sum(seconds) / len(seconds) * 1000, 2),
                 "p95_ms": round(percentile(seconds, 95) * 1000, 2), "max_ms": round(max(seconds) * 1000, 2)}
                for route, seconds in self.by_route.items()]
        return sorted(rows, key=lambda r: -r["seconds"])


class Api:
    """JSON requests with each user's bearer token; mutating ones carry a fresh Idempotency-Key and the
    device, as the PDA's queue sends them."""

    def __init__(self, transport, stats: Stats, rng: random.Random, replay_rate: float):
        self.transport, self.stats, self.rng, self.replay_rate = transport, stats, rng, replay_rate
        self.tokens: dict[str, str] = {}

    def login(self, username: str, password: str) -> dict:
        reply = self._send("POST", "/auth/token", None, {"username": username, "password": password,
                                                        "label": f"simulate {username}"}, key=None)
        if reply.status != 201:
            raise Refused("POST", "/auth/token", reply.status, reply.data)
        self.tokens[username] = reply.data["token"]
        return reply.data["user"]

    def _send(self, method: str, path: str, user: str | None, body=None, *, params: dict | None = None,
              key: str | None = "new") -> Reply:
        url = API + path + ("?" + urlencode(params) if params else "")
        headers = {"Accept": "application/json, application/problem+json", "Accept-Language": "en"}
        if user is not None:
            headers |= {"Authorization": f"Bearer {self.tokens[user]}", "X-Device": f"SIM-{user.upper()}"}
        raw = None
        if body is not None:
            raw = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        if method != "GET" and key:
            key = str(uuid.uuid4()) if key == "new" else key
            headers["Idempotency-Key"] = key
        started = time.perf_counter()
        try:
            status, content_type, answer_headers, data = self.transport.send(method, url, raw, headers)
        except (OSError, http.client.HTTPException):
            raise                          # the server is gone: nothing more to simulate
        except Exception as exc:           # in-process with TESTING the app raises where a server answers 500
            status, content_type, answer_headers = 500, "text/plain", {}
            data = f"{type(exc).__name__}: {exc}".encode()
        elapsed = time.perf_counter() - started
        stats = self.stats
        stats.latencies.append(elapsed)
        stats.by_route[f"{method} {path_shape(path)}"].append(elapsed)
        stats.by_status[status] += 1
        parsed = _parse(content_type, data)
        if status >= 500:
            stats.server_errors.append({"phase": stats.phase, "method": method, "path": path,
                                        "status": status,
                                        "body": parsed if isinstance(parsed, dict) else str(parsed)[:500]})
        return Reply(status, parsed, answer_headers, headers.get("Idempotency-Key"))

    def request(self, method: str, user: str, path: str, body=None, *, params: dict | None = None,
                ok=SUCCESS, allow=(), replay: bool = False) -> Reply:
        """A request whose status must be in ``ok`` (or is an expected refusal in ``allow``); else Refused.

        ``replay``: a scan the PDA may send twice; now and then it is, with the same key, and the second
        answer must be the first one again.
        """
        reply = self._send(method, path, user, body, params=params)
        if reply.status in ok:
            if replay and self.rng.random() < self.replay_rate:
                self._replay(method, path, user, body, reply)
            return reply
        if reply.status in allow:
            self.stats.expected_refusals[(path_shape(path), reply.status)] += 1
            return reply
        self.stats.unexpected.append({"phase": self.stats.phase, "method": method, "path": path,
                                      "status": reply.status, "body": reply.data})
        raise Refused(method, path, reply.status, reply.data)

    def _replay(self, method: str, path: str, user: str, body, first: Reply) -> None:
        again = self._send(method, path, user, body, key=first.key)
        self.stats.replays += 1
        replayed = (again.headers.get("Idempotent-Replayed") or "").lower() == "true"
        if again.status != first.status or again.data != first.data or not replayed:
            self.stats.replay_mismatches.append({"path": path, "first": first.status, "again": again.status,
                                                 "marked_replayed": replayed})

    def get(self, user: str, path: str, **params):
        return self.request("GET", user, path, params=params or None).data

    def post(self, user: str, path: str, body=None, *, replay: bool = False, **kw):
        return self.request("POST", user, path, {} if body is None else body, replay=replay, **kw).data

    def every(self, user: str, path: str, **params) -> list[dict]:
        """All rows of a list route, page by page."""
        rows, page = [], 1
        while True:
            data = self.get(user, path, per_page=500, page=page, **params)
            rows += data["items"]
            if page >= data["pages"]:
                return rows
            page += 1


def _parse(content_type: str, data: bytes):
    if data and "json" in content_type:
        try:
            return json.loads(data)
        except ValueError:
            pass
    return data.decode(errors="replace") if data else None


def path_shape(path: str) -> str:
    """/orders/123/cancel → /orders/{id}/cancel (requests counted per route)."""
    return "/".join("{id}" if part.isdigit() else part for part in path.split("/"))


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


# --- customs receipts ---------------------------------------------------------------------------------------

class CustomsTimeout(Exception):
    pass


class Customs:
    """Where customs' answers come from while the day waits for them.

    With ``drive`` (in-process, or ``--customs-worker``) the simulation runs the customs worker's rounds —
    send what is queued, process the receipts that are due — with the configured gateway, as
    ``flask wms customs-worker`` does; otherwise it only waits for the server's own worker.
    """

    def __init__(self, app, drive: bool, timeout: float, poll: float):
        self.app, self.drive, self.timeout, self.poll = app, drive, timeout, poll
        self.rounds = self.sent = self.receipts = 0
        self.failures: list[str] = []
        self.seconds = 0.0

    def _round(self) -> dict[str, int]:
        from wms.customs.service import run_once
        from wms.extensions import db
        with self.app.app_context():
            try:
                return run_once()
            except Exception as exc:  # a failed round is a finding of the run; the next round goes on
                db.session.rollback()
                self.failures.append(f"{type(exc).__name__}: {exc}"[:300])
                return {"sent": 0, "receipts": 0}
            finally:
                db.session.remove()

    def pump(self) -> int:
        """Worker rounds until one has nothing to send and no receipt due; the receipts processed."""
        if not self.drive:
            return 0
        processed = 0
        while True:
            done = contextvars.Context().run(self._round)       # its own app context and session
            self.rounds += 1
            self.sent += done["sent"]
            self.receipts += done["receipts"]
            processed += done["receipts"]
            if not done["sent"] and not done["receipts"]:
                return processed

    def wait(self, what: str, done: Callable[[], bool]) -> None:
        """Pump and poll until ``done()`` (a look through the API) holds, or time out naming ``what``."""
        started = time.monotonic()
        try:
            while True:
                self.pump()
                if done():
                    return
                if time.monotonic() - started > self.timeout:
                    hint = "" if self.drive else " (is the server's customs worker running?)"
                    raise CustomsTimeout(f"no customs answer for {what} within {self.timeout:.0f} s{hint}")
                time.sleep(self.poll)
        finally:
            self.seconds += time.monotonic() - started
