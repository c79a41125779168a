from marshmallow import fields, validate

from wms.core.fields import Code, Text
from wms.masterdata.schemas import Base
from wms.printing.models import PRINTER_LANGUAGES


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
