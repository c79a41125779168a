"""The one error format: every 4xx is application/problem+json with type/title/status/detail/code, 422s name
their fields, texts follow Accept-Language (zh-CN / en), scans echo what was scanned, and no refused request
changes the database. None of these inputs may produce a 500."""

from __future__ import annotations

import pytest

from tests.api import helpers as h

BIG = 99_999_999_999_999_999_999  # beyond any database integer
INT32_OVERFLOW = 2**31  # beyond PostgreSQL's INTEGER


@pytest.fixture
def admin(login):
    return login("admin")


BAD_REQUESTS = [
    # (user, method, url, json body, status, code, fields named in errors)
    ("admin", "POST", "/api/v1/products", {"hs_code": "12345"}, 422, "validation_failed", ["hs_code"]),
    (
        "admin",
        "POST",
        "/api/v1/products",
        {"barcodes": ["6901234567893"]},
        422,
        "validation_failed",
        ["barcodes"],
    ),
    ("admin", "POST", "/api/v1/products", {"colour": "red"}, 422, "validation_failed", ["colour"]),
    ("admin", "POST", "/api/v1/products", {"name_zh": "   "}, 422, "validation_failed", ["name_zh"]),
    (
        "admin",
        "POST",
        "/api/v1/products",
        {"declared_price": "-1"},
        422,
        "validation_failed",
        ["declared_price"],
    ),
    (
        "admin",
        "POST",
        "/api/v1/products",
        {"origin_country_id": "CN"},
        422,
        "validation_failed",
        ["origin_country_id"],
    ),
    (
        "admin",
        "PATCH",
        "/api/v1/products/{product}",
        {"hs_code": "85176294"},
        422,
        "validation_failed",
        ["hs_code"],
    ),
    ("admin", "PATCH", "/api/v1/products/{product}", {"id": 5}, 422, "validation_failed", ["id"]),
    (
        "admin",
        "PATCH",
        "/api/v1/products/{product}",
        {"filing_status": "approved"},
        422,
        "validation_failed",
        ["filing_status"],
    ),
    ("admin", "POST", "/api/v1/sellers", {"uscc": "91440300MA5GP23YX5"}, 422, "validation_failed", ["uscc"]),
    (
        "admin",
        "POST",
        "/api/v1/sellers",
        {"customs_code": "12345"},
        422,
        "validation_failed",
        ["customs_code"],
    ),
    (
        "admin",
        "POST",
        "/api/v1/countries",
        {"code": "CHN", "customs_code": "1"},
        422,
        "validation_failed",
        ["code", "customs_code"],
    ),
    ("admin", "POST", "/api/v1/locations", {"code": "A B"}, 422, "validation_failed", ["code", "zone_id"]),
    (
        "admin",
        "POST",
        "/api/v1/users",
        {"username": "a b", "role": "boss", "password": "short"},
        422,
        "validation_failed",
        ["username", "role", "password"],
    ),
    (
        "op01",
        "POST",
        "/api/v1/moves",
        {"qty": 0, "from_location": "A01-01-1-1"},
        422,
        "validation_failed",
        ["qty", "to_location"],
    ),
    (
        "op01",
        "POST",
        "/api/v1/moves",
        {"qty": 1, "from_location": "A01-01-1-1", "to_location": "A01-01-1-2"},
        422,
        "validation_failed",
        ["barcode"],
    ),
    (
        "op01",
        "POST",
        "/api/v1/moves",
        {"qty": "many", "barcode": "x", "from_location": "a", "to_location": "b"},
        422,
        "validation_failed",
        ["qty"],
    ),
    (
        "supervisor",
        "POST",
        "/api/v1/adjustments",
        {"barcode": "x", "location": "A01-01-1-1", "qty": 1},
        422,
        "validation_failed",
        ["reason"],
    ),
    (
        "customs",
        "POST",
        "/api/v1/status-changes",
        {"barcode": "x", "location": "TMP-A01", "qty": 1, "status": "lost", "event": "fly"},
        422,
        "validation_failed",
        ["status", "event"],
    ),
    ("admin", "GET", "/api/v1/products?sort=colour", None, 422, "validation_failed", ["sort"]),
    ("admin", "GET", "/api/v1/products?per_page=501", None, 422, "validation_failed", ["per_page"]),
    ("admin", "GET", "/api/v1/stock?format=pdf", None, 422, "validation_failed", ["format"]),
    ("admin", "GET", "/api/v1/products?page=0", None, 422, "validation_failed", ["page"]),
    ("admin", "GET", "/api/v1/products/99999999", None, 404, "record_not_found", []),
    ("admin", "GET", "/api/v1/nowhere", None, 404, "route_not_found", []),
    ("admin", "GET", "/api/v1/products/abc", None, 404, "route_not_found", []),
    ("admin", "DELETE", "/api/v1/products", None, 405, "method_not_allowed", []),
    ("admin", "PUT", "/api/v1/products/{product}", {}, 405, "method_not_allowed", []),
    ("admin", "DELETE", "/api/v1/products/{product}", None, 405, "method_not_allowed", []),
    ("op01", "POST", "/api/v1/products/{product}/filing/approve", {}, 403, "forbidden", []),
    ("customs", "POST", "/api/v1/products/{product}/filing/declare", {}, 403, "forbidden", []),
    (
        "admin",
        "POST",
        "/api/v1/products/{product}/filing/declare",
        {"note": "x" * 501},
        422,
        "validation_failed",
        ["note"],
    ),
    ("admin", "POST", "/api/v1/products/{product}/filing/publish", {}, 404, "route_not_found", []),
    (
        "op01",
        "POST",
        "/api/v1/moves",
        {"barcode": "NO-SUCH-CODE", "from_location": "A01-01-1-1", "to_location": "A01-01-1-2", "qty": 1},
        404,
        "unknown_barcode",
        [],
    ),
    (
        "op01",
        "POST",
        "/api/v1/moves",
        {"product_id": 99999999, "from_location": "A01-01-1-1", "to_location": "A01-01-1-2", "qty": 1},
        404,
        "record_not_found",
        [],
    ),
]


