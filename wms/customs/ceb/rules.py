"""Rules across fields that the XSD cannot say; checked after every single value passed its own rule.

- Line numbers ``gnum`` of orders and lists run 1, 2, 3… in order: the order's gnum links to the
  list line with the same gnum (customs.md §3.1, §6).
- Special-zone export (``tradeMode`` 1210/1239) needs ``iacCode``/``iacName``, ``emsNo`` and each
  line's ``itemRecordNo`` (customs.md §3.6, "N*"); ``qty2``/``unit2`` come together.
- A list's net weight is above 0 and at most its gross weight (the public customs mock checks it).
- Changing or deleting a list (``appType`` 2/3) sends the portal's ``preNo`` or ``invtNo``.
- Split documents: ``msgSeqNo`` from 1 to ``msgCount``.
- A summary request either lists ``invtNo``s or gives the ``startTime``/``endTime`` pair, with the
  end not before the start.
"""
from __future__ import annotations

from collections.abc import Sequence

from wms.customs.ceb.errors import CebFieldError
from wms.customs.ceb.records import (
    BONDED_TRADE_MODES, AppType, InventoryRecord, OrderRecord, Record, SplitRecord, SummaryApply)


def check(record: Record) -> None:
    """Raise ``CebFieldError`` for the first cross-field rule ``record`` breaks."""
    if isinstance(record, OrderRecord):
        _line_numbers(record, "OrderList", record.items)
    if isinstance(record, InventoryRecord):
        _inventory(record)
    if isinstance(record, SplitRecord) and record.msg_seq_no > record.msg_count:
        raise CebFieldError("msgSeqNo", record.msg_seq_no, f"must be from 1 to msgCount ({record.msg_count})",
                            record=record.label)
    if isinstance(record, SummaryApply):
        _summary(record)


def _line_numbers(record: Record, element: str, lines: Sequence) -> None:
    for position, line in enumerate(lines, 1):
        if line.gnum != position:
            raise CebFieldError(f"{element}[{position}].gnum", line.gnum,
                                f"line numbers must run 1, 2, 3… in order: expected {position}",
                                record=record.label)


def _inventory(record: InventoryRecord) -> None:
    _line_numbers(record, "InventoryList", record.items)
    bonded = f"required for special-zone export (tradeMode {record.trade_mode})"
    if record.trade_mode in BONDED_TRADE_MODES:
        if record.iac is None:
            raise CebFieldError("iacCode", None, bonded + ": the zone warehouse company", record=record.label)
        if not record.ems_no:
            raise CebFieldError("emsNo", record.ems_no, bonded + ": the account book number",
                                record=record.label)
        for position, item in enumerate(record.items, 1):
            if not item.item_record_no:
                raise CebFieldError(f"InventoryList[{position}].itemRecordNo", item.item_record_no,
                                    bonded + ": the account-book item of this line", record=record.label)
    for position, item in enumerate(record.items, 1):
        if (item.qty2 is None) != (item.unit2 is None):
            field = "qty2" if item.qty2 is None else "unit2"
            raise CebFieldError(f"InventoryList[{position}].{field}", None, "qty2 and unit2 go together",
                                record=record.label)
    if not 0 < record.net_weight <= record.gross_weight:
        raise CebFieldError("netWeight", record.net_weight,
                            f"must be above 0 and at most grossWeight ({record.gross_weight})",
                            record=record.label)
    if record.app_type != AppType.NEW and not (record.pre_no or record.invt_no):
        raise CebFieldError("preNo", None, "a change or delete must send the portal's preNo or invtNo",
                            record=record.label)


def _summary(record: SummaryApply) -> None:
    if (record.start_time is None) != (record.end_time is None):
        field = "startTime" if record.start_time is None else "endTime"
        raise CebFieldError(field, None, "startTime and endTime go together", record=record.label)
    if record.start_time is not None and record.end_time < record.start_time:
        raise CebFieldError("endTime", record.end_time, "must not be before startTime", record=record.label)
    if record.start_time is None and not record.invt_nos:
        raise CebFieldError("SummaryApplyList", (), "list the invtNo of each list, or give startTime/endTime",
                            record=record.label)
