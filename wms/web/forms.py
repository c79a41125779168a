"""Forms from marshmallow schemas: widgets for each loadable field, form data back to schema input."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from marshmallow import Schema, fields, validate

from wms.extensions import db
from wms.i18n import get_locale

LABELS: dict[str, tuple[str, str]] = {
    "code": ("Code", "代码"), "name_zh": ("Name (Chinese)", "中文名称"), "name_en": ("Name (English)", "英文名称"),
    "customs_code": ("Customs code", "海关代码"), "kind": ("Kind", "类型"), "bonded": ("Bonded", "保税"),
    "address": ("Address", "地址"), "customs_area_code": ("Customs area code", "关区代码"),
    "warehouse_id": ("Warehouse", "仓库"), "zone_id": ("Zone", "库区"), "aisle": ("Aisle", "巷道"),
    "bay": ("Bay", "列"), "level": ("Level", "层"), "bin": ("Bin", "格"), "capacity": ("Capacity (units)", "容量（件）"),
    "max_weight_kg": ("Max weight kg", "最大承重(kg)"), "pick_sequence": ("Pick sequence", "拣货顺序"),
    "uscc": ("Unified social credit code", "统一社会信用代码"), "account_book_no": ("Account book no.", "账册号"),
    "contact": ("Contact", "联系人"), "phone": ("Phone", "电话"), "seller_id": ("Seller", "卖家"),
    "sku": ("SKU", "SKU"), "barcodes": ("Barcodes (GTIN/EAN)", "条码（GTIN/EAN）"), "hs_code": ("HS code", "HS编码"),
    "declaration_elements": ("Declaration elements", "申报要素"), "origin_country_id": ("Origin", "原产国"),
    "unit": ("Customs unit code", "计量单位代码"), "declared_price": ("Declared unit price", "申报单价"),
    "currency_id": ("Currency", "币制"), "weight_kg": ("Weight kg", "重量(kg)"), "length_cm": ("Length cm", "长(cm)"),
    "width_cm": ("Width cm", "宽(cm)"), "height_cm": ("Height cm", "高(cm)"), "battery": ("Contains battery", "带电"),
    "liquid": ("Liquid", "液体"), "magnetic": ("Magnetic", "带磁"), "carrier_id": ("Carrier", "承运商"),
    "service": ("Service", "服务类型"), "allows_battery": ("Accepts batteries", "可发带电"),
    "tare_weight_kg": ("Tare weight kg", "自重(kg)"), "rates": ("Exchange rates (date rate, one per line)",
                                                              "汇率（每行：日期 汇率）"),
    "username": ("User name", "用户名"), "display_name": ("Display name", "显示名"), "role": ("Role", "角色"),
    "locale": ("Language", "语言"), "password": ("Password", "密码"), "note": ("Note", "备注"),
    "product_id": ("Product id", "商品ID"), "location_id": ("Location id", "库位ID"),
    "movement_id": ("Movement no.", "流水号"), "doc_type": ("Document type", "单据类型"),
    "doc_ref": ("Document no.", "单据号"), "status": ("Status", "状态"), "lpn": ("LPN", "LPN"), "lot": ("Lot", "批次"),
    "location_code": ("Location", "库位"), "filing_status": ("Filing status", "备案状态"),
    "entity_type": ("Record type", "对象类型"), "entity_id": ("Record id", "对象ID"), "action": ("Action", "操作"),
    "user_id": ("User id", "用户ID"),
    "legal_unit1": ("Legal unit 1", "法定第一计量单位"), "legal_factor1": ("Legal qty 1 per unit", "法定第一数量/单位"),
    "legal_unit2": ("Legal unit 2", "法定第二计量单位"), "legal_factor2": ("Legal qty 2 per unit", "法定第二数量/单位"),
    "book_item_no": ("Book item no.", "账册备案料号"),
    "mode": ("Mode", "模式"), "asn_id": ("ASN id", "预报单ID"), "condition": ("Condition", "状态"),
}


STATES: dict[str, tuple[str, str]] = {
    # goods
    "temp_stored": ("Temp-stored", "暂存"), "customs_hold": ("Customs hold", "海关查验扣留"), "released": ("Released", "已放行"),
    "qc_pending": ("QC pending", "待质检"), "available": ("Available", "可用"), "defective": ("Defective", "不良品"),
    "seized": ("Seized", "海关没收"),
    # filing
    "draft": ("Draft", "暂存"), "declared": ("Declared", "已申报"), "approved": ("Approved", "已备案"),
    "returned": ("Returned", "已退回"), "declare": ("Declare", "申报"), "approve": ("Approve", "审核通过"),
    "return": ("Return", "退回"), "revise": ("Revise", "变更"),
    "open": ("Open", "待处理"), "resolved": ("Resolved", "已处理"), "dismissed": ("Dismissed", "已忽略"),
    "resolve": ("Resolve", "处理完成"), "dismiss": ("Dismiss", "忽略"),
    # customs declarations
    "order": ("Order", "订单"), "payment": ("Payment", "收款单"), "waybill": ("Waybill", "运单"),
    "arrival": ("Arrival", "运抵单"), "departure": ("Departure", "离境单"), "inventory": ("Export list", "申报清单"),
    "cancel": ("Cancellation", "撤销单"), "waybill_bill": ("Master bill", "清单总分单"), "summary": ("Summary", "汇总申请"),
    "queued": ("Queued", "待发送"), "sent": ("Sent", "已发送"), "stored": ("Stored (draft)", "电子口岸暂存"),
    "forwarded": ("Sent to customs", "已发往海关"), "send_failed": ("Sending failed", "发送海关失败"),
    "entered": ("Entered", "海关入库"), "review": ("Manual review", "人工审核"), "concluded": ("Concluded", "海关审结"),
    "inspection": ("Inspection", "海关查验"), "closed": ("Closed", "结关"), "error": ("Error", "处理错误"),
    "rejected": ("Rejected", "海关退单"),
    # movement kinds
    "receive": ("Receive", "入库"), "move": ("Move", "移库"), "status_change": ("Status change", "状态变更"),
    "adjust": ("Adjustment", "调整"), "issue": ("Issue", "出库"),
    # zone kinds
    "receiving": ("Receiving", "收货区"), "temp_storage": ("Temporary storage", "暂存区"), "qc": ("QC", "质检区"),
    "storage": ("Storage", "存储区"), "packing": ("Packing", "打包区"), "dispatch": ("Dispatch", "发货区"),
    # orders (inspection, released, rejected and declared above serve the order's customs state too)
    "received": ("Received", "已接单"), "matched": ("Matched", "已对碰"), "match_failed": ("Match failed", "对碰失败"),
    "allocated": ("Allocated", "已分配"), "backordered": ("Backordered", "缺货待分配"), "waved": ("Waved", "已组波"),
    "picked": ("Picked", "已拣货"), "packed": ("Packed", "已打包"), "bagged": ("Bagged", "已装袋"),
    "loaded": ("Loaded", "已装车"), "shipped": ("Shipped", "已出区"), "cancelled": ("Cancelled", "已取消"),
    # roles
    "admin": ("Administrator", "管理员"), "supervisor": ("Supervisor", "主管"), "operator": ("Operator", "作业员"),
    "seller": ("Seller", "卖家"), "customs": ("Customs liaison", "关务"),
}
STATE_COLUMNS = frozenset({"status", "filing_status", "kind", "movement.kind", "role", "zone.kind"})


def state(value) -> str:
    en, zh = STATES.get(str(value), (str(value), str(value)))
    return zh if get_locale() == "zh-CN" else en


def label(name: str) -> str:
    en, zh = LABELS.get(name, (name.replace("_", " ").capitalize(),) * 2)
    return zh if get_locale() == "zh-CN" else en


@dataclass
class Widget:
    name: str
    label: str
    kind: str                      # text, textarea, number, checkbox, select, date, password, lines
    required: bool = False
    choices: list[tuple] = field(default_factory=list)
    value: object = None
    errors: list[str] = field(default_factory=list)


def _reference_choices(model) -> list[tuple]:
    rows = db.session.scalars(sa.select(model).where(model.active.is_(True)).order_by(model.id).limit(1000)).all()
    zh = get_locale() == "zh-CN"
    out = []
    for row in rows:
        name = getattr(row, "name_zh" if zh else "name_en", "") or getattr(row, "name_zh", "")
        out.append((row.id, f"{getattr(row, 'code', row.id)} {name}".strip()))
    return out


def widgets(schema: Schema, references: dict, *, hidden: tuple = ()) -> list[Widget]:
    out = []
    for name, fld in schema.fields.items():
        if fld.dump_only or name in hidden:
            continue
        key = fld.data_key or name
        required = bool(fld.required)
        if name in references:
            out.append(Widget(key, label(key), "select", required, [("", "—"), *_reference_choices(references[name])]))
        elif isinstance(fld, fields.Boolean):
            out.append(Widget(key, label(key), "checkbox"))
        elif isinstance(fld, fields.List) and isinstance(fld.inner, fields.Nested):
            out.append(Widget(key, label(key), "lines"))
        elif isinstance(fld, fields.List):
            out.append(Widget(key, label(key), "list"))
        elif _one_of(fld):
            out.append(Widget(key, label(key), "select", required, [(c, c) for c in _one_of(fld)]))
        elif isinstance(fld, fields.Date):
            out.append(Widget(key, label(key), "date", required))
        elif name == "password":
            out.append(Widget(key, label(key), "password", required))
        elif isinstance(fld, (fields.Integer, fields.Decimal)):
            out.append(Widget(key, label(key), "number", required))
        elif _max_length(fld) and _max_length(fld) > 300:
            out.append(Widget(key, label(key), "textarea", required))
        else:
            out.append(Widget(key, label(key), "text", required))
    return out


def _one_of(fld) -> list | None:
    for v in fld.validators:
        if isinstance(v, validate.OneOf):
            return list(v.choices)
    return None


def _max_length(fld) -> int | None:
    for v in fld.validators:
        if isinstance(v, validate.Length):
            return v.max
    return None


def from_form(form, items: list[Widget], schema: Schema) -> dict:
    """Form fields to schema input: checkboxes to booleans, blanks to 'not given', lists split."""
    data = {}
    for w in items:
        raw = form.get(w.name, "")
        if w.kind == "checkbox":
            data[w.name] = w.name in form
        elif w.kind == "list":
            data[w.name] = [p for p in re.split(r"[\s,，;；]+", raw) if p]
        elif w.kind == "lines":
            inner = list(schema.fields[w.name].inner.schema.fields)
            data[w.name] = [dict(zip(inner, line.split())) for line in raw.splitlines() if line.strip()]
        elif raw.strip() == "":
            if w.kind in ("select", "number", "date") and not w.required:
                continue
            if w.kind == "password" and (not w.required or schema.partial):   # blank: keep the password
                continue
            default = schema.fields[w.name].load_default
            if isinstance(default, str) and default:      # e.g. a unit code: blank means the default
                continue
            data[w.name] = raw if w.kind != "select" else None
        else:
            data[w.name] = raw
    return data


def to_form(obj, items: list[Widget], schema: Schema) -> None:
    """Fill the widgets with a record's current values (as the schema dumps them)."""
    dumped = schema.dump(obj)
    for w in items:
        value = dumped.get(w.name)
        if w.kind == "list":
            value = " ".join(value or [])
        elif w.kind == "lines":
            value = "\n".join(" ".join(str(v) for v in row.values()) for row in value or [])
        w.value = value


def fill(items: list[Widget], data: dict, errors: dict) -> None:
    for w in items:
        value = data.get(w.name)
        if w.kind == "list" and isinstance(value, list):
            value = " ".join(value)
        elif w.kind == "lines" and isinstance(value, list):
            value = "\n".join(" ".join(str(v) for v in row.values()) for row in value)
        w.value = value
        messages = errors.get(w.name) or []
        if isinstance(messages, dict):
            messages = [m for ms in messages.values() for m in (ms if isinstance(ms, list) else [ms])]
        w.errors = [str(m) for m in messages]
