"""Input and output schemas of the inbound routes."""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from wms.core.fields import Code, Id, Scan, Text
from wms.inbound.models import ASN_MODES, CONDITIONS, DISPOSAL_KINDS, STRATEGIES

Qty = validate.Range(min=1, max=10_000_000)


def measure(**kwargs):
    return fields.Decimal(places=3, as_string=True, allow_none=True,
                          validate=validate.Range(min=0, min_inclusive=False, max=100000), **kwargs)


class _In(Schema):
    class Meta:
        unknown = RAISE


class AsnLineSchema(_In):
    line_no = fields.Integer(dump_only=True)
    product_id = Id(required=True)
    sku = fields.String(attribute="product.sku", dump_only=True)
    name_zh = fields.String(attribute="product.name_zh", dump_only=True)
    expected_qty = fields.Integer(required=True, validate=Qty)
    cartons = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100000))
    lot = Code(load_default="", max_length=40)
    expiry = fields.Date(load_default=None, allow_none=True)
    received_qty = fields.Integer(dump_only=True)
    damaged_qty = fields.Integer(dump_only=True)
    difference = fields.Integer(dump_only=True)
    discrepancy_reason = fields.String(dump_only=True)


class AsnParcelSchema(_In):
    waybill_no = Code(required=True, max_length=40)
    order_no = Text(load_default="", max_length=60)
    weight_kg = measure(load_default=None)
    received_at = fields.DateTime(dump_only=True)
    location = fields.String(attribute="location.code", dump_only=True)


