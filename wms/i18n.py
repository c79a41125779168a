"""zh-CN / English text: problem messages by code, and screen strings by their English text.

The locale comes from the ``lang`` cookie (the screens' switch), then ``Accept-Language``,
then the configured default.
"""
from __future__ import annotations

import re
from functools import lru_cache

from flask import current_app, has_request_context, request

LOCALES = ("zh-CN", "en")

# Problem codes: (English, Chinese). Parameters use str.format names.
MESSAGES: dict[str, tuple[str, str]] = {
    "bad_request": ("The request could not be understood.", "请求无法解析。"),
    "validation_failed": ("Some fields are not valid.", "部分字段无效。"),
    "not_found": ("Not found.", "未找到。"),
    "record_not_found": ("No {entity} with id {id}.", "未找到 {entity}（ID {id}）。"),
    "route_not_found": ("No such page or endpoint: {path}.", "页面或接口不存在：{path}。"),
    "method_not_allowed": ("Method {method} is not allowed here.", "此处不允许 {method} 方法。"),
    "unknown_barcode": ("Unknown barcode: {scanned}", "未知条码：{scanned}"),
    "ambiguous_barcode": ("Barcode {scanned} belongs to several products; give the product id.",
                          "条码 {scanned} 对应多个商品，请指定商品 ID。"),
    "unknown_location": ("Unknown location: {scanned}", "未知库位：{scanned}"),
    "inactive_record": ("{entity} {ref} is deactivated.", "{entity} {ref} 已停用。"),
    "unauthorized": ("Sign in first.", "请先登录。"),
    "bad_credentials": ("Wrong user name or password.", "用户名或密码错误。"),
    "token_invalid": ("The access token is missing, expired or revoked.", "访问令牌缺失、已过期或已吊销。"),
    "forbidden": ("Your role ({role}) may not do this.", "您的角色（{role}）无权执行此操作。"),
    "other_seller": ("That record belongs to another seller.", "该记录属于其他卖家。"),
    "too_many_logins": ("Too many failed sign-ins; try again in {minutes} minutes.",
                        "登录失败次数过多，请 {minutes} 分钟后再试。"),
    "csrf_failed": ("The form expired; reload the page and try again.", "表单已过期，请刷新页面后重试。"),
    "invalid_transition": ("{machine}: event '{event}' is not allowed in state '{state}'.",
                           "{machine}：状态“{state}”下不允许事件“{event}”。"),
    "insufficient_stock": ("Not enough stock: {available} available, {requested} requested.",
                           "库存不足：可用 {available}，需要 {requested}。"),
    "duplicate": ("{field} {value} is already used.", "{field} {value} 已被使用。"),
    "in_use": ("{entity} {ref} is still in use.", "{entity} {ref} 仍在使用中。"),
    "idempotency_key_reused": ("Idempotency-Key {key} was already used for a different request.",
                               "幂等键 {key} 已用于另一个请求。"),
    "lpn_required": ("Several LPNs hold {sku} at {location}; scan the LPN.", "{location} 有多个 LPN 存放 {sku}，请扫描 LPN。"),
    "mixed_lpn": ("LPN {scanned} at {location} holds several products; scan the product.",
                  "{location} 的 LPN {scanned} 存放多种商品，请扫描商品条码。"),
    "book_insufficient": ("Account book {book_no} item {item_no} holds {balance}; {requested} cannot leave.",
                          "账册 {book_no} 料号 {item_no} 余量 {balance}，不能核减 {requested}。"),
    "product_not_filed": ("{sku} is not filed with customs (filing: {filing_status}); it cannot enter bonded stock.",
                          "商品 {sku} 未完成海关备案（状态：{filing_status}），不能收入保税库存。"),
    "three_document_mismatch": ("Order, payment, waybill and export list do not agree (三单对碰); see lists.",
                                "订单、收款单、运单与清单不一致（三单对碰），详见 lists。"),
    "filing_locked": ("{sku} is {filing_status} with customs: revise the filing before changing {fields}.",
                      "{sku} 的海关备案状态为 {filing_status}：请先变更备案再修改 {fields}。"),
    "same_location": ("Source and destination are the same.", "源库位与目标库位相同。"),
    "internal_error": ("Something went wrong on our side; the error was logged.", "服务器内部错误，已记录。"),
    "label_template_not_found": ("No label template {template}; known: {known}.",
                                 "标签模板 {template} 不存在；可用：{known}。"),
    "too_many_labels": ("{count} labels at once is more than the {limit} allowed; narrow the selection "
                        "(zone, aisle, search).", "一次 {count} 张标签超过上限 {limit} 张，请缩小范围（库区、巷道、搜索）。"),
    "nothing_to_print": ("Nothing to print: no location matches.", "没有可打印的标签：没有符合条件的库位。"),
    "printer_unreachable": ("Printer {printer} at {address} cannot be reached ({reason}); "
                            "nothing was printed.",
                            "无法连接打印机 {printer}（{address}，{reason}），未打印。"),
    "sscc_exhausted": ("No SSCC serial references are left for GS1 company prefix {prefix} "
                       "(all {capacity} used).",
                       "GS1 厂商识别代码 {prefix} 的 SSCC 系列号已用尽（共 {capacity} 个）。"),
    "gs1_settings_invalid": ("The GS1 setting {setting} is not valid ({value}); SSCCs cannot be made.",
                             "GS1 设置 {setting} 无效（{value}），无法生成 SSCC。"),
    "service_unavailable": ("The database is not reachable.", "数据库不可用。"),
    # inbound
    "asn_not_editable": ("Forecast {number} is {current_state}: it can only be changed as a draft.",
                         "入库预报 {number} 当前状态为 {current_state}，仅草稿可修改。"),
    "asn_empty": ("The forecast has nothing to receive yet.", "入库预报尚无可收货的内容。"),
    "asn_not_submitted": ("Forecast {number} is {current_state}: carton labels come with submission.",
                          "入库预报 {number} 当前状态为 {current_state}，提交后才能打印箱唛。"),
    "no_cartons": ("Forecast {number} has no cartons to label.", "入库预报 {number} 没有可打印箱唛的箱子。"),
    "unknown_asn": ("No forecast matches {scanned}.", "未找到与 {scanned} 对应的入库预报。"),
    "spot_check_too_late": ("Declaration {number} is {current_state}: spot checks are chosen before approval.",
                            "暂存入库单 {number} 当前状态为 {current_state}，海关抽查须在审批通过前选定。"),
    "not_on_hold": ("Line {seq_no} of {number} is not held for inspection.",
                    "{number} 第 {seq_no} 行不在查验扣留中。"),
    "already_inspected": ("Line {seq_no} of {number} was already inspected ({result}).",
                          "{number} 第 {seq_no} 行已录入查验结果（{result}）。"),
    "no_book_item": ("No account-book item for {skus} in book {book_no} of {seller}; file them in the book first.",
                     "卖家 {seller} 的账册 {book_no} 中没有 {skus} 的料号，请先完成账册备案。"),
    "customs_ref_required": ("Give the customs document of the disposal.", "请填写处置的海关单证。"),
    "reason_required": ("Give a reason.", "请填写原因。"),
    "discrepancy_reason_required": ("Over, short or damaged quantities need a reason.", "多到、少到或破损须说明原因。"),
    # outbound
    "no_waybill": ("Order {order_no} has no waybill number yet: {reason}", "订单 {order_no} 尚无运单号：{reason}"),
}

