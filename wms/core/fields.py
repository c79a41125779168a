"""Marshmallow fields shared by every domain's schemas."""
from __future__ import annotations

import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from wms.masterdata.rules import fold_width, normalize_code


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Text(fields.String):
    """Free text: trimmed; blank is refused when the field is required; control characters never stored."""
    control = CONTROL_CHARACTERS

    def __init__(self, *, max_length: int = 200, **kwargs):
        kwargs.setdefault("validate", validate.Length(max=max_length))
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs).strip()
        if self.control.search(value):
            raise ValidationError("Must not contain control characters.")
        if self.required and not value:
            raise ValidationError("Must not be blank.")
        return value


class Code(Text):
    """A code people type or scan: full-width folded to ASCII, spaces trimmed, upper-cased."""

    def __init__(self, *, upper: bool = True, **kwargs):
        self.upper = upper
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        return normalize_code(value) if self.upper else fold_width(value).strip()


MAX_ID = 2**31 - 1       # ids are 32-bit integers in every table


RECORD_ID = f"<int(min=1, max={MAX_ID}):record_id>"     # URL part of a record's id


def Id(**kwargs) -> fields.Integer:
    """A record id: a positive 32-bit integer, so out-of-range input is a 422, never a database error."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class NoteSchema(Schema):
    """The body of a close/resolve action: an optional note for the record."""

    class Meta:
        unknown = RAISE

    note = Text(load_default="", max_length=500)


def positive_decimal(places: int = 3, **kwargs) -> fields.Decimal:
    return fields.Decimal(places=places, as_string=True, validate=validate.Range(min=0), allow_none=True, **kwargs)


class Scan(Text):
    """A raw scan: like Text, but the GS1 group separator (ASCII 29, GS) of GS1-128/DataMatrix is kept."""
    control = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1c\x1e\x1f\x7f]")
