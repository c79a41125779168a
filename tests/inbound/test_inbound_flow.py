"""The whole inbound flow through the public API, on a real database: a seller's forecast becomes stored,
bonded, customs-released stock — over, short and damaged receipts, a first arrival, a spot check, QC with a
failure, destruction of the defective units, putaway — with the ledger, the account book and the customs
message log checked at each step."""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.api import helpers as h
from wms.customs import book
from wms.customs.gateway import SandboxGateway
from wms.customs.models import BookEntry, BookItem, CustomsMessage
from wms.customs.service import run_once
from wms.db import utcnow
from wms.inbound.models import PutawayTask, QcTask, Receipt, TempDeclaration
from wms.inventory import ledger
from wms.inventory.models import Movement, StockBalance
from wms.masterdata.models import Location, Product, Zone

SELLER = "SZ-ANKE"
STARTED = [utcnow()]


def products(dbs, count=3) -> list[Product]:
    """Approved products of the seller with a book line, not used by the demo forecasts."""
    rows = dbs.scalars(sa.select(Product).join(BookItem, BookItem.product_id == Product.id)
                       .where(Product.seller_id == h.seller_id(SELLER), Product.filing_status == "approved")
                       .order_by(Product.id)).all()
    return rows[10:10 + count]


def stock(dbs, product: Product, status: str | None = None) -> dict[tuple[str, str], int]:
    """{(location zone kind, status): units} of a product on the LPNs received in this test."""
    received = sa.select(Receipt.lpn).where(Receipt.product_id == product.id, Receipt.created_at >= STARTED[0])
    query = (sa.select(Zone.kind, StockBalance.status, sa.func.sum(StockBalance.qty))
             .join(Location, Location.id == StockBalance.location_id).join(Zone, Zone.id == Location.zone_id)
             .where(StockBalance.product_id == product.id, StockBalance.qty > 0, StockBalance.lpn.in_(received))
             .group_by(Zone.kind, StockBalance.status))
    if status:
        query = query.where(StockBalance.status == status)
    return {(kind, st): int(units) for kind, st, units in dbs.execute(query)}


def book_qty(dbs, product: Product) -> Decimal:
    return dbs.scalar(sa.select(BookItem.qty).where(BookItem.product_id == product.id))


def post(client, url, headers, json=None, status=200, scan=None):
    extra = {"Idempotency-Key": scan} if scan else {}
    response = client.post(url, json=json if json is not None else {}, headers=headers | extra)
    assert response.status_code == status, response.get_json()
    return response.get_json()


@pytest.fixture
def sandbox():
    gateway = SandboxGateway(delay_seconds=0, reject_rate=0, inspect_rate=0)
    return lambda: [run_once(gateway) for _ in range(3)]


