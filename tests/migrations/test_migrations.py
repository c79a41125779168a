"""Migrations are the only way the schema changes: one head, upgrade and downgrade on an empty database,
and the models agree with the migrated schema (what `flask db check` asserts), on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from wms import create_app
from wms.extensions import db

from tests.databases import empty_database


def test_single_head(app):
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        assert len(ScriptDirectory.from_config(config).get_heads()) == 1


@pytest.mark.live
def test_upgrade_matches_models_and_downgrade_empties(tmp_path):
    with empty_database(tmp_path) as url:
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                assert compare_metadata(context, db.metadata) == []
                tables = set(sa.inspect(conn).get_table_names())
            assert {"stock_balances", "movements", "movement_lines", "audit_log", "products"} <= tables
            downgrade(revision="base")
            with db.engine.connect() as conn:
                assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
            db.engine.dispose()
