"""Shipping desk screens for supervisors under /admin: bags (汇总入袋) and vehicle manifests (车辆装货 / 出区).

* Bags: the list (status, SSCC search, exports); a new bag (a pre-printed SSCC label, or a new number); a bag's
  page with its parcels and, by state and role, a parcel scanned in, a parcel taken out with the reason, the seal
  with the parcels counted by hand and the weight, and the SSCC label again (PDF in a new tab).
* Manifests: the list (status, number / plate search, exports); opening one for a carrier's vehicle; a
  manifest's page with its bags and totals, a sealed bag loaded by scanning its SSCC (loading), the close with
  the master bill and flight (loading), the gate-out (closed, ``gate.write``), the manifest PDF and the customs
  messages declared for it (运抵单 CEB507, 清单总分单 CEB607, 离境单 CEB509: ``cop_no`` ``<number>-A/-W/-D``).

Every write goes through the outbound services (``wms.outbound.bagging``, ``wms.outbound.loading``) once per
form, in one unit of work, with the API's own input schemas; a refused event (409), a wrong scan (404) or
invalid input (422) is flashed on the page with the problem's own message.
"""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask import flash, g, redirect, render_template, request
from markupsafe import Markup
from marshmallow import ValidationError
from sqlalchemy.orm import joinedload

from wms.auth.permissions import allowed
from wms.core.fields import RECORD_ID
from wms.customs.models import CustomsRecord
from wms.db import unit_of_work
from wms.errors import NotFound, ValidationFailed, WmsError
from wms.extensions import db
from wms.i18n import get_locale, message, status_title, translate_errors
from wms.masterdata.models import Carrier, Channel
from wms.outbound import bagging, loading
from wms.outbound import schemas as s
from wms.outbound.api import bag_listing, manifest_listing
from wms.outbound.models import Bag, Manifest, Order, Parcel
from wms.outbound.states import BAG, MANIFEST
from wms.web import forms
from wms.web.inbound import _flat, _guard
from wms.web.views import _, _list_page, bp, csrf_token

READ = "waves.read"                 # as the API's lists and details of bags and manifests
BAGGING = "bagging.perform"
LOADING = "loading.perform"
GATE = "gate.write"

# --- names of the values ---------------------------------------------------------------------------------------

BAG_STATES = {"open": ("Open", "装袋中"), "sealed": ("Sealed", "已封袋"), "loaded": ("Loaded", "已装车")}
MANIFEST_STATES = {"loading": ("Loading", "装车中"), "closed": ("Closed", "装车完成"),
                   "departed": ("Departed", "已出区")}
EVENTS = {"seal": ("Seal", "封袋"), "load": ("Load", "装车"), "reopen": ("Reopen", "重新打开"),
          "close": ("Close the manifest", "完成装车"), "gate_out": ("Gate-out", "出区"),
          "unbag": ("Unbag", "拆袋"), "bag": ("Bag", "装袋")}
MACHINES = {"bag": ("Bag", "袋"), "manifest": ("Manifest", "装车单"), "order": ("Order", "订单")}
FIELDS = {"scan": ("Scan", "扫描"), "reason": ("Reason", "原因"), "count": ("Parcels counted", "清点件数"),
          "weight_kg": ("Weight", "重量"), "carrier": ("Carrier", "承运商"), "vehicle_no": ("Vehicle plate", "车牌"),
          "driver": ("Driver", "司机"), "bill_no": ("Master bill", "总运单号"), "traf_name": ("Flight", "航班"),
          "voyage_no": ("Voyage", "航次")}


def _names(table: dict) -> dict[str, str]:
    return {k: _(*v) for k, v in table.items()}


def event_name(event: str) -> str:
    return _(*EVENTS.get(event, (event, event)))


def _state(value: str) -> str:
    """A bag's or manifest's state in words (an order's through the screens' state names)."""
    names = BAG_STATES.get(value) or MANIFEST_STATES.get(value)
    return _(*names) if names else forms.state(value)


def nav_items(user) -> list[tuple[str, str]]:
    """The bag and manifest entries of the menu (staff only)."""
    if user.is_seller or not allowed(user.role, READ):
        return []
    return [("/admin/bags", _("Bags", "汇总入袋")), ("/admin/manifests", _("Manifests", "车辆装货"))]


