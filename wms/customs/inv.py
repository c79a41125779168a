"""金关二期 核注清单 (INV101) for the temporary-storage inbound declaration (暂存入库单), and its receipts.

Pure Python, no database, no Flask. ``build_inv101`` turns an ``InvDeclaration`` into the message;
``parse_inv_receipt`` reads the INV201 (审核) and INV211 (记账) receipts customs sends back.

The message (customs.md §7; shape of gx-customs-bridge ``pkg/customs/sasmodels/inv101_models.go``)::

    <Package>
      <EnvelopInfo>
        <version>1.0</version>
        <message_id>{declaration guid}</message_id>
        <file_name>INV101_{guid}.xml</file_name>
        <message_type>INV101</message_type>
        <sender_id>{our DXP id}</sender_id>
        <receiver_id>DXPEDCSAS0000001</receiver_id>
        <send_time>2026-11-24T15:30:01</send_time>            China time, no offset (as customs writes it)
      </EnvelopInfo>
      <DataInfo>
        <BussinessData>                                      (sic, customs' spelling)
          <DelcareFlag>0</DelcareFlag>                       (sic) 0 暂存, 1 申报
          <InvtMessage>
            <SysId>Z8</SysId>
            <OperCusRegCode>{declarer's 10-character customs code}</OperCusRegCode>
            <InvtHeadType>…</InvtHeadType>
            <InvtListType>…</InvtListType>                   one per line
          </InvtMessage>
        </BussinessData>
      </DataInfo>
    </Package>

Decisions (confirm with the zone and 电子口岸 before production):
- head and line elements carry the §7 names with an upper-case first letter (``EtpsInnerInvtNo``,
  ``GdsSeqno``): that is what the enterprise import format looks like in the public builders
  (gx-customs-bridge marshals its ``Inv101Head``/``Inv101List`` structs, which have no XML tags, under
  their Go field names). Receipts from customs use lower camel case (``etpsInnerInvtNo``); the parser
  accepts either;
- ``DelcareFlag`` 0 (暂存) by default: the list is stored in the 单一窗口 and declared there by a
  person; ``declare=True`` sends 1 (申报) and declares at once;
- ``SysId`` ``Z8`` (保税物流管理, bonded warehouses and logistics centres); a special customs zone
  (综合保税区) book is ``Z7``: set ``InvDeclaration.sys_id``;
- ``supvModecd`` 5000 (料件进出区) with ``trspModecd`` 9 (其他) and ``stshipTrsarvNatcd`` 142: the
  values of the public 二线 inbound sample (an INV211 for an ``I`` list). 0110 (general trade) and
  1210 (bonded e-commerce) belong to the 报关单 and the CEB export list, not to a storage inbound;
- the list is 非报关 (``DclcusFlag`` 2, ``GenDecFlag`` 2, so no ``DclcusTypecd``/``DecType`` and no
  ``EntryGdsSeqno``): goods stored temporarily are declared to customs later, on their export list;
- ``DclTypecd`` 1 (备案), ``InvtType`` 0 (普通清单), ``MtpckEndprdMarkcd`` I (料件: a bonded
  warehouse books goods as materials), per line ``LvyrlfModecd`` 3 (全免, bonded) and ``ModfMarkcd``
  3 (增加, a new line); the declarer is also the 录入单位 (``Input*``);
- ``SeqNo``/``BondInvtNo`` are left out: customs hands them out (``bondInvtNo`` arrives on INV201);
- ``receiver_id`` ``DXPEDCSAS0000001`` is the 金二 (SAS) data-exchange receiver as commonly
  configured; it is not published by customs, so it is a parameter;
- no signature: the signing step wraps the Package in ``<Signature><Object>`` (as the public builders
  do) before it leaves; the Package is itself the transport envelope, so it is never put in a DXP
  ``DxpMsg`` (unlike CEB messages).

Values are checked before anything is built; the first problem raises ``InvFieldError`` (a
``CebFieldError``) naming the element, e.g. ``InvtListType[2].Gdecd``.
"""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

