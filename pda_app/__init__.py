"""The PDA web app, served under /pda: a thin page that renders steps; rules live in the API it calls.

Static files carry a version query (a hash of their modification times) so a PDA never runs a stale
script after a deployment; the vendored ZXing WebAssembly decoder is served as ``application/wasm``
(``WebAssembly.instantiateStreaming`` refuses anything else).
"""
from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from flask import Blueprint, current_app, render_template, request, url_for

mimetypes.add_type("application/wasm", ".wasm")

blp = Blueprint("pda", __name__, url_prefix="/pda", template_folder="templates", static_folder="static")

STATIC = Path(__file__).resolve().parent / "static"
# Location shapes of the demo warehouse; a site with other codes sets PDA_LOCATION_PATTERNS (JS regexes).
DEFAULT_LOCATION_PATTERNS = [r"^[A-Z]\d{2}-\d{2}-\d{1,2}-\d{1,2}$", r"^[A-Z]{2,4}-[A-Z]?\d{2,3}$"]


def _static_version() -> str:
    digest = hashlib.sha1()
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(STATIC)}:{stat.st_mtime_ns}:{stat.st_size}".encode())
    return digest.hexdigest()[:10]


@blp.get("/")
def index():
    config = current_app.config
    pda_config = {
        "locationPatterns": config.get("PDA_LOCATION_PATTERNS") or DEFAULT_LOCATION_PATTERNS,
        "vendorBase": url_for("pda.static", filename="vendor/"),
        "syncIntervalMs": int(config.get("PDA_SYNC_INTERVAL_MS", 15000)),
        # Keyboard-wedge timing: a fast burst without Enter/Tab ends after this idle gap (ms).
        "scanIdleMs": int(config.get("PDA_SCAN_IDLE_MS", 80)),
        "defaultLang": config.get("DEFAULT_LOCALE", "zh-CN"),
    }
    version = _static_version()

    def asset(filename: str) -> str:
        return url_for("pda.static", filename=filename, v=version)

    response = current_app.make_response(render_template("pda.html", pda_config=pda_config, asset=asset))
    response.headers["Cache-Control"] = "no-cache"
    return response


@blp.after_request
def _static_headers(response):
    if request.path.endswith(".wasm"):
        response.mimetype = "application/wasm"
    return response