def test_forecast_to_stored_bonded_stock(client, login, dbs, sandbox, scan_id):
    STARTED[0] = utcnow()
    seller, op, customs, boss = login("anke"), login("op01"), login("customs"), login("supervisor")
    a, b, c = products(dbs)
    b.qc_required = True                                # every arrival of b is inspected
    c.first_received_at, c.weight_kg = None, None       # c arrives for the first time
    dbs.flush()
    book_before = {p.id: book_qty(dbs, p) for p in (a, b, c)}

    # 1. the seller forecasts and submits
    created = post(client, "/api/v1/asns", seller, {
        "reference": "PO-2026-1124", "expected_at": "2026-11-25T09:00:00+08:00", "vehicle_no": "粤B·12345",
        "lines": [{"product_id": a.id, "expected_qty": 10, "cartons": 1},
                  {"product_id": b.id, "expected_qty": 5, "cartons": 1},
                  {"product_id": c.id, "expected_qty": 8, "cartons": 1}]}, status=201)
    asn_id, number = created["id"], created["number"]
    assert created["status"] == "draft" and created["seller_code"] == SELLER and len(created["lines"]) == 3
    assert post(client, f"/api/v1/asns/{asn_id}/submit", seller)["status"] == "submitted"
    labels = client.get(f"/api/v1/asns/{asn_id}/carton-labels", headers=seller)
    assert labels.status_code == 200 and labels.mimetype == "application/pdf"
    assert labels.headers["X-Label-Count"] == "3"

    # 2. gate-in: the vehicle arrives with the cartons
    gate = post(client, "/api/v1/gate-passes", op, {"vehicle_no": "粤B·12345", "driver": "张师傅",
                                                     "asns": [{"asn": number, "cartons": 3}]}, status=201, scan=scan_id())
    assert gate["number"].startswith("GI") and gate["cartons"] == 3 and gate["asn_numbers"] == [number]
    assert client.get(f"/api/v1/asns/{asn_id}", headers=seller).get_json()["status"] == "arrived"

    # 3. PDA receiving: open by a carton label, scan, count
    opened = post(client, "/api/v1/receiving/open", op, {"scan": f"{number}-002"}, scan=scan_id())
    assert opened["step"] == "sku" and opened["asn"]["status"] == "receiving"
    first = post(client, "/api/v1/receiving/identify", op, {"asn_id": asn_id, "barcode": h.barcode_of(c.id)},
                 scan=scan_id())
    assert first["step"] == "measure" and first["product"]["first_arrival"]
    h.problem(client.post("/api/v1/receiving/receipts", json={"asn_id": asn_id, "product_id": c.id, "qty": 8},
                          headers=op), 422, "measure_required")
    got_c = post(client, "/api/v1/receiving/receipts", op, {
        "asn_id": asn_id, "barcode": h.barcode_of(c.id), "qty": 8, "weight_kg": "0.250", "length_cm": "12",
        "width_cm": "8", "height_cm": "4"}, scan=scan_id())
    assert got_c["step"] == "sku" and got_c["receipt"]["lpn"].startswith("LPN")
    dbs.refresh(c)
    assert c.weight_kg == Decimal("0.250") and c.first_received_at is not None

    over = client.post("/api/v1/receiving/receipts", json={"asn_id": asn_id, "product_id": a.id, "qty": 12},
                       headers=op)
    h.problem(over, 409, "over_receipt")
    got_a = post(client, "/api/v1/receiving/receipts", op, {"asn_id": asn_id, "product_id": a.id, "qty": 12,
                                                              "reason": "卖家多发2件 two extra"}, scan=scan_id())
    assert got_a["receipt"]["qty"] == 12 and got_a["line"]["received_qty"] == 12
    got_b = post(client, "/api/v1/receiving/receipts", op, {"asn_id": asn_id, "product_id": b.id, "qty": 3},
                 scan=scan_id())
    h.problem(client.post("/api/v1/receiving/receipts", headers=op, json={
        "asn_id": asn_id, "product_id": b.id, "qty": 1, "condition": "damaged"}), 422, "reason_required")
    damaged = post(client, "/api/v1/receiving/receipts", op, {"asn_id": asn_id, "product_id": b.id, "qty": 1,
                                                                "condition": "damaged", "reason": "外箱压坏"},
                   scan=scan_id())
    assert damaged["receipt"]["lpn"] != got_b["receipt"]["lpn"]
    for product, units in ((a, 12), (b, 4), (c, 8)):
        assert stock(dbs, product, "temp_stored") == {("temp_storage", "temp_stored"): units}
        assert book_qty(dbs, product) == book_before[product.id]     # not in the book before customs approves

    # 4. finishing: the short line needs a reason; the receipts become a draft declaration
    h.problem(client.post(f"/api/v1/asns/{asn_id}/finish", json={}, headers=op), 422, "discrepancy_reason_required")
    assert post(client, f"/api/v1/asns/{asn_id}/finish", op, {"reason": "少到1件 one short"})["status"] == "received"
    report = {r["sku"]: r for r in client.get(f"/api/v1/asns/{asn_id}/discrepancies", headers=seller).get_json()}
    assert report[a.sku]["kind"] == "over" and report[a.sku]["difference"] == 2
    assert report[b.sku]["kind"] == "short" and report[b.sku]["damaged_qty"] == 1
    assert c.sku not in report
    declaration = dbs.scalars(sa.select(TempDeclaration).where(TempDeclaration.asn_id == asn_id)).one()
    assert declaration.status == "draft" and len(declaration.lines) == 4

    # 5. customs picks c for a spot check; the declaration goes out as an inbound 核注清单
    c_line = next(l for l in declaration.lines if l.product_id == c.id)
    post(client, f"/api/v1/temp-declarations/{declaration.id}/spot-checks", customs,
         {"line_ids": [c_line.id], "note": "布控查验"}, scan=scan_id())
    declared = post(client, f"/api/v1/temp-declarations/{declaration.id}/declare", customs, scan=scan_id())
    assert declared["status"] == "declared"
    sandbox()
    dbs.expire_all()
    body = client.get(f"/api/v1/temp-declarations/{declaration.id}", headers=seller).get_json()
    assert body["status"] == "accepted" and body["bond_invt_no"].startswith("QD5349")
    log = dbs.execute(sa.select(CustomsMessage.message_type, CustomsMessage.direction, CustomsMessage.status)
                      .where(CustomsMessage.guid == declaration.guid)).all()
    assert ("INV101", "out", "sent") in log
    assert {m for m, d, s in log if d == "in" and s == "processed"} >= {"INV201", "INV211"}

    # approval: a released for putaway, b awaits QC, c held for inspection, the damaged unit is defective
    assert stock(dbs, a) == {("temp_storage", "available"): 12}
    assert stock(dbs, b) == {("temp_storage", "qc_pending"): 3, ("defective", "defective"): 1}
    assert stock(dbs, c) == {("temp_storage", "customs_hold"): 8}
    gate_time = dbs.scalar(sa.select(BookEntry.gate_pass_at).where(BookEntry.doc_no == body["bond_invt_no"]).limit(1))
    assert gate_time is not None
    for product, units in ((a, 12), (b, 4), (c, 8)):
        assert book_qty(dbs, product) == book_before[product.id] + units

    # 6. the inspection of c passes: released, then available with a putaway task
    post(client, f"/api/v1/temp-declaration-lines/{c_line.id}/inspection", op, {"result": "passed"}, scan=scan_id())
    assert stock(dbs, c) == {("temp_storage", "available"): 8}

    # 7. QC of b: one of three is defective
    task = dbs.scalars(sa.select(QcTask).where(QcTask.product_id == b.id, QcTask.status == "open")).one()
    assert task.qty == 3 and task.sample_qty == 3 and task.reason == "product"
    scanned = post(client, "/api/v1/qc/scan", op, {"scan": task.lpn}, scan=scan_id())
    assert scanned["step"] == "inspect" and scanned["task"]["id"] == task.id
    h.problem(client.post(f"/api/v1/qc-tasks/{task.id}/complete", json={"failed_qty": 1}, headers=op), 422,
              "reason_required")
    done = post(client, f"/api/v1/qc-tasks/{task.id}/complete", op, {"failed_qty": 1, "defect_reason": "划痕"},
                scan=scan_id())
    assert done["status"] == "done" and done["passed_qty"] == 2
    assert stock(dbs, b) == {("temp_storage", "available"): 2, ("defective", "defective"): 2}

    # 8. the defective units of b are destroyed under customs supervision
    defective = dbs.scalars(sa.select(StockBalance).where(StockBalance.product_id == b.id,
                                                          StockBalance.status == "defective", StockBalance.qty > 0)).all()
    disposal = post(client, "/api/v1/disposals", boss, {
        "seller_id": h.seller_id(SELLER), "kind": "destroy", "reason": "破损与质检不良",
        "lines": [{"product_id": b.id, "location": d.location.code, "lpn": d.lpn, "qty": d.qty} for d in defective]},
        status=201)
    post(client, f"/api/v1/disposals/{disposal['id']}/approve", customs, scan=scan_id())
    h.problem(client.post(f"/api/v1/disposals/{disposal['id']}/complete", json={}, headers=customs), 422,
              "customs_ref_required")
    completed = post(client, f"/api/v1/disposals/{disposal['id']}/complete", customs,
                     {"customs_ref": "QD534926E000000123"}, scan=scan_id())
    assert completed["status"] == "completed"
    assert stock(dbs, b) == {("temp_storage", "available"): 2}
    assert book_qty(dbs, b) == book_before[b.id] + 2

    # 9. putaway: scan the LPN, take the suggestion (or another location, with a reason)
    for product in (a, b, c):
        task = dbs.scalars(sa.select(PutawayTask).where(PutawayTask.product_id == product.id,
                                                        PutawayTask.status == "open")).one()
        shown = post(client, "/api/v1/putaway/scan", op, {"scan": task.lpn}, scan=scan_id())
        assert shown["step"] == "location" and shown["task"]["suggested_location"]
        target = shown["task"]["suggested_location"]
        if product is c:
            other = dbs.scalars(sa.select(Location).join(Zone).where(
                Zone.kind == "storage", Location.code != target,
                ~Location.id.in_(sa.select(StockBalance.location_id).where(StockBalance.qty > 0)))
                .order_by(Location.pick_sequence.desc())).first()
            h.problem(client.post(f"/api/v1/putaway-tasks/{task.id}/complete", json={"location": other.code},
                                  headers=op), 422, "putaway_reason_required")
            target = other.code
        stored = post(client, f"/api/v1/putaway-tasks/{task.id}/complete", op,
                      {"location": target, "reason": "就近 closer" if product is c else ""}, scan=scan_id())
        assert stored["step"] == "lpn" and stored["task"]["to_location"] == target
    for product, units in ((a, 12), (b, 2), (c, 8)):
        assert stock(dbs, product) == {("storage", "available"): units}

    # the ledger holds, the book reconciles, every movement names its document
    assert ledger.check() == []
    assert book.reconcile() == []
    kinds = dict(dbs.execute(sa.select(Movement.doc_type, sa.func.count()).where(Movement.doc_ref.in_(
        [number, declaration.number])).group_by(Movement.doc_type)).all())
    assert kinds["asn"] == 4 and kinds["temp_declaration"] >= 4


