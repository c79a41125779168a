"""The temporary-storage inbound (暂存入库单) as a 金二 核注清单 INV101: the message, its field errors, the
INV201/INV211 receipts, and the record's way through the sandbox and the data-exchange folder."""
from __future__ import annotations

import base64
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from lxml import etree

from tests.api import helpers
from wms.customs import service
from wms.customs.ceb import CHINA_TZ, CebFieldError, CebParseError, new_guid
from wms.customs.gateway import INV_REJECTIONS, FolderGateway, SandboxGateway
from wms.customs.inv import (
    INV_RECEIVER, InvDeclaration, InvFieldError, InvLine, InvParty, InvReceipt, build_inv101, build_inv_receipt,
    parse_inv_receipt)
from wms.customs.models import CustomsEvent, CustomsMessage, CustomsRecord
from wms.customs.states import CUSTOMS_RECORD
from wms.db import utcnow
from wms.errors import Conflict, ValidationFailed

NOW = datetime(2026, 11, 24, 15, 30, 1, tzinfo=CHINA_TZ)
SENDER = "DXPENT0000534901"
BOOK = "T5349W000101"
OWNER = InvParty("91440300MA5GP2ANK0", "4403960ANK", "深圳安可跨境电商有限公司")
CONSIGNEE = InvParty("91440300MA5GP2ANK0", "4403960ANK", "深圳安可跨境电商有限公司")
WAREHOUSE = InvParty("91440300MA5FWMS001", "4403640WMS", "深圳前海综保区保税仓储有限公司")
DS = "{http://www.w3.org/2000/09/xmldsig#}"


def line(seq_no: int = 1, **changes) -> InvLine:
    item = InvLine(seq_no=seq_no, book_seq_no=seq_no, item_no=f"ANK-TWS-A4{seq_no}", hs_code="8517629400",
                   name="TWS真无线蓝牙耳机", spec="蓝牙5.3|入耳式|品牌:ANKE|型号A40", unit="011", qty=Decimal(200),
                   legal_unit="011", legal_qty=Decimal(200), price=Decimal("99.9"), currency="142", origin="142",
                   destination="142")
    return replace(item, **changes)


def declaration(**changes) -> InvDeclaration:
    decl = InvDeclaration(guid=new_guid(), cop_no=f"ANK-TI-{uuid.uuid4().hex[:8]}", book_no=BOOK,
                          customs_code="5349", owner=OWNER, consignee=CONSIGNEE, declarer=WAREHOUSE,
                          lines=[line(1), line(2, hs_code="8518300000", name="头戴式降噪耳机", qty=Decimal(3),
                                              legal_qty=Decimal(3), price=Decimal("60.125"))])
    return replace(decl, **changes)


def texts(element) -> dict[str, str]:
    return {child.tag: child.text or "" for child in element}


# --- the message -----------------------------------------------------------------------------------------

def test_the_message_carries_the_declaration():
    decl = declaration(cop_no="ANK-TI-000001", note="暂存待出口")
    root = etree.fromstring(build_inv101(decl, SENDER, now=NOW))
    assert root.tag == "Package"
    assert texts(root.find("EnvelopInfo")) == {
        "version": "1.0", "message_id": decl.guid, "file_name": f"INV101_{decl.guid}.xml", "message_type": "INV101",
        "sender_id": SENDER, "receiver_id": INV_RECEIVER, "send_time": "2026-11-24T15:30:01"}
    business = root.find("DataInfo/BussinessData")
    assert business.findtext("DelcareFlag") == "0"
    message = business.find("InvtMessage")
    assert [child.tag for child in message] == ["SysId", "OperCusRegCode", "InvtHeadType", "InvtListType",
                                                "InvtListType"]
    assert (message.findtext("SysId"), message.findtext("OperCusRegCode")) == ("Z8", "4403640WMS")
    assert texts(message.find("InvtHeadType")) == {
        "EtpsInnerInvtNo": "ANK-TI-000001", "PutrecNo": BOOK, "DclTypecd": "1", "InvtType": "0",
        "BizopEtpsSccd": OWNER.scc, "BizopEtpsno": OWNER.code, "BizopEtpsNm": OWNER.name,
        "DclEtpsSccd": WAREHOUSE.scc, "DclEtpsno": WAREHOUSE.code, "DclEtpsNm": WAREHOUSE.name,
        "RvsngdEtpsSccd": CONSIGNEE.scc, "RcvgdEtpsno": CONSIGNEE.code, "RcvgdEtpsNm": CONSIGNEE.name,
        "InputCreditCode": WAREHOUSE.scc, "InputCode": WAREHOUSE.code, "InputName": WAREHOUSE.name,
        "InputTime": "20261124", "InvtDclTime": "20261124", "ImpexpMarkcd": "I", "MtpckEndprdMarkcd": "I",
        "SupvModecd": "5000", "TrspModecd": "9", "ImpexpPortcd": "5349", "DclPlcCuscd": "5349",
        "StshipTrsarvNatcd": "142", "DclcusFlag": "2", "GenDecFlag": "2", "Rmk": "暂存待出口"}
    first, second = (texts(e) for e in message.findall("InvtListType"))
    assert first == {
        "GdsSeqno": "1", "PutrecSeqno": "1", "Gdecd": "8517629400", "GdsMtno": "ANK-TWS-A41", "GdsNm": "TWS真无线蓝牙耳机",
        "GdsSpcfModelDesc": "蓝牙5.3|入耳式|品牌:ANKE|型号A40", "LawfUnitcd": "011", "LawfQty": "200",
        "DclUnitcd": "011", "DclQty": "200", "DclCurrcd": "142", "DclUprcAmt": "99.9", "DclTotalAmt": "19980",
        "Natcd": "142", "DestinationNatcd": "142", "LvyrlfModecd": "3", "ClyMarkcd": "0", "ModfMarkcd": "3"}
    assert (second["GdsSeqno"], second["Gdecd"], second["DclUprcAmt"]) == ("2", "8518300000", "60.125")
    assert second["DclTotalAmt"] == "180.38"          # 3 × 60.125 = 180.375, rounded half up to cents


