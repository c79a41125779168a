"""Declaring to customs and following the answers.

``declare`` turns domain records into CEB messages (batches of up to 100), stores each record with its
business keys and queues the messages. The worker (``run_once``, looped by ``flask wms customs-worker`` and
inside ``make run``) sends due messages through the configured gateway — with retries and backoff — and
processes receipts: each is matched to its record by the keys of customs.md §4 and moves the record's
customs state; a repeated, late or unknown receipt is logged, never fatal. Every step commits on its own,
so a worker killed mid-run loses nothing and redoes nothing twice.

``declare_inv`` does the same for a 暂存入库单, a 金二 核注清单 (INV101, ``wms.customs.inv``): one message, one
``temp_inbound`` record, moved by its INV201/INV211 receipts (matched by ``etpsInnerInvtNo``). Other parts of
the WMS follow records through ``on_status``: a callback registered for a record kind is called with the
record and the event for every receipt that moves such a record, in the receipt's transaction.
"""
from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum

import sqlalchemy as sa
from flask import current_app
from lxml import etree

from wms.customs import ceb, inv
from wms.customs.gateway import Gateway, GatewayError, Incoming, make_gateway
from wms.customs.models import RECORD_KINDS, CustomsEvent, CustomsMessage, CustomsRecord
from wms.customs.states import CUSTOMS_RECORD, FAILURES, receipt_event
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
StatusListener = Callable[[CustomsRecord, str], None]
LISTENERS: dict[str, list[StatusListener]] = {}
"""Record kind → callbacks run for every receipt that moves a record of that kind (see ``on_status``)."""


def on_status(kind: str, callback: StatusListener) -> None:
    """Call ``callback(record, event)`` whenever a receipt moves a record of ``kind`` (``status_800`` …).

    It runs inside the receipt's transaction, before the commit, after the record's new status is set:
    what it writes commits with the receipt, and an exception it raises rolls the whole receipt file back
    (the file is set aside as failed). Registering the same callback twice keeps one.
    """
    if kind not in RECORD_KINDS:
        raise ValueError(f"unknown customs record kind {kind!r}; known: {', '.join(RECORD_KINDS)}")
    callbacks = LISTENERS.setdefault(kind, [])
    if callback not in callbacks:
        callbacks.append(callback)


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


def declare_inv(decl: inv.InvDeclaration, *, seller_id: int | None = None) -> CustomsMessage:
    """Queue a 暂存入库单 as one 核注清单 INV101 message with one ``temp_inbound`` record.

    A reused guid is a 409 ``duplicate`` (field guid); so is a ``cop_no`` (etpsInnerInvtNo) that another
    temporary inbound still uses, unless that one failed (rejected, error, send_failed): receipts find their
    list by it. A bad value is a 422 ``customs_field`` naming the element.
    """
    guid = (decl.guid or "").upper()
    if db.session.scalar(sa.select(CustomsRecord.id).where(CustomsRecord.guid == guid)):
        raise Conflict("duplicate", field="guid", value=decl.guid)
    if decl.cop_no and db.session.scalar(sa.select(CustomsRecord.id).where(
            CustomsRecord.kind == "temp_inbound", CustomsRecord.cop_no == decl.cop_no,
            CustomsRecord.status.not_in(FAILURES))):
        raise Conflict("duplicate", field="cop_no", value=decl.cop_no)
    try:
        xml = inv.build_inv101(decl, current_app.config["CUSTOMS_DXP_ID"])
    except ceb.CebFieldError as exc:
        raise ValidationFailed({exc.field: [str(exc)]}, code="customs_field") from None
    message = CustomsMessage(direction="out", message_type="INV101", status="queued", seller_id=seller_id,
                             guid=decl.guid, xml=xml.decode(), next_attempt_at=utcnow())
    db.session.add(message)
    db.session.flush()
    record = CustomsRecord(kind="temp_inbound", seller_id=seller_id, guid=decl.guid, cop_no=decl.cop_no,
                           payload=plain(decl), status="draft")
    db.session.add(record)
    db.session.flush()
    _move(record, "queue", message=message)
    return message


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


def _apply(record: CustomsRecord, event: str, message: CustomsMessage, receipt) -> bool:
    """A receipt's move: ``_move``, then, when applied, the listeners of the record's kind."""
    applied = _move(record, event, message=message, receipt=receipt)
    if applied:
        for callback in list(LISTENERS.get(record.kind, ())):
            callback(record, event)
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
    package = inv.is_package(item.data)          # 金二 (INV…) receipts come in a Package, CEB ones do not
    try:
        receipts = inv.parse_inv_receipt(item.data) if package else ceb.parse_receipt(item.data)
    except ceb.CebParseError as exc:
        message.status, message.last_error = "error", str(exc)[:1000]
        log.warning("customs receipt %s unreadable: %s", item.name, exc)
        return False
    matched = _apply_inv(receipts, message) if package else _apply_ceb(receipts, message)
    message.status = "processed" if matched else "unmatched"
    return True


def _apply_ceb(receipts: list[ceb.Receipt], message: CustomsMessage) -> int:
    """Apply CEB receipts to their records; the number matched."""
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
            _apply(record, receipt_event(receipt.return_status), message, receipt)
        matched += 1
    return matched


def _apply_inv(receipts: list[inv.InvReceipt], message: CustomsMessage) -> int:
    """Apply INV201/INV211 receipts to their ``temp_inbound`` records; the number matched.

    The first ``bondInvtNo`` seen is kept as the record's ``invt_no``. A code that maps to no event
    (``InvReceipt.event``) is written on the timeline as ``inv201_<code>``/``inv211_<code>``, not applied.
    """
    matched = 0
    for receipt in receipts:
        message.message_type = receipt.message_type
        message.guid = message.guid or receipt.message_id[:64]
        record = _match_inv(receipt)
        if record is None:
            log.warning("customs receipt %s matches no temporary inbound: etpsInnerInvtNo %s, bondInvtNo %s",
                        receipt.message_type, receipt.cop_no, receipt.bond_invt_no)
            continue
        message.seller_id = message.seller_id or record.seller_id
        if receipt.bond_invt_no and not record.invt_no:
            record.invt_no = receipt.bond_invt_no[:CustomsRecord.__table__.c.invt_no.type.length]
        event = receipt.event
        if event is None:
            log.info("customs receipt %s code %s for %s moves nothing", receipt.message_type, receipt.result,
                     record.cop_no)
        _apply(record, event or f"{receipt.message_type.lower()}_{receipt.result.lower()}"[:30], message, receipt)
        matched += 1
    return matched


def _match_inv(receipt: inv.InvReceipt) -> CustomsRecord | None:
    """The ``temp_inbound`` record of a 金二 receipt: by ``etpsInnerInvtNo`` (our cop_no), else by the
    ``bondInvtNo`` kept from an earlier receipt. Of several records, only one still in flight is taken."""
    locked = sa.select(CustomsRecord).with_for_update().where(CustomsRecord.kind == "temp_inbound")
    for column, value in ((CustomsRecord.cop_no, receipt.cop_no), (CustomsRecord.invt_no, receipt.bond_invt_no)):
        if not value:
            continue
        candidates = db.session.scalars(locked.where(column == value).order_by(CustomsRecord.id)).all()
        if len(candidates) > 1:
            candidates = [record for record in candidates if record.status in IN_FLIGHT]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            log.warning("customs receipt %s fits several temporary inbounds (%s): left unmatched",
                        receipt.message_type, value)
            return None
    return None


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
            _apply(record, "status_error", message, receipt)
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
