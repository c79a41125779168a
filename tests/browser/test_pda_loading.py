"""PDA loading (装车) end to end in a real browser, checked against the API and the database.

Each test packs an order of its own (as in test_pda_bagging), bags and seals it through the API and lets
customs release it, then loads it on the PDA: a vehicle of another carrier and an unsealed bag are refused,
the right vehicle (continued from the start list) takes the bag, the manifest is closed with its master bill
and its PDF opens; a supervisor sends a closed vehicle out through the gate.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.browser.helpers import message, scan, shot, sign_in, wait_step
from tests.browser.test_pda_bagging import order_status, packed_orders, wait_error
from tests.browser.test_pda_picking import ok

pytestmark = pytest.mark.live


def release_by_customs(live_server, order_id: int) -> None:
    """Customs releases the order's export list, as its receipt does through the customs worker."""
    from wms.db import utcnow
    from wms.extensions import db
    from wms.outbound.models import Order
    with live_server.app.app_context():
        try:
            order = db.session.get(Order, order_id)
            order.customs_state, order.released_at = "released", utcnow()
            db.session.commit()
        finally:
            db.session.remove()


def sealed_bag(live_server, monkeypatch) -> tuple[dict, dict, str]:
    """A packed order in a sealed bag, released by customs. Returns (order, bag, the bag's carrier code)."""
    from wms.masterdata.models import Carrier, Channel
    [order] = packed_orders(live_server, monkeypatch, ["US"])
    bag = ok(live_server.api("POST", "/api/v1/bags", "op01", json={}))
    ok(live_server.api("POST", f"/api/v1/bags/{bag['id']}/parcels", "op01", json={"scan": order["logistics_no"]}))
    bag = ok(live_server.api("POST", f"/api/v1/bags/{bag['id']}/seal", "op01", json={"count": 1, "weight_kg": "0.950"}))
    release_by_customs(live_server, order["id"])
    carrier = live_server.query(sa.select(Carrier.code).join(Channel, Channel.carrier_id == Carrier.id)
                                .where(Channel.code == bag["channel_code"]))[0]
    return order, bag, carrier


def stored(live_server, key, value, *columns):
    from wms.extensions import db
    with live_server.app.app_context():
        try:
            return db.session.execute(sa.select(*columns).where(key == value)).one()
        finally:
            db.session.remove()


def manifest_row(live_server, number: str):
    from wms.outbound.models import Manifest
    return stored(live_server, Manifest.number, number, Manifest.id, Manifest.status, Manifest.bags_count,
                  Manifest.parcels_count, Manifest.bill_no)


def bag_status(live_server, sscc: str) -> str:
    from wms.outbound.models import Bag
    return stored(live_server, Bag.sscc, sscc, Bag.status)[0]


def new_vehicle(page, carrier: str, plate: str, driver: str = "") -> None:
    page.click("#load-new")
    wait_step(page, "load-new")
    page.click(f"#load-carriers [data-carrier='{carrier}']")
    page.wait_for_selector(f"#load-carriers [data-carrier='{carrier}'].on")
    page.fill("#load-vehicle", plate)
    page.fill("#load-driver", driver)


def wait_stat(page, element_id: str, value: str) -> None:
    page.wait_for_function("a => { var e = document.getElementById(a[0]); return e && e.textContent === a[1]; }",
                           arg=[element_id, value])


