"""The packing station (/admin/packing) in a real browser against the live server: an operator signs in on the
web screens, scans a picked order's cart slot, a wrong unit (blocked, nothing counted), each unit, chooses the
material, types the scale's weight and closes; the order is packed (checked through the API), the shipping
label opens in a new tab and the packing list (装箱单, in the seller's template) in another.

The picked order is made as in test_pda_picking: seller anke's order for demo stock no other browser test
uses, allocated, planned (OUTBOUND_PICK_BEFORE_RELEASE on the live app), released and picked through the API.

WMS_PACK_SCREENSHOT=<file.png>: also save the station at 1280×800 (order checked, weight typed).
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from decimal import Decimal

import pytest

from tests.browser.helpers import scan, desk_page
from tests.browser.test_pda_picking import USED, free_anke_stock, ok, order_for, released_wave

pytestmark = pytest.mark.live


@pytest.fixture
def station(browser, live_server):
    """An operator's desktop browser, signed in on the web screens, at the packing station."""
    with desk_page(browser, live_server, "op01", "/admin/packing", "the packing station") as page:
        page.wait_for_function("window.PackStation")
        yield page


def picked_order(live_server, monkeypatch, units: int) -> tuple[dict, str, str]:
    """A released multi-item wave of one order of ``units`` units, picked to its cart slot through the API.
    Returns (order, sku, the cart slot's LPN)."""
    number, [order], sku = released_wave(live_server, monkeypatch, [units], USED)
    wave = next(w for w in ok(live_server.api("GET", "/api/v1/waves", params={"q": number}))["items"]
                if w["number"] == number)
    tasks = [t for t in ok(live_server.api("GET", f"/api/v1/waves/{wave['id']}"))["tasks"]
             if t["order_id"] == order["id"]]
    assert tasks
    for t in tasks:
        ok(live_server.api("POST", f"/api/v1/pick-tasks/{t['id']}/pick", "op01",
                           json={"qty": t["qty"], "slot": f"C{t['cart']}-{t['slot']:02d}"}))
    assert ok(live_server.api("GET", f"/api/v1/orders/{order['id']}"))["status"] == "picked"
    return order, sku, f"{number}-C{tasks[0]['cart']}-{tasks[0]['slot']:02d}"


def state(page, key: str):
    return page.evaluate(f"PackStation.state().{key}")


def wait_total(page, text: str) -> None:
    page.wait_for_function("t => { var e = document.getElementById('pack-total');"
                           " return e && e.textContent === t; }", arg=text)


