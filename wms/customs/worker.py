"""The customs worker loop: a CLI process of its own, or a daemon thread inside each server process."""
from __future__ import annotations

import logging
import threading

from flask import Flask

from wms.extensions import db

log = logging.getLogger(__name__)


def run_round() -> dict[str, int]:
    """One round with the configured gateway; errors are logged and the session rolled back."""
    from wms.customs.service import run_once
    try:
        return run_once()
    except Exception:  # the loop must outlive a bad round (database restart, full disk …)
        db.session.rollback()
        log.exception("customs worker round failed")
        return {"sent": 0, "receipts": 0}
    finally:
        db.session.remove()


BATCH = 100            # messages sent and receipts processed per round (service.send_due / process_incoming)


def loop(app: Flask, stop: threading.Event | None = None) -> None:
    """Rounds until stopped: at once again while a round was full (a backlog), else after the interval."""
    stop = stop or threading.Event()
    interval = float(app.config["CUSTOMS_WORKER_INTERVAL"])
    while not stop.is_set():
        with app.app_context():
            done = run_round()
        if max(done.values(), default=0) < BATCH:
            stop.wait(interval)


def start_thread(app: Flask) -> threading.Thread:
    thread = threading.Thread(target=loop, args=(app,), name="customs-worker", daemon=True)
    thread.start()
    return thread

