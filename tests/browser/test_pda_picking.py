"""PDA picking (拣货) end to end in a real browser, checked against the API.

Each test makes its own released multi-item wave through the API: orders of seller anke for demo stock that
no other browser test uses, allocated, planned and released by a supervisor. Customs has not released these
new orders (they are only "declared"), so planning runs with OUTBOUND_PICK_BEFORE_RELEASE on the live app.
The page only renders the server's scenario answers: wave → location → item → quantity → cart slot.
"""
from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest

from tests.browser.helpers import message, scan, shot, sign_in, wait_step

pytestmark = pytest.mark.live
STORAGE = re.compile(r"^[A-Z]\d{2}-\d{2}-\d{1,2}-\d{1,2}$")
USED_BY_OTHER_TESTS = 12            # live_server.balance(0…9) in test_pda_tasks / test_pda_offline
PRICE = Decimal("11.80")


def ok(answer, status=200) -> dict:
    assert answer.status_code == status, answer.text
    return answer.json()


def free_anke_stock(live_server, units: int, skip: set[str]) -> list[dict]:
    """Anke's available balances in storage with ``units`` free, of products no other browser test touches."""
    others = {row["sku"] for row in live_server.stock(status="available", sort="id")[:USED_BY_OTHER_TESTS]}
    mine = ok(live_server.api("GET", "/api/v1/stock", "anke", params={"status": "available", "per_page": 200,
                                                                      "sort": "id"}))["items"]
    return [row for row in mine if STORAGE.match(row["location_code"]) and row["sku"] not in others | skip
            and row["qty"] - row["reserved_qty"] >= units]


def order_for(live_server, sku: str, qty: int) -> dict:
    goods = PRICE * qty
    body = {"platform": "AMAZON", "order_no": f"PICK-{uuid.uuid4().hex[:12].upper()}", "buyer_name": "Emily Carter",
            "buyer_phone": "+1 415 555 0132", "country": "US", "state": "CA", "city": "San Francisco",
            "address1": "500 Howard St", "postal_code": "94105", "currency": "USD", "goods_value": str(goods),
            "freight": "4.50", "charge": str(goods + Decimal("4.50")), "pay_name": "PayPal",
            "pay_no": f"PAY-{uuid.uuid4().hex[:10]}", "lines": [{"sku": sku, "qty": qty, "price": str(PRICE)}]}
    return live_server.api("POST", "/api/v1/orders", "anke", json=body)


def released_wave(live_server, monkeypatch, shape: list[int], used: set[str]) -> tuple[str, list[dict], str]:
    """Orders of ``shape`` units of one anke product, allocated, planned into a multi-item wave and released.
    Returns (wave number, orders, sku)."""
    orders, sku = [], None
    for row in free_anke_stock(live_server, sum(shape), used):
        first = order_for(live_server, row["sku"], shape[0])
        if first.status_code == 201:                 # a product customs lets out (filed) takes orders
            sku = row["sku"]
            orders.append(first.json())
            break
    assert sku, "no demo stock of seller anke to pick"
    used.add(sku)
    orders += [ok(order_for(live_server, sku, units), 201) for units in shape[1:]]
    for order in orders:
        assert order["customs_state"] != "released"
        ok(live_server.api("POST", f"/api/v1/orders/{order['id']}/allocate"))
    monkeypatch.setitem(live_server.app.config, "OUTBOUND_PICK_BEFORE_RELEASE", True)
    waves = ok(live_server.api("POST", "/api/v1/waves/plan", json={"kinds": ["multi"], "cart_slots": 4}), 201)
    monkeypatch.setitem(live_server.app.config, "OUTBOUND_PICK_BEFORE_RELEASE", False)
    ids = {o["id"] for o in orders}
    mine = [w for w in waves if ids & {t["order_id"] for t in
                                       ok(live_server.api("GET", f"/api/v1/waves/{w['id']}"))["tasks"]}]
    assert len(mine) == 1 and mine[0]["kind"] == "multi", waves
    ok(live_server.api("POST", f"/api/v1/waves/{mine[0]['id']}/release"))
    return mine[0]["number"], orders, sku