def test_receiving_scan_is_idempotent(client, login, dbs, scan_id):
    op = login("op01")
    asn = dbs.scalars(sa.select(TempDeclaration.asn_id)).first()
    from wms.inbound.models import Asn
    arrived = dbs.scalars(sa.select(Asn).where(Asn.status == "arrived", Asn.seller_id == h.seller_id(SELLER))).first()
    assert arrived is not None and asn is not None
    line = arrived.lines[0]
    key = scan_id()
    payload = {"asn_id": arrived.id, "product_id": line.product_id, "qty": 2}
    first = client.post("/api/v1/receiving/receipts", json=payload, headers=op | {"Idempotency-Key": key})
    again = client.post("/api/v1/receiving/receipts", json=payload, headers=op | {"Idempotency-Key": key})
    assert first.status_code == again.status_code == 200
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert first.get_json()["receipt"]["lpn"] == again.get_json()["receipt"]["lpn"]
    dbs.refresh(line)
    assert line.received_qty == 2


def test_unknown_barcode_echoes_the_scan_and_can_be_linked(client, login, dbs, scan_id):
    op = login("op01")
    from wms.inbound.models import Asn
    arrived = dbs.scalars(sa.select(Asn).where(Asn.status == "arrived", Asn.seller_id == h.seller_id(SELLER))).first()
    scanned = "６９９９９９９９９９９９４"           # full-width digits, as some scanners send
    body = h.problem(client.post("/api/v1/receiving/identify", json={"asn_id": arrived.id, "barcode": scanned},
                                 headers=op), 404, "unknown_barcode")
    assert body["scanned"] == scanned
    product_id = arrived.lines[0].product_id
    linked = post(client, "/api/v1/receiving/link-barcode", op, {"asn_id": arrived.id, "scanned": scanned,
                                                                  "product_id": product_id}, scan=scan_id())
    assert linked["product"]["id"] == product_id
    again = post(client, "/api/v1/receiving/identify", op, {"asn_id": arrived.id, "barcode": scanned})
    assert again["product"]["id"] == product_id
    aside = post(client, "/api/v1/receiving/set-aside", op, {"asn_id": arrived.id, "scanned": "NO-LABEL-盒子",
                                                             "note": "无标签纸箱"}, scan=scan_id())
    assert aside["scanned"] == "NO-LABEL-盒子"


