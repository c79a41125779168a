"""Declaring to customs through the API: JSON records checked field by field, 三单对碰, queued messages that
the worker drives to release; sellers declare and see only their own."""
from __future__ import annotations


import sqlalchemy as sa

from tests.api import helpers as h
from tests.customs import demo
from wms.customs import service
from wms.customs.ceb import Party
from wms.customs.gateway import SandboxGateway


def body(kind, *records):
    return {"kind": kind, "records": [service.plain(r) for r in records]}


def declare(client, headers, kind, *records):
    return client.post("/api/v1/customs/declarations", headers=headers, json=body(kind, *records))


def test_documents_declared_through_the_api_reach_release(client, login):
    customs = login("customs")
    n = 71
    for kind, record in (("order", demo.order(n)), ("payment", demo.payment(n)), ("waybill", demo.waybill(n))):
        answer = declare(client, customs, kind, record)
        assert answer.status_code == 202, answer.get_json()
    answer = declare(client, customs, "inventory", demo.inventory(n))
    assert answer.status_code == 202, answer.get_json()
    [record] = answer.get_json()["records"]
    assert (record["kind"], record["status"], record["order_no"]) == ("inventory", "queued", demo.order_no(n))
    for _ in range(10):
        service.run_once(SandboxGateway(delay_seconds=0, reject_rate=0, inspect_rate=0))
    detail = client.get(f"/api/v1/customs/records/{record['id']}", headers=customs).get_json()
    assert detail["status"] == "closed" and detail["invt_no"]
    assert [e["event"] for e in detail["timeline"]][:3] == ["queue", "send", "status_2"]
    message = client.get(f"/api/v1/customs/messages/{answer.get_json()['messages'][0]['id']}", headers=customs)
    assert "CEB603Message" in message.get_json()["xml"]


def test_mismatching_list_is_refused_with_the_fields(client, login):
    customs = login("customs")
    declare(client, customs, "order", demo.order(72))
    problem = h.problem(declare(client, customs, "inventory", demo.inventory(72)), 409, "three_document_mismatch")
    fields = [m["field"] for m in problem["lists"][0]["mismatches"]]
    assert fields == ["document", "document"]


def test_bad_fields_are_named_by_path(client, login):
    record = service.plain(demo.order(73))
    del record["order_no"]
    record["goods_value"] = "lots"
    record["items"][1]["qty"] = "x"
    record["app_time"] = "2024-05-07T15:30:01"
    answer = client.post("/api/v1/customs/declarations", headers=login("customs"),
                         json={"kind": "order", "records": [record]})
    errors = h.problem(answer, 422)["errors"]
    assert {"records.0.order_no", "records.0.goods_value", "records.0.items.1.qty", "records.0.app_time"} <= set(errors)
    too_long = service.plain(demo.order(74, order_no="X" * 61))
    refused = client.post("/api/v1/customs/declarations", headers=login("customs"),
                          json={"kind": "order", "records": [too_long]})
    assert "orderNo" in h.problem(refused, 422)["errors"]


def anke_party(dbs):
    from wms.masterdata.models import Seller
    seller = dbs.scalars(sa.select(Seller).where(Seller.code == "SZ-ANKE")).one()
    return Party(seller.customs_code, seller.name_zh)


def test_sellers_declare_their_own_and_operators_cannot(client, login, dbs):
    h.problem(declare(client, login("anke"), "order", demo.order(75)), 403, "other_seller")   # someone else's name
    own = declare(client, login("anke"), "order", demo.order(75, ebc=anke_party(dbs)))
    assert own.status_code == 202
    [record] = own.get_json()["records"]
    assert record["seller_id"] == h.seller_id("SZ-ANKE")
    assert client.get(f"/api/v1/customs/records/{record['id']}", headers=login("jinyi")).status_code == 404
    assert client.get(f"/api/v1/customs/records/{record['id']}", headers=login("anke")).status_code == 200
    assert declare(client, login("op01"), "order", demo.order(76)).status_code == 403


def test_a_refused_list_becomes_an_exception_for_the_seller_and_supervisors(client, login, dbs):
    anke, party = login("anke"), anke_party(dbs)
    assert declare(client, anke, "order", demo.order(77, ebc=party)).status_code == 202
    assert declare(client, anke, "inventory", demo.inventory(77, ebc=party, owner=party)).status_code == 409
    own = client.get("/api/v1/customs/match-exceptions?state=open", headers=anke).get_json()
    [item] = [i for i in own["items"] if i["order_no"] == demo.order_no(77)]
    assert {m["field"] for m in item["mismatches"]} == {"document"} and item["seller_id"] == h.seller_id("SZ-ANKE")
    assert client.get("/api/v1/customs/match-exceptions", headers=login("jinyi")).get_json()["total"] == 0
    staff = client.get("/api/v1/customs/match-exceptions", headers=login("supervisor")).get_json()
    assert item["id"] in [i["id"] for i in staff["items"]]
    closed = client.post(f"/api/v1/customs/match-exceptions/{item['id']}/resolve", headers=anke,
                         json={"note": "已补录收款单和运单"})
    assert closed.status_code == 200 and closed.get_json()["state"] == "resolved"


def test_matching_uses_only_the_sellers_own_documents(client, login, dbs):
    customs = login("customs")
    for kind, record in (("order", demo.order(78)), ("payment", demo.payment(78)), ("waybill", demo.waybill(78))):
        assert declare(client, customs, kind, record).status_code == 202          # declared without a seller
    jinyi = client.post("/api/v1/customs/declarations", headers=customs,
                        json={**body("inventory", demo.inventory(78)), "seller_id": h.seller_id("SZ-JINYI")})
    assert {m["field"] for m in h.problem(jinyi, 409)["lists"][0]["mismatches"]} == {"document"}


def test_reused_guids_and_unknown_sellers_are_4xx(client, login):
    customs = login("customs")
    order = demo.order(79)
    assert declare(client, customs, "order", order).status_code == 202
    assert h.problem(declare(client, customs, "order", order), 409, "duplicate")["field"] == "guid"
    unknown = client.post("/api/v1/customs/declarations", headers=customs,
                          json={**body("order", demo.order(80)), "seller_id": 999999})
    h.field_errors(unknown, "seller_id")
