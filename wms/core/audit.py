"""Audit log: who changed what, when, and the values before and after. Append-only."""
from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wms.db import Base, utcnow
from wms.extensions import db

# The user acting in this request, CLI command or job; None means the system itself.
current_actor: ContextVar = ContextVar("current_actor", default=None)


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    username: Mapped[str | None] = mapped_column(sa.String(80))
    action: Mapped[str] = mapped_column(sa.String(80), index=True)
    entity_type: Mapped[str] = mapped_column(sa.String(60))
    entity_id: Mapped[str] = mapped_column(sa.String(60))
    seller_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)

    __table_args__ = (sa.Index("ix_audit_log_entity", "entity_type", "entity_id"),)


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def snapshot(obj, fields=None) -> dict:
    """Column values of a model instance as JSON-able data (the 'before' or 'after' of an edit)."""
    mapper = sa.inspect(obj).mapper
    names = fields or [c.key for c in mapper.column_attrs]
    return {name: _plain(getattr(obj, name)) for name in names if name not in ("password_hash",)}


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after.get(k) and k not in ("updated_at",)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(action: str, obj, *, before: dict | None, after: dict | None) -> AuditLog:
    actor = current_actor.get()
    if sa.inspect(obj).identity is None:      # a new row needs its id before it can be referenced
        db.session.add(obj)
        db.session.flush()
    if obj.__class__.__name__ == "Seller":
        seller_id = obj.id
    else:
        seller_id = getattr(obj, "seller_id", None)
    entry = AuditLog(
        user_id=getattr(actor, "id", None),
        username=getattr(actor, "username", None) or "system",
        action=action,
        entity_type=obj.__tablename__,
        entity_id=str(sa.inspect(obj).identity[0]),
        seller_id=seller_id,
        before=before,
        after=after,
    )
    db.session.add(entry)
    return entry
