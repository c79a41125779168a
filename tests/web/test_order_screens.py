"""Order screens through the real routes and a signed-in session: the list (filters, export, seller scoping),
the new-order form with its lines grid (422 at the right field, then saved and matched), the order's page
with cancel / allocate by role, and the all-or-nothing Excel import."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from tests.web.test_screens import HTML, csrf
from wms.masterdata.models import Location, Product, Seller, Zone
from wms.outbound.models import Allocation, Order

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def filed_product(dbs, code: str = "SZ-ANKE") -> Product:
    """The seller's first approved product (filed in its account book, as the order API tests use it)."""
    return dbs.scalars(sa.select(Product).where(Product.seller_id == seller_id(dbs, code),
                                                Product.filing_status == "approved")
                       .order_by(Product.id).limit(1)).one()


def text_of(response) -> str:
    return response.get_data(as_text=True)


def form_data(token: str, sku: str, **overrides) -> dict:
    data = {"csrf_token": token, "platform": "AMAZON", "order_no": "SCREEN-ORDER-1", "mode": "stock",
            "trade_mode": "1210", "channel": "", "buyer_name": "Emily Carter", "buyer_phone": "(415) 555-0132",
            "buyer_email": "", "country": "US", "state": "CA", "city": "San Francisco",
            "address1": "500 Howard St", "address2": "", "postal_code": "94105", "currency": "USD",
            "goods_value": "23.60", "freight": "4.50", "insured_fee": "", "charge": "28.10", "pay_name": "PayPal",
            "pay_no": "PAY-SCREEN-1", "parcel_waybill_no": "", "note": "",
            "line_sku": [sku, "", ""], "line_qty": ["2", "", ""], "line_price": ["11.80", "", ""]}
    return data | overrides


def create_order(client, dbs, sku: str, order_no: str, qty: int = 2) -> Order:
    """An ANKE order made through the form (the seller must be signed in)."""
    token = csrf(client.get("/oms/orders/new", headers=HTML))
    response = client.post("/oms/orders/new", headers=HTML, data=form_data(
        token, sku, order_no=order_no, line_qty=[str(qty)], line_sku=[sku], line_price=["10.00"],
        goods_value=f"{10 * qty}.00", charge=f"{10 * qty + 4.5:.2f}"))
    assert response.status_code == 302, text_of(response)
    return dbs.scalars(sa.select(Order).where(Order.order_no == order_no)).one()


@pytest.fixture
def demo_orders(dbs):
    own = dbs.scalars(sa.select(Order).where(Order.seller_id == seller_id(dbs, "SZ-ANKE")).order_by(Order.id)).first()
    other = dbs.scalars(sa.select(Order).where(Order.seller_id == seller_id(dbs, "SZ-JINYI"))
                        .order_by(Order.id)).first()
    assert own is not None and other is not None
    return own, other


def test_lists_render_for_seller_and_staff_with_filters_and_exports(client, sign_in, demo_orders):
    own, other = demo_orders
    sign_in("anke", "anke-demo")
    for page in ("/oms/orders", "/oms/orders?status=matched&mode=stock&platform=AMAZON&sort=-created_at&q=1",
                 "/oms/orders/new", f"/oms/orders/{own.id}", "/oms/orders/import"):
        assert client.get(page, headers=HTML).status_code == 200, page
    template = client.get("/oms/orders/import-template.xlsx")
    assert template.status_code == 200 and template.mimetype == XLSX
    home = text_of(client.get("/", headers=HTML))
    assert 'href="/oms/orders"' in home and "/admin/orders" not in home

    sign_in("supervisor", "super-demo")
    client.set_cookie("lang", "zh-CN")
    listing = client.get(f"/admin/orders?seller_id={other.seller_id}&per_page=500", headers=HTML)
    text = text_of(listing)
    assert listing.status_code == 200 and other.order_no in text and "订单" in text
    assert f'<span class="tag {other.status}">' in text
    for page in ("/admin/orders/new", f"/admin/orders/{other.id}", "/admin/orders/import"):
        assert client.get(page, headers=HTML).status_code == 200, page
    for fmt, mimetype in (("csv", "text/csv"), ("xlsx", XLSX)):
        export = client.get(f"/admin/orders?format={fmt}")
        assert export.status_code == 200 and export.mimetype == mimetype
    assert 'href="/admin/orders"' in text_of(client.get("/", headers=HTML))


