"""The inventory ledger: every quantity change is a movement whose lines move balances.

``post`` runs inside the caller's transaction and never commits. Each balance changes in one statement
that also locks its row: an upsert (``INSERT … ON CONFLICT DO UPDATE``) for units coming in, a
conditional ``UPDATE … WHERE qty - reserved_qty >= :units`` for units going out, so a balance never drops
below what is reserved (or below zero) even when two scans race — the second waits for the first's row
lock and then re-checks (PostgreSQL); SQLite serialises writers with BEGIN IMMEDIATE. Keys are taken in
order, so two posts never deadlock. The movement and its lines are appended in the same transaction.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from wms.core.audit import current_actor
from wms.db import utcnow
from wms.errors import InsufficientStock, ValidationFailed
from wms.extensions import db
from wms.inventory.models import Movement, MovementLine, StockBalance
from wms.masterdata.models import Product

BALANCES = StockBalance.__table__
KEY_COLUMNS = ("product_id", "location_id", "lpn", "lot", "status")


@dataclass(frozen=True, order=True)
class StockKey:
    product_id: int
    location_id: int
    status: str
    lpn: str = ""
    lot: str = ""

    def where(self):
        c = BALANCES.c
        return (c.product_id == self.product_id, c.location_id == self.location_id, c.status == self.status,
                c.lpn == self.lpn, c.lot == self.lot)


@dataclass
class PostedLine:
    balance_id: int
    product_id: int
    seller_id: int
    location_id: int
    lpn: str
    lot: str
    status: str
    qty: int
    sku: str = ""
    location_code: str = ""


@dataclass
class PostedMovement:
    """What ``post`` appended: the movement row's values and its lines (a replay-safe answer)."""
    id: int
    kind: str
    doc_type: str
    doc_ref: str
    reason: str
    user_id: int | None
    created_at: datetime
    lines: list[PostedLine] = field(default_factory=list)


def post(kind: str, changes: Iterable[tuple[StockKey, int]], *, sellers: dict[int, int] | None = None,
         doc_type: str = "", doc_ref: str = "", reason: str = "", expiry: date | None = None) -> PostedMovement:
    """Append a movement of ``kind`` with one line per (key, signed quantity) and move the balances.

    ``sellers`` maps product ids to their sellers when the caller already knows them.
    Raises InsufficientStock (409) when a line would take more than a balance has free.
    """
    deltas: dict[StockKey, int] = defaultdict(int)
    for key, qty in changes:
        deltas[key] += qty
    deltas = {k: q for k, q in sorted(deltas.items()) if q}
    if not deltas:
        raise ValidationFailed({"qty": ["Must be a positive quantity."]})
    sellers = dict(sellers or {})
    if missing := {k.product_id for k in deltas} - set(sellers):
        sellers |= dict(db.session.execute(
            sa.select(Product.id, Product.seller_id).where(Product.id.in_(missing))).all())

    now = utcnow()
    actor = current_actor.get()
    movement = PostedMovement(id=0, kind=kind, doc_type=doc_type, doc_ref=doc_ref, reason=reason,
                              user_id=getattr(actor, "id", None), created_at=now)
    for key, qty in deltas.items():
        seller_id = sellers[key.product_id]
        balance_id = _receive(key, qty, seller_id, expiry, now) if qty > 0 else _take(key, -qty, now)
        movement.lines.append(PostedLine(balance_id, key.product_id, seller_id, key.location_id, key.lpn, key.lot,
                                         key.status, qty))
    movement.id = db.session.execute(
        sa.insert(Movement).values(kind=kind, doc_type=doc_type, doc_ref=doc_ref, reason=reason,
                                   user_id=movement.user_id, created_at=now).returning(Movement.id)).scalar_one()
    db.session.execute(sa.insert(MovementLine), [
        {"movement_id": movement.id, "balance_id": l.balance_id, "product_id": l.product_id,
         "seller_id": l.seller_id, "location_id": l.location_id, "lpn": l.lpn, "lot": l.lot, "status": l.status,
         "qty": l.qty} for l in movement.lines])
    return movement


def _dialect():
    return postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite


def _receive(key: StockKey, qty: int, seller_id: int, expiry: date | None, now: datetime) -> int:
    """Add units to a balance, creating it on first use; the row stays locked until commit."""
    insert = _dialect().insert(BALANCES).values(
        product_id=key.product_id, seller_id=seller_id, location_id=key.location_id, lpn=key.lpn, lot=key.lot,
        status=key.status, qty=qty, reserved_qty=0, expiry=expiry, updated_at=now)
    upsert = insert.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS),
        set_={"qty": BALANCES.c.qty + qty, "updated_at": now})
    return db.session.execute(upsert.returning(BALANCES.c.id)).scalar_one()


def _take(key: StockKey, qty: int, now: datetime) -> int:
    """Take units that are free (not reserved) from a balance, or raise InsufficientStock."""
    c = BALANCES.c
    taken = db.session.execute(
        sa.update(BALANCES).where(*key.where(), c.qty - c.reserved_qty >= qty)
        .values(qty=c.qty - qty, updated_at=now).returning(c.id)).scalar_one_or_none()
    if taken is None:
        free = db.session.execute(sa.select(c.qty - c.reserved_qty).where(*key.where())).scalar_one_or_none() or 0
        raise InsufficientStock(available=free, requested=qty, product_id=key.product_id,
                                location_id=key.location_id, stock_status=key.status, lpn=key.lpn, lot=key.lot)
    return taken


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
