"""Screens: sign-in, dashboard, record lists and edit forms for every resource, stock, movements, audit.

Staff reach them under /admin, sellers under /oms (the same screens, limited to their own records).
Forms carry a CSRF token; every write goes through the same resource services as the API.
"""
from __future__ import annotations

import secrets
from urllib.parse import urlencode

import sqlalchemy as sa
from datetime import datetime

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from marshmallow import ValidationError

from wms.auth.api import audit_listing, audit_query, users
from wms.auth.permissions import allowed
from wms.auth.service import authenticate
from wms.core.fields import RECORD_ID
from wms.core.listing import load_args
from wms.db import unit_of_work
from wms.errors import Forbidden, Unauthorized, ValidationFailed, WmsError
from wms.extensions import db
from wms.i18n import get_locale, message, translate_errors
from wms.inventory.api import movement_listing, movement_query, stock_listing, stock_query
from wms.auth.models import ROLES
from wms.inventory.models import StockBalance
from wms.inventory.states import GOODS
from wms.masterdata.models import Location, Product, Seller
from wms.masterdata.service import FILING, RESOURCES, file_event
from wms.printing.resources import printers
from wms.customs.api import entry_listing as book_entry_listing, entry_query as book_entry_query, \
    item_listing as book_item_listing, item_query as book_item_query, message_listing as customs_message_listing, \
    match_listing, match_query, message_query as customs_message_query, record_listing as customs_record_listing, \
    record_query as customs_record_query
from wms.inbound.api import fixed_locations, putaway_rules, qc_rules
from wms.outbound.api import channel_rules
from wms.scanning.api import listing as scan_listing, query as scan_query
from wms.scanning.models import SCAN_EXCEPTION, ScanException
from wms.web import forms

bp = Blueprint("web", __name__)

SCREENS = {r.name: r for r in [*RESOURCES, printers, users, qc_rules, putaway_rules, fixed_locations, channel_rules]}
FILING_SCREENS = {"products", "sellers"}
LISTS = {  # read-only lists: (title en, title zh, permission, listing, query)
    "stock": ("Stock", "库存", "inventory.read", stock_listing, stock_query),
    "movements": ("Movements", "库存流水", "inventory.read", movement_listing, movement_query),
    "audit": ("Audit log", "审计日志", "audit.read", audit_listing, audit_query),
    "scan-exceptions": ("Scan exceptions", "扫描异常", "scans.review", scan_listing, scan_query),
    "book-items": ("Account book", "账册", "book.read", book_item_listing, book_item_query),
    "book-entries": ("Book entries", "账册记账", "book.read", book_entry_listing, book_entry_query),
    "customs-records": ("Declarations", "海关申报", "customs.read", customs_record_listing, customs_record_query),
    "customs-messages": ("Message log", "报文日志", "customs.read", customs_message_listing, customs_message_query),
    "match-exceptions": ("Three-document exceptions", "三单对碰异常", "customs.read", match_listing, match_query),
}
ROW_LINKS = {"customs-records", "customs-messages"}


def _(text_en: str, text_zh: str) -> str:
    return text_zh if get_locale() == "zh-CN" else text_en


@bp.app_context_processor
def _template_globals():
    return {"_": _, "locale": get_locale(), "user": g.get("user"), "csrf_token": csrf_token, "nav": _nav_groups(),
            "state": forms.state, "state_columns": forms.STATE_COLUMNS}


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


@bp.app_template_test("datetime")
def _is_datetime(value) -> bool:
    return isinstance(value, datetime)


@bp.app_template_filter("when")
def _when(value) -> str:
    """A stored UTC time as the warehouse's local time, to the second."""
    from zoneinfo import ZoneInfo
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"])).strftime("%Y-%m-%d %H:%M:%S")


@bp.before_request
def _csrf():
    if request.method != "POST":
        return
    # forms send the token as the field csrf_token; the screens' JSON calls (packing station) as a header
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    kept = session.get("csrf") or ""
    if not sent or not kept or not secrets.compare_digest(sent, kept):
        raise Forbidden("csrf_failed")


