"""The supervisors' inbound board (/boards/inbound) in a real browser against the live server: it signs in to
Socket.IO with the page's session, and a gate-in and a receipt made through the API move the card and its
progress without a reload.

WMS_BOARD_SCREENSHOT=<file.png>: also save the board at 1280×800 for a human to look at.
"""
from __future__ import annotations

import os

import pytest

from tests.browser.helpers import desk_page

pytestmark = pytest.mark.live


@pytest.fixture
def desk(browser, live_server):
    """A supervisor's desktop browser, signed in on the web screens."""
    with desk_page(browser, live_server, "supervisor", "/boards/inbound", "the board") as page:
        yield page


def submitted_stock_asn(live_server) -> dict:
    """A submitted stock forecast of the second demo seller (the PDA tests work on SZ-ANKE's)."""
    answer = live_server.api("GET", "/api/v1/asns", params={"status": "submitted", "per_page": 100})
    assert answer.status_code == 200, answer.text
    items = [a for a in answer.json()["items"] if a["mode"] == "stock"]
    assert items, "the demo data has submitted stock forecasts"
    chosen = next((a for a in items if a["seller_code"] != "SZ-ANKE"), items[-1])
    return live_server.api("GET", f"/api/v1/asns/{chosen['id']}").json()


def card(number: str, column: str) -> str:
    return f'.column[data-column="{column}"] .asn-card[data-number="{number}"]'


def counted(page, column: str) -> int:
    return int(page.inner_text(f'.column[data-column="{column}"] h2 .count'))


def test_cards_move_and_progress_live(desk, live_server):
    page = desk
    asn = submitted_stock_asn(live_server)
    number = asn["number"]
    page.wait_for_selector("#live[data-state=live]")                  # joined the "inbound" room
    page.wait_for_selector(card(number, "submitted"))
    arrived_before, receiving_before = counted(page, "arrived"), counted(page, "receiving")
    page.evaluate("window.__sameDocument = true")                      # gone if the page reloads

    gate = live_server.api("POST", "/api/v1/gate-passes", json={"vehicle_no": "粤B·BOARD1", "asns": [{"asn": number}]})
    assert gate.status_code == 201, gate.text
    page.wait_for_selector(card(number, "arrived"))
    assert page.locator(card(number, "submitted")).count() == 0
    assert counted(page, "arrived") == arrived_before + 1
    vehicle = asn["vehicle_no"] or "粤B·BOARD1"                         # the forecast's own, else the gate's
    assert vehicle in page.inner_text(card(number, "arrived"))
    page.wait_for_selector('#feed li[data-event="asn.arrived"]')
    assert number in page.inner_text("#feed li:first-child")

    line = asn["lines"][0]
    product = live_server.api("GET", f"/api/v1/products/{line['product_id']}").json()
    receipt = {"asn_id": asn["id"], "product_id": line["product_id"], "qty": 5,
               "weight_kg": "0.2", "length_cm": "10", "width_cm": "8", "height_cm": "4"}
    if product.get("lot_tracked"):
        receipt["lot"] = "BOARD-LOT1"
    answer = live_server.api("POST", "/api/v1/receiving/receipts", json=receipt)
    assert answer.status_code in (200, 201), answer.text
    expected = sum(l["expected_qty"] for l in asn["lines"])
    receiving = card(number, "receiving")
    page.wait_for_selector(receiving)
    page.wait_for_function(f"document.querySelector('{receiving} .asn-qty').textContent.indexOf('5/{expected}') === 0")
    width = page.eval_on_selector(f"{receiving} .fill", "e => e.style.width")
    assert width == f"{round(500 / expected)}%"
    assert counted(page, "arrived") == arrived_before and counted(page, "receiving") == receiving_before + 1
    page.wait_for_selector('#feed li[data-event="receipt.posted"]')
    assert page.evaluate("window.__sameDocument") is True               # no reload happened

    answer = live_server.api("POST", "/api/v1/receiving/receipts", json={**receipt, "qty": 3})
    assert answer.status_code in (200, 201), answer.text
    page.wait_for_function(f"document.querySelector('{receiving} .asn-qty').textContent.indexOf('8/{expected}') === 0")

    target = os.environ.get("WMS_BOARD_SCREENSHOT")
    if target:
        page.screenshot(path=target)

    with page.expect_navigation():                                     # a card opens the forecast
        page.click(receiving)
    assert page.url.endswith(f"/admin/asns/{asn['id']}")


def test_live_indicator_shows_a_lost_connection(desk):
    page = desk
    page.wait_for_selector("#live[data-state=live]")
    page.evaluate("window.inboundBoard.socket.disconnect()")
    page.wait_for_selector("#live[data-state=offline]")
    page.evaluate("window.inboundBoard.socket.connect()")
    page.wait_for_selector("#live[data-state=live]")
