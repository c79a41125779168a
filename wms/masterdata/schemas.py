"""Input/output schemas of master data. Input is validated here; references and uniqueness in the service."""
from __future__ import annotations

from decimal import Decimal

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from wms.core.fields import Code, Id, Text, positive_decimal
from wms.masterdata import rules
from wms.masterdata.models import FILING_STATUSES, PACKAGING_KINDS, ZONE_KINDS


class Base(Schema):
    class Meta:
        unknown = RAISE
        ordered = True

    id = fields.Integer(dump_only=True)
    active = fields.Boolean(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class Names:
    name_zh = Text(required=True, max_length=200, metadata={"description": "Chinese name"})
    name_en = Text(load_default="", max_length=200, metadata={"description": "English name"})


class CountrySchema(Base):
    code = Code(required=True, validate=validate.Regexp(r"^[A-Z]{2}$"), metadata={"description": "ISO 3166 alpha-2"})
    customs_code = Code(required=True, validate=validate.Regexp(r"^\d{3}$"),
                        metadata={"description": "China customs country code"})
    name_zh = Names.name_zh
    name_en = Text(required=True, max_length=100)


class ExchangeRateSchema(Schema):
    class Meta:
        unknown = RAISE

    rate_date = fields.Date(required=True)
    rate = fields.Decimal(places=6, as_string=True, required=True, validate=validate.Range(min=0, min_inclusive=False),
                          metadata={"description": "CNY per one unit of the currency"})


class CurrencySchema(Base):
    code = Code(required=True, validate=validate.Regexp(r"^[A-Z]{3}$"), metadata={"description": "ISO 4217"})
    customs_code = Code(required=True, validate=validate.Regexp(r"^\d{3}$"),
                        metadata={"description": "China customs currency code"})
    name_zh = Names.name_zh
    name_en = Text(required=True, max_length=100)
    rates = fields.List(fields.Nested(ExchangeRateSchema), load_default=list,
                        metadata={"description": "Dated rates; given rates are added or replace the same date"})


class WarehouseSchema(Base):
    code = Code(required=True, max_length=20)
    name_zh = Names.name_zh
    name_en = Names.name_en
    customs_area_code = Code(load_default="", validate=validate.Regexp(r"^(\d{4})?$"),
                             metadata={"description": "Customs area code (关区代码), 4 digits"})
    address = Text(load_default="", max_length=300)
    bonded = fields.Boolean(load_default=True)


class ZoneSchema(Base):
    warehouse_id = Id(required=True)
    warehouse_code = fields.String(attribute="warehouse.code", dump_only=True)
    code = Code(required=True, max_length=20)
    name_zh = Names.name_zh
    name_en = Names.name_en
    kind = fields.String(required=True, validate=validate.OneOf(ZONE_KINDS))
    bonded = fields.Boolean(load_default=True)


class LocationSchema(Base):
    warehouse_id = fields.Integer(dump_only=True, metadata={"description": "Taken from the zone"})
    zone_id = Id(required=True)
    zone_code = fields.String(attribute="zone.code", dump_only=True)
    zone_kind = fields.String(attribute="zone.kind", dump_only=True)
    code = Code(required=True, max_length=30, validate=validate.Regexp(r"^[A-Z0-9][A-Z0-9\-_.]*$"))
    aisle = Code(load_default="", max_length=10)
    bay = Code(load_default="", max_length=10)
    level = Code(load_default="", max_length=10)
    bin = Code(load_default="", max_length=10)
    capacity = fields.Integer(load_default=0, validate=validate.Range(min=0),
                              metadata={"description": "Units the location holds; 0 = not limited"})
    max_weight_kg = positive_decimal()
    pick_sequence = fields.Integer(load_default=0, validate=validate.Range(min=0))


class SellerSchema(Base):
    code = Code(required=True, max_length=20)
    name_zh = Names.name_zh
    name_en = Names.name_en
    customs_code = Code(required=True, metadata={"description": "Customs registration code (海关注册编码)"})
    uscc = Code(required=True, metadata={"description": "Unified social credit code (统一社会信用代码)"})
    account_book_no = Code(load_default="", max_length=20, metadata={"description": "Customs account book (账册号)"})
    contact = Text(load_default="", max_length=100)
    phone = Text(load_default="", max_length=40)
    filing_status = fields.String(dump_only=True, validate=validate.OneOf(FILING_STATUSES))
    filing_note = fields.String(dump_only=True)

    @validates("customs_code")
    def _customs_code(self, value, **_):
        if not rules.CUSTOMS_CODE.match(value):
            raise ValidationError("Customs registration code must be 10 letters or digits.")

    @validates("uscc")
    def _uscc(self, value, **_):
        if not rules.is_valid_uscc(value):
            raise ValidationError("Not a valid unified social credit code.")


class ProductSchema(Base):
    seller_id = Id(metadata={"description": "Required for staff; a seller's own id for sellers"})
    seller_code = fields.String(attribute="seller.code", dump_only=True)
    sku = Code(required=True, max_length=60, upper=False)
    barcodes = fields.List(Code(max_length=60), attribute="barcode_codes", load_default=list,
                           metadata={"description": "GTIN/EAN (check digit verified) or the seller's own codes"})
    name_zh = Text(required=True, max_length=300)
    name_en = Text(load_default="", max_length=300)
    hs_code = Code(required=True, metadata={"description": "10-digit HS code"})
    declaration_elements = Text(load_default="", max_length=1000, metadata={"description": "申报要素"})
    origin_country_id = Id(required=True)
    origin_country_code = fields.String(attribute="origin_country.code", dump_only=True)
    unit = Code(load_default="011", validate=validate.Regexp(r"^\d{3}$"),
                metadata={"description": "Customs unit code, e.g. 011 件, 007 个"})
    legal_unit1 = Code(load_default="", validate=validate.Regexp(r"^(\d{3})?$"),
                       metadata={"description": "First legal unit code (法定第一计量单位); empty = the declared unit"})
    legal_factor1 = fields.Decimal(places=5, as_string=True, load_default=Decimal("1"),
                                   validate=validate.Range(min=0, min_inclusive=False),
                                   metadata={"description": "Legal quantity 1 per declared unit, e.g. kg per piece"})
    legal_unit2 = Code(load_default="", validate=validate.Regexp(r"^(\d{3})?$"),
                       metadata={"description": "Second legal unit code, if the HS code has one"})
    legal_factor2 = fields.Decimal(places=5, as_string=True, load_default=None, allow_none=True,
                                   validate=validate.Range(min=0, min_inclusive=False))
    book_item_no = Code(load_default="", max_length=30,
                        metadata={"description": "Account-book item number (账册备案料号, itemRecordNo)"})
    declared_price = fields.Decimal(places=4, as_string=True, load_default=Decimal("0"), validate=validate.Range(min=0))
    currency_id = Id(required=True)
    currency_code = fields.String(attribute="currency.code", dump_only=True)
    weight_kg = positive_decimal()
    length_cm = positive_decimal()
    width_cm = positive_decimal()
    height_cm = positive_decimal()
    battery = fields.Boolean(load_default=False)
    liquid = fields.Boolean(load_default=False)
    magnetic = fields.Boolean(load_default=False)
    lot_tracked = fields.Boolean(load_default=False, metadata={"description": "Receipts need a lot (batch) and expiry"})
    qc_required = fields.Boolean(load_default=False, metadata={"description": "Every arrival is inspected (QC)"})
    first_received_at = fields.DateTime(dump_only=True, metadata={"description": "First arrival (首次到货)"})
    filing_status = fields.String(dump_only=True)
    filing_note = fields.String(dump_only=True)

    @validates("hs_code")
    def _hs_code(self, value, **_):
        if not rules.is_valid_hs_code(value):
            raise ValidationError("HS code must be 10 digits.")

    @validates_schema
    def _second_legal_unit(self, data, **_):
        if "legal_unit2" in data or "legal_factor2" in data:
            if bool(data.get("legal_unit2")) != (data.get("legal_factor2") is not None):
                raise ValidationError("Give the second legal unit and its factor together.", "legal_factor2")

    @validates("barcodes")
    def _barcodes(self, values, **_):
        bad = [v for v in values if v.isdigit() and len(v) in (8, 12, 13, 14) and not rules.is_valid_gtin(v)]
        if bad:
            raise ValidationError("Not a valid GTIN/EAN: wrong length or check digit.")


class CarrierSchema(Base):
    code = Code(required=True, max_length=30)
    name_zh = Names.name_zh
    name_en = Names.name_en
    customs_code = Code(load_default="", max_length=20)


class ChannelSchema(Base):
    carrier_id = Id(required=True)
    carrier_code = fields.String(attribute="carrier.code", dump_only=True)
    code = Code(required=True, max_length=30)
    name_zh = Names.name_zh
    name_en = Names.name_en
    service = Code(load_default="standard", max_length=30, upper=False)
    allows_battery = fields.Boolean(load_default=False)
    max_weight_kg = positive_decimal()


class PackagingMaterialSchema(Base):
    code = Code(required=True, max_length=30)
    name_zh = Names.name_zh
    name_en = Names.name_en
    kind = fields.String(load_default="carton", validate=validate.OneOf(PACKAGING_KINDS))
    length_cm = positive_decimal()
    width_cm = positive_decimal()
    height_cm = positive_decimal()
    tare_weight_kg = positive_decimal()
    max_weight_kg = positive_decimal()


class FilingEventSchema(Schema):
    class Meta:
        unknown = RAISE

    note = Text(load_default="", max_length=500, metadata={"description": "Reason when returning a filing"})