def test_gs1_code_carries_lot_and_expiry(client, login, dbs, scan_id):
    op = login("op01")
    from wms.inbound.models import Asn
    arrived = dbs.scalars(sa.select(Asn).where(Asn.status == "arrived", Asn.seller_id == h.seller_id(SELLER))).first()
    gtin = h.barcode_of(arrived.lines[0].product_id)
    code = f"]C101{gtin.zfill(14)}17271231\x1d10L2411-07"
    found = post(client, "/api/v1/receiving/identify", op, {"asn_id": arrived.id, "barcode": code})
    assert found["lot"] == "L2411-07" and found["expiry"] == "2027-12-31"


def test_seller_cannot_receive_or_see_another_sellers_forecast(client, login, dbs):
    from wms.inbound.models import Asn
    other = dbs.scalars(sa.select(Asn).where(Asn.seller_id == h.seller_id("SZ-JINYI"))).first()
    h.problem(client.get(f"/api/v1/asns/{other.id}", headers=login("anke")), 404, "record_not_found")
    h.problem(client.post("/api/v1/receiving/open", json={"scan": other.number}, headers=login("anke")), 403)


def test_edit_only_while_draft_and_events_name_the_state(client, login, dbs):
    from wms.inbound.models import Asn
    submitted = dbs.scalars(sa.select(Asn).where(Asn.status == "submitted", Asn.mode == "stock",
                                                 Asn.seller_id == h.seller_id(SELLER))).first()
    body = h.problem(client.patch(f"/api/v1/asns/{submitted.id}", json={"note": "x"}, headers=login("anke")), 409,
                     "asn_not_editable")
    assert body["current_state"] == "submitted"
    body = h.problem(client.post(f"/api/v1/asns/{submitted.id}/close", json={}, headers=login("supervisor")), 409,
                     "invalid_transition")
    assert body["current_state"] == "submitted" and "gate_in" in body["allowed_events"]