def wait_error(page, text: str) -> None:
    page.wait_for_function("t => { var m = document.getElementById('message');"
                           " return m.className === 'message error' && m.textContent.indexOf(t) >= 0; }", arg=text)


def task(page) -> dict:
    return page.evaluate("PdaApp.state().pick.task")


def open_wave(page, number: str) -> None:
    page.click(".menu-item[data-go=pick]")
    wait_step(page, "pick-wave")
    assert page.inner_text("#task-title") == "拣货"
    assert page.is_visible("#pick-next") and page.is_hidden("#pick-actions")
    scan(page, number)
    wait_step(page, "pick-location")
    assert page.inner_text("#pick-wave-no") == number


USED: set[str] = set()


def test_pick_a_multi_item_wave_to_the_cart(page, live_server, monkeypatch):
    number, orders, sku = released_wave(live_server, monkeypatch, [2, 3], USED)
    sent: list[dict] = []
    page.on("request", lambda r: sent.append({"url": r.url, "method": r.method, **r.headers})
            if "/api/v1/pick" in r.url else None)

    sign_in(page)
    page.click(".menu-item[data-go=pick]")
    wait_step(page, "pick-wave")
    assert page.inner_text("#prompt") == "扫描波次号，或点「下一个波次」"
    shot(page, "pda-pick-wave")
    page.click("[data-action=home]")
    wait_step(page, "home")

    open_wave(page, number)
    walked, slots = 0, set()
    while True:
        current = task(page)
        assert current["sku"] == sku and current["kind"] == "multi"
        assert page.inner_text("#pick-location") == current["location"]      # where to go, big
        assert current["location"] in page.inner_text("#prompt")             # the server's prompt
        assert f"待拣 {current['open_tasks']} 项" == page.inner_text("#pick-progress")
        assert current["slot_code"] in page.inner_text("#pick-task")
        if not walked:
            shot(page, "pda-pick-location")
        scan(page, current["location"])
        wait_step(page, "pick-item")
        assert sku in page.inner_text("#prompt")
        scan(page, sku)
        wait_step(page, "pick-qty")
        assert page.inner_text("#pick-qty-value") == str(current["qty"])    # defaults to the task's quantity
        assert page.inner_text("#pick-ask") == str(current["qty"])
        assert page.is_visible("#pick-short") and page.is_visible("#pick-empty")
        if not walked:
            shot(page, "pda-pick-qty")
        page.click("#pick-ok")
        wait_step(page, "pick-slot")
        assert page.inner_text("#pick-slot") == current["slot_code"]         # the cart slot, big
        assert current["slot_code"] in page.inner_text("#prompt")
        if not walked:
            shot(page, "pda-pick-slot")
            scan(page, "C9-99")                                               # not this order's slot
            wait_error(page, current["slot_code"])
            wait_step(page, "pick-slot")
        scan(page, current["slot_code"].lower())                             # a slot label: any case
        page.wait_for_function("id => { var s = PdaApp.state().pick; return !s.task || s.task.id !== id; }",
                               arg=current["id"])
        walked += 1
        slots.add(current["slot_code"])
        if page.evaluate("PdaApp.state().pick.task") is None:
            break
        wait_step(page, "pick-location")
        assert page.is_visible("#pick-picked")
    page.wait_for_selector("#pick-done")
    wait_step(page, "pick-wave")
    assert number in page.inner_text("#pick-done") and "已拣完" in page.inner_text("#pick-done")
    shot(page, "pda-pick-done")

    assert walked == 2 and len(slots) == 2                                   # one cart slot per order
    for order in orders:
        assert ok(live_server.api("GET", f"/api/v1/orders/{order['id']}"))["status"] == "picked"
    on_cart = {r["lpn"]: r["qty"] for r in live_server.stock(sku=sku) if r["lpn"].startswith(number + "-C")}
    assert sorted(on_cart.values()) == [2, 3]
    posts = [r for r in sent if r["method"] == "POST"]
    assert posts and all(r.get("idempotency-key") for r in posts)
    assert page.evaluate("PdaQueue.pending()") == []


