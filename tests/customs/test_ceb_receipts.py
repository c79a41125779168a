"""Receipts: every official export receipt sample, CEB900, DXP-wrapped input and malformed input."""
from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

import pytest
from lxml import etree

from tests.customs.conftest import SAMPLES
from wms.customs.ceb import CHINA_TZ, CebParseError, ReturnStatus, parse_receipt, wrap_dxp

SAMPLE_TIME = datetime(2018, 5, 7, 15, 30, 1, 1000, tzinfo=CHINA_TZ)
SUMMARY_TIME = datetime(2018, 5, 8, 10, 11, 12, 12000, tzinfo=CHINA_TZ)
CODE = "1105910159"

ORDER = "order2018050711340001"
PRE_NO = "P20180507000000001"
EXPECTED = {
    "CEB304": ("OrderReturn", {"ebpCode": CODE, "ebcCode": CODE, "orderNo": ORDER}, SAMPLE_TIME),
    "CEB404": ("ReceiptsReturn", {"ebcCode": CODE, "orderNo": ORDER, "payNo": "P20180507001"}, SAMPLE_TIME),
    "CEB506": ("LogisticsReturn", {"logisticsCode": CODE, "logisticsNo": "L2018050700001"}, SAMPLE_TIME),
    "CEB508": ("ArrivalReturn", {"operatorCode": CODE, "logisticsCode": CODE, "preNo": PRE_NO,
                                 "copNo": "Cop20180507001", "billNo": "B00024204001", "msgSeqNo": "1"},
               SAMPLE_TIME),
    "CEB510": ("DepartureReturn", {"logisticsCode": CODE, "copNo": "CoP20180507000000001",
                                   "preNo": PRE_NO, "msgSeqNo": "1"}, SAMPLE_TIME),
    "CEB604": ("InventoryReturn", {"agentCode": CODE, "copNo": "Cop20180507001", "preNo": PRE_NO,
                                   "invtNo": "Invt20180507000001", "ebcCode": CODE, "ebpCode": CODE,
                                   "orderNo": CODE, "statisticsFlag": "1"}, SAMPLE_TIME),
    "CEB606": ("InvtCancelReturn", {"agentCode": CODE, "copNo": "Cop20180507001", "preNo": PRE_NO,
                                    "invtNo": "Invt20180507000001"}, SAMPLE_TIME),
    "CEB608": ("WayBillReturn", {"agentCode": CODE, "logisticsCode": CODE, "copNo": "Cop20180507001",
                                 "preNo": PRE_NO, "billNo": "B20180508001", "msgSeqNo": "1"},
               SAMPLE_TIME),
    "CEB702": ("SummaryReturn", {"agentCode": CODE, "ebcCode": CODE, "copNo": "C201805080001",
                                 "preNo": PRE_NO, "sumNo": "S20180507000000001", "msgSeqNo": "1"},
               SUMMARY_TIME),
}


def sample(code: str) -> bytes:
    return (SAMPLES / f"{code}Message.xml").read_bytes()


@pytest.mark.parametrize("code", list(EXPECTED))
def test_official_receipt_samples(code):
    entity, keys, when = EXPECTED[code]
    receipts = parse_receipt(sample(code))
    assert len(receipts) == 10
    first = receipts[0]
    assert (first.message_type, first.entity) == (code, entity)
    assert dict(first.keys) == keys
    assert first.return_status == "2" and first.status_code == 2
    assert first.status.zh == "电子口岸申报中" and not first.is_failure and not first.is_final
    assert first.return_time == when and first.return_time.utcoffset().total_seconds() == 8 * 3600
    assert first.return_info == "新增申报成功[4CDE1CFD-EDED-46B1-946C-B8022E42FC94]"
    assert first.message_guid == "311af125-6fed-4603-8c5d-49b1fa4b4b9b"
    assert first.guid in ("4CDE1CFD-EDED-46B1-946C-B8022E42FC94", "311af125-6fed-4603-8c5d-49b1fa4b4b9b",
                          "123ent97-2b80-4568-aecf-cb6c90530012")


