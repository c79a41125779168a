"""Inbound forecasts (ASN): sellers create, edit, submit and cancel them; the gate records their arrival.

Lines change only while a forecast is a draft. Submitting numbers its cartons (one carton-label id each).
Gate-in (入区过闸) records the vehicle and the cartons that came and moves each forecast to ``arrived``.
"""
from __future__ import annotations

import sqlalchemy as sa
from marshmallow import ValidationError

from wms.auth.service import owned, owning_seller, seller_scope
from wms.core import numbering, workbook
from wms.core.audit import record, snapshot
from wms.db import utcnow
from wms.errors import Conflict, NotFound, ValidationFailed
from wms.events import publish
from wms.extensions import db
from wms.i18n import translate_errors
from wms.inbound.models import Asn, AsnCarton, AsnLine, AsnParcel, GatePass
from wms.inbound.states import ASN, EDITABLE
from wms.masterdata.importer import read_rows
from wms.masterdata.models import Carrier, Product, Seller, Warehouse
from wms.masterdata.rules import fold_width

ROOM = "inbound"
HEADER_FIELDS = ("reference", "mode", "blind", "expected_at", "carrier_id", "vehicle_no", "driver", "note",
                 "warehouse_id", "cartons")
# Excel columns for forecast lines: key, English, Chinese
LINE_COLUMNS = [("sku", "SKU", "SKU"), ("barcode", "Barcode", "条码"), ("expected_qty", "Quantity", "预报数量"),
                ("cartons", "Cartons", "箱数"), ("lot", "Lot", "批次"), ("expiry", "Expiry", "有效期")]
LINE_HEADERS = {text.strip().lower(): key for key, en, zh in LINE_COLUMNS for text in (key, en, zh)}


def number(prefix: str, series: str) -> str:
    """A document number: prefix + yymmdd (China time) + a 5-digit daily serial, e.g. ASN26112400001."""
    return numbers(prefix, series, 1)[0]


def numbers(prefix: str, series: str, count: int) -> list[str]:
    """``count`` consecutive document numbers of one series, taken at once."""
    from wms.customs.ceb import CHINA_TZ
    day = utcnow().astimezone(CHINA_TZ).strftime("%y%m%d")
    return [f"{prefix}{day}{serial:05d}" for serial in numbering.take(f"{series}:{day}", count)]


def get(asn_id: int, *, lock: bool = False) -> Asn:
    return owned(Asn, asn_id, "ASN", lock=lock)


def by_code(code: str) -> Asn:
    """The forecast a scanned code names: its number, a carton-label id or the seller's reference."""
    text = fold_width(code).strip().upper()
    asn = db.session.scalars(sa.select(Asn).where(Asn.number == text)).first()
    if asn is None:
        asn = db.session.scalars(sa.select(Asn).join(AsnCarton, AsnCarton.asn_id == Asn.id)
                                 .where(AsnCarton.code == text)).first()
    if asn is None:
        found = db.session.scalars(sa.select(Asn).where(Asn.reference == fold_width(code).strip(),
                                                        Asn.status.in_(("arrived", "receiving"))).limit(2)).all()
        asn = found[0] if len(found) == 1 else None
    if asn is None or seller_scope() not in (None, asn.seller_id):
        raise NotFound("unknown_asn", scanned=code)
    return asn


def create(data: dict) -> Asn:
    seller = db.session.get(Seller, owning_seller(data))
    if seller is None:
        raise ValidationFailed({"seller_id": ["Unknown reference."]})
    warehouse_id = data.get("warehouse_id") or db.session.scalar(
        sa.select(Warehouse.id).where(Warehouse.active.is_(True)).order_by(Warehouse.id))
    asn = Asn(number=number("ASN", "asn"), seller_id=seller.id, warehouse_id=warehouse_id)
    _set_header(asn, data)
    db.session.add(asn)
    db.session.flush()
    _set_lines(asn, data.get("lines") or [])
    _set_parcels(asn, data.get("parcels") or [])
    _count_cartons(asn, data)
    record("asn.create", asn, before=None, after=_snapshot(asn))
    return asn


def update(asn: Asn, data: dict) -> Asn:
    if asn.status not in EDITABLE:
        raise Conflict("asn_not_editable", number=asn.number, current_state=asn.status,
                       allowed_events=ASN.allowed_events(asn.status))
    before = _snapshot(asn)
    _set_header(asn, data)
    if "lines" in data:
        _set_lines(asn, data["lines"])
    if "parcels" in data:
        _set_parcels(asn, data["parcels"])
    _count_cartons(asn, data)
    db.session.flush()
    db.session.refresh(asn)
    record("asn.update", asn, before=before, after=_snapshot(asn))
    return asn


def _snapshot(asn: Asn) -> dict:
    return snapshot(asn) | {"lines": [{"product_id": l.product_id, "expected_qty": l.expected_qty,
                                       "cartons": l.cartons, "lot": l.lot} for l in asn.lines],
                            "parcels": [p.waybill_no for p in asn.parcels]}


