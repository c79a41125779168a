"""Packing lists (装箱单 / 发货清单): the slip packed into each parcel, customised per seller.

A seller may keep one ``PackingListTemplate``: the language (``zh``, ``en`` or bilingual ``zh_en``), a title,
the columns in order from the fixed catalogue ``COLUMNS``, the paper (A4, A5 or 100×150 mm thermal stock),
prices and totals shown or not, the buyer's address shown or not, a footer note (a return policy, a thank-you)
and a logo (PNG or JPEG, at most ``LOGO_MAX_BYTES``, accepted only once reportlab has drawn it). A seller
without a template gets ``DEFAULT``; whether the packing station prints it is the template's
``print_at_packing``.

``render(order)`` draws an order's packing list as a PDF: the logo, the title, the sender (the seller,
shipping from the warehouse), the buyer, order no., platform and waybill with a Code 128 of the waybill (the
order no. before there is one), every line with the chosen columns (long names wrap inside their cell), the
totals and the footer note, page numbers on every page. Text is set in the embedded CJK font the labels use
(``wms.printing.fonts``). An order has a packing list from ``picked`` on (``PRINTABLE_STATES``); before that,
or cancelled, it is 409 ``packing_list_not_ready``.

Services never commit; every change is audited (``packing_list_template.*``; the logo by type, size and hash).
"""
from __future__ import annotations

import hashlib
import io
import logging
import re
import warnings
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from xml.sax.saxutils import escape

import sqlalchemy as sa
from flask import current_app, has_app_context
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (Flowable, Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wms.auth.service import owned
from wms.core.audit import record, snapshot
from wms.db import Base, TimestampMixin, one_of, utcnow
from wms.errors import Conflict, ValidationFailed
from wms.extensions import db
from wms.masterdata.models import Product, Seller

log = logging.getLogger(__name__)

LANGUAGES = ("zh", "en", "zh_en")
PAPERS = ("a4", "a5", "100x150")
# The column catalogue, in its default order: key -> (English, Chinese) heading.
COLUMNS: dict[str, tuple[str, str]] = {
    "line_no": ("No.", "序号"),
    "sku": ("SKU", "SKU"),
    "name": ("Product", "品名"),
    "barcode": ("Barcode / GTIN", "条码"),
    "qty": ("Qty", "数量"),
    "unit_price": ("Unit price", "单价"),
    "line_total": ("Amount", "金额"),
    "hs_code": ("HS code", "HS编码"),
    "origin": ("Origin", "原产国"),
    "unit_weight": ("Unit weight kg", "单件重量 kg"),
    "lot": ("Lot", "批次"),
}
PRICE_COLUMNS = ("unit_price", "line_total")          # printed only when the template shows prices
MAX_COLUMNS = {"a4": len(COLUMNS), "a5": 8, "100x150": 6}    # columns printed that stay legible on the paper
PRINTABLE_STATES = ("picked", "packed", "bagged", "loaded", "shipped")
LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PIXELS = 4000            # each side: a logo, not a photograph
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
AUDITED = ("language", "title", "columns", "paper", "show_prices", "show_buyer", "footer", "print_at_packing",
           "logo_type", "logo_size", "logo_sha256")



class PackingListTemplate(TimestampMixin, Base):
    """A seller's packing list: what it shows and how; at most one per seller."""
    __tablename__ = "packing_list_templates"
    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("sellers.id"), unique=True)
    language: Mapped[str] = mapped_column(sa.String(5), default="zh_en")
    title: Mapped[str] = mapped_column(sa.String(60), default="")            # "" = 装箱单 / Packing list
    columns: Mapped[list] = mapped_column(sa.JSON)                            # keys of COLUMNS, in order
    paper: Mapped[str] = mapped_column(sa.String(8), default="a4")
    show_prices: Mapped[bool] = mapped_column(default=False)
    show_buyer: Mapped[bool] = mapped_column(default=True)
    footer: Mapped[str] = mapped_column(sa.String(500), default="")
    print_at_packing: Mapped[bool] = mapped_column(default=True)
    logo: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    logo_type: Mapped[str] = mapped_column(sa.String(20), default="")       # image/png, image/jpeg
    logo_size: Mapped[int] = mapped_column(default=0)
    logo_sha256: Mapped[str] = mapped_column(sa.String(64), default="")
    seller: Mapped[Seller] = relationship()
    __table_args__ = (
        one_of("language", LANGUAGES),
        one_of("paper", PAPERS),
        sa.CheckConstraint(f"logo_size BETWEEN 0 AND {LOGO_MAX_BYTES}", name="logo_size_valid"),
    )


@dataclass(frozen=True)
class Settings:
    """What a packing list shows: a template's values, or the built-in default's."""
    language: str = "zh_en"
    title: str = ""
    columns: tuple[str, ...] = ("line_no", "sku", "name", "barcode", "qty")
    paper: str = "a4"
    show_prices: bool = False
    show_buyer: bool = True
    footer: str = ""
    print_at_packing: bool = True
    logo: bytes | None = field(default=None, repr=False)
    logo_sha256: str = ""

    @property
    def printed_columns(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if self.show_prices or c not in PRICE_COLUMNS)