def test_summary_result_sample():
    receipts = parse_receipt(sample("CEB792"))
    assert len(receipts) == 10
    result = receipts[0]
    assert result.message_type == "CEB792" and result.entity == "SummaryResult"
    keys = {"sumNo": "S20180507000000001", "declSeqNo": "S20180508000000001", "msgSeqNo": "1"}
    assert dict(result.keys) == keys
    assert result.return_status is None and result.status is None and result.return_time == SUMMARY_TIME
    head = result.head
    assert (head.sum_no, head.decl_seq_no, head.dec_state, head.entry_id) == (
        "S20180507000000001", "S20180508000000001", "A", None)
    assert head.customs_code == "1501" and head.decl_agent.code == CODE
    assert head.gross_weight == Decimal("12345678912345.12345")
    assert (head.msg_count, head.msg_seq_no) == (1, 1)
    # the official sample leaves out gseqno (it puts gnum first): read as None
    lines = [(line.invt_no, line.logistics_no, line.gseqno, line.gnum, line.gcode) for line in result.lines]
    assert lines == [
        ("Invt20180507000001", "L2018050700001", None, 1, "8541401000"),
        ("Invt20180507000001", "L2018050700001", None, 2, "8541401001")]


def test_summary_result_with_declaration_lines(export_schema):
    xml = """<ceb:CEB792Message guid="4CDE1CFD-EDED-46B1-946C-B8022E42FC94" version="1.0"
        xmlns:ceb="http://www.chinaport.gov.cn/ceb"><ceb:SummaryResult><ceb:SummaryResultHead>
        <ceb:guid>4CDE1CFD-EDED-46B1-946C-B8022E42FC95</ceb:guid><ceb:customsCode>5349</ceb:customsCode>
        <ceb:sumNo>53492024S000000001</ceb:sumNo><ceb:opDate>20240615093000123</ceb:opDate>
        <ceb:declSeqNo>534920240000000001</ceb:declSeqNo><ceb:entryId>534920240000123456</ceb:entryId>
        <ceb:decState>10</ceb:decState><ceb:agentCode>4403980BGH</ceb:agentCode>
        <ceb:agentName>深圳前海恒通报关有限公司</ceb:agentName><ceb:ebcCode>4403960ANK</ceb:ebcCode>
        <ceb:ebcName>深圳安可跨境电商有限公司</ceb:ebcName><ceb:declAgentCode>4403980BGH</ceb:declAgentCode>
        <ceb:declAgentName>深圳前海恒通报关有限公司</ceb:declAgentName><ceb:grossWeight>86.5</ceb:grossWeight>
        <ceb:netWeight>62</ceb:netWeight><ceb:msgCount>1</ceb:msgCount><ceb:msgSeqNo>1</ceb:msgSeqNo>
        </ceb:SummaryResultHead><ceb:SummaryResultList><ceb:invtNo>53492024E000000001</ceb:invtNo>
        <ceb:logisticsNo>YT2432100000123456</ceb:logisticsNo><ceb:gseqno>1</ceb:gseqno><ceb:gnum>2</ceb:gnum>
        <ceb:gcode>8518300000</ceb:gcode></ceb:SummaryResultList></ceb:SummaryResult></ceb:CEB792Message>"""
    export_schema.assertValid(etree.fromstring(xml.encode()))
    (result,) = parse_receipt(xml.encode())
    assert result.head.entry_id == "534920240000123456"
    assert [(line.gseqno, line.gnum, line.gcode) for line in result.lines] == [(1, 2, "8518300000")]