# The menu's groups, in order, and where each screen belongs (by the first part of its path after the prefix).
NAV_GROUPS = (("inbound", "Inbound", "入库"), ("outbound", "Outbound", "出库"), ("stock", "Inventory", "库存"),
              ("customs", "Customs", "海关"), ("boards", "Boards", "看板"), ("master", "Master data", "主数据"),
              ("system", "System", "系统"))
NAV_SECTION = {
    **dict.fromkeys(("asns", "gate-passes", "temp-declarations", "qc-tasks", "putaway-tasks", "occupancy",
                     "disposals", "qc-rules", "putaway-rules", "fixed-locations"), "inbound"),
    **dict.fromkeys(("orders", "waves", "pick-discrepancies", "packing", "packing-lists", "packing-list", "bags",
                     "manifests", "channel-rules"), "outbound"),
    **dict.fromkeys(("stock", "movements", "scan-exceptions", "labels"), "stock"),
    **dict.fromkeys(("book-items", "book-entries", "book-reconciliation", "customs-records", "customs-messages",
                     "match-exceptions"), "customs"),
    **dict.fromkeys(("audit", "users", "printers"), "system"),
}


NAV_ORDER = {name: n for n, name in enumerate(NAV_SECTION)}          # within a group: the order of the flow


def _nav_section(href: str) -> str:
    parts = href.split("?")[0].strip("/").split("/")
    if parts[0] == "boards":
        return "boards"
    if "filing_status=declared" in href:
        return "customs"
    return NAV_SECTION.get(parts[1] if len(parts) > 1 else "", "master")


def _nav_rank(href: str) -> int:
    parts = href.split("?")[0].strip("/").split("/")
    return NAV_ORDER.get(parts[1] if len(parts) > 1 else "", len(NAV_ORDER))


def _nav_groups() -> list[tuple[str, str, bool, list[tuple[str, str, bool]]]]:
    """The menu as groups (key, title, holds this page, [(href, text, is this page)]), only groups with entries."""
    items = [(href, text, request.path.startswith(href.split("?")[0])) for href, text in _nav()]
    groups = []
    for key, en, zh in NAV_GROUPS:
        links = sorted((item for item in items if _nav_section(item[0]) == key), key=lambda i: _nav_rank(i[0]))
        if links:
            groups.append((key, _(en, zh), any(on for _h, _t, on in links), links))
    return groups


def _nav() -> list[tuple[str, str]]:
    user = g.get("user")
    if user is None:
        return []
    prefix = "/oms" if user.is_seller else "/admin"
    items = [(f"{prefix}/{name}", _(*LISTS[name][:2])) for name in ("stock", "movements")
             if allowed(user.role, LISTS[name][2])]
    items += [(f"{prefix}/{r.name}", r.label) for r in SCREENS.values() if allowed(user.role, r.read)
              and not (user.is_seller and r.name == "users")]
    if allowed(user.role, "audit.read"):
        items.append((f"{prefix}/audit", _(*LISTS["audit"][:2])))
    if allowed(user.role, "filing.review"):
        items.append(("/admin/products?filing_status=declared", _("Filing review", "备案审核")))
    if allowed(user.role, "book.read"):
        items += [(f"{prefix}/{name}", _(*LISTS[name][:2])) for name in ("book-items", "book-entries")]
        items.append((f"{prefix}/book-reconciliation", _("Reconciliation", "账实核对")))
    if allowed(user.role, "customs.read"):
        items += [(f"{prefix}/{name}", _(*LISTS[name][:2]))
                  for name in ("customs-records", "customs-messages", "match-exceptions")]
    if allowed(user.role, "scans.review"):
        items.append(("/admin/scan-exceptions", _(*LISTS["scan-exceptions"][:2])))
    if allowed(user.role, "labels.print"):
        items.append(("/admin/labels", _("Labels", "标签打印")))
    from wms.web.inbound import nav_items
    items += nav_items(user, prefix)
    from wms.web.orders import nav_items as order_items
    items += order_items(user, prefix)
    from wms.web.waves import nav_items as wave_items
    items += wave_items(user, prefix)
    from wms.web.packing import nav_items as packing_items
    items += packing_items(user)
    from wms.web.packing_list import nav_items as packing_list_items
    items += packing_list_items(user, prefix)
    from wms.web.shipping import nav_items as shipping_items
    items += shipping_items(user)
    from wms.web.boards import nav_items as board_items
    items += board_items(user)
    return items


