"""Order screens: sellers' orders under /oms (staff see every seller's under /admin): the list with filters and
exports, a new-order form with a lines grid, the order's page (buyer, money, channel and waybill, customs state,
lines, allocations) with cancel / match again / allocate by state and role, and the Excel import.

Every write goes through the order services (``wms.outbound``), once per form, in one unit of work; a refused
event (409) or invalid input (422) is shown on the page with the problem's own message.
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import sqlalchemy as sa
from flask import Response, flash, g, redirect, render_template, request
from markupsafe import Markup
from marshmallow import ValidationError
from sqlalchemy.orm import joinedload

from wms.auth.permissions import allowed
from wms.core.fields import RECORD_ID
from wms.db import unit_of_work
from wms.errors import NotFound, ValidationFailed, WmsError
from wms.extensions import db
from wms.i18n import get_locale, message, status_title, translate_errors
from wms.masterdata.models import Channel, Country, Currency, Seller
from wms.outbound import orders
from wms.outbound.api import order_listing as api_order_listing
from wms.outbound.models import Allocation, Order, OrderLine
from wms.outbound.schemas import OrderSchema
from wms.outbound.states import CANCELLABLE, ORDER
from wms.web import forms
from wms.web.inbound import _flat, _guard, _int, _product_choices, _scoped, _spread
from wms.web.views import _, _list_page, _prefix, bp

# --- names of the order's values --------------------------------------------------------------------------------

ORDER_MODES = {"stock": ("Bonded stock", "备货模式"), "parcel": ("Pre-packed parcel", "集货包裹")}
TRADE_MODES = {"1210": ("1210 bonded e-commerce", "1210 保税电商"), "9610": ("9610 direct mail", "9610 直邮")}
CUSTOMS_STATES = {"": ("Not declared", "未申报"), "declared": ("Declared", "已申报"),
                  "inspection": ("Inspection", "海关查验"), "released": ("Released", "已放行"),
                  "rejected": ("Rejected", "海关退单")}
ALLOCATION_STATES = {"open": ("Reserved", "已预占"), "picked": ("Picked", "已拣货"),
                     "released": ("Given back", "已释放")}
EVENTS = {"cancel": ("Cancel order", "取消订单"), "match": ("Declare and match", "申报对碰"),
          "match_again": ("Match again", "重新对碰"), "allocate": ("Allocate", "分配库存"),
          "redeclare": ("Declare the list again", "重新申报清单"),
          "match_fail": ("Match failed", "对碰失败"), "backorder": ("Backorder", "缺货"),
          "wave": ("Wave", "组波"), "pick": ("Pick", "拣货"), "pack": ("Pack", "打包"), "bag": ("Bag", "装袋"),
          "load": ("Load", "装车"), "gate_out": ("Gate-out", "出区"), "reallocate": ("Reallocate", "重新分配"),
          "short_pick": ("Short pick", "拣货短缺"), "unbag": ("Unbag", "拆袋"),
          "unwave": ("Take out of the wave", "移出波次")}
LINE_COLUMNS = {"sku": ("SKU", "SKU"), "qty": ("Quantity", "数量"), "price": ("Unit price", "单价"),
                "product_id": ("SKU", "SKU")}
HEADER_FIELDS = ("platform", "order_no", "mode", "trade_mode", "buyer_name", "buyer_phone", "buyer_email", "country",
                 "state", "city", "address1", "address2", "postal_code", "currency", "goods_value", "freight",
                 "insured_fee", "charge", "pay_name", "pay_no", "channel", "parcel_waybill_no", "note")
OPTIONAL = ("buyer_email", "state", "address2", "postal_code", "freight", "insured_fee", "charge", "pay_name", "pay_no",
            "channel", "parcel_waybill_no", "note")
LINE_FIELDS = ("sku", "qty", "price")
FIELD_ALIASES = {"phone": "buyer_phone"}          # the address check names the phone "phone"
BLANK_LINES = 3
MAX_LINES = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# the API's list, the order number first (the screen's link to the order)
order_listing = replace(api_order_listing, columns=sorted(api_order_listing.columns,
                                                          key=lambda c: c.key != "order_no"))


def _names(table: dict) -> dict[str, str]:
    return {k: _(*v) for k, v in table.items()}


def _state_names() -> dict[str, str]:
    """The order states in words, through the screens' state helper (``forms.STATES``)."""
    return {s: forms.state(s) for s in ORDER.states}


def event_name(event: str) -> str:
    return _(*EVENTS.get(event, (event, event)))


