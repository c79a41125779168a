"""The supervisors' outbound board (/boards/outbound) in a real browser against the live server, at a wall
screen's 1920×1080: it signs in to Socket.IO with the page's session, joins the room "outbound", and work done
through the API — a wave released and picked, its order packed, the parcel bagged and the bag sealed — changes
the page without a reload.

The order is made as in test_packing_station (seller anke's order for demo stock no other browser test uses,
allocated, planned, released and picked through the API), so the demo's own parcels are left to other tests.

WMS_OUTBOUND_BOARD_SCREENSHOT=<file.png>: also save the board for a human to look at.
"""
from __future__ import annotations

import os
from decimal import Decimal

import pytest

from tests.browser.helpers import desk_page
from tests.browser.test_packing_station import picked_order
from tests.browser.test_pda_picking import ok

pytestmark = pytest.mark.live


@pytest.fixture
def wall(browser, live_server):
    """A supervisor's wall screen, signed in on the web screens, showing the outbound board."""
    with desk_page(browser, live_server, "supervisor", "/boards/outbound", "the board", width=1920,
                   height=1080) as page:
        yield page


def number(page, key: str) -> int:
    return int(page.inner_text(f'[data-key="{key}"]').replace(",", ""))


def wait_number(page, key: str, value: int) -> None:
    page.wait_for_function("([key, value]) => { var n = document.querySelector('[data-key=\"' + key + '\"]');"
                           " return n && Number(n.textContent.replace(/,/g, '')) === value; }", arg=[key, value])


KEYS = ("columns.picked.orders", "columns.packed.orders", "columns.bagged.orders", "columns.bagged.units",
        "bags.open", "bags.sealed", "bags.sealed_parcels")


def test_the_board_follows_a_wave_to_a_sealed_bag(wall, live_server, monkeypatch):
    page = wall
    page.wait_for_selector("#live[data-state=live]")                   # joined the "outbound" room
    page.wait_for_function("window.outboundBoard.loads >= 1")          # and reloaded the state once
    before = {key: number(page, key) for key in KEYS}
    page.evaluate("window.__sameDocument = true")                      # gone if the page reloads
    waves_shown = page.evaluate("fetch('/boards/outbound/state').then(r => r.json())"
                                ".then(s => s.waves.in_progress_count)") < 7      # room for one more row

    order, sku, slot = picked_order(live_server, monkeypatch, 2)       # planned, released, both units picked
    number_of_wave = slot.rpartition("-C")[0]                          # the cart slot's LPN: <wave>-C1-01
    wave_id = next(w["id"] for w in ok(live_server.api("GET", "/api/v1/waves", params={"q": number_of_wave}))["items"]
                   if w["number"] == number_of_wave)
    row = f'#waves tr[data-wave="{wave_id}"]'
    wait_number(page, "columns.picked.orders", before["columns.picked.orders"] + 1)
    if waves_shown:                                                    # the wave's row: picked, not packed yet
        page.wait_for_function("row => { var r = document.querySelector(row);"
                               " return !!r && r.textContent.indexOf('2/2') >= 0; }", arg=row)
        assert "0/1" in page.inner_text(row)
    assert order["order_no"] in page.inner_text('[data-oldest="picked"]')

    op = "op01"
    ready = ok(live_server.api("POST", f"/api/v1/packing/orders/{order['id']}/check", op, json={"scans": [sku, sku]}))
    weight = Decimal(ready["order"]["expected_weight_kg"]) + Decimal("0.08")                # + the CTN-S carton
    ok(live_server.api("POST", f"/api/v1/packing/orders/{order['id']}/close", op,
                       json={"scans": [sku, sku], "material": "CTN-S", "weight_kg": str(weight)}))
    wait_number(page, "columns.packed.orders", before["columns.packed.orders"] + 1)
    page.wait_for_selector(row, state="detached")                      # nothing left to pick or pack
    assert number(page, "columns.picked.orders") == before["columns.picked.orders"]

    packed = ok(live_server.api("GET", f"/api/v1/orders/{order['id']}"))
    bag = ok(live_server.api("POST", "/api/v1/bags", op, json={}))
    ok(live_server.api("POST", f"/api/v1/bags/{bag['id']}/parcels", op, json={"scan": packed["logistics_no"]}))
    wait_number(page, "columns.bagged.orders", before["columns.bagged.orders"] + 1)
    assert number(page, "columns.bagged.units") == before["columns.bagged.units"] + 2
    assert number(page, "columns.packed.orders") == before["columns.packed.orders"]
    assert number(page, "bags.open") == before["bags.open"] + 1
    assert order["order_no"] in page.inner_text('[data-oldest="bagged"]')

    ok(live_server.api("POST", f"/api/v1/bags/{bag['id']}/seal", op, json={"count": 1, "weight_kg": "1.2"}))
    wait_number(page, "bags.sealed", before["bags.sealed"] + 1)
    assert number(page, "bags.open") == before["bags.open"]
    assert number(page, "bags.sealed_parcels") == before["bags.sealed_parcels"] + 1
    assert page.evaluate("window.__sameDocument") is True               # no reload happened

    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], "the board is wider than the screen"
    target = os.environ.get("WMS_OUTBOUND_BOARD_SCREENSHOT")
    if target:
        page.screenshot(path=target)


def test_live_indicator_shows_a_lost_connection(wall):
    page = wall
    page.wait_for_selector("#live[data-state=live]")
    loads = page.evaluate("window.outboundBoard.loads")
    page.evaluate("window.outboundBoard.socket.disconnect()")
    page.wait_for_selector("#live[data-state=offline]")
    page.evaluate("window.outboundBoard.socket.connect()")
    page.wait_for_selector("#live[data-state=live]")
    page.wait_for_function(f"window.outboundBoard.loads > {loads}")   # what it missed, reloaded once back