def test_options_declare_at_once_and_special_zone_book():
    decl = declaration(sys_id="Z7", lines=[line(1, dangerous=True)])
    root = etree.fromstring(build_inv101(decl, SENDER, receiver_id="DXPEDCSAS0000009", declare=True, now=NOW))
    assert root.findtext("DataInfo/BussinessData/DelcareFlag") == "1"
    assert root.findtext("EnvelopInfo/receiver_id") == "DXPEDCSAS0000009"
    assert root.findtext("DataInfo/BussinessData/InvtMessage/SysId") == "Z7"
    assert root.findtext("DataInfo/BussinessData/InvtMessage/InvtListType/ClyMarkcd") == "1"


@pytest.mark.parametrize("changes, field, rule", [
    ({"cop_no": "X" * 31}, "EtpsInnerInvtNo", "too long: at most 30 characters"),
    ({"cop_no": ""}, "EtpsInnerInvtNo", "required"),
    ({"book_no": "T5349W00010"}, "PutrecNo", "exactly 12 characters"),
    ({"customs_code": "53A9"}, "ImpexpPortcd", "4 digits"),
    ({"owner": replace(OWNER, scc="91440300MA5GP2ANK")}, "BizopEtpsSccd", "exactly 18 characters"),
    ({"consignee": replace(CONSIGNEE, name="")}, "RcvgdEtpsNm", "required"),
    ({"declarer": replace(WAREHOUSE, code="4403640wms")}, "DclEtpsno", "wrong characters"),
    ({"impexp": "X"}, "ImpexpMarkcd", "must be one of I, E"),
    ({"supervision_mode": "121"}, "SupvModecd", "exactly 4 characters"),
    ({"guid": new_guid().lower()}, "guid", "wrong characters"),
    ({"lines": []}, "InvtListType", "at least one line"),
    ({"lines": [line(1), line(2, hs_code="851830000")]}, "InvtListType[2].Gdecd", "exactly 10 characters"),
    ({"lines": [line(1, qty=Decimal(0))]}, "InvtListType[1].DclQty", "more than 0"),
    ({"lines": [line(1, qty=2.5)]}, "InvtListType[1].DclQty", "not float"),
    ({"lines": [line(1, price=Decimal("1.23456"))]}, "InvtListType[1].DclUprcAmt", "more than 4 decimal places"),
    ({"lines": [line(1, currency="RMB")]}, "InvtListType[1].DclCurrcd", "wrong characters"),
    ({"lines": [line(1), line(3)]}, "InvtListType[2].GdsSeqno", "expected 2"),
    ({"lines": [line(1, book_seq_no=0)]}, "InvtListType[1].PutrecSeqno", "from 1"),
])
def test_a_bad_value_names_its_element(changes, field, rule):
    decl = replace(declaration(cop_no="ANK-TI-000001"), **changes)
    with pytest.raises(InvFieldError) as error:
        build_inv101(decl, SENDER, now=NOW)
    assert error.value.field == field
    assert rule in error.value.rule
    assert isinstance(error.value, CebFieldError)
    assert str(error.value).startswith(f"InvDeclaration(etpsInnerInvtNo={decl.cop_no}): {field}: ")


