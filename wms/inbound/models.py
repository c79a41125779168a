"""Inbound documents: forecasts (ASN) and their cartons and parcels, gate passes, receipts,
temporary-storage declarations (暂存入库单), QC rules and tasks, disposals of defective goods,
putaway rules and tasks. Quantities live in the inventory ledger; these rows say why they moved."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wms.db import Base, TimestampMixin, one_of, utcnow
from wms.inbound.states import ASN, DECLARATION, DISPOSAL, PUTAWAY, QC_TASK
from wms.masterdata.models import Carrier, Location, Product, Seller, Warehouse, Zone

ASN_MODES = ("stock", "parcel")
CONDITIONS = ("good", "damaged")
DISPOSAL_KINDS = ("destroy", "return")
STRATEGIES = ("fixed", "consolidate", "empty")
INSPECTION_RESULTS = ("", "passed", "failed", "seized")
Measure = sa.Numeric(10, 3)


class Asn(TimestampMixin, Base):
    """An inbound forecast (入库预报): what a seller sends, on which vehicle, when."""
    __tablename__ = "asns"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouses.id"))
    reference: Mapped[str] = mapped_column(sa.String(60), default="")        # the seller's own number
    mode: Mapped[str] = mapped_column(sa.String(10), default="stock")
    blind: Mapped[bool] = mapped_column(default=False)                      # receive without showing quantities
    expected_at: Mapped[datetime | None]
    carrier_id: Mapped[int | None] = mapped_column(sa.ForeignKey("carriers.id"))
    vehicle_no: Mapped[str] = mapped_column(sa.String(20), default="")
    driver: Mapped[str] = mapped_column(sa.String(60), default="")
    cartons: Mapped[int] = mapped_column(default=0)                         # forecast cartons in all
    cartons_arrived: Mapped[int] = mapped_column(default=0)
    gate_pass_id: Mapped[int | None] = mapped_column(sa.ForeignKey("gate_passes.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=ASN.initial, index=True)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    submitted_at: Mapped[datetime | None]
    arrived_at: Mapped[datetime | None]
    received_at: Mapped[datetime | None]
    seller: Mapped[Seller] = relationship()
    warehouse: Mapped[Warehouse] = relationship()
    carrier: Mapped[Carrier | None] = relationship()
    gate_pass: Mapped[GatePass | None] = relationship(back_populates="asns")
    lines: Mapped[list[AsnLine]] = relationship(back_populates="asn", order_by="AsnLine.line_no")
    parcels: Mapped[list[AsnParcel]] = relationship(back_populates="asn", order_by="AsnParcel.id")
    __table_args__ = (one_of("mode", ASN_MODES), one_of("status", ASN.states),
                      sa.CheckConstraint("cartons >= 0 AND cartons_arrived >= 0", name="cartons_not_negative"))


class AsnLine(Base):
    __tablename__ = "asn_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    asn_id: Mapped[int] = mapped_column(sa.ForeignKey("asns.id"), index=True)
    line_no: Mapped[int]
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    expected_qty: Mapped[int] = mapped_column(default=0)                   # 0: not forecast (found on arrival)
    cartons: Mapped[int] = mapped_column(default=0)
    lot: Mapped[str] = mapped_column(sa.String(40), default="")
    expiry: Mapped[date | None]
    received_qty: Mapped[int] = mapped_column(default=0)                   # good and damaged together
    damaged_qty: Mapped[int] = mapped_column(default=0)
    discrepancy_reason: Mapped[str] = mapped_column(sa.String(300), default="")   # why over / short / damaged
    asn: Mapped[Asn] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    __table_args__ = (
        sa.UniqueConstraint("asn_id", "line_no"),
        sa.CheckConstraint("expected_qty >= 0 AND cartons >= 0", name="forecast_not_negative"),
        sa.CheckConstraint("received_qty >= 0 AND damaged_qty >= 0 AND damaged_qty <= received_qty",
                           name="received_within_bounds"),
    )

    @property
    def good_qty(self) -> int:
        return self.received_qty - self.damaged_qty

    @property
    def difference(self) -> int:
        """Received minus forecast: positive is over-receipt, negative short."""
        return self.received_qty - self.expected_qty


class AsnCarton(Base):
    """One carton of a forecast, with the id its carton label (箱唛) carries."""
    __tablename__ = "asn_cartons"
    id: Mapped[int] = mapped_column(primary_key=True)
    asn_id: Mapped[int] = mapped_column(sa.ForeignKey("asns.id"), index=True)
    carton_no: Mapped[int]
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    received_at: Mapped[datetime | None]
    __table_args__ = (sa.UniqueConstraint("asn_id", "carton_no"),)


class AsnParcel(Base):
    """A pre-packed parcel of a parcel-consolidation forecast, received by its waybill number."""
    __tablename__ = "asn_parcels"
    id: Mapped[int] = mapped_column(primary_key=True)
    asn_id: Mapped[int] = mapped_column(sa.ForeignKey("asns.id"), index=True)
    waybill_no: Mapped[str] = mapped_column(sa.String(40), index=True)
    order_no: Mapped[str] = mapped_column(sa.String(60), default="")
    weight_kg: Mapped[Decimal | None] = mapped_column(Measure)
    location_id: Mapped[int | None] = mapped_column(sa.ForeignKey("locations.id"))
    received_at: Mapped[datetime | None]
    received_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    asn: Mapped[Asn] = relationship(back_populates="parcels")
    location: Mapped[Location | None] = relationship()
    __table_args__ = (sa.UniqueConstraint("asn_id", "waybill_no"),)


class GatePass(Base):
    """A vehicle passing the zone checkpoint into the zone (入区过闸), carrying one or more forecasts."""
    __tablename__ = "gate_passes"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(24), unique=True)
    direction: Mapped[str] = mapped_column(sa.String(1), default="I")
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouses.id"))
    vehicle_no: Mapped[str] = mapped_column(sa.String(20))
    driver: Mapped[str] = mapped_column(sa.String(60), default="")
    cartons: Mapped[int] = mapped_column(default=0)
    gross_weight_kg: Mapped[Decimal | None] = mapped_column(Measure)
    seal_no: Mapped[str] = mapped_column(sa.String(40), default="")
    passed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    asns: Mapped[list[Asn]] = relationship(back_populates="gate_pass", order_by="Asn.id")
    __table_args__ = (one_of("direction", ("I", "E")), sa.CheckConstraint("cartons >= 0", name="cartons_not_negative"))


class Receipt(Base):
    """What one receiving scan took in: units of a product onto an LPN in temporary storage."""
    __tablename__ = "receipts"
    id: Mapped[int] = mapped_column(primary_key=True)
    asn_id: Mapped[int] = mapped_column(sa.ForeignKey("asns.id"), index=True)
    asn_line_id: Mapped[int] = mapped_column(sa.ForeignKey("asn_lines.id"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"))
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    qty: Mapped[int]
    condition: Mapped[str] = mapped_column(sa.String(10), default="good")
    reason: Mapped[str] = mapped_column(sa.String(300), default="")
    first_arrival: Mapped[bool] = mapped_column(default=False)              # the SKU's first receipt ever
    lpn: Mapped[str] = mapped_column(sa.String(40), index=True)
    lot: Mapped[str] = mapped_column(sa.String(40), default="")
    expiry: Mapped[date | None]
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id"))
    movement_id: Mapped[int] = mapped_column(sa.ForeignKey("movements.id"))
    declaration_id: Mapped[int | None] = mapped_column(sa.ForeignKey("temp_declarations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    product: Mapped[Product] = relationship()
    location: Mapped[Location] = relationship()
    __table_args__ = (one_of("condition", CONDITIONS), sa.CheckConstraint("qty > 0", name="qty_positive"))


class TempDeclaration(TimestampMixin, Base):
    """A temporary-storage inbound declaration (暂存入库单), declared as an inbound 核注清单."""
    __tablename__ = "temp_declarations"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)          # etpsInnerInvtNo
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouses.id"))
    asn_id: Mapped[int | None] = mapped_column(sa.ForeignKey("asns.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=DECLARATION.initial, index=True)
    guid: Mapped[str] = mapped_column(sa.String(36), default="")             # of the last declaration sent
    bond_invt_no: Mapped[str] = mapped_column(sa.String(20), default="")     # 核注清单编号 given by customs
    return_info: Mapped[str] = mapped_column(sa.String(1000), default="")
    declared_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    seller: Mapped[Seller] = relationship()
    asn: Mapped[Asn | None] = relationship()
    lines: Mapped[list[TempDeclarationLine]] = relationship(back_populates="declaration",
                                                            order_by="TempDeclarationLine.seq_no")
    __table_args__ = (one_of("status", DECLARATION.states),)


class TempDeclarationLine(Base):
    __tablename__ = "temp_declaration_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(sa.ForeignKey("temp_declarations.id"), index=True)
    seq_no: Mapped[int]
    receipt_id: Mapped[int] = mapped_column(sa.ForeignKey("receipts.id"), unique=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"))
    qty: Mapped[int]
    spot_check: Mapped[bool] = mapped_column(default=False)                 # selected by customs (海关抽查)
    inspection_result: Mapped[str] = mapped_column(sa.String(10), default="")
    inspection_note: Mapped[str] = mapped_column(sa.String(300), default="")
    inspected_at: Mapped[datetime | None]
    inspected_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    declaration: Mapped[TempDeclaration] = relationship(back_populates="lines")
    receipt: Mapped[Receipt] = relationship()
    product: Mapped[Product] = relationship()
    __table_args__ = (sa.UniqueConstraint("declaration_id", "seq_no"),
                      one_of("inspection_result", INSPECTION_RESULTS),
                      sa.CheckConstraint("qty > 0", name="qty_positive"))


class QcRule(TimestampMixin, Base):
    """When received goods are inspected: the first rule that fits a receipt decides (most specific first)."""
    __tablename__ = "qc_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouses.id"))
    seller_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(sa.ForeignKey("products.id"))
    first_arrival_only: Mapped[bool] = mapped_column(default=False)
    sample_percent: Mapped[int] = mapped_column(default=100)               # of the units received
    min_sample: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    note: Mapped[str] = mapped_column(sa.String(300), default="")
    __table_args__ = (sa.CheckConstraint("sample_percent BETWEEN 0 AND 100", name="sample_percent_range"),
                      sa.CheckConstraint("min_sample >= 0", name="min_sample_not_negative"))


class QcTask(TimestampMixin, Base):
    """An inspection of one LPN's units: a sample checked, defects counted, the rest follow the verdict."""
    __tablename__ = "qc_tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"))
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id"))
    lpn: Mapped[str] = mapped_column(sa.String(40), index=True)
    lot: Mapped[str] = mapped_column(sa.String(40), default="")
    qty: Mapped[int]
    sample_qty: Mapped[int]
    reason: Mapped[str] = mapped_column(sa.String(100), default="")          # which rule asked for it
    status: Mapped[str] = mapped_column(sa.String(20), default=QC_TASK.initial, index=True)
    passed_qty: Mapped[int] = mapped_column(default=0)
    failed_qty: Mapped[int] = mapped_column(default=0)
    defect_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    receipt_id: Mapped[int | None] = mapped_column(sa.ForeignKey("receipts.id"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    done_at: Mapped[datetime | None]
    product: Mapped[Product] = relationship()
    location: Mapped[Location] = relationship()
    __table_args__ = (one_of("status", QC_TASK.states),
                      sa.CheckConstraint("passed_qty >= 0 AND failed_qty >= 0 AND passed_qty + failed_qty <= qty",
                                         name="results_within_qty"))


class Disposal(TimestampMixin, Base):
    """What happens to defective goods: destroyed under customs supervision (销毁) or returned to the seller (退仓)."""
    __tablename__ = "disposals"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    status: Mapped[str] = mapped_column(sa.String(20), default=DISPOSAL.initial, index=True)
    reason: Mapped[str] = mapped_column(sa.String(300), default="")
    customs_ref: Mapped[str] = mapped_column(sa.String(40), default="")     # 销毁 核注清单 / 出区 document
    completed_at: Mapped[datetime | None]
    seller: Mapped[Seller] = relationship()
    lines: Mapped[list[DisposalLine]] = relationship(back_populates="disposal", order_by="DisposalLine.id")
    __table_args__ = (one_of("kind", DISPOSAL_KINDS), one_of("status", DISPOSAL.states))


class DisposalLine(Base):
    __tablename__ = "disposal_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    disposal_id: Mapped[int] = mapped_column(sa.ForeignKey("disposals.id"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"))
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id"))
    lpn: Mapped[str] = mapped_column(sa.String(40), default="")
    lot: Mapped[str] = mapped_column(sa.String(40), default="")
    qty: Mapped[int]
    disposal: Mapped[Disposal] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    location: Mapped[Location] = relationship()
    __table_args__ = (sa.CheckConstraint("qty > 0", name="qty_positive"),)


