"""Bag and manifest desk screens (/admin/bags, /admin/manifests) through the real routes and a signed-in session:
the lists, pages and PDFs with the demo's and the test's own data; a bag opened, filled, a parcel taken out and
the bag sealed through the forms; a manifest opened, a bag loaded by its SSCC, closed and let out of the zone
through the forms; each refusal shown as the problem's text; the gate-out only for ``gate.write``; nothing for
sellers; the carrier's tracking and the bag / manifest links on the order's page."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.outbound.test_bagging import packed
from tests.outbound.test_loading import sealed_bag
from tests.outbound.test_picking import post
from tests.web.test_screens import HTML, csrf
from wms.customs.models import CustomsRecord
from wms.db import utcnow
from wms.inventory.models import StockBalance
from wms.outbound.models import Bag, Manifest, Order, Parcel

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def sign_in(client):
    def _sign_in(username: str, password: str, lang: str = "en") -> str:
        client.set_cookie("lang", lang)
        token = csrf(client.get("/login"))
        response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
        assert response.status_code == 302
        return csrf(client.get("/", headers=HTML))        # the session's token after signing in
    return _sign_in


def text_of(response) -> str:
    return response.get_data(as_text=True)


def flashed(client, response) -> str:
    """The page a form's redirect leads to."""
    assert response.status_code == 302, text_of(response)
    return text_of(client.get(response.location, headers=HTML))


def ready_bag(client, login, dbs, prefix: str) -> tuple[Order, dict]:
    """A packed order's parcel in a bag sealed through the API; the order released by customs."""
    order, bag = sealed_bag(client, login, dbs, prefix)
    bag = post(client, f"/api/v1/bags/{bag['id']}/seal", login("op01"), {"count": 1, "weight_kg": "0.9"})
    assert dbs.get(Order, order.id).customs_state == "released"
    return order, bag


def closed_manifest(client, login, dbs, prefix: str) -> tuple[Order, dict, dict]:
    op = login("op01")
    order, bag = ready_bag(client, login, dbs, prefix)
    manifest = post(client, "/api/v1/manifests", op, {"carrier": order.channel.carrier.code, "vehicle_no": "粤B·C0001"},
                    status=201)
    post(client, f"/api/v1/manifests/{manifest['id']}/bags", op, {"scan": bag["sscc"]})
    return order, bag, post(client, f"/api/v1/manifests/{manifest['id']}/close", op, {})


