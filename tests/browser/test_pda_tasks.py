"""PDA tasks end to end in a real browser: stock lookup and move, checked against the API."""
from __future__ import annotations

import pytest

from tests.browser.helpers import message, scan, shot, sign_in, wait_step

pytestmark = pytest.mark.live


def start(page, task: str, first_step: str) -> None:
    page.click(f".menu-item[data-go={task}]")
    wait_step(page, first_step)


def test_lookup_by_typed_scan_shows_the_stock(page, live_server):
    balance = live_server.balance(0)
    held = live_server.balance(0, status="customs_hold")
    sign_in(page)
    start(page, "lookup", "lookup")
    assert page.inner_text("#prompt") == "扫描库位、商品条码或 LPN"

    scan(page, balance["location_code"])
    page.wait_for_selector(".result-head.kind-location")
    rows = page.locator(".stock-row")
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert balance["sku"] in row and str(balance["qty"]) in row and "可用" in row and balance["lpn"] in row
    assert "共 1 行" in page.inner_text(".rows-total")
    shot(page, "06-lookup-location")

    scan(page, live_server.gtin(balance["sku"]))
    page.wait_for_selector(".result-head.kind-product")
    assert balance["sku"] in page.inner_text(".result-head")
    shot(page, "06-lookup-product")
    assert balance["location_code"] in page.inner_text(".stock")

    scan(page, held["lpn"].lower())                                 # scanners in lower-case mode
    page.wait_for_selector(".result-head.kind-lpn")
    assert "海关查验扣留" in page.inner_text(".stock")
    shot(page, "07-lookup-lpn-customs-hold")

    scan(page, "LPN999999")
    page.wait_for_selector("#message.error")
    assert "未知条码" in message(page) and page.inner_text("#lookup-result") == ""

    page.click("#lang")
    scan(page, balance["sku"])
    page.wait_for_selector(".result-head.kind-product")
    assert "Available" in page.inner_text(".stock")

    page.context.set_offline(True)                                  # lookups are online-only
    scan(page, balance["location_code"])
    page.wait_for_selector("#message.error")
    assert "needs the network" in message(page)
    page.context.set_offline(False)


def test_home_scan_is_a_quick_lookup(page, live_server):
    balance = live_server.balance(0)
    sign_in(page)
    scan(page, balance["lpn"])
    page.wait_for_selector(".result-head.kind-lpn")
    assert page.get_attribute("#scan", "data-step") == "lookup"
    assert balance["sku"] in page.inner_text(".stock")


def test_move_end_to_end(page, live_server):
    balance = live_server.balance(1)
    source, sku, start_qty = balance["location_code"], balance["sku"], balance["qty"]
    target, second = "A10-20-5-2", "A10-20-4-2"
    assert live_server.qty(target, sku) == 0 and live_server.qty(second, sku) == 0

    sign_in(page)
    start(page, "move", "move-from")
    assert page.inner_text("#prompt") == "扫描来源库位"
    scan(page, source)
    wait_step(page, "move-item")
    page.wait_for_selector("#source-hint .stock-row")               # what is there, when online
    scan(page, live_server.gtin(sku))
    wait_step(page, "move-qty")
    assert page.inner_text("#qty") == "1"                           # default quantity
    page.click("#keypad [data-key='3']")                            # the first key replaces the default
    assert page.inner_text("#qty") == "3"
    page.click("#keypad [data-key='5']")
    page.click("#keypad [data-key='back']")
    assert page.inner_text("#qty") == "3"
    shot(page, "08-move-quantity")
    page.click("#qty-ok")
    wait_step(page, "move-to")
    assert page.inner_text("#move-draft li[data-field=qty] .v") == "3"
    scan(page, target)
    page.wait_for_selector("#move-result .result.ok")
    result = page.inner_text("#move-result")
    assert "移库完成" in result and sku in result and "× 3" in result and target in result
    wait_step(page, "move-from")                                    # ready for the next move
    shot(page, "09-move-done")

    assert live_server.qty(source, sku) == start_qty - 3
    assert live_server.qty(target, sku) == 3

    # A second move: scanning the same item again counts +1, a location at the quantity step confirms it.
    page.wait_for_timeout(350)                                      # the same code again: not a double read
    scan(page, target)
    wait_step(page, "move-item")
    scan(page, sku)
    wait_step(page, "move-qty")
    page.wait_for_timeout(350)                                      # a deliberate repeat, not a double read
    scan(page, sku)
    page.wait_for_function("document.getElementById('qty').textContent === '2'")
    assert "+1" in message(page)
    scan(page, second)
    page.wait_for_selector("#move-result .result.ok")
    assert live_server.qty(target, sku) == 1 and live_server.qty(second, sku) == 2