def problem_text(exc: WmsError) -> str:
    """A refused action as one line: status, the problem's message, field errors, what is allowed now."""
    params = dict(exc.params)
    for key in ("current_state", "state"):
        if isinstance(params.get(key), str):
            params[key] = _state(params[key])
    if params.get("machine") in MACHINES:
        params["machine"] = _(*MACHINES[params["machine"]])
    if isinstance(params.get("event"), str):
        params["event"] = event_name(params["event"])
    if params.get("entity") in ("carrier", "bag", "manifest"):
        params["entity"] = {"carrier": _("carrier", "承运商"), "bag": _("bag", "袋"),
                            "manifest": _("manifest", "装车单")}[params["entity"]]
    text = f"{exc.status} {status_title(exc.status)} · {message(exc.code, **params)}"
    if exc.code == "validation_failed":            # the named codes (not_sscc …) already say what is wrong
        errors = translate_errors(exc.errors or {})
        details = [f"{_(*FIELDS.get(k, (k, k)))}: {' '.join(_flat(v))}" for k, v in errors.items()]
        if details:
            text += " — " + "; ".join(details)
    if "allowed_events" in exc.params:
        allowed_now = ", ".join(event_name(e) for e in exc.params["allowed_events"] or []) or "—"
        text += " " + _(f"(allowed now: {allowed_now})", f"（当前可执行：{allowed_now}）")
    return text


def _load(schema, data: dict) -> dict:
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages) from None


def _fields(*names: str, limit: int = 300) -> dict:
    return {name: request.form.get(name, "").strip()[:limit] for name in names}


def _named(row) -> str:
    """A channel, carrier or country as "CODE name" in the page's language."""
    if row is None:
        return "—"
    name = row.name_zh if get_locale() == "zh-CN" else (row.name_en or row.name_zh)
    return f"{row.code} {name}".strip()


def _run(work, back: str, done) -> object:
    """One write in a unit of work; ``done(result)`` is the text flashed on success, a refusal is flashed as
    an error. Back to ``back`` either way (a record that does not exist stays a 404)."""
    try:
        with unit_of_work():
            result = done(work())
        flash(result, "ok")
    except NotFound as exc:
        if exc.code == "record_not_found" and exc.params.get("entity") in ("bag", "manifest"):
            raise
        flash(problem_text(exc), "error")
    except WmsError as exc:
        flash(problem_text(exc), "error")
    return redirect(back)


# --- bags --------------------------------------------------------------------------------------------------------

@bp.get("/admin/bags")
def bag_list():
    user = g.get("user")
    base = sa.select(Bag).options(joinedload(Bag.channel), joinedload(Bag.country)) if user else None
    extra = None
    if user is not None and not user.is_seller and allowed(user.role, BAGGING):
        extra = Markup(
            '<form method="post" action="/admin/bags/new" class="inline new-bag">'
            '<input type="hidden" name="csrf_token" value="{}">'
            '<input name="scan" size="22" maxlength="30" placeholder="{}" aria-label="{}"> '
            '<button class="primary">+ {}</button></form>').format(
            csrf_token(), _("SSCC label (empty: a new number)", "SSCC 袋标（留空则新编号）"),
            _("SSCC label", "SSCC 袋标"), _("New bag", "新建袋"))
    return _list_page("bags", title=_("Bags", "汇总入袋"), permission=READ, listing=bag_listing, base_query=base,
                      link=lambda row: f"/admin/bags/{row.id}", staff_only=True,
                      value_labels={"status": _names(BAG_STATES)}, extra=extra)


@bp.post("/admin/bags/new")
def bag_new():
    """A bag for a pre-printed SSCC label (the one it names, if already opened), or a new number."""
    if (r := _guard(BAGGING, staff=True)) is not None:
        return r
    try:
        data = _load(s.BagOpenSchema(), _fields("scan", limit=30))
        with unit_of_work():
            bag = bagging.open_bag(data["scan"] or None)
            bag_id, sscc, status = bag.id, bag.sscc, bag.status
        flash(_(f"Bag {sscc} is open: scan its parcels.", f"袋 {sscc} 已打开，请扫描包裹。") if status == "open" else
              _(f"Bag {sscc} is {_state(status)}.", f"袋 {sscc} 状态为{_state(status)}。"), "ok")
        return redirect(f"/admin/bags/{bag_id}")
    except WmsError as exc:
        flash(problem_text(exc), "error")
        return redirect("/admin/bags")


