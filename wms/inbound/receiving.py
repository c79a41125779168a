"""The receiving scenario (收货), as the PDA drives it (DESIGN §5): each call takes one scan and answers
with the next step, its prompt and its data.

    open    scan the ASN number, a carton label or the seller's reference  → step ``sku`` (or ``parcel``)
    identify scan a product: GTIN, seller SKU, or GS1-128 with lot/expiry  → step ``qty`` (or ``measure``
            on a SKU's first arrival, 首次到货: weight and dimensions are asked for and kept)
    receive quantity (+ condition, reason) → units go onto a new LPN in temporary storage, status
            ``temp_stored`` (never allocatable); the LPN label is printed; → step ``sku``
    parcel  parcel-consolidation forecasts: scan each pre-packed parcel's waybill number

Over-receipt needs a reason; damaged units need a reason and go onto their own LPN. A line's received
quantity moves in one conditional UPDATE, so two PDAs receiving the same line never over-count.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from wms.core import numbering
from wms.core.audit import current_actor, record
from wms.db import utcnow
from wms.errors import Conflict, NotFound, ValidationFailed
from wms.events import publish
from wms.extensions import db
from wms.i18n import message
from wms.inbound import asn as asns
from wms.inbound.models import Asn, AsnCarton, AsnLine, AsnParcel, Receipt
from wms.inventory import service as inventory
from wms.inventory.models import StockBalance
from wms.masterdata.models import Location, Product, ProductBarcode, Zone
from wms.masterdata.rules import gs1_date, normalize_code, parse_gs1

LINES = AsnLine.__table__
RECEIVING = ("arrived", "receiving")
MEASURES = ("weight_kg", "length_cm", "width_cm", "height_cm")


def answer(step: str, prompt: str, **data) -> dict:
    """A scenario answer: the next step, its prompt in the user's language, and the data to show."""
    return {"step": step, "prompt": message(prompt, **data.pop("prompt_params", {})), "prompt_code": prompt, **data}


def _open(asn: Asn) -> Asn:
    if asn.status == "arrived":
        asns.fire(asn, "start_receiving")
    elif asn.status != "receiving":
        from wms.inbound.states import ASN
        raise Conflict("asn_not_receivable", number=asn.number, current_state=asn.status,
                       allowed_events=ASN.allowed_events(asn.status))
    return asn


def open_asn(scan: str) -> dict:
    """Start (or resume) receiving the forecast a scan names."""
    asn = _open(asns.by_code(scan))
    code = normalize_code(scan)
    carton = db.session.scalars(sa.select(AsnCarton).where(AsnCarton.code == code)).first()
    if carton is not None and carton.received_at is None:
        carton.received_at = utcnow()
    step = "parcel" if asn.mode == "parcel" else "sku"
    return answer(step, f"scan_{step}", asn=view(asn), prompt_params={"number": asn.number})


def view(asn: Asn) -> dict:
    """The forecast as the scanner shows it; blind receiving hides the forecast quantities."""
    lines = [{"line_no": l.line_no, "product_id": l.product_id, "sku": l.product.sku, "name_zh": l.product.name_zh,
              "name_en": l.product.name_en, "lot": l.lot, "received_qty": l.received_qty,
              "damaged_qty": l.damaged_qty, **({} if asn.blind else {"expected_qty": l.expected_qty})}
             for l in asn.lines]
    data = asns.summary(asn) | {"blind": asn.blind, "lines": lines}
    if asn.blind:
        data.pop("expected_qty", None)
    return data


