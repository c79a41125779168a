"""Bad values are refused before any XML is built, naming the record and the field."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

import pytest

from tests.customs import demo
from wms.customs.ceb import AppType, CebError, CebFieldError, Party, build, validate


def with_lines(record, **changes_by_position):
    """``record`` with the changes ``{"l2": {"gcode": …}}`` applied to its lines (1-based)."""
    lines = [replace(line, **changes_by_position.get(f"l{n}", {})) for n, line in enumerate(record.items, 1)]
    return replace(record, items=lines)


def refused(code: str, record) -> CebFieldError:
    with pytest.raises(CebFieldError) as error:
        build(code, [record], demo.TRANSFER)
    return error.value


def test_too_long_order_number_names_record_and_field():
    error = refused("CEB303", demo.order(order_no="SO" + "9" * 59))
    assert error.field == "orderNo"
    assert error.record == f"OrderRecord(orderNo=SO{'9' * 59})"
    assert "too long: at most 60 characters, has 61" in error.rule
    assert str(error).startswith("OrderRecord(orderNo=SO999")
    assert isinstance(error, CebError) and isinstance(error, ValueError)


def test_eleven_digit_hs_code_names_the_line():
    error = refused("CEB603", with_lines(demo.inventory(), l2={"gcode": "85183000001"}))
    assert error.field == "InventoryList[2].gcode"
    assert error.value == "85183000001"
    assert "exactly 10 characters" in error.rule
    assert error.record == "InventoryRecord(copNo=ANK-INV-000001, orderNo=SO240507000001)"


def test_hs_code_with_letters():
    error = refused("CEB603", with_lines(demo.inventory(), l1={"gcode": "85183000AB"}))
    assert error.field == "InventoryList[1].gcode" and "wrong characters" in error.rule


@pytest.mark.parametrize("code, record, field", [
    ("CEB505", demo.waybill(logistics_no=None), "logisticsNo"),
    ("CEB505", demo.waybill(goods_info=""), "goodsInfo"),
    ("CEB303", demo.order(ebc=Party("4403960ANK", "")), "ebcName"),
    ("CEB603", demo.inventory(ebp=None), "ebpCode"),
    ("CEB403", demo.payment(accounting_date=None), "accountingDate"),
    ("CEB509", demo.departure(leave_time=None), "leaveTime"),
    ("CEB607", demo.waybill_bill(voyage_no=None), "voyageNo"),
    ("CEB605", demo.cancel(reason=""), "reason"),
])
def test_missing_required_values(code, record, field):
    error = refused(code, record)
    assert (error.field, error.rule) == (field, "required")


def test_missing_required_value_on_a_line():
    error = refused("CEB303", with_lines(demo.order(), l2={"item_name": None}))
    assert error.field == "OrderList[2].itemName" and error.rule == "required"


def test_a_given_optional_party_needs_code_and_name():
    error = refused("CEB505", demo.waybill(ebc=Party("4403960ANK", "")))
    assert (error.field, error.rule) == ("ebcName", "required")


@pytest.mark.parametrize("code, record, field, words", [
    ("CEB303", demo.order(currency="CNY"), "currency", "3 digits"),
    ("CEB303", demo.order(ebc=Party("4403-960", "深圳安可跨境电商有限公司")), "ebcCode", "customs code"),
    ("CEB303", demo.order(order_no="SO 123"), "orderNo", "without spaces"),
    ("CEB303", demo.order(order_type="I"), "orderType", "one of E, B, W"),
    ("CEB303", demo.order(note="bad\x01char"), "note", "control characters"),
    ("CEB603", demo.inventory(customs_code="53A9"), "customsCode", "4 digits"),
    ("CEB603", demo.inventory(trade_mode="0101"), "tradeMode", "one of"),
    ("CEB603", demo.inventory(ie_flag="I"), "ieFlag", "one of E"),
    ("CEB603", demo.inventory(statistics_flag="C"), "statisticsFlag", "one of A, B"),
    ("CEB603", demo.inventory(pre_no="B2024"), "preNo", "exactly 18"),
    ("CEB603", demo.inventory(pack_no=0), "packNo", "from 1"),
    ("CEB603", demo.inventory(gross_weight=0.86), "grossWeight", "not float"),
    ("CEB603", demo.inventory(freight=Decimal("1.123456")), "freight", "5 decimal places"),
    ("CEB303", demo.order(app_type="4"), "appType", "one of 1, 2, 3"),
    ("CEB303", demo.order(app_time=datetime(2024, 5, 7, 15, 30)), "appTime", "naive datetime"),
    ("CEB303", demo.order(guid="4cde1cfd-eded-46b1-946c-b8022e42fc94"), "guid", "upper-case UUID"),
])
def test_wrong_values(code, record, field, words):
    error = refused(code, record)
    assert error.field == field
    assert words in error.rule


def test_bonded_export_needs_the_account_book():
    assert refused("CEB603", demo.inventory(ems_no=None)).field == "emsNo"
    assert refused("CEB603", demo.inventory(iac=None)).field == "iacCode"
    error = refused("CEB603", with_lines(demo.inventory(), l2={"item_record_no": None}))
    assert error.field == "InventoryList[2].itemRecordNo"
    assert "special-zone export (tradeMode 1210)" in error.rule


def test_general_export_needs_no_account_book():
    validate(demo.inventory(trade_mode="9610"))


def test_line_numbers_must_run_from_one():
    error = refused("CEB303", with_lines(demo.order(), l2={"gnum": 3}))
    assert error.field == "OrderList[2].gnum" and "expected 2" in error.rule


def test_second_quantity_and_unit_go_together():
    error = refused("CEB603", with_lines(demo.inventory(), l1={"qty2": Decimal(1)}))
    assert error.field == "InventoryList[1].unit2"


def test_net_weight_within_gross_weight():
    error = refused("CEB603", demo.inventory(net_weight=Decimal("0.9")))
    assert error.field == "netWeight" and "at most grossWeight" in error.rule


def test_changing_a_list_sends_its_portal_number():
    error = refused("CEB603", demo.inventory(app_type=AppType.CHANGE))
    assert error.field == "preNo"
    validate(demo.inventory(app_type=AppType.DELETE, invt_no="53492024E000012345"))


def test_summary_window_rules():
    start = datetime(2024, 5, 1, tzinfo=demo.CHINA_TZ)
    assert refused("CEB701", demo.summary(start_time=start)).field == "endTime"
    before = datetime(2024, 4, 1, tzinfo=demo.CHINA_TZ)
    error = refused("CEB701", demo.summary(start_time=start, end_time=before))
    assert error.field == "endTime" and "before startTime" in error.rule
    assert refused("CEB701", demo.summary(invt_nos=0)).field == "SummaryApplyList"


def test_list_bounds():
    error = refused("CEB509", demo.departure(lines=0))
    assert error.field == "DepartureList" and "at least 1" in error.rule
    record = demo.order()
    many = [replace(record.items[0], gnum=n) for n in range(1, 102)]
    assert "1 to 100" in refused("CEB303", replace(record, items=many)).rule


def test_transfer_is_checked_too():
    with pytest.raises(CebFieldError) as error:
        build("CEB303", [demo.order()], replace(demo.TRANSFER, dxp_mode="FTP"))
    assert (error.value.record, error.value.field) == ("BaseTransfer", "dxpMode")


def test_validate_checks_one_record_without_building():
    validate(demo.order())
    with pytest.raises(CebFieldError, match="orderNo"):
        validate(demo.order(order_no="x" * 61))