def test_pages_render_with_the_demo_data_exports_pdfs_and_nav(client, sign_in, dbs):
    manifest = dbs.scalars(sa.select(Manifest).order_by(Manifest.id)).first()
    bag = dbs.scalars(sa.select(Bag).where(Bag.manifest_id == manifest.id)).first()
    assert manifest.status == "loading" and bag.status == "loaded"            # the demo seed's vehicle
    sign_in("supervisor", "super-demo")
    for url in ("/admin/bags", f"/admin/bags?status=loaded&q={bag.sscc}&sort=-created_at", f"/admin/bags/{bag.id}",
                "/admin/manifests", "/admin/manifests?status=loading&q=D8888", f"/admin/manifests/{manifest.id}",
                "/admin/manifests/new"):
        assert client.get(url, headers=HTML).status_code == 200, url
    listing = text_of(client.get(f"/admin/bags?q={bag.sscc}", headers=HTML))
    assert f'<a href="/admin/bags/{bag.id}">{bag.sscc}</a>' in listing and 'action="/admin/bags/new"' in listing
    assert ">Loaded<" in listing
    listing = text_of(client.get("/admin/manifests?status=loading", headers=HTML))
    assert f'<a href="/admin/manifests/{manifest.id}">{manifest.number}</a>' in listing
    assert 'href="/admin/manifests/new"' in listing and "粤B·D8888" in listing
    assert manifest.number not in text_of(client.get("/admin/manifests?status=departed", headers=HTML))
    for url in ("/admin/bags", "/admin/manifests"):
        for fmt, mimetype in (("csv", "text/csv"), ("xlsx", XLSX)):
            export = client.get(f"{url}?format={fmt}")
            assert export.status_code == 200 and export.mimetype == mimetype, (url, fmt)

    page = text_of(client.get(f"/admin/bags/{bag.id}", headers=HTML))
    parcel = dbs.scalars(sa.select(Parcel).where(Parcel.bag_id == bag.id)).one()
    assert bag.sscc in page and parcel.logistics_no in page and f'href="/admin/orders/{parcel.order_id}"' in page
    assert f'<a href="/admin/manifests/{manifest.id}">{manifest.number}</a>' in page
    assert bag.channel.code in page and bag.country.code in page
    assert "/seal" not in page and "/unbag" not in page                      # loaded: nothing to change
    assert f'href="/admin/bags/{bag.id}/label.pdf" target="_blank"' in page
    sheet = text_of(client.get(f"/admin/manifests/{manifest.id}", headers=HTML))
    assert f'<a href="/admin/bags/{bag.id}">{bag.sscc}</a>' in sheet and "粤B·D8888" in sheet and "陈师傅" in sheet
    assert f'action="/admin/manifests/{manifest.id}/bags"' in sheet and f"/admin/manifests/{manifest.id}/close" in sheet
    assert "/gate-out" not in sheet                                          # still loading
    label = client.get(f"/admin/bags/{bag.id}/label.pdf")
    assert label.status_code == 200 and label.mimetype == "application/pdf" and label.data.startswith(b"%PDF")
    document = client.get(f"/admin/manifests/{manifest.id}/document.pdf")
    assert document.status_code == 200 and document.data.startswith(b"%PDF")

    home = text_of(client.get("/", headers=HTML))
    assert 'href="/admin/bags"' in home and 'href="/admin/manifests"' in home
    client.set_cookie("lang", "zh-CN")
    home = text_of(client.get("/", headers=HTML))
    assert ">汇总入袋<" in home and ">车辆装货<" in home
    sheet = text_of(client.get(f"/admin/manifests/{manifest.id}", headers=HTML))
    assert "装车中" in sheet and "车上的袋" in sheet and "海关申报" in sheet
    assert "已装车" in text_of(client.get(f"/admin/bags/{bag.id}", headers=HTML))