DEFAULT = Settings()
EDITABLE = ("language", "title", "columns", "paper", "show_prices", "show_buyer", "footer",
            "print_at_packing")


# --- templates ----------------------------------------------------------------------------------------------

def seller(seller_id: int, *, lock: bool = False) -> Seller:
    """The seller whose packing list it is: 404 when missing or, for a seller user, not its own."""
    return owned(Seller, seller_id, "seller", lock=lock, seller_of=lambda s: s.id)


def template_of(seller_id: int) -> PackingListTemplate | None:
    return db.session.scalars(sa.select(PackingListTemplate)
                              .where(PackingListTemplate.seller_id == seller_id)).first()


def settings_of(seller_id: int, *, with_logo: bool = True) -> Settings:
    """The seller's packing list settings, or the default when it keeps no template."""
    return _settings(template_of(seller_id), with_logo=with_logo)


def _settings(tpl: PackingListTemplate | None, *, with_logo: bool) -> Settings:
    if tpl is None:
        return DEFAULT
    columns = tuple(c for c in tpl.columns if c in COLUMNS)         # one dropped from the catalogue: skipped
    return Settings(language=tpl.language, title=tpl.title, columns=columns, paper=tpl.paper,
                    show_prices=tpl.show_prices, show_buyer=tpl.show_buyer, footer=tpl.footer,
                    print_at_packing=tpl.print_at_packing, logo_sha256=tpl.logo_sha256,
                    logo=tpl.logo if with_logo and tpl.logo_size else None)


def view(owner: Seller) -> dict:
    """The seller's packing list settings as the API shows them (``custom`` false: the default applies)."""
    tpl = template_of(owner.id)
    settings = _settings(tpl, with_logo=False)
    logo = None
    if tpl is not None and tpl.logo_size:
        logo = {"type": tpl.logo_type, "size": tpl.logo_size, "sha256": tpl.logo_sha256}
    return {"seller_id": owner.id, "seller_code": owner.code, "custom": tpl is not None,
            **{name: getattr(settings, name) for name in EDITABLE}, "columns": list(settings.columns),
            "logo": logo, "updated_at": tpl.updated_at if tpl is not None else None}


def _template(owner: Seller) -> tuple[PackingListTemplate, dict | None]:
    """The seller's template, made from the default when it has none; its audit 'before' (None when new)."""
    tpl = template_of(owner.id)
    if tpl is not None:
        return tpl, snapshot(tpl, AUDITED)
    tpl = PackingListTemplate(seller_id=owner.id, **{name: getattr(DEFAULT, name) for name in EDITABLE})
    tpl.columns = list(DEFAULT.columns)
    db.session.add(tpl)
    return tpl, None


def _audit(action: str, tpl: PackingListTemplate, before: dict | None) -> None:
    db.session.flush()
    after = snapshot(tpl, AUDITED)
    if before is None:
        record(action, tpl, before=None, after=after)
        return
    changed_before, changed_after = _diff(before, after)
    if changed_after:
        record(action, tpl, before=changed_before, after=changed_after)


def _diff(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def check_settings(data: dict) -> None:
    """Rules beyond the schema's field checks (the API and the screens load the same schema first)."""
    columns = list(data.get("columns") or [])
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        raise ValidationFailed({"columns": [f"Chosen twice: {', '.join(twice)}."]})
    paper = data.get("paper", DEFAULT.paper)
    printed = [c for c in columns if data.get("show_prices") or c not in PRICE_COLUMNS]
    if len(printed) > MAX_COLUMNS[paper]:
        raise ValidationFailed({"columns": [f"At most {MAX_COLUMNS[paper]} columns fit on this paper."]})


def save(owner: Seller, data: dict) -> dict:
    """Replace the seller's settings (the logo is kept); audited. ``data`` is loaded by the schema."""
    check_settings(data)
    tpl, before = _template(owner)
    for name in EDITABLE:
        if name in data:
            setattr(tpl, name, list(data[name]) if name == "columns" else data[name])
    _audit("packing_list_template.save", tpl, before)
    return view(owner)


def reset(owner: Seller) -> dict:
    """Drop the seller's template (logo included): the default applies again; audited."""
    tpl = template_of(owner.id)
    if tpl is not None:
        record("packing_list_template.reset", tpl, before=snapshot(tpl, AUDITED), after=None)
        db.session.delete(tpl)
        db.session.flush()
    return view(owner)


def check_logo(content: bytes) -> str:
    """The logo's MIME type once it is a PNG or JPEG of at most 512 KB that PIL opens and reportlab draws;
    else 422 on ``file``."""
    if len(content) > LOGO_MAX_BYTES:
        raise ValidationFailed({"file": [f"Larger than {LOGO_MAX_BYTES // 1024} KB."]})
    if not (content.startswith(b"\x89PNG\r\n\x1a\n") or content.startswith(b"\xff\xd8\xff")):
        raise ValidationFailed({"file": ["Not a PNG or JPEG image."]})
    from PIL import Image, UnidentifiedImageError                   # reportlab's own image library
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                kind, size = image.format, image.size
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError):
        raise ValidationFailed({"file": ["Not a PNG or JPEG image."]}) from None
    if kind not in LOGO_TYPES:
        raise ValidationFailed({"file": ["Not a PNG or JPEG image."]})
    if max(size) > LOGO_MAX_PIXELS:
        raise ValidationFailed({"file": [f"Larger than {LOGO_MAX_PIXELS} × {LOGO_MAX_PIXELS} pixels."]})
    try:                                   # the proof: reportlab draws it as the packing list will
        canvas = Canvas(io.BytesIO())
        canvas.drawImage(_logo_reader(content), 0, 0, 100, 40, mask="auto", preserveAspectRatio=True)
        canvas.showPage()
        canvas.save()
    except Exception as exc:                # noqa: BLE001 - any failure to draw refuses the file
        raise ValidationFailed({"file": [f"The image cannot be drawn: {type(exc).__name__}."]}) from None
    return LOGO_TYPES[kind]


