"""Master-data resources and their rules: product barcodes, location placement, exchange rates, filing."""
from __future__ import annotations

import sqlalchemy as sa
from marshmallow import fields
from sqlalchemy.orm import joinedload, selectinload

from wms.core.fields import Id, Text
from wms.core.crud import Resource
from wms.core.listing import Column, ListSpec
from wms.core.statemachine import StateMachine
from wms.errors import Conflict, ValidationFailed
from wms.extensions import db
from wms.masterdata import schemas as s
from wms.masterdata.models import (Carrier, Channel, Country, Currency, ExchangeRate, Location, PackagingMaterial,
                                   Product, ProductBarcode, Seller, Warehouse, Zone)

# Enterprise and product filing with customs (企业备案 / 商品备案), as the portal's states.
FILING = StateMachine("filing", {
    "draft": {"declare": "declared"},
    "declared": {"approve": "approved", "return": "returned"},
    "returned": {"declare": "declared"},
    "approved": {"revise": "draft"},
}, attr="filing_status")

C = Column
NAMES = [C("name_zh", "Name (zh)", "中文名称"), C("name_en", "Name (en)", "英文名称")]
ACTIVE = C("active", "Active", "启用")


def _eq(field_cls, attr, **kw):
    return (field_cls(**kw), attr)


def _location_placement(obj: Location, data: dict, creating: bool) -> None:
    """A location belongs to its zone's warehouse; its code is unique within that warehouse."""
    if "zone_id" in data:
        data["warehouse_id"] = db.session.get(Zone, data["zone_id"]).warehouse_id
    if "zone_id" in data or "code" in data:
        clash = db.session.scalar(sa.select(Location.id).where(
            Location.warehouse_id == data.get("warehouse_id", obj.warehouse_id),
            Location.code == data.get("code", obj.code), Location.id != (obj.id or 0)))
        if clash:
            raise ValidationFailed({"code": ["Already used."]})


def _zone_code(obj: Zone, data: dict, creating: bool) -> None:
    """A zone's code is unique in its warehouse; a zone stays in the warehouse it was made in."""
    if not creating and data.get("warehouse_id", obj.warehouse_id) != obj.warehouse_id:
        raise ValidationFailed({"warehouse_id": ["A zone stays in its warehouse; make a new zone instead."]})
    warehouse_id = data.get("warehouse_id", obj.warehouse_id)
    code = data.get("code", obj.code)
    clash = db.session.scalar(sa.select(Zone.id).where(Zone.warehouse_id == warehouse_id, Zone.code == code,
                                                       Zone.id != (obj.id or 0)))
    if clash:
        raise ValidationFailed({"code": ["Already used."]})


FILED_FIELDS = ("name_zh", "hs_code", "declaration_elements", "origin_country_id", "unit", "legal_unit1",
                "legal_factor1", "legal_unit2", "legal_factor2", "book_item_no", "declared_price", "currency_id")


def _product_filed_fields(obj: Product, data: dict) -> None:
    """What customs holds on file changes only through the filing: revise (back to draft) first."""
    if obj.filing_status not in ("declared", "approved"):
        return
    changed = [f for f in FILED_FIELDS if f in data and data[f] != getattr(obj, f)]
    if changed:
        raise Conflict("filing_locked", sku=obj.sku, filing_status=obj.filing_status, fields=changed,
                       current_state=obj.filing_status, allowed_events=FILING.allowed_events(obj.filing_status))


def _product_sku(obj: Product, data: dict, creating: bool) -> None:
    if not creating:
        _product_filed_fields(obj, data)
    seller_id = data.get("seller_id", obj.seller_id)
    sku = data.get("sku", obj.sku)
    clash = db.session.scalar(sa.select(Product.id).where(Product.seller_id == seller_id, Product.sku == sku,
                                                          Product.id != (obj.id or 0)))
    if clash:
        raise ValidationFailed({"sku": ["Already used."]})


def _product_barcodes(obj: Product, children: dict, creating: bool) -> None:
    """Replace the product's barcodes; a code is unique within its seller."""
    if "barcode_codes" not in children:
        return
    codes = list(dict.fromkeys(children["barcode_codes"]))
    clash = db.session.scalars(sa.select(ProductBarcode.code).where(
        ProductBarcode.seller_id == obj.seller_id, ProductBarcode.code.in_(codes),
        ProductBarcode.product_id != obj.id)).all()
    if clash:
        raise ValidationFailed({"barcodes": [f"{c}: Already used." for c in clash]})
    keep = {b.code: b for b in obj.barcodes}
    obj.barcodes = [keep.get(code) or ProductBarcode(code=code, seller_id=obj.seller_id) for code in codes]
    db.session.flush()