def test_load_sealed_bags_refuse_the_wrong_ones_and_close(page, live_server, monkeypatch):
    order, bag, carrier = sealed_bag(live_server, monkeypatch)
    unsealed = ok(live_server.api("POST", "/api/v1/bags", "op01", json={}))
    other = "SF" if carrier != "SF" else "CHINAPOST"
    sent: list[dict] = []
    page.on("request", lambda r: sent.append({"url": r.url, "method": r.method, **r.headers})
            if "/api/v1/manifests" in r.url else None)

    sign_in(page)
    page.click(".menu-item[data-go=load]")
    wait_step(page, "load-open")
    assert page.inner_text("#task-title") == "装车"
    page.wait_for_selector("#load-list .section-title")
    scan(page, bag["sscc"])                                              # a bag before any vehicle
    wait_error(page, bag["sscc"])
    assert "先选择或新建车辆" in message(page)

    new_vehicle(page, other, "粤B·T0001")                                # a vehicle of another carrier
    shot(page, "pda-load-new-vehicle")
    page.click("#load-open-ok")
    wait_step(page, "load-bag")
    assert other in page.inner_text("#load-head")
    scan(page, bag["sscc"])
    wait_error(page, bag["sscc"])                                        # 409 wrong_carrier names both carriers
    assert carrier in message(page) and other in message(page)
    assert bag["sscc"] in page.inner_text("#load-refused")
    assert page.evaluate("window.__vibrations").count([160, 90, 160]) >= 2
    wait_stat(page, "load-bags-count", "0")
    assert bag_status(live_server, bag["sscc"]) == "sealed" and order_status(live_server, order["id"]) == "bagged"
    shot(page, "pda-load-wrong-carrier")

    page.click("#load-reset")                                            # back to the vehicles
    wait_step(page, "load-open")
    new_vehicle(page, carrier, "粤B12345", "王师傅")
    page.click("#load-open-ok")
    wait_step(page, "load-bag")
    number = page.inner_text("#load-number")
    assert "粤B12345" in page.inner_text("#load-head") and "王师傅" in page.inner_text("#load-head")
    assert "粤B12345" in page.inner_text("#prompt")

    page.click("[data-action=home]")                                     # continue it from the start list
    wait_step(page, "home")
    page.click(".menu-item[data-go=load]")
    wait_step(page, "load-open")
    manifest_id = manifest_row(live_server, number)[0]
    row = page.wait_for_selector(f"#load-list [data-manifest='{manifest_id}']")
    assert "粤B12345" in row.inner_text() and number in row.inner_text()
    shot(page, "pda-load-start")
    row.click()
    wait_step(page, "load-bag")
    assert page.inner_text("#load-number") == number

    scan(page, unsealed["sscc"])                                         # still open: seal it first
    wait_error(page, unsealed["sscc"])
    assert "请先封袋" in message(page)
    scan(page, bag["sscc"])
    wait_stat(page, "load-bags-count", "1")
    assert page.inner_text("#load-parcels-count") == "1" and page.inner_text("#load-weight") == "0.950"
    page.wait_for_selector("#load-bag-rows")
    assert bag["sscc"] in page.inner_text("#load-bag-rows")
    assert manifest_row(live_server, number)[1:4] == ("loading", 1, 1)
    assert bag_status(live_server, bag["sscc"]) == "loaded" and order_status(live_server, order["id"]) == "loaded"
    page.wait_for_timeout(350)                                           # a deliberate second scan, not a double read
    scan(page, bag["sscc"])
    page.wait_for_selector("#message.warn")
    assert "已在本车" in message(page)
    shot(page, "pda-load-bags")

    page.click("#load-close")
    wait_step(page, "load-close")
    page.fill("#load-bill", "999-12345675")
    page.fill("#load-traf", "CA1234")
    page.fill("#load-voyage", "CA1234/1124")
    shot(page, "pda-load-close")
    page.click("#load-close-ok")
    page.wait_for_selector("#load-closed")
    wait_step(page, "load-closed")
    assert manifest_row(live_server, number)[1:] == ("closed", 1, 1, "999-12345675")
    assert "已关闭" in page.inner_text("#load-status")
    assert page.is_hidden("#load-gate-out")                              # gate-out is for supervisors
    with page.context.expect_page() as opened:                          # the manifest PDF
        page.click("#load-pdf")
    popup = opened.value
    popup.wait_for_function("location.href.indexOf('blob:') === 0")
    popup.close()
    shot(page, "pda-load-closed")
    assert any(r["url"].endswith(f"/api/v1/manifests/{manifest_id}/document") for r in sent)
    posts = [r for r in sent if r["method"] == "POST"]
    assert len(posts) >= 6 and all(r.get("idempotency-key") for r in posts)


def test_a_supervisor_sends_a_closed_vehicle_out(page, live_server, monkeypatch):
    order, bag, carrier = sealed_bag(live_server, monkeypatch)
    manifest = ok(live_server.api("POST", "/api/v1/manifests", "op01",
                                  json={"carrier": carrier, "vehicle_no": "粤B·G0001", "driver": ""}), 201)
    ok(live_server.api("POST", f"/api/v1/manifests/{manifest['id']}/bags", "op01", json={"scan": bag["sscc"]}))
    ok(live_server.api("POST", f"/api/v1/manifests/{manifest['id']}/close", "op01", json={}))

    sign_in(page, "supervisor")
    page.click(".menu-item[data-go=load]")
    wait_step(page, "load-open")
    row = page.wait_for_selector(f"#load-list [data-manifest='{manifest['id']}']")   # closed, waiting for the gate
    assert "粤B·G0001" in row.inner_text()
    scan(page, manifest["number"])                                       # or scan its number
    wait_step(page, "load-closed")
    assert page.inner_text("#load-number") == manifest["number"]
    page.click("#load-gate-out")                                         # final: the first tap arms it
    page.wait_for_selector("#load-gate-out.armed")
    assert "再点一次" in message(page)
    assert manifest_row(live_server, manifest["number"])[1] == "closed"
    shot(page, "pda-load-gate-out-armed")
    page.click("#load-gate-out")
    page.wait_for_selector("#load-departed")
    assert manifest_row(live_server, manifest["number"])[1] == "departed"
    assert order_status(live_server, order["id"]) == "shipped"
    assert page.is_hidden("#load-gate-out") and "已出区" in page.inner_text("#load-status")
    shot(page, "pda-load-departed")
