"""The inbound board (/boards/inbound): staff only, forecasts by state from the database, counters, feed, and
its JSON state; the page loads the vendored Socket.IO client."""
from __future__ import annotations

import re

import sqlalchemy as sa

from tests.web.test_inbound_screens import sign_in, text_of  # noqa: F401  (fixture)
from tests.web.test_screens import HTML
from wms.inbound.models import Asn, PutawayTask, QcTask, TempDeclaration

STAFF = (("admin", "admin-demo"), ("supervisor", "super-demo"), ("op01", "op01-demo"), ("customs", "customs-demo"))


def column_numbers(html: str, status: str) -> list[str]:
    """The forecast numbers on the cards of one column of the rendered board."""
    match = re.search(rf'<div class="column" data-column="{status}">(.*?)</div>\s*</div>', html, re.S)
    assert match, status
    return re.findall(r'data-number="([^"]+)"', match.group(1))


def numbers(dbs, status: str) -> list[str]:
    return dbs.scalars(sa.select(Asn.number).where(Asn.status == status).order_by(Asn.id)).all()


def test_staff_see_the_board_and_sellers_are_refused(client, sign_in):
    for username, password in STAFF:
        sign_in(username, password)
        response = client.get("/boards/inbound", headers=HTML)
        assert response.status_code == 200, username
        html = text_of(response)
        assert 'href="/boards/inbound"' in html                       # in the menu
        assert "/static/vendor/socket.io.min.js" in html and "/static/board-inbound.js" in html
        assert client.get("/boards/inbound/state").status_code == 200
    sign_in("anke", "anke-demo")
    assert client.get("/boards/inbound", headers=HTML).status_code == 403
    assert client.get("/boards/inbound/state").status_code == 403
    assert 'href="/boards/inbound"' not in text_of(client.get("/", headers=HTML))


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/boards/inbound", headers=HTML)
    assert response.status_code == 302 and response.location.startswith("/login?next=/boards/inbound")


def test_columns_show_the_demo_forecasts_by_state(client, sign_in, dbs):
    submitted, arrived, received = numbers(dbs, "submitted"), numbers(dbs, "arrived"), numbers(dbs, "received")
    # the demo: per seller one submitted stock forecast and one parcel forecast, one arrived, one received
    # today, one draft — two sellers
    assert len(submitted) == 4 and len(arrived) == 2 and len(received) == 2
    sign_in("supervisor", "super-demo")
    html = text_of(client.get("/boards/inbound", headers=HTML))
    assert column_numbers(html, "submitted") == submitted
    assert column_numbers(html, "arrived") == arrived
    assert column_numbers(html, "receiving") == numbers(dbs, "receiving") == []
    assert column_numbers(html, "received") == received
    for number in numbers(dbs, "draft"):
        assert number not in html                                     # drafts are not on the board
    asn = dbs.scalars(sa.select(Asn).where(Asn.status == "received").order_by(Asn.id)).first()
    assert f'href="/admin/asns/{asn.id}"' in html                     # a card opens the forecast
    card = re.search(rf'data-number="{asn.number}".*?</a>', html, re.S).group(0)
    received_qty = sum(line.received_qty for line in asn.lines)
    expected_qty = sum(line.expected_qty for line in asn.lines)
    assert f"{received_qty}/{expected_qty}" in card
    assert "SZ-" in card                                              # the seller's code


def test_counters_come_from_the_database(client, sign_in, dbs):
    sign_in("supervisor", "super-demo")
    state = client.get("/boards/inbound/state").json
    counters = state["counters"]
    declared = dbs.scalar(sa.select(sa.func.count()).where(TempDeclaration.status == "declared"))
    qc_open = dbs.scalar(sa.select(sa.func.count()).where(QcTask.status == "open"))
    tasks = dbs.scalar(sa.select(sa.func.count()).where(PutawayTask.status == "open"))
    units = dbs.scalar(sa.select(sa.func.coalesce(sa.func.sum(PutawayTask.qty), 0)).where(PutawayTask.status == "open"))
    assert counters["declarations_declared"] == declared
    assert counters["qc_open"] == qc_open and counters["qc_open"] > 0
    assert (counters["putaway_tasks"], counters["putaway_units"]) == (tasks, units)
    assert counters["held_lines"] == 2 and counters["held_units"] > 0   # one spot-checked line per demo seller
    assert [a["number"] for a in state["columns"]["arrived"]] == numbers(dbs, "arrived")
    html = text_of(client.get("/boards/inbound", headers=HTML))
    box = re.search(r'data-counter="qc_open"><b>([\d,]+)</b>', html)
    assert box and int(box.group(1).replace(",", "")) == qc_open


def test_feed_starts_with_the_latest_milestones_in_the_chosen_language(client, sign_in, dbs):
    sign_in("supervisor", "super-demo")
    client.set_cookie("lang", "zh-CN")
    html = text_of(client.get("/boards/inbound", headers=HTML))
    assert "入库看板" in html and "待到货" in html and "收货中" in html
    assert 'data-event="asn.received"' in html and "收货完成" in html
    client.set_cookie("lang", "en")
    html = text_of(client.get("/boards/inbound", headers=HTML))
    assert "Inbound board" in html and "Awaiting arrival" in html
    number = numbers(dbs, "arrived")[0]
    assert re.search(rf"{number} passed the gate: vehicle \S+", html)