def test_a_bag_filled_unbagged_and_sealed_through_the_page(client, login, sign_in, dbs):
    first, second = packed(client, login, dbs, "WB1"), packed(client, login, dbs, "WB2")
    token = sign_in("supervisor", "super-demo")
    opened = client.post("/admin/bags/new", headers=HTML, data={"csrf_token": token, "scan": ""})
    assert opened.status_code == 302 and opened.location.startswith("/admin/bags/")
    bag = dbs.get(Bag, int(opened.location.rsplit("/", 1)[1]))
    page = flashed(client, opened)
    assert "is open: scan its parcels" in page and bag.sscc in page and 'name="count"' in page
    url = f"/admin/bags/{bag.id}"
    for order in (first, second):
        page = flashed(client, client.post(f"{url}/parcels", headers=HTML,
                                           data={"csrf_token": token, "scan": order.logistics_no}))
        assert f"Parcel {order.logistics_no} bagged" in page
    page = flashed(client, client.post(f"{url}/parcels", headers=HTML,
                                       data={"csrf_token": token, "scan": first.logistics_no}))
    assert 'class="flash error"' in page
    assert f"409 Conflict · Parcel {first.logistics_no} is already in bag {bag.sscc}" in page
    page = flashed(client, client.post(f"{url}/parcels", headers=HTML, data={"csrf_token": token, "scan": "NOPE123"}))
    assert "404" in page and "No packed parcel NOPE123" in page
    dbs.refresh(bag)
    assert bag.parcels_count == 2
    assert all(dbs.get(Order, o.id).status == "bagged" for o in (first, second))

    page = text_of(client.get(url, headers=HTML))
    assert page.count(f'action="{url}/unbag"') == 2 and f'href="/admin/orders/{first.id}"' in page
    page = flashed(client, client.post(f"{url}/unbag", headers=HTML,
                                       data={"csrf_token": token, "scan": second.logistics_no, "reason": ""}))
    assert "422" in page and "Reason" in page                                # the reason is required
    page = flashed(client, client.post(f"{url}/unbag", headers=HTML, data={
        "csrf_token": token, "scan": second.logistics_no, "reason": "外箱破损"}))
    assert f"Parcel {second.logistics_no} taken out of the bag (1 left)" in page
    dbs.expire_all()
    assert dbs.get(Order, second.id).status == "packed" and dbs.get(Order, first.id).status == "bagged"
    assert dbs.get(Bag, bag.id).parcels_count == 1

    page = flashed(client, client.post(f"{url}/seal", headers=HTML,
                                       data={"csrf_token": token, "count": "2", "weight_kg": "1.5"}))
    assert 'class="flash error"' in page and f"Bag {bag.sscc}: 2 counted, 1 scanned." in page
    page = flashed(client, client.post(f"{url}/seal", headers=HTML,
                                       data={"csrf_token": token, "count": "1", "weight_kg": "heavy"}))
    assert "422" in page and "Weight" in page
    dbs.expire_all()
    assert dbs.get(Bag, bag.id).status == "open"
    page = flashed(client, client.post(f"{url}/seal", headers=HTML,
                                       data={"csrf_token": token, "count": "1", "weight_kg": "0.850"}))
    assert f"Bag {bag.sscc} sealed: 1 parcels, 0.850 kg." in page
    dbs.expire_all()
    sealed = dbs.get(Bag, bag.id)
    assert sealed.status == "sealed" and sealed.weight_kg == Decimal("0.850") and sealed.sealed_at is not None
    assert f'action="{url}/seal"' not in page and f'action="{url}/unbag"' not in page and "Sealed" in page
    page = flashed(client, client.post(f"{url}/unbag", headers=HTML, data={
        "csrf_token": token, "scan": first.logistics_no, "reason": "x"}))
    assert "409" in page and f"Bag {bag.sscc} is Sealed." in page              # a sealed bag refuses
    assert dbs.get(Order, first.id).status == "bagged"
    page = flashed(client, client.post("/admin/bags/new", headers=HTML, data={"csrf_token": token, "scan": "12345"}))
    assert "422" in page and "Not an SSCC: 12345." in page
    assert client.get("/admin/bags/999999", headers=HTML).status_code == 404