def _signed_in():
    if g.get("user") is None:
        return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
    return None


# --- sign-in, language, dashboard --------------------------------------------------------------------

@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        try:
            with unit_of_work():
                user = authenticate(request.form.get("username", "").strip(), request.form.get("password", ""))
            session.clear()
            session.update(user_id=user.id, auth_stamp=user.password_hash[-12:])
            return redirect(_local_target(request.args.get("next")))
        except (Unauthorized, WmsError) as exc:
            error = message(exc.code, **exc.params)
    return render_template("login.html", error=error), 401 if error else 200


def _local_target(target: str | None) -> str:
    """Only a path on this site: no scheme, no host, no control characters (browsers drop them)."""
    from urllib.parse import urlsplit
    cleaned = "".join(ch for ch in (target or "") if ch.isprintable() and not ch.isspace())
    parts = urlsplit(cleaned)
    if not cleaned.startswith("/") or cleaned.startswith(("//", "/\\")) or parts.scheme or parts.netloc:
        return "/"
    return cleaned


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("web.login"))


@bp.get("/lang/<code>")
def set_language(code: str):
    target = request.referrer or "/"
    response = redirect(target)
    if code in ("zh-CN", "en"):
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@bp.get("/")
def dashboard():
    if (r := _signed_in()) is not None:
        return r
    by_status = dict(db.session.execute(
        _scoped(sa.select(StockBalance.status, sa.func.sum(StockBalance.qty)).group_by(StockBalance.status),
                StockBalance.seller_id)).all())
    counts = {
        _("Products", "商品"): db.session.scalar(_scoped(sa.select(sa.func.count(Product.id)), Product.seller_id)),
        _("Sellers", "卖家"): db.session.scalar(_scoped(sa.select(sa.func.count(Seller.id)), Seller.id)),
    }
    if not g.user.is_seller:
        counts[_("Locations", "库位")] = db.session.scalar(sa.select(sa.func.count(Location.id)))
    return render_template("dashboard.html", by_status=by_status, counts=counts)


def _scoped(query, column):
    return query.where(column == g.user.seller_id) if g.user.is_seller else query


# --- lists ---------------------------------------------------------------------------------------------

STATE_FILTERS = {"status": GOODS.states, "filing_status": FILING.states, "role": ROLES}


def _filter_widgets(listing, references: dict, value_labels: dict | None = None) -> list[forms.Widget]:
    """Filters of a list screen: yes/no for flags, a choice of records for references, a list's own
    values (``value_labels``: {filter: {value: label}}), else text."""
    from marshmallow import fields as mf
    out = []
    for key, (fld, _attr) in listing.filters.items():
        if value_labels and key in value_labels:
            choices = [("", "—"), *value_labels[key].items()]
        elif key in references and not (g.user.is_seller and key == "seller_id"):
            choices = [("", "—"), *forms._reference_choices(references[key])]
        elif isinstance(fld, mf.Boolean):
            choices = [("", "—"), ("true", _("Yes", "是")), ("false", _("No", "否"))]
        elif key in STATE_FILTERS:
            choices = [("", "—"), *((v, forms.state(v)) for v in STATE_FILTERS[key])]
        else:
            choices = None
        if key == "seller_id" and g.user.is_seller:
            continue
        out.append(forms.Widget(key, forms.label(key), "select" if choices else "text", choices=choices or [],
                                value=request.args.get(key, "")))
    return out


def _list_page(name: str, *, title: str, permission: str, listing, base_query, link=None, new_url=None,
               references=None, actions=None, import_url=None, value_labels=None, staff_only=False, extra=None):
    """A list screen. ``value_labels`` ({column key: {value: label}}) names a list's own state values in
    its cells and filters; ``extra`` is HTML-safe markup (links, forms) shown in the title bar."""
    if (r := _signed_in()) is not None:
        return r
    if not allowed(g.user.role, permission) or (staff_only and g.user.is_seller):
        raise Forbidden(role=g.user.role)
    args = load_args(listing.args_schema(name.title())(), request.args)
    query = listing.apply(base_query, args)
    if args["format"] != "json":
        from wms.core.listing import export
        return export(query, listing.columns, args["format"], name, get_locale())
    from wms.core.listing import page
    result = page(query, args)
    here = {k: v for k, v in request.args.items() if k not in ("page", "format")}
    filters = _filter_widgets(listing, references or {}, value_labels)
    return render_template("list.html", title=title, result=result, columns=listing.columns,
                           sortable=set(listing.sort) | {"id"}, sort=args.get("sort") or listing.default_sort,
                           q=args.get("q", ""), filters=filters, link=link, new_url=new_url, actions=actions,
                           import_url=import_url, value_labels=value_labels or {}, extra=extra,
                           query=lambda **kw: "?" + urlencode({**here, **kw}))


