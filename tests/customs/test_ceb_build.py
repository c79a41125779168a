"""CEB export data messages: every type validates against the official 202205 XSD, in XSD order."""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from lxml import etree

from tests.customs import demo
from wms.customs.ceb import CEB_NS, MESSAGE_TYPES, CebFieldError, build
from wms.customs.ceb.spec import BASE_SUBSCRIBE, BASE_TRANSFER, all_groups
from wms.customs.ceb.values import decimal_text, RuleBroken

NS = {"ceb": CEB_NS}
DATA_TYPES = list(MESSAGE_TYPES)


def built(code: str, records=None, transfer=demo.TRANSFER, **kwargs) -> etree._Element:
    records = records if records is not None else [demo.record(code)]
    return etree.fromstring(build(code, records, transfer, **kwargs))


def local_names(element: etree._Element) -> list[str]:
    return [etree.QName(child).localname for child in element]


def collapsed(names: list[str]) -> list[str]:
    """Repeated siblings (OrderList, OrderList…) counted once, for comparing with an XSD sequence."""
    return [name for i, name in enumerate(names) if i == 0 or names[i - 1] != name]


@pytest.mark.parametrize("code", DATA_TYPES)
def test_every_message_type_is_valid(code, export_schema):
    doc = built(code)
    export_schema.assertValid(doc)
    assert doc.tag == f"{{{CEB_NS}}}{code}Message"
    assert doc.get("version") == "1.0"
    assert doc.nsmap == {"ceb": CEB_NS}
    assert str(uuid.UUID(doc.get("guid"))).upper() == doc.get("guid")


@pytest.mark.parametrize("trade_mode", ["1210", "9610", "9710", "9810"])
def test_export_list_is_valid_for_each_trade_mode(trade_mode, export_schema):
    doc = built("CEB603", [demo.inventory(trade_mode=trade_mode)])
    export_schema.assertValid(doc)
    head = doc.find("ceb:Inventory/ceb:InventoryHead", NS)
    assert head.findtext("ceb:tradeMode", namespaces=NS) == trade_mode
    bonded = trade_mode == "1210"
    assert (head.find("ceb:emsNo", NS) is not None) is bonded
    assert (head.findtext("ceb:iacName", namespaces=NS) == "深圳前海综保区保税仓储有限公司") is bonded
    record_nos = doc.findall("ceb:Inventory/ceb:InventoryList/ceb:itemRecordNo", NS)
    assert [e.text for e in record_nos] == (["A0001", "A0002"] if bonded else [])


def test_bonded_list_carries_book_and_zone_warehouse(export_schema):
    doc = built("CEB603")
    head = doc.find("ceb:Inventory/ceb:InventoryHead", NS)
    assert head.findtext("ceb:emsNo", namespaces=NS) == "T5349W000101"
    assert head.findtext("ceb:iacCode", namespaces=NS) == "4403640WMS"
    assert head.findtext("ceb:customsCode", namespaces=NS) == "5349"
    lines = doc.findall("ceb:Inventory/ceb:InventoryList", NS)
    assert [line.findtext("ceb:gcode", namespaces=NS) for line in lines] == ["8517629400", "8518300000"]
    assert lines[0].findtext("ceb:itemName", namespaces=NS) == "TWS真无线蓝牙耳机"


@pytest.mark.parametrize("code", DATA_TYPES)
def test_full_records_follow_the_xsd_sequence_exactly(code, export_schema, xsd_sequence):
    transfer = replace(demo.TRANSFER, note="经由安可单一窗口客户端发送")
    doc = built(code, [demo.full(code)], transfer, subscribe=demo.SUBSCRIBE)
    export_schema.assertValid(doc)
    xsd_root = [n for n in xsd_sequence(f"{code}Message") if n not in ("Signature", "ExtendMessage")]
    assert collapsed(local_names(doc)) == xsd_root
    checked = 0
    for element in doc.iter(f"{{{CEB_NS}}}*"):
        name = etree.QName(element).localname
        if len(element) and name != f"{code}Message":
            assert collapsed(local_names(element)) == xsd_sequence(name), name
            checked += 1
    assert checked >= 3


@pytest.mark.parametrize("code", DATA_TYPES)
def test_spec_tables_mirror_the_xsd(code, xsd_sequence):
    for group in all_groups(MESSAGE_TYPES[code].element):
        assert list(group.names()) == xsd_sequence(group.name), group.name


def test_envelope_tables_mirror_the_xsd(xsd_sequence):
    assert list(BASE_TRANSFER.names()) == xsd_sequence("BaseTransfer")
    assert list(BASE_SUBSCRIBE.names()) == xsd_sequence("BaseSubscribe")


def test_optional_elements_are_left_out_when_empty(export_schema):
    doc = built("CEB603", [demo.inventory(trade_mode="9610", note="", bill_no=None)])
    export_schema.assertValid(doc)
    head = doc.find("ceb:Inventory/ceb:InventoryHead", NS)
    for name in ("note", "billNo", "preNo", "invtNo", "iacCode", "iacName", "emsNo", "trafName", "licenseNo"):
        assert head.find(f"ceb:{name}", NS) is None, name


def test_an_arrival_may_have_no_lines(export_schema):
    doc = built("CEB507", [demo.arrival(lines=0, bill_no=None)])
    export_schema.assertValid(doc)
    assert doc.find("ceb:Arrival/ceb:ArrivalList", NS) is None