def test_a_naive_time_and_a_bad_sender_are_refused():
    with pytest.raises(InvFieldError, match="send_time"):
        build_inv101(declaration(), SENDER, now=NOW.replace(tzinfo=None))
    with pytest.raises(InvFieldError) as error:
        build_inv101(declaration(), "DXP-ENT-0000534901", now=NOW)
    assert error.value.field == "sender_id"


# --- receipts --------------------------------------------------------------------------------------------

def receipt(message_type="INV201", result="1", *, cop_no="ANK-TI-000001", bond_invt_no="QD534926I000000123",
            rmk="", at=NOW) -> bytes:
    return build_inv_receipt(message_type, cop_no=cop_no, bond_invt_no=bond_invt_no, book_no=BOOK, result=result,
                             at=at, rmk=rmk)


@pytest.mark.parametrize("message_type, result, event", [
    ("INV201", "1", "status_800"), ("INV201", "2", "status_300"), ("INV201", "3", "status_100"),
    ("INV201", "Y", "status_800"), ("INV201", "Z", "status_100"), ("INV201", "4", None),
    ("INV211", "2", "status_899"), ("INV211", "3", "status_899"), ("INV211", "0", None), ("INV211", "1", None),
])
def test_receipt_codes_map_to_record_events(message_type, result, event):
    [found] = parse_inv_receipt(receipt(message_type, result))
    assert (found.message_type, found.result, found.event) == (message_type, result, event)
    assert (found.cop_no, found.bond_invt_no) == ("ANK-TI-000001", "QD534926I000000123")
    assert (found.return_status, found.return_info, found.return_time) == (found.result, found.info, found.at)


def test_approval_and_rejection_receipts():
    [approved] = parse_inv_receipt(receipt())
    assert approved == InvReceipt("INV201", "ANK-TI-000001", "QD534926I000000123", "1", "通过", NOW,
                                  approved.message_id)
    assert approved.message_id.startswith("CUS0000")
    [rejected] = parse_inv_receipt(receipt(result="3", rmk="表体第1项商品料号与账册不一致", bond_invt_no=""))
    assert (rejected.event, rejected.info, rejected.bond_invt_no) == ("status_100", "表体第1项商品料号与账册不一致", "")
    later = NOW + timedelta(days=2)
    [posted] = parse_inv_receipt(receipt("INV211", "2", at=later))
    assert (posted.event, posted.info, posted.at) == ("status_899", "已核扣", later)


SIGNED_INV211 = """<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><Object>
<Package>
  <EnvelopInfo><version>1.0</version><message_id>CUS0000E0100002026112507410800000000001</message_id>
    <file_name>CUS0000E0100002026112507410800000000001.INV</file_name><message_type>INV211</message_type>
    <sender_id>CUS0000</sender_id><receiver_id>E010000</receiver_id><send_time>2026-11-25T07:41:08</send_time>
  </EnvelopInfo>
  <DataInfo>
    <PocketInfo><pocket_id>QD534926I000000123-1</pocket_id><total_pocket_qty>1</total_pocket_qty>
      <cur_pocket_no>1</cur_pocket_no><is_unstructured></is_unstructured></PocketInfo>
    <BussinessData><INV211>
      <BondInvtBsc>
        <bondInvtNo>QD534926I000000123</bondInvtNo><chgTmsCnt>0</chgTmsCnt><invtPreentNo>202600000122403239</invtPreentNo>
        <putrecNo>T5349W000101</putrecNo><etpsInnerInvtNo>ANK-TI-000001</etpsInnerInvtNo>
        <impexpMarkcd>I</impexpMarkcd><prevdTime>2026-11-25 06:20:47</prevdTime>
        <formalVrfdedTime>2026-11-25 07:41:03</formalVrfdedTime><vrfdedMarkcd>2</vrfdedMarkcd>
        <vrfdedModecd>D</vrfdedModecd><rmk></rmk>
      </BondInvtBsc>
      <BwsDt><bwsNo>T5349W000101</bwsNo><gdsSeqno>1</gdsSeqno><inQty>200</inQty></BwsDt>
    </INV211></BussinessData>
  </DataInfo>
</Package>
</Object></Signature>""".encode()


