"""Declaring to customs and following the answers.

``declare`` turns domain records into CEB messages (batches of up to 100), stores each record with its
business keys and queues the messages. The worker (``run_once``, looped by ``flask wms customs-worker`` and
inside ``make run``) sends due messages through the configured gateway — with retries and backoff — and
processes receipts: each is matched to its record by the keys of customs.md §4 and moves the record's
customs state; a repeated, late or unknown receipt is logged, never fatal. Every step commits on its own,
so a worker killed mid-run loses nothing and redoes nothing twice.
"""
from __future__ import annotations

import dataclasses
import logging
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum

import sqlalchemy as sa
from flask import current_app
from lxml import etree

from wms.customs import ceb
from wms.customs.gateway import Gateway, GatewayError, Incoming, make_gateway
from wms.customs.models import CustomsEvent, CustomsMessage, CustomsRecord
from wms.customs.states import CUSTOMS_RECORD, receipt_event
from wms.db import utcnow
from wms.errors import Conflict, InvalidTransition, ValidationFailed
from wms.extensions import db

log = logging.getLogger(__name__)
KINDS = {ceb.OrderRecord: ("order", "CEB303"), ceb.PaymentRecord: ("payment", "CEB403"),
         ceb.WaybillRecord: ("waybill", "CEB505"), ceb.ArrivalRecord: ("arrival", "CEB507"),
         ceb.DepartureRecord: ("departure", "CEB509"), ceb.InventoryRecord: ("inventory", "CEB603"),
         ceb.InventoryCancel: ("cancel", "CEB605"), ceb.WaybillBill: ("waybill_bill", "CEB607"),
         ceb.SummaryApply: ("summary", "CEB701")}
# receipt entity -> (record kind, record columns to match, in order of preference)
MATCH = {
    "OrderReturn": ("order", [("ebc_code", "order_no", "ebp_code"), ("ebc_code", "order_no")]),
    "ReceiptsReturn": ("payment", [("ebc_code", "order_no")]),
    "LogisticsReturn": ("waybill", [("logistics_code", "logistics_no")]),
    "ArrivalReturn": ("arrival", [("cop_no", "logistics_code"), ("cop_no",)]),
    "DepartureReturn": ("departure", [("cop_no", "logistics_code"), ("cop_no",)]),
    "InventoryReturn": ("inventory", [("cop_no", "agent_code"), ("ebc_code", "order_no")]),
    "InvtCancelReturn": ("cancel", [("cop_no", "agent_code"), ("invt_no",)]),
    "WayBillReturn": ("waybill_bill", [("cop_no", "agent_code")]),
    "SummaryReturn": ("summary", [("cop_no", "agent_code")]),
}
RECEIPT_COLUMNS = {"ebcCode": "ebc_code", "ebpCode": "ebp_code", "orderNo": "order_no", "logisticsCode": "logistics_code",
                   "logisticsNo": "logistics_no", "copNo": "cop_no", "agentCode": "agent_code", "invtNo": "invt_no",
                   "preNo": "pre_no", "sumNo": "sum_no"}
ISSUED = ("pre_no", "invt_no", "sum_no")        # numbers the portal/customs hands out, kept when they arrive
MAX_BACKOFF = timedelta(minutes=10)


def transfer() -> ceb.BaseTransfer:
    config = current_app.config
    return ceb.BaseTransfer(cop_code=config["CUSTOMS_COP_CODE"], cop_name=config["CUSTOMS_COP_NAME"],
                            dxp_id=config["CUSTOMS_DXP_ID"])