# Field-level messages from marshmallow and from our validators.
FIELD_MESSAGES_ZH: dict[str, str] = {
    "Missing data for required field.": "必填字段。",
    "Not a PNG or JPEG image.": "不是 PNG 或 JPEG 图片。",
    "Larger than {max} KB.": "超过 {max} KB。",
    "Larger than {width} × {height} pixels.": "超过 {width} × {height} 像素。",
    "Chosen twice: {names}.": "重复选择：{names}。",
    "At most {count} columns fit on this paper.": "此纸张最多容纳 {count} 列。",
    "The image cannot be drawn: {reason}.": "图片无法绘制：{reason}。",
    "Unknown field.": "未知字段。",
    "Not a valid string.": "不是有效的字符串。",
    "Not a valid integer.": "不是有效的整数。",
    "Not a valid number.": "不是有效的数字。",
    "Not a valid boolean.": "不是有效的布尔值。",
    "Not a valid date.": "不是有效的日期。",
    "Not a valid datetime.": "不是有效的日期时间。",
    "Not a valid email address.": "不是有效的邮箱地址。",
    "Field may not be null.": "不能为空。",
    "Invalid input type.": "输入类型无效。",
    "Invalid value.": "值无效。",
    "Must be one of: {choices}.": "必须是以下之一：{choices}。",
    "Shorter than minimum length {min}.": "长度不能少于 {min}。",
    "Longer than maximum length {max}.": "长度不能超过 {max}。",
    "Length must be between {min} and {max}.": "长度必须在 {min} 到 {max} 之间。",
    "Must be greater than or equal to {min}.": "必须大于或等于 {min}。",
    "Must be less than or equal to {max}.": "必须小于或等于 {max}。",
    "Must be greater than or equal to {min} and less than or equal to {max}.": "必须在 {min} 到 {max} 之间。",
    "String does not match expected pattern.": "格式不正确。",
    "HS code must be 10 digits.": "HS 编码必须为 10 位数字。",
    "Not a valid GTIN/EAN: wrong length or check digit.": "不是有效的 GTIN/EAN：长度或校验位错误。",
    "Not a valid unified social credit code.": "不是有效的统一社会信用代码。",
    "Customs registration code must be 10 letters or digits.": "海关注册编码必须为 10 位字母或数字。",
    "Unknown reference.": "引用的记录不存在。",
    "A seller user needs a seller; other roles must not have one.": "卖家用户必须关联卖家，其他角色不能关联卖家。",
    "Already used.": "已被使用。",
    "Must not be blank.": "不能为空白。",
    "Must not contain control characters.": "不能包含控制字符。",
    "Give the second legal unit and its factor together.": "第二法定计量单位与换算系数须同时填写。",
    "Not a valid list.": "不是有效的列表。",
    "Give the time zone, e.g. +08:00.": "请给出时区，例如 +08:00。",
    "Not a readable .xlsx workbook.": "不是可读取的 .xlsx 工作簿。",
    "The first row must name the columns (see the template).": "第一行须为列名（见模板）。",
    "The workbook has no product rows.": "工作簿中没有商品行。",
    "Some rows are not valid; nothing was imported.": "部分行有误，未导入任何数据。",
    "Must be a positive quantity.": "数量必须为正数。",
    "Password must be at least 8 characters.": "密码至少 8 位。",
    "Source and destination are the same.": "源库位与目标库位相同。",
    "A zone stays in its warehouse; make a new zone instead.": "库区不能移到其他仓库，请新建库区。",
    "Must be printable ASCII for a barcode.": "条码内容只能是可打印的 ASCII 字符。",
    "Too long for the barcode on this label.": "内容过长，此标签上的条码容纳不下。",
    "Not a valid GS1 element string.": "不是有效的 GS1 元素串。",
    "Not a valid SSCC: 18 digits with a correct check digit.": "不是有效的 SSCC：应为 18 位数字且校验位正确。",
    "Not a valid GTIN: 14 digits with a correct check digit.": "不是有效的 GTIN：应为 14 位数字且校验位正确。",
    "Not a valid value for a label.": "不是有效的标签内容。",
    "Give either data or items.": "请提供 data 或 items（二选一）。",
    "The printer uses another language; choose its language or pdf.": "该打印机使用其他指令语言，请选择其语言或 PDF。",
    "The label is larger than this printer's stock.": "标签尺寸大于该打印机的标签纸。",
    "A forecast needs at least one line.": "入库预报至少需要一行明细。",
    "A parcel forecast needs its parcel list.": "集货包裹预报须提供包裹清单。",
    "Unknown SKU or barcode {code}.": "未知 SKU 或条码 {code}。",
    "{sku} is already on another line.": "{sku} 已在其他行中。",
    "{sku} needs a lot (batch) number.": "{sku} 须填写批次号。",
    "Say what the defect is.": "请说明不良原因。",
    "Must be between {min} and {max}.": "必须在 {min} 到 {max} 之间。",
    "Only {free} defective units of {sku} at {location}.": "{location} 的 {sku} 仅有 {free} 件不良品。",
    "Unknown location {code}.": "未知库位 {code}。",
    "Give the customs document of the destruction (销毁核注清单).": "请填写销毁的海关单证（销毁核注清单）。",
    "Over, short or damaged quantities need a reason.": "多到、少到或破损须说明原因。",
    # orders
    "A postal code is required for {country}.": "{country} 的地址必须填写邮编。",
    "Not a postal code of {country}: {code}.": "不是 {country} 的邮编：{code}。",
    "Not a postal code: {code}.": "不是有效的邮编：{code}。",
    "Not a phone number: {phone}.": "不是有效的电话号码：{phone}。",
    "Give the number with its country code (+…): {phone}.": "请填写带国家区号的号码（+…）：{phone}。",
    "A phone in {country} starts with +{calling}: {phone}.": "{country} 的电话应以 +{calling} 开头：{phone}。",
    "A phone in {country} has {shortest}–{longest} digits after +{calling}: {phone}.":
        "{country} 的电话在 +{calling} 之后应有 {shortest}–{longest} 位数字：{phone}。",
    "Unknown country code {code}.": "未知国家代码 {code}。",
    "Unknown currency code {code}.": "未知币制代码 {code}。",
    "Unknown channel {code}.": "未知物流渠道 {code}。",
    "Unknown SKU {code}.": "未知 SKU {code}。",
    "{sku} is not filed with customs ({status}).": "{sku} 未完成海关备案（{status}）。",
    "Must equal the sum of the lines ({total}).": "须等于各行金额合计（{total}）。",
    "A parcel order names its pre-packed parcel's waybill number.": "集货包裹订单须填写已打包包裹的运单号。",
}


