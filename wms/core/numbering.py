"""Number series: gap-free counters kept in the database (SSCC serials, document numbers).

``take(name, n)`` reserves ``n`` consecutive numbers in the caller's transaction; the series row is
locked by the UPDATE, so two workers never hand out the same number.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from wms.db import Base
from wms.extensions import db


class NumberSeries(Base):
    __tablename__ = "number_series"
    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    next_value: Mapped[int] = mapped_column(sa.BigInteger, default=1)
    __table_args__ = (sa.CheckConstraint("next_value >= 1", name="next_value_positive"),)


def take(name: str, count: int = 1, *, start: int = 1) -> range:
    """Reserve ``count`` numbers of series ``name`` (created at ``start`` on first use)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    table = NumberSeries.__table__
    bumped = db.session.execute(
        sa.update(table).where(table.c.name == name).values(next_value=table.c.next_value + count)
        .returning(table.c.next_value)).scalar_one_or_none()
    if bumped is None:
        dialect = db.session.get_bind().dialect.name
        from sqlalchemy.dialects import postgresql, sqlite
        insert = (postgresql if dialect == "postgresql" else sqlite).insert(table)
        db.session.execute(insert.values(name=name, next_value=start).on_conflict_do_nothing())
        return take(name, count, start=start)
    return range(bumped - count, bumped)
