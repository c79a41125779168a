"""Master-data resources through the API: CRUD with audit trail, lists (q, filters, sort, pages, export),
uniqueness and reference errors, location placement, product barcodes, exchange rates, full-width input."""

from __future__ import annotations

import csv
import io
import math
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.api import helpers as h
from wms.auth.models import User
from wms.core.audit import AuditLog
from wms.extensions import db
from wms.masterdata.models import (
    Carrier,
    Channel,
    Country,
    Currency,
    ExchangeRate,
    Location,
    PackagingMaterial,
    Product,
    ProductBarcode,
    Seller,
    Warehouse,
    Zone,
)

NEW_GTIN = h.gtin13("690123400001")
NEW_GTIN_2 = h.gtin13("690123400002")
NEW_GTIN_3 = h.gtin13("690123400003")


@pytest.fixture
def admin(login):
    return login("admin")


def _warehouse_id():
    return db.session.scalar(sa.select(Warehouse.id).where(Warehouse.code == "QH01"))


def _carrier_id(code="SF"):
    return db.session.scalar(sa.select(Carrier.id).where(Carrier.code == code))


# resource -> (model, create payload, expected after create, patch payload)
def crud_cases():
    return {
        "warehouses": (
            Warehouse,
            {"code": "qh02", "name_zh": "第二监管仓", "customs_area_code": "5349", "bonded": False},
            {"code": "QH02", "bonded": False},
            {"name_en": "Second warehouse"},
        ),
        "zones": (
            Zone,
            {"warehouse_id": _warehouse_id(), "code": "z9", "name_zh": "新库区", "kind": "storage"},
            {"code": "Z9", "warehouse_code": "QH01", "bonded": True},
            {"kind": "qc"},
        ),
        "locations": (
            Location,
            {"zone_id": h.zone("STO").id, "code": "b01-01-1-1", "aisle": "b01", "capacity": 100},
            {"code": "B01-01-1-1", "aisle": "B01", "warehouse_id": _warehouse_id(), "zone_code": "STO"},
            {"capacity": 50},
        ),
        "sellers": (
            Seller,
            h.seller_payload(),
            {"code": "SZ-TEST", "filing_status": "draft"},
            {"contact": "张三"},
        ),
        "products": (
            Product,
            h.product_payload(sku="T-CRUD-1", barcodes=[NEW_GTIN]),
            {
                "sku": "T-CRUD-1",
                "seller_code": "SZ-ANKE",
                "barcodes": [NEW_GTIN],
                "filing_status": "draft",
                "declared_price": "9.9000",
            },
            {"declared_price": "12.5000"},
        ),
        "countries": (
            Country,
            {"code": "xq", "customs_code": "998", "name_zh": "测试国", "name_en": "Testland"},
            {"code": "XQ", "customs_code": "998"},
            {"name_en": "Testland II"},
        ),
        "currencies": (
            Currency,
            {"code": "xts", "customs_code": "998", "name_zh": "测试币", "name_en": "Test"},
            {"code": "XTS", "rates": []},
            {"name_en": "Testing currency"},
        ),
        "carriers": (
            Carrier,
            {"code": "dhl-t", "name_zh": "敦豪测试"},
            {"code": "DHL-T"},
            {"name_en": "DHL test"},
        ),
        "channels": (
            Channel,
            {
                "carrier_id": _carrier_id(),
                "code": "sf-t1",
                "name_zh": "顺丰测试渠道",
                "service": "express",
                "allows_battery": True,
            },
            {"code": "SF-T1", "carrier_code": "SF", "allows_battery": True},
            {"allows_battery": False},
        ),
        "packaging-materials": (
            PackagingMaterial,
            {"code": "ctn-xl", "name_zh": "特大号纸箱", "length_cm": "50"},
            {"code": "CTN-XL", "kind": "carton", "length_cm": "50.000"},
            {"kind": "bag"},
        ),
        "users": (
            User,
            {
                "username": "op03",
                "role": "operator",
                "password": "op03-secret",
                "display_name": "作业员 赵六",
            },
            {"username": "op03", "role": "operator", "seller_id": None},
            {"display_name": "作业员 赵六六"},
        ),
    }


CRUD = [
    "warehouses",
    "zones",
    "locations",
    "sellers",
    "products",
    "countries",
    "currencies",
    "carriers",
    "channels",
    "packaging-materials",
    "users",
]