def test_wrong_location_a_short_pick_and_an_empty_location(page, live_server, monkeypatch):
    number, orders, sku = released_wave(live_server, monkeypatch, [3, 2], USED)
    sign_in(page)
    open_wave(page, number)
    current = task(page)
    wrong = "A01-01-1-1" if current["location"] != "A01-01-1-1" else "A01-01-1-2"

    scan(page, "C1-01")                                                      # not a location: refused on the device
    page.wait_for_selector("#message.error")
    assert page.get_attribute("#scan", "data-step") == "pick-location"
    scan(page, wrong)                                                        # 409 wrong_location names the right one
    wait_error(page, current["location"])
    assert wrong in message(page)
    assert page.evaluate("window.__vibrations").count([160, 90, 160]) >= 2
    wait_step(page, "pick-location")
    shot(page, "pda-pick-wrong-location")

    scan(page, current["location"])
    wait_step(page, "pick-item")
    scan(page, sku)
    wait_step(page, "pick-qty")
    page.click("#pick-short")                                                # the found quantity is not keyed yet
    page.wait_for_selector("#message.error")
    assert "数量不足" in message(page)
    page.click("#pick-keypad [data-key='1']")
    assert page.inner_text("#pick-qty-value") == "1"
    page.click("#lang")                                                      # the page's own labels follow the language
    assert page.inner_text("#pick-short") == "Short" and page.inner_text("#pick-empty") == "Location empty"
    page.click("#lang")
    shot(page, "pda-pick-short")
    page.click("#pick-short")
    page.wait_for_selector("#pick-discrepancy")
    assert "应拣 3，实拣 1" in page.inner_text("#pick-discrepancy")
    short_id = int(page.get_attribute("#pick-discrepancy", "data-id"))
    wait_step(page, "pick-location")                                         # on to the other order's task
    second = task(page)
    assert second["id"] != current["id"] and second["qty"] == 2 and second["open_tasks"] == 1
    shot(page, "pda-pick-discrepancy")

    page.click("#pick-empty")                                                # final for the order: first tap arms it
    page.wait_for_selector("#pick-empty.armed")
    assert "再点一次" in message(page)
    assert task(page)["id"] == second["id"]
    shot(page, "pda-pick-empty-armed")
    page.click("#pick-empty")
    page.wait_for_function("id => { var d = document.getElementById('pick-discrepancy');"
                           " return d && d.getAttribute('data-id') !== String(id); }", arg=short_id)
    empty_id = int(page.get_attribute("#pick-discrepancy", "data-id"))
    assert "应拣 2，实拣 0" in page.inner_text("#pick-discrepancy")
    page.wait_for_selector("#pick-done")                                     # no task left: the wave is finished
    wait_step(page, "pick-wave")

    open_items = {d["id"]: d for d in ok(live_server.api("GET", "/api/v1/pick-discrepancies",
                                                         params={"status": "open", "per_page": 100}))["items"]}
    found, empty = open_items[short_id], open_items[empty_id]
    assert (found["order_id"], found["sku"], found["location"], found["expected_qty"], found["found_qty"],
            found["reason"]) == (orders[0]["id"], sku, current["location"], 3, 1, "short")
    assert (empty["order_id"], empty["location"], empty["expected_qty"], empty["found_qty"], empty["reason"]) == (
        orders[1]["id"], second["location"], 2, 0, "location_empty")
    for order in orders:                                                     # both left the wave to be re-allocated
        assert ok(live_server.api("GET", f"/api/v1/orders/{order['id']}"))["status"] != "picked"
