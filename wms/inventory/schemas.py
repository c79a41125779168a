from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from wms.core.fields import Code, Id, Text
from wms.inventory.states import GOODS, STATUSES

Qty = validate.Range(min=1, max=10_000_000)


class _In(Schema):
    class Meta:
        unknown = RAISE

    product_id = Id(metadata={"description": "The product; or give `barcode`"})
    barcode = Text(max_length=100, metadata={"description": "A scanned product barcode or SKU"})
    lpn = Code(load_default="", max_length=40)
    lot = Code(load_default="", max_length=40)
    reason = Text(load_default="", max_length=300)

    @validates_schema
    def _product(self, data, **_):
        if not data.get("product_id") and not data.get("barcode"):
            raise ValidationError("Missing data for required field.", "barcode")


class MoveSchema(_In):
    barcode = Text(max_length=100, metadata={"description": "A scanned product barcode, SKU or LPN at the source"})
    lpn = Code(max_length=40, metadata={"description": "The LPN to take from; left out: the only one holding "
                                                       "the product at the source"})
    from_location = Code(required=True, max_length=30)
    to_location = Code(required=True, max_length=30)
    to_lpn = Code(max_length=40, metadata={"description": "Put the units onto another LPN (default: same LPN)"})
    qty = fields.Integer(required=True, validate=Qty)
    status = fields.String(load_default="available", validate=validate.OneOf(STATUSES))


class AdjustmentSchema(_In):
    location = Code(required=True, max_length=30)
    qty = fields.Integer(required=True, validate=validate.Range(min=-10_000_000, max=10_000_000),
                         metadata={"description": "Signed: + found, - missing"})
    status = fields.String(load_default="available", validate=validate.OneOf(STATUSES))
    reason = Text(required=True, max_length=300)


class StatusChangeSchema(_In):
    location = Code(required=True, max_length=30)
    qty = fields.Integer(required=True, validate=Qty)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    event = fields.String(required=True, validate=validate.OneOf(
        sorted({e for events in GOODS.table.values() for e in events})))
    doc_ref = Text(load_default="", max_length=60)


class MovementLineSchema(Schema):
    product_id = Id()
    sku = fields.String()
    location_id = Id()
    location_code = fields.String()
    lpn = fields.String()
    lot = fields.String()
    status = fields.String()
    qty = fields.Integer()


class MovementSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    doc_type = fields.String()
    doc_ref = fields.String()
    reason = fields.String()
    user_id = Id()
    created_at = fields.DateTime()
    lines = fields.List(fields.Nested(MovementLineSchema))


class StockSchema(Schema):
    id = fields.Integer()
    product_id = Id()
    sku = fields.String(attribute="product.sku")
    name_zh = fields.String(attribute="product.name_zh")
    name_en = fields.String(attribute="product.name_en")
    seller_id = Id()
    location_id = Id()
    location_code = fields.String(attribute="location.code")
    lpn = fields.String()
    lot = fields.String()
    expiry = fields.Date()
    status = fields.String()
    qty = fields.Integer()
    reserved_qty = fields.Integer()
    available_qty = fields.Function(lambda b: b.qty - b.reserved_qty)
    updated_at = fields.DateTime()


class BarcodeSchema(Schema):
    scanned = fields.String()
    kind = fields.String(metadata={"description": "location, product or lpn"})
    location = fields.Dict()
    product = fields.Dict()
    lpn = fields.String()
    stock = fields.List(fields.Nested(StockSchema))
