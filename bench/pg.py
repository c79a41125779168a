"""The throw-away PostgreSQL database: create, migrate and seed it, check the ledger, drop it.

Schema and demo data come from the app's own commands (``flask db upgrade``, ``flask wms seed``), run as
subprocesses against ``WMS_DATABASE_URL`` so the benchmark measures exactly what ``make run`` deploys.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def admin_url() -> str:
    """Where to create databases: ``WMS_BENCH_PG_ADMIN_URL`` or the local superuser."""
    url = os.environ.get("WMS_BENCH_PG_ADMIN_URL") or DEFAULT_ADMIN_URL
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def database_url(admin: str, name: str) -> str:
    """``admin`` with its database name replaced by ``name``."""
    parts = urlsplit(admin)
    return urlunsplit(parts._replace(path="/" + name))


def create_database(admin: str, name: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")


def drop_database(admin: str, name: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_version(url: str) -> str:
    with psycopg.connect(url) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


def app_env(url: str, **extra: str) -> dict[str, str]:
    """The environment for app commands and the server: the bench database, nothing else changed."""
    return {**os.environ, "WMS_DATABASE_URL": url, "PYTHONUNBUFFERED": "1", **extra}


def flask(url: str, *args: str) -> subprocess.CompletedProcess:
    """Run ``flask --app wsgi ARGS`` from the repository root against ``url``; output captured."""
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=app_env(url),
                          capture_output=True, text=True, timeout=600)


def _must(result: subprocess.CompletedProcess, what: str) -> str:
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout.strip()


def migrate_and_seed(url: str) -> str:
    """Apply the migrations and load the demo data; returns the seed command's summary line."""
    _must(flask(url, "db", "upgrade"), "flask db upgrade")
    return _must(flask(url, "wms", "seed"), "flask wms seed")


def check_ledger(url: str) -> tuple[bool, str]:
    """``flask wms check-ledger``: (passed, its output)."""
    result = flask(url, "wms", "check-ledger")
    text = (result.stdout + result.stderr).strip()
    return result.returncode == 0 and "Ledger OK" in text, text


def count_movements(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM movements").fetchone()[0]


def spare_connections(admin: str) -> int:
    """Connections PostgreSQL can still accept (max_connections minus reserved slots minus those in use)."""
    with psycopg.connect(admin) as conn:
        limit = int(conn.execute("SHOW max_connections").fetchone()[0])
        reserved = int(conn.execute("SHOW superuser_reserved_connections").fetchone()[0])
        used = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'").fetchone()[0]
    return limit - reserved - used
