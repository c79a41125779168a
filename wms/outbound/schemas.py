"""Input and output schemas of the order routes."""
from __future__ import annotations

from decimal import Decimal

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from wms.core.fields import Code, Id, Text
from wms.outbound.models import FLAG_CHOICES, ORDER_MODES, TRADE_MODES

Money = dict(places=5, as_string=True, validate=validate.Range(min=0, max=10**12))


class _In(Schema):
    class Meta:
        unknown = RAISE


class OrderLineSchema(_In):
    gnum = fields.Integer(dump_only=True)
    product_id = Id(metadata={"description": "The product; or give `sku`"})
    sku = Code(max_length=60, upper=False, load_only=True)
    product_sku = fields.String(attribute="product.sku", dump_only=True)
    name_zh = fields.String(attribute="product.name_zh", dump_only=True)
    qty = fields.Integer(required=True, validate=validate.Range(min=1, max=100000))
    price = fields.Decimal(required=True, **Money)
    total = fields.Decimal(places=5, as_string=True, dump_only=True)

    @validates_schema
    def _product(self, data, **_):
        if not data.get("product_id") and not data.get("sku"):
            raise ValidationError("Missing data for required field.", "sku")


class AllocationSchema(Schema):
    order_line_id = Id()
    product_id = Id()
    location = fields.String(attribute="location.code")
    lpn = fields.String()
    lot = fields.String()
    qty = fields.Integer()
    picked_qty = fields.Integer()
    status = fields.String()


