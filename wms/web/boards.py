"""Live boards for supervisors: the inbound board at /boards/inbound, the outbound board at /boards/outbound.

The inbound page is rendered from the database (forecasts by state as kanban columns, counters of the customs
and warehouse queues, the latest forecast milestones as a feed), then kept current by the Socket.IO namespace
``/boards`` (room ``inbound``): ``wms.events`` emits there only after a transaction commits. After joining the
room (and after every reconnection) the page reloads ``/boards/inbound/state`` once, so nothing that happened
between rendering and joining is missed.

The outbound page shows one warehouse (``?warehouse=CODE``, else the first active one): orders by state with
counts and the oldest waiting, customs, waves, pick discrepancies, bags, vehicles, shipped today and 汇总待报,
all from ``wms.outbound.board.summary``. It is rendered with the summary, then every event of the room
``outbound`` reloads ``/boards/outbound/state`` (debounced: a burst of scans is one request), as do joining
the room, every reconnection and, as a safety net, each minute.

Staff only (admin, supervisor, operator, customs): the same roles the namespace lets in.
"""
from __future__ import annotations

from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, g, jsonify, render_template, request, url_for
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException

from wms.errors import Forbidden, NotFound
from wms.extensions import db
from wms.i18n import get_locale
from wms.inbound import asn as asns
from wms.inbound.models import Asn, PutawayTask, QcTask, TempDeclaration, TempDeclarationLine
from wms.outbound import board as outbound
from wms.realtime.namespaces import STAFF
from wms.web.views import _, _signed_in, bp

COLUMNS = (("submitted", "Awaiting arrival", "待到货"), ("arrived", "Arrived", "已到货"),
           ("receiving", "Receiving", "收货中"), ("received", "Received today", "今日已收货"))
COUNTERS = (("declarations_draft", "Declarations to declare", "暂存入库单待申报"),
            ("declarations_declared", "Declared, awaiting customs", "已申报待海关审核"),
            ("held_lines", "Lines on customs hold", "海关布控查验（行）"),
            ("held_units", "Units on customs hold", "海关布控查验（件）"),
            ("qc_open", "Open QC tasks", "待质检任务"),
            ("putaway_tasks", "Putaway backlog (tasks)", "待上架任务"),
            ("putaway_units", "Putaway backlog (units)", "待上架件数"))
# Feed lines by event name; {names} are the event payload's fields (the page fills them in the same way).
EVENT_TEXTS = {
    "asn.draft": ("{number} reopened for changes", "{number} 已撤回修改"),
    "asn.submitted": ("Forecast {number} ({seller}) submitted: {expected_qty} units, {cartons} cartons",
                      "入库预报 {number}（{seller}）已提交：{expected_qty} 件，{cartons} 箱"),
    "asn.submitted.parcel": ("Parcel forecast {number} ({seller}) submitted: {parcels} parcels",
                             "集货包裹预报 {number}（{seller}）已提交：{parcels} 个包裹"),
    "asn.arrived": ("{number} passed the gate: vehicle {vehicle_no}, {cartons_arrived}/{cartons} cartons",
                    "{number} 已入区过闸：车辆 {vehicle_no}，{cartons_arrived}/{cartons} 箱"),
    "asn.receiving": ("Receiving started on {number}", "{number} 开始收货"),
    "asn.received": ("{number} received: {received_qty}/{expected_qty} units, {damaged_qty} damaged",
                     "{number} 收货完成：{received_qty}/{expected_qty} 件，破损 {damaged_qty} 件"),
    "asn.closed": ("{number} closed", "{number} 已关闭"),
    "asn.cancelled": ("{number} cancelled", "{number} 已取消"),
    "receipt.posted": ("{number}: received {qty} × {sku} ({received_qty}/{expected_qty})",
                       "{number}：收货 {sku} × {qty}（{received_qty}/{expected_qty}）"),
    "receipt.posted.damaged": ("{number}: received {qty} × {sku} damaged ({received_qty}/{expected_qty})",
                               "{number}：收货 {sku} × {qty} 破损（{received_qty}/{expected_qty}）"),
    "parcel.received": ("{number}: parcel {waybill_no} received ({parcels_received}/{parcels})",
                        "{number}：包裹 {waybill_no} 已收货（{parcels_received}/{parcels}）"),
    "declaration.accepted": ("Declaration {number} accepted by customs", "暂存入库单 {number} 海关审核通过"),
    "declaration.rejected": ("Declaration {number} rejected by customs: {info}", "暂存入库单 {number} 海关退单：{info}"),
    "goods.held": ("{count} line(s) of {number} held for customs inspection", "{number} 有 {count} 行货物海关布控查验"),
    "goods.inspected": ("{number} line {seq_no} ({sku}) inspected: {result}", "{number} 第 {seq_no} 行（{sku}）查验：{result}"),
    "qc.created": ("QC task {number}: {qty} × {sku} (LPN {lpn})", "质检任务 {number}：{sku} × {qty}（LPN {lpn}）"),
    "qc.done": ("QC task {number} done: {passed} passed, {failed} failed",
                "质检任务 {number} 完成：合格 {passed}，不合格 {failed}"),
    "putaway.backlog": ("Putaway backlog: {open_tasks} tasks, {units} units", "待上架：{open_tasks} 个任务，{units} 件"),
    "disposal.approved": ("Disposal {number} ({kind}) approved", "处置单 {number}（{kind}）已审批"),
    "disposal.completed": ("Disposal {number} ({kind}) completed", "处置单 {number}（{kind}）已完成"),
    "disposal.cancelled": ("Disposal {number} ({kind}) cancelled", "处置单 {number}（{kind}）已取消"),
    "disposal": ("Disposal {number} ({kind}): {status}", "处置单 {number}（{kind}）：{status}"),
    "event": ("{name}", "{name}"),
}
VALUES = {  # payload values shown in words
    "passed": ("passed", "通过"), "failed": ("failed (defective)", "不合格"), "seized": ("seized", "扣押"),
    "destroy": ("destroy", "销毁"), "return": ("return to seller", "退仓"),
}
FEED_SIZE = 30