def ceb900(status: str = "-1001") -> bytes:
    ns = "http://www.chinaport.gov.cn/ceb"
    root = etree.Element(f"{{{ns}}}CEB900Message", nsmap={"ceb": ns},
                         guid="0B2A3C4D-1111-4222-8333-944455556666", version="1.0")
    entity = etree.SubElement(root, f"{{{ns}}}MessageReturn")
    for name, value in (("guid", "0B2A3C4D-1111-4222-8333-944455556667"), ("returnStatus", status),
                        ("returnInfo", "报文格式校验失败:cvc-complex-type.2.4.a"),
                        ("returnTime", "20240507153002123"),
                        ("oriCopMsgId", "311AF125-6FED-4603-8C5D-49B1FA4B4B9B"),
                        ("oriMessageType", "CEB603Message"), ("oriBizMessage", "<ceb:CEB603Message/>")):
        etree.SubElement(entity, f"{{{ns}}}{name}").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_format_check_receipt(import_schema):
    import_schema.assertValid(etree.fromstring(ceb900()))
    (receipt,) = parse_receipt(ceb900())
    assert (receipt.message_type, receipt.entity) == ("CEB900", "MessageReturn")
    assert dict(receipt.keys) == {"oriCopMsgId": "311AF125-6FED-4603-8C5D-49B1FA4B4B9B",
                                  "oriMessageType": "CEB603Message"}
    assert receipt.status_code == -1001 and receipt.is_failure and receipt.is_final
    assert receipt.status.en == "processing error"
    assert receipt.return_time == datetime(2024, 5, 7, 15, 30, 2, 123000, tzinfo=CHINA_TZ)
    assert receipt.extra["oriBizMessage"] == "<ceb:CEB603Message/>"


@pytest.mark.parametrize("code", [*EXPECTED, "CEB792"])
def test_receipt_in_a_dxp_envelope_parses_the_same(code):
    envelope = wrap_dxp(sample(code), code, "DXPEDCCEB0000003", receiver_id="DXPENT0000012345")
    assert parse_receipt(envelope) == parse_receipt(sample(code))


def test_namespace_as_default_or_missing():
    body = ("<OrderReturn><guid>4CDE1CFD-EDED-46B1-946C-B8022E42FC94</guid><ebpCode>A</ebpCode>"
            "<ebcCode>B</ebcCode><orderNo>SO1</orderNo><returnStatus>-301010</returnStatus>"
            "<returnTime>20240507153001001</returnTime><returnInfo>订单重复申报</returnInfo></OrderReturn>")
    for root in ('<CEB304Message xmlns="http://www.chinaport.gov.cn/ceb" guid="g" version="1.0">',
                 '<CEB304Message guid="g" version="1.0">'):
        (receipt,) = parse_receipt((root + body + "</CEB304Message>").encode())
        assert dict(receipt.keys) == {"ebpCode": "A", "ebcCode": "B", "orderNo": "SO1"}
        assert receipt.status_code == -301010 and receipt.is_failure


def test_several_entities_and_their_order_do_not_matter():
    xml = ('<ceb:CEB506Message xmlns:ceb="http://www.chinaport.gov.cn/ceb" guid="g" version="1.0">'
           + "".join(f"<ceb:LogisticsReturn><ceb:returnTime>20240507153001001</ceb:returnTime>"
                     f"<ceb:returnStatus>{status}</ceb:returnStatus><ceb:returnInfo/>"
                     f"<ceb:guid>G{n}</ceb:guid>"
                     f"<ceb:logisticsNo>YT243210000012345{n}</ceb:logisticsNo>"
                     f"<ceb:logisticsCode>4403980YTO</ceb:logisticsCode></ceb:LogisticsReturn>"
                     for n, status in enumerate(("2", "120", "100")))
           + "</ceb:CEB506Message>")
    receipts = parse_receipt(xml.encode())
    assert [r.status_code for r in receipts] == [2, 120, 100]
    assert [r.keys["logisticsNo"] for r in receipts] == [f"YT243210000012345{n}" for n in range(3)]
    assert [r.is_final for r in receipts] == [False, True, True]
    assert receipts[2].is_failure and receipts[0].return_info == ""


