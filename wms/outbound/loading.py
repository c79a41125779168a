"""Loading and gate-out (车辆装货 / 出区): sealed bags onto a carrier's vehicle, the manifest closed, and the
vehicle out of the zone.

    open      a manifest for a carrier's vehicle
    load      scan a bag's SSCC: it must be sealed and of the vehicle's carrier, and — unless picking may start
              before release — every parcel in it released by customs; its orders become ``loaded``
    close     the manifest is closed (its PDF lists bags and parcels) and the arrival at the supervised site
              (运抵单 CEB507) is declared; with a master bill, the 清单总分单 (CEB607) too
    gate_out  the vehicle leaves: each parcel's units leave the inventory, the account book is decremented
              (出区), the departure (离境单 CEB509) is declared, orders are ``shipped`` and wait for the
              consolidated declaration (汇总待报)
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import current_app

from wms.auth.service import owned
from wms.core.audit import record
from wms.customs import book, ceb
from wms.customs.ceb import CHINA_TZ, Party
from wms.customs.models import BookItem
from wms.db import utcnow
from wms.errors import Conflict, NotFound
from wms.events import publish
from wms.extensions import db
from wms.inbound.asn import number
from wms.inventory import service as inventory
from wms.inventory.models import StockBalance
from wms.masterdata.models import Carrier, Warehouse
from wms.masterdata.rules import normalize_code
from wms.outbound.bagging import _sscc
from wms.outbound.models import Bag, Manifest, Order, Parcel
from wms.outbound.states import BAG, MANIFEST, ORDER

ROOM = "outbound"
TRAF_ROAD = "4"            # the vehicle to the port: road transport
SPLIT = 1000               # parcels per message part (CEB507/509/607 msgCount / msgSeqNo)


def get(manifest_id: int, *, lock: bool = False) -> Manifest:
    return owned(Manifest, manifest_id, "manifest", lock=lock, seller_of=lambda m: None)


def open_manifest(carrier_code: str, vehicle_no: str, driver: str = "") -> Manifest:
    carrier = db.session.scalars(sa.select(Carrier).where(Carrier.code == normalize_code(carrier_code))).first()
    if carrier is None:
        raise NotFound("record_not_found", entity="carrier", id=carrier_code)
    warehouse_id = db.session.scalar(sa.select(Warehouse.id).where(Warehouse.active.is_(True)).order_by(Warehouse.id))
    manifest = Manifest(number=number("LD", "manifest"), warehouse_id=warehouse_id, carrier_id=carrier.id,
                        vehicle_no=vehicle_no, driver=driver)
    db.session.add(manifest)
    db.session.flush()
    record("manifest.open", manifest, before=None, after={"carrier": carrier.code, "vehicle_no": vehicle_no})
    publish(db.session, ROOM, "manifest.opened", {"number": manifest.number, "carrier": carrier.code})
    return manifest


def _orders_of(bag: Bag) -> list[Order]:
    return db.session.scalars(sa.select(Order).join(Parcel, Parcel.order_id == Order.id)
                              .where(Parcel.bag_id == bag.id).order_by(Order.id)).all()


def load(manifest: Manifest, code: str) -> Bag:
    MANIFEST.next_state(manifest.status, "close")            # only a manifest still loading takes bags
    bag = db.session.scalars(sa.select(Bag).where(Bag.sscc == _sscc(code)).with_for_update()).first()
    if bag is None:
        raise NotFound("unknown_bag", scanned=code)
    if bag.status != "sealed":
        raise Conflict("bag_not_sealed", sscc=bag.sscc, current_state=bag.status,
                       allowed_events=BAG.allowed_events(bag.status))
    if bag.channel is None or bag.channel.carrier_id != manifest.carrier_id:
        raise Conflict("wrong_carrier", sscc=bag.sscc, bag_carrier=bag.channel.carrier.code if bag.channel else "",
                       vehicle_carrier=manifest.carrier.code)
    orders = _orders_of(bag)
    waiting = [o.order_no for o in orders if o.customs_state != "released"]
    if waiting:
        raise Conflict("not_released", sscc=bag.sscc, orders=", ".join(waiting[:10]))
    BAG.fire(bag, "load", manifest=manifest.number)
    bag.manifest_id = manifest.id
    for order in orders:
        ORDER.fire(order, "load", manifest=manifest.number, audit=False)
    manifest.bags_count += 1
    manifest.parcels_count += len(orders)
    manifest.gross_weight_kg = Decimal(manifest.gross_weight_kg or 0) + Decimal(bag.weight_kg or 0)
    publish(db.session, ROOM, "bag.loaded", {"sscc": bag.sscc, "manifest": manifest.number})
    return bag


def _parties(manifest: Manifest) -> tuple[Party, Party]:
    config = current_app.config
    carrier = manifest.carrier
    return (Party(carrier.customs_code or carrier.code[:18], carrier.name_zh),
            Party(config["CUSTOMS_COP_CODE"], config["CUSTOMS_COP_NAME"]))


def _lines(manifest: Manifest) -> list[tuple[str, str]]:
    """(waybill number, bag SSCC) of every parcel on the vehicle."""
    return db.session.execute(sa.select(Parcel.logistics_no, Bag.sscc).join(Bag, Bag.id == Parcel.bag_id)
                              .where(Bag.manifest_id == manifest.id).order_by(Bag.id, Parcel.id)).all()


def close(manifest: Manifest, bill_no: str = "", traf_name: str = "", voyage_no: str = "") -> Manifest:
    from wms.customs import service as customs
    if not manifest.bags_count:
        raise Conflict("manifest_empty", number=manifest.number)
    MANIFEST.fire(manifest, "close", bags=manifest.bags_count, parcels=manifest.parcels_count)
    manifest.closed_at = utcnow()
    manifest.bill_no, manifest.traf_name, manifest.voyage_no = bill_no, traf_name, voyage_no
    logistics, agent = _parties(manifest)
    area = db.session.get(Warehouse, manifest.warehouse_id).customs_area_code or "5349"
    lines = _lines(manifest)
    arrival = ceb.ArrivalRecord(customs_code=area, cop_no=f"{manifest.number}-A", operator=agent, traf_mode=TRAF_ROAD,
                                domestic_traf_no=manifest.vehicle_no, logistics=logistics, bill_no=bill_no or None,
                                lines=[ceb.ArrivalLine(logistics_no=no, total_package_no=sscc) for no, sscc in lines])
    customs.declare(ceb.split(arrival, SPLIT))
    if bill_no:
        bill = ceb.WaybillBill(customs_code=area, cop_no=f"{manifest.number}-W", agent=agent, traf_mode="5",
                               traf_name=traf_name or "-", voyage_no=voyage_no or "-", bill_no=bill_no,
                               gross_weight=Decimal(manifest.gross_weight_kg or 0) or Decimal("0.001"),
                               logistics=logistics, domestic_traf_no=manifest.vehicle_no,
                               lines=[ceb.WaybillLine(logistics_no=no, total_package_no=sscc) for no, sscc in lines])
        customs.declare(ceb.split(bill, SPLIT))
    publish(db.session, ROOM, "manifest.closed", {"number": manifest.number, "bags": manifest.bags_count})
    return manifest


def gate_out(manifest: Manifest, at: datetime | None = None) -> Manifest:
    """The vehicle leaves the zone: stock and account book out, departure declared, orders shipped."""
    from wms.customs import service as customs
    MANIFEST.fire(manifest, "gate_out")
    now = at or utcnow()
    manifest.departed_at = now
    leaving: dict[int, int] = defaultdict(int)
    parcels = db.session.scalars(sa.select(Parcel).join(Bag, Bag.id == Parcel.bag_id)
                                 .where(Bag.manifest_id == manifest.id)).all()
    for parcel in parcels:
        for balance in db.session.scalars(sa.select(StockBalance).where(
                StockBalance.lpn == parcel.logistics_no, StockBalance.qty > 0)).all():
            inventory.issue(balance.product, balance.location, balance.qty, status=balance.status, lpn=balance.lpn,
                            lot=balance.lot, doc_type="manifest", doc_ref=manifest.number, reason="出区 gate-out")
            if balance.location.zone.bonded:
                leaving[balance.product_id] += balance.qty
        order = db.session.get(Order, parcel.order_id)
        ORDER.fire(order, "gate_out", manifest=manifest.number, audit=False)
        order.shipped_at, order.summary_state = now, "pending"
    items = {i.product_id: i for i in db.session.scalars(sa.select(BookItem).where(BookItem.product_id.in_(leaving)))}
    for product_id, qty in leaving.items():
        if product_id in items:
            book.post(items[product_id], -qty, doc_type="passport", doc_no=manifest.number, gate_pass_at=now,
                      note=f"出区 {manifest.vehicle_no}")
    logistics, _ = _parties(manifest)
    area = db.session.get(Warehouse, manifest.warehouse_id).customs_area_code or "5349"
    lines = _lines(manifest)
    departure = ceb.DepartureRecord(
        customs_code=area, cop_no=f"{manifest.number}-D", logistics=logistics, traf_mode=TRAF_ROAD,
        leave_time=now.astimezone(CHINA_TZ), bill_no=manifest.bill_no or None, traf_name=manifest.traf_name or None,
        voyage_no=manifest.voyage_no or None,
        lines=[ceb.DepartureLine(logistics_no=no, total_package_no=sscc) for no, sscc in lines])
    customs.declare(ceb.split(departure, SPLIT))
    publish(db.session, ROOM, "manifest.departed", {"number": manifest.number, "parcels": len(parcels)})
    return manifest


def manifest_pdf(manifest: Manifest) -> bytes:
    """The manifest as an A4 PDF: vehicle, carrier, totals, and every bag with its parcel count and weight."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from wms.printing.fonts import cjk_font
    font = cjk_font().name
    bags = db.session.execute(sa.select(Bag.sscc, Bag.parcels_count, Bag.weight_kg)
                              .where(Bag.manifest_id == manifest.id).order_by(Bag.id)).all()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"装车单 Manifest {manifest.number}")
    width, height = A4
    y = height - 20 * mm

    def line(text: str, size: float = 10, gap: float = 6):
        nonlocal y
        if y < 20 * mm:
            canvas.showPage()
            y = height - 20 * mm
        canvas.setFont(font, size)
        canvas.drawString(18 * mm, y, text)
        y -= gap * mm

    line(f"车辆装货单 Vehicle manifest  {manifest.number}", 16, 10)
    line(f"承运商 Carrier: {manifest.carrier.name_zh} ({manifest.carrier.code})    车牌 Vehicle: {manifest.vehicle_no}"
         f"    司机 Driver: {manifest.driver or '-'}")
    line(f"总运单 Master bill: {manifest.bill_no or '-'}    航班 Flight: {manifest.traf_name or '-'} "
         f"{manifest.voyage_no or ''}")
    line(f"袋数 Bags: {manifest.bags_count}    包裹数 Parcels: {manifest.parcels_count}    "
         f"总重 Gross weight: {manifest.gross_weight_kg} kg    状态 Status: {manifest.status}", 11, 10)
    def row(cells: tuple, size: float = 10):
        nonlocal y
        if y < 20 * mm:
            canvas.showPage()
            y = height - 20 * mm
        canvas.setFont(font, size)
        for x, text in zip((18, 32, 90, 130), cells):
            canvas.drawString(x * mm, y, str(text))
        y -= 6 * mm

    row(("序号 #", "袋号 SSCC", "包裹数 Parcels", "重量 Weight kg"))
    for n, (sscc, parcels, weight) in enumerate(bags, start=1):
        row((n, sscc, parcels, weight or "-"))
    line("")
    line("装车人 Loaded by: ____________    司机签收 Driver: ____________    卡口 Gate: ____________", 10, 8)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
