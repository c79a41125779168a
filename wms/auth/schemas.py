from marshmallow import RAISE, Schema, fields, validate

from wms.auth.models import ROLES
from wms.core.fields import Id, Text


class TokenRequestSchema(Schema):
    class Meta:
        unknown = RAISE

    username = Text(required=True, max_length=80)
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=200))
    label = Text(load_default="", max_length=80, metadata={"description": "Device name, e.g. PDA-07"})


class UserSchema(Schema):
    class Meta:
        unknown = RAISE
        ordered = True

    id = fields.Integer(dump_only=True)
    username = Text(required=True, max_length=80, validate=validate.Regexp(r"^[\w.\-@]+$"))
    display_name = Text(load_default="", max_length=120)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    seller_id = Id(load_default=None, allow_none=True)
    seller_code = fields.String(attribute="seller.code", dump_only=True)
    locale = fields.String(load_default="zh-CN", validate=validate.OneOf(["zh-CN", "en"]))
    active = fields.Boolean(dump_only=True)
    last_login_at = fields.DateTime(dump_only=True)
    password = fields.String(load_only=True, required=True, validate=validate.Length(min=8, max=200))


class UserUpdateSchema(UserSchema):
    """A user name is fixed once created (audit entries and tokens refer to it)."""

    class Meta:
        unknown = RAISE
        ordered = True
        exclude = ("username",)


class TokenSchema(Schema):
    token = fields.String()
    token_type = fields.String()
    expires_at = fields.DateTime()
    user = fields.Nested(UserSchema)


class AuditSchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    username = fields.String()
    action = fields.String()
    entity_type = fields.String()
    entity_id = fields.String()
    before = fields.Raw()
    after = fields.Raw()