def nav_items(user, prefix: str) -> list[tuple[str, str]]:
    """The order entries of the menu, by role."""
    items = []
    if allowed(user.role, "orders.read"):
        items.append((f"{prefix}/orders", _("Orders", "订单")))
    if allowed(user.role, "orders.write"):
        items.append((f"{prefix}/orders/import", _("Import orders", "订单导入")))
    return items


def problem_text(exc: WmsError) -> str:
    """A refused action as one line: status, the problem's message, field errors, what is allowed now."""
    params = dict(exc.params)
    for key in ("current_state", "state"):
        if isinstance(params.get(key), str):
            params[key] = forms.state(params[key])
    if params.get("machine") == "order":
        params["machine"] = _("Order", "订单")
    if isinstance(params.get("event"), str):
        params["event"] = event_name(params["event"])
    text = f"{exc.status} {status_title(exc.status)} · {message(exc.code, **params)}"
    errors = translate_errors(exc.errors or {})
    details = [f"{k}: {' '.join(map(str, _flat(v)))}" for k, v in errors.items() if k != "rows"]
    if details:
        text += " — " + "; ".join(details)
    if "allowed_events" in exc.params:
        allowed_now = ", ".join(event_name(e) for e in exc.params["allowed_events"] or []) or "—"
        text += " " + _(f"(allowed now: {allowed_now})", f"（当前可执行：{allowed_now}）")
    return text


# --- list ----------------------------------------------------------------------------------------------------

@bp.get("/oms/orders")
@bp.get("/admin/orders")
def order_list():
    user = g.get("user")
    can_write = user is not None and allowed(user.role, "orders.write")
    base = _scoped(sa.select(Order).options(joinedload(Order.seller), joinedload(Order.country),
                                            joinedload(Order.currency)), Order.seller_id) if user else None
    extra = None
    if can_write:
        extra = Markup('<a class="button" href="{}">{}</a>').format(f"{_prefix()}/orders/import",
                                                                   _("Import from Excel", "Excel 导入"))
    return _list_page("orders", title=_("Orders", "订单"), permission="orders.read", listing=order_listing,
                      base_query=base, link=lambda row: f"{_prefix()}/orders/{row.id}",
                      new_url=f"{_prefix()}/orders/new" if can_write else None, references={"seller_id": Seller},
                      value_labels={"status": _state_names(), "mode": _names(ORDER_MODES)}, extra=extra)


# --- new order -------------------------------------------------------------------------------------------------

def _order_rows(form) -> list[dict]:
    columns = {k: form.getlist(f"line_{k}") for k in LINE_FIELDS}
    count = min(max((len(v) for v in columns.values()), default=0), MAX_LINES)
    return [{k: (columns[k][i] if i < len(columns[k]) else "").strip() for k in LINE_FIELDS} for i in range(count)]


def _order_input(form, *, staff: bool) -> tuple[dict | None, list[dict], dict, dict, list[int]]:
    """Form fields to OrderSchema input, loaded. Returns (loaded or None, rows, header errors, row errors by
    row index, the row index of each sent line)."""
    header_errors: dict[str, list[str]] = {}
    row_errors: dict[int, dict] = {}
    data: dict = {}
    for key in HEADER_FIELDS:
        value = form.get(key, "").strip()
        if value or key not in OPTIONAL:
            data[key] = value
    if not data.get("mode"):
        data.pop("mode", None)
    if not data.get("trade_mode"):
        data.pop("trade_mode", None)
    if staff:
        seller_id = _int(form.get("seller_id", ""))
        if seller_id is None:
            header_errors["seller_id"] = [translate_errors("Missing data for required field.")]
        else:
            data["seller_id"] = seller_id
    rows = _order_rows(form)
    lines, index = [], []
    for i, row in enumerate(rows):
        if not any(row.values()):
            continue
        line = {"sku": row["sku"], "qty": row["qty"], "price": row["price"]}
        if not row["sku"]:
            line.pop("sku")
        lines.append(line)
        index.append(i)
    data["lines"] = lines
    try:
        loaded = OrderSchema().load(data)
    except ValidationError as exc:
        loaded = None
        _spread(exc.messages, index, header_errors, row_errors)
    _aliases(header_errors)
    return (None if header_errors or row_errors else loaded), rows, header_errors, row_errors, index


def _aliases(header_errors: dict) -> None:
    for source, target in FIELD_ALIASES.items():
        if source in header_errors:
            header_errors.setdefault(target, []).extend(header_errors.pop(source))


def _choices(model, label=lambda row: row.code) -> list[tuple[str, str]]:
    rows = db.session.scalars(sa.select(model).where(model.active.is_(True)).order_by(model.code).limit(500)).all()
    return [(row.code, label(row)) for row in rows]