@pytest.mark.parametrize("name", CRUD)
def test_crud_with_audit_trail(client, admin, dbs, name):
    model, payload, expected, patch = crud_cases()[name]
    created = client.post(f"/api/v1/{name}", json=payload, headers=admin)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    record_id = body["id"]
    assert {k: body[k] for k in expected} == expected
    assert body["active"] is True and "password" not in body and "password_hash" not in body
    assert dbs.get(model, record_id) is not None
    assert client.get(f"/api/v1/{name}/{record_id}", headers=admin).get_json() == body

    ((field, new_value),) = patch.items()
    changed = client.patch(f"/api/v1/{name}/{record_id}", json=patch, headers=admin)
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()[field] == new_value
    assert client.get(f"/api/v1/{name}/{record_id}", headers=admin).get_json()[field] == new_value
    dbs.expire_all()
    stored = getattr(dbs.get(model, record_id), field)
    assert (str(stored) if isinstance(stored, Decimal) else stored) == new_value

    off = client.post(f"/api/v1/{name}/{record_id}/deactivate", headers=admin)
    assert off.status_code == 200 and off.get_json()["active"] is False
    inactive = client.get(f"/api/v1/{name}?active=false&per_page=500", headers=admin).get_json()
    active = client.get(f"/api/v1/{name}?active=true&per_page=500", headers=admin).get_json()
    assert record_id in [i["id"] for i in inactive["items"]]
    assert record_id not in [i["id"] for i in active["items"]]
    assert all(i["active"] is False for i in inactive["items"])
    on = client.post(f"/api/v1/{name}/{record_id}/activate", headers=admin)
    assert on.status_code == 200 and on.get_json()["active"] is True
    dbs.expire_all()
    assert dbs.get(model, record_id).active is True

    table = model.__tablename__
    audit = client.get(
        f"/api/v1/audit?entity_type={table}&entity_id={record_id}&sort=at", headers=admin
    ).get_json()["items"]
    assert [a["action"] for a in audit] == [
        f"{table}.{verb}" for verb in ("create", "update", "deactivate", "activate")
    ]
    assert {a["username"] for a in audit} == {"admin"}
    create, update, deactivate, activate = audit
    assert create["before"] is None and create["after"]["id"] == record_id
    assert "password_hash" not in create["after"] and "password" not in create["after"]
    old_value = body[field]
    assert update["before"] == {field: old_value} and update["after"] == {field: new_value}
    assert deactivate["before"] == {"active": True} and deactivate["after"] == {"active": False}
    assert activate["before"] == {"active": False} and activate["after"] == {"active": True}


def test_patch_without_change_writes_no_audit(client, admin, dbs):
    country = dbs.scalars(sa.select(Country).where(Country.code == "JP")).one()
    before = len(h.audit_rows("countries", country.id))
    response = client.patch(
        f"/api/v1/countries/{country.id}", json={"name_en": country.name_en, "code": "jp"}, headers=admin
    )
    assert response.status_code == 200 and response.get_json()["code"] == "JP"
    assert len(h.audit_rows("countries", country.id)) == before
    assert client.post(f"/api/v1/countries/{country.id}/activate", headers=admin).status_code == 200
    assert len(h.audit_rows("countries", country.id)) == before  # already active: nothing happened


def test_staff_cannot_move_a_product_to_another_seller(client, admin, dbs):
    product = h.product("SZ-ANKE")
    response = client.patch(
        f"/api/v1/products/{product.id}", json={"seller_id": h.seller_id("SZ-LEJU")}, headers=admin
    )
    assert response.status_code == 200 and response.get_json()["seller_code"] == "SZ-ANKE"
    dbs.expire_all()
    assert dbs.get(Product, product.id).seller_id == h.seller_id("SZ-ANKE")


# --- lists --------------------------------------------------------------------------------------------------


def test_text_search_is_substring_and_case_insensitive(client, admin):
    body = client.get("/api/v1/products?q=耳机&per_page=500", headers=admin).get_json()
    assert body["total"] > 0 and body["total"] == len(body["items"])
    for item in body["items"]:
        assert any("耳机" in (item[k] or "") for k in ("sku", "name_zh", "name_en", "hs_code"))
    lower = client.get("/api/v1/products?q=tws", headers=admin).get_json()["total"]
    upper = client.get("/api/v1/products?q=TWS", headers=admin).get_json()["total"]
    assert lower == upper > 0
    assert client.get("/api/v1/products?q=no-such-text-anywhere", headers=admin).get_json()["total"] == 0


@pytest.mark.parametrize("needle", ["_", "%"])
def test_text_search_treats_wildcards_literally(client, admin, needle):
    assert (
        client.get(f"/api/v1/countries?q={needle.replace('%', '%25')}", headers=admin).get_json()["total"]
        == 0
    )


