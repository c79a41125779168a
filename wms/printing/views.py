"""Admin screen for batch label printing (/admin/labels): location labels by zone/aisle/search, and SSCC
logistics labels by count. The result is a download (PDF, or ZPL/TSPL) or — for a printer with an
address — a job sent to the printer and a message. Same services and rules as the API; forms carry the
CSRF token; only roles with ``labels.print``.
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import Blueprint, Response, flash, g, redirect, render_template, request, session, url_for
from marshmallow import ValidationError

from wms.auth.permissions import allowed
from wms.core.listing import load_args
from wms.db import unit_of_work
from wms.errors import Forbidden, WmsError
from wms.extensions import db
from wms.i18n import get_locale, message, translate_errors
from wms.masterdata.models import Zone
from wms.printing import labels
from wms.printing.api import LocationLabelArgs
from wms.printing.models import PrinterProfile
from wms.printing.schemas import SsccLabelsSchema
from wms.printing.templates import TEMPLATES

bp = Blueprint("labels", __name__, template_folder="templates")
PERMISSION = "labels.print"
SSCC_DATA = ("from_name", "from_address", "to_name", "to_address", "content")
FIELD_LABELS = {  # form field -> (English, Chinese)
    "zone_id": ("Zone", "库区"), "aisle": ("Aisle", "巷道"), "q": ("Search", "搜索"),
    "count": ("Number of labels", "标签数量"), "printer": ("Printer", "打印机"), "format": ("Format", "格式"),
    "from_name": ("From", "发货人"), "from_address": ("From address", "发货地址"), "to_name": ("To", "收货人"),
    "to_address": ("To address", "收货地址"), "content": ("Content", "内容"), "data": ("Label data", "标签内容"),
}


def _(text_en: str, text_zh: str) -> str:
    return text_zh if get_locale() == "zh-CN" else text_en


@bp.before_request
def _csrf():
    token = request.form.get("csrf_token", "") if request.method == "POST" else None
    if token is not None and not (session.get("csrf") and secrets.compare_digest(token, session["csrf"])):
        raise Forbidden("csrf_failed")


@bp.route("/admin/labels", methods=["GET", "POST"])
def labels_page():
    user = g.get("user")
    if user is None:
        return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
    if not allowed(user.role, PERMISSION):
        raise Forbidden(role=user.role, permission=PERMISSION)
    if request.method == "GET":
        return _page()
    kind = request.form.get("kind")
    try:
        if kind == "sscc":
            result = _sscc(request.form)
        else:
            result = _locations(request.form)
    except (ValidationError, WmsError) as exc:
        db.session.rollback()
        for text in _problems(exc):
            flash(text, "error")
        return _page(kind), getattr(exc, "status", 422)
    if isinstance(result, labels.PrintJob):
        flash(_(f"Sent {result.labels} labels to {result.printer} ({result.address}).",
                f"已发送 {result.labels} 张标签到打印机 {result.printer}（{result.address}）。"), "ok")
        return redirect(url_for("labels.labels_page"))
    return Response(result.content, content_type=result.mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{result.filename}"'})


def _page(kind: str | None = None):
    zones = db.session.scalars(sa.select(Zone).where(Zone.active.is_(True)).order_by(Zone.code)).all()
    printers = db.session.scalars(sa.select(PrinterProfile).where(PrinterProfile.active.is_(True))
                                  .order_by(PrinterProfile.code)).all()
    return render_template("labels.html", title=_("Label printing", "标签打印"), zones=zones, printers=printers,
                           form=request.form if request.method == "POST" else {}, kind=kind,
                           templates=TEMPLATES)


def _given(form, *names: str) -> dict:
    return {name: form[name].strip() for name in names if form.get(name, "").strip()}


def _locations(form) -> labels.Document | labels.PrintJob:
    args = load_args(LocationLabelArgs(), _given(form, "zone_id", "aisle", "q"))
    tpl = TEMPLATES["location"]
    output = labels.choose_output(tpl, form.get("format") or None, form.get("printer") or None, None)
    return labels.deliver(tpl, labels.build(tpl, labels.location_items(args)), output)


def _sscc(form) -> labels.Document | labels.PrintJob:
    request_data = _given(form, "count", "format", "printer") | {"data": _given(form, *SSCC_DATA)}
    args = SsccLabelsSchema().load(request_data)
    tpl = TEMPLATES["sscc"]
    with unit_of_work():
        output = labels.choose_output(tpl, args.get("format"), args.get("printer"), None)
        _numbers, items = labels.sscc_items(args["count"], args["data"])
        return labels.deliver(tpl, labels.build(tpl, items), output)


def _problems(exc: ValidationError | WmsError) -> list[str]:
    """Messages for the flash area: the problem, then each field's messages under the field's label."""
    if isinstance(exc, ValidationError):
        errors, lines = exc.messages, []
    else:
        errors = exc.errors or {}
        lines = [] if errors else [message(exc.code, **exc.params)]
    for field, messages in _flat(translate_errors(errors)):
        lines.append(f"{_(*FIELD_LABELS.get(field, (field, field)))}: {messages}")
    return lines


def _flat(errors, prefix: str = "") -> list[tuple[str, str]]:
    out = []
    for key, value in (errors.items() if isinstance(errors, dict) else []):
        if isinstance(value, dict):
            out += _flat(value, str(key))
        else:
            out.append((str(key) if not prefix or prefix == "data" else f"{prefix}.{key}",
                        " ".join(value) if isinstance(value, list) else str(value)))
    return out
