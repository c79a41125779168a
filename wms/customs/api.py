"""Account-book routes: book lines, entries (posting 核注清单 / 出入库单 / 核放单 quantities), reconciliation."""
from __future__ import annotations

import sqlalchemy as sa
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields, validate
from sqlalchemy.orm import joinedload

from wms.auth.service import require, seller_scope
from wms.core.fields import Id, Text
from wms.core.listing import Column as C, ListSpec, export, page
from wms.customs import book
from wms.customs.models import BOOK_DOC_TYPES, BookEntry, BookItem
from wms.db import atomic
from wms.errors import NotFound
from wms.extensions import db
from wms.i18n import get_locale

blp = Blueprint("customs", __name__, url_prefix="/api/v1",
                description="Customs account book (账册): lines, entries, reconciliation with bonded stock")


def _page(item, name):
    return Schema.from_dict({"items": fields.List(fields.Nested(item)), "page": fields.Integer(),
                             "per_page": fields.Integer(), "total": fields.Integer(), "pages": fields.Integer()},
                            name=name)


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


@blp.route("/book-items")
@require("book.read")
@blp.arguments(item_listing.args_schema("BookItem"), location="query")
@blp.response(200, _page(BookItemSchema, "BookItemPage"))
@blp.doc(summary="Account-book lines (one per filed bonded item) with their balances")
def list_items(args):
    query = item_listing.apply(item_query(), args)
    if args["format"] != "json":
        return export(query, item_listing.columns, args["format"], "book-items", get_locale())
    return page(query, args)


@blp.route("/book-entries")
@require("book.read")
@blp.arguments(entry_listing.args_schema("BookEntry"), location="query")
@blp.response(200, _page(BookEntrySchema, "BookEntryPage"))
@blp.doc(summary="Account-book ledger: every bonded quantity in and out, with its document")
def list_entries(args):
    query = entry_listing.apply(entry_query(), args)
    if args["format"] != "json":
        return export(query, entry_listing.columns, args["format"], "book-entries", get_locale())
    return page(query, args)


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