def test_filters_are_equality_tests(client, admin, dbs):
    anke = h.seller_id("SZ-ANKE")
    body = client.get(
        f"/api/v1/products?seller_id={anke}&filing_status=draft&per_page=500", headers=admin
    ).get_json()
    expected = dbs.scalar(
        sa.select(sa.func.count())
        .select_from(Product)
        .where(Product.seller_id == anke, Product.filing_status == "draft")
    )
    assert body["total"] == expected > 0
    assert {(i["seller_id"], i["filing_status"]) for i in body["items"]} == {(anke, "draft")}
    sto = h.zone("STO").id
    locations = client.get(f"/api/v1/locations?zone_id={sto}&aisle=03&per_page=500", headers=admin).get_json()
    assert locations["total"] == 200 == len(locations["items"])
    assert {(i["zone_code"], i["aisle"]) for i in locations["items"]} == {("STO", "03")}
    h.field_errors(client.get("/api/v1/products?seller_id=abc", headers=admin), "seller_id")


def test_sort_ascending_descending_and_several_keys(client, admin):
    prices = [
        Decimal(i["declared_price"])
        for i in client.get(
            "/api/v1/products?sort=-declared_price,sku&per_page=500", headers=admin
        ).get_json()["items"]
    ]
    assert prices == sorted(prices, reverse=True) and prices[0] > prices[-1]
    sequence = [
        i["pick_sequence"]
        for i in client.get("/api/v1/locations?sort=pick_sequence&per_page=500", headers=admin).get_json()[
            "items"
        ]
    ]
    assert sequence == sorted(sequence)
    default = client.get("/api/v1/locations?per_page=20", headers=admin).get_json()["items"]
    assert [i["pick_sequence"] for i in default] == sequence[:20]


@pytest.mark.parametrize(
    "sort", ["colour", "-colour", "sku,colour", "name_zh;drop table products", "seller_id"]
)
def test_invalid_sort_is_422(client, admin, sort):
    errors = h.field_errors(
        client.get("/api/v1/products", query_string={"sort": sort}, headers=admin), "sort"
    )
    assert "sku" in errors["sort"][0]


def test_pages_partition_the_list(client, admin):
    total = client.get("/api/v1/countries", headers=admin).get_json()["total"]
    seen = []
    pages = math.ceil(total / 7)
    for number in range(1, pages + 1):
        body = client.get(f"/api/v1/countries?per_page=7&page={number}", headers=admin).get_json()
        assert (body["page"], body["per_page"], body["total"], body["pages"]) == (number, 7, total, pages)
        seen += [i["id"] for i in body["items"]]
    assert len(seen) == len(set(seen)) == total
    beyond = client.get(f"/api/v1/countries?per_page=7&page={pages + 1}", headers=admin).get_json()
    assert beyond["items"] == [] and beyond["total"] == total


@pytest.mark.parametrize(
    "per_page,status,count",
    [(0, 422, None), (-1, 422, None), (501, 422, None), (1, 200, 1), (500, 200, 500), ("x", 422, None)],
)
def test_per_page_bounds(client, admin, per_page, status, count):
    response = client.get(f"/api/v1/locations?per_page={per_page}", headers=admin)
    if status == 422:
        h.field_errors(response, "per_page")
    else:
        assert response.status_code == 200 and len(response.get_json()["items"]) == count


# --- export -------------------------------------------------------------------------------------------------

EXPORTS = [
    ("/api/v1/products?seller_id={anke}", ("Seller", "SKU", "Declared price"), ("卖家", "SKU", "申报单价")),
    ("/api/v1/locations?zone_id={sto}", ("Code", "Zone", "Pick sequence"), ("库位", "库区", "拣货顺序")),
    ("/api/v1/stock?status=available", ("SKU", "Location", "Qty"), ("SKU", "库位", "数量")),
    ("/api/v1/movements?kind=receive", ("Movement", "Kind", "Qty"), ("流水号", "类型", "数量")),
    ("/api/v1/sellers?", ("Code", "USCC", "Filing"), ("代码", "统一社会信用代码", "备案状态")),
    ("/api/v1/audit?", ("When", "Who", "Action"), ("时间", "操作人", "操作")),
]