def _set_header(asn: Asn, data: dict) -> None:
    if data.get("carrier_id") is not None and db.session.get(Carrier, data["carrier_id"]) is None:
        raise ValidationFailed({"carrier_id": ["Unknown reference."]})
    if data.get("warehouse_id") is not None and db.session.get(Warehouse, data["warehouse_id"]) is None:
        raise ValidationFailed({"warehouse_id": ["Unknown reference."]})
    for key in HEADER_FIELDS:
        if key in data:
            setattr(asn, key, data[key])


def _set_lines(asn: Asn, lines: list[dict]) -> None:
    """Replace the lines of a draft; products must be the seller's own and filed or being filed."""
    errors: dict = {}
    products = _products(asn.seller_id, [l["product_id"] for l in lines if l.get("product_id")])
    seen = set()
    rows = []
    for n, line in enumerate(lines):
        product = products.get(line.get("product_id"))
        if product is None:
            errors[f"lines.{n}.product_id"] = ["Unknown reference."]
            continue
        key = (product.id, line.get("lot", ""))
        if key in seen:
            errors[f"lines.{n}.product_id"] = [f"{product.sku} is already on another line."]
        seen.add(key)
        if product.lot_tracked and not line.get("lot"):
            errors[f"lines.{n}.lot"] = [f"{product.sku} needs a lot (batch) number."]
        if line.get("expected_qty", 0) <= 0:
            errors[f"lines.{n}.expected_qty"] = ["Must be a positive quantity."]
        rows.append((product, line))
    if errors:
        raise ValidationFailed(errors)
    for old in list(asn.lines):
        db.session.delete(old)
    db.session.flush()
    for n, (product, line) in enumerate(rows, start=1):
        db.session.add(AsnLine(asn_id=asn.id, line_no=n, product_id=product.id, expected_qty=line["expected_qty"],
                               cartons=line.get("cartons", 0), lot=line.get("lot", ""), expiry=line.get("expiry")))
    db.session.flush()
    db.session.expire(asn, ["lines"])


def _count_cartons(asn: Asn, data: dict) -> None:
    """The forecast's carton count as given, else (when lines are given) the sum of the lines' cartons."""
    if not data.get("cartons") and "lines" in data:
        asn.cartons = sum(line.get("cartons", 0) for line in data["lines"])


def _set_parcels(asn: Asn, parcels: list[dict]) -> None:
    seen = set()
    for n, parcel in enumerate(parcels):
        if parcel["waybill_no"] in seen:
            raise ValidationFailed({f"parcels.{n}.waybill_no": ["Already used."]})
        seen.add(parcel["waybill_no"])
    for old in list(asn.parcels):
        db.session.delete(old)
    db.session.flush()
    for parcel in parcels:
        db.session.add(AsnParcel(asn_id=asn.id, waybill_no=parcel["waybill_no"], order_no=parcel.get("order_no", ""),
                                 weight_kg=parcel.get("weight_kg")))
    db.session.flush()
    db.session.expire(asn, ["parcels"])


def _products(seller_id: int, ids: list[int]) -> dict[int, Product]:
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(sa.select(Product).where(Product.id.in_(ids),
                                                                         Product.seller_id == seller_id))}


# --- events -----------------------------------------------------------------------------------------------

def fire(asn: Asn, event: str, **extra) -> Asn:
    """Move a forecast by ``event``: submit numbers its cartons; the others are checked and audited."""
    if event == "submit":
        if asn.mode == "stock" and not asn.lines:
            raise ValidationFailed({"lines": ["A forecast needs at least one line."]}, code="asn_empty")
        if asn.mode == "parcel" and not asn.parcels:
            raise ValidationFailed({"parcels": ["A parcel forecast needs its parcel list."]}, code="asn_empty")
        unfiled = [l.product.sku for l in asn.lines if l.product.filing_status != "approved"]
        if unfiled:
            raise Conflict("product_not_filed", sku=", ".join(unfiled), filing_status="not approved")
    ASN.fire(asn, event, **extra)
    now = utcnow()
    if event == "submit":
        asn.submitted_at = now
        _number_cartons(asn)
    elif event == "gate_in":
        asn.arrived_at = now
    elif event == "finish":
        asn.received_at = now
    publish(db.session, ROOM, f"asn.{asn.status}", summary(asn))
    return asn


def _number_cartons(asn: Asn) -> None:
    have = db.session.scalar(sa.select(sa.func.count()).where(AsnCarton.asn_id == asn.id)) or 0
    for n in range(have + 1, asn.cartons + 1):
        db.session.add(AsnCarton(asn_id=asn.id, carton_no=n, code=f"{asn.number}-{n:03d}"))


def cartons(asn: Asn) -> list[AsnCarton]:
    return db.session.scalars(sa.select(AsnCarton).where(AsnCarton.asn_id == asn.id)
                              .order_by(AsnCarton.carton_no)).all()


