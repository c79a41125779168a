"""The DXP transport envelope: valid against dxp-transport.xsd, and it round-trips."""
from __future__ import annotations

import base64
from datetime import datetime, timezone

import pytest
from lxml import etree

from tests.customs import demo
from wms.customs.ceb import CebFieldError, CebParseError, build, read_dxp, unwrap_dxp, wrap_dxp

DXP = {"dxp": "http://www.chinaport.gov.cn/dxp"}
SENDER = "DXPENT0000012345"
GUID = "311AF125-6FED-4603-8C5D-49B1FA4B4B9B"


@pytest.fixture
def message() -> bytes:
    return build("CEB603", [demo.inventory()], demo.TRANSFER, message_guid=GUID)


def test_envelope_is_valid_and_round_trips(message, dxp_schema, export_schema):
    created = datetime(2024, 5, 7, 7, 30, 1, tzinfo=timezone.utc)
    envelope = wrap_dxp(message, "CEB603", SENDER, created=created)
    doc = etree.fromstring(envelope)
    dxp_schema.assertValid(doc)
    assert doc.tag == "{http://www.chinaport.gov.cn/dxp}DxpMsg" and doc.get("ver") == "1.0"
    info = doc.find("dxp:TransInfo", DXP)
    names = [etree.QName(e).localname for e in info]
    assert names == ["CopMsgId", "SenderId", "ReceiverIds", "CreatTime", "MsgType"]
    assert info.findtext("dxp:CopMsgId", namespaces=DXP) == GUID
    assert info.findtext("dxp:SenderId", namespaces=DXP) == SENDER
    assert info.findtext("dxp:ReceiverIds/dxp:ReceiverId", namespaces=DXP) == "DXPEDCCEB0000003"
    assert info.findtext("dxp:CreatTime", namespaces=DXP) == "2024-05-07T15:30:01"
    assert info.findtext("dxp:MsgType", namespaces=DXP) == "CEB603Message"
    assert base64.b64decode(doc.findtext("dxp:Data", namespaces=DXP)) == message

    msg_type, inner = unwrap_dxp(envelope)
    assert (msg_type, inner) == ("CEB603Message", message)
    export_schema.assertValid(etree.fromstring(inner))


def test_envelope_options(message, dxp_schema):
    envelope = wrap_dxp(message, "CEB603Message", SENDER, cop_msg_id="ANK-20240507-000001",
                        receiver_id=["DXPEDCCEB0000003", "DXPENT0000067890"])
    dxp_schema.assertValid(etree.fromstring(envelope))
    found = read_dxp(envelope)
    assert found.receiver_ids == ("DXPEDCCEB0000003", "DXPENT0000067890")
    assert found.cop_msg_id == "ANK-20240507-000001"
    assert found.sender_id == SENDER


def test_envelope_rules(message):
    with pytest.raises(CebFieldError, match="does not match the message root CEB603Message"):
        wrap_dxp(message, "CEB303", SENDER)
    with pytest.raises(CebFieldError) as error:
        wrap_dxp(message, "CEB603", "DXPENT00000123456789")
    assert error.value.field == "SenderId"
    with pytest.raises(CebFieldError, match="1 to 5 receivers"):
        wrap_dxp(message, "CEB603", SENDER, receiver_id=["DXPEDCCEB0000003"] * 6)
    with pytest.raises(CebFieldError, match="naive"):
        wrap_dxp(message, "CEB603", SENDER, created=datetime(2024, 5, 7, 15, 30))
    with pytest.raises(CebParseError):
        wrap_dxp(b"not xml", "CEB603", SENDER)


@pytest.mark.parametrize("data", [
    b"",
    b"garbage",
    b"<ceb:CEB603Message xmlns:ceb='http://www.chinaport.gov.cn/ceb' guid='x' version='1.0'/>",
    b"<dxp:DxpMsg xmlns:dxp='http://www.chinaport.gov.cn/dxp' ver='1.0'>"
    b"<dxp:Data>AAAA</dxp:Data></dxp:DxpMsg>",
])
def test_unwrap_refuses_what_is_not_an_envelope(data):
    with pytest.raises(CebParseError):
        unwrap_dxp(data)


def test_unwrap_refuses_data_that_is_not_base64(message):
    envelope = etree.fromstring(wrap_dxp(message, "CEB603", SENDER))
    envelope.find("dxp:Data", DXP).text = "这不是base64!"
    with pytest.raises(CebParseError, match="not base64"):
        unwrap_dxp(etree.tostring(envelope))