def test_pack_a_picked_order_at_the_station(station, live_server, monkeypatch):
    page = station
    order, sku, slot_lpn = picked_order(live_server, monkeypatch, 2)
    assert page.evaluate("document.activeElement.id") == "pack-scan"          # the scan field has the focus
    assert page.inner_text("#pack-prompt") == "扫描分拣格口、订单号或运单号"

    scan(page, slot_lpn)                                                       # the cart slot names the order
    page.wait_for_selector("#pack-scan[data-step=verify]")
    assert order["order_no"] in page.inner_text("#pack-order")
    assert sku in page.inner_text("#pack-order")
    wait_total(page, "0 / 2")

    # not this order's unit: blocked
    scan(page, "6900000000000")
    page.wait_for_selector("#pack-alert:not([hidden])")
    assert "6900000000000" in page.inner_text("#pack-alert-text")
    if os.environ.get("WMS_PACK_SCREENSHOT"):
        page.screenshot(path=os.environ["WMS_PACK_SCREENSHOT"].replace(".png", "-alert.png"))
    assert state(page, "scans") == [] and "error" in state(page, "sounds")
    wait_total(page, "0 / 2")
    # ignored while the alert stands
    scan(page, sku, enter=False)
    assert page.input_value("#pack-scan") == ""
    page.keyboard.press("Enter")                                               # acknowledged
    page.wait_for_selector("#pack-alert", state="hidden")
    assert state(page, "scans") == []
    wait_total(page, "0 / 2")
    assert page.evaluate("document.activeElement.id") == "pack-scan"

    scan(page, sku)
    wait_total(page, "1 / 2")
    assert page.get_attribute("#pack-scan", "data-step") == "verify"
    scan(page, sku)
    wait_total(page, "2 / 2")
    page.wait_for_selector("#pack-scan[data-step=close]")
    assert state(page, "scans") == [sku, sku]

    page.select_option("#pack-material", "CTN-S")
    expected_text = page.inner_text("#pack-expected-value")                  # "0.480 kg ± 0.050 kg"
    expected = Decimal(re.match(r"([\d.]+) kg ± ([\d.]+) kg", expected_text).group(1))
    page.click("#pack-weight")
    page.keyboard.type(f"{int(expected * 1000)} g")                            # as the scale types it
    page.wait_for_selector("#pack-weight.in")
    assert page.is_enabled("#pack-close")
    if os.environ.get("WMS_PACK_SCREENSHOT"):
        page.screenshot(path=os.environ["WMS_PACK_SCREENSHOT"])

    opened = []
    page.context.on("page", lambda tab: opened.append(tab))
    with page.context.expect_page() as label_tab:
        page.keyboard.press("Enter")                                           # Enter on the weight closes
    page.wait_for_selector("#pack-done:not([hidden])")
    assert order["order_no"] in page.inner_text("#pack-done")
    assert page.get_attribute("#pack-label-link", "href") == f"/admin/orders/{order['id']}/shipping-label.pdf"
    tab = label_tab.value
    assert tab.url.endswith(f"/admin/orders/{order['id']}/shipping-label.pdf") or tab.url == "about:blank"
    # the packing list opens in a tab of its own, after the label's
    list_url = f"/admin/orders/{order['id']}/packing-list.pdf"
    assert page.get_attribute("#pack-list-link", "href") == list_url
    assert state(page, "lastPackingList") == list_url
    page.wait_for_function("document.getElementById('pack-list-note').textContent !== ''")
    assert page.inner_text("#pack-list-note") == "装箱单已在新标签页打开。"            # not blocked
    for _ in range(100):
        if len(opened) >= 2:
            break
        page.wait_for_timeout(100)
    assert len(opened) == 2 and opened[0] == tab
    assert opened[1].url.endswith(list_url) or opened[1].url == "about:blank"
    page.wait_for_selector("#pack-scan[data-step=start]")                      # ready for the next order
    assert state(page, "order") is None and state(page, "scans") == []
    assert page.input_value("#pack-weight") == ""

    packed = ok(live_server.api("GET", f"/api/v1/orders/{order['id']}"))
    assert packed["status"] == "packed"
    label = live_server.api("GET", f"/api/v1/orders/{order['id']}/shipping-label")
    assert label.status_code == 200 and label.content.startswith(b"%PDF")
    document = live_server.api("GET", f"/api/v1/orders/{order['id']}/packing-list", "anke")
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=document.content, capture_output=True, check=True,
                              timeout=60).stdout.decode()
        assert order["order_no"] in text and sku in text and "装箱单" in text


def test_weights_from_the_scale_are_normalised(station):
    page = station
    assert page.evaluate("['1.234', '1,234 kg', '+0001.234kg', '512 g', '512g', '2', 'abc', '0', '']"
                         ".map(PackStation.parseWeight)") == [
        "1.234", "1.234", "1.234", "0.512", "0.512", "2.000", None, None, None]
    # the scale typed into the scan field
    scan(page, "0.75kg")
    page.wait_for_function("document.getElementById('pack-weight').value === '0.750'")
    assert page.evaluate("document.activeElement.id") == "pack-scan"
    # 404 nothing_to_pack: its detail
    scan(page, "NO-SUCH-ORDER")
    page.wait_for_selector("#pack-msg.error")
    assert "NO-SUCH-ORDER" in page.inner_text("#pack-msg")
    assert page.get_attribute("#pack-scan", "data-step") == "start"


