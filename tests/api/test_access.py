"""Access control of every /api/v1 route: sign-in required, the role matrix of wms.auth.permissions, and
seller isolation (a seller sees and touches only its own records; other sellers' records do not exist).

Routes are read from the application's url_map, so a new route is covered (or fails here) automatically.
"""

from __future__ import annotations

import uuid

import csv
import io
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from tests.api import helpers as h
from wms import create_app
from wms.customs.models import CustomsMessage, CustomsRecord, MatchException
from wms.printing.models import PrinterProfile
from wms.scanning.models import ScanException
from wms.auth.models import User
from wms.auth.permissions import PERMISSIONS
from wms.core.audit import AuditLog
from wms.extensions import db
from wms.inventory.models import StockBalance
from wms.inbound.api import ASN_EVENTS
from wms.inbound.models import (Asn, Disposal, FixedLocation, PutawayRule, PutawayTask, QcRule, QcTask, Receipt,
                                TempDeclaration, TempDeclarationLine)
from wms.masterdata.api import FILING_PERMISSION
from wms.outbound.models import Bag, ChannelRule, Manifest, Order, Parcel, PickDiscrepancy, PickTask, Wave
from wms.masterdata.models import Location, Product
from wms.masterdata.service import RESOURCES

PUBLIC = {("auth.create_token", "POST")}
# Routes whose handler gates each value of a path argument by its own permission.
ARGUMENT_PERMISSIONS = {
    "masterdata.products_filing": ("event", FILING_PERMISSION),
    "masterdata.sellers_filing": ("event", FILING_PERMISSION),
    "scanning.close_exception": ("event", {"resolve": "scans.review", "dismiss": "scans.review"}),
    "customs.close_match": ("event", {"resolve": "customs.read", "dismiss": "customs.read"}),
    "inbound.asn_event": ("event", ASN_EVENTS),
    "inbound.disposal_event": ("event", {e: "disposal.approve" for e in ("approve", "complete", "cancel")}),
    "outbound.wave_event": ("event", {"release": "waves.plan", "cancel": "waves.plan"}),
}
# Reference lists every signed-in user shares; every other list a seller may read must be seller-scoped.
SHARED_LISTS = {"/api/v1/countries", "/api/v1/currencies", "/api/v1/carriers", "/api/v1/channels"}
DOWNLOADS = {"/api/v1/products/import-template", "/api/v1/asns/lines-template", "/api/v1/orders/import-template"}     # files with no seller data in them
MODELS = {r.name: r.model for r in RESOURCES} | {"users": User, "printers": PrinterProfile} | {
    "asns": Asn, "temp-declarations": TempDeclaration, "temp-declaration-lines": TempDeclarationLine,
    "qc-tasks": QcTask, "putaway-tasks": PutawayTask, "disposals": Disposal, "qc-rules": QcRule,
    "putaway-rules": PutawayRule, "fixed-locations": FixedLocation, "orders": Order, "channel-rules": ChannelRule, "waves": Wave,
    "pick-tasks": PickTask, "pick-discrepancies": PickDiscrepancy,
    "packing": Order, "bags": Bag, "manifests": Manifest}
OWN, OTHER = "SZ-ANKE", "SZ-JINYI"


@dataclass(frozen=True)
class Route:
    rule: str
    endpoint: str
    method: str
    values: tuple = ()  # fixed path values, e.g. (("event", "approve"),)

    def __str__(self):
        extra = "".join(f"[{k}={v}]" for k, v in self.values)
        return f"{self.method} {self.rule}{extra}"

    @property
    def resource(self) -> str:
        parts = self.rule.split("/")
        return f"{parts[3]}/{parts[4]}" if parts[3] == "customs" else parts[3]

    @property
    def has_arguments(self) -> bool:
        return "<" in self.rule


def view_permission(app, endpoint: str, method: str) -> str | None:
    """The permission the ``require`` decorator put on the view (per method for MethodView classes)."""
    view = app.view_functions[endpoint]
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        view = getattr(view_class, method.lower())
    return getattr(view, "required_permission", None)


def api_routes(app) -> list[Route]:
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if rule.endpoint in ARGUMENT_PERMISSIONS:
                arg, table = ARGUMENT_PERMISSIONS[rule.endpoint]
                routes += [
                    Route(rule.rule, rule.endpoint, method, ((arg, value),)) for value in sorted(table)
                ]
            else:
                routes.append(Route(rule.rule, rule.endpoint, method))
    return sorted(routes, key=str)


