"""The customs account book (账册): one line per filed bonded item, and its append-only ledger.

Every bonded quantity that enters or leaves the zone is a book entry, posted with the document that
caused it (核注清单 / 出入库单 / 核放单) and the gate-pass time; the line's balance moves in the same
transaction and can never go negative.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wms.db import Base, one_of, utcnow
from wms.masterdata.models import Product, Seller

BOOK_DOC_TYPES = ("opening", "inv", "sas_stock", "passport", "adjustment")
Qty = sa.Numeric(19, 5)


class BookItem(Base):
    __tablename__ = "book_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    book_no: Mapped[str] = mapped_column(sa.String(20))                 # 账册号 (emsNo)
    seq_no: Mapped[int]                                                  # 备案序号 (gdsSeqno)
    item_no: Mapped[str] = mapped_column(sa.String(30))                 # 料号 / 账册备案料号 (itemRecordNo)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), unique=True)
    hs_code: Mapped[str] = mapped_column(sa.String(10))
    name: Mapped[str] = mapped_column(sa.String(300))
    unit: Mapped[str] = mapped_column(sa.String(3))                     # declared unit
    legal_unit: Mapped[str] = mapped_column(sa.String(3))               # first legal unit
    qty: Mapped[Decimal] = mapped_column(Qty, default=Decimal(0))       # balance in the declared unit
    legal_qty: Mapped[Decimal] = mapped_column(Qty, default=Decimal(0))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    seller: Mapped[Seller] = relationship()
    product: Mapped[Product] = relationship()
    __table_args__ = (
        sa.UniqueConstraint("book_no", "seq_no"),
        sa.UniqueConstraint("book_no", "item_no"),
        sa.CheckConstraint("qty >= 0", name="qty_not_negative"),
        sa.CheckConstraint("legal_qty >= 0", name="legal_qty_not_negative"),
    )


class BookEntry(Base):
    __tablename__ = "book_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    book_item_id: Mapped[int] = mapped_column(sa.ForeignKey("book_items.id"), index=True)
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    direction: Mapped[str] = mapped_column(sa.String(1))                # I into the zone, E out of it
    qty: Mapped[Decimal] = mapped_column(Qty)                           # signed, declared unit
    legal_qty: Mapped[Decimal] = mapped_column(Qty)                     # signed, legal unit
    doc_type: Mapped[str] = mapped_column(sa.String(20))
    doc_no: Mapped[str] = mapped_column(sa.String(40))
    gate_pass_at: Mapped[datetime | None]
    movement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("movements.id"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    book_item: Mapped[BookItem] = relationship()
    __table_args__ = (
        one_of("direction", ("I", "E")),
        one_of("doc_type", BOOK_DOC_TYPES),
        sa.CheckConstraint("(direction = 'I' AND qty > 0) OR (direction = 'E' AND qty < 0)",
                           name="sign_follows_direction"),
        sa.Index("ix_book_entries_doc", "doc_type", "doc_no"),
    )


# --- declarations: records declared to customs, the messages carrying them, and their timelines ----------

RECORD_KINDS = ("order", "payment", "waybill", "arrival", "departure", "inventory", "cancel", "waybill_bill",
                "summary", "temp_inbound")          # temp_inbound: 暂存入库单, a 金二 核注清单 INV101 (wms.customs.inv)
MESSAGE_DIRECTIONS = ("out", "in")
MESSAGE_STATUSES = ("queued", "sent", "failed", "scheduled", "received", "processed", "unmatched", "error")


class CustomsRecord(Base):
    """One declared document (order, payment, waybill, export list …) and where customs has it."""
    __tablename__ = "customs_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    seller_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    guid: Mapped[str] = mapped_column(sa.String(36), unique=True)          # the record's std4 guid
    cop_no: Mapped[str] = mapped_column(sa.String(30), default="")
    order_no: Mapped[str] = mapped_column(sa.String(60), default="", index=True)
    logistics_code: Mapped[str] = mapped_column(sa.String(18), default="")
    logistics_no: Mapped[str] = mapped_column(sa.String(32), default="", index=True)
    ebc_code: Mapped[str] = mapped_column(sa.String(18), default="")
    ebp_code: Mapped[str] = mapped_column(sa.String(18), default="")
    agent_code: Mapped[str] = mapped_column(sa.String(18), default="")
    pre_no: Mapped[str] = mapped_column(sa.String(18), default="")
    invt_no: Mapped[str] = mapped_column(sa.String(20), default="", index=True)
    sum_no: Mapped[str] = mapped_column(sa.String(18), default="")
    app_type: Mapped[str] = mapped_column(sa.String(1), default="1")
    status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    return_status: Mapped[str] = mapped_column(sa.String(10), default="")
    return_info: Mapped[str] = mapped_column(sa.String(1000), default="")
    payload: Mapped[dict] = mapped_column(sa.JSON)                          # what was declared, for rebuilding
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    __table_args__ = (
        one_of("kind", RECORD_KINDS),
        sa.Index("ix_customs_records_kind_status", "kind", "status"),
        sa.Index("ix_customs_records_cop_no", "cop_no"),
    )


class CustomsMessage(Base):
    """Every message sent to customs and every receipt received, with its XML: the message log."""
    __tablename__ = "customs_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(sa.String(3))
    message_type: Mapped[str] = mapped_column(sa.String(20), index=True)
    guid: Mapped[str] = mapped_column(sa.String(64), default="", index=True)
    seller_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(12))
    xml: Mapped[str] = mapped_column(sa.Text)
    file_name: Mapped[str] = mapped_column(sa.String(200), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)    # send retry / sandbox receipt time
    last_error: Mapped[str] = mapped_column(sa.String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
    processed_at: Mapped[datetime | None]
    __table_args__ = (one_of("direction", MESSAGE_DIRECTIONS), one_of("status", MESSAGE_STATUSES),
                      sa.Index("ix_customs_messages_due", "direction", "status", "next_attempt_at"))


class CustomsEvent(Base):
    """The customs timeline of a record: declared, each receipt (applied or stale), corrections."""
    __tablename__ = "customs_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(sa.ForeignKey("customs_records.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("customs_messages.id"))
    event: Mapped[str] = mapped_column(sa.String(30))
    return_status: Mapped[str] = mapped_column(sa.String(10), default="")
    return_info: Mapped[str] = mapped_column(sa.String(1000), default="")
    return_time: Mapped[datetime | None]
    status_before: Mapped[str] = mapped_column(sa.String(20), default="")
    status_after: Mapped[str] = mapped_column(sa.String(20), default="")
    applied: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MatchException(Base):
    """An export list refused by the three-document match (三单对碰), kept until someone resolves it."""
    __tablename__ = "customs_match_exceptions"
    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    order_no: Mapped[str] = mapped_column(sa.String(60), index=True)
    logistics_no: Mapped[str] = mapped_column(sa.String(32), default="")
    mismatches: Mapped[list] = mapped_column(sa.JSON)
    state: Mapped[str] = mapped_column(sa.String(20), default="open")
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    __table_args__ = (one_of("state", ("open", "resolved", "dismissed")),)

    @property
    def fields(self) -> str:
        """The differing fields, for lists: 'line 1 qty, charge'."""
        return ", ".join(m.get("field", "") for m in self.mismatches or [])
