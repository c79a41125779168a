"""Parse CEB receipts: CEB304/404/506/508/510/604/606/608/702, the CEB792 summary result and the
CEB900 format-check receipt.

``parse_receipt(xml_bytes)`` → one ``Receipt`` per receipt entity in the message (a message may hold
up to 100). Rules:
- the input may be the bare ``ceb:CEBxxxMessage`` or a DXP envelope (``dxp:DxpMsg``, also inside a
  ``DxpMsgSv``), detected and unwrapped; the CEB namespace may be a prefix, the default namespace, or
  missing; children are found by name, so their order does not matter;
- ``keys`` are the entity's business keys under their XSD names (customs.md §4), e.g. CEB304
  ``{"ebpCode", "ebcCode", "orderNo"}``; a key the receipt leaves out is ``None``;
- ``return_time`` is ``returnTime`` (C17 ``yyyyMMddHHmmssfff``) as an aware datetime in China time;
  ``return_status`` is the text as given, ``status_code`` its int, ``status`` a ``ReturnStatus``;
- CEB792 has no returnStatus: ``head`` (``SummaryResultHead``) and ``lines`` carry the result,
  ``return_time`` is ``opDate``, keys are sumNo, declSeqNo and msgSeqNo. The official sample puts
  ``gnum`` where the XSD wants ``gseqno``: a missing ``gseqno`` is read as ``None``;
- CEB900 (``ceb-import.xsd``: ``CEB900Message`` → one ``MessageReturn`` with guid, returnStatus,
  returnInfo, returnTime, oriCopMsgId, oriMessageType, oriBizMessage): keys are oriCopMsgId and
  oriMessageType; the echoed original is in ``extra["oriBizMessage"]``;
- anything else (not XML, empty, an unknown root, a repeated element, a missing guid, returnStatus
  or returnTime, a bad number or time) raises ``CebParseError`` saying where.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from lxml import etree

from wms.customs.ceb.dxp import envelope_of, is_dxp
from wms.customs.ceb.errors import CebParseError
from wms.customs.ceb.records import Party
from wms.customs.ceb.spec import CEB_NS
from wms.customs.ceb.status import ReturnStatus
from wms.customs.ceb.values import parse_c17
from wms.customs.ceb.xmlio import child_texts, children, local, namespace, parse_xml

_ROOT = re.compile(r"^(CEB\d{3})Message$")
_STATUS = re.compile(r"^-?[0-9]{1,9}$")


@dataclass(frozen=True)
class ReceiptKind:
    """Which entity a receipt message holds and which of its fields are the business keys."""

    entity: str
    keys: tuple[str, ...]


RECEIPT_KINDS: dict[str, ReceiptKind] = {
    "CEB304": ReceiptKind("OrderReturn", ("ebpCode", "ebcCode", "orderNo")),
    "CEB404": ReceiptKind("ReceiptsReturn", ("ebcCode", "orderNo", "payNo")),
    "CEB506": ReceiptKind("LogisticsReturn", ("logisticsCode", "logisticsNo")),
    "CEB508": ReceiptKind("ArrivalReturn", ("operatorCode", "logisticsCode", "preNo", "copNo", "billNo",
                                            "msgSeqNo")),
    "CEB510": ReceiptKind("DepartureReturn", ("logisticsCode", "copNo", "preNo", "msgSeqNo")),
    "CEB604": ReceiptKind("InventoryReturn", ("agentCode", "copNo", "preNo", "invtNo", "ebcCode", "ebpCode",
                                              "orderNo", "statisticsFlag")),
    "CEB606": ReceiptKind("InvtCancelReturn", ("agentCode", "copNo", "preNo", "invtNo")),
    "CEB608": ReceiptKind("WayBillReturn", ("agentCode", "logisticsCode", "copNo", "preNo", "billNo",
                                            "msgSeqNo")),
    "CEB702": ReceiptKind("SummaryReturn", ("agentCode", "ebcCode", "copNo", "preNo", "sumNo", "msgSeqNo")),
    "CEB792": ReceiptKind("SummaryResult", ("sumNo", "declSeqNo", "msgSeqNo")),
    "CEB900": ReceiptKind("MessageReturn", ("oriCopMsgId", "oriMessageType")),
}


@dataclass(frozen=True)
class SummaryResultLine:
    """``SummaryResultList``: list line ``invt_no``/``gnum`` went into declaration line ``gseqno``."""

    invt_no: str
    logistics_no: str
    gseqno: int | None
    gnum: int
    gcode: str


@dataclass(frozen=True)
class SummaryResultHead:
    """``SummaryResultHead`` of CEB792: one resulting customs declaration (``decl_seq_no``)."""

    guid: str
    customs_code: str
    sum_no: str
    op_date: datetime
    decl_seq_no: str
    dec_tmp_no: str | None
    dec_pre_no: str | None
    entry_id: str | None
    dec_state: str
    agent: Party
    ebc: Party
    decl_agent: Party
    gross_weight: Decimal
    net_weight: Decimal
    msg_count: int
    msg_seq_no: int
    note: str | None


@dataclass(frozen=True)
class Receipt:
    """One receipt entity (CEB792: one summary result)."""

    message_type: str
    entity: str
    guid: str
    keys: Mapping[str, str | None]
    return_status: str | None
    return_time: datetime | None
    return_info: str
    message_guid: str | None = None
    head: SummaryResultHead | None = None
    lines: tuple[SummaryResultLine, ...] = ()
    extra: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def status_code(self) -> int | None:
        return None if self.return_status is None else int(self.return_status)

    @property
    def status(self) -> ReturnStatus | None:
        return None if self.return_status is None else ReturnStatus.of(self.return_status)

    @property
    def is_failure(self) -> bool:
        return self.status is not None and self.status.is_failure

    @property
    def is_final(self) -> bool:
        return self.status is not None and self.status.is_final_for(self.message_type)


def parse_receipt(xml_bytes: bytes) -> list[Receipt]:
    """Every receipt entity in ``xml_bytes`` (a CEB receipt message, bare or in a DXP envelope)."""
    root = parse_xml(xml_bytes, "receipt")
    if is_dxp(root):
        envelope = envelope_of(root)
        root = parse_xml(envelope.data, f"receipt in DXP envelope ({envelope.msg_type or 'no MsgType'})")
    match = _ROOT.match(local(root))
    if match is None or namespace(root) not in (CEB_NS, None):
        raise CebParseError(f"not a CEB receipt: root element is {root.tag}")
    message_type = match.group(1)
    kind = RECEIPT_KINDS.get(message_type)
    if kind is None:
        raise CebParseError(f"{message_type}Message is not a receipt; known: {', '.join(RECEIPT_KINDS)}")
    entities = children(root, kind.entity, CEB_NS)
    if not entities:
        raise CebParseError(f"{message_type}Message holds no {kind.entity}")
    message_guid = root.get("guid")
    read = _summary_result if message_type == "CEB792" else _entity
    return [read(message_type, kind, entity, f"{message_type} {kind.entity}[{n}]", message_guid)
            for n, entity in enumerate(entities, 1)]


def _entity(message_type: str, kind: ReceiptKind, element: etree._Element, where: str,
            message_guid: str | None) -> Receipt:
    texts = child_texts(element, CEB_NS, where)
    status = _required(texts, "returnStatus", where)
    if not _STATUS.match(status):
        raise CebParseError(f"{where}: returnStatus {status!r} is not a number")
    extra = {name: texts[name] for name in ("oriBizMessage",) if name in texts}
    return Receipt(
        message_type=message_type,
        entity=kind.entity,
        guid=_required(texts, "guid", where),
        keys=MappingProxyType({key: texts.get(key) for key in kind.keys}),
        return_status=status,
        return_time=_time(texts, "returnTime", where),
        return_info=texts.get("returnInfo", ""),
        message_guid=message_guid,
        extra=MappingProxyType(extra),
    )


def _summary_result(message_type: str, kind: ReceiptKind, element: etree._Element, where: str,
                    message_guid: str | None) -> Receipt:
    heads = children(element, "SummaryResultHead", CEB_NS)
    if len(heads) != 1:
        raise CebParseError(f"{where}: expected one SummaryResultHead, found {len(heads)}")
    texts = child_texts(heads[0], CEB_NS, where + ".SummaryResultHead")
    here = where + ".SummaryResultHead"
    head = SummaryResultHead(
        guid=_required(texts, "guid", here),
        customs_code=texts.get("customsCode", ""),
        sum_no=_required(texts, "sumNo", here),
        op_date=_time(texts, "opDate", here),
        decl_seq_no=_required(texts, "declSeqNo", here),
        dec_tmp_no=texts.get("decTmpNo") or None,
        dec_pre_no=texts.get("decPreNo") or None,
        entry_id=texts.get("entryId") or None,
        dec_state=texts.get("decState", ""),
        agent=Party(texts.get("agentCode", ""), texts.get("agentName", "")),
        ebc=Party(texts.get("ebcCode", ""), texts.get("ebcName", "")),
        decl_agent=Party(texts.get("declAgentCode", ""), texts.get("declAgentName", "")),
        gross_weight=_decimal(texts, "grossWeight", here),
        net_weight=_decimal(texts, "netWeight", here),
        msg_count=_int(texts, "msgCount", here),
        msg_seq_no=_int(texts, "msgSeqNo", here),
        note=texts.get("note") or None,
    )
    lines = []
    for n, line in enumerate(children(element, "SummaryResultList", CEB_NS), 1):
        line_where = f"{where}.SummaryResultList[{n}]"
        values = child_texts(line, CEB_NS, line_where)
        lines.append(SummaryResultLine(
            invt_no=_required(values, "invtNo", line_where),
            logistics_no=values.get("logisticsNo", ""),
            gseqno=_int(values, "gseqno", line_where) if values.get("gseqno") else None,
            gnum=_int(values, "gnum", line_where),
            gcode=values.get("gcode", ""),
        ))
    return Receipt(
        message_type=message_type,
        entity=kind.entity,
        guid=head.guid,
        keys=MappingProxyType({key: texts.get(key) for key in kind.keys}),
        return_status=None,
        return_time=head.op_date,
        return_info=head.note or "",
        message_guid=message_guid,
        head=head,
        lines=tuple(lines),
    )


def _required(texts: dict[str, str], name: str, where: str) -> str:
    value = texts.get(name)
    if not value:
        raise CebParseError(f"{where}: {name} is missing")
    return value


def _time(texts: dict[str, str], name: str, where: str) -> datetime:
    value = _required(texts, name, where)
    try:
        return parse_c17(value)
    except ValueError:
        raise CebParseError(f"{where}: {name} {value!r} is not a yyyyMMddHHmmssfff time") from None


def _int(texts: dict[str, str], name: str, where: str) -> int:
    value = _required(texts, name, where)
    if not (value.isascii() and value.isdigit()):
        raise CebParseError(f"{where}: {name} {value!r} is not a whole number")
    return int(value)


def _decimal(texts: dict[str, str], name: str, where: str) -> Decimal:
    value = _required(texts, name, where)
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise CebParseError(f"{where}: {name} {value!r} is not a number") from None
    if not number.is_finite():
        raise CebParseError(f"{where}: {name} {value!r} is not a number")
    return number
