"""Scans that came back from a PDA's offline queue and were refused: kept for a supervisor, never dropped.

A PDA replaying a queued scan sends ``X-Scan-Queued-At`` (when the operator scanned it). If the answer is
a refusal (404/409/422 — the world changed while the device was offline), the request and the problem
are recorded here, in a transaction of their own, for a supervisor to resolve or dismiss.
"""
from __future__ import annotations

import json
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wms.auth.models import User
from wms.core.statemachine import StateMachine
from wms.db import Base, one_of, utcnow

SCAN_EXCEPTION = StateMachine("scan_exception", {
    "open": {"resolve": "resolved", "dismiss": "dismissed"},
    "resolved": {},
    "dismissed": {},
}, attr="state")


class ScanException(Base):
    __tablename__ = "scan_exceptions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    seller_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sellers.id"))
    device: Mapped[str] = mapped_column(sa.String(80), default="")
    idempotency_key: Mapped[str] = mapped_column(sa.String(100), default="")
    method: Mapped[str] = mapped_column(sa.String(10))
    path: Mapped[str] = mapped_column(sa.String(300))
    request_body: Mapped[dict | None] = mapped_column(sa.JSON)
    status_code: Mapped[int]
    problem: Mapped[dict | None] = mapped_column(sa.JSON)
    scanned_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    state: Mapped[str] = mapped_column(sa.String(20), default="open")
    resolution_note: Mapped[str] = mapped_column(sa.String(500), default="")
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None]
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    __table_args__ = (one_of("state", SCAN_EXCEPTION.states), sa.Index("ix_scan_exceptions_state", "state"))

    @property
    def problem_detail(self) -> str:
        return (self.problem or {}).get("detail", "")


QUEUED_HEADER = "X-Scan-Queued-At"
RECORDED = (404, 409, 422)


def record_refusal(request, user, status_code: int, body: str) -> None:
    """Keep a refused offline-queued scan for a supervisor (the caller commits)."""
    from wms.extensions import db

    if request.headers.get(QUEUED_HEADER) is None or status_code not in RECORDED or user is None:
        return
    try:
        problem = json.loads(body)
    except ValueError:
        problem = {"detail": body[:500]}
    db.session.add(ScanException(
        user_id=user.id, seller_id=user.seller_id, device=request.headers.get("X-Device", "")[:80],
        idempotency_key=request.headers.get("Idempotency-Key", "")[:100], method=request.method,
        path=request.path[:300], request_body=request.get_json(silent=True), status_code=status_code,
        problem=problem, scanned_at=_parse_time(request.headers.get(QUEUED_HEADER))))


def _parse_time(value: str | None):
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
    except ValueError:
        return None
    return parsed if parsed is None or parsed.tzinfo else None