class AsnSchema(_In):
    id = Id(dump_only=True)
    number = fields.String(dump_only=True)
    seller_id = Id(metadata={"description": "Required for staff; a seller's own id for sellers"})
    seller_code = fields.String(attribute="seller.code", dump_only=True)
    warehouse_id = Id()
    reference = Text(load_default="", max_length=60, metadata={"description": "The seller's own number"})
    mode = fields.String(load_default="stock", validate=validate.OneOf(ASN_MODES),
                         metadata={"description": "stock: SKUs into bonded stock; parcel: pre-packed parcels"})
    blind = fields.Boolean(load_default=False, metadata={"description": "Receive without showing forecast quantities"})
    expected_at = fields.DateTime(load_default=None, allow_none=True)
    carrier_id = Id(load_default=None, allow_none=True)
    vehicle_no = Text(load_default="", max_length=20)
    driver = Text(load_default="", max_length=60)
    cartons = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100000))
    cartons_arrived = fields.Integer(dump_only=True)
    note = Text(load_default="", max_length=500)
    status = fields.String(dump_only=True)
    lines = fields.List(fields.Nested(AsnLineSchema), load_default=list)
    parcels = fields.List(fields.Nested(AsnParcelSchema), load_default=list)
    gate_pass = fields.String(attribute="gate_pass.number", dump_only=True)
    submitted_at = fields.DateTime(dump_only=True)
    arrived_at = fields.DateTime(dump_only=True)
    received_at = fields.DateTime(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class AsnRowSchema(Schema):
    """A forecast in lists (no lines)."""
    id = Id()
    number = fields.String()
    seller_id = Id()
    seller_code = fields.String(attribute="seller.code")
    reference = fields.String()
    mode = fields.String()
    status = fields.String()
    expected_at = fields.DateTime()
    vehicle_no = fields.String()
    cartons = fields.Integer()
    cartons_arrived = fields.Integer()
    created_at = fields.DateTime()


class AsnEventSchema(_In):
    reason = Text(load_default="", max_length=300, metadata={"description": "finish: why quantities differ"})


class DiscrepancySchema(Schema):
    line_no = fields.Integer(allow_none=True)
    sku = fields.String()
    name_zh = fields.String()
    expected_qty = fields.Integer()
    received_qty = fields.Integer()
    damaged_qty = fields.Integer()
    difference = fields.Integer()
    kind = fields.String()
    reason = fields.String()


class GateAsnSchema(_In):
    asn = Code(required=True, max_length=60, metadata={"description": "ASN number, carton id or reference"})
    cartons = fields.Integer(validate=validate.Range(min=0, max=100000))


class GatePassSchema(_In):
    id = Id(dump_only=True)
    number = fields.String(dump_only=True)
    vehicle_no = Text(required=True, max_length=20)
    driver = Text(load_default="", max_length=60)
    seal_no = Text(load_default="", max_length=40)
    gross_weight_kg = measure(load_default=None)
    passed_at = fields.DateTime(load_default=None, allow_none=True)
    note = Text(load_default="", max_length=300)
    asns = fields.List(fields.Nested(GateAsnSchema), required=True, load_only=True, validate=validate.Length(min=1))
    cartons = fields.Integer(dump_only=True)
    asn_numbers = fields.Method("_numbers", dump_only=True)

    def _numbers(self, gate):
        return [a.number for a in gate.asns]


# --- receiving scenario -----------------------------------------------------------------------------------

class OpenAsnSchema(_In):
    scan = Text(required=True, max_length=100, metadata={"description": "ASN number, carton label or reference"})


class _Product(_In):
    asn_id = Id(required=True)
    product_id = Id()
    barcode = Scan(max_length=200, metadata={"description": "GTIN, seller SKU, or a GS1-128 element string "
                                                            "(GS separators kept)"})
    lot = Code(max_length=40)
    expiry = fields.Date(allow_none=True)

    @validates_schema
    def _product(self, data, **_):
        if not data.get("product_id") and not data.get("barcode"):
            raise ValidationError("Missing data for required field.", "barcode")


class IdentifySchema(_Product):
    pass


class ReceiveSchema(_Product):
    qty = fields.Integer(required=True, validate=Qty)
    condition = fields.String(load_default="good", validate=validate.OneOf(CONDITIONS))
    reason = Text(load_default="", max_length=300, metadata={"description": "Required for damaged or over-receipt"})
    lpn = Code(max_length=40, metadata={"description": "Add to this LPN (default: a new LPN)"})
    location = Code(max_length=30, metadata={"description": "Temporary-storage location (default: chosen)"})
    add_line = fields.Boolean(load_default=False, metadata={"description": "Receive a product not on the forecast"})
    weight_kg = measure()
    length_cm = measure()
    width_cm = measure()
    height_cm = measure()


class ParcelScanSchema(_In):
    asn_id = Id(required=True)
    waybill_no = Code(required=True, max_length=40)
    location = Code(max_length=30)
    weight_kg = measure()


class LinkBarcodeSchema(_In):
    asn_id = Id(required=True)
    scanned = Code(required=True, max_length=60)
    product_id = Id(required=True)


class SetAsideSchema(_In):
    asn_id = Id(required=True)
    scanned = Text(required=True, max_length=200)
    qty = fields.Integer(load_default=None, allow_none=True, validate=Qty)
    note = Text(load_default="", max_length=300)


class ScenarioSchema(Schema):
    """A scenario answer: the next step, its prompt, and whatever the step shows."""
    class Meta:
        unknown = RAISE
    step = fields.String(required=True)
    prompt = fields.String(required=True)
    prompt_code = fields.String(required=True)
    asn = fields.Dict()
    product = fields.Dict()
    line = fields.Dict(allow_none=True)
    lot = fields.String()
    expiry = fields.Date(allow_none=True)
    needs_lot = fields.Boolean()
    receipt = fields.Dict()
    parcel = fields.Dict()
    scanned = fields.String()
    task = fields.Dict()
    movement_id = fields.Integer()


# --- declarations, QC, putaway, disposals -----------------------------------------------------------------

class TempDeclarationLineSchema(Schema):
    id = Id()
    seq_no = fields.Integer()
    product_id = Id()
    sku = fields.String(attribute="product.sku")
    name_zh = fields.String(attribute="product.name_zh")
    qty = fields.Integer()
    lpn = fields.String(attribute="receipt.lpn")
    condition = fields.String(attribute="receipt.condition")
    spot_check = fields.Boolean()
    inspection_result = fields.String()
    inspection_note = fields.String()
    inspected_at = fields.DateTime()


class TempDeclarationSchema(Schema):
    id = Id()
    number = fields.String()
    seller_id = Id()
    seller_code = fields.String(attribute="seller.code")
    asn_number = fields.String(attribute="asn.number")
    status = fields.String()
    bond_invt_no = fields.String()
    return_info = fields.String()
    declared_at = fields.DateTime()
    accepted_at = fields.DateTime()
    created_at = fields.DateTime()
    lines = fields.List(fields.Nested(TempDeclarationLineSchema))


class SpotCheckSchema(_In):
    line_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=1000))
    note = Text(load_default="", max_length=300)


class InspectionSchema(_In):
    result = fields.String(required=True, validate=validate.OneOf(("passed", "failed", "seized")))
    note = Text(load_default="", max_length=300)


class QcTaskSchema(Schema):
    id = Id()
    number = fields.String()
    seller_id = Id()
    product_id = Id()
    sku = fields.String(attribute="product.sku")
    name_zh = fields.String(attribute="product.name_zh")
    location = fields.String(attribute="location.code")
    lpn = fields.String()
    lot = fields.String()
    qty = fields.Integer()
    sample_qty = fields.Integer()
    reason = fields.String()
    status = fields.String()
    passed_qty = fields.Integer()
    failed_qty = fields.Integer()
    defect_reason = fields.String()
    done_at = fields.DateTime()
    created_at = fields.DateTime()


