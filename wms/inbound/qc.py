"""Quality control (QC检验) of released goods.

Which receipts are inspected: a product flagged ``qc_required`` always (every unit); otherwise the first
active rule that fits, most specific first — for the product, for the seller, for everybody — where a
``first_arrival_only`` rule fits only a SKU's first arrival (首次到货). The rule's sample rate sets how many
units are checked. The inspector reports the defective units found: those go to the defective zone, the
rest become available and get a putaway task.
"""
from __future__ import annotations

import math

import sqlalchemy as sa

from wms.auth.service import owned
from wms.core.audit import current_actor
from wms.db import utcnow
from wms.errors import NotFound, ValidationFailed
from wms.events import publish
from wms.extensions import db
from wms.inbound import asn as asns
from wms.inbound.models import QcRule, QcTask, Receipt
from wms.inbound.states import QC_TASK
from wms.inventory import service as inventory
from wms.masterdata.models import Location, Product


def rule_for(product: Product, receipt: Receipt) -> QcRule | None:
    """The QC rule a receipt meets, or None (no inspection). A flagged product is a full inspection."""
    if product.qc_required:
        return QcRule(warehouse_id=receipt.location.warehouse_id, product_id=product.id, sample_percent=100,
                      min_sample=1, note="product")
    rules = db.session.scalars(sa.select(QcRule).where(
        QcRule.active.is_(True), QcRule.warehouse_id == receipt.location.warehouse_id,
        sa.or_(QcRule.product_id == product.id, QcRule.product_id.is_(None)),
        sa.or_(QcRule.seller_id == product.seller_id, QcRule.seller_id.is_(None)))).all()
    rules.sort(key=lambda r: (r.product_id is None, r.seller_id is None, not r.first_arrival_only, r.id))
    for rule in rules:
        if rule.first_arrival_only and not receipt.first_arrival:
            continue
        if rule.sample_percent > 0:
            return rule
    return None


def sample_size(qty: int, rule: QcRule) -> int:
    return min(qty, max(rule.min_sample or 0, math.ceil(qty * rule.sample_percent / 100)))


def _reason(rule: QcRule) -> str:
    if rule.note == "product":
        return "product"
    if rule.first_arrival_only:
        return "first_arrival"
    return "product_rule" if rule.product_id else "seller_rule" if rule.seller_id else "warehouse_rule"


def create_task(product: Product, location: Location, qty: int, receipt: Receipt, rule: QcRule) -> QcTask:
    task = QcTask(number=asns.number("QC", "qc"), seller_id=product.seller_id, product_id=product.id,
                  location_id=location.id, lpn=receipt.lpn, lot=receipt.lot, qty=qty,
                  sample_qty=sample_size(qty, rule), reason=_reason(rule), receipt_id=receipt.id)
    db.session.add(task)
    db.session.flush()
    publish(db.session, asns.ROOM, "qc.created", {"number": task.number, "sku": product.sku, "qty": qty,
                                                  "lpn": receipt.lpn})
    return task


def get(task_id: int, *, lock: bool = False) -> QcTask:
    return owned(QcTask, task_id, "qc_task", lock=lock)


def by_scan(code: str) -> QcTask:
    """The open QC task of a scanned LPN."""
    from wms.masterdata.rules import normalize_code
    task = db.session.scalars(sa.select(QcTask).where(QcTask.lpn == normalize_code(code), QcTask.status == "open")
                              .order_by(QcTask.id)).first()
    if task is None:
        raise NotFound("no_qc_task", scanned=code)
    return task


def complete(task: QcTask, failed_qty: int, defect_reason: str = "") -> QcTask:
    """Record the inspection: ``failed_qty`` defective units; every other unit passes."""
    QC_TASK.next_state(task.status, "complete")
    if failed_qty < 0 or failed_qty > task.qty:
        raise ValidationFailed({"failed_qty": [f"Must be between 0 and {task.qty}."]})
    if failed_qty and not defect_reason:
        raise ValidationFailed({"defect_reason": ["Say what the defect is."]}, code="reason_required")
    from wms.inbound.declarations import to_defective
    from wms.inbound import putaway
    product, location = task.product, task.location
    passed = task.qty - failed_qty
    if failed_qty:
        inventory.change_status(product, location, failed_qty, "qc_fail", status="qc_pending", lpn=task.lpn,
                                lot=task.lot, doc_type="qc", doc_ref=task.number, reason=defect_reason)
        to_defective(product, location, failed_qty, task.lpn, task.lot, doc_ref=task.number, reason=defect_reason)
    if passed:
        inventory.change_status(product, location, passed, "qc_pass", status="qc_pending", lpn=task.lpn,
                                lot=task.lot, doc_type="qc", doc_ref=task.number)
        putaway.create_task(product, location, passed, task.lpn, task.lot)
    task.passed_qty, task.failed_qty, task.defect_reason = passed, failed_qty, defect_reason[:300]
    task.user_id, task.done_at = getattr(current_actor.get(), "id", None), utcnow()
    QC_TASK.fire(task, "complete", passed_qty=passed, failed_qty=failed_qty)
    publish(db.session, asns.ROOM, "qc.done", {"number": task.number, "sku": product.sku, "passed": passed,
                                               "failed": failed_qty})
    return task