def nav_items(user) -> list[tuple[str, str]]:
    if user.role not in STAFF:
        return []
    return [("/boards/inbound", _("Inbound board", "入库看板")),
            ("/boards/outbound", _("Outbound board", "出库看板"))]


def _staff_only():
    """None when a staff member may go on; a redirect to sign-in; or 403 (sellers)."""
    if (r := _signed_in()) is not None:
        return r
    if g.user.role not in STAFF:
        raise Forbidden(role=g.user.role)
    return None


def _start_of_today() -> datetime:
    """Midnight in the warehouse's time zone (timestamps are stored in UTC)."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    midnight = datetime.combine(datetime.now(zone).date(), time(0), tzinfo=zone)
    return midnight.astimezone(timezone.utc)


def columns() -> dict[str, list[dict]]:
    """The forecasts on the board, as ``asns.summary`` cards by state (received: today's only)."""
    today = _start_of_today()
    query = (sa.select(Asn).options(selectinload(Asn.lines), selectinload(Asn.parcels), selectinload(Asn.seller))
             .where(Asn.status.in_([c[0] for c in COLUMNS]),
                    sa.or_(Asn.status != "received", Asn.received_at >= today))
             .order_by(Asn.id))
    cards: dict[str, list[dict]] = {key: [] for key, *_names in COLUMNS}
    for asn in db.session.scalars(query):
        cards[asn.status].append(asns.summary(asn))
    return cards


def counters() -> dict[str, int]:
    by_status = dict(db.session.execute(
        sa.select(TempDeclaration.status, sa.func.count()).group_by(TempDeclaration.status)).all())
    held_lines, held_units = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(TempDeclarationLine.qty), 0))
        .join(TempDeclaration, TempDeclaration.id == TempDeclarationLine.declaration_id)
        .where(TempDeclaration.status == "accepted", TempDeclarationLine.spot_check.is_(True),
               TempDeclarationLine.inspection_result == "")).one()
    qc_open = db.session.scalar(sa.select(sa.func.count()).where(QcTask.status == "open"))
    putaway_tasks, putaway_units = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(PutawayTask.qty), 0))
        .where(PutawayTask.status == "open")).one()
    return {"declarations_draft": by_status.get("draft", 0), "declarations_declared": by_status.get("declared", 0),
            "held_lines": held_lines, "held_units": int(held_units), "qc_open": qc_open,
            "putaway_tasks": putaway_tasks, "putaway_units": int(putaway_units)}


def recent_milestones(limit: int = FEED_SIZE) -> list[dict]:
    """The feed before any live event: the latest submissions, arrivals and receipts of forecasts."""
    found = []
    for status, column in (("submitted", Asn.submitted_at), ("arrived", Asn.arrived_at),
                           ("received", Asn.received_at)):
        query = (sa.select(Asn).options(selectinload(Asn.lines), selectinload(Asn.parcels), selectinload(Asn.seller))
                 .where(column.is_not(None)).order_by(column.desc()).limit(limit))
        for asn in db.session.scalars(query):
            found.append({"name": f"asn.{status}", "at": getattr(asn, f"{status}_at"),
                          "payload": asns.summary(asn)})
    found.sort(key=lambda item: item["at"], reverse=True)
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return [{"name": item["name"], "text": feed_text(item["name"], item["payload"]),
             "time": item["at"].astimezone(zone).strftime("%m-%d %H:%M:%S")}
            for item in found[:limit]]


