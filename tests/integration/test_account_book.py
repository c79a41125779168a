"""The customs account book: lines opened on filing approval, append-only entries that never overdraw,
and the reconciliation of book balances against physical bonded stock."""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.api import helpers as h
from wms.customs.models import BookEntry, BookItem
from wms.errors import Conflict
from wms.inventory import service as inventory
from wms.masterdata.models import Product


def _item(dbs, seller="SZ-ANKE") -> BookItem:
    return dbs.scalars(sa.select(BookItem).join(Product).where(Product.seller_id == h.seller_id(seller),
                                                               BookItem.qty > 0).order_by(BookItem.id)).first()


def test_demo_book_reconciles(client, login, runner):
    body = client.get("/api/v1/book-reconciliation", headers=login("customs")).get_json()
    assert body == {"clean": True, "differences": []}
    result = runner.invoke(args=["wms", "reconcile-book"])
    assert result.exit_code == 0 and "reconciles" in result.output


def test_approval_opens_the_book_line(client, login, dbs):
    product = h.product("SZ-LEJU", filing_status="draft")
    seller_book = product.seller.account_book_no
    last = dbs.scalar(sa.select(sa.func.max(BookItem.seq_no)).where(BookItem.book_no == seller_book))
    assert client.post(f"/api/v1/products/{product.id}/filing/declare", headers=login("leju"), json={}).status_code == 200
    assert client.post(f"/api/v1/products/{product.id}/filing/approve", headers=login("customs"), json={}).status_code == 200
    item = dbs.scalars(sa.select(BookItem).where(BookItem.product_id == product.id)).one()
    assert (item.book_no, item.seq_no, item.item_no, item.qty) == (seller_book, last + 1, product.sku, 0)
    listed = client.get(f"/api/v1/book-items?q={product.sku}", headers=login("leju")).get_json()
    assert [row["id"] for row in listed["items"]] == [item.id]


def test_unfiled_products_cannot_enter_bonded_stock(dbs):
    product = h.product("SZ-ANKE", filing_status="draft")
    with pytest.raises(Conflict) as refused:
        inventory.receive(product, h.location("RCV-01"), 5, status="temp_stored")
    assert refused.value.code == "product_not_filed" and refused.value.params["sku"] == product.sku


def test_posting_moves_the_balance_and_shows_in_reconciliation(client, login, dbs, runner):
    item = _item(dbs)
    start = item.qty
    posted = client.post("/api/v1/book-entries", headers=login("customs"), json={
        "book_item_id": item.id, "qty": "12", "doc_type": "inv", "doc_no": "QD534926I000000123",
        "gate_pass_at": "2026-11-24T09:30:00+08:00", "note": "二线入区"})
    assert posted.status_code == 201, posted.get_json()
    assert posted.get_json()["direction"] == "I" and Decimal(posted.get_json()["legal_qty"]) > 0
    dbs.refresh(item)
    assert item.qty == start + 12
    own = client.get("/api/v1/book-reconciliation", headers=login("anke")).get_json()
    assert not own["clean"] and [d["item_no"] for d in own["differences"]] == [item.item_no]
    assert own["differences"][0]["difference"] == "-12.00000"
    assert client.get("/api/v1/book-reconciliation", headers=login("jinyi")).get_json()["clean"]
    assert runner.invoke(args=["wms", "reconcile-book"]).exit_code == 1


def test_a_line_never_goes_below_zero(client, login, dbs):
    item = _item(dbs)
    before = dbs.scalar(sa.select(sa.func.count(BookEntry.id)))
    refused = client.post("/api/v1/book-entries", headers=login("customs"), json={
        "book_item_id": item.id, "qty": str(-(item.qty + 1)), "doc_type": "passport", "doc_no": "Z5349E26000000001"})
    body = h.problem(refused, 409, "book_insufficient")
    assert body["item_no"] == item.item_no
    assert dbs.scalar(sa.select(sa.func.count(BookEntry.id))) == before


def test_only_customs_and_admin_post(client, login, dbs):
    item = _item(dbs)
    body = {"book_item_id": item.id, "qty": "1", "doc_type": "inv", "doc_no": "X1"}
    for user in ("op01", "supervisor", "anke"):
        assert client.post("/api/v1/book-entries", headers=login(user), json=body).status_code == 403


def test_entries_are_append_only(dbs):
    entry_id = dbs.scalar(sa.select(sa.func.min(BookEntry.id)))
    for statement in (f"UPDATE book_entries SET qty = qty + 1 WHERE id = {entry_id}",
                      f"DELETE FROM book_entries WHERE id = {entry_id}"):
        with pytest.raises(Exception, match="append-only"):
            with dbs.begin_nested():
                dbs.execute(sa.text(statement))
