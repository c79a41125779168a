"""Packing lists (装箱单) per seller: the default and a seller's own template rendered (text read back with
poppler's pdftotext, the waybill's Code 128 decoded, the logo found embedded), settings and logos validated
(422, nothing changed), sellers kept to their own templates and orders, long Chinese names wrapped inside their
cell, the order's state gate, the screens and the packing station's close answer."""
from __future__ import annotations

import io
import os
import pathlib
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.api import helpers as h
from tests.outbound.test_bagging import packed
from tests.outbound.test_packing import picked
from tests.outbound.test_waves import _allocated
from tests.printing.conftest import cjk_font, need, pdffonts  # noqa: F401  (fixtures)
from tests.web.test_screens import HTML, csrf
from wms.core.audit import AuditLog
from wms.masterdata.models import ProductBarcode
from wms.outbound import packing_list
from wms.outbound.models import Order, Parcel
from wms.outbound.packing_list import PackingListTemplate

OWN, OTHER = "SZ-ANKE", "SZ-JINYI"
CUSTOM = {"language": "en", "title": "ANKE SOUND · Packing slip", "paper": "100x150",
          "columns": ["sku", "name", "qty", "unit_price", "line_total", "hs_code"], "show_prices": True,
          "show_buyer": False, "footer": "Thank you for shopping with ANKE SOUND!\n30-day returns: service@anke.example",
          "print_at_packing": True}


# --- tools -----------------------------------------------------------------------------------------------------

@pytest.fixture
def poppler(tmp_path):
    """poppler(tool, pdf_bytes, *args) -> the tool's standard output for the PDF."""
    def _run(tool: str, pdf: bytes, *args: str) -> str:
        need(shutil.which(tool) is not None, f"{tool} is not installed (apt-get install poppler-utils)")
        source = tmp_path / "document.pdf"
        source.write_bytes(pdf)
        output = [] if tool in ("pdfimages", "pdfinfo", "pdffonts") else ["-"]
        return subprocess.run([tool, *args, str(source), *output], check=True, capture_output=True, text=True,
                              timeout=60).stdout
    return _run


@pytest.fixture
def text_of(poppler):
    """text_of(pdf) -> the PDF's text, whitespace folded to single spaces."""
    return lambda pdf: re.sub(r"\s+", " ", poppler("pdftotext", pdf, "-layout"))


@pytest.fixture
def words_of(poppler):
    """words_of(pdf) -> (page width, page height, [(text, xMin, yMin, xMax, yMax, page)]) from pdftotext -bbox."""
    def _words(pdf: bytes):
        html = poppler("pdftotext", pdf, "-bbox")
        page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
        words = []
        for number, body in enumerate(re.split(r"<page ", html)[1:], start=1):
            for match in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                                     r"([^<]*)</word>", body):
                x0, y0, x1, y1 = map(float, match.groups()[:4])
                words.append((match.group(5), x0, y0, x1, y1, number))
        return float(page.group(1)), float(page.group(2)), words
    return _words


