"""The admin screen for batch label printing: sign-in, roles, CSRF, downloads, sending to a printer,
errors shown on the page in zh-CN and English."""
from __future__ import annotations

import re

import pytest

from tests.api.helpers import zone
from tests.conftest import DEMO_PASSWORDS
from tests.printing.samples import pdf_pages

PAGE = "/admin/labels"
HTML = {"Accept": "text/html"}


def csrf(response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True)).group(1)


@pytest.fixture
def sign_in(client):
    """sign_in(username) -> the CSRF token of the labels page (None for roles that may not open it)."""
    def _sign_in(username: str) -> str | None:
        token = csrf(client.get("/login"))
        assert client.post("/login", data={"username": username, "password": DEMO_PASSWORDS[username],
                                           "csrf_token": token}).status_code == 302
        page = client.get(PAGE, headers=HTML)
        return csrf(page) if page.status_code == 200 else None
    return _sign_in


def test_needs_sign_in(client):
    response = client.get(PAGE, headers=HTML)
    assert response.status_code == 302 and response.location.startswith("/login?next=/admin/labels")


@pytest.mark.parametrize("username", ["anke", "customs"])
def test_roles_without_labels_print_are_refused(client, sign_in, username):
    assert sign_in(username) is None
    assert client.get(PAGE, headers=HTML).status_code == 403


@pytest.mark.parametrize("lang,words", [("zh-CN", ["标签打印", "库位标签", "SSCC 物流标签", "打印库位标签"]),
                                        ("en", ["Label printing", "Location labels",
                                                "Print location labels"])])
def test_page_in_both_languages(client, sign_in, lang, words):
    sign_in("op01")
    client.set_cookie("lang", lang)
    page = client.get(PAGE, headers=HTML)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and all(word in text for word in words)
    assert text.count('name="csrf_token"') >= 3 and "TSC-LOC-01" in text and "STO" in text


def test_form_without_csrf_is_refused(client, sign_in):
    sign_in("op01")
    response = client.post(PAGE, data={"kind": "locations", "zone_id": zone("TMP").id, "aisle": "A"},
                           headers=HTML)
    assert response.status_code == 403


def test_location_batch_downloads_one_pdf(client, sign_in):
    token = sign_in("supervisor")
    response = client.post(PAGE, data={"csrf_token": token, "kind": "locations", "zone_id": zone("TMP").id,
                                       "aisle": "B", "printer": "", "format": ""})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="location-labels-')
    assert pdf_pages(response.data) == 40


def test_location_batch_in_the_printers_language(client, sign_in):
    token = sign_in("op01")
    response = client.post(PAGE, data={"csrf_token": token, "kind": "locations", "zone_id": zone("QC").id,
                                       "printer": "TSC-LOC-01"})
    assert response.status_code == 200 and response.data.decode("gb18030").count("PRINT 1") == 20


def test_sscc_labels_sent_to_a_network_printer(client, sign_in, listener, network_printer):
    network_printer(listener.port)
    token = sign_in("op01")
    response = client.post(PAGE, data={"csrf_token": token, "kind": "sscc", "count": "2",
                                       "printer": "LOOP-01", "from_name": "前海湾保税仓", "to_name": "Amazon ONT8"})
    assert response.status_code == 302 and response.location.endswith(PAGE)
    page = client.get(PAGE, headers=HTML).get_data(as_text=True)
    assert "LOOP-01" in page and ("已发送 2 张标签" in page or "Sent 2 labels" in page)
    sent = listener.wait().decode()
    assert sent.count("^XA") == 2 and "前海湾保税仓" in sent


def test_sscc_download(client, sign_in):
    token = sign_in("admin")
    response = client.post(PAGE, data={"csrf_token": token, "kind": "sscc", "count": "3", "format": "pdf"})
    assert response.status_code == 200 and pdf_pages(response.data) == 3


@pytest.mark.parametrize("lang,expected", [("zh-CN", "标签数量: 必须在 1 到 500 之间。"),
                                           ("en", "Number of labels: Must be greater than or equal to 1")])
def test_errors_show_on_the_page(client, sign_in, lang, expected):
    token = sign_in("op01")
    client.set_cookie("lang", lang)
    response = client.post(PAGE, data={"csrf_token": token, "kind": "sscc", "count": "0"}, headers=HTML)
    assert response.status_code == 422 and expected in response.get_data(as_text=True)
    nothing = client.post(PAGE, data={"csrf_token": token, "kind": "locations", "aisle": "NOPE"},
                          headers=HTML)
    assert nothing.status_code == 404
    assert ("没有可打印的标签" if lang == "zh-CN" else "Nothing to print") in nothing.get_data(as_text=True)
