"""Sign-in tokens (issue, revoke, expire), the failed sign-in rate limit, /auth/me and the users admin API."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from tests.api import helpers as h
from tests.conftest import DEMO_PASSWORDS
from wms.auth.models import ApiToken, LoginAttempt, User

TOKEN_URL = "/api/v1/auth/token"


def sign_in(client, username, password=None, address="127.0.0.1", **extra):
    password = DEMO_PASSWORDS[username] if password is None else password
    return client.post(
        TOKEN_URL,
        json={"username": username, "password": password, **extra},
        environ_base={"REMOTE_ADDR": address},
        headers={"Accept-Language": "en"},
    )


def bearer(response) -> dict:
    return {"Authorization": f"Bearer {response.get_json()['token']}", "Accept-Language": "en"}


def _user(dbs, username) -> User:
    return dbs.scalars(sa.select(User).where(User.username == username)).one()


# --- tokens -------------------------------------------------------------------------------------------------


def test_token_is_issued_and_only_its_hash_stored(client, dbs):
    response = sign_in(client, "op01", label="PDA-07")
    assert response.status_code == 201
    body = response.get_json()
    assert body["token_type"] == "Bearer" and len(body["token"]) >= 40
    assert body["user"]["username"] == "op01" and body["user"]["role"] == "operator"
    assert "password" not in body["user"] and "password_hash" not in str(body)
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(hours=13) < expires - datetime.now(timezone.utc) <= timedelta(hours=14)
    stored = dbs.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == _user(dbs, "op01").id).order_by(ApiToken.id.desc())
    ).first()
    assert stored.token_hash == hashlib.sha256(body["token"].encode()).hexdigest() != body["token"]
    assert stored.label == "PDA-07" and stored.revoked_at is None
    assert dbs.scalars(sa.select(ApiToken).where(ApiToken.token_hash == body["token"])).first() is None
    assert _user(dbs, "op01").last_login_at is not None
    me = client.get("/api/v1/auth/me", headers=bearer(response))
    assert me.status_code == 200 and me.get_json()["username"] == "op01"


@pytest.mark.parametrize(
    "username,password",
    [("op01", "wrong-password"), ("nobody", "op01-demo"), ("OP01", "op01-demo"), ("op01", "")],
)
def test_wrong_credentials_are_401_without_telling_which(client, dbs, username, password):
    tokens = dbs.scalar(sa.select(sa.func.count()).select_from(ApiToken))
    body = h.problem(sign_in(client, username, password), 401, "bad_credentials")
    assert body["detail"] == "Wrong user name or password."
    assert dbs.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == tokens
    attempt = dbs.scalars(sa.select(LoginAttempt).order_by(LoginAttempt.id.desc())).first()
    assert (attempt.username, attempt.success) == (username, False)


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"username": "op01"}, "password"),
        ({"password": "x"}, "username"),
        ({"username": "op01", "password": "op01-demo", "role": "admin"}, "role"),
        ({"username": "  ", "password": "x"}, "username"),
    ],
)
def test_token_request_is_validated(client, payload, field):
    h.field_errors(client.post(TOKEN_URL, json=payload), field)


def test_revoked_token_is_401(client, dbs):
    first, second = sign_in(client, "supervisor"), sign_in(client, "supervisor")
    revoked = client.delete(TOKEN_URL, headers=bearer(first))
    assert revoked.status_code == 204 and revoked.get_data() == b""
    h.problem(client.get("/api/v1/auth/me", headers=bearer(first)), 401, "token_invalid")
    h.problem(client.delete(TOKEN_URL, headers=bearer(first)), 401, "token_invalid")
    assert (
        client.get("/api/v1/auth/me", headers=bearer(second)).status_code == 200
    )  # other devices stay signed in
    digest = hashlib.sha256(first.get_json()["token"].encode()).hexdigest()
    assert dbs.scalar(sa.select(ApiToken.revoked_at).where(ApiToken.token_hash == digest)) is not None


def test_expired_token_is_401(client, dbs):
    response = sign_in(client, "op02")
    digest = hashlib.sha256(response.get_json()["token"].encode()).hexdigest()
    assert client.get("/api/v1/stock?per_page=1", headers=bearer(response)).status_code == 200
    dbs.execute(
        sa.update(ApiToken)
        .where(ApiToken.token_hash == digest)
        .values(expires_at=datetime.now(timezone.utc) - timedelta(seconds=1))
    )
    dbs.commit()
    h.problem(client.get("/api/v1/stock?per_page=1", headers=bearer(response)), 401, "token_invalid")


# --- rate limit ---------------------------------------------------------------------------------------------


def test_five_failures_lock_the_user_name_even_with_the_right_password(client, dbs):
    for i in range(5):  # from five different addresses
        h.problem(sign_in(client, "op02", "wrong", address=f"10.0.0.{i + 1}"), 401, "bad_credentials")
    locked = sign_in(client, "op02", address="10.9.9.9")
    body = h.problem(locked, 429, "too_many_logins")
    assert locked.headers["Retry-After"] == "900"
    assert "15" in body["detail"] and body["minutes"] == 15
    assert "token" not in body
    assert sign_in(client, "op01", address="10.9.9.9").status_code == 201  # other users are not locked
    # once the failures are older than the window, the right password works again
    dbs.execute(sa.update(LoginAttempt).values(at=datetime.now(timezone.utc) - timedelta(minutes=16)))
    dbs.commit()
    assert sign_in(client, "op02", address="10.9.9.9").status_code == 201


def test_five_failures_lock_the_address(client):
    for name in ("op01", "op02", "customs", "ghost", "admin"):
        h.problem(sign_in(client, name, "wrong", address="192.0.2.66"), 401, "bad_credentials")
    locked = sign_in(client, "supervisor", address="192.0.2.66")
    h.problem(locked, 429, "too_many_logins")
    assert int(locked.headers["Retry-After"]) > 0
    assert sign_in(client, "supervisor", address="192.0.2.67").status_code == 201


def test_four_failures_do_not_lock(client):
    for _ in range(4):
        h.problem(sign_in(client, "customs", "wrong", address="198.51.100.1"), 401)
    assert sign_in(client, "customs", address="198.51.100.1").status_code == 201


def test_rate_limit_answer_in_chinese(client):
    for _ in range(5):
        sign_in(client, "leju", "wrong", address="198.51.100.9")
    response = client.post(
        TOKEN_URL,
        json={"username": "leju", "password": "leju-demo"},
        environ_base={"REMOTE_ADDR": "198.51.100.9"},
        headers={"Accept-Language": "zh-CN"},
    )
    body = h.problem(response, 429)
    assert "登录失败次数过多" in body["detail"]


# --- inactive users -----------------------------------------------------------------------------------------


def test_inactive_user_cannot_sign_in_or_use_old_tokens(client, login, dbs):
    old = sign_in(client, "op02")
    admin = login("admin")
    op02 = _user(dbs, "op02")
    assert client.post(f"/api/v1/users/{op02.id}/deactivate", headers=admin).get_json()["active"] is False
    h.problem(sign_in(client, "op02"), 401, "bad_credentials")
    h.problem(client.get("/api/v1/auth/me", headers=bearer(old)), 401, "token_invalid")
    assert client.post(f"/api/v1/users/{op02.id}/activate", headers=admin).status_code == 200
    assert sign_in(client, "op02").status_code == 201


# --- /auth/me -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", sorted(DEMO_PASSWORDS))
def test_me_is_the_token_owner(client, login, username):
    body = client.get("/api/v1/auth/me", headers=login(username)).get_json()
    assert body["username"] == username
    assert "password" not in body and "password_hash" not in body
    if username in h.SELLER_USERS:
        assert body["role"] == "seller" and body["seller_code"] == h.SELLER_USERS[username]
        assert body["seller_id"] == h.seller_id(h.SELLER_USERS[username])
    else:
        assert body["seller_id"] is None and body["role"] != "seller"


# --- users admin API ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        {"username": "seller9", "role": "seller", "password": "long-enough-1"},
        {"username": "seller9", "role": "seller", "password": "long-enough-1", "seller_id": None},
        {"username": "op9", "role": "operator", "password": "long-enough-1", "seller_id": 1},
        {"username": "cus9", "role": "customs", "password": "long-enough-1", "seller_id": 2},
    ],
)
def test_seller_role_and_seller_id_go_together(client, login, payload):
    headers = login("admin")
    before = h.fingerprint()
    errors = h.field_errors(client.post("/api/v1/users", json=payload, headers=headers), "seller_id")
    assert "seller" in errors["seller_id"][0]
    assert h.fingerprint() == before


def test_created_user_can_sign_in_and_password_is_never_returned(client, login, dbs):
    admin = login("admin")
    created = client.post(
        "/api/v1/users",
        headers=admin,
        json={
            "username": "anke.ops",
            "role": "seller",
            "seller_id": h.seller_id("SZ-ANKE"),
            "password": "Anke-Ops-2026",
            "display_name": "安可 运营",
            "locale": "en",
        },
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["seller_code"] == "SZ-ANKE" and body["locale"] == "en"
    assert not {"password", "password_hash"} & set(body)
    stored = dbs.get(User, body["id"])
    assert stored.password_hash and "Anke-Ops-2026" not in stored.password_hash
    for response in (
        client.get(f"/api/v1/users/{body['id']}", headers=admin),
        client.get("/api/v1/users?per_page=500", headers=admin),
    ):
        assert "password" not in response.get_data(as_text=True)
    token = sign_in(client, "anke.ops", "Anke-Ops-2026")
    assert token.status_code == 201
    me = client.get("/api/v1/auth/me", headers=bearer(token)).get_json()
    assert me["username"] == "anke.ops" and me["seller_code"] == "SZ-ANKE"
    audit = h.audit_rows("users", body["id"])
    assert audit[0].action == "users.create" and "password_hash" not in audit[0].after


def test_password_change_through_patch(client, login):
    admin = login("admin")
    op02 = client.get("/api/v1/users?q=op02", headers=admin).get_json()["items"][0]
    h.field_errors(
        client.patch(f"/api/v1/users/{op02['id']}", json={"password": "short"}, headers=admin), "password"
    )
    assert (
        client.patch(
            f"/api/v1/users/{op02['id']}", json={"password": "op02-new-secret"}, headers=admin
        ).status_code
        == 200
    )
    h.problem(sign_in(client, "op02", "op02-demo"), 401, "bad_credentials")
    assert sign_in(client, "op02", "op02-new-secret").status_code == 201


def test_username_cannot_be_changed(client, login, dbs):
    op01 = _user(dbs, "op01").id
    response = client.patch(
        f"/api/v1/users/{op01}", json={"username": "op01-renamed"}, headers=login("admin")
    )
    dbs.expire_all()
    assert dbs.get(User, op01).username == "op01"
    h.field_errors(response, "username")


def test_role_changes_keep_the_seller_rule(client, login, dbs):
    admin = login("admin")
    anke, op01 = _user(dbs, "anke"), _user(dbs, "op01")
    h.field_errors(
        client.patch(f"/api/v1/users/{op01.id}", json={"role": "seller"}, headers=admin), "seller_id"
    )
    h.field_errors(
        client.patch(f"/api/v1/users/{anke.id}", json={"seller_id": None}, headers=admin), "seller_id"
    )
    changed = client.patch(f"/api/v1/users/{anke.id}", json={"role": "operator"}, headers=admin)
    assert changed.status_code == 200 and changed.get_json()["seller_id"] is None
    seller = client.patch(
        f"/api/v1/users/{op01.id}",
        json={"role": "seller", "seller_id": h.seller_id("SZ-LEJU")},
        headers=admin,
    )
    assert seller.status_code == 200
    dbs.expire_all()
    assert (_user(dbs, "op01").role, _user(dbs, "op01").seller_id) == ("seller", h.seller_id("SZ-LEJU"))


@pytest.mark.parametrize("role", ["supervisor", "operator", "customs", "seller"])
def test_only_admins_manage_users(client, login, dbs, role):
    headers = login(h.ROLE_USERS[role])
    before = h.fingerprint()
    op02 = _user(dbs, "op02").id
    for method, url, body in [
        ("GET", "/api/v1/users", None),
        ("GET", f"/api/v1/users/{op02}", None),
        ("POST", "/api/v1/users", {"username": "x1", "role": "admin", "password": "12345678"}),
        ("PATCH", f"/api/v1/users/{op02}", {"role": "admin"}),
        ("POST", f"/api/v1/users/{op02}/deactivate", None),
    ]:
        h.problem(client.open(url, method=method, json=body, headers=headers), 403, "forbidden")
    assert h.fingerprint() == before


def test_user_list_filters(client, login):
    admin = login("admin")
    sellers = client.get("/api/v1/users?role=seller", headers=admin).get_json()
    assert {u["username"] for u in sellers["items"]} == {"anke", "jinyi", "leju"}
    anke = client.get(f"/api/v1/users?seller_id={h.seller_id('SZ-ANKE')}", headers=admin).get_json()
    assert [u["username"] for u in anke["items"]] == ["anke"]


def test_cli_created_user_is_audited_with_its_id(runner, dbs):
    result = runner.invoke(
        args=["wms", "create-user", "night.shift", "--role", "operator"], input="night-shift-2026\n"
    )
    assert result.exit_code == 0, result.output
    user = _user(dbs, "night.shift")
    (entry,) = h.audit_rows("users", user.id)
    assert entry.after["id"] == user.id and entry.after["active"] is True


def test_a_new_password_ends_the_old_tokens(client, login):
    import sqlalchemy as _sa
    from wms.auth.models import User
    from wms.extensions import db as _db
    op = login("op02")
    assert client.get("/api/v1/auth/me", headers=op).status_code == 200
    user_id = _db.session.scalar(_sa.select(User.id).where(User.username == "op02"))
    changed = client.patch(f"/api/v1/users/{user_id}", headers=login("admin"), json={"password": "a-new-long-password"})
    assert changed.status_code == 200
    assert client.get("/api/v1/auth/me", headers=op).status_code == 401
