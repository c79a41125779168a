"""The packing station (打包台) at /admin/packing: a desktop page for a barcode scanner (keyboard wedge ending in
Enter), a scale that types the weight, a label printer, and the browser printing each parcel's packing list.

The page is plain JS (``static/packing.js``) over thin session-authenticated JSON views under
``/admin/packing/api/…``: the ``/api/v1/packing`` routes take a bearer token only, so these call the same
services (``wms.outbound.packing``) with the same schemas and answer the same JSON (problems included). Their
POSTs carry the session's CSRF token in the ``X-CSRF-Token`` header (checked by the screens' CSRF hook in
``wms.web.views``, as forms carry it in ``csrf_token``).

After a close the page opens the shipping label from ``/admin/orders/<id>/shipping-label.pdf`` (or sends it to
the printer chosen: ``?printer=CODE``), as the API's ``/api/v1/orders/<id>/shipping-label`` does. With it,
unless the seller's template says otherwise (``print_at_packing``), the packing list (装箱单) from
``/admin/orders/<id>/packing-list.pdf`` in the seller's template: it always opens in a new tab for the browser
to print (the station's browser should allow pop-ups for this site, or print silently with Chromium's
``--kiosk-printing``). Raw printing (port 9100) carries ZPL/TSPL label formats only and a PDF is never sent
raw, so a packing list does not go to a label printer profile.
"""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask import current_app, g, jsonify, render_template, request
from marshmallow import ValidationError

from wms.auth.permissions import allowed
from wms.core.fields import RECORD_ID
from wms.db import unit_of_work
from wms.errors import Forbidden, Unauthorized, ValidationFailed
from wms.extensions import db
from wms.i18n import get_locale
from wms.masterdata.models import PackagingMaterial
from wms.outbound import orders, packing
from wms.outbound import schemas as s
from wms.outbound.models import PackagingStock
from wms.printing.models import PrinterProfile
from wms.web.inbound import _guard
from wms.web.views import _, bp, csrf_token

PERMISSION = "packing.perform"


def nav_items(user) -> list[tuple[str, str]]:
    """The packing station in the menu: staff who pack."""
    if user.is_seller or not allowed(user.role, PERMISSION):
        return []
    return [("/admin/packing", _("Packing station", "打包台"))]


def _api_guard() -> None:
    """The JSON views: 401 when not signed in, 403 for sellers and roles that do not pack (problem JSON)."""
    user = g.get("user")
    if user is None:
        raise Unauthorized("unauthorized")
    if user.is_seller or not allowed(user.role, PERMISSION):
        raise Forbidden(role=user.role, permission=PERMISSION)


def _load(schema) -> dict:
    try:
        return schema.load(request.get_json(silent=True) or {})
    except ValidationError as exc:
        raise ValidationFailed(exc.messages) from None


def _answer(result: dict, schema=s.PackAnswerSchema):
    return jsonify(schema().dump(result))


def _label_url(order_id: int) -> str:
    return f"/admin/orders/{order_id}/shipping-label.pdf"


def _packing_list_url(order) -> str | None:
    """The packing list to print with the parcel; None when the seller's template turns it off."""
    from wms.outbound import packing_list
    if not packing_list.settings_of(order.seller_id, with_logo=False).print_at_packing:
        return None
    return f"/admin/orders/{order.id}/packing-list.pdf"


# --- the page ----------------------------------------------------------------------------------------------

def _materials() -> list[dict]:
    """Active packing materials, the smallest first (by max. weight), with their tare and stock."""
    zh = get_locale() == "zh-CN"
    stock = dict(db.session.execute(sa.select(PackagingStock.material_id, sa.func.sum(PackagingStock.qty))
                                    .group_by(PackagingStock.material_id)).all())
    rows = db.session.scalars(sa.select(PackagingMaterial).where(PackagingMaterial.active.is_(True))).all()
    rows.sort(key=lambda m: (m.max_weight_kg is None, m.max_weight_kg or 0, m.code))
    return [{"code": m.code, "name": (m.name_zh if zh else (m.name_en or m.name_zh)),
             "tare_kg": str(m.tare_weight_kg or 0),
             "max_kg": None if m.max_weight_kg is None else str(m.max_weight_kg),
             "stock": int(stock.get(m.id) or 0)} for m in rows]