from wms.customs.ceb.dxp import envelope_of, is_dxp
from wms.customs.ceb.errors import CebFieldError, CebParseError
from wms.customs.ceb.spec import DS_NS, GUID_RULE
from wms.customs.ceb.values import CHINA_TZ, RuleBroken, Text, c8, china_now, decimal_text
from wms.customs.ceb.xmlio import local, parse_xml

INV_RECEIVER = "DXPEDCSAS0000001"
"""金二 receiver DXP id as commonly configured (not published by customs: confirm with 电子口岸)."""
CUSTOMS_SENDER = "CUS0000"
"""``sender_id`` of receipts customs sends (public INV201/INV211 samples)."""
SYS_BONDED_LOGISTICS = "Z8"
SYS_SPECIAL_ZONE = "Z7"

INV201_RESULTS = {"1": "通过", "2": "转人工", "3": "退单", "Y": "入库成功", "Z": "入库失败"}
"""INV201 ``manageResult``; a real sample also shows 4, meaning undocumented."""
INV211_MARKS = {"0": "未核扣", "1": "预核扣", "2": "已核扣", "3": "已核销"}
"""INV211 ``vrfdedMarkcd``."""
RECEIPT_EVENTS = {
    "INV201": {"1": "status_800", "2": "status_300", "3": "status_100", "Y": "status_800", "Z": "status_100"},
    "INV211": {"2": "status_899", "3": "status_899"},
}
"""Receipt code → ``CUSTOMS_RECORD`` event. INV201 通过/入库成功 release the list (800), 转人工 puts it in
manual review (300), 退单/入库失败 reject it (100); INV211 已核扣/已核销 close it (899: posted to the book).
Any other code (INV201 4, INV211 0/1) moves nothing and is only written on the timeline."""
RECEIPT_TYPES = tuple(RECEIPT_EVENTS)


class InvFieldError(CebFieldError):
    """A 核注清单 value breaks a rule; ``field`` is the element (``InvtListType[2].Gdecd``)."""


# --- what the WMS declares -----------------------------------------------------------------------------

@dataclass(frozen=True)
class InvParty:
    """An enterprise as 金二 names it: 18-character social credit code, 10-character customs code, name."""

    scc: str
    code: str
    name: str


