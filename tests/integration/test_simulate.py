"""``flask wms simulate``: a small day driven through the API on the test database ends with every order
shipped or cancelled and every check passing; a broken invariant (a balance that no longer equals its
movements, a reservation without its allocation, a 5xx during the day) makes it exit non-zero."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from wms.inventory.models import StockBalance
from wms.masterdata.models import Location, Zone


def simulate(runner, tmp_path, orders=16):
    path = tmp_path / "day.json"
    result = runner.invoke(args=["wms", "simulate", "--orders", str(orders), "--seed", "5",
                                 "--customs-delay", "0", "--json", str(path)])
    return result, (json.loads(path.read_text(encoding="utf-8")) if path.exists() else None)


def test_a_day_ships_its_orders_and_every_check_passes(runner, tmp_path):
    result, day = simulate(runner, tmp_path)
    assert result.exit_code == 0, result.output
    assert "RESULT: OK" in result.output
    failed = [c for c in day["checks"] if not c["ok"] and not c["warning"]]
    assert day["ok"] and not failed, failed
    names = {c["name"] for c in day["checks"]}
    assert {"inventory ledger", "account book", "reservations", "shipped orders", "every order finished",
            "no 5xx", "no unexpected refusals", "day completed", "carts and totes emptied"} <= names

    orders = day["orders"]
    assert orders.get("shipped", 0) >= 1 and set(orders) <= {"shipped", "cancelled"}
    assert sum(orders.values()) == day["orders_accepted"]
    assert day["orders_accepted"] + day["orders_refused_422"] == day["orders_pushed"] == 16
    assert day["asns"] == {"closed": len(day["sellers"])}
    assert day["bags"] and set(day["bags"]) == {"loaded"}
    assert day["manifests"] and set(day["manifests"]) == {"departed"}
    assert day["units_received"] > day["units_shipped"] > 0
    assert day["requests"]["by_status"].get("500") is None and day["requests"]["total"] > 200
    sent = {(m["type"], m["direction"]) for m in day["customs_messages"]}
    assert {("INV101", "out"), ("CEB603", "out"), ("CEB604", "in"), ("CEB509", "out")} <= sent
    assert [p["phase"] for p in day["timings"]["phases"]][:3] == ["setup", "inbound", "inbound customs"]


def _corrupt_balance(dbs):
    balance = dbs.scalars(sa.select(StockBalance).join(Location).join(Zone).where(
        Zone.kind == "storage", StockBalance.qty > 0).order_by(StockBalance.id)).first()
    balance.qty += 1                                # a balance changed without a movement: the ledger drifts


def _reserve_without_allocation(dbs):
    balance = dbs.scalars(sa.select(StockBalance).where(StockBalance.qty > StockBalance.reserved_qty)
                          .order_by(StockBalance.id)).first()
    balance.reserved_qty += 1                       # units promised to no order


@pytest.mark.parametrize("corrupt,failing", [(_corrupt_balance, "inventory ledger"),
                                             (_reserve_without_allocation, "reservations")])
def test_a_broken_invariant_fails_the_checks(runner, dbs, corrupt, failing):
    clean = runner.invoke(args=["wms", "simulate", "--check-only"])
    assert clean.exit_code == 0, clean.output
    corrupt(dbs)
    dbs.flush()
    broken = runner.invoke(args=["wms", "simulate", "--check-only"])
    assert broken.exit_code == 1, broken.output
    assert f"[FAIL] {failing}" in broken.output


def test_a_server_error_during_the_day_fails_the_run(runner, tmp_path, monkeypatch):
    from wms.outbound import bagging

    def broken_seal(*_args, **_kw):
        raise RuntimeError("scale offline")
    monkeypatch.setattr(bagging, "seal", broken_seal)
    result, day = simulate(runner, tmp_path, orders=8)
    assert result.exit_code == 1, result.output
    assert "RESULT: FAILED" in result.output
    checks = {c["name"]: c for c in day["checks"]}
    assert not checks["no 5xx"]["ok"] and "/seal" in checks["no 5xx"]["detail"]
    assert not checks["every order finished"]["ok"]
