"""Packing list settings (装箱单模板) on the screens: a seller's own at /oms/packing-list, any seller's for
warehouse admins and supervisors at /admin/sellers/<id>/packing-list (listed at /admin/packing-lists).

The form chooses the columns (ticked, in the order of their positions; ↑/↓ move a row), the language, the
paper, the title, prices and the buyer's block on or off, whether the packing station prints it, and the
footer note; the logo is uploaded and removed on its own. "Preview PDF" opens a sample in the values on the
form, not yet saved (``preview.pdf?language=…&columns=sku,name,…``). Saving goes through the same schema and
service as ``PUT /api/v1/sellers/<id>/packing-list-template``, in one unit of work, audited there.

Sellers also get their orders' packing lists at /oms/orders/<id>/packing-list.pdf (staff: /admin/…, with the
packing station).
"""
from __future__ import annotations

from flask import Response, flash, g, redirect, render_template, request
from marshmallow import ValidationError

from wms.auth.permissions import allowed
from wms.core.fields import RECORD_ID
from wms.db import unit_of_work
from wms.errors import Forbidden, ValidationFailed, WmsError
from wms.extensions import db
from wms.i18n import message, translate_errors
from wms.outbound import orders, packing_list
from wms.outbound.schemas import PackingListTemplateSchema
from wms.web.inbound import _guard
from wms.web.views import _, bp

PERMISSION = "orders.write"          # sellers keep their own; warehouse admins and supervisors any seller's
LANGUAGE_NAMES = {"zh_en": ("Chinese and English", "中英双语"), "zh": ("Chinese", "中文"), "en": ("English", "英文")}
PAPER_NAMES = {"a4": ("A4 (210 × 297 mm)", "A4（210 × 297 mm）"),
               "a5": ("A5 (148 × 210 mm)", "A5（148 × 210 mm）"),
               "100x150": ("100 × 150 mm thermal", "100 × 150 mm 热敏纸")}
COLUMN_NOTES = {"name": ("in the chosen language", "按所选语言"), "unit_price": ("with prices shown", "显示价格时"),
                "line_total": ("with prices shown", "显示价格时"), "lot": ("as picked", "按拣货批次")}
FLAGS = ("show_prices", "show_buyer", "print_at_packing")


def nav_items(user, prefix: str) -> list[tuple[str, str]]:
    """The menu entry: a seller's own settings; the sellers' list for the staff who keep them."""
    if not allowed(user.role, PERMISSION):
        return []
    if user.is_seller:
        return [("/oms/packing-list", _("Packing list", "装箱单"))]
    return [("/admin/packing-lists", _("Packing lists", "装箱单模板"))]


def _owner(record_id: int | None, permission: str = PERMISSION):
    """The seller whose settings the page shows (a seller user: its own; staff: the one in the URL) and the
    page's base URL; None and a redirect when not signed in."""
    if (r := _guard(permission)) is not None:
        return None, None, r
    if g.user.is_seller:
        if record_id is not None:
            raise Forbidden(role=g.user.role)
        return packing_list.seller(g.user.seller_id), "/oms/packing-list", None
    if record_id is None:
        raise Forbidden(role=g.user.role)
    return packing_list.seller(record_id), f"/admin/sellers/{record_id}/packing-list", None


def _form_values(settings: packing_list.Settings) -> dict:
    return {"language": settings.language, "title": settings.title, "paper": settings.paper,
            "footer": settings.footer, "columns": list(settings.columns),
            **{flag: getattr(settings, flag) for flag in FLAGS}}


def _posted() -> dict:
    """The form as schema input: ticked columns ordered by their positions (ties: the catalogue's order)."""
    form = request.form
    catalogue = list(packing_list.COLUMNS)

    def position(key: str) -> tuple[float, int]:
        try:
            return float(form.get(f"pos_{key}", "")), catalogue.index(key)
        except ValueError:
            return float("inf"), catalogue.index(key)

    chosen = sorted((key for key in catalogue if form.get(f"col_{key}")), key=position)
    return {"language": form.get("language", ""), "title": form.get("title", ""),
            "paper": form.get("paper", ""), "footer": form.get("footer", "").replace("\r\n", "\n"),
            "columns": chosen,
            **{flag: bool(form.get(flag)) for flag in FLAGS}}