def set_logo(owner: Seller, content: bytes) -> dict:
    """Store the seller's logo (checked by ``check_logo``); audited by type, size and hash."""
    mime = check_logo(content)
    tpl, before = _template(owner)
    tpl.logo, tpl.logo_type, tpl.logo_size = content, mime, len(content)
    tpl.logo_sha256 = hashlib.sha256(content).hexdigest()
    _audit("packing_list_template.logo", tpl, before)
    return view(owner)


def remove_logo(owner: Seller) -> dict:
    """The packing list goes without a logo; audited (nothing to do without a template or a logo)."""
    tpl = template_of(owner.id)
    if tpl is not None and tpl.logo_size:
        before = snapshot(tpl, AUDITED)
        tpl.logo, tpl.logo_type, tpl.logo_size, tpl.logo_sha256 = None, "", 0, ""
        _audit("packing_list_template.logo_remove", tpl, before)
    return view(owner)


# --- what a packing list shows ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SheetLine:
    line_no: int
    sku: str
    name_zh: str
    name_en: str
    barcode: str
    qty: int
    unit_price: Decimal
    hs_code: str
    origin_zh: str
    origin_en: str
    unit_weight: Decimal | None
    lot: str

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.qty


@dataclass(frozen=True)
class Sheet:
    """One packing list's data, from an order or the preview's sample."""
    order_no: str
    platform: str
    waybill: str
    carrier: str
    date: str
    weight_kg: str
    currency: str
    seller_zh: str
    seller_en: str
    seller_phone: str
    warehouse_zh: str
    warehouse_en: str
    warehouse_address: str
    buyer_name: str
    buyer_phone: str
    buyer_lines: tuple[str, ...]
    country_zh: str
    country_en: str
    lines: tuple[SheetLine, ...]
    sample: bool = False


def _local_date(value: datetime | None) -> str:
    from zoneinfo import ZoneInfo
    zone = ZoneInfo(current_app.config.get("TIMEZONE", "Asia/Shanghai")) if has_app_context() else None
    return (value or utcnow()).astimezone(zone).strftime("%Y-%m-%d")


def _address_lines(address1: str, address2: str, city: str, state: str, postal_code: str) -> tuple[str, ...]:
    city = city + ("," if city and (state or postal_code) else "")
    place = " ".join(p for p in (city, state, postal_code) if p)
    return tuple(p for p in (address1, address2, place) if p)


def order_sheet(order) -> Sheet:
    """The data of an order's packing list: its lines with their products, the lots picked, the parcel."""
    from sqlalchemy.orm import selectinload

    from wms.outbound.models import OrderLine, Parcel, PickTask
    lines = db.session.scalars(sa.select(OrderLine).where(OrderLine.order_id == order.id)
                               .options(selectinload(OrderLine.product).selectinload(Product.barcodes),
                                        selectinload(OrderLine.product).selectinload(Product.origin_country))
                               .order_by(OrderLine.gnum)).all()
    lots: dict[int, set[str]] = {}
    for product_id, lot in db.session.execute(sa.select(PickTask.product_id, PickTask.lot).where(
            PickTask.order_id == order.id, PickTask.status == "done", PickTask.lot != "")).all():
        lots.setdefault(product_id, set()).add(lot)
    parcel = db.session.scalars(sa.select(Parcel).where(Parcel.order_id == order.id)).first()
    channel = order.channel
    carrier = ""
    if channel is not None:
        names = (channel.carrier.name_en or channel.carrier.name_zh, channel.name_zh)
        carrier = " · ".join(name for name in names if name)
    warehouse, owner = order.warehouse, order.seller
    return Sheet(
        order_no=order.order_no, platform=order.platform, waybill=order.logistics_no, carrier=carrier,
        date=_local_date(parcel.packed_at if parcel else None),
        weight_kg=f"{parcel.weight_kg:.3f}" if parcel else "", currency=order.currency.code,
        seller_zh=owner.name_zh, seller_en=owner.name_en, seller_phone=owner.phone,
        warehouse_zh=warehouse.name_zh, warehouse_en=warehouse.name_en, warehouse_address=warehouse.address,
        buyer_name=order.buyer_name, buyer_phone=order.buyer_phone,
        buyer_lines=_address_lines(order.address1, order.address2, order.city, order.state,
                                   order.postal_code),
        country_zh=order.country.name_zh, country_en=order.country.name_en,
        lines=tuple(SheetLine(
            line_no=line.gnum, sku=line.product.sku, name_zh=line.product.name_zh,
            name_en=line.product.name_en,
            barcode=(line.product.barcode_codes or [""])[0], qty=line.qty, unit_price=line.price,
            hs_code=line.product.hs_code, origin_zh=line.product.origin_country.name_zh,
            origin_en=line.product.origin_country.name_en, unit_weight=line.product.weight_kg,
            lot=", ".join(sorted(lots.get(line.product_id, ())))) for line in lines))


