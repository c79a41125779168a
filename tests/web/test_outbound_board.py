"""The outbound board (/boards/outbound): staff only (sellers 403, signed-out visitors to sign-in, as the inbound
board), in the menu beside the inbound board, rendered from the summary in the chosen language, one warehouse at
a time; its JSON state is what the page renders."""
from __future__ import annotations

import re

import sqlalchemy as sa

from tests.web.test_boards import STAFF
from tests.web.test_inbound_screens import sign_in, text_of  # noqa: F401  (fixture)
from tests.web.test_screens import HTML
from wms.masterdata.models import Warehouse
from wms.outbound.models import Order
from wms.web.boards import age_text


def test_staff_see_the_board_and_sellers_are_refused(client, sign_in):
    for username, password in STAFF:
        sign_in(username, password)
        response = client.get("/boards/outbound", headers=HTML)
        assert response.status_code == 200, username
        html = text_of(response)
        assert 'href="/boards/outbound"' in html and 'href="/boards/inbound"' in html      # in the menu
        assert "/static/vendor/socket.io.min.js" in html and '"room": "outbound"' in html
        assert client.get("/boards/outbound/state").status_code == 200
    sign_in("anke", "anke-demo")
    assert client.get("/boards/outbound", headers=HTML).status_code == 403
    assert client.get("/boards/outbound/state").status_code == 403
    assert 'href="/boards/outbound"' not in text_of(client.get("/", headers=HTML))


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/boards/outbound", headers=HTML)
    assert response.status_code == 302 and response.location.startswith("/login?next=/boards/outbound")
    response = client.get("/boards/outbound/state")
    assert response.status_code == 302 and response.location.startswith("/login?next=/boards/outbound/state")


def test_one_warehouse_at_a_time(client, sign_in, dbs):
    sign_in("supervisor", "super-demo")
    code = dbs.scalar(sa.select(Warehouse.code).order_by(Warehouse.id))
    state = client.get(f"/boards/outbound/state?warehouse={code.lower()}").get_json()
    assert state["warehouse"]["code"] == code
    assert client.get("/boards/outbound/state?warehouse=NOWHERE").status_code == 404
    assert client.get("/boards/outbound?warehouse=NOWHERE", headers=HTML).status_code == 404
    other = Warehouse(code="QH99", name_zh="前海二号仓", name_en="Qianhai No. 2")     # a second, empty warehouse
    dbs.add(other)
    dbs.flush()
    empty = client.get("/boards/outbound/state?warehouse=QH99").get_json()
    assert empty["warehouse"]["code"] == "QH99"
    assert all(c["orders"] == 0 for c in empty["columns"].values()) and empty["waves"]["in_progress"] == []
    html = text_of(client.get("/boards/outbound?warehouse=QH99", headers=HTML))
    assert '<option value="QH99" selected>' in html and f'<option value="{code}" ' in html   # the chooser


def test_the_page_shows_the_summary_in_the_chosen_language(client, sign_in, dbs):
    sign_in("supervisor", "super-demo")
    state = client.get("/boards/outbound/state").get_json()
    waved = dbs.scalar(sa.select(sa.func.count()).where(Order.status == "waved"))
    assert state["columns"]["waved"]["orders"] == waved > 0
    client.set_cookie("lang", "zh-CN")
    html = text_of(client.get("/boards/outbound", headers=HTML))
    assert "出库看板" in html and "已组波" in html and "待拣货" in html and "汇总待报" in html and "下架差异" in html
    count = re.search(r'data-key="columns\.waved\.orders">([\d,]+)<', html)
    assert count and int(count.group(1).replace(",", "")) == waved
    for order in state["columns"]["waved"]["oldest"]:                  # the oldest waiting, linked
        assert f'href="/admin/orders/{order["id"]}">{order["order_no"]}<' in html
    loading = [v for v in state["vehicles"]["items"] if v["status"] == "loading"]
    assert loading and loading[0]["vehicle_no"] in html                # the demo vehicle being loaded
    assert state["discrepancies"]["open"] >= 1                         # the demo's short pick
    assert state["discrepancies"]["items"][0]["location"] in html
    client.set_cookie("lang", "en")
    html = text_of(client.get("/boards/outbound", headers=HTML))
    assert "Outbound board" in html and "Waves in progress" in html and "Pending consolidated declaration" in html


def test_waiting_times_in_words(app):
    seconds = (None, 30, 25 * 60, 3 * 3600 + 5 * 60, 2 * 86400 + 4 * 3600)
    assert [age_text(s) for s in seconds] == ["—", "<1 min", "25 min", "3h 05m", "2d 4h"]
    with app.test_request_context(headers={"Cookie": "lang=zh-CN"}):
        assert [age_text(s) for s in seconds] == ["—", "<1分钟", "25分钟", "3小时05分", "2天4小时"]
