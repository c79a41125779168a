"""Label routes through the API: documents per format, printers (default format, stock size, raw TCP
sending and its failure), field errors naming what is missing, location batches, SSCC allocation, access."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.api.helpers import ROLE_USERS, field_errors, problem, zone
from tests.printing.samples import SAMPLES, pdf_pages
from wms.core.numbering import NumberSeries
from wms.masterdata.models import Location
from wms.masterdata.rules import gs1_check_digit
from wms.printing.templates import TEMPLATES

RENDER, LOCATIONS, SSCC = "/api/v1/labels/render", "/api/v1/locations/labels", "/api/v1/labels/sscc"


@pytest.fixture
def op(login):
    return login("op01")


def locations_of(zone_code: str, aisle: str) -> list[str]:
    from wms.extensions import db
    return list(db.session.scalars(sa.select(Location.code).where(
        Location.zone_id == zone(zone_code).id, Location.aisle == aisle, Location.active.is_(True))
        .order_by(Location.pick_sequence, Location.id)))


# --- POST /labels/render ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_render_each_template_as_pdf(client, op, name):
    response = client.post(RENDER, json={"template": name, "data": SAMPLES[name]}, headers=op)
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
    assert response.headers["X-Label-Count"] == "1" and pdf_pages(response.data) == 1
    assert f'filename="{name}-labels-' in response.headers["Content-Disposition"]


def test_render_items_gives_a_page_each(client, op):
    items = [{"code": f"TMP-A{n:02d}", "zone": "TMP"} for n in range(1, 4)]
    response = client.post(RENDER, json={"template": "location", "items": items}, headers=op)
    assert response.status_code == 200 and pdf_pages(response.data) == 3
    assert response.headers["X-Label-Count"] == "3"


def test_render_zpl_and_tspl(client, op):
    zpl = client.post(RENDER, json={"template": "location", "data": SAMPLES["location"], "format": "zpl"},
                      headers=op)
    assert zpl.status_code == 200 and zpl.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert zpl.data.decode("utf-8").startswith("^XA\n^CI28\n^PW400") and "存储区" in zpl.data.decode()
    tspl = client.post(RENDER, json={"template": "location", "data": SAMPLES["location"], "format": "tspl",
                                     "dpi": 300}, headers=op)
    assert tspl.status_code == 200 and tspl.headers["Content-Type"] == "text/plain; charset=gb18030"
    text = tspl.data.decode("gb18030")
    assert text.startswith("SIZE 50 mm,30 mm\r\n") and '"STO 存储区"' in text
    assert 'BARCODE 82,78,"128",138,0,0,3,3,"A01-01-1-1"' in text                # 300 dpi: 12 dots/mm


def test_printer_without_address_sets_format_and_dpi(client, op):
    response = client.post(RENDER, json={"template": "location", "data": SAMPLES["location"],
                                         "printer": "TSC-LOC-01"}, headers=op)
    assert response.status_code == 200 and response.data.startswith(b"SIZE 50 mm,30 mm")
    pdf = client.post(RENDER, json={"template": "location", "data": SAMPLES["location"],
                                    "printer": "TSC-LOC-01", "format": "pdf"}, headers=op)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"


@pytest.mark.parametrize("body,field", [
    ({"printer": "ZB-PACK-01", "format": "tspl"}, "format"),                     # a Zebra takes ZPL
    ({"printer": "NO-SUCH-PRINTER"}, "printer"),
    ({"template": "shipping", "data": SAMPLES["shipping"], "printer": "TSC-LOC-01"}, "printer"),  # 50×30
])
def test_printer_mismatches_are_field_errors(client, op, body, field):
    request = {"template": "location", "data": SAMPLES["location"]} | body
    errors = field_errors(client.post(RENDER, json=request, headers=op), field)
    assert len(errors) == 1


def test_missing_fields_are_named(client, op):
    errors = field_errors(client.post(RENDER, json={"template": "location", "data": {"zone_name": "存储区"}},
                                      headers=op), "data")
    assert errors["data"] == {"code": ["Missing data for required field."],
                              "zone": ["Missing data for required field."]}
    items = [{"code": "TMP-A01", "zone": "TMP"}, {"code": "TMP-A02"}, {"zone": "TMP", "colour": "red"}]
    response = client.post(RENDER, json={"template": "location", "items": items}, headers=op)
    assert field_errors(response, "items")["items"] == {
        "1": {"zone": ["Missing data for required field."]},
        "2": {"code": ["Missing data for required field."], "colour": ["Unknown field."]}}


def test_field_errors_in_chinese(client, op):
    headers = op | {"Accept-Language": "zh-CN"}
    body = problem(client.post(RENDER, json={"template": "sscc", "data": {"sscc": "106141411234567890"}},
                               headers=headers), 422)
    assert body["errors"] == {"data": {"sscc": ["不是有效的 SSCC：应为 18 位数字且校验位正确。"]}}
    assert body["detail"] == "部分字段无效。"


@pytest.mark.parametrize("data,message", [
    ({"code": "库位-01", "zone": "STO"}, "Must be printable ASCII for a barcode."),
    ({"code": "A01-01-1-1-EXTRA-LONG-CODE", "zone": "STO"}, "Too long for the barcode on this label."),
])
def test_codes_a_barcode_cannot_carry(client, op, data, message):
    response = client.post(RENDER, json={"template": "location", "data": data}, headers=op)
    assert field_errors(response, "data")["data"] == {"code": [message]}


@pytest.mark.parametrize("body,field", [
    ({"template": "barcode39", "data": {}}, "template"),
    ({"data": {}}, "template"),
    ({"template": "location"}, "data"),
    ({"template": "location", "data": {}, "items": [{}]}, "data"),
    ({"template": "location", "items": []}, "items"),
    ({"template": "location", "data": {}, "format": "pcl"}, "format"),
    ({"template": "location", "data": {}, "dpi": 150}, "dpi"),
    ({"template": "location", "data": {}, "copies": 2}, "copies"),
])
def test_malformed_requests(client, op, body, field):
    field_errors(client.post(RENDER, json=body, headers=op), field)


def test_print_to_network_printer_sends_exactly_the_zpl(client, op, listener, network_printer):
    network_printer(listener.port)
    request = {"template": "sscc", "data": SAMPLES["sscc"], "format": "zpl"}
    expected = client.post(RENDER, json=request, headers=op).data
    response = client.post(RENDER, json=request | {"printer": "LOOP-01"}, headers=op)
    assert response.status_code == 202, response.get_json()
    assert response.get_json() == {"printer": "LOOP-01", "address": f"127.0.0.1:{listener.port}",
                                   "format": "zpl", "labels": 1, "bytes": len(expected)}
    assert listener.wait() == expected


def test_network_printer_still_returns_pdf_when_asked(client, op, listener, network_printer):
    network_printer(listener.port)
    response = client.post(RENDER, json={"template": "location", "data": SAMPLES["location"],
                                         "printer": "LOOP-01", "format": "pdf"}, headers=op)
    assert response.status_code == 200 and response.mimetype == "application/pdf"


@pytest.mark.parametrize("lang,words", [("en", "cannot be reached"), ("zh-CN", "无法连接打印机")])
def test_unreachable_printer_is_a_problem_naming_the_address(client, op, closed_port, network_printer,
                                                            lang, words):
    network_printer(closed_port, language="tspl")
    response = client.post(RENDER, json={"template": "location", "data": SAMPLES["location"],
                                         "printer": "LOOP-01"}, headers=op | {"Accept-Language": lang})
    body = problem(response, 502, "printer_unreachable")
    assert body["address"] == f"127.0.0.1:{closed_port}" and body["printer"] == "LOOP-01"
    assert words in body["detail"] and f"127.0.0.1:{closed_port}" in body["detail"]


def test_inactive_printer_is_refused(client, op, network_printer, closed_port, dbs):
    network_printer(closed_port).active = False
    dbs.flush()
    problem(client.post(RENDER, json={"template": "location", "data": SAMPLES["location"],
                                      "printer": "LOOP-01"}, headers=op), 409, "inactive_record")


# --- GET /locations/labels ----------------------------------------------------------------------------------

def test_aisle_batch_has_one_scannable_label_per_location(client, op, rasterise, decode):
    codes = locations_of("TMP", "A")
    assert len(codes) == 40
    response = client.get(f"{LOCATIONS}?zone_id={zone('TMP').id}&aisle=A", headers=op)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["X-Label-Count"] == "40" and pdf_pages(response.data) == 40
    scanned = [[b.text for b in decode(page)] for page in rasterise(response.data, 203)]
    assert scanned == [[code] for code in codes]                  # every page scans, in pick order


def test_storage_aisle_batch_in_every_format(client, op):
    codes = locations_of("STO", "01")
    query = f"{LOCATIONS}?zone_id={zone('STO').id}&aisle=01"
    pdf = client.get(query, headers=op)
    assert pdf_pages(pdf.data) == len(codes) == 200
    zpl = client.get(query + "&format=zpl", headers=op).data.decode()
    assert zpl.count("^XA") == 200 and [f"^FD>:{c}^FS" in zpl for c in codes] == [True] * 200
    tspl = client.get(query + "&format=tspl&dpi=300", headers=op).data.decode("gb18030")
    assert tspl.count("PRINT 1") == 200 and ",3,3," in tspl


def test_location_search_and_limits(client, op, app, monkeypatch):
    one = client.get(f"{LOCATIONS}?q=A01-01-1-", headers=op)
    assert one.headers["X-Label-Count"] == "2"                      # A01-01-1-1 and A01-01-1-2
    problem(client.get(f"{LOCATIONS}?aisle=NOPE", headers=op), 404, "nothing_to_print")
    field_errors(client.get(f"{LOCATIONS}?zone=STO", headers=op), "zone")          # unknown filter: refused
    monkeypatch.setitem(app.config, "LABEL_BATCH_LIMIT", 100)
    body = problem(client.get(f"{LOCATIONS}?zone_id={zone('STO').id}", headers=op), 422, "too_many_labels")
    assert body["count"] == 2000 and body["limit"] == 100 and "2000" in body["detail"]


# --- POST /labels/sscc --------------------------------------------------------------------------------------

def test_sscc_labels_list_their_numbers_and_scan(client, op, rasterise, decode):
    data = {"from_name": "前海湾保税仓 QH01", "to_name": "Amazon ONT8", "content": "耳机 48 箱"}
    response = client.post(SSCC, json={"count": 3, "data": data}, headers=op)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    numbers = response.headers["X-SSCC"].split(",")
    assert len(numbers) == 3 and pdf_pages(response.data) == 3
    for number in numbers:
        assert len(number) == 18 and number.startswith("06901234") and int(number[-1]) == gs1_check_digit(
            number[:-1])
    scanned = [decode(page) for page in rasterise(response.data, 203)]
    assert [[(b.text, b.symbology_identifier) for b in page] for page in scanned] == [
        [(f"(00){number}", "]C1")] for number in numbers]


def test_sscc_json_and_no_overlap(client, op):
    first = client.post(f"{SSCC}?as=json", json={"count": 5}, headers=op)
    assert first.status_code == 201
    second = client.post(f"{SSCC}?as=json", json={"count": 5}, headers=op).get_json()["sscc"]
    assert len(set(first.get_json()["sscc"]) | set(second)) == 10


def test_sscc_sent_to_printer(client, op, listener, network_printer):
    network_printer(listener.port, language="tspl")
    response = client.post(SSCC, json={"count": 2, "printer": "LOOP-01"}, headers=op)
    assert response.status_code == 202
    job = response.get_json()
    assert job["labels"] == 2 and len(job["sscc"]) == 2
    sent = listener.wait().decode("gb18030")
    assert all(f'"EAN128",256,0,0,4,4,"00{number}"' in sent for number in job["sscc"])


def _series(dbs) -> int | None:
    return dbs.scalar(sa.select(NumberSeries.next_value).where(NumberSeries.name == "sscc"))


@pytest.mark.parametrize("body,field", [
    ({"count": 0}, "count"), ({"count": 501}, "count"), ({}, "count"),
    ({"count": 1, "data": {"sscc": "106141411234567897"}}, "data"),
    ({"count": 1, "data": {"colour": "red"}}, "data"),
    ({"count": 1, "printer": "TSC-LOC-01"}, "printer"),                       # 100×150 on 50×30 stock
])
def test_refused_sscc_requests_allocate_nothing(client, op, dbs, body, field):
    before = _series(dbs)
    field_errors(client.post(SSCC, json=body, headers=op), field)
    assert _series(dbs) == before


def test_unreachable_printer_allocates_nothing(client, op, dbs, closed_port, network_printer):
    client.post(f"{SSCC}?as=json", json={"count": 1}, headers=op)
    network_printer(closed_port)
    before = _series(dbs)
    response = client.post(SSCC, json={"count": 2, "printer": "LOOP-01"}, headers=op)
    problem(response, 502, "printer_unreachable")
    assert _series(dbs) == before


# --- access -------------------------------------------------------------------------------------------------

ROUTES = [("POST", RENDER, {"template": "location", "data": SAMPLES["location"]}),
          ("GET", f"{LOCATIONS}?q=A01-01-1-1", None),
          ("POST", f"{SSCC}?as=json", {"count": 1})]


@pytest.mark.parametrize("method,url,body", ROUTES, ids=[f"{m} {u}" for m, u, _b in ROUTES])
def test_who_may_print(client, login, method, url, body):
    problem(client.open(url, method=method, json=body), 401, "token_invalid")
    for role, username in ROLE_USERS.items():
        response = client.open(url, method=method, json=body, headers=login(username))
        if role in ("admin", "supervisor", "operator"):
            assert response.status_code in (200, 201), (role, response.status_code)
        else:                                                   # customs and sellers do not print
            assert problem(response, 403, "forbidden")["role"] == role


def test_routes_are_documented(client):
    spec = client.get("/api/openapi.json").get_json()
    render = spec["paths"]["/api/v1/labels/render"]["post"]
    assert "application/pdf" in render["responses"]["200"]["content"] and "202" in render["responses"]
    assert "/api/v1/locations/labels" in spec["paths"] and "/api/v1/labels/sscc" in spec["paths"]
    template = spec["components"]["schemas"]["RenderLabels"]["properties"]["template"]
    assert set(template["enum"]) == set(TEMPLATES)
