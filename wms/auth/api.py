"""Auth routes: bearer tokens for the API and PDAs, users (admin), and the audit log."""
from __future__ import annotations

import sqlalchemy as sa
from flask import g, request
from flask_smorest import Blueprint
from sqlalchemy.orm import joinedload

from wms.core.fields import Id, Text
from wms.auth import schemas
from wms.auth.models import User
from wms.auth.service import (authenticate, hash_password, issue_token, require, revoke_all_tokens, revoke_token,
                               seller_scope)
from wms.core.audit import AuditLog
from wms.core.crud import Resource, register_api, register_list
from wms.core.listing import Column as C, ListSpec
from wms.db import atomic
from wms.errors import ValidationFailed
from wms.masterdata.models import Seller

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Sign-in tokens, users, audit log")


@blp.route("/auth/token", methods=["POST"])
@atomic
@blp.arguments(schemas.TokenRequestSchema)
@blp.response(201, schemas.TokenSchema)
@blp.doc(security=[], summary="Exchange user name and password for a bearer token",
         description="Failed sign-ins are rate limited per user name and per address (429 with Retry-After).")
def create_token(data):
    user = authenticate(data["username"], data["password"])
    raw, token = issue_token(user, data["label"] or request.user_agent.string[:80])
    return {"token": raw, "token_type": "Bearer", "expires_at": token.expires_at, "user": user}


@blp.route("/auth/token", methods=["DELETE"])
@require("inventory.read")
@atomic
@blp.response(204)
@blp.doc(summary="Revoke the token used for this request (sign out)")
def delete_token():
    revoke_token(request.headers["Authorization"][7:].strip())


@blp.route("/auth/me")
@require("inventory.read")
@blp.response(200, schemas.UserSchema)
@blp.doc(summary="The signed-in user")
def me():
    return g.user


def _user_rules(obj: User, data: dict, creating: bool) -> None:
    role = data.get("role", obj.role)
    seller_id = data.get("seller_id", obj.seller_id if "role" not in data else data.get("seller_id"))
    if (role == "seller") != (seller_id is not None):
        raise ValidationFailed({"seller_id": ["A seller user needs a seller; other roles must not have one."]})
    data["seller_id"] = seller_id
    if "password" in data:
        data["password_hash"] = hash_password(data.pop("password"))
        if not creating:                      # a new password ends every session and token of the old one
            revoke_all_tokens(obj)


users = Resource(
    "users", User, schemas.UserSchema, ("Users", "用户"), "users.manage", "users.manage",
    ListSpec(User, search=(User.username, User.display_name),
             filters={"role": (Text(), User.role), "seller_id": (Id(), User.seller_id)},
             sort=("username", "role", "last_login_at"), default_sort="username",
             columns=[C("username", "User", "用户名"), C("display_name", "Name", "姓名"), C("role", "Role", "角色"),
                      C("seller.code", "Seller", "卖家"), C("last_login_at", "Last sign-in", "最近登录"),
                      C("active", "Active", "启用")]),
    unique=(("username",),), references={"seller_id": Seller}, load_options=(joinedload(User.seller),),
    before_save=_user_rules, update_schema=schemas.UserUpdateSchema)


register_api(blp, users)


audit_listing = ListSpec(
    AuditLog, search=(AuditLog.action, AuditLog.username, AuditLog.entity_type),
    filters={"entity_type": (Text(), AuditLog.entity_type), "entity_id": (Text(), AuditLog.entity_id),
             "action": (Text(), AuditLog.action), "user_id": (Id(), AuditLog.user_id)},
    sort=("at", "action"), default_sort="-at",
    columns=[C("at", "When", "时间"), C("username", "Who", "操作人"), C("action", "Action", "操作"),
             C("entity_type", "Record", "对象"), C("entity_id", "Id", "ID"), C("before", "Before", "变更前"),
             C("after", "After", "变更后")])


def audit_query():
    query = sa.select(AuditLog)
    scope = seller_scope()
    if scope is not None:
        query = query.where(AuditLog.seller_id == scope)
    return query


register_list(blp, "/audit", endpoint="audit", listing=audit_listing, query=audit_query,
              schema=schemas.AuditSchema, name="Audit", permission="audit.read",
              summary="Audit log: who changed what, when, before and after",
              description="Sellers see the entries about their own records.")