def test_a_signed_receipt_and_one_in_a_dxp_envelope():
    [posted] = parse_inv_receipt(SIGNED_INV211)
    assert (posted.message_type, posted.cop_no, posted.event) == ("INV211", "ANK-TI-000001", "status_899")
    assert posted.at == datetime(2026, 11, 25, 7, 41, 3, tzinfo=CHINA_TZ)
    assert posted.message_id == "CUS0000E0100002026112507410800000000001"
    dxp = ("<dxp:DxpMsg ver=\"1.0\" xmlns:dxp=\"http://www.chinaport.gov.cn/dxp\"><dxp:TransInfo>"
           "<dxp:CopMsgId>1</dxp:CopMsgId><dxp:SenderId>CUS0000</dxp:SenderId><dxp:ReceiverIds>"
           f"<dxp:ReceiverId>{SENDER}</dxp:ReceiverId></dxp:ReceiverIds><dxp:CreatTime>2026-11-24T15:30:01"
           "</dxp:CreatTime><dxp:MsgType>INV201</dxp:MsgType></dxp:TransInfo>"
           f"<dxp:Data>{base64.b64encode(receipt()).decode()}</dxp:Data></dxp:DxpMsg>").encode()
    [approved] = parse_inv_receipt(dxp)
    assert (approved.message_type, approved.event) == ("INV201", "status_800")


def test_element_names_may_start_upper_case():
    xml = receipt().replace(b"<manageResult>", b"<ManageResult>").replace(b"</manageResult>", b"</ManageResult>")
    assert parse_inv_receipt(xml)[0].result == "1"


@pytest.mark.parametrize("data, says", [
    (b"<Package", "not well-formed"),
    (b"", "empty input"),
    (b"<ceb:CEB604Message xmlns:ceb='http://www.chinaport.gov.cn/ceb'/>", "not a 金二 Package"),
    (receipt().replace(b"INV201", b"INV202"), "INV202 is not a receipt we read"),
    (receipt().replace(b"<manageResult>1</manageResult>", b""), "manageResult is missing"),
    (receipt().replace(b"2026-11-24 15:30:01", b"24/11/2026"), "is not a time"),
    (receipt(cop_no="", bond_invt_no=""), "neither etpsInnerInvtNo nor bondInvtNo"),
    (receipt("INV211", "2").replace(b"<vrfdedMarkcd>2</vrfdedMarkcd>", b"<vrfdedMarkcd/>"), "vrfdedMarkcd is missing"),
    (receipt().replace(b"<tmsCnt>0</tmsCnt>", b"<rmk>a</rmk>"), "rmk appears twice"),
])
def test_malformed_receipts_say_what_is_wrong(data, says):
    with pytest.raises(CebParseError, match=says):
        parse_inv_receipt(data)


# --- through the worker ----------------------------------------------------------------------------------

def record_of(dbs, decl) -> CustomsRecord:
    return dbs.scalars(sa.select(CustomsRecord).where(CustomsRecord.guid == decl.guid)).one()


def timeline(dbs, record) -> list[tuple[str, str, bool]]:
    return [(e.event, e.status_after, e.applied) for e in dbs.scalars(
        sa.select(CustomsEvent).where(CustomsEvent.record_id == record.id).order_by(CustomsEvent.id))]


def scheduled(dbs, message_type: str) -> CustomsMessage:
    return dbs.scalars(sa.select(CustomsMessage).where(CustomsMessage.direction == "in",
                                                       CustomsMessage.message_type == message_type,
                                                       CustomsMessage.status == "scheduled")).one()


@pytest.fixture
def listeners(monkeypatch):
    """No listeners but the test's own."""
    monkeypatch.setattr(service, "LISTENERS", {})
    return service.LISTENERS


