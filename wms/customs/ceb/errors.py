"""Errors of the CEB package: one for data we refuse to send, one for messages we cannot read.

Both derive from ``ValueError`` (bad values, not bugs) and from ``CebError``, so a caller can catch the
whole family with one clause.
"""
from __future__ import annotations

_SHOWN = 60  # characters of a bad value quoted in a message


class CebError(ValueError):
    """Base of every error raised by ``wms.customs.ceb``."""


class CebFieldError(CebError):
    """A business value breaks an XSD or spec rule; raised before any XML is built.

    ``field`` is the XSD element name, prefixed by its element path for line items
    (``OrderList[2].itemName``); ``record`` names the record it belongs to
    (``OrderRecord(orderNo=SO123)``); ``rule`` says what is wrong in plain words.
    """

    def __init__(self, field: str, value: object, rule: str, *, record: str | None = None):
        self.field = field
        self.value = value
        self.rule = rule
        self.record = record
        where = f"{record}: {field}" if record else field
        super().__init__(f"{where}: {rule} (got {_show(value)})")


class CebParseError(CebError):
    """A receipt or DXP envelope is not something we can read: not XML, wrong root, missing fields."""


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"