def _bag_view(bag: Bag) -> dict:
    parcels = db.session.scalars(sa.select(Parcel).where(Parcel.bag_id == bag.id)
                                 .options(joinedload(Parcel.order)).order_by(Parcel.id)).all()
    manifest = db.session.get(Manifest, bag.manifest_id) if bag.manifest_id else None
    role = g.user.role
    can_bag = allowed(role, BAGGING) and bag.status == "open"
    return dict(bag=bag, parcels=parcels, manifest=manifest, channel=_named(bag.channel),
                carrier=_named(bag.channel.carrier) if bag.channel else "—", country=_named(bag.country),
                weight=sum((p.weight_kg or Decimal(0) for p in parcels), Decimal(0)),
                actions={"add": can_bag, "unbag": can_bag,
                         "seal": can_bag and "seal" in BAG.allowed_events(bag.status)},
                states=_names(BAG_STATES), manifest_states=_names(MANIFEST_STATES), order_state=forms.state)


@bp.get("/admin/bags/" + RECORD_ID)
def bag_detail(record_id: int):
    if (r := _guard(READ, staff=True)) is not None:
        return r
    return render_template("bag_detail.html", **_bag_view(bagging.get(record_id)))


@bp.post("/admin/bags/" + RECORD_ID + "/parcels")
def bag_add_parcel(record_id: int):
    """Scan a packed parcel (its waybill) into an open bag of its channel and destination."""
    if (r := _guard(BAGGING, staff=True)) is not None:
        return r

    def work():
        data = _load(s.BagParcelSchema(), _fields("scan", limit=40))
        bag = bagging.get(record_id, lock=True)
        parcel = bagging.add_parcel(bag, data["scan"])
        return parcel.logistics_no, bag.parcels_count
    return _run(work, f"/admin/bags/{record_id}",
                lambda r: _(f"Parcel {r[0]} bagged ({r[1]} in the bag).", f"包裹 {r[0]} 已装袋（袋内 {r[1]} 件）。"))


@bp.post("/admin/bags/" + RECORD_ID + "/unbag")
def bag_unbag(record_id: int):
    """Take a parcel out of an open bag with the reason; its order is packed again."""
    if (r := _guard(BAGGING, staff=True)) is not None:
        return r

    def work():
        data = _load(s.UnbagSchema(), {k: v for k, v in _fields("scan", "reason").items() if v})
        bag = bagging.get(record_id, lock=True)
        parcel = bagging.remove_parcel(bag, data["scan"], data["reason"])
        return parcel.logistics_no, bag.parcels_count
    return _run(work, f"/admin/bags/{record_id}",
                lambda r: _(f"Parcel {r[0]} taken out of the bag ({r[1]} left).",
                            f"包裹 {r[0]} 已拆出（袋内剩 {r[1]} 件）。"))


@bp.post("/admin/bags/" + RECORD_ID + "/seal")
def bag_seal(record_id: int):
    """Seal an open bag: the parcels counted by hand must be the parcels scanned; the weight is kept."""
    if (r := _guard(BAGGING, staff=True)) is not None:
        return r

    def work():
        data = _load(s.SealSchema(), {k: v for k, v in _fields("count", "weight_kg", limit=20).items() if v})
        bag = bagging.seal(bagging.get(record_id, lock=True), data["count"], Decimal(data["weight_kg"]))
        return bag.sscc, bag.parcels_count, bag.weight_kg
    return _run(work, f"/admin/bags/{record_id}",
                lambda r: _(f"Bag {r[0]} sealed: {r[1]} parcels, {r[2]} kg.", f"袋 {r[0]} 已封袋：{r[1]} 件，{r[2]} kg。"))


@bp.get("/admin/bags/" + RECORD_ID + "/label.pdf")
def bag_label(record_id: int):
    """The bag's SSCC label as PDF (to reprint); ``?printer=CODE`` sends it to that printer instead."""
    if (r := _guard(READ, staff=True)) is not None:
        return r
    from wms.printing.api import label_response
    printer = request.args.get("printer", "").strip()
    return label_response("sscc", bagging.label_items(bagging.get(record_id)),
                          {"printer": printer} if printer else {"format": "pdf"})


# --- manifests ---------------------------------------------------------------------------------------------------

@bp.get("/admin/manifests")
def manifest_list():
    user = g.get("user")
    base = sa.select(Manifest).options(joinedload(Manifest.carrier)) if user else None
    extra = None
    if user is not None and not user.is_seller and allowed(user.role, LOADING):
        extra = Markup('<a class="button primary" href="/admin/manifests/new">+ {}</a>').format(
            _("Open a manifest", "新建装车单"))
    return _list_page("manifests", title=_("Manifests", "车辆装货"), permission=READ, listing=manifest_listing,
                      base_query=base, link=lambda row: f"/admin/manifests/{row.id}", staff_only=True,
                      value_labels={"status": _names(MANIFEST_STATES)}, extra=extra)


