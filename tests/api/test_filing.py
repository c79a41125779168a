"""Enterprise and product filing with customs (企业备案 / 商品备案): the state machine behind
POST /api/v1/<products|sellers>/<id>/filing/<event>, who may fire which event, and the audit trail."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.api import helpers as h
from wms.masterdata.models import Product, Seller
from wms.masterdata.service import FILING

EVENTS = ("declare", "revise", "approve", "return")
ROLE_EVENTS = {  # role -> events it may fire (sellers declare/revise, customs review, admin both)
    "admin": set(EVENTS),
    "supervisor": {"declare", "revise"},
    "seller": {"declare", "revise"},
    "customs": {"approve", "return"},
    "operator": set(),
}


def _set_state(dbs, obj, state: str) -> None:
    obj.filing_status = state
    dbs.commit()


def _filing_audit(entity_type: str, entity_id: int) -> list:
    return [a for a in h.audit_rows(entity_type, entity_id) if a.action.startswith("filing.")]


def test_product_filing_round_trip(client, login, dbs):
    product = h.product("SZ-ANKE", filing_status="draft")
    url = f"/api/v1/products/{product.id}/filing"
    seller, customs = login("anke"), login("customs")

    steps = [
        ("declare", seller, "", "declared"),
        ("return", customs, "申报要素缺少品牌类型", "returned"),
        ("declare", seller, "", "declared"),
        ("approve", customs, "", "approved"),
        ("revise", seller, "", "draft"),
    ]
    for event, headers, note, state in steps:
        response = client.post(f"{url}/{event}", json={"note": note}, headers=headers)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        assert body["filing_status"] == state and body["id"] == product.id
        dbs.expire_all()
        assert dbs.get(Product, product.id).filing_status == state
        if event == "return":
            assert body["filing_note"] == note == dbs.get(Product, product.id).filing_note
        if event == "approve":
            assert body["filing_note"] == ""

    audit = _filing_audit("products", product.id)
    assert [a.action for a in audit] == [f"filing.{e}" for e, *_ in steps]
    assert [a.username for a in audit] == ["anke", "customs", "anke", "customs", "anke"]
    assert audit[0].before == {"filing_status": "draft"}
    assert audit[0].after == {"filing_status": "declared", "note": ""}
    assert audit[1].after == {"filing_status": "returned", "note": "申报要素缺少品牌类型"}
    assert {a.seller_id for a in audit} == {product.seller_id}
    # the seller reads its own filing history
    own = client.get(
        f"/api/v1/audit?entity_type=products&entity_id={product.id}&action=filing.return", headers=seller
    ).get_json()
    assert own["total"] == 1 and own["items"][0]["after"]["note"] == "申报要素缺少品牌类型"


def test_seller_enterprise_filing(client, login, dbs):
    seller_id = h.seller_id("SZ-LEJU")
    url = f"/api/v1/sellers/{seller_id}/filing"
    steps = [
        ("revise", "leju", "draft"),
        ("declare", "leju", "declared"),
        ("return", "customs", "returned"),
        ("declare", "leju", "declared"),
        ("approve", "customs", "approved"),
    ]
    for event, user, state in steps:
        response = client.post(
            f"{url}/{event}", json={"note": "统一社会信用代码与营业执照不符"}, headers=login(user)
        )
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["filing_status"] == state
    dbs.expire_all()
    seller = dbs.get(Seller, seller_id)
    assert seller.filing_status == "approved" and seller.filing_note == ""
    audit = _filing_audit("sellers", seller_id)
    assert [(a.action, a.username) for a in audit] == [(f"filing.{e}", u) for e, u, _s in steps]
    assert audit[2].after["note"] == "统一社会信用代码与营业执照不符"
    assert {a.seller_id for a in audit} == {seller_id}


ILLEGAL = [
    (state, event) for state in FILING.states for event in EVENTS if event not in FILING.table.get(state, {})
]


@pytest.mark.parametrize("state,event", ILLEGAL, ids=[f"{s}-{e}" for s, e in ILLEGAL])
@pytest.mark.parametrize("resource", ["products", "sellers"])
def test_illegal_event_is_409_with_allowed_events(client, login, dbs, resource, state, event):
    obj = h.product("SZ-ANKE") if resource == "products" else dbs.get(Seller, h.seller_id("SZ-ANKE"))
    _set_state(dbs, obj, state)
    headers = login("admin")
    before = h.fingerprint()
    body = h.problem(
        client.post(f"/api/v1/{resource}/{obj.id}/filing/{event}", json={}, headers=headers),
        409,
        "invalid_transition",
    )
    assert body["current_state"] == state
    assert body["allowed_events"] == list(FILING.table[state])
    assert body["event"] == event and state in body["detail"] and event in body["detail"]
    assert h.fingerprint() == before
    dbs.expire_all()
    assert dbs.get(type(obj), obj.id).filing_status == state


def test_invalid_transition_in_chinese(client, login, dbs):
    product = h.product("SZ-ANKE", filing_status="draft")
    token = login("customs")["Authorization"]
    body = h.problem(
        client.post(
            f"/api/v1/products/{product.id}/filing/approve",
            json={},
            headers={"Authorization": token, "Accept-Language": "zh-CN"},
        ),
        409,
    )
    assert "不允许" in body["detail"] and body["allowed_events"] == ["declare"]


STATE_FOR_EVENT = {"declare": "draft", "revise": "approved", "approve": "declared", "return": "declared"}


@pytest.mark.parametrize("role", sorted(ROLE_EVENTS))
@pytest.mark.parametrize("event", EVENTS)
def test_who_may_fire_which_event(client, login, dbs, role, event):
    product = h.product("SZ-ANKE")
    _set_state(dbs, product, STATE_FOR_EVENT[event])
    headers = login(h.ROLE_USERS[role])
    before = h.fingerprint()
    response = client.post(
        f"/api/v1/products/{product.id}/filing/{event}", json={"note": "n"}, headers=headers
    )
    if event in ROLE_EVENTS[role]:
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["filing_status"] == FILING.table[STATE_FOR_EVENT[event]][event]
    else:
        body = h.problem(response, 403, "forbidden")
        assert body["role"] == role
        assert h.fingerprint() == before
        dbs.expire_all()
        assert dbs.get(Product, product.id).filing_status == STATE_FOR_EVENT[event]


def test_seller_cannot_approve_its_own_product(client, login, dbs):
    product = h.product("SZ-ANKE", filing_status="declared")
    headers = login("anke")
    before = h.fingerprint()
    for event in ("approve", "return"):
        h.problem(client.post(f"/api/v1/products/{product.id}/filing/{event}", json={}, headers=headers), 403)
        h.problem(
            client.post(f"/api/v1/sellers/{product.seller_id}/filing/{event}", json={}, headers=headers), 403
        )
    assert h.fingerprint() == before
    assert dbs.scalar(sa.select(Product.filing_status).where(Product.id == product.id)) == "declared"


@pytest.mark.parametrize("event", ["publish", "DECLARE", "declare/now"])
def test_unknown_event_is_not_a_route(client, login, event):
    product = h.product("SZ-ANKE", filing_status="draft")
    h.problem(
        client.post(f"/api/v1/products/{product.id}/filing/{event}", json={}, headers=login("admin")),
        404,
        "route_not_found",
    )


def test_unknown_fields_in_filing_body_are_refused(client, login, dbs):
    product = h.product("SZ-ANKE", filing_status="draft")
    h.field_errors(
        client.post(
            f"/api/v1/products/{product.id}/filing/declare",
            json={"filing_status": "approved"},
            headers=login("anke"),
        ),
        "filing_status",
    )
    assert dbs.scalar(sa.select(Product.filing_status).where(Product.id == product.id)) == "draft"


def test_filing_status_cannot_be_patched_directly(client, login, dbs):
    product = h.product("SZ-ANKE", filing_status="draft")
    for headers in (login("anke"), login("admin")):
        h.field_errors(
            client.patch(
                f"/api/v1/products/{product.id}", json={"filing_status": "approved"}, headers=headers
            ),
            "filing_status",
        )
        h.field_errors(
            client.patch(f"/api/v1/products/{product.id}", json={"filing_note": "ok"}, headers=headers),
            "filing_note",
        )
    assert dbs.scalar(sa.select(Product.filing_status).where(Product.id == product.id)) == "draft"


def test_new_records_start_as_draft(client, login):
    product = client.post(
        "/api/v1/products", json=h.product_payload(None, sku="NEW-FILING"), headers=login("anke")
    )
    assert product.status_code == 201 and product.get_json()["filing_status"] == "draft"
    seller = client.post("/api/v1/sellers", json=h.seller_payload(), headers=login("admin"))
    assert seller.status_code == 201 and seller.get_json()["filing_status"] == "draft"


def test_filed_data_changes_only_after_a_revision(client, login):
    from tests.api import helpers as hh
    product = hh.product("SZ-ANKE", filing_status="approved")
    anke = login("anke")
    locked = client.patch(f"/api/v1/products/{product.id}", headers=anke,
                          json={"hs_code": "8518300000", "declared_price": "0.01", "weight_kg": "0.2"})
    body = hh.problem(locked, 409, "filing_locked")
    assert body["fields"] == ["hs_code", "declared_price"] and body["allowed_events"] == ["revise"]
    assert client.patch(f"/api/v1/products/{product.id}", headers=anke, json={"weight_kg": "0.2"}).status_code == 200
    assert client.post(f"/api/v1/products/{product.id}/filing/revise", headers=anke, json={}).status_code == 200
    assert client.patch(f"/api/v1/products/{product.id}", headers=anke, json={"hs_code": "8518300000"}).status_code == 200