@dataclass(frozen=True)
class InvLine:
    """One 核注清单 line: a book item (备案序号 / 料号) and the quantity entering the zone."""

    seq_no: int                 # gdsSeqno, 1, 2, 3 … in order
    book_seq_no: int            # putrecSeqno, the book line (备案序号)
    item_no: str                # gdsMtno, 料号 as filed in the book
    hs_code: str                # gdecd, 10 digits
    name: str                   # gdsNm
    spec: str                   # gdsSpcfModelDesc, 规格型号 (申报要素)
    unit: str                   # dclUnitcd, customs unit code (011 件)
    qty: Decimal                # dclQty
    legal_unit: str             # lawfUnitcd
    legal_qty: Decimal          # lawfQty
    price: Decimal              # dclUprcAmt, unit price (at most 4 decimals)
    currency: str               # dclCurrcd, customs currency code (142 人民币, 502 美元)
    origin: str                 # natcd, customs country code (142 中国)
    destination: str            # destinationNatcd
    dangerous: bool = False     # clyMarkcd, 危化品

    @property
    def total(self) -> Decimal:
        """``dclTotalAmt``: quantity × price, rounded half up to 2 decimals (customs allows 2)."""
        return (Decimal(self.qty) * Decimal(self.price)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class InvDeclaration:
    """A 暂存入库单 declared as a 核注清单 INV101 (see the module docstring for the defaults)."""

    guid: str                   # ours: the message id and the customs record's guid (upper-case UUID)
    cop_no: str                 # etpsInnerInvtNo, our number for the list
    book_no: str                # putrecNo, the zone book (账册, 12 characters)
    customs_code: str           # dclPlcCuscd and impexpPortcd, 4 digits
    owner: InvParty             # 经营企业 (bizop)
    consignee: InvParty         # 收发货企业 (rvsngd / rcvgd)
    declarer: InvParty          # 申报企业 (dcl), also 录入单位 and OperCusRegCode
    lines: list[InvLine]
    impexp: str = "I"           # impexpMarkcd: I into the zone
    supervision_mode: str = "5000"   # supvModecd: 料件进出区
    transport_mode: str = "9"   # trspModecd: 其他 (二线 by road inside China)
    ship_country: str = "142"   # stshipTrsarvNatcd: 起运国, China for 二线
    sys_id: str = SYS_BONDED_LOGISTICS
    note: str = ""              # rmk

    @property
    def label(self) -> str:
        return f"InvDeclaration(etpsInnerInvtNo={self.cop_no})"


# --- building ------------------------------------------------------------------------------------------

# Lengths and character sets: codes as 金二 defines them (18/10-character enterprise codes, 4-digit customs,
# 3-digit unit/currency/country, 10-digit HS); free text limits are the WMS's own, generous ones.
_SCC = Text(length=18, pattern=r"[0-9A-Z]{18}", hint="18 digits or upper-case letters")
_CUS_CODE = Text(length=10, pattern=r"[0-9A-Z]{10}", hint="10 digits or upper-case letters")
_NAME = Text(max_len=512)
_COP_NO = Text(max_len=30)     # 金二 allows 64; the WMS keeps 30 (customs_records.cop_no)
_BOOK = Text(length=12, pattern=r"[0-9A-Z]{12}", hint="12 digits or upper-case letters")
_CUSTOMS = Text(length=4, pattern=r"\d{4}", hint="4 digits")
_CODE3 = Text(length=3, pattern=r"\d{3}", hint="3 digits")
_HS = Text(length=10, pattern=r"\d{10}", hint="10 digits")
_ITEM_NO = Text(max_len=32)
_GOODS_NAME = Text(max_len=512)
_SPEC = Text(max_len=512)
_IMPEXP = Text(choices=("I", "E"))
_SUPV = Text(length=4, pattern=r"\d{4}", hint="4 digits")
_TRSP = Text(length=1, pattern=r"[0-9A-Z]", hint="one digit or upper-case letter")
_SYS_ID = Text(choices=(SYS_SPECIAL_ZONE, SYS_BONDED_LOGISTICS))
_NOTE = Text(max_len=255)
_ID = Text(max_len=16, pattern=r"[0-9A-Za-z]+", hint="letters and digits")
_MAX_SEQ = 10 ** 19


def build_inv101(decl: InvDeclaration, sender_id: str, *, receiver_id: str = INV_RECEIVER, declare: bool = False,
                 now: datetime | None = None) -> bytes:
    """The unsigned INV101 ``Package`` for ``decl`` (UTF-8 bytes with declaration); ``InvFieldError`` first
    if any value is wrong. ``now`` (aware; default: now) gives ``send_time``, ``InputTime`` and ``InvtDclTime``."""
    now = now or china_now()
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvFieldError("send_time", now, "naive datetime: give it a timezone (金二 times are China time)")
    label = decl.label
    check = _Checker(label)
    guid = check.text("guid", decl.guid, GUID_RULE)
    envelope = [("version", "1.0"), ("message_id", guid), ("file_name", f"INV101_{guid}.xml"),
                ("message_type", "INV101"), ("sender_id", check.text("sender_id", sender_id, _ID)),
                ("receiver_id", check.text("receiver_id", receiver_id, _ID)),
                ("send_time", now.astimezone(CHINA_TZ).strftime("%Y-%m-%dT%H:%M:%S"))]
    day = c8(now)
    head = [
        ("EtpsInnerInvtNo", check.text("EtpsInnerInvtNo", decl.cop_no, _COP_NO)),
        ("PutrecNo", check.text("PutrecNo", decl.book_no, _BOOK)),
        ("DclTypecd", "1"),
        ("InvtType", "0"),
        *check.party("Bizop", ("BizopEtpsSccd", "BizopEtpsno", "BizopEtpsNm"), decl.owner),
        *check.party("Dcl", ("DclEtpsSccd", "DclEtpsno", "DclEtpsNm"), decl.declarer),
        *check.party("Rvsngd", ("RvsngdEtpsSccd", "RcvgdEtpsno", "RcvgdEtpsNm"), decl.consignee),
        *check.party("Input", ("InputCreditCode", "InputCode", "InputName"), decl.declarer),
        ("InputTime", day),
        ("InvtDclTime", day),
        ("ImpexpMarkcd", check.text("ImpexpMarkcd", decl.impexp, _IMPEXP)),
        ("MtpckEndprdMarkcd", "I"),
        ("SupvModecd", check.text("SupvModecd", decl.supervision_mode, _SUPV)),
        ("TrspModecd", check.text("TrspModecd", decl.transport_mode, _TRSP)),
        ("ImpexpPortcd", check.text("ImpexpPortcd", decl.customs_code, _CUSTOMS)),
        ("DclPlcCuscd", check.text("DclPlcCuscd", decl.customs_code, _CUSTOMS)),
        ("StshipTrsarvNatcd", check.text("StshipTrsarvNatcd", decl.ship_country, _CODE3)),
        ("DclcusFlag", "2"),
        ("GenDecFlag", "2"),
    ]
    if decl.note:
        head.append(("Rmk", check.text("Rmk", decl.note, _NOTE)))
    lines = list(decl.lines or ())
    if not lines:
        raise InvFieldError("InvtListType", "0 lines", "a 核注清单 needs at least one line", record=label)
    body = [check.line(position, line) for position, line in enumerate(lines, 1)]
    sys_id = check.text("SysId", decl.sys_id, _SYS_ID)
    oper_code = check.text("OperCusRegCode", decl.declarer.code, _CUS_CODE)

    root = etree.Element("Package")
    _fill(etree.SubElement(root, "EnvelopInfo"), envelope)
    data = etree.SubElement(etree.SubElement(root, "DataInfo"), "BussinessData")
    etree.SubElement(data, "DelcareFlag").text = "1" if declare else "0"
    message = etree.SubElement(data, "InvtMessage")
    etree.SubElement(message, "SysId").text = sys_id
    etree.SubElement(message, "OperCusRegCode").text = oper_code
    _fill(etree.SubElement(message, "InvtHeadType"), head)
    for nodes in body:
        _fill(etree.SubElement(message, "InvtListType"), nodes)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


class _Checker:
    """Renders values by their rules, turning a broken rule into ``InvFieldError`` for the element."""

    def __init__(self, label: str):
        self.label = label

    def text(self, name: str, value: object, rule: Text) -> str:
        if value is None or value == "":
            raise InvFieldError(name, value, "required", record=self.label)
        try:
            return rule.render(value)
        except RuleBroken as broken:
            raise InvFieldError(name, value, str(broken), record=self.label) from None

    def number(self, name: str, value: object, places: int) -> str:
        if value is None:
            raise InvFieldError(name, value, "required", record=self.label)
        try:
            text = decimal_text(value, fraction_digits=places)  # type: ignore[arg-type]
        except RuleBroken as broken:
            raise InvFieldError(name, value, str(broken), record=self.label) from None
        if Decimal(text) == 0:
            raise InvFieldError(name, value, "must be more than 0", record=self.label)
        return text

    def seq(self, name: str, value: object) -> str:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvFieldError(name, value, "must be an int", record=self.label)
        if not 1 <= value < _MAX_SEQ:
            raise InvFieldError(name, value, "must be from 1 to 19 digits", record=self.label)
        return str(value)

    def party(self, role: str, names: tuple[str, str, str], party: InvParty | None) -> list[tuple[str, str]]:
        if party is None:
            raise InvFieldError(names[0], None, f"required ({role} enterprise)", record=self.label)
        scc, code, name = names
        return [(scc, self.text(scc, party.scc, _SCC)), (code, self.text(code, party.code, _CUS_CODE)),
                (name, self.text(name, party.name, _NAME))]

    def line(self, position: int, line: InvLine) -> list[tuple[str, str]]:
        """One ``InvtListType``: (element, text) in order; errors name ``InvtListType[position].<element>``."""
        def at(name: str) -> str:
            return f"InvtListType[{position}].{name}"

        def text(name: str, value: object, rule: Text) -> tuple[str, str]:
            return name, self.text(at(name), value, rule)

        def number(name: str, value: object, places: int) -> tuple[str, str]:
            return name, self.number(at(name), value, places)

        if line.seq_no != position:
            raise InvFieldError(at("GdsSeqno"), line.seq_no, f"lines are numbered 1, 2, 3 … in order: expected "
                                f"{position}", record=self.label)
        nodes = [("GdsSeqno", self.seq(at("GdsSeqno"), line.seq_no)),
                 ("PutrecSeqno", self.seq(at("PutrecSeqno"), line.book_seq_no)),
                 text("Gdecd", line.hs_code, _HS), text("GdsMtno", line.item_no, _ITEM_NO),
                 text("GdsNm", line.name, _GOODS_NAME), text("GdsSpcfModelDesc", line.spec, _SPEC),
                 text("LawfUnitcd", line.legal_unit, _CODE3), number("LawfQty", line.legal_qty, 5),
                 text("DclUnitcd", line.unit, _CODE3), number("DclQty", line.qty, 5),
                 text("DclCurrcd", line.currency, _CODE3), number("DclUprcAmt", line.price, 4)]
        nodes += [number("DclTotalAmt", line.total, 2),     # qty and price are valid by now
                  text("Natcd", line.origin, _CODE3), text("DestinationNatcd", line.destination, _CODE3),
                  ("LvyrlfModecd", "3"), ("ClyMarkcd", "1" if line.dangerous else "0"), ("ModfMarkcd", "3")]
        return nodes


def _fill(parent: etree._Element, nodes: Sequence[tuple[str, str]]) -> None:
    for name, text in nodes:
        etree.SubElement(parent, name).text = text


# --- receipts ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InvReceipt:
    """One INV201 (审核) or INV211 (记账) receipt for a 核注清单.

    ``result`` is INV201 ``manageResult`` or INV211 ``vrfdedMarkcd``; ``info`` the receipt's ``rmk``, or
    the meaning of the code when customs gave no remark; ``at`` INV201 ``manageDate``, INV211
    ``formalVrfdedTime`` (else ``prevdTime``, else the envelope's ``send_time``), China time.
    ``return_status``/``return_info``/``return_time`` give the same under the names CEB receipts use.
    """

    message_type: str
    cop_no: str
    bond_invt_no: str
    result: str
    info: str
    at: datetime | None
    message_id: str = ""

    @property
    def event(self) -> str | None:
        """The ``CUSTOMS_RECORD`` event (``RECEIPT_EVENTS``), or None for a code that moves nothing."""
        return RECEIPT_EVENTS.get(self.message_type, {}).get(self.result)

    @property
    def return_status(self) -> str:
        return self.result

    @property
    def return_info(self) -> str:
        return self.info

    @property
    def return_time(self) -> datetime | None:
        return self.at


def parse_inv_receipt(data: bytes) -> list[InvReceipt]:
    """The receipts in an INV201/INV211 ``Package``; ``CebParseError`` for anything else.

    Accepted shapes, as in the public samples: a bare ``Package`` (in the xmldsig namespace, or none),
    the same inside ``<Signature><Object>``, or either one base64-encoded in a DXP ``DxpMsg``. The
    message type is ``EnvelopInfo/message_type``; ``DataInfo/BussinessData`` holds one ``INV201``
    (``HdeApprResult`` with ``manageResult``, ``manageDate``, ``rmk``, ``businessId``; ``BondInvtBsc``
    with ``etpsInnerInvtNo``, ``bondInvtNo``) or ``INV211`` (``BondInvtBsc`` with ``etpsInnerInvtNo``,
    ``bondInvtNo``, ``vrfdedMarkcd``, ``formalVrfdedTime``, ``rmk``) per receipt. Element names are
    compared without regard to the case of their first letter. A receipt needs its result code and at
    least one of ``etpsInnerInvtNo``/``bondInvtNo``.
    """
    package = _package(data)
    envelope = _texts(_one(package, "EnvelopInfo", "Package"), "EnvelopInfo")
    message_type = envelope.get("message_type", "")
    if message_type not in RECEIPT_TYPES:
        raise CebParseError(f"Package: message_type {message_type or '(missing)'} is not a receipt we read "
                            f"({', '.join(RECEIPT_TYPES)})")
    business = _one(_one(package, "DataInfo", "Package"), "BussinessData", "DataInfo")
    entities = _all(business, message_type)
    if not entities:
        raise CebParseError(f"{message_type}: BussinessData holds no {message_type}")
    sent = _time(envelope.get("send_time", ""), "EnvelopInfo.send_time")
    read = _inv201 if message_type == "INV201" else _inv211
    return [read(entity, f"{message_type}[{n}]", envelope.get("message_id", ""), sent)
            for n, entity in enumerate(entities, 1)]


def is_package(data: bytes) -> bool:
    """Whether ``data`` is a 金二 ``Package`` (bare, signed, or in a DXP envelope), not a CEB message."""
    try:
        _package(data)
    except CebParseError:
        return False
    return True


def _inv201(entity: etree._Element, where: str, message_id: str, sent: datetime | None) -> InvReceipt:
    result = _texts(_one(entity, "HdeApprResult", where), where + ".HdeApprResult")
    heads = _all(entity, "BondInvtBsc")
    head = _texts(_one(entity, "BondInvtBsc", where), where + ".BondInvtBsc") if heads else {}
    code = _required(result, "manageResult", where + ".HdeApprResult")
    return _receipt("INV201", where, head, code, result.get("rmk") or INV201_RESULTS.get(code, f"处理结果 {code}"),
                    _time(result.get("manageDate", ""), where + ".manageDate") or sent, message_id,
                    fallback_no=result.get("businessId", ""))


def _inv211(entity: etree._Element, where: str, message_id: str, sent: datetime | None) -> InvReceipt:
    head = _texts(_one(entity, "BondInvtBsc", where), where + ".BondInvtBsc")
    code = _required(head, "vrfdedMarkcd", where + ".BondInvtBsc")
    at = (_time(head.get("formalVrfdedTime", ""), where + ".formalVrfdedTime")
          or _time(head.get("prevdTime", ""), where + ".prevdTime") or sent)
    return _receipt("INV211", where, head, code, head.get("rmk") or INV211_MARKS.get(code, f"核扣标记 {code}"),
                    at, message_id)


def _receipt(message_type: str, where: str, head: dict[str, str], code: str, info: str, at: datetime | None,
             message_id: str, fallback_no: str = "") -> InvReceipt:
    cop_no, bond_invt_no = head.get("etpsInnerInvtNo", ""), head.get("bondInvtNo", "") or fallback_no
    if not (cop_no or bond_invt_no):
        raise CebParseError(f"{where}: neither etpsInnerInvtNo nor bondInvtNo is given")
    return InvReceipt(message_type=message_type, cop_no=cop_no, bond_invt_no=bond_invt_no, result=code,
                      info=info, at=at, message_id=message_id)


def _package(data: bytes) -> etree._Element:
    root = parse_xml(data, "金二 receipt")
    if is_dxp(root):
        envelope = envelope_of(root)
        root = parse_xml(envelope.data, f"金二 receipt in DXP envelope ({envelope.msg_type or 'no MsgType'})")
    if local(root) == "Signature" and etree.QName(root).namespace in (DS_NS, None):
        root = _one(_one(root, "Object", "Signature"), "Package", "Signature.Object")
    if local(root) != "Package" or etree.QName(root).namespace not in (DS_NS, None):
        raise CebParseError(f"not a 金二 Package: root element is {root.tag}")
    return root


def _key(name: str) -> str:
    return name[:1].lower() + name[1:]


def _all(parent: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in parent if isinstance(child.tag, str) and _key(local(child)) == _key(name)]


def _one(parent: etree._Element, name: str, where: str) -> etree._Element:
    found = _all(parent, name)
    if len(found) != 1:
        raise CebParseError(f"{where}: {name} is {'missing' if not found else 'repeated'}")
    return found[0]


def _texts(element: etree._Element, where: str) -> dict[str, str]:
    """First-letter-lower-cased local name → stripped text of the simple children; a repeat is an error."""
    texts: dict[str, str] = {}
    for child in element:
        if not isinstance(child.tag, str) or len(child):
            continue
        name = _key(local(child))
        if name in texts:
            raise CebParseError(f"{where}: element {name} appears twice")
        texts[name] = (child.text or "").strip()
    return texts


def _required(texts: dict[str, str], name: str, where: str) -> str:
    value = texts.get(name, "")
    if not value:
        raise CebParseError(f"{where}: {name} is missing")
    return value


_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y%m%d%H%M%S", "%Y-%m-%d", "%Y%m%d")


def _time(text: str, where: str) -> datetime | None:
    """A 金二 time (``2024-07-30 11:48:02``, ``2024-07-30T11:48:03``, ``20240730``…) in China time; "" → None."""
    text = text.strip().split(".")[0]
    if not text:
        return None
    for pattern in _TIME_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=CHINA_TZ)
        except ValueError:
            continue
    raise CebParseError(f"{where}: {text!r} is not a time")


