"""PDA receiving (收货) and putaway (上架) end to end in a real browser, checked against the API.

The page only renders the server's scenario answers (step, prompt, data); these tests drive it like an
operator with a wedge scanner and read the outcome back through the API. ASN numbers are date-based, so the
forecast is looked up (GET /asns?status=arrived) rather than named.
"""
from __future__ import annotations

import re

import pytest

from tests.browser.helpers import message, scan, shot, sign_in, wait_step

pytestmark = pytest.mark.live


def gtin13(body: str) -> str:
    """A valid GTIN-13 (the PDA refuses a wrong check digit before any network call)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def arrived_asn(live_server) -> dict:
    answer = live_server.api("GET", "/api/v1/asns", params={"status": "arrived", "per_page": 100})
    assert answer.status_code == 200, answer.text
    items = [a for a in answer.json()["items"] if a["mode"] == "stock"]
    assert items, "the demo data has an arrived stock forecast"
    chosen = next((a for a in items if a["seller_code"] == "SZ-ANKE"), items[0])
    asn = live_server.api("GET", f"/api/v1/asns/{chosen['id']}")
    assert asn.status_code == 200, asn.text
    return asn.json()


def barcode_of(live_server, product_id: int) -> str:
    product = live_server.api("GET", f"/api/v1/products/{product_id}")
    assert product.status_code == 200, product.text
    return product.json()["barcodes"][0]


def receipts(live_server, asn_id: int) -> list[dict]:
    answer = live_server.api("GET", "/api/v1/receipts", params={"asn_id": asn_id, "per_page": 200})
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def make_first_arrival(live_server, product_id: int) -> None:
    """As if this SKU had never been received: its first receipt asks for weight and dimensions (首次到货)."""
    import sqlalchemy as sa
    from wms.extensions import db
    from wms.masterdata.models import Product
    with live_server.app.app_context():
        try:
            db.session.execute(sa.update(Product).where(Product.id == product_id).values(first_received_at=None))
            db.session.commit()
        finally:
            db.session.remove()


def tap_keys(page, digits: str) -> None:
    for digit in digits:
        page.click(f"#rcv-keypad [data-key='{digit}']")


def measure_if_asked(page) -> None:
    """First arrival (首次到货): the inputs come prefilled from the product; fill any blank one."""
    page.wait_for_selector("#scan[data-step='receive-qty'], #scan[data-step='receive-measure']", state="attached")
    if page.get_attribute("#scan", "data-step") == "receive-measure":
        shot(page, "pda-receive-measure")
        for name, value in (("weight_kg", "0.2"), ("length_cm", "10"), ("width_cm", "8"), ("height_cm", "4")):
            if not page.input_value(f"#rcv-{name}"):
                page.fill(f"#rcv-{name}", value)
        page.click("#rcv-measure-ok")
        wait_step(page, "receive-qty")


def test_receive_an_asn_print_the_lpn_and_finish(page, live_server):
    asn = arrived_asn(live_server)
    first, second = asn["lines"][0], asn["lines"][1]
    code1, code2 = barcode_of(live_server, first["product_id"]), barcode_of(live_server, second["product_id"])
    assert first["received_qty"] == 0 and second["received_qty"] == 0

    sign_in(page)
    assert page.is_visible(".menu-item[data-go=receive]") and page.is_visible(".menu-item[data-go=putaway]")
    page.click(".menu-item[data-go=receive]")
    wait_step(page, "receive-asn")
    assert page.inner_text("#prompt") == "扫描预报单号、箱唛或参考号"
    shot(page, "pda-receive-asn")

    scan(page, asn["number"])
    wait_step(page, "receive-sku")
    assert asn["number"] in page.inner_text("#prompt")                  # the server's prompt, in Chinese
    assert asn["number"] in page.inner_text("#rcv-asn")
    assert page.locator("#rcv-lines li").count() == len(asn["lines"])
    shot(page, "pda-receive-sku")

    # A product, a keyed quantity, received onto a new LPN in temporary storage.
    scan(page, code1)
    measure_if_asked(page)
    assert first["sku"] in page.inner_text("#rcv-item")
    assert page.inner_text("#rcv-qty-value") == "1"                     # default quantity
    tap_keys(page, "3")
    assert page.inner_text("#rcv-qty-value") == "3"
    shot(page, "pda-receive-qty")
    page.click("#rcv-ok")
    page.wait_for_selector("#rcv-result .result.ok")
    wait_step(page, "receive-sku")
    lpn = page.inner_text("#rcv-lpn")
    assert re.fullmatch(r"LPN\d+", lpn)
    assert first["sku"] in page.inner_text("#rcv-result") and "× 3" in page.inner_text("#rcv-result")
    assert page.get_attribute("#rcv-print", "data-label") == f"/api/v1/lpns/{lpn}/label"
    shot(page, "pda-receive-received")
    taken = [r for r in receipts(live_server, asn["id"]) if r["lpn"] == lpn]
    assert [(r["sku"], r["qty"], r["condition"]) for r in taken] == [(first["sku"], 3, "good")]

    # "Print LPN label": the PDF (behind the bearer token) opens in a new tab.
    with page.context.expect_page() as opened:
        page.click("#rcv-print")
    popup = opened.value
    popup.wait_for_function("location.href.indexOf('blob:') === 0")
    popup.close()

    # One per scan: after the product is identified, each further scan of it receives 1 unit on one LPN.
    scan(page, code1)
    wait_step(page, "receive-qty")
    for count in (1, 2):
        page.wait_for_timeout(350)                                      # a deliberate repeat, not a double read
        scan(page, code1)
        page.wait_for_function(f"document.getElementById('message').textContent.indexOf('共 {count} 件') >= 0")
        wait_step(page, "receive-qty")
    run_lpn = page.inner_text("#rcv-lpn")
    assert run_lpn != lpn
    assert sum(r["qty"] for r in receipts(live_server, asn["id"]) if r["lpn"] == run_lpn) == 2

    # First arrival: weight and dimensions, prefilled from the product, go along with the receipt.
    make_first_arrival(live_server, second["product_id"])
    scan(page, code2)
    wait_step(page, "receive-measure")
    assert "首次到货" in page.inner_text("#rcv-item")
    page.fill("#rcv-weight_kg", "")
    page.click("#rcv-measure-ok")
    page.wait_for_selector("#message.error")                           # all four are needed
    page.fill("#rcv-weight_kg", "0.123")
    shot(page, "pda-receive-measure")
    page.click("#rcv-measure-ok")
    wait_step(page, "receive-qty")

    # Over the forecast: the server asks for a reason; the same quantity goes again with it.
    tap_keys(page, str(second["expected_qty"] + 6))
    page.click("#rcv-ok")
    page.wait_for_selector("#message.error")
    assert "超收" in message(page)
    assert page.is_visible("#rcv-reason")
    page.fill("#rcv-reason", "供应商多发")
    page.click("#rcv-ok")
    page.wait_for_selector("#rcv-result .result.ok")
    over = page.inner_text("#rcv-lpn")
    assert [(r["qty"], r["reason"], r["first_arrival"]) for r in receipts(live_server, asn["id"]) if r["lpn"] == over] == [
        (second["expected_qty"] + 6, "供应商多发", True)]
    assert live_server.api("GET", f"/api/v1/products/{second['product_id']}").json()["weight_kg"] == "0.123"

    # Damaged units need a reason and go onto their own LPN.
    scan(page, code2)
    wait_step(page, "receive-qty")                                      # measured once: not asked again
    page.click("#rcv-condition [data-condition=damaged]")
    assert page.is_visible("#rcv-reason")
    page.click("#rcv-ok")
    page.wait_for_selector("#message.error")
    assert page.get_attribute("#scan", "data-step") == "receive-qty"
    page.fill("#rcv-reason", "外箱压坏")
    page.click("#rcv-ok")
    wait_step(page, "receive-sku")
    page.wait_for_selector("#rcv-result .result.ok")
    damaged = page.inner_text("#rcv-lpn")
    assert [(r["qty"], r["condition"], r["reason"]) for r in receipts(live_server, asn["id"]) if r["lpn"] == damaged] == [
        (1, "damaged", "外箱压坏")]

    # An unknown barcode: link it to a product of the forecast, then receive with it.
    unknown = gtin13("690999" + str(asn["id"]).zfill(6))
    scan(page, unknown)
    page.wait_for_selector("#rcv-problem [data-link]")
    assert unknown in message(page)
    shot(page, "pda-receive-unknown")
    page.click(f"#rcv-problem [data-link='{first['product_id']}']")
    wait_step(page, "receive-qty")
    assert first["sku"] in page.inner_text("#rcv-item")
    page.click("#rcv-ok")
    page.wait_for_selector("#rcv-result .result.ok")
    wait_step(page, "receive-sku")
    product = live_server.api("GET", f"/api/v1/products/{first['product_id']}").json()
    assert unknown in product["barcodes"]

    # Finish: a second tap confirms; short lines need a reason, asked for and sent again.
    page.click("#rcv-finish")
    assert "再点一次" in message(page)
    page.click("#rcv-finish")
    page.wait_for_selector("#rcv-finish-reason-box:not([hidden])")
    assert "原因" in message(page)
    shot(page, "pda-receive-finish-reason")
    page.fill("#rcv-finish-reason", "少到货，卖家确认")
    page.click("#rcv-finish")
    page.wait_for_selector("#rcv-result .result.ok")
    wait_step(page, "receive-asn")
    assert asn["number"] in page.inner_text("#rcv-result")
    status = live_server.api("GET", f"/api/v1/asns/{asn['id']}").json()["status"]
    assert status not in ("arrived", "receiving")


def test_putaway_to_the_suggested_location(page, live_server):
    answer = live_server.api("GET", "/api/v1/putaway-tasks", params={"status": "open", "per_page": 100})
    assert answer.status_code == 200, answer.text
    tasks = [t for t in answer.json()["items"] if t["suggested_location"] and t["lpn"]]
    assert tasks, "the demo data has open putaway tasks"
    task = tasks[0]
    other = "A10-18-5-2" if task["suggested_location"] != "A10-18-5-2" else "A10-18-4-2"

    sign_in(page)
    page.click(".menu-item[data-go=putaway]")
    wait_step(page, "putaway-lpn")
    assert page.inner_text("#prompt") == "扫描要上架的 LPN 或商品"
    shot(page, "pda-putaway-lpn")

    scan(page, "A01-01-1-1")                                            # a location is not what this step takes
    page.wait_for_selector("#message.error")
    assert page.get_attribute("#scan", "data-step") == "putaway-lpn"

    scan(page, task["lpn"])
    wait_step(page, "putaway-location")
    assert page.inner_text("#pa-suggested") == task["suggested_location"]
    assert task["suggested_location"] in page.inner_text("#prompt")
    assert task["sku"] in page.inner_text("#pa-task") and task["lpn"] in page.inner_text("#pa-task")
    shot(page, "pda-putaway-location")
    page.click("#lang")                                                 # the page's own labels follow the language
    assert "Suggested location" in page.inner_text("#pa-task")
    page.click("#lang")
    assert "推荐库位" in page.inner_text("#pa-task")

    # Another location than the suggestion: the server asks why (full / damaged / closer / other).
    scan(page, other)
    page.wait_for_selector("#pa-reason:not([hidden])")
    assert task["suggested_location"] in message(page)
    assert page.locator("#pa-reason [data-reason]").count() == 3
    shot(page, "pda-putaway-reason")

    # Scanning the suggestion after all needs no reason.
    scan(page, task["suggested_location"])
    page.wait_for_selector("#pa-result .result.ok")
    wait_step(page, "putaway-lpn")
    assert task["suggested_location"] in page.inner_text("#pa-result")
    shot(page, "pda-putaway-done")

    done = live_server.api("GET", "/api/v1/putaway-tasks", params={"lpn": task["lpn"], "per_page": 100}).json()["items"]
    done = [t for t in done if t["id"] == task["id"]][0]
    assert done["status"] == "done" and done["to_location"] == task["suggested_location"]
    stock = live_server.stock(lpn=task["lpn"])
    assert sum(r["qty"] for r in stock if r["location_code"] == task["suggested_location"]) >= task["qty"]
    assert sum(r["qty"] for r in stock if r["location_code"] == task["from_location"]) == 0


def test_parcel_mode_scans_waybills(page, live_server):
    waybills = ["SF7712345678901", "SF7712345678902"]
    created = live_server.api("POST", "/api/v1/asns", json={
        "seller_id": 1, "mode": "parcel", "reference": "PDA-PARCELS", "cartons": 1,
        "parcels": [{"waybill_no": w, "order_no": f"ORD-{n}"} for n, w in enumerate(waybills, 1)]})
    assert created.status_code == 201, created.text
    asn = created.json()
    submitted = live_server.api("POST", f"/api/v1/asns/{asn['id']}/submit", json={})
    assert submitted.status_code == 200, submitted.text
    gate = live_server.api("POST", "/api/v1/gate-passes", json={"vehicle_no": "粤B·77123", "asns": [{"asn": asn["number"]}]})
    assert gate.status_code == 201, gate.text

    sign_in(page)
    page.click(".menu-item[data-go=receive]")
    wait_step(page, "receive-asn")
    scan(page, asn["number"])
    wait_step(page, "receive-parcel")
    assert "运单号" in page.inner_text("#prompt")
    assert "包裹 0 / 2" in page.inner_text("#rcv-asn")

    scan(page, waybills[0])
    page.wait_for_selector("#rcv-result .result.ok")
    assert waybills[0] in page.inner_text("#rcv-result") and "ORD-1" in page.inner_text("#rcv-result")
    assert "包裹 1 / 2" in page.inner_text("#rcv-asn")
    shot(page, "pda-receive-parcel")

    page.wait_for_timeout(350)                                          # the same code again: not a double read
    scan(page, waybills[0])
    page.wait_for_selector("#message.error")
    assert waybills[0] in message(page)                                 # 409 parcel_already_received names it
    wait_step(page, "receive-parcel")

    scan(page, "SF7712345678999")
    page.wait_for_function("document.getElementById('message').textContent.indexOf('SF7712345678999') >= 0")
    assert page.get_attribute("#message", "class") == "message error"  # 404 parcel_not_on_asn names it
    parcels = live_server.api("GET", f"/api/v1/asns/{asn['id']}").json()["parcels"]
    assert [(p["waybill_no"], bool(p["received_at"])) for p in parcels] == [(waybills[0], True), (waybills[1], False)]


def test_offline_receipt_is_queued_and_replayed_once_with_its_key(page, live_server):
    asn = arrived_asn(live_server)
    line = asn["lines"][-1]
    code = barcode_of(live_server, line["product_id"])
    before = len(receipts(live_server, asn["id"]))
    sent: list[dict] = []
    page.on("request", lambda r: sent.append({"url": r.url, **r.headers}) if "/api/v1/receiving/" in r.url else None)

    sign_in(page)
    page.click(".menu-item[data-go=receive]")
    wait_step(page, "receive-asn")
    scan(page, asn["number"])
    wait_step(page, "receive-sku")
    scan(page, code)
    measure_if_asked(page)
    assert all(h.get("idempotency-key") for h in sent)                 # live scenario scans carry a key too

    page.route("**/api/v1/receiving/receipts", lambda route: route.abort("internetdisconnected"))
    tap_keys(page, "2")
    page.click("#rcv-ok")
    page.wait_for_selector("#rcv-result .result.queued")
    wait_step(page, "receive-sku")                                      # the operator carries on
    assert page.inner_text("#sync-count") == "1"
    [event] = page.evaluate("PdaQueue.pending()")
    assert (event["task"], event["path"], event["body"]["qty"], event["body"]["asn_id"]) == (
        "receive", "/api/v1/receiving/receipts", 2, asn["id"])
    assert len(receipts(live_server, asn["id"])) == before

    page.unroute("**/api/v1/receiving/receipts")
    sent.clear()
    page.click("#sync-badge")
    page.click("#sync-now")
    page.wait_for_function("document.getElementById('sync-count').textContent === '0'")
    assert [h["idempotency-key"] for h in sent if h["url"].endswith("/receipts")] == [event["id"]]
    new = receipts(live_server, asn["id"])[: len(receipts(live_server, asn["id"])) - before]
    assert [(r["sku"], r["qty"]) for r in new] == [(line["sku"], 2)]


def test_putaway_elsewhere_with_a_reason(page, live_server):
    answer = live_server.api("GET", "/api/v1/putaway-tasks", params={"status": "open", "per_page": 100})
    tasks = [t for t in answer.json()["items"] if t["suggested_location"] and t["lpn"]]
    if not tasks:
        pytest.skip("no open putaway task left in the demo data")
    task = tasks[-1]
    other = next(code for code in ("A10-14-5-2", "A10-14-4-2") if code != task["suggested_location"])

    sign_in(page)
    page.click(".menu-item[data-go=putaway]")
    wait_step(page, "putaway-lpn")
    scan(page, task["lpn"])
    wait_step(page, "putaway-location")
    scan(page, other)
    page.wait_for_selector("#pa-reason:not([hidden])")
    assert page.inner_text("#prompt") == f"选择原因，或扫描推荐库位 {task['suggested_location']}"
    page.click("#pa-reason [data-reason=closer]")
    page.wait_for_selector("#pa-result .result.ok")
    wait_step(page, "putaway-lpn")
    assert other in page.inner_text("#pa-result")

    [done] = [t for t in live_server.api("GET", "/api/v1/putaway-tasks", params={"lpn": task["lpn"]}).json()["items"]
              if t["id"] == task["id"]]
    assert (done["status"], done["to_location"], done["override_reason"]) == ("done", other, "就近")
    assert sum(r["qty"] for r in live_server.stock(lpn=task["lpn"]) if r["location_code"] == other) == task["qty"]
