"""Offline-queued scans refused on replay land in the supervisor's exception list, once, never dropped."""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from tests.api import helpers as h
from wms.scanning.models import ScanException


def _overdraw(client, login, balance, queued_at=None, key=None):
    headers = {**login("op01"), "Idempotency-Key": key or str(uuid.uuid4()), "X-Device": "PDA-07"}
    if queued_at:
        headers["X-Scan-Queued-At"] = queued_at
    return client.post("/api/v1/moves", headers=headers, json={
        "product_id": balance.product_id, "lpn": balance.lpn, "from_location": balance.location.code,
        "to_location": "A10-20-5-2", "qty": balance.qty + 5})


def _exceptions(dbs):
    return dbs.scalars(sa.select(ScanException).order_by(ScanException.id)).all()


def test_refused_offline_scan_is_kept_once_for_a_supervisor(client, login, dbs):
    balance = h.stock()
    key = str(uuid.uuid4())
    first = _overdraw(client, login, balance, queued_at="2026-11-24T03:15:00+00:00", key=key)
    again = _overdraw(client, login, balance, queued_at="2026-11-24T03:15:00+00:00", key=key)
    assert first.status_code == again.status_code == 409
    assert again.headers["Idempotent-Replayed"] == "true"
    [item] = _exceptions(dbs)
    assert (item.state, item.device, item.status_code, item.problem["code"]) == ("open", "PDA-07", 409,
                                                                                 "insufficient_stock")
    assert item.request_body["qty"] == balance.qty + 5 and item.scanned_at.hour == 3

    listed = client.get("/api/v1/scan-exceptions?state=open", headers=login("supervisor")).json
    assert [row["id"] for row in listed["items"]] == [item.id]
    closed = client.post(f"/api/v1/scan-exceptions/{item.id}/resolve", headers=login("supervisor"),
                         json={"note": "盘点后已补录"})
    assert closed.status_code == 200 and closed.json["state"] == "resolved"
    again = client.post(f"/api/v1/scan-exceptions/{item.id}/dismiss", headers=login("supervisor"), json={})
    assert h.problem(again, 409, "invalid_transition")["allowed_events"] == []


def test_live_refusals_are_answered_not_queued(client, login, dbs):
    assert _overdraw(client, login, h.stock()).status_code == 409
    assert _exceptions(dbs) == []


def test_operators_cannot_review_exceptions(client, login):
    assert client.get("/api/v1/scan-exceptions", headers=login("op01")).status_code == 403


def test_a_live_refusal_whose_answer_was_lost_reaches_supervisors_on_replay(client, login, dbs):
    balance = h.stock()
    key = str(uuid.uuid4())
    assert _overdraw(client, login, balance, key=key).status_code == 409          # answer lost on the way
    assert _exceptions(dbs) == []
    for _ in range(2):                                                            # replayed from the queue
        replay = _overdraw(client, login, balance, queued_at="2026-11-24T03:20:00+00:00", key=key)
        assert replay.status_code == 409 and replay.headers["Idempotent-Replayed"] == "true"
    [item] = _exceptions(dbs)
    assert item.idempotency_key == key and item.problem["code"] == "insufficient_stock"