# --- receipts as customs sends them (the sandbox, tests) -----------------------------------------------

def build_inv_receipt(message_type: str, *, cop_no: str, bond_invt_no: str, book_no: str, result: str,
                      at: datetime, rmk: str = "", impexp: str = "I", receiver_id: str = "") -> bytes:
    """An INV201 or INV211 receipt in the shape of the public samples (``Package`` in the xmldsig namespace).

    INV201: ``result`` is ``manageResult``, written with ``manageDate`` and ``rmk`` in ``HdeApprResult``;
    INV211: ``result`` is ``vrfdedMarkcd`` with ``formalVrfdedTime`` = ``at`` when posted (2/3).
    """
    if message_type not in RECEIPT_TYPES:
        raise ValueError(f"{message_type} is not a receipt type ({', '.join(RECEIPT_TYPES)})")
    moment = at.astimezone(CHINA_TZ)
    stamp = moment.strftime("%Y-%m-%d %H:%M:%S")
    message_id = f"{CUSTOMS_SENDER}{moment:%Y%m%d%H%M%S}{uuid.uuid4().int % 10 ** 12:012d}"
    root = etree.Element(f"{{{DS_NS}}}Package", nsmap={None: DS_NS})

    def add(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
        element = etree.SubElement(parent, f"{{{DS_NS}}}{name}")
        if text is not None:
            element.text = text
        return element

    envelope = add(root, "EnvelopInfo")
    for name, text in (("version", "1.0"), ("message_id", message_id), ("file_name", f"{message_id}.INV"),
                       ("message_type", message_type), ("sender_id", CUSTOMS_SENDER),
                       ("receiver_id", receiver_id), ("send_time", moment.strftime("%Y-%m-%dT%H:%M:%S"))):
        add(envelope, name, text)
    data = add(root, "DataInfo")
    pocket = add(data, "PocketInfo")
    for name, text in (("pocket_id", f"{bond_invt_no or cop_no}-{uuid.uuid4().hex}"), ("total_pocket_qty", "1"),
                       ("cur_pocket_no", "1"), ("is_unstructured", "")):
        add(pocket, name, text)
    entity = add(add(data, "BussinessData"), message_type)
    if message_type == "INV201":
        approval = add(entity, "HdeApprResult")
        for name, text in (("businessId", bond_invt_no), ("tmsCnt", "0"), ("typecd", "1"),
                           ("manageResult", result), ("manageDate", stamp), ("rmk", rmk)):
            add(approval, name, text)
    head = add(entity, "BondInvtBsc")
    posting = message_type == "INV211"
    rows = [("bondInvtNo", bond_invt_no), ("chgTmsCnt", "0"), ("putrecNo", book_no), ("etpsInnerInvtNo", cop_no),
            ("impexpMarkcd", impexp), ("formalVrfdedTime", stamp if posting and result in ("2", "3") else ""),
            ("vrfdedMarkcd", result if posting else "0"), ("rmk", rmk if posting else ""), ("dclTypecd", "1")]
    for name, text in rows:
        add(head, name, text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
