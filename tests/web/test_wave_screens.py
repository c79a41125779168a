"""Wave screens through the real routes and a signed-in session: the wave list (filters, export), planning
waves through the form, a wave's page with its orders and pick list, release / cancel by role and state (409
shown), the printable pick list, and resolving a pick discrepancy by a count at the location."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.outbound.test_waves import _allocated
from tests.web.test_screens import HTML, csrf
from wms.inventory.models import StockBalance
from wms.outbound.models import Order, PickDiscrepancy, PickTask, Wave

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def sign_in(client):
    def _sign_in(username: str, password: str):
        token = csrf(client.get("/login"))
        response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
        assert response.status_code == 302
        return response
    return _sign_in


def text_of(response) -> str:
    return response.get_data(as_text=True)


def plan_form(token: str, **overrides) -> dict:
    data = {"csrf_token": token, "channel": "", "cutoff": "", "kinds": ["single", "multi"], "max_orders": "200",
            "max_units": "1000", "cart_slots": "24"}
    return data | overrides


def planned_for(dbs, orders: list[Order]) -> list[Wave]:
    ids = {dbs.scalar(sa.select(Order.wave_id).where(Order.id == o.id)) for o in orders}
    assert None not in ids
    return dbs.scalars(sa.select(Wave).where(Wave.id.in_(ids)).order_by(Wave.id)).all()


def open_discrepancy(dbs) -> PickDiscrepancy:
    found = dbs.scalars(sa.select(PickDiscrepancy).where(PickDiscrepancy.status == "open")
                        .order_by(PickDiscrepancy.id)).first()
    assert found is not None, "the demo seed leaves one open pick discrepancy"
    return found


def test_pages_render_for_supervisor_with_filters_exports_and_nav(client, sign_in, dbs):
    wave = dbs.scalars(sa.select(Wave).order_by(Wave.id)).first()
    assert wave is not None                                    # the demo seed waved its orders
    sign_in("supervisor", "super-demo")
    for page in ("/admin/waves", "/admin/waves?status=released&kind=multi&q=WV&sort=-created_at",
                 "/admin/waves/plan", f"/admin/waves/{wave.id}", f"/admin/waves/{wave.id}/print",
                 "/admin/pick-discrepancies", "/admin/pick-discrepancies?status=open&sort=created_at"):
        assert client.get(page, headers=HTML).status_code == 200, page
    listing = text_of(client.get("/admin/waves?per_page=500", headers=HTML))
    assert f'<a href="/admin/waves/{wave.id}">{wave.number}</a>' in listing and 'href="/admin/waves/plan"' in listing
    for url in ("/admin/waves", "/admin/pick-discrepancies"):
        for fmt, mimetype in (("csv", "text/csv"), ("xlsx", XLSX)):
            export = client.get(f"{url}?format={fmt}")
            assert export.status_code == 200 and export.mimetype == mimetype, (url, fmt)
    home = text_of(client.get("/", headers=HTML))
    assert 'href="/admin/waves"' in home and 'href="/admin/pick-discrepancies"' in home

    client.set_cookie("lang", "zh-CN")
    home = text_of(client.get("/", headers=HTML))
    assert ">波次<" in home and ">下架差异<" in home
    detail = text_of(client.get(f"/admin/waves/{wave.id}", headers=HTML))
    assert "一票一件" in detail or "多品" in detail
    tasks = dbs.scalars(sa.select(PickTask).where(PickTask.wave_id == wave.id).order_by(PickTask.sequence)).all()
    assert tasks and all(t.location.code in detail for t in tasks)
    positions = [detail.index(f'<td class="num">{t.sequence}</td><td>{t.location.code}</td>') for t in tasks]
    assert positions == sorted(positions)                      # the walking order
    printed = text_of(client.get(f"/admin/waves/{wave.id}/print", headers=HTML))
    assert "拣货单" in printed and wave.number in printed and "window.print()" in printed


def test_seller_and_operator_are_refused_where_planning_and_resolving(client, sign_in, dbs):
    wave = dbs.scalars(sa.select(Wave).where(Wave.status == "planned").order_by(Wave.id)).first() \
        or dbs.scalars(sa.select(Wave).order_by(Wave.id)).first()
    discrepancy = open_discrepancy(dbs)
    sign_in("anke", "anke-demo")
    for page in ("/admin/waves", "/admin/waves/plan", f"/admin/waves/{wave.id}", "/admin/pick-discrepancies"):
        assert client.get(page, headers=HTML).status_code == 403, page
    assert "/admin/waves" not in text_of(client.get("/", headers=HTML))
    token = csrf(client.get("/oms/orders", headers=HTML))
    assert client.post("/admin/waves/plan", headers=HTML, data=plan_form(token)).status_code == 403
    assert client.post(f"/admin/pick-discrepancies/{discrepancy.id}/resolve", headers=HTML,
                       data={"csrf_token": token, "counted_qty": "0"}).status_code == 403

    sign_in("op01", "op01-demo")
    assert client.get("/admin/waves", headers=HTML).status_code == 200            # staff read the waves
    assert client.get(f"/admin/waves/{wave.id}", headers=HTML).status_code == 200
    page = client.get("/admin/pick-discrepancies", headers=HTML)
    assert page.status_code == 200 and "/resolve" not in text_of(page)
    token = csrf(client.get("/admin/waves", headers=HTML))
    assert client.get("/admin/waves/plan", headers=HTML).status_code == 403
    assert client.post("/admin/waves/plan", headers=HTML, data=plan_form(token)).status_code == 403
    assert client.post(f"/admin/waves/{wave.id}/release", headers=HTML, data={"csrf_token": token}).status_code == 403
    assert client.post(f"/admin/waves/{wave.id}/cancel", headers=HTML, data={"csrf_token": token}).status_code == 403
    assert client.post(f"/admin/pick-discrepancies/{discrepancy.id}/resolve", headers=HTML,
                       data={"csrf_token": token, "counted_qty": "0"}).status_code == 403
    dbs.refresh(discrepancy)
    assert discrepancy.status == "open"


def test_planning_through_the_form_then_release_and_refused_release(client, login, sign_in, dbs, app):
    orders = _allocated(client, login, dbs, [1, 1, 2, 3], "WS1")
    sign_in("supervisor", "super-demo")
    client.set_cookie("lang", "en")
    form = client.get("/admin/waves/plan", headers=HTML)
    text = text_of(form)
    assert 'name="kinds" value="single"' in text and 'name="channel"' in text
    assert 'class="waiting-total">4<' in text and "Customs release is required" in text
    token = csrf(form)
    bad = client.post("/admin/waves/plan", headers=HTML, data=plan_form(token, kinds=[], max_orders="0"))
    assert bad.status_code == 422 and 'class="field invalid"' in text_of(bad)
    assert all(dbs.scalar(sa.select(Order.wave_id).where(Order.id == o.id)) is None for o in orders)

    planned = client.post("/admin/waves/plan", headers=HTML, data=plan_form(token, cart_slots="2"))
    text = text_of(planned)
    assert planned.status_code == 200
    made = planned_for(dbs, orders)
    assert sorted(w.kind for w in made) == ["multi", "single"]
    assert all(w.status == "planned" and f'<a href="/admin/waves/{w.id}">{w.number}</a>' in text for w in made)
    for order in orders:
        dbs.refresh(order)
        assert order.status == "waved"
    again = client.post("/admin/waves/plan", headers=HTML, data=plan_form(token))
    assert again.status_code == 200 and 'class="empty nothing-planned"' in text_of(again)

    multi = next(w for w in made if w.kind == "multi")
    page = text_of(client.get(f"/admin/waves/{multi.id}", headers=HTML))
    assert all(o.order_no in page for o in orders if o.units > 1) and "C1-01" in page and "C1-02" in page
    assert f'action="/admin/waves/{multi.id}/release"' in page
    released = client.post(f"/admin/waves/{multi.id}/release", headers=HTML, data={"csrf_token": token})
    assert released.status_code == 302 and released.location == f"/admin/waves/{multi.id}"
    dbs.refresh(multi)
    assert multi.status == "released" and multi.released_at is not None
    page = text_of(client.get(released.location, headers=HTML))
    assert f'action="/admin/waves/{multi.id}/release"' not in page and "/cancel" not in page.split("<main>")[1]
    refused = client.post(f"/admin/waves/{multi.id}/cancel", headers=HTML, data={"csrf_token": token},
                          follow_redirects=True)
    assert refused.status_code == 200 and 'class="flash error"' in text_of(refused) and "409" in text_of(refused)
    dbs.refresh(multi)
    assert multi.status == "released"

    single = next(w for w in made if w.kind == "single")
    cancelled = client.post(f"/admin/waves/{single.id}/cancel", headers=HTML, data={"csrf_token": token})
    assert cancelled.status_code == 302
    dbs.refresh(single)
    assert single.status == "cancelled"
    assert all(dbs.get(Order, o.id).status == "allocated" for o in orders if o.units == 1)


def test_customs_release_setting_is_shown_and_followed(client, login, sign_in, dbs, app):
    orders = _allocated(client, login, dbs, [2], "WS2")
    orders[0].customs_state = "declared"
    dbs.flush()
    sign_in("supervisor", "super-demo")
    client.set_cookie("lang", "en")
    token = csrf(client.get("/admin/waves/plan", headers=HTML))
    nothing = client.post("/admin/waves/plan", headers=HTML, data=plan_form(token))
    assert 'class="empty nothing-planned"' in text_of(nothing)
    app.config["OUTBOUND_PICK_BEFORE_RELEASE"] = True
    try:
        assert "Customs release is not required" in text_of(client.get("/admin/waves/plan", headers=HTML))
        client.post("/admin/waves/plan", headers=HTML, data=plan_form(token, kinds=["multi"]))
    finally:
        app.config["OUTBOUND_PICK_BEFORE_RELEASE"] = False
    dbs.refresh(orders[0])
    assert orders[0].status == "waved"


def test_resolving_the_seeded_discrepancy_through_the_form(client, sign_in, dbs):
    discrepancy = open_discrepancy(dbs)
    balance = dbs.scalars(sa.select(StockBalance).where(
        StockBalance.product_id == discrepancy.product_id, StockBalance.location_id == discrepancy.location_id,
        StockBalance.lpn == discrepancy.lpn, StockBalance.status == "available")).first()
    counted = balance.qty if balance is not None else 0
    sign_in("supervisor", "super-demo")
    client.set_cookie("lang", "en")
    page = client.get("/admin/pick-discrepancies?status=open", headers=HTML)
    text = text_of(page)
    assert f'action="/admin/pick-discrepancies/{discrepancy.id}/resolve"' in text
    token = csrf(page)
    bad = client.post(f"/admin/pick-discrepancies/{discrepancy.id}/resolve", headers=HTML,
                      data={"csrf_token": token, "counted_qty": "x"}, follow_redirects=True)
    assert 'class="flash error"' in text_of(bad) and "422" in text_of(bad)
    dbs.refresh(discrepancy)
    assert discrepancy.status == "open"

    done = client.post(f"/admin/pick-discrepancies/{discrepancy.id}/resolve", headers=HTML,
                       data={"csrf_token": token, "counted_qty": str(counted), "note": "counted by screen",
                             "back": "/admin/pick-discrepancies?status=open"})
    assert done.status_code == 302 and done.location == "/admin/pick-discrepancies?status=open"
    dbs.refresh(discrepancy)
    assert discrepancy.status == "resolved" and discrepancy.counted_qty == counted
    assert discrepancy.note == "counted by screen"
    order = dbs.get(Order, discrepancy.order_id)
    assert order.status in ("allocated", "backordered")
    after = text_of(client.get(done.location, headers=HTML))
    assert f"Discrepancy #{discrepancy.id} resolved" in after and order.order_no in after
    assert ("Allocated" in after) if order.status == "allocated" else ("Backordered" in after)
    assert f'action="/admin/pick-discrepancies/{discrepancy.id}/resolve"' not in after
    again = client.post(f"/admin/pick-discrepancies/{discrepancy.id}/resolve", headers=HTML,
                        data={"csrf_token": token, "counted_qty": str(counted)}, follow_redirects=True)
    assert "409" in text_of(again)