def test_seller_does_not_see_another_sellers_orders(client, sign_in, dbs, demo_orders):
    own, other = demo_orders
    sign_in("anke", "anke-demo")
    page = text_of(client.get("/oms/orders?per_page=500", headers=HTML))
    assert f'<a href="/oms/orders/{own.id}">{own.order_no}</a>' in page and other.order_no not in page
    assert client.get(f"/oms/orders/{other.id}", headers=HTML).status_code == 404
    export = text_of(client.get("/oms/orders?format=csv"))
    assert own.order_no in export and other.order_no not in export
    token = csrf(client.get("/oms/orders", headers=HTML))
    refused = client.post(f"/oms/orders/{other.id}/cancel", data={"csrf_token": token, "reason": "x"}, headers=HTML)
    assert refused.status_code == 404
    dbs.refresh(other)
    assert other.status != "cancelled"


def test_seller_creates_an_order_through_the_form(client, sign_in, dbs):
    product = filed_product(dbs)
    sign_in("anke", "anke-demo")
    client.set_cookie("lang", "zh-CN")
    form = client.get("/oms/orders/new", headers=HTML)
    assert product.sku in text_of(form)                          # offered in the SKU list
    token = csrf(form)
    bad = client.post("/oms/orders/new", headers=HTML,
                      data=form_data(token, product.sku, postal_code="9410", line_qty=["x", "", ""]))
    text = text_of(bad)
    assert bad.status_code == 422 and "不是有效的整数" in text       # the row's quantity
    bad = client.post("/oms/orders/new", headers=HTML, data=form_data(token, product.sku, postal_code="9410"))
    text = text_of(bad)
    assert bad.status_code == 422 and "不是 US 的邮编：9410。" in text
    assert 'class="field invalid"' in text and 'id="f-postal_code"' in text
    assert dbs.scalar(sa.select(sa.func.count(Order.id)).where(Order.order_no == "SCREEN-ORDER-1")) == 0
    wrong_sum = client.post("/oms/orders/new", headers=HTML, data=form_data(token, product.sku, goods_value="99"))
    assert wrong_sum.status_code == 422 and "须等于各行金额合计" in text_of(wrong_sum)
    unknown = client.post("/oms/orders/new", headers=HTML, data=form_data(
        token, product.sku, buyer_phone="+44 20 7946 0958", line_sku=["", "NO-SUCH-SKU", ""],
        line_qty=["", "2", ""], line_price=["", "11.80", ""]))
    text = text_of(unknown)
    assert unknown.status_code == 422
    second_row = text.split('<td class="num">2</td>', 1)[1].split("</tr>", 1)[0]     # the error on its own row
    assert "未知 SKU NO-SUCH-SKU" in second_row
    phone_field = text.split('id="f-buyer_phone"', 1)[1].split("</div>", 1)[0]
    assert "+44" in phone_field and "的电话应以 +1 开头" in phone_field

    created = client.post("/oms/orders/new", headers=HTML, data=form_data(token, product.sku))
    assert created.status_code == 302
    order = dbs.scalars(sa.select(Order).where(Order.order_no == "SCREEN-ORDER-1")).one()
    assert created.location == f"/oms/orders/{order.id}"
    assert order.seller_id == seller_id(dbs, "SZ-ANKE") and order.status == "matched"
    assert order.buyer_phone == "+14155550132" and order.customs_state == "declared" and order.logistics_no
    assert [(l.product_id, l.qty) for l in order.lines] == [(product.id, 2)]
    page = text_of(client.get(created.location, headers=HTML))
    assert "+14155550132" in page and "已对碰" in page and order.logistics_no in page and product.sku in page
    assert f"/oms/orders/{order.id}/cancel" in page and f"/oms/orders/{order.id}/allocate" not in page


def test_staff_create_needs_a_seller(client, sign_in, dbs):
    product = filed_product(dbs)
    sign_in("supervisor", "super-demo")
    token = csrf(client.get("/admin/orders/new", headers=HTML))
    missing = client.post("/admin/orders/new", headers=HTML, data=form_data(token, product.sku, order_no="STAFF-1"))
    assert missing.status_code == 422
    done = client.post("/admin/orders/new", headers=HTML,
                       data=form_data(token, product.sku, order_no="STAFF-1", seller_id=str(product.seller_id)))
    assert done.status_code == 302
    order = dbs.scalars(sa.select(Order).where(Order.order_no == "STAFF-1")).one()
    assert order.seller_id == product.seller_id and done.location == f"/admin/orders/{order.id}"