def plain(value):
    """A declared record as JSON-able data (kept with the record, to show and to rebuild)."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (Decimal, date, datetime)):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    return value


def _keys(record: ceb.Record) -> dict[str, str]:
    def code(attr):
        party = getattr(record, attr, None)
        return party.code if party is not None else ""
    return {"order_no": getattr(record, "order_no", "") or "", "logistics_no": getattr(record, "logistics_no", "") or "",
            "cop_no": getattr(record, "cop_no", "") or "", "invt_no": getattr(record, "invt_no", "") or "",
            "pre_no": getattr(record, "pre_no", "") or "", "ebc_code": code("ebc"), "ebp_code": code("ebp"),
            "logistics_code": code("logistics"), "agent_code": code("agent")}


def declare(records: list[ceb.Record], *, seller_id: int | None = None, match: bool = True) -> list[CustomsMessage]:
    """Queue ``records`` (all of one kind) for customs, in messages of up to 100.

    A bad field is a 422 (CebFieldError named); an export list whose order, payment and waybill do not
    agree with it (三单对碰) is a 409 ``three_document_mismatch`` naming every differing field.
    """
    if not records:
        raise ValidationFailed({"records": ["Missing data for required field."]})
    kind, message_type = KINDS[type(records[0])]
    taken = db.session.scalars(sa.select(CustomsRecord.guid).where(
        CustomsRecord.guid.in_([r.guid.upper() for r in records]))).all()
    if taken:
        raise Conflict("duplicate", field="guid", value=", ".join(taken))
    if kind == "inventory" and match:
        from wms.customs.matching import check_list
        problems = [{"order_no": r.order_no, "logistics_no": r.logistics_no, "mismatches": found}
                    for r in records if (found := check_list(plain(r), seller_id))]
        if problems:
            raise Conflict("three_document_mismatch", lists=problems)
    messages = []
    for run in ceb.batch(records):
        try:
            xml = ceb.build(message_type, run, transfer())
        except ceb.CebFieldError as exc:
            raise ValidationFailed({exc.field: [str(exc)]}, code="customs_field") from None
        message = CustomsMessage(direction="out", message_type=message_type, status="queued", seller_id=seller_id,
                                 guid=etree.fromstring(xml).get("guid"), xml=xml.decode(), next_attempt_at=utcnow())
        db.session.add(message)
        db.session.flush()
        for record in run:
            row = CustomsRecord(kind=kind, seller_id=seller_id, guid=record.guid, app_type=str(plain(record.app_type)),
                                payload=plain(record), status="draft", **_keys(record))
            db.session.add(row)
            db.session.flush()
            _move(row, "queue", message=message)
        messages.append(message)
    return messages


def _move(record: CustomsRecord, event: str, *, message: CustomsMessage | None = None, receipt=None) -> bool:
    """Fire ``event`` on the record and write it on the timeline; a refused receipt is logged, not applied."""
    before = record.status
    try:
        CUSTOMS_RECORD.fire(record, event, audit=False)
        applied = True
    except InvalidTransition:
        applied = False
    if receipt is not None and applied:
        record.return_status, record.return_info = receipt.return_status or "", receipt.return_info[:1000]
    db.session.add(CustomsEvent(
        record_id=record.id, message_id=message.id if message is not None else None, event=event,
        return_status=(receipt.return_status or "") if receipt else "", return_info=(receipt.return_info if receipt else "")[:1000],
        return_time=receipt.return_time if receipt else None, status_before=before, status_after=record.status,
        applied=applied))
    return applied


# --- the worker -------------------------------------------------------------------------------------------

def send_due(gateway: Gateway, limit: int = 100) -> int:
    """Send queued messages whose time has come; a transport failure is retried with exponential backoff."""
    due = db.session.scalars(
        sa.select(CustomsMessage.id).where(CustomsMessage.direction == "out", CustomsMessage.status == "queued",
                                           CustomsMessage.next_attempt_at <= utcnow())
        .order_by(CustomsMessage.next_attempt_at, CustomsMessage.id).limit(limit)).all()
    sent = 0
    for message_id in due:
        message = db.session.scalars(sa.select(CustomsMessage).where(CustomsMessage.id == message_id)
                                     .with_for_update(skip_locked=True)).first()
        if message is None or message.status != "queued":
            db.session.rollback()
            continue
        message.attempts += 1
        try:
            gateway.send(message)
        except GatewayError as exc:
            message.last_error = str(exc)[:1000]
            message.next_attempt_at = utcnow() + min(timedelta(seconds=2 ** message.attempts), MAX_BACKOFF)
            log.warning("customs message %s not sent (attempt %s): %s", message.id, message.attempts, exc)
        else:
            message.status, message.sent_at, message.last_error = "sent", utcnow(), ""
            for record in _records_of(message):
                _move(record, "send", message=message)
            sent += 1
        db.session.commit()
    return sent


def _records_of(message: CustomsMessage) -> list[CustomsRecord]:
    return db.session.scalars(sa.select(CustomsRecord).join(CustomsEvent, CustomsEvent.record_id == CustomsRecord.id)
                              .where(CustomsEvent.message_id == message.id, CustomsEvent.event == "queue")).all()


def process_incoming(gateway: Gateway, limit: int = 100) -> int:
    """Read arrived receipts, store each in the message log, apply it to its record; one commit per file."""
    handled = 0
    for item in gateway.fetch(limit):
        try:
            ok = _process(item)
            db.session.commit()
        except Exception as exc:  # one bad file must not hold up the ones behind it
            db.session.rollback()
            log.exception("customs receipt %s could not be processed", item.name)
            _keep_failed(item, exc)
            ok = False
        gateway.done(item, ok)
        handled += 1
    return handled


def _keep_failed(item: Incoming, exc: Exception) -> None:
    """Log a receipt that could not be processed, with the error, so nobody loses sight of it."""
    message = db.session.get(CustomsMessage, item.message_id) if item.message_id else None
    if message is None:
        message = CustomsMessage(direction="in", message_type="", xml=_text(item.data), file_name=item.name[:200])
        db.session.add(message)
    message.status, message.last_error, message.processed_at = "error", f"{type(exc).__name__}: {exc}"[:1000], utcnow()
    db.session.commit()


def _process(item: Incoming) -> bool:
    message = None
    if item.message_id:                 # a stored receipt (sandbox): claim it, or leave it to the worker that did
        message = db.session.scalars(sa.select(CustomsMessage).where(CustomsMessage.id == item.message_id)
                                     .with_for_update(skip_locked=True)).first()
        if message is None or message.status != "scheduled":
            return True
    if message is None:
        message = CustomsMessage(direction="in", message_type="", status="received", xml=_text(item.data),
                                 file_name=item.name[:200])
        db.session.add(message)
        db.session.flush()
    message.processed_at = utcnow()
    try:
        receipts = ceb.parse_receipt(item.data)
    except ceb.CebParseError as exc:
        message.status, message.last_error = "error", str(exc)[:1000]
        log.warning("customs receipt %s unreadable: %s", item.name, exc)
        return False
    matched = 0
    for receipt in receipts:
        message.message_type = receipt.message_type[:20]
        message.guid = message.guid or (receipt.message_guid or "")[:64]
        if receipt.entity in SPECIAL:
            matched += SPECIAL[receipt.entity](receipt, message)
            continue
        record = _match(receipt)
        if record is None:
            log.warning("customs receipt %s %s matches no record: %s", receipt.message_type, receipt.guid,
                        dict(receipt.keys))
            continue
        message.seller_id = message.seller_id or record.seller_id
        for key in ISSUED:
            value = receipt.keys.get(_camel(key))
            if value and not getattr(record, key):
                setattr(record, key, value[:CustomsRecord.__table__.c[key].type.length])
        if receipt.return_status is not None:
            _move(record, receipt_event(receipt.return_status), message=message, receipt=receipt)
        matched += 1
    message.status = "processed" if matched else "unmatched"
    return True


def _format_check(receipt, message: CustomsMessage) -> int:
    """CEB900: the data exchange could not read one of our messages; it and its records failed."""
    sent = db.session.scalars(sa.select(CustomsMessage).where(
        CustomsMessage.direction == "out", CustomsMessage.guid == (receipt.keys.get("oriCopMsgId") or ""))).first()
    if sent is None:
        log.warning("format-check receipt for an unknown message: %s", dict(receipt.keys))
        return 0
    if receipt.is_failure:
        sent.status, sent.last_error = "failed", receipt.return_info[:1000]
        for record in _records_of(sent):
            _move(record, "status_error", message=message, receipt=receipt)
    message.seller_id = sent.seller_id
    return 1


def _summary_result(receipt, message: CustomsMessage) -> int:
    """CEB792: which declaration (declSeqNo) and line (gseqno) each summarised list line went into."""
    head = receipt.head
    summary = db.session.scalars(sa.select(CustomsRecord).where(CustomsRecord.kind == "summary",
                                                                CustomsRecord.sum_no == head.sum_no)).first()
    lists = {r.invt_no: r for r in db.session.scalars(sa.select(CustomsRecord).where(
        CustomsRecord.kind == "inventory", CustomsRecord.invt_no.in_({l.invt_no for l in receipt.lines})))}
    declaration = f"{head.decl_seq_no}{' / ' + head.entry_id if head.entry_id else ''}"
    for target, info in [(summary, f"汇总结果：报关单 {declaration}，状态 {head.dec_state}")] + [
            (lists.get(l.invt_no), f"归入报关单 {declaration} 第 {l.gseqno} 项（清单第 {l.gnum} 项 {l.gcode}）")
            for l in receipt.lines]:
        if target is not None:
            db.session.add(CustomsEvent(record_id=target.id, message_id=message.id, event="summary_result",
                                        return_info=info[:1000], return_time=head.op_date,
                                        status_before=target.status, status_after=target.status, applied=True))
            message.seller_id = message.seller_id or target.seller_id
    return int(summary is not None or bool(lists))


SPECIAL = {"MessageReturn": _format_check, "SummaryResult": _summary_result}


def _camel(column: str) -> str:
    return next(k for k, v in RECEIPT_COLUMNS.items() if v == column)


IN_FLIGHT = ("queued", "sent", "stored", "declared", "forwarded", "entered", "review", "concluded", "inspection",
             "released")


def _match(receipt) -> CustomsRecord | None:
    """The record a receipt answers: by the guid it echoes, else by its business keys when exactly one record
    still in flight has them (never a guess between two sellers' records). The row is locked for the update."""
    kind, key_sets = MATCH.get(receipt.entity, (None, []))
    locked = sa.select(CustomsRecord).with_for_update()
    if receipt.guid:
        found = db.session.scalars(locked.where(CustomsRecord.guid == receipt.guid.upper(),
                                                CustomsRecord.kind == kind)).first()
        if found is not None:
            return found
    for columns in key_sets:
        values = {c: receipt.keys.get(_camel(c)) for c in columns}
        if not all(values.values()):
            continue
        candidates = db.session.scalars(locked.where(
            CustomsRecord.kind == kind, CustomsRecord.status.in_(IN_FLIGHT),
            *(getattr(CustomsRecord, c) == v for c, v in values.items())).limit(2)).all()
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            log.warning("customs receipt %s fits several records %s: left unmatched", receipt.guid, values)
            return None
    return None


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def run_once(gateway: Gateway | None = None) -> dict[str, int]:
    """One worker round: send what is due, then process what has arrived."""
    gateway = gateway or make_gateway(current_app.config)
    return {"sent": send_due(gateway), "receipts": process_incoming(gateway)}
