"""A database of its own for tests whose threads commit for real (row locks are only real then)."""
from __future__ import annotations

import pytest
from flask_migrate import upgrade

from tests.databases import empty_database
from wms import create_app
from wms.extensions import db

POOL = 12        # more than the threads any test here starts


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """The migrated demo database, committed, with a pool for concurrent workers (one per test module)."""
    with empty_database(tmp_path_factory.mktemp("concurrency")) as url:
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x",
                          "SQLALCHEMY_ENGINE_OPTIONS": {} if url.startswith("sqlite") else {"pool_size": POOL}})
        with app.app_context():
            upgrade()
            from wms.cli import FIXTURES
            from wms.seed import load_demo
            load_demo(FIXTURES)
            db.session.commit()
            db.session.remove()
        yield app
        with app.app_context():
            db.engine.dispose()