def _printers() -> list[dict]:
    rows = db.session.scalars(sa.select(PrinterProfile).where(PrinterProfile.active.is_(True))
                              .order_by(PrinterProfile.code)).all()
    return [{"code": p.code, "name": p.name, "language": p.language, "sends": bool(p.host)} for p in rows]


WORDS = {  # the page's own labels: (en, zh)
    "scan_start": ("Scan a cart slot, an order number or a waybill", "扫描分拣格口、订单号或运单号"),
    "scan_items": ("Scan each unit of the order", "逐件扫描复核商品"),
    "scan_wave": ("Fast lane: scan the wave number", "快速通道：扫描波次号"),
    "scan_unit_fast": ("Fast lane: scan the unit", "快速通道：扫描商品"),
    "choose_material": ("Choose the material, weigh, then Enter or Close", "选择包材并称重，然后按回车或封箱"),
    "wrong_weight": ("Not a weight: type digits, optionally with kg or g.", "重量格式不对：请输入数字，可带 kg 或 g。"),
    "no_material": ("Choose a packing material.", "请选择包材。"),
    "no_weight": ("Weigh the parcel first.", "请先称重。"),
    "unchecked": ("Not every unit is checked yet.", "还有商品未复核。"),
    "expected": ("Expected", "预计"),
    "packed": ("Packed", "已打包"),
    "label_opened": ("Label opened in a new tab.", "面单已在新标签页打开。"),
    "label_blocked": ("The browser blocked the new tab: open the label here.", "浏览器阻止了新标签页，请点此打开面单。"),
    "label_sent": ("Label sent to printer", "面单已发送到打印机"),
    "open_label": ("Open label", "打开面单"),
    "list_opened": ("Packing list opened in a new tab.", "装箱单已在新标签页打开。"),
    "list_blocked": ("Pop-ups are blocked: allow them for this site, or open the packing list here.",
                     "浏览器阻止了装箱单的新标签页：请允许本站弹出窗口，或点此打开装箱单。"),
    "open_list": ("Open packing list", "打开装箱单"),
    "wave": ("Wave", "波次"),
    "network": ("The server cannot be reached; try again.", "无法连接服务器，请重试。"),
    "weight_set": ("Weight from the scale", "秤重"),
    "material_set": ("Material", "包材"),
    "reset_done": ("Cleared; scan the next order.", "已清除，请扫描下一单。"),
    "no_order": ("No order on the station.", "当前没有待打包的订单。"),
    "waybill": ("Waybill", "运单号"),
    "channel": ("Channel", "渠道"),
    "country": ("Country", "国家"),
    "name": ("Name", "品名"),
    "checked_qty": ("Checked / qty", "复核 / 数量"),
}


@bp.get("/admin/packing")
def packing_station():
    if (r := _guard(PERMISSION, staff=True)) is not None:
        return r
    config = current_app.config
    page = {
        "csrf": csrf_token(),
        "urls": {"start": "/admin/packing/api/start", "fast_lane": "/admin/packing/api/fast-lane",
                 "check": "/admin/packing/api/orders/{id}/check",
                 "close": "/admin/packing/api/orders/{id}/close",
                 "label": "/admin/orders/{id}/shipping-label.pdf"},
        "materials": _materials(),
        "printers": _printers(),
        "tolerance_kg": str(config.get("PACK_WEIGHT_TOLERANCE_KG", "0.05")),
        "tolerance_pct": str(config.get("PACK_WEIGHT_TOLERANCE_PCT", "10")),
        "words": {k: _(*v) for k, v in WORDS.items()},
        "locale": get_locale(),
    }
    return render_template("packing_station.html", title=_("Packing station", "打包台"), page=page)


