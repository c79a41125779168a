"""Wave screens for supervisors under /admin: the waves (波次) with filters and exports, planning waves from the
allocated orders waiting (channel, cut-off, kinds, limits), one wave's orders and pick list in walking order
with release / cancel by state and a printable pick list, and the pick discrepancies (下架差异) to resolve by a
count at the location.

Every write goes through the outbound services (``wms.outbound.waves``, ``wms.outbound.picking``), once per
form, in one unit of work; a refused event (409) or invalid input (422) is shown with the problem's own message.
"""
from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, flash, g, redirect, render_template, request
from markupsafe import Markup
from marshmallow import ValidationError
from sqlalchemy.orm import joinedload

from wms.auth.permissions import allowed
from wms.auth.service import owned
from wms.core.fields import RECORD_ID
from wms.core.listing import load_args
from wms.db import unit_of_work
from wms.errors import NotFound, ValidationFailed, WmsError
from wms.extensions import db
from wms.i18n import get_locale, message, status_title, translate_errors
from wms.masterdata.models import Channel, Warehouse
from wms.outbound import picking, waves
from wms.outbound.api import discrepancy_listing, wave_listing
from wms.outbound.models import Order, PickDiscrepancy, PickTask, Wave
from wms.outbound.schemas import PlanSchema, ResolveSchema
from wms.outbound.states import WAVE
from wms.web import forms
from wms.web.inbound import _flat, _guard
from wms.web.views import _, _filter_widgets, _list_page, bp

# --- names of the waves' values ------------------------------------------------------------------------------

WAVE_STATES = {"planned": ("Planned", "已计划"), "released": ("Released to the floor", "已释放"),
               "picked": ("Picked", "已拣货"), "completed": ("Completed", "已完成"), "cancelled": ("Cancelled", "已取消")}
WAVE_KINDS = {"single": ("Single-item (一票一件)", "一票一件"), "multi": ("Multi-item", "多品")}
TASK_STATES = {"open": ("To pick", "待拣"), "done": ("Picked", "已拣"), "short": ("Short", "短拣"),
               "cancelled": ("Cancelled", "已取消")}
DISCREPANCY_STATES = {"open": ("Open", "待处理"), "resolved": ("Resolved", "已处理")}
REASONS = {"location_empty": ("Location empty", "库位无货"), "short": ("Short", "数量不足")}
EVENTS = {"release": ("Release", "释放波次"), "cancel": ("Cancel wave", "取消波次"), "resolve": ("Resolve", "处理"),
          "all_picked": ("All picked", "拣货完成"), "all_packed": ("All packed", "打包完成")}
MACHINES = {"wave": ("Wave", "波次"), "pick_discrepancy": ("Pick discrepancy", "下架差异")}
FIELDS = {"counted_qty": ("Counted", "盘点数"), "note": ("Note", "备注"), "channel": ("Channel", "物流渠道"),
          "cutoff": ("Cut-off", "截单时间"), "kinds": ("Kinds", "波次类型"), "max_orders": ("Max. orders", "每波最多订单"),
          "max_units": ("Max. units", "每波最多件数"), "cart_slots": ("Cart slots", "分拣车格口数")}
PLAN_DEFAULTS = {"channel": "", "cutoff": "", "kinds": ["single", "multi"], "max_orders": "200",
                 "max_units": "1000", "cart_slots": "24"}


def _names(table: dict) -> dict[str, str]:
    return {k: _(*v) for k, v in table.items()}


def event_name(event: str) -> str:
    return _(*EVENTS.get(event, (event, event)))


def nav_items(user, prefix: str) -> list[tuple[str, str]]:
    """The wave entries of the menu, by role (staff only)."""
    if user.is_seller or not allowed(user.role, "waves.read"):
        return []
    return [("/admin/waves", _("Waves", "波次")), ("/admin/pick-discrepancies", _("Pick discrepancies", "下架差异"))]


