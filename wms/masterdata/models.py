"""Master data: places (warehouses, zones, locations), parties (sellers, carriers), goods (products),
and reference lists (countries, currencies, packaging). Rows are deactivated, never deleted."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wms.db import Base, TimestampMixin, one_of

ZONE_KINDS = ("receiving", "temp_storage", "qc", "storage", "defective", "packing", "dispatch")
FILING_STATUSES = ("draft", "declared", "approved", "returned")
PACKAGING_KINDS = ("carton", "mailer", "envelope", "bag")
Money = sa.Numeric(14, 4)
Measure = sa.Numeric(10, 3)


class ActiveMixin:
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())


class Country(ActiveMixin, TimestampMixin, Base):
    __tablename__ = "countries"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(2), unique=True)             # ISO 3166-1 alpha-2
    customs_code: Mapped[str] = mapped_column(sa.String(3), unique=True)     # China customs country code
    name_zh: Mapped[str] = mapped_column(sa.String(100))
    name_en: Mapped[str] = mapped_column(sa.String(100))


class Currency(ActiveMixin, TimestampMixin, Base):
    __tablename__ = "currencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(3), unique=True)             # ISO 4217
    customs_code: Mapped[str] = mapped_column(sa.String(3), unique=True)     # China customs currency code
    name_zh: Mapped[str] = mapped_column(sa.String(100))
    name_en: Mapped[str] = mapped_column(sa.String(100))
    rates: Mapped[list[ExchangeRate]] = relationship(back_populates="currency",
                                                     order_by="ExchangeRate.rate_date.desc()")


class ExchangeRate(TimestampMixin, Base):
    """CNY per one unit of the currency, valid from ``rate_date`` until the next rate."""
    __tablename__ = "exchange_rates"
    id: Mapped[int] = mapped_column(primary_key=True)
    currency_id: Mapped[int] = mapped_column(sa.ForeignKey("currencies.id"), index=True)
    rate_date: Mapped[date]
    rate: Mapped[Decimal] = mapped_column(sa.Numeric(14, 6))
    currency: Mapped[Currency] = relationship(back_populates="rates")
    __table_args__ = (
        sa.UniqueConstraint("currency_id", "rate_date"),
        sa.CheckConstraint("rate > 0", name="rate_positive"),
    )


class Warehouse(ActiveMixin, TimestampMixin, Base):
    __tablename__ = "warehouses"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name_zh: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    customs_area_code: Mapped[str] = mapped_column(sa.String(4), default="")   # 关区代码, e.g. 5349 Qianhai
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    bonded: Mapped[bool] = mapped_column(default=True)


class Zone(ActiveMixin, TimestampMixin, Base):
    __tablename__ = "zones"
    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouses.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(20))
    name_zh: Mapped[str] = mapped_column(sa.String(100))
    name_en: Mapped[str] = mapped_column(sa.String(100))
    kind: Mapped[str] = mapped_column(sa.String(20))
    bonded: Mapped[bool] = mapped_column(default=True)
    warehouse: Mapped[Warehouse] = relationship()
    __table_args__ = (sa.UniqueConstraint("warehouse_id", "code"), one_of("kind", ZONE_KINDS))


class Location(ActiveMixin, TimestampMixin, Base):
    __tablename__ = "locations"
    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouses.id"))
    zone_id: Mapped[int] = mapped_column(sa.ForeignKey("zones.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(30))
    aisle: Mapped[str] = mapped_column(sa.String(10), default="")
    bay: Mapped[str] = mapped_column(sa.String(10), default="")
    level: Mapped[str] = mapped_column(sa.String(10), default="")
    bin: Mapped[str] = mapped_column(sa.String(10), default="")
    capacity: Mapped[int] = mapped_column(default=0)          # units; 0 = not limited
    max_weight_kg: Mapped[Decimal | None] = mapped_column(Measure)
    pick_sequence: Mapped[int] = mapped_column(default=0, index=True)
    zone: Mapped[Zone] = relationship()
    warehouse: Mapped[Warehouse] = relationship()
    __table_args__ = (
        sa.UniqueConstraint("warehouse_id", "code"),
        sa.Index("ix_locations_code", "code"),
        sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),
    )


class Seller(ActiveMixin, TimestampMixin, Base):
    __tablename__ = "sellers"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name_zh: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200), default="")
    customs_code: Mapped[str] = mapped_column(sa.String(10), unique=True)    # 海关注册编码
    uscc: Mapped[str] = mapped_column(sa.String(18), unique=True)            # 统一社会信用代码
    account_book_no: Mapped[str] = mapped_column(sa.String(20), default="")  # 账册号
    contact: Mapped[str] = mapped_column(sa.String(100), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    filing_status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    filing_note: Mapped[str] = mapped_column(sa.String(500), default="")
    __table_args__ = (one_of("filing_status", FILING_STATUSES),)


class Product(ActiveMixin, TimestampMixin, Base):
    __tablename__ = "products"
    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    sku: Mapped[str] = mapped_column(sa.String(60))
    name_zh: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str] = mapped_column(sa.String(300), default="")
    hs_code: Mapped[str] = mapped_column(sa.String(10), index=True)
    declaration_elements: Mapped[str] = mapped_column(sa.String(1000), default="")   # 申报要素
    origin_country_id: Mapped[int] = mapped_column(sa.ForeignKey("countries.id"))
    unit: Mapped[str] = mapped_column(sa.String(3), default="011")         # customs unit code, 011 = 件
    legal_unit1: Mapped[str] = mapped_column(sa.String(3), default="")     # 法定第一计量单位 ("" = as declared)
    legal_factor1: Mapped[Decimal] = mapped_column(sa.Numeric(19, 5), default=Decimal(1))  # legal qty per unit
    legal_unit2: Mapped[str] = mapped_column(sa.String(3), default="")     # 法定第二计量单位 (optional)
    legal_factor2: Mapped[Decimal | None] = mapped_column(sa.Numeric(19, 5))
    book_item_no: Mapped[str] = mapped_column(sa.String(30), default="")   # 账册备案料号 (itemRecordNo)
    declared_price: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    currency_id: Mapped[int] = mapped_column(sa.ForeignKey("currencies.id"))
    weight_kg: Mapped[Decimal | None] = mapped_column(Measure)
    length_cm: Mapped[Decimal | None] = mapped_column(Measure)
    width_cm: Mapped[Decimal | None] = mapped_column(Measure)
    height_cm: Mapped[Decimal | None] = mapped_column(Measure)
    battery: Mapped[bool] = mapped_column(default=False)
    liquid: Mapped[bool] = mapped_column(default=False)
    magnetic: Mapped[bool] = mapped_column(default=False)
    lot_tracked: Mapped[bool] = mapped_column(default=False, server_default=sa.false())   # needs lot/expiry
    qc_required: Mapped[bool] = mapped_column(default=False, server_default=sa.false())   # every arrival inspected
    first_received_at: Mapped[datetime | None]                                             # 首次到货
    filing_status: Mapped[str] = mapped_column(sa.String(20), default="draft")
    filing_note: Mapped[str] = mapped_column(sa.String(500), default="")
    seller: Mapped[Seller] = relationship()
    origin_country: Mapped[Country] = relationship()
    currency: Mapped[Currency] = relationship()
    barcodes: Mapped[list[ProductBarcode]] = relationship(back_populates="product", cascade="all, delete-orphan",
                                                          order_by="ProductBarcode.id")

    @property
    def barcode_codes(self) -> list[str]:
        return [b.code for b in self.barcodes]

    __table_args__ = (
        sa.UniqueConstraint("seller_id", "sku"),
        one_of("filing_status", FILING_STATUSES),
        sa.CheckConstraint("declared_price >= 0", name="declared_price_not_negative"),
    )


class ProductBarcode(Base):
    """A product's scannable codes (GTIN/EAN or the seller's own); unique within a seller."""
    __tablename__ = "product_barcodes"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("sellers.id"))
    code: Mapped[str] = mapped_column(sa.String(60), index=True)
    product: Mapped[Product] = relationship(back_populates="barcodes")
    __table_args__ = (sa.UniqueConstraint("seller_id", "code"),)


class Carrier(ActiveMixin, TimestampMixin, Base):
    __tablename__ = "carriers"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(30), unique=True)
    name_zh: Mapped[str] = mapped_column(sa.String(100))
    name_en: Mapped[str] = mapped_column(sa.String(100), default="")
    customs_code: Mapped[str] = mapped_column(sa.String(20), default="")   # logistics enterprise code


class Channel(ActiveMixin, TimestampMixin, Base):
    """A carrier's logistics channel (物流渠道): a service with its own limits."""
    __tablename__ = "channels"
    id: Mapped[int] = mapped_column(primary_key=True)
    carrier_id: Mapped[int] = mapped_column(sa.ForeignKey("carriers.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(30), unique=True)
    name_zh: Mapped[str] = mapped_column(sa.String(100))
    name_en: Mapped[str] = mapped_column(sa.String(100), default="")
    service: Mapped[str] = mapped_column(sa.String(30), default="standard")
    allows_battery: Mapped[bool] = mapped_column(default=False)
    max_weight_kg: Mapped[Decimal | None] = mapped_column(Measure)
    carrier: Mapped[Carrier] = relationship()


class PackagingMaterial(ActiveMixin, TimestampMixin, Base):
    __tablename__ = "packaging_materials"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(30), unique=True)
    name_zh: Mapped[str] = mapped_column(sa.String(100))
    name_en: Mapped[str] = mapped_column(sa.String(100), default="")
    kind: Mapped[str] = mapped_column(sa.String(20), default="carton")
    length_cm: Mapped[Decimal | None] = mapped_column(Measure)
    width_cm: Mapped[Decimal | None] = mapped_column(Measure)
    height_cm: Mapped[Decimal | None] = mapped_column(Measure)
    tare_weight_kg: Mapped[Decimal | None] = mapped_column(Measure)
    max_weight_kg: Mapped[Decimal | None] = mapped_column(Measure)
    __table_args__ = (one_of("kind", PACKAGING_KINDS),)