class PutawayRule(TimestampMixin, Base):
    """One link of a warehouse's putaway strategy chain: tried in ``sequence`` order, the first that
    finds a location wins. ``zone_id`` limits where it looks; the limits say which products it accepts."""
    __tablename__ = "putaway_rules"
    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(sa.ForeignKey("warehouses.id"), index=True)
    sequence: Mapped[int] = mapped_column(default=10)
    strategy: Mapped[str] = mapped_column(sa.String(20))
    zone_id: Mapped[int | None] = mapped_column(sa.ForeignKey("zones.id"))
    seller_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sellers.id"))
    max_weight_kg: Mapped[Decimal | None] = mapped_column(Measure)          # per unit
    max_side_cm: Mapped[Decimal | None] = mapped_column(Measure)            # longest side per unit
    allows_battery: Mapped[bool] = mapped_column(default=True)
    allows_liquid: Mapped[bool] = mapped_column(default=True)
    allows_magnetic: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    zone: Mapped[Zone | None] = relationship()
    __table_args__ = (one_of("strategy", STRATEGIES),)


class FixedLocation(Base):
    """A product's own pick face (固定库位), used by the ``fixed`` putaway strategy."""
    __tablename__ = "fixed_locations"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id"), unique=True)
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    product: Mapped[Product] = relationship()
    location: Mapped[Location] = relationship()


