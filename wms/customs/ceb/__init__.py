"""China customs 跨境电商统一版 (CEB, 202205 edition) export messages: pure Python, no database, no Flask.

- ``records``: frozen dataclasses of what the WMS declares (orders, payments, waybills, arrivals,
  departures, export lists and their cancellation, master bills, summary requests);
- ``build`` / ``build_batches`` / ``build_split``: unsigned ``ceb:CEBxxxMessage`` XML, validated
  against the XSD's rules before anything is written (``CebFieldError``);
- ``wrap_dxp`` / ``unwrap_dxp``: the DXP transport envelope;
- ``parse_receipt``: receipts CEB304…702, the CEB792 summary result and the CEB900 format check
  (``CebParseError``), with ``ReturnStatus`` explaining the codes.

Signing (XML-DSig with the UKey) is a separate, later step on the bytes ``build`` returns.
"""
from wms.customs.ceb.builder import batch, build, build_batches, build_split, split, validate
from wms.customs.ceb.dxp import (
    EXPORT_RECEIVER, IMPORT_RECEIVER, DxpEnvelope, read_dxp, unwrap_dxp, wrap_dxp)
from wms.customs.ceb.errors import CebError, CebFieldError, CebParseError
from wms.customs.ceb.receipts import Receipt, SummaryResultHead, SummaryResultLine, parse_receipt
from wms.customs.ceb.records import (
    AppStatus, AppType, ArrivalLine, ArrivalRecord, BaseSubscribe, BaseTransfer, DepartureLine,
    DepartureRecord, InventoryCancel, InventoryItem, InventoryRecord, OrderItem, OrderRecord, Party,
    PaymentRecord, Record, SplitRecord, SummaryApply, WaybillBill, WaybillLine, WaybillRecord)
from wms.customs.ceb.spec import CEB_NS, MESSAGE_TYPES, MessageType, message_type
from wms.customs.ceb.status import ReturnStatus
from wms.customs.ceb.values import CHINA_TZ, new_guid

__all__ = [
    "AppStatus", "AppType", "ArrivalLine", "ArrivalRecord", "BaseSubscribe", "BaseTransfer", "CEB_NS",
    "CHINA_TZ", "CebError", "CebFieldError", "CebParseError", "DepartureLine", "DepartureRecord",
    "DxpEnvelope", "EXPORT_RECEIVER", "IMPORT_RECEIVER", "InventoryCancel", "InventoryItem", "InventoryRecord",
    "MESSAGE_TYPES", "MessageType", "OrderItem", "OrderRecord", "Party", "PaymentRecord", "Receipt", "Record",
    "ReturnStatus", "SplitRecord", "SummaryApply", "SummaryResultHead", "SummaryResultLine", "WaybillBill",
    "WaybillLine", "WaybillRecord", "batch", "build", "build_batches", "build_split", "message_type",
    "new_guid", "parse_receipt", "read_dxp", "split", "unwrap_dxp", "validate", "wrap_dxp",
]
