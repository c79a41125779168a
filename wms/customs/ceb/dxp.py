"""The DXP transport envelope (数据交换平台, ``dxp-terminal.xsd``) around a CEB message.

``wrap_dxp`` produces::

    <dxp:DxpMsg ver="1.0" xmlns:dxp="http://www.chinaport.gov.cn/dxp">
      <dxp:TransInfo>
        <dxp:CopMsgId>…</dxp:CopMsgId>          an..255, our id of this transmission
        <dxp:SenderId>…</dxp:SenderId>          an..16, our DXP id
        <dxp:ReceiverIds><dxp:ReceiverId>DXPEDCCEB0000003</dxp:ReceiverId></dxp:ReceiverIds>  1..5
        <dxp:CreatTime>2024-05-07T15:30:01</dxp:CreatTime>
        <dxp:MsgType>CEB603Message</dxp:MsgType>
      </dxp:TransInfo>
      <dxp:Data>base64 of the (signed) business message</dxp:Data>
    </dxp:DxpMsg>

Rules:
- ``MsgType`` is the root name of the wrapped message and must match it;
- ``CopMsgId`` defaults to the message's own ``guid`` so a CEB900 format receipt
  (``oriCopMsgId``) leads straight back to the message;
- ``CreatTime`` is China time written without offset (``yyyy-MM-ddTHH:mm:ss``), as the public
  DXP clients send it; the datetime given must be timezone-aware;
- receivers: ``DXPEDCCEB0000003`` for export (``DXPEDCCEB0000002`` import), from public code;
  confirm with 电子口岸;
- no ``AddInfo`` and no transport signature.
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from wms.customs.ceb.errors import CebFieldError, CebParseError
from wms.customs.ceb.values import CHINA_TZ, china_now
from wms.customs.ceb.xmlio import children, local, namespace, parse_xml

DXP_NS = "http://www.chinaport.gov.cn/dxp"
EXPORT_RECEIVER = "DXPEDCCEB0000003"
IMPORT_RECEIVER = "DXPEDCCEB0000002"
MAX_RECEIVERS = 5


@dataclass(frozen=True)
class DxpEnvelope:
    """What a ``DxpMsg`` says: its ``TransInfo`` and the decoded ``Data``."""

    cop_msg_id: str
    sender_id: str
    receiver_ids: tuple[str, ...]
    created: str
    msg_type: str
    data: bytes


def msg_type_name(msg_type: str) -> str:
    """``"CEB603"``/``"603"``/``"CEB603Message"`` → ``"CEB603Message"``."""
    code = msg_type.strip().removesuffix("Message").removesuffix("MESSAGE")
    if code.isdigit():
        code = "CEB" + code
    return f"{code.upper()}Message"


def wrap_dxp(message_bytes: bytes, msg_type: str, sender_id: str,
             receiver_id: str | Sequence[str] = EXPORT_RECEIVER, cop_msg_id: str | None = None,
             created: datetime | None = None) -> bytes:
    """``message_bytes`` in a ``dxp:DxpMsg`` envelope (UTF-8 bytes with declaration)."""
    msg_type = msg_type_name(msg_type)
    message = parse_xml(message_bytes, "message to wrap")
    if local(message) != msg_type:
        raise CebFieldError("MsgType", msg_type, f"does not match the message root {local(message)}")
    receivers = [receiver_id] if isinstance(receiver_id, str) else list(receiver_id)
    if cop_msg_id is None:
        cop_msg_id = message.get("guid") or ""
    created = created or china_now()
    if created.tzinfo is None or created.utcoffset() is None:
        raise CebFieldError("CreatTime", created,
                            "naive datetime: give it a timezone (DXP times are China time)")

    _check("CopMsgId", cop_msg_id, 255)
    _check("SenderId", sender_id, 16)
    if not 1 <= len(receivers) <= MAX_RECEIVERS:
        raise CebFieldError("ReceiverId", receivers, f"give 1 to {MAX_RECEIVERS} receivers")
    for receiver in receivers:
        _check("ReceiverId", receiver, 16)
    _check("MsgType", msg_type, 30)

    root = etree.Element(etree.QName(DXP_NS, "DxpMsg"), nsmap={"dxp": DXP_NS})
    root.set("ver", "1.0")
    info = _sub(root, "TransInfo")
    _sub(info, "CopMsgId", cop_msg_id)
    _sub(info, "SenderId", sender_id)
    ids = _sub(info, "ReceiverIds")
    for receiver in receivers:
        _sub(ids, "ReceiverId", receiver)
    _sub(info, "CreatTime", created.astimezone(CHINA_TZ).strftime("%Y-%m-%dT%H:%M:%S"))
    _sub(info, "MsgType", msg_type)
    _sub(root, "Data", base64.b64encode(bytes(message_bytes)).decode("ascii"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def read_dxp(envelope: bytes) -> DxpEnvelope:
    """Read a ``DxpMsg`` (also inside a server ``DxpMsgSv``); ``CebParseError`` if it is not one."""
    return envelope_of(parse_xml(envelope, "DXP envelope"))


def unwrap_dxp(envelope: bytes) -> tuple[str, bytes]:
    """``(MsgType, the business message bytes)`` of a DXP envelope."""
    found = read_dxp(envelope)
    return found.msg_type, found.data


def is_dxp(root: etree._Element) -> bool:
    return namespace(root) == DXP_NS and local(root) in ("DxpMsg", "DxpMsgSv")


def envelope_of(root: etree._Element) -> DxpEnvelope:
    if not is_dxp(root):
        raise CebParseError(f"not a DXP envelope: root is {root.tag}")
    if local(root) == "DxpMsgSv":
        inner = children(root, "DxpMsg", DXP_NS)
        if len(inner) != 1:
            raise CebParseError("DxpMsgSv: expected one DxpMsg inside")
        root = inner[0]
    info = _one(root, "TransInfo")
    receivers = _one(info, "ReceiverIds")
    data_text = "".join((_one(root, "Data").text or "").split())
    if not data_text:
        raise CebParseError("DxpMsg: Data is empty")
    try:
        data = base64.b64decode(data_text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CebParseError(f"DxpMsg: Data is not base64: {exc}") from None
    return DxpEnvelope(
        cop_msg_id=_text(info, "CopMsgId"),
        sender_id=_text(info, "SenderId"),
        receiver_ids=tuple((e.text or "").strip() for e in children(receivers, "ReceiverId", DXP_NS)),
        created=_text(info, "CreatTime"),
        msg_type=_text(info, "MsgType"),
        data=data,
    )


def _one(parent: etree._Element, name: str) -> etree._Element:
    found = children(parent, name, DXP_NS)
    if len(found) != 1:
        problem = "missing" if not found else "repeated"
        raise CebParseError(f"DXP {local(parent)}: {name} is {problem}")
    return found[0]


def _text(parent: etree._Element, name: str) -> str:
    return (_one(parent, name).text or "").strip()


def _check(field: str, value: object, max_len: int) -> None:
    if not isinstance(value, str) or not 1 <= len(value) <= max_len:
        raise CebFieldError(field, value, f"must be 1 to {max_len} characters")


def _sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, etree.QName(DXP_NS, name))
    if text is not None:
        element.text = text
    return element