def test_a_manifest_opened_loaded_closed_and_let_out_through_the_page(client, login, sign_in, dbs):
    order, bag = ready_bag(client, login, dbs, "WM1")
    carrier = order.channel.carrier.code
    token = sign_in("supervisor", "super-demo")
    form = text_of(client.get("/admin/manifests/new", headers=HTML))
    assert f'<option value="{carrier}"' in form and 'name="vehicle_no"' in form
    assert f'href="/admin/manifests/new?carrier={carrier}"' in form          # its sealed bag waits
    assert f'<option value="{carrier}" selected' in text_of(client.get(f"/admin/manifests/new?carrier={carrier}",
                                                                        headers=HTML))
    bad = client.post("/admin/manifests/new", headers=HTML, data={"csrf_token": token, "carrier": carrier,
                                                                 "vehicle_no": "", "driver": ""})
    assert bad.status_code == 422 and 'class="field invalid"' in text_of(bad)
    unknown = client.post("/admin/manifests/new", headers=HTML, data={"csrf_token": token, "carrier": "NOBODY",
                                                                     "vehicle_no": "粤B·W0001"})
    assert unknown.status_code == 422 and "No carrier with id NOBODY" in text_of(unknown)
    before = dbs.scalar(sa.select(sa.func.count(Manifest.id)))
    opened = client.post("/admin/manifests/new", headers=HTML, data={
        "csrf_token": token, "carrier": carrier, "vehicle_no": "粤B·W0001", "driver": "李师傅"})
    assert dbs.scalar(sa.select(sa.func.count(Manifest.id))) == before + 1
    manifest = dbs.get(Manifest, int(opened.location.rsplit("/", 1)[1]))
    assert manifest.vehicle_no == "粤B·W0001" and manifest.driver == "李师傅" and manifest.status == "loading"
    url = f"/admin/manifests/{manifest.id}"
    page = flashed(client, opened)
    assert f"Manifest {manifest.number} opened" in page
    assert f'<a href="/admin/bags/{bag["id"]}">{bag["sscc"]}</a>' in page    # waiting for this carrier

    for scan, text in (("000000000000000000", "No bag 000000000000000000"), ("12", "Not an SSCC: 12.")):
        page = flashed(client, client.post(f"{url}/bags", headers=HTML, data={"csrf_token": token, "scan": scan}))
        assert 'class="flash error"' in page and text in page, text
    other_order, other_bag = sealed_bag(client, login, dbs, "WM2")        # still open: not loadable
    page = flashed(client, client.post(f"{url}/bags", headers=HTML,
                                       data={"csrf_token": token, "scan": other_bag["sscc"]}))
    assert f"409 Conflict · Bag {other_bag['sscc']} is Open: seal it first." in page
    page = flashed(client, client.post(f"{url}/close", headers=HTML, data={"csrf_token": token}))
    assert f"Manifest {manifest.number} has no bags." in page
    page = flashed(client, client.post(f"{url}/bags", headers=HTML,
                                       data={"csrf_token": token, "scan": f"(00){bag['sscc']}"}))
    assert f"Bag {bag['sscc']} loaded: 1 parcels (1 bags on the vehicle)." in page
    dbs.expire_all()
    assert dbs.get(Order, order.id).status == "loaded" and dbs.get(Bag, bag["id"]).manifest_id == manifest.id
    manifest = dbs.get(Manifest, manifest.id)
    assert manifest.bags_count == 1 and manifest.parcels_count == 1 and manifest.gross_weight_kg == Decimal("0.9")
    assert f'<a href="/admin/bags/{bag["id"]}">{bag["sscc"]}</a>' in page.split("Bags on the vehicle")[1]
    page = flashed(client, client.post(f"{url}/bags", headers=HTML, data={"csrf_token": token, "scan": bag["sscc"]}))
    assert f"Bag {bag['sscc']} is Loaded: seal it first." in page             # loaded once only
    assert f'<a href="{url}">{manifest.number}</a>' in text_of(client.get(f"/admin/bags/{bag['id']}", headers=HTML))

    page = flashed(client, client.post(f"{url}/close", headers=HTML, data={
        "csrf_token": token, "bill_no": "999-12345675", "traf_name": "CA1234", "voyage_no": "CA1234/1124"}))
    assert f"Manifest {manifest.number} closed" in page
    dbs.expire_all()
    manifest = dbs.get(Manifest, manifest.id)
    assert manifest.status == "closed" and manifest.bill_no == "999-12345675" and manifest.traf_name == "CA1234"
    records = dbs.scalars(sa.select(CustomsRecord).where(CustomsRecord.cop_no.like(f"{manifest.number}-%"))).all()
    assert {r.kind for r in records} == {"arrival", "waybill_bill"}
    assert all(f'href="/admin/customs-records/{r.id}"' in page for r in records)
    assert "Arrival" in page and "Master bill" in page and "999-12345675" in page
    assert f'action="{url}/bags"' not in page and f'action="{url}/gate-out"' in page
    page = flashed(client, client.post(f"{url}/bags", headers=HTML, data={"csrf_token": token, "scan": bag["sscc"]}))
    assert "409" in page and "not allowed in state" in page and "Closed" in page

    units = dbs.scalar(sa.select(sa.func.sum(StockBalance.qty)).where(StockBalance.lpn == order.logistics_no))
    assert units
    page = flashed(client, client.post(f"{url}/gate-out", headers=HTML, data={"csrf_token": token}))
    assert f"Manifest {manifest.number} departed: 1 parcels shipped" in page
    dbs.expire_all()
    manifest = dbs.get(Manifest, manifest.id)
    shipped = dbs.get(Order, order.id)
    assert manifest.status == "departed" and manifest.departed_at is not None
    assert shipped.status == "shipped" and shipped.shipped_at is not None and shipped.summary_state == "pending"
    assert not dbs.scalar(sa.select(sa.func.sum(StockBalance.qty)).where(StockBalance.lpn == order.logistics_no))
    assert "departure" in set(dbs.scalars(sa.select(CustomsRecord.kind).where(
        CustomsRecord.cop_no == f"{manifest.number}-D")))
    assert "Departure" in page and "The vehicle left the zone" in page and f'action="{url}/gate-out"' not in page
    page = flashed(client, client.post(f"{url}/gate-out", headers=HTML, data={"csrf_token": token}))
    assert "409" in page and "Departed" in page                              # gone once only
    assert dbs.get(Order, other_order.id).status == "bagged"


