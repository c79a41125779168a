"""Label printing as a service: data → labels → one document (PDF, ZPL or TSPL) → a download or a printer.

Used by the API and the admin screen. Rules:
- A template's data is checked whole: every problem of every label is reported at once (422, by field;
  ``items`` errors are keyed by the label's index).
- The format defaults to the printer's language, else PDF; a printer takes PDF or its own language.
- A label larger than the printer's stock is refused.
- With a printer that has an address, ZPL/TSPL go to it over raw TCP; PDF is always returned.
- One document holds at most ``LABEL_BATCH_LIMIT`` labels.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from wms.errors import Conflict, NotFound, ValidationFailed
from wms.extensions import db
from wms.masterdata.models import Location
from wms.masterdata.service import locations
from wms.printing import sscc as sscc_numbers
from wms.printing.models import PRINTER_LANGUAGES, PrinterProfile
from wms.printing.model import Label
from wms.printing.pdf import render_pdf
from wms.printing.templates import TEMPLATES, LabelDataError, Template
from wms.printing.transport import send_raw
from wms.printing.tspl import render_tspl
from wms.printing.zpl import DEFAULT_FONT, render_zpl

FORMATS = PRINTER_LANGUAGES        # pdf, zpl, tspl
MIMETYPES = {"pdf": "application/pdf", "zpl": "text/plain; charset=utf-8",
             "tspl": "text/plain; charset=gb18030"}
EXTENSIONS = {"pdf": "pdf", "zpl": "zpl", "tspl": "prn"}
STOCK_TOLERANCE_MM = 0.5


@dataclass(frozen=True)
class Document:
    template: str
    format: str
    content: bytes
    labels: int

    @property
    def mimetype(self) -> str:
        return MIMETYPES[self.format]

    @property
    def filename(self) -> str:
        return f"{self.template}-labels-{datetime.now():%Y%m%d-%H%M%S}.{EXTENSIONS[self.format]}"


@dataclass(frozen=True)
class PrintJob:
    printer: str
    address: str
    format: str
    labels: int
    bytes: int


@dataclass(frozen=True)
class Output:
    """Where labels go: ``format`` at ``dpi``, sent to ``printer`` when it has an address."""
    format: str
    dpi: int
    printer: PrinterProfile | None

    @property
    def sends(self) -> bool:
        return self.printer is not None and bool(self.printer.host) and self.format != "pdf"


def template(name: str) -> Template:
    if name not in TEMPLATES:
        raise NotFound("label_template_not_found", template=name, known=", ".join(sorted(TEMPLATES)))
    return TEMPLATES[name]


def batch_limit() -> int:
    return int(current_app.config.get("LABEL_BATCH_LIMIT", 5000))


def build(tpl: Template, items: list[dict], *, field: str = "items") -> list[Label]:
    """One label per item; all data errors together (``{field: {index: {name: [..]}}}``, or
    ``{"data": {name: [..]}}`` for a single label given as ``data``)."""
    labels, errors = [], {}
    for index, item in enumerate(items):
        try:
            labels.append(tpl.fill(item))
        except LabelDataError as exc:
            errors[index] = exc.errors
    if errors:
        raise ValidationFailed({"data": errors[0]} if field == "data" else {field: errors})
    return labels


def choose_output(tpl: Template, fmt: str | None, printer_code: str | None, dpi: int | None) -> Output:
    printer = _printer(printer_code) if printer_code else None
    fmt = fmt or (printer.language if printer else "pdf")
    if fmt not in FORMATS:
        raise ValidationFailed({"format": [f"Must be one of: {', '.join(FORMATS)}."]})
    if printer is None:
        return Output(fmt, dpi or 203, None)
    if fmt not in ("pdf", printer.language):
        raise ValidationFailed({"format": ["The printer uses another language; choose its language or pdf."]})
    if (tpl.width > float(printer.width_mm) + STOCK_TOLERANCE_MM
            or tpl.height > float(printer.height_mm) + STOCK_TOLERANCE_MM):
        raise ValidationFailed({"printer": ["The label is larger than this printer's stock."]})
    return Output(fmt, printer.dpi, printer)


def _printer(code: str) -> PrinterProfile:
    printer = db.session.scalars(sa.select(PrinterProfile).where(PrinterProfile.code == code)).first()
    if printer is None:
        raise ValidationFailed({"printer": ["Unknown reference."]})
    if not printer.active:
        raise Conflict("inactive_record", entity="printer", ref=code)
    return printer


def render(tpl: Template, labels: list[Label], output: Output) -> Document:
    """The labels as one document in the output's format."""
    if len(labels) > batch_limit():
        raise ValidationFailed({}, code="too_many_labels", count=len(labels), limit=batch_limit())
    if output.format == "pdf":
        content = render_pdf(labels, title=f"{tpl.title_en} {tpl.title_zh}")
    elif output.format == "zpl":
        font = current_app.config.get("LABEL_ZPL_FONT") or DEFAULT_FONT
        content = render_zpl(labels, output.dpi, font).encode("utf-8")
    else:
        content = render_tspl(labels, output.dpi)
    return Document(tpl.name, output.format, content, len(labels))


def deliver(tpl: Template, labels: list[Label], output: Output) -> Document | PrintJob:
    """The document, or — for a printer with an address — the job it was sent as."""
    document = render(tpl, labels, output)
    if not output.sends:
        return document
    printer = output.printer
    sent = send_raw(printer.host, printer.port, document.content, printer=printer.code,
                    timeout=float(current_app.config.get("PRINTER_TIMEOUT_SECONDS", 5)))
    return PrintJob(printer.code, f"{printer.host}:{printer.port}", document.format, document.labels, sent)


# --- location labels ----------------------------------------------------------------------------------------

def location_query(args: dict) -> sa.Select:
    """Locations as the location list filters them (zone, warehouse, aisle, q, active, sort)."""
    query = locations.select().options(joinedload(Location.warehouse))
    return locations.listing.apply(query, args)


def location_items(args: dict) -> list[dict]:
    """Label data of every matching location, in the list's order; at most the batch limit."""
    query = location_query(args)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    if count > batch_limit():
        raise ValidationFailed({}, code="too_many_labels", count=count, limit=batch_limit())
    if count == 0:
        raise NotFound("nothing_to_print")
    return [{"code": loc.code, "zone": loc.zone.code, "zone_name": loc.zone.name_zh,
             "warehouse": loc.warehouse.code} for loc in db.session.scalars(query).unique()]


# --- SSCC labels --------------------------------------------------------------------------------------------

def sscc_items(count: int, data: dict) -> tuple[list[str], list[dict]]:
    """``count`` new SSCCs and a label item for each (the shared ``data`` plus its SSCC)."""
    tpl = TEMPLATES["sscc"]
    if "sscc" in data:                                  # the number is the server's to give
        raise ValidationFailed({"data": {"sscc": ["Unknown field."]}})
    try:                                                # shared data errors before numbers are taken
        tpl.fill({**data, "sscc": sscc_numbers.sscc("0", "0000000", 0)})
    except LabelDataError as exc:
        raise ValidationFailed({"data": exc.errors}) from None
    numbers = sscc_numbers.allocate(count)
    return numbers, [{**data, "sscc": number} for number in numbers]