def png(width: int = 300, height: int = 90) -> bytes:
    from PIL import Image, ImageDraw
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, height, height - 1), fill=(200, 30, 40, 255))
    draw.rectangle((height + 10, height // 3, width - 1, height - height // 3), fill=(30, 40, 60, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (240, 80), (20, 90, 160)).save(out, "JPEG", quality=85)
    return out.getvalue()


def upload(client, seller_id: int, headers: dict, content: bytes, name: str = "logo.png"):
    """PUT the logo as multipart field ``file`` (the body encoded here: werkzeug's test client would spool a
    big one to a temporary file it never closes)."""
    boundary = "wms-test-boundary-7c0d"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return client.put(f"/api/v1/sellers/{seller_id}/packing-list-template/logo", headers=headers, data=body,
                      content_type=f"multipart/form-data; boundary={boundary}")


def packing_list_of(client, order_id: int, headers: dict):
    """The order's packing list through the API (WMS_PACKING_LIST_DIR=<folder>: also saved there to look at)."""
    response = client.get(f"/api/v1/orders/{order_id}/packing-list", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    if os.environ.get("WMS_PACKING_LIST_DIR"):
        folder = pathlib.Path(os.environ["WMS_PACKING_LIST_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{os.environ.get('PYTEST_CURRENT_TEST', 'x').split(' ')[0].split('::')[-1]}-{order_id}.pdf")\
            .write_bytes(response.data)
    return response.data


def demo_packed(seller_code: str) -> Order:
    from wms.extensions import db
    return db.session.scalars(sa.select(Order).join(Parcel, Parcel.order_id == Order.id)
                              .where(Order.seller_id == h.seller_id(seller_code)).order_by(Order.id)).first()


def waybill_codes(rasterise, decode, pdf: bytes) -> set[str]:
    return {b.text for page in rasterise(pdf, 203) for b in decode(page)}


def audit_actions(dbs, seller_code: str) -> list[str]:
    return dbs.scalars(sa.select(AuditLog.action).where(AuditLog.entity_type == "packing_list_templates",
                                                        AuditLog.seller_id == h.seller_id(seller_code))
                       .order_by(AuditLog.id)).all()


# --- rendering -------------------------------------------------------------------------------------------------

def test_the_default_packing_list_of_a_packed_order(client, login, dbs, text_of, rasterise, decode, pdffonts,
                                                    cjk_font, poppler):
    order = packed(client, login, dbs, "PL1")
    line = order.lines[0]
    dbs.add(ProductBarcode(product_id=line.product_id, seller_id=order.seller_id, code="6975468009992"))
    dbs.flush()
    dbs.expire_all()
    assert packing_list.template_of(order.seller_id) is None           # the seller keeps no template
    view = client.get(f"/api/v1/sellers/{order.seller_id}/packing-list-template", headers=login("anke")).get_json()
    assert view["custom"] is False and view["columns"] == list(packing_list.DEFAULT.columns)
    pdf = packing_list_of(client, order.id, login("anke"))
    text = text_of(pdf)
    line = order.lines[0]
    for expected in ("装箱单 Packing list", order.order_no, order.logistics_no, order.buyer_name, order.platform,
                     line.product.sku, "6975468009992", "序号", "品名", "条码", "数量", "Qty",
                     "商品总数 Total units", "第 1/1 页 Page 1 of 1", order.seller.name_zh):
        assert expected in text, expected
    assert re.sub(r"\s+", "", line.product.name_zh) in text.replace(" ", "")
    for absent in ("单价", "Unit price", "金额", "HS编码", "原产国", "批次", "商品总额", "Total value"):
        assert absent not in text, absent                              # not chosen, and prices are off
    assert order.logistics_no in waybill_codes(rasterise, decode, pdf)
    fonts = pdffonts(pdf)
    assert fonts and all(fonts.values()) and all("+" in name for name in fonts), fonts   # the CJK subset only
    assert "A4" in poppler("pdfinfo", pdf) or "595.28 x 841.89" in poppler("pdfinfo", pdf)


def test_a_sellers_template_shapes_its_packing_lists(client, login, dbs, text_of, rasterise, decode, poppler):
    order = packed(client, login, dbs, "PL2")
    anke = login("anke")
    saved = client.put(f"/api/v1/sellers/{order.seller_id}/packing-list-template", json=CUSTOM, headers=anke)
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["custom"] is True and saved.get_json()["columns"] == CUSTOM["columns"]
    logo = png()
    body = upload(client, order.seller_id, anke, logo).get_json()
    assert body["logo"]["type"] == "image/png" and body["logo"]["size"] == len(logo)
    pdf = packing_list_of(client, order.id, anke)
    text = text_of(pdf)
    line = order.lines[0]
    assert {"SKU", "Product", "Qty", "Unit", "price", "Amount", "HS", "code"} <= set(text.split())  # headings
    for expected in ("ANKE SOUND · Packing slip",
                     line.product.sku, line.product.hs_code, "Total value", f"{order.currency.code} ",
                     "Thank you for shopping with ANKE SOUND!", "30-day returns: service@anke.example",
                     "Page 1 of 1", order.logistics_no):
        assert expected in text, expected
    assert f"{order.currency.code} {line.price * line.qty:,.2f}" in text
    assert line.product.name_en.split(",")[0] in text                  # English names in an English template
    for absent in ("装箱单", "品名", "数量", "Barcode", "Origin", "Ship to", order.buyer_name, "No."):
        assert absent not in text, absent                              # unchosen columns, no buyer block
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", poppler("pdfinfo", pdf))
    assert (round(float(size.group(1)) / 72 * 25.4), round(float(size.group(2)) / 72 * 25.4)) == (100, 150)
    images = [row.split() for row in poppler("pdfimages", pdf, "-list").splitlines()[2:]]
    assert any(row[2] == "image" and row[3:5] == ["300", "90"] for row in images), images   # the logo, as is
    assert order.logistics_no in waybill_codes(rasterise, decode, pdf)
    assert audit_actions(dbs, OWN)[-2:] == ["packing_list_template.save", "packing_list_template.logo"]
    logged = dbs.scalars(sa.select(AuditLog).where(AuditLog.action == "packing_list_template.logo")
                         .order_by(AuditLog.id.desc())).first()
    assert logged.after["logo_size"] == len(logo) and len(logged.after["logo_sha256"]) == 64


@pytest.mark.parametrize("language,present,absent", [
    ("zh", ["装箱单", "数量", "发货人", "收货人"], ["Packing list", "Qty", "Ship to"]),
    ("en", ["Packing list", "Qty", "From", "Ship to"], ["装箱单", "数量", "收货人"]),
    ("zh_en", ["装箱单 Packing list", "数量", "Qty", "收货人 Ship to"], []),
])
def test_the_language_of_every_word(client, login, dbs, text_of, language, present, absent):
    order = demo_packed(OWN)
    body = {"language": language, "columns": ["line_no", "sku", "name", "qty"], "paper": "a5"}
    assert client.put(f"/api/v1/sellers/{order.seller_id}/packing-list-template", json=body,
                      headers=login("admin")).status_code == 200
    text = text_of(packing_list_of(client, order.id, login("supervisor")))
    for word in present:
        assert word in text, (language, word)
    for word in absent:
        assert word not in text, (language, word)
    name = order.lines[0].product.name_zh if language != "en" else order.lines[0].product.name_en
    assert name.split(" ")[0] in text


def test_long_chinese_names_wrap_inside_their_cell(app, dbs, words_of, text_of):
    """A 150-character Chinese name and a long unbroken SKU: more lines in the cell, never past the page."""
    long_name = ("超长中文商品名称测试：多功能智能家居无线蓝牙音箱带夜灯闹钟收音机功能支持TF卡和U盘播放" * 4)[:150]
    sheet = packing_list.sample_sheet(dbs.get(packing_list.Seller, h.seller_id(OWN)))
    first = packing_list.SheetLine(1, "SKU-VERY-LONG-WITHOUT-SPACES-0123456789", long_name, "", "6975468001019", 2,
                                   Decimal("19.90"), "8518220000", "中国", "China", Decimal("0.650"), "")
    lines = (first,) + tuple(packing_list.SheetLine(n, f"SKU-{n:03d}", f"商品 {n}", f"Item {n}", "", 1,
                                                    Decimal("1.00"), "3926909090", "中国", "China", None, "")
                             for n in range(2, 61))
    sheet = packing_list.Sheet(**{**sheet.__dict__, "lines": lines, "sample": False})
    settings = packing_list.Settings(language="zh", columns=("line_no", "sku", "name", "barcode", "qty"))
    with app.test_request_context():
        pdf = packing_list.render_sheet(sheet, settings)
    width, height, words = words_of(pdf)
    margin = 14 / 25.4 * 72
    assert words and all(x0 >= margin - 1 and x1 <= width - margin + 1 for _t, x0, _y0, x1, _y1, _p in words)
    pages = max(page for *_rest, page in words)
    assert pages >= 2                                                   # 60 lines: the table goes on
    assert sum(1 for text, *_rest in words if text == "品名") == pages   # its heading on every page
    header = next(w for w in words if w[0] == "品名" and w[5] == 1)
    following = next(w for w in words if w[0] == "条码" and w[5] == 1)
    in_cell = [w for w in words if w[5] == 1 and header[1] - 1 <= w[1] < following[1] - 1 and w[2] > header[4]]
    in_cell.sort(key=lambda w: (round(w[2]), w[1]))
    rows = sorted({round(w[2]) for w in in_cell if w[0] in long_name})
    assert len(rows) >= 3                                               # it wrapped onto several lines
    assert "".join(w[0] for w in in_cell).startswith(long_name)        # every character, in order
    assert "SKU-VERY-LONG-WITHOUT-SPACES-0123456789" in text_of(pdf).replace(" ", "") or \
        "".join(w[0] for w in words if w[5] == 1 and w[1] < header[1] - 1 and w[2] > header[4])\
        .find("SKU-VERY-LONG") >= 0
    assert f"第 1/{pages} 页" in text_of(pdf)


def test_the_preview_uses_the_sellers_products(client, login, text_of):
    pdf = client.get(f"/api/v1/sellers/{h.seller_id(OWN)}/packing-list-template/preview", headers=login("anke"))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = text_of(pdf.data)
    assert h.product(OWN).sku in text and "SAMPLE-20261124-0001" in text
    assert {"样", "张"} <= set(text.split())                             # the watermark, drawn across


# --- validation ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("body,field", [
    ({"language": "en", "columns": ["sku", "weight"], "paper": "a4"}, "columns"),
    ({"language": "en", "columns": ["sku", "qty", "sku"], "paper": "a4"}, "columns"),
    ({"language": "en", "columns": [], "paper": "a4"}, "columns"),
    ({"language": "en", "columns": list(packing_list.COLUMNS), "paper": "100x150", "show_prices": True}, "columns"),
    ({"language": "fr", "columns": ["sku"], "paper": "a4"}, "language"),
    ({"language": "en", "columns": ["sku"], "paper": "letter"}, "paper"),
    ({"language": "en", "columns": ["sku"], "paper": "a4", "footer": "x" * 501}, "footer"),
    ({"language": "en", "columns": ["sku"], "paper": "a4", "logo": "abc"}, "logo"),
    ({"columns": ["sku"], "paper": "a4"}, "language"),
])
def test_invalid_settings_are_422_and_change_nothing(client, login, dbs, body, field):
    seller_id = h.seller_id(OWN)
    url = f"/api/v1/sellers/{seller_id}/packing-list-template"
    assert client.put(url, json={**CUSTOM, "paper": "a4"}, headers=login("anke")).status_code == 200
    before, stored = h.fingerprint(), client.get(url, headers=login("anke")).get_json()
    count = dbs.scalar(sa.select(sa.func.count()).select_from(PackingListTemplate))
    response = client.put(url, json=body, headers=login("anke"))
    h.field_errors(response, field)
    assert h.fingerprint() == before and client.get(url, headers=login("anke")).get_json() == stored
    assert dbs.scalar(sa.select(sa.func.count()).select_from(PackingListTemplate)) == count


@pytest.mark.parametrize("content,message", [
    (b"not an image at all", "Not a PNG or JPEG image."),
    (b"GIF89a" + b"\x00" * 64, "Not a PNG or JPEG image."),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * (600 * 1024), "Larger than 512 KB."),
    (None, "Not a PNG or JPEG image."),                                  # a PNG cut short
])
def test_a_logo_must_be_a_small_png_or_jpeg(client, login, dbs, content, message):
    content = content if content is not None else png()[:200]
    seller_id = h.seller_id(OWN)
    anke = login("anke")
    assert upload(client, seller_id, anke, png()).status_code == 200
    before = client.get(f"/api/v1/sellers/{seller_id}/packing-list-template", headers=anke).get_json()
    audited = len(audit_actions(dbs, OWN))
    body = h.problem(upload(client, seller_id, anke, content), 422, "validation_failed")
    assert body["errors"]["file"] == [message]
    assert client.get(f"/api/v1/sellers/{seller_id}/packing-list-template", headers=anke).get_json() == before
    assert len(audit_actions(dbs, OWN)) == audited
    missing = client.put(f"/api/v1/sellers/{seller_id}/packing-list-template/logo", headers=anke, data={},
                         content_type="multipart/form-data")
    h.field_errors(missing, "file")


def test_a_jpeg_logo_replaces_and_goes(client, login, dbs, poppler):
    seller_id = h.seller_id(OWN)
    anke = login("anke")
    assert upload(client, seller_id, anke, png()).get_json()["logo"]["type"] == "image/png"
    replaced = upload(client, seller_id, anke, jpeg(), "logo.jpg").get_json()
    assert replaced["logo"]["type"] == "image/jpeg"
    pdf = client.get(f"/api/v1/sellers/{seller_id}/packing-list-template/preview", headers=anke).data
    assert any(row.split()[3:5] == ["240", "80"] for row in poppler("pdfimages", pdf, "-list").splitlines()[2:])
    gone = client.delete(f"/api/v1/sellers/{seller_id}/packing-list-template/logo", headers=anke).get_json()
    assert gone["logo"] is None and gone["custom"] is True
    pdf = client.get(f"/api/v1/sellers/{seller_id}/packing-list-template/preview", headers=anke).data
    assert poppler("pdfimages", pdf, "-list").splitlines()[2:] == []
    assert audit_actions(dbs, OWN)[-3:] == ["packing_list_template.logo", "packing_list_template.logo",
                                            "packing_list_template.logo_remove"]
    reset = client.delete(f"/api/v1/sellers/{seller_id}/packing-list-template", headers=anke).get_json()
    assert reset["custom"] is False and packing_list.template_of(seller_id) is None
    assert audit_actions(dbs, OWN)[-1] == "packing_list_template.reset"


# --- who may -----------------------------------------------------------------------------------------------------

def test_sellers_keep_to_their_own_templates_and_orders(client, login, dbs):
    anke, admin = login("anke"), login("admin")
    other_seller, other_order = h.seller_id(OTHER), demo_packed(OTHER)
    template = f"/api/v1/sellers/{other_seller}/packing-list-template"
    before = h.fingerprint()
    for method, url, kwargs in [("GET", template, {}), ("PUT", template, {"json": {**CUSTOM, "paper": "a4"}}),
                                ("DELETE", template, {}), ("GET", template + "/preview", {}),
                                ("DELETE", template + "/logo", {}),
                                ("GET", f"/api/v1/orders/{other_order.id}/packing-list", {})]:
        body = h.problem(client.open(url, method=method, headers=anke, **kwargs), 404, "record_not_found")
        assert OTHER not in str(body)
    h.problem(upload(client, other_seller, anke, png()), 404, "record_not_found")
    assert h.fingerprint() == before and packing_list.template_of(other_seller) is None
    # warehouse admins and supervisors keep any seller's; operators and customs may only read
    assert client.put(template, json={**CUSTOM, "paper": "a4"}, headers=admin).status_code == 200
    assert client.put(template, json={**CUSTOM, "paper": "a5"}, headers=login("supervisor")).status_code == 200
    h.problem(client.put(template, json=CUSTOM, headers=login("op01")), 403, "forbidden")
    assert client.get(template, headers=login("op01")).get_json()["paper"] == "a5"
    assert packing_list_of(client, other_order.id, login("jinyi"))
    assert packing_list_of(client, other_order.id, login("customs"))


def test_a_packing_list_waits_for_the_order_to_be_picked(client, login, dbs, rasterise, decode, text_of):
    [waiting] = _allocated(client, login, dbs, [1], "PL3")
    body = h.problem(client.get(f"/api/v1/orders/{waiting.id}/packing-list", headers=login("anke")), 409,
                     "packing_list_not_ready")
    assert body["current_state"] == "allocated" and waiting.order_no in body["detail"]
    [order], _wave, _number = picked(client, login, dbs, [2], "PL4")
    assert order.status == "picked"
    pdf = packing_list_of(client, order.id, login("op01"))
    assert (order.logistics_no or order.order_no) in waybill_codes(rasterise, decode, pdf)
    assert "包裹重量" not in text_of(pdf)                               # no parcel yet: no weight


def test_rendering_is_fast_enough_for_a_packing_station(client, login, dbs):
    import time
    order = demo_packed(OWN)
    assert client.put(f"/api/v1/sellers/{order.seller_id}/packing-list-template", json={**CUSTOM, "paper": "a4"},
                      headers=login("anke")).status_code == 200
    upload(client, order.seller_id, login("anke"), png())
    packing_list.render(order)                                          # the font is loaded once
    started = time.perf_counter()
    for _ in range(5):
        packing_list.render(order)
    assert (time.perf_counter() - started) / 5 < 0.5


# --- the screens and the packing station ---------------------------------------------------------------------------

@pytest.fixture
def sign_in(client):
    def _sign_in(username: str, password: str) -> str:
        token = csrf(client.get("/login"))
        response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
        assert response.status_code == 302
        return csrf(client.get("/", headers=HTML))
    return _sign_in


def test_a_seller_sets_its_packing_list_on_the_screen(client, sign_in, login, dbs, text_of):
    sign_in("anke", "anke-demo")
    page = client.get("/oms/packing-list", headers=HTML)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/oms/packing-list"' in html and 'id="pl-preview"' in html and 'name="col_hs_code"' in html
    token = csrf(page)
    form = {"csrf_token": token, "language": "zh", "paper": "a5", "title": "安可装箱单", "footer": "感谢惠顾！\r\n七天无理由退货",
            "col_qty": "1", "pos_qty": "1", "col_sku": "1", "pos_sku": "3", "col_name": "1", "pos_name": "2",
            "pos_lot": "4", "show_buyer": "1", "print_at_packing": "1"}
    saved = client.post("/oms/packing-list", data=form, headers=HTML)
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/oms/packing-list")
    view = client.get(f"/api/v1/sellers/{h.seller_id(OWN)}/packing-list-template", headers=login("anke")).get_json()
    assert view["columns"] == ["qty", "name", "sku"] and view["footer"] == "感谢惠顾！\n七天无理由退货"
    assert view["show_prices"] is False and view["paper"] == "a5" and view["title"] == "安可装箱单"
    # the live preview shows values not saved yet; the saved ones stay
    preview = client.get("/oms/packing-list/preview.pdf?language=en&paper=a4&title=Unsaved+title&columns=sku,qty"
                         "&show_prices=0&show_buyer=1&footer=&print_at_packing=1")
    assert preview.status_code == 200 and preview.mimetype == "application/pdf"
    text = text_of(preview.data)
    assert "Unsaved title" in text and "Qty" in text and "安可装箱单" not in text
    assert client.get("/oms/packing-list/preview.pdf?columns=sku,nope", headers=HTML).status_code == 422
    # a form error is shown, nothing saved
    bad = client.post("/oms/packing-list", data={**form, "paper": "100x150", **{f"col_{c}": "1" for c in
                                                                               packing_list.COLUMNS}}, headers=HTML)
    assert bad.status_code == 422 and ("最多容纳" in bad.get_data(as_text=True)
                                       or "At most" in bad.get_data(as_text=True))
    assert packing_list.settings_of(h.seller_id(OWN)).paper == "a5"
    # logo through the screen
    logo = client.post("/oms/packing-list/logo", data={"csrf_token": token, "file": (io.BytesIO(png()), "l.png")},
                       content_type="multipart/form-data", headers=HTML)
    assert logo.status_code == 302
    image = client.get("/oms/packing-list/logo")
    assert image.status_code == 200 and image.mimetype == "image/png"
    refused = client.post("/oms/packing-list/logo", data={"csrf_token": token, "file": (io.BytesIO(b"x"), "l.png")},
                          content_type="multipart/form-data", headers=HTML)
    assert refused.status_code == 422
    assert client.post("/oms/packing-list/logo/delete", data={"csrf_token": token}).status_code == 302
    assert packing_list.template_of(h.seller_id(OWN)).logo_size == 0
    # a seller does not reach the staff pages, nor another seller's order
    assert client.get(f"/admin/sellers/{h.seller_id(OTHER)}/packing-list", headers=HTML).status_code == 403
    assert client.get(f"/oms/orders/{demo_packed(OTHER).id}/packing-list.pdf", headers=HTML).status_code == 404
    own = client.get(f"/oms/orders/{demo_packed(OWN).id}/packing-list.pdf")
    assert own.status_code == 200 and own.mimetype == "application/pdf"


def test_staff_keep_every_sellers_packing_list(client, sign_in):
    sign_in("admin", "admin-demo")
    listing = client.get("/admin/packing-lists", headers=HTML)
    assert listing.status_code == 200
    html = listing.get_data(as_text=True)
    assert OWN in html and OTHER in html and f'/admin/sellers/{h.seller_id(OTHER)}/packing-list' in html
    page = client.get(f"/admin/sellers/{h.seller_id(OTHER)}/packing-list", headers=HTML)
    assert page.status_code == 200
    form = {"csrf_token": csrf(page), "language": "en", "paper": "a4", "title": "", "footer": "",
            "col_sku": "1", "pos_sku": "1", "col_qty": "1", "pos_qty": "2"}
    assert client.post(f"/admin/sellers/{h.seller_id(OTHER)}/packing-list", data=form).status_code == 302
    settings = packing_list.settings_of(h.seller_id(OTHER))
    assert settings.columns == ("sku", "qty") and settings.print_at_packing is False
    pdf = client.get(f"/admin/orders/{demo_packed(OTHER).id}/packing-list.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"


def test_the_packing_station_answers_the_packing_list_with_the_label(client, sign_in, login, dbs):
    from tests.web.test_packing_screen import call, page_token
    [order], _wave, _number = picked(client, login, dbs, [2], "PL5")
    sku = order.lines[0].product.sku
    sign_in("op01", "op01-demo")
    token = page_token(client)
    ready = call(client, f"/admin/packing/api/orders/{order.id}/check", token, {"scans": [sku] * 2}).get_json()
    weight = str(Decimal(ready["order"]["expected_weight_kg"]) + Decimal("0.080"))
    packed_at_station = call(client, f"/admin/packing/api/orders/{order.id}/close", token,
                             {"scans": [sku] * 2, "material": "CTN-S", "weight_kg": weight})
    assert packed_at_station.status_code == 200, packed_at_station.get_json()
    body = packed_at_station.get_json()
    assert body["packing_list_url"] == f"/admin/orders/{order.id}/packing-list.pdf"
    document = client.get(body["packing_list_url"])
    assert document.status_code == 200 and document.data.startswith(b"%PDF")
    # a seller who does not want it printed at packing
    assert client.put(f"/api/v1/sellers/{order.seller_id}/packing-list-template", headers=login("anke"),
                      json={**CUSTOM, "print_at_packing": False}).status_code == 200
    [second], _wave, _number = picked(client, login, dbs, [2], "PL6")
    sku = second.lines[0].product.sku
    ready = call(client, f"/admin/packing/api/orders/{second.id}/check", token, {"scans": [sku] * 2}).get_json()
    weight = str(Decimal(ready["order"]["expected_weight_kg"]) + Decimal("0.080"))
    closed = call(client, f"/admin/packing/api/orders/{second.id}/close", token,
                  {"scans": [sku] * 2, "material": "CTN-S", "weight_kg": weight}).get_json()
    assert closed["packing_list_url"] is None and closed["label_url"].endswith("/shipping-label.pdf")
