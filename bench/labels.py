"""Shipping labels rendered into one PDF, in process (target ≥ 100 labels/s), next to reportlab's own rate for
the same pages.

Items: the 100×150 mm shipping label (label_templates/shipping.yaml) of the benchmark's orders — carrier and
channel, the waybill's Code 128, the buyer's address, the sender, order number and its Code 128 — built from
the database as the packing station builds them. Timed: filling the template for every order and rendering
them as one PDF document (``wms.printing.labels.render``). Ceiling: the same strings and the same two
Code 128 symbols drawn straight on a reportlab canvas, page after page, with nothing else — no template,
no fitting, no wrapping. Checked: the document has one page per label.
"""
from __future__ import annotations

import io
import re
import time

LABELS = 1000


def _items(count: int) -> list[dict]:
    import sqlalchemy as sa

    from wms.extensions import db
    from wms.masterdata.models import Carrier, Channel, Country, Warehouse
    from wms.outbound.models import Order
    rows = db.session.execute(
        sa.select(Order.order_no, Order.logistics_no, Order.buyer_name, Order.buyer_phone, Order.address1,
                  Order.city, Order.state, Order.postal_code, Country.code, Country.name_en, Channel.name_zh,
                  Carrier.name_en, Order.units)
        .join(Country, Country.id == Order.country_id).join(Channel, Channel.id == Order.channel_id)
        .join(Carrier, Carrier.id == Channel.carrier_id)
        .where(Order.platform == "BENCH").order_by(Order.id).limit(count)).all()
    warehouse = db.session.scalars(sa.select(Warehouse).order_by(Warehouse.id)).first()
    return [{"carrier": carrier, "channel": channel, "waybill": waybill, "receiver_name": buyer,
             "receiver_address": ", ".join(p for p in (address, city, state, postal) if p),
             "receiver_country": f"{code} {country}", "receiver_phone": phone,
             "sender_name": warehouse.name_zh, "sender_address": warehouse.address or warehouse.name_zh,
             "order_no": order_no, "weight_kg": f"{0.25 * units:.3f}"}
            for order_no, waybill, buyer, phone, address, city, state, postal, code, country, channel, carrier, units
            in rows]


def run(url: str, count: int = LABELS) -> dict:
    """Render ``count`` shipping labels into one PDF through the label engine; labels per second."""
    from wms import create_app
    from wms.extensions import db
    from wms.printing.labels import Output, build, render, template
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        items = _items(count)
        tpl = template("shipping")
        render(tpl, build(tpl, items[:5]), Output("pdf", 203, None))          # fonts loaded, caches warm
        started = time.perf_counter()
        document = render(tpl, build(tpl, items), Output("pdf", 203, None))
        elapsed = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    pages = _pages(document.content)
    return {"labels": len(items), "seconds": round(elapsed, 3), "per_second": round(len(items) / elapsed, 1),
            "bytes": len(document.content), "pages": pages, "items": items}


def ceiling(items: list[dict]) -> dict:
    """The same text and barcodes drawn straight with reportlab, one page per label."""
    from reportlab.graphics.barcode.code128 import Code128
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from wms.printing.fonts import cjk_font
    font = cjk_font().name
    out = io.BytesIO()
    started = time.perf_counter()
    canvas = Canvas(out, pagesize=(100 * mm, 150 * mm), pageCompression=1)
    for item in items:
        canvas.setFont(font, 14)
        canvas.drawString(4 * mm, 140 * mm, item["carrier"])
        canvas.setFont(font, 8)
        canvas.drawRightString(96 * mm, 140 * mm, item["channel"])
        Code128(item["waybill"], barWidth=0.5 * mm, barHeight=22 * mm, quiet=False).drawOn(canvas, 8 * mm, 113 * mm)
        canvas.drawCentredString(50 * mm, 107 * mm, item["waybill"])
        for n, key in enumerate(("receiver_name", "receiver_phone", "receiver_address", "receiver_country",
                                 "sender_name", "sender_address")):
            canvas.drawString(4 * mm, (97 - 6 * n) * mm, item[key])
        Code128(item["order_no"], barWidth=0.375 * mm, barHeight=13 * mm, quiet=False).drawOn(canvas, 8 * mm,
                                                                                           25 * mm)
        canvas.drawCentredString(50 * mm, 20 * mm, item["order_no"])
        canvas.drawRightString(96 * mm, 40 * mm, f"{item['weight_kg']} kg")
        canvas.showPage()
    canvas.save()
    elapsed = time.perf_counter() - started
    return {"labels": len(items), "seconds": round(elapsed, 3), "per_second": round(len(items) / elapsed, 1),
            "pages": _pages(out.getvalue())}


def _pages(pdf: bytes) -> int:
    """Pages in a PDF (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))
