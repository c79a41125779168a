"""The business records the WMS declares, as frozen dataclasses with Python types.

One class per XSD business element (customs.md §1, §3): ``OrderRecord`` (CEB303 ``Order``),
``PaymentRecord`` (CEB403 ``Receipts``), ``WaybillRecord`` (CEB505 ``Logistics``), ``ArrivalRecord``
(CEB507), ``DepartureRecord`` (CEB509), ``InventoryRecord`` (CEB603), ``InventoryCancel`` (CEB605),
``WaybillBill`` (CEB607 清单总分单) and ``SummaryApply`` (CEB701).

Rules carried by the types:
- attributes are the XSD names in snake case (``orderNo`` → ``order_no``, ``POD`` → ``pod``); a code +
  name pair is a ``Party`` (``ebpCode``/``ebpName`` → ``ebp``); ``None`` means "element left out";
- every record carries the std4 keys (customs.md §2.5): ``guid`` (a new upper-case UUID4 unless
  given, separate from the message guid), ``app_type`` (1 new / 2 change / 3 delete), ``app_time``
  (timezone-aware; written in China time) and ``app_status`` (1 draft / 2 declare: the XSD default 1,
  but 2 for CEB505 and CEB701);
- records are keyword-only and immutable; sequences given as lists are stored as tuples;
- nothing is validated here: ``build`` checks every value against the XSD before writing XML, so one
  place reports errors, naming the record and the field.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from wms.customs.ceb.values import china_now, new_guid


class AppType(StrEnum):
    """``appType``: what the record does to the portal's copy."""

    NEW = "1"
    CHANGE = "2"
    DELETE = "3"


class AppStatus(StrEnum):
    """``appStatus``: 1 keeps the record as a draft in the portal, 2 declares it to customs."""

    DRAFT = "1"
    DECLARE = "2"


BONDED_TRADE_MODES = frozenset({"1210", "1239"})
"""Special-zone (bonded) export: the list then needs iacCode/iacName, emsNo and per line itemRecordNo."""
EXPORT_TRADE_MODES = ("9610", "1210", "1239", "9710", "9810")
"""CEB603 ``tradeMode``: 9610 general B2C, 1210/1239 special zone, 9710 B2B, 9810 overseas warehouse."""


@dataclass(frozen=True)
class Party:
    """A company: customs code (10 characters) or unified social credit code (18), and its registered name."""

    code: str
    name: str


@dataclass(frozen=True, kw_only=True)
class BaseTransfer:
    """``BaseTransfer``: the transmitting company; ``cop_code`` must match the access client's identity."""

    cop_code: str
    cop_name: str
    dxp_id: str
    dxp_mode: str = "DXP"
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class BaseSubscribe:
    """``BaseSubscribe``: a third party subscribing to data/receipts (``status`` ALL, DATA or RET)."""

    status: str
    dxp_address: str
    dxp_mode: str = "DXP"
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Record:
    """The std4 keys every declared record carries."""

    label_attrs: ClassVar[tuple[str, ...]] = ()
    guid: str = field(default_factory=new_guid)
    app_type: AppType = AppType.NEW
    app_time: datetime = field(default_factory=china_now)
    app_status: AppStatus = AppStatus.DRAFT

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list):
                object.__setattr__(self, f.name, tuple(value))

    @property
    def label(self) -> str:
        """How errors name this record: class and business key, e.g. ``OrderRecord(orderNo=SO1)``."""
        keys = ", ".join(f"{_camel(a)}={getattr(self, a)}" for a in self.label_attrs)
        return f"{type(self).__name__}({keys or 'guid=' + str(self.guid)})"


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


# --- CEB303 电子订单 -----------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class OrderItem:
    """``OrderList``: ``gnum`` numbers lines from 1 and links each to the list line with the same gnum."""

    gnum: int
    item_no: str
    item_name: str
    unit: str
    currency: str
    qty: Decimal
    price: Decimal
    total_price: Decimal
    item_describe: str | None = None
    bar_code: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class OrderRecord(Record):
    """CEB303 ``Order``: ``OrderHead`` + 1..100 ``OrderList``.

    ``order_type``: E B2C export, B B2B export, W overseas-warehouse booking.
    """

    label_attrs: ClassVar[tuple[str, ...]] = ("order_no",)
    order_no: str
    ebp: Party
    ebc: Party
    goods_value: Decimal
    currency: str
    items: tuple[OrderItem, ...]
    order_type: str = "E"
    freight: Decimal = Decimal(0)
    note: str | None = None


