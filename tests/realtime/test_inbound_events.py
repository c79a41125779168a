"""The inbound board hears arrivals, receiving progress, holds and the putaway backlog — after commit."""
from __future__ import annotations

import sqlalchemy as sa

from tests.api import helpers as h
from wms.extensions import socketio
from wms.inbound.models import Asn, PutawayTask


def _board(app, client, login):
    token = login("supervisor")["Authorization"].split(" ", 1)[1]
    board = socketio.test_client(app, namespace="/boards", flask_test_client=client, auth={"token": token})
    assert board.emit("join", {"room": "inbound"}, namespace="/boards", callback=True)["ok"]
    board.get_received("/boards")
    return board


def _events(board) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for event in board.get_received("/boards"):
        found.setdefault(event["name"], []).append(event["args"][0])
    return found


def test_arrival_and_receiving_progress(app, client, login, dbs):
    board = _board(app, client, login)
    submitted = dbs.scalars(sa.select(Asn).where(Asn.status == "submitted", Asn.mode == "stock",
                                                 Asn.seller_id == h.seller_id("SZ-ANKE"))).first()
    gate = client.post("/api/v1/gate-passes", headers=login("op01"),
                       json={"vehicle_no": "粤B·66666", "asns": [{"asn": submitted.number}]})
    assert gate.status_code == 201
    arrived = _events(board)["asn.arrived"]
    assert [e["number"] for e in arrived] == [submitted.number]

    line = submitted.lines[0]
    received = client.post("/api/v1/receiving/receipts", headers=login("op01"),
                           json={"asn_id": submitted.id, "product_id": line.product_id, "qty": 5})
    assert received.status_code == 200, received.get_json()
    events = _events(board)
    assert [e["status"] for e in events["asn.receiving"]] == ["receiving"]
    progress = events["receipt.posted"][0]
    assert progress["number"] == submitted.number and progress["received_qty"] == 5 and progress["qty"] == 5


def test_refused_scan_sends_nothing_and_putaway_moves_the_backlog(app, client, login, dbs):
    board = _board(app, client, login)
    refused = client.post("/api/v1/receiving/open", headers=login("op01"), json={"scan": "ASN-DOES-NOT-EXIST"})
    assert refused.status_code == 404
    assert _events(board) == {}
    task = dbs.scalars(sa.select(PutawayTask).where(PutawayTask.status == "open",
                                                    PutawayTask.suggested_location_id.is_not(None))).first()
    open_before = dbs.scalar(sa.select(sa.func.count()).where(PutawayTask.status == "open"))
    done = client.post(f"/api/v1/putaway-tasks/{task.id}/complete", headers=login("op01"),
                       json={"location": task.suggested_location.code})
    assert done.status_code == 200, done.get_json()
    backlog = _events(board)["putaway.backlog"]
    assert backlog[-1]["open_tasks"] == open_before - 1