def _rows(columns: list[str]) -> list[dict]:
    """Every catalogue column for the form: the chosen ones first, in their order, then the others."""
    rest = [key for key in packing_list.COLUMNS if key not in columns]
    return [{"key": key, "label": _(*packing_list.COLUMNS[key]), "chosen": key in columns,
             "note": _(*COLUMN_NOTES[key]) if key in COLUMN_NOTES else ""}
            for key in [*columns, *rest]]


def _flat(errors) -> list[str]:
    if isinstance(errors, dict):
        return [text for value in errors.values() for text in _flat(value)]
    if isinstance(errors, (list, tuple)):
        return [text for value in errors for text in _flat(value)]
    return [str(errors)]


def _page(owner, base: str, values: dict, *, errors: dict | None = None, general: str | None = None,
          status: int = 200):
    tpl = packing_list.template_of(owner.id)
    errors = {field: _flat(value) for field, value in (errors or {}).items()}
    names = {key: _(*pair) for key, pair in LANGUAGE_NAMES.items()}
    return render_template(
        "packing_list_form.html", owner=owner, base=base, values=values, rows=_rows(values["columns"]),
        errors=errors, general=general, custom=tpl is not None,
        logo=({"type": tpl.logo_type, "size": tpl.logo_size, "sha": tpl.logo_sha256[:12]}
              if tpl is not None and tpl.logo_size else None),
        languages=names, papers={key: _(*pair) for key, pair in PAPER_NAMES.items()},
        max_columns=packing_list.MAX_COLUMNS, max_logo_kb=packing_list.LOGO_MAX_BYTES // 1024,
        staff=not g.user.is_seller, title=_("Packing list", "装箱单")), status


def _settings_page(record_id: int | None):
    owner, base, redirect_to = _owner(record_id)
    if redirect_to is not None:
        return redirect_to
    if request.method == "GET":
        return _page(owner, base, _form_values(packing_list.settings_of(owner.id, with_logo=False)))
    values = _posted()
    try:
        data = PackingListTemplateSchema().load(values)
        with unit_of_work():
            packing_list.save(packing_list.seller(owner.id, lock=True), data)
    except ValidationError as exc:
        db.session.rollback()
        return _page(owner, base, values, errors=translate_errors(exc.messages), status=422)
    except ValidationFailed as exc:
        return _page(owner, base, values, errors=translate_errors(exc.errors or {}), status=422)
    except WmsError as exc:
        return _page(owner, base, values, general=message(exc.code, **exc.params), status=exc.status)
    flash(_("Packing list saved.", "装箱单模板已保存。"), "ok")
    return redirect(base)


@bp.route("/oms/packing-list", methods=["GET", "POST"])
def seller_packing_list():
    return _settings_page(None)


@bp.route("/admin/sellers/" + RECORD_ID + "/packing-list", methods=["GET", "POST"])
def staff_packing_list(record_id: int):
    return _settings_page(record_id)


def _logo_upload(record_id: int | None):
    owner, base, redirect_to = _owner(record_id)
    if redirect_to is not None:
        return redirect_to
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise ValidationFailed({"file": ["Missing data for required field."]})
        with unit_of_work():
            packing_list.set_logo(packing_list.seller(owner.id, lock=True), upload.read())
    except ValidationFailed as exc:
        values = _form_values(packing_list.settings_of(owner.id, with_logo=False))
        return _page(owner, base, values, errors=translate_errors(exc.errors or {}), status=422)
    flash(_("Logo uploaded.", "标志已上传。"), "ok")
    return redirect(base)


@bp.post("/oms/packing-list/logo")
def seller_packing_list_logo():
    return _logo_upload(None)


@bp.post("/admin/sellers/" + RECORD_ID + "/packing-list/logo")
def staff_packing_list_logo(record_id: int):
    return _logo_upload(record_id)


def _logo_image(record_id: int | None):
    owner, _base, redirect_to = _owner(record_id)
    if redirect_to is not None:
        return redirect_to
    tpl = packing_list.template_of(owner.id)
    if tpl is None or not tpl.logo_size:
        from wms.errors import NotFound
        raise NotFound("not_found")
    return Response(tpl.logo, mimetype=tpl.logo_type, headers={"Cache-Control": "private, no-cache",
                                                                "ETag": f'"{tpl.logo_sha256}"'})


