"""Inbound screens through the real routes and a signed-in session: forecasts (list, form with lines, events,
Excel lines, downloads), gate-in, temp-storage declarations with spot checks, QC, putaway, occupancy,
disposals — roles, seller scoping, and what each form changes in the database."""
from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from tests.web.test_screens import HTML, csrf
from wms.inbound.models import Asn, Disposal, QcTask, TempDeclaration
from wms.masterdata.models import Product, Seller


@pytest.fixture
def sign_in(client):
    def _sign_in(username: str, password: str):
        token = csrf(client.get("/login"))
        response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
        assert response.status_code == 302
        return response
    return _sign_in


def seller_id(dbs, code: str) -> int:
    return dbs.scalar(sa.select(Seller.id).where(Seller.code == code))


def demo_asn(dbs, code: str, status: str, mode: str = "stock") -> Asn:
    return dbs.scalars(sa.select(Asn).where(Asn.seller_id == seller_id(dbs, code), Asn.status == status,
                                            Asn.mode == mode).order_by(Asn.id)).first()


def approved(dbs, code: str, count: int) -> list[Product]:
    """Approved products of a seller that the demo forecasts do not use."""
    used = sa.select(sa.text("product_id")).select_from(sa.text("asn_lines"))
    return dbs.scalars(sa.select(Product).where(Product.seller_id == seller_id(dbs, code),
                                                Product.filing_status == "approved", Product.lot_tracked.is_(False),
                                                ~Product.id.in_(used))
                       .order_by(Product.id).limit(count)).all()


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_pages_render_for_the_right_roles_and_refuse_the_others(client, sign_in, dbs):
    asn = demo_asn(dbs, "SZ-ANKE", "received")
    declaration = dbs.scalars(sa.select(TempDeclaration).order_by(TempDeclaration.id)).first()
    task = dbs.scalars(sa.select(QcTask).order_by(QcTask.id)).first()
    disposal = dbs.scalars(sa.select(Disposal).order_by(Disposal.id)).first()
    assert declaration is not None and task is not None and disposal is not None
    staff_pages = ["/admin/asns", "/admin/asns/new", f"/admin/asns/{asn.id}", "/admin/gate-passes", "/admin/gate-in",
                   "/admin/temp-declarations", f"/admin/temp-declarations/{declaration.id}", "/admin/qc-tasks",
                   f"/admin/qc-tasks/{task.id}", "/admin/putaway-tasks", "/admin/occupancy",
                   "/admin/occupancy?zone_id=1&q=A", "/admin/disposals", "/admin/disposals/new",
                   f"/admin/disposals/new?seller_id={disposal.seller_id}", f"/admin/disposals/{disposal.id}",
                   "/admin/asns?status=submitted&mode=stock&sort=-number&q=ASN"]
    sign_in("supervisor", "super-demo")
    for page in staff_pages:
        assert client.get(page, headers=HTML).status_code == 200, page
    home = text_of(client.get("/", headers=HTML))
    for entry in ("/admin/asns", "/admin/gate-passes", "/admin/temp-declarations", "/admin/qc-tasks",
                  "/admin/putaway-tasks", "/admin/occupancy", "/admin/disposals"):
        assert f'href="{entry}"' in home
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    for fmt, mimetype in (("csv", "text/csv"), ("xlsx", xlsx)):
        export = client.get(f"/admin/asns?status=submitted&format={fmt}")
        assert export.status_code == 200 and export.mimetype == mimetype

    sign_in("anke", "anke-demo")
    for page in ("/oms/asns", "/oms/asns/new", f"/oms/asns/{asn.id}", "/oms/temp-declarations", "/oms/disposals",
                 "/oms/asns/lines-template.xlsx", "/oms/products/import-template.xlsx"):
        assert client.get(page, headers=HTML).status_code == 200, page
    for page in ("/admin/gate-in", "/admin/gate-passes", "/admin/qc-tasks", f"/admin/qc-tasks/{task.id}",
                 "/admin/putaway-tasks", "/admin/occupancy", "/admin/disposals/new"):
        assert client.get(page, headers=HTML).status_code == 403, page
    home = text_of(client.get("/", headers=HTML))
    assert 'href="/oms/asns"' in home and "/admin/gate-passes" not in home and "/admin/qc-tasks" not in home
    assert "/oms/products/import-template.xlsx" in text_of(client.get("/oms/products", headers=HTML))

    sign_in("op01", "op01-demo")
    for page in ("/admin/gate-in", "/admin/qc-tasks", "/admin/putaway-tasks", "/admin/occupancy"):
        assert client.get(page, headers=HTML).status_code == 200, page
    for page in ("/admin/asns/new", "/admin/disposals/new"):
        assert client.get(page, headers=HTML).status_code == 403, page
    token = csrf(client.get("/admin/asns", headers=HTML))
    assert client.post(f"/admin/temp-declarations/{declaration.id}/declare", data={"csrf_token": token},
                       headers=HTML).status_code == 403
    assert client.post(f"/admin/disposals/{disposal.id}/approve", data={"csrf_token": token},
                       headers=HTML).status_code == 403

    sign_in("customs", "customs-demo")
    assert client.get(f"/admin/qc-tasks/{task.id}", headers=HTML).status_code == 200
    assert client.post(f"/admin/qc-tasks/{task.id}", data={"csrf_token": token, "failed_qty": "0"},
                       headers=HTML).status_code == 403
    assert client.get("/admin/gate-in", headers=HTML).status_code == 200


