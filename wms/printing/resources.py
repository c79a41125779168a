"""Printer profiles as a record resource (API and screens)."""
from wms.core.crud import Resource
from wms.core.fields import Text
from wms.core.listing import Column as C, ListSpec
from wms.printing.models import PrinterProfile
from wms.printing.schemas import PrinterProfileSchema

printers = Resource(
    "printers", PrinterProfile, PrinterProfileSchema, ("Printers", "打印机"), "layout.read", "layout.write",
    ListSpec(PrinterProfile, search=(PrinterProfile.code, PrinterProfile.name, PrinterProfile.host),
             filters={"language": (Text(), PrinterProfile.language)},
             sort=("code", "name", "language", "updated_at"), default_sort="code",
             columns=[C("code", "Code", "代码"), C("name", "Name", "名称"), C("language", "Language", "指令语言"),
                      C("dpi", "DPI", "分辨率"), C("width_mm", "Width mm", "宽(mm)"), C("height_mm", "Height mm", "高(mm)"),
                      C("host", "Address", "地址"), C("active", "Active", "启用")]),
    unique=(("code",),))
