"""Declaration requests from JSON: any CEB record type, read into its dataclass with every field checked.

The JSON mirrors the records' Python names (``order_no``, ``ebc: {code, name}``, ``items: [...]``);
decimals may be strings or numbers, times are ISO 8601 with a zone. Errors are collected per field path
(``records.0.items.1.qty``) and answered as one 422.
"""
from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum

from wms.customs import ceb
from wms.errors import ValidationFailed

RECORD_TYPES = {"order": ceb.OrderRecord, "payment": ceb.PaymentRecord, "waybill": ceb.WaybillRecord,
                "arrival": ceb.ArrivalRecord, "departure": ceb.DepartureRecord, "inventory": ceb.InventoryRecord,
                "cancel": ceb.InventoryCancel, "waybill_bill": ceb.WaybillBill, "summary": ceb.SummaryApply}


class _Invalid(Exception):
    pass


def read_records(kind: str, items: list) -> list[ceb.Record]:
    """The records of ``kind`` described by ``items``; ValidationFailed names every bad field."""
    if kind not in RECORD_TYPES:
        raise ValidationFailed({"kind": [f"Must be one of: {', '.join(RECORD_TYPES)}."]})
    if not isinstance(items, list) or not items:
        raise ValidationFailed({"records": ["Missing data for required field."]})
    errors: dict[str, list[str]] = {}
    records = [_object(RECORD_TYPES[kind], item, f"records.{i}", errors) for i, item in enumerate(items)]
    if errors:
        raise ValidationFailed(errors)
    return records


def _object(cls, data, path: str, errors: dict):
    if not isinstance(data, dict):
        errors[path] = ["Invalid input type."]
        return None
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    for key in set(data) - set(fields):
        errors[f"{path}.{key}"] = ["Unknown field."]
    values = {}
    for name, f in fields.items():
        where = f"{path}.{name}"
        if name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                errors[where] = ["Missing data for required field."]
            continue
        try:
            values[name] = _value(hints[name], data[name], where, errors)
        except _Invalid as exc:
            errors[where] = [str(exc)]
    if any(k == path or k.startswith(path + ".") for k in errors):
        return None
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        errors[path] = [str(exc)]
        return None


def _value(kind, value, path: str, errors: dict):
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        kind = next(a for a in args if a is not type(None))
        origin, args = typing.get_origin(kind), typing.get_args(kind)
    if value is None:
        raise _Invalid("Field may not be null.")
    if origin in (tuple, list):
        if not isinstance(value, list):
            raise _Invalid("Not a valid list.")
        return [_value(args[0], v, f"{path}.{i}", errors) for i, v in enumerate(value)]
    if dataclasses.is_dataclass(kind):
        return _object(kind, value, path, errors)
    if isinstance(kind, type) and issubclass(kind, Enum):
        try:
            return kind(str(value))
        except ValueError:
            raise _Invalid(f"Must be one of: {', '.join(m.value for m in kind)}.") from None
    if kind is Decimal:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise _Invalid("Not a valid number.") from None
        if not number.is_finite() or isinstance(value, bool):
            raise _Invalid("Not a valid number.")
        return number
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Invalid("Not a valid integer.")
        return value
    if kind is datetime:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            raise _Invalid("Not a valid datetime.") from None
        if moment.tzinfo is None:
            raise _Invalid("Give the time zone, e.g. +08:00.")
        return moment
    if kind is date:
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise _Invalid("Not a valid date.") from None
    if kind is str:
        if not isinstance(value, str):
            raise _Invalid("Not a valid string.")
        return value
    raise _Invalid("Invalid input type.")