def _product(asn: Asn, data: dict) -> tuple[Product, str, date | None]:
    """The product a receiving scan names, and the lot/expiry a GS1 code carries."""
    lot, expiry = data.get("lot") or "", data.get("expiry")
    if data.get("product_id"):
        product = db.session.get(Product, data["product_id"])
        if product is None or product.seller_id != asn.seller_id:
            raise NotFound("record_not_found", entity="product", id=data["product_id"])
        return product, lot, expiry
    scanned = data["barcode"]
    gs1 = parse_gs1(scanned)
    code = scanned
    if gs1 is not None:
        code = gs1.get("01") or gs1.get("02") or ""
        if not code:
            raise NotFound("unknown_barcode", scanned=scanned)
        lot = lot or gs1.get("10", "")
        expiry = expiry or gs1_date(gs1.get("17", ""))
        if code.startswith("0") and len(code) == 14:         # GTIN-13 inside a GTIN-14
            try:
                return inventory.product_by_barcode(code, asn.seller_id), lot, expiry
            except NotFound:
                code = code[1:]
    return inventory.product_by_barcode(code, asn.seller_id), lot, expiry


def _line(asn: Asn, product: Product, lot: str) -> AsnLine | None:
    candidates = [l for l in asn.lines if l.product_id == product.id]
    return next((l for l in candidates if l.lot == lot), None) or next(iter(candidates), None)


def first_arrival(product: Product) -> bool:
    return product.first_received_at is None


def needs_measure(product: Product) -> bool:
    return first_arrival(product) or any(getattr(product, m) is None for m in MEASURES)


def identify(asn_id: int, data: dict) -> dict:
    """What a product scan means on this forecast: its line and whether it must be measured first."""
    asn = _open(asns.get(asn_id))
    product, lot, expiry = _product(asn, data)
    line = _line(asn, product, lot)
    if line is None and not asn.blind:
        raise Conflict("not_on_asn", sku=product.sku, number=asn.number, scanned=data.get("barcode", ""))
    found = {"product": _product_view(product), "lot": lot or (line.lot if line else ""),
             "expiry": (expiry or (line.expiry if line else None)), "needs_lot": product.lot_tracked,
             "line": _line_view(asn, line) if line else None}
    if needs_measure(product):
        return answer("measure", "measure_first_arrival", **found, prompt_params={"sku": product.sku})
    return answer("qty", "enter_qty", **found, prompt_params={"sku": product.sku})


def _product_view(product: Product) -> dict:
    return {"id": product.id, "sku": product.sku, "name_zh": product.name_zh, "name_en": product.name_en,
            "first_arrival": first_arrival(product), "lot_tracked": product.lot_tracked,
            **{m: (str(getattr(product, m)) if getattr(product, m) is not None else None) for m in MEASURES}}


def _line_view(asn: Asn, line: AsnLine) -> dict:
    view_ = {"line_no": line.line_no, "received_qty": line.received_qty, "damaged_qty": line.damaged_qty}
    return view_ if asn.blind else view_ | {"expected_qty": line.expected_qty}


def receive(asn_id: int, data: dict) -> dict:
    """Take units in: one ledger movement into temporary storage, one receipt, the line counted."""
    asn = _open(asns.get(asn_id))
    if asn.mode != "stock":
        raise Conflict("asn_parcel_mode", number=asn.number)
    product, lot, expiry = _product(asn, data)
    qty, condition, reason = data["qty"], data.get("condition", "good"), data.get("reason", "")
    if condition == "damaged" and not reason:
        raise ValidationFailed({"reason": ["Say what is damaged."]}, code="reason_required")
    first = first_arrival(product)
    _measure(product, data)
    line = _line(asn, product, lot)
    if line is None:
        if not asn.blind and not data.get("add_line"):
            raise Conflict("not_on_asn", sku=product.sku, number=asn.number, scanned=data.get("barcode", ""))
        line = _add_line(asn, product, lot, expiry)
    lot = lot or line.lot
    expiry = expiry or line.expiry
    if product.lot_tracked and not lot:
        raise ValidationFailed({"lot": [f"{product.sku} needs a lot (batch) number."]}, code="lot_required")
    _count(asn, line, qty, condition, reason, over_allowed=asn.blind or bool(reason))
    location = _temp_location(asn, data.get("location"))
    lpn = _lpn(asn, product, condition, lot, data.get("lpn"))
    movement = inventory.receive(product, location, qty, status="temp_stored", lpn=lpn, lot=lot, expiry=expiry,
                                 doc_type="asn", doc_ref=asn.number, reason=reason or condition)
    receipt = Receipt(asn_id=asn.id, asn_line_id=line.id, product_id=product.id, seller_id=asn.seller_id, qty=qty,
                      condition=condition, reason=reason, first_arrival=first, lpn=lpn, lot=lot, expiry=expiry,
                      location_id=location.id, movement_id=movement.id,
                      user_id=getattr(current_actor.get(), "id", None))
    db.session.add(receipt)
    if first:
        product.first_received_at = utcnow()
    db.session.flush()
    publish(db.session, asns.ROOM, "receipt.posted", asns.summary(asn) | {"sku": product.sku, "qty": qty,
                                                                          "condition": condition})
    return answer("sku", "received", receipt=receipt_view(receipt, product, location),
                  line=_line_view(asn, line), asn=asns.summary(asn) if not asn.blind else view(asn),
                  prompt_params={"qty": qty, "sku": product.sku, "lpn": lpn})