# --- CEB403 收款单 -------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class PaymentRecord(Record):
    """CEB403 ``Receipts``: money received for an order. ``pay_name`` is "现金支付" for offline payment."""

    label_attrs: ClassVar[tuple[str, ...]] = ("order_no",)
    ebp: Party
    ebc: Party
    order_no: str
    pay_name: str
    charge: Decimal
    currency: str
    accounting_date: datetime
    pay_code: str | None = None
    pay_no: str | None = None
    note: str | None = None


# --- CEB505 运单 ---------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class WaybillRecord(Record):
    """CEB505 ``Logistics``: one parcel label; declared (``app_status`` 2) by default, as the XSD says."""

    label_attrs: ClassVar[tuple[str, ...]] = ("logistics_no",)
    app_status: AppStatus = AppStatus.DECLARE
    logistics: Party
    logistics_no: str
    freight: Decimal
    insured_fee: Decimal
    currency: str
    gross_weight: Decimal
    pack_no: int
    goods_info: str
    ebc: Party | None = None
    ebc_telephone: str | None = None
    note: str | None = None


# --- split documents: CEB507 / 509 / 607 / 701 carry msgCount / msgSeqNo ------------------------

@dataclass(frozen=True, kw_only=True)
class SplitRecord(Record):
    """A document that may be split over several messages: ``msg_count`` parts, this is ``msg_seq_no``.

    1/1 when unsplit; ``split()`` numbers the parts from 1 without gaps. Its lines are in ``lines``
    and get their ``gnum`` from their position (1..n in each part).
    """

    lines_attr: ClassVar[str] = "lines"
    msg_count: int = 1
    msg_seq_no: int = 1


@dataclass(frozen=True, kw_only=True)
class ArrivalLine:
    """``ArrivalList``: a parcel that reached the supervised site (``total_package_no`` pallet / mail bag)."""

    logistics_no: str
    total_package_no: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class ArrivalRecord(SplitRecord):
    """CEB507 运抵单: ``ArrivalHead`` + 0..n ``ArrivalList``. ``bill_no`` may be absent for mail."""

    label_attrs: ClassVar[tuple[str, ...]] = ("cop_no", "msg_seq_no")
    customs_code: str
    cop_no: str
    operator: Party
    traf_mode: str
    domestic_traf_no: str
    logistics: Party
    lines: tuple[ArrivalLine, ...] = ()
    ie_flag: str = "E"
    pre_no: str | None = None
    loct_no: str | None = None
    bill_no: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class DepartureLine:
    """``DepartureList``: a parcel that left the country."""

    logistics_no: str
    total_package_no: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class DepartureRecord(SplitRecord):
    """CEB509 离境单: ``DepartureHead`` + 1..n ``DepartureList``; ``leave_time`` is required."""

    label_attrs: ClassVar[tuple[str, ...]] = ("cop_no", "msg_seq_no")
    customs_code: str
    cop_no: str
    logistics: Party
    traf_mode: str
    leave_time: datetime
    lines: tuple[DepartureLine, ...]
    pre_no: str | None = None
    traf_name: str | None = None
    voyage_no: str | None = None
    bill_no: str | None = None
    note: str | None = None