def test_a_summary_over_a_time_window_needs_no_lists(export_schema):
    record = demo.summary(invt_nos=0, start_time=datetime(2024, 5, 1, tzinfo=demo.CHINA_TZ),
                          end_time=datetime(2024, 5, 31, 23, 59, 59, tzinfo=demo.CHINA_TZ))
    doc = built("CEB701", [record])
    export_schema.assertValid(doc)
    head = doc.find("ceb:SummaryApply/ceb:SummaryApplyHead", NS)
    assert head.findtext("ceb:startTime", namespaces=NS) == "20240501000000"
    assert head.findtext("ceb:endTime", namespaces=NS) == "20240531235959"


def test_positional_line_numbers_start_at_one():
    doc = built("CEB509")
    assert [e.text for e in doc.findall("ceb:Departure/ceb:DepartureList/ceb:gnum", NS)] == ["1", "2", "3"]


def test_std4_values_and_china_time():
    utc = datetime(2024, 5, 7, 7, 30, 1, tzinfo=timezone.utc)
    record = demo.order(app_time=utc, guid="4CDE1CFD-EDED-46B1-946C-B8022E42FC94")
    head = built("CEB303", [record]).find("ceb:Order/ceb:OrderHead", NS)
    assert local_names(head)[:4] == ["guid", "appType", "appTime", "appStatus"]
    assert head.findtext("ceb:guid", namespaces=NS) == "4CDE1CFD-EDED-46B1-946C-B8022E42FC94"
    assert head.findtext("ceb:appType", namespaces=NS) == "1"
    assert head.findtext("ceb:appTime", namespaces=NS) == "20240507153001"


@pytest.mark.parametrize("code, status", [("CEB303", "1"), ("CEB403", "1"), ("CEB505", "2"), ("CEB507", "1"),
                                          ("CEB509", "1"), ("CEB603", "1"), ("CEB605", "1"), ("CEB607", "1"),
                                          ("CEB701", "2")])
def test_default_app_status_per_message_type(code, status):
    doc = built(code)
    assert doc.xpath("string(./*[1]//ceb:appStatus)", namespaces=NS) == status


def test_record_guids_are_new_upper_case_uuids():
    first, second = demo.order(1), demo.order(2)
    assert first.guid != second.guid
    for guid in (first.guid, second.guid):
        assert guid == guid.upper() and uuid.UUID(guid).version == 4


def test_message_guid_is_kept_when_given():
    guid = "311AF125-6FED-4603-8C5D-49B1FA4B4B9B"
    assert built("CEB303", message_guid=guid).get("guid") == guid


def test_lower_case_message_guid_is_refused():
    with pytest.raises(CebFieldError) as error:
        built("CEB303", message_guid="311af125-6fed-4603-8c5d-49b1fa4b4b9b")
    assert error.value.field == "guid" and error.value.record == "CEB303Message"


def test_decimals_are_plain_and_within_n19_5():
    assert decimal_text(Decimal("12.50000")) == "12.5"
    assert decimal_text(Decimal("1E+2")) == "100"
    assert decimal_text(Decimal("0.00")) == "0"
    assert decimal_text(7) == "7"
    assert decimal_text(Decimal("12345678912345.12345")) == "12345678912345.12345"
    assert decimal_text(Decimal("0.00001")) == "0.00001"
    too_long = Decimal("123456789012345.12345")
    for bad in (Decimal("0.000001"), too_long, Decimal("-1"), Decimal("NaN"), 1.5, "1"):
        with pytest.raises(RuleBroken):
            decimal_text(bad)


def test_decimal_values_in_the_message():
    doc = built("CEB303", [demo.order(goods_value=Decimal("259.80000"))])
    head = doc.find("ceb:Order/ceb:OrderHead", NS)
    assert head.findtext("ceb:goodsValue", namespaces=NS) == "259.8"
    assert head.findtext("ceb:freight", namespaces=NS) == "0"
    assert "E" not in "".join(doc.xpath("//ceb:qty/text()|//ceb:price/text()", namespaces=NS))


def test_no_signature_and_transfer_after_the_records(export_schema):
    doc = built("CEB603", subscribe=[demo.SUBSCRIBE, demo.SUBSCRIBE])
    export_schema.assertValid(doc)
    assert local_names(doc) == ["Inventory", "BaseTransfer", "BaseSubscribe", "BaseSubscribe"]
    assert doc.find(".//{http://www.w3.org/2000/09/xmldsig#}Signature") is None
    transfer = doc.find("ceb:BaseTransfer", NS)
    assert local_names(transfer) == ["copCode", "copName", "dxpMode", "dxpId"]
    assert transfer.findtext("ceb:dxpMode", namespaces=NS) == "DXP"


def test_output_is_utf8_with_declaration():
    xml = build("CEB303", [demo.order()], demo.TRANSFER)
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert "深圳安可跨境电商有限公司".encode() in xml


def test_at_most_five_subscribers():
    with pytest.raises(CebFieldError, match="at most 5"):
        build("CEB303", [demo.order()], demo.TRANSFER, subscribe=[demo.SUBSCRIBE] * 6)


def test_records_must_match_the_message_type():
    with pytest.raises(TypeError, match="CEB303Message takes OrderRecord, got PaymentRecord"):
        build("CEB303", [demo.payment()], demo.TRANSFER)


@pytest.mark.parametrize("name", ["CEB303", "CEB303Message", "303"])
def test_message_type_spellings(name):
    assert etree.fromstring(build(name, [demo.order()], demo.TRANSFER)).tag.endswith("CEB303Message")


def test_unknown_message_type():
    with pytest.raises(ValueError, match="unknown CEB export data message"):
        build("CEB311", [demo.order()], demo.TRANSFER)
