"""The error tree and the one error format: ``application/problem+json`` (RFC 9457).

Every problem carries ``type``, ``title``, ``status``, ``detail`` and a stable ``code``; validation
problems add ``errors`` ({field: [messages]}); conflicts add what the client needs to recover
(``current_state`` and ``allowed_events``, ``scanned``, quantities).
"""
from __future__ import annotations

import logging

from flask import Flask, json, render_template, request
from werkzeug.exceptions import HTTPException

from wms.i18n import message, status_title, translate_errors

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"


class WmsError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, code: str | None = None, *, errors: dict | None = None, headers: dict | None = None,
                 **params):
        self.code = code or self.code
        self.errors = errors
        self.headers = headers or {}
        self.params = params
        super().__init__(f"{self.code} {params}")

    def extra(self) -> dict:
        """Fields added to the problem body besides the message parameters."""
        return {k: v for k, v in self.params.items() if _jsonable(v)}


class Unauthorized(WmsError):
    status, code = 401, "unauthorized"


class Forbidden(WmsError):
    status, code = 403, "forbidden"


class NotFound(WmsError):
    status, code = 404, "not_found"


class Conflict(WmsError):
    status, code = 409, "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"

    def __init__(self, machine: str, state: str, event: str, allowed: list[str]):
        super().__init__(machine=machine, state=state, event=event, current_state=state, allowed_events=allowed)


class InsufficientStock(Conflict):
    code = "insufficient_stock"


class ValidationFailed(WmsError):
    status, code = 422, "validation_failed"

    def __init__(self, errors: dict, code: str | None = None, **params):
        super().__init__(code, errors=errors, **params)


class TooManyRequests(WmsError):
    status, code = 429, "too_many_logins"


def _jsonable(value) -> bool:
    return isinstance(value, (str, int, float, bool, list, dict, type(None)))


def problem(status: int, code: str, *, errors=None, headers=None, **params):
    body = {
        "type": f"urn:bonded-wms:problem:{code}",
        "title": status_title(status),
        "status": status,
        "detail": message(code, **params),
        "code": code,
    }
    body["message"] = body["detail"]
    if errors:
        body["errors"] = translate_errors(errors)
    for key, value in params.items():
        if key not in body and _jsonable(value):
            body[key] = value
    response_headers = {"Content-Type": PROBLEM_JSON, "Content-Language": _lang()}
    response_headers.update(headers or {})
    return json.dumps(body, ensure_ascii=False), status, response_headers


def _lang() -> str:
    from wms.i18n import get_locale
    return get_locale()


def _wants_html() -> bool:
    if request.path.startswith(("/api", "/pda/api", "/healthz")):
        return False
    best = request.accept_mimetypes.best_match(["application/json", PROBLEM_JSON, "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"]


def _respond(status: int, code: str, *, errors=None, headers=None, **params):
    if _wants_html():
        html = render_template("error.html", status=status, title=status_title(status),
                               detail=message(code, **params), errors=errors)
        return html, status, headers or {}
    return problem(status, code, errors=errors, headers=headers, **params)


HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "route_not_found",
              405: "method_not_allowed", 409: "conflict", 415: "bad_request", 422: "validation_failed",
              429: "too_many_logins", 503: "service_unavailable"}


def register(app: Flask) -> None:
    @app.errorhandler(WmsError)
    def _wms_error(exc: WmsError):
        from wms.extensions import db
        db.session.rollback()
        return _respond(exc.status, exc.code, errors=exc.errors, headers=exc.headers, **exc.params)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        data = getattr(exc, "data", None) or {}
        errors = data.get("errors") or data.get("messages")
        if isinstance(errors, dict) and len(errors) == 1 and next(iter(errors)) in (
                "json", "query", "form", "files", "headers", "view_args", "path"):
            errors = next(iter(errors.values()))   # webargs nests by location; clients want fields
        status = exc.code or 500
        if status >= 500:
            return _respond(status, "internal_error")
        code = HTTP_CODES.get(status, "bad_request")
        params = {}
        if status == 404:
            params["path"] = request.path
        if status == 405:
            params["method"] = request.method
        return _respond(status, code, errors=errors, headers=data.get("headers"), **params)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        from wms.extensions import db
        log.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        if app.config.get("PROPAGATE_UNEXPECTED"):
            raise exc
        return _respond(500, "internal_error")
