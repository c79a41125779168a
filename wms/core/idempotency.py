"""Idempotent commands: a client-made key per scan; a replay returns the first answer.

A PDA retries a scan when Wi-Fi drops, so every mutating scan endpoint accepts an ``Idempotency-Key``
header. The first answer (success or a 4xx) is stored in the same transaction as the effect; a later
request with the same key and the same body gets that stored answer back (``Idempotent-Replayed: true``);
the same key with a different body is a 422. Two concurrent requests with one key: the loser's
transaction fails on the unique key, is rolled back, and it answers with the winner's stored result.
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from functools import wraps

import sqlalchemy as sa
from flask import current_app, g, request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from wms.db import Base, unit_of_work, utcnow
from wms.errors import WmsError, ValidationFailed
from wms.extensions import db

MAX_KEY_LENGTH = 100


class KeyReused(WmsError):
    status, code = 422, "idempotency_key_reused"


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(sa.String(MAX_KEY_LENGTH))
    fingerprint: Mapped[str] = mapped_column(sa.String(64))
    status_code: Mapped[int]
    content_type: Mapped[str] = mapped_column(sa.String(60))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (sa.UniqueConstraint("user_id", "key"),)


def _fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(request.get_data() or b"")
    return digest.hexdigest()


def _find(user_id: int, key: str) -> IdempotencyRecord | None:
    return db.session.scalars(
        sa.select(IdempotencyRecord).where(IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key)
    ).first()


def _replay(record: IdempotencyRecord, fingerprint: str):
    if record.fingerprint != fingerprint:
        raise KeyReused(key=record.key)
    response = current_app.response_class(record.body, status=record.status_code, content_type=record.content_type)
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _store(key: str, fingerprint: str, response) -> None:
    db.session.add(IdempotencyRecord(
        user_id=g.user.id, key=key, fingerprint=fingerprint, status_code=response.status_code,
        content_type=response.content_type, body=response.get_data(as_text=True)))


def idempotent(view):
    """Run a mutating view as one transaction, answering replays of its ``Idempotency-Key`` from storage."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            with unit_of_work():
                return view(*args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            raise ValidationFailed({"Idempotency-Key": [f"Longer than maximum length {MAX_KEY_LENGTH}."]})
        fingerprint = _fingerprint()
        existing = _find(g.user.id, key)
        if existing is not None:
            _keep_queued_refusal(existing)
            return _replay(existing, fingerprint)
        try:
            response = current_app.make_response(view(*args, **kwargs))
            _store(key, fingerprint, response)
            db.session.commit()
            return response
        except WmsError as exc:
            db.session.rollback()
            if exc.status in (401, 403, 429):
                raise
            from wms.errors import problem
            response = current_app.make_response(problem(exc.status, exc.code, errors=exc.errors, **exc.params))
            return _store_error(key, fingerprint, response)
        except IntegrityError:
            db.session.rollback()
            existing = _find(g.user.id, key)
            if existing is None:
                raise
            return _replay(existing, fingerprint)
        except BaseException:
            db.session.rollback()
            raise

    return wrapper


def _keep_queued_refusal(record: IdempotencyRecord) -> None:
    """A queued scan whose first (live) answer was a refusal that never reached the PDA: when the PDA
    replays it from its offline queue, the refusal goes to the supervisors' list too — once."""
    from wms.scanning.models import QUEUED_HEADER, ScanException, record_refusal
    if request.headers.get(QUEUED_HEADER) is None:
        return
    known = db.session.scalar(sa.select(ScanException.id).where(ScanException.user_id == g.user.id,
                                                                ScanException.idempotency_key == record.key))
    if known is None:
        record_refusal(request, g.user, record.status_code, record.body)
        db.session.commit()


def _store_error(key, fingerprint, response):
    from wms.scanning.models import record_refusal
    try:
        _store(key, fingerprint, response)
        record_refusal(request, g.user, response.status_code, response.get_data(as_text=True))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = _find(g.user.id, key)
        return _replay(existing, fingerprint)
    return response