def receipt_view(receipt: Receipt, product: Product, location: Location) -> dict:
    return {"id": receipt.id, "lpn": receipt.lpn, "qty": receipt.qty, "condition": receipt.condition,
            "sku": product.sku, "name_zh": product.name_zh, "lot": receipt.lot,
            "expiry": receipt.expiry.isoformat() if receipt.expiry else None, "location": location.code,
            "first_arrival": receipt.first_arrival, "movement_id": receipt.movement_id,
            "label_url": f"/api/v1/lpns/{receipt.lpn}/label"}


def _measure(product: Product, data: dict) -> None:
    """First arrival (首次到货): the SKU is weighed and measured once; the figures are kept on the product."""
    given = {m: data[m] for m in MEASURES if data.get(m) is not None}
    missing = [m for m in MEASURES if getattr(product, m) is None and m not in given]
    if first_arrival(product) and (missing or not given) and not all(getattr(product, m) for m in MEASURES):
        raise ValidationFailed({m: ["First arrival: weigh and measure the unit."] for m in missing or MEASURES},
                               code="measure_required", sku=product.sku)
    if given:
        before = {m: str(getattr(product, m)) if getattr(product, m) is not None else None for m in given}
        for key, value in given.items():
            setattr(product, key, value)
        record("product.measure", product, before=before, after={k: str(v) for k, v in given.items()})


def _add_line(asn: Asn, product: Product, lot: str, expiry) -> AsnLine:
    """A product that came without being forecast (blind receiving, or confirmed by the operator)."""
    last = db.session.scalar(sa.select(sa.func.max(AsnLine.line_no)).where(AsnLine.asn_id == asn.id)) or 0
    line = AsnLine(asn_id=asn.id, line_no=last + 1, product_id=product.id, expected_qty=0, lot=lot, expiry=expiry)
    db.session.add(line)
    db.session.flush()
    db.session.expire(asn, ["lines"])
    return line


def _count(asn: Asn, line: AsnLine, qty: int, condition: str, reason: str, *, over_allowed: bool) -> None:
    """Count units on the line in one statement that also locks it; over the forecast only with a reason."""
    damaged = qty if condition == "damaged" else 0
    where = [LINES.c.id == line.id]
    if not over_allowed:
        where.append(LINES.c.received_qty + qty <= LINES.c.expected_qty)
    values = {"received_qty": LINES.c.received_qty + qty, "damaged_qty": LINES.c.damaged_qty + damaged}
    if reason and (condition == "damaged" or over_allowed):
        values["discrepancy_reason"] = reason[:300]
    counted = db.session.execute(sa.update(LINES).where(*where).values(**values).returning(
        LINES.c.received_qty, LINES.c.damaged_qty, LINES.c.discrepancy_reason)).first()
    if counted is None:
        db.session.refresh(line)
        raise Conflict("over_receipt", sku=line.product.sku, expected=line.expected_qty,
                       received=line.received_qty, qty=qty)
    for name, value in zip(("received_qty", "damaged_qty", "discrepancy_reason"), counted):
        set_committed_value(line, name, value)         # what the statement wrote, without reading it again