_COLLECTION_APP = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "route-collection"})
ROUTES = api_routes(_COLLECTION_APP)
PROTECTED = [r for r in ROUTES if (r.endpoint, r.method) not in PUBLIC]


def effective_permission(app, route: Route) -> str | None:
    if route.endpoint in ARGUMENT_PERMISSIONS:
        arg, table = ARGUMENT_PERMISSIONS[route.endpoint]
        return table[dict(route.values)[arg]]
    return view_permission(app, route.endpoint, route.method)


SELLER_LISTS = [
    r
    for r in ROUTES
    if r.method == "GET"
    and not r.has_arguments
    and r.rule not in DOWNLOADS
    and "seller" in PERMISSIONS.get(effective_permission(_COLLECTION_APP, r) or "", ())
]


def record_id(resource: str) -> int:
    """A representative record: the seller's own where records belong to sellers."""
    if resource == "products":
        return h.product(OWN).id
    if resource == "sellers":
        return h.seller_id(OWN)
    if resource == "users":
        return db.session.scalar(sa.select(User.id).where(User.username == "op02"))
    if resource in ("customs/messages", "customs/records", "customs/match-exceptions"):
        return _customs_documents()[resource]
    if resource == "scan-exceptions":
        exception = ScanException(user_id=db.session.scalar(sa.select(User.id).where(User.username == "op01")),
                                  method="POST", path="/api/v1/moves", status_code=409, problem={"code": "x"})
        db.session.add(exception)
        db.session.flush()
        return exception.id
    assert resource in MODELS, f"no representative record for /{resource}: add one to record_id()"
    model = MODELS[resource]
    if model is Order:                       # a packed order: every order route, its shipping label too
        packed = db.session.scalar(sa.select(sa.func.min(Parcel.order_id)).join(Order, Order.id == Parcel.order_id)
                                   .where(Order.seller_id == h.seller_id(OWN)))
        if packed is not None:
            return packed
    if hasattr(model, "seller_id"):          # the own seller's, where records belong to sellers
        own = db.session.scalar(sa.select(sa.func.min(model.id)).where(model.seller_id == h.seller_id(OWN)))
        if own is not None:
            return own
    if model is TempDeclarationLine:
        return db.session.scalar(sa.select(sa.func.min(TempDeclarationLine.id)).join(TempDeclaration).where(
            TempDeclaration.seller_id == h.seller_id(OWN)))
    return db.session.scalar(sa.select(sa.func.min(model.id)))


def _customs_documents(seller: str = OWN) -> dict[str, int]:
    """A message and a record of a seller (the own one by default: staff and that seller may open them)."""
    message = CustomsMessage(direction="out", message_type="CEB603", status="queued", xml="<x/>",
                             seller_id=h.seller_id(seller))
    record = CustomsRecord(kind="inventory", guid=str(uuid.uuid4()).upper(), seller_id=h.seller_id(seller), payload={})
    refused = MatchException(seller_id=h.seller_id(seller), order_no="SO-ACCESS", mismatches=[{"field": "document"}])
    db.session.add_all([message, record, refused])
    db.session.flush()
    return {"customs/messages": message.id, "customs/records": record.id, "customs/match-exceptions": refused.id}


def url_of(app, route: Route) -> str:
    values = dict(route.values)
    rule = next(app.url_map.iter_rules(route.endpoint))
    for arg in rule.arguments - set(values):
        if arg == "record_id":
            values[arg] = record_id(route.resource)
        elif arg == "code":
            values[arg] = h.barcode_of(h.product(OWN).id)
        elif arg == "lpn":
            values[arg] = db.session.scalar(sa.select(Receipt.lpn).where(Receipt.seller_id == h.seller_id(OWN))
                                            .order_by(Receipt.id))
        else:
            raise AssertionError(f"{route}: no test value for <{arg}>")
    return app.url_map.bind("localhost").build(route.endpoint, values, method=route.method)


def call(client, app, route: Route, headers: dict):
    body = {} if route.method in ("POST", "PATCH", "PUT") else None
    return client.open(url_of(app, route), method=route.method, json=body, headers=headers)


# --- the route list itself ----------------------------------------------------------------------------------


