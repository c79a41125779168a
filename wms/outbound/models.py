"""Outbound orders: what a platform or seller asks the warehouse to ship, with the payment and waybill data
customs needs (CEB303 order, CEB403 payment, CEB505 waybill) and the buyer's address."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wms.db import Base, TimestampMixin, one_of, utcnow
from wms.masterdata.models import Carrier, Channel, Country, Currency, Location, Product, Seller, Warehouse
from wms.outbound.states import BAG, MANIFEST, ORDER, PICK_TASK, WAVE

ORDER_MODES = ("stock", "parcel")
TRADE_MODES = ("9610", "1210")
Money = sa.Numeric(19, 5)
Measure = sa.Numeric(10, 3)


class Order(TimestampMixin, Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("sellers.id"))      # indexed with status, below
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouses.id"))
    platform: Mapped[str] = mapped_column(sa.String(30))                     # e.g. AMAZON, SHOPEE, TEMU, OWN
    order_no: Mapped[str] = mapped_column(sa.String(60))                    # unique per platform (CEB303 orderNo)
    ebp_code: Mapped[str] = mapped_column(sa.String(18), default="")        # platform's customs code (无 abroad)
    ebp_name: Mapped[str] = mapped_column(sa.String(100), default="")
    mode: Mapped[str] = mapped_column(sa.String(10), default="stock")
    trade_mode: Mapped[str] = mapped_column(sa.String(4), default="1210")
    status: Mapped[str] = mapped_column(sa.String(20), default=ORDER.initial, index=True)
    status_reason: Mapped[str] = mapped_column(sa.String(300), default="")   # backorder / match failure / cancel
    # buyer
    buyer_name: Mapped[str] = mapped_column(sa.String(100))
    buyer_phone: Mapped[str] = mapped_column(sa.String(20))                  # E.164
    buyer_email: Mapped[str] = mapped_column(sa.String(120), default="")
    country_id: Mapped[int] = mapped_column(sa.ForeignKey("countries.id"))
    state: Mapped[str] = mapped_column(sa.String(60), default="")
    city: Mapped[str] = mapped_column(sa.String(60))
    address1: Mapped[str] = mapped_column(sa.String(200))
    address2: Mapped[str] = mapped_column(sa.String(200), default="")
    postal_code: Mapped[str] = mapped_column(sa.String(12), default="")
    # money (CEB303 / CEB403)
    currency_id: Mapped[int] = mapped_column(sa.ForeignKey("currencies.id"))
    goods_value: Mapped[Decimal] = mapped_column(Money)
    freight: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    insured_fee: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))
    pay_code: Mapped[str] = mapped_column(sa.String(18), default="")         # payment company
    pay_name: Mapped[str] = mapped_column(sa.String(100), default="")
    pay_no: Mapped[str] = mapped_column(sa.String(60), default="")
    paid_at: Mapped[datetime | None]
    charge: Mapped[Decimal] = mapped_column(Money, default=Decimal(0))       # amount paid
    # waybill (CEB505)
    channel_id: Mapped[int | None] = mapped_column(sa.ForeignKey("channels.id"))
    logistics_no: Mapped[str] = mapped_column(sa.String(32), default="", index=True)
    parcel_waybill_no: Mapped[str] = mapped_column(sa.String(40), default="", index=True)   # parcel mode
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    request_fingerprint: Mapped[str] = mapped_column(sa.String(64), default="")   # tells replays from new orders
    wave_id: Mapped[int | None] = mapped_column(sa.ForeignKey("waves.id"), index=True)
    units: Mapped[int] = mapped_column(default=0, server_default="0")                # Σ line qty (single-item: 1)
    # the export list (CEB603) and what customs made of it: "" | declared | inspection | released | rejected
    list_guid: Mapped[str] = mapped_column(sa.String(36), default="", server_default="", index=True)
    customs_state: Mapped[str] = mapped_column(sa.String(12), default="", server_default="")
    released_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    summary_state: Mapped[str] = mapped_column(sa.String(12), default="", server_default="")  # pending: 汇总待报
    seller: Mapped[Seller] = relationship()
    warehouse: Mapped[Warehouse] = relationship()
    country: Mapped[Country] = relationship()
    currency: Mapped[Currency] = relationship()
    channel: Mapped[Channel | None] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(back_populates="order", order_by="OrderLine.gnum")
    allocations: Mapped[list[Allocation]] = relationship(
        primaryjoin="and_(Order.id == foreign(Allocation.order_id), Allocation.status != 'released')",
        order_by="Allocation.pick_sequence", viewonly=True)
    __table_args__ = (
        sa.UniqueConstraint("platform", "order_no"),
        one_of("mode", ORDER_MODES), one_of("trade_mode", TRADE_MODES), one_of("status", ORDER.states),
        sa.CheckConstraint("goods_value >= 0 AND freight >= 0 AND insured_fee >= 0 AND charge >= 0",
                           name="money_not_negative"),
        sa.Index("ix_orders_seller_status", "seller_id", "status"),
        # partial: only shipped rows are in them, so the many status changes before shipping do not touch them
        sa.Index("ix_orders_shipped", "warehouse_id", "shipped_at", postgresql_where=sa.text("status = 'shipped'"),
                 sqlite_where=sa.text("status = 'shipped'")),
        sa.Index("ix_orders_summary_pending", "warehouse_id", "shipped_at",
                 postgresql_where=sa.text("summary_state = 'pending'"),
                 sqlite_where=sa.text("summary_state = 'pending'")),
    )


class OrderLine(Base):
    __tablename__ = "order_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"), index=True)
    gnum: Mapped[int]                                                        # 1, 2, 3 … (links to the list)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    qty: Mapped[int]
    price: Mapped[Decimal] = mapped_column(Money)
    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    __table_args__ = (sa.UniqueConstraint("order_id", "gnum"), sa.CheckConstraint("qty > 0", name="qty_positive"),
                      sa.CheckConstraint("price >= 0", name="price_not_negative"))

    @property
    def total(self) -> Decimal:
        return (self.price * self.qty).quantize(Decimal("0.00001"))


FLAG_CHOICES = ("any", "yes", "no")


class ChannelRule(TimestampMixin, Base):
    """One rule of a warehouse's logistics channel rules (物流渠道规则): conditions on the order, and the
    channel it gets. Rules are tried in ``sequence`` order; the first whose conditions all hold wins."""
    __tablename__ = "channel_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouses.id"), index=True)
    sequence: Mapped[int] = mapped_column(default=10)
    name: Mapped[str] = mapped_column(sa.String(100), default="")
    channel_id: Mapped[int] = mapped_column(sa.ForeignKey("channels.id"))
    countries: Mapped[str] = mapped_column(sa.String(300), default="")      # ISO codes, comma-separated; "" any
    seller_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sellers.id"))
    min_weight_kg: Mapped[Decimal | None] = mapped_column(Measure)
    max_weight_kg: Mapped[Decimal | None] = mapped_column(Measure)
    min_value: Mapped[Decimal | None] = mapped_column(Money)                  # goods value, order currency
    max_value: Mapped[Decimal | None] = mapped_column(Money)
    battery: Mapped[str] = mapped_column(sa.String(3), default="any")
    liquid: Mapped[str] = mapped_column(sa.String(3), default="any")
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    channel: Mapped[Channel] = relationship()
    __table_args__ = (one_of("battery", FLAG_CHOICES), one_of("liquid", FLAG_CHOICES))


class Allocation(Base):
    """Units of one stock balance reserved for one order line (picked from there, in pick sequence)."""
    __tablename__ = "allocations"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(sa.ForeignKey("order_lines.id"), index=True)
    balance_id: Mapped[int] = mapped_column(sa.ForeignKey("stock_balances.id"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"))
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id"))
    lpn: Mapped[str] = mapped_column(sa.String(40), default="")
    lot: Mapped[str] = mapped_column(sa.String(40), default="")
    qty: Mapped[int]
    picked_qty: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(sa.String(12), default="open", index=True)
    pick_sequence: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    location: Mapped[Location] = relationship()
    product: Mapped[Product] = relationship()
    __table_args__ = (one_of("status", ("open", "picked", "released")),
                      sa.CheckConstraint("qty > 0 AND picked_qty >= 0 AND picked_qty <= qty", name="qty_within"))


WAVE_KINDS = ("single", "multi")


class Wave(TimestampMixin, Base):
    """A wave (波次) of allocated orders picked together: single-item orders (一票一件) batch-picked to the
    fast-lane pack station, or multi-item orders picked to sorting carts (分拣车), one slot per order."""
    __tablename__ = "waves"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouses.id"))
    kind: Mapped[str] = mapped_column(sa.String(10))
    channel_id: Mapped[int | None] = mapped_column(sa.ForeignKey("channels.id"))
    status: Mapped[str] = mapped_column(sa.String(20), default=WAVE.initial, index=True)
    orders_count: Mapped[int] = mapped_column(default=0)
    units: Mapped[int] = mapped_column(default=0)
    carts: Mapped[int] = mapped_column(default=0)
    released_at: Mapped[datetime | None]
    released_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    channel: Mapped[Channel | None] = relationship()
    __table_args__ = (one_of("kind", WAVE_KINDS), one_of("status", WAVE.states))


class PickTask(Base):
    """One pick: units of a product from a location (and LPN) for a wave — to an order's cart slot in a
    multi-item wave, or in bulk for the single-item fast lane. Tasks are walked in pick sequence."""
    __tablename__ = "pick_tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(sa.ForeignKey("waves.id"), index=True)
    allocation_id: Mapped[int] = mapped_column(sa.ForeignKey("allocations.id"), index=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"))
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id"))
    lpn: Mapped[str] = mapped_column(sa.String(40), default="")
    lot: Mapped[str] = mapped_column(sa.String(40), default="")
    qty: Mapped[int]
    picked_qty: Mapped[int] = mapped_column(default=0)
    cart: Mapped[int] = mapped_column(default=0)          # multi-item waves: cart number from 1
    slot: Mapped[int] = mapped_column(default=0)          # the order's slot on its cart, from 1
    sequence: Mapped[int] = mapped_column(default=0)      # walking order
    status: Mapped[str] = mapped_column(sa.String(12), default=PICK_TASK.initial, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    done_at: Mapped[datetime | None]
    product: Mapped[Product] = relationship()
    location: Mapped[Location] = relationship()
    __table_args__ = (one_of("status", PICK_TASK.states),
                      sa.CheckConstraint("qty > 0 AND picked_qty >= 0 AND picked_qty <= qty", name="qty_within"))


class PickDiscrepancy(Base):
    """A pick that found fewer units than expected (下架差异): what was expected, what was there, and what a
    supervisor decided (the location counted and corrected, the order re-allocated or backordered)."""
    __tablename__ = "pick_discrepancies"
    id: Mapped[int] = mapped_column(primary_key=True)
    pick_task_id: Mapped[int] = mapped_column(sa.ForeignKey("pick_tasks.id"), index=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"), index=True)
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"))
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id"))
    lpn: Mapped[str] = mapped_column(sa.String(40), default="")
    expected_qty: Mapped[int]
    found_qty: Mapped[int]
    reason: Mapped[str] = mapped_column(sa.String(100), default="")          # location_empty / short
    status: Mapped[str] = mapped_column(sa.String(12), default="open", index=True)
    counted_qty: Mapped[int | None]
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    resolved_at: Mapped[datetime | None]
    product: Mapped[Product] = relationship()
    location: Mapped[Location] = relationship()
    __table_args__ = (one_of("status", ("open", "resolved")),
                      sa.CheckConstraint("found_qty >= 0 AND found_qty < expected_qty", name="found_below_expected"))


class PackagingStock(Base):
    """Packing materials on hand per warehouse (cartons, mailers …); moved only by packaging movements."""
    __tablename__ = "packaging_stock"
    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouses.id"))
    material_id: Mapped[int] = mapped_column(sa.ForeignKey("packaging_materials.id"))
    qty: Mapped[int] = mapped_column(default=0)
    __table_args__ = (sa.UniqueConstraint("warehouse_id", "material_id"),
                      sa.CheckConstraint("qty >= 0", name="qty_not_negative"))


class PackagingMovement(Base):
    """Append-only: materials received (+) or used for a parcel (-)."""
    __tablename__ = "packaging_movements"
    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouses.id"))
    material_id: Mapped[int] = mapped_column(sa.ForeignKey("packaging_materials.id"), index=True)
    qty: Mapped[int]
    reason: Mapped[str] = mapped_column(sa.String(100), default="")
    doc_ref: Mapped[str] = mapped_column(sa.String(60), default="")
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    __table_args__ = (sa.CheckConstraint("qty <> 0", name="qty_not_zero"),)


class Parcel(Base):
    """An order packed: its material, weights and the waybill it carries (the unit bagged and loaded)."""
    __tablename__ = "parcels"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"), unique=True)
    logistics_no: Mapped[str] = mapped_column(sa.String(32), index=True)
    material_id: Mapped[int | None] = mapped_column(sa.ForeignKey("packaging_materials.id"))
    weight_kg: Mapped[Decimal] = mapped_column(Measure)
    expected_weight_kg: Mapped[Decimal] = mapped_column(Measure)
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id"))
    packed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    packed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    bag_id: Mapped[int | None] = mapped_column(sa.ForeignKey("bags.id"), index=True)
    order: Mapped[Order] = relationship()


class Bag(TimestampMixin, Base):
    """A bag (汇总入袋) of parcels for one carrier channel and destination, labelled with an SSCC."""
    __tablename__ = "bags"
    id: Mapped[int] = mapped_column(primary_key=True)
    sscc: Mapped[str] = mapped_column(sa.String(18), unique=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouses.id"))
    channel_id: Mapped[int | None] = mapped_column(sa.ForeignKey("channels.id"))
    country_id: Mapped[int | None] = mapped_column(sa.ForeignKey("countries.id"))
    status: Mapped[str] = mapped_column(sa.String(12), default=BAG.initial, index=True)
    parcels_count: Mapped[int] = mapped_column(default=0)
    weight_kg: Mapped[Decimal | None] = mapped_column(Measure)
    sealed_at: Mapped[datetime | None]
    manifest_id: Mapped[int | None] = mapped_column(sa.ForeignKey("manifests.id"), index=True)
    channel: Mapped[Channel | None] = relationship()
    country: Mapped[Country | None] = relationship()
    parcels: Mapped[list[Parcel]] = relationship(order_by="Parcel.id", viewonly=True)
    __table_args__ = (one_of("status", BAG.states),)


class Manifest(TimestampMixin, Base):
    """A vehicle loading sealed bags of one carrier (车辆装货), then passing the gate out of the zone."""
    __tablename__ = "manifests"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouses.id"))
    carrier_id: Mapped[int] = mapped_column(sa.ForeignKey("carriers.id"))
    vehicle_no: Mapped[str] = mapped_column(sa.String(20))
    driver: Mapped[str] = mapped_column(sa.String(60), default="")
    status: Mapped[str] = mapped_column(sa.String(12), default=MANIFEST.initial, index=True)
    bags_count: Mapped[int] = mapped_column(default=0)
    parcels_count: Mapped[int] = mapped_column(default=0)
    gross_weight_kg: Mapped[Decimal] = mapped_column(Measure, default=Decimal(0))
    bill_no: Mapped[str] = mapped_column(sa.String(37), default="")          # master air waybill, when known
    traf_name: Mapped[str] = mapped_column(sa.String(100), default="")       # flight / vessel
    voyage_no: Mapped[str] = mapped_column(sa.String(32), default="")
    closed_at: Mapped[datetime | None]
    departed_at: Mapped[datetime | None]
    carrier: Mapped[Carrier] = relationship()
    bags: Mapped[list[Bag]] = relationship(order_by="Bag.id", viewonly=True)
    __table_args__ = (one_of("status", MANIFEST.states),)
