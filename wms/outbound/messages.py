"""zh-CN / English text of the outbound problems (merged into ``wms.i18n.MESSAGES``)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "unknown_wave": ("No wave {scanned}.", "未找到波次 {scanned}。"),
    "wave_not_released": ("Wave {number} is {current_state}: only released waves are picked.",
                          "波次 {number} 状态为 {current_state}，只有已释放的波次可以拣货。"),
    "no_released_wave": ("No released wave has picks waiting.", "没有待拣货的已释放波次。"),
    "wrong_location": ("Wrong location {scanned}: go to {expected}.", "库位错误 {scanned}，请到 {expected}。"),
    "wrong_item": ("Wrong item {scanned}: pick {expected}.", "商品错误 {scanned}，请拣 {expected}。"),
    "wrong_slot": ("Wrong slot {scanned}: put it in {expected}.", "格口错误 {scanned}，请放入 {expected}。"),
    "over_pick": ("Only {expected} to pick here.", "此处只需拣 {expected} 件。"),
    "no_packing_location": ("The warehouse has no packing location.", "仓库没有打包区库位。"),
    "go_to_location": ("Go to {location} and scan it ({sku}).", "请到 {location} 并扫描库位（{sku}）。"),
    "scan_item": ("Scan {sku} (or its LPN).", "请扫描 {sku}（或容器号）。"),
    "enter_pick_qty": ("Pick {qty} × {sku}: confirm the quantity.", "拣 {sku} × {qty}：请确认数量。"),
    "scan_slot": ("Put them in slot {slot}: scan the slot.", "请放入格口 {slot} 并扫描格口。"),
    "wave_picked": ("Wave {number} is picked.", "波次 {number} 已拣完。"),
    "order_exists": ("Order {order_no} of {platform} exists with other content (status {current_state}).",
                     "{platform} 订单 {order_no} 已存在且内容不同（状态 {current_state}）。"),
}
