"""Excel import of product filings: all rows or none, row-level errors, sellers import only their own."""
from __future__ import annotations

import io

import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from tests.api import helpers as h
from wms.masterdata.models import Product

ZH_HEADER = ["SKU", "中文品名", "英文品名", "HS编码", "原产国", "申报计量单位", "法定第一计量单位", "法定第一数量/单位",
             "账册备案料号", "申报单价", "币制", "重量(kg)", "带电", "条码"]


def workbook(*rows, header=ZH_HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, headers, data: bytes):
    return client.post("/api/v1/products/import", headers=headers,
                       data={"file": (io.BytesIO(data), "filings.xlsx")}, content_type="multipart/form-data")


def row(sku, name="便携式榨汁杯 350ml", hs="8509400090", gtin=None):
    return [sku, name, "Portable blender 350ml", hs, "CN", "011", "035", "0.45", f"LJ-{sku}", "8.8", "USD", "0.52",
            "是", gtin or ""]


def test_seller_imports_new_draft_filings(client, login, dbs):
    gtin = h.gtin13("695000000001")
    response = upload(client, login("leju"), workbook(row("IMP-1", gtin=gtin), row("IMP-2")))
    assert response.status_code == 200, response.get_json()
    assert sorted(response.get_json()["created"]) == ["IMP-1", "IMP-2"]
    product = dbs.scalars(sa.select(Product).where(Product.sku == "IMP-1")).one()
    assert (product.seller_id, product.filing_status, product.legal_unit1, str(product.legal_factor1),
            product.book_item_no, product.battery) == (h.seller_id("SZ-LEJU"), "draft", "035", "0.45000",
                                                       "LJ-IMP-1", True)
    assert product.barcode_codes == [gtin]


def test_one_bad_row_saves_nothing_and_names_rows_and_fields(client, login, dbs):
    before = dbs.scalar(sa.select(sa.func.count(Product.id)))
    response = upload(client, login("leju"), workbook(row("OK-1"), row("BAD-1", hs="85093"), row("BAD-2", name=""),
                                                      row("OK-1")))
    body = h.problem(response, 422, "validation_failed")
    by_row = {p["row"]: p["errors"] for p in body["rows"]}
    assert set(by_row) == {3, 4, 5}
    assert "hs_code" in by_row[3] and "name_zh" in by_row[4] and "sku" in by_row[5]
    assert dbs.scalar(sa.select(sa.func.count(Product.id))) == before


def test_existing_draft_is_updated_but_an_approved_filing_is_not(client, login, dbs):
    draft = h.product("SZ-LEJU", filing_status="draft")
    approved = h.product("SZ-LEJU", filing_status="approved")
    ok = upload(client, login("leju"), workbook(row(draft.sku, name="新名称")))
    assert ok.status_code == 200 and ok.get_json()["updated"] == [draft.sku]
    dbs.refresh(draft)
    assert draft.name_zh == "新名称"
    refused = h.problem(upload(client, login("leju"), workbook(row(approved.sku))), 422)
    assert "sku" in refused["rows"][0]["errors"]


def test_staff_name_the_seller_and_bad_files_are_422(client, login):
    header = ["卖家代码", *ZH_HEADER]
    staff = upload(client, login("supervisor"), workbook(["SZ-ANKE", *row("STAFF-1")], ["NOPE", *row("STAFF-2")],
                                                         header=header))
    assert {p["row"] for p in h.problem(staff, 422)["rows"]} == {3}
    h.field_errors(upload(client, login("leju"), b"not a workbook"), "file")
    h.field_errors(client.post("/api/v1/products/import", headers=login("leju")), "file")
    assert upload(client, login("op01"), workbook(row("X"))).status_code == 403


def test_template_has_bilingual_headers(client, login):
    response = client.get("/api/v1/products/import-template", headers=login("anke"))
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]][:3] == ["卖家代码", "SKU", "中文品名"]
    assert [c.value for c in sheet[2]][:3] == ["Seller code", "SKU", "Name (zh)"]