@pytest.mark.parametrize("url,en,zh", EXPORTS, ids=[e[0].split("?")[0] for e in EXPORTS])
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_csv_and_xlsx_export(client, login, url, en, zh, lang):
    headers = {**login("admin"), "Accept-Language": lang}
    url = url.format(anke=h.seller_id("SZ-ANKE"), sto=h.zone("STO").id)
    total = client.get(url, headers=headers).get_json()["total"]
    assert total > 0
    name = url.split("?")[0].rsplit("/", 1)[1]
    expected = en if lang == "en" else zh

    csv_response = client.get(f"{url}&format=csv", headers=headers)
    assert csv_response.status_code == 200 and csv_response.mimetype == "text/csv"
    assert csv_response.headers["Content-Disposition"].startswith(f'attachment; filename="{name}-')
    raw = csv_response.get_data()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8")[1:])))
    header = rows[0]
    assert all(column in header for column in expected)
    assert bool(h.CJK.search(",".join(header))) == (lang == "zh-CN")
    assert len(rows) == total + 1

    xlsx = client.get(f"{url}&format=xlsx", headers=headers)
    assert xlsx.status_code == 200
    assert xlsx.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert xlsx.headers["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(xlsx.get_data()), read_only=True).worksheets[0]
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert list(cells[0]) == header and len(cells) == total + 1


def test_xlsx_export_writes_text_as_text(client, admin, login):
    name = '=HYPERLINK("http://example.invalid/x","点击")'
    created = client.post(
        "/api/v1/products", json=h.product_payload(None, sku="=1+2", name_zh=name), headers=login("anke")
    )
    assert created.status_code == 201
    xlsx = client.get("/api/v1/products?q=example.invalid&format=xlsx", headers=admin)
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).worksheets[0]
    row = [c for c in next(sheet.iter_rows(min_row=2))]
    assert [c.value for c in row[1:3]] == ["=1+2", name]
    assert [c.data_type for c in row[1:3]] == ["s", "s"]
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get("/api/v1/products?q=example.invalid&format=csv", headers=admin).get_data(
                    as_text=True
                )[1:]
            )
        )
    )
    assert not any(cell.startswith(("=", "+", "@")) for cell in csv_rows[1])  # no formula in CSV either


# --- uniqueness ---------------------------------------------------------------------------------------------


def duplicate_cases():
    anke_product = h.product("SZ-ANKE")
    return {
        "country-code": (
            "countries",
            {"code": "cn", "customs_code": "997", "name_zh": "重", "name_en": "Dup"},
            "code",
        ),
        "country-customs-code": (
            "countries",
            {"code": "XR", "customs_code": "142", "name_zh": "重", "name_en": "Dup"},
            "customs_code",
        ),
        "currency-code": (
            "currencies",
            {"code": "usd", "customs_code": "997", "name_zh": "重", "name_en": "Dup"},
            "code",
        ),
        "warehouse-code": ("warehouses", {"code": " qh01 ", "name_zh": "重复"}, "code"),
        "zone-code": (
            "zones",
            {"warehouse_id": _warehouse_id(), "code": "sto", "name_zh": "重", "kind": "qc"},
            "code",
        ),
        "location-code": ("locations", {"zone_id": h.zone("QC").id, "code": "a01-01-1-1"}, "code"),
        "seller-code": ("sellers", h.seller_payload(code="sz-anke"), "code"),
        "seller-customs-code": ("sellers", h.seller_payload(customs_code="4403960A2K"), "customs_code"),
        "seller-uscc": ("sellers", h.seller_payload(uscc="91440300MA5GP23YX4"), "uscc"),
        "product-sku": ("products", h.product_payload(sku=anke_product.sku), "sku"),
        "product-barcode": (
            "products",
            h.product_payload(sku="NEW-1", barcodes=[h.barcode_of(anke_product.id)]),
            "barcodes",
        ),
        "carrier-code": ("carriers", {"code": "sf", "name_zh": "重复"}, "code"),
        "channel-code": (
            "channels",
            {"carrier_id": _carrier_id("4PX"), "code": "sf-ie", "name_zh": "重"},
            "code",
        ),
        "packaging-code": ("packaging-materials", {"code": "ctn-xs", "name_zh": "重复"}, "code"),
        "username": (
            "users",
            {"username": "op01", "role": "operator", "password": "long-enough"},
            "username",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "country-code",
        "country-customs-code",
        "currency-code",
        "warehouse-code",
        "zone-code",
        "location-code",
        "seller-code",
        "seller-customs-code",
        "seller-uscc",
        "product-sku",
        "product-barcode",
        "carrier-code",
        "channel-code",
        "packaging-code",
        "username",
    ],
)
def test_duplicate_is_422_naming_the_field(client, admin, case):
    name, payload, field = duplicate_cases()[case]
    before = h.fingerprint()
    errors = h.field_errors(client.post(f"/api/v1/{name}", json=payload, headers=admin), field)
    assert any("Already used" in m for m in errors[field])
    assert h.fingerprint() == before


