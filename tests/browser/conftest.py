"""Real-browser tests of the PDA: Debian's Chromium driven by Playwright (sync API), against a live server.

* ``live_server``: one throw-away database per session (SQLite, or a fresh PostgreSQL database when
  WMS_TEST_DATABASE_URL is set), migrated and seeded, served by werkzeug in a thread. Tests commit for real,
  so every module here is marked ``live`` (the per-test rollback fixture leaves them alone) and each test
  works on stock of its own.
* ``browser``: one headless Chromium per session; ``page``: a fresh context (empty IndexedDB and storage)
  per test, at 360×640 like a PDA.
* No Chromium or no ``playwright`` module: the tests are skipped with the reason, unless
  WMS_REQUIRE_BROWSER=1 (CI), where that is an error.
"""
from __future__ import annotations

import os
import threading
import pytest

from tests.browser.helpers import CHROMIUM, PASSWORDS, launch

VIEWPORT = {"width": 360, "height": 640}

try:
    from playwright.sync_api import sync_playwright
except ImportError:                                   # pragma: no cover - depends on the machine
    sync_playwright = None


def _unavailable(reason: str):
    if os.environ.get("WMS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"Browser tests are required here (WMS_REQUIRE_BROWSER=1) but {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def playwright():
    if sync_playwright is None:
        _unavailable("the Python package 'playwright' is not installed (pip install -e '.[dev]')")
    if not os.path.exists(CHROMIUM):
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set WMS_CHROMIUM)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright):
    browser = launch(playwright)
    yield browser
    browser.close()


class LiveServer:
    def __init__(self, app, url: str):
        self.app, self.url = app, url
        self._tokens: dict[str, str] = {}

    def client(self):
        import httpx
        return httpx.Client(base_url=self.url, timeout=20)

    def token(self, username: str) -> str:
        if username not in self._tokens:
            with self.client() as http:
                answer = http.post("/api/v1/auth/token", json={
                    "username": username, "password": PASSWORDS[username], "label": "browser tests"})
            assert answer.status_code == 201, answer.text
            self._tokens[username] = answer.json()["token"]
        return self._tokens[username]

    def forget_token(self, username: str) -> None:
        self._tokens.pop(username, None)

    def api(self, method: str, path: str, username: str = "supervisor", **kwargs):
        headers = {"Authorization": f"Bearer {self.token(username)}", "Accept-Language": "en",
                   **kwargs.pop("headers", {})}
        with self.client() as http:
            return http.request(method, path, headers=headers, **kwargs)

    def stock(self, **filters) -> list[dict]:
        answer = self.api("GET", "/api/v1/stock", params={"per_page": 200, **filters})
        assert answer.status_code == 200, answer.text
        return answer.json()["items"]

    def qty(self, location_code: str, sku: str) -> int:
        return sum(row["qty"] for row in self.stock(location_code=location_code, sku=sku))

    def balance(self, index: int, status: str = "available") -> dict:
        """The index-th balance in that status (demo stock: one product per storage location); each test
        takes its own index so tests sharing the session's server never touch the same stock."""
        return self.stock(status=status, sort="id")[index]

    def query(self, statement):
        """Run a read-only SQLAlchemy statement on the live database, returning all rows' first column."""
        from wms.extensions import db
        with self.app.app_context():
            try:
                return db.session.scalars(statement).all()
            finally:
                db.session.remove()

    def gtin(self, sku: str) -> str:
        import sqlalchemy as sa
        from wms.masterdata.models import Product, ProductBarcode
        codes = self.query(sa.select(ProductBarcode.code)
                           .join(Product, Product.id == ProductBarcode.product_id)
                           .where(Product.sku == sku).order_by(ProductBarcode.id))
        for code in codes:                              # one that names this product only
            if len(self.query(sa.select(ProductBarcode.id).where(ProductBarcode.code == code))) == 1:
                return code
        raise AssertionError(f"{sku} has no unique barcode")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from tests.databases import empty_database
    from wms import create_app
    from wms.cli import FIXTURES
    from wms.extensions import db
    from wms.seed import load_demo

    with empty_database(tmp_path_factory.mktemp("browser")) as url:
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "browser-tests",
                          "PDA_SYNC_INTERVAL_MS": 600_000,          # tests sync explicitly, not on a timer
                          # Typed scans end with Enter here; a longer idle gap keeps a loaded CI machine's
                          # stalls from splitting one typed code in two (test_pda_scan checks the 80 ms gap).
                          "PDA_SCAN_IDLE_MS": 1000})
        with app.app_context():
            upgrade()
            load_demo(FIXTURES)
            db.session.commit()
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="pda-live-server", daemon=True)
        thread.start()
        try:
            yield LiveServer(app, f"http://127.0.0.1:{server.server_port}")
        finally:
            server.shutdown()
            thread.join(10)
            server.server_close()
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


# Records navigator.vibrate calls; Chromium on Linux has the API but no motor.
VIBRATE_SPY = """
  window.__vibrations = [];
  if (navigator.vibrate) {
    var original = navigator.vibrate.bind(navigator);
    navigator.vibrate = function (pattern) {
      window.__vibrations.push(pattern);
      try { return original(pattern); } catch (e) { return true; }
    };
  }
"""


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url, locale="zh-CN",
                                  device_scale_factor=2, has_touch=True)
    context.add_init_script(VIBRATE_SPY)
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    assert not errors, f"JavaScript errors on the page: {errors}"