def _prefix() -> str:
    return "/oms" if g.get("user") is not None and g.user.is_seller else "/admin"


@bp.get("/admin/<any(stock, movements, audit, 'scan-exceptions', 'book-items', 'book-entries', 'customs-records', "
        "'customs-messages', 'match-exceptions'):name>")
@bp.get("/oms/<any(stock, movements, audit, 'book-items', 'book-entries', 'customs-records', 'customs-messages', "
        "'match-exceptions'):name>")
def report(name: str):
    en, zh, permission, listing, query = LISTS[name]
    base = query() if g.get("user") is not None else None
    actions = {"scan-exceptions": _scan_exception_actions, "match-exceptions": _match_exception_actions}.get(name)
    link = (lambda row: f"{_prefix()}/{name}/{row.id}") if name in ROW_LINKS else None
    return _list_page(name, title=_(en, zh), permission=permission, listing=listing, base_query=base,
                      actions=actions, link=link)


@bp.get("/admin/customs-messages/" + RECORD_ID)
@bp.get("/oms/customs-messages/" + RECORD_ID)
def customs_message(record_id: int):
    """One message or receipt, its XML shown and downloadable."""
    if (r := _signed_in()) is not None:
        return r
    if not allowed(g.user.role, "customs.read"):
        raise Forbidden(role=g.user.role)
    from wms.customs.api import _message
    return render_template("customs_message.html", message=_message(record_id))


@bp.get("/admin/customs-records/" + RECORD_ID)
@bp.get("/oms/customs-records/" + RECORD_ID)
def customs_record(record_id: int):
    """A declared record: what was declared and its customs timeline."""
    if (r := _signed_in()) is not None:
        return r
    if not allowed(g.user.role, "customs.read"):
        raise Forbidden(role=g.user.role)
    from wms.customs.api import record_with_timeline
    return render_template("customs_record.html", record=record_with_timeline(record_id))


@bp.get("/admin/book-reconciliation")
@bp.get("/oms/book-reconciliation")
def book_reconciliation():
    """Book balances against bonded stock on hand; every difference listed."""
    if (r := _signed_in()) is not None:
        return r
    if not allowed(g.user.role, "book.read"):
        raise Forbidden(role=g.user.role)
    from wms.customs.book import reconcile
    return render_template("reconciliation.html", differences=reconcile(g.user.seller_id if g.user.is_seller else None))


def _scan_exception_actions(row: ScanException) -> list[tuple[str, str]]:
    return [(forms.state(event), f"/admin/scan-exceptions/{row.id}/{event}")
            for event in SCAN_EXCEPTION.allowed_events(row.state)]


def _match_exception_actions(row) -> list[tuple[str, str]]:
    from wms.customs.matching import MATCH_EXCEPTION
    return [(forms.state(event), f"{_prefix()}/match-exceptions/{row.id}/{event}")
            for event in MATCH_EXCEPTION.allowed_events(row.state)]


@bp.post("/admin/match-exceptions/" + RECORD_ID + "/<any(resolve, dismiss):event>")
@bp.post("/oms/match-exceptions/" + RECORD_ID + "/<any(resolve, dismiss):event>")
def close_match_exception(record_id: int, event: str):
    """Sellers and supervisors close a three-document exception once the documents are put right."""
    if (r := _signed_in()) is not None:
        return r
    if not allowed(g.user.role, "customs.read"):
        raise Forbidden(role=g.user.role)
    from wms.customs.api import close_match_exception as close
    try:
        with unit_of_work():
            close(record_id, event, request.form.get("note", "")[:500])
        flash(_("Closed.", "已处理。"), "ok")
    except WmsError as exc:
        flash(message(exc.code, **exc.params), "error")
    return redirect(request.referrer or f"{_prefix()}/match-exceptions")


