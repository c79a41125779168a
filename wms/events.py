"""Domain events are published to Socket.IO rooms only after the transaction that caused them commits.

``publish`` queues an event on the session; the ``after_commit`` hook emits the queue and a rollback
drops it, so a board never shows something the database does not hold.
"""
from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

from wms.extensions import socketio

log = logging.getLogger(__name__)
NAMESPACE = "/boards"
_KEY = "wms_pending_events"


def publish(session: Session, room: str, name: str, payload: dict) -> None:
    session.info.setdefault(_KEY, []).append((room, name, payload))


@event.listens_for(Session, "after_commit")
def _emit_after_commit(session: Session) -> None:
    pending = session.info.pop(_KEY, None)
    for room, name, payload in pending or ():
        try:
            socketio.emit(name, payload, to=room, namespace=NAMESPACE)
        except Exception:  # a board that misses an event must never undo a committed scan
            log.exception("Could not emit %s to %s", name, room)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_KEY, None)