BAD = {
    "empty": b"",
    "blank": b"  \n ",
    "garbage": b"\x00\xffgarbage",
    "not XML": b"returnStatus=2",
    "truncated": sample("CEB304")[:500],
    "two documents": sample("CEB304") + sample("CEB304"),
    "unknown root": b"<foo/>",
    "foreign namespace": b"<x:CEB304Message xmlns:x='urn:other'/>",
    "data message, not a receipt": b"<ceb:CEB303Message xmlns:ceb='http://www.chinaport.gov.cn/ceb'/>",
    "no entity": b"<ceb:CEB304Message xmlns:ceb='http://www.chinaport.gov.cn/ceb' guid='g' version='1.0'/>",
    "duplicated element": sample("CEB304").replace(b"<ceb:returnStatus>2</ceb:returnStatus>",
                                                   b"<ceb:returnStatus>2</ceb:returnStatus>" * 2, 1),
    "missing status": sample("CEB304").replace(b"<ceb:returnStatus>2</ceb:returnStatus>", b"", 1),
    "status not a number": sample("CEB304").replace(b"<ceb:returnStatus>2</", b"<ceb:returnStatus>OK</", 1),
    "bad time": sample("CEB304").replace(b"20180507153001001", b"2018-05-07 15:30", 1),
    "impossible date": sample("CEB304").replace(b"20180507153001001", b"20181399153001001", 1),
    "entity bomb": sample("CEB304")
    .replace(b"<ceb:CEB304Message",
             b'<!DOCTYPE ceb:CEB304Message [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><ceb:CEB304Message', 1)
    .replace(b"<ceb:returnInfo>", b"<ceb:returnInfo>&b;", 1),
    "DXP without Data": b"<dxp:DxpMsg xmlns:dxp='http://www.chinaport.gov.cn/dxp' ver='1.0'>"
                        b"<dxp:TransInfo/></dxp:DxpMsg>",
    "DXP holding garbage": re.sub(rb"<dxp:Data>[^<]*</dxp:Data>", b"<dxp:Data>Z2FyYmFnZQ==</dxp:Data>",
                                  wrap_dxp(sample("CEB304"), "CEB304", "DXPEDCCEB0000003")),
    "text, not bytes": "<ceb:CEB304Message/>",
}


@pytest.mark.parametrize("name", list(BAD))
def test_malformed_input_raises_a_parse_error(name):
    with pytest.raises(CebParseError):
        parse_receipt(BAD[name])


def test_parse_errors_say_where():
    with pytest.raises(CebParseError, match=r"CEB304 OrderReturn\[1\]: element returnStatus appears twice"):
        parse_receipt(BAD["duplicated element"])
    with pytest.raises(CebParseError, match="CEB303Message is not a receipt"):
        parse_receipt(BAD["data message, not a receipt"])


@pytest.mark.parametrize("code, zh, failure, final", [
    (1, "电子口岸已暂存", False, True), (2, "电子口岸申报中", False, False), (3, "发送海关成功", False, False),
    (4, "发送海关失败", True, True), (100, "海关退单", True, True), (120, "海关入库", False, False),
    (300, "人工审核", False, False), (399, "海关审结", False, False), (500, "查验", False, False),
    (800, "放行", False, False), (899, "结关", False, True), (-301010, "处理异常", True, True),
    (777, "未知状态", False, False),
])
def test_return_status_codes(code, zh, failure, final):
    status = ReturnStatus.of(str(code))
    assert (status.code, status.zh, status.is_failure, status.is_final) == (code, zh, failure, final)
    assert status.en


def test_finality_depends_on_the_receipt():
    assert ReturnStatus.of(120).is_final_for("CEB304") and ReturnStatus.of(120).is_final_for("CEB506Message")
    assert not ReturnStatus.of(120).is_final_for("CEB604")
    assert not ReturnStatus.of(399).is_final_for("CEB604") and ReturnStatus.of(399).is_final_for("CEB606")
    assert ReturnStatus.of(899).is_final_for("CEB604") and ReturnStatus.of(399).is_final_for("CEB702")
    assert str(ReturnStatus.of(100)) == "100 海关退单 (rejected by customs)"
    with pytest.raises(ValueError):
        ReturnStatus.of("OK")