def test_gate_out_needs_the_gate_permission_and_loading_the_loading_one(client, login, sign_in, dbs, monkeypatch):
    from wms.auth import permissions
    order, bag, manifest = closed_manifest(client, login, dbs, "WG1")
    url = f"/admin/manifests/{manifest['id']}"
    # every staff role holds gate.write in the demo matrix: an operator without it, as a site may configure
    monkeypatch.setitem(permissions.PERMISSIONS, "gate.write", frozenset({"admin", "supervisor", "customs"}))
    token = sign_in("op01", "op01-demo")
    page = text_of(client.get(url, headers=HTML))
    assert f'action="{url}/gate-out"' not in page and "someone with the gate permission" in page
    assert client.post(f"{url}/gate-out", headers=HTML, data={"csrf_token": token}).status_code == 403
    dbs.expire_all()
    assert dbs.get(Manifest, manifest["id"]).status == "closed" and dbs.get(Order, order.id).status == "loaded"

    # the customs liaison reads and lets the vehicle out but does not load or seal
    token = sign_in("customs", "customs-demo")
    assert client.get("/admin/manifests", headers=HTML).status_code == 200
    assert 'href="/admin/manifests/new"' not in text_of(client.get("/admin/manifests", headers=HTML))
    assert client.get("/admin/manifests/new", headers=HTML).status_code == 403
    assert client.post(f"{url}/bags", headers=HTML, data={"csrf_token": token, "scan": bag["sscc"]}).status_code == 403
    assert client.post(f"/admin/bags/{bag['id']}/seal", headers=HTML,
                       data={"csrf_token": token, "count": "1", "weight_kg": "1"}).status_code == 403
    page = text_of(client.get(url, headers=HTML))
    assert f'action="{url}/gate-out"' in page
    assert client.post(f"{url}/gate-out", headers=HTML, data={"csrf_token": token}).status_code == 302
    dbs.expire_all()
    assert dbs.get(Manifest, manifest["id"]).status == "departed" and dbs.get(Order, order.id).status == "shipped"