def _texts() -> dict[str, str]:
    return {name: _(*pair) for name, pair in EVENT_TEXTS.items()}


def feed_text(name: str, payload: dict) -> str:
    """One feed line, in the page's language (the page's script fills live events the same way)."""
    texts = _texts()
    template = texts.get(f"{name}.{payload.get('mode')}") or texts.get(name) or texts["event"]
    values = {k: _(*VALUES[v]) if isinstance(v, str) and v in VALUES else v for k, v in payload.items()}
    values.setdefault("name", name)

    class Blank(dict):
        def __missing__(self, key):
            return "—"

    return template.format_map(Blank(values))


@bp.get("/boards/inbound")
def inbound_board():
    if (r := _staff_only()) is not None:
        return r
    config = {"namespace": "/boards", "room": "inbound", "state_url": "/boards/inbound/state",
              "asn_url": "/admin/asns/", "texts": _texts(), "values": {k: _(*v) for k, v in VALUES.items()},
              "feed_size": FEED_SIZE, "timezone": current_app.config["TIMEZONE"],
              "words": {"live": _("Live", "实时"), "connecting": _("Connecting…", "连接中…"),
                        "offline": _("Offline — reconnecting", "已断开，重连中"),
                        "parcels": _("parcels", "包裹"), "damaged": _("damaged", "破损"), "units": _("units", "件"), "cartons": _("cartons", "箱"),
                        "none": _("None", "无")}}
    return render_template("board_inbound.html", title=_("Inbound board", "入库看板"), cards=columns(),
                           columns=[(key, _(en, zh)) for key, en, zh in COLUMNS],
                           counters=counters(), counter_names=[(key, _(en, zh)) for key, en, zh in COUNTERS],
                           feed=recent_milestones(), config=config)


@bp.get("/boards/inbound/state")
def inbound_board_state():
    """The board's data as JSON: the page reloads it after joining the room and after each reconnection."""
    if (r := _staff_only()) is not None:
        return r
    return jsonify(columns=columns(), counters=counters())


# --- the outbound board ------------------------------------------------------------------------------------

OUTBOUND_COLUMNS = (  # (key, name en, name zh, what its orders wait for en, zh); the keys of board.COLUMNS
    ("received", "Received", "已接单", "to match", "待对碰"), ("matched", "Matched", "已对碰", "to allocate", "待分配"),
    ("allocated", "Allocated", "已分配", "to wave", "待组波"), ("waved", "Waved", "已组波", "to pick", "待拣货"),
    ("picked", "Picked", "已拣货", "to pack", "待打包"), ("packed", "Packed", "已打包", "to bag", "待装袋"),
    ("bagged", "Bagged", "已装袋", "to load", "待装车"), ("loaded", "Loaded", "已装车", "to depart", "待出区"),
    ("shipped", "Shipped", "已出区", "today", "今日"))
SUB_STATES = {"match_failed": ("match failed", "对碰失败"), "backordered": ("backordered", "缺货")}
CUSTOMS_COUNTERS = (("declared", "Declared, awaiting release", "已申报待放行"),
                    ("inspection", "Under customs inspection", "海关查验中"),
                    ("rejected", "Lists rejected", "清单退单"),
                    ("match_failed", "Three-document match failed", "三单对碰失败"),
                    ("not_released_packed", "Packed, not released (can't load)", "已打包未放行（不能装车）"))
OUTBOUND_WORDS = {
    "order": ("order", "单"), "orders": ("orders", "单"), "unit": ("unit", "件"), "units": ("units", "件"),
    "bag": ("bag", "袋"), "bags": ("bags", "袋"), "parcel": ("parcel", "包裹"), "parcels": ("parcels", "包裹"),
    "oldest": ("oldest", "最久"), "short": ("short", "短拣"), "missing": ("{n} missing", "缺 {n} 件"),
    "more": ("+ {n} more waves in progress", "另有 {n} 个进行中波次"),
    "no_waves": ("No wave being picked or packed.", "暂无进行中的波次。"),
    "no_discrepancies": ("No open discrepancy.", "暂无待处理的下架差异。"),
    "no_vehicles": ("No vehicle today.", "今日暂无车辆。"),
    "live": ("Live", "实时"), "connecting": ("Connecting…", "连接中…"),
    "offline": ("Offline — reconnecting", "已断开，重连中"),
    "age_now": ("<1 min", "<1分钟"), "age_min": ("{m} min", "{m}分钟"),
    "age_hour": ("{h}h {mm}m", "{h}小时{mm}分"), "age_day": ("{d}d {h}h", "{d}天{h}小时"),
}
OUTBOUND_VALUES = {  # wave and vehicle states, wave kinds, in words
    "released": ("Picking", "拣货中"), "picked": ("Packing", "打包中"), "single": ("Single", "一票一件"),
    "multi": ("Multi", "多品"), "loading": ("Loading", "装车中"), "closed": ("Closed, at the gate", "已封车待出区"),
    "departed": ("Departed", "已出区"),
}
AGE_WARN_S, AGE_ALERT_S = 2 * 3600, 8 * 3600      # the oldest waiting: amber from 2 hours, red from 8