def get_locale() -> str:
    if not has_request_context():
        return "en"
    lang = request.cookies.get("lang")
    if lang in LOCALES:
        return lang
    best = request.accept_languages.best_match(["zh-CN", "zh", "en"])
    if best == "zh":
        return "zh-CN"
    if best:
        return best
    return current_app.config.get("DEFAULT_LOCALE", "zh-CN")


STATUS_TITLES: dict[int, tuple[str, str]] = {
    400: ("Bad request", "请求错误"),
    401: ("Sign-in required", "需要登录"),
    403: ("Forbidden", "无权限"),
    404: ("Not found", "未找到"),
    405: ("Method not allowed", "方法不允许"),
    409: ("Conflict", "冲突"),
    415: ("Unsupported media type", "不支持的媒体类型"),
    422: ("Validation failed", "校验失败"),
    429: ("Too many requests", "请求过多"),
    500: ("Internal error", "内部错误"),
    502: ("Bad gateway", "网关错误"),
    503: ("Service unavailable", "服务不可用"),
}


def _pick(pair: tuple[str, str]) -> str:
    return pair[1] if get_locale() == "zh-CN" else pair[0]


def message(code: str, **params) -> str:
    """The detail text for a problem code, in the request's locale."""
    text = _pick(MESSAGES.get(code, (code.replace("_", " ").capitalize() + ".",) * 2))
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