def problem_text(exc: WmsError) -> str:
    """A refused action as one line: status, the problem's message, field errors, what is allowed now."""
    params = dict(exc.params)
    for key in ("current_state", "state"):
        if isinstance(params.get(key), str):
            params[key] = _(*WAVE_STATES.get(params[key], DISCREPANCY_STATES.get(params[key],
                                                                                  (params[key], params[key]))))
    if params.get("machine") in MACHINES:
        params["machine"] = _(*MACHINES[params["machine"]])
    if isinstance(params.get("event"), str):
        params["event"] = event_name(params["event"])
    text = f"{exc.status} {status_title(exc.status)} · {message(exc.code, **params)}"
    errors = translate_errors(exc.errors or {})
    details = [f"{_(*FIELDS.get(k, (k, k)))}: {' '.join(_flat(v))}" for k, v in errors.items()]
    if details:
        text += " — " + "; ".join(details)
    if "allowed_events" in exc.params:
        allowed_now = ", ".join(event_name(e) for e in exc.params["allowed_events"] or []) or "—"
        text += " " + _(f"(allowed now: {allowed_now})", f"（当前可执行：{allowed_now}）")
    return text


def _warehouse_id() -> int | None:
    """The warehouse waves are planned for: the first one (as the API's default)."""
    return db.session.scalar(sa.select(Warehouse.id).order_by(Warehouse.id))


# --- list ----------------------------------------------------------------------------------------------------

@bp.get("/admin/waves")
def wave_list():
    user = g.get("user")
    base = sa.select(Wave).options(joinedload(Wave.channel)) if user else None
    extra = None
    if user is not None and allowed(user.role, "waves.plan"):
        extra = Markup('<a class="button primary" href="/admin/waves/plan">{}</a>').format(
            _("Plan waves", "组波"))
    return _list_page("waves", title=_("Waves", "波次"), permission="waves.read", listing=wave_listing,
                      base_query=base, link=lambda row: f"/admin/waves/{row.id}", staff_only=True,
                      value_labels={"status": _names(WAVE_STATES), "kind": _names(WAVE_KINDS)}, extra=extra)


# --- planning ------------------------------------------------------------------------------------------------

def _waiting() -> dict:
    """Allocated orders not in a wave: all, those customs released, and whether release is required."""
    query = sa.select(Order.customs_state, sa.func.count(Order.id)).where(
        Order.status == "allocated", Order.wave_id.is_(None), Order.warehouse_id == _warehouse_id()) \
        .group_by(Order.customs_state)
    counts = dict(db.session.execute(query).all())
    total, released = sum(counts.values()), counts.get("released", 0)
    need_release = not current_app.config.get("OUTBOUND_PICK_BEFORE_RELEASE")
    return {"total": total, "released": released, "need_release": need_release,
            "plannable": released if need_release else total}


def _channel_choices() -> list[tuple[str, str]]:
    zh = get_locale() == "zh-CN"
    rows = db.session.scalars(sa.select(Channel).where(Channel.active.is_(True)).order_by(Channel.code)).all()
    return [("", _("Every channel", "全部渠道")),
            *((c.code, f"{c.code} {c.name_zh if zh else (c.name_en or c.name_zh)}".strip()) for c in rows)]


def _plan_page(*, values=None, errors=None, general=None, created=None, status=200):
    return render_template("wave_plan.html", values=values or dict(PLAN_DEFAULTS), errors=errors or {},
                           general=general, created=created, waiting=_waiting(), channels=_channel_choices(),
                           kinds=_names(WAVE_KINDS), states=_names(WAVE_STATES)), status


def _plan_input(form) -> tuple[dict, dict, dict]:
    """Form fields to PlanSchema input. Returns (values for the form again, data, errors by field)."""
    values = {k: form.get(k, "").strip() for k in ("channel", "cutoff", "max_orders", "max_units", "cart_slots")}
    values["kinds"] = form.getlist("kinds")
    errors: dict[str, list[str]] = {}
    data: dict = {"kinds": values["kinds"]}
    for key in ("channel", "max_orders", "max_units", "cart_slots"):
        if values[key]:
            data[key] = values[key]
    if values["cutoff"]:
        try:
            local = datetime.fromisoformat(values["cutoff"])
            if local.tzinfo is None:
                local = local.replace(tzinfo=ZoneInfo(current_app.config["TIMEZONE"]))
            data["cutoff"] = local.isoformat()
        except ValueError:
            errors["cutoff"] = [translate_errors("Not a valid datetime.")]
    try:
        loaded = PlanSchema().load(data)
    except ValidationError as exc:
        loaded = {}
        for key, value in translate_errors(exc.messages).items():
            errors.setdefault(key, []).extend(_flat(value))
    return values, loaded, errors