def test_lpn_required_lists_the_lpns_and_takes_a_scanned_one(page, live_server):
    balance = live_server.balance(5)
    source, sku = balance["location_code"], balance["sku"]
    shared, target = "A10-19-5-2", "A10-19-4-2"
    for lpn in ("LPN990001", "LPN990002"):                          # two LPNs of one product at one place
        answer = live_server.api("POST", "/api/v1/moves", json={
            "from_location": source, "barcode": sku, "qty": 2, "to_location": shared, "to_lpn": lpn})
        assert answer.status_code == 201, answer.text

    sign_in(page)
    start(page, "move", "move-from")
    scan(page, shared)
    wait_step(page, "move-item")
    scan(page, sku)
    wait_step(page, "move-qty")
    scan(page, target)
    wait_step(page, "move-lpn")
    assert "多个 LPN" in message(page)
    choices = page.eval_on_selector_all("#lpn-choices [data-lpn]", "els => els.map(e => e.dataset.lpn)")
    assert choices == ["LPN990001", "LPN990002"]
    assert page.inner_text("#prompt") == "扫描要移出的 LPN"
    shot(page, "10-move-lpn-required")

    scan(page, "A01-01-1-1")                                        # not an LPN: refused, nothing filled
    page.wait_for_selector("#message.error")
    assert page.get_attribute("#scan", "data-step") == "move-lpn"
    scan(page, "LPN990002")
    page.wait_for_selector("#move-result .result.ok")
    moved = live_server.stock(location_code=target, sku=sku)
    assert [(r["lpn"], r["qty"]) for r in moved] == [("LPN990002", 1)]
    assert {r["lpn"]: r["qty"] for r in live_server.stock(location_code=shared, sku=sku)} == {
        "LPN990001": 2, "LPN990002": 1}


def test_live_refusal_is_answered_on_screen_not_queued(page, live_server):
    balance = live_server.balance(6)
    before = live_server.api("GET", "/api/v1/scan-exceptions").json()["total"]
    sign_in(page)
    start(page, "move", "move-from")
    scan(page, balance["location_code"])
    wait_step(page, "move-item")
    scan(page, balance["lpn"])                                      # an LPN at the source names the product
    wait_step(page, "move-qty")
    for key in str(balance["qty"] + 10):
        page.click(f"#keypad [data-key='{key}']")
    page.click("#qty-ok")
    wait_step(page, "move-to")
    scan(page, "A10-18-5-2")
    page.wait_for_selector("#message.error")
    assert "移库被拒绝" in message(page) and "库存不足" in message(page)
    wait_step(page, "move-qty")                                     # fix the quantity and go on
    shot(page, "11-move-insufficient")
    assert page.inner_text("#sync-count") == "0"
    assert page.evaluate("PdaQueue.refused().then(l => l.length)") == 0
    assert live_server.api("GET", "/api/v1/scan-exceptions").json()["total"] == before
    page.click("#keypad [data-key='2']")
    page.click("#qty-ok")
    wait_step(page, "move-to")
    page.wait_for_timeout(350)                                      # the same code again: not a double read
    scan(page, "A10-18-5-2")
    page.wait_for_selector("#move-result .result.ok")
    assert live_server.qty("A10-18-5-2", balance["sku"]) == 2
