"""Test fixtures: one migrated, seeded database per run; every test inside a transaction rolled back after it.

The database is SQLite in a temporary folder, or PostgreSQL when WMS_TEST_DATABASE_URL is set (CI runs both).
Application code commits as usual; those commits release savepoints inside the test's outer transaction.
"""
from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy.orm import scoped_session, sessionmaker

from wms import create_app
from wms.extensions import db


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("WMS_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = _database_url(tmp_path_factory)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test-secret",
                      "PROPAGATE_UNEXPECTED": True})
    with app.app_context():
        downgrade(revision="base")
        upgrade()
        from wms.seed import load_demo
        from wms.cli import FIXTURES
        load_demo(FIXTURES)
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _transaction(request):
    """Bind the session to one connection whose outer transaction is rolled back after the test.

    Tests marked ``live`` commit for real, on a database of their own, and are left alone.
    """
    if request.node.get_closest_marker("live"):
        yield None
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = scoped_session(sessionmaker(bind=connection, join_transaction_mode="create_savepoint"))
        try:
            yield connection
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


DEMO_PASSWORDS = {"admin": "admin-demo", "supervisor": "super-demo", "op01": "op01-demo", "op02": "op02-demo",
                  "customs": "customs-demo", "anke": "anke-demo", "jinyi": "jinyi-demo", "leju": "leju-demo"}


@pytest.fixture
def login(client):
    """login("op01") -> headers with a fresh bearer token for that demo user."""
    cache = {}

    def _login(username: str) -> dict:
        if username not in cache:
            response = client.post("/api/v1/auth/token",
                                   json={"username": username, "password": DEMO_PASSWORDS[username]})
            assert response.status_code == 201, response.json
            cache[username] = {"Authorization": f"Bearer {response.json['token']}", "Accept-Language": "en"}
        return cache[username]

    return _login


@pytest.fixture
def scan_id():
    return lambda: str(uuid.uuid4())


def one(statement):
    return db.session.execute(statement).one()


def scalar(statement):
    return db.session.scalar(statement)


@pytest.fixture
def dbs():
    """The current database session (bound to the test's transaction)."""
    return db.session


def table_count(name: str) -> int:
    return db.session.scalar(sa.text(f"SELECT count(*) FROM {name}"))