def single_item_wave(live_server, monkeypatch) -> tuple[str, dict, str]:
    """One order of one unit, planned into a single-item wave (一票一件), released and picked through the API."""
    order, sku = None, None
    for row in free_anke_stock(live_server, 1, USED):
        answer = order_for(live_server, row["sku"], 1)
        if answer.status_code == 201:
            order, sku = answer.json(), row["sku"]
            break
    assert order, "no demo stock of seller anke to pack"
    USED.add(sku)
    ok(live_server.api("POST", f"/api/v1/orders/{order['id']}/allocate"))
    monkeypatch.setitem(live_server.app.config, "OUTBOUND_PICK_BEFORE_RELEASE", True)
    waves = ok(live_server.api("POST", "/api/v1/waves/plan", json={"kinds": ["single"]}), 201)
    monkeypatch.setitem(live_server.app.config, "OUTBOUND_PICK_BEFORE_RELEASE", False)
    for wave in waves:
        tasks = ok(live_server.api("GET", f"/api/v1/waves/{wave['id']}"))["tasks"]
        if any(t["order_id"] == order["id"] for t in tasks):
            break
    else:
        raise AssertionError(f"the order is in none of {waves}")
    assert wave["kind"] == "single"
    ok(live_server.api("POST", f"/api/v1/waves/{wave['id']}/release"))
    for t in (t for t in tasks if t["order_id"] == order["id"]):
        ok(live_server.api("POST", f"/api/v1/pick-tasks/{t['id']}/pick", "op01", json={"qty": t["qty"]}))
    return wave["number"], order, sku


def test_single_item_fast_lane(station, live_server, monkeypatch):
    page = station
    number, order, sku = single_item_wave(live_server, monkeypatch)
    page.click("#mode-fast")
    page.wait_for_selector("#pack-scan[data-step=wave]")
    assert page.inner_text("#pack-prompt") == "快速通道：扫描波次号"
    assert page.evaluate("document.activeElement.id") == "pack-scan"
    scan(page, number)                                                         # asked once
    page.wait_for_selector("#pack-scan[data-step=start]")
    assert page.inner_text("#pack-wave-no") == number
    scan(page, sku)                                                            # the unit names its order
    page.wait_for_selector("#pack-scan[data-step=close]")
    picked_for = page.evaluate("PackStation.state().order")
    assert picked_for["lines"][0]["sku"] == sku and picked_for["lines"][0]["checked"] == 1
    assert state(page, "scans") == [sku]
    page.select_option("#pack-material", "MLR-L")
    expected = Decimal(re.match(r"([\d.]+) kg", page.inner_text("#pack-expected-value")).group(1))
    # far off: refused with expected ± tolerance
    scan(page, f"{expected + 5}kg")
    page.wait_for_function("document.getElementById('pack-weight').value !== ''")
    # Enter on the empty scan field closes
    page.keyboard.press("Enter")
    page.wait_for_selector("#pack-alert:not([hidden])")
    alert = page.inner_text("#pack-alert-text")
    assert f"{expected:.3f}" in alert and "±" in alert
    page.keyboard.press("Enter")
    page.wait_for_selector("#pack-alert", state="hidden")
    assert ok(live_server.api("GET", f"/api/v1/orders/{order['id']}"))["status"] == "picked"

    # the scale again, right this time
    scan(page, f"{expected}")
    page.wait_for_function("v => document.getElementById('pack-weight').value === v", arg=f"{expected:.3f}")
    with page.context.expect_page():
        page.keyboard.press("Enter")
        page.wait_for_selector("#pack-done:not([hidden])")
    assert state(page, "lastPackingList") == f"/admin/orders/{order['id']}/packing-list.pdf"
    # the wave is kept for the next unit
    page.wait_for_selector("#pack-scan[data-step=start]")
    assert page.inner_text("#pack-wave-no") == number
    assert state(page, "lastLabel") == f"/admin/orders/{order['id']}/shipping-label.pdf"
    assert ok(live_server.api("GET", f"/api/v1/orders/{order['id']}"))["status"] == "packed"
