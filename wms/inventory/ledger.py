"""The inventory ledger: every quantity change is a movement whose lines move balances.

``post`` runs inside the caller's transaction and never commits. It locks each touched balance
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE), in key order
so that two posts never deadlock, refuses any line that would take a balance below its reserved
quantity (so below zero), then appends the movement and its lines.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from wms.core.audit import current_actor
from wms.errors import InsufficientStock, ValidationFailed
from wms.extensions import db
from wms.inventory.models import Movement, MovementLine, StockBalance
from wms.masterdata.models import Product


@dataclass(frozen=True, order=True)
class StockKey:
    product_id: int
    location_id: int
    status: str
    lpn: str = ""
    lot: str = ""

    def where(self):
        b = StockBalance
        return (b.product_id == self.product_id, b.location_id == self.location_id, b.status == self.status,
                b.lpn == self.lpn, b.lot == self.lot)


def post(kind: str, changes: Iterable[tuple[StockKey, int]], *, doc_type: str = "", doc_ref: str = "",
         reason: str = "", expiry: date | None = None) -> Movement:
    """Append a movement of ``kind`` with one line per (key, signed quantity); move the balances."""
    deltas: dict[StockKey, int] = defaultdict(int)
    for key, qty in changes:
        deltas[key] += qty
    deltas = {k: q for k, q in sorted(deltas.items()) if q}
    if not deltas:
        raise ValidationFailed({"qty": ["Must be a positive quantity."]})

    sellers = dict(db.session.execute(
        sa.select(Product.id, Product.seller_id).where(Product.id.in_({k.product_id for k in deltas}))).all())
    actor = current_actor.get()
    movement = Movement(kind=kind, doc_type=doc_type, doc_ref=doc_ref, reason=reason,
                        user_id=getattr(actor, "id", None))
    db.session.add(movement)
    for key, qty in deltas.items():
        balance = _locked_balance(key, sellers[key.product_id], create=qty > 0, expiry=expiry)
        free = (balance.qty - balance.reserved_qty) if balance else 0
        if qty < 0 and free + qty < 0:
            raise InsufficientStock(available=free, requested=-qty, product_id=key.product_id,
                                    location_id=key.location_id, stock_status=key.status, lpn=key.lpn, lot=key.lot)
        balance.qty += qty
        movement.lines.append(MovementLine(
            balance_id=balance.id, product_id=key.product_id, seller_id=balance.seller_id,
            location_id=key.location_id, lpn=key.lpn, lot=key.lot, status=key.status, qty=qty))
    db.session.flush()
    return movement


def _locked_balance(key: StockKey, seller_id: int, *, create: bool, expiry: date | None) -> StockBalance | None:
    query = (sa.select(StockBalance).where(*key.where()).with_for_update()
             .execution_options(populate_existing=True))
    balance = db.session.scalars(query).first()
    if balance is None and create:
        dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
        db.session.execute(
            dialect.insert(StockBalance)
            .values(product_id=key.product_id, seller_id=seller_id, location_id=key.location_id, lpn=key.lpn,
                    lot=key.lot, status=key.status, qty=0, reserved_qty=0, expiry=expiry)
            .on_conflict_do_nothing(index_elements=["product_id", "location_id", "lpn", "lot", "status"]))
        balance = db.session.scalars(query).one()
    return balance


def check(session=None) -> list[dict]:
    """Balances that differ from the sum of their movement lines (an empty list means the ledger holds)."""
    session = session or db.session
    sums = (sa.select(MovementLine.balance_id, sa.func.sum(MovementLine.qty).label("total"))
            .group_by(MovementLine.balance_id).subquery())
    rows = session.execute(
        sa.select(StockBalance.id, StockBalance.product_id, StockBalance.location_id, StockBalance.status,
                  StockBalance.lpn, StockBalance.lot, StockBalance.qty, sa.func.coalesce(sums.c.total, 0))
        .outerjoin(sums, sums.c.balance_id == StockBalance.id)
        .where(StockBalance.qty != sa.func.coalesce(sums.c.total, 0))
        .order_by(StockBalance.id)).all()
    return [{"balance_id": r[0], "product_id": r[1], "location_id": r[2], "status": r[3], "lpn": r[4],
             "lot": r[5], "balance": r[6], "ledger": int(r[7])} for r in rows]