@pytest.mark.parametrize(
    "user,method,url,body,status,code,fields",
    BAD_REQUESTS,
    ids=[f"{m} {u} {b}"[:80] for _user, m, u, b, *_ in BAD_REQUESTS],
)
def test_refused_requests_are_problems_and_change_nothing(
    client, login, user, method, url, body, status, code, fields
):
    headers = login(user)
    url = url.format(product=h.product("SZ-ANKE").id)
    before = h.fingerprint()
    response = client.open(url, method=method, json=body, headers=headers)
    problem = h.problem(response, status, code)
    for name in fields:
        assert name in problem["errors"] and all(
            isinstance(m, str) and m for m in problem["errors"][name]
        ), problem
    assert h.fingerprint() == before


def test_product_validation_names_every_bad_field(client, admin):
    payload = h.product_payload(hs_code="12345", barcodes=["6901234567893"], name_zh=" ", colour="red")
    errors = h.field_errors(
        client.post("/api/v1/products", json=payload, headers=admin),
        "hs_code",
        "barcodes",
        "colour",
        "name_zh",
    )
    assert errors["hs_code"] == ["HS code must be 10 digits."]
    assert errors["colour"] == ["Unknown field."]
    assert errors["name_zh"] == ["Must not be blank."]
    assert "check digit" in errors["barcodes"][0]
    assert set(errors) == {"hs_code", "barcodes", "colour", "name_zh"}  # the valid fields are not blamed


@pytest.mark.parametrize(
    "data,content_type,status",
    [
        ("{bad json", "application/json", 400),
        ('{"sku": "A",}', "application/json", 400),
        ("[]", "application/json", 422),
        ('"text"', "application/json", 422),
        ("null", "application/json", 422),
        ("\xff\xfe", "application/json", 400),
        ("sku=A", "application/x-www-form-urlencoded", 422),
    ],
)
def test_malformed_bodies(client, admin, data, content_type, status):
    before = h.fingerprint()
    response = client.post("/api/v1/products", data=data, content_type=content_type, headers=admin)
    h.problem(response, status)
    assert h.fingerprint() == before


# --- languages ----------------------------------------------------------------------------------------------

LANGUAGE_CASES = [
    ("GET", "/api/v1/products/99999999", None),
    ("GET", "/api/v1/barcodes/NO-SUCH-CODE", None),
    ("POST", "/api/v1/products", {"hs_code": "1"}),
    ("DELETE", "/api/v1/products", None),
    ("GET", "/api/v1/nowhere", None),
    ("POST", "/api/v1/products/{product}/filing/approve", {}),
]


@pytest.mark.parametrize("method,url,body", LANGUAGE_CASES, ids=[f"{m} {u}" for m, u, _b in LANGUAGE_CASES])
def test_problem_text_follows_accept_language(client, login, method, url, body):
    url = url.format(product=h.product("SZ-ANKE", filing_status="draft").id)
    token = login("admin")["Authorization"]
    answers = {}
    for lang in ("zh-CN", "en", "zh-CN,zh;q=0.9,en;q=0.8", "en-US,en;q=0.9"):
        response = client.open(
            url, method=method, json=body, headers={"Authorization": token, "Accept-Language": lang}
        )
        answers[lang] = h.problem(response, response.status_code)
        assert 400 <= response.status_code < 500
        assert response.headers["Content-Language"] == ("zh-CN" if lang.startswith("zh") else "en")
    zh, en = answers["zh-CN"], answers["en"]
    assert zh["code"] == en["code"] and zh["status"] == en["status"]
    assert zh["detail"] != en["detail"] and h.CJK.search(zh["detail"]) and not h.CJK.search(en["detail"])
    assert h.CJK.search(zh["title"]) and not h.CJK.search(en["title"])
    assert answers["zh-CN,zh;q=0.9,en;q=0.8"]["detail"] == zh["detail"]
    assert answers["en-US,en;q=0.9"]["detail"] == en["detail"]
    if "errors" in en:
        assert en["errors"] != zh["errors"] and h.CJK.search(str(zh["errors"]))