# --- the JSON views (as /api/v1/packing/…, with the session) ------------------------------------------------

@bp.post("/admin/packing/api/start")
def packing_api_start():
    """Scan a cart slot LPN, an order number or a waybill → the order to verify (404 nothing_to_pack)."""
    _api_guard()
    data = _load(s.PackStartSchema())
    return _answer(packing.start(data["scan"]))


@bp.post("/admin/packing/api/fast-lane")
def packing_api_fast_lane():
    """Single-item fast lane: the unit scanned names the oldest picked order of the wave wanting it."""
    _api_guard()
    data = _load(s.FastLaneSchema())
    return _answer(packing.fast_lane(data["wave"], data["scan"]))


@bp.post("/admin/packing/api/orders/" + RECORD_ID + "/check")
def packing_api_check(record_id: int):
    """Every unit scanned so far, checked in turn: a wrong or extra one is 409 wrong_item / extra_item."""
    _api_guard()
    from wms.inbound.receiving import answer
    data = _load(s.PackCheckSchema())
    order = orders.get(record_id)
    checked = packing.check_all(order, data["scans"])
    complete = all(checked.get(l.product_id, 0) == l.qty for l in order.lines)
    step, prompt = ("close", "choose_material") if complete else ("verify", "verify_items")
    return _answer(answer(step, prompt, order=packing.view(order, checked), scans=data["scans"],
                          prompt_params={"order_no": order.order_no}))


@bp.post("/admin/packing/api/orders/" + RECORD_ID + "/close")
def packing_api_close(record_id: int):
    """Material and weight (± tolerance): the parcel is made, the order packed; the label's URL answered, and
    the packing list's when the seller's template prints it at packing (else ``packing_list_url`` is null)."""
    _api_guard()
    from wms.inbound.receiving import answer
    data = _load(s.PackCloseSchema())
    with unit_of_work():
        order = orders.get(record_id, lock=True)
        parcel = packing.close(order, packing.check_all(order, data["scans"]), data["material"],
                               Decimal(data["weight_kg"]))
        result = answer("start", "packed", parcel={"id": parcel.id, "logistics_no": parcel.logistics_no,
                                                   "weight_kg": str(parcel.weight_kg),
                                                   "expected_weight_kg": str(parcel.expected_weight_kg)},
                        label_url=_label_url(order.id), packing_list_url=_packing_list_url(order),
                        order=packing.view(order, {}), prompt_params={"order_no": order.order_no})
    return _answer(result, s.PackClosedSchema)


# --- the shipping label ------------------------------------------------------------------------------------

@bp.get("/admin/orders/" + RECORD_ID + "/shipping-label.pdf")
def order_shipping_label(record_id: int):
    """The 100×150 mm shipping label of a packed order as PDF; ``?printer=CODE`` sends it to that printer
    (202 with the job) as the API's route does."""
    if (r := _guard("orders.read", staff=True)) is not None:
        return r
    from wms.printing.api import label_response
    printer = request.args.get("printer", "").strip()
    items = packing.shipping_label_items(orders.get(record_id))
    return label_response("shipping", items, {"printer": printer} if printer else {"format": "pdf"})


# --- the packing list --------------------------------------------------------------------------------------

@bp.get("/admin/orders/" + RECORD_ID + "/packing-list.pdf")
def order_packing_list(record_id: int):
    """The order's packing list (装箱单) in its seller's template, as PDF (409 before the order is picked)."""
    if (r := _guard("orders.read", staff=True)) is not None:
        return r
    from flask import Response
    from wms.outbound import packing_list
    order = orders.get(record_id)
    disposition = f'inline; filename="{packing_list.filename(order.order_no)}"'
    return Response(packing_list.order_pdf(order), mimetype="application/pdf",
                    headers={"Content-Disposition": disposition})
