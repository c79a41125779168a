"""PDA bagging (汇总入袋) end to end in a real browser, checked against the API and the database.

Each test packs orders of its own through the API (seller anke's demo stock that no other browser test uses,
allocated, waved with OUTBOUND_PICK_BEFORE_RELEASE on the live app, released, picked to the cart and packed
in a small carton), then bags them on the PDA: open a bag, scan parcels, take one out with a reason, seal it
with the hand count and the weight, reprint its label; an open bag is continued from the start list.
"""
from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.browser.helpers import message, scan, shot, sign_in, wait_step
from tests.browser.test_pda_picking import PRICE, USED, free_anke_stock, ok

pytestmark = pytest.mark.live
BUYERS = {
    "US": {"buyer_name": "Emily Carter", "buyer_phone": "+1 415 555 0132", "country": "US", "state": "CA",
           "city": "San Francisco", "address1": "500 Howard St", "postal_code": "94105"},
    "GB": {"buyer_name": "Oliver Smith", "buyer_phone": "020 7946 0958", "country": "GB", "state": "",
           "city": "London", "address1": "221B Baker Street", "postal_code": "NW1 6XE"},
}
UNITS = 2                            # two units an order: multi-item waves, picked to a cart slot


def order_to(live_server, sku: str, country: str):
    goods = PRICE * UNITS
    body = {"platform": "AMAZON", "order_no": f"BAG-{uuid.uuid4().hex[:12].upper()}", **BUYERS[country],
            "currency": "USD", "goods_value": str(goods), "freight": "4.50", "charge": str(goods + Decimal("4.50")),
            "pay_name": "PayPal", "pay_no": f"PAY-{uuid.uuid4().hex[:10]}",
            "lines": [{"sku": sku, "qty": UNITS, "price": str(PRICE)}]}
    return live_server.api("POST", "/api/v1/orders", "anke", json=body)


def packed_orders(live_server, monkeypatch, countries: list[str]) -> list[dict]:
    """One order per buyer country, all of one anke product, taken through allocation, a released wave, the
    picks and the packing station's check and close. Returns the orders as the API reads them (packed)."""
    orders, sku = [], None
    for row in free_anke_stock(live_server, UNITS * len(countries), USED):
        first = order_to(live_server, row["sku"], countries[0])
        if first.status_code == 201:                 # a product customs lets out (filed) takes orders
            sku = row["sku"]
            orders.append(first.json())
            break
    assert sku, "no demo stock of seller anke to pack"
    USED.add(sku)
    orders += [ok(order_to(live_server, sku, country), 201) for country in countries[1:]]
    for order in orders:
        ok(live_server.api("POST", f"/api/v1/orders/{order['id']}/allocate"))
    monkeypatch.setitem(live_server.app.config, "OUTBOUND_PICK_BEFORE_RELEASE", True)
    waves = ok(live_server.api("POST", "/api/v1/waves/plan", json={"kinds": ["multi"], "cart_slots": 8}), 201)
    monkeypatch.setitem(live_server.app.config, "OUTBOUND_PICK_BEFORE_RELEASE", False)
    ids = {o["id"] for o in orders}
    picked = set()
    for wave in waves:
        tasks = [t for t in ok(live_server.api("GET", f"/api/v1/waves/{wave['id']}"))["tasks"] if t["order_id"] in ids]
        if not tasks:
            continue
        ok(live_server.api("POST", f"/api/v1/waves/{wave['id']}/release"))
        for t in tasks:
            ok(live_server.api("POST", f"/api/v1/pick-tasks/{t['id']}/pick", "op01",
                               json={"qty": t["qty"], "slot": f"C{t['cart']}-{t['slot']:02d}"}))
            picked.add(t["order_id"])
    assert picked == ids, waves
    for order in orders:
        path = f"/api/v1/packing/orders/{order['id']}"
        ready = ok(live_server.api("POST", f"{path}/check", "op01", json={"scans": [sku] * UNITS}))
        assert ready["step"] == "close"
        weight = Decimal(ready["order"]["expected_weight_kg"]) + Decimal("0.080")      # + the CTN-S carton
        ok(live_server.api("POST", f"{path}/close", "op01",
                           json={"scans": [sku] * UNITS, "material": "CTN-S", "weight_kg": str(weight)}))
    packed = [ok(live_server.api("GET", f"/api/v1/orders/{o['id']}")) for o in orders]
    assert {o["status"] for o in packed} == {"packed"} and all(o["logistics_no"] for o in packed)
    return packed


def order_status(live_server, order_id: int) -> str:
    from wms.outbound.models import Order
    return live_server.query(sa.select(Order.status).where(Order.id == order_id))[0]