def test_patch_into_a_duplicate_is_422_but_keeping_own_code_is_fine(client, admin, dbs):
    japan = dbs.scalars(sa.select(Country).where(Country.code == "JP")).one()
    h.field_errors(client.patch(f"/api/v1/countries/{japan.id}", json={"code": "CN"}, headers=admin), "code")
    h.field_errors(
        client.patch(f"/api/v1/countries/{japan.id}", json={"customs_code": "142"}, headers=admin),
        "customs_code",
    )
    assert (
        client.patch(
            f"/api/v1/countries/{japan.id}",
            json={"code": "JP", "customs_code": japan.customs_code},
            headers=admin,
        ).status_code
        == 200
    )
    location = h.location("A01-01-1-2")
    h.field_errors(
        client.patch(f"/api/v1/locations/{location.id}", json={"code": "A01-01-1-1"}, headers=admin), "code"
    )
    dbs.expire_all()
    assert dbs.get(Country, japan.id).code == "JP" and h.location("A01-01-1-2").id == location.id


def test_codes_are_unique_per_owner_not_globally(client, admin):
    """The same SKU for another seller, the same zone and location codes in another warehouse are fine."""
    sku = h.product("SZ-ANKE").sku
    assert (
        client.post("/api/v1/products", json=h.product_payload("SZ-LEJU", sku=sku), headers=admin).status_code
        == 201
    )
    warehouse = client.post("/api/v1/warehouses", json={"code": "QH02", "name_zh": "二号仓"}, headers=admin)
    zone = client.post(
        "/api/v1/zones",
        json={
            "warehouse_id": warehouse.get_json()["id"],
            "code": "STO",
            "name_zh": "存储区",
            "kind": "storage",
        },
        headers=admin,
    )
    assert zone.status_code == 201, zone.get_json()
    location = client.post(
        "/api/v1/locations", json={"zone_id": zone.get_json()["id"], "code": "A01-01-1-1"}, headers=admin
    )
    assert location.status_code == 201, location.get_json()
    assert location.get_json()["warehouse_id"] == warehouse.get_json()["id"]


# --- references ---------------------------------------------------------------------------------------------


def reference_cases():
    return {
        "zone-warehouse": (
            "zones",
            {"warehouse_id": 999999, "code": "Z1", "name_zh": "区", "kind": "qc"},
            "warehouse_id",
        ),
        "location-zone": ("locations", {"zone_id": 999999, "code": "X-1"}, "zone_id"),
        "product-seller": ("products", h.product_payload(seller_id=999999), "seller_id"),
        "product-origin": ("products", h.product_payload(origin_country_id=999999), "origin_country_id"),
        "product-currency": ("products", h.product_payload(currency_id=999999), "currency_id"),
        "channel-carrier": (
            "channels",
            {"carrier_id": 999999, "code": "X-1", "name_zh": "渠道"},
            "carrier_id",
        ),
        "user-seller": (
            "users",
            {"username": "s9", "role": "seller", "seller_id": 999999, "password": "long-enough"},
            "seller_id",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "zone-warehouse",
        "location-zone",
        "product-seller",
        "product-origin",
        "product-currency",
        "channel-carrier",
        "user-seller",
    ],
)
def test_unknown_reference_is_422(client, admin, case):
    name, payload, field = reference_cases()[case]
    before = h.fingerprint()
    errors = h.field_errors(client.post(f"/api/v1/{name}", json=payload, headers=admin), field)
    assert errors[field] == ["Unknown reference."]
    assert h.fingerprint() == before


def test_deactivated_reference_is_refused(client, admin):
    gbp = h.currency_id("GBP")
    assert client.post(f"/api/v1/currencies/{gbp}/deactivate", headers=admin).status_code == 200
    h.field_errors(
        client.post("/api/v1/products", json=h.product_payload(currency_id=gbp), headers=admin), "currency_id"
    )
    product = h.product("SZ-ANKE", filing_status="draft")      # filed data changes only before filing
    h.field_errors(
        client.patch(f"/api/v1/products/{product.id}", json={"currency_id": gbp}, headers=admin),
        "currency_id",
    )
    assert client.post(f"/api/v1/currencies/{gbp}/activate", headers=admin).status_code == 200
    assert (
        client.patch(f"/api/v1/products/{product.id}", json={"currency_id": gbp}, headers=admin).status_code
        == 200
    )
    assert client.get(f"/api/v1/products/{product.id}", headers=admin).get_json()["currency_code"] == "GBP"


