"""Throw-away databases for tests that need real commits (migrations, concurrency)."""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit


@contextmanager
def empty_database(tmp_path):
    """An empty database of the kind the tests run on."""
    url = os.environ.get("WMS_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    import psycopg
    parts = urlsplit(url)
    name = f"wms_migr_{uuid.uuid4().hex[:10]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
