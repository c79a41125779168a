"""zh-CN / English text of the outbound problems (merged into ``wms.i18n.MESSAGES``)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "order_exists": ("Order {order_no} of {platform} exists with other content (status {current_state}).",
                     "{platform} 订单 {order_no} 已存在且内容不同（状态 {current_state}）。"),
}