def reference_changes():
    return {
        "product-currency": (
            "products",
            h.product("SZ-ANKE", filing_status="draft").id,
            {"currency_id": h.currency_id("GBP")},
            "currency_code",
            "GBP",
        ),
        "product-origin": (
            "products",
            h.product("SZ-ANKE", filing_status="draft").id,
            {"origin_country_id": h.country_id("JP")},
            "origin_country_code",
            "JP",
        ),
        "channel-carrier": (
            "channels",
            db.session.scalar(sa.select(Channel.id).where(Channel.code == "SF-IE")),
            {"carrier_id": _carrier_id("4PX")},
            "carrier_code",
            "4PX",
        ),
        "location-zone": (
            "locations",
            h.location("A01-01-1-1").id,
            {"zone_id": h.zone("QC").id},
            "zone_kind",
            "qc",
        ),
    }


@pytest.mark.parametrize("case", ["product-currency", "product-origin", "channel-carrier", "location-zone"])
def test_patch_response_shows_the_new_reference(client, admin, case):
    name, record_id, patch, field, expected = reference_changes()[case]
    response = client.patch(f"/api/v1/{name}/{record_id}", json=patch, headers=admin)
    assert response.status_code == 200
    assert client.get(f"/api/v1/{name}/{record_id}", headers=admin).get_json()[field] == expected
    assert response.get_json()[field] == expected


# --- locations take their warehouse from the zone -----------------------------------------------------------


def test_location_warehouse_follows_its_zone(client, admin, dbs):
    other = client.post(
        "/api/v1/warehouses", json={"code": "QH03", "name_zh": "三号仓"}, headers=admin
    ).get_json()
    zone = client.post(
        "/api/v1/zones",
        json={"warehouse_id": other["id"], "code": "RCV", "name_zh": "收货区", "kind": "receiving"},
        headers=admin,
    ).get_json()
    created = client.post(
        "/api/v1/locations", json={"zone_id": zone["id"], "code": "R-01"}, headers=admin
    ).get_json()
    assert created["warehouse_id"] == other["id"] and created["zone_code"] == "RCV"
    moved = client.patch(
        f"/api/v1/locations/{created['id']}", json={"zone_id": h.zone("QC").id}, headers=admin
    )
    assert moved.status_code == 200 and moved.get_json()["warehouse_id"] == _warehouse_id()
    assert client.get(f"/api/v1/locations/{created['id']}", headers=admin).get_json()["zone_kind"] == "qc"
    dbs.expire_all()
    assert dbs.get(Location, created["id"]).warehouse_id == _warehouse_id()
    h.field_errors(
        client.post(
            "/api/v1/locations",
            json={"zone_id": zone["id"], "code": "R-02", "warehouse_id": _warehouse_id()},
            headers=admin,
        ),
        "warehouse_id",
    )


def test_moving_a_location_into_a_warehouse_with_that_code_is_refused(client, admin):
    other = client.post(
        "/api/v1/warehouses", json={"code": "QH04", "name_zh": "四号仓"}, headers=admin
    ).get_json()
    zone = client.post(
        "/api/v1/zones",
        json={"warehouse_id": other["id"], "code": "QC", "name_zh": "质检", "kind": "qc"},
        headers=admin,
    ).get_json()
    twin = client.post(
        "/api/v1/locations", json={"zone_id": zone["id"], "code": "QC-01"}, headers=admin
    ).get_json()
    h.field_errors(
        client.patch(f"/api/v1/locations/{twin['id']}", json={"zone_id": h.zone("QC").id}, headers=admin),
        "code",
    )


def test_moving_a_zone_keeps_its_locations_consistent(client, admin, dbs):
    other = client.post(
        "/api/v1/warehouses", json={"code": "QH05", "name_zh": "五号仓"}, headers=admin
    ).get_json()
    rcv = h.zone("RCV")
    response = client.patch(f"/api/v1/zones/{rcv.id}", json={"warehouse_id": other["id"]}, headers=admin)
    dbs.expire_all()
    zone_warehouse = dbs.get(Zone, rcv.id).warehouse_id
    location_warehouses = set(dbs.scalars(sa.select(Location.warehouse_id).where(Location.zone_id == rcv.id)))
    assert (400 <= response.status_code < 500) or location_warehouses == {zone_warehouse}


# --- product barcodes ---------------------------------------------------------------------------------------


def _codes(dbs, product_id):
    return set(dbs.scalars(sa.select(ProductBarcode.code).where(ProductBarcode.product_id == product_id)))


