"""Board events reach Socket.IO clients only after the scan's transaction commits."""
from __future__ import annotations

import sqlalchemy as sa

from wms.extensions import socketio
from wms.inventory.models import StockBalance


def _client(app, client, token):
    return socketio.test_client(app, namespace="/boards", flask_test_client=client, auth={"token": token})


def _token(headers):
    return headers["Authorization"].split(" ", 1)[1]


def test_staff_receive_stock_changes_after_commit(app, client, login, dbs):
    board = _client(app, client, _token(login("supervisor")))
    assert board.is_connected("/boards")
    assert board.emit("join", {"room": "inventory"}, namespace="/boards", callback=True)["ok"]
    board.get_received("/boards")
    stock = dbs.scalars(sa.select(StockBalance).where(StockBalance.status == "available",
                                                      StockBalance.qty >= 2)).first()
    response = client.post("/api/v1/moves", headers=login("op01"), json={
        "product_id": stock.product_id, "from_location": stock.location.code, "to_location": "A10-20-5-2",
        "qty": 2, "lpn": stock.lpn})
    assert response.status_code == 201
    events = [e for e in board.get_received("/boards") if e["name"] == "stock.changed"]
    assert len(events) == 1
    payload = events[0]["args"][0]
    assert payload["movement_id"] == response.json["id"] and payload["kind"] == "move"
    assert sorted(line["qty"] for line in payload["lines"]) == [-2, 2]


def test_no_event_when_the_scan_fails(app, client, login, dbs):
    board = _client(app, client, _token(login("supervisor")))
    board.emit("join", {"room": "inventory"}, namespace="/boards", callback=True)
    board.get_received("/boards")
    stock = dbs.scalars(sa.select(StockBalance).where(StockBalance.status == "available")).first()
    response = client.post("/api/v1/moves", headers=login("op01"), json={
        "product_id": stock.product_id, "from_location": stock.location.code, "to_location": "A10-20-5-2",
        "qty": stock.qty + 1, "lpn": stock.lpn})
    assert response.status_code == 409
    assert board.get_received("/boards") == []


def test_sellers_and_strangers_cannot_join_boards(app, client, login):
    assert not _client(app, client, _token(login("anke"))).is_connected("/boards")
    assert not _client(app, client, "not-a-token").is_connected("/boards")


def test_unknown_room_is_refused(app, client, login):
    board = _client(app, client, _token(login("op01")))
    answer = board.emit("join", {"room": "secret"}, namespace="/boards", callback=True)
    assert answer["ok"] is False and "inventory" in answer["rooms"]