def test_seller_sees_only_own_forecasts(client, sign_in, dbs):
    own = demo_asn(dbs, "SZ-ANKE", "submitted")
    other = demo_asn(dbs, "SZ-JINYI", "submitted")
    sign_in("anke", "anke-demo")
    page = text_of(client.get("/oms/asns?per_page=500", headers=HTML))
    assert own.number in page and other.number not in page
    assert client.get(f"/oms/asns/{other.id}", headers=HTML).status_code == 404
    assert client.get(f"/oms/asns/{other.id}/carton-labels.pdf", headers=HTML).status_code == 404
    token = csrf(client.get("/oms/asns", headers=HTML))
    assert client.post(f"/oms/asns/{other.id}/cancel", data={"csrf_token": token}, headers=HTML).status_code == 404
    dbs.refresh(other)
    assert other.status == "submitted"
    export = text_of(client.get("/oms/asns?format=csv"))
    assert own.number in export and other.number not in export


def test_seller_creates_a_forecast_with_two_lines_and_submits_it(client, sign_in, dbs):
    a, b = approved(dbs, "SZ-ANKE", 2)
    carrier = dbs.scalar(sa.text("SELECT id FROM carriers ORDER BY id LIMIT 1"))
    sign_in("anke", "anke-demo")
    client.set_cookie("lang", "zh-CN")
    form = client.get("/oms/asns/new", headers=HTML)
    assert a.sku in text_of(form)                      # offered in the SKU list
    token = csrf(form)
    data = {"csrf_token": token, "reference": "PO-SCREEN-1", "mode": "stock", "expected_at": "2026-11-26T09:30",
            "carrier_id": str(carrier), "vehicle_no": "粤B·S0001", "driver": "李师傅", "cartons": "", "note": "屏幕测试",
            "line_sku": [a.sku, b.sku, ""], "line_expected_qty": ["10", "x", ""], "line_cartons": ["1", "2", ""],
            "line_lot": ["", "", ""], "line_expiry": ["", "", ""]}
    bad = client.post("/oms/asns/new", data=data, headers=HTML)
    assert bad.status_code == 422 and "不是有效的整数" in text_of(bad)
    assert dbs.scalar(sa.select(sa.func.count(Asn.id)).where(Asn.reference == "PO-SCREEN-1")) == 0
    data["line_expected_qty"] = ["10", "6", ""]
    created = client.post("/oms/asns/new", data=data, headers=HTML)
    assert created.status_code == 302
    asn = dbs.scalars(sa.select(Asn).where(Asn.reference == "PO-SCREEN-1")).one()
    assert asn.status == "draft" and asn.seller_id == seller_id(dbs, "SZ-ANKE") and asn.carrier_id == carrier
    assert [(l.product_id, l.expected_qty, l.cartons) for l in asn.lines] == [(a.id, 10, 1), (b.id, 6, 2)]
    assert asn.cartons == 3 and asn.driver == "李师傅"
    assert created.location == f"/oms/asns/{asn.id}"

    detail = client.get(f"/oms/asns/{asn.id}", headers=HTML)
    text = text_of(detail)
    assert "草稿" in text and f"/oms/asns/{asn.id}/submit" in text and a.sku in text
    edited = client.post(f"/oms/asns/{asn.id}/edit", headers=HTML, data=data | {
        "line_sku": [a.sku, b.sku], "line_expected_qty": ["12", "6"], "line_cartons": ["1", "2"],
        "line_lot": ["", ""], "line_expiry": ["", ""]})
    assert edited.status_code == 302
    dbs.refresh(asn)
    assert [l.expected_qty for l in asn.lines] == [12, 6]

    submitted = client.post(f"/oms/asns/{asn.id}/submit", data={"csrf_token": token}, headers=HTML)
    assert submitted.status_code == 302
    dbs.refresh(asn)
    assert asn.status == "submitted"
    after = text_of(client.get(f"/oms/asns/{asn.id}", headers=HTML))
    assert "已提交" in after and f"/oms/asns/{asn.id}/carton-labels.pdf" in after
    labels = client.get(f"/oms/asns/{asn.id}/carton-labels.pdf")
    assert labels.status_code == 200 and labels.mimetype == "application/pdf" and labels.headers["X-Label-Count"] == "3"

    # a change after submission is refused with the problem and what is allowed now
    refused = client.post(f"/oms/asns/{asn.id}/submit", data={"csrf_token": token}, headers=HTML,
                          follow_redirects=True)
    text = text_of(refused)
    assert "409" in text and "当前可执行" in text
    assert client.get(f"/oms/asns/{asn.id}/edit", headers=HTML).status_code == 302