@bp.get("/oms/packing-list/logo")
def seller_packing_list_logo_image():
    return _logo_image(None)


@bp.get("/admin/sellers/" + RECORD_ID + "/packing-list/logo")
def staff_packing_list_logo_image(record_id: int):
    return _logo_image(record_id)


def _drop(record_id: int | None, what: str):
    owner, base, redirect_to = _owner(record_id)
    if redirect_to is not None:
        return redirect_to
    with unit_of_work():
        locked = packing_list.seller(owner.id, lock=True)
        if what == "logo":
            packing_list.remove_logo(locked)
        else:
            packing_list.reset(locked)
    flash(_("Logo removed.", "标志已删除。") if what == "logo" else
          _("Back to the default packing list.", "已恢复默认装箱单。"), "ok")
    return redirect(base)


@bp.post("/oms/packing-list/<any(logo, template):what>/delete")
def seller_packing_list_drop(what: str):
    return _drop(None, what)


@bp.post("/admin/sellers/" + RECORD_ID + "/packing-list/<any(logo, template):what>/delete")
def staff_packing_list_drop(record_id: int, what: str):
    return _drop(record_id, what)


def _preview_values(base: packing_list.Settings) -> packing_list.Settings:
    """The saved settings, or — with query arguments (the form's live link) — the values asked for."""
    args = request.args
    if not args:
        return base
    values = {"language": args.get("language", base.language), "title": args.get("title", base.title),
              "paper": args.get("paper", base.paper), "footer": args.get("footer", base.footer),
              "columns": [c for c in args.get("columns", ",".join(base.columns)).split(",") if c],
              **{flag: args.get(flag, "1" if getattr(base, flag) else "0") in ("1", "true", "on")
                 for flag in FLAGS}}
    try:
        data = PackingListTemplateSchema().load(values)
    except ValidationError as exc:
        raise ValidationFailed({field: _flat(value) for field, value in exc.messages.items()}) from None
    return packing_list.settings_from(data, base)


def _preview(record_id: int | None):
    owner, _base, redirect_to = _owner(record_id, "sellers.read")
    if redirect_to is not None:
        return redirect_to
    settings = _preview_values(packing_list.settings_of(owner.id))
    return Response(packing_list.preview(owner, settings), mimetype="application/pdf",
                    headers={"Content-Disposition": 'inline; filename="packing-list-preview.pdf"'})


@bp.get("/oms/packing-list/preview.pdf")
def seller_packing_list_preview():
    return _preview(None)


@bp.get("/admin/sellers/" + RECORD_ID + "/packing-list/preview.pdf")
def staff_packing_list_preview(record_id: int):
    return _preview(record_id)


@bp.get("/admin/packing-lists")
def packing_list_sellers():
    """Every seller with its packing list: its own template or the default; a link to each one's settings."""
    if (r := _guard(PERMISSION, staff=True)) is not None:
        return r
    import sqlalchemy as sa

    from wms.masterdata.models import Seller
    sellers = db.session.scalars(sa.select(Seller).order_by(Seller.code)).all()
    templates = {t.seller_id: t for t in db.session.scalars(sa.select(packing_list.PackingListTemplate))}
    return render_template("packing_list_sellers.html", title=_("Packing lists", "装箱单模板"), sellers=sellers,
                           templates=templates, languages={k: _(*v) for k, v in LANGUAGE_NAMES.items()},
                           papers={k: _(*v) for k, v in PAPER_NAMES.items()}, default=packing_list.DEFAULT)


@bp.get("/oms/orders/" + RECORD_ID + "/packing-list.pdf")
def seller_order_packing_list(record_id: int):
    """A seller's own order's packing list (409 before it is picked; another seller's order: 404)."""
    if (r := _guard("orders.read")) is not None:
        return r
    order = orders.get(record_id)
    disposition = f'inline; filename="{packing_list.filename(order.order_no)}"'
    return Response(packing_list.order_pdf(order), mimetype="application/pdf",
                    headers={"Content-Disposition": disposition})
