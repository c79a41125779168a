"""The loading desk in a real browser against the live server: a supervisor opens a manifest for a carrier's
vehicle, scans a sealed bag's SSCC into the scan field (a keyboard wedge: typed, then Enter), closes the manifest
with the master bill and flight, and lets the vehicle out of the zone (confirming the dialog); the database shows
the manifest departed, the bag loaded and the order shipped.

The bag is made through the API: one of the demo's packed parcels that customs has released, bagged and sealed.

WMS_DESK_SCREENSHOTS=<folder>: also save the pages at 1280×800 there for a human to look at.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.browser.helpers import scan, desk_page
from tests.browser.test_pda_picking import ok

pytestmark = pytest.mark.live


def shot(page, name: str) -> None:
    folder = os.environ.get("WMS_DESK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def desk(browser, live_server):
    """A supervisor's desktop browser, signed in on the web screens."""
    with desk_page(browser, live_server, "supervisor", "/admin/manifests/new", "the desk") as page:
        yield page


def focused(page, element_id: str) -> None:
    """Wait for the page's autofocus to put the caret in ``element_id`` (a scanner types where the focus is)."""
    page.wait_for_function("id => document.activeElement && document.activeElement.id === id", arg=element_id)


def submitted(page, action) -> tuple[str, str]:
    """Submit a form (``action``) and wait for the page it leads to: (flash kind, flash text)."""
    with page.expect_navigation():
        action()
    flash = page.wait_for_selector("p.flash")
    return flash.get_attribute("class").split()[-1], flash.inner_text()


def sealed_bag(live_server) -> tuple[dict, dict, str]:
    """A demo parcel customs has released, bagged and sealed through the API: (order, bag, carrier code)."""
    from wms.masterdata.models import Carrier, Channel
    from wms.outbound.models import Bag, Order, Parcel
    ids = live_server.query(sa.select(Order.id).join(Parcel, Parcel.order_id == Order.id).where(
        Order.status == "packed", Order.customs_state == "released", Parcel.bag_id.is_(None)).order_by(Order.id))
    assert ids, "the demo seed leaves released parcels packed for bagging"
    order = ok(live_server.api("GET", f"/api/v1/orders/{ids[0]}"))
    bag = ok(live_server.api("POST", "/api/v1/bags", "op01", json={}))
    bag = ok(live_server.api("POST", f"/api/v1/bags/{bag['id']}/parcels", "op01", json={"scan": order["logistics_no"]}))
    bag = ok(live_server.api("POST", f"/api/v1/bags/{bag['id']}/seal", "op01", json={"count": 1, "weight_kg": "1.25"}))
    [carrier] = live_server.query(sa.select(Carrier.code).join(Channel, Channel.carrier_id == Carrier.id)
                                  .join(Bag, Bag.channel_id == Channel.id).where(Bag.id == bag["id"]))
    return order, bag, carrier


def test_open_load_close_and_gate_out_a_manifest(desk, live_server):
    from wms.outbound.models import Bag, Manifest, Order
    page = desk
    order, bag, carrier = sealed_bag(live_server)
    assert page.inner_text("h1").endswith("新建装车单")
    shot(page, "desk-manifest-new")

    page.select_option("#f-carrier", carrier)
    page.fill("#f-vehicle", "粤B·T2026")
    page.fill("#f-driver", "王师傅")
    kind, text = submitted(page, lambda: page.click("form.manifest-open button.primary"))
    assert kind == "ok" and "已创建" in text, text
    page.wait_for_url(re.compile(r"/admin/manifests/\d+$"))
    manifest_id = int(page.url.rsplit("/", 1)[1])
    assert "装车中" in page.inner_text("h1")
    focused(page, "f-sscc")                                                    # ready for the scanner
    assert bag["sscc"] in page.inner_text("table.waiting-bags")

    assert submitted(page, lambda: scan(page, "123")) == ("error", "422 校验失败 · 不是 SSCC 袋标：123。")
    focused(page, "f-sscc")                                                    # ready for the next scan
    kind, text = submitted(page, lambda: scan(page, bag["sscc"]))
    assert kind == "ok" and f"袋 {bag['sscc']} 已装车" in text, text
    assert bag["sscc"] in page.inner_text("table.manifest-bags")
    shot(page, "desk-manifest-loading")

    page.fill("#f-bill", "999-12345675")
    page.fill("#f-traf", "CA1234")
    page.fill("#f-voyage", "CA1234/0101")
    kind, text = submitted(page, lambda: page.click("form.close-form button.primary"))
    assert kind == "ok" and "已完成装车" in text, text
    assert "装车完成" in page.inner_text("h1")
    assert "运抵单" in page.inner_text("table.manifest-customs") and "清单总分单" in page.inner_text("table.manifest-customs")
    shot(page, "desk-manifest-closed")

    page.once("dialog", lambda dialog: dialog.accept())                       # "let the vehicle out?"
    kind, text = submitted(page, lambda: page.click("form.gate-out button"))
    assert kind == "ok" and "已出区" in text, text
    page.wait_for_selector(".done-box")
    assert "已出区" in page.inner_text("h1") and "离境单" in page.inner_text("table.manifest-customs")
    assert page.inner_text("td.departed-at") != "—"
    shot(page, "desk-manifest-departed")

    assert live_server.query(sa.select(Manifest.status).where(Manifest.id == manifest_id)) == ["departed"]
    assert live_server.query(sa.select(Manifest.vehicle_no).where(Manifest.id == manifest_id)) == ["粤B·T2026"]
    assert live_server.query(sa.select(Manifest.bill_no).where(Manifest.id == manifest_id)) == ["999-12345675"]
    assert live_server.query(sa.select(Bag.manifest_id).where(Bag.id == bag["id"])) == [manifest_id]
    assert live_server.query(sa.select(Bag.status).where(Bag.id == bag["id"])) == ["loaded"]
    assert live_server.query(sa.select(Order.status).where(Order.id == order["id"])) == ["shipped"]
    assert live_server.query(sa.select(Order.shipped_at).where(Order.id == order["id"]))[0] is not None

    page.click(f"table.manifest-bags a:text('{bag['sscc']}')")                 # the bag, then its order
    page.wait_for_url(f"**/admin/bags/{bag['id']}")
    assert "已装车" in page.inner_text("h1")
    shot(page, "desk-bag-loaded")
    page.click(f"table.bag-parcels a:text('{order['order_no']}')")
    page.wait_for_url(f"**/admin/orders/{order['id']}")
    assert "运输轨迹" in page.inner_text("section.tracking")
    shot(page, "desk-order-tracking")
