"""Account-book routes: book lines, entries (posting 核注清单 / 出入库单 / 核放单 quantities), reconciliation."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Response
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields, validate
from sqlalchemy.orm import joinedload

from wms.auth.service import require, seller_scope
from wms.core.fields import RECORD_ID, Id, NoteSchema, Text
from wms.core.crud import register_list
from wms.core.listing import Column as C, ListSpec
from wms.customs import book, service
from wms.customs.declare import RECORD_TYPES, read_records
from wms.customs.matching import MATCH_EXCEPTION, keep_exceptions
from wms.customs.models import (BOOK_DOC_TYPES, BookEntry, BookItem, CustomsEvent, CustomsMessage, CustomsRecord,
                                MatchException)
from wms.db import atomic
from wms.errors import Conflict, Forbidden, NotFound, ValidationFailed
from wms.extensions import db
from wms.masterdata.models import Seller

blp = Blueprint("customs", __name__, url_prefix="/api/v1",
                description="Customs: account book (账册), message log, declared records and their timelines")


class BookItemSchema(Schema):
    id = fields.Integer()
    book_no = fields.String()
    seq_no = fields.Integer()
    item_no = fields.String()
    product_id = fields.Integer()
    sku = fields.String(attribute="product.sku")
    hs_code = fields.String()
    name = fields.String()
    unit = fields.String()
    legal_unit = fields.String()
    qty = fields.Decimal(as_string=True)
    legal_qty = fields.Decimal(as_string=True)
    seller_id = fields.Integer()


class BookEntrySchema(Schema):
    id = fields.Integer()
    book_item_id = fields.Integer()
    item_no = fields.String(attribute="book_item.item_no")
    direction = fields.String()
    qty = fields.Decimal(as_string=True)
    legal_qty = fields.Decimal(as_string=True)
    doc_type = fields.String()
    doc_no = fields.String()
    gate_pass_at = fields.DateTime()
    movement_id = fields.Integer()
    user_id = fields.Integer()
    note = fields.String()
    created_at = fields.DateTime()
    seller_id = fields.Integer()


class PostEntrySchema(Schema):
    class Meta:
        unknown = RAISE

    book_item_id = Id(required=True)
    qty = fields.Decimal(required=True, places=5, as_string=True,
                         validate=validate.Range(min=-10**12, max=10**12),
                         metadata={"description": "Signed quantity in the declared unit: + into the zone, - out"})
    doc_type = fields.String(required=True, validate=validate.OneOf([t for t in BOOK_DOC_TYPES if t != "opening"]),
                             metadata={"description": "inv 核注清单, sas_stock 出入库单, passport 核放单, adjustment"})
    doc_no = Text(required=True, max_length=40)
    gate_pass_at = fields.AwareDateTime(load_default=None, allow_none=True)
    note = Text(load_default="", max_length=300)


class DifferenceSchema(Schema):
    seller_id = fields.Integer()
    book_no = fields.String()
    seq_no = fields.Integer(allow_none=True)
    item_no = fields.String()
    product_id = fields.Integer()
    book_qty = fields.String()
    physical_qty = fields.Integer()
    difference = fields.String()


class ReconciliationSchema(Schema):
    clean = fields.Boolean()
    differences = fields.List(fields.Nested(DifferenceSchema))


item_listing = ListSpec(
    BookItem, search=(BookItem.item_no, BookItem.name, BookItem.hs_code, BookItem.book_no),
    filters={"book_no": (Text(), BookItem.book_no), "seller_id": (Id(), BookItem.seller_id),
             "hs_code": (Text(), BookItem.hs_code)},
    sort=("seq_no", "item_no", "qty", "hs_code"), default_sort="seq_no",
    columns=[C("book_no", "Book", "账册号"), C("seq_no", "Seq.", "备案序号"), C("item_no", "Item no.", "料号"),
             C("hs_code", "HS code", "HS编码"), C("name", "Name", "品名"), C("unit", "Unit", "单位"),
             C("qty", "Balance", "余量"), C("legal_qty", "Legal qty", "法定数量")])

entry_listing = ListSpec(
    BookEntry, search=(BookEntry.doc_no, BookEntry.note),
    filters={"book_item_id": (Id(), BookEntry.book_item_id), "doc_type": (Text(), BookEntry.doc_type),
             "doc_no": (Text(), BookEntry.doc_no), "direction": (Text(), BookEntry.direction)},
    sort=("created_at", "doc_no"), default_sort="-created_at",
    columns=[C("created_at", "Posted", "记账时间"), C("book_item.item_no", "Item no.", "料号"),
             C("direction", "I/E", "进出"), C("qty", "Qty", "数量"), C("legal_qty", "Legal qty", "法定数量"),
             C("doc_type", "Document", "单证类型"), C("doc_no", "Document no.", "单证号"),
             C("gate_pass_at", "Gate pass", "过卡时间"), C("note", "Note", "备注")])


def item_query():
    query = sa.select(BookItem).options(joinedload(BookItem.product))
    scope = seller_scope()
    return query if scope is None else query.where(BookItem.seller_id == scope)


def entry_query():
    query = sa.select(BookEntry).options(joinedload(BookEntry.book_item))
    scope = seller_scope()
    return query if scope is None else query.where(BookEntry.seller_id == scope)


register_list(blp, "/book-items", endpoint="list_items", listing=item_listing, query=item_query,
              schema=BookItemSchema, name="BookItem", permission="book.read",
              summary="Account-book lines (one per filed bonded item) with their balances")
register_list(blp, "/book-entries", endpoint="list_entries", listing=entry_listing, query=entry_query,
              schema=BookEntrySchema, name="BookEntry", permission="book.read",
              summary="Account-book ledger: every bonded quantity in and out, with its document")


@blp.route("/book-entries", methods=["POST"])
@require("book.post")
@atomic
@blp.arguments(PostEntrySchema)
@blp.response(201, BookEntrySchema)
@blp.doc(summary="Post a quantity to a book line (as the 核注清单 / 出入库单 / 核放单 records it)",
         description="A line never goes below zero: 409 book_insufficient names the balance.")
def post_entry(data):
    item = db.session.scalars(item_query().where(BookItem.id == data["book_item_id"])).first()
    if item is None:
        raise NotFound("record_not_found", entity="book item", id=data["book_item_id"])
    return book.post(item, data["qty"], doc_type=data["doc_type"], doc_no=data["doc_no"],
                     gate_pass_at=data["gate_pass_at"], note=data["note"])


@blp.route("/book-reconciliation")
@require("book.read")
@blp.response(200, ReconciliationSchema)
@blp.doc(summary="Book balance against physical bonded stock, per book line; every difference listed")
def reconciliation():
    differences = book.reconcile(seller_scope())
    return {"clean": not differences, "differences": differences}


# --- declarations: message log and records with their timelines -----------------------------------------

class CustomsMessageSchema(Schema):
    id = fields.Integer()
    direction = fields.String()
    message_type = fields.String()
    guid = fields.String()
    status = fields.String()
    file_name = fields.String()
    attempts = fields.Integer()
    last_error = fields.String()
    created_at = fields.DateTime()
    sent_at = fields.DateTime()
    processed_at = fields.DateTime()
    seller_id = fields.Integer()


class CustomsMessageDetailSchema(CustomsMessageSchema):
    xml = fields.String()


class CustomsEventSchema(Schema):
    id = fields.Integer()
    event = fields.String()
    return_status = fields.String()
    return_info = fields.String()
    return_time = fields.DateTime()
    status_before = fields.String()
    status_after = fields.String()
    applied = fields.Boolean()
    message_id = fields.Integer()
    created_at = fields.DateTime()


class CustomsRecordSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    guid = fields.String()
    seller_id = fields.Integer()
    cop_no = fields.String()
    order_no = fields.String()
    logistics_code = fields.String()
    logistics_no = fields.String()
    ebc_code = fields.String()
    pre_no = fields.String()
    invt_no = fields.String()
    sum_no = fields.String()
    status = fields.String()
    return_status = fields.String()
    return_info = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class CustomsRecordDetailSchema(CustomsRecordSchema):
    payload = fields.Raw()
    timeline = fields.List(fields.Nested(CustomsEventSchema))


message_listing = ListSpec(
    CustomsMessage, search=(CustomsMessage.guid, CustomsMessage.file_name, CustomsMessage.message_type),
    filters={"direction": (Text(), CustomsMessage.direction), "message_type": (Text(), CustomsMessage.message_type),
             "status": (Text(), CustomsMessage.status)},
    sort=("created_at", "message_type", "status"), default_sort="-created_at",
    columns=[C("created_at", "Time", "时间"), C("direction", "Direction", "方向"), C("message_type", "Message", "报文"),
             C("guid", "GUID", "GUID"), C("status", "Status", "状态"), C("attempts", "Attempts", "发送次数"),
             C("file_name", "File", "文件"), C("last_error", "Error", "错误")])

record_listing = ListSpec(
    CustomsRecord, search=(CustomsRecord.order_no, CustomsRecord.logistics_no, CustomsRecord.cop_no,
                           CustomsRecord.invt_no, CustomsRecord.guid),
    filters={"kind": (Text(), CustomsRecord.kind), "status": (Text(), CustomsRecord.status),
             "seller_id": (Id(), CustomsRecord.seller_id)},
    sort=("created_at", "updated_at", "status", "kind"), default_sort="-updated_at",
    columns=[C("updated_at", "Updated", "更新时间"), C("kind", "Kind", "类型"), C("order_no", "Order no.", "订单号"),
             C("logistics_no", "Waybill", "运单号"), C("cop_no", "Our no.", "企业内部编号"),
             C("invt_no", "List no.", "清单编号"), C("status", "Customs state", "海关状态"),
             C("return_status", "Return", "回执状态"), C("return_info", "Return info", "回执信息")])


def _scoped(query, column):
    scope = seller_scope()
    return query if scope is None else query.where(column == scope)


def message_query():
    return _scoped(sa.select(CustomsMessage), CustomsMessage.seller_id)


def record_query():
    return _scoped(sa.select(CustomsRecord), CustomsRecord.seller_id)


register_list(blp, "/customs/messages", endpoint="list_messages", listing=message_listing, query=message_query,
              schema=CustomsMessageSchema, name="CustomsMessage", permission="customs.read",
              summary="Message log: every message sent to customs and every receipt received")


def _message(record_id: int) -> CustomsMessage:
    message = db.session.scalars(message_query().where(CustomsMessage.id == record_id)).first()
    if message is None:
        raise NotFound("record_not_found", entity="customs message", id=record_id)
    return message


@blp.route(f"/customs/messages/{RECORD_ID}")
@require("customs.read")
@blp.response(200, CustomsMessageDetailSchema)
@blp.doc(summary="One message with its XML")
def get_message(record_id):
    return _message(record_id)


@blp.route(f"/customs/messages/{RECORD_ID}/xml")
@require("customs.read")
@blp.doc(summary="Download one message's XML")
def download_message(record_id):
    message = _message(record_id)
    name = message.file_name or f"{message.message_type}_{message.guid or message.id}.xml"
    return Response(message.xml.encode(), mimetype="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


register_list(blp, "/customs/records", endpoint="list_records", listing=record_listing, query=record_query,
              schema=CustomsRecordSchema, name="CustomsRecord", permission="customs.read",
              summary="Declared records (orders, payments, waybills, export lists …) and their customs state")


class DeclarationSchema(Schema):
    class Meta:
        unknown = RAISE

    kind = fields.String(required=True, validate=validate.OneOf(list(RECORD_TYPES)),
                         metadata={"description": "order 303, payment 403, waybill 505, arrival 507, departure 509, "
                                                  "inventory 603, cancel 605, waybill_bill 607, summary 701"})
    records = fields.List(fields.Dict(), required=True, validate=validate.Length(min=1, max=1000),
                          metadata={"description": "The records, field names as in the CEB record types "
                                                   "(order_no, ebc {code,name}, items [...]); times ISO 8601 with zone"})
    seller_id = Id(load_default=None, allow_none=True)


class DeclarationResultSchema(Schema):
    messages = fields.List(fields.Nested(CustomsMessageSchema))
    records = fields.List(fields.Nested(CustomsRecordSchema))


@blp.route("/customs/declarations", methods=["POST"])
@require("customs.declare")
@atomic
@blp.arguments(DeclarationSchema)
@blp.response(202, DeclarationResultSchema)
@blp.doc(summary="Declare records to customs (queued; the worker sends them and applies the receipts)",
         description="Batches of up to 100 per message. Export lists are matched with their declared order, "
                     "payment and waybill first (三单对碰): 409 three_document_mismatch names every differing field.")
def post_declaration(data):
    scope = seller_scope()
    seller_id = scope if scope is not None else data["seller_id"]
    records = read_records(data["kind"], data["records"])
    if scope is not None:
        _own_documents(scope, data["kind"], records)
    elif seller_id is not None and db.session.get(Seller, seller_id) is None:
        raise ValidationFailed({"seller_id": ["Unknown reference."]})
    try:
        messages = service.declare(records, seller_id=seller_id)
    except Conflict as refused:
        if refused.code == "three_document_mismatch":       # kept for sellers and supervisors to follow up
            db.session.rollback()
            keep_exceptions(refused.params["lists"], seller_id)
            db.session.commit()
        raise
    guids = [r.guid for r in records]
    rows = db.session.scalars(sa.select(CustomsRecord).where(CustomsRecord.guid.in_(guids))).all()
    return {"messages": messages, "records": rows}


def _own_documents(seller_id: int, kind: str, records) -> None:
    """A seller declares in its own name (ebc = its customs or credit code) and cancels only its own lists."""
    seller = db.session.get(Seller, seller_id)
    own = {seller.customs_code, seller.uscc}
    for record in records:
        ebc = getattr(record, "ebc", None)
        if ebc is not None and ebc.code not in own:
            raise Forbidden("other_seller")
        if kind == "cancel" and not db.session.scalar(sa.select(CustomsRecord.id).where(
                CustomsRecord.kind == "inventory", CustomsRecord.invt_no == record.invt_no,
                CustomsRecord.seller_id == seller_id)):
            raise NotFound("record_not_found", entity="export list", id=record.invt_no)


def record_with_timeline(record_id: int) -> CustomsRecord:
    """The record, with ``timeline`` (its events, oldest first) set for the answer."""
    record = db.session.scalars(record_query().where(CustomsRecord.id == record_id)).first()
    if record is None:
        raise NotFound("record_not_found", entity="customs record", id=record_id)
    record.timeline = db.session.scalars(sa.select(CustomsEvent).where(CustomsEvent.record_id == record.id)
                                         .order_by(CustomsEvent.id)).all()
    return record


@blp.route(f"/customs/records/{RECORD_ID}")
@require("customs.read")
@blp.response(200, CustomsRecordDetailSchema)
@blp.doc(summary="One declared record with what was declared and its customs timeline")
def get_record(record_id):
    return record_with_timeline(record_id)


# --- three-document match exceptions ----------------------------------------------------------------------

class MatchExceptionSchema(Schema):
    id = fields.Integer()
    seller_id = fields.Integer()
    order_no = fields.String()
    logistics_no = fields.String()
    mismatches = fields.Raw()
    state = fields.String()
    note = fields.String()
    created_at = fields.DateTime()
    resolved_at = fields.DateTime()


match_listing = ListSpec(
    MatchException, search=(MatchException.order_no, MatchException.logistics_no),
    filters={"state": (Text(), MatchException.state), "seller_id": (Id(), MatchException.seller_id)},
    sort=("created_at", "order_no"), default_sort="-created_at",
    columns=[C("created_at", "Time", "时间"), C("order_no", "Order no.", "订单号"), C("logistics_no", "Waybill", "运单号"),
             C("fields", "Differing fields", "不一致字段"), C("state", "State", "状态"), C("note", "Note", "备注")])


def match_query():
    return _scoped(sa.select(MatchException), MatchException.seller_id)


register_list(blp, "/customs/match-exceptions", endpoint="list_match_exceptions", listing=match_listing,
              query=match_query, schema=MatchExceptionSchema, name="MatchException", permission="customs.read",
              summary="Export lists refused by the three-document match (三单对碰), with the differing fields")


def close_match_exception(record_id: int, event: str, note: str) -> MatchException:
    from wms.db import utcnow
    from flask import g
    item = db.session.scalars(match_query().where(MatchException.id == record_id)).first()
    if item is None:
        raise NotFound("record_not_found", entity="match exception", id=record_id)
    MATCH_EXCEPTION.fire(item, event, note=note)
    item.note, item.resolved_at, item.resolved_by_id = note, utcnow(), g.user.id
    return item


@blp.route(f"/customs/match-exceptions/{RECORD_ID}/<any(resolve, dismiss):event>", methods=["POST"])
@require("customs.read")
@atomic
@blp.arguments(NoteSchema)
@blp.response(200, MatchExceptionSchema)
@blp.doc(summary="Close a three-document exception: resolve (documents corrected) or dismiss")
def close_match(data, record_id, event):
    return close_match_exception(record_id, event, data["note"])