def test_excel_upload_with_a_bad_row_lists_it_and_changes_nothing(client, sign_in, dbs):
    draft = demo_asn(dbs, "SZ-ANKE", "draft")
    before = [(l.product_id, l.expected_qty) for l in draft.lines]
    sku = approved(dbs, "SZ-ANKE", 1)[0].sku
    book = Workbook()
    sheet = book.active
    sheet.append(["SKU", "预报数量", "箱数"])
    sheet.append([sku, 5, 1])
    sheet.append(["NO-SUCH-SKU-9", 3, 1])
    buffer = io.BytesIO()
    book.save(buffer)
    sign_in("anke", "anke-demo")
    client.set_cookie("lang", "en")
    page = client.get(f"/oms/asns/{draft.id}", headers=HTML)
    assert f"/oms/asns/{draft.id}/lines/import" in text_of(page) and "/oms/asns/lines-template.xlsx" in text_of(page)
    response = client.post(f"/oms/asns/{draft.id}/lines/import", headers=HTML, content_type="multipart/form-data",
                           data={"csrf_token": csrf(page), "file": (io.BytesIO(buffer.getvalue()), "lines.xlsx")})
    text = text_of(response)
    assert response.status_code == 422
    assert re.search(r'<td class="num">3</td><td>.*NO-SUCH-SKU-9', text)
    dbs.expire_all()
    assert [(l.product_id, l.expected_qty) for l in dbs.get(Asn, draft.id).lines] == before

    good = Workbook()
    good.active.append(["SKU", "预报数量", "箱数"])
    good.active.append([sku, 5, 1])
    buffer = io.BytesIO()
    good.save(buffer)
    done = client.post(f"/oms/asns/{draft.id}/lines/import", content_type="multipart/form-data",
                       data={"csrf_token": csrf(page), "file": (io.BytesIO(buffer.getvalue()), "lines.xlsx")})
    assert done.status_code == 302
    dbs.expire_all()
    assert [(l.product.sku, l.expected_qty) for l in dbs.get(Asn, draft.id).lines] == [(sku, 5)]