def status_title(status: int) -> str:
    return _pick(STATUS_TITLES.get(status, (str(status), str(status))))


def field_message(text: str) -> str:
    if get_locale() != "zh-CN":
        return text
    if text in FIELD_MESSAGES_ZH:
        return FIELD_MESSAGES_ZH[text]
    templates = sorted((en for en in FIELD_MESSAGES_ZH if "{" in en), key=len, reverse=True)
    for en in templates:                       # formatted templates, most specific first; parameters kept
        match = _template_pattern(en).fullmatch(text)
        if match:
            return FIELD_MESSAGES_ZH[en].format(**match.groupdict())
    return text


@lru_cache(maxsize=None)
def _template_pattern(template: str) -> re.Pattern:
    """``"Longer than maximum length {max}."`` as a regex capturing ``max``."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)"
                              for i, part in enumerate(parts)))


def translate_errors(errors):
    """Translate marshmallow's nested ``{field: [messages]}`` structure."""
    if isinstance(errors, dict):
        return {k: translate_errors(v) for k, v in errors.items()}
    if isinstance(errors, list):
        return [translate_errors(v) for v in errors]
    if isinstance(errors, str):
        return field_message(errors)
    return errors


def _merge_domain_messages() -> None:
    """Each domain keeps its own problem texts beside its code; the ones here win on a clash."""
    from wms.inbound.messages import MESSAGES as inbound
    from wms.outbound.messages import MESSAGES as outbound
    for domain in (inbound, outbound):
        MESSAGES.update({code: text for code, text in domain.items() if code not in MESSAGES})


_merge_domain_messages()
