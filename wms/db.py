"""Declarative base, column helpers, SQLite pragmas and the transaction boundary."""
from __future__ import annotations

from contextlib import contextmanager
from functools import wraps
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(sa.types.TypeDecorator):
    """Timestamps are stored in UTC and always come back timezone-aware (SQLite drops the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    registry = registry(metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
                        type_annotation_map={datetime: UTCDateTime()})


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def bulk_insert(session, table: sa.Table, rows: list[dict]) -> None:
    """Insert many rows at once: PostgreSQL's COPY (the fastest path in), elsewhere one executemany.

    Every row carries the same keys; columns left out get their Python-side defaults (timestamps, flags)
    here, since COPY knows only the database's own defaults.
    """
    if not rows:
        return
    keys = list(rows[0])
    missing = [c for c in table.columns
               if c.key not in keys and c.default is not None and (c.default.is_scalar or c.default.is_callable)]
    if missing:
        fill = {c.key: (c.default.arg if c.default.is_scalar else c.default.arg(None)) for c in missing}
        rows = [row | fill for row in rows]
        keys += list(fill)
    session.flush()                                      # rows the new ones refer to are in first
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(table.insert(), rows)
        return
    from psycopg.types.json import Json
    json_keys = {c.key for c in table.columns if isinstance(c.type, sa.JSON) and c.key in keys}
    columns = ", ".join(f'"{table.columns[k].name}"' for k in keys)
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([Json(row[k]) if k in json_keys and row[k] is not None else row[k] for k in keys])


def one_of(column: str, values, name: str | None = None) -> sa.CheckConstraint:
    """A named CHECK that keeps a string column inside a declared set of values."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({quoted})", name=name or f"{column}_valid")


def configure_engine(engine: sa.Engine) -> None:
    """SQLite: WAL, foreign keys, and BEGIN IMMEDIATE so writers queue instead of failing mid-way."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None     # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def unit_of_work():
    """The one commit at a boundary (view, CLI command, job): commit on success, roll back on error."""
    from wms.extensions import db

    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def atomic(view):
    """Decorate a mutating view: its work is committed once when it returns, rolled back if it raises."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        with unit_of_work():
            return view(*args, **kwargs)

    return wrapper