def _currency_rates(obj: Currency, children: dict, creating: bool) -> None:
    """Given rates are added, or replace the rate of the same date; older dates stay as history."""
    for item in children.get("rates") or ():
        existing = db.session.scalars(sa.select(ExchangeRate).where(
            ExchangeRate.currency_id == obj.id, ExchangeRate.rate_date == item["rate_date"])).first()
        if existing:
            existing.rate = item["rate"]
        else:
            db.session.add(ExchangeRate(currency_id=obj.id, rate_date=item["rate_date"], rate=item["rate"]))
    db.session.flush()
    db.session.expire(obj, ["rates"])


def _location_empty(obj: Location) -> None:
    """A location that still holds stock cannot be deactivated (its stock would be stranded)."""
    from wms.inventory.models import StockBalance
    units = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(StockBalance.qty), 0))
                              .where(StockBalance.location_id == obj.id))
    if units:
        raise Conflict("in_use", entity="location", ref=obj.code, units=int(units))


countries = Resource(
    "countries", Country, s.CountrySchema, ("Countries", "国家/地区"), "reference.read", "reference.write",
    ListSpec(Country, search=(Country.code, Country.name_zh, Country.name_en, Country.customs_code),
             sort=("code", "customs_code", "name_en", "name_zh"), default_sort="code",
             columns=[C("code", "Code", "代码"), C("customs_code", "Customs code", "海关代码"), *NAMES, ACTIVE]),
    unique=(("code",), ("customs_code",)))

currencies = Resource(
    "currencies", Currency, s.CurrencySchema, ("Currencies", "币制"), "reference.read", "reference.write",
    ListSpec(Currency, search=(Currency.code, Currency.name_zh, Currency.name_en),
             sort=("code", "customs_code", "name_en"), default_sort="code",
             columns=[C("code", "Code", "代码"), C("customs_code", "Customs code", "海关代码"), *NAMES, ACTIVE]),
    unique=(("code",), ("customs_code",)), load_options=(selectinload(Currency.rates),),
    after_save=_currency_rates, child_fields=("rates",))

warehouses = Resource(
    "warehouses", Warehouse, s.WarehouseSchema, ("Warehouses", "仓库"), "layout.read", "layout.write",
    ListSpec(Warehouse, search=(Warehouse.code, Warehouse.name_zh, Warehouse.name_en, Warehouse.address),
             filters={"bonded": _eq(fields.Boolean, Warehouse.bonded)},
             sort=("code", "name_en", "name_zh", "updated_at"), default_sort="code",
             columns=[C("code", "Code", "代码"), *NAMES, C("customs_area_code", "Customs area", "关区"),
                      C("bonded", "Bonded", "保税"), ACTIVE]),
    unique=(("code",),))

zones = Resource(
    "zones", Zone, s.ZoneSchema, ("Zones", "库区"), "layout.read", "layout.write",
    ListSpec(Zone, search=(Zone.code, Zone.name_zh, Zone.name_en),
             filters={"warehouse_id": _eq(Id, Zone.warehouse_id),
                      "kind": _eq(Text, Zone.kind), "bonded": _eq(fields.Boolean, Zone.bonded)},
             sort=("code", "kind", "name_en", "updated_at"), default_sort="code",
             columns=[C("warehouse.code", "Warehouse", "仓库"), C("code", "Code", "代码"), *NAMES,
                      C("kind", "Kind", "类型"), C("bonded", "Bonded", "保税"), ACTIVE]),
    references={"warehouse_id": Warehouse}, load_options=(joinedload(Zone.warehouse),),
    before_save=_zone_code)

locations = Resource(
    "locations", Location, s.LocationSchema, ("Locations", "库位"), "layout.read", "layout.write",
    ListSpec(Location, search=(Location.code,),
             filters={"zone_id": _eq(Id, Location.zone_id),
                      "warehouse_id": _eq(Id, Location.warehouse_id),
                      "aisle": _eq(Text, Location.aisle)},
             sort=("code", "pick_sequence", "aisle", "capacity", "updated_at"), default_sort="pick_sequence",
             columns=[C("code", "Code", "库位"), C("zone.code", "Zone", "库区"), C("zone.kind", "Zone kind", "库区类型"),
                      C("aisle", "Aisle", "巷道"), C("bay", "Bay", "列"), C("level", "Level", "层"),
                      C("bin", "Bin", "格"), C("capacity", "Capacity", "容量"),
                      C("pick_sequence", "Pick sequence", "拣货顺序"), ACTIVE]),
    references={"zone_id": Zone}, load_options=(joinedload(Location.zone),), before_save=_location_placement,
    before_deactivate=_location_empty)

