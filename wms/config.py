"""Configuration: defaults here, overridden by ``WMS_*`` environment variables."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


class Config:
    DATABASE_URL: str | None = None          # WMS_DATABASE_URL; default: SQLite under instance/
    REDIS_URL: str | None = None             # WMS_REDIS_URL; Socket.IO message queue for several workers
    SECRET_KEY: str | None = None            # WMS_SECRET_KEY; generated once into instance/ when unset
    TOKEN_TTL_HOURS = 14                     # a PDA token lasts a long shift
    LOGIN_MAX_FAILURES = 5                   # per user name and per address within the window
    LOGIN_WINDOW_MINUTES = 15
    PASSWORD_HASH_METHOD = "scrypt"
    DEFAULT_LOCALE = "zh-CN"
    TIMEZONE = "Asia/Shanghai"               # how screens show times (stored in UTC)
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    JSON_SORT_KEYS = False

    # Labels (wms/printing)
    GS1_COMPANY_PREFIX = "6901234"           # WMS_GS1_COMPANY_PREFIX; GS1 China company prefix (6–12 digits)
    GS1_EXTENSION_DIGIT = "0"                # WMS_GS1_EXTENSION_DIGIT; first digit of every SSCC
    LABEL_CJK_FONT: str | None = None        # WMS_LABEL_CJK_FONT; TrueType .ttf/.ttc embedded in label PDFs
    LABEL_ZPL_FONT = "E:SIMSUN.TTF"          # WMS_LABEL_ZPL_FONT; Chinese TrueType font on the Zebra printers
    LABEL_BATCH_LIMIT = 5000                 # WMS_LABEL_BATCH_LIMIT; labels in one document
    PRINTER_TIMEOUT_SECONDS = 5              # WMS_PRINTER_TIMEOUT_SECONDS; raw TCP 9100 connect/send timeout

    # customs: who we are on the customs network, and which gateway carries the messages
    CUSTOMS_GATEWAY = "sandbox"              # WMS_CUSTOMS_GATEWAY: sandbox | folder
    CUSTOMS_OUTBOX = ""                      # folder mode: where DXP files are written
    CUSTOMS_INBOX = ""                       # folder mode: where receipt files arrive
    CUSTOMS_SIGNER_URL = ""                  # external signing service; empty = unsigned (sandbox)
    CUSTOMS_SANDBOX_DELAY = 2                # seconds between a sandbox receipt and the next
    CUSTOMS_SANDBOX_REJECT_RATE = 0.05
    CUSTOMS_SANDBOX_INSPECT_RATE = 0.1
    CUSTOMS_SANDBOX_SEED = 2026
    CUSTOMS_DXP_ID = "DXPENT0000534901"      # our data-exchange user id
    CUSTOMS_COP_CODE = "4403960WMS"          # transmitting company (BaseTransfer copCode)
    CUSTOMS_COP_NAME = "深圳前海保税仓储服务有限公司"
    CUSTOMS_COP_SCC = ""                     # the transmitting company's USCC (empty: the seller's)
    CUSTOMS_AREA = "5349"                    # customs office (关区) of the zone
    CUSTOMS_WORKER_INTERVAL = 2              # seconds between worker rounds
    OUTBOUND_PICK_BEFORE_RELEASE = False     # WMS_OUTBOUND_PICK_BEFORE_RELEASE: wave orders not yet released by customs
    OUTBOUND_AUTO_MATCH = True               # WMS_OUTBOUND_AUTO_MATCH: declare and match orders as they arrive
    INBOUND_AUTO_DECLARE = False             # WMS_INBOUND_AUTO_DECLARE: declare temp storage when receiving ends

    API_TITLE = "Bonded WMS"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/api/swagger-ui/"
    API_SPEC_OPTIONS = {
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
        "info": {"description": "Bonded WMS REST API. Errors are application/problem+json (RFC 9457)."},
    }


class TestConfig(Config):
    TESTING = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


def load(app, overrides: dict | None) -> None:
    """Fill ``app.config`` from the class defaults, the environment and ``overrides``."""
    app.config.from_object(TestConfig if overrides and overrides.get("TESTING") else Config)
    app.config.from_prefixed_env("WMS", loads=lambda v: v)
    if overrides:
        app.config.update(overrides)
    for flag in ("INBOUND_AUTO_DECLARE", "OUTBOUND_AUTO_MATCH", "OUTBOUND_PICK_BEFORE_RELEASE"):            # switches given as text in the environment
        if isinstance(app.config.get(flag), str):
            app.config[flag] = app.config[flag].strip().lower() in ("1", "true", "yes", "on")

    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'wms.sqlite3'}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")

    url = app.config["DATABASE_URL"]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    engine_options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if url.startswith("sqlite"):
        engine_options.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
    else:
        engine_options.setdefault("pool_size", int(os.environ.get("WMS_DB_POOL_SIZE", "10")))
        engine_options.setdefault("max_overflow", 20)
        engine_options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options


def _instance_secret(path: Path) -> str:
    """A secret generated on first start and kept in the instance folder (mode 0600)."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
