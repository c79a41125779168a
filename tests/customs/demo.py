"""Demo records for the CEB tests: a bonded export of TWS earbuds from 前海综保区 (customs 5349) to the USA.

``record(code)`` gives a plain valid record of each message type; ``full(code)`` one with every
optional element filled, to compare element order with the XSD.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from wms.customs.ceb import (
    CHINA_TZ, AppType, ArrivalLine, ArrivalRecord, BaseSubscribe, BaseTransfer, DepartureLine,
    DepartureRecord, InventoryCancel, InventoryItem, InventoryRecord, OrderItem, OrderRecord, Party,
    PaymentRecord, SummaryApply, WaybillBill, WaybillLine, WaybillRecord)

APP_TIME = datetime(2024, 5, 7, 15, 30, 1, tzinfo=CHINA_TZ)
EBP = Party("91440300MA5GP23YX4", "深圳跨境优选电子商务平台有限公司")
EBC = Party("4403960ANK", "深圳安可跨境电商有限公司")
CARRIER = Party("4403980YTO", "圆通速递（深圳）有限公司")
AGENT = Party("4403980BGH", "深圳前海恒通报关有限公司")
IAC = Party("4403640WMS", "深圳前海综保区保税仓储有限公司")
OPERATOR = Party("4403640OPR", "深圳前海湾监管场所经营有限公司")
CUSTOMS = "5349"
EMS_NO = "T5349W000101"
WAYBILL_NO = "YT2432100000123456"
TRANSFER = BaseTransfer(cop_code="4403960ANK", cop_name="深圳安可跨境电商有限公司", dxp_id="DXPENT0000012345")
SUBSCRIBE = BaseSubscribe(status="ALL", dxp_address="DXPENT0000067890", note="报关行订阅回执")


def order_no(n: int) -> str:
    return f"SO24050700{n:04d}"


def waybill_no(n: int) -> str:
    return f"YT24321000001{n:05d}"


def order(n: int = 1, **changes) -> OrderRecord:
    record = OrderRecord(
        app_time=APP_TIME, order_no=order_no(n), ebp=EBP, ebc=EBC, goods_value=Decimal("259.80"),
        freight=Decimal("0"), currency="142",
        items=[
            OrderItem(gnum=1, item_no="ANK-TWS-A40", item_name="TWS真无线蓝牙耳机", unit="011", currency="142",
                      qty=Decimal(2), price=Decimal("99.90"), total_price=Decimal("199.80")),
            OrderItem(gnum=2, item_no="ANK-HP-Q20", item_name="头戴式降噪耳机", unit="011", currency="142",
                      qty=Decimal(1), price=Decimal("60.00"), total_price=Decimal("60.00")),
        ])
    return replace(record, **changes)


def payment(n: int = 1, **changes) -> PaymentRecord:
    record = PaymentRecord(
        app_time=APP_TIME, ebp=EBP, ebc=EBC, order_no=order_no(n), pay_name="现金支付", charge=Decimal("259.80"),
        currency="142", accounting_date=datetime(2024, 5, 7, 10, 2, 3, tzinfo=CHINA_TZ))
    return replace(record, **changes)


def waybill(n: int = 1, **changes) -> WaybillRecord:
    record = WaybillRecord(
        app_time=APP_TIME, logistics=CARRIER, logistics_no=waybill_no(n), freight=Decimal("35.5"),
        insured_fee=Decimal("0"), currency="142", gross_weight=Decimal("0.86"), pack_no=1,
        goods_info="TWS真无线蓝牙耳机2件,头戴式降噪耳机1件")
    return replace(record, **changes)


def inventory_item(gnum: int, **changes) -> InventoryItem:
    item = InventoryItem(
        gnum=gnum, item_no="ANK-TWS-A40", item_record_no="A0001", item_name="TWS真无线蓝牙耳机",
        gcode="8517629400", gname="无线耳机", gmodel="蓝牙5.3|入耳式|品牌:ANKE|型号A40", bar_code="6970000000017",
        country="502", currency="142", qty=Decimal(2), unit="011", qty1=Decimal(2), unit1="011",
        price=Decimal("99.9"), total_price=Decimal("199.8"))
    return replace(item, **changes)


def inventory(n: int = 1, trade_mode: str = "1210", **changes) -> InventoryRecord:
    bonded = trade_mode in ("1210", "1239")
    items = [inventory_item(1),
             inventory_item(2, item_no="ANK-HP-Q20", item_record_no="A0002", item_name="头戴式降噪耳机",
                            gcode="8518300000", gname="头戴式耳机", gmodel="有线+蓝牙|头戴式|品牌:ANKE|型号Q20",
                            bar_code="无", qty=Decimal(1), qty1=Decimal(1), price=Decimal(60),
                            total_price=Decimal(60))]
    if not bonded:
        items = [replace(item, item_record_no=None) for item in items]
    record = InventoryRecord(
        app_time=APP_TIME, customs_code=CUSTOMS, ebp=EBP, order_no=order_no(n), logistics=CARRIER,
        logistics_no=waybill_no(n), cop_no=f"ANK-INV-{n:06d}", port_code="5349", ie_date=date(2024, 5, 8),
        statistics_flag="B", agent=AGENT, ebc=EBC, owner=EBC, trade_mode=trade_mode, traf_mode="5",
        country="502", pod="USA", freight=Decimal("35.5"), f_currency="142", f_flag="3",
        insured_fee=Decimal(0), i_currency="142", i_flag="3", wrap_type="2", pack_no=1,
        gross_weight=Decimal("0.86"), net_weight=Decimal("0.62"), items=items,
        iac=IAC if bonded else None, ems_no=EMS_NO if bonded else None)
    return replace(record, **changes)


def cancel(**changes) -> InventoryCancel:
    record = InventoryCancel(
        app_time=APP_TIME, customs_code=CUSTOMS, cop_no="ANK-CXL-000001", invt_no="53492024E000012345",
        reason="买家取消订单，申请撤销清单", agent=AGENT, ebc=EBC)
    return replace(record, **changes)


def arrival(lines: int = 3, **changes) -> ArrivalRecord:
    record = ArrivalRecord(
        app_time=APP_TIME, customs_code=CUSTOMS, cop_no="ANK-ARR-000001", operator=OPERATOR, traf_mode="4",
        domestic_traf_no="粤B12345", logistics=CARRIER, bill_no="MAWB78412345678",
        lines=[ArrivalLine(logistics_no=waybill_no(n)) for n in range(1, lines + 1)])
    return replace(record, **changes)


def departure(lines: int = 3, **changes) -> DepartureRecord:
    record = DepartureRecord(
        app_time=APP_TIME, customs_code=CUSTOMS, cop_no="ANK-DEP-000001", logistics=CARRIER, traf_mode="5",
        leave_time=datetime(2024, 5, 9, 23, 45, tzinfo=CHINA_TZ), traf_name="CA1234", voyage_no="CA1234/0509",
        bill_no="999-12345675",
        lines=[DepartureLine(logistics_no=waybill_no(n)) for n in range(1, lines + 1)])
    return replace(record, **changes)


def waybill_bill(lines: int = 3, **changes) -> WaybillBill:
    record = WaybillBill(
        app_time=APP_TIME, customs_code=CUSTOMS, cop_no="ANK-WB-000001", agent=AGENT, traf_mode="5",
        traf_name="CA1234", voyage_no="CA1234/0509", bill_no="999-12345675", gross_weight=Decimal("2.58"),
        logistics=CARRIER,
        lines=[WaybillLine(logistics_no=waybill_no(n)) for n in range(1, lines + 1)])
    return replace(record, **changes)


def summary(invt_nos: int = 3, **changes) -> SummaryApply:
    record = SummaryApply(
        app_time=APP_TIME, customs_code=CUSTOMS, cop_no="ANK-SUM-202405", agent=AGENT, ebc=EBC,
        decl_agent=AGENT,
        invt_nos=[f"53492024E{n:09d}" for n in range(1, invt_nos + 1)])
    return replace(record, **changes)


RECORDS = {"CEB303": order, "CEB403": payment, "CEB505": waybill, "CEB507": arrival, "CEB509": departure,
           "CEB603": inventory, "CEB605": cancel, "CEB607": waybill_bill, "CEB701": summary}


def record(code: str):
    return RECORDS[code]()


def full(code: str):
    """A record of ``code`` with every optional element given a value."""
    note = "备注"
    if code == "CEB303":
        base = order()
        items = [replace(i, item_describe="降噪蓝牙耳机，续航30小时", bar_code="6970000000017", note=note)
                 for i in base.items]
        return replace(base, note=note, items=items)
    if code == "CEB403":
        return payment(pay_code="4403960PAY", pay_no="PAY20240507000001", note=note)
    if code == "CEB505":
        return waybill(ebc=EBC, ebc_telephone="0755-86001234", note=note)
    if code == "CEB507":
        base = arrival(pre_no="B20240507000000001", loct_no="5349A", note=note)
        return replace(base, lines=[replace(l, total_package_no="PLT0001", note=note) for l in base.lines])
    if code == "CEB509":
        base = departure(pre_no="B20240509000000001", note=note)
        return replace(base, lines=[replace(l, total_package_no="PLT0001", note=note) for l in base.lines])
    if code == "CEB603":
        base = inventory(pre_no="B20240507000000123", invt_no="53492024E000012345", traf_name="CA1234",
                         voyage_no="CA1234/0509", bill_no="999-12345675", total_package_no="PLT0001",
                         loct_no="5349A", license_no="24-AA-000001", note=note, app_type=AppType.CHANGE)
        items = [replace(i, qty2=Decimal("0.25"), unit2="035", note=note) for i in base.items]
        return replace(base, items=items)
    if code == "CEB605":
        return cancel(pre_no="B20240507000000123", note=note)
    if code == "CEB607":
        base = waybill_bill(pre_no="B20240509000000002", loct_no="5349A", domestic_traf_no="粤B12345",
                            note=note)
        lines = [replace(line, total_package_no="PLT0001", invt_no="53492024E000012345", note=note)
                 for line in base.lines]
        return replace(base, lines=lines)
    if code == "CEB701":
        return summary(pre_no="B20240601000000001", sum_no="53492024S000000001",
                       start_time=datetime(2024, 5, 1, tzinfo=CHINA_TZ),
                       end_time=datetime(2024, 5, 31, 23, 59, 59, tzinfo=CHINA_TZ), loct_no="5349A",
                       note=note)
    raise KeyError(code)