# --- CEB603 申报清单 ------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class InventoryItem:
    """``InventoryList``. ``item_record_no`` is the account-book item (required for bonded export);
    ``qty2``/``unit2`` go together; ``bar_code`` is "无" when the goods have none."""

    gnum: int
    item_no: str
    gcode: str
    gname: str
    gmodel: str
    country: str
    currency: str
    qty: Decimal
    unit: str
    qty1: Decimal
    unit1: str
    price: Decimal
    total_price: Decimal
    bar_code: str = "无"
    item_record_no: str | None = None
    item_name: str | None = None
    qty2: Decimal | None = None
    unit2: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class InventoryRecord(Record):
    """CEB603 申报清单: ``InventoryHead`` + 1..100 ``InventoryList``.

    Special-zone export (``trade_mode`` 1210/1239) needs ``iac`` (the zone warehouse company),
    ``ems_no`` (account book) and ``item_record_no`` on every line. A change or delete must carry
    ``pre_no`` or ``invt_no`` (the numbers the portal issued).
    """

    label_attrs: ClassVar[tuple[str, ...]] = ("cop_no", "order_no")
    customs_code: str
    ebp: Party
    order_no: str
    logistics: Party
    logistics_no: str
    cop_no: str
    port_code: str
    ie_date: date
    statistics_flag: str
    agent: Party
    ebc: Party
    owner: Party
    trade_mode: str
    traf_mode: str
    country: str
    pod: str
    freight: Decimal
    f_currency: str
    f_flag: str
    insured_fee: Decimal
    i_currency: str
    i_flag: str
    wrap_type: str
    pack_no: int
    gross_weight: Decimal
    net_weight: Decimal
    items: tuple[InventoryItem, ...]
    ie_flag: str = "E"
    pre_no: str | None = None
    invt_no: str | None = None
    iac: Party | None = None
    ems_no: str | None = None
    traf_name: str | None = None
    voyage_no: str | None = None
    bill_no: str | None = None
    total_package_no: str | None = None
    loct_no: str | None = None
    license_no: str | None = None
    note: str | None = None


# --- CEB605 撤销申请单 ----------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class InventoryCancel(Record):
    """CEB605 ``InvtCancel``: asks customs to cancel the list ``invt_no`` for ``reason``."""

    label_attrs: ClassVar[tuple[str, ...]] = ("cop_no", "invt_no")
    customs_code: str
    cop_no: str
    invt_no: str
    reason: str
    agent: Party
    ebc: Party
    pre_no: str | None = None
    note: str | None = None


# --- CEB607 清单总分单 ----------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class WaybillLine:
    """``WayBillList``: a parcel under the master bill; ``invt_no`` is the original list (for returns)."""

    logistics_no: str
    total_package_no: str | None = None
    invt_no: str | None = None
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class WaybillBill(SplitRecord):
    """CEB607 清单总分单: ``WayBillHead`` (transport all required) + 1..n ``WayBillList``."""

    label_attrs: ClassVar[tuple[str, ...]] = ("cop_no", "msg_seq_no")
    customs_code: str
    cop_no: str
    agent: Party
    traf_mode: str
    traf_name: str
    voyage_no: str
    bill_no: str
    gross_weight: Decimal
    logistics: Party
    lines: tuple[WaybillLine, ...]
    pre_no: str | None = None
    loct_no: str | None = None
    domestic_traf_no: str | None = None
    note: str | None = None


# --- CEB701 汇总申请单 ----------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class SummaryApply(SplitRecord):
    """CEB701 汇总申请单: ``SummaryApplyHead`` + 0..n ``SummaryApplyList`` (one ``invtNo`` each).

    Either list ``invt_nos`` or give the ``start_time``/``end_time`` window (then customs ignores the
    list). ``summary_flag`` 1 groups by consignor, 2 by consignor + producer/seller.
    ``item_name_flag`` "1" groups by the original itemName; the spec says "leave it empty" for customs'
    generic category names, but the XSD requires exactly one character: confirm the value with
    电子口岸 before sending anything other than "1". Declared (``app_status`` 2) by default.
    """

    label_attrs: ClassVar[tuple[str, ...]] = ("cop_no", "msg_seq_no")
    lines_attr: ClassVar[str] = "invt_nos"
    app_status: AppStatus = AppStatus.DECLARE
    customs_code: str
    cop_no: str
    agent: Party
    ebc: Party
    decl_agent: Party
    invt_nos: tuple[str, ...] = ()
    summary_flag: str = "1"
    item_name_flag: str = "1"
    pre_no: str | None = None
    sum_no: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    loct_no: str | None = None
    note: str | None = None