def _order_form(*, rows=None, values=None, header_errors=None, row_errors=None, general=None, status=200):
    staff = not g.user.is_seller
    values = values or {"mode": "stock", "trade_mode": "1210", "currency": "USD", "country": "",
                        "seller_id": request.args.get("seller_id", "")}
    seller_id = g.user.seller_id if not staff else _int(str(values.get("seller_id") or ""))
    rows = list(rows or []) + [dict.fromkeys(LINE_FIELDS, "") for _i in range(BLANK_LINES)]
    zh = get_locale() == "zh-CN"
    named = (lambda row: f"{row.code} {row.name_zh if zh else row.name_en}".strip())
    return render_template(
        "order_form.html", values=values, rows=rows, header_errors=header_errors or {},
        row_errors=row_errors or {}, general=general,
        sellers=[("", "—"), *forms._reference_choices(Seller)] if staff else None,
        products=_product_choices(seller_id),           # staff before choosing a seller: every seller's
        countries=[("", "—"), *_choices(Country, named)], currencies=_choices(Currency, named),
        channels=[("", _("By the channel rules", "按渠道规则")), *_choices(Channel, named)],
        modes=_names(ORDER_MODES), trade_modes=_names(TRADE_MODES), columns=_names(LINE_COLUMNS)), status


@bp.route("/oms/orders/new", methods=["GET", "POST"])
@bp.route("/admin/orders/new", methods=["GET", "POST"])
def order_new():
    if (r := _guard("orders.write")) is not None:
        return r
    if request.method == "GET":
        return _order_form()
    staff = not g.user.is_seller
    values = {k: request.form.get(k, "") for k in (*HEADER_FIELDS, "seller_id")}
    loaded, rows, header_errors, row_errors, index = _order_input(request.form, staff=staff)
    if loaded is None:
        return _order_form(rows=rows, values=values, header_errors=header_errors, row_errors=row_errors,
                           status=422)
    try:
        with unit_of_work():
            order, created = orders.receive(loaded)
            order_id, number = order.id, order.order_no
    except ValidationFailed as exc:
        _spread(exc.errors or {}, index, header_errors, row_errors)
        _aliases(header_errors)
        general = None if (header_errors or row_errors) else problem_text(exc)
        return _order_form(rows=rows, values=values, header_errors=header_errors, row_errors=row_errors,
                           general=general, status=422)
    except WmsError as exc:
        return _order_form(rows=rows, values=values, general=problem_text(exc), status=exc.status)
    if created:
        flash(_(f"Order {number} received.", f"订单 {number} 已接单。"), "ok")
    else:
        flash(_(f"Order {number} was already received with the same content; nothing changed.",
                f"订单 {number} 已以相同内容接单，未作更改。"), "ok")
    return redirect(f"{_prefix()}/orders/{order_id}")


# --- detail and events -----------------------------------------------------------------------------------------

def _actions(order: Order) -> dict[str, bool]:
    role = g.user.role
    return {"cancel": allowed(role, "orders.write") and order.status in CANCELLABLE,
            "match": allowed(role, "orders.write") and order.status in ("received", "match_failed"),
            "redeclare": allowed(role, "orders.write") and order.customs_state == "rejected"
            and order.status != "cancelled",
            "allocate": allowed(role, "orders.allocate") and order.status in ("matched", "backordered")}


@bp.get("/oms/orders/" + RECORD_ID)
@bp.get("/admin/orders/" + RECORD_ID)
def order_detail(record_id: int):
    if (r := _guard("orders.read")) is not None:
        return r
    order = orders.get(record_id)
    lines = db.session.scalars(sa.select(OrderLine).where(OrderLine.order_id == order.id)
                               .options(joinedload(OrderLine.product)).order_by(OrderLine.gnum)).all()
    allocations = db.session.scalars(sa.select(Allocation).where(Allocation.order_id == order.id)
                                     .options(joinedload(Allocation.location), joinedload(Allocation.product))
                                     .order_by(Allocation.pick_sequence, Allocation.id)).all()
    total = sum((l.total for l in lines), Decimal(0))
    return render_template("order_detail.html", order=order, lines=lines, allocations=allocations, total=total,
                           actions=_actions(order), states=_state_names(), modes=_names(ORDER_MODES),
                           trade_modes=_names(TRADE_MODES), customs_states=_names(CUSTOMS_STATES),
                           allocation_states=_names(ALLOCATION_STATES),
                           event_name=event_name, tracking=_tracking(order))