def _carrier_choices() -> list[tuple[str, str]]:
    rows = db.session.scalars(sa.select(Carrier).where(Carrier.active.is_(True)).order_by(Carrier.code)).all()
    return [("", "—"), *((c.code, _named(c)) for c in rows)]


def _waiting_bags(carrier_id: int | None = None):
    """Sealed bags not on a vehicle yet, by carrier: (code, carrier, bags, parcels, weight) — or one carrier's
    bags, the oldest sealed first."""
    query = sa.select(Bag).join(Channel, Channel.id == Bag.channel_id).where(Bag.status == "sealed")
    if carrier_id is not None:
        return db.session.scalars(query.where(Channel.carrier_id == carrier_id)
                                  .options(joinedload(Bag.channel), joinedload(Bag.country))
                                  .order_by(Bag.sealed_at, Bag.id).limit(100)).all()
    rows = db.session.execute(
        sa.select(Carrier, sa.func.count(Bag.id), sa.func.sum(Bag.parcels_count), sa.func.sum(Bag.weight_kg))
        .select_from(Bag).join(Channel, Channel.id == Bag.channel_id).join(Carrier, Carrier.id == Channel.carrier_id)
        .where(Bag.status == "sealed").group_by(Carrier.id).order_by(Carrier.code)).all()
    return [(c.code, _named(c), bags, parcels or 0, weight or Decimal(0)) for c, bags, parcels, weight in rows]


def _open_page(*, values=None, errors=None, general=None, status=200):
    return render_template("manifest_form.html", values=values or {"carrier": "", "vehicle_no": "", "driver": ""},
                           errors=errors or {}, general=general, carriers=_carrier_choices(),
                           waiting=_waiting_bags()), status


@bp.route("/admin/manifests/new", methods=["GET", "POST"])
def manifest_new():
    """Open a manifest for a carrier's vehicle (plate, driver); then its bags are loaded on its page."""
    if (r := _guard(LOADING, staff=True)) is not None:
        return r
    if request.method == "GET":
        return _open_page(values={"carrier": request.args.get("carrier", ""), "vehicle_no": "", "driver": ""})
    values = _fields("carrier", "vehicle_no", "driver", limit=100)
    try:
        data = _load(s.ManifestOpenSchema(), {k: v for k, v in values.items() if v or k == "driver"})
        with unit_of_work():
            manifest = loading.open_manifest(data["carrier"], data["vehicle_no"], data["driver"])
            manifest_id, number = manifest.id, manifest.number
    except ValidationFailed as exc:
        errors = {k: _flat(v) for k, v in translate_errors(exc.errors or {}).items()}
        return _open_page(values=values, errors=errors, general=problem_text(exc), status=422)
    except NotFound as exc:                          # an unknown (or deactivated) carrier code
        return _open_page(values=values, errors={"carrier": [problem_text(exc)]}, general=problem_text(exc),
                          status=422)
    except WmsError as exc:
        return _open_page(values=values, general=problem_text(exc), status=exc.status)
    flash(_(f"Manifest {number} opened: scan the sealed bags onto the vehicle.",
            f"装车单 {number} 已创建，请扫描已封袋的袋标装车。"), "ok")
    return redirect(f"/admin/manifests/{manifest_id}")


def _declarations(manifest: Manifest) -> list[CustomsRecord]:
    """The customs messages declared for the vehicle: arrival (-A), master bill (-W), departure (-D)."""
    return db.session.scalars(sa.select(CustomsRecord).where(CustomsRecord.cop_no.like(f"{manifest.number}-%"))
                              .order_by(CustomsRecord.id)).all()