def test_sandbox_approves_then_posts_the_list(dbs, listeners):
    seller = helpers.seller_id("SZ-ANKE")
    decl = declaration()
    message = service.declare_inv(decl, seller_id=seller)
    record = record_of(dbs, decl)
    assert (message.message_type, message.status, message.guid, message.direction) == ("INV101", "queued",
                                                                                      decl.guid, "out")
    assert etree.fromstring(message.xml.encode()).findtext("EnvelopInfo/message_id") == decl.guid
    assert (record.kind, record.status, record.cop_no, record.seller_id) == ("temp_inbound", "queued", decl.cop_no,
                                                                             seller)
    assert record.payload["lines"][1]["price"] == "60.125" and record.payload["owner"]["code"] == "4403960ANK"
    heard = []
    service.on_status("temp_inbound", lambda r, event: heard.append((r.id, r.status, event)))

    gateway = SandboxGateway(inspect_rate=0, delay_seconds=60, reject_rate=0, seed=7)
    assert service.run_once(gateway) == {"sent": 1, "receipts": 0}      # receipts not due for a minute
    dbs.refresh(record)
    assert record.status == "sent"

    approval = scheduled(dbs, "INV201")
    approval.next_attempt_at = utcnow() - timedelta(seconds=1)
    assert service.run_once(gateway) == {"sent": 0, "receipts": 1}
    dbs.refresh(record)
    assert (record.status, record.return_status, record.return_info) == ("released", "1", "通过")
    assert len(record.invt_no) == 18 and record.invt_no.startswith(f"QD5349{utcnow().astimezone(CHINA_TZ):%y}I")
    assert record.invt_no[9:].isdigit()

    posting = scheduled(dbs, "INV211")
    posting.next_attempt_at = utcnow() - timedelta(seconds=1)
    service.run_once(gateway)
    dbs.refresh(record)
    assert (record.status, record.return_status) == ("closed", "2")
    assert timeline(dbs, record) == [("queue", "queued", True), ("send", "sent", True),
                                     ("status_800", "released", True), ("status_899", "closed", True)]
    assert heard == [(record.id, "released", "status_800"), (record.id, "closed", "status_899")]
    receipts = dbs.scalars(sa.select(CustomsMessage).where(CustomsMessage.direction == "in",
                                                           CustomsMessage.guid == decl.guid)).all()
    assert {(m.message_type, m.status, m.seller_id) for m in receipts} == {("INV201", "processed", seller),
                                                                           ("INV211", "processed", seller)}


def test_sandbox_rejects_with_a_reason_and_posts_nothing(dbs, listeners):
    heard = []
    service.on_status("temp_inbound", lambda r, event: heard.append(event))
    decl = declaration()
    service.declare_inv(decl, seller_id=None)
    service.run_once(SandboxGateway(inspect_rate=0, delay_seconds=0, reject_rate=1, seed=3))
    record = record_of(dbs, decl)
    assert (record.status, record.return_status) == ("rejected", "3")
    filled = [reason.format(PutrecNo=BOOK, EtpsInnerInvtNo=decl.cop_no) for reason in INV_REJECTIONS]
    assert record.return_info in filled
    assert CUSTOMS_RECORD.allowed_events(record.status) == ["correct"]
    assert heard == ["status_100"]
    assert not dbs.scalar(sa.select(sa.func.count(CustomsMessage.id)).where(CustomsMessage.message_type == "INV211",
                                                                            CustomsMessage.guid == decl.guid))


def test_sandbox_outcome_is_fixed_by_seed_and_guid():
    gateway = SandboxGateway(delay_seconds=0, reject_rate=0.5, seed=11)
    guids = [new_guid() for _ in range(12)]
    head = {"PutrecNo": BOOK, "EtpsInnerInvtNo": "ANK-TI-1"}
    first = [gateway._inv_story(guid, head) for guid in guids]
    assert first == [SandboxGateway(delay_seconds=0, reject_rate=0.5, seed=11)._inv_story(g, head) for g in guids]
    assert {tuple(step[:2] for step in story) for story in first} <= {
        (("INV201", "3"),), (("INV201", "1"), ("INV211", "2")),
        (("INV201", "2"), ("INV201", "1"), ("INV211", "2"))}          # taken for review (spot check) first
    checked = SandboxGateway(delay_seconds=0, reject_rate=0, inspect_rate=1, seed=11)
    assert [step[:2] for step in checked._inv_story(guids[0], head)] == [("INV201", "2"), ("INV201", "1"),
                                                                         ("INV211", "2")]


def test_listeners_hear_every_kind_and_a_failing_one_rolls_the_receipt_back(dbs, listeners):
    from tests.customs import demo
    heard = []

    def hears(record, event):
        heard.append((record.kind, event))

    service.on_status("order", hears)
    service.on_status("order", hears)                       # the same callback twice is kept once
    assert listeners == {"order": [hears]}
    service.declare([demo.order(97, guid=new_guid())])
    service.run_once(SandboxGateway(inspect_rate=0, delay_seconds=0, reject_rate=0, seed=5))
    assert heard == [("order", "status_2"), ("order", "status_120")]

    def refuses(record, event):
        raise RuntimeError(f"inbound cannot take {record.cop_no} {event}")

    service.on_status("temp_inbound", refuses)
    decl = declaration()
    service.declare_inv(decl)
    service.run_once(SandboxGateway(inspect_rate=0, delay_seconds=0, reject_rate=0, seed=7))
    record = record_of(dbs, decl)
    assert record.status == "sent" and not record.invt_no                       # the receipt was rolled back
    failed = dbs.scalars(sa.select(CustomsMessage).where(CustomsMessage.guid == decl.guid,
                                                         CustomsMessage.direction == "in")).all()
    assert {m.status for m in failed} == {"error"}
    assert all("inbound cannot take" in m.last_error for m in failed)
    with pytest.raises(ValueError, match="unknown customs record kind"):
        service.on_status("temp-inbound", refuses)