def _tracking(order: Order) -> dict | None:
    """The order's parcel on its way (运输轨迹): its bag and manifest (links for staff) and the carrier's events,
    newest first (none until it has left the zone). None unless the order is packed and on its way."""
    from wms.web.shipping import BAG_STATES, MANIFEST_STATES, order_shipping
    if order.status not in ("packed", "bagged", "loaded", "shipped"):
        return None
    where = order_shipping(order)
    track = orders.tracking(order)
    bag, manifest = where["bag"], where["manifest"]
    return {"events": list(reversed(track["events"])), "carrier": track["carrier_code"],
            "shipped_at": track["shipped_at"], "bag": bag, "manifest": manifest, "links": not g.user.is_seller,
            "bag_state": _(*BAG_STATES.get(bag.status, (bag.status, bag.status))) if bag else "",
            "manifest_state": _(*MANIFEST_STATES.get(manifest.status, (manifest.status, manifest.status)))
            if manifest else ""}


def _order_event(record_id: int, permission: str, work):
    """Run one order event in a unit of work; its outcome (or the refusal) flashed on the order's page."""
    if (r := _guard(permission)) is not None:
        return r
    try:
        with unit_of_work():
            order = orders.get(record_id, lock=True)
            work(order)
            status, number, reason = order.status, order.order_no, order.status_reason
        text = _(f"Order {number}: now {forms.state(status)}.", f"订单 {number}：当前状态 {forms.state(status)}。")
        if reason and status in ("match_failed", "backordered"):
            flash(f"{text} {reason}", "error")
        else:
            flash(text, "ok")
    except NotFound:
        raise
    except WmsError as exc:
        flash(problem_text(exc), "error")
    return redirect(f"{_prefix()}/orders/{record_id}")


@bp.post("/oms/orders/" + RECORD_ID + "/cancel")
@bp.post("/admin/orders/" + RECORD_ID + "/cancel")
def order_cancel(record_id: int):
    reason = request.form.get("reason", "").strip()[:300]

    def work(order):
        if not reason:
            raise ValidationFailed({"reason": ["Missing data for required field."]})
        orders.cancel(order, reason)
    return _order_event(record_id, "orders.write", work)


@bp.post("/oms/orders/" + RECORD_ID + "/match")
@bp.post("/admin/orders/" + RECORD_ID + "/match")
def order_match(record_id: int):
    """Declare the order's documents again (after the seller put the data right): matched or match_failed."""
    from wms.outbound.declaring import match
    return _order_event(record_id, "orders.write", match)


@bp.post("/oms/orders/" + RECORD_ID + "/redeclare")
@bp.post("/admin/orders/" + RECORD_ID + "/redeclare")
def order_redeclare(record_id: int):
    """Declare a refused export list again (after the seller put the data right)."""
    from wms.outbound.declaring import redeclare
    return _order_event(record_id, "orders.write", redeclare)


@bp.post("/oms/orders/" + RECORD_ID + "/allocate")
@bp.post("/admin/orders/" + RECORD_ID + "/allocate")
def order_allocate(record_id: int):
    from wms.outbound.allocation import allocate
    return _order_event(record_id, "orders.allocate", allocate)


# --- Excel import --------------------------------------------------------------------------------------------

@bp.route("/oms/orders/import", methods=["GET", "POST"])
@bp.route("/admin/orders/import", methods=["GET", "POST"])
def order_import():
    """Create orders from a workbook, all or none: a summary of what was created, or every bad row listed."""
    if (r := _guard("orders.write")) is not None:
        return r
    back = f"{_prefix()}/orders/import"
    sellers = [("", _("From the workbook's seller column", "按工作簿的卖家代码列")),
               *forms._reference_choices(Seller)] if not g.user.is_seller else None
    if request.method == "GET":
        return render_template("order_import.html", sellers=sellers, result=None, general=None)
    upload = request.files.get("file")
    seller_id = g.user.seller_id if g.user.is_seller else _int(request.form.get("seller_id", ""))
    try:
        if upload is None or not upload.filename:
            raise ValidationFailed({"file": ["Missing data for required field."]})
        with unit_of_work():
            result = orders.import_orders(upload.read(), seller_id)
    except ValidationFailed as exc:
        return render_template("import_errors.html", rows=exc.params.get("rows") or [],
                               general=translate_errors(exc.errors or {}), back=back,
                               back_text=_("Back to the order import", "返回订单导入")), 422
    except WmsError as exc:
        return render_template("order_import.html", sellers=sellers, result=None,
                               general=problem_text(exc)), exc.status
    return render_template("order_import.html", sellers=sellers, result=result, general=None)


@bp.get("/oms/orders/import-template.xlsx")
@bp.get("/admin/orders/import-template.xlsx")
def order_import_template():
    """The order workbook for a signed-in browser (the API's route needs a bearer token)."""
    if (r := _guard("orders.read")) is not None:
        return r
    return Response(orders.template(), mimetype=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="orders.xlsx"'})