def test_field_errors_are_translated(client, login):
    token = login("admin")["Authorization"]
    zh = client.post(
        "/api/v1/products", json={}, headers={"Authorization": token, "Accept-Language": "zh-CN"}
    )
    en = client.post("/api/v1/products", json={}, headers={"Authorization": token, "Accept-Language": "en"})
    assert h.field_errors(zh, "sku")["sku"] == ["必填字段。"]
    assert h.field_errors(en, "sku")["sku"] == ["Missing data for required field."]


def test_lang_cookie_beats_accept_language(client, login):
    token = login("admin")["Authorization"]
    client.set_cookie("lang", "en")
    body = h.problem(
        client.get("/api/v1/products/99999999", headers={"Authorization": token, "Accept-Language": "zh-CN"}),
        404,
    )
    assert not h.CJK.search(body["detail"])


def test_unsigned_problem_in_chinese(client):
    body = h.problem(client.get("/api/v1/stock", headers={"Accept-Language": "zh-CN"}), 401, "token_invalid")
    assert h.CJK.search(body["detail"])


# --- scans echo what was scanned ----------------------------------------------------------------------------

SCANNED = [
    "未知条码",  # Chinese text
    "ＸＹＺ１２３４５",  # full-width characters (IME input)
    "Q" * 90,  # longer than any code column
    "6901234567892",  # a well-formed GTIN nobody uses
    "LPN/WITH/SLASHES",
    "  spaced  ",
    "emoji-📦",
]


@pytest.mark.parametrize(
    "code", SCANNED, ids=["chinese", "fullwidth", "90chars", "gtin", "slashes", "spaces", "emoji"]
)
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_unknown_barcode_echoes_scanned(client, login, code, lang):
    headers = {**login("op01"), "Accept-Language": lang}
    body = h.problem(client.get(f"/api/v1/barcodes/{code}", headers=headers), 404, "unknown_barcode")
    assert body["scanned"] == code
    assert code in body["detail"]
    assert body["detail"] == (f"未知条码：{code}" if lang == "zh-CN" else f"Unknown barcode: {code}")


@pytest.mark.parametrize("field", ["from_location", "to_location"])
def test_unknown_location_in_a_move_echoes_scan_and_field(client, login, field):
    balance = h.stock()
    payload = {
        "product_id": balance.product_id,
        "lpn": balance.lpn,
        "qty": 1,
        "from_location": balance.location.code,
        "to_location": "A01-01-1-2",
        field: "库位-不存在",
    }
    headers = login("op01")
    before = h.fingerprint()
    body = h.problem(client.post("/api/v1/moves", json=payload, headers=headers), 404, "unknown_location")
    assert body["scanned"] == "库位-不存在" and body["field"] == field
    assert h.fingerprint() == before


# --- inputs that must not crash the server ------------------------------------------------------------------

HUGE = [
    pytest.param("GET", "/api/v1/products/{n}", None, 404, id="path-id"),
    pytest.param("POST", "/api/v1/products/{n}/deactivate", None, 404, id="toggle-id"),
    pytest.param("GET", "/api/v1/products?seller_id={n}", None, 200, id="query-filter"),
    pytest.param(
        "POST",
        "/api/v1/moves",
        {"product_id": "{n}", "from_location": "A01-01-1-1", "to_location": "A01-01-1-2", "qty": 1},
        404,
        id="body-id",
    ),
]


def _fill(value, n):
    if isinstance(value, dict):
        return {k: _fill(v, n) for k, v in value.items()}
    return n if value == "{n}" else value


@pytest.mark.parametrize("n", [INT32_OVERFLOW, BIG], ids=["2**31", "10**20"])
@pytest.mark.parametrize(
    "method,url,body,status",
    HUGE + [pytest.param("GET", "/api/v1/countries?page={n}", None, 200, id="page-number")],
)
def test_huge_integer_is_not_a_server_error(client, login, n, method, url, body, status):
    headers = login("admin")
    before = h.fingerprint()
    response = client.open(url.format(n=n), method=method, json=_fill(body, n), headers=headers)
    assert response.status_code in (status, 422), response.get_data(as_text=True)
    if response.status_code != 200:
        h.problem(response, response.status_code)
    assert h.fingerprint() == before


@pytest.mark.parametrize(
    "method,url,body",
    [
        ("GET", "/api/v1/barcodes/AB%00CD", None),
        ("POST", "/api/v1/products", "product"),
        (
            "POST",
            "/api/v1/moves",
            {"barcode": "AB\u0000CD", "from_location": "A01-01-1-1", "to_location": "A01-01-1-2", "qty": 1},
        ),
    ],
    ids=["barcode-path", "product-name", "move-barcode"],
)
def test_nul_character_is_not_a_server_error(client, login, method, url, body):
    if body == "product":
        body = h.product_payload(sku="NUL-1", name_zh="名称\u0000")
    response = client.open(url, method=method, json=body, headers=login("admin"))
    assert response.status_code in (201, 404, 422)
