"""Live boards for supervisors: the inbound board at /boards/inbound.

The page is rendered from the database (forecasts by state as kanban columns, counters of the customs and
warehouse queues, the latest forecast milestones as a feed), then kept current by the Socket.IO namespace
``/boards`` (room ``inbound``): ``wms.events`` emits there only after a transaction commits. After joining the
room (and after every reconnection) the page reloads ``/boards/inbound/state`` once, so nothing that happened
between rendering and joining is missed.

Staff only (admin, supervisor, operator, customs): the same roles the namespace lets in.
"""
from __future__ import annotations

from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, g, jsonify, render_template
from sqlalchemy.orm import selectinload

from wms.errors import Forbidden
from wms.extensions import db
from wms.inbound import asn as asns
from wms.inbound.models import Asn, PutawayTask, QcTask, TempDeclaration, TempDeclarationLine
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
    return [("/boards/inbound", _("Inbound board", "入库看板"))] if user.role in STAFF else []


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
