"""Sign-in, tokens, rate limiting, the current user, permission checks and seller scoping."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import wraps

import sqlalchemy as sa
from flask import current_app, g, request, session
from werkzeug.security import check_password_hash, generate_password_hash

from wms.auth.models import ApiToken, LoginAttempt, User
from wms.auth.permissions import allowed
from wms.core.audit import current_actor, record, snapshot
from wms.db import utcnow
from wms.errors import Forbidden, NotFound, TooManyRequests, Unauthorized, ValidationFailed
from wms.extensions import db


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise ValidationFailed({"password": ["Password must be at least 8 characters."]})
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def create_user(username: str, password: str, role: str, *, seller_id: int | None = None,
                display_name: str = "", locale: str = "zh-CN") -> User:
    from wms.auth.models import ROLES
    errors = {}
    if role not in ROLES:
        errors["role"] = [f"Must be one of: {', '.join(ROLES)}."]
    if (role == "seller") != (seller_id is not None):
        errors["seller_id"] = ["A seller user needs a seller; other roles must not have one."]
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        errors["username"] = ["Already used."]
    if errors:
        raise ValidationFailed(errors)
    user = User(username=username, password_hash=hash_password(password), role=role, seller_id=seller_id,
                display_name=display_name or username, locale=locale)
    db.session.add(user)
    db.session.flush()
    record("user.create", user, before=None, after=snapshot(user))
    return user


def _check_rate(username: str, address: str) -> None:
    config = current_app.config
    since = utcnow() - timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    failures = db.session.scalar(
        sa.select(sa.func.count()).select_from(LoginAttempt)
        .where(LoginAttempt.at >= since, LoginAttempt.success.is_(False),
               sa.or_(LoginAttempt.username == username, LoginAttempt.address == address)))
    if failures >= config["LOGIN_MAX_FAILURES"]:
        minutes = config["LOGIN_WINDOW_MINUTES"]
        raise TooManyRequests(minutes=minutes, headers={"Retry-After": str(minutes * 60)})


def authenticate(username: str, password: str) -> User:
    """The active user with these credentials; every attempt is recorded and failures are rate limited.

    The attempt row is committed even when the sign-in fails, so the limit holds across requests.
    """
    address = request.remote_addr or "" if request else ""
    _check_rate(username, address)
    user = db.session.scalars(sa.select(User).where(User.username == username)).first()
    ok = bool(user and user.active and check_password_hash(user.password_hash, password))
    db.session.add(LoginAttempt(username=username[:80], address=address[:64], success=ok))
    if not ok:
        db.session.commit()
        raise Unauthorized("bad_credentials")
    user.last_login_at = utcnow()
    return user


def issue_token(user: User, label: str = "") -> tuple[str, ApiToken]:
    raw = secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, token_hash=_digest(raw), label=label[:80],
                     expires_at=utcnow() + timedelta(hours=current_app.config["TOKEN_TTL_HOURS"]))
    db.session.add(token)
    return raw, token


def revoke_token(raw: str) -> None:
    token = db.session.scalars(sa.select(ApiToken).where(ApiToken.token_hash == _digest(raw))).first()
    if token and token.revoked_at is None:
        token.revoked_at = utcnow()


def revoke_all_tokens(user: User) -> None:
    db.session.execute(sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def user_from_token(raw: str) -> User | None:
    row = db.session.execute(
        sa.select(User, ApiToken.expires_at, ApiToken.revoked_at).join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == _digest(raw))).first()
    if row is None:
        return None
    user, expires_at, revoked_at = row
    if revoked_at is not None or expires_at <= utcnow() or not user.active:
        return None
    return user


def load_api_user() -> User | None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return user_from_token(header[7:].strip())
    return None


def load_session_user() -> User | None:
    user_id = session.get("user_id")
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or session.get("auth_stamp") != user.password_hash[-12:]:
        return None
    return user


def set_current(user: User | None) -> None:
    g.user = user
    current_actor.set(user)


def require(permission: str, *, api: bool = True):
    """Decorate a view: 401 unless signed in, 403 unless the role holds ``permission``."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = g.get("user")
            if user is None:
                raise Unauthorized("token_invalid" if api else "unauthorized")
            if not allowed(user.role, permission):
                raise Forbidden(role=user.role, permission=permission)
            return view(*args, **kwargs)

        wrapper.required_permission = permission
        return wrapper

    return decorator


def seller_scope():
    """The seller id the current user is limited to, or None for warehouse staff."""
    user = g.get("user")
    return user.seller_id if user is not None and user.is_seller else None


def owning_seller(data: dict) -> int:
    """Whose new document this is: a seller user's own (naming another is 403), or the ``seller_id``
    warehouse staff must give (422 when missing)."""
    scope = seller_scope()
    if scope is not None:
        if data.get("seller_id") not in (None, scope):
            raise Forbidden("other_seller")
        return scope
    if data.get("seller_id") is None:
        raise ValidationFailed({"seller_id": ["Missing data for required field."]})
    return data["seller_id"]


def owned(model, record_id: int, entity: str, *, lock: bool = False, seller_of=lambda obj: obj.seller_id):
    """The record ``record_id`` of ``model``: 404 when it does not exist or, for a seller user, is not its own."""
    query = sa.select(model).where(model.id == record_id)
    obj = db.session.scalars(query.with_for_update() if lock else query).first()
    if obj is None:
        raise NotFound("record_not_found", entity=entity, id=record_id)
    check_owner(obj, entity, seller_of(obj))
    return obj


def check_owner(obj, entity: str, seller_id: int | None) -> None:
    """A seller user asking for another seller's record is told it does not exist (no leak of ids)."""
    scope = seller_scope()
    if scope is not None and seller_id != scope:
        raise NotFound("record_not_found", entity=entity, id=getattr(obj, "id", ""))