class PutawayTask(TimestampMixin, Base):
    """Units of one LPN waiting to be stored, with the location the strategy chain suggests."""
    __tablename__ = "putaway_tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(20), unique=True)
    seller_id: Mapped[int] = mapped_column(sa.ForeignKey("sellers.id"), index=True)
    product_id: Mapped[int] = mapped_column(sa.ForeignKey("products.id"), index=True)
    lpn: Mapped[str] = mapped_column(sa.String(40), index=True)
    lot: Mapped[str] = mapped_column(sa.String(40), default="")
    qty: Mapped[int]
    from_location_id: Mapped[int] = mapped_column(sa.ForeignKey("locations.id"))
    suggested_location_id: Mapped[int | None] = mapped_column(sa.ForeignKey("locations.id"), index=True)
    strategy: Mapped[str] = mapped_column(sa.String(20), default="")
    to_location_id: Mapped[int | None] = mapped_column(sa.ForeignKey("locations.id"))
    override_reason: Mapped[str] = mapped_column(sa.String(300), default="")
    status: Mapped[str] = mapped_column(sa.String(20), default=PUTAWAY.initial, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    done_at: Mapped[datetime | None]
    product: Mapped[Product] = relationship()
    from_location: Mapped[Location] = relationship(foreign_keys=[from_location_id])
    suggested_location: Mapped[Location | None] = relationship(foreign_keys=[suggested_location_id])
    to_location: Mapped[Location | None] = relationship(foreign_keys=[to_location_id])
    __table_args__ = (one_of("status", PUTAWAY.states), sa.CheckConstraint("qty > 0", name="qty_positive"))