def test_gate_in_form_moves_a_submitted_forecast_to_arrived(client, sign_in, dbs):
    asn = demo_asn(dbs, "SZ-JINYI", "submitted")
    sign_in("op01", "op01-demo")
    page = client.get("/admin/gate-in", headers=HTML)
    assert asn.number in text_of(page)
    token = csrf(page)
    missing = client.post("/admin/gate-in", headers=HTML, data={"csrf_token": token, "vehicle_no": "",
                                                                 "asn": [asn.number], "asn_cartons": ["2"]})
    assert missing.status_code == 422
    unknown = client.post("/admin/gate-in", headers=HTML, data={"csrf_token": token, "vehicle_no": "粤B·G0001",
                                                                 "asn": ["ASN000000"], "asn_cartons": [""]})
    assert unknown.status_code == 404 and "ASN000000" in text_of(unknown)
    response = client.post("/admin/gate-in", headers=HTML, data={
        "csrf_token": token, "vehicle_no": "粤B·G0001", "driver": "王师傅", "seal_no": "SEAL-778",
        "gross_weight_kg": "1250.5", "asn": [asn.number, ""], "asn_cartons": ["3", ""]})
    assert response.status_code == 302
    dbs.refresh(asn)
    assert asn.status == "arrived" and asn.cartons_arrived == 3
    assert asn.gate_pass.seal_no == "SEAL-778" and asn.gate_pass.vehicle_no == "粤B·G0001"
    assert asn.gate_pass.number in text_of(client.get("/admin/gate-passes", headers=HTML))


def test_declaration_spot_check_and_declare_on_screen(client, sign_in, dbs):
    from wms.inbound import receiving
    asn = demo_asn(dbs, "SZ-ANKE", "arrived")
    receiving.open_asn(asn.number)
    for line in asn.lines:
        receiving.receive(asn.id, {"product_id": line.product_id, "qty": line.expected_qty})
    receiving.finish(asn)
    dbs.flush()
    declaration = dbs.scalars(sa.select(TempDeclaration).where(TempDeclaration.asn_id == asn.id)).one()
    assert declaration.status == "draft" and len(declaration.lines) == 2
    second = declaration.lines[1]

    sign_in("customs", "customs-demo")
    client.set_cookie("lang", "zh-CN")
    page = client.get(f"/admin/temp-declarations/{declaration.id}", headers=HTML)
    text = text_of(page)
    assert f'name="line_ids" value="{second.id}"' in text and "/declare" in text
    token = csrf(page)
    checked = client.post(f"/admin/temp-declarations/{declaration.id}/spot-checks", headers=HTML,
                          data={"csrf_token": token, "line_ids": [str(second.id)], "note": "布控查验"},
                          follow_redirects=True)
    assert "已标记 1 行海关抽查" in text_of(checked)
    dbs.refresh(second)
    assert second.spot_check and second.inspection_note == "布控查验"
    assert not declaration.lines[0].spot_check
    declared = client.post(f"/admin/temp-declarations/{declaration.id}/declare", headers=HTML,
                           data={"csrf_token": token}, follow_redirects=True)
    assert "已向海关申报" in text_of(declared)
    dbs.refresh(declaration)
    assert declaration.status == "declared" and declaration.guid
    again = client.post(f"/admin/temp-declarations/{declaration.id}/declare", headers=HTML,
                        data={"csrf_token": token}, follow_redirects=True)
    assert "409" in text_of(again)

    # customs approves: the spot-checked line is held and its inspection result is recorded on screen
    from wms.inbound import declarations
    declarations.accept(declaration)
    dbs.flush()
    page = text_of(client.get(f"/admin/temp-declarations/{declaration.id}", headers=HTML))
    assert f"/admin/temp-declaration-lines/{second.id}/inspection" in page
    done = client.post(f"/admin/temp-declaration-lines/{second.id}/inspection", headers=HTML,
                       data={"csrf_token": token, "result": "passed", "note": "开箱查验无误"}, follow_redirects=True)
    assert "查验结果已记录" in text_of(done)
    dbs.refresh(second)
    assert (second.inspection_result, second.inspection_note) == ("passed", "开箱查验无误")