def test_product_barcodes_are_replaced_on_patch(client, admin, dbs):
    created = client.post(
        "/api/v1/products",
        json=h.product_payload(sku="BC-1", barcodes=[NEW_GTIN, "OWN-CODE-1"]),
        headers=admin,
    ).get_json()
    assert created["barcodes"] == [NEW_GTIN, "OWN-CODE-1"]
    patched = client.patch(
        f"/api/v1/products/{created['id']}", json={"barcodes": ["own-code-1", NEW_GTIN_2]}, headers=admin
    )
    assert patched.status_code == 200, patched.get_json()
    assert patched.get_json()["barcodes"] == ["OWN-CODE-1", NEW_GTIN_2]
    assert _codes(dbs, created["id"]) == {"OWN-CODE-1", NEW_GTIN_2}
    assert (
        client.get(f"/api/v1/barcodes/{NEW_GTIN_2}", headers=admin).get_json()["product"]["id"]
        == created["id"]
    )
    h.problem(client.get(f"/api/v1/barcodes/{NEW_GTIN}", headers=admin), 404, "unknown_barcode")
    audit = [a for a in h.audit_rows("products", created["id"]) if a.action == "products.update"][-1]
    assert audit.before == {"barcode_codes": [NEW_GTIN, "OWN-CODE-1"]}
    assert audit.after == {"barcode_codes": ["OWN-CODE-1", NEW_GTIN_2]}
    # a patch without barcodes keeps them; an empty list removes them
    client.patch(f"/api/v1/products/{created['id']}", json={"name_en": "x"}, headers=admin)
    assert _codes(dbs, created["id"]) == {"OWN-CODE-1", NEW_GTIN_2}
    assert (
        client.patch(f"/api/v1/products/{created['id']}", json={"barcodes": []}, headers=admin).get_json()[
            "barcodes"
        ]
        == []
    )
    assert _codes(dbs, created["id"]) == set()


def test_barcodes_are_unique_per_seller(client, admin, login, dbs):
    first = client.post(
        "/api/v1/products", json=h.product_payload(sku="BC-2", barcodes=[NEW_GTIN_3]), headers=admin
    ).get_json()
    second = client.post("/api/v1/products", json=h.product_payload(sku="BC-3"), headers=admin).get_json()
    errors = h.field_errors(
        client.patch(f"/api/v1/products/{second['id']}", json={"barcodes": [NEW_GTIN_3]}, headers=admin),
        "barcodes",
    )
    assert NEW_GTIN_3 in errors["barcodes"][0]
    assert _codes(dbs, second["id"]) == set() and _codes(dbs, first["id"]) == {NEW_GTIN_3}
    other = client.post(
        "/api/v1/products",
        json=h.product_payload("SZ-LEJU", sku="BC-4", barcodes=[NEW_GTIN_3]),
        headers=admin,
    )
    assert other.status_code == 201, other.get_json()
    # the same code at two sellers: staff must choose, each seller resolves its own
    h.problem(client.get(f"/api/v1/barcodes/{NEW_GTIN_3}", headers=admin), 409, "ambiguous_barcode")
    leju = client.get(f"/api/v1/barcodes/{NEW_GTIN_3}", headers=login("leju")).get_json()
    assert leju["product"]["id"] == other.get_json()["id"]
    # duplicates inside one request collapse to one barcode
    again = client.patch(
        f"/api/v1/products/{first['id']}", json={"barcodes": [NEW_GTIN_3, NEW_GTIN_3]}, headers=admin
    )
    assert again.status_code == 200 and again.get_json()["barcodes"] == [NEW_GTIN_3]


# --- exchange rates -----------------------------------------------------------------------------------------


def test_currency_rates_are_added_or_replaced_by_date(client, admin, dbs):
    usd = h.currency_id("USD")
    response = client.patch(
        f"/api/v1/currencies/{usd}",
        headers=admin,
        json={
            "rates": [
                {"rate_date": "2026-11-01", "rate": "7.2000"},
                {"rate_date": "2026-12-01", "rate": "7.3000"},
            ]
        },
    )
    assert response.status_code == 200
    rates = {r["rate_date"]: r["rate"] for r in response.get_json()["rates"]}
    assert rates == {"2026-12-01": "7.300000", "2026-11-01": "7.200000", "2026-10-01": "7.126800"}
    stored = dbs.scalar(
        sa.select(sa.func.count()).select_from(ExchangeRate).where(ExchangeRate.currency_id == usd)
    )
    assert stored == 3
    audit = [a for a in h.audit_rows("currencies", usd) if a.action == "currencies.update"][-1]
    assert "7.200000" in str(audit.after) and "7.114300" in str(audit.before)
    created = client.post(
        "/api/v1/currencies",
        headers=admin,
        json={
            "code": "XTS",
            "customs_code": "998",
            "name_zh": "测试币",
            "name_en": "Test",
            "rates": [{"rate_date": "2026-11-01", "rate": "0.5"}],
        },
    )
    assert created.status_code == 201 and created.get_json()["rates"] == [
        {"rate_date": "2026-11-01", "rate": "0.500000"}
    ]