SAMPLE_LINES = (   # the preview's lines when the seller has no products yet
    SheetLine(1, "SAMPLE-EAR-01", "TWS真无线蓝牙耳机 入耳式 主动降噪 带无线充电仓 超长续航 黑色",
              "TWS True Wireless Bluetooth Earbuds, Active Noise Cancelling, Wireless Charging Case, Black",
              "6975468001019", 2, Decimal("19.90"), "8517629400", "中国", "China", Decimal("0.095"),
              "L20261101"),
    SheetLine(2, "SAMPLE-CBL-02", "编织快充数据线 USB-C 1米", "Braided fast-charging cable, USB-C, 1 m",
              "6975468002016", 1, Decimal("4.50"), "8544422100", "中国", "China", Decimal("0.040"), ""),
    SheetLine(3, "SAMPLE-CASE-03", "硅胶保护套", "Silicone case", "6975468003013", 3, Decimal("2.80"),
              "3926909090", "中国", "China", Decimal("0.030"), "L20261015"),
)


def sample_sheet(owner: Seller) -> Sheet:
    """The preview: the seller's first products (else built-in samples), a made-up order to a buyer abroad."""
    from sqlalchemy.orm import selectinload

    from wms.masterdata.models import Warehouse
    products = db.session.scalars(
        sa.select(Product).where(Product.seller_id == owner.id, Product.active.is_(True))
        .options(selectinload(Product.barcodes), selectinload(Product.origin_country))
        .order_by(Product.id).limit(3)).all()
    lines = tuple(SheetLine(
        line_no=index, sku=p.sku, name_zh=p.name_zh, name_en=p.name_en, barcode=(p.barcode_codes or [""])[0],
        qty=qty, unit_price=p.declared_price or Decimal("9.90"), hs_code=p.hs_code,
        origin_zh=p.origin_country.name_zh, origin_en=p.origin_country.name_en, unit_weight=p.weight_kg,
        lot=lot)
        for index, (p, qty, lot) in enumerate(zip(products, (2, 1, 3), ("L20261101", "", "L20261015")),
                                              start=1))
    warehouse = db.session.scalars(sa.select(Warehouse).order_by(Warehouse.id)).first()
    return Sheet(
        order_no="SAMPLE-20261124-0001", platform="AMAZON", waybill="LP00123456789CN",
        carrier="Cainiao · 菜鸟无忧标准", date=_local_date(None), weight_kg="0.480", currency="USD",
        seller_zh=owner.name_zh, seller_en=owner.name_en, seller_phone=owner.phone,
        warehouse_zh=warehouse.name_zh if warehouse else "",
        warehouse_en=warehouse.name_en if warehouse else "",
        warehouse_address=warehouse.address if warehouse else "", buyer_name="Emma Johnson",
        buyer_phone="+44 20 7946 0958", buyer_lines=("221B Baker Street", "Flat 2", "London, NW1 6XE"),
        country_zh="英国", country_en="United Kingdom", lines=lines or SAMPLE_LINES, sample=True)


# --- the order's packing list -------------------------------------------------------------------------------

def order_pdf(order) -> bytes:
    """The order's packing list (PDF) in its seller's template; 409 before the order is picked."""
    if order.status not in PRINTABLE_STATES:
        raise Conflict("packing_list_not_ready", order_no=order.order_no, current_state=order.status)
    return render(order)


def render(order, settings: Settings | None = None) -> bytes:
    """The order's packing list as a PDF, in ``settings`` (default: its seller's template)."""
    return render_sheet(order_sheet(order), settings or settings_of(order.seller_id))


def preview(owner: Seller, settings: Settings | None = None) -> bytes:
    """A sample packing list in the seller's template (or in ``settings`` not yet saved)."""
    return render_sheet(sample_sheet(owner), settings or settings_of(owner.id))


def filename(sheet_order_no: str) -> str:
    return "packing-list-" + re.sub(r"[^A-Za-z0-9._-]+", "_", sheet_order_no) + ".pdf"


# --- rendering ----------------------------------------------------------------------------------------------

INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#5f6b7a")
RULE = colors.HexColor("#c9d1da")
HEAD = colors.HexColor("#23364d")
ZEBRA = colors.HexColor("#f3f5f8")
NOTE = colors.HexColor("#f6f7f9")
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
LABELS: dict[str, tuple[str, str]] = {
    "title": ("Packing list", "装箱单"),
    "from": ("From", "发货人"),
    "ship_to": ("Ship to", "收货人"),
    "order": ("Order", "订单信息"),
    "order_no": ("Order no.", "订单号"),
    "platform": ("Platform", "平台"),
    "waybill": ("Waybill", "运单号"),
    "carrier": ("Carrier", "承运商"),
    "date": ("Date", "日期"),
    "weight": ("Parcel weight", "包裹重量"),
    "ships_from": ("Ships from", "发货仓"),
    "tel": ("Tel", "电话"),
    "lines": ("Lines", "品项数"),
    "units": ("Total units", "商品总数"),
    "value": ("Total value", "商品总额"),
    "sample": ("SAMPLE", "样张"),
}


@dataclass(frozen=True)
class Paper:
    size: tuple[float, float]          # points
    margin: float                      # mm
    font: float                        # body size, pt
    title: float                       # title size, pt
    logo: tuple[float, float]          # max width, height (mm)
    module: float                      # preferred barcode module (mm)
    bar_height: float                  # mm
    narrow: bool


PAPER_SPECS = {
    "a4": Paper((210 * mm, 297 * mm), 14, 9, 20, (60, 18), 0.33, 13, False),
    "a5": Paper((148 * mm, 210 * mm), 9, 7.6, 15, (44, 13), 0.3, 10, False),
    "100x150": Paper((100 * mm, 150 * mm), 4, 6.6, 11, (38, 10), 0.33, 9, True),
}
QUIET_MODULES = 10
NUMERIC = {"line_no", "qty", "unit_price", "line_total", "unit_weight"}


class _Code128(Flowable):
    """A Code 128 symbol with its quiet zones, bar by bar (as the label PDFs draw it), and its text below."""

    def __init__(self, symbol, data: str, max_width: float, height: float, module: float, font: str,
                 text_size: float, align: str = "RIGHT"):
        super().__init__()
        modules = symbol.width + 2 * QUIET_MODULES
        self.symbol, self.data, self.font, self.text_size = symbol, data, font, text_size
        self.module = min(module * mm, max_width / modules)        # narrower only when the code is long
        self.bar_height = height
        self.width = modules * self.module
        self.height = height + text_size * 1.5
        self.hAlign = align

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(colors.black)
        left = QUIET_MODULES * self.module
        bottom = self.text_size * 1.5
        for start, run in self.symbol.bars():
            canvas.rect(left + start * self.module, bottom, run * self.module, self.bar_height,
                        stroke=0, fill=1)
        canvas.setFont(self.font, self.text_size)
        canvas.drawCentredString(self.width / 2, self.text_size * 0.25, self.data)
        canvas.restoreState()