def test_sellers_do_not_see_the_shipping_desk(client, login, sign_in, dbs):
    manifest = dbs.scalars(sa.select(Manifest).order_by(Manifest.id)).first()
    bag = dbs.scalars(sa.select(Bag).where(Bag.manifest_id == manifest.id)).first()
    token = sign_in("anke", "anke-demo")
    for url in ("/admin/bags", f"/admin/bags/{bag.id}", f"/admin/bags/{bag.id}/label.pdf", "/admin/manifests",
                f"/admin/manifests/{manifest.id}", "/admin/manifests/new",
                f"/admin/manifests/{manifest.id}/document.pdf",
                "/admin/bags?format=csv"):
        assert client.get(url, headers=HTML).status_code == 403, url
    for url, data in (("/admin/bags/new", {}), (f"/admin/bags/{bag.id}/seal", {"count": "1", "weight_kg": "1"}),
                      (f"/admin/bags/{bag.id}/unbag", {"scan": "X", "reason": "x"}),
                      ("/admin/manifests/new", {"carrier": "SF", "vehicle_no": "X"}),
                      (f"/admin/manifests/{manifest.id}/bags", {"scan": bag.sscc}),
                      (f"/admin/manifests/{manifest.id}/close", {}), (f"/admin/manifests/{manifest.id}/gate-out", {})):
        assert client.post(url, headers=HTML, data={"csrf_token": token, **data}).status_code == 403, url
    home = text_of(client.get("/", headers=HTML))
    assert "/admin/bags" not in home and "/admin/manifests" not in home
    dbs.expire_all()
    assert dbs.get(Manifest, manifest.id).status == "loading" and dbs.get(Bag, bag.id).status == "loaded"
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/admin/bags", headers=HTML).status_code == 302        # signed out: to the sign-in


def test_tracking_and_the_bag_and_manifest_on_the_order_page(client, login, sign_in, dbs):
    order, bag, manifest = closed_manifest(client, login, dbs, "WT1")
    sign_in("supervisor", "super-demo")
    page = text_of(client.get(f"/admin/orders/{order.id}", headers=HTML))
    assert "Tracking" in page and f'<a class="bag-link" href="/admin/bags/{bag["id"]}">{bag["sscc"]}</a>' in page
    assert f'<a class="manifest-link" href="/admin/manifests/{manifest["id"]}">{manifest["number"]}</a>' in page
    assert "No tracking yet" in page                                         # not left the zone yet
    assert client.post(f"/api/v1/manifests/{manifest['id']}/gate-out", headers=login("op01")).status_code == 200
    dbs.expire_all()
    shipped = dbs.get(Order, order.id)
    shipped.shipped_at = utcnow() - timedelta(hours=30)                      # as if it had left yesterday
    dbs.flush()
    page = text_of(client.get(f"/admin/orders/{order.id}", headers=HTML))
    events = page.split('class="grid track-events"')[1].split("</table>")[0]
    assert "Departed origin airport" in events and "Export customs cleared" in events
    assert "Left the Qianhai bonded zone" in events and "深圳宝安国际机场" in events and "Arrived" not in events
    assert events.index("Departed origin airport") < events.index("Left the Qianhai bonded zone")   # newest first
    assert "Left the zone" in page and 'class="tag departed"' in page
    client.set_cookie("lang", "zh-CN")
    page = text_of(client.get(f"/admin/orders/{order.id}", headers=HTML))
    assert "运输轨迹" in page and "已出区，离开前海保税港区" in page and "航班已起飞" in page

    # the order's seller sees the track, and the bag and vehicle by number, without the staff's links
    from wms.masterdata.models import Seller
    seller = {"SZ-ANKE": ("anke", "anke-demo"), "SZ-JINYI": ("jinyi", "jinyi-demo")}[
        dbs.get(Seller, order.seller_id).code]
    sign_in(*seller, lang="en")
    page = text_of(client.get(f"/oms/orders/{order.id}", headers=HTML))
    assert "Left the Qianhai bonded zone" in page and bag["sscc"] in page and manifest["number"] in page
    assert "/admin/bags/" not in page and "/admin/manifests/" not in page

    # an order not packed yet has no tracking section
    waiting = dbs.scalars(sa.select(Order).where(Order.status == "received",
                                                 Order.seller_id == order.seller_id)).first()
    if waiting is not None:
        assert 'class="tracking"' not in text_of(client.get(f"/oms/orders/{waiting.id}", headers=HTML))