def summary(asn: Asn) -> dict:
    """What boards and scanners show of a forecast: progress in units and parcels."""
    expected = sum(l.expected_qty for l in asn.lines)
    received = sum(l.received_qty for l in asn.lines)
    return {"id": asn.id, "number": asn.number, "seller": asn.seller.code if asn.seller else "", "status": asn.status,
            "mode": asn.mode, "vehicle_no": asn.vehicle_no, "cartons": asn.cartons,
            "cartons_arrived": asn.cartons_arrived, "expected_qty": expected, "received_qty": received,
            "damaged_qty": sum(l.damaged_qty for l in asn.lines),
            **({"parcels": len(asn.parcels), "parcels_received": sum(1 for p in asn.parcels if p.received_at)}
               if asn.mode == "parcel" else {"parcels": 0, "parcels_received": 0})}


def discrepancies(asn: Asn) -> list[dict]:
    """Every line whose receipt differs from the forecast, or has damaged units (over, short, damaged)."""
    rows = []
    for line in asn.lines:
        if line.difference or line.damaged_qty:
            rows.append({"line_no": line.line_no, "sku": line.product.sku, "name_zh": line.product.name_zh,
                         "expected_qty": line.expected_qty, "received_qty": line.received_qty,
                         "damaged_qty": line.damaged_qty, "difference": line.difference,
                         "kind": "over" if line.difference > 0 else "short" if line.difference < 0 else "damaged",
                         "reason": line.discrepancy_reason})
    for parcel in asn.parcels:
        if parcel.received_at is None and asn.status in ("received", "closed"):
            rows.append({"line_no": None, "sku": parcel.waybill_no, "name_zh": parcel.order_no, "expected_qty": 1,
                         "received_qty": 0, "damaged_qty": 0, "difference": -1, "kind": "short",
                         "reason": asn.note})
    return rows


# --- gate-in ----------------------------------------------------------------------------------------------

def gate_in(data: dict) -> GatePass:
    """A vehicle enters the zone with cartons of one or more submitted forecasts (一车多票)."""
    if not data.get("asns"):
        raise ValidationFailed({"asns": ["Missing data for required field."]})
    wanted = [(item, by_code(item["asn"])) for item in data["asns"]]
    gate = GatePass(number=number("GI", "gate"), warehouse_id=wanted[0][1].warehouse_id,
                    vehicle_no=data["vehicle_no"], driver=data.get("driver", ""), seal_no=data.get("seal_no", ""),
                    gross_weight_kg=data.get("gross_weight_kg"), note=data.get("note", ""),
                    passed_at=data.get("passed_at") or utcnow(), user_id=_user_id())
    db.session.add(gate)
    db.session.flush()
    total = 0
    for item, asn in wanted:
        db.session.refresh(asn, with_for_update=True)
        asn.cartons_arrived = item.get("cartons", asn.cartons)
        asn.vehicle_no = asn.vehicle_no or gate.vehicle_no
        asn.gate_pass_id = gate.id
        total += asn.cartons_arrived
        fire(asn, "gate_in", gate_pass=gate.number)
    gate.cartons = total
    record("gate_pass.create", gate, before=None, after=snapshot(gate))
    return gate


def _user_id() -> int | None:
    from wms.core.audit import current_actor
    return getattr(current_actor.get(), "id", None)


# --- Excel lines ------------------------------------------------------------------------------------------

def lines_template() -> bytes:
    return workbook.template("lines", LINE_COLUMNS)


def import_lines(asn: Asn, data: bytes) -> Asn:
    """Replace a draft's lines from a workbook; every bad row is reported and nothing changes."""
    from wms.inbound.schemas import AsnLineSchema
    from wms.inventory.service import product_by_barcode
    rows = read_rows(data, headers=LINE_HEADERS, min_headers=2, what="forecast line")
    lines, problems = [], []
    for number_, row in rows:
        errors = {}
        product = None
        code = row.get("sku") or row.get("barcode")
        if not code:
            errors["sku"] = ["Missing data for required field."]
        else:
            try:
                product = product_by_barcode(code, asn.seller_id)
            except (NotFound, Conflict):
                errors["sku"] = [f"Unknown SKU or barcode {code}."]
        payload = {k: row[k] for k in ("expected_qty", "cartons", "lot", "expiry") if k in row}
        if isinstance(payload.get("expiry"), str) and " " in payload["expiry"]:
            payload["expiry"] = payload["expiry"].split(" ")[0]     # a date cell read as 'YYYY-MM-DD 00:00:00'
        try:
            line = AsnLineSchema().load({**payload, "product_id": product.id if product else 1})
        except ValidationError as exc:
            errors |= exc.messages
            line = None
        if errors:
            problems.append({"row": number_, "errors": translate_errors(errors)})
        elif line is not None:
            lines.append(line | {"product_id": product.id})
    if problems:
        raise ValidationFailed({"rows": ["Some rows are not valid; nothing was imported."]}, rows=problems)
    merged: dict[tuple, dict] = {}
    for line in lines:                        # the same SKU and lot twice is one line
        key = (line["product_id"], line.get("lot", ""))
        if key in merged:
            merged[key]["expected_qty"] += line["expected_qty"]
            merged[key]["cartons"] = merged[key].get("cartons", 0) + line.get("cartons", 0)
        else:
            merged[key] = dict(line)
    return update(asn, {"lines": list(merged.values())})
