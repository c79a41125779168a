"""Stock balances and the append-only movement ledger behind them.

A balance is keyed by product × location × LPN × lot × status. Each movement (receive, move,
status change, adjustment, issue) has one or more lines, each a signed quantity against one balance;
a balance always equals the sum of its lines (``flask wms check-ledger`` proves it).
"""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wms.db import Base, one_of, utcnow
from wms.inventory.states import STATUSES
from wms.masterdata.models import Location, Product

MOVEMENT_KINDS = ("receive", "move", "status_change", "adjust", "issue")


class StockBalance(Base):
    __tablename__ = "stock_balances"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"))
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id"), index=True)
    lpn: Mapped[str] = mapped_column(sa.String(40), default="")
    lot: Mapped[str] = mapped_column(sa.String(40), default="")
    expiry: Mapped[date | None]
    status: Mapped[str] = mapped_column(sa.String(20))
    qty: Mapped[int] = mapped_column(default=0)
    reserved_qty: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    product: Mapped[Product] = relationship()
    location: Mapped[Location] = relationship()
    __table_args__ = (
        sa.UniqueConstraint("product_id", "location_id", "lpn", "lot", "status", name="uq_stock_balances_key"),
        sa.CheckConstraint("qty >= 0", name="qty_not_negative"),
        sa.CheckConstraint("reserved_qty >= 0 AND reserved_qty <= qty", name="reserved_within_qty"),
        one_of("status", STATUSES),
        sa.Index("ix_stock_balances_lpn", "lpn"),
    )


class Movement(Base):
    __tablename__ = "movements"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    doc_type: Mapped[str] = mapped_column(sa.String(40), default="")   # the document behind it, e.g. "asn"
    doc_ref: Mapped[str] = mapped_column(sa.String(60), default="")
    reason: Mapped[str] = mapped_column(sa.String(300), default="")
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    lines: Mapped[list[MovementLine]] = relationship(back_populates="movement", order_by="MovementLine.id")
    __table_args__ = (one_of("kind", MOVEMENT_KINDS), sa.Index("ix_movements_doc", "doc_type", "doc_ref"))


class MovementLine(Base):
    __tablename__ = "movement_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int] = mapped_column(sa.ForeignKey("movements.id"), index=True)
    balance_id: Mapped[int] = mapped_column(sa.ForeignKey("stock_balances.id"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id"))
    lpn: Mapped[str] = mapped_column(sa.String(40), default="")
    lot: Mapped[str] = mapped_column(sa.String(40), default="")
    status: Mapped[str] = mapped_column(sa.String(20))
    qty: Mapped[int]                       # signed: + into the balance, - out of it
    movement: Mapped[Movement] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    location: Mapped[Location] = relationship()
    __table_args__ = (sa.CheckConstraint("qty <> 0", name="qty_not_zero"),)

    @property
    def sku(self) -> str:
        return self.product.sku

    @property
    def location_code(self) -> str:
        return self.location.code