def _words() -> dict[str, str]:
    return {k: _(*v) for k, v in OUTBOUND_WORDS.items()}


def age_text(seconds: int | None, words: dict[str, str] | None = None) -> str:
    """A waiting time, short: "<1 min", "25 min", "3h 05m", "2d 4h" (the page's script says it alike)."""
    if seconds is None:
        return "—"
    words = words or _words()
    minutes = seconds // 60
    if minutes < 1:
        return words["age_now"]
    if minutes < 60:
        return words["age_min"].format(m=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return words["age_hour"].format(h=hours, mm=f"{minutes:02d}")
    days, hours = divmod(hours, 24)
    return words["age_day"].format(d=days, h=hours)


def age_level(seconds: int | None) -> str:
    if seconds is None:
        return ""
    return "alert" if seconds >= AGE_ALERT_S else "warn" if seconds >= AGE_WARN_S else ""


def _outbound_warehouse():
    code = request.args.get("warehouse", "").strip().upper()
    found = outbound.warehouse(code or None)
    if found is None:
        raise NotFound("record_not_found", entity="warehouse", id=code or "-")
    return found


def _outbound_state(warehouse) -> dict:
    name = warehouse.name_zh if get_locale() == "zh-CN" else (warehouse.name_en or warehouse.name_zh)
    return {"warehouse": {"id": warehouse.id, "code": warehouse.code, "name": name},
            **outbound.summary(warehouse.id, _start_of_today())}


def _clock(iso: str) -> str:
    """A state's time as the warehouse's wall clock (HH:MM:SS)."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return datetime.fromisoformat(iso).astimezone(zone).strftime("%H:%M:%S")


def _page(path: str) -> bool:
    """Whether the site has a screen of its own at ``path`` (not the generic /admin/<resource> screens): the
    board links to the bag and manifest screens only where the application has them."""
    try:
        _endpoint, args = current_app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:
        return False
    return "resource" not in args


@bp.get("/boards/outbound")
def outbound_board():
    if (r := _staff_only()) is not None:
        return r
    warehouse = _outbound_warehouse()
    state = _outbound_state(warehouse)
    words = _words()
    config = {"namespace": "/boards", "room": "outbound",
              "state_url": url_for("web.outbound_board_state", warehouse=warehouse.code),
              "timezone": current_app.config["TIMEZONE"], "words": words,
              "values": {k: _(*v) for k, v in OUTBOUND_VALUES.items()},
              "sub_states": {k: _(*v) for k, v in SUB_STATES.items()},
              "columns": [key for key, *_names in OUTBOUND_COLUMNS],
              "age_warn_s": AGE_WARN_S, "age_alert_s": AGE_ALERT_S,
              "links": {"order": "/admin/orders/", "wave": "/admin/waves/",
                        "manifest": "/admin/manifests/" if _page("/admin/manifests/1") else ""},
              "debounce_ms": 400, "poll_ms": 60_000}
    return render_template(
        "board_outbound.html", title=_("Outbound board", "出库看板"), state=state, config=config, words=words,
        columns=[(key, _(en, zh), _(wait_en, wait_zh)) for key, en, zh, wait_en, wait_zh in OUTBOUND_COLUMNS],
        sub_states=config["sub_states"], values=config["values"], links=config["links"],
        customs_counters=[(key, _(en, zh)) for key, en, zh in CUSTOMS_COUNTERS],
        warehouses=outbound.warehouses(), age_text=lambda s: age_text(s, words), age_level=age_level,
        updated=_clock(state["at"]), bags_url="/admin/bags" if _page("/admin/bags") else "")


@bp.get("/boards/outbound/state")
def outbound_board_state():
    """The outbound board's data as JSON: the page reloads it on each event of the room ``outbound``."""
    if (r := _staff_only()) is not None:
        return r
    return jsonify(_outbound_state(_outbound_warehouse()))