def test_route_list_is_the_applications(app):
    assert {str(r) for r in api_routes(app)} == {str(r) for r in ROUTES}
    assert len(ROUTES) > 40


@pytest.mark.parametrize("route", PROTECTED, ids=str)
def test_every_route_names_a_known_permission(app, route):
    permission = effective_permission(app, route)
    assert permission is not None, f"{route} has no @require: it would be open to anyone"
    assert permission in PERMISSIONS


# --- 401 without a valid token ------------------------------------------------------------------------------


@pytest.mark.parametrize("route", PROTECTED, ids=str)
def test_unauthenticated_request_is_401(client, app, route):
    before = h.fingerprint()
    for headers in (
        {},
        {"Authorization": "Bearer not-a-real-token"},
        {"Authorization": "Basic YWRtaW46YWRtaW4tZGVtbw=="},
        {"Authorization": "Bearer "},
    ):
        body = h.problem(call(client, app, route, {"Accept-Language": "en", **headers}), 401, "token_invalid")
        assert "token" in body["detail"]
    assert h.fingerprint() == before


def test_public_token_route_needs_no_token(client):
    h.problem(client.post("/api/v1/auth/token", json={}), 422)


# --- role matrix --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_role_matrix(client, app, login, route):
    permission = effective_permission(app, route)
    allowed_roles = PERMISSIONS[permission] if permission else set(h.ROLE_USERS)
    for role, username in h.ROLE_USERS.items():
        response = call(client, app, route, login(username))
        if role in allowed_roles:
            assert response.status_code not in (401, 403), (role, response.status_code, response.get_json())
            assert response.status_code < 500
            if route.method == "GET":
                assert response.status_code == 200, (role, response.get_json())
        else:
            body = h.problem(response, 403, "forbidden")
            assert body["role"] == role


@pytest.mark.parametrize("role", sorted(h.ROLE_USERS))
def test_forbidden_requests_change_nothing(client, app, login, role):
    headers = login(h.ROLE_USERS[role])
    before = h.fingerprint()
    denied = [
        r for r in PROTECTED if r.method != "GET" and role not in PERMISSIONS[effective_permission(app, r)]
    ]
    assert denied or role == "admin"
    for route in denied:
        h.problem(call(client, app, route, headers), 403, "forbidden")
    assert h.fingerprint() == before


# --- seller isolation: lists --------------------------------------------------------------------------------


def _audit_for_both_sellers(client, login):
    admin = login("admin")
    for seller in (OWN, OTHER):
        p = h.product(seller)
        response = client.patch(
            f"/api/v1/products/{p.id}", json={"name_en": f"{p.name_en} (ed.)"}, headers=admin
        )
        assert response.status_code == 200


@pytest.mark.parametrize("route", SELLER_LISTS, ids=str)
def test_seller_lists_show_only_own_records(client, app, login, route):
    _audit_for_both_sellers(client, login)
    if route.resource.startswith("customs/"):
        _customs_documents(OWN), _customs_documents(OTHER)
    own_id = h.seller_id(OWN)
    url = url_of(app, route) + "?per_page=500"
    body = client.get(url, headers=login("anke")).get_json()
    items = body["items"] if "items" in body else [body]
    assert items, f"{route}: the seller sees nothing, so isolation cannot be checked"
    staff = client.get(url, headers=login("admin")).get_json()
    if route.rule in SHARED_LISTS:
        assert body["total"] == staff["total"]
        return
    if route.rule == "/api/v1/book-reconciliation":
        assert body["clean"] and staff["clean"]        # the demo book reconciles; differences are tested
        return                                          # per seller in tests/integration/test_account_book.py
    if route.rule == "/api/v1/sellers":
        assert [item["id"] for item in items] == [own_id]
    elif route.rule == "/api/v1/audit":
        rows = db.session.scalars(
            sa.select(AuditLog.seller_id).where(AuditLog.id.in_([i["id"] for i in items]))
        )
        assert set(rows) == {own_id}
    elif "seller_id" in items[0] or "seller_code" in items[0]:
        assert {item.get("seller_id", own_id) for item in items} == {own_id}
        assert {item.get("seller_code", OWN) for item in items} == {OWN}
    elif "product_id" in items[0]:
        owners = db.session.scalars(
            sa.select(Product.seller_id).where(Product.id.in_({item["product_id"] for item in items}))
        )
        assert set(owners) == {own_id}
    else:
        pytest.fail(f"{route}: a seller may read it, but it is neither shared nor seller-scoped")
    if "items" in body:  # staff see other sellers' rows, so the filter above did something
        assert staff["total"] > body["total"]


