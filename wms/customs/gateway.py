"""The customs gateway: one interface, chosen by ``WMS_CUSTOMS_GATEWAY``.

- ``sandbox`` behaves like customs: each declared record gets its receipts asynchronously (after a delay),
  some are rejected with realistic reasons, some lists are picked for inspection (查验, 500) before release
  (800) and closure (899). It is deterministic for a given seed, and its pending receipts live in the
  database (``customs_messages`` rows in state ``scheduled``), so a restart loses nothing. A 金二 核注清单
  (INV101) gets an INV201 approval (通过, with a ``bondInvtNo``) or refusal (退单, with a reason), and after
  approval an INV211 posting (已核扣) one delay later.
- ``folder`` is how a data-exchange client works: each CEB message is wrapped in the DXP envelope and
  written to the outbox folder; a 金二 message (INV…, SAS…) is written as it is, since its ``Package`` is
  already the transport envelope. Receipt files dropped into the inbox are read and moved to ``done/`` or
  ``error/``.

Signing is a step of its own: a no-op in the sandbox, an external signing service in production.
"""
from __future__ import annotations

import os
import random
import urllib.request
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa
from lxml import etree

from wms.customs import inv
from wms.customs.models import CustomsMessage
from wms.db import utcnow
from wms.extensions import db

CEB = "http://www.chinaport.gov.cn/ceb"
CHINA = timezone(timedelta(hours=8))

# outgoing message → (receipt message, receipt element, business element, head element or None)
RECEIPTS = {
    "CEB303": ("CEB304", "OrderReturn", "Order", "OrderHead"),
    "CEB403": ("CEB404", "ReceiptsReturn", "Receipts", None),
    "CEB505": ("CEB506", "LogisticsReturn", "Logistics", None),
    "CEB507": ("CEB508", "ArrivalReturn", "Arrival", "ArrivalHead"),
    "CEB509": ("CEB510", "DepartureReturn", "Departure", "DepartureHead"),
    "CEB603": ("CEB604", "InventoryReturn", "Inventory", "InventoryHead"),
    "CEB605": ("CEB606", "InvtCancelReturn", "InvtCancel", None),
    "CEB607": ("CEB608", "WayBillReturn", "WayBill", "WayBillHead"),
    "CEB701": ("CEB702", "SummaryReturn", "SummaryApply", "SummaryApplyHead"),
}
# the receipt's key fields, in the order of the 202205 XSD
RECEIPT_KEYS = {
    "OrderReturn": ("ebpCode", "ebcCode", "orderNo"),
    "ReceiptsReturn": ("ebcCode", "orderNo", "payNo"),
    "LogisticsReturn": ("logisticsCode", "logisticsNo"),
    "ArrivalReturn": ("operatorCode", "logisticsCode", "preNo", "copNo", "billNo", "msgSeqNo"),
    "DepartureReturn": ("logisticsCode", "copNo", "preNo", "msgSeqNo"),
    "InventoryReturn": ("agentCode", "copNo", "preNo", "invtNo", "ebcCode", "ebpCode", "orderNo", "statisticsFlag"),
    "InvtCancelReturn": ("agentCode", "copNo", "preNo", "invtNo"),
    "WayBillReturn": ("agentCode", "logisticsCode", "copNo", "preNo", "billNo", "msgSeqNo"),
    "SummaryReturn": ("agentCode", "ebcCode", "copNo", "preNo", "sumNo", "msgSeqNo"),
}
REJECTIONS = {
    "CEB303": ["订单编号[{orderNo}]已存在，不能重复新增", "电商企业[{ebcCode}]未在海关备案"],
    "CEB603": ["商品编码与商品备案不一致", "申报要素不完整，请补充品牌类型及出口享惠情况",
               "收发货人与电子订单电商企业不一致", "运单[{logisticsNo}]不存在或未入库"],
    "CEB505": ["运单编号[{logisticsNo}]已存在"],
}
INV_REJECTIONS = ["表体第1项商品料号与账册不一致", "账册[{PutrecNo}]不存在或已暂停使用",
                  "表体第1项法定计量单位与账册备案不一致", "企业内部编号[{EtpsInnerInvtNo}]已存在，不能重复申报"]