def test_cancel_through_the_form(client, sign_in, dbs):
    product = filed_product(dbs)
    sign_in("anke", "anke-demo")
    order = create_order(client, dbs, product.sku, "SCREEN-CANCEL-1")
    token = csrf(client.get(f"/oms/orders/{order.id}", headers=HTML))
    no_reason = client.post(f"/oms/orders/{order.id}/cancel", data={"csrf_token": token, "reason": ""},
                            headers=HTML, follow_redirects=True)
    assert "422" in text_of(no_reason)
    dbs.refresh(order)
    assert order.status == "matched"
    done = client.post(f"/oms/orders/{order.id}/cancel", data={"csrf_token": token, "reason": "买家取消"},
                       headers=HTML)
    assert done.status_code == 302 and done.location == f"/oms/orders/{order.id}"
    dbs.refresh(order)
    assert order.status == "cancelled" and order.status_reason == "买家取消"
    again = client.post(f"/oms/orders/{order.id}/cancel", data={"csrf_token": token, "reason": "again"},
                        headers=HTML, follow_redirects=True)
    assert "409" in text_of(again)


def _workbook(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["平台", "订单号", "收件人", "电话", "国家", "城市", "地址1", "邮编", "币制", "SKU", "数量", "单价"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_import_all_or_nothing(client, sign_in, dbs):
    sku = filed_product(dbs).sku
    good = ["SHOPIFY", "SCR-1001", "Anna Schmidt", "+49 30 1234567", "DE", "Berlin", "Unter den Linden 1", "10117",
            "EUR"]
    rows = [good + [sku, 1, "10.00"], good + [sku, 2, "10.00"],
            ["SHOPIFY", "SCR-1002", "Bad Postal", "+49 30 1234567", "DE", "Berlin", "Street 2", "ABC", "EUR", sku, 1,
             "5"]]
    sign_in("anke", "anke-demo")
    page = client.get("/oms/orders/import", headers=HTML)
    assert "/oms/orders/import-template.xlsx" in text_of(page)
    token = csrf(page)
    before = dbs.scalar(sa.select(sa.func.count(Order.id)))
    refused = client.post("/oms/orders/import", headers=HTML, content_type="multipart/form-data",
                          data={"csrf_token": token, "file": (io.BytesIO(_workbook(rows)), "orders.xlsx")})
    assert refused.status_code == 422 and "postal_code" in text_of(refused)
    assert dbs.scalar(sa.select(sa.func.count(Order.id))) == before
    done = client.post("/oms/orders/import", headers=HTML, content_type="multipart/form-data",
                       data={"csrf_token": token, "file": (io.BytesIO(_workbook(rows[:2])), "orders.xlsx")})
    assert done.status_code == 200 and "SCR-1001" in text_of(done)
    order = dbs.scalars(sa.select(Order).where(Order.order_no == "SCR-1001")).one()
    assert [l.qty for l in order.lines] == [1, 2]


def test_allocate_button_for_staff_refused_for_the_seller(client, sign_in, dbs):
    from wms.inventory import service as inventory
    product = filed_product(dbs)
    sign_in("anke", "anke-demo")
    order = create_order(client, dbs, product.sku, "SCREEN-ALLOC-1", qty=1)
    assert order.status == "matched"
    token = csrf(client.get(f"/oms/orders/{order.id}", headers=HTML))
    assert client.post(f"/oms/orders/{order.id}/allocate", data={"csrf_token": token},
                       headers=HTML).status_code == 403
    dbs.refresh(order)
    assert order.status == "matched"

    location = dbs.scalars(sa.select(Location).join(Zone).where(Zone.kind == "storage")
                           .order_by(Location.pick_sequence.desc())).first()
    inventory.receive(product, location, 5, status="available", lpn="LPN79000001")
    dbs.flush()
    sign_in("supervisor", "super-demo")
    page = text_of(client.get(f"/admin/orders/{order.id}", headers=HTML))
    assert f"/admin/orders/{order.id}/allocate" in page
    token = csrf(client.get(f"/admin/orders/{order.id}", headers=HTML))
    done = client.post(f"/admin/orders/{order.id}/allocate", data={"csrf_token": token}, headers=HTML)
    assert done.status_code == 302
    dbs.refresh(order)
    assert order.status == "allocated"
    rows = dbs.scalars(sa.select(Allocation).where(Allocation.order_id == order.id)).all()
    assert sum(r.qty for r in rows) == 1
    page = text_of(client.get(f"/admin/orders/{order.id}", headers=HTML))
    assert all(r.location.code in page and r.lpn in page for r in rows)          # where each unit is reserved
    again = client.post(f"/admin/orders/{order.id}/allocate", data={"csrf_token": token}, headers=HTML,
                        follow_redirects=True)
    assert "409" in text_of(again)
