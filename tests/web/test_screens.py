"""Screens through the real routes: sign-in with CSRF, lists (search, sort, page, export), forms with
validation messages, sellers limited to their own records, zh-CN/en."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from wms.masterdata.models import Product, Seller

HTML = {"Accept": "text/html"}


def csrf(response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True)).group(1)


@pytest.fixture
def sign_in(client):
    def _sign_in(username: str, password: str):
        token = csrf(client.get("/login"))
        return client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    return _sign_in


def test_screens_need_sign_in(client):
    response = client.get("/admin/products", headers=HTML)
    assert response.status_code == 302 and response.location.startswith("/login?next=/admin/products")


def test_sign_in_rejects_wrong_password_and_form_without_csrf(client, sign_in):
    assert sign_in("admin", "wrong-password").status_code == 401
    response = client.post("/login", data={"username": "admin", "password": "admin-demo"}, headers=HTML)
    assert response.status_code == 403
    assert "表单已过期" in response.get_data(as_text=True) or "form expired" in response.get_data(as_text=True)


def test_list_search_sort_page_and_export(client, sign_in):
    assert sign_in("admin", "admin-demo").status_code == 302
    page = client.get("/admin/products?q=耳机&sort=-sku", headers=HTML).get_data(as_text=True)
    skus = re.findall(r'<a href="/admin/products/\d+">([^<]+)</a>', page)
    assert skus and skus == sorted(skus, reverse=True)
    second = client.get("/admin/locations?page=2&per_page=10", headers=HTML).get_data(as_text=True)
    assert "2 / 216" in second
    export = client.get("/admin/products?q=耳机&format=csv")
    assert export.mimetype == "text/csv"
    lines = export.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert len(lines) == 1 + len(skus)


def test_form_shows_field_errors_in_chinese_and_saves_valid_input(client, sign_in, dbs):
    sign_in("admin", "admin-demo")
    client.set_cookie("lang", "zh-CN")
    form = client.get("/admin/products/new", headers=HTML)
    token = csrf(form)
    bad = client.post("/admin/products/new", headers=HTML, data={
        "csrf_token": token, "sku": "NEW-1", "name_zh": "", "hs_code": "12345", "barcodes": "6901234567893"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "HS 编码必须为 10 位数字" in text and "校验位错误" in text
    seller = dbs.scalar(sa.select(Seller.id).where(Seller.code == "SZ-LEJU"))
    good = client.post("/admin/products/new", headers=HTML, data={
        "csrf_token": token, "seller_id": seller, "sku": "NEW-1", "name_zh": "测试水杯", "hs_code": "9617001100",
        "barcodes": "6901234567892", "origin_country_id": "1", "currency_id": "1", "declared_price": "9.9",
        "liquid": "on"})
    assert good.status_code == 302
    product = dbs.scalars(sa.select(Product).where(Product.sku == "NEW-1")).one()
    assert product.liquid and not product.battery and product.unit == "011"
    assert product.barcode_codes == ["6901234567892"]


def test_seller_sees_only_own_products_and_cannot_open_others(client, sign_in, dbs):
    sign_in("anke", "anke-demo")
    page = client.get("/oms/products?per_page=500", headers=HTML).get_data(as_text=True)
    assert "SZ-ANKE" in page and "SZ-JINYI" not in page and "SZ-LEJU" not in page
    other = dbs.scalar(sa.select(Product.id).join(Seller).where(Seller.code == "SZ-JINYI").limit(1))
    assert client.get(f"/oms/products/{other}", headers=HTML).status_code == 404
    assert client.get("/oms/locations", headers=HTML).status_code == 403
    assert "/oms/locations" not in client.get("/", headers=HTML).get_data(as_text=True)


def test_filing_buttons_follow_role_and_state(client, sign_in, dbs):
    product = dbs.scalars(sa.select(Product).join(Seller).where(Seller.code == "SZ-ANKE",
                                                                Product.filing_status == "draft")).first()
    sign_in("anke", "anke-demo")
    page = client.get(f"/oms/products/{product.id}", headers=HTML)
    assert f"/oms/products/{product.id}/filing/declare" in page.get_data(as_text=True)
    client.post(f"/oms/products/{product.id}/filing/declare", data={"csrf_token": csrf(page)})
    dbs.refresh(product)
    assert product.filing_status == "declared"
    assert "/filing/approve" not in client.get(f"/oms/products/{product.id}").get_data(as_text=True)


def test_language_switch(client, sign_in):
    sign_in("admin", "admin-demo")
    client.get("/lang/en")
    assert "Products" in client.get("/admin/products", headers=HTML).get_data(as_text=True)
    client.get("/lang/zh-CN")
    assert "商品" in client.get("/admin/products", headers=HTML).get_data(as_text=True)


def test_deactivate_keeps_the_row(client, sign_in, dbs):
    sign_in("supervisor", "super-demo")
    page = client.get("/admin/packaging-materials/1", headers=HTML)
    client.post("/admin/packaging-materials/1/deactivate", data={"csrf_token": csrf(page)})
    from wms.masterdata.models import PackagingMaterial
    material = dbs.get(PackagingMaterial, 1)
    dbs.refresh(material)
    assert material.active is False


def test_supervisor_closes_a_scan_exception_on_screen(client, sign_in, dbs):
    from wms.auth.models import User
    from wms.scanning.models import ScanException
    operator = dbs.scalar(sa.select(User.id).where(User.username == "op01"))
    item = ScanException(user_id=operator, method="POST", path="/api/v1/moves", status_code=409,
                         problem={"code": "insufficient_stock", "detail": "库存不足：可用 0，需要 5。"})
    dbs.add(item)
    dbs.flush()
    sign_in("supervisor", "super-demo")
    page = client.get("/admin/scan-exceptions?state=open", headers=HTML)
    text = page.get_data(as_text=True)
    assert "库存不足" in text and f"/admin/scan-exceptions/{item.id}/resolve" in text
    client.post(f"/admin/scan-exceptions/{item.id}/resolve", data={"csrf_token": csrf(page), "note": "已盘点"})
    dbs.refresh(item)
    assert (item.state, item.resolution_note) == ("resolved", "已盘点")
    assert client.get("/admin/scan-exceptions", headers={**HTML}).status_code == 200
    sign_in("op01", "op01-demo")
    assert client.get("/admin/scan-exceptions", headers=HTML).status_code == 403


def test_seller_imports_filings_from_the_products_screen(client, sign_in, dbs):
    import io

    from tests.api.test_product_import import row, workbook
    sign_in("leju", "leju-demo")
    client.set_cookie("lang", "zh-CN")
    page = client.get("/oms/products", headers=HTML)
    assert "/oms/products/import" in page.get_data(as_text=True)
    token = csrf(page)
    bad = client.post("/oms/products/import", headers=HTML, content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(workbook(row("SCR-1", hs="12"))), "f.xlsx")})
    assert bad.status_code == 422 and "HS 编码必须为 10 位数字" in bad.get_data(as_text=True)
    good = client.post("/oms/products/import", content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(workbook(row("SCR-1"))), "f.xlsx")})
    assert good.status_code == 302
    assert dbs.scalar(sa.select(Product.filing_status).where(Product.sku == "SCR-1")) == "draft"


def test_customs_screens_show_records_timelines_messages_and_reconciliation(client, sign_in, dbs):
    from tests.customs import demo
    from wms.customs import service
    from wms.customs.gateway import SandboxGateway
    [message] = service.declare([demo.inventory(cop_no="SCREEN-INV-1")], match=False)
    for _ in range(8):
        service.run_once(SandboxGateway(delay_seconds=0, reject_rate=0, inspect_rate=0))
    sign_in("customs", "customs-demo")
    client.set_cookie("lang", "zh-CN")
    records = client.get("/admin/customs-records", headers=HTML).get_data(as_text=True)
    assert "SCREEN-INV-1" in records and "结关" in records
    from wms.customs.models import CustomsRecord
    record = dbs.scalars(sa.select(CustomsRecord).where(CustomsRecord.cop_no == "SCREEN-INV-1")).one()
    timeline = client.get(f"/admin/customs-records/{record.id}", headers=HTML).get_data(as_text=True)
    assert "海关时间线" in timeline and "status_800" in timeline and "海关放行" in timeline
    detail = client.get(f"/admin/customs-messages/{message.id}", headers=HTML).get_data(as_text=True)
    assert "CEB603Message" in detail and "SCREEN-INV-1" in detail
    assert "账册各料号余量与保税实物库存一致" in client.get("/admin/book-reconciliation", headers=HTML).get_data(as_text=True)
    sign_in("op01", "op01-demo")
    assert client.get("/admin/customs-messages", headers=HTML).status_code == 403


def test_forms_without_a_token_are_refused_even_before_one_was_issued(client):
    response = client.post("/login", data={"username": "admin", "password": "admin-demo"}, headers=HTML)
    assert response.status_code == 403


@pytest.mark.parametrize("target", ["//evil.example/x", "/%09/evil.example/x", "/\t/evil.example", "https://evil.example",
                                    "/\\evil.example"])
def test_sign_in_only_redirects_within_the_site(client, target):
    token = csrf(client.get("/login"))
    response = client.post("/login", query_string={"next": target},
                           data={"username": "admin", "password": "admin-demo", "csrf_token": token})
    from urllib.parse import urlsplit
    location = response.location
    assert response.status_code == 302 and location.startswith("/") and not location.startswith(("//", "/\\"))
    assert urlsplit(location).netloc == "" and "\t" not in location