@pytest.mark.parametrize(
    "path,filter_name",
    [
        ("/api/v1/stock", "seller_id"),
        ("/api/v1/stock", "product_id"),
        ("/api/v1/movements", "product_id"),
        ("/api/v1/products", "seller_id"),
        ("/api/v1/audit", "entity_id"),
    ],
)
def test_seller_cannot_filter_into_another_seller(client, login, path, filter_name):
    _audit_for_both_sellers(client, login)
    other = h.product(OTHER)
    value = {"seller_id": other.seller_id, "product_id": other.id, "entity_id": other.id}[filter_name]
    url = f"{path}?{filter_name}={value}"
    assert client.get(url, headers=login("admin")).get_json()["total"] > 0
    body = client.get(url, headers=login("anke")).get_json()
    assert body["total"] == 0 and body["items"] == []


def _csv_rows(response) -> list[dict]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


@pytest.mark.parametrize("path", ["/api/v1/products", "/api/v1/stock", "/api/v1/movements"])
def test_seller_exports_only_own_rows(client, login, path):
    own_skus = set(db.session.scalars(sa.select(Product.sku).where(Product.seller_id == h.seller_id(OWN))))
    rows = _csv_rows(client.get(f"{path}?format=csv", headers=login("anke")))
    assert rows
    for row in rows:
        assert row["SKU"] in own_skus and row.get("Seller", OWN) == OWN, row
    staff = _csv_rows(client.get(f"{path}?format=csv", headers=login("admin")))
    assert any(row["SKU"] not in own_skus for row in staff)


# --- seller isolation: other sellers' records ---------------------------------------------------------------

OTHER_RECORD_REQUESTS = [
    ("GET", "/api/v1/products/{id}", None, None),
    ("PATCH", "/api/v1/products/{id}", None, {"name_en": "Renamed by someone else"}),
    ("POST", "/api/v1/products/{id}/deactivate", None, None),
    ("POST", "/api/v1/products/{id}/filing/declare", "draft", {"note": ""}),
    ("POST", "/api/v1/products/{id}/filing/revise", "approved", {}),
    ("GET", "/api/v1/sellers/{id}", None, None),
    ("POST", "/api/v1/sellers/{id}/filing/revise", None, {}),
    ("GET", "/api/v1/sellers/{id}/packing-list-template", None, None),
    ("PUT", "/api/v1/sellers/{id}/packing-list-template", None, {"language": "en", "columns": ["sku", "qty"],
                                                                  "paper": "a4"}),
    ("DELETE", "/api/v1/sellers/{id}/packing-list-template", None, None),
    ("DELETE", "/api/v1/sellers/{id}/packing-list-template/logo", None, None),
    ("GET", "/api/v1/sellers/{id}/packing-list-template/preview", None, None),
]


@pytest.mark.parametrize(
    "method,template,state,body",
    OTHER_RECORD_REQUESTS,
    ids=[f"{m} {t}" for m, t, _s, _b in OTHER_RECORD_REQUESTS],
)
def test_another_sellers_record_is_not_found(client, login, method, template, state, body):
    headers = login("anke")
    is_seller = template.startswith("/api/v1/sellers")

    def target(seller):
        return h.seller_id(seller) if is_seller else h.product(seller, filing_status=state).id

    other_id = target(OTHER)
    before = h.fingerprint()
    response = client.open(template.format(id=other_id), method=method, json=body, headers=headers)
    found = h.problem(response, 404, "record_not_found")
    assert h.fingerprint() == before
    missing = h.problem(
        client.open(template.format(id=99_999_999), method=method, json=body, headers=headers),
        404,
        "record_not_found",
    )
    assert set(found) == set(missing)  # the same answer as for an id that does not exist: no leak
    text = response.get_data(as_text=True)
    other = db.session.get(Product, other_id) if not is_seller else None
    assert OTHER not in text and (other is None or other.sku not in text)
    # the same request on the seller's own record is served
    own = client.open(template.format(id=target(OWN)), method=method, json=body, headers=headers)
    assert own.status_code == 200, own.get_json()