class OrderSchema(_In):
    id = Id(dump_only=True)
    seller_id = Id(metadata={"description": "Required for staff and platforms; a seller's own id for sellers"})
    seller_code = fields.String(attribute="seller.code", dump_only=True)
    warehouse_id = Id()
    platform = Code(required=True, max_length=30, metadata={"description": "AMAZON, SHOPEE, TEMU, OWN …"})
    order_no = Code(required=True, max_length=60, upper=False,
                    metadata={"description": "Unique per platform; sending it again answers the stored order"})
    ebp_code = Code(load_default="", max_length=18, metadata={"description": "Platform's customs code (无 abroad)"})
    ebp_name = Text(load_default="", max_length=100)
    mode = fields.String(load_default="stock", validate=validate.OneOf(ORDER_MODES),
                         metadata={"description": "stock: picked from bonded stock; parcel: a pre-packed parcel"})
    trade_mode = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(TRADE_MODES),
                               metadata={"description": "1210 bonded stock (default) or 9610 (parcel orders' default)"})
    status = fields.String(dump_only=True)
    status_reason = fields.String(dump_only=True)
    summary_state = fields.String(dump_only=True, metadata={"description": "pending: shipped, waiting for the "
                                                                          "consolidated declaration (汇总待报)"})
    shipped_at = fields.DateTime(dump_only=True)
    customs_state = fields.String(dump_only=True, metadata={"description": "The export list: declared, inspection, "
                                                                          "released, rejected"})
    released_at = fields.DateTime(dump_only=True)
    buyer_name = Text(required=True, max_length=100)
    buyer_phone = Text(required=True, max_length=30, metadata={"description": "Stored as E.164 (+4420…)"})
    buyer_email = fields.Email(load_default="", validate=validate.Length(max=120))
    country = Code(required=True, max_length=2, load_only=True, metadata={"description": "ISO 3166-1 alpha-2"})
    country_code = fields.String(attribute="country.code", dump_only=True)
    state = Text(load_default="", max_length=60)
    city = Text(required=True, max_length=60)
    address1 = Text(required=True, max_length=200)
    address2 = Text(load_default="", max_length=200)
    postal_code = Text(load_default="", max_length=12)
    currency = Code(required=True, max_length=3, load_only=True)
    currency_code = fields.String(attribute="currency.code", dump_only=True)
    goods_value = fields.Decimal(required=True, **Money)
    freight = fields.Decimal(load_default=Decimal("0"), **Money)
    insured_fee = fields.Decimal(load_default=Decimal("0"), **Money)
    pay_code = Code(load_default="", max_length=18)
    pay_name = Text(load_default="", max_length=100)
    pay_no = Code(load_default="", max_length=60, upper=False)
    paid_at = fields.DateTime(load_default=None, allow_none=True)
    charge = fields.Decimal(load_default=Decimal("0"), **Money)
    channel = Code(max_length=30, load_only=True, metadata={"description": "Carrier channel code (else by rules)"})
    channel_code = fields.String(attribute="channel.code", dump_only=True, allow_none=True)
    logistics_no = Code(load_default="", max_length=32)
    parcel_waybill_no = Code(load_default="", max_length=40)
    note = Text(load_default="", max_length=500)
    lines = fields.List(fields.Nested(OrderLineSchema), load_default=list, validate=validate.Length(max=100))
    allocations = fields.List(fields.Nested(AllocationSchema), dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class OrderRowSchema(Schema):
    id = Id()
    seller_id = Id()
    seller_code = fields.String(attribute="seller.code")
    platform = fields.String()
    order_no = fields.String()
    mode = fields.String()
    status = fields.String()
    buyer_name = fields.String()
    country_code = fields.String(attribute="country.code")
    goods_value = fields.Decimal(as_string=True)
    currency_code = fields.String(attribute="currency.code")
    logistics_no = fields.String()
    created_at = fields.DateTime()


class ChannelRuleSchema(_In):
    id = Id(dump_only=True)
    warehouse_id = Id(required=True)
    sequence = fields.Integer(load_default=10, validate=validate.Range(min=0, max=100000))
    name = Text(load_default="", max_length=100)
    channel_id = Id(required=True)
    countries = Text(load_default="", max_length=300, metadata={"description": "ISO codes, comma-separated; empty: any"})
    seller_id = Id(load_default=None, allow_none=True)
    min_weight_kg = fields.Decimal(places=3, as_string=True, load_default=None, allow_none=True,
                                   validate=validate.Range(min=0, max=100000))
    max_weight_kg = fields.Decimal(places=3, as_string=True, load_default=None, allow_none=True,
                                   validate=validate.Range(min=0, max=100000))
    min_value = fields.Decimal(places=2, as_string=True, load_default=None, allow_none=True,
                               validate=validate.Range(min=0, max=10**9))
    max_value = fields.Decimal(places=2, as_string=True, load_default=None, allow_none=True,
                               validate=validate.Range(min=0, max=10**9))
    battery = fields.String(load_default="any", validate=validate.OneOf(FLAG_CHOICES))
    liquid = fields.String(load_default="any", validate=validate.OneOf(FLAG_CHOICES))
    active = fields.Boolean(dump_only=True)

    @validates_schema
    def _countries(self, data, **_):
        codes = [c.strip().upper() for c in (data.get("countries") or "").replace("，", ",").split(",") if c.strip()]
        if any(len(c) != 2 or not c.isalpha() for c in codes):
            raise ValidationError("Two-letter ISO codes, comma-separated.", "countries")
        if "countries" in data:
            data["countries"] = ",".join(codes)
        low, high = data.get("min_weight_kg"), data.get("max_weight_kg")
        if low is not None and high is not None and low > high:
            raise ValidationError("Must not be above the maximum.", "min_weight_kg")


class AllocateResultSchema(Schema):
    allocated = fields.Integer()
    backordered = fields.Integer()


class PlanSchema(_In):
    warehouse_id = Id()
    channel = Code(max_length=30, metadata={"description": "Only this carrier channel's orders"})
    cutoff = fields.DateTime(metadata={"description": "Only orders received before this time (the cut-off)"})
    kinds = fields.List(fields.String(validate=validate.OneOf(("single", "multi"))),
                        load_default=lambda: ["single", "multi"], validate=validate.Length(min=1, max=2))
    max_orders = fields.Integer(load_default=200, validate=validate.Range(min=1, max=5000))
    max_units = fields.Integer(load_default=1000, validate=validate.Range(min=1, max=100000))
    cart_slots = fields.Integer(load_default=24, validate=validate.Range(min=1, max=200))


class PickTaskSchema(Schema):
    id = Id()
    sequence = fields.Integer()
    order_id = Id()
    product_id = Id()
    sku = fields.String(attribute="product.sku")
    name_zh = fields.String(attribute="product.name_zh")
    location = fields.String(attribute="location.code")
    lpn = fields.String()
    lot = fields.String()
    qty = fields.Integer()
    picked_qty = fields.Integer()
    cart = fields.Integer()
    slot = fields.Integer()
    status = fields.String()


class WaveSchema(Schema):
    id = Id()
    number = fields.String()
    kind = fields.String()
    status = fields.String()
    channel_code = fields.String(attribute="channel.code", allow_none=True)
    orders_count = fields.Integer()
    units = fields.Integer()
    carts = fields.Integer()
    released_at = fields.DateTime()
    created_at = fields.DateTime()


class WaveDetailSchema(WaveSchema):
    tasks = fields.List(fields.Nested(PickTaskSchema))


class PickStartSchema(_In):
    scan = Code(load_default="", max_length=30, metadata={"description": "A released wave's number; empty: the next"})


class PickScanSchema(_In):
    scan = Text(required=True, max_length=100)


class PickSchema(_In):
    qty = fields.Integer(required=True, validate=validate.Range(min=1, max=100000))
    slot = Code(max_length=20, metadata={"description": "Multi-item waves: the cart slot scanned (C1-03)"})


class ShortSchema(_In):
    found_qty = fields.Integer(required=True, validate=validate.Range(min=0, max=100000))
    reason = fields.String(load_default="short", validate=validate.OneOf(("short", "location_empty")))


class PickAnswerSchema(Schema):
    step = fields.String()
    prompt = fields.String()
    prompt_code = fields.String()
    task = fields.Dict()
    wave = fields.Dict()
    picked = fields.Raw()
    discrepancy = fields.Dict()


class PickDiscrepancySchema(Schema):
    id = Id()
    order_id = Id()
    seller_id = Id()
    product_id = Id()
    sku = fields.String(attribute="product.sku")
    location = fields.String(attribute="location.code")
    lpn = fields.String()
    expected_qty = fields.Integer()
    found_qty = fields.Integer()
    reason = fields.String()
    status = fields.String()
    counted_qty = fields.Integer(allow_none=True)
    note = fields.String()
    created_at = fields.DateTime()
    resolved_at = fields.DateTime()


class ResolveSchema(_In):
    counted_qty = fields.Integer(required=True, validate=validate.Range(min=0, max=10_000_000))
    note = Text(load_default="", max_length=300)


class PackStartSchema(_In):
    scan = Text(required=True, max_length=100, metadata={"description": "Cart slot LPN, order no. or waybill"})


class FastLaneSchema(_In):
    wave = Code(required=True, max_length=30)
    scan = Text(required=True, max_length=200, metadata={"description": "The unit's barcode"})


class PackCheckSchema(_In):
    scans = fields.List(Text(max_length=200), required=True, validate=validate.Length(min=1, max=1000),
                        metadata={"description": "Every unit scanned at the station so far, in order"})


class PackCloseSchema(PackCheckSchema):
    material = Code(required=True, max_length=30)
    weight_kg = fields.Decimal(required=True, places=3, as_string=True,
                               validate=validate.Range(min=Decimal("0.001"), max=Decimal("100")))


class PackAnswerSchema(Schema):
    step = fields.String()
    prompt = fields.String()
    prompt_code = fields.String()
    order = fields.Dict()
    scans = fields.List(fields.String())
    parcel = fields.Dict()
    label_url = fields.String()


class MaterialReceiptSchema(_In):
    warehouse_id = Id()
    material = Code(required=True, max_length=30)
    qty = fields.Integer(required=True, validate=validate.Range(min=1, max=1_000_000))
    reference = Text(load_default="", max_length=60)


class MaterialStockSchema(Schema):
    material = fields.String()
    qty = fields.Integer()


class BagOpenSchema(_In):
    scan = Code(load_default="", max_length=30, metadata={"description": "The bag's SSCC label; empty: a new bag"})


class BagParcelSchema(_In):
    scan = Code(required=True, max_length=40, metadata={"description": "The parcel's waybill number"})


class UnbagSchema(BagParcelSchema):
    reason = Text(required=True, max_length=300)


class SealSchema(_In):
    count = fields.Integer(required=True, validate=validate.Range(min=1, max=10000))
    weight_kg = fields.Decimal(required=True, places=3, as_string=True,
                               validate=validate.Range(min=Decimal("0.001"), max=Decimal("1000")))


class BagSchema(Schema):
    id = Id()
    sscc = fields.String()
    status = fields.String()
    channel_code = fields.String(attribute="channel.code", allow_none=True)
    country_code = fields.String(attribute="country.code", allow_none=True)
    parcels_count = fields.Integer()
    weight_kg = fields.Decimal(as_string=True, allow_none=True)
    sealed_at = fields.DateTime()
    created_at = fields.DateTime()


class BagParcelRowSchema(Schema):
    logistics_no = fields.String()
    order_id = fields.Integer(attribute="order.id")
    order_no = fields.String(attribute="order.order_no")
    status = fields.String(attribute="order.status")
    weight_kg = fields.Decimal(as_string=True)
    packed_at = fields.DateTime()


class BagDetailSchema(BagSchema):
    manifest_id = fields.Integer(allow_none=True)
    parcels = fields.List(fields.Nested(BagParcelRowSchema))


class ManifestOpenSchema(_In):
    carrier = Code(required=True, max_length=30)
    vehicle_no = Text(required=True, max_length=20)
    driver = Text(load_default="", max_length=60)


class ManifestLoadSchema(_In):
    scan = Code(required=True, max_length=30, metadata={"description": "A sealed bag's SSCC"})


class ManifestCloseSchema(_In):
    bill_no = Code(load_default="", max_length=37, metadata={"description": "Master air waybill (then CEB607)"})
    traf_name = Text(load_default="", max_length=100)
    voyage_no = Code(load_default="", max_length=32)


class ManifestSchema(Schema):
    id = Id()
    number = fields.String()
    carrier_code = fields.String(attribute="carrier.code")
    vehicle_no = fields.String()
    driver = fields.String()
    status = fields.String()
    bags_count = fields.Integer()
    parcels_count = fields.Integer()
    gross_weight_kg = fields.Decimal(as_string=True)
    bill_no = fields.String()
    closed_at = fields.DateTime()
    departed_at = fields.DateTime()
    created_at = fields.DateTime()


class ManifestBagRowSchema(Schema):
    id = Id()
    sscc = fields.String()
    channel_code = fields.String(attribute="channel.code", allow_none=True)
    country_code = fields.String(attribute="country.code", allow_none=True)
    parcels_count = fields.Integer()
    weight_kg = fields.Decimal(as_string=True, allow_none=True)


class ManifestDetailSchema(ManifestSchema):
    bags = fields.List(fields.Nested(ManifestBagRowSchema))


class TrackEventSchema(Schema):
    at = fields.DateTime()
    code = fields.String()
    text_zh = fields.String()
    text_en = fields.String()
    place = fields.String()


class TrackingSchema(Schema):
    order_no = fields.String()
    logistics_no = fields.String()
    carrier_code = fields.String(allow_none=True)
    status = fields.String()
    shipped_at = fields.DateTime(allow_none=True)
    events = fields.List(fields.Nested(TrackEventSchema))


class CancelSchema(_In):
    reason = Text(required=True, max_length=300)


# --- packing lists (装箱单) per seller ------------------------------------------------------------------------

from flask_smorest.fields import Upload  # noqa: E402

from wms.outbound import packing_list as _pl  # noqa: E402


class PackingListTemplateSchema(_In):
    """A seller's packing list settings (PUT replaces them all; the logo has its own route)."""
    language = fields.String(required=True, validate=validate.OneOf(_pl.LANGUAGES),
                             metadata={"description": "zh, en, or zh_en (bilingual)"})
    title = Text(load_default="", max_length=60,
                 metadata={"description": "Blank: 装箱单 / Packing list in the chosen language"})
    columns = fields.List(fields.String(validate=validate.OneOf(tuple(_pl.COLUMNS))), required=True,
                          validate=validate.Length(min=1, max=len(_pl.COLUMNS)),
                          metadata={"description": "Columns in print order, each once: "
                                    + ", ".join(_pl.COLUMNS) + ". unit_price and line_total print only with "
                                    "show_prices; at most 8 columns on A5 and 6 on 100x150."})
    paper = fields.String(required=True, validate=validate.OneOf(_pl.PAPERS),
                          metadata={"description": "a4, a5 or 100x150 (thermal stock, mm)"})
    show_prices = fields.Boolean(load_default=False, metadata={"description": "Prices and the total value"})
    show_buyer = fields.Boolean(load_default=True, metadata={"description": "The buyer's address block"})
    footer = Text(load_default="", max_length=500, metadata={
        "description": "A note under the lines (return policy, thank-you); line breaks kept"})
    print_at_packing = fields.Boolean(load_default=True, metadata={
        "description": "The packing station prints it with the label"})


class PackingListLogoSchema(Schema):
    type = fields.String(metadata={"description": "image/png or image/jpeg"})
    size = fields.Integer(metadata={"description": "Bytes"})
    sha256 = fields.String()


class PackingListTemplateOutSchema(Schema):
    seller_id = Id()
    seller_code = fields.String()
    custom = fields.Boolean(metadata={"description": "False: no template of its own, the default applies"})
    language = fields.String()
    title = fields.String()
    columns = fields.List(fields.String())
    paper = fields.String()
    show_prices = fields.Boolean()
    show_buyer = fields.Boolean()
    footer = fields.String()
    print_at_packing = fields.Boolean()
    logo = fields.Nested(PackingListLogoSchema, allow_none=True)
    updated_at = fields.DateTime(allow_none=True)


class PackingListLogoUploadSchema(Schema):
    class Meta:
        unknown = RAISE

    file = Upload(required=True, metadata={"description": "PNG or JPEG, at most 512 KB"})


class PackClosedSchema(PackAnswerSchema):
    """The station's answer to a close: the label's URL and, when the seller's template prints it, the
    packing list's."""
    packing_list_url = fields.String(allow_none=True)
