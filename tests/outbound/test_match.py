"""Orders meet customs: the order, payment and waybill (CEB303/403/505) and the export list (CEB603) are
declared for each order; the three-document match decides matched or match_failed; customs' answers to the
list are followed on the order."""
from __future__ import annotations

import sqlalchemy as sa
from lxml import etree

from tests.api import helpers as h
from tests.web.test_screens import csrf
from tests.outbound.test_orders import payload
from wms.customs.gateway import SandboxGateway
from wms.customs.models import CustomsMessage, CustomsRecord, MatchException
from wms.customs.service import run_once
from wms.outbound.models import Order

CEB = "{http://www.chinaport.gov.cn/ceb}"


def test_an_order_is_declared_and_matched_at_intake(client, login, dbs, export_schema):
    body = client.post("/api/v1/orders", json=payload(dbs, order_no="M-1"), headers=login("anke")).get_json()
    assert body["status"] == "matched" and body["customs_state"] == "declared"
    kinds = dict(dbs.execute(sa.select(CustomsRecord.kind, CustomsRecord.status)
                             .where(CustomsRecord.order_no == "M-1")).all())
    assert kinds == {"order": "queued", "payment": "queued", "inventory": "queued"}
    waybill = dbs.scalars(sa.select(CustomsRecord).where(CustomsRecord.kind == "waybill",
                                                         CustomsRecord.logistics_no == body["logistics_no"])).one()
    assert waybill.status == "queued"
    listing = dbs.scalars(sa.select(CustomsMessage).where(CustomsMessage.message_type == "CEB603")
                          .order_by(CustomsMessage.id.desc())).first()
    root = etree.fromstring(listing.xml.encode())
    export_schema.assertValid(root)
    head = root.find(f"{CEB}Inventory/{CEB}InventoryHead")
    assert head.findtext(f"{CEB}tradeMode") == "1210" and head.findtext(f"{CEB}emsNo") == "T5349W000101"
    assert head.findtext(f"{CEB}orderNo") == "M-1" and head.findtext(f"{CEB}logisticsNo") == body["logistics_no"]
    item = root.find(f"{CEB}Inventory/{CEB}InventoryList")
    assert item.findtext(f"{CEB}itemRecordNo")                     # the account-book item of the line


def test_documents_that_disagree_fail_the_match_and_are_kept(client, login, dbs):
    wrong = payload(dbs, order_no="M-2", charge="1.00")              # paid less than goods + freight
    body = client.post("/api/v1/orders", json=wrong, headers=login("anke")).get_json()
    assert body["status"] == "match_failed" and "charge" in body["status_reason"]
    kept = dbs.scalars(sa.select(MatchException).where(MatchException.order_no == "M-2")).one()
    assert kept.seller_id == h.seller_id("SZ-ANKE") and "charge" in kept.fields
    assert not dbs.scalar(sa.select(CustomsRecord.id).where(CustomsRecord.kind == "inventory",
                                                            CustomsRecord.order_no == "M-2"))
    h.problem(client.post(f"/api/v1/orders/{body['id']}/cancel", json={}, headers=login("anke")), 422)


def test_customs_release_is_followed_on_the_order(client, login, dbs):
    body = client.post("/api/v1/orders", json=payload(dbs, order_no="M-3"), headers=login("anke")).get_json()
    gateway = SandboxGateway(delay_seconds=0, reject_rate=0, inspect_rate=0)
    for _ in range(4):
        run_once(gateway)
    dbs.expire_all()
    order = dbs.get(Order, body["id"])
    assert order.customs_state == "released" and order.released_at is not None and order.status == "matched"


def test_matching_again_after_a_failure(client, login, dbs):
    body = client.post("/api/v1/orders", json=payload(dbs, order_no="M-4", charge="1.00"),
                       headers=login("anke")).get_json()
    order = dbs.get(Order, body["id"])
    order.charge = order.goods_value + order.freight           # the payment company corrected its record
    dbs.flush()
    again = client.post(f"/api/v1/orders/{order.id}/match", headers=login("anke"))
    assert again.status_code == 200 and again.get_json()["status"] == "matched", again.get_json()
    changes = dbs.scalars(sa.select(CustomsRecord.app_type).where(CustomsRecord.order_no == "M-4",
                                                                  CustomsRecord.kind == "payment")).all()
    assert sorted(changes) == ["1", "2"]                       # the first payment, then its correction
    h.problem(client.post(f"/api/v1/orders/{order.id}/match", headers=login("anke")), 409, "invalid_transition")


def test_a_refused_list_is_declared_again_and_released(client, login, dbs):
    seller = login("anke")
    body = client.post("/api/v1/orders", json=payload(dbs, order_no="M-9"), headers=seller).get_json()
    h.problem(client.post(f"/api/v1/orders/{body['id']}/redeclare-list", headers=seller), 409, "list_not_rejected")
    refusing = SandboxGateway(delay_seconds=0, reject_rate=1, inspect_rate=0)
    for _ in range(3):
        run_once(refusing)
    dbs.expire_all()
    order = dbs.get(Order, body["id"])
    first_list = order.list_guid
    assert order.customs_state == "rejected" and "退单" in order.status_reason
    token = csrf(client.get("/login"))
    client.post("/login", data={"username": "anke", "password": "anke-demo", "csrf_token": token})
    page = client.get(f"/oms/orders/{order.id}")
    assert f'action="/oms/orders/{order.id}/redeclare"' in page.get_data(as_text=True)   # the seller's button
    again = client.post(f"/oms/orders/{order.id}/redeclare", data={"csrf_token": csrf(page)})
    assert again.status_code == 302
    dbs.expire_all()
    assert dbs.get(Order, order.id).customs_state == "declared"
    records = dbs.execute(sa.select(CustomsRecord.kind, CustomsRecord.status).where(CustomsRecord.order_no == "M-9")
                          .order_by(CustomsRecord.id)).all()
    refused = {kind for kind, status in records if status == "rejected"}
    assert "inventory" in refused and "order" in refused                    # the sandbox refused them both
    sent = {kind: sum(1 for k, _ in records if k == kind) for kind, _ in records}
    assert all(sent[kind] == 2 for kind in refused) and all(sent[k] == 1 for k in sent if k not in refused)
    for _ in range(4):
        run_once(SandboxGateway(delay_seconds=0, reject_rate=0, inspect_rate=0))
    dbs.expire_all()
    order = dbs.get(Order, body["id"])
    assert order.list_guid != first_list and order.customs_state == "released" and order.status == "matched"