@bp.post("/admin/scan-exceptions/" + RECORD_ID + "/<any(resolve, dismiss):event>")
def close_scan_exception(record_id: int, event: str):
    """A supervisor closes a refused offline scan, with an optional note."""
    if (r := _signed_in()) is not None:
        return r
    if not allowed(g.user.role, "scans.review"):
        raise Forbidden(role=g.user.role)
    from wms.scanning.api import close_scan_exception
    try:
        with unit_of_work():
            close_scan_exception(record_id, event, request.form.get("note", "")[:500])
        flash(_("Closed.", "已处理。"), "ok")
    except WmsError as exc:
        flash(message(exc.code, **exc.params), "error")
    return redirect(request.referrer or "/admin/scan-exceptions")


@bp.get("/admin/<resource>")
@bp.get("/oms/<resource>")
def records(resource: str):
    res = SCREENS.get(resource) or abort(404)
    can_write = g.get("user") is not None and allowed(g.user.role, res.write)
    return _list_page(res.name, title=res.label, permission=res.read, listing=res.listing,
                      base_query=res.select() if g.get("user") is not None else None,
                      link=lambda row: f"{_prefix()}/{res.name}/{row.id}",
                      new_url=f"{_prefix()}/{res.name}/new" if can_write else None, references=res.references,
                      import_url=f"{_prefix()}/products/import" if can_write and res.name == "products" else None)


@bp.post("/admin/products/import")
@bp.post("/oms/products/import")
def import_products():
    """Upload a product-filing workbook; every bad row is listed and nothing is saved."""
    if (r := _signed_in()) is not None:
        return r
    if not allowed(g.user.role, "products.write"):
        raise Forbidden(role=g.user.role)
    from wms.masterdata import importer
    from wms.masterdata.service import products
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise ValidationFailed({"file": ["Missing data for required field."]})
        with unit_of_work():
            result = importer.import_products(upload.read(), products)
    except ValidationFailed as exc:
        rows = exc.params.get("rows") or []
        return render_template("import_errors.html", rows=rows, general=translate_errors(exc.errors or {}),
                               back=f"{_prefix()}/products"), 422
    flash(_(f"Imported: {len(result.created)} new, {len(result.updated)} updated.",
            f"导入完成：新增 {len(result.created)} 条，更新 {len(result.updated)} 条。"), "ok")
    return redirect(f"{_prefix()}/products")


