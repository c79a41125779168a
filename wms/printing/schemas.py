"""Printer profiles and label requests: what the API accepts and answers."""
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from wms.core.fields import Code, Text
from wms.masterdata.schemas import Base
from wms.printing.models import PRINTER_LANGUAGES
from wms.printing.templates import TEMPLATES


class PrinterProfileSchema(Base):
    code = Code(required=True, max_length=30)
    name = Text(required=True, max_length=100)
    language = fields.String(load_default="pdf", validate=validate.OneOf(PRINTER_LANGUAGES),
                             metadata={"description": "pdf, zpl (Zebra) or tspl (TSC, Gprinter)"})
    dpi = fields.Integer(load_default=203, validate=validate.OneOf([203, 300, 600]))
    width_mm = fields.Decimal(places=1, as_string=True, required=True, validate=validate.Range(min=10, max=300))
    height_mm = fields.Decimal(places=1, as_string=True, required=True, validate=validate.Range(min=10, max=500))
    host = Text(load_default="", max_length=100, metadata={"description": "Raw TCP printer address (optional)"})
    port = fields.Integer(load_default=9100, validate=validate.Range(min=1, max=65535))


# --- labels -----------------------------------------------------------------------------------------------

MAX_ITEMS = 1000


def _template_fields() -> str:
    return "; ".join(f"{name}: {', '.join(t.required)} (optional: {', '.join(t.optional) or '—'})"
                     for name, t in sorted(TEMPLATES.items()))


class LabelOutputSchema(Schema):
    class Meta:
        unknown = RAISE

    format = fields.String(validate=validate.OneOf(PRINTER_LANGUAGES),
                           metadata={"description": "pdf, zpl or tspl (default: the printer's language, "
                                                    "else pdf)"})
    printer = Code(max_length=30, metadata={"description": "Printer profile code; with an address, ZPL/TSPL "
                                                           "are sent to it (raw TCP) and the answer is 202"})
    dpi = fields.Integer(validate=validate.OneOf([203, 300, 600]),
                         metadata={"description": "ZPL/TSPL resolution without a printer (default 203)"})


class RenderLabelsSchema(LabelOutputSchema):
    template = fields.String(required=True, validate=validate.OneOf(sorted(TEMPLATES)),
                             metadata={"description": "Fields per template — " + _template_fields()})
    data = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True),
                       metadata={"description": "One label's {field: value}"})
    items = fields.List(fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True)),
                        validate=validate.Length(min=1, max=MAX_ITEMS),
                        metadata={"description": "Several labels, one {field: value} each"})

    @validates_schema
    def _one_source(self, data, **_kwargs):
        if ("data" in data) == ("items" in data):
            raise ValidationError("Give either data or items.", "data")


class SsccLabelsSchema(LabelOutputSchema):
    count = fields.Integer(required=True, validate=validate.Range(min=1, max=500),
                           metadata={"description": "How many SSCCs (labels) to allocate"})
    data = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), load_default=dict,
                       metadata={"description": "Shared label data: from_name, from_address, to_name, "
                                                "to_address, content, count, batch"})


class SsccQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    as_ = fields.String(data_key="as", load_default="document", validate=validate.OneOf(["document", "json"]),
                        metadata={"description": "json: only the allocated SSCCs, no labels"})


class PrintJobSchema(Schema):
    printer = fields.String()
    address = fields.String()
    format = fields.String()
    labels = fields.Integer()
    bytes = fields.Integer()
    sscc = fields.List(fields.String())


class SsccListSchema(Schema):
    sscc = fields.List(fields.String())