@pytest.mark.parametrize("rate", ["0", "-1", "abc"])
def test_currency_rate_must_be_positive(client, admin, rate):
    usd = h.currency_id("USD")
    before = h.fingerprint()
    errors = h.field_errors(
        client.patch(
            f"/api/v1/currencies/{usd}",
            headers=admin,
            json={"rates": [{"rate_date": "2026-12-01", "rate": rate}]},
        ),
        "rates",
    )
    assert "rate" in str(errors["rates"])
    assert h.fingerprint() == before


# --- full-width input ---------------------------------------------------------------------------------------

FULL_WIDTH = [
    (
        "countries",
        {"code": "ｘｑ", "customs_code": "９９８", "name_zh": "测试国", "name_en": "Testland"},
        {"code": "XQ", "customs_code": "998"},
    ),
    (
        "warehouses",
        {"code": "\u3000ｑｈ０９\u3000", "name_zh": "仓", "customs_area_code": "５３４９"},
        {"code": "QH09", "customs_area_code": "5349"},
    ),
    (
        "locations",
        {"zone_id": "STO", "code": "ｂ０１－０１－１－１", "aisle": "ｂ０１"},
        {"code": "B01-01-1-1", "aisle": "B01"},
    ),
    (
        "products",
        {
            "sku": "ＦＷ－Sku－１",
            "hs_code": "８５１７６２９４００",
            "barcodes": ["".join(chr(ord(c) + 0xFEE0) for c in NEW_GTIN)],
        },
        {"sku": "FW-Sku-1", "hs_code": "8517629400", "barcodes": [NEW_GTIN]},
    ),
    ("carriers", {"code": "ｄｈｌ", "name_zh": "敦豪"}, {"code": "DHL", "name_zh": "敦豪"}),
]


@pytest.mark.parametrize("name,payload,expected", FULL_WIDTH, ids=[c[0] for c in FULL_WIDTH])
def test_full_width_input_is_normalised(client, admin, dbs, name, payload, expected):
    if name == "locations":
        payload = {**payload, "zone_id": h.zone("STO").id}
    if name == "products":
        payload = h.product_payload(**payload)
    response = client.post(f"/api/v1/{name}", json=payload, headers=admin)
    assert response.status_code == 201, response.get_json()
    assert {k: response.get_json()[k] for k in expected} == expected


def test_full_width_codes_are_found(client, admin):
    """A code typed with a Chinese IME finds the record stored in ASCII (barcodes, locations)."""
    product = h.product("SZ-ANKE")
    full = "".join(chr(ord(c) + 0xFEE0) for c in h.barcode_of(product.id))
    assert client.get(f"/api/v1/barcodes/{full}", headers=admin).get_json()["product"]["id"] == product.id
    location = client.get("/api/v1/barcodes/ａ０１－０１－１－１", headers=admin).get_json()
    assert location["kind"] == "location" and location["location"]["code"] == "A01-01-1-1"


def test_full_width_sku_is_found(client, admin):
    product = h.product("SZ-ANKE")
    full = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in product.sku)
    response = client.get(f"/api/v1/barcodes/{full}", headers=admin)
    assert response.status_code == 200 and response.get_json()["product"]["id"] == product.id


# --- audit list ---------------------------------------------------------------------------------------------


def test_audit_list_filters_and_is_staff_or_own_seller(client, admin, login):
    product = h.product("SZ-JINYI")
    old_name = product.name_en
    client.patch(f"/api/v1/products/{product.id}", json={"name_en": "Renamed"}, headers=admin)
    rows = client.get(
        f"/api/v1/audit?action=products.update&entity_id={product.id}", headers=admin
    ).get_json()
    assert rows["total"] == 1 and rows["items"][0]["after"] == {"name_en": "Renamed"}
    assert rows["items"][0]["before"] == {"name_en": old_name}
    assert (
        client.get(f"/api/v1/audit?entity_type=products&entity_id={product.id}", headers=login("jinyi")).get_json()["total"] == 1
    )
    assert (
        client.get(f"/api/v1/audit?entity_type=products&entity_id={product.id}", headers=login("customs")).get_json()["total"] == 1
    )
    h.problem(client.get("/api/v1/audit", headers=login("op01")), 403, "forbidden")
    h.field_errors(client.get("/api/v1/audit?sort=username", headers=admin), "sort")
    latest = client.get("/api/v1/audit?per_page=1", headers=admin).get_json()["items"][0]
    assert latest["id"] == db.session.scalar(sa.select(sa.func.max(AuditLog.id)))