def _temp_location(asn: Asn, code: str | None) -> Location:
    """Where received units wait for customs: the scanned temporary-storage location, else the one this
    forecast already uses, else the emptiest one."""
    if code:
        location = inventory.location_by_code(code)
        if location.zone.kind != "temp_storage" or location.warehouse_id != asn.warehouse_id:
            raise Conflict("not_temp_storage", location=location.code, scanned=code)
        return location
    used = db.session.scalars(sa.select(Location).join(Receipt, Receipt.location_id == Location.id)
                              .where(Receipt.asn_id == asn.id).order_by(Receipt.id.desc()).limit(1)).first()
    if used is not None:
        return used
    load = (sa.select(StockBalance.location_id, sa.func.sum(StockBalance.qty).label("units"))
            .group_by(StockBalance.location_id).subquery())
    location = db.session.scalars(
        sa.select(Location).join(Zone, Zone.id == Location.zone_id).outerjoin(load, load.c.location_id == Location.id)
        .where(Zone.kind == "temp_storage", Location.warehouse_id == asn.warehouse_id, Location.active.is_(True))
        .order_by(sa.func.coalesce(load.c.units, 0), Location.pick_sequence).limit(1)).first()
    if location is None:
        raise Conflict("no_temp_storage", warehouse_id=asn.warehouse_id)
    return location


def new_lpn() -> str:
    return f"LPN{numbering.take('lpn')[0]:08d}"


def _lpn(asn: Asn, product: Product, condition: str, lot: str, given: str | None) -> str:
    """A new LPN, or units added to an LPN already holding this forecast's same product and condition."""
    if not given:
        return new_lpn()
    lpn = normalize_code(given)
    held = db.session.execute(sa.select(Receipt.product_id, Receipt.condition, Receipt.lot, Receipt.declaration_id)
                              .where(Receipt.lpn == lpn)).all()
    if not held and not db.session.scalar(sa.select(StockBalance.id).where(StockBalance.lpn == lpn).limit(1)):
        return lpn                                    # a fresh pre-printed LPN label
    if any((p, c, l) != (product.id, condition, lot) or d is not None for p, c, l, d in held) or not held:
        raise Conflict("lpn_in_use", lpn=lpn, scanned=given)
    own = db.session.scalar(sa.select(sa.func.count()).where(Receipt.lpn == lpn, Receipt.asn_id == asn.id))
    if not own:
        raise Conflict("lpn_in_use", lpn=lpn, scanned=given)
    return lpn


# --- parcels (parcel consolidation) -----------------------------------------------------------------------

def receive_parcel(asn_id: int, data: dict) -> dict:
    asn = _open(asns.get(asn_id))
    waybill = normalize_code(data["waybill_no"])
    parcel = db.session.scalars(sa.select(AsnParcel).where(AsnParcel.asn_id == asn.id,
                                                           AsnParcel.waybill_no == waybill)
                                .with_for_update()).first()
    if parcel is None:
        raise NotFound("parcel_not_on_asn", scanned=data["waybill_no"], number=asn.number)
    if parcel.received_at is not None:
        raise Conflict("parcel_already_received", waybill_no=waybill, scanned=data["waybill_no"])
    location = _temp_location(asn, data.get("location"))
    parcel.received_at, parcel.location_id = utcnow(), location.id
    parcel.received_by_id = getattr(current_actor.get(), "id", None)
    if data.get("weight_kg") is not None:
        parcel.weight_kg = data["weight_kg"]
    db.session.flush()
    publish(db.session, asns.ROOM, "parcel.received", asns.summary(asn) | {"waybill_no": waybill})
    from wms.outbound import consolidation
    order = consolidation.on_received(parcel)
    seen = {"waybill_no": waybill, "order_no": parcel.order_no, "location": location.code}
    if order is None:
        return answer("parcel", "parcel_received", parcel=seen, asn=asns.summary(asn),
                      prompt_params={"waybill_no": waybill})
    # linked: the parcel now ships on its order's international waybill — relabel it with that label
    return answer("parcel", "parcel_linked", asn=asns.summary(asn),
                  parcel=seen | {"order_id": order.id, "order_no": order.order_no, "logistics_no": order.logistics_no,
                                 "label": f"/api/v1/orders/{order.id}/shipping-label"},
                  prompt_params={"waybill_no": waybill, "order_no": order.order_no, "logistics_no": order.logistics_no})