def bag_row(live_server, sscc: str):
    """The bag as stored: (id, status, parcels_count, weight_kg)."""
    from wms.outbound.models import Bag
    from wms.extensions import db
    with live_server.app.app_context():
        try:
            return db.session.execute(sa.select(Bag.id, Bag.status, Bag.parcels_count, Bag.weight_kg)
                                      .where(Bag.sscc == sscc)).one()
        finally:
            db.session.remove()


def bag_total(live_server) -> int:
    from wms.outbound.models import Bag
    return live_server.query(sa.select(sa.func.count(Bag.id)))[0]


def wait_error(page, text: str) -> None:
    page.wait_for_function("t => { var m = document.getElementById('message');"
                           " return m.className === 'message error' && m.textContent.indexOf(t) >= 0; }", arg=text)


def wait_count(page, n: int) -> None:
    page.wait_for_function("n => { var c = document.getElementById('bag-count');"
                           " return c && c.textContent === String(n); }", arg=n)


def key(page, text: str) -> None:
    for char in text:
        page.click(f"#bag-keypad [data-key='{char}']")


def test_bag_parcels_refuse_the_wrong_ones_unbag_and_seal(page, live_server, monkeypatch):
    first, second, abroad = packed_orders(live_server, monkeypatch, ["US", "US", "GB"])
    sent: list[dict] = []
    page.on("request", lambda r: sent.append({"url": r.url, "method": r.method, **r.headers})
            if "/api/v1/bags" in r.url else None)

    sign_in(page)
    page.click(".menu-item[data-go=bag]")
    wait_step(page, "bag-open")
    assert page.inner_text("#task-title") == "汇总入袋"
    assert page.inner_text("#prompt") == "扫描袋标 SSCC，或点「新袋」"
    page.wait_for_selector("#bag-list .section-title")                   # the open bags, to tap and continue
    scan(page, abroad["logistics_no"])                                   # not a bag label: refused on the device
    wait_error(page, abroad["logistics_no"])
    assert "袋标 SSCC" in message(page)
    wait_step(page, "bag-open")
    shot(page, "pda-bag-start")

    bags_before = bag_total(live_server)
    page.dblclick("#bag-new")                                            # a new bag with a new SSCC (one, however tapped)
    wait_step(page, "bag-parcel")
    sscc = page.inner_text("#bag-sscc")
    assert len(sscc) == 18 and sscc.isdigit()
    assert sscc in page.inner_text("#prompt")
    assert page.inner_text("#bag-count") == "0"
    assert "首个包裹决定" in page.inner_text("#bag-route")
    assert bag_total(live_server) == bags_before + 1

    scan(page, first["logistics_no"])
    wait_count(page, 1)
    assert order_status(live_server, first["id"]) == "bagged"
    assert bag_row(live_server, sscc)[2] == 1
    bag = ok(live_server.api("GET", f"/api/v1/bags/{bag_row(live_server, sscc)[0]}"))
    assert bag["channel_code"] and bag["country_code"] == "US"
    page.wait_for_function("c => document.getElementById('bag-route').textContent.indexOf(c) >= 0",
                           arg=bag["channel_code"])
    page.wait_for_function("o => document.getElementById('bag-parcels').textContent.indexOf(o) >= 0",
                           arg=first["order_no"])                        # the last parcels, with their order

    unknown = f"YT9{uuid.uuid4().int % 10**15:015d}"                     # no such parcel: the scan is echoed
    scan(page, unknown)
    wait_error(page, unknown)
    assert unknown in page.inner_text("#bag-refused")                   # big and red, as scanned
    assert page.evaluate("window.__vibrations").count([160, 90, 160]) >= 2
    wait_step(page, "bag-parcel")

    scan(page, abroad["logistics_no"])                                   # packed, but for another destination
    wait_error(page, abroad["logistics_no"])
    assert "GB" in message(page) and "US" in message(page)
    assert page.is_visible("#bag-refused")
    assert order_status(live_server, abroad["id"]) == "packed"
    assert page.inner_text("#bag-count") == "1"
    shot(page, "pda-bag-wrong-parcel")

    scan(page, second["logistics_no"])
    wait_count(page, 2)
    assert page.query_selector("#bag-refused") is None                 # the refusal is gone with the next bagging
    assert order_status(live_server, second["id"]) == "bagged"
    scan(page, first["logistics_no"])                                    # already in this bag: a tick, nothing sent
    page.wait_for_selector("#message.warn")
    assert "已在本袋" in message(page)
    assert bag_row(live_server, sscc)[2] == 2
    shot(page, "pda-bag-parcels")

    page.click("#bag-unbag")                                             # take one out, with the reason
    wait_step(page, "bag-unbag")
    scan(page, second["logistics_no"])
    wait_step(page, "bag-reason")
    assert second["logistics_no"] in page.inner_text("#bag-reason-title")
    shot(page, "pda-bag-unbag-reason")
    page.click("#bag-reason [data-unbag=damaged]")
    page.wait_for_selector("#bag-unbagged")
    wait_count(page, 1)
    assert order_status(live_server, second["id"]) == "packed"
    assert bag_row(live_server, sscc)[2] == 1

    page.click("#bag-seal-btn")                                          # seal: the hand count, then the weight
    wait_step(page, "bag-seal")
    key(page, "2")
    page.click("#bag-seal-ok")                                           # on to the weight
    page.wait_for_selector("#bag-weight-box.active")
    key(page, "0.85")
    assert page.inner_text("#bag-seal-weight") == "0.85"
    shot(page, "pda-bag-seal")
    page.click("#bag-seal-ok")
    wait_error(page, "清点 2 件，扫描 1 件")                              # 2 counted, 1 scanned: refused
    assert sscc in message(page)
    page.wait_for_selector("#bag-count-box.bad")                         # count again
    assert page.inner_text("#bag-seal-count") == "—" and page.inner_text("#bag-seal-weight") == "0.85"
    assert bag_row(live_server, sscc)[1] == "open"
    wait_step(page, "bag-seal")
    shot(page, "pda-bag-count-differs")
    key(page, "1")                                                       # recounted
    page.click("#bag-seal-ok")
    page.wait_for_selector("#bag-sealed")
    wait_step(page, "bag-open")
    _, status, count, weight = bag_row(live_server, sscc)
    assert (status, count, weight) == ("sealed", 1, Decimal("0.850"))
    assert order_status(live_server, first["id"]) == "bagged"
    assert sscc in page.inner_text("#bag-sealed") and "0.850 kg" in page.inner_text("#bag-sealed")
    shot(page, "pda-bag-sealed")

    with page.context.expect_page() as opened:                          # the SSCC label again, as a PDF
        page.click("#bag-reprint")
    popup = opened.value
    popup.wait_for_function("location.href.indexOf('blob:') === 0")
    popup.close()
    assert any("/label?format=pdf" in r["url"] for r in sent)
    page.wait_for_function("s => document.getElementById('bag-list').textContent.indexOf(s) < 0", arg=sscc)
    posts = [r for r in sent if r["method"] == "POST"]
    assert len(posts) >= 6 and all(r.get("idempotency-key") for r in posts)
    assert page.evaluate("PdaQueue.pending()") == []