sellers = Resource(
    "sellers", Seller, s.SellerSchema, ("Sellers", "卖家"), "sellers.read", "sellers.write",
    ListSpec(Seller, search=(Seller.code, Seller.name_zh, Seller.name_en, Seller.customs_code, Seller.uscc),
             filters={"filing_status": _eq(Text, Seller.filing_status)},
             sort=("code", "name_en", "name_zh", "filing_status", "updated_at"), default_sort="code",
             columns=[C("code", "Code", "代码"), *NAMES, C("customs_code", "Customs code", "海关注册编码"),
                      C("uscc", "USCC", "统一社会信用代码"), C("account_book_no", "Account book", "账册号"),
                      C("filing_status", "Filing", "备案状态"), ACTIVE]),
    unique=(("code",), ("customs_code",), ("uscc",)), seller_field="id")

products = Resource(
    "products", Product, s.ProductSchema, ("Products", "商品"), "products.read", "products.write",
    ListSpec(Product, search=(Product.sku, Product.name_zh, Product.name_en, Product.hs_code),
             filters={"seller_id": _eq(Id, Product.seller_id),
                      "hs_code": _eq(Text, Product.hs_code),
                      "filing_status": _eq(Text, Product.filing_status),
                      "battery": _eq(fields.Boolean, Product.battery)},
             sort=("sku", "name_en", "name_zh", "hs_code", "declared_price", "filing_status", "updated_at"),
             default_sort="sku",
             columns=[C("seller.code", "Seller", "卖家"), C("sku", "SKU", "SKU"), *NAMES,
                      C("hs_code", "HS code", "HS编码"), C("origin_country.code", "Origin", "原产国"),
                      C("declared_price", "Declared price", "申报单价"), C("currency.code", "Currency", "币制"),
                      C("weight_kg", "Weight kg", "重量(kg)"), C("filing_status", "Filing", "备案状态"), ACTIVE]),
    references={"seller_id": Seller, "origin_country_id": Country, "currency_id": Currency},
    seller_field="seller_id",
    load_options=(joinedload(Product.seller), joinedload(Product.origin_country), joinedload(Product.currency),
                  selectinload(Product.barcodes)),
    before_save=_product_sku, after_save=_product_barcodes, child_fields=("barcode_codes",))

carriers = Resource(
    "carriers", Carrier, s.CarrierSchema, ("Carriers", "承运商"), "reference.read", "reference.write",
    ListSpec(Carrier, search=(Carrier.code, Carrier.name_zh, Carrier.name_en),
             sort=("code", "name_en", "updated_at"), default_sort="code",
             columns=[C("code", "Code", "代码"), *NAMES, ACTIVE]),
    unique=(("code",),))

channels = Resource(
    "channels", Channel, s.ChannelSchema, ("Logistics channels", "物流渠道"), "reference.read", "reference.write",
    ListSpec(Channel, search=(Channel.code, Channel.name_zh, Channel.name_en),
             filters={"carrier_id": _eq(Id, Channel.carrier_id)},
             sort=("code", "name_en", "updated_at"), default_sort="code",
             columns=[C("carrier.code", "Carrier", "承运商"), C("code", "Code", "代码"), *NAMES,
                      C("service", "Service", "服务"), C("allows_battery", "Battery", "可带电"), ACTIVE]),
    unique=(("code",),), references={"carrier_id": Carrier}, load_options=(joinedload(Channel.carrier),))

packaging = Resource(
    "packaging-materials", PackagingMaterial, s.PackagingMaterialSchema, ("Packaging materials", "包材"),
    "layout.read", "layout.write",
    ListSpec(PackagingMaterial, search=(PackagingMaterial.code, PackagingMaterial.name_zh, PackagingMaterial.name_en),
             filters={"kind": _eq(Text, PackagingMaterial.kind)},
             sort=("code", "kind", "name_en", "updated_at"), default_sort="code",
             columns=[C("code", "Code", "代码"), *NAMES, C("kind", "Kind", "类型"),
                      C("length_cm", "L cm", "长"), C("width_cm", "W cm", "宽"), C("height_cm", "H cm", "高"),
                      ACTIVE]),
    unique=(("code",),))

RESOURCES = [warehouses, zones, locations, sellers, products, countries, currencies, carriers, channels, packaging]


def file_event(resource: Resource, obj, event: str, note: str = ""):
    """Move a seller's or product's filing by ``event``; a return keeps customs' reason."""
    FILING.fire(obj, event, note=note)
    if event == "return":
        obj.filing_note = note
    elif event == "approve":
        obj.filing_note = ""
        if isinstance(obj, Product):
            from wms.customs.book import open_item
            open_item(obj)           # an approved product gets its account-book line
    return obj