@bp.route("/admin/waves/plan", methods=["GET", "POST"])
def wave_plan():
    """Plan waves from the allocated orders waiting; the waves made (or that there was nothing to plan)."""
    if (r := _guard("waves.plan", staff=True)) is not None:
        return r
    if request.method == "GET":
        return _plan_page()
    values, loaded, errors = _plan_input(request.form)
    channel_id = None
    if not errors and loaded.get("channel"):
        channel_id = db.session.scalar(sa.select(Channel.id).where(Channel.code == loaded["channel"]))
        if channel_id is None:
            errors["channel"] = [translate_errors("Unknown reference.")]
    if errors:
        return _plan_page(values=values, errors=errors, status=422)
    try:
        with unit_of_work():
            made = waves.plan_waves(waves.Plan(
                warehouse_id=_warehouse_id(), channel_id=channel_id, cutoff=loaded.get("cutoff"),
                kinds=tuple(loaded["kinds"]), max_orders=loaded["max_orders"], max_units=loaded["max_units"],
                cart_slots=loaded["cart_slots"]))
            ids = [w.id for w in made]
    except ValidationFailed as exc:
        return _plan_page(values=values, errors=translate_errors(exc.errors or {}), general=problem_text(exc),
                          status=422)
    except WmsError as exc:
        return _plan_page(values=values, general=problem_text(exc), status=exc.status)
    created = db.session.scalars(sa.select(Wave).where(Wave.id.in_(ids)).options(joinedload(Wave.channel))
                                 .order_by(Wave.id)).all() if ids else []
    if created:
        flash(_(f"{len(created)} wave(s) planned.", f"已生成 {len(created)} 个波次。"), "ok")
    else:
        flash(_("Nothing to plan: no allocated order waits for these rules.",
                "没有可组波的订单：没有符合条件的已分配订单。"), "note")
    return _plan_page(values=values, created=created)


# --- one wave ------------------------------------------------------------------------------------------------

def _wave_view(record_id: int) -> dict:
    wave = waves.get(record_id)
    tasks = db.session.scalars(sa.select(PickTask).where(PickTask.wave_id == wave.id,
                                                         PickTask.status != "cancelled")
                               .options(joinedload(PickTask.location), joinedload(PickTask.product))
                               .order_by(PickTask.sequence)).all()
    order_ids = {t.order_id for t in tasks}
    members = db.session.scalars(sa.select(Order).where(sa.or_(Order.wave_id == wave.id, Order.id.in_(order_ids)))
                                 .options(joinedload(Order.seller)).order_by(Order.id)).all()
    slots: dict[int, tuple[int, int]] = {}
    for t in tasks:
        slots.setdefault(t.order_id, (t.cart, t.slot))
    members.sort(key=lambda o: (slots.get(o.id, (0, 0)), o.id))
    numbers = {o.id: o.order_no for o in members}
    role = g.user.role
    actions = {"release": allowed(role, "waves.plan") and "release" in WAVE.allowed_events(wave.status),
               "cancel": allowed(role, "waves.plan") and "cancel" in WAVE.allowed_events(wave.status)}
    return dict(wave=wave, tasks=tasks, members=members, slots=slots, numbers=numbers, actions=actions,
                states=_names(WAVE_STATES), kinds=_names(WAVE_KINDS), task_states=_names(TASK_STATES),
                event_name=event_name, order_state=forms.state)


@bp.get("/admin/waves/" + RECORD_ID)
def wave_detail(record_id: int):
    if (r := _guard("waves.read", staff=True)) is not None:
        return r
    return render_template("wave_detail.html", **_wave_view(record_id))


@bp.get("/admin/waves/" + RECORD_ID + "/print")
def wave_print(record_id: int):
    """The pick list alone, for paper: walking order, cart slots, a tick column."""
    if (r := _guard("waves.read", staff=True)) is not None:
        return r
    return render_template("wave_print.html", **_wave_view(record_id))


