"""Bonded WMS: the application factory."""
from __future__ import annotations

import sqlalchemy as sa
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, request, send_from_directory

__version__ = "0.1.0"


def create_app(config: dict | None = None) -> Flask:
    """config → extensions → blueprints → errors → CLI."""
    app = Flask(__name__, instance_relative_config=True, template_folder="web/templates",
                static_folder="web/static")
    from wms import config as config_module
    config_module.load(app, config)

    from wms.db import configure_engine
    from wms.extensions import api, db, migrate, socketio
    from wms import models  # noqa: F401  (all tables, for migrations)

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(app.config.get("MIGRATIONS_DIR") or _migrations_dir()))
    socketio.init_app(app, message_queue=app.config.get("REDIS_URL") or None, async_mode="threading",
                      cors_allowed_origins=None)
    api.init_app(app, spec_kwargs={"marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=_schema_name)})

    from wms.auth.api import blp as auth_api
    from wms.inventory.api import blp as inventory_api
    from wms.masterdata.api import blp as masterdata_api
    from wms.printing.api import blp as printing_api
    from wms.scanning.api import blp as scanning_api
    from wms.customs.api import blp as customs_api
    from wms.inbound.api import blp as inbound_api
    from wms.outbound.api import blp as outbound_api
    for blueprint in (auth_api, masterdata_api, inventory_api, printing_api, scanning_api, customs_api, inbound_api,
                      outbound_api):
        api.register_blueprint(blueprint)

    from wms.web import views as web_views
    from wms.printing import views as label_views
    from pda_app import blp as pda_blp
    app.register_blueprint(web_views.bp)
    app.register_blueprint(label_views.bp)
    app.register_blueprint(pda_blp)

    from wms import errors, events  # noqa: F401  (events: after-commit publishing)
    from wms.inbound import declarations  # noqa: F401  (listens to customs' answers on temp-storage declarations)
    from wms.outbound import declaring  # noqa: F401  (listens to customs' answers on export lists)
    from wms.realtime import namespaces
    errors.register(app)
    namespaces.register(socketio)
    _register_request_user(app)
    _register_health(app)
    _register_swagger_assets(app)

    from wms.cli import cli
    app.cli.add_command(cli)
    return app


def _schema_name(schema) -> str:
    """OpenAPI component names: the schema class, with 'Patch' for partial (PATCH) variants."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    if not isinstance(schema, type) and schema.partial:
        name += "Patch"
    return name


def _migrations_dir():
    from pathlib import Path
    return Path(__file__).resolve().parent.parent / "migrations"


def _register_request_user(app: Flask) -> None:
    from wms.auth.service import load_api_user, load_session_user, set_current

    @app.before_request
    def _who():
        if request.path.startswith("/api/"):
            set_current(load_api_user())
        else:
            set_current(load_session_user())

    @app.teardown_request
    def _forget(_exc):
        from wms.core.audit import current_actor
        current_actor.set(None)


def _register_health(app: Flask) -> None:
    from wms.extensions import db

    @app.get("/healthz")
    def healthz():
        try:
            db.session.execute(sa.text("SELECT 1"))
            database = "ok"
        except Exception as exc:  # the answer is the report, whatever the failure
            app.logger.warning("health check: database unreachable: %s", exc)
            db.session.rollback()
            database = "unreachable"
        ok = database == "ok"
        body = {"status": "ok" if ok else "degraded", "database": database,
                "database_backend": db.engine.dialect.name, "version": __version__}
        return body, 200 if ok else 503


def _register_swagger_assets(app: Flask) -> None:
    from swagger_ui_bundle import swagger_ui_path

    @app.get("/api/swagger-ui/<path:filename>")
    def swagger_ui_asset(filename):
        return send_from_directory(str(swagger_ui_path), filename)
