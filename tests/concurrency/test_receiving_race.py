"""Two PDAs receiving the same forecast line at once never over-count: the line's received quantity moves
in one conditional UPDATE under its row lock, so scans past the forecast are refused (without a reason)."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from wms.errors import Conflict
from wms.extensions import db
from wms.inbound import receiving
from wms.inbound.models import Asn, AsnLine, Receipt
from wms.inventory import ledger
from wms.inventory.models import StockBalance

pytestmark = pytest.mark.live
PDAS = 2
SCANS_EACH = 20


def test_two_pdas_on_one_line_never_over_count(live_app):
    with live_app.app_context():
        asn = db.session.scalars(sa.select(Asn).where(Asn.status == "arrived").order_by(Asn.id)).first()
        line = asn.lines[0]
        asn_id, line_id, product_id, expected = asn.id, line.id, line.product_id, line.expected_qty
        db.session.remove()
    assert expected < PDAS * SCANS_EACH             # more scans than forecast units: some must be refused

    outcomes: list[str] = []
    barrier = threading.Barrier(PDAS)

    def pda():
        with live_app.app_context():
            barrier.wait()
            for _ in range(SCANS_EACH):
                try:
                    receiving.receive(asn_id, {"product_id": product_id, "qty": 1})
                    db.session.commit()
                    outcomes.append("received")
                except Conflict as exc:
                    db.session.rollback()
                    outcomes.append(exc.code)
            db.session.remove()

    threads = [threading.Thread(target=pda) for _ in range(PDAS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(outcomes) == PDAS * SCANS_EACH
    assert outcomes.count("received") == expected
    assert set(outcomes) == {"received", "over_receipt"}
    with live_app.app_context():
        line = db.session.get(AsnLine, line_id)
        receipts = db.session.scalar(sa.select(sa.func.sum(Receipt.qty)).where(Receipt.asn_line_id == line_id))
        on_hand = db.session.scalar(sa.select(sa.func.sum(StockBalance.qty)).where(
            StockBalance.lpn.in_(sa.select(Receipt.lpn).where(Receipt.asn_line_id == line_id))))
        assert line.received_qty == receipts == on_hand == expected
        assert ledger.check() == []
        db.session.remove()