@bp.post("/admin/waves/" + RECORD_ID + "/<any(release, cancel):event>")
def wave_event(record_id: int, event: str):
    """Release a planned wave to the floor, or cancel it (its orders wait again); a refusal flashed."""
    if (r := _guard("waves.plan", staff=True)) is not None:
        return r
    try:
        with unit_of_work():
            wave = waves.get(record_id, lock=True)
            (waves.release if event == "release" else waves.cancel)(wave)
            number, status = wave.number, wave.status
        state = _(*WAVE_STATES.get(status, (status, status)))
        flash(_(f"Wave {number}: now {state}.", f"波次 {number}：当前状态 {state}。"), "ok")
    except NotFound:
        raise
    except WmsError as exc:
        flash(problem_text(exc), "error")
    return redirect(f"/admin/waves/{record_id}")


# --- pick discrepancies --------------------------------------------------------------------------------------

@bp.get("/admin/pick-discrepancies")
def discrepancy_list():
    """Open ones first; each open one with its resolve form (a count at the location and a note)."""
    if (r := _guard("waves.read", staff=True)) is not None:
        return r
    listing = discrepancy_listing
    args = load_args(listing.args_schema("PickDiscrepancies")(), request.args)
    base = sa.select(PickDiscrepancy).options(joinedload(PickDiscrepancy.product),
                                              joinedload(PickDiscrepancy.location)) \
        .order_by(sa.case((PickDiscrepancy.status == "open", 0), else_=1))
    query = listing.apply(base, args)
    if args["format"] != "json":
        from wms.core.listing import export
        return export(query, listing.columns, args["format"], "pick-discrepancies", get_locale())
    from wms.core.listing import page
    result = page(query, args)
    order_ids = {row.order_id for row in result["items"]}
    orders = {o.id: o for o in db.session.scalars(sa.select(Order).where(Order.id.in_(order_ids))
                                                  .options(joinedload(Order.seller)))} if order_ids else {}
    here = {k: v for k, v in request.args.items() if k not in ("page", "format")}
    labels = {"status": _names(DISCREPANCY_STATES), "reason": _names(REASONS)}
    filters = [f for f in _filter_widgets(listing, {}, labels) if f.name != "seller_id"]
    return render_template("pick_discrepancies.html", title=_("Pick discrepancies", "下架差异"), result=result,
                           columns=listing.columns, sortable=set(listing.sort) | {"id"},
                           sort=args.get("sort") or listing.default_sort, q=args.get("q", ""), filters=filters,
                           value_labels=labels, orders=orders, order_state=forms.state,
                           can_resolve=allowed(g.user.role, "discrepancies.review"),
                           query=lambda **kw: "?" + urlencode({**here, **kw}))


@bp.post("/admin/pick-discrepancies/" + RECORD_ID + "/resolve")
def discrepancy_resolve(record_id: int):
    """The location counted: the stock corrected to the count, the order re-allocated (or backordered)."""
    if (r := _guard("discrepancies.review", staff=True)) is not None:
        return r
    back = request.form.get("back", "")
    back = back if back.startswith("/admin/pick-discrepancies") and not back.startswith("//") else \
        "/admin/pick-discrepancies"
    try:
        try:
            data = ResolveSchema().load({"counted_qty": request.form.get("counted_qty", "").strip(),
                                         "note": request.form.get("note", "").strip()[:300]})
        except ValidationError as exc:
            raise ValidationFailed(exc.messages) from None
        with unit_of_work():
            found = owned(PickDiscrepancy, record_id, "pick_discrepancy", lock=True)
            picking.resolve(found, data["counted_qty"], data["note"])
            order = db.session.get(Order, found.order_id)
            number, status, reason = order.order_no, order.status, order.status_reason
        text = _(f"Discrepancy #{record_id} resolved: order {number} now {forms.state(status)}.",
                 f"下架差异 #{record_id} 已处理：订单 {number} 当前状态 {forms.state(status)}。")
        if status == "backordered":
            flash(f"{text} {reason}".strip(), "error")
        else:
            flash(text, "ok")
    except NotFound:
        raise
    except WmsError as exc:
        flash(problem_text(exc), "error")
    return redirect(back)
