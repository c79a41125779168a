"""The packing station page (/admin/packing) and its session JSON views under /admin/packing/api/…: the page
by role, the CSRF header on every POST, the same answers and problems as /api/v1/packing/…, and the shipping
label from the session."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.outbound.test_packing import picked
from tests.web.test_screens import HTML, csrf
from wms.outbound.models import Order, Parcel

JSON = {"Accept": "application/json"}


@pytest.fixture
def sign_in(client):
    def _sign_in(username: str, password: str) -> str:
        token = csrf(client.get("/login"))
        response = client.post("/login", data={"username": username, "password": password,
                                               "csrf_token": token})
        assert response.status_code == 302
        return csrf(client.get("/", headers=HTML))        # the session's token after signing in
    return _sign_in


def page_token(client) -> str:
    """The CSRF token the page hands its script (in its JSON config)."""
    text = client.get("/admin/packing", headers=HTML).get_data(as_text=True)
    return re.search(r'"csrf": ?"([^"]+)"', text).group(1)


def call(client, path: str, token: str | None, body: dict):
    headers = dict(JSON) | ({"X-CSRF-Token": token} if token else {})
    return client.post(path, json=body, headers=headers)


@pytest.mark.parametrize("username,password", [("op01", "op01-demo"), ("supervisor", "super-demo"),
                                               ("admin", "admin-demo")])
def test_page_renders_for_staff_who_pack(client, sign_in, username, password):
    sign_in(username, password)
    response = client.get("/admin/packing", headers=HTML)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'id="pack-scan"' in text and "packing.js" in text and 'id="pack-material"' in text
    assert "CTN-S" in text                                           # the active materials to choose from
    assert 'href="/admin/packing"' in text                           # in the menu
    script = client.get("/static/packing.js")
    assert script.status_code == 200
    script.close()


def test_sellers_and_strangers_are_kept_out(client, sign_in):
    assert client.get("/admin/packing", headers=HTML).status_code == 302          # to sign-in
    token = sign_in("anke", "anke-demo")
    assert client.get("/admin/packing", headers=HTML).status_code == 403
    assert 'href="/admin/packing"' not in client.get("/oms/orders", headers=HTML).get_data(as_text=True)
    body = call(client, "/admin/packing/api/start", token, {"scan": "WV00000000000-C1-01"})
    assert body.status_code == 403 and body.get_json()["code"] == "forbidden"


def test_json_views_need_the_csrf_header(client, sign_in):
    token = sign_in("op01", "op01-demo")
    for path, body in (("/admin/packing/api/start", {"scan": "X"}),
                       ("/admin/packing/api/fast-lane", {"wave": "WV1", "scan": "X"}),
                       ("/admin/packing/api/orders/1/check", {"scans": ["X"]}),
                       ("/admin/packing/api/orders/1/close", {"scans": ["X"], "material": "CTN-S",
                                                               "weight_kg": "1"})):
        for sent in (None, "not-the-token"):
            response = call(client, path, sent, body)
            assert response.status_code == 403, path
            assert response.get_json()["code"] == "csrf_failed"
    assert call(client, "/admin/packing/api/start", token, {"scan": "X"}).status_code == 404


def test_start_on_an_unknown_code_is_a_problem(client, sign_in):
    sign_in("op01", "op01-demo")
    token = page_token(client)
    response = call(client, "/admin/packing/api/start", token, {"scan": "NO-SUCH-ORDER-42"})
    assert response.status_code == 404 and response.content_type.startswith("application/problem+json")
    problem = response.get_json()
    assert problem["code"] == "nothing_to_pack" and problem["scanned"] == "NO-SUCH-ORDER-42"
    assert "NO-SUCH-ORDER-42" in problem["detail"]
    bad = call(client, "/admin/packing/api/start", token, {})
    assert bad.status_code == 422 and "scan" in bad.get_json()["errors"]
    wave = call(client, "/admin/packing/api/fast-lane", token, {"wave": "WV99999999999", "scan": "X"})
    assert wave.status_code == 404 and wave.get_json()["code"] == "unknown_wave"


def test_pack_an_order_through_the_session_views(client, sign_in, login, dbs):
    [order], _wave, number = picked(client, login, dbs, [2], "WS")
    sku = order.lines[0].product.sku
    sign_in("op01", "op01-demo")
    token = page_token(client)
    started = call(client, "/admin/packing/api/start", token, {"scan": f"{number}-C1-01"})
    assert started.status_code == 200, started.get_json()
    answer = started.get_json()
    assert answer["step"] == "verify" and answer["order"]["id"] == order.id
    assert answer["order"]["lines"] == [{"product_id": order.lines[0].product_id, "sku": sku,
                                         "name_zh": order.lines[0].product.name_zh, "qty": 2, "checked": 0}]
    check = f"/admin/packing/api/orders/{order.id}/check"
    assert call(client, check, token, {"scans": [sku]}).get_json()["order"]["lines"][0]["checked"] == 1
    wrong = call(client, check, token, {"scans": [sku, "6900000000000"]})
    assert wrong.status_code == 409 and wrong.get_json()["code"] == "wrong_item"
    assert "6900000000000" in wrong.get_json()["detail"]
    extra = call(client, check, token, {"scans": [sku] * 3})
    assert extra.status_code == 409 and extra.get_json()["code"] == "extra_item"
    ready = call(client, check, token, {"scans": [sku] * 2}).get_json()
    assert ready["step"] == "close"
    expected = Decimal(ready["order"]["expected_weight_kg"]) + Decimal("0.080")          # + the CTN-S tare
    close = f"/admin/packing/api/orders/{order.id}/close"
    far = call(client, close, token, {"scans": [sku] * 2, "material": "CTN-S",
                                      "weight_kg": str(expected + 5)})
    assert far.status_code == 409 and far.get_json()["code"] == "weight_out_of_tolerance"
    assert Decimal(far.get_json()["expected"]) == expected and far.get_json()["tolerance"]
    assert call(client, close, token, {"scans": [sku] * 2, "material": "NOPE", "weight_kg": str(expected)}) \
        .status_code == 422
    assert client.get(f"/admin/orders/{order.id}/shipping-label.pdf", headers=JSON).status_code == 409
    done = call(client, close, token, {"scans": [sku] * 2, "material": "CTN-S", "weight_kg": str(expected)})
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert body["step"] == "start" and body["parcel"]["logistics_no"] == order.logistics_no
    assert body["label_url"] == f"/admin/orders/{order.id}/shipping-label.pdf"
    dbs.expire_all()
    assert dbs.get(Order, order.id).status == "packed"
    assert dbs.scalars(sa.select(Parcel).where(Parcel.order_id == order.id)).one().weight_kg == expected
    label = client.get(body["label_url"])
    assert label.status_code == 200 and label.content_type == "application/pdf"
    assert label.data.startswith(b"%PDF")
    unknown = client.get(body["label_url"] + "?printer=NO-SUCH-PRINTER", headers=JSON)
    assert unknown.status_code == 422 and "printer" in unknown.get_json()["errors"]
