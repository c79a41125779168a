"""Inbound screens: sellers' forecasts (ASN) under /oms (staff see every seller's under /admin), and the
staff desks under /admin: gate-in, temp-storage declarations with spot checks and inspection results, QC
tasks, putaway tasks, location occupancy, disposals of defective goods.

Every write goes through the inbound services (``wms.inbound``), once per form, in one unit of work; a
refused event (409) or invalid input (422) is shown on the page with the problem's own message.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Response, current_app, flash, g, redirect, render_template, request
from marshmallow import ValidationError
from sqlalchemy.orm import joinedload, selectinload

from wms.auth.permissions import allowed
from wms.core.fields import RECORD_ID
from wms.db import unit_of_work
from wms.errors import Conflict, Forbidden, NotFound, ValidationFailed, WmsError
from wms.extensions import db
from wms.i18n import message, status_title, translate_errors
from wms.inbound import asn as asns, declarations, disposal, putaway, qc
from wms.inbound.api import asn_listing, declaration_listing, disposal_listing, gate_listing, putaway_listing, \
    qc_listing
from wms.inbound.models import Asn, Disposal, GatePass, PutawayTask, QcTask, TempDeclaration
from wms.inbound.schemas import AsnSchema, DisposalSchema, GatePassSchema
from wms.inventory.models import StockBalance
from wms.masterdata.models import Carrier, Location, Product, Seller, Zone
from wms.web import forms
from wms.web.views import _, _list_page, _prefix, _signed_in, bp

# --- names of the inbound documents' values -----------------------------------------------------------------

ASN_STATES = {"draft": ("Draft", "草稿"), "submitted": ("Submitted", "已提交"), "arrived": ("Arrived", "已到货"),
              "receiving": ("Receiving", "收货中"), "received": ("Received", "已收货"), "closed": ("Closed", "已关闭"),
              "cancelled": ("Cancelled", "已取消")}
MODES = {"stock": ("Stock", "备货入库"), "parcel": ("Parcels", "集货包裹")}
DECLARATION_STATES = {"draft": ("Draft", "草稿"), "declared": ("Declared", "已申报"),
                      "accepted": ("Accepted by customs", "海关通过"), "rejected": ("Rejected", "海关退单")}
TASK_STATES = {"open": ("Open", "待处理"), "done": ("Done", "已完成"), "cancelled": ("Cancelled", "已取消")}
DISPOSAL_STATES = {"draft": ("Draft", "草稿"), "approved": ("Approved", "已审批"),
                   "completed": ("Completed", "已完成"), "cancelled": ("Cancelled", "已取消")}
DISPOSAL_KINDS = {"destroy": ("Destroy (销毁)", "销毁"), "return": ("Return to seller", "退仓")}
RESULTS = {"passed": ("Passed", "查验通过"), "failed": ("Failed (defective)", "查验不合格"),
           "seized": ("Seized", "海关扣押")}
QC_REASONS = {"product": ("Product always inspected", "商品必检"), "first_arrival": ("First arrival", "首次到货"),
              "product_rule": ("Product rule", "商品规则"), "seller_rule": ("Seller rule", "卖家规则"),
              "warehouse_rule": ("Warehouse rule", "仓库规则")}
DISCREPANCY_KINDS = {"over": ("Over", "多到"), "short": ("Short", "少到"), "damaged": ("Damaged", "破损")}
EVENTS = {"submit": ("Submit", "提交"), "cancel": ("Cancel", "取消"), "reopen": ("Reopen for changes", "撤回修改"),
          "approve": ("Approve", "审批"), "complete": ("Complete", "完成"), "declare": ("Declare", "申报"),
          "redeclare": ("Declare again", "重新申报"), "gate_in": ("Gate-in", "入区过闸"),
          "start_receiving": ("Start receiving", "开始收货"), "finish": ("Finish receiving", "收货完成"),
          "close": ("Close", "关闭"), "accept": ("Accept", "通过"), "reject": ("Reject", "退单")}
MACHINES = {"asn": ("Forecast", "入库预报"), "temp_declaration": ("Declaration", "暂存入库单"),
            "disposal": ("Disposal", "处置单"), "qc_task": ("QC task", "质检任务"), "putaway": ("Putaway task", "上架任务")}
LINE_COLUMNS = {"sku": ("SKU", "SKU"), "expected_qty": ("Quantity", "预报数量"), "cartons": ("Cartons", "箱数"),
                "lot": ("Lot", "批次"), "expiry": ("Expiry", "有效期")}
ASN_EVENTS = ("submit", "reopen", "cancel")
LINE_FIELDS = ("sku", "expected_qty", "cartons", "lot", "expiry")
BLANK_LINES = 5
MAX_LINES = 500


def _names(table: dict) -> dict[str, str]:
    return {k: _(*v) for k, v in table.items()}


def event_name(event: str) -> str:
    return _(*EVENTS.get(event, (event, event)))


def state_name(value: str) -> str:
    """A document state in words, whichever inbound document it belongs to."""
    for table in (ASN_STATES, DECLARATION_STATES, DISPOSAL_STATES, TASK_STATES):
        if value in table:
            return _(*table[value])
    return forms.state(value)


def nav_items(user, prefix: str) -> list[tuple[str, str]]:
    """The inbound entries of the menu, by role."""
    items = []
    if allowed(user.role, "inbound.read"):
        items.append((f"{prefix}/asns", _("Inbound forecasts", "入库预报")))
    if user.is_seller:
        if allowed(user.role, "inbound.read"):
            items += [("/oms/temp-declarations", _("Temp-storage declarations", "暂存入库单")),
                      ("/oms/disposals", _("Disposals", "不良品处置"))]
        return items
    if allowed(user.role, "gate.read"):
        items.append(("/admin/gate-passes", _("Gate-in", "入区过闸")))
    if allowed(user.role, "inbound.read"):
        items += [("/admin/temp-declarations", _("Temp-storage declarations", "暂存入库单")),
                  ("/admin/qc-tasks", _("QC tasks", "质检任务")), ("/admin/putaway-tasks", _("Putaway tasks", "上架任务"))]
    if allowed(user.role, "layout.read"):
        items.append(("/admin/occupancy", _("Location occupancy", "库位占用")))
    if allowed(user.role, "inbound.read"):
        items.append(("/admin/disposals", _("Disposals", "不良品处置")))
    return items


def _guard(permission: str, *, staff: bool = False):
    """None when the signed-in user may go on; a redirect to sign-in; or 403."""
    if (r := _signed_in()) is not None:
        return r
    if not allowed(g.user.role, permission) or (staff and g.user.is_seller):
        raise Forbidden(role=g.user.role, permission=permission)
    return None


def _scoped(query, column):
    return query.where(column == g.user.seller_id) if g.user.is_seller else query


def problem_text(exc: WmsError) -> str:
    """A refused action as one line: status, the problem's message, field errors, what is allowed now."""
    params = dict(exc.params)
    for key in ("current_state", "state"):
        if isinstance(params.get(key), str):
            params[key] = state_name(params[key])
    if params.get("machine") in MACHINES:
        params["machine"] = _(*MACHINES[params["machine"]])
    if isinstance(params.get("event"), str):
        params["event"] = event_name(params["event"])
    if isinstance(params.get("result"), str) and params["result"] in RESULTS:
        params["result"] = _(*RESULTS[params["result"]])
    text = f"{exc.status} {status_title(exc.status)} · {message(exc.code, **params)}"
    errors = translate_errors(exc.errors or {})
    details = [f"{k}: {' '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in errors.items() if k != "rows"]
    if details:
        text += " — " + "; ".join(details)
    if "allowed_events" in exc.params:
        allowed_now = ", ".join(event_name(e) for e in exc.params["allowed_events"] or []) or "—"
        text += " " + _(f"(allowed now: {allowed_now})", f"（当前可执行：{allowed_now}）")
    return text


def _local_input(value) -> str:
    """A stored time as the value of a datetime-local input, in the warehouse's time zone."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).strftime("%Y-%m-%dT%H:%M")


def _int(text: str):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


# --- forecasts: list ------------------------------------------------------------------------------------------

@bp.get("/oms/asns")
@bp.get("/admin/asns")
def asn_list():
    can_write = g.get("user") is not None and allowed(g.user.role, "asn.write")
    base = _scoped(sa.select(Asn).options(joinedload(Asn.seller)), Asn.seller_id) if g.get("user") else None
    return _list_page("asns", title=_("Inbound forecasts", "入库预报"), permission="inbound.read",
                      listing=asn_listing, base_query=base, link=lambda row: f"{_prefix()}/asns/{row.id}",
                      new_url=f"{_prefix()}/asns/new" if can_write else None, references={"seller_id": Seller},
                      value_labels={"status": _names(ASN_STATES), "mode": _names(MODES)})


# --- forecasts: new and edit ----------------------------------------------------------------------------------

def _asn_rows(form) -> list[dict]:
    columns = {k: form.getlist(f"line_{k}") for k in LINE_FIELDS}
    count = min(max((len(v) for v in columns.values()), default=0), MAX_LINES)
    return [{k: (columns[k][i] if i < len(columns[k]) else "").strip() for k in LINE_FIELDS} for i in range(count)]


def _parcels(text: str) -> list[dict]:
    """One parcel a line: waybill number, then optionally the order number and the weight in kg."""
    out = []
    for line in text.splitlines():
        parts = line.replace(",", " ").replace("，", " ").split()
        if parts:
            out.append(dict(zip(("waybill_no", "order_no", "weight_kg"), parts)))
    return out


def _asn_input(form, seller_id: int | None, *, staff_new: bool) -> tuple[dict, list[dict], dict, dict]:
    """Form fields to AsnSchema input. Returns (data, rows, header errors, row errors by row index)."""
    from wms.inventory.service import product_by_barcode
    header_errors: dict[str, list[str]] = {}
    data: dict = {"reference": form.get("reference", ""), "mode": form.get("mode", "stock") or "stock",
                  "blind": "blind" in form, "vehicle_no": form.get("vehicle_no", ""),
                  "driver": form.get("driver", ""), "note": form.get("note", ""),
                  "carrier_id": form.get("carrier_id") or None}
    if staff_new:
        data["seller_id"] = form.get("seller_id") or None
        if data["seller_id"] is None:
            header_errors["seller_id"] = [translate_errors("Missing data for required field.")]
    if form.get("cartons", "").strip():
        data["cartons"] = form.get("cartons").strip()
    raw_time = form.get("expected_at", "").strip()
    if raw_time:
        try:
            local = datetime.fromisoformat(raw_time)
            if local.tzinfo is None:
                local = local.replace(tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))
            data["expected_at"] = local.isoformat()
        except ValueError:
            header_errors["expected_at"] = [translate_errors("Not a valid datetime.")]
    else:
        data["expected_at"] = None
    rows = _asn_rows(form)
    row_errors: dict[int, dict] = {}
    lines, index = [], []
    for i, row in enumerate(rows):
        if not any(row.values()):
            continue
        errs: dict[str, list[str]] = {}
        product_id = 1                        # checked by the schema meanwhile; the row's sku error decides
        if not row["sku"]:
            errs["sku"] = [translate_errors("Missing data for required field.")]
        elif seller_id is not None:
            try:
                product_id = product_by_barcode(row["sku"], seller_id).id
            except (NotFound, Conflict):
                errs["sku"] = [_(f"Unknown SKU or barcode {row['sku']}.", f"未知 SKU 或条码 {row['sku']}。")]
        line = {"product_id": product_id, "expected_qty": row["expected_qty"], "lot": row["lot"]}
        if row["cartons"]:
            line["cartons"] = row["cartons"]
        if row["expiry"]:
            line["expiry"] = row["expiry"]
        lines.append(line)
        index.append(i)
        if errs:
            row_errors[i] = errs
    data["lines"] = lines
    data["parcels"] = _parcels(form.get("parcels", ""))
    try:
        loaded = AsnSchema().load(data)
    except ValidationError as exc:
        loaded = None
        _spread(exc.messages, index, header_errors, row_errors)
    return (loaded or data), rows, header_errors, row_errors | {"_index": index}


def _spread(errors: dict, index: list[int], header_errors: dict, row_errors: dict) -> None:
    """Schema or service errors to the header fields and the grid rows they belong to."""
    errors = translate_errors(errors)
    for key, value in errors.items():
        if key == "lines" and isinstance(value, dict):
            for n, fields_ in value.items():
                row = index[int(n)] if int(n) < len(index) else 0
                for name, msgs in (fields_.items() if isinstance(fields_, dict) else [("sku", fields_)]):
                    row_errors.setdefault(row, {}).setdefault("sku" if name == "product_id" else name, []) \
                        .extend(msgs if isinstance(msgs, list) else [msgs])
        elif key.startswith("lines.") and key.count(".") == 2:
            _, n, name = key.split(".")
            row = index[int(n)] if int(n) < len(index) else 0
            row_errors.setdefault(row, {}).setdefault("sku" if name == "product_id" else name, []).extend(value)
        elif key.startswith("parcels"):
            header_errors.setdefault("parcels", []).extend(_flat(value))
        else:
            header_errors.setdefault(key, []).extend(_flat(value))


def _flat(value) -> list[str]:
    if isinstance(value, dict):
        return [m for v in value.values() for m in _flat(v)]
    if isinstance(value, list):
        return [m for v in value for m in _flat(v)]
    return [str(value)]


def _product_choices(seller_id: int | None) -> list[tuple[str, str]]:
    """Approved products for the SKU list of the lines grid (the seller's own; staff: every seller's)."""
    query = sa.select(Product).where(Product.filing_status == "approved", Product.active.is_(True))
    if seller_id is not None:
        query = query.where(Product.seller_id == seller_id)
    rows = db.session.scalars(query.options(joinedload(Product.seller)).order_by(Product.sku).limit(2000)).all()
    return [(p.sku, f"{p.name_zh}" + ("" if seller_id is not None else f" · {p.seller.code}")) for p in rows]


def _asn_form(asn: Asn | None, *, rows=None, values=None, header_errors=None, row_errors=None, general=None,
              status=200):
    seller_id = g.user.seller_id if g.user.is_seller else (asn.seller_id if asn else None)
    if values is None:
        values = {"reference": "", "mode": "stock", "blind": False, "expected_at": "", "carrier_id": "",
                  "vehicle_no": "", "driver": "", "cartons": "", "note": "", "seller_id": "", "parcels": ""}
        if asn is not None:
            values = {"reference": asn.reference, "mode": asn.mode, "blind": asn.blind,
                      "expected_at": _local_input(asn.expected_at), "carrier_id": asn.carrier_id or "",
                      "vehicle_no": asn.vehicle_no, "driver": asn.driver, "cartons": asn.cartons or "",
                      "note": asn.note, "seller_id": asn.seller_id,
                      "parcels": "\n".join(" ".join(str(x) for x in (p.waybill_no, p.order_no, p.weight_kg or "") if x)
                                           for p in asn.parcels)}
    if rows is None:
        rows = [{"sku": l.product.sku, "expected_qty": l.expected_qty, "cartons": l.cartons or "", "lot": l.lot,
                 "expiry": l.expiry.isoformat() if l.expiry else ""} for l in (asn.lines if asn else [])]
    rows = list(rows) + [dict.fromkeys(LINE_FIELDS, "") for _i in range(BLANK_LINES)]
    carriers = [("", "—"), *forms._reference_choices(Carrier)]
    sellers = [("", "—"), *forms._reference_choices(Seller)] if not g.user.is_seller and asn is None else None
    return render_template("asn_form.html", asn=asn, values=values, rows=rows, header_errors=header_errors or {},
                           row_errors=row_errors or {}, general=general, carriers=carriers, sellers=sellers,
                           products=_product_choices(seller_id), modes=_names(MODES),
                           columns=_names(LINE_COLUMNS)), status


def _asn_values(form) -> dict:
    keys = ("reference", "mode", "expected_at", "carrier_id", "vehicle_no", "driver", "cartons", "note", "seller_id",
            "parcels")
    return {k: form.get(k, "") for k in keys} | {"blind": "blind" in form}


def _save_asn(asn: Asn | None):
    """Create (asn None) or change a draft forecast from the posted form; the form again with errors."""
    staff_new = asn is None and not g.user.is_seller
    if g.user.is_seller:
        seller_id = g.user.seller_id
    elif asn is not None:
        seller_id = asn.seller_id
    else:
        seller_id = _int(request.form.get("seller_id", ""))
    data, rows, header_errors, row_errors = _asn_input(request.form, seller_id, staff_new=staff_new)
    index = row_errors.pop("_index")
    values = _asn_values(request.form)
    if header_errors or row_errors:
        return _asn_form(asn, rows=rows, values=values, header_errors=header_errors, row_errors=row_errors,
                         status=422)
    try:
        with unit_of_work():
            if asn is None:
                saved = asns.create(data)
            else:
                data.pop("seller_id", None)
                saved = asns.update(asns.get(asn.id, lock=True), data)
            saved_id = saved.id
    except ValidationFailed as exc:
        _spread(exc.errors or {}, index, header_errors, row_errors)
        general = None if (header_errors or row_errors) else problem_text(exc)
        return _asn_form(asn, rows=rows, values=values, header_errors=header_errors, row_errors=row_errors,
                         general=general, status=422)
    except WmsError as exc:
        return _asn_form(asn, rows=rows, values=values, general=problem_text(exc), status=exc.status)
    flash(_("Saved.", "已保存。"), "ok")
    return redirect(f"{_prefix()}/asns/{saved_id}")


@bp.route("/oms/asns/new", methods=["GET", "POST"])
@bp.route("/admin/asns/new", methods=["GET", "POST"])
def asn_new():
    if (r := _guard("asn.write")) is not None:
        return r
    if request.method == "POST":
        return _save_asn(None)
    return _asn_form(None)


@bp.route("/oms/asns/" + RECORD_ID + "/edit", methods=["GET", "POST"])
@bp.route("/admin/asns/" + RECORD_ID + "/edit", methods=["GET", "POST"])
def asn_edit(record_id: int):
    if (r := _guard("asn.write")) is not None:
        return r
    asn = asns.get(record_id)
    if asn.status != "draft":
        flash(problem_text(Conflict("asn_not_editable", number=asn.number, current_state=asn.status,
                                    allowed_events=_allowed_events(asn))), "error")
        return redirect(f"{_prefix()}/asns/{asn.id}")
    if request.method == "POST":
        return _save_asn(asn)
    return _asn_form(asn)


def _allowed_events(asn: Asn) -> list[str]:
    from wms.inbound.states import ASN
    return ASN.allowed_events(asn.status)


# --- forecasts: detail, events, lines upload, downloads -----------------------------------------------------------

@bp.get("/oms/asns/" + RECORD_ID)
@bp.get("/admin/asns/" + RECORD_ID)
def asn_detail(record_id: int):
    if (r := _guard("inbound.read")) is not None:
        return r
    asn = asns.get(record_id)
    can_write = allowed(g.user.role, "asn.write")
    events = [e for e in _allowed_events(asn) if e in ASN_EVENTS] if can_write else []
    return render_template("asn_detail.html", asn=asn, summary=asns.summary(asn), report=asns.discrepancies(asn),
                           events=events, can_write=can_write, states=_names(ASN_STATES), modes=_names(MODES),
                           kinds=_names(DISCREPANCY_KINDS), event_name=event_name,
                           labels=asn.status not in ("draft", "cancelled") and asn.cartons > 0)


@bp.post("/oms/asns/" + RECORD_ID + "/<any(submit, cancel, reopen):event>")
@bp.post("/admin/asns/" + RECORD_ID + "/<any(submit, cancel, reopen):event>")
def asn_event(record_id: int, event: str):
    if (r := _guard("asn.write")) is not None:
        return r
    try:
        with unit_of_work():
            asn = asns.get(record_id, lock=True)
            reason = request.form.get("reason", "").strip()[:300]
            asns.fire(asn, event, **({"reason": reason} if reason else {}))
            state = asn.status
        flash(_(f"{event_name(event)}: done, now {ASN_STATES[state][0].lower()}.",
                f"{event_name(event)}成功，当前状态：{ASN_STATES[state][1]}。"), "ok")
    except NotFound:
        raise
    except WmsError as exc:
        flash(problem_text(exc), "error")
    return redirect(f"{_prefix()}/asns/{record_id}")


@bp.post("/oms/asns/" + RECORD_ID + "/lines/import")
@bp.post("/admin/asns/" + RECORD_ID + "/lines/import")
def asn_import_lines(record_id: int):
    """Replace a draft's lines from a workbook; every bad row is listed and nothing changes."""
    if (r := _guard("asn.write")) is not None:
        return r
    upload = request.files.get("file")
    back = f"{_prefix()}/asns/{record_id}"
    try:
        if upload is None or not upload.filename:
            raise ValidationFailed({"file": ["Missing data for required field."]})
        with unit_of_work():
            asn = asns.import_lines(asns.get(record_id, lock=True), upload.read())
            count = len(asn.lines)
    except ValidationFailed as exc:
        return render_template("import_errors.html", rows=exc.params.get("rows") or [],
                               general=translate_errors(exc.errors or {}), back=back,
                               back_text=_("Back to the forecast", "返回入库预报")), 422
    except NotFound:
        raise
    except WmsError as exc:
        flash(problem_text(exc), "error")
        return redirect(back)
    flash(_(f"Imported {count} lines.", f"已导入 {count} 行。"), "ok")
    return redirect(back)


@bp.get("/oms/asns/lines-template.xlsx")
@bp.get("/admin/asns/lines-template.xlsx")
def asn_lines_template():
    if (r := _guard("inbound.read")) is not None:
        return r
    return Response(asns.lines_template(),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="asn-lines.xlsx"'})


@bp.get("/oms/asns/" + RECORD_ID + "/carton-labels.pdf")
@bp.get("/admin/asns/" + RECORD_ID + "/carton-labels.pdf")
def asn_carton_labels(record_id: int):
    """The carton labels (箱唛) of a submitted forecast as PDF (the API's route needs a bearer token)."""
    if (r := _guard("inbound.read")) is not None:
        return r
    from wms.inbound.labels import carton_labels
    asn = asns.get(record_id)
    try:
        return carton_labels(asn, {"format": "pdf"})
    except WmsError as exc:                   # not submitted yet, or no cartons: said on the forecast's page
        flash(problem_text(exc), "error")
        return redirect(f"{_prefix()}/asns/{asn.id}")


# --- gate-in --------------------------------------------------------------------------------------------------

@bp.get("/admin/gate-passes")
def gate_passes():
    can_write = g.get("user") is not None and allowed(g.user.role, "gate.write")
    base = sa.select(GatePass).options(selectinload(GatePass.asns)) if g.get("user") else None
    return _list_page("gate-passes", title=_("Gate passes", "入区过闸记录"), permission="gate.read",
                      listing=gate_listing, base_query=base, staff_only=True,
                      new_url="/admin/gate-in" if can_write else None)


def _gate_form(values=None, rows=None, errors=None, general=None, status=200):
    waiting = db.session.scalars(sa.select(Asn).where(Asn.status == "submitted").options(joinedload(Asn.seller))
                                 .order_by(Asn.id).limit(500)).all()
    rows = list(rows or []) + [{"asn": "", "cartons": ""} for _i in range(4)]
    return render_template("gate_in.html", values=values or {}, rows=rows, errors=errors or {}, general=general,
                           waiting=waiting), status


@bp.route("/admin/gate-in", methods=["GET", "POST"])
def gate_in():
    """A vehicle passes the gate with cartons of one or more submitted forecasts."""
    if (r := _guard("gate.write", staff=True)) is not None:
        return r
    if request.method == "GET":
        preset = request.args.get("asn", "")
        return _gate_form(rows=[{"asn": preset, "cartons": ""}] if preset else None)
    form = request.form
    numbers, cartons = form.getlist("asn"), form.getlist("asn_cartons")
    rows = [{"asn": n.strip(), "cartons": (cartons[i] if i < len(cartons) else "").strip()}
            for i, n in enumerate(numbers[:100])]
    data = {k: form.get(k, "") for k in ("vehicle_no", "driver", "seal_no", "note")}
    if form.get("gross_weight_kg", "").strip():
        data["gross_weight_kg"] = form["gross_weight_kg"].strip()
    data["asns"] = [{"asn": r["asn"], **({"cartons": r["cartons"]} if r["cartons"] else {})} for r in rows if r["asn"]]
    values = dict(data, gross_weight_kg=form.get("gross_weight_kg", ""))
    try:
        loaded = GatePassSchema().load(data)
    except ValidationError as exc:
        errors = translate_errors(exc.messages)
        return _gate_form(values, [r for r in rows if r["asn"]], {k: _flat(v) for k, v in errors.items()}, status=422)
    try:
        with unit_of_work():
            gate = asns.gate_in(loaded)
            summary = (gate.number, ", ".join(a.number for a in gate.asns), gate.cartons)
    except WmsError as exc:
        return _gate_form(values, [r for r in rows if r["asn"]], general=problem_text(exc), status=exc.status)
    flash(_(f"Gate pass {summary[0]}: {summary[1]} arrived, {summary[2]} cartons.",
            f"过闸单 {summary[0]}：{summary[1]} 已到货，共 {summary[2]} 箱。"), "ok")
    return redirect("/admin/gate-passes")


# --- temp-storage declarations ---------------------------------------------------------------------------------

@bp.get("/admin/temp-declarations")
@bp.get("/oms/temp-declarations")
def temp_declarations():
    base = _scoped(sa.select(TempDeclaration).options(joinedload(TempDeclaration.seller),
                                                      joinedload(TempDeclaration.asn)),
                   TempDeclaration.seller_id) if g.get("user") else None
    return _list_page("temp-declarations", title=_("Temp-storage declarations", "暂存入库单"),
                      permission="inbound.read", listing=declaration_listing, base_query=base,
                      link=lambda row: f"{_prefix()}/temp-declarations/{row.id}", references={"seller_id": Seller},
                      value_labels={"status": _names(DECLARATION_STATES)})


@bp.get("/admin/temp-declarations/" + RECORD_ID)
@bp.get("/oms/temp-declarations/" + RECORD_ID)
def temp_declaration(record_id: int):
    if (r := _guard("inbound.read")) is not None:
        return r
    declaration = declarations.get(record_id)
    from wms.inbound.states import DECLARATION
    role = g.user.role
    return render_template(
        "temp_declaration.html", d=declaration, states=_names(DECLARATION_STATES), results=_names(RESULTS),
        can_spot_check=allowed(role, "inbound.declare") and declaration.status in ("draft", "declared"),
        declare_event=next((e for e in DECLARATION.allowed_events(declaration.status)
                            if e in ("declare", "redeclare")), None) if allowed(role, "inbound.declare") else None,
        can_inspect=allowed(role, "inbound.inspect") and declaration.status == "accepted", event_name=event_name)


@bp.post("/admin/temp-declarations/" + RECORD_ID + "/spot-checks")
def temp_declaration_spot_check(record_id: int):
    if (r := _guard("inbound.declare", staff=True)) is not None:
        return r
    ids = [i for i in (_int(v) for v in request.form.getlist("line_ids")) if i]
    try:
        with unit_of_work():
            declarations.select_spot_check(declarations.get(record_id), ids, request.form.get("note", "").strip()[:300])
        flash(_(f"{len(ids)} lines selected for inspection.", f"已标记 {len(ids)} 行海关抽查。"), "ok")
    except NotFound:
        raise
    except WmsError as exc:
        flash(problem_text(exc), "error")
    return redirect(f"/admin/temp-declarations/{record_id}")


@bp.post("/admin/temp-declarations/" + RECORD_ID + "/declare")
def temp_declaration_declare(record_id: int):
    if (r := _guard("inbound.declare", staff=True)) is not None:
        return r
    try:
        with unit_of_work():
            declared = declarations.declare(declarations.get(record_id))
            number = declared.number
        flash(_(f"{number} declared to customs.", f"{number} 已向海关申报。"), "ok")
    except NotFound:
        raise
    except WmsError as exc:
        flash(problem_text(exc), "error")
    return redirect(f"/admin/temp-declarations/{record_id}")


@bp.post("/admin/temp-declaration-lines/" + RECORD_ID + "/inspection")
def temp_declaration_inspection(record_id: int):
    """The inspection result of a held line: passed (released), failed (defective) or seized."""
    if (r := _guard("inbound.inspect", staff=True)) is not None:
        return r
    line = declarations.line(record_id)
    back = f"/admin/temp-declarations/{line.declaration_id}"
    result = request.form.get("result", "")
    if result not in RESULTS:
        flash(problem_text(ValidationFailed({"result": [f"Must be one of: {', '.join(RESULTS)}."]})), "error")
        return redirect(back)
    try:
        with unit_of_work():
            declarations.record_inspection(declarations.line(record_id), result,
                                           request.form.get("note", "").strip()[:300])
        flash(_(f"Inspection recorded: {RESULTS[result][0]}.", f"查验结果已记录：{RESULTS[result][1]}。"), "ok")
    except WmsError as exc:
        flash(problem_text(exc), "error")
    return redirect(back)


# --- QC ------------------------------------------------------------------------------------------------------

@bp.get("/admin/qc-tasks")
def qc_tasks():
    base = sa.select(QcTask).join(Product, Product.id == QcTask.product_id).options(
        joinedload(QcTask.product), joinedload(QcTask.location)) if g.get("user") else None
    return _list_page("qc-tasks", title=_("QC tasks", "质检任务"), permission="inbound.read", listing=qc_listing,
                      base_query=base, staff_only=True, link=lambda row: f"/admin/qc-tasks/{row.id}",
                      references={"seller_id": Seller},
                      value_labels={"status": _names(TASK_STATES), "reason": _names(QC_REASONS)})


@bp.route("/admin/qc-tasks/" + RECORD_ID, methods=["GET", "POST"])
def qc_task(record_id: int):
    """One QC task; an open one is completed here: defective units found and what the defect is."""
    if (r := _guard("inbound.read", staff=True)) is not None:
        return r
    task = qc.get(record_id)
    can_perform = allowed(g.user.role, "qc.perform")
    values, errors, general, status = {"failed_qty": "0", "defect_reason": ""}, {}, None, 200
    if request.method == "POST":
        if not can_perform:
            raise Forbidden(role=g.user.role, permission="qc.perform")
        values = {"failed_qty": request.form.get("failed_qty", "").strip() or "0",
                  "defect_reason": request.form.get("defect_reason", "").strip()}
        failed = _int(values["failed_qty"])
        if failed is None:
            errors["failed_qty"] = [translate_errors("Not a valid integer.")]
            status = 422
        else:
            try:
                with unit_of_work():
                    done = qc.complete(qc.get(record_id, lock=True), failed, values["defect_reason"][:300])
                    passed, number = done.passed_qty, done.number
                flash(_(f"{number} done: {passed} passed, {failed} defective.",
                        f"{number} 已完成：合格 {passed}，不合格 {failed}。"), "ok")
                return redirect(f"/admin/qc-tasks/{record_id}")
            except ValidationFailed as exc:
                errors = {k: _flat(v) for k, v in translate_errors(exc.errors or {}).items()}
                general, status = problem_text(exc), 422
            except WmsError as exc:
                general, status = problem_text(exc), exc.status
            task = qc.get(record_id)
    return render_template("qc_task.html", task=task, values=values, errors=errors, general=general,
                           can_perform=can_perform and task.status == "open", states=_names(TASK_STATES),
                           reasons=_names(QC_REASONS)), status


# --- putaway and occupancy -----------------------------------------------------------------------------------

@bp.get("/admin/putaway-tasks")
def putaway_tasks():
    base = sa.select(PutawayTask).join(Product, Product.id == PutawayTask.product_id).options(
        joinedload(PutawayTask.product), joinedload(PutawayTask.from_location),
        joinedload(PutawayTask.suggested_location), joinedload(PutawayTask.to_location)) if g.get("user") else None
    return _list_page("putaway-tasks", title=_("Putaway tasks", "上架任务"), permission="inbound.read",
                      listing=putaway_listing, base_query=base, staff_only=True, references={"seller_id": Seller},
                      value_labels={"status": _names(TASK_STATES)})


@bp.get("/admin/occupancy")
def occupancy():
    """Locations with capacity, units on hand, units planned by open putaway tasks, and free room."""
    if (r := _guard("layout.read", staff=True)) is not None:
        return r
    zone_id = _int(request.args.get("zone_id", ""))
    q = request.args.get("q", "").strip()[:30]
    page = max(_int(request.args.get("page", "1")) or 1, 1)
    per_page = 100
    query = sa.select(Location).join(Zone, Zone.id == Location.zone_id).options(joinedload(Location.zone))
    if zone_id:
        query = query.where(Location.zone_id == zone_id)
    if q:
        query = query.where(Location.code.like(q.upper().replace("%", "").replace("_", "") + "%"))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(Location.pick_sequence, Location.id)
                              .offset((page - 1) * per_page).limit(per_page)).all()
    used = putaway.occupancy([r.id for r in rows])
    items = [{"code": r.code, "zone": r.zone.code, "zone_kind": r.zone.kind, "capacity": r.capacity,
              **used[r.id], "free": (r.capacity - used[r.id]["onhand"] - used[r.id]["planned"]) if r.capacity else None}
             for r in rows]
    zones = [("", "—"), *forms._reference_choices(Zone)]
    return render_template("occupancy.html", items=items, zones=zones, zone_id=zone_id or "", q=q, page=page,
                           pages=max((total + per_page - 1) // per_page, 1), total=total)


# --- disposals -----------------------------------------------------------------------------------------------

@bp.get("/admin/disposals")
@bp.get("/oms/disposals")
def disposals():
    can_write = g.get("user") is not None and allowed(g.user.role, "disposal.write")
    base = _scoped(sa.select(Disposal).options(joinedload(Disposal.seller)), Disposal.seller_id) \
        if g.get("user") else None
    return _list_page("disposals", title=_("Disposals", "不良品处置"), permission="inbound.read",
                      listing=disposal_listing, base_query=base, link=lambda row: f"{_prefix()}/disposals/{row.id}",
                      new_url="/admin/disposals/new" if can_write else None, references={"seller_id": Seller},
                      value_labels={"status": _names(DISPOSAL_STATES), "kind": _names(DISPOSAL_KINDS)})


def _defective(seller_id: int | None) -> list[StockBalance]:
    if seller_id is None:
        return []
    return db.session.scalars(sa.select(StockBalance).where(
        StockBalance.seller_id == seller_id, StockBalance.status == "defective", StockBalance.qty > 0)
        .options(joinedload(StockBalance.product), joinedload(StockBalance.location))
        .order_by(StockBalance.id).limit(500)).all()


@bp.route("/admin/disposals/new", methods=["GET", "POST"])
def disposal_new():
    """A disposal of defective units: choose the seller, then how many units of each defective stock line."""
    if (r := _guard("disposal.write", staff=True)) is not None:
        return r
    form = request.form if request.method == "POST" else request.args
    seller_id = _int(form.get("seller_id", ""))
    balances = _defective(seller_id)
    values = {"seller_id": seller_id or "", "kind": form.get("kind", "destroy"), "reason": form.get("reason", ""),
              "qty": {b.id: form.get(f"qty_{b.id}", "") for b in balances}}
    errors, general, status = {}, None, 200
    if request.method == "POST":
        lines, index = [], []
        for b in balances:
            raw = values["qty"][b.id].strip()
            if not raw:
                continue
            lines.append({"product_id": b.product_id, "location": b.location.code, "lpn": b.lpn, "lot": b.lot,
                          "qty": raw})
            index.append(b.id)
        payload = {"seller_id": seller_id, "kind": values["kind"], "reason": values["reason"], "lines": lines}
        try:
            loaded = DisposalSchema().load(payload)
            with unit_of_work():
                created = disposal.create(loaded)
                created_id, number = created.id, created.number
            flash(_(f"Disposal {number} drafted.", f"处置单 {number} 已创建。"), "ok")
            return redirect(f"/admin/disposals/{created_id}")
        except ValidationError as exc:
            errors, status = _disposal_errors(translate_errors(exc.messages), index), 422
        except ValidationFailed as exc:
            errors, status = _disposal_errors(translate_errors(exc.errors or {}), index), 422
            general = problem_text(exc)
        except WmsError as exc:
            general, status = problem_text(exc), exc.status
    sellers = [("", "—"), *forms._reference_choices(Seller)]
    return render_template("disposal_form.html", values=values, balances=balances, sellers=sellers, errors=errors,
                           general=general, kinds=_names(DISPOSAL_KINDS)), status


def _disposal_errors(errors: dict, index: list[int]) -> dict:
    """{field or balance id: [messages]}: line errors land on the stock line they came from."""
    out: dict = {}
    for key, value in errors.items():
        if key == "lines" and isinstance(value, dict):
            for n, msgs in value.items():
                out.setdefault(index[int(n)] if int(n) < len(index) else "lines", []).extend(_flat(msgs))
        elif key.startswith("lines.") and key.count(".") == 2:
            n = int(key.split(".")[1])
            out.setdefault(index[n] if n < len(index) else "lines", []).extend(_flat(value))
        else:
            out.setdefault(key, []).extend(_flat(value))
    return out


@bp.get("/admin/disposals/" + RECORD_ID)
@bp.get("/oms/disposals/" + RECORD_ID)
def disposal_detail(record_id: int):
    if (r := _guard("inbound.read")) is not None:
        return r
    found = disposal.get(record_id)
    from wms.inbound.states import DISPOSAL
    events = DISPOSAL.allowed_events(found.status) if allowed(g.user.role, "disposal.approve") else []
    return render_template("disposal.html", d=found, events=events, states=_names(DISPOSAL_STATES),
                           kinds=_names(DISPOSAL_KINDS), event_name=event_name)


@bp.post("/admin/disposals/" + RECORD_ID + "/<any(approve, complete, cancel):event>")
def disposal_event(record_id: int, event: str):
    if (r := _guard("disposal.approve", staff=True)) is not None:
        return r
    try:
        with unit_of_work():
            done = disposal.fire(disposal.get(record_id), event,
                                 customs_ref=request.form.get("customs_ref", "").strip()[:40])
            state = done.status
        flash(_(f"{event_name(event)}: done, now {DISPOSAL_STATES[state][0].lower()}.",
                f"{event_name(event)}成功，当前状态：{DISPOSAL_STATES[state][1]}。"), "ok")
    except NotFound:
        raise
    except WmsError as exc:
        flash(problem_text(exc), "error")
    return redirect(f"/admin/disposals/{record_id}")

