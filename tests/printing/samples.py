"""Label data for every template (Chinese and Latin text, long names) and what each label scans as."""
from __future__ import annotations

import re

from wms.printing.barcodes import gs1_128
from wms.printing.model import Barcode, Label

SAMPLES: dict[str, dict] = {
    "location": {"code": "A01-01-1-1", "zone": "STO", "zone_name": "存储区", "warehouse": "QH01"},
    "lpn": {"lpn": "LPN00012345", "sku": "AK-EARBUD-PRO2", "qty": 48, "seller": "SZ-ANKE 深圳安克",
            "name_zh": "安克 Soundcore 无线蓝牙降噪耳机 Pro 2 黑色 国际版（含充电盒）超长名称用于测试换行与缩小",
            "lot": "L2411-07", "location": "A01-01-1-1"},
    "hold": {"lpn": "LPN00012346", "sku": "AK-EARBUD-PRO2", "qty": 24, "status_zh": "海关查验 暂扣",
             "status_en": "CUSTOMS HOLD", "name_zh": "安克 Soundcore 无线蓝牙降噪耳机 Pro 2 黑色 国际版（含充电盒）",
             "reason": "海关布控抽查 暂存入库单 TD26112400001 第2项", "location": "TMP-A02", "seller": "SZ-ANKE"},
    "carton": {"carton_id": "ASN2411070012-003", "carton_no": 3, "carton_total": 12,
               "asn_no": "ASN2411070012",
               "seller": "深圳市安克创新科技股份有限公司 Anker Innovations",
               "skus": ["AK-EARBUD-PRO2 × 24", "AK-CABLE-USBC-1M × 100", "AK-PB-10000 × 12"],
               "total_qty": 136, "weight_kg": "12.40", "warehouse": "QH01 前海湾保税仓"},
    "shipping": {"carrier": "YunExpress 云途", "channel": "云途全球专线挂号（标快带电）", "waybill": "YT2411071234567",
                 "receiver_name": "John Smith", "receiver_phone": "+1 415 555 0134",
                 "receiver_address": "1600 Amphitheatre Parkway, Building 43, Mountain View, CA 94043, "
                                     "United States",
                 "receiver_country": "US", "sender_name": "深圳市安克创新科技股份有限公司 Anker Innovations Ltd.",
                 "sender_address": "深圳市南山区前海湾保税港区临海大道59号海运中心 Haiyun Center, 59 Linhai Ave, Shenzhen",
                 "sender_phone": "0755-8888 6666", "order_no": "SO2411070001234", "weight_kg": "0.350",
                 "remark": "带电 内置电池 UN3481",
                 "tracking_url": "https://www.yuntrack.com/parcelTracking?id=YT2411071234567"},
    "sscc": {"sscc": "106141411234567897", "from_name": "前海湾保税港区跨境电商出口监管仓 QH01",
             "from_address": "深圳市南山区临海大道59号", "to_name": "Amazon Fulfillment Center ONT8",
             "to_address": "24300 Nandina Ave, Moreno Valley, CA 92551, US",
             "content": "AK-EARBUD-PRO2 耳机 (01)06901234567892", "count": "48 箱", "batch": "L2411-07"},
}

# What a scanner reads from each template's label, top to bottom: (format name, text, GS1?).
EXPECTED: dict[str, list[tuple[str, str, bool]]] = {
    "location": [("Code128", "A01-01-1-1", False)],
    "lpn": [("Code128", "LPN00012345", False)],
    "carton": [("Code128", "ASN2411070012-003", False)],
    "hold": [("Code128", "LPN00012346", False)],
    "shipping": [("Code128", "YT2411071234567", False), ("Code128", "SO2411070001234", False),
                 ("QRCode", "https://www.yuntrack.com/parcelTracking?id=YT2411071234567", False)],
    "sscc": [("Code128", "(00)106141411234567897", True)],
}


def pdf_pages(pdf: bytes) -> int:
    """Pages of a reportlab PDF (page objects are not compressed)."""
    return len(re.findall(rb"/Type /Page(?![s\w])", pdf))


def gs1_label(element_string: str) -> Label:
    """A 100×30 mm label holding only a GS1-128 symbol of ``element_string``."""
    barcode = Barcode(x=0, y=5, width=100, height=20, data=element_string, gs1=True, module=0.25,
                      symbol=gs1_128(element_string))
    return Label("test", 100, 30, (barcode,))