def test_folder_gateway_writes_the_package_and_reads_receipts(dbs, tmp_path, listeners):
    decl = declaration()
    message = service.declare_inv(decl, seller_id=helpers.seller_id("SZ-ANKE"))
    gateway = FolderGateway(tmp_path / "out", tmp_path / "in", SENDER)
    assert service.run_once(gateway)["sent"] == 1
    [written] = list((tmp_path / "out").iterdir())
    assert written.name == f"INV101_{decl.guid}.xml"
    assert written.read_bytes() == message.xml.encode()               # as built: no DXP envelope around it
    assert etree.fromstring(written.read_bytes()).tag == "Package"
    record = record_of(dbs, decl)
    assert record.status == "sent"

    inbox = tmp_path / "in"
    files = {"1-inv201.xml": receipt(cop_no=decl.cop_no, bond_invt_no="QD534926I000000456"),
             "2-stranger.xml": receipt(cop_no="NOBODY-1", bond_invt_no="QD534926I000000999"),
             "3-code-4.xml": receipt(result="4", cop_no=decl.cop_no, bond_invt_no="QD534926I000000123"),
             "4-broken.xml": receipt().replace(b"<manageResult>1</manageResult>", b"")}
    for name, data in files.items():
        (inbox / name).write_bytes(data)
    assert service.run_once(gateway)["receipts"] == 4
    dbs.refresh(record)
    assert (record.status, record.invt_no) == ("released", "QD534926I000000456")   # the first number is kept
    assert timeline(dbs, record)[-2:] == [("status_800", "released", True), ("inv201_4", "released", False)]
    statuses = dict(dbs.execute(sa.select(CustomsMessage.file_name, CustomsMessage.status).where(
        CustomsMessage.direction == "in", CustomsMessage.file_name.in_(files))).all())
    assert statuses == {"1-inv201.xml": "processed", "2-stranger.xml": "unmatched", "3-code-4.xml": "processed",
                        "4-broken.xml": "error"}
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["1-inv201.xml", "2-stranger.xml", "3-code-4.xml"]
    assert [p.name for p in (inbox / "error").iterdir()] == ["4-broken.xml"]

    (inbox / "inv211.xml").write_bytes(SIGNED_INV211.replace(b"ANK-TI-000001", decl.cop_no.encode()))
    service.run_once(gateway)
    dbs.refresh(record)
    assert (record.status, record.return_info) == ("closed", "已核扣")
    in_message = dbs.scalars(sa.select(CustomsMessage).where(CustomsMessage.file_name == "inv211.xml")).one()
    assert (in_message.message_type, in_message.guid) == ("INV211", "CUS0000E0100002026112507410800000000001")


def test_declaring_refuses_a_reused_guid_or_number_and_bad_values(dbs):
    decl = declaration()
    service.declare_inv(decl)
    with pytest.raises(Conflict) as reused:
        service.declare_inv(replace(decl, cop_no="ANK-TI-OTHER"))
    assert (reused.value.status, reused.value.params["field"]) == (409, "guid")
    with pytest.raises(Conflict) as number:
        service.declare_inv(replace(decl, guid=new_guid()))
    assert number.value.params == {"field": "cop_no", "value": decl.cop_no}
    record = record_of(dbs, decl)
    record.status = "rejected"                            # a refused list's number may be declared again
    dbs.flush()
    service.declare_inv(replace(decl, guid=new_guid()))
    before = dbs.scalar(sa.select(sa.func.count(CustomsMessage.id)))
    with pytest.raises(ValidationFailed) as invalid:
        service.declare_inv(declaration(lines=[line(1, hs_code="85176294")]))
    assert invalid.value.code == "customs_field" and list(invalid.value.errors) == ["InvtListType[1].Gdecd"]
    assert dbs.scalar(sa.select(sa.func.count(CustomsMessage.id))) == before