# --- unknown goods ----------------------------------------------------------------------------------------

def link_barcode(asn_id: int, data: dict) -> dict:
    """An unknown barcode confirmed by the operator as one of the forecast's products: kept for next time."""
    asn = _open(asns.get(asn_id))
    code = normalize_code(data["scanned"])
    product = db.session.get(Product, data["product_id"])
    if product is None or product.seller_id != asn.seller_id:
        raise NotFound("record_not_found", entity="product", id=data["product_id"])
    taken = db.session.scalars(sa.select(ProductBarcode).where(ProductBarcode.seller_id == asn.seller_id,
                                                               ProductBarcode.code == code)).first()
    if taken is not None and taken.product_id != product.id:
        raise Conflict("duplicate", field="barcode", value=code)
    if taken is None:
        db.session.add(ProductBarcode(product_id=product.id, seller_id=asn.seller_id, code=code))
        record("product.link_barcode", product, before=None, after={"barcode": code, "asn": asn.number})
        db.session.flush()
    return identify(asn.id, {"product_id": product.id})


def set_aside(asn_id: int, data: dict, request, user) -> dict:
    """Goods nobody can identify are put aside and listed for supervisors (the scan-exception list)."""
    from wms.scanning.models import ScanException
    asn = _open(asns.get(asn_id))
    db.session.add(ScanException(
        user_id=user.id, seller_id=asn.seller_id, device=request.headers.get("X-Device", "")[:80],
        idempotency_key=request.headers.get("Idempotency-Key", "")[:100], method=request.method,
        path=request.path[:300], request_body={"asn": asn.number, **data}, status_code=404,
        problem={"code": "unknown_goods_set_aside", "scanned": data["scanned"], "qty": data.get("qty"),
                 "note": data.get("note", ""), "detail": message("unknown_goods_set_aside", scanned=data["scanned"],
                                                                 number=asn.number)}))
    db.session.flush()
    return answer("sku", "set_aside", scanned=data["scanned"], prompt_params={"scanned": data["scanned"]})


# --- finishing a forecast ---------------------------------------------------------------------------------

def finish(asn: Asn, reason: str = "") -> Asn:
    """Receiving is over: differences need a reason; the receipts become a draft temp-storage declaration
    (declared at once when ``INBOUND_AUTO_DECLARE`` is set)."""
    from flask import current_app
    from wms.inbound import declarations
    open_lines = [l for l in asn.lines
                  if l.difference < 0 or ((l.difference or l.damaged_qty) and not l.discrepancy_reason)]
    missing_parcels = [p for p in asn.parcels if p.received_at is None]
    if (open_lines or missing_parcels) and not reason:
        raise ValidationFailed({"reason": ["Over, short or damaged quantities need a reason."]},
                               code="discrepancy_reason_required",
                               lines=[l.line_no for l in open_lines], parcels=[p.waybill_no for p in missing_parcels])
    for line in open_lines:
        line.discrepancy_reason = "; ".join(r for r in (line.discrepancy_reason, reason) if r)[:300]
    if missing_parcels:
        asn.note = f"{asn.note} {reason}".strip()[:500]
    if asn.status == "arrived":
        asns.fire(asn, "start_receiving")
    asns.fire(asn, "finish", reason=reason)
    if asn.mode == "stock":
        declaration = declarations.create_for_asn(asn)
        if declaration is not None and current_app.config.get("INBOUND_AUTO_DECLARE"):
            declarations.declare(declaration)
    return asn