INV_INSPECTION = "转人工审核：海关布控查验，请配合查验"     # 2 转人工, as the sandbox's spot check (海关抽查)
JIN2_PREFIXES = ("INV", "SAS")      # 金关二期 messages: a Package, not a CEB message in a DXP envelope
INFO = {"2": "新增申报成功[{guid}]", "120": "海关入库成功", "399": "海关审结", "500": "海关查验：请配合查验",
        "800": "海关放行", "899": "结关"}


class GatewayError(Exception):
    """The message could not be handed over (transport, signing); it stays queued for a retry."""


@dataclass
class Incoming:
    name: str
    data: bytes
    message_id: int | None = None       # an already stored row (sandbox), else the worker stores it


class Signer:
    """No signature (sandbox, or a data-exchange client that signs itself)."""

    def sign(self, xml: bytes) -> bytes:
        return xml


class ServiceSigner(Signer):
    """An external signing service (UKey + customs client): POST the XML, get the signed XML back."""

    def __init__(self, url: str, timeout: float = 10):
        self.url, self.timeout = url, timeout

    def sign(self, xml: bytes) -> bytes:
        request = urllib.request.Request(self.url, data=xml, headers={"Content-Type": "application/xml"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:   # noqa: S310 (configured URL)
                return answer.read()
        except OSError as exc:
            raise GatewayError(f"signing service {self.url} failed: {exc}") from exc


class Gateway(ABC):
    name = ""

    def __init__(self, signer: Signer | None = None):
        self.signer = signer or Signer()

    @abstractmethod
    def send(self, message: CustomsMessage) -> None:
        """Hand one outgoing message over; raise GatewayError to have it retried."""

    @abstractmethod
    def fetch(self, limit: int = 100) -> list[Incoming]:
        """Receipts that have arrived and are not processed yet."""

    def done(self, item: Incoming, ok: bool) -> None:
        """Called once an incoming item is processed (ok) or could not be read (not ok)."""


# --- sandbox ------------------------------------------------------------------------------------------------

class SandboxGateway(Gateway):
    name = "sandbox"

    def __init__(self, delay_seconds: float = 2, reject_rate: float = 0.05, inspect_rate: float = 0.1,
                 seed: int = 2026, signer: Signer | None = None):
        super().__init__(signer)
        self.delay, self.reject_rate, self.inspect_rate, self.seed = delay_seconds, reject_rate, inspect_rate, seed

    def send(self, message: CustomsMessage) -> None:
        self.signer.sign(message.xml.encode())
        if message.message_type == "INV101":
            self._schedule_inv(message)
            return
        receipt_type, element, business, head = RECEIPTS[message.message_type]
        root = etree.fromstring(message.xml.encode())
        now = utcnow()
        for entity in root.findall(f"{{{CEB}}}{business}"):
            fields = _fields(entity, head)
            for step, (status, info) in enumerate(self._story(message.message_type, fields), start=1):
                xml = _receipt(receipt_type, element, fields, status, info, now + timedelta(seconds=self.delay * step))
                db.session.add(CustomsMessage(
                    direction="in", message_type=receipt_type, guid=fields.get("guid", ""), status="scheduled",
                    seller_id=message.seller_id, xml=xml, file_name=f"sandbox-{receipt_type}-{uuid.uuid4().hex[:8]}.xml",
                    next_attempt_at=now + timedelta(seconds=self.delay * step)))

    def _story(self, message_type: str, fields: dict) -> list[tuple[str, str]]:
        """The receipts customs would send for one record, decided by the seed and the record's guid."""
        rng = random.Random(f"{self.seed}:{fields.get('guid', '')}")
        rejected = message_type in REJECTIONS and rng.random() < self.reject_rate
        steps = [("2", INFO["2"])]
        if rejected:
            reason = rng.choice(REJECTIONS[message_type])
            return [*steps, ("100", _fill(reason, fields))]
        if message_type == "CEB603":
            steps += [("120", INFO["120"]), ("399", INFO["399"])]
            if rng.random() < self.inspect_rate:
                steps.append(("500", INFO["500"]))
            return [*steps, ("800", INFO["800"]), ("899", INFO["899"])]
        if message_type in ("CEB605", "CEB701"):
            return [*steps, ("399", INFO["399"])]
        return [*steps, ("120", INFO["120"])]

    def _schedule_inv(self, message: CustomsMessage) -> None:
        """INV201 after one delay; for an approved list, INV211 (posted) one delay later."""
        head = _package_head(message.xml.encode())
        now = utcnow()
        customs = head.get("DclPlcCuscd", "")
        seq = uuid.UUID(message.guid).int % 10 ** 9 if message.guid else uuid.uuid4().int % 10 ** 9
        bond_invt_no = f"QD{customs}{now.astimezone(CHINA):%y}{head.get('ImpexpMarkcd', 'I')}{seq:09d}"
        for step, (receipt_type, result, rmk) in enumerate(self._inv_story(message.guid, head), start=1):
            at = now + timedelta(seconds=self.delay * step)
            xml = inv.build_inv_receipt(receipt_type, cop_no=head.get("EtpsInnerInvtNo", ""),
                                        bond_invt_no=bond_invt_no, book_no=head.get("PutrecNo", ""), result=result,
                                        at=at, rmk=rmk, impexp=head.get("ImpexpMarkcd", "I"))
            db.session.add(CustomsMessage(
                direction="in", message_type=receipt_type, guid=message.guid, status="scheduled",
                seller_id=message.seller_id, xml=xml.decode(),
                file_name=f"sandbox-{receipt_type}-{uuid.uuid4().hex[:8]}.xml", next_attempt_at=at))

    def _inv_story(self, guid: str, head: dict[str, str]) -> list[tuple[str, str, str]]:
        """(receipt type, result code, remark) customs would send for one 核注清单, decided by seed and guid."""
        rng = random.Random(f"{self.seed}:{guid}")
        if rng.random() < self.reject_rate:
            return [("INV201", "3", _fill(rng.choice(INV_REJECTIONS), head))]
        checked = [("INV201", "2", INV_INSPECTION)] if rng.random() < self.inspect_rate else []
        return [*checked, ("INV201", "1", ""), ("INV211", "2", "")]

    def fetch(self, limit: int = 100) -> list[Incoming]:
        due = db.session.scalars(
            sa.select(CustomsMessage).where(CustomsMessage.direction == "in", CustomsMessage.status == "scheduled",
                                            CustomsMessage.next_attempt_at <= utcnow())
            .order_by(CustomsMessage.next_attempt_at, CustomsMessage.id).limit(limit)).all()
        return [Incoming(m.file_name, m.xml.encode(), m.id) for m in due]


def _fields(entity, head: str | None) -> dict[str, str]:
    source = entity.find(f"{{{CEB}}}{head}") if head else entity
    return {etree.QName(child).localname: (child.text or "") for child in source}


def _package_head(xml: bytes) -> dict[str, str]:
    """Element → text of the ``InvtHeadType`` of an INV101 we built (its ``EtpsInnerInvtNo``, ``PutrecNo`` …)."""
    head = etree.fromstring(xml).find("DataInfo/BussinessData/InvtMessage/InvtHeadType")
    return {} if head is None else {etree.QName(child).localname: (child.text or "") for child in head}


def _fill(text: str, fields: dict) -> str:
    try:
        return text.format(**fields)
    except (KeyError, IndexError):
        return text


def _receipt(receipt_type: str, element: str, fields: dict, status: str, info: str, at: datetime) -> str:
    """A receipt message as customs would send it (schema-valid CEBxxxMessage)."""
    fields = dict(fields)
    day = at.astimezone(CHINA)
    seq = int(uuid.UUID(fields.get("guid") or str(uuid.uuid4())).int % 10**9)
    if not fields.get("preNo"):
        fields["preNo"] = f"B{day:%Y%m%d}{seq:09d}"
    if element in ("InventoryReturn", "InvtCancelReturn") and not fields.get("invtNo"):
        fields["invtNo"] = f"{fields.get('customsCode', '5349')}{day:%Y}E{seq:09d}"[:18]
    if element == "SummaryReturn" and not fields.get("sumNo"):
        fields["sumNo"] = f"S{day:%Y%m%d}{seq:09d}"
    fields.setdefault("msgSeqNo", "1")
    nsmap = {"ceb": CEB}
    root = etree.Element(f"{{{CEB}}}{receipt_type}Message", nsmap=nsmap, guid=str(uuid.uuid4()).upper(), version="1.0")
    entity = etree.SubElement(root, f"{{{CEB}}}{element}")
    etree.SubElement(entity, f"{{{CEB}}}guid").text = fields.get("guid") or str(uuid.uuid4()).upper()
    for key in RECEIPT_KEYS[element]:
        etree.SubElement(entity, f"{{{CEB}}}{key}").text = fields.get(key, "")
    etree.SubElement(entity, f"{{{CEB}}}returnStatus").text = status
    etree.SubElement(entity, f"{{{CEB}}}returnTime").text = day.strftime("%Y%m%d%H%M%S") + f"{day.microsecond // 1000:03d}"
    etree.SubElement(entity, f"{{{CEB}}}returnInfo").text = _fill(info, fields)[:1000]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode()


# --- folder (data-exchange client) ------------------------------------------------------------------------

class FolderGateway(Gateway):
    name = "folder"

    def __init__(self, outbox: str | Path, inbox: str | Path, sender_id: str, signer: Signer | None = None):
        super().__init__(signer)
        self.outbox, self.inbox, self.sender_id = Path(outbox), Path(inbox), sender_id
        for folder in (self.outbox, self.inbox, self.inbox / "done", self.inbox / "error"):
            folder.mkdir(parents=True, exist_ok=True)

    def send(self, message: CustomsMessage) -> None:
        from wms.customs.ceb import wrap_dxp
        signed = self.signer.sign(message.xml.encode())
        if message.message_type.startswith(JIN2_PREFIXES):
            envelope = signed           # the 金二 Package is the transport envelope itself
        else:
            envelope = wrap_dxp(signed, f"{message.message_type}Message", sender_id=self.sender_id,
                                cop_msg_id=message.guid or None)
        name = message.file_name or f"{message.message_type}_{message.guid or message.id}.xml"
        temporary = self.outbox / f".{name}.part"
        try:
            temporary.write_bytes(envelope)
            os.replace(temporary, self.outbox / name)       # the client never sees a half-written file
        except OSError as exc:
            raise GatewayError(f"cannot write {self.outbox / name}: {exc}") from exc
        message.file_name = name

    def fetch(self, limit: int = 100) -> list[Incoming]:
        files = sorted(p for p in self.inbox.iterdir() if p.is_file() and p.suffix.lower() == ".xml")[:limit]
        return [Incoming(p.name, p.read_bytes()) for p in files]

    def done(self, item: Incoming, ok: bool) -> None:
        source = self.inbox / item.name
        if source.exists():
            os.replace(source, self.inbox / ("done" if ok else "error") / item.name)


def make_gateway(config) -> Gateway:
    """The gateway the configuration names (``WMS_CUSTOMS_GATEWAY`` = sandbox | folder)."""
    signer = ServiceSigner(config["CUSTOMS_SIGNER_URL"]) if config.get("CUSTOMS_SIGNER_URL") else Signer()
    kind = (config.get("CUSTOMS_GATEWAY") or "sandbox").lower()
    if kind == "folder":
        if not config.get("CUSTOMS_OUTBOX") or not config.get("CUSTOMS_INBOX"):
            raise ValueError("The folder gateway needs WMS_CUSTOMS_OUTBOX and WMS_CUSTOMS_INBOX.")
        return FolderGateway(config["CUSTOMS_OUTBOX"], config["CUSTOMS_INBOX"], config.get("CUSTOMS_DXP_ID", ""),
                             signer)
    if kind == "sandbox":
        return SandboxGateway(float(config.get("CUSTOMS_SANDBOX_DELAY", 2)),
                              float(config.get("CUSTOMS_SANDBOX_REJECT_RATE", 0.05)),
                              float(config.get("CUSTOMS_SANDBOX_INSPECT_RATE", 0.1)),
                              int(config.get("CUSTOMS_SANDBOX_SEED", 2026)), signer)
    raise ValueError(f"Unknown customs gateway {kind!r}: use sandbox or folder.")
