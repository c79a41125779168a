"""Scan exceptions: refused offline-queued scans, listed for supervisors to resolve or dismiss."""
from __future__ import annotations

import sqlalchemy as sa
from flask import g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import joinedload

from wms.auth.service import require, seller_scope
from wms.core.fields import RECORD_ID, Id, NoteSchema, Text
from wms.core.crud import register_list
from wms.core.listing import Column as C, ListSpec
from wms.db import atomic, utcnow
from wms.errors import NotFound
from wms.extensions import db
from wms.scanning.models import SCAN_EXCEPTION, ScanException

blp = Blueprint("scanning", __name__, url_prefix="/api/v1",
                description="Scans refused after an offline replay, kept for supervisors")

listing = ListSpec(
    ScanException, search=(ScanException.path, ScanException.device, ScanException.idempotency_key),
    filters={"state": (Text(), ScanException.state), "user_id": (Id(), ScanException.user_id),
             "status_code": (fields.Integer(validate=validate.Range(min=100, max=599)), ScanException.status_code)},
    sort=("created_at", "scanned_at", "state"), default_sort="-created_at",
    columns=[C("created_at", "Received", "接收时间"), C("scanned_at", "Scanned", "扫描时间"),
             C("user.username", "Operator", "作业员"), C("device", "Device", "设备"), C("path", "Scan", "操作"),
             C("status_code", "Answer", "结果"), C("problem_detail", "Problem", "问题"),
             C("state", "State", "状态")])


class ScanExceptionSchema(Schema):
    id = fields.Integer()
    created_at = fields.DateTime()
    scanned_at = fields.DateTime()
    user_id = fields.Integer()
    username = fields.String(attribute="user.username")
    device = fields.String()
    idempotency_key = fields.String()
    method = fields.String()
    path = fields.String()
    request_body = fields.Raw()
    status_code = fields.Integer()
    problem = fields.Raw()
    state = fields.String()
    resolution_note = fields.String()
    resolved_at = fields.DateTime()


def query():
    q = sa.select(ScanException).options(joinedload(ScanException.user))
    scope = seller_scope()
    return q if scope is None else q.where(ScanException.seller_id == scope)


register_list(blp, "/scan-exceptions", endpoint="list_exceptions", listing=listing, query=query,
              schema=ScanExceptionSchema, name="ScanException", permission="scans.review",
              summary="Offline-queued scans that were refused when replayed",
              description=f"States: {', '.join(SCAN_EXCEPTION.states)}.")


@blp.route(f"/scan-exceptions/{RECORD_ID}/<any(resolve, dismiss):event>", methods=["POST"])
@require("scans.review")
@atomic
@blp.arguments(NoteSchema)
@blp.response(200, ScanExceptionSchema)
@blp.doc(summary="Close a scan exception: resolve (handled, with a note) or dismiss")
def close_exception(data, record_id, event):
    return close_scan_exception(record_id, event, data["note"])


def close_scan_exception(record_id: int, event: str, note: str) -> ScanException:
    """Resolve or dismiss a refused scan, with who, when and the supervisor's note (callers commit)."""
    item = db.session.scalars(query().where(ScanException.id == record_id)).first()
    if item is None:
        raise NotFound("record_not_found", entity="scan exception", id=record_id)
    SCAN_EXCEPTION.fire(item, event, note=note)
    item.resolution_note = note
    item.resolved_by_id, item.resolved_at = g.user.id, utcnow()
    return item