def test_inspection_found_by_scanning_the_held_lpn(client, login, dbs, scan_id):
    from wms.inbound.models import TempDeclarationLine
    held = dbs.scalars(sa.select(TempDeclarationLine).where(TempDeclarationLine.spot_check.is_(True),
                                                            TempDeclarationLine.inspection_result == "")).first()
    op = login("op01")
    found = post(client, "/api/v1/inspection/scan", op, {"scan": held.receipt.lpn.lower()}, scan=scan_id())
    assert found["step"] == "inspection" and found["line"]["id"] == held.id and found["line"]["qty"] == held.qty
    post(client, f"/api/v1/temp-declaration-lines/{held.id}/inspection", op, {"result": "seized", "note": "侵权"},
         scan=scan_id())
    assert dbs.scalar(sa.select(StockBalance.status).where(StockBalance.lpn == held.receipt.lpn,
                                                           StockBalance.qty > 0)) == "seized"
    h.problem(client.post("/api/v1/inspection/scan", json={"scan": held.receipt.lpn}, headers=op), 404,
              "no_held_goods")
    h.problem(client.post(f"/api/v1/temp-declaration-lines/{held.id}/inspection", json={"result": "passed"},
                          headers=op), 409, "already_inspected")


def test_customs_taking_the_list_for_review_holds_every_line(client, login, dbs, scan_id):
    """The gateway's 转人工 answer (INV201 manageResult 2) is customs' spot check: once approved, all held."""
    from wms.inbound.models import Asn
    op = login("op01")
    arrived = dbs.scalars(sa.select(Asn).where(Asn.status == "arrived", Asn.seller_id == h.seller_id(SELLER))).first()
    for line in arrived.lines:
        post(client, "/api/v1/receiving/receipts", op, {"asn_id": arrived.id, "product_id": line.product_id,
                                                          "qty": line.expected_qty}, scan=scan_id())
    post(client, f"/api/v1/asns/{arrived.id}/finish", op, scan=scan_id())
    declaration = dbs.scalars(sa.select(TempDeclaration).where(TempDeclaration.asn_id == arrived.id)).one()
    post(client, f"/api/v1/temp-declarations/{declaration.id}/declare", login("customs"), scan=scan_id())
    gateway = SandboxGateway(delay_seconds=0, reject_rate=0, inspect_rate=1)
    for _ in range(4):
        run_once(gateway)
    dbs.expire_all()
    body = client.get(f"/api/v1/temp-declarations/{declaration.id}", headers=op).get_json()
    assert body["status"] == "accepted" and all(l["spot_check"] for l in body["lines"])
    lpns = [l["lpn"] for l in body["lines"]]
    statuses = set(dbs.scalars(sa.select(StockBalance.status).where(StockBalance.lpn.in_(lpns), StockBalance.qty > 0)))
    assert statuses == {"customs_hold"}