class QcResultSchema(_In):
    failed_qty = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000_000))
    defect_reason = Text(load_default="", max_length=300)


class QcRuleSchema(_In):
    id = Id(dump_only=True)
    warehouse_id = Id(required=True)
    seller_id = Id(load_default=None, allow_none=True)
    product_id = Id(load_default=None, allow_none=True)
    first_arrival_only = fields.Boolean(load_default=False)
    sample_percent = fields.Integer(load_default=100, validate=validate.Range(min=0, max=100))
    min_sample = fields.Integer(load_default=1, validate=validate.Range(min=0, max=100000))
    note = Text(load_default="", max_length=300)
    active = fields.Boolean(dump_only=True)


class PutawayRuleSchema(_In):
    id = Id(dump_only=True)
    warehouse_id = Id(required=True)
    sequence = fields.Integer(load_default=10, validate=validate.Range(min=0, max=10000))
    strategy = fields.String(required=True, validate=validate.OneOf(STRATEGIES))
    zone_id = Id(load_default=None, allow_none=True)
    seller_id = Id(load_default=None, allow_none=True)
    max_weight_kg = measure(load_default=None)
    max_side_cm = measure(load_default=None)
    allows_battery = fields.Boolean(load_default=True)
    allows_liquid = fields.Boolean(load_default=True)
    allows_magnetic = fields.Boolean(load_default=True)
    active = fields.Boolean(dump_only=True)


class FixedLocationSchema(_In):
    id = Id(dump_only=True)
    product_id = Id(required=True)
    location_id = Id(required=True)
    sku = fields.String(attribute="product.sku", dump_only=True)
    location_code = fields.String(attribute="location.code", dump_only=True)


class PutawayTaskSchema(Schema):
    id = Id()
    number = fields.String()
    seller_id = Id()
    product_id = Id()
    sku = fields.String(attribute="product.sku")
    name_zh = fields.String(attribute="product.name_zh")
    lpn = fields.String()
    lot = fields.String()
    qty = fields.Integer()
    from_location = fields.String(attribute="from_location.code")
    suggested_location = fields.String(attribute="suggested_location.code", allow_none=True)
    strategy = fields.String()
    to_location = fields.String(attribute="to_location.code", allow_none=True)
    override_reason = fields.String()
    status = fields.String()
    done_at = fields.DateTime()
    created_at = fields.DateTime()


class PutawayScanSchema(_In):
    scan = Text(required=True, max_length=100, metadata={"description": "LPN or product barcode"})


class PutawayCompleteSchema(_In):
    location = Code(required=True, max_length=30)
    reason = Text(load_default="", max_length=300, metadata={"description": "Required when not the suggestion"})


class SuggestionQuerySchema(_In):
    product_id = Id(required=True)
    qty = fields.Integer(required=True, validate=Qty)
    warehouse_id = Id()
    lot = Code(load_default="", max_length=40)


class SuggestionSchema(Schema):
    location = fields.String(allow_none=True)
    location_id = Id(allow_none=True)
    strategy = fields.String()


class DisposalLineSchema(_In):
    product_id = Id(required=True)
    sku = fields.String(attribute="product.sku", dump_only=True)
    location = Code(required=True, max_length=30)
    lpn = Code(load_default="", max_length=40)
    lot = Code(load_default="", max_length=40)
    qty = fields.Integer(required=True, validate=Qty)


class DisposalLineOut(Schema):
    product_id = Id()
    sku = fields.String(attribute="product.sku")
    location = fields.String(attribute="location.code")
    lpn = fields.String()
    lot = fields.String()
    qty = fields.Integer()


class DisposalSchema(_In):
    id = Id(dump_only=True)
    number = fields.String(dump_only=True)
    seller_id = Id()
    kind = fields.String(required=True, validate=validate.OneOf(DISPOSAL_KINDS),
                         metadata={"description": "destroy (销毁) or return to the seller (退仓)"})
    reason = Text(load_default="", max_length=300)
    lines = fields.List(fields.Nested(DisposalLineSchema), required=True, validate=validate.Length(min=1, max=500))
    status = fields.String(dump_only=True)
    customs_ref = fields.String(dump_only=True)
    completed_at = fields.DateTime(dump_only=True)
    created_at = fields.DateTime(dump_only=True)


class DisposalOut(DisposalSchema):
    lines = fields.List(fields.Nested(DisposalLineOut))


class DisposalEventSchema(_In):
    customs_ref = Text(load_default="", max_length=40, metadata={"description": "complete: the customs document"})


class OccupancySchema(Schema):
    id = Id()
    code = fields.String()
    zone = fields.String()
    capacity = fields.Integer()
    max_weight_kg = fields.Decimal(as_string=True, allow_none=True)
    onhand = fields.Integer()
    planned = fields.Integer()
    free = fields.Integer(allow_none=True)
