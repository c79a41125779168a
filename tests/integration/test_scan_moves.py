"""A PDA move as operators scan it: location, then product barcode or LPN, then quantity, then target."""
from __future__ import annotations

import sqlalchemy as sa

from tests.api import helpers as h
from wms.inventory.models import StockBalance


def _move(client, login, **body):
    return client.post("/api/v1/moves", headers=login("op01"), json={"qty": 1, "to_location": "A10-20-5-2", **body})


def _qty(dbs, product_id, location_code, lpn):
    dbs.expire_all()
    return dbs.scalar(sa.select(StockBalance.qty).join(StockBalance.location).where(
        StockBalance.product_id == product_id, StockBalance.lpn == lpn,
        StockBalance.location.has(code=location_code)))


def test_product_barcode_takes_the_only_lpn_holding_it(client, login, dbs):
    balance = h.stock()
    start = balance.qty
    response = _move(client, login, barcode=h.barcode_of(balance.product_id), from_location=balance.location.code)
    assert response.status_code == 201, response.json
    assert {line["lpn"] for line in response.json["lines"]} == {balance.lpn}
    assert _qty(dbs, balance.product_id, balance.location.code, balance.lpn) == start - 1
    assert _qty(dbs, balance.product_id, "A10-20-5-2", balance.lpn) == 1


def test_scanning_the_lpn_moves_what_it_holds(client, login, dbs):
    balance = h.stock()
    response = _move(client, login, barcode=balance.lpn.lower(), from_location=balance.location.code, qty=2)
    assert response.status_code == 201, response.json
    assert {(l["sku"], l["lpn"], l["qty"]) for l in response.json["lines"]} == {
        (balance.product.sku, balance.lpn, -2), (balance.product.sku, balance.lpn, 2)}


def test_several_lpns_ask_for_the_lpn(client, login, dbs):
    balance = h.stock()
    code = h.barcode_of(balance.product_id)
    split = client.post("/api/v1/moves", headers=login("op01"), json={
        "product_id": balance.product_id, "lpn": balance.lpn, "to_lpn": "LPN-SPLIT-1", "qty": 1,
        "from_location": balance.location.code, "to_location": balance.location.code})
    assert split.status_code == 201, split.json
    before = h.fingerprint()
    body = h.problem(_move(client, login, barcode=code, from_location=balance.location.code), 409, "lpn_required")
    assert sorted(body["lpns"]) == sorted([balance.lpn, "LPN-SPLIT-1"])
    assert h.fingerprint() == before
    chosen = _move(client, login, barcode=code, lpn="LPN-SPLIT-1", from_location=balance.location.code)
    assert chosen.status_code == 201


def test_unknown_scan_at_the_source_echoes_it(client, login):
    balance = h.stock()
    body = h.problem(_move(client, login, barcode="不存在-ＸＹ", from_location=balance.location.code), 404,
                     "unknown_barcode")
    assert body["scanned"] == "不存在-ＸＹ"