class _Document:
    """Lays one sheet out in one paper's geometry, in the template's language."""

    def __init__(self, sheet: Sheet, settings: Settings):
        from wms.printing.fonts import cjk_font
        self.sheet, self.settings = sheet, settings
        self.paper = PAPER_SPECS[settings.paper]
        self.lang = settings.language
        self.font = cjk_font().name
        self.width = self.paper.size[0] - 2 * self.paper.margin * mm
        self.size = self.paper.font
        self.styles = self._styles(self.size)
        self._variants: dict[tuple, ParagraphStyle] = {}

    def _styles(self, size: float) -> dict[str, ParagraphStyle]:
        """The paragraph styles for a body size: (font size, leading) as multiples of it, and the colour."""
        title = self.paper.title / size
        shapes = {"body": (1, 1.3, INK), "small": (0.85, 1.12, MUTED), "caption": (0.8, 1.05, MUTED),
                  "strong": (1.15, 1.45, INK), "title": (title, title * 1.2, INK),
                  "head": (0.9, 1.12, colors.white), "head_sub": (0.72, 0.95, colors.HexColor("#c8d3e0")),
                  "note": (1, 1.4, INK)}
        return {name: ParagraphStyle(f"{name}{size:.2f}", fontName=self.font, fontSize=size * font,
                                     leading=size * leading, textColor=colour, splitLongWords=1)
                for name, (font, leading, colour) in shapes.items()}

    def style(self, commands: list) -> TableStyle:
        """A table style in the CJK font (tables set their cells' font even around flowables: without this an
        unused Helvetica would be referenced, and not embedded)."""
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.font), *commands])

    # words in the template's language
    def word(self, key: str) -> str:
        en, zh = LABELS[key]
        return {"zh": zh, "en": en}.get(self.lang, f"{zh} {en}")

    def pick(self, zh: str, en: str, *, both: str = "{zh} {en}") -> str:
        """A value in the template's language (English falls back to Chinese; bilingual shows both once)."""
        if self.lang == "zh" or not en:
            return zh or en
        if self.lang == "en" or not zh or zh == en:
            return en
        return both.format(zh=zh, en=en)

    def para(self, text: str, style: str = "body", align=TA_LEFT, styles: dict | None = None) -> Paragraph:
        """Text in a style; Chinese text may break between any two characters, Latin text between words."""
        text = text or ""
        parent = (styles or self.styles)[style]
        key = (parent.name, align, bool(CJK.search(text)))
        chosen = self._variants.get(key)
        if chosen is None:
            chosen = ParagraphStyle("-".join(map(str, key)), parent=parent, alignment=align,
                                    wordWrap="CJK" if key[2] else None)
            self._variants[key] = chosen
        return Paragraph(escape(text).replace("\n", "<br/>"), chosen)

    # --- parts
    def logo(self) -> Image | None:
        if not self.settings.logo:
            return None
        try:
            prepared = _prepared_logo(self.settings.logo)
            width_px, height_px = _logo_reader(self.settings.logo).getSize()
        except Exception:                               # noqa: BLE001 - a stored logo never stops a parcel
            log.warning("Packing list logo (sha256 %s) cannot be drawn; printed without it",
                        self.settings.logo_sha256)
            return None
        max_w, max_h = self.paper.logo
        scale = min(max_w * mm / width_px, max_h * mm / height_px)
        image = Image(io.BytesIO(prepared), width=width_px * scale, height=height_px * scale, mask="auto")
        image.hAlign = "LEFT"
        return image

    def barcode(self, max_width: float, align: str) -> Flowable | None:
        from wms.printing.barcodes import SymbolError, code128
        data = self.sheet.waybill or self.sheet.order_no
        try:
            symbol = code128(data)
        except SymbolError:
            return None
        return _Code128(symbol, data, max_width, self.paper.bar_height * mm, self.paper.module, self.font,
                        self.size * 0.95, align)

    def title_block(self) -> list:
        return [self.para(self.settings.title or self.word("title"), "title")]

    def header(self) -> list:
        logo = self.logo()
        if self.paper.narrow:
            head = [logo, *self.title_block()] if logo else self.title_block()
            code = self.barcode(self.width, "CENTER")
            return [*head, Spacer(1, 2 * mm), *([code] if code else [])]
        left_width = self.width * 0.55
        left = ([logo, Spacer(1, 2 * mm)] if logo else []) + self.title_block()
        code = self.barcode(self.width - left_width, "RIGHT")
        right = [code] if code else []
        table = Table([[left, right]], colWidths=[left_width, self.width - left_width])
        table.setStyle(self.style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                                   *_padding(0, 0, 0, 0)]))
        return [table]

    def sender(self) -> list:
        s = self.sheet
        rows = [self.para(self.word("from"), "caption")]
        name = self.pick(s.seller_zh, s.seller_en, both="{zh}\n{en}")
        rows.append(self.para(name, "strong" if not self.paper.narrow else "body"))
        warehouse = self.pick(s.warehouse_zh, s.warehouse_en, both="{zh}")
        if warehouse:
            rows.append(self.para(f"{self.word('ships_from')}{'：' if self.lang == 'zh' else ': '}{warehouse}",
                                  "small"))
        if s.warehouse_address:
            rows.append(self.para(s.warehouse_address, "small"))
        if s.seller_phone:
            rows.append(self.para(f"{self.word('tel')} {s.seller_phone}", "small"))
        return rows

    def buyer(self) -> list:
        s = self.sheet
        rows = [self.para(self.word("ship_to"), "caption"), self.para(s.buyer_name, "strong")]
        rows += [self.para(line) for line in s.buyer_lines]
        rows.append(self.para(self.pick(s.country_zh, s.country_en, both="{en} {zh}")))
        if s.buyer_phone:
            rows.append(self.para(f"{self.word('tel')} {s.buyer_phone}", "small"))
        return rows

    def order_info(self, width: float) -> list:
        s = self.sheet
        weight = f"{s.weight_kg} kg" if s.weight_kg else ""
        pairs = [("order_no", s.order_no), ("platform", s.platform), ("waybill", s.waybill),
                 ("carrier", s.carrier), ("date", s.date), ("weight", weight)]
        rows = [[self.para(self.word(key), "small"), self.para(value)] for key, value in pairs if value]
        label_width = min(width * 0.45, (17 if self.lang != "zh_en" else 26) * mm * self.size / 9)
        table = Table(rows, colWidths=[label_width, width - label_width])
        table.setStyle(self.style([("VALIGN", (0, 0), (-1, -1), "TOP"), *_padding(0, 2, 0.6, 0.6)]))
        return [self.para(self.word("order"), "caption"), table]

    def parties(self) -> Table:
        """Sender, buyer (when shown) and the order side by side; on thermal stock one under another, the
        order first."""
        pad = 4
        if self.paper.narrow:
            widths = [self.width]
            blocks = [self.order_info(self.width - 2 * pad)]
            if self.settings.show_buyer:
                blocks.append(self.buyer())
            blocks.append(self.sender())
            data = [[block] for block in blocks]
        else:
            shares = [0.33, 0.30, 0.37] if self.settings.show_buyer else [0.5, 0.5]
            widths = [self.width * share for share in shares]
            blocks = [self.sender()] + ([self.buyer()] if self.settings.show_buyer else [])
            data = [blocks + [self.order_info(widths[-1] - 2 * pad)]]
        table = Table(data, colWidths=widths)
        table.setStyle(self.style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                                   ("INNERGRID", (0, 0), (-1, -1), 0.6, RULE), *_padding(pad, pad, 3, 4)]))
        return table

    def heading(self, key: str) -> list[tuple[str, str]]:
        """A column's heading as (text, style) lines: one language, or Chinese over English."""
        en, zh = COLUMNS[key]
        if self.lang == "zh":
            return [(zh, "head")]
        if self.lang == "en" or zh == en:
            return [(en, "head")]
        return [(zh, "head"), (en, "head_sub")]

    def texts(self, key: str, line: SheetLine) -> list[tuple[str, str]]:
        """A line's cell as (text, style) paragraphs."""
        if key == "name" and self.lang == "zh_en" and line.name_en and line.name_en != line.name_zh:
            return [(line.name_zh, "body"), (line.name_en, "small")]
        value = {
            "line_no": lambda: str(line.line_no),
            "sku": lambda: line.sku,
            "name": lambda: self.pick(line.name_zh, line.name_en),
            "barcode": lambda: line.barcode,
            "qty": lambda: str(line.qty),
            "unit_price": lambda: _money(line.unit_price),
            "line_total": lambda: _money(line.total),
            "hs_code": lambda: line.hs_code,
            "origin": lambda: self.pick(line.origin_zh, line.origin_en),
            "unit_weight": lambda: "" if line.unit_weight is None else f"{line.unit_weight:.3f}",
            "lot": lambda: line.lot,
        }[key]()
        return [(value, "body")]

    def measure(self, text: str, style: str) -> float:
        return stringWidth(text, self.font, self.styles[style].fontSize)

    def layout(self, columns: tuple[str, ...], cells: list[list[list[tuple[str, str]]]],
               pad: float) -> tuple[float, list[float]]:
        """The table's type size and column widths: every column as wide as its longest value on one line
        (headings may break between words) and the product name taking the rest. When that leaves the name
        less than a third of the page, the type shrinks (down to 72 %), then the other columns narrow in
        proportion and wrap: text always stays inside its cell."""
        cap = self.width * 0.25
        text: dict[str, float] = {}                  # widest one-line content at the body size
        for index, key in enumerate(columns):
            if key == "name":
                continue
            values = [self.measure(value, style) for row in cells for value, style in row[index]]
            words = [self.measure(word, style) for value, style in self.heading(key)
                     for word in value.split()]
            text[key] = max(values + words + [0])
        extra = 2 * pad + 1
        room = self.width - (self.width / 3 if "name" in columns else 0)
        total = sum(text.values())
        scale = 1.0
        if total and total + extra * len(text) > room:
            scale = max(0.72, (room - extra * len(text)) / total)
        wanted = {key: min(cap, width * scale + extra) for key, width in text.items()}
        fixed = sum(wanted.values())
        squeeze = min(1.0, room / fixed) if fixed else 1.0
        widths = {key: width * squeeze for key, width in wanted.items()}
        spare = self.width - sum(widths.values())
        if "name" in columns:
            widths["name"] = spare
        elif widths:
            widths = {key: width + spare * width / sum(widths.values()) for key, width in widths.items()}
        return self.size * scale, [widths[key] for key in columns]

    def lines(self) -> Table:
        columns = self.settings.printed_columns
        cells = [[self.texts(key, line) for key in columns] for line in self.sheet.lines]
        pad = 2.2 if self.paper.narrow else 3.5
        size, widths = self.layout(columns, cells, pad)
        styles = self._styles(size) if size != self.size else self.styles

        def content(key, parts):
            align = TA_RIGHT if key in NUMERIC else TA_LEFT
            flowables = [self.para(value, style, align, styles) for value, style in parts]
            return flowables[0] if len(flowables) == 1 else flowables

        data = [[content(key, self.heading(key)) for key in columns]]
        data += [[content(key, row[index]) for index, key in enumerate(columns)] for row in cells]
        table = Table(data, colWidths=widths, repeatRows=1)
        style = [("BACKGROUND", (0, 0), (-1, 0), HEAD), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                 ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE), *_padding(pad, pad, pad * 0.8, pad)]
        style += [("BACKGROUND", (0, row), (-1, row), ZEBRA) for row in range(2, len(data), 2)]
        table.setStyle(self.style(style))
        return table

    def totals(self) -> Table:
        s = self.sheet
        rows = [[self.para(self.word("lines"), "small", TA_RIGHT),
                 self.para(str(len(s.lines)), align=TA_RIGHT)],
                [self.para(self.word("units"), "small", TA_RIGHT),
                 self.para(str(sum(line.qty for line in s.lines)), "strong", TA_RIGHT)]]
        if self.settings.show_prices:
            value = sum((line.total for line in s.lines), Decimal(0))
            rows.append([self.para(self.word("value"), "small", TA_RIGHT),
                         self.para(f"{s.currency} {_money(value)}", "strong", TA_RIGHT)])
        label_width = self.width * (0.62 if self.paper.narrow else 0.75)
        table = Table(rows, colWidths=[label_width, self.width - label_width])
        table.setStyle(self.style([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), *_padding(0, 3, 1, 1),
                                   ("LINEABOVE", (1, -1), (1, -1), 0.8, INK)]))
        return table

    def footer_note(self) -> Table | None:
        if not self.settings.footer:
            return None
        note = Table([[self.para(self.settings.footer, "note")]], colWidths=[self.width])
        note.setStyle(self.style([("BACKGROUND", (0, 0), (-1, -1), NOTE),
                                  ("BOX", (0, 0), (-1, -1), 0.5, RULE), *_padding(6, 6, 4, 5)]))
        return note

    def story(self) -> list:
        gap = (2.5 if self.paper.narrow else 5) * mm
        story = [*self.header(), Spacer(1, gap), self.parties(), Spacer(1, gap), self.lines(),
                 Spacer(1, gap * 0.6), KeepTogether([self.totals()])]
        note = self.footer_note()
        if note is not None:
            story += [Spacer(1, gap), KeepTogether([note])]
        return story

    # --- page furniture: order no. and page x of y on every page; SAMPLE across a preview
    def page_text(self, number: int, total: int) -> str:
        zh, en = f"第 {number}/{total} 页", f"Page {number} of {total}"
        return {"zh": zh, "en": en}.get(self.lang, f"{zh} {en}")

    def furniture(self, canvas: Canvas, number: int, total: int) -> None:
        width, height = self.paper.size
        margin = self.paper.margin * mm
        canvas.saveState()
        size = self.size * 0.8
        canvas.setFont(self.font, size)
        canvas.setFillColor(MUTED)
        y = margin * 0.45 if self.paper.narrow else margin * 0.55
        canvas.drawString(margin, y, f"{self.word('order_no')} {self.sheet.order_no}")
        canvas.drawRightString(width - margin, y, self.page_text(number, total))
        if self.sheet.sample:
            canvas.setFillColor(colors.Color(0.85, 0.2, 0.2, alpha=0.12))
            canvas.setFont(self.font, min(width, height) / 6)
            canvas.translate(width / 2, height / 2)
            canvas.rotate(35)
            canvas.drawCentredString(0, 0, self.word("sample"))
        canvas.restoreState()

    def build(self) -> bytes:
        out = io.BytesIO()
        margin = self.paper.margin * mm
        s = self.sheet
        doc = SimpleDocTemplate(out, pagesize=self.paper.size, leftMargin=margin, rightMargin=margin,
                                topMargin=margin, bottomMargin=margin + self.size * 1.2,
                                title=f"{self.settings.title or self.word('title')} {s.order_no}",
                                author=s.seller_en or s.seller_zh, creator="Bonded WMS",
                                subject=s.waybill or s.order_no, invariant=1, pageCompression=1,
                                initialFontName=self.font)
        doc.build(self.story(), canvasmaker=_numbered(self.furniture))
        return out.getvalue()