@pytest.mark.parametrize("username", ["anke", "jinyi"])
def test_seller_may_not_edit_seller_records_at_all(client, login, username):
    """Editing enterprise records is for admins: the same 403 for the own and another seller's record."""
    for code in ("SZ-ANKE", "SZ-JINYI"):
        response = client.patch(
            f"/api/v1/sellers/{h.seller_id(code)}", json={"contact": "x"}, headers=login(username)
        )
        h.problem(response, 403, "forbidden")


def test_seller_creating_product_for_another_seller_is_403(client, login):
    headers = login("anke")
    before = h.fingerprint()
    response = client.post("/api/v1/products", json=h.product_payload(OTHER), headers=headers)
    body = h.problem(response, 403, "other_seller")
    assert "another seller" in body["detail"]
    assert h.fingerprint() == before


def test_seller_product_without_seller_id_is_its_own(client, login, dbs):
    response = client.post(
        "/api/v1/products", json=h.product_payload(None, sku="OWN-NEW-1"), headers=login("anke")
    )
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["seller_id"] == h.seller_id(OWN) and created["seller_code"] == OWN
    assert dbs.get(Product, created["id"]).seller_id == h.seller_id(OWN)
    # the same payload from staff lacks the owner
    h.field_errors(
        client.post(
            "/api/v1/products", json=h.product_payload(None, sku="OWN-NEW-2"), headers=login("supervisor")
        ),
        "seller_id",
    )


def test_seller_cannot_hand_own_product_to_another_seller(client, login, dbs):
    mine = h.product(OWN)
    response = client.patch(
        f"/api/v1/products/{mine.id}",
        json={"seller_id": h.seller_id(OTHER), "name_zh": "新"},
        headers=login("anke"),
    )
    h.problem(response, 403, "other_seller")
    dbs.expire_all()
    assert dbs.get(Product, mine.id).seller_id == h.seller_id(OWN)
    assert dbs.get(Product, mine.id).name_zh != "新"


# --- seller isolation: scanning -----------------------------------------------------------------------------


def _lpn_of(seller: str) -> str:
    return db.session.scalar(
        sa.select(StockBalance.lpn)
        .where(StockBalance.seller_id == h.seller_id(seller), StockBalance.lpn != "", StockBalance.qty > 0)
        .order_by(StockBalance.id)
        .limit(1)
    )


@pytest.mark.parametrize("what", ["barcode", "sku", "lpn"])
def test_seller_cannot_resolve_another_sellers_codes(client, login, what):
    other = h.product(OTHER)
    code = {"barcode": h.barcode_of(other.id), "sku": other.sku, "lpn": _lpn_of(OTHER)}[what]
    assert client.get(f"/api/v1/barcodes/{code}", headers=login("jinyi")).status_code == 200
    assert client.get(f"/api/v1/barcodes/{code}", headers=login("admin")).status_code == 200
    body = h.problem(client.get(f"/api/v1/barcodes/{code}", headers=login("anke")), 404, "unknown_barcode")
    assert body["scanned"] == code and code in body["detail"]
    assert other.name_zh not in str(body)


def test_seller_resolves_own_codes_with_own_stock_only(client, login):
    mine = h.product(OWN)
    body = client.get(f"/api/v1/barcodes/{h.barcode_of(mine.id)}", headers=login("anke")).get_json()
    assert body["kind"] == "product" and body["product"]["id"] == mine.id
    assert {s["seller_id"] for s in body["stock"]} <= {h.seller_id(OWN)}
    lpn = client.get(f"/api/v1/barcodes/{_lpn_of(OWN)}", headers=login("anke")).get_json()
    assert lpn["kind"] == "lpn" and lpn["stock"]
    assert {s["seller_id"] for s in lpn["stock"]} == {h.seller_id(OWN)}


def test_seller_cannot_look_into_locations(client, login):
    """A location holds several sellers' goods: staff see what is in it, a seller gets 'unknown'."""
    code = db.session.scalar(
        sa.select(Location.code)
        .join(StockBalance, StockBalance.location_id == Location.id)
        .where(StockBalance.seller_id == h.seller_id(OTHER), StockBalance.qty > 0)
        .limit(1)
    )
    staff = client.get(f"/api/v1/barcodes/{code}", headers=login("op01")).get_json()
    assert staff["kind"] == "location" and staff["stock"]
    h.problem(client.get(f"/api/v1/barcodes/{code}", headers=login("anke")), 404, "unknown_barcode")
