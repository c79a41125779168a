"""The CEB 202205 export XSD (``ceb-export.xsd``) as data: each element's children in XSD order.

The builder walks these sequences, so element ORDER, required/optional (``minOccurs``) and the length
and character rules live in one table per element, written down from the XSD. Tests compare every
sequence with the XSD itself.

Conventions:
- ``Leaf(name, rule, attr)``: a simple element; ``attr`` is the attribute path on the record
  (default: the XSD name in snake case; ``ebp.code`` follows a ``Party``; ``@position`` is the line's
  1-based position; ``.`` is the item itself). An optional leaf whose value is ``None`` or ``""`` is
  left out: the export XSD has no nillable elements, and several optional elements (``preNo``,
  ``startTime``…) may not be present-but-empty because of their fixed length. A leaf under a
  ``Party`` that is present (``ebc.code`` of an optional ``ebc``) is required.
- ``Group(name, attr, children, min_occurs, max_occurs)``: an element with element content;
  ``attr`` ``None`` means the same object, otherwise the attribute holding the child object or its
  sequence (``max_occurs`` > 1 or ``None`` for unbounded).
- Character rules beyond the XSD (which only gives lengths): codes of parties are 10 or 18 digits /
  upper-case letters (``ebpCode`` may be "无" for a foreign platform, ``ownerCode`` "NO" for an
  unregistered producer); customs, currency, country, unit and HS codes are digits; document numbers
  are printable ASCII without spaces.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from wms.customs.ceb.records import (
    EXPORT_TRADE_MODES, ArrivalRecord, DepartureRecord, InventoryCancel, InventoryRecord, OrderRecord,
    PaymentRecord, Record, SummaryApply, WaybillBill, WaybillRecord)
from wms.customs.ceb.values import GUID, Day, Dec, Int, Rule, Stamp, Text

CEB_NS = "http://www.chinaport.gov.cn/ceb"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
MAX_RECORDS = 100
"""Every export data message holds its business element 1..100 times (``maxOccurs="100"``)."""
MAX_SUBSCRIBERS = 5


@dataclass(frozen=True)
class Leaf:
    name: str
    rule: Rule
    attr: str
    required: bool = True


@dataclass(frozen=True)
class Group:
    name: str
    attr: str | None
    children: tuple[Leaf | Group, ...]
    min_occurs: int = 1
    max_occurs: int | None = 1

    @property
    def repeats(self) -> bool:
        return self.max_occurs is None or self.max_occurs > 1

    def names(self) -> tuple[str, ...]:
        """The child element names in XSD order (for tests and documentation)."""
        return tuple(child.name for child in self.children)


def snake(name: str) -> str:
    return name.lower() if name.isupper() else re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def leaf(name: str, rule: Rule, attr: str | None = None, *, optional: bool = False) -> Leaf:
    return Leaf(name, rule, attr or snake(name), required=not optional)


# --- rules ----------------------------------------------------------------------------------------

_COMPANY = r"[0-9A-Z]{10}|[0-9A-Z]{18}"
_COMPANY_HINT = "a 10-character customs code or an 18-character credit code (digits, upper-case letters)"


def company(extra: str = "", hint: str = "") -> Text:
    return Text(max_len=18, pattern=_COMPANY + (f"|{extra}" if extra else ""), hint=_COMPANY_HINT + hint)


def text(max_len: int) -> Text:
    return Text(max_len=max_len)


def number(max_len: int) -> Text:
    """A document number: printable ASCII, no spaces."""
    return Text(max_len=max_len, pattern=r"[\x21-\x7e]+", hint="printable ASCII without spaces")


def digits(n: int, what: str) -> Text:
    return Text(length=n, pattern=rf"\d{{{n}}}", hint=f"{n} digits ({what})")


def one_of(*choices: str) -> Text:
    return Text(choices=choices)


GUID_RULE = Text(length=36, pattern=GUID.pattern, hint="an upper-case UUID (8-4-4-4-12 hex digits)")
CODE = company()
NAME = text(100)
NOTE = text(1000)
DEC = Dec()
GNUM = Int(5)
N9 = Int(9)
STAMP = Stamp()
CUSTOMS = digits(4, "customs district code")
CURRENCY = digits(3, "JGS currency code, 142 = CNY")
COUNTRY = digits(3, "JGS country code")
UNIT = digits(3, "JGS unit code")
HS_CODE = digits(10, "10-digit HS code")
PRE_NO = Text(length=18, pattern=r"[\x21-\x7e]+", hint="printable ASCII without spaces")
ONE_CHAR = Text(length=1, pattern=r"[0-9A-Z]", hint="one digit or upper-case letter (JGS code)")


def party(prefix: str, code: Text = CODE, *, optional: bool = False) -> tuple[Leaf, Leaf]:
    """``<prefix>Code`` + ``<prefix>Name`` from a ``Party`` attribute."""
    attr = snake(prefix)
    return (leaf(f"{prefix}Code", code, f"{attr}.code", optional=optional),
            leaf(f"{prefix}Name", NAME, f"{attr}.name", optional=optional))


STD4 = (
    leaf("guid", GUID_RULE),
    leaf("appType", one_of("1", "2", "3")),
    leaf("appTime", STAMP),
    leaf("appStatus", one_of("1", "2")),
)

# --- CEB303 Order ---------------------------------------------------------------------------------

ORDER = Group("Order", None, (
    Group("OrderHead", None, (
        *STD4,
        leaf("orderType", one_of("E", "B", "W")),
        leaf("orderNo", number(60)),
        *party("ebp", company("无", "; 无 for a foreign platform")),
        *party("ebc"),
        leaf("goodsValue", DEC),
        leaf("freight", DEC),
        leaf("currency", CURRENCY),
        leaf("note", NOTE, optional=True),
    )),
    Group("OrderList", "items", (
        leaf("gnum", GNUM),
        leaf("itemNo", text(30)),
        leaf("itemName", text(250)),
        leaf("itemDescribe", text(1000), optional=True),
        leaf("barCode", text(50), optional=True),
        leaf("unit", UNIT),
        leaf("currency", CURRENCY),
        leaf("qty", DEC),
        leaf("price", DEC),
        leaf("totalPrice", DEC),
        leaf("note", NOTE, optional=True),
    ), 1, MAX_RECORDS),
))

# --- CEB403 Receipts ------------------------------------------------------------------------------

RECEIPTS = Group("Receipts", None, (
    *STD4,
    *party("ebp", company("无", "; 无 for a foreign platform")),
    *party("ebc"),
    leaf("orderNo", number(60)),
    leaf("payCode", CODE, optional=True),
    leaf("payName", NAME),
    leaf("payNo", number(60), optional=True),
    leaf("charge", DEC),
    leaf("currency", CURRENCY),
    leaf("accountingDate", STAMP),
    leaf("note", NOTE, optional=True),
))

# --- CEB505 Logistics -----------------------------------------------------------------------------

LOGISTICS = Group("Logistics", None, (
    *STD4,
    *party("logistics"),
    leaf("logisticsNo", number(32)),
    leaf("freight", DEC),
    leaf("insuredFee", DEC),
    leaf("currency", CURRENCY),
    leaf("grossWeight", DEC),
    leaf("packNo", N9),
    leaf("goodsInfo", text(200)),
    *party("ebc", optional=True),
    leaf("ebcTelephone", text(50), optional=True),
    leaf("note", NOTE, optional=True),
))

# --- CEB507 Arrival -------------------------------------------------------------------------------

ARRIVAL = Group("Arrival", None, (
    Group("ArrivalHead", None, (
        *STD4,
        leaf("customsCode", CUSTOMS),
        leaf("copNo", number(30)),
        leaf("preNo", PRE_NO, optional=True),
        *party("operator"),
        leaf("loctNo", text(10), optional=True),
        leaf("ieFlag", one_of("I", "E")),
        leaf("trafMode", ONE_CHAR),
        leaf("billNo", number(37), optional=True),
        leaf("domesticTrafNo", text(100)),
        *party("logistics"),
        leaf("msgCount", N9),
        leaf("msgSeqNo", N9),
        leaf("note", NOTE, optional=True),
    )),
    Group("ArrivalList", "lines", (
        leaf("gnum", GNUM, "@position"),
        leaf("logisticsNo", number(32)),
        leaf("totalPackageNo", text(37), optional=True),
        leaf("note", NOTE, optional=True),
    ), 0, None),
))

# --- CEB509 Departure -----------------------------------------------------------------------------

DEPARTURE = Group("Departure", None, (
    Group("DepartureHead", None, (
        *STD4,
        leaf("customsCode", CUSTOMS),
        leaf("copNo", number(30)),
        leaf("preNo", PRE_NO, optional=True),
        *party("logistics"),
        leaf("trafMode", ONE_CHAR),
        leaf("trafName", text(100), optional=True),
        leaf("voyageNo", text(32), optional=True),
        leaf("billNo", number(37), optional=True),
        leaf("leaveTime", STAMP),
        leaf("msgCount", N9),
        leaf("msgSeqNo", N9),
        leaf("note", NOTE, optional=True),
    )),
    Group("DepartureList", "lines", (
        leaf("gnum", GNUM, "@position"),
        leaf("totalPackageNo", text(37), optional=True),
        leaf("logisticsNo", number(32)),
        leaf("note", NOTE, optional=True),
    ), 1, None),
))

# --- CEB603 Inventory -----------------------------------------------------------------------------

INVENTORY = Group("Inventory", None, (
    Group("InventoryHead", None, (
        *STD4,
        leaf("customsCode", CUSTOMS),
        *party("ebp", company("无", "; 无 for a foreign platform")),
        leaf("orderNo", number(60)),
        *party("logistics"),
        leaf("logisticsNo", number(32)),
        leaf("copNo", number(30)),
        leaf("preNo", PRE_NO, optional=True),
        leaf("invtNo", number(20), optional=True),
        leaf("ieFlag", one_of("E")),
        leaf("portCode", CUSTOMS),
        leaf("ieDate", Day()),
        leaf("statisticsFlag", one_of("A", "B")),
        *party("agent"),
        *party("ebc"),
        *party("owner", company("NO", "; NO if not registered with customs")),
        *party("iac", optional=True),
        leaf("emsNo", number(30), optional=True),
        leaf("tradeMode", one_of(*EXPORT_TRADE_MODES)),
        leaf("trafMode", ONE_CHAR),
        leaf("trafName", text(100), optional=True),
        leaf("voyageNo", text(32), optional=True),
        leaf("billNo", number(37), optional=True),
        leaf("totalPackageNo", text(37), optional=True),
        leaf("loctNo", text(10), optional=True),
        leaf("licenseNo", text(19), optional=True),
        leaf("country", COUNTRY),
        leaf("POD", Text(max_len=4, pattern=r"[0-9A-Z]{3,4}", hint="3 or 4 digits / upper-case letters")),
        leaf("freight", DEC),
        leaf("fCurrency", CURRENCY),
        leaf("fFlag", one_of("1", "2", "3")),
        leaf("insuredFee", DEC),
        leaf("iCurrency", CURRENCY),
        leaf("iFlag", one_of("1", "2", "3")),
        leaf("wrapType", ONE_CHAR),
        leaf("packNo", N9),
        leaf("grossWeight", DEC),
        leaf("netWeight", DEC),
        leaf("note", NOTE, optional=True),
    )),
    Group("InventoryList", "items", (
        leaf("gnum", GNUM),
        leaf("itemNo", text(20)),
        leaf("itemRecordNo", text(30), optional=True),
        leaf("itemName", text(250), optional=True),
        leaf("gcode", HS_CODE),
        leaf("gname", text(250)),
        leaf("gmodel", text(250)),
        leaf("barCode", text(50)),
        leaf("country", COUNTRY),
        leaf("currency", CURRENCY),
        leaf("qty", DEC),
        leaf("qty1", DEC),
        leaf("qty2", DEC, optional=True),
        leaf("unit", UNIT),
        leaf("unit1", UNIT),
        leaf("unit2", UNIT, optional=True),
        leaf("price", DEC),
        leaf("totalPrice", DEC),
        leaf("note", NOTE, optional=True),
    ), 1, MAX_RECORDS),
))

# --- CEB605 InvtCancel ----------------------------------------------------------------------------

INVT_CANCEL = Group("InvtCancel", None, (
    *STD4,
    leaf("customsCode", CUSTOMS),
    leaf("copNo", number(30)),
    leaf("preNo", PRE_NO, optional=True),
    leaf("invtNo", number(20)),
    leaf("reason", text(1000)),
    *party("agent"),
    *party("ebc"),
    leaf("note", NOTE, optional=True),
))

# --- CEB607 WayBill -------------------------------------------------------------------------------

WAY_BILL = Group("WayBill", None, (
    Group("WayBillHead", None, (
        *STD4,
        leaf("customsCode", CUSTOMS),
        leaf("copNo", number(30)),
        leaf("preNo", PRE_NO, optional=True),
        *party("agent"),
        leaf("loctNo", text(10), optional=True),
        leaf("trafMode", ONE_CHAR),
        leaf("trafName", text(100)),
        leaf("voyageNo", text(32)),
        leaf("billNo", number(37)),
        leaf("domesticTrafNo", text(100), optional=True),
        leaf("grossWeight", DEC),
        *party("logistics"),
        leaf("msgCount", N9),
        leaf("msgSeqNo", N9),
        leaf("note", NOTE, optional=True),
    )),
    Group("WayBillList", "lines", (
        leaf("gnum", GNUM, "@position"),
        leaf("totalPackageNo", text(60), optional=True),
        leaf("logisticsNo", number(32)),
        leaf("invtNo", number(20), optional=True),
        leaf("note", NOTE, optional=True),
    ), 1, None),
))

# --- CEB701 SummaryApply --------------------------------------------------------------------------

SUMMARY_APPLY = Group("SummaryApply", None, (
    Group("SummaryApplyHead", None, (
        *STD4,
        leaf("customsCode", CUSTOMS),
        leaf("copNo", number(30)),
        leaf("preNo", number(18), optional=True),
        leaf("sumNo", number(18), optional=True),
        *party("agent"),
        *party("ebc"),
        *party("declAgent"),
        leaf("startTime", STAMP, optional=True),
        leaf("endTime", STAMP, optional=True),
        leaf("loctNo", text(10), optional=True),
        leaf("summaryFlag", one_of("1", "2")),
        leaf("itemNameFlag", Text(length=1, pattern=r"\d", hint="one digit (1 = by original itemName)")),
        leaf("msgCount", N9),
        leaf("msgSeqNo", N9),
        leaf("note", NOTE, optional=True),
    )),
    Group("SummaryApplyList", "invt_nos", (
        leaf("invtNo", number(20), "."),
    ), 0, None),
))

# --- envelope parts -------------------------------------------------------------------------------

BASE_TRANSFER = Group("BaseTransfer", None, (
    leaf("copCode", CODE),
    leaf("copName", NAME),
    leaf("dxpMode", one_of("DXP")),
    leaf("dxpId", number(30)),
    leaf("note", NOTE, optional=True),
))

BASE_SUBSCRIBE = Group("BaseSubscribe", None, (
    leaf("status", one_of("ALL", "DATA", "RET")),
    leaf("dxpMode", one_of("DXP")),
    leaf("dxpAddress", text(100)),
    leaf("note", NOTE, optional=True),
))


@dataclass(frozen=True)
class MessageType:
    """One data message: ``CEB303`` → root ``CEB303Message`` holding 1..100 ``Order`` elements."""

    code: str
    record: type[Record]
    element: Group
    title: str

    @property
    def root(self) -> str:
        return f"{self.code}Message"


MESSAGE_TYPES: dict[str, MessageType] = {m.code: m for m in (
    MessageType("CEB303", OrderRecord, ORDER, "电子订单 order"),
    MessageType("CEB403", PaymentRecord, RECEIPTS, "收款单 receipt of payment"),
    MessageType("CEB505", WaybillRecord, LOGISTICS, "运单 waybill"),
    MessageType("CEB507", ArrivalRecord, ARRIVAL, "运抵单 arrival"),
    MessageType("CEB509", DepartureRecord, DEPARTURE, "离境单 departure"),
    MessageType("CEB603", InventoryRecord, INVENTORY, "申报清单 export list"),
    MessageType("CEB605", InventoryCancel, INVT_CANCEL, "撤销申请单 list cancellation"),
    MessageType("CEB607", WaybillBill, WAY_BILL, "清单总分单 master bill"),
    MessageType("CEB701", SummaryApply, SUMMARY_APPLY, "汇总申请单 summary request"),
)}


def message_type(value: str | MessageType) -> MessageType:
    """``"CEB303"``, ``"CEB303Message"``, ``"303"`` or a ``MessageType`` → the ``MessageType``."""
    if isinstance(value, MessageType):
        return value
    code = str(value).strip().upper().removesuffix("MESSAGE")
    if code.isdigit():
        code = "CEB" + code
    try:
        return MESSAGE_TYPES[code]
    except KeyError:
        known = ", ".join(MESSAGE_TYPES)
        raise ValueError(f"unknown CEB export data message {value!r}; known: {known}") from None


def message_type_of(record: Record) -> MessageType:
    for spec in MESSAGE_TYPES.values():
        if type(record) is spec.record:
            return spec
    raise TypeError(f"{type(record).__name__} is not a CEB record")


def all_groups(group: Group) -> list[Group]:
    """``group`` and every group under it, depth first (for tests comparing with the XSD)."""
    found = [group]
    for child in group.children:
        if isinstance(child, Group):
            found.extend(all_groups(child))
    return found