def test_a_pre_printed_label_opens_its_bag_and_an_open_bag_is_continued(page, live_server, monkeypatch):
    [order] = packed_orders(live_server, monkeypatch, ["US"])
    numbers = ok(live_server.api("POST", "/api/v1/labels/sscc", "op01", params={"as": "json"},
                                 json={"count": 1, "data": {}}), 201)["sscc"]
    sign_in(page)
    page.click(".menu-item[data-go=bag]")
    wait_step(page, "bag-open")
    bad = numbers[0][:-1] + str((int(numbers[0][-1]) + 1) % 10)
    scan(page, bad)                                                      # wrong check digit: never sent
    wait_error(page, bad)
    assert "校验位" in message(page)
    scan(page, f"(00){numbers[0]}")                                      # the label's human-readable form
    wait_step(page, "bag-parcel")
    assert page.inner_text("#bag-sscc") == numbers[0]
    scan(page, order["logistics_no"])
    wait_count(page, 1)
    assert order_status(live_server, order["id"]) == "bagged"

    page.click("[data-action=home]")
    wait_step(page, "home")
    page.click(".menu-item[data-go=bag]")
    wait_step(page, "bag-open")
    row = page.wait_for_selector(f"#bag-list [data-bag='{bag_row(live_server, numbers[0])[0]}']")
    assert numbers[0] in row.inner_text() and "1" in row.inner_text()
    shot(page, "pda-bag-open-list")
    row.click()                                                          # continue the open bag
    wait_step(page, "bag-parcel")
    assert page.inner_text("#bag-sscc") == numbers[0] and page.inner_text("#bag-count") == "1"
    assert order["logistics_no"] in page.inner_text("#bag-parcels")
    page.click("#lang")                                                  # the page's own texts follow the language
    assert page.inner_text("#bag-unbag") == "Take out" and page.inner_text("#bag-seal-btn") == "Seal"
    assert "Scan parcels into bag" in page.inner_text("#prompt")
    page.click("#lang")
    page.click("#bag-seal-btn")
    wait_step(page, "bag-seal")
    page.click("#bag-seal-ok")                                           # nothing keyed yet
    wait_error(page, "件数")
    page.click("#bag-back")
    wait_step(page, "bag-parcel")
    assert bag_row(live_server, numbers[0])[1] == "open"