@bp.get("/admin/products/import-template.xlsx")
@bp.get("/oms/products/import-template.xlsx")
def product_import_template():
    """The product-filing workbook for a signed-in browser (the API's route needs a bearer token)."""
    if (r := _signed_in()) is not None:
        return r
    if not allowed(g.user.role, "products.read"):
        raise Forbidden(role=g.user.role)
    from flask import Response
    from wms.masterdata import importer
    return Response(importer.template(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="product-filings.xlsx"'})


# --- forms ---------------------------------------------------------------------------------------------

def _hidden(res) -> tuple:
    return ("seller_id",) if g.user.is_seller else ()


@bp.route("/admin/<resource>/new", methods=["GET", "POST"])
@bp.route("/oms/<resource>/new", methods=["GET", "POST"])
def new_record(resource: str):
    if (r := _signed_in()) is not None:
        return r
    res = SCREENS.get(resource) or abort(404)
    if not allowed(g.user.role, res.write):
        raise Forbidden(role=g.user.role)
    schema = res.schema()
    items = forms.widgets(schema, res.references, hidden=_hidden(res))
    if request.method == "POST":
        data = forms.from_form(request.form, items, schema)
        try:
            with unit_of_work():
                obj = res.create(schema.load(data))
            flash(_("Saved.", "已保存。"), "ok")
            return redirect(f"{_prefix()}/{res.name}/{obj.id}")
        except (ValidationError, WmsError) as exc:
            return _form_errors(res, items, data, exc, obj=None)
    return render_template("form.html", res=res, items=items, obj=None, can_write=True, filing=None)


@bp.route("/admin/<resource>/" + RECORD_ID, methods=["GET", "POST"])
@bp.route("/oms/<resource>/" + RECORD_ID, methods=["GET", "POST"])
def edit_record(resource: str, record_id: int):
    if (r := _signed_in()) is not None:
        return r
    res = SCREENS.get(resource) or abort(404)
    if not allowed(g.user.role, res.read):
        raise Forbidden(role=g.user.role)
    obj = res.get(record_id)
    can_write = allowed(g.user.role, res.write)
    schema = res.patch_schema(partial=True)
    items = forms.widgets(res.patch_schema(), res.references, hidden=_hidden(res))
    if request.method == "POST":
        if not can_write:
            raise Forbidden(role=g.user.role)
        data = forms.from_form(request.form, items, schema)
        try:
            with unit_of_work():
                res.update(obj, schema.load(data))
            flash(_("Saved.", "已保存。"), "ok")
            return redirect(request.path)
        except (ValidationError, WmsError) as exc:
            return _form_errors(res, items, data, exc, obj=obj)
    forms.to_form(obj, items, res.patch_schema())
    return render_template("form.html", res=res, items=items, obj=obj, can_write=can_write,
                           filing=_filing_actions(res, obj))


def _form_errors(res, items, data, exc, obj):
    db.session.rollback()
    errors = exc.messages if isinstance(exc, ValidationError) else (exc.errors or {})
    forms.fill(items, data, translate_errors(errors))
    general = None if errors else message(exc.code, **exc.params)
    return render_template("form.html", res=res, items=items, obj=obj, can_write=True, general=general,
                           filing=_filing_actions(res, obj) if obj else None), 422


def _filing_actions(res, obj):
    if res.name not in FILING_SCREENS or obj is None:
        return None
    from wms.masterdata.api import FILING_PERMISSION
    events = [e for e in FILING.allowed_events(obj.filing_status) if allowed(g.user.role, FILING_PERMISSION[e])]
    return {"status": obj.filing_status, "note": obj.filing_note, "events": events}


@bp.post("/admin/<resource>/" + RECORD_ID + "/<any(activate, deactivate):action>")
@bp.post("/oms/<resource>/" + RECORD_ID + "/<any(activate, deactivate):action>")
def toggle_record(resource: str, record_id: int, action: str):
    if (r := _signed_in()) is not None:
        return r
    res = SCREENS.get(resource) or abort(404)
    if not allowed(g.user.role, res.write):
        raise Forbidden(role=g.user.role)
    with unit_of_work():
        res.set_active(res.get(record_id), action == "activate")
    flash(_("Activated.", "已启用。") if action == "activate" else _("Deactivated.", "已停用。"), "ok")
    return redirect(f"{_prefix()}/{res.name}/{record_id}")


@bp.post("/admin/<any(products, sellers):resource>/" + RECORD_ID + "/filing/<event>")
@bp.post("/oms/<any(products, sellers):resource>/" + RECORD_ID + "/filing/<event>")
def filing_event(resource: str, record_id: int, event: str):
    if (r := _signed_in()) is not None:
        return r
    from wms.masterdata.api import FILING_PERMISSION
    res = SCREENS[resource]
    if event not in FILING_PERMISSION or not allowed(g.user.role, FILING_PERMISSION[event]):
        raise Forbidden(role=g.user.role)
    try:
        with unit_of_work():
            file_event(res, res.get(record_id), event, request.form.get("note", "")[:500])
        flash(_("Filing updated.", "备案状态已更新。"), "ok")
    except WmsError as exc:
        flash(message(exc.code, **exc.params), "error")
    return redirect(f"{_prefix()}/{res.name}/{record_id}")


from wms.web import inbound as _inbound_screens  # noqa: E402,F401  (registers the inbound screens on bp)
from wms.web import boards as _boards  # noqa: E402,F401  (registers the live boards on bp)
from wms.web import orders as _order_screens  # noqa: E402,F401  (registers the order screens on bp)
from wms.web import waves as _wave_screens  # noqa: E402,F401  (registers the wave screens on bp)
from wms.web import packing as _packing_screens  # noqa: E402,F401  (registers the packing station on bp)
from wms.web import shipping as _shipping_screens  # noqa: E402,F401  (registers the bag and manifest screens on bp)
from wms.web import packing_list as _packing_list_screens  # noqa: E402,F401  (the packing list screens)