def _manifest_view(manifest: Manifest) -> dict:
    bags = db.session.scalars(sa.select(Bag).where(Bag.manifest_id == manifest.id)
                              .options(joinedload(Bag.channel), joinedload(Bag.country)).order_by(Bag.id)).all()
    role = g.user.role
    status = manifest.status
    actions = {"load": allowed(role, LOADING) and status == "loading",
               "close": allowed(role, LOADING) and "close" in MANIFEST.allowed_events(status),
               "gate_out": allowed(role, GATE) and "gate_out" in MANIFEST.allowed_events(status)}
    return dict(manifest=manifest, bags=bags, carrier=_named(manifest.carrier),
                totals={"bags": len(bags), "parcels": sum(b.parcels_count for b in bags),
                        "weight": sum((b.weight_kg or Decimal(0) for b in bags), Decimal(0))},
                waiting=_waiting_bags(manifest.carrier_id) if status == "loading" else [],
                declarations=_declarations(manifest), can_see_customs=allowed(role, "customs.read"),
                actions=actions, states=_names(MANIFEST_STATES), bag_states=_names(BAG_STATES),
                named=_named, event_name=event_name)


@bp.get("/admin/manifests/" + RECORD_ID)
def manifest_detail(record_id: int):
    if (r := _guard(READ, staff=True)) is not None:
        return r
    return render_template("manifest_detail.html", **_manifest_view(loading.get(record_id)))


@bp.post("/admin/manifests/" + RECORD_ID + "/bags")
def manifest_load(record_id: int):
    """Load a bag by its SSCC: sealed, of the vehicle's carrier, every parcel released by customs."""
    if (r := _guard(LOADING, staff=True)) is not None:
        return r

    def work():
        data = _load(s.ManifestLoadSchema(), _fields("scan", limit=30))
        manifest = loading.get(record_id, lock=True)
        bag = loading.load(manifest, data["scan"])
        return bag.sscc, bag.parcels_count, manifest.bags_count
    return _run(work, f"/admin/manifests/{record_id}",
                lambda r: _(f"Bag {r[0]} loaded: {r[1]} parcels ({r[2]} bags on the vehicle).",
                            f"袋 {r[0]} 已装车：{r[1]} 件（车上共 {r[2]} 袋）。"))


@bp.post("/admin/manifests/" + RECORD_ID + "/close")
def manifest_close(record_id: int):
    """Close the loading: the arrival (CEB507) and, with a master bill, the 清单总分单 (CEB607) are declared."""
    if (r := _guard(LOADING, staff=True)) is not None:
        return r

    def work():
        data = _load(s.ManifestCloseSchema(), _fields("bill_no", "traf_name", "voyage_no", limit=100))
        manifest = loading.close(loading.get(record_id, lock=True), data["bill_no"], data["traf_name"],
                                 data["voyage_no"])
        return manifest.number, manifest.bags_count, manifest.parcels_count
    return _run(work, f"/admin/manifests/{record_id}",
                lambda r: _(f"Manifest {r[0]} closed: {r[1]} bags, {r[2]} parcels; the arrival is declared.",
                            f"装车单 {r[0]} 已完成装车：{r[1]} 袋，{r[2]} 件；运抵单已申报。"))


@bp.post("/admin/manifests/" + RECORD_ID + "/gate-out")
def manifest_gate_out(record_id: int):
    """The vehicle leaves the zone: stock and account book out, the departure declared, the orders shipped."""
    if (r := _guard(GATE, staff=True)) is not None:
        return r

    def work():
        manifest = loading.gate_out(loading.get(record_id, lock=True))
        return manifest.number, manifest.parcels_count
    return _run(work, f"/admin/manifests/{record_id}",
                lambda r: _(f"Manifest {r[0]} departed: {r[1]} parcels shipped; the departure is declared.",
                            f"装车单 {r[0]} 已出区：{r[1]} 件已发运；离境单已申报。"))


@bp.get("/admin/manifests/" + RECORD_ID + "/document.pdf")
def manifest_document(record_id: int):
    """The manifest as an A4 PDF: vehicle, carrier, bags with their parcels and weights, signatures."""
    if (r := _guard(READ, staff=True)) is not None:
        return r
    from flask import Response
    manifest = loading.get(record_id)
    return Response(loading.manifest_pdf(manifest), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{manifest.number}.pdf"'})


# --- an order's bag and manifest, for the order page ---------------------------------------------------------

def order_shipping(order: Order) -> dict:
    """Where an order's parcel is: its bag and the bag's manifest (None when not bagged)."""
    parcel = db.session.scalars(sa.select(Parcel).where(Parcel.order_id == order.id)).first()
    bag = db.session.get(Bag, parcel.bag_id) if parcel is not None and parcel.bag_id else None
    manifest = db.session.get(Manifest, bag.manifest_id) if bag is not None and bag.manifest_id else None
    return {"parcel": parcel, "bag": bag, "manifest": manifest}