def _numbered(furniture):
    """A canvas that draws each page's furniture once the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                furniture(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _padding(left: float, right: float, top: float, bottom: float) -> list[tuple]:
    """Table style commands: every cell's padding, in points."""
    return [(f"{side}PADDING", (0, 0), (-1, -1), value)
            for side, value in (("LEFT", left), ("RIGHT", right), ("TOP", top), ("BOTTOM", bottom))]


def _money(value: Decimal) -> str:
    cents = value.quantize(Decimal("0.01"))
    return f"{cents:,.2f}" if cents == value else f"{value.normalize():,f}"


@lru_cache(maxsize=32)
def _prepared_logo(content: bytes) -> bytes:
    """The logo as drawn: at most 1,200 pixels on its longer side (a big upload would slow every parcel)."""
    from PIL import Image
    with Image.open(io.BytesIO(content)) as image:
        if max(image.size) <= 1200:
            return content
        image.thumbnail((1200, 1200))
        out = io.BytesIO()
        if image.format == "JPEG" or image.mode in ("RGB", "L", "CMYK"):
            image.convert("RGB").save(out, "JPEG", quality=90)
        else:
            image.save(out, "PNG", optimize=True)
        return out.getvalue()


def _logo_reader(content: bytes):
    from reportlab.lib.utils import ImageReader
    return ImageReader(io.BytesIO(_prepared_logo(content)))


def render_sheet(sheet: Sheet, settings: Settings) -> bytes:
    """Any sheet (an order's or the sample) as a PDF in ``settings``."""
    return _Document(sheet, settings).build()


def settings_from(data: dict, base: Settings) -> Settings:
    """Settings loaded by the schema over ``base`` (a preview of values not yet saved)."""
    check_settings(data)
    values = {name: data[name] for name in EDITABLE if name in data}
    if "columns" in values:
        values["columns"] = tuple(values["columns"])
    return replace(base, **values)
