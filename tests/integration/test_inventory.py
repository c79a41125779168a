"""Stock through the API and the database: moves, adjustments and status changes post ledger movements;
scans are idempotent; the ledger holds (balances = sum of movement lines); the database itself refuses
changes to the append-only tables and negative balances; ``flask wms check-ledger`` proves the ledger."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tests.api import helpers as h
from wms.auth.models import User
from wms.inventory import ledger
from wms.inventory.models import Movement, MovementLine, StockBalance
from wms.inventory.states import GOODS

EMPTY_BIN = "A10-20-5-2"  # a storage location the demo stock leaves empty


@pytest.fixture
def op(login):
    return login("op01")


def balance_qty(dbs, product_id, location_code, status="available", lpn="") -> int:
    return (
        dbs.scalar(
            sa.select(StockBalance.qty).where(
                StockBalance.product_id == product_id,
                StockBalance.location_id == h.location(location_code).id,
                StockBalance.status == status,
                StockBalance.lpn == lpn,
            )
        )
        or 0
    )


def count(dbs, model) -> int:
    return dbs.scalar(sa.select(sa.func.count()).select_from(model))


def move_payload(balance: StockBalance, qty: int = 2, **overrides) -> dict:
    return {
        "product_id": balance.product_id,
        "from_location": balance.location.code,
        "to_location": EMPTY_BIN,
        "lpn": balance.lpn,
        "qty": qty,
    } | overrides


def user_id(dbs, username) -> int:
    return dbs.scalar(sa.select(User.id).where(User.username == username))


@pytest.fixture(autouse=True)
def ledger_holds():
    assert ledger.check() == []
    yield
    assert ledger.check() == [], "a balance no longer equals the sum of its movement lines"


# --- moves --------------------------------------------------------------------------------------------------


def test_move_moves_the_balances_and_writes_the_ledger(client, op, dbs):
    balance = h.stock()
    source, qty = balance.location.code, balance.qty
    movements, lines = count(dbs, Movement), count(dbs, MovementLine)
    response = client.post("/api/v1/moves", json=move_payload(balance, reason="补货"), headers=op)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["kind"] == "move" and body["user_id"] == user_id(dbs, "op01") and body["reason"] == "补货"
    assert sorted((l["location_code"], l["qty"]) for l in body["lines"]) == sorted(
        [(source, -2), (EMPTY_BIN, 2)]
    )
    assert {(l["product_id"], l["lpn"], l["status"]) for l in body["lines"]} == {
        (balance.product_id, balance.lpn, "available")
    }

    assert balance_qty(dbs, balance.product_id, source, lpn=balance.lpn) == qty - 2
    assert balance_qty(dbs, balance.product_id, EMPTY_BIN, lpn=balance.lpn) == 2
    assert (count(dbs, Movement), count(dbs, MovementLine)) == (movements + 1, lines + 2)
    movement = dbs.get(Movement, body["id"])
    assert movement.user_id == user_id(dbs, "op01") and len(movement.lines) == 2
    assert {l.seller_id for l in movement.lines} == {balance.seller_id}

    listed = client.get(f"/api/v1/movements?movement_id={body['id']}", headers=op).get_json()
    assert listed["total"] == 2 and sum(i["qty"] for i in listed["items"]) == 0
    assert {i["kind"] for i in listed["items"]} == {"move"}
    stock = client.get(f"/api/v1/stock?location_code={EMPTY_BIN}", headers=op).get_json()
    assert [(s["product_id"], s["qty"], s["lpn"]) for s in stock["items"]] == [
        (balance.product_id, 2, balance.lpn)
    ]


def test_move_onto_another_lpn(client, op, dbs):
    balance = h.stock()
    response = client.post(
        "/api/v1/moves",
        json=move_payload(balance, 1, to_location=balance.location.code, to_lpn="lpn-new-01"),
        headers=op,
    )
    assert response.status_code == 201, response.get_json()
    assert balance_qty(dbs, balance.product_id, balance.location.code, lpn="LPN-NEW-01") == 1


def test_move_by_barcode(client, op, dbs):
    balance = h.stock()
    code = h.barcode_of(balance.product_id)
    payload = move_payload(balance, 1)
    del payload["product_id"]
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    for scanned in (code, full_width):
        response = client.post("/api/v1/moves", json={**payload, "barcode": scanned}, headers=op)
        assert response.status_code == 201, response.get_json()
        assert {l["product_id"] for l in response.get_json()["lines"]} == {balance.product_id}
    assert balance_qty(dbs, balance.product_id, EMPTY_BIN, lpn=balance.lpn) == 2


def test_ambiguous_barcode_asks_for_the_product(client, op, login, dbs):
    balance = h.stock()
    code = h.barcode_of(balance.product_id)
    other_seller = "SZ-LEJU" if balance.seller_id != h.seller_id("SZ-LEJU") else "SZ-ANKE"
    twin = client.post(
        "/api/v1/products",
        json=h.product_payload(other_seller, sku="TWIN-1", barcodes=[code]),
        headers=login("admin"),
    )
    assert twin.status_code == 201, twin.get_json()
    payload = move_payload(balance, 1)
    del payload["product_id"]
    before = h.fingerprint()
    body = h.problem(
        client.post("/api/v1/moves", json={**payload, "barcode": code}, headers=op), 409, "ambiguous_barcode"
    )
    assert sorted(body["product_ids"]) == sorted([balance.product_id, twin.get_json()["id"]])
    assert body["scanned"] == code
    assert h.fingerprint() == before


@pytest.mark.parametrize("extra", [0, 1, 1000])
def test_insufficient_stock_is_409_and_changes_nothing(client, op, dbs, extra):
    balance = h.stock()
    requested = balance.qty + extra + (1 if extra == 0 else 0)
    before = h.fingerprint()
    body = h.problem(
        client.post("/api/v1/moves", json=move_payload(balance, requested), headers=op),
        409,
        "insufficient_stock",
    )
    assert (body["available"], body["requested"]) == (balance.qty, requested)
    assert body["product_id"] == balance.product_id and body["location_id"] == balance.location_id
    assert str(balance.qty) in body["detail"]
    assert h.fingerprint() == before


def test_reserved_stock_cannot_be_moved(client, op, dbs):
    balance = h.stock(min_qty=5)
    dbs.execute(
        sa.update(StockBalance).where(StockBalance.id == balance.id).values(reserved_qty=balance.qty - 1)
    )
    dbs.commit()
    body = h.problem(
        client.post("/api/v1/moves", json=move_payload(balance, 2), headers=op), 409, "insufficient_stock"
    )
    assert body["available"] == 1
    assert client.post("/api/v1/moves", json=move_payload(balance, 1), headers=op).status_code == 201


def test_wrong_lpn_or_status_has_nothing_to_move(client, op):
    balance = h.stock()
    for overrides in ({"lpn": "LPN-ELSEWHERE"}, {"lpn": ""}, {"status": "defective"}):
        body = h.problem(
            client.post("/api/v1/moves", json=move_payload(balance, 1, **overrides), headers=op),
            409,
            "insufficient_stock",
        )
        assert body["available"] == 0


def test_move_to_same_place_is_422(client, op):
    balance = h.stock()
    body = h.problem(
        client.post(
            "/api/v1/moves", json=move_payload(balance, 1, to_location=balance.location.code), headers=op
        ),
        422,
        "same_location",
    )
    assert "to_location" in body["errors"]


def test_move_to_deactivated_location_is_409(client, op, login):
    balance = h.stock()
    target = h.location(EMPTY_BIN)
    assert (
        client.post(f"/api/v1/locations/{target.id}/deactivate", headers=login("supervisor")).status_code
        == 200
    )
    before = h.fingerprint()
    body = h.problem(
        client.post("/api/v1/moves", json=move_payload(balance, 1), headers=op), 409, "inactive_record"
    )
    assert body["field"] == "to_location" and body["ref"] == EMPTY_BIN
    assert h.fingerprint() == before


def test_location_holding_stock_cannot_be_deactivated(client, op, login, dbs):
    """Deactivating a location with stock would strand it (moves refuse inactive locations)."""
    balance = h.stock()
    supervisor = login("supervisor")
    units = dbs.scalar(
        sa.select(sa.func.sum(StockBalance.qty)).where(StockBalance.location_id == balance.location_id)
    )
    before = h.fingerprint()
    refused = h.problem(
        client.post(f"/api/v1/locations/{balance.location_id}/deactivate", headers=supervisor), 409, "in_use"
    )
    assert refused["ref"] == balance.location.code and refused["units"] == units
    assert h.fingerprint() == before
    for row in dbs.scalars(
        sa.select(StockBalance).where(StockBalance.location_id == balance.location_id, StockBalance.qty > 0)
    ).all():
        moved = client.post(
            "/api/v1/moves",
            headers=op,
            json={
                "product_id": row.product_id,
                "from_location": balance.location.code,
                "to_location": EMPTY_BIN,
                "lpn": row.lpn,
                "lot": row.lot,
                "status": row.status,
                "qty": row.qty,
            },
        )
        assert moved.status_code == 201, moved.get_json()
    emptied = client.post(f"/api/v1/locations/{balance.location_id}/deactivate", headers=supervisor)
    assert emptied.status_code == 200 and emptied.get_json()["active"] is False


@pytest.mark.parametrize("field", ["from_location", "to_location"])
def test_unknown_location_is_404_with_scanned(client, op, field):
    balance = h.stock()
    before = h.fingerprint()
    body = h.problem(
        client.post("/api/v1/moves", json=move_payload(balance, 1, **{field: "zz-99"}), headers=op),
        404,
        "unknown_location",
    )
    assert body["scanned"] == "ZZ-99" and body["field"] == field and "ZZ-99" in body["detail"]
    assert h.fingerprint() == before


def test_unknown_product_barcode_is_404_with_scanned(client, op):
    payload = move_payload(h.stock(), 1)
    del payload["product_id"]
    body = h.problem(
        client.post("/api/v1/moves", json={**payload, "barcode": "6901234567892"}, headers=op),
        404,
        "unknown_barcode",
    )
    assert body["scanned"] == "6901234567892"


# --- idempotent scans ---------------------------------------------------------------------------------------


def test_replayed_move_returns_the_first_answer_once(client, op, login, dbs, scan_id):
    balance = h.stock()
    key = scan_id()
    headers = {**op, "Idempotency-Key": key}
    movements = count(dbs, Movement)
    first = client.post("/api/v1/moves", json=move_payload(balance), headers=headers)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    for _ in range(2):
        again = client.post("/api/v1/moves", json=move_payload(balance), headers=headers)
        assert again.status_code == 201
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.get_data() == first.get_data()
    assert count(dbs, Movement) == movements + 1
    assert balance_qty(dbs, balance.product_id, EMPTY_BIN, lpn=balance.lpn) == 2
    # the same key from another user is another scan
    other = client.post(
        "/api/v1/moves", json=move_payload(balance), headers={**login("op02"), "Idempotency-Key": key}
    )
    assert other.status_code == 201 and "Idempotent-Replayed" not in other.headers
    assert other.get_json()["id"] != first.get_json()["id"]
    assert balance_qty(dbs, balance.product_id, EMPTY_BIN, lpn=balance.lpn) == 4


@pytest.mark.parametrize(
    "path,change",
    [("/api/v1/moves", {"qty": 3}), ("/api/v1/moves", {"reason": "x"}), ("/api/v1/adjustments", None)],
)
def test_same_key_with_another_request_is_422(client, login, dbs, scan_id, path, change):
    headers = {**login("supervisor"), "Idempotency-Key": scan_id()}
    balance = h.stock()
    assert client.post("/api/v1/moves", json=move_payload(balance), headers=headers).status_code == 201
    before = h.fingerprint()
    body = (
        move_payload(balance) | change
        if change
        else {"product_id": balance.product_id, "qty": 1, "location": EMPTY_BIN, "reason": "count"}
    )
    problem = h.problem(client.post(path, json=body, headers=headers), 422, "idempotency_key_reused")
    assert problem["key"] == headers["Idempotency-Key"]
    assert h.fingerprint() == before


def test_replayed_conflict_returns_the_same_409(client, op, login, dbs, scan_id):
    balance = h.stock()
    headers = {**op, "Idempotency-Key": scan_id()}
    too_many = move_payload(balance, balance.qty + 5)
    first = client.post("/api/v1/moves", json=too_many, headers=headers)
    h.problem(first, 409, "insufficient_stock")
    # stock arrives meanwhile; the replay still answers what the first attempt answered
    adjust = client.post(
        "/api/v1/adjustments",
        headers=login("supervisor"),
        json={
            "product_id": balance.product_id,
            "location": balance.location.code,
            "lpn": balance.lpn,
            "qty": 10,
            "reason": "found",
        },
    )
    assert adjust.status_code == 201
    before = h.fingerprint()
    again = client.post("/api/v1/moves", json=too_many, headers=headers)
    assert again.status_code == 409 and again.headers["Idempotent-Replayed"] == "true"
    assert again.mimetype == h.PROBLEM_JSON
    assert json.loads(again.get_data()) == json.loads(first.get_data())
    assert h.fingerprint() == before


def test_overlong_idempotency_key_is_422(client, op, dbs):
    before = h.fingerprint()
    response = client.post(
        "/api/v1/moves", json=move_payload(h.stock()), headers={**op, "Idempotency-Key": "k" * 101}
    )
    assert "Idempotency-Key" in h.field_errors(response)
    assert h.fingerprint() == before


# --- adjustments --------------------------------------------------------------------------------------------


def adjustment(balance, qty, **overrides):
    return {
        "product_id": balance.product_id,
        "location": balance.location.code,
        "lpn": balance.lpn,
        "qty": qty,
        "reason": "盘点差异",
    } | overrides


@pytest.mark.parametrize("delta", [3, -1])
def test_adjustment_changes_the_balance(client, login, dbs, delta):
    balance = h.stock()
    qty = balance.qty
    response = client.post(
        "/api/v1/adjustments", json=adjustment(balance, delta), headers=login("supervisor")
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["kind"] == "adjust" and body["reason"] == "盘点差异" and body["doc_type"] == "adjustment"
    assert [l["qty"] for l in body["lines"]] == [delta]
    assert body["user_id"] == user_id(dbs, "supervisor")
    assert balance_qty(dbs, balance.product_id, balance.location.code, lpn=balance.lpn) == qty + delta


def test_adjustment_may_create_a_balance(client, login, dbs):
    balance = h.stock()
    response = client.post(
        "/api/v1/adjustments", json=adjustment(balance, 4, location=EMPTY_BIN, lpn=""), headers=login("admin")
    )
    assert response.status_code == 201
    assert balance_qty(dbs, balance.product_id, EMPTY_BIN) == 4


def test_adjustment_below_zero_is_409(client, login, dbs):
    balance = h.stock()
    headers = login("supervisor")
    before = h.fingerprint()
    body = h.problem(
        client.post("/api/v1/adjustments", json=adjustment(balance, -(balance.qty + 1)), headers=headers),
        409,
        "insufficient_stock",
    )
    assert body["available"] == balance.qty
    assert h.fingerprint() == before
    emptied = client.post("/api/v1/adjustments", json=adjustment(balance, -balance.qty), headers=headers)
    assert emptied.status_code == 201
    assert balance_qty(dbs, balance.product_id, balance.location.code, lpn=balance.lpn) == 0


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"qty": 0}, "qty"),
        ({"qty": 10_000_001}, "qty"),
        ({"status": "lost"}, "status"),
    ],
)
def test_adjustment_needs_a_reason_and_a_quantity(client, login, overrides, field):
    headers = login("supervisor")
    before = h.fingerprint()
    h.field_errors(
        client.post("/api/v1/adjustments", json=adjustment(h.stock(), 1) | overrides, headers=headers), field
    )
    payload = adjustment(h.stock(), 1)
    del payload["reason"]
    h.field_errors(client.post("/api/v1/adjustments", json=payload, headers=headers), "reason")
    assert h.fingerprint() == before


@pytest.mark.parametrize(
    "username,status", [("supervisor", 201), ("admin", 201), ("op01", 403), ("customs", 403), ("anke", 403)]
)
def test_only_supervisors_adjust(client, login, username, status):
    response = client.post("/api/v1/adjustments", json=adjustment(h.stock(), 1), headers=login(username))
    assert response.status_code == status


# --- status changes (goods state machine) -------------------------------------------------------------------


def status_change(balance, event, qty=None, **overrides):
    return {
        "product_id": balance.product_id,
        "location": balance.location.code,
        "lpn": balance.lpn,
        "qty": qty or balance.qty,
        "status": balance.status,
        "event": event,
        "doc_ref": "DEC-2026-0001",
    } | overrides


def test_declaration_accepted_releases_temp_stored_goods(client, login, dbs):
    balance = h.stock("temp_stored")
    qty, where = balance.qty, balance.location.code
    headers = login("customs")
    response = client.post(
        "/api/v1/status-changes", json=status_change(balance, "declaration_accepted"), headers=headers
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["kind"] == "status_change" and body["doc_ref"] == "DEC-2026-0001"
    assert body["reason"] == "declaration_accepted" and body["user_id"] == user_id(dbs, "customs")
    assert sorted((l["status"], l["qty"]) for l in body["lines"]) == [
        ("released", qty),
        ("temp_stored", -qty),
    ]
    assert balance_qty(dbs, balance.product_id, where, "temp_stored", balance.lpn) == 0
    assert balance_qty(dbs, balance.product_id, where, "released", balance.lpn) == qty
    # released goods go on to available
    released = dbs.scalars(
        sa.select(StockBalance).where(
            StockBalance.product_id == balance.product_id, StockBalance.status == "released"
        )
    ).one()
    onward = client.post(
        "/api/v1/status-changes",
        json=status_change(released, "make_available", 1),
        headers=login("supervisor"),
    )
    assert onward.status_code == 201
    assert balance_qty(dbs, balance.product_id, where, "available", balance.lpn) == 1


ILLEGAL = [
    ("temp_stored", "qc_pass"),
    ("temp_stored", "make_available"),
    ("available", "declaration_accepted"),
    ("customs_hold", "make_available"),
    ("qc_pending", "hold"),
]


@pytest.mark.parametrize("status,event", ILLEGAL, ids=[f"{s}-{e}" for s, e in ILLEGAL])
def test_illegal_goods_event_is_409_with_allowed_events(client, login, status, event):
    balance = h.stock(status, min_qty=1)
    headers = login("admin")
    before = h.fingerprint()
    body = h.problem(
        client.post("/api/v1/status-changes", json=status_change(balance, event), headers=headers),
        409,
        "invalid_transition",
    )
    assert body["current_state"] == status and body["event"] == event
    assert body["allowed_events"] == GOODS.allowed_events(status) and body["allowed_events"]
    assert h.fingerprint() == before


def test_status_change_cannot_exceed_the_balance(client, login):
    balance = h.stock("temp_stored")
    headers = login("customs")
    before = h.fingerprint()
    body = h.problem(
        client.post(
            "/api/v1/status-changes",
            json=status_change(balance, "spot_check", balance.qty + 1),
            headers=headers,
        ),
        409,
        "insufficient_stock",
    )
    assert body["available"] == balance.qty and body["requested"] == balance.qty + 1
    assert body["lpn"] == balance.lpn and body["location_id"] == balance.location_id
    assert body["stock_status"] == "temp_stored"
    assert h.fingerprint() == before


@pytest.mark.parametrize(
    "username,status", [("customs", 201), ("supervisor", 201), ("op01", 403), ("jinyi", 403)]
)
def test_who_changes_goods_status(client, login, username, status):
    balance = h.stock("temp_stored")
    response = client.post(
        "/api/v1/status-changes", json=status_change(balance, "spot_check", 1), headers=login(username)
    )
    assert response.status_code == status


def test_idempotent_status_change(client, login, dbs, scan_id):
    balance = h.stock("temp_stored")
    headers = {**login("customs"), "Idempotency-Key": scan_id()}
    first = client.post(
        "/api/v1/status-changes", json=status_change(balance, "spot_check", 1), headers=headers
    )
    again = client.post(
        "/api/v1/status-changes", json=status_change(balance, "spot_check", 1), headers=headers
    )
    assert first.status_code == again.status_code == 201 and again.get_data() == first.get_data()
    assert balance_qty(dbs, balance.product_id, balance.location.code, "customs_hold", balance.lpn) == 1


# --- the database guards the ledger -------------------------------------------------------------------------

APPEND_ONLY = [
    ("movements", "UPDATE movements SET reason = 'rewritten' WHERE id = (SELECT min(id) FROM movements)"),
    ("movements", "DELETE FROM movements WHERE id = (SELECT max(id) FROM movements)"),
    (
        "movement_lines",
        "UPDATE movement_lines SET qty = qty + 1 WHERE id = (SELECT min(id) FROM movement_lines)",
    ),
    ("movement_lines", "DELETE FROM movement_lines WHERE id = (SELECT min(id) FROM movement_lines)"),
    ("audit_log", "UPDATE audit_log SET username = 'someone' WHERE id = (SELECT min(id) FROM audit_log)"),
    ("audit_log", "DELETE FROM audit_log"),
]


@pytest.mark.parametrize("table,statement", APPEND_ONLY, ids=[s.split()[0] + "-" + t for t, s in APPEND_ONLY])
def test_append_only_tables_refuse_update_and_delete(dbs, table, statement):
    rows = dbs.execute(sa.text(f"SELECT * FROM {table} ORDER BY id")).all()
    assert rows
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with dbs.begin_nested():
            dbs.execute(sa.text(statement))
    assert dbs.execute(sa.text(f"SELECT * FROM {table} ORDER BY id")).all() == rows


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE stock_balances SET qty = -1 WHERE id = :id",
        "UPDATE stock_balances SET reserved_qty = qty + 1 WHERE id = :id",
        "UPDATE stock_balances SET reserved_qty = -1 WHERE id = :id",
        "UPDATE stock_balances SET status = 'lost' WHERE id = :id",
    ],
    ids=["negative-qty", "reserved-above-qty", "negative-reserved", "unknown-status"],
)
def test_database_refuses_impossible_balances(dbs, statement):
    balance = h.stock()
    qty = balance.qty
    with pytest.raises(sa.exc.IntegrityError):
        with dbs.begin_nested():
            dbs.execute(sa.text(statement), {"id": balance.id})
    assert dbs.scalar(sa.text("SELECT qty FROM stock_balances WHERE id = :id"), {"id": balance.id}) == qty


def test_database_refuses_zero_movement_line(dbs):
    line = dbs.scalars(sa.select(MovementLine).limit(1)).one()
    with pytest.raises(sa.exc.IntegrityError):
        with dbs.begin_nested():
            dbs.execute(
                sa.insert(MovementLine).values(
                    movement_id=line.movement_id,
                    balance_id=line.balance_id,
                    product_id=line.product_id,
                    seller_id=line.seller_id,
                    location_id=line.location_id,
                    lpn=line.lpn,
                    lot=line.lot,
                    status=line.status,
                    qty=0,
                )
            )


def test_check_ledger_cli(runner, dbs, client, op):
    ok = runner.invoke(args=["wms", "check-ledger"])
    assert ok.exit_code == 0, ok.output
    assert "Ledger OK" in ok.output
    assert client.post("/api/v1/moves", json=move_payload(h.stock()), headers=op).status_code == 201
    assert runner.invoke(args=["wms", "check-ledger"]).exit_code == 0

    balance = h.stock()
    dbs.execute(sa.text("UPDATE stock_balances SET qty = qty + 5 WHERE id = :id"), {"id": balance.id})
    assert [d["balance_id"] for d in ledger.check()] == [balance.id]
    broken = runner.invoke(args=["wms", "check-ledger"])
    assert broken.exit_code == 1
    assert f"balance {balance.id} " in broken.output and "BROKEN" in broken.output
    assert f"balance {balance.qty + 5} != movements {balance.qty}" in broken.output
    dbs.execute(sa.text("UPDATE stock_balances SET qty = qty - 5 WHERE id = :id"), {"id": balance.id})