def test_qc_desk_completes_a_task(client, sign_in, dbs):
    task = dbs.scalars(sa.select(QcTask).where(QcTask.status == "open").order_by(QcTask.id)).first()
    sign_in("op01", "op01-demo")
    page = client.get(f"/admin/qc-tasks/{task.id}", headers=HTML)
    token = csrf(page)
    no_reason = client.post(f"/admin/qc-tasks/{task.id}", headers=HTML,
                            data={"csrf_token": token, "failed_qty": "1", "defect_reason": ""})
    assert no_reason.status_code == 422
    dbs.refresh(task)
    assert task.status == "open"
    done = client.post(f"/admin/qc-tasks/{task.id}", headers=HTML,
                       data={"csrf_token": token, "failed_qty": "1", "defect_reason": "划痕 scratched"})
    assert done.status_code == 302
    dbs.refresh(task)
    assert (task.status, task.failed_qty, task.passed_qty) == ("done", 1, task.qty - 1)


def test_disposal_created_from_defective_stock_and_approved(client, sign_in, dbs):
    from wms.inventory.models import StockBalance
    balance = dbs.scalars(sa.select(StockBalance).where(StockBalance.status == "defective", StockBalance.qty > 0)
                          .order_by(StockBalance.id)).first()
    sign_in("supervisor", "super-demo")
    page = client.get(f"/admin/disposals/new?seller_id={balance.seller_id}", headers=HTML)
    assert f'name="qty_{balance.id}"' in text_of(page)
    token = csrf(page)
    too_many = client.post("/admin/disposals/new", headers=HTML, data={
        "csrf_token": token, "seller_id": balance.seller_id, "kind": "return", "reason": "退回卖家",
        f"qty_{balance.id}": str(balance.qty + 1000)})
    assert too_many.status_code == 422
    created = client.post("/admin/disposals/new", headers=HTML, data={
        "csrf_token": token, "seller_id": balance.seller_id, "kind": "return", "reason": "退回卖家",
        f"qty_{balance.id}": "1"})
    assert created.status_code == 302
    disposal = dbs.scalars(sa.select(Disposal).where(Disposal.reason == "退回卖家")).one()
    assert disposal.status == "draft" and disposal.lines[0].qty == 1
    client.post(f"/admin/disposals/{disposal.id}/approve", data={"csrf_token": token})
    dbs.refresh(disposal)
    assert disposal.status == "approved"


def test_staff_forecast_for_a_seller_parcels_and_labels_before_submission(client, sign_in, dbs):
    leju = seller_id(dbs, "SZ-LEJU")
    [product] = approved(dbs, "SZ-LEJU", 1)
    parcel = demo_asn(dbs, "SZ-ANKE", "submitted", mode="parcel")
    sign_in("supervisor", "super-demo")
    client.set_cookie("lang", "en")
    page = client.get("/admin/asns/new", headers=HTML)
    assert 'name="seller_id"' in text_of(page)
    token = csrf(page)
    no_seller = client.post("/admin/asns/new", headers=HTML, data={
        "csrf_token": token, "mode": "stock", "line_sku": [product.sku], "line_expected_qty": ["4"]})
    assert no_seller.status_code == 422 and "Missing data for required field." in text_of(no_seller)
    created = client.post("/admin/asns/new", headers=HTML, data={
        "csrf_token": token, "seller_id": str(leju), "reference": "PO-STAFF-1", "mode": "stock", "cartons": "5",
        "line_sku": [product.sku], "line_expected_qty": ["4"], "line_cartons": [""], "line_lot": [""],
        "line_expiry": ["2027-06-30"]})
    assert created.status_code == 302
    asn = dbs.scalars(sa.select(Asn).where(Asn.reference == "PO-STAFF-1")).one()
    assert asn.seller_id == leju and asn.cartons == 5 and str(asn.lines[0].expiry) == "2027-06-30"
    early = client.get(f"/admin/asns/{asn.id}/carton-labels.pdf", headers=HTML, follow_redirects=True)
    assert early.status_code == 200 and "409" in text_of(early) and "Draft" in text_of(early)

    detail = text_of(client.get(f"/admin/asns/{parcel.id}", headers=HTML))
    assert parcel.parcels[0].waybill_no in detail and "Parcels" in detail

