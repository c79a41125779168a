"""Offline-tolerant scans in a real browser: a move scanned while the server is unreachable is stored in
IndexedDB, survives a reload, and is applied exactly once when the server is back; a replay the server
refuses is kept in the local refused list and in the supervisors' scan exceptions."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.browser.helpers import message, pending, scan, shot, sign_in, wait_step
from wms.core.idempotency import IdempotencyRecord
from wms.inventory.models import Movement, MovementLine
from wms.masterdata.models import Location

pytestmark = pytest.mark.live


def scan_move(page, source: str, item: str, qty: int, target: str) -> None:
    """One move on the PDA, from the home menu or the move screen."""
    if page.get_attribute("#scan", "data-step") != "move-from":
        page.click(".menu-item[data-go=move]")
        wait_step(page, "move-from")
    scan(page, source)
    wait_step(page, "move-item")
    scan(page, item)
    wait_step(page, "move-qty")
    for key in str(qty):
        page.click(f"#keypad [data-key='{key}']")
    page.click("#qty-ok")
    wait_step(page, "move-to")
    scan(page, target)


def queued_events(page) -> list[dict]:
    return page.evaluate("PdaQueue.pending()")


def movements_into(live_server, target: str) -> list[int]:
    return live_server.query(sa.select(MovementLine.movement_id)
                             .join(Location, Location.id == MovementLine.location_id)
                             .where(Location.code == target, MovementLine.qty > 0))


def test_offline_move_is_queued_survives_reload_and_applies_exactly_once(page, live_server):
    balance = live_server.balance(2)
    source, sku, start_qty = balance["location_code"], balance["sku"], balance["qty"]
    target = "A10-17-5-2"
    sign_in(page)
    assert pending(page) == 0
    # The server is unreachable.
    page.route("**/api/v1/moves", lambda route: route.abort("internetdisconnected"))

    scan_move(page, source, sku, 4, target)
    page.wait_for_selector("#move-result .result.queued")
    assert "已离线暂存" in page.inner_text("#move-result") and "已离线暂存" in message(page)
    assert page.evaluate("PdaFeedback.log.slice(-1)[0].kind") == "queued"
    assert pending(page) == 1 and page.get_attribute("#sync-badge", "data-count") == "1"
    wait_step(page, "move-from")                                    # the operator carries on
    shot(page, "12-move-queued-offline")
    [event] = queued_events(page)
    assert event["body"] == {"from_location": source, "barcode": sku, "qty": 4, "to_location": target}
    assert (event["task"], event["user"], event["device"], event["method"], event["path"]) == (
        "move", "op01", "PDA-T01", "POST", "/api/v1/moves")
    assert page.evaluate("PdaQueue.storageKind()") == "indexeddb"

    page.reload()                                                   # IndexedDB keeps it; load-time sync fails
    page.wait_for_selector("#screen-shift:not([hidden])")
    page.wait_for_function("document.getElementById('sync-count').textContent === '1'")
    [again] = queued_events(page)
    assert again["id"] == event["id"]
    page.click("#start-shift")
    page.click("#sync-badge")                                       # the badge opens the queue screen
    page.wait_for_selector("#screen-queue:not([hidden]) #pending-list .event")
    assert "A10-17-5-2" in page.inner_text("#pending-list")
    shot(page, "13-sync-queue-pending")

    page.context.set_offline(True)                                  # still offline: "sync now" keeps it
    page.unroute("**/api/v1/moves")
    page.click("#sync-now")
    page.wait_for_selector("#message.queued")
    assert pending(page) == 1
    assert live_server.qty(source, sku) == start_qty and live_server.qty(target, sku) == 0

    sent: list[dict] = []
    page.on("request", lambda r: sent.append(dict(r.headers)) if r.url.endswith("/api/v1/moves") else None)
    page.context.set_offline(False)                                 # back online: the `online` event syncs
    page.wait_for_function("document.getElementById('sync-count').textContent === '0'")
    assert live_server.qty(source, sku) == start_qty - 4 and live_server.qty(target, sku) == 4
    assert [h["idempotency-key"] for h in sent] == [event["id"]]
    assert sent[0]["x-device"] == "PDA-T01" and sent[0]["x-scan-queued-at"] == event["ts"]
    keys = live_server.query(sa.select(IdempotencyRecord.id).where(IdempotencyRecord.key == event["id"]))
    assert len(keys) == 1
    assert len(movements_into(live_server, target)) == 1

    page.click("#sync-now")                                         # a second sync has nothing to send
    page.wait_for_selector("#message.ok")
    assert len(sent) == 1 and len(movements_into(live_server, target)) == 1
    replay = live_server.api("POST", "/api/v1/moves", username="op01", json=event["body"],
                             headers={"Idempotency-Key": event["id"]})
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert live_server.qty(target, sku) == 4 and len(movements_into(live_server, target)) == 1


def test_an_answer_lost_on_the_way_back_is_not_applied_twice(page, live_server):
    """The server applied the move but the Wi-Fi dropped the answer: the replay gets the stored answer."""
    balance = live_server.balance(3)
    source, sku, start_qty = balance["location_code"], balance["sku"], balance["qty"]
    target = "A10-17-4-2"
    sign_in(page)

    def deliver_then_drop(route):
        route.fetch()                                               # reaches the server, which applies it
        route.abort("connectionreset")

    page.route("**/api/v1/moves", deliver_then_drop)
    scan_move(page, source, live_server.gtin(sku), 3, target)
    page.wait_for_selector("#move-result .result.queued")
    assert pending(page) == 1
    assert live_server.qty(target, sku) == 3                        # applied once already

    page.unroute("**/api/v1/moves")
    page.click("#sync-badge")
    page.click("#sync-now")
    page.wait_for_function("document.getElementById('sync-count').textContent === '0'")
    assert live_server.qty(source, sku) == start_qty - 3 and live_server.qty(target, sku) == 3
    assert len(movements_into(live_server, target)) == 1
    assert page.evaluate("PdaQueue.refused().then(l => l.length)") == 0


def test_refused_replay_goes_to_the_refused_list_and_to_supervisors(page, browser, live_server):
    balance = live_server.balance(4)
    source, sku, lpn, qty = balance["location_code"], balance["sku"], balance["lpn"], balance["qty"]
    target = "A10-16-5-2"
    sign_in(page, device="PDA-T09")
    page.route("**/api/v1/moves", lambda route: route.abort())
    scan_move(page, source, lpn, qty, target)                       # all of it, scanned offline
    page.wait_for_selector("#move-result .result.queued")
    [event] = queued_events(page)

    # Meanwhile, someone else moves some of it away.
    taken = live_server.api("POST", "/api/v1/moves", username="op02", json={
        "from_location": source, "barcode": sku, "qty": 5, "to_location": "A10-16-4-2"})
    assert taken.status_code == 201, taken.text
    before = live_server.query(sa.select(Movement.id))

    page.unroute("**/api/v1/moves")
    page.click("#sync-badge")
    page.click("#sync-now")
    page.wait_for_function("document.getElementById('sync-count').textContent === '0'")
    page.wait_for_selector("#refused-list .event")
    refused = page.inner_text("#refused-list")
    assert "409" in refused and "库存不足" in refused and target in refused
    assert page.is_visible("#refused-mark")                         # flagged in the header
    assert "离线扫描被拒绝" in page.inner_text("#toast")
    shot(page, "14-sync-queue-refused")
    assert live_server.query(sa.select(Movement.id)) == before      # nothing applied

    exceptions = live_server.api("GET", "/api/v1/scan-exceptions", params={"state": "open", "q": event["id"]})
    [item] = exceptions.json()["items"]
    assert (item["idempotency_key"], item["device"], item["username"], item["status_code"]) == (
        event["id"], "PDA-T09", "op01", 409)
    assert item["problem"]["code"] == "insufficient_stock" and item["request_body"]["qty"] == qty
    assert item["scanned_at"][:19] == event["ts"][:19]

    page.click("[data-ack]")                                        # the operator acknowledges it locally
    page.wait_for_function("!document.querySelector('#refused-list .event')")
    assert not page.is_visible("#refused-mark")

    supervisor = browser.new_context(viewport={"width": 360, "height": 640}, base_url=live_server.url,
                                     device_scale_factor=2)
    try:
        boss = supervisor.new_page()
        sign_in(boss, "supervisor", device="PDA-S01")
        boss.wait_for_selector("#home-exceptions-count:not([hidden])")
        boss.click(".menu-item[data-go=exceptions]")
        boss.wait_for_selector("#exceptions-list .event")
        total = live_server.api("GET", "/api/v1/scan-exceptions", params={"state": "open"}).json()["total"]
        assert boss.inner_text("#exceptions-count") == f"待处理 {total} 条"
        listed = boss.inner_text("#exceptions-list")
        assert "PDA-T09" in listed and "op01" in listed and "库存不足" in listed and target in listed
        assert boss.locator("#exceptions-list button").count() == 0  # read-only
        shot(boss, "15-exceptions-supervisor")
    finally:
        supervisor.close()


def test_expired_sign_in_keeps_the_queue_and_asks_to_sign_in_again(page, live_server):
    balance = live_server.balance(7)
    source, sku, start_qty = balance["location_code"], balance["sku"], balance["qty"]
    target = "A10-15-5-2"
    sign_in(page)
    page.route("**/api/v1/moves", lambda route: route.abort())
    scan_move(page, source, sku, 2, target)
    page.wait_for_selector("#move-result .result.queued")
    token = page.evaluate("PdaApi.token()")
    revoked = live_server.client().delete("/api/v1/auth/token", headers={"Authorization": f"Bearer {token}"})
    assert revoked.status_code == 204

    page.unroute("**/api/v1/moves")
    page.click("#sync-badge")
    page.click("#sync-now")
    page.wait_for_selector("#banner:not([hidden])")
    assert "登录已失效" in page.inner_text("#banner")
    assert pending(page) == 1 and live_server.qty(target, sku) == 0
    shot(page, "16-sign-in-expired")

    page.click("#banner-action")
    page.wait_for_selector("#screen-login:not([hidden])")
    assert page.input_value("#login-form [name=username]") == "op01"
    page.fill("#login-form [name=password]", "op01-demo")
    page.click("#signin")
    page.wait_for_function("document.getElementById('sync-count').textContent === '0'")
    assert live_server.qty(source, sku) == start_qty - 2 and live_server.qty(target, sku) == 2


def test_queue_replays_on_a_timer(page, live_server):
    balance = live_server.balance(8)
    target = "A10-15-4-2"
    sign_in(page)
    page.route("**/api/v1/moves", lambda route: route.abort())
    scan_move(page, balance["location_code"], balance["sku"], 1, target)
    page.wait_for_selector("#move-result .result.queued")
    page.click("[data-action=home]")
    page.click("#signout")                                          # unsynced scans: sign-out asks twice
    page.wait_for_selector("#message.warn")
    assert "1 条扫描未同步" in message(page) and page.is_visible("#screen-home")
    page.unroute("**/api/v1/moves")
    page.evaluate("PdaQueue.start(300)")                            # the app uses 15 s; faster here
    page.wait_for_function("document.getElementById('sync-count').textContent === '0'")
    assert live_server.qty(target, balance["sku"]) == 1
    assert "离线扫描已同步" in page.inner_text("#toast")


def test_without_indexeddb_the_queue_falls_back_to_local_storage(context, live_server):
    context.add_init_script(
        "Object.defineProperty(window, 'indexedDB', {value: undefined, configurable: true})")
    page = context.new_page()
    balance = live_server.balance(9)
    target = "A10-14-4-2"
    sign_in(page)
    assert page.evaluate("PdaQueue.storageKind()") == "localstorage"
    page.route("**/api/v1/moves", lambda route: route.abort())
    scan_move(page, balance["location_code"], balance["sku"], 2, target)
    page.wait_for_selector("#move-result .result.queued")
    page.reload()
    page.wait_for_function("document.getElementById('sync-count').textContent === '1'")
    page.unroute("**/api/v1/moves")
    page.click("#start-shift")
    page.click("#sync-badge")
    page.click("#sync-now")
    page.wait_for_function("document.getElementById('sync-count').textContent === '0'")
    assert live_server.qty(target, balance["sku"]) == 2
