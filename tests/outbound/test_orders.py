"""Order intake through the API: idempotent on platform + order number, buyer addresses checked per country,
money that adds up, sellers kept to their own orders, cancellation, Excel import."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from tests.api import helpers as h
from wms.outbound.address import check, normalise_phone
from wms.outbound.models import Order

URL = "/api/v1/orders"


def payload(dbs, **overrides) -> dict:
    product = h.product("SZ-ANKE", filing_status="approved")
    body = {"platform": "AMAZON", "order_no": "112-7654321-0000001", "buyer_name": "Emily Carter",
            "buyer_phone": "(415) 555-0132", "country": "US", "state": "CA", "city": "San Francisco",
            "address1": "500 Howard St", "postal_code": "94105", "currency": "USD", "goods_value": "23.60",
            "freight": "4.50", "charge": "28.10", "pay_name": "PayPal", "pay_no": "PAY-1",
            "lines": [{"sku": product.sku, "qty": 2, "price": "11.80"}]}
    return body | overrides


def test_an_order_once_and_its_replay(client, login, dbs):
    seller = login("anke")
    first = client.post(URL, json=payload(dbs), headers=seller)
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert body["status"] == "matched" and body["seller_code"] == "SZ-ANKE" and body["buyer_phone"] == "+14155550132"
    assert body["customs_state"] == "declared" and body["channel_code"] and body["logistics_no"]
    assert body["lines"][0]["gnum"] == 1 and body["lines"][0]["total"].startswith("23.6")
    again = client.post(URL, json=payload(dbs), headers=seller)
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]
    changed = h.problem(client.post(URL, json=payload(dbs, buyer_name="Someone Else"), headers=seller), 409,
                        "order_exists")
    assert changed["order_no"] == "112-7654321-0000001"
    assert dbs.scalar(sa.select(sa.func.count()).where(Order.order_no == "112-7654321-0000001")) == 1


@pytest.mark.parametrize("overrides,field", [
    ({"postal_code": "9410"}, "postal_code"),
    ({"country": "GB", "postal_code": "12345"}, "postal_code"),
    ({"buyer_phone": "+44 20 7946 0958"}, "phone"),
    ({"buyer_phone": "12"}, "phone"),
    ({"country": "XX"}, "country"),
    ({"currency": "ABC"}, "currency"),
    ({"goods_value": "99.00"}, "goods_value"),
    ({"lines": [{"sku": "NO-SUCH-SKU", "qty": 1, "price": "1"}], "goods_value": "1"}, "lines.0.sku"),
    ({"lines": []}, "lines"),
    ({"buyer_email": "not-an-email"}, "buyer_email"),
])
def test_bad_orders_are_422_naming_the_field_and_change_nothing(client, login, dbs, overrides, field):
    before = dbs.scalar(sa.select(sa.func.count(Order.id)))
    errors = h.field_errors(client.post(URL, json=payload(dbs, **overrides), headers=login("anke")), field)
    assert errors
    assert dbs.scalar(sa.select(sa.func.count(Order.id))) == before


def test_chinese_and_full_width_input_is_normal_data(client, login, dbs):
    body = payload(dbs, order_no="ＪＰ-0001", country="JP", state="東京都", city="千代田区", address1="丸の内１－９－１",
                   postal_code="１００－０００５", buyer_phone="０３－１２３４－５６７８", buyer_name="佐藤 花子")
    response = client.post(URL, json=body, headers=login("anke"))
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["postal_code"] == "100-0005" and created["buyer_phone"] == "+81312345678"


def test_sellers_keep_to_their_own_orders(client, login, dbs):
    other = dbs.scalars(sa.select(Order).where(Order.seller_id == h.seller_id("SZ-JINYI"))).first()
    h.problem(client.get(f"{URL}/{other.id}", headers=login("anke")), 404, "record_not_found")
    h.problem(client.post(URL, json=payload(dbs, seller_id=h.seller_id("SZ-JINYI")), headers=login("anke")), 403,
              "other_seller")
    h.field_errors(client.post(URL, json=payload(dbs), headers=login("supervisor")), "seller_id")


def test_cancel_until_loaded_names_the_state(client, login, dbs):
    order = dbs.scalars(sa.select(Order).where(Order.seller_id == h.seller_id("SZ-ANKE"))).first()
    done = client.post(f"{URL}/{order.id}/cancel", json={"reason": "买家取消"}, headers=login("anke"))
    assert done.status_code == 200 and done.get_json()["status"] == "cancelled"
    body = h.problem(client.post(f"{URL}/{order.id}/cancel", json={"reason": "again"}, headers=login("anke")), 409,
                     "invalid_transition")
    assert body["current_state"] == "cancelled" and body["allowed_events"] == []


def _workbook(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["平台", "订单号", "收件人", "电话", "国家", "城市", "地址1", "邮编", "币制", "SKU", "数量", "单价"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_import_all_or_nothing(client, login, dbs):
    sku = h.product("SZ-ANKE", filing_status="approved").sku
    good = ["SHOPIFY", "X-1001", "Anna Schmidt", "+49 30 1234567", "DE", "Berlin", "Unter den Linden 1", "10117", "EUR"]
    rows = [good + [sku, 1, "10.00"], good + [sku, 2, "10.00"],
            ["SHOPIFY", "X-1002", "Bad Postal", "+49 30 1234567", "DE", "Berlin", "Street 2", "ABC", "EUR", sku, 1, "5"]]
    files = {"file": (io.BytesIO(_workbook(rows)), "orders.xlsx")}
    body = h.problem(client.post(f"{URL}/import", data=files, headers=login("anke")), 422)
    assert [(r["row"], r["order_no"]) for r in body["rows"]] == [(4, "X-1002")]
    assert "postal_code" in body["rows"][0]["errors"]
    assert dbs.scalar(sa.select(sa.func.count()).where(Order.order_no.in_(["X-1001", "X-1002"]))) == 0
    files = {"file": (io.BytesIO(_workbook(rows[:2])), "orders.xlsx")}
    done = client.post(f"{URL}/import", data=files, headers=login("anke"))
    assert done.status_code == 200 and done.get_json() == {"created": ["X-1001"], "unchanged": []}
    order = dbs.scalars(sa.select(Order).where(Order.order_no == "X-1001")).one()
    assert [l.qty for l in order.lines] == [1, 2] and str(order.goods_value).startswith("30")


@pytest.mark.parametrize("country,postal,phone,expected_phone", [
    ("US", "94105-1234", "415.555.0132", "+14155550132"),
    ("CA", "K1A 0B1", "+1 613 555 0199", "+16135550199"),
    ("GB", "SW1A 1AA", "0044 20 7946 0958", "+442079460958"),
    ("FR", "75001", "01 23 45 67 89", "+33123456789"),
    ("NL", "1012 AB", "+31 20 123 4567", "+31201234567"),
    ("HK", "", "2123 4567", "+85221234567"),
    ("SG", "018956", "6123 4567", "+6561234567"),
])
def test_address_rules_accept_real_addresses(country, postal, phone, expected_phone):
    checked, errors = check(country, postal, phone)
    assert errors == {} and checked.phone == expected_phone


def test_phone_rules_say_what_is_wrong():
    assert "starts with +33" in normalise_phone("FR", "+44 20 7946 0958")[1]
    assert "digits" in normalise_phone("US", "555 0132")[1]
    assert normalise_phone("ZZ", "12345678")[1].startswith("Give the number with its country code")
