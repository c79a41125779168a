"""App-level endpoints: health, OpenAPI, docs, the PDA page, CLI commands."""
from __future__ import annotations

import sqlalchemy as sa

from wms.auth.models import User


def test_healthz_reports_database(client):
    body = client.get("/healthz").json
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["database_backend"] in ("sqlite", "postgresql")


def test_openapi_documents_every_api_route(app, client):
    spec = client.get("/api/openapi.json").json
    documented = {path for path in spec["paths"]}
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")}
    as_openapi = {sa_rule.replace("<int:record_id>", "{record_id}").replace("<path:code>", "{code}")
                  for sa_rule in routes}
    missing = {r for r in as_openapi if "<" not in r and r not in documented}
    assert not missing
    assert "bearer" in spec["components"]["securitySchemes"]
    assert "ProductPatch" in spec["components"]["schemas"]


def test_docs_page_and_assets_are_served_locally(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/api/swagger-ui/swagger-ui-bundle.js" in page
    asset = client.get("/api/swagger-ui/swagger-ui-bundle.js")
    assert asset.status_code == 200 and asset.get_data().startswith(b"/*")
    asset.close()


def test_pda_page_served(client):
    page = client.get("/pda/")
    assert page.status_code == 200 and 'inputmode="none"' in page.get_data(as_text=True)


def test_create_user_reads_password_from_stdin(runner, dbs):
    result = runner.invoke(args=["wms", "create-user", "newsup", "--role", "supervisor"], input="long-password\n")
    assert result.exit_code == 0, result.output
    user = dbs.scalars(sa.select(User).where(User.username == "newsup")).one()
    assert user.role == "supervisor" and user.password_hash != "long-password"


def test_create_user_needs_seller_for_seller_role(runner):
    result = runner.invoke(args=["wms", "create-user", "s2", "--role", "seller"], input="long-password\n")
    assert result.exit_code != 0 and "seller" in result.output
    result = runner.invoke(args=["wms", "create-user", "s2", "--role", "seller", "--seller", "SZ-ANKE"],
                           input="short\n")
    assert result.exit_code != 0 and "8" in result.output


def test_seed_if_empty_does_nothing_on_a_loaded_database(runner):
    result = runner.invoke(args=["wms", "seed", "--if-empty"])
    assert result.exit_code == 0 and "already" in result.output


def test_database_session_settings(dbs):
    """SQLite: WAL and foreign keys on. PostgreSQL: read committed, with row locks doing the work."""
    if dbs.get_bind().dialect.name == "postgresql":
        assert dbs.execute(sa.text("SHOW transaction_isolation")).scalar() == "read committed"
        return
    assert dbs.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
    assert dbs.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1

