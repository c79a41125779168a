/* PDA app shell: sign-in (bearer token kept for the shift), "start shift" (unlocks sound and vibration),
   a home menu by role, zh-CN/English, and the tasks: stock lookup, move, receiving, putaway, QC, customs
   inspection, picking, bagging and loading. Scans come from the shared scan layer (scan.js); stock-changing
   scans go through the offline queue (queue.js); every rule lives in the API. Plain ES5, no build step: old
   Android WebViews run this file. */
(function () {
  "use strict";

  var CONFIG = {};
  try { CONFIG = JSON.parse(document.getElementById("pda-config").textContent || "{}"); } catch (e) { CONFIG = {}; }

  var T = {
    "zh-CN": {
      app: "保税仓 PDA", tagline: "跨境电商出口监管仓 · 作业终端", username: "用户名", password: "密码",
      device: "设备编号", signin: "登录", signingIn: "正在登录…", signedInAs: "当前用户", startShift: "开始作业",
      startShiftHint: "点击开启提示音与震动", signout: "退出登录", signoutConfirm: "还有 {n} 条扫描未同步，再点一次确认退出",
      home: "主页", lookup: "库存查询", lookupHint: "扫描库位、商品或 LPN 查看库存", move: "移库",
      moveHint: "来源库位 → 商品 → 数量 → 目标库位", exceptions: "扫描异常", exceptionsHint: "离线扫描回放被拒的记录（只读）",
      queue: "同步队列", queueHint: "离线暂存与被拒记录", manualEntry: "手动输入", camera: "摄像头扫码", close: "关闭",
      fromLocation: "来源库位", itemOrLpn: "商品 / LPN", qty: "数量", toLocation: "目标库位", confirmQty: "确认数量",
      restart: "重新开始", refresh: "刷新", confirm: "确认", backspace: "退格", clear: "清零",
      zone_receiving: "收货区", zone_temp_storage: "暂存区", zone_qc: "质检区", zone_storage: "存储区",
      zone_defective: "不良品区", zone_packing: "打包区", zone_dispatch: "发货区", inactive: "已停用", syncNow: "立即同步", pendingTitle: "待同步", refusedTitle: "被拒记录",
      refusedNote: "离线期间库存已变化，服务器拒绝执行；已上报主管处理。", acknowledge: "知道了",
      promptHome: "扫描任意条码可直接查询", promptLookup: "扫描库位、商品条码或 LPN", promptFrom: "扫描来源库位",
      promptItem: "扫描商品条码或 LPN", promptQty: "输入数量，再扫描目标库位", promptTo: "扫描目标库位",
      promptLpn: "扫描要移出的 LPN", promptProductOnLpn: "LPN {lpn} 有多种商品，请扫描商品条码", promptBusy: "正在提交…",
      promptManual: "手动输入后按回车",
      kind_location: "库位", kind_lpn: "LPN", kind_sscc: "SSCC 物流单元", kind_gtin: "商品条码", kind_parcel: "运单号",
      kind_sku: "SKU", kind_gs1: "GS1 条码", kind_unknown: "未知条码", kind_invalid: "无效条码", kind_product: "商品",
      expect_location: "库位", expect_item: "商品条码、SKU 或 LPN", expect_lpn: "LPN", expect_any: "条码",
      wrongKind: "扫到的是{kind}「{code}」，此步骤需要扫描{expected}", badCheckDigit: "条码校验位错误：{code}",
      badGs1: "GS1 条码无法解析（{reason}）：{code}", badCode: "无法识别的条码：{code}", notSameItem: "不是同一商品：{code}，请扫描目标库位",
      gs1_unknown_ai: "未知应用标识符", gs1_bad_length: "长度错误", gs1_not_numeric: "应为数字", gs1_check_digit: "校验位错误",
      gs1_bad_date: "日期无效", gs1_repeated_ai: "应用标识符重复", gs1_empty: "无数据", gs1_bad_character: "含非法字符",
      control_character: "含控制字符",
      lookingUp: "正在查询 {code}…", lookupOffline: "查询需要联网：当前无法连接服务器", nothing: "无库存",
      rows: "共 {n} 行 · 合计 {qty} 件", reserved: "已分配 {n}", lot: "批次", expiry: "效期", lpn: "LPN",
      scanned: "已扫描 {code}", qtyPlus: "同一商品 +1，数量 {qty}", qtyInvalid: "数量必须大于 0",
      sending: "正在提交移库…", moved: "移库完成", movedDetail: "移库单 #{id}", queuedTitle: "已离线暂存",
      queuedDetail: "网络不可用，联网后自动提交（待同步 {n} 条）", authQueued: "登录已失效，扫描已暂存；重新登录后自动提交",
      refusedTitleOne: "移库被拒绝", unsaved: "网络不可用，且本机无法保存离线数据：请联网后重新扫描目标库位", choose: "请扫描 LPN，或点选：", sourceStock: "来源库位现有库存",
      unknownFrom: "来源库位不存在：{code}",
      syncing: "正在同步…", syncDone: "同步完成：成功 {done} 条，被拒 {refused} 条，剩余 {left} 条",
      syncOffline: "无法连接服务器，仍有 {left} 条待同步", syncSignedOut: "请先登录再同步", syncAuth: "登录已失效，请重新登录后同步",
      nothingPending: "没有待同步的扫描", nothingRefused: "没有被拒记录", otherUser: "属于 {user}，需该用户登录后同步",
      attempts: "已尝试 {n} 次", replayApplied: "离线扫描已同步：{summary}", replayRefused: "离线扫描被拒绝：{summary} — {detail}（已上报主管）",
      sessionExpired: "登录已失效，请重新登录（离线扫描已保留）", signInAgain: "重新登录", networkDown: "无法连接服务器",
      exceptionsCount: "待处理 {n} 条", noExceptions: "没有待处理的扫描异常", exceptionsOffline: "需要联网才能查看扫描异常",
      scannedAt: "扫描时间", operator: "作业员", deviceLabel: "设备", task_move: "移库",
      cameraInsecure: "摄像头需要 HTTPS（或本机 localhost）访问；请使用扫描枪或手动输入",
      cameraUnsupported: "此设备浏览器不支持摄像头", cameraDenied: "未获得摄像头权限", cameraFailed: "无法打开摄像头",
      cameraStarting: "正在打开摄像头…", cameraAim: "将条码对准框内（本地解码）", cameraAimNative: "将条码对准框内",
      role_admin: "管理员", role_supervisor: "主管", role_operator: "作业员", role_customs: "关务", role_seller: "卖家",
      st_temp_stored: "暂存", st_customs_hold: "海关查验扣留", st_released: "已放行", st_qc_pending: "待质检",
      st_available: "可用", st_defective: "不良品", st_seized: "海关没收",
      pendingBadge: "待同步 {n} 条", online: "在线", offline: "离线",
      receive: "收货", receiveHint: "预报单 → 商品 → 数量 → LPN 标签", putaway: "上架",
      putawayHint: "LPN → 推荐库位 → 扫描库位确认", promptAsn: "扫描预报单号、箱唛或参考号",
      promptSku: "预报单 {number}：请扫描商品", promptParcel: "预报单 {number}：请扫描包裹运单号",
      promptQtyAnyway: "输入数量，点「收货」（加入预报单）", promptRcvQty: "{sku}：输入数量，点「收货」", promptReason: "请填写原因，再点「收货」",
      promptPutawayLpn: "扫描要上架的 LPN 或商品", promptPutawayLocation: "扫描上架库位",
      promptPutawayReason: "选择原因，或扫描推荐库位 {location}", promptWait: "正在提交，请稍候再扫描",
      expect_product: "商品条码或 SKU", expect_putaway: "LPN 或商品条码", expect_putawayLocation: "库位或 LPN",
      needsNetwork: "此步骤需要联网：当前无法连接服务器", opening: "正在打开 {code}…", identifying: "正在识别 {code}…",
      asnLabel: "预报单", progress: "已收 {received} / {expected} 件", progressBlind: "已收 {received} 件（盲收）",
      damagedCount: "破损 {n}", parcelsProgress: "包裹 {received} / {total}", blind: "盲收",
      firstArrival: "首次到货", measureTitle: "首次到货：称重并测量一件", weightKg: "重量 kg", lengthCm: "长 cm",
      widthCm: "宽 cm", heightCm: "高 cm", next: "下一步", measureMissing: "请填写重量和三边尺寸",
      good: "良品", damaged: "破损", reason: "原因", reasonRequired: "请填写原因", lotRequired: "该商品需要批次号",
      receiveBtn: "收货", onePerScan: "之后每扫描一次该商品 = 收货 1 件", lineLabel: "第 {n} 行",
      perScanDone: "逐件收货 +{qty}：本轮共 {n} 件，在 {lpn}", receivedTitle: "已收货", receivedTo: "放入 {location}",
      printLabel: "打印 LPN 标签", labelLoading: "正在获取标签…", labelFailed: "无法获取标签：{detail}",
      unknownActions: "请选择：", linkTo: "关联为预报单中的商品：", setAside: "隔离，交主管处理", note: "备注",
      notOnAsnAction: "仍然收货（加入预报单）", addLineOn: "将作为新行加入预报单",
      finish: "完成收货", finishReason: "差异原因（多收、少收或破损）", finishArm: "再点一次「完成收货」确认",
      finished: "收货完成：{number}", finishedDetail: "已生成暂存入库单草稿", changeAsn: "换一张预报单",
      parcelTitle: "包裹已收", orderNo: "订单号", location: "库位", printShippingLabel: "打印面单",
      suggested: "推荐库位", noSuggestion: "没有推荐库位", strategy: "策略", from: "来源",
      paReasonTitle: "不是推荐库位：请选择原因", paReason_full: "库位已满", paReason_damaged: "库位损坏",
      paReason_closer: "就近", paReason_other: "其他原因", strategy_fixed: "固定库位", strategy_consolidate: "同品合并",
      strategy_empty: "空库位", putawayDone: "已上架", putawayTo: "{from} → {to}",
      task_receive: "收货", task_parcel: "包裹收货", task_link: "关联条码", task_setaside: "隔离货物",
      task_finish: "完成收货", task_putaway: "上架",
      qc: "质检", qcHint: "LPN → 抽检 → 不良数与原因", inspection: "海关查验", inspectionHint: "暂扣货物 LPN → 查验结果",
      promptQcLpn: "扫描待质检的 LPN", promptQcInspect: "请抽检 {sku} 共 {sample} 件", promptInspLpn: "扫描海关暂扣货物的 LPN",
      promptInspResult: "录入查验结果", sampleQty: "抽检数量", qcRule: "规则", qcReason_product: "商品必检",
      qcReason_first_arrival: "首次到货", qcReason_product_rule: "商品规则", qcReason_seller_rule: "卖家规则",
      qcReason_warehouse_rule: "仓库规则", failedQty: "不良数", defectReason: "不良原因", defect_scratched: "划痕",
      defect_broken: "破损", defect_not_working: "功能不良", defect_packaging: "包装不良", defect_other: "其他",
      defectOther: "其他原因", qcComplete: "完成质检", qcDone: "质检完成", qcPassedTo: "合格 {n} 件 → 待上架",
      qcFailedTo: "不合格 {n} 件 → 不良品区", failedTooMany: "不良数不能超过 {qty}", defectRequired: "有不良品：请选择不良原因",
      spotNote: "布控说明", inspNote: "查验备注", insp_passed: "查验通过", insp_failed: "查验不合格", insp_seized: "海关扣押",
      inspArm: "再点一次「{result}」确认", inspDetail_passed: "已放行：转质检或上架", inspDetail_failed: "已转入不良品区",
      inspDetail_seized: "海关扣押：货物不得动用", printHold: "打印暂扣标签", task_qc: "质检", task_inspection: "海关查验",
      pick: "拣货", pickHint: "波次 → 库位 → 商品 → 数量 → 格口", promptPickWave: "扫描波次号，或点「下一个波次」",
      promptPickLocation: "请到 {location} 并扫描库位", promptPickItem: "扫描 {sku} 或其 LPN",
      promptPickQty: "拣 {sku} × {qty}：确认数量", promptPickSlot: "放入格口 {slot} 并扫描格口标签",
      expect_wave: "波次号", expect_slot: "格口标签", nextWave: "下一个波次", changeWave: "换一个波次", waveLabel: "波次",
      waveKind_multi: "多品 · 分拣车", waveKind_single: "单品", picksLeft: "待拣 {n} 项", goTo: "前往库位",
      pickQty: "应拣", cartSlot: "格口", putInSlot: "放入分拣车格口", pickedQty: "实拣", pickEmpty: "库位为空",
      pickShort: "数量不足", pickSkip: "跳过", pickEmptyArm: "再点一次「库位为空」确认（实拣 0 件，登记下架差异）",
      shortHint: "数量不足：先用数字键输入实际找到的数量（少于 {qty}），再点「数量不足」", pickTooMany: "此处只需拣 {qty} 件",
      pickUseKeypad: "请用数字键确认数量", pickedTitle: "已拣货", pickedTo: "放入 {to}",
      discrepancyTitle: "已登记下架差异 #{id}", discrepancyDetail: "应拣 {expected}，实拣 {found}；订单退出波次，等待主管处理",
      skipped: "已跳过，稍后再拣", waveDone: "波次已拣完", nextTask: "下一个：{location}", task_pick: "拣货", task_short: "下架差异",
      bag: "汇总入袋", bagHint: "袋标 → 扫描包裹 → 清点称重封袋", promptBagOpen: "扫描袋标 SSCC，或点「新袋」",
      promptBagParcel: "扫描包裹运单号，装入袋 {sscc}", promptBagUnbag: "扫描要从袋中取出的包裹",
      promptBagReason: "选择取出原因，或扫描另一个包裹", promptBagSeal: "清点包裹并称重：输入件数和重量，点「确认封袋」",
      expect_bag: "袋标 SSCC", expect_parcel: "包裹运单号", newBag: "新袋（自动分配 SSCC）", openBags: "进行中的袋",
      noOpenBags: "没有进行中的袋", listOffline: "需要联网才能列出", bagLabel: "袋", bagSt_open: "装袋中", bagSt_sealed: "已封袋",
      bagSt_loaded: "已装车", bagRoute: "{channel} → {country}", bagRouteUnset: "首个包裹决定渠道和目的国",
      bagParcels: "袋内包裹", lastParcels: "最近装袋", parcelsUnit: "件", bagOpened: "袋 {sscc}：已有 {n} 件",
      bagNotOpen: "袋 {sscc} {state}：不能再装包裹", bagAdded: "已装袋 {code} · 共 {n} 件", bagAlready: "包裹 {code} 已在本袋",
      notBagged: "未装袋", unbag: "取出包裹", seal: "封袋", unbagTitle: "取出 {code}：请选择原因",
      unbag_damaged: "外箱破损", unbag_wrong_bag: "装错袋", unbag_cancelled: "订单取消", unbag_overweight: "超重",
      unbag_relabel: "面单重打", unbag_other: "其他", unbagOther: "其他原因", unbagged: "已取出 {code} · 袋内剩 {n} 件",
      backToScan: "返回扫描包裹", sealCount: "清点件数", sealWeight: "重量 kg", sealOk: "确认封袋",
      sealNeedCount: "请输入清点的件数", sealNeedWeight: "请称重并输入袋重（kg）", sealBadWeight: "重量须大于 0，最多 3 位小数",
      sealPending: "本袋还有 {n} 条扫描未同步：请先同步再封袋", sealed: "已封袋", sealedDetail: "{n} 件 · {weight} kg",
      reprintLabel: "补打袋标", changeBag: "换一个袋", task_bag: "装袋", task_unbag: "取出包裹",
      load: "装车", loadHint: "车辆 → 扫描袋标 → 关闭装车单", promptLoadOpen: "扫描装车单号或车牌，或点选车辆",
      promptLoadNew: "选择承运商，填写车牌，点「开始装车」", promptLoadBag: "扫描袋标，装上 {vehicle}",
      promptLoadClose: "填写总运单、航班（可不填），点「确认关闭装车单」", promptLoadClosed: "装车单 {number} 已关闭", promptLoadDeparted: "装车单 {number} 已出区",
      expect_manifest: "装车单号或车牌", loadingVehicles: "正在装车", closedVehicles: "已关闭，待出区",
      noVehicles: "没有正在装车的车辆", newVehicle: "新车辆", carrier: "承运商", vehicleNo: "车牌", driver: "司机（可不填）",
      startLoading: "开始装车", chooseCarrier: "请选择承运商", needVehicle: "请填写车牌", manifestLabel: "装车单",
      mfSt_loading: "装车中", mfSt_closed: "已关闭", mfSt_departed: "已出区", statBags: "袋", statParcels: "包裹",
      statWeight: "重量 kg", loadedBags: "已装车的袋", noBagsYet: "还没有装袋", manifestOpened: "装车单 {number} · {vehicle}",
      bagLoaded: "已装车 {sscc} · 共 {n} 袋", bagAlreadyLoaded: "袋 {sscc} 已在本车", notLoaded: "未装车",
      noManifest: "未找到正在装车的车辆或装车单：{code}", chooseVehicleFirst: "先选择或新建车辆，再扫描袋标 {code}",
      closeManifest: "关闭装车单", closeTitle: "关闭装车单（以下均可不填）", billNo: "总运单号", trafName: "航班 / 船名",
      voyageNo: "航次", closeOk: "确认关闭装车单", manifestClosed: "装车单已关闭", manifestPdf: "装车单 PDF",
      docLoading: "正在获取装车单…", docFailed: "无法获取装车单：{detail}", gateOut: "出区",
      gateOutArm: "再点一次「出区」确认：车辆离开监管区，库存与账册随之核减", departed: "已出区",
      departedDetail: "订单已发运，等待汇总申报", changeVehicle: "返回车辆列表", closedDetail: "{bags} 袋 · {parcels} 件 · {weight} kg", backToLoading: "返回扫描袋标",
      vehicleInfo: "{carrier} · {vehicle}", driverInfo: "司机 {driver}", billInfo: "总运单 {bill}"
    },
    "en": {
      app: "Bonded WMS PDA", tagline: "Cross-border export bonded warehouse · handheld", username: "User name",
      password: "Password", device: "Device ID", signin: "Sign in", signingIn: "Signing in…", signedInAs: "Signed in as",
      startShift: "Start shift", startShiftHint: "Tap to turn on sounds and vibration", signout: "Sign out",
      signoutConfirm: "{n} scans are not synced yet; tap again to sign out", home: "Home", lookup: "Stock lookup",
      lookupHint: "Scan a location, product or LPN", move: "Move", moveHint: "From → item → quantity → to",
      exceptions: "Scan exceptions", exceptionsHint: "Offline scans refused on replay (read-only)", queue: "Sync queue",
      queueHint: "Queued offline and refused scans", manualEntry: "Type a code", camera: "Camera scan", close: "Close",
      fromLocation: "From location", itemOrLpn: "Item / LPN", qty: "Quantity", toLocation: "To location",
      confirmQty: "Confirm quantity", restart: "Start over", refresh: "Refresh", confirm: "OK", backspace: "Backspace",
      clear: "Clear", zone_receiving: "Receiving", zone_temp_storage: "Temporary storage", zone_qc: "Quality control",
      zone_storage: "Storage", zone_defective: "Defective goods", zone_packing: "Packing", zone_dispatch: "Dispatch",
      inactive: "deactivated", syncNow: "Sync now",
      pendingTitle: "Waiting to sync", refusedTitle: "Refused", acknowledge: "OK",
      refusedNote: "Stock changed while the device was offline and the server refused these; supervisors were told.",
      promptHome: "Scan any code to look it up", promptLookup: "Scan a location, product or LPN",
      promptFrom: "Scan the FROM location", promptItem: "Scan the product or LPN", promptQty: "Key the quantity, then scan the TO location",
      promptTo: "Scan the TO location", promptLpn: "Scan the LPN to take from",
      promptProductOnLpn: "LPN {lpn} holds several products: scan the product", promptBusy: "Sending…",
      promptManual: "Type the code, then Enter",
      kind_location: "a location", kind_lpn: "an LPN", kind_sscc: "an SSCC", kind_gtin: "a product barcode",
      kind_parcel: "a parcel number", kind_sku: "a SKU", kind_gs1: "a GS1 code", kind_unknown: "an unknown code",
      kind_invalid: "an invalid code", kind_product: "Product",
      expect_location: "a location", expect_item: "a product barcode, SKU or LPN", expect_lpn: "an LPN", expect_any: "a code",
      wrongKind: "That is {kind} ({code}); this step needs {expected}", badCheckDigit: "Wrong check digit: {code}",
      badGs1: "Cannot read the GS1 code ({reason}): {code}", badCode: "Unreadable code: {code}",
      notSameItem: "Not the same item: {code}; scan the TO location",
      gs1_unknown_ai: "unknown AI", gs1_bad_length: "wrong length", gs1_not_numeric: "digits expected",
      gs1_check_digit: "wrong check digit", gs1_bad_date: "invalid date", gs1_repeated_ai: "repeated AI", gs1_empty: "no data",
      gs1_bad_character: "bad character", control_character: "control character",
      lookingUp: "Looking up {code}…", lookupOffline: "Lookup needs the network: the server cannot be reached",
      nothing: "No stock", rows: "{n} rows · {qty} units", reserved: "{n} allocated", lot: "Lot", expiry: "Expiry", lpn: "LPN",
      scanned: "Scanned {code}", qtyPlus: "Same item +1, quantity {qty}", qtyInvalid: "The quantity must be above 0",
      sending: "Sending the move…", moved: "Moved", movedDetail: "Movement #{id}", queuedTitle: "Queued offline",
      queuedDetail: "No network: it is sent automatically when back online ({n} waiting)",
      authQueued: "Sign-in expired; the scan is queued and is sent after you sign in again",
      refusedTitleOne: "Move refused", unsaved: "No network and this device cannot store the scan offline: scan the TO location again when online", choose: "Scan an LPN, or tap one:", sourceStock: "Stock at the FROM location",
      unknownFrom: "No such location: {code}",
      syncing: "Syncing…", syncDone: "Synced: {done} applied, {refused} refused, {left} left",
      syncOffline: "Server unreachable; {left} still waiting", syncSignedOut: "Sign in to sync", syncAuth: "Sign-in expired; sign in again to sync",
      nothingPending: "Nothing waiting", nothingRefused: "Nothing refused", otherUser: "Belongs to {user}; syncs when they sign in",
      attempts: "{n} tries", replayApplied: "Offline scan synced: {summary}",
      replayRefused: "Offline scan refused: {summary} — {detail} (supervisors told)",
      sessionExpired: "Your sign-in expired; sign in again (queued scans are kept)", signInAgain: "Sign in",
      networkDown: "Cannot reach the server", exceptionsCount: "{n} open", noExceptions: "No open scan exceptions",
      exceptionsOffline: "Scan exceptions need the network", scannedAt: "Scanned", operator: "Operator",
      deviceLabel: "Device", task_move: "Move",
      cameraInsecure: "The camera needs HTTPS (or localhost); use the scanner or type the code",
      cameraUnsupported: "This browser has no camera access", cameraDenied: "Camera permission denied",
      cameraFailed: "Cannot open the camera", cameraStarting: "Opening the camera…",
      cameraAim: "Aim at the barcode (decoded on the device)", cameraAimNative: "Aim at the barcode",
      role_admin: "Admin", role_supervisor: "Supervisor", role_operator: "Operator", role_customs: "Customs", role_seller: "Seller",
      st_temp_stored: "Temp-stored", st_customs_hold: "Customs hold", st_released: "Released", st_qc_pending: "QC pending",
      st_available: "Available", st_defective: "Defective", st_seized: "Seized",
      pendingBadge: "{n} waiting to sync", online: "Online", offline: "Offline",
      receive: "Receive", receiveHint: "ASN → product → quantity; print the LPN label", putaway: "Putaway",
      putawayHint: "LPN → suggested location → scan it", promptAsn: "Scan the ASN number, a carton label or the reference",
      promptSku: "ASN {number}: scan a product", promptParcel: "ASN {number}: scan a parcel's waybill number",
      promptQtyAnyway: "Key the quantity, tap Receive (adds it to the ASN)", promptRcvQty: "{sku}: key the quantity, tap Receive", promptReason: "Give a reason, then tap Receive",
      promptPutawayLpn: "Scan the LPN (or product) to put away", promptPutawayLocation: "Scan the location",
      promptPutawayReason: "Choose a reason, or scan the suggested location {location}", promptWait: "Sending; scan again in a moment",
      expect_product: "a product barcode or SKU", expect_putaway: "an LPN or product barcode",
      expect_putawayLocation: "a location or an LPN",
      needsNetwork: "This step needs the network: the server cannot be reached", opening: "Opening {code}…",
      identifying: "Identifying {code}…", asnLabel: "ASN", progress: "{received} of {expected} received",
      progressBlind: "{received} received (blind)", damagedCount: "{n} damaged", parcelsProgress: "Parcels {received} / {total}",
      blind: "Blind", firstArrival: "First arrival", measureTitle: "First arrival: weigh and measure one unit",
      weightKg: "Weight kg", lengthCm: "Length cm", widthCm: "Width cm", heightCm: "Height cm", next: "Next",
      measureMissing: "Enter the weight and all three sides", good: "Good", damaged: "Damaged", reason: "Reason",
      reasonRequired: "Give a reason", lotRequired: "This product needs a lot number", receiveBtn: "Receive",
      onePerScan: "From now on each scan of this product receives 1 unit", lineLabel: "Line {n}",
      perScanDone: "+{qty} received: {n} this run, on {lpn}", receivedTitle: "Received", receivedTo: "Put on {location}",
      printLabel: "Print LPN label", labelLoading: "Getting the label…", labelFailed: "Cannot get the label: {detail}",
      unknownActions: "Choose:", linkTo: "It is this product of the ASN:", setAside: "Set aside for a supervisor",
      note: "Note", notOnAsnAction: "Receive anyway (add to the ASN)", addLineOn: "Added to the ASN as a new line",
      finish: "Finish receiving", finishReason: "Reason for the differences (over, short, damaged)",
      finishArm: "Tap Finish receiving again to confirm", finished: "Receiving finished: {number}",
      finishedDetail: "A draft temporary-storage declaration was made", changeAsn: "Another ASN",
      parcelTitle: "Parcel received", orderNo: "Order", location: "Location", printShippingLabel: "Print shipping label",
      suggested: "Suggested location", noSuggestion: "No suggestion", strategy: "Strategy", from: "From",
      paReasonTitle: "Not the suggested location: choose a reason", paReason_full: "Location full",
      paReason_damaged: "Location damaged", paReason_closer: "Closer", paReason_other: "Other reason",
      strategy_fixed: "fixed location", strategy_consolidate: "with the same product", strategy_empty: "empty location",
      putawayDone: "Stored", putawayTo: "{from} → {to}",
      task_receive: "Receive", task_parcel: "Parcel receipt", task_link: "Link barcode", task_setaside: "Set aside",
      task_finish: "Finish receiving", task_putaway: "Putaway",
      qc: "QC", qcHint: "LPN → inspect the sample → defects and reason", inspection: "Customs inspection",
      inspectionHint: "LPN of held goods → inspection result", promptQcLpn: "Scan the LPN to inspect",
      promptQcInspect: "Inspect {sample} units of {sku}", promptInspLpn: "Scan the LPN of goods on customs hold",
      promptInspResult: "Record the inspection result", sampleQty: "Sample to check", qcRule: "Rule",
      qcReason_product: "product always inspected", qcReason_first_arrival: "first arrival", qcReason_product_rule: "product rule",
      qcReason_seller_rule: "seller rule", qcReason_warehouse_rule: "warehouse rule", failedQty: "Defective",
      defectReason: "Defect", defect_scratched: "Scratched", defect_broken: "Broken", defect_not_working: "Not working",
      defect_packaging: "Packaging", defect_other: "Other", defectOther: "Other reason", qcComplete: "Complete",
      qcDone: "QC done", qcPassedTo: "{n} passed → putaway", qcFailedTo: "{n} failed → defective zone",
      failedTooMany: "At most {qty} can be defective", defectRequired: "Defects found: choose the defect",
      spotNote: "Spot check", inspNote: "Inspection note", insp_passed: "Passed", insp_failed: "Failed", insp_seized: "Seized",
      inspArm: "Tap {result} again to confirm", inspDetail_passed: "Released: on to QC or putaway",
      inspDetail_failed: "Moved to the defective zone", inspDetail_seized: "Seized by customs: do not move",
      printHold: "Print hold label", task_qc: "QC", task_inspection: "Customs inspection",
      pick: "Pick", pickHint: "Wave → location → item → quantity → cart slot",
      promptPickWave: "Scan the wave number, or tap Next wave", promptPickLocation: "Go to {location} and scan it",
      promptPickItem: "Scan {sku} or its LPN", promptPickQty: "Pick {qty} × {sku}: confirm the quantity",
      promptPickSlot: "Put them in slot {slot}: scan the slot label", expect_wave: "a wave number", expect_slot: "a cart slot label",
      nextWave: "Next wave", changeWave: "Another wave", waveLabel: "Wave", waveKind_multi: "Multi-item · cart",
      waveKind_single: "Single-item", picksLeft: "{n} picks left", goTo: "Go to", pickQty: "To pick", cartSlot: "Cart slot",
      putInSlot: "Put in cart slot", pickedQty: "Picked", pickEmpty: "Location empty", pickShort: "Short", pickSkip: "Skip",
      pickEmptyArm: "Tap Location empty again to confirm (0 picked; a pick discrepancy is recorded)",
      shortHint: "Short: key the quantity found (less than {qty}), then tap Short", pickTooMany: "Only {qty} to pick here",
      pickUseKeypad: "Confirm the quantity on the keypad", pickedTitle: "Picked", pickedTo: "Put on {to}",
      discrepancyTitle: "Pick discrepancy #{id} recorded",
      discrepancyDetail: "Expected {expected}, found {found}; the order leaves the wave for a supervisor",
      skipped: "Skipped; it comes back later", waveDone: "Wave picked", nextTask: "Next: {location}", task_pick: "Pick",
      task_short: "Pick discrepancy",
      bag: "Bagging", bagHint: "Bag label → parcels → count, weigh, seal",
      promptBagOpen: "Scan the bag's SSCC label, or tap New bag", promptBagParcel: "Scan parcels into bag {sscc}",
      promptBagUnbag: "Scan the parcel to take out of the bag", promptBagReason: "Choose the reason, or scan another parcel",
      promptBagSeal: "Count and weigh the bag: key both, then tap Seal", expect_bag: "a bag's SSCC label",
      expect_parcel: "a parcel's waybill number", newBag: "New bag (new SSCC)", openBags: "Open bags",
      noOpenBags: "No open bags", listOffline: "The list needs the network", bagLabel: "Bag", bagSt_open: "open",
      bagSt_sealed: "sealed", bagSt_loaded: "loaded", bagRoute: "{channel} → {country}",
      bagRouteUnset: "The first parcel sets the channel and destination", bagParcels: "Parcels in the bag",
      lastParcels: "Last bagged", parcelsUnit: "parcels", bagOpened: "Bag {sscc}: {n} parcels so far",
      bagNotOpen: "Bag {sscc} is {state}: it takes no more parcels", bagAdded: "Bagged {code} · {n} in the bag",
      bagAlready: "Parcel {code} is already in this bag", notBagged: "Not bagged", unbag: "Take out", seal: "Seal",
      unbagTitle: "Take out {code}: choose the reason", unbag_damaged: "Damaged box", unbag_wrong_bag: "Wrong bag",
      unbag_cancelled: "Order cancelled", unbag_overweight: "Overweight", unbag_relabel: "Relabel", unbag_other: "Other",
      unbagOther: "Other reason", unbagged: "Took out {code} · {n} left in the bag", backToScan: "Back to scanning",
      sealCount: "Counted", sealWeight: "Weight kg", sealOk: "Seal", sealNeedCount: "Key the number of parcels counted",
      sealNeedWeight: "Weigh the bag and key its weight (kg)", sealBadWeight: "The weight must be above 0, at most 3 decimals",
      sealPending: "Scans of this bag not synced yet: {n}. Sync before sealing", sealed: "Bag sealed",
      sealedDetail: "{n} parcels · {weight} kg", reprintLabel: "Reprint bag label", changeBag: "Another bag",
      task_bag: "Bagging", task_unbag: "Take out of bag",
      load: "Loading", loadHint: "Vehicle → scan bags → close the manifest",
      promptLoadOpen: "Scan a manifest number or plate, or tap a vehicle",
      promptLoadNew: "Choose the carrier, type the plate, tap Start loading", promptLoadBag: "Scan bags onto {vehicle}",
      promptLoadClose: "Master bill and flight (optional), then tap Close manifest", promptLoadClosed: "Manifest {number} is closed",
      promptLoadDeparted: "Manifest {number} has left the zone",
      expect_manifest: "a manifest number or plate", loadingVehicles: "Loading", closedVehicles: "Closed, waiting for gate-out",
      noVehicles: "No vehicle is loading", newVehicle: "New vehicle", carrier: "Carrier", vehicleNo: "Plate",
      driver: "Driver (optional)", startLoading: "Start loading", chooseCarrier: "Choose the carrier",
      needVehicle: "Type the plate", manifestLabel: "Manifest", mfSt_loading: "loading", mfSt_closed: "closed",
      mfSt_departed: "departed", statBags: "Bags", statParcels: "Parcels", statWeight: "Weight kg",
      loadedBags: "Bags on the vehicle", noBagsYet: "No bags yet", manifestOpened: "Manifest {number} · {vehicle}",
      bagLoaded: "Loaded {sscc} · {n} bags", bagAlreadyLoaded: "Bag {sscc} is already on this vehicle", notLoaded: "Not loaded",
      noManifest: "No vehicle loading with manifest or plate {code}", chooseVehicleFirst: "Choose or open a vehicle first, then scan bag {code}",
      closeManifest: "Close manifest", closeTitle: "Close the manifest (all optional)", billNo: "Master bill",
      trafName: "Flight / vessel", voyageNo: "Voyage", closeOk: "Close manifest", manifestClosed: "Manifest closed",
      manifestPdf: "Manifest PDF", docLoading: "Getting the manifest…", docFailed: "Cannot get the manifest: {detail}",
      gateOut: "Gate-out", gateOutArm: "Tap Gate-out again to confirm: the vehicle leaves the zone, stock and account book go down",
      departed: "Departed", departedDetail: "Orders shipped, waiting for the consolidated declaration",
      changeVehicle: "Back to the vehicles",
      closedDetail: "{bags} bags · {parcels} parcels · {weight} kg", backToLoading: "Back to scanning bags", vehicleInfo: "{carrier} · {vehicle}",
      driverInfo: "Driver {driver}", billInfo: "Master bill {bill}"
    }
  };

  var store = window.localStorage;
  var lang = store.getItem("pda.lang") || CONFIG.defaultLang || "zh-CN";
  if (!T[lang]) { lang = "zh-CN"; }
  var session = readSession();
  var device = store.getItem("pda.device") || newDeviceName();
  var screen = null;
  var shiftStarted = false;
  var layer = null;
  var move = null;
  var rcv = null;                    // the receiving draft (收货)
  var pa = null;                     // the putaway draft (上架)
  var qc = null;                     // the QC draft (质检)
  var insp = null;                   // the customs inspection draft (海关查验)
  var pk = null;                     // the picking draft (拣货)
  var bg = null;                     // the bagging draft (汇总入袋)
  var ld = null;                     // the loading draft (装车)
  var signoutArmed = false;
  var toastTimer = null;
  var messageKind = "";

  function $(id) { return document.getElementById(id); }
  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }

  function t(key, params) {
    var text = T[lang][key];
    if (text == null) { text = T["zh-CN"][key] != null ? T["zh-CN"][key] : key; }
    if (params) {
      text = text.replace(/\{(\w+)\}/g, function (m, name) { return params[name] != null ? params[name] : m; });
    }
    return text;
  }

  function esc(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function icon(name) {
    return "<svg class=\"i\"><use href=\"#i-" + name + "\" xlink:href=\"#i-" + name + "\"/></svg>";
  }

  function printable(code) { return String(code == null ? "" : code).replace(/\u001d/g, "{GS}"); }

  function newDeviceName() {
    var name = "PDA-" + PdaApi.uuid().slice(0, 4).toUpperCase();
    store.setItem("pda.device", name);
    return name;
  }

  function readSession() {
    try {
      var s = JSON.parse(store.getItem("pda.session") || "null");
      if (s && s.token && s.user && (!s.expires_at || new Date(s.expires_at).getTime() > Date.now())) { return s; }
    } catch (e) { /* ignore */ }
    store.removeItem("pda.session");
    return null;
  }

  function saveSession(s) {
    session = s;
    if (s) { store.setItem("pda.session", JSON.stringify(s)); } else { store.removeItem("pda.session"); }
    PdaApi.setToken(s ? s.token : null);
  }

  function username() { return session && session.user ? session.user.username : null; }
  function role() { return session && session.user ? session.user.role : null; }

  function formatTime(iso, withDate) {
    if (!iso) { return ""; }
    var d = new Date(iso);
    if (isNaN(d.getTime())) { return iso; }
    function two(n) { return (n < 10 ? "0" : "") + n; }
    var time = two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds());
    return withDate ? two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " + time : time;
  }

  // ------------------------------------------------------------------ chrome: language, screens, messages

  function translate() {
    document.documentElement.lang = lang;
    document.title = t("app");
    each("[data-i18n]", function (el) { el.textContent = t(el.getAttribute("data-i18n")); });
    each("[data-i18n-title]", function (el) {
      el.title = t(el.getAttribute("data-i18n-title")); el.setAttribute("aria-label", el.title);
    });
    $("lang").textContent = lang === "zh-CN" ? "EN" : "中文";
    if (layer && layer.step) { $("prompt").textContent = layer.step.promptText(); }
    updateBadge(PdaQueue.lastCounts());
    if (screen === "home" || screen === "shift") { renderWho(); }
    if (screen === "task" && move) { renderDraft(); }
    if (screen === "task" && rcv) { renderReceive(); }
    if (screen === "task" && pa) { renderPutaway(); }
    if (screen === "task" && qc) { renderQc(); }
    if (screen === "task" && insp) { renderInspection(); }
    if (screen === "task" && pk) { renderPick(); }
    if (screen === "task" && bg) { renderBag(); }
    if (screen === "task" && ld) { renderLoad(); }
  }

  function show(name) {
    screen = name;
    each(".screen", function (el) { el.hidden = el.id !== "screen-" + name; });
    document.body.setAttribute("data-screen", name);
    if (name !== "task" && name !== "home") { setStep(null); }
    hideMessage();
    PdaCamera.close();
    window.scrollTo(0, 0);
  }

  function say(text, kind) {
    var el = $("message");
    messageKind = kind || "info";
    el.textContent = text;
    el.className = "message " + messageKind;
    el.hidden = !text;
  }

  function hideMessage() { say("", ""); $("message").hidden = true; }

  function toast(text, kind) {
    var el = $("toast");
    el.textContent = text;
    el.className = "toast " + (kind || "info");
    el.hidden = false;
    if (toastTimer) { clearTimeout(toastTimer); }
    toastTimer = setTimeout(function () { el.hidden = true; }, 5000);
  }

  function banner(text, actionLabel, action) {
    var el = $("banner");
    if (!text) { el.hidden = true; return; }
    $("banner-text").textContent = text;
    $("banner-action").textContent = actionLabel || "";
    $("banner-action").hidden = !actionLabel;
    $("banner-action").onclick = action || null;
    el.hidden = false;
  }

  function updateBadge(counts) {
    counts = counts || { pending: 0, refused: 0 };
    var badge = $("sync-badge");
    $("sync-count").textContent = String(counts.pending);
    badge.setAttribute("data-count", String(counts.pending));
    badge.className = "badge" + (counts.pending ? " has-pending" : "") + (counts.refused ? " has-refused" : "");
    badge.title = t("pendingBadge", { n: counts.pending });
    $("refused-mark").hidden = !counts.refused;
    var homeCount = $("home-queue-count");
    homeCount.hidden = !(counts.pending || counts.refused);
    homeCount.textContent = counts.refused ? counts.pending + " / !" + counts.refused : String(counts.pending);
    if (screen === "queue") { renderQueue(); }
  }

  function setNetwork(up) {
    $("net-dot").className = "net-dot " + (up ? "up" : "down");
    $("net-dot").title = t(up ? "online" : "offline");
  }

  /* One API call from a screen; a 401 means the token is gone: keep everything, ask for a new sign-in. */
  function call(method, path, body, headers) {
    return PdaApi.request(method, path, body, headers).then(function (r) {
      setNetwork(!r.network);
      if (r.status === 401 && path !== "/api/v1/auth/token") { authNeeded(); }
      return r;
    });
  }

  function problemText(r) {
    if (r.network) { return t("networkDown"); }
    var p = r.data || {};
    var text = p.detail || p.title || ("HTTP " + r.status);
    if (p.errors) {
      var parts = [];
      for (var field in p.errors) {
        if (p.errors.hasOwnProperty(field)) { parts.push(field + ": " + [].concat(p.errors[field]).join(" ")); }
      }
      if (parts.length) { text += " (" + parts.join("; ") + ")"; }
    }
    return text;
  }

  // ------------------------------------------------------------------ scan layer wiring

  function setStep(step) {
    if (!layer) { return; }
    if (step) {
      var promptKey = step.prompt, params = step.params, text = step.text;
      // A server-made prompt (already in the user's language) is shown as it came.
      step.promptText = function () { return text ? text : t(promptKey, params); };
    }
    layer.setStep(step);
  }

  function onStepChange(step) {
    $("scanbar").hidden = !step;
    $("prompt").textContent = step ? step.promptText() : "";
    document.body.setAttribute("data-step", step ? step.name : "");
  }

  function expectedText(step) {
    var accept = step ? step.accept : [];
    if (step && step.expect) { return t("expect_" + step.expect); }
    if (accept.indexOf("any") >= 0) { return t("expect_any"); }
    if (accept.length === 1) { return t("expect_" + accept[0]); }
    if (accept.indexOf("location") >= 0 && accept.length > 1 && step.name === "move-qty") { return t("expect_location"); }
    return t("expect_item");
  }

  function onReject(result, reason, step) {
    var code = printable(result.text);
    var text;
    if (reason === "wrong_kind") {
      text = t("wrongKind", { kind: t("kind_" + result.kind), code: code, expected: expectedText(step) });
    } else if (reason === "check_digit") {
      text = t("badCheckDigit", { code: code });
    } else if (/^gs1_/.test(reason)) {
      text = t("badGs1", { reason: t(reason) + (result.ai ? " (" + result.ai + ")" : ""), code: code });
    } else {
      text = t("badCode", { code: code });
    }
    say(text, "error");
  }

  // ------------------------------------------------------------------ sign-in, shift, home

  function showLogin(message) {
    show("login");
    var form = $("login-form");
    form.device.value = device;
    if (session && session.user) { form.username.value = session.user.username; }
    if (message) { say(message, "error"); }
    setTimeout(function () { (form.username.value ? form.password : form.username).focus(); }, 0);
  }

  function onLogin(ev) {
    ev.preventDefault();
    var form = ev.target;
    var name = form.username.value.replace(/^\s+|\s+$/g, "");
    var deviceName = form.device.value.replace(/^\s+|\s+$/g, "").toUpperCase();
    if (!/^[A-Z0-9_.\-]{1,40}$/.test(deviceName)) { form.device.focus(); return; }
    device = deviceName;
    store.setItem("pda.device", device);
    PdaApi.setDevice(device);
    $("signin").disabled = true;
    say(t("signingIn"), "info");
    PdaApi.request("POST", "/api/v1/auth/token", { username: name, password: form.password.value, label: "PDA " + device })
      .then(function (r) {
        $("signin").disabled = false;
        setNetwork(!r.network);
        if (!r.ok) { say(problemText(r), "error"); if (window.PdaFeedback) { PdaFeedback.error(); } return; }
        form.password.value = "";
        saveSession({ token: r.data.token, user: r.data.user, expires_at: r.data.expires_at });
        banner(null);
        PdaQueue.start(CONFIG.syncIntervalMs);
        showShift();
      });
  }

  function renderWho() {
    var user = session ? session.user : {};
    var name = user.display_name || user.username || "";
    $("shift-name").textContent = name;
    $("shift-meta").textContent = t("role_" + user.role) + " · " + user.username + " · " + device;
    $("home-name").textContent = name;
    $("home-role").textContent = t("role_" + user.role);
    $("home-device").textContent = device;
  }

  function showShift() {
    if (shiftStarted) { showHome(); return; }
    show("shift");
    renderWho();
  }

  function startShift() {
    PdaFeedback.unlock();            // inside the tap: resume the AudioContext, allow vibration
    shiftStarted = true;
    PdaFeedback.ok();
    showHome();
  }

  function showHome() {
    rcv = null; pa = null; qc = null; insp = null; pk = null; bg = null; ld = null;
    show("home");
    renderWho();
    signoutArmed = false;
    var r = role();
    each("[data-roles]", function (el) {
      var roles = el.getAttribute("data-roles");
      el.hidden = !(roles === "*" || roles.split(" ").indexOf(r) >= 0);
    });
    setStep({ name: "home", prompt: "promptHome", accept: ["any"], onScan: function (scan) { startLookup(scan); } });
    updateBadge(PdaQueue.lastCounts());
    if (r === "supervisor" || r === "admin") { refreshExceptionCount(); }
  }

  function refreshExceptionCount() {
    call("GET", "/api/v1/scan-exceptions?state=open&per_page=1").then(function (r) {
      var el = $("home-exceptions-count");
      if (r.ok) { el.textContent = String(r.data.total); el.hidden = !r.data.total; }
    });
  }

  function signOut() {
    var pending = PdaQueue.lastCounts().mine;
    if (pending && !signoutArmed) {
      signoutArmed = true;
      say(t("signoutConfirm", { n: pending }), "warn");
      PdaFeedback.error();
      return;
    }
    signoutArmed = false;
    if (session) { PdaApi.request("DELETE", "/api/v1/auth/token"); }
    PdaQueue.stop();
    saveSession(null);
    shiftStarted = false;
    banner(null);
    showLogin();
  }

  function authNeeded() {
    if (screen === "login") { return; }
    banner(t("sessionExpired"), t("signInAgain"), function () {
      banner(null);
      PdaQueue.stop();
      showLogin();                   // the user name stays filled in; the queue stays as it is
    });
  }

  // ------------------------------------------------------------------ stock lookup

  function statusChip(status) {
    return "<span class=\"status st-" + esc(status) + "\">" + esc(t("st_" + status)) + "</span>";
  }

  function stockRows(rows, context) {
    if (!rows.length) { return "<p class=\"empty\">" + esc(t("nothing")) + "</p>"; }
    var total = 0;
    var html = rows.map(function (s) {
      total += s.qty;
      var meta = [];
      if (context !== "location") { meta.push("<span class=\"loc\">" + esc(s.location_code) + "</span>"); }
      if (s.lpn && context !== "lpn") { meta.push(esc(t("lpn")) + " " + esc(s.lpn)); }
      if (s.lot) { meta.push(esc(t("lot")) + " " + esc(s.lot)); }
      if (s.expiry) { meta.push(esc(t("expiry")) + " " + esc(s.expiry)); }
      var name = lang === "en" ? (s.name_en || s.name_zh) : (s.name_zh || s.name_en);
      return "<li class=\"stock-row\"><div class=\"stock-main\"><b class=\"sku\">" + esc(s.sku) + "</b>" + statusChip(s.status) +
        "<span class=\"name\">" + esc(name) + "</span><span class=\"meta\">" + meta.join(" · ") + "</span></div>" +
        "<div class=\"stock-qty\"><b>" + esc(s.qty) + "</b>" +
        (s.reserved_qty ? "<small>" + esc(t("reserved", { n: s.reserved_qty })) + "</small>" : "") + "</div></li>";
    }).join("");
    return "<p class=\"rows-total\">" + esc(t("rows", { n: rows.length, qty: total })) + "</p><ul class=\"stock\">" + html + "</ul>";
  }

  function lookupHeader(data) {
    var title, sub = "";
    if (data.kind === "location") {
      title = data.location.code;
      var zone = T[lang]["zone_" + data.location.zone_kind];
      sub = (zone ? zone + " · " : "") + data.location.zone + (data.location.active ? "" : " · " + t("inactive"));
    } else if (data.kind === "product") {
      title = data.product.sku;
      sub = lang === "en" ? (data.product.name_en || data.product.name_zh) : (data.product.name_zh || data.product.name_en);
    } else {
      title = data.lpn || data.scanned;
    }
    return "<div class=\"result-head kind-" + esc(data.kind) + "\"><span class=\"chip\">" +
      esc(t(data.kind === "product" ? "kind_product" : "kind_" + data.kind)) + "</span><b>" + esc(title) + "</b>" +
      (sub ? "<small>" + esc(sub) + "</small>" : "") + "</div>";
  }

  function showPane(name) {
    each("#screen-task .pane", function (el) { el.hidden = el.id !== "pane-" + name; });
  }

  function startLookup(initialScan) {
    move = null; rcv = null; pa = null; qc = null; insp = null; pk = null; bg = null; ld = null;
    show("task");
    $("task-title").textContent = t("lookup");
    showPane("lookup");
    $("lookup-result").innerHTML = "";
    setStep({ name: "lookup", prompt: "promptLookup", accept: ["any"], onScan: lookup });
    if (initialScan) { lookup(initialScan); }
  }

  function lookupCode(scan) {
    return scan.kind === "unknown" || scan.kind === "sku" ? scan.text : scan.value;
  }

  function lookup(scan) {
    var code = lookupCode(scan);
    if (navigator.onLine === false) {
      PdaFeedback.error();
      say(t("lookupOffline"), "error");
      $("lookup-result").innerHTML = "";
      return;
    }
    say(t("lookingUp", { code: printable(code) }), "info");
    call("GET", "/api/v1/barcodes/" + encodeURIComponent(code)).then(function (r) {
      if (screen !== "task" || move || rcv || pa || qc || insp || pk || bg || ld) { return; }
      if (r.network) {
        PdaFeedback.error(); say(t("lookupOffline"), "error"); $("lookup-result").innerHTML = ""; return;
      }
      if (!r.ok) {
        PdaFeedback.error(); say(problemText(r), "error"); $("lookup-result").innerHTML = ""; return;
      }
      PdaFeedback.ok();
      say(t("scanned", { code: printable(code) }), "ok");
      $("lookup-result").innerHTML = lookupHeader(r.data) + stockRows(r.data.stock || [], r.data.kind);
    });
  }

  // ------------------------------------------------------------------ move

  var MOVE_ACCEPT = {
    from: ["location"], item: ["gtin", "lpn", "sku"], qty: ["location", "gtin", "lpn", "sku"], to: ["location"], lpn: ["lpn"]
  };
  var MOVE_PROMPT = { from: "promptFrom", item: "promptItem", qty: "promptQty", to: "promptTo", lpn: "promptLpn" };

  function startMove() {
    rcv = null; pa = null; qc = null; insp = null; pk = null; bg = null; ld = null;
    show("task");
    $("task-title").textContent = t("move");
    showPane("move");
    $("move-result").innerHTML = "";
    resetMove();
  }

  function resetMove() {
    move = { step: "from", from: null, item: null, qty: 1, qtyFresh: true, to: null, lpn: null, lpns: null };
    $("source-hint").innerHTML = "";
    goStep("from");
  }

  function goStep(name, prompt, params) {
    move.step = name;
    renderDraft();
    $("keypad").hidden = name !== "qty";
    $("lpn-choices").hidden = name !== "lpn";
    if (name === "lpn") { renderLpnChoices(); }
    setStep({ name: "move-" + name, prompt: prompt || MOVE_PROMPT[name], params: params, accept: MOVE_ACCEPT[name], onScan: onMoveScan });
    window.scrollTo(0, 0);
  }

  function renderDraft() {
    if (!move) { return; }
    var values = {
      from: move.from, to: move.to, qty: move.item ? String(move.qty) : null,
      item: move.item ? printable(move.item.code) + (move.lpn && move.lpn !== move.item.code ? " · " + move.lpn : "") +
        (move.item.lot ? " · " + t("lot") + " " + move.item.lot : "") : (move.lpn ? move.lpn : null)
    };
    var order = ["from", "item", "qty", "to"];
    var current = move.step === "lpn" ? "item" : move.step;
    each("#move-draft li", function (li) {
      var field = li.getAttribute("data-field");
      li.querySelector(".v").textContent = values[field] || "—";
      li.className = (field === current ? "current" : (values[field] ? "done" : "todo")) +
        (order.indexOf(field) < order.indexOf(current) && !values[field] ? " skipped" : "");
    });
  }

  function renderLpnChoices() {
    var lpns = move.lpns || [];
    $("lpn-choices").innerHTML = "<p class=\"muted\">" + esc(t("choose")) + "</p>" + lpns.map(function (lpn) {
      return "<button type=\"button\" class=\"big choice\" data-lpn=\"" + esc(lpn) + "\">" + esc(lpn) + "</button>";
    }).join("");
  }

  function onMoveScan(scan) {
    var step = move.step;
    if (step === "from") {
      move.from = scan.value;
      PdaFeedback.ok();
      say(t("scanned", { code: scan.value }), "ok");
      $("move-result").innerHTML = "";
      goStep("item");
      sourceHint(scan.value);
    } else if (step === "item") {
      move.item = { code: scan.value, kind: scan.kind, lot: scan.lot || "" };
      move.qty = 1; move.qtyFresh = true;
      PdaFeedback.ok();
      say(t("scanned", { code: printable(scan.value) }), "ok");
      goStep("qty");
      itemHint(scan.value);
    } else if (step === "qty") {
      if (scan.kind === "location") {
        move.to = scan.value;
        submitMove();
      } else if (scan.value === move.item.code) {
        move.qty += 1; move.qtyFresh = false;
        PdaFeedback.ok();
        say(t("qtyPlus", { qty: move.qty }), "ok");
        renderDraft();
      } else {
        layer.reject(scan, "not_same_item");
        say(t("notSameItem", { code: printable(scan.value) }), "error");
      }
    } else if (step === "to") {
      move.to = scan.value;
      submitMove();
    } else if (step === "lpn") {
      move.lpn = scan.value;
      PdaFeedback.ok();
      submitMove();
    }
  }

  function sourceHint(code) {
    if (navigator.onLine === false) { return; }
    call("GET", "/api/v1/barcodes/" + encodeURIComponent(code)).then(function (r) {
      if (!move || move.from !== code) { return; }
      if (r.status === 404) {
        if (move.step === "item") {
          move.from = null;
          goStep("from");
          PdaFeedback.error();
          say(t("unknownFrom", { code: code }), "error");
        }
        return;
      }
      if (!r.ok || r.data.kind !== "location") { return; }
      var rows = r.data.stock || [];
      $("source-hint").innerHTML = rows.length ? "<h3 class=\"section-title\">" + esc(t("sourceStock")) + "</h3>" +
        stockRows(rows.slice(0, 6), "location") : "";
    });
  }

  /* Online only and never blocking: name the product on the message line so the operator can check it. */
  function itemHint(code) {
    if (navigator.onLine === false) { return; }
    var shown = $("message").textContent;
    call("GET", "/api/v1/barcodes/" + encodeURIComponent(code)).then(function (r) {
      if (!move || !move.item || move.item.code !== code || $("message").textContent !== shown || !r.ok) { return; }
      var product = r.data.product || ((r.data.stock || [])[0] ? {
        sku: r.data.stock[0].sku, name_zh: r.data.stock[0].name_zh, name_en: r.data.stock[0].name_en } : null);
      if (!product) { return; }
      var name = lang === "en" ? (product.name_en || product.name_zh) : (product.name_zh || product.name_en);
      say(t("scanned", { code: printable(code) }) + " · " + product.sku + " " + (name || ""), "ok");
    });
  }

  function keypad(key) {
    if (!move || move.step !== "qty") { return; }
    var text = move.qtyFresh ? "" : String(move.qty);
    if (key === "C") { text = ""; }
    else if (key === "back") { text = text.slice(0, -1); }
    else if (text.length < 7) { text = (text === "0" ? "" : text) + key; }
    move.qty = parseInt(text || "0", 10);
    move.qtyFresh = false;
    renderDraft();
  }

  function confirmQty() {
    if (!move || move.step !== "qty") { return; }
    if (!(move.qty > 0)) { PdaFeedback.error(); say(t("qtyInvalid"), "error"); return; }
    goStep("to");
  }

  function moveSummary(body) {
    return body.qty + " × " + body.barcode + (body.lpn && body.lpn !== body.barcode ? " (" + body.lpn + ")" : "") +
      "  " + body.from_location + " → " + body.to_location;
  }

  function submitMove() {
    if (!(move.qty > 0)) { PdaFeedback.error(); say(t("qtyInvalid"), "error"); goStep("qty"); return; }
    var body = { from_location: move.from, barcode: move.item.code, qty: move.qty, to_location: move.to };
    if (move.lpn) { body.lpn = move.lpn; }
    if (move.item.lot) { body.lot = move.item.lot; }
    var current = move;
    setStep({ name: "move-busy", prompt: "promptBusy", accept: [], onScan: function () {} });
    say(t("sending"), "info");
    PdaQueue.submit("move", "POST", "/api/v1/moves", body, moveSummary(body)).then(function (r) {
      if (move !== current) { return; }
      if (r.outcome === "done") {
        PdaFeedback.ok();
        var line = (r.data.lines || []).filter(function (l) { return l.qty > 0; })[0] || {};
        say(t("moved") + " · " + t("movedDetail", { id: r.data.id }), "ok");
        $("move-result").innerHTML = "<div class=\"result ok\"><b>" + icon("check") + esc(t("moved")) + "</b><span>" +
          esc(t("movedDetail", { id: r.data.id })) + "</span><span class=\"big-line\">" + esc(line.sku || body.barcode) +
          " × " + esc(line.qty || body.qty) + "</span><span>" + esc(body.from_location) + " → " + esc(line.location_code || body.to_location) +
          (line.lpn ? " · " + esc(line.lpn) : "") + "</span>" + (line.status ? statusChip(line.status) : "") + "</div>";
        resetMove();
      } else if (r.outcome === "queued" || r.outcome === "auth") {
        PdaFeedback.queued();
        var text = r.outcome === "auth" ? t("authQueued") : t("queuedDetail", { n: PdaQueue.lastCounts().mine });
        say(t("queuedTitle"), "queued");
        $("move-result").innerHTML = "<div class=\"result queued\"><b>" + icon("cloud") + esc(t("queuedTitle")) + "</b><span>" +
          esc(text) + "</span><span class=\"big-line\">" + esc(moveSummary(body)) + "</span></div>";
        resetMove();
      } else if (r.outcome === "unsaved") {
        PdaFeedback.error();
        say(t("unsaved"), "error");
        move.to = null;
        goStep("to");
      } else {
        PdaFeedback.error();
        moveRefused(r, body);
      }
    });
  }

  function moveRefused(r, body) {
    var p = r.data || {};
    say(t("refusedTitleOne") + "：" + problemText(r), "error");   // the sticky message line: always in view
    $("move-result").innerHTML = "";
    var code = p.code;
    if (code === "lpn_required") {
      move.lpns = p.lpns || [];
      goStep("lpn");
    } else if (code === "mixed_lpn") {
      move.lpn = move.item.code; move.item = null;
      goStep("item", "promptProductOnLpn", { lpn: move.lpn });
    } else if (code === "insufficient_stock" || code === "validation_failed") {
      move.to = null; move.qtyFresh = true;
      goStep("qty");
    } else if ((code === "unknown_location" || code === "inactive_record") && p.field === "from_location") {
      resetMove();
    } else if (code === "unknown_barcode" || code === "ambiguous_barcode") {
      move.item = null; move.to = null; move.lpn = null;
      goStep("item");
    } else {
      move.to = null;
      goStep("to");
    }
  }

  // ------------------------------------------------------------------ receiving (收货) and putaway (上架)
  /* Both are driven by the server's scenario answers: each answer names the next `step`, carries its `prompt`
     (already in the user's language) and the data to show. Scans that change stock go through the offline
     queue (Idempotency-Key, replayed later when offline); the scans that only find what to work on next
     (open an ASN, identify a product, find a putaway task) need the answer at once, so they are sent live,
     each with its own Idempotency-Key, and say so when there is no network. */

  var PRODUCT_KINDS = ["gtin", "sku", "unknown", "gs1"];
  var RCV_ACCEPT = { asn: ["any"], sku: PRODUCT_KINDS, measure: PRODUCT_KINDS, qty: PRODUCT_KINDS, parcel: ["any"] };
  var MEASURES = ["weight_kg", "length_cm", "width_cm", "height_cm"];

  function scanCode(scan) {
    return scan.kind === "unknown" || scan.kind === "sku" ? scan.text : scan.value;
  }

  /* A product scan as the server reads it: a GS1 code in its "(01)…(10)…" form keeps its lot and expiry. */
  function productBarcode(scan) {
    if (scan.gs1 && scan.ais && scan.fields) {
      return scan.ais.map(function (ai) { return "(" + ai + ")" + scan.fields[ai]; }).join("");
    }
    return scanCode(scan);
  }

  /* "The same product" for one-per-scan: the same GTIN (and the same lot, when the code carries one). */
  function productKey(scan) {
    return (scan.kind === "gtin" ? scan.value : String(scanCode(scan)).toUpperCase()) + (scan.lot ? "|" + scan.lot : "");
  }

  function live(path, body) {
    return call("POST", path, body, { "Idempotency-Key": PdaApi.uuid() });
  }

  function busyStep(name) {
    setStep({ name: name + "-busy", prompt: "promptBusy", accept: ["any"], onScan: function () {
      PdaFeedback.error(); say(t("promptWait"), "warn");
    } });
  }

  function productName(p) {
    if (!p) { return ""; }
    return lang === "en" ? (p.name_en || p.name_zh || "") : (p.name_zh || p.name_en || "");
  }

  function problemCode(r) { return (r && r.data && r.data.code) || ""; }

  /* A scenario problem's localized `detail` (it names the scanned value); field errors only when there is none. */
  function detailText(r) {
    if (r.outcome === "unsaved") { return t("unsaved"); }
    if (r.network) { return t("needsNetwork"); }
    if (!r.data || !r.data.detail || r.data.code === "validation_failed") { return problemText(r); }
    return r.data.detail;
  }

  function inputValue(id) { return String($(id).value || "").replace(/^\s+|\s+$/g, ""); }

  // ---- receiving: state and rendering

  function startReceive() {
    move = null; pa = null; qc = null; insp = null; pk = null; bg = null; ld = null;
    show("task");
    $("task-title").textContent = t("receive");
    showPane("receive");
    rcv = newReceive();
    goRcv("asn");
  }

  function newReceive() {
    return { step: "asn", asn: null, lines: [], item: null, qty: 1, qtyFresh: true, condition: "good",
             needReason: false, addLine: false, measures: null, problem: null, run: null, result: "",
             finishNeedsReason: false, finishArmed: false };
  }

  function goRcv(step, text) {
    if (rcv.step !== step) { window.scrollTo(0, 0); }
    rcv.step = step;
    rcv.finishArmed = false;
    var prompts = { asn: "promptAsn", sku: "promptSku", parcel: "promptParcel", measure: "measureTitle", qty: "promptRcvQty" };
    var item = rcv.item;
    renderReceive();
    setStep({ name: "receive-" + step, text: text || "", prompt: prompts[step], params: {
                number: rcv.asn ? rcv.asn.number : "", sku: item ? (item.product ? item.product.sku : printable(item.barcode)) : "" },
              accept: RCV_ACCEPT[step], expect: step === "sku" || step === "qty" || step === "measure" ? "product" : null,
              onScan: onReceiveScan });
  }

  function applyAsn(asn) {
    if (!asn) { return; }
    var lines = asn.lines;
    rcv.asn = asn;
    if (lines) { rcv.lines = lines; }
  }

  function applyLine(line) {
    if (!line) { return; }
    rcv.lines.forEach(function (l) {
      if (l.line_no === line.line_no) {
        l.received_qty = line.received_qty; l.damaged_qty = line.damaged_qty;
        if (line.expected_qty != null) { l.expected_qty = line.expected_qty; }
      }
    });
  }

  function asnProgress(asn) {
    if (asn.mode === "parcel") { return t("parcelsProgress", { received: asn.parcels_received || 0, total: asn.parcels || 0 }); }
    if (asn.blind || asn.expected_qty == null) { return t("progressBlind", { received: asn.received_qty || 0 }); }
    return t("progress", { received: asn.received_qty || 0, expected: asn.expected_qty });
  }

  function renderReceive() {
    if (!rcv) { return; }
    var step = rcv.step, asn = rcv.asn, item = rcv.item;
    $("rcv-asn").innerHTML = asn ? "<div class=\"asn-head\"><span class=\"chip\">" + esc(t("asnLabel")) + "</span><b>" +
      esc(asn.number) + "</b>" + (asn.blind ? "<span class=\"chip warn\">" + esc(t("blind")) + "</span>" : "") +
      "<small>" + esc(asn.seller || "") + " · " + esc(asnProgress(asn)) +
      (asn.damaged_qty ? " · " + esc(t("damagedCount", { n: asn.damaged_qty })) : "") + "</small></div>" : "";
    $("rcv-result").innerHTML = rcv.result || "";
    renderProblem();
    var showItem = item && (step === "measure" || step === "qty");
    $("rcv-item").innerHTML = showItem ? itemCard(item) : "";
    $("rcv-measure").hidden = step !== "measure";
    $("rcv-qty").hidden = step !== "qty";
    if (step === "qty") {
      $("rcv-qty-value").textContent = String(rcv.qty);
      each("#rcv-condition [data-condition]", function (b) {
        var on = b.getAttribute("data-condition") === rcv.condition;
        b.className = on ? "on " + rcv.condition : "";
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
      $("rcv-lot-field").hidden = !(item && (item.needsLot || item.lot));
      $("rcv-reason-field").hidden = !(rcv.condition === "damaged" || rcv.needReason);
      $("rcv-reason-field").className = rcv.needReason ? "needed" : "";
      $("rcv-per-scan").hidden = !item;
    }
    $("rcv-lines").innerHTML = step === "sku" && rcv.lines.length ? linesList(rcv.lines) : "";
    $("rcv-finish-box").hidden = !asn || step === "asn";
    $("rcv-finish-reason-box").hidden = !rcv.finishNeedsReason;
    $("rcv-reset").hidden = !asn;
  }

  function itemCard(item) {
    var p = item.product, line = item.line;
    var meta = [];
    if (line) {
      meta.push(esc(t("lineLabel", { n: line.line_no })) + " · " + esc(line.expected_qty != null ?
        t("progress", { received: line.received_qty, expected: line.expected_qty }) : t("progressBlind", { received: line.received_qty })));
    }
    if (item.lot) { meta.push(esc(t("lot")) + " " + esc(item.lot)); }
    if (item.expiry) { meta.push(esc(t("expiry")) + " " + esc(item.expiry)); }
    if (rcv.addLine) { meta.push("<span class=\"warn-text\">" + esc(t("addLineOn")) + "</span>"); }
    return "<div class=\"item-card\"><div><b class=\"sku\">" + esc(p ? p.sku : printable(item.barcode)) + "</b>" +
      (p && p.first_arrival ? "<span class=\"chip warn\">" + esc(t("firstArrival")) + "</span>" : "") + "</div>" +
      (p ? "<span class=\"name\">" + esc(productName(p)) + "</span>" : "") +
      (meta.length ? "<span class=\"meta\">" + meta.join(" · ") + "</span>" : "") + "</div>";
  }

  function linesList(lines) {
    return "<ul class=\"lines\">" + lines.map(function (l) {
      var done = l.expected_qty != null && l.received_qty >= l.expected_qty;
      return "<li class=\"" + (done ? "done" : "") + "\"><div class=\"stock-main\"><b class=\"sku\">" + esc(l.sku) + "</b>" +
        "<span class=\"name\">" + esc(productName(l)) + "</span>" +
        (l.damaged_qty ? "<span class=\"meta error-text\">" + esc(t("damagedCount", { n: l.damaged_qty })) + "</span>" : "") +
        "</div><div class=\"stock-qty\"><b>" + esc(l.received_qty) + "</b>" +
        (l.expected_qty != null ? "<small>/ " + esc(l.expected_qty) + "</small>" : "") + "</div></li>";
    }).join("") + "</ul>";
  }

  function renderProblem() {
    var p = rcv.problem, html = "";
    if (p && p.kind === "unknown") {
      html = "<div class=\"card problem\"><p class=\"error-text\"><b>" + esc(p.detail) + "</b></p>" +
        (rcv.lines.length ? "<p class=\"muted\">" + esc(t("linkTo")) + "</p>" + rcv.lines.map(function (l) {
          return "<button type=\"button\" class=\"big choice\" data-link=\"" + esc(l.product_id) + "\"><b>" + esc(l.sku) +
            "</b><small>" + esc(productName(l)) + "</small></button>";
        }).join("") : "") +
        "<div class=\"form compact\"><label><span>" + esc(t("note")) + "</span><input id=\"rcv-aside-note\" autocomplete=\"off\" maxlength=\"300\"></label></div>" +
        "<button type=\"button\" class=\"big warn-btn\" id=\"rcv-set-aside\">" + esc(t("setAside")) + "</button></div>";
    } else if (p && p.kind === "not_on_asn") {
      html = "<div class=\"card problem\"><p class=\"error-text\"><b>" + esc(p.detail) + "</b></p>" +
        "<button type=\"button\" class=\"big warn-btn\" id=\"rcv-anyway\">" + esc(t("notOnAsnAction")) + "</button></div>";
    }
    var box = $("rcv-problem");
    var note = $("rcv-aside-note");
    var kept = note ? note.value : "";
    box.innerHTML = html;
    if ($("rcv-aside-note")) { $("rcv-aside-note").value = kept; }
  }

  function receiptCard(receipt) {
    return "<div class=\"result ok receipt\"><b>" + icon("check") + esc(t("receivedTitle")) + "</b>" +
      "<span class=\"big-line\">" + esc(receipt.sku) + " × " + esc(receipt.qty) +
      (receipt.condition === "damaged" ? " · " + esc(t("damaged")) : "") + "</span>" +
      "<span class=\"lpn-line\">" + esc(t("lpn")) + " <b class=\"lpn\" id=\"rcv-lpn\">" + esc(receipt.lpn) + "</b></span>" +
      "<span>" + esc(t("receivedTo", { location: receipt.location })) + (receipt.lot ? " · " + esc(t("lot")) + " " + esc(receipt.lot) : "") +
      "</span><button type=\"button\" class=\"big print\" id=\"rcv-print\" data-label=\"" + esc(receipt.label_url) + "\" data-lpn=\"" +
      esc(receipt.lpn) + "\">" + icon("print") + "<span>" + esc(t("printLabel")) + "</span></button></div>";
  }

  function queuedCard(summary, auth) {
    var text = auth ? t("authQueued") : t("queuedDetail", { n: PdaQueue.lastCounts().mine });
    return "<div class=\"result queued\"><b>" + icon("cloud") + esc(t("queuedTitle")) + "</b><span>" + esc(text) +
      "</span><span class=\"big-line\">" + esc(summary) + "</span></div>";
  }

  // ---- receiving: scans

  function onReceiveScan(scan) {
    var step = rcv.step;
    if (step === "asn") {
      openAsn(scanCode(scan));
    } else if (step === "parcel") {
      receiveParcel(scan);
    } else if ((step === "qty" || step === "measure") && rcv.item && rcv.item.key === productKey(scan)) {
      if (step === "qty") {
        submitReceipt(1, true);                    // one per scan: each further scan of this product is 1 unit
      } else {
        PdaFeedback.dup(); say(t("measureTitle"), "warn");
      }
    } else {
      identify(scan);
    }
  }

  function needNetwork() {
    if (navigator.onLine === false) { PdaFeedback.error(); say(t("needsNetwork"), "error"); return true; }
    return false;
  }

  function openAsn(code) {
    if (needNetwork()) { return; }
    var current = rcv;
    say(t("opening", { code: printable(code) }), "info");
    busyStep("receive");
    live("/api/v1/receiving/open", { scan: code }).then(function (r) {
      if (rcv !== current) { return; }
      if (!r.ok) {
        PdaFeedback.error();
        say(detailText(r), "error");
        goRcv("asn");
        return;
      }
      PdaFeedback.ok();
      rcv.result = ""; rcv.problem = null; rcv.item = null; rcv.finishNeedsReason = false;
      applyAsn(r.data.asn);
      say(t("scanned", { code: printable(code) }) + " · " + r.data.asn.number, "ok");
      goRcv(r.data.step === "parcel" ? "parcel" : "sku", r.data.prompt);
    });
  }

  function identify(scan) {
    if (needNetwork()) { return; }
    var current = rcv, barcode = productBarcode(scan), key = productKey(scan);
    say(t("identifying", { code: printable(barcode) }), "info");
    busyStep("receive");
    live("/api/v1/receiving/identify", { asn_id: rcv.asn.id, barcode: barcode }).then(function (r) {
      if (rcv !== current) { return; }
      rcv.run = null;
      if (r.ok) {
        PdaFeedback.ok();
        rcv.problem = null; rcv.addLine = false;
        say(t("scanned", { code: printable(barcode) }) + " · " + r.data.product.sku, "ok");
        takeItem(r.data, { key: key, barcode: barcode });
        return;
      }
      PdaFeedback.error();
      say(detailText(r), "error");
      var code = problemCode(r);
      if (code === "unknown_barcode" || code === "not_on_asn") { rcv.result = ""; }
      if (code === "unknown_barcode") {
        rcv.item = null;
        rcv.problem = { kind: "unknown", scanned: r.data.scanned || barcode, detail: detailText(r) };
      } else if (code === "not_on_asn") {
        rcv.item = null;
        rcv.problem = { kind: "not_on_asn", key: key, barcode: barcode, detail: detailText(r) };
      }
      goRcv("sku");
    });
  }

  /* An identify-like answer (identify, link-barcode): the product, its line, and measure or qty next. */
  function takeItem(data, scanned) {
    rcv.item = { key: scanned.key, barcode: scanned.barcode, productId: data.product ? data.product.id : null,
                 byId: !!scanned.byId, product: data.product || null, line: data.line || null, lot: data.lot || "",
                 expiry: data.expiry || null, needsLot: !!data.needs_lot };
    rcv.qty = 1; rcv.qtyFresh = true; rcv.condition = "good"; rcv.needReason = false; rcv.measures = null;
    $("rcv-lot").value = rcv.item.lot;
    $("rcv-reason").value = "";
    if (data.step === "measure") {
      enterMeasure(data.prompt);
    } else {
      goRcv("qty", data.prompt);
    }
  }

  function enterMeasure(text) {
    var p = rcv.item && rcv.item.product;
    MEASURES.forEach(function (m) { $("rcv-" + m).value = p && p[m] != null ? String(p[m]) : ""; });
    goRcv("measure", text);
  }

  function measureDone() {
    if (!rcv || rcv.step !== "measure") { return; }
    var values = {}, missing = false;
    MEASURES.forEach(function (m) {
      var v = inputValue("rcv-" + m).replace(",", ".");
      if (!/^\d+(\.\d+)?$/.test(v) || !(parseFloat(v) > 0)) { missing = true; } else { values[m] = v; }
    });
    if (missing) { PdaFeedback.error(); say(t("measureMissing"), "error"); return; }
    rcv.measures = values;
    PdaFeedback.ok();
    hideMessage();
    goRcv("qty", rcv.addLine ? t("promptQtyAnyway") : "");
  }

  function rcvKeypad(key) {
    if (!rcv || rcv.step !== "qty") { return; }
    var text = rcv.qtyFresh ? "" : String(rcv.qty);
    if (key === "C") { text = ""; }
    else if (key === "back") { text = text.slice(0, -1); }
    else if (text.length < 7) { text = (text === "0" ? "" : text) + key; }
    rcv.qty = parseInt(text || "0", 10);
    rcv.qtyFresh = false;
    $("rcv-qty-value").textContent = String(rcv.qty);
  }

  function setCondition(condition) {
    if (!rcv || rcv.step !== "qty") { return; }
    rcv.condition = condition;
    rcv.run = null;                                  // damaged units go onto their own LPN
    renderReceive();
  }

  function receiptSummary(body) {
    return rcv.asn.number + " · " + body.qty + " × " + (rcv.item.product ? rcv.item.product.sku : printable(rcv.item.barcode)) +
      (body.condition === "damaged" ? " (" + t("damaged") + ")" : "");
  }

  function submitReceipt(qty, perScan) {
    if (!rcv || !rcv.item) { return; }
    var item = rcv.item;
    if (!(qty > 0)) { PdaFeedback.error(); say(t("qtyInvalid"), "error"); return; }
    var reason = inputValue("rcv-reason"), lot = $("rcv-lot-field").hidden ? item.lot : inputValue("rcv-lot");
    if ((rcv.condition === "damaged" || rcv.needReason) && !reason) {
      PdaFeedback.error(); say(t("reasonRequired"), "error");
      rcv.needReason = true; renderReceive();
      return;
    }
    if (item.needsLot && !lot) { PdaFeedback.error(); say(t("lotRequired"), "error"); renderReceive(); return; }
    var body = { asn_id: rcv.asn.id, qty: qty, condition: rcv.condition, reason: reason };
    if (item.byId || !item.barcode) { body.product_id = item.productId; } else { body.barcode = item.barcode; }
    if (lot) { body.lot = lot; }
    if (item.expiry) { body.expiry = item.expiry; }
    if (rcv.addLine) { body.add_line = true; }
    if (rcv.measures) { MEASURES.forEach(function (m) { body[m] = rcv.measures[m]; }); }
    var run = rcv.run;
    if (perScan && run && run.key === item.key && run.condition === rcv.condition && run.lpn) { body.lpn = run.lpn; }
    var current = rcv, summary = receiptSummary(body), prompt = $("prompt").textContent;
    busyStep("receive");
    say(t("promptBusy"), "info");
    PdaQueue.submit("receive", "POST", "/api/v1/receiving/receipts", body, summary).then(function (r) {
      if (rcv !== current) { return; }
      if (r.outcome === "done") {
        PdaFeedback.ok();
        var receipt = r.data.receipt || {};
        rcv.measures = null; rcv.needReason = false; rcv.problem = null;
        if (item.product) { item.product.first_arrival = false; }
        applyAsn(r.data.asn); applyLine(r.data.line);
        if (r.data.line) { item.line = r.data.line; }
        rcv.result = receiptCard(receipt);
        $("rcv-reason").value = "";
        if (perScan) {
          var n = (run && run.key === item.key && run.lpn === receipt.lpn ? run.n : 0) + receipt.qty;
          rcv.run = { key: item.key, lpn: receipt.lpn, condition: receipt.condition, n: n };
          say(t("perScanDone", { qty: receipt.qty, n: n, lpn: receipt.lpn }), "ok");
          rcv.qty = 1; rcv.qtyFresh = true;
          goRcv("qty", prompt);
        } else {
          say(t("receivedTitle") + " · " + receipt.sku + " × " + receipt.qty + " · " + receipt.lpn, "ok");
          rcv.item = null; rcv.addLine = false; rcv.run = null;
          goRcv(r.data.step === "parcel" ? "parcel" : "sku", r.data.prompt);
        }
      } else if (r.outcome === "queued" || r.outcome === "auth") {
        PdaFeedback.queued();
        say(t("queuedTitle"), "queued");
        rcv.result = queuedCard(summary, r.outcome === "auth");
        rcv.measures = null; rcv.needReason = false;
        if (perScan) { rcv.run = null; rcv.qty = 1; rcv.qtyFresh = true; goRcv("qty", prompt); }
        else { rcv.item = null; rcv.addLine = false; goRcv("sku"); }
      } else if (r.outcome === "unsaved") {
        PdaFeedback.error();
        say(t("unsaved"), "error");
        goRcv("qty", prompt);
      } else {
        PdaFeedback.error();
        receiptRefused(r, prompt);
      }
    });
  }

  function receiptRefused(r, prompt) {
    var code = problemCode(r), p = r.data || {};
    say(detailText(r), "error");
    rcv.result = "";
    if (code === "over_receipt" || code === "reason_required") {
      rcv.needReason = true;
      goRcv("qty", t("promptReason"));
      try { $("rcv-reason").focus(); } catch (e) { /* ignore */ }
    } else if (code === "lot_required") {
      rcv.item.needsLot = true;
      goRcv("qty", prompt);
    } else if (code === "measure_required") {
      enterMeasure(p.detail);
    } else if (code === "not_on_asn") {
      rcv.problem = { kind: "not_on_asn", key: rcv.item.key, barcode: rcv.item.barcode, detail: detailText(r), retry: true };
      goRcv("qty", prompt);
    } else if (code === "asn_not_receivable" || code === "asn_parcel_mode") {
      rcv.item = null;
      goRcv("sku");
    } else {
      goRcv("qty", prompt);
    }
  }

  function receiveAnyway() {
    var p = rcv && rcv.problem;
    if (!p || p.kind !== "not_on_asn") { return; }
    rcv.problem = null;
    rcv.addLine = true;
    if (p.retry && rcv.item) {                       // refused on the receipt itself: send it again, adding the line
      submitReceipt(rcv.qty, false);
      return;
    }
    takeItem({ step: "qty", prompt: t("promptQtyAnyway") }, { key: p.key, barcode: p.barcode });
    rcv.addLine = true;
    renderReceive();
  }

  function linkBarcode(productId) {
    var p = rcv && rcv.problem;
    if (!p || p.kind !== "unknown") { return; }
    var body = { asn_id: rcv.asn.id, scanned: p.scanned, product_id: productId };
    var current = rcv, line = rcv.lines.filter(function (l) { return String(l.product_id) === String(productId); })[0];
    var summary = rcv.asn.number + " · " + p.scanned + " → " + (line ? line.sku : "#" + productId);
    busyStep("receive");
    PdaQueue.submit("link", "POST", "/api/v1/receiving/link-barcode", body, summary).then(function (r) {
      if (rcv !== current) { return; }
      if (r.outcome === "done") {
        PdaFeedback.ok();
        rcv.problem = null; rcv.addLine = false;
        say(summary, "ok");
        takeItem(r.data, { key: String(p.scanned).toUpperCase(), barcode: p.scanned, byId: true });
      } else if (r.outcome === "queued" || r.outcome === "auth") {
        PdaFeedback.queued();
        say(t("queuedTitle"), "queued");
        rcv.problem = null;
        rcv.result = queuedCard(summary, r.outcome === "auth");
        goRcv("sku");
      } else {
        PdaFeedback.error();
        say(detailText(r), "error");
        goRcv("sku");
      }
    });
  }

  function setAside() {
    var p = rcv && rcv.problem;
    if (!p || p.kind !== "unknown") { return; }
    var body = { asn_id: rcv.asn.id, scanned: p.scanned, note: inputValue("rcv-aside-note") };
    var current = rcv, summary = rcv.asn.number + " · " + p.scanned;
    busyStep("receive");
    PdaQueue.submit("setaside", "POST", "/api/v1/receiving/set-aside", body, summary).then(function (r) {
      if (rcv !== current) { return; }
      if (r.outcome === "done") {
        PdaFeedback.ok();
        rcv.problem = null;
        say(r.data.prompt, "ok");
        goRcv("sku", r.data.prompt);
      } else if (r.outcome === "queued" || r.outcome === "auth") {
        PdaFeedback.queued();
        say(t("queuedTitle"), "queued");
        rcv.problem = null;
        rcv.result = queuedCard(summary, r.outcome === "auth");
        goRcv("sku");
      } else {
        PdaFeedback.error();
        say(detailText(r), "error");
        goRcv("sku");
      }
    });
  }

  function receiveParcel(scan) {
    var waybill = scanCode(scan);
    var body = { asn_id: rcv.asn.id, waybill_no: waybill }, current = rcv;
    var summary = rcv.asn.number + " · " + waybill;
    busyStep("receive");
    PdaQueue.submit("parcel", "POST", "/api/v1/receiving/parcels", body, summary).then(function (r) {
      if (rcv !== current) { return; }
      if (r.outcome === "done") {
        PdaFeedback.ok();
        var parcel = r.data.parcel || {};
        applyAsn(r.data.asn);
        rcv.result = "<div class=\"result ok\"><b>" + icon("check") + esc(t("parcelTitle")) + "</b><span class=\"big-line\">" +
          esc(parcel.waybill_no) + "</span><span>" + (parcel.order_no ? esc(t("orderNo")) + " " + esc(parcel.order_no) + " · " : "") +
          esc(t("location")) + " " + esc(parcel.location) + "</span><span>" + esc(asnProgress(rcv.asn)) + "</span>" +
          (parcel.logistics_no ? "<span>" + esc(r.data.prompt) + "</span><button type=\"button\" class=\"big print\" " +
            "data-label=\"" + esc(parcel.label) + "?format=pdf\" data-lpn=\"" + esc(parcel.logistics_no) + "\">" + icon("print") +
            "<span>" + esc(t("printShippingLabel")) + " " + esc(parcel.logistics_no) + "</span></button>" : "") + "</div>";
        say(t("parcelTitle") + " · " + parcel.waybill_no, "ok");
        goRcv("parcel", r.data.prompt);
      } else if (r.outcome === "queued" || r.outcome === "auth") {
        PdaFeedback.queued();
        say(t("queuedTitle"), "queued");
        rcv.result = queuedCard(summary, r.outcome === "auth");
        goRcv("parcel");
      } else {
        PdaFeedback.error();
        rcv.result = "";
        say(detailText(r), "error");   // names the scanned waybill
        goRcv("parcel");
      }
    });
  }

  function finishReceiving() {
    if (!rcv || !rcv.asn || rcv.step === "asn") { return; }
    var reason = rcv.finishNeedsReason ? inputValue("rcv-finish-reason") : "";
    if (rcv.finishNeedsReason && !reason) { PdaFeedback.error(); say(t("reasonRequired"), "error"); return; }
    if (!rcv.finishNeedsReason && !rcv.finishArmed) {        // finishing is final: a second tap confirms it
      rcv.finishArmed = true;
      PdaFeedback.info();
      say(t("finishArm"), "warn");
      return;
    }
    var asn = rcv.asn, current = rcv, step = rcv.step, summary = asn.number + (reason ? " · " + reason : "");
    busyStep("receive");
    PdaQueue.submit("finish", "POST", "/api/v1/asns/" + asn.id + "/finish", { reason: reason }, summary).then(function (r) {
      if (rcv !== current) { return; }
      if (r.outcome === "done" || r.outcome === "queued" || r.outcome === "auth") {
        var done = r.outcome === "done";
        if (done) { PdaFeedback.ok(); } else { PdaFeedback.queued(); }
        var result = done ? "<div class=\"result ok\"><b>" + icon("check") + esc(t("finished", { number: asn.number })) +
          "</b><span>" + esc(t("finishedDetail")) + "</span></div>" : queuedCard(t("task_finish") + " · " + summary, r.outcome === "auth");
        rcv = newReceive();
        rcv.result = result;
        $("rcv-finish-reason").value = "";
        say(done ? t("finished", { number: asn.number }) : t("queuedTitle"), done ? "ok" : "queued");
        goRcv("asn");
        return;
      }
      PdaFeedback.error();
      say(detailText(r), "error");
      if (problemCode(r) === "discrepancy_reason_required") {
        rcv.finishNeedsReason = true;
        goRcv(step);
        try { $("rcv-finish-reason").focus(); } catch (e) { /* ignore */ }
      } else {
        goRcv(step);
      }
    });
  }

  /* A label (LPN, bag) or a document (manifest) is a PDF behind the bearer token: fetch it, then show it in a
     new tab. `texts` names other messages than the label's {loading, failed}. */
  function printLabel(url, lpn, texts) {
    var win = null;
    try { win = window.open("", "_blank"); } catch (e) { win = null; }
    say(t(texts ? texts.loading : "labelLoading"), "info");
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url, true);
    xhr.responseType = "blob";
    xhr.timeout = 20000;
    if (PdaApi.token()) { xhr.setRequestHeader("Authorization", "Bearer " + PdaApi.token()); }
    xhr.setRequestHeader("Accept", "application/pdf, application/problem+json");
    xhr.setRequestHeader("Accept-Language", lang);
    function failed(detail) {
      if (win) { try { win.close(); } catch (e) { /* ignore */ } }
      PdaFeedback.error();
      say(t(texts ? texts.failed : "labelFailed", { detail: detail }), "error");
    }
    xhr.onload = function () {
      if (xhr.status !== 200) { failed("HTTP " + xhr.status); return; }
      var href = (window.URL || window.webkitURL).createObjectURL(xhr.response);
      if (win) {
        win.location.href = href;
      } else {
        var a = document.createElement("a");
        a.href = href; a.target = "_blank"; a.download = lpn + ".pdf";
        document.body.appendChild(a); a.click(); document.body.removeChild(a);
      }
      hideMessage();
    };
    xhr.onerror = function () { failed(t("networkDown")); };
    xhr.ontimeout = function () { failed(t("networkDown")); };
    xhr.send(null);
  }

  /* Enter in one of the page's own fields (reason, lot, measures) does what its step's button does. */
  function onEnter(id, action) {
    $(id).addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.keyCode === 13) { ev.preventDefault(); action(); }
    });
  }

  function bindReceive() {
    var receiveNow = function () { if (rcv && rcv.step === "qty") { submitReceipt(rcv.qty, false); } };
    onEnter("rcv-reason", receiveNow);
    onEnter("rcv-lot", receiveNow);
    MEASURES.forEach(function (m) { onEnter("rcv-" + m, measureDone); });
    onEnter("rcv-finish-reason", finishReceiving);
    each("#rcv-keypad [data-key]", function (b) {
      b.addEventListener("click", function () { rcvKeypad(b.getAttribute("data-key")); });
    });
    $("rcv-ok").addEventListener("click", receiveNow);
    each("#rcv-condition [data-condition]", function (b) {
      b.addEventListener("click", function () { setCondition(b.getAttribute("data-condition")); });
    });
    $("rcv-measure-ok").addEventListener("click", measureDone);
    $("rcv-finish").addEventListener("click", finishReceiving);
    $("rcv-reset").addEventListener("click", function () {
      if (!rcv) { return; }
      rcv = newReceive(); hideMessage(); goRcv("asn");
    });
    $("rcv-problem").addEventListener("click", function (ev) {
      var el = ev.target;
      while (el && el !== this && !(el.getAttribute && (el.getAttribute("data-link") || el.id))) { el = el.parentNode; }
      if (!el || el === this) { return; }
      if (el.getAttribute("data-link")) { linkBarcode(parseInt(el.getAttribute("data-link"), 10)); }
      else if (el.id === "rcv-set-aside") { setAside(); }
      else if (el.id === "rcv-anyway") { receiveAnyway(); }
    });
    $("rcv-result").addEventListener("click", function (ev) {
      var el = ev.target;
      while (el && el !== this && !(el.getAttribute && el.getAttribute("data-label"))) { el = el.parentNode; }
      if (el && el !== this) { printLabel(el.getAttribute("data-label"), el.getAttribute("data-lpn")); }
    });
  }

  // ---- putaway

  function startPutaway() {
    move = null; rcv = null; qc = null; insp = null; pk = null; bg = null; ld = null;
    show("task");
    $("task-title").textContent = t("putaway");
    showPane("putaway");
    pa = { step: "lpn", task: null, location: null, needReason: false, result: "" };
    goPa("lpn");
  }

  function goPa(step, text) {
    if (pa.step !== step) { window.scrollTo(0, 0); }
    pa.step = step;
    renderPutaway();
    setStep({ name: "putaway-" + step, text: text || "", prompt: step === "lpn" ? "promptPutawayLpn" :
              (pa.needReason ? "promptPutawayReason" : "promptPutawayLocation"), params: {
                location: pa.task && pa.task.suggested_location || "" },
              accept: step === "lpn" ? ["lpn", "gtin", "sku", "sscc", "gs1"] : ["location", "lpn"],
              expect: step === "lpn" ? "putaway" : "putawayLocation", onScan: onPutawayScan });
  }

  function renderPutaway() {
    if (!pa) { return; }
    var task = pa.task;
    $("pa-result").innerHTML = pa.result || "";
    $("pa-task").innerHTML = task && pa.step === "location" ? "<div class=\"pa-card\">" +
      "<div class=\"suggest\"><small>" + esc(t("suggested")) + "</small><b id=\"pa-suggested\">" +
      esc(task.suggested_location || t("noSuggestion")) + "</b>" +
      (task.strategy ? "<span class=\"chip\">" + esc(t("strategy")) + " · " + esc(T[lang]["strategy_" + task.strategy] || task.strategy) +
        "</span>" : "") + "</div>" +
      "<div class=\"pa-body\"><b class=\"sku\">" + esc(task.sku) + "</b><span class=\"name\">" + esc(productName(task)) + "</span>" +
      "<dl><dt>" + esc(t("qty")) + "</dt><dd class=\"qty\">" + esc(task.qty) + "</dd><dt>" + esc(t("lpn")) + "</dt><dd>" + esc(task.lpn) +
      "</dd><dt>" + esc(t("from")) + "</dt><dd>" + esc(task.from_location) + "</dd>" +
      (task.lot ? "<dt>" + esc(t("lot")) + "</dt><dd>" + esc(task.lot) + "</dd>" : "") + "</dl>" +
      "<small class=\"muted\">" + esc(task.number) + "</small></div></div>" : "";
    $("pa-reason").hidden = !(pa.step === "location" && pa.needReason);
  }

  function onPutawayScan(scan) {
    if (pa.step === "location" && scan.kind === "location") {
      completePutaway(scan.value, "");
    } else {
      putawayScan(scanCode(scan));
    }
  }

  function putawayScan(code) {
    if (navigator.onLine === false) { PdaFeedback.error(); say(t("needsNetwork"), "error"); return; }
    var current = pa, step = pa.step;
    say(t("lookingUp", { code: printable(code) }), "info");
    busyStep("putaway");
    live("/api/v1/putaway/scan", { scan: code }).then(function (r) {
      if (pa !== current) { return; }
      if (!r.ok) {
        PdaFeedback.error();
        say(detailText(r), "error");
        goPa(step);
        return;
      }
      PdaFeedback.ok();
      pa.task = r.data.task; pa.needReason = false; pa.location = null; pa.result = "";
      $("pa-reason-text").value = "";
      say(t("scanned", { code: printable(code) }) + " · " + pa.task.sku + " × " + pa.task.qty, "ok");
      goPa(r.data.step === "location" ? "location" : "lpn", r.data.prompt);
    });
  }

  function completePutaway(location, reason) {
    if (!pa || !pa.task) { return; }
    var task = pa.task, current = pa, prompt = $("prompt").textContent;
    var body = { location: location, reason: reason || "" };
    var summary = task.number + " · " + task.qty + " × " + task.sku + " (" + task.lpn + ") → " + location;
    busyStep("putaway");
    say(t("promptBusy"), "info");
    PdaQueue.submit("putaway", "POST", "/api/v1/putaway-tasks/" + task.id + "/complete", body, summary).then(function (r) {
      if (pa !== current) { return; }
      if (r.outcome === "done") {
        PdaFeedback.ok();
        var done = r.data.task || task;
        pa.result = "<div class=\"result ok\"><b>" + icon("check") + esc(t("putawayDone")) + "</b><span class=\"big-line\">" +
          esc(done.sku) + " × " + esc(done.qty) + "</span><span>" + esc(done.lpn) + " · " +
          esc(t("putawayTo", { from: done.from_location, to: done.to_location || location })) + "</span></div>";
        pa.task = null; pa.needReason = false; pa.location = null;
        say(t("putawayDone") + " · " + done.sku + " × " + done.qty + " → " + (done.to_location || location), "ok");
        goPa("lpn", r.data.prompt);
      } else if (r.outcome === "queued" || r.outcome === "auth") {
        PdaFeedback.queued();
        say(t("queuedTitle"), "queued");
        pa.result = queuedCard(summary, r.outcome === "auth");
        pa.task = null; pa.needReason = false; pa.location = null;
        goPa("lpn");
      } else if (r.outcome === "unsaved") {
        PdaFeedback.error();
        say(t("unsaved"), "error");
        goPa("location", prompt);
      } else {
        PdaFeedback.error();
        var code = problemCode(r);
        say(detailText(r), "error");
        if (code === "putaway_reason_required") {
          pa.needReason = true; pa.location = location;
          goPa("location");
        } else if (code === "invalid_transition" || code === "insufficient_stock" || code === "record_not_found") {
          pa.task = null; pa.needReason = false;
          goPa("lpn");
        } else {
          goPa("location", prompt);
        }
      }
    });
  }

  function putawayReason(text) {
    if (!pa || !pa.needReason || !pa.location) { return; }
    if (!text) { PdaFeedback.error(); say(t("reasonRequired"), "error"); return; }
    completePutaway(pa.location, text);
  }

  function bindPutaway() {
    each("#pa-reason [data-reason]", function (b) {
      b.addEventListener("click", function () { putawayReason(t("paReason_" + b.getAttribute("data-reason"))); });
    });
    $("pa-reason-ok").addEventListener("click", function () { putawayReason(inputValue("pa-reason-text")); });
    onEnter("pa-reason-text", function () { putawayReason(inputValue("pa-reason-text")); });
    $("pa-reset").addEventListener("click", function () {
      if (!pa) { return; }
      pa.task = null; pa.needReason = false; pa.location = null; pa.result = "";
      hideMessage(); goPa("lpn");
    });
  }

  // ------------------------------------------------------------------ QC (质检) and customs inspection (海关查验)
  /* Same pattern as receiving and putaway: the scan that finds the task is sent live (its own Idempotency-Key,
     needs the network); the result that changes stock goes through the offline queue. */

  var LPN_KINDS = ["lpn", "sscc"];
  var DEFECTS = ["scratched", "broken", "not_working", "packaging", "other"];

  function startQc() {
    move = null; rcv = null; pa = null; insp = null; pk = null; bg = null; ld = null;
    show("task");
    $("task-title").textContent = t("qc");
    showPane("qc");
    qc = { step: "lpn", task: null, failed: 0, failedFresh: true, defect: "", needReason: false, result: "" };
    goQc("lpn");
  }

  function goQc(step, text) {
    if (qc.step !== step) { window.scrollTo(0, 0); }
    qc.step = step;
    renderQc();
    setStep({ name: "qc-" + step, text: text || "", prompt: step === "lpn" ? "promptQcLpn" : "promptQcInspect",
              params: { sample: qc.task ? qc.task.sample_qty : "", sku: qc.task ? qc.task.sku : "" },
              accept: LPN_KINDS, expect: "lpn", onScan: onQcScan });
  }

  function qcReasonText(reason) {
    return reason ? (T[lang]["qcReason_" + reason] || reason) : "";
  }

  function renderQc() {
    if (!qc) { return; }
    var task = qc.task, inspect = qc.step === "inspect" && task;
    $("qc-result").innerHTML = qc.result || "";
    $("qc-task").innerHTML = inspect ? "<div class=\"pa-card compact qc-card\">" +
      "<div class=\"suggest\"><small>" + esc(t("sampleQty")) + "</small><b id=\"qc-sample\">" + esc(task.sample_qty) + "</b>" +
      (task.reason ? "<span class=\"chip\">" + esc(t("qcRule")) + " · " + esc(qcReasonText(task.reason)) + "</span>" : "") + "</div>" +
      "<div class=\"pa-body\"><b class=\"sku\">" + esc(task.sku) + "</b><span class=\"name\">" + esc(productName(task)) + "</span>" +
      "<dl><dt>" + esc(t("qty")) + "</dt><dd class=\"qty\">" + esc(task.qty) + "</dd><dt>" + esc(t("location")) + "</dt><dd>" +
      esc(task.location) + "</dd>" + (task.lot ? "<dt>" + esc(t("lot")) + "</dt><dd>" + esc(task.lot) + "</dd>" : "") + "</dl>" +
      "<small class=\"muted\">" + esc(t("lpn")) + " <b class=\"mono\">" + esc(task.lpn) + "</b> · " + esc(task.number) +
      "</small></div></div>" : "";
    $("qc-form").hidden = !inspect;
    if (!inspect) { return; }
    $("qc-failed-value").textContent = String(qc.failed);
    $("qc-failed-box").className = "qty-box" + (qc.failed ? " bad" : "");
    $("qc-defects").hidden = !(qc.failed > 0 || qc.needReason);
    $("qc-defects").className = "card defects" + (qc.needReason && !qc.defect ? " needed" : "");
    each("#qc-defects [data-defect]", function (b) {
      var on = b.getAttribute("data-defect") === qc.defect;
      b.className = on ? "on" : "";
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    $("qc-other-field").hidden = qc.defect !== "other";
  }

  function onQcScan(scan) {
    var code = scanCode(scan);
    if (qc.step === "inspect" && qc.task && String(code).toUpperCase() === String(qc.task.lpn).toUpperCase()) {
      PdaFeedback.dup();
      say(t("scanned", { code: printable(code) }) + " · " + qc.task.sku, "warn");
      return;
    }
    qcScan(code);
  }

  function qcScan(code) {
    if (needNetwork()) { return; }
    var current = qc, step = qc.step, prompt = $("prompt").textContent;
    say(t("lookingUp", { code: printable(code) }), "info");
    busyStep("qc");
    live("/api/v1/qc/scan", { scan: code }).then(function (r) {
      if (qc !== current) { return; }
      if (!r.ok) {
        PdaFeedback.error();
        say(detailText(r), "error");                 // no_qc_task names the scanned code
        goQc(step, step === "inspect" ? prompt : "");
        return;
      }
      PdaFeedback.ok();
      qc.task = r.data.task; qc.failed = 0; qc.failedFresh = true; qc.defect = ""; qc.needReason = false; qc.result = "";
      $("qc-reason-text").value = "";
      say(t("scanned", { code: printable(code) }) + " · " + qc.task.sku + " × " + qc.task.qty, "ok");
      goQc("inspect", r.data.prompt);
    });
  }

  function qcKeypad(key) {
    if (!qc || qc.step !== "inspect") { return; }
    var text = qc.failedFresh ? "" : String(qc.failed);
    if (key === "C") { text = ""; }
    else if (key === "back") { text = text.slice(0, -1); }
    else if (text.length < 7) { text = (text === "0" ? "" : text) + key; }
    qc.failed = parseInt(text || "0", 10);
    qc.failedFresh = false;
    renderQc();
  }

  function qcDefect(key) {
    if (!qc || qc.step !== "inspect") { return; }
    qc.defect = key;
    renderQc();
    if (key === "other") { try { $("qc-reason-text").focus(); } catch (e) { /* ignore */ } }
  }

  function qcDefectText() {
    if (!qc.defect) { return ""; }
    return qc.defect === "other" ? inputValue("qc-reason-text") : t("defect_" + qc.defect);
  }

  function completeQc() {
    if (!qc || qc.step !== "inspect" || !qc.task) { return; }
    var task = qc.task, failed = qc.failed, reason = failed > 0 ? qcDefectText() : "";
    if (failed > task.qty) { PdaFeedback.error(); say(t("failedTooMany", { qty: task.qty }), "error"); return; }
    if (failed > 0 && !reason) {
      PdaFeedback.error(); say(t("defectRequired"), "error");
      qc.needReason = true; renderQc();
      return;
    }
    var current = qc, prompt = $("prompt").textContent, body = { failed_qty: failed, defect_reason: reason };
    var summary = task.number + " · " + task.sku + " (" + task.lpn + ") · " + t("failedQty") + " " + failed +
      (reason ? " · " + reason : "");
    busyStep("qc");
    say(t("promptBusy"), "info");
    PdaQueue.submit("qc", "POST", "/api/v1/qc-tasks/" + task.id + "/complete", body, summary).then(function (r) {
      if (qc !== current) { return; }
      if (r.outcome === "done") {
        PdaFeedback.ok();
        var done = r.data || {};
        qc.result = "<div class=\"result ok\"><b>" + icon("check") + esc(t("qcDone")) + "</b><span class=\"big-line\">" +
          esc(done.sku || task.sku) + " × " + esc(done.qty || task.qty) + "</span>" +
          "<span id=\"qc-passed\">" + esc(t("qcPassedTo", { n: done.passed_qty })) + "</span>" +
          (done.failed_qty ? "<span id=\"qc-failed\" class=\"error-text\">" + esc(t("qcFailedTo", { n: done.failed_qty })) +
            (done.defect_reason ? " · " + esc(done.defect_reason) : "") + "</span>" : "") +
          "<small class=\"muted\">" + esc(done.number || task.number) + " · " + esc(done.lpn || task.lpn) + "</small></div>";
        qc.task = null; qc.needReason = false; qc.defect = "";
        say(t("qcDone") + " · " + (done.sku || task.sku) + " · " + t("qcPassedTo", { n: done.passed_qty }), "ok");
        goQc("lpn");
      } else if (r.outcome === "queued" || r.outcome === "auth") {
        PdaFeedback.queued();
        say(t("queuedTitle"), "queued");
        qc.result = queuedCard(summary, r.outcome === "auth");
        qc.task = null; qc.needReason = false; qc.defect = "";
        goQc("lpn");
      } else if (r.outcome === "unsaved") {
        PdaFeedback.error();
        say(t("unsaved"), "error");
        goQc("inspect", prompt);
      } else {
        PdaFeedback.error();
        var code = problemCode(r);
        say(detailText(r), "error");
        if (code === "reason_required") {
          qc.needReason = true;
          goQc("inspect", prompt);
        } else if (code === "invalid_transition" || code === "record_not_found") {
          qc.task = null; qc.needReason = false;
          goQc("lpn");
        } else {
          goQc("inspect", prompt);
        }
      }
    });
  }

  function bindQc() {
    each("#qc-keypad [data-key]", function (b) {
      b.addEventListener("click", function () { qcKeypad(b.getAttribute("data-key")); });
    });
    each("#qc-defects [data-defect]", function (b) {
      b.addEventListener("click", function () { qcDefect(b.getAttribute("data-defect")); });
    });
    $("qc-ok").addEventListener("click", completeQc);
    onEnter("qc-reason-text", completeQc);
    $("qc-reset").addEventListener("click", function () {
      if (!qc) { return; }
      qc.task = null; qc.needReason = false; qc.defect = ""; qc.result = "";
      hideMessage(); goQc("lpn");
    });
  }

  // ---- customs inspection (海关查验)

  var INSPECTION_RESULTS = ["passed", "failed", "seized"];

  function startInspection() {
    move = null; rcv = null; pa = null; qc = null; pk = null; bg = null; ld = null;
    show("task");
    $("task-title").textContent = t("inspection");
    showPane("inspection");
    insp = { step: "lpn", line: null, armed: "", result: "" };
    goInsp("lpn");
  }

  function goInsp(step, text) {
    if (insp.step !== step) { window.scrollTo(0, 0); }
    insp.step = step;
    insp.armed = "";
    renderInspection();
    setStep({ name: "inspection-" + step, text: text || "", prompt: step === "lpn" ? "promptInspLpn" : "promptInspResult",
              accept: LPN_KINDS, expect: "lpn", onScan: onInspectionScan });
  }

  function holdLabelUrl(line) {
    var reason = inputValue("insp-note") || line.note || t("st_customs_hold");
    return "/api/v1/lpns/" + encodeURIComponent(line.lpn) + "/label?hold=1&reason=" + encodeURIComponent(reason);
  }

  function renderInspection() {
    if (!insp) { return; }
    var line = insp.line, open = insp.step === "result" && line;
    $("insp-result").innerHTML = insp.result || "";
    $("insp-line").innerHTML = open ? "<div class=\"pa-card compact insp-card\">" +
      "<div class=\"suggest\"><small>" + esc(t("st_customs_hold")) + "</small><b id=\"insp-lpn\">" + esc(line.lpn) + "</b>" +
      "<span class=\"chip\">" + esc(line.number) + " · " + esc(t("lineLabel", { n: line.seq_no })) + "</span></div>" +
      "<div class=\"pa-body\"><b class=\"sku\">" + esc(line.sku) + "</b><span class=\"name\">" + esc(productName(line)) + "</span>" +
      "<dl><dt>" + esc(t("qty")) + "</dt><dd class=\"qty\">" + esc(line.qty) + "</dd><dt>" + esc(t("location")) + "</dt><dd>" +
      esc(line.location) + "</dd></dl>" +
      (line.note ? "<small class=\"muted\">" + esc(t("spotNote")) + " · " + esc(line.note) + "</small>" : "") + "</div></div>" : "";
    $("insp-form").hidden = !open;
    if (open) {
      each("#insp-buttons [data-result]", function (b) {
        var r = b.getAttribute("data-result");
        b.className = "big insp-" + r + (insp.armed === r ? " armed" : "");
      });
    }
  }

  function onInspectionScan(scan) {
    var code = scanCode(scan);
    if (insp.step === "result" && insp.line && String(code).toUpperCase() === String(insp.line.lpn).toUpperCase()) {
      PdaFeedback.dup();
      say(t("scanned", { code: printable(code) }) + " · " + insp.line.sku, "warn");
      return;
    }
    inspectionScan(code);
  }

  function inspectionScan(code) {
    if (needNetwork()) { return; }
    var current = insp, step = insp.step, prompt = $("prompt").textContent;
    say(t("lookingUp", { code: printable(code) }), "info");
    busyStep("inspection");
    live("/api/v1/inspection/scan", { scan: code }).then(function (r) {
      if (insp !== current) { return; }
      if (!r.ok) {
        PdaFeedback.error();
        say(detailText(r), "error");                 // no_held_goods names the scanned code
        goInsp(step, step === "result" ? prompt : "");
        return;
      }
      PdaFeedback.ok();
      insp.line = r.data.line; insp.result = "";
      $("insp-note").value = "";
      say(t("scanned", { code: printable(code) }) + " · " + insp.line.sku + " × " + insp.line.qty, "ok");
      goInsp("result", r.data.prompt);
    });
  }

  function recordInspection(result) {
    if (!insp || insp.step !== "result" || !insp.line || INSPECTION_RESULTS.indexOf(result) < 0) { return; }
    if (result !== "passed" && insp.armed !== result) {   // failed and seized are final: a second tap confirms
      insp.armed = result;
      renderInspection();
      PdaFeedback.info();
      say(t("inspArm", { result: t("insp_" + result) }), "warn");
      return;
    }
    var line = insp.line, note = inputValue("insp-note"), current = insp, prompt = $("prompt").textContent;
    var body = { result: result, note: note };
    var summary = line.number + " · " + line.qty + " × " + line.sku + " (" + line.lpn + ") · " + t("insp_" + result);
    busyStep("inspection");
    say(t("promptBusy"), "info");
    PdaQueue.submit("inspection", "POST", "/api/v1/temp-declaration-lines/" + line.id + "/inspection", body, summary)
      .then(function (r) {
        if (insp !== current) { return; }
        if (r.outcome === "done") {
          PdaFeedback.ok();
          var done = r.data || {}, outcome = done.inspection_result || result;
          insp.result = "<div class=\"result " + (outcome === "passed" ? "ok" : "error") + "\" id=\"insp-done\" data-result=\"" +
            esc(outcome) + "\"><b>" + icon(outcome === "passed" ? "check" : "alert") + esc(t("insp_" + outcome)) + "</b>" +
            "<span class=\"big-line\">" + esc(done.sku || line.sku) + " × " + esc(done.qty || line.qty) + "</span>" +
            "<span>" + esc(done.lpn || line.lpn) + " · " + esc(t("inspDetail_" + outcome)) + "</span>" +
            (done.inspection_note ? "<span>" + esc(t("note")) + " · " + esc(done.inspection_note) + "</span>" : "") +
            "<small class=\"muted\">" + esc(line.number) + " · " + esc(t("lineLabel", { n: line.seq_no })) + "</small></div>";
          insp.line = null;
          say(t("insp_" + outcome) + " · " + line.sku + " · " + line.lpn, "ok");
          goInsp("lpn");
        } else if (r.outcome === "queued" || r.outcome === "auth") {
          PdaFeedback.queued();
          say(t("queuedTitle"), "queued");
          insp.result = queuedCard(summary, r.outcome === "auth");
          insp.line = null;
          goInsp("lpn");
        } else if (r.outcome === "unsaved") {
          PdaFeedback.error();
          say(t("unsaved"), "error");
          goInsp("result", prompt);
        } else {
          PdaFeedback.error();
          var code = problemCode(r);
          say(detailText(r), "error");
          if (code === "invalid_transition" || code === "record_not_found" || code === "no_held_goods") {
            insp.line = null;
            goInsp("lpn");
          } else {
            goInsp("result", prompt);
          }
        }
      });
  }

  function bindInspection() {
    each("#insp-buttons [data-result]", function (b) {
      b.addEventListener("click", function () { recordInspection(b.getAttribute("data-result")); });
    });
    $("insp-print").addEventListener("click", function () {
      if (!insp || !insp.line) { return; }
      var url = holdLabelUrl(insp.line);
      $("insp-print").setAttribute("data-label", url);
      printLabel(url, insp.line.lpn);
    });
    $("insp-reset").addEventListener("click", function () {
      if (!insp) { return; }
      insp.line = null; insp.result = "";
      hideMessage(); goInsp("lpn");
    });
  }

  // ------------------------------------------------------------------ picking (拣货)
  /* Driven by the server's scenario answers like the other tasks: wave → location → item → quantity →
     (multi-item waves) cart slot. The scans that only check or find work (start a wave, scan the location,
     scan the item, ask for the slot, skip) are sent live with their own Idempotency-Key; the posts that move
     stock (the pick with its slot, a short pick or an empty location) go through the offline queue. */

  var PICK_ACCEPT = {
    wave: ["any"], location: ["location"], item: ["gtin", "sku", "unknown", "gs1", "lpn", "sscc"],
    qty: ["any"], slot: ["any"]           // a cart slot label (C1-03) reads as a SKU-like code: take any kind
  };
  var PICK_PROMPT = { wave: "promptPickWave", location: "promptPickLocation", item: "promptPickItem",
                      qty: "promptPickQty", slot: "promptPickSlot" };
  var PICK_EXPECT = { wave: "wave", location: "location", item: "item", qty: "item", slot: "slot" };

  function startPick() {
    move = null; rcv = null; pa = null; qc = null; insp = null; bg = null; ld = null;
    show("task");
    $("task-title").textContent = t("pick");
    showPane("pick");
    pk = { step: "wave", wave: null, kind: "", task: null, qty: 1, qtyFresh: true, picked: 0, armed: "", result: "" };
    goPick("wave");
  }

  function goPick(step, text) {
    if (pk.step !== step) { window.scrollTo(0, 0); }
    pk.step = step;
    pk.armed = "";
    renderPick();
    var task = pk.task;
    setStep({ name: "pick-" + step, text: text || "", prompt: PICK_PROMPT[step], params: {
                location: task ? task.location : "", sku: task ? task.sku : "", qty: task ? task.qty : "",
                slot: task ? task.slot_code : "" },
              accept: PICK_ACCEPT[step], expect: PICK_EXPECT[step], onScan: onPickScan });
  }

  function pickHead() {
    var task = pk.task;
    if (!pk.wave) { return ""; }
    return "<div class=\"asn-head pick-head\"><span class=\"chip\">" + esc(t("waveLabel")) + "</span><b id=\"pick-wave-no\">" +
      esc(pk.wave) + "</b>" + (pk.kind ? "<span class=\"chip warn\">" + esc(t("waveKind_" + pk.kind)) + "</span>" : "") +
      (task ? "<small id=\"pick-progress\">" + esc(t("picksLeft", { n: task.open_tasks })) + "</small>" : "") + "</div>";
  }

  function pickCard() {
    var task = pk.task, step = pk.step;
    if (!task || step === "wave") { return ""; }
    var short = step === "qty";                      // the keypad needs the room: the card keeps what to pick
    var body = "<div class=\"pa-body\"><b class=\"sku\">" + esc(task.sku) + "</b>" + (short ? "" : "<span class=\"name\">" +
      esc(productName(task)) + "</span>") + "<dl><dt>" + esc(t("pickQty")) + "</dt><dd class=\"qty\" id=\"pick-ask\">" +
      esc(task.qty) + "</dd>" + (step === "slot" ? "<dt>" + esc(t("location")) + "</dt><dd>" + esc(task.location) + "</dd>" :
        (task.slot_code ? "<dt>" + esc(t("cartSlot")) + "</dt><dd>" + esc(task.slot_code) + "</dd>" : "")) + "</dl>" +
      (task.lpn && !short ? "<small class=\"muted\">" + esc(t("lpn")) + " <b class=\"mono\">" + esc(task.lpn) + "</b></small>" : "") +
      "</div>";
    if (step === "slot") {
      return "<div class=\"pa-card pick-card pick-slot-card\"><div class=\"suggest\"><small>" + esc(t("putInSlot")) +
        "</small><b id=\"pick-slot\">" + esc(task.slot_code) + "</b><span class=\"chip\">" + esc(t("pickedQty")) + " " +
        esc(pk.picked) + "</span></div>" + body + "</div>";
    }
    return "<div class=\"pa-card pick-card" + (step === "location" ? "" : " compact") + "\"><div class=\"suggest\"><small>" +
      esc(t("goTo")) + "</small><b id=\"pick-location\">" + esc(task.location) + "</b>" +
      (task.slot_code && step === "location" ? "<span class=\"chip\">" + esc(t("cartSlot")) + " " + esc(task.slot_code) +
        "</span>" : "") + "</div>" + body + "</div>";
  }

  function renderPick() {
    if (!pk) { return; }
    var step = pk.step, working = pk.task && (step === "location" || step === "item" || step === "qty");
    $("pick-wave").innerHTML = pickHead();
    $("pick-result").innerHTML = pk.result || "";
    $("pick-task").innerHTML = pickCard();
    $("pick-qty").hidden = step !== "qty";
    if (step === "qty") {
      $("pick-qty-value").textContent = String(pk.qty);
      $("pick-qty-box").className = "qty-box" + (pk.task && pk.qty < pk.task.qty ? " bad" : "");
    }
    $("pick-actions").hidden = !working;
    $("pick-short").hidden = step !== "qty";
    $("pick-empty").className = "big pick-empty" + (pk.armed === "empty" ? " armed" : "");
    $("pick-next").hidden = step !== "wave";
    $("pick-reset").hidden = !pk.wave;
  }

  /* An answer of the scenario: the task it names and the step to show next. */
  function pickAnswer(data) {
    if (data.task) { pk.task = data.task; pk.wave = data.task.wave; pk.kind = data.task.kind; }
    var step = data.step;
    if (step === "done") {
      pk.result += "<div class=\"result ok\" id=\"pick-done\"><b>" + icon("check") + esc(t("waveDone")) + "</b><span class=\"big-line\">" +
        esc(data.prompt || (data.wave && data.wave.number) || "") + "</span></div>";
      pk.task = null; pk.wave = null; pk.kind = "";
      goPick("wave");
      return;
    }
    if (step === "location" || step === "qty") { pk.qty = pk.task ? pk.task.qty : 1; pk.qtyFresh = true; }
    if (step === "slot") { pk.picked = typeof data.picked === "number" ? data.picked : pk.qty; }
    goPick(PICK_PROMPT[step] ? step : "wave", data.prompt);
  }

  function onPickScan(scan) {
    var code = scanCode(scan), step = pk.step, task = pk.task;
    if (step === "wave") { pickStart(code); }
    else if (step === "location") { pickScan("location", code); }
    else if (step === "item") { pickScan("item", code); }
    else if (step === "slot") { submitPick(pk.picked, code); }
    else if (step === "qty") {
      var same = task && (String(code).toUpperCase() === String(task.sku).toUpperCase() ||
                          String(code).toUpperCase() === String(task.lpn).toUpperCase() || scan.kind === "gtin");
      if (same) { PdaFeedback.dup(); } else { PdaFeedback.error(); }
      say(t("scanned", { code: printable(code) }) + " · " + t("pickUseKeypad"), same ? "warn" : "error");
    }
  }

  function pickStart(code) {
    if (needNetwork()) { return; }
    var current = pk;
    say(code ? t("opening", { code: printable(code) }) : t("promptBusy"), "info");
    busyStep("pick");
    live("/api/v1/picking/start", { scan: code }).then(function (r) {
      if (pk !== current) { return; }
      if (!r.ok) {
        PdaFeedback.error();
        say(detailText(r), "error");                 // unknown_wave / wave_not_released / no_released_wave
        goPick("wave");
        return;
      }
      PdaFeedback.ok();
      pk.result = "";
      say(r.data.task ? t("waveLabel") + " " + r.data.task.wave + " · " + t("picksLeft", { n: r.data.task.open_tasks }) :
        r.data.prompt, "ok");
      pickAnswer(r.data);
    });
  }

  function pickTaskGone(code) {
    return code === "invalid_transition" || code === "record_not_found";
  }

  function pickScan(kind, code) {
    if (needNetwork()) { return; }
    var current = pk, step = pk.step, task = pk.task, prompt = $("prompt").textContent;
    say(t("lookingUp", { code: printable(code) }), "info");
    busyStep("pick");
    live("/api/v1/pick-tasks/" + task.id + "/" + kind, { scan: code }).then(function (r) {
      if (pk !== current) { return; }
      if (!r.ok) {
        PdaFeedback.error();
        say(detailText(r), "error");                 // wrong_location / wrong_item name the expected one
        if (pickTaskGone(problemCode(r))) { pk.task = null; goPick("wave"); } else { goPick(step, prompt); }
        return;
      }
      PdaFeedback.ok();
      pk.result = "";
      say(t("scanned", { code: printable(code) }), "ok");
      pickAnswer(r.data);
    });
  }

  function pickKeypad(key) {
    if (!pk || pk.step !== "qty") { return; }
    var text = pk.qtyFresh ? "" : String(pk.qty);
    if (key === "C") { text = ""; }
    else if (key === "back") { text = text.slice(0, -1); }
    else if (text.length < 7) { text = (text === "0" ? "" : text) + key; }
    pk.qty = parseInt(text || "0", 10);
    pk.qtyFresh = false;
    renderPick();
  }

  function confirmPick() {
    if (!pk || pk.step !== "qty" || !pk.task) { return; }
    var task = pk.task, qty = pk.qty;
    if (!(qty > 0)) { PdaFeedback.error(); say(t("qtyInvalid"), "error"); return; }
    if (qty > task.qty) { PdaFeedback.error(); say(t("pickTooMany", { qty: task.qty }), "error"); return; }
    if (task.kind !== "multi") { submitPick(qty, ""); return; }
    if (needNetwork()) { return; }
    var current = pk, prompt = $("prompt").textContent;    // multi-item: the server asks for the cart slot first
    busyStep("pick");
    say(t("promptBusy"), "info");
    live("/api/v1/pick-tasks/" + task.id + "/pick", { qty: qty }).then(function (r) {
      if (pk !== current) { return; }
      if (!r.ok) {
        PdaFeedback.error();
        say(detailText(r), "error");
        if (pickTaskGone(problemCode(r))) { pk.task = null; goPick("wave"); } else { goPick("qty", prompt); }
        return;
      }
      PdaFeedback.ok();
      say(task.sku + " × " + qty + " → " + (task.slot_code || ""), "ok");
      if (r.data.step !== "slot") { pk.picked = qty; }
      pickAnswer(r.data);
    });
  }

  function pickSummary(task, body) {
    return task.wave + " · " + task.location + " · " + body.qty + " × " + task.sku + (body.slot ? " → " + body.slot : "");
  }

  function submitPick(qty, slot) {
    if (!pk || !pk.task) { return; }
    var task = pk.task, current = pk, step = pk.step, prompt = $("prompt").textContent;
    var body = { qty: qty };
    if (slot) { body.slot = slot; }
    var summary = pickSummary(task, body);
    busyStep("pick");
    say(t("promptBusy"), "info");
    PdaQueue.submit("pick", "POST", "/api/v1/pick-tasks/" + task.id + "/pick", body, summary).then(function (r) {
      if (pk !== current) { return; }
      if (r.outcome === "done") {
        PdaFeedback.ok();
        var picked = r.data.picked || { qty: qty, to: slot };
        pk.result = "<div class=\"result ok\" id=\"pick-picked\"><b>" + icon("check") + esc(t("pickedTitle")) + "</b>" +
          "<span class=\"big-line\">" + esc(task.sku) + " × " + esc(picked.qty) + "</span><span>" + esc(task.location) + " → " +
          esc(t("pickedTo", { to: picked.to || slot })) + "</span></div>";
        say(t("pickedTitle") + " · " + task.sku + " × " + picked.qty + (r.data.task ? " · " +
          t("nextTask", { location: r.data.task.location }) : ""), "ok");
        pickAnswer(r.data);
      } else if (r.outcome === "queued" || r.outcome === "auth") {
        PdaFeedback.queued();
        say(t("queuedTitle"), "queued");
        pk.result = queuedCard(summary, r.outcome === "auth");
        pk.task = null;
        goPick("wave");
      } else if (r.outcome === "unsaved") {
        PdaFeedback.error();
        say(t("unsaved"), "error");
        goPick(step, prompt);
      } else {
        PdaFeedback.error();
        var code = problemCode(r);
        say(detailText(r), "error");                 // wrong_slot names the slot to use
        if (pickTaskGone(code)) { pk.task = null; goPick("wave"); }
        else if (code === "over_pick" || code === "validation_failed") { pk.qty = task.qty; pk.qtyFresh = true; goPick("qty"); }
        else { goPick(step, prompt); }
      }
    });
  }

  function pickEmpty() {
    if (!pk || !pk.task || ["location", "item", "qty"].indexOf(pk.step) < 0) { return; }
    if (pk.armed !== "empty") {                       // final for the order: a second tap confirms
      pk.armed = "empty";
      renderPick();
      PdaFeedback.info();
      say(t("pickEmptyArm"), "warn");
      return;
    }
    submitShort(0, "location_empty");
  }

  function pickShort() {
    if (!pk || !pk.task || pk.step !== "qty") { return; }
    if (pk.qtyFresh || pk.qty >= pk.task.qty) {
      PdaFeedback.error();
      say(t("shortHint", { qty: pk.task.qty }), "error");
      return;
    }
    submitShort(pk.qty, "short");
  }

  function submitShort(found, reason) {
    var task = pk.task, current = pk, step = pk.step, prompt = $("prompt").textContent;
    var body = { found_qty: found, reason: reason };
    var summary = task.wave + " · " + task.location + " · " + task.sku + " · " + t(reason === "short" ? "pickShort" : "pickEmpty") +
      " " + found + " / " + task.qty;
    busyStep("pick");
    say(t("promptBusy"), "info");
    PdaQueue.submit("short", "POST", "/api/v1/pick-tasks/" + task.id + "/short", body, summary).then(function (r) {
      if (pk !== current) { return; }
      if (r.outcome === "done") {
        PdaFeedback.ok();
        var d = r.data.discrepancy || { id: "", expected: task.qty, found: found };
        pk.result = "<div class=\"result warn\" id=\"pick-discrepancy\" data-id=\"" + esc(d.id) + "\"><b>" + icon("alert") +
          esc(t("discrepancyTitle", { id: d.id })) + "</b><span class=\"big-line\">" + esc(task.location) + " · " + esc(task.sku) +
          "</span><span>" + esc(t("discrepancyDetail", { expected: d.expected, found: d.found })) + "</span></div>";
        say(t("discrepancyTitle", { id: d.id }) + " · " + task.sku, "warn");
        pickAnswer(r.data);
      } else if (r.outcome === "queued" || r.outcome === "auth") {
        PdaFeedback.queued();
        say(t("queuedTitle"), "queued");
        pk.result = queuedCard(summary, r.outcome === "auth");
        pk.task = null;
        goPick("wave");
      } else if (r.outcome === "unsaved") {
        PdaFeedback.error();
        say(t("unsaved"), "error");
        goPick(step, prompt);
      } else {
        PdaFeedback.error();
        say(detailText(r), "error");
        if (pickTaskGone(problemCode(r))) { pk.task = null; goPick("wave"); } else { goPick(step, prompt); }
      }
    });
  }

  function pickSkip() {
    if (!pk || !pk.task || needNetwork()) { return; }
    var current = pk, task = pk.task, step = pk.step, prompt = $("prompt").textContent;
    busyStep("pick");
    live("/api/v1/pick-tasks/" + task.id + "/skip", {}).then(function (r) {
      if (pk !== current) { return; }
      if (!r.ok) {
        PdaFeedback.error();
        say(detailText(r), "error");
        if (pickTaskGone(problemCode(r))) { pk.task = null; goPick("wave"); } else { goPick(step, prompt); }
        return;
      }
      PdaFeedback.info();
      pk.result = "";
      say(t("skipped") + " · " + task.location + " · " + task.sku, "warn");
      pickAnswer(r.data);
    });
  }

  function bindPick() {
    each("#pick-keypad [data-key]", function (b) {
      b.addEventListener("click", function () { pickKeypad(b.getAttribute("data-key")); });
    });
    $("pick-ok").addEventListener("click", confirmPick);
    $("pick-empty").addEventListener("click", pickEmpty);
    $("pick-short").addEventListener("click", pickShort);
    $("pick-skip").addEventListener("click", pickSkip);
    $("pick-next").addEventListener("click", function () { if (pk && pk.step === "wave") { pickStart(""); } });
    $("pick-reset").addEventListener("click", function () {
      if (!pk) { return; }
      pk.task = null; pk.wave = null; pk.kind = ""; pk.result = "";
      hideMessage(); goPick("wave");
    });
  }

  // ------------------------------------------------------------------ bagging (汇总入袋)
  /* Packed parcels into an SSCC-labelled bag: open a bag (scan its pre-printed label, tap one still open, or
     ask for a new one), scan parcels, take one out with a reason, then seal it with the parcels counted by
     hand and the bag's weight. The server checks every parcel (packed, of the bag's channel and destination)
     and every count; the page shows its answers. Parcel scans and take-outs go through the offline queue like
     picks; opening a bag and sealing it (the count is checked there and then) are sent live, each with its
     own Idempotency-Key, and say so when there is no network. */

  var PARCEL_KINDS = ["parcel", "sku", "unknown", "gtin"];
  var BAG_ACCEPT = { open: ["sscc"], parcel: PARCEL_KINDS, unbag: PARCEL_KINDS, reason: PARCEL_KINDS, seal: PARCEL_KINDS };
  var BAG_PROMPT = { open: "promptBagOpen", parcel: "promptBagParcel", unbag: "promptBagUnbag", reason: "promptBagReason",
                     seal: "promptBagSeal" };
  var BAG_EXPECT = { open: "bag", parcel: "parcel", unbag: "parcel", reason: "parcel", seal: "parcel" };
  var LAST_PARCELS = 3;

  /* The element (from a click's target up to `stop`) that carries `attr`. */
  function withAttr(el, attr, stop) {
    while (el && el !== stop && !(el.getAttribute && el.getAttribute(attr))) { el = el.parentNode; }
    return el && el !== stop ? el : null;
  }

  /* A refused scan, big and red: what was scanned; the reason (the server's detail) is on the message line. */
  function refusedCard(id, title, code, detail) {
    return "<div class=\"result error refused\" id=\"" + id + "\" title=\"" + esc(detail) + "\"><b>" + icon("alert") +
      esc(title) + "</b><span class=\"big-line mono\">" + esc(printable(code)) + "</span></div>";
  }

  function listSection(title, n) {
    return "<h3 class=\"section-title\"><span>" + esc(title) + "</span> <span class=\"chip\">" + esc(n) + "</span></h3>";
  }

  function startBag() {
    move = null; rcv = null; pa = null; qc = null; insp = null; pk = null; ld = null;
    show("task");
    $("task-title").textContent = t("bag");
    showPane("bag");
    bg = newBagDraft();
    goBag("open");
    loadOpenBags();
  }

  function newBagDraft() {
    return { step: "open", bag: null, parcels: [], code: "", reason: "", field: "count", count: "", weight: "",
             differs: false, result: "", list: null, busy: false };
  }

  function goBag(step, text) {
    if (bg.step !== step) { window.scrollTo(0, 0); }
    bg.step = step;
    renderBag();
    setStep({ name: "bag-" + step, text: text || "", prompt: BAG_PROMPT[step],
              params: { sscc: bg.bag ? bg.bag.sscc : "", code: bg.code },
              accept: BAG_ACCEPT[step], expect: BAG_EXPECT[step], onScan: onBagScan });
  }

  function bagRoute(b) {
    return b.channel_code ? t("bagRoute", { channel: b.channel_code, country: b.country_code || "" }) : t("bagRouteUnset");
  }

  function bagHead(b) {
    return "<div class=\"asn-head bag-head\"><span class=\"chip\">" + esc(t("bagLabel")) + "</span><b id=\"bag-sscc\">" +
      esc(b.sscc) + "</b><small><span class=\"state\">" + esc(t("bagSt_" + b.status)) + "</span> · <span id=\"bag-route\">" +
      esc(bagRoute(b)) + "</span></small></div>";
  }

  function bagCard() {
    var b = bg.bag, queued = 0;
    bg.parcels.forEach(function (p) { if (p.queued) { queued++; } });
    var last = bg.parcels.slice(0, LAST_PARCELS);
    return "<div class=\"pa-card bag-card\"><div class=\"suggest\"><small>" + esc(t("bagParcels")) + "</small>" +
      "<b id=\"bag-count\">" + esc(b.parcels_count) + "</b>" +
      (queued ? "<span class=\"chip\">" + esc(t("pendingBadge", { n: queued })) + "</span>" : "") + "</div>" +
      (last.length ? "<div class=\"pa-body\"><small class=\"muted\">" + esc(t("lastParcels")) + "</small>" +
        "<ul class=\"bag-parcels\" id=\"bag-parcels\">" + last.map(function (p) {
          return "<li" + (p.queued ? " class=\"queued\"" : "") + "><b class=\"mono\">" + esc(p.logistics_no) + "</b><small>" +
            esc(p.queued ? t("queuedTitle") : (p.order_no || "")) + "</small></li>";
        }).join("") + "</ul></div>" : "") + "</div>";
  }

  function bagList() {
    var list = bg.list;
    if (!list) { return ""; }
    if (list.error) { return "<p class=\"empty\">" + esc(list.error) + "</p>"; }
    return listSection(t("openBags"), list.total) + (list.items.length ? list.items.map(function (b) {
      return "<button type=\"button\" class=\"big choice row-choice\" data-bag=\"" + esc(b.id) + "\"><span class=\"row-main\">" +
        "<b class=\"mono\">" + esc(b.sscc) + "</b><small>" + esc(bagRoute(b)) + "</small></span><span class=\"row-count\"><b>" +
        esc(b.parcels_count) + "</b><small>" + esc(t("parcelsUnit")) + "</small></span></button>";
    }).join("") : "<p class=\"empty\">" + esc(t("noOpenBags")) + "</p>");
  }

  function sealedCard(b, fresh) {
    return "<div class=\"result " + (fresh ? "ok" : "warn") + "\" id=\"bag-sealed\"><b>" + icon(fresh ? "check" : "alert") +
      esc(fresh ? t("sealed") : t("bagLabel") + " · " + t("bagSt_" + b.status)) + "</b>" +
      "<span class=\"big-line mono\">" + esc(b.sscc) + "</span><span>" +
      esc(t("sealedDetail", { n: b.parcels_count, weight: b.weight_kg || "—" })) +
      (b.channel_code ? " · " + esc(bagRoute(b)) : "") + "</span>" +
      "<button type=\"button\" class=\"big print\" id=\"bag-reprint\" data-label=\"/api/v1/bags/" + esc(b.id) +
      "/label?format=pdf\" data-lpn=\"" + esc(b.sscc) + "\">" + icon("print") + "<span>" + esc(t("reprintLabel")) +
      "</span></button></div>";
  }

  function renderBag() {
    if (!bg) { return; }
    var step = bg.step, b = bg.bag, working = !!b && step !== "open";
    $("bag-head").innerHTML = working ? bagHead(b) : "";
    $("bag-result").innerHTML = bg.result || "";
    $("bag-body").innerHTML = working && (step === "parcel" || step === "unbag") ? bagCard() : "";
    $("bag-reason").hidden = step !== "reason";
    if (step === "reason") {
      $("bag-reason-title").textContent = t("unbagTitle", { code: printable(bg.code) });
      each("#bag-reason [data-unbag]", function (el) {
        var on = el.getAttribute("data-unbag") === bg.reason;
        el.className = on ? "on" : "";
        el.setAttribute("aria-pressed", on ? "true" : "false");
      });
      $("bag-reason-other").hidden = bg.reason !== "other";
    }
    $("bag-seal").hidden = step !== "seal";
    if (step === "seal") {
      $("bag-seal-count").textContent = bg.count || "—";
      $("bag-seal-weight").textContent = bg.weight || "—";
      $("bag-count-box").className = "qty-box" + (bg.field === "count" ? " active" : "") + (bg.differs ? " bad" : "");
      $("bag-weight-box").className = "qty-box" + (bg.field === "weight" ? " active" : "");
      $("bag-dot").disabled = bg.field !== "weight";
    }
    $("bag-actions").hidden = !(working && step === "parcel");
    $("bag-back").hidden = !(working && (step === "unbag" || step === "reason" || step === "seal"));
    $("bag-list").innerHTML = step === "open" ? bagList() : "";
    $("bag-new").hidden = step !== "open";
    $("bag-reset").hidden = !working;
  }

  function parcelRow(p) { return { logistics_no: p.logistics_no, order_no: p.order_no || "" }; }

  function inBag(code) {
    return bg.parcels.some(function (p) { return p.logistics_no === code; });
  }

  function onBagScan(scan) {
    var step = bg.step;
    if (step === "open") { openBag(scan.value); return; }
    var code = String(scanCode(scan)).toUpperCase();
    if (step === "unbag" || step === "reason") {
      bg.code = code; bg.reason = "";
      $("bag-reason-text").value = "";
      PdaFeedback.ok();
      say(t("scanned", { code: printable(code) }), "ok");
      goBag("reason");
      return;
    }
    addParcel(code);                               // the parcel step, or one more parcel found while sealing
  }

  function loadOpenBags() {
    var current = bg;
    call("GET", "/api/v1/bags?status=open&per_page=30").then(function (r) {
      if (bg !== current) { return; }
      bg.list = r.ok ? { items: r.data.items || [], total: r.data.total } :
        { error: r.network ? t("listOffline") : problemText(r) };
      if (bg.step === "open") { renderBag(); }
    });
  }

  /* Scan a bag's SSCC label (opened on its first scan), or ask for a new bag with a new SSCC (code ""). */
  function openBag(code) {
    if (bg.busy || needNetwork()) { return; }
    var current = bg;
    current.busy = true;                             // a second tap must not make a second bag
    say(code ? t("opening", { code: printable(code) }) : t("promptBusy"), "info");
    busyStep("bag");
    live("/api/v1/bags", { scan: code || "" }).then(function (r) {
      current.busy = false;
      if (bg !== current) { return; }
      if (!r.ok) {
        PdaFeedback.error();
        say(detailText(r), "error");                 // not_sscc names the scanned code
        goBag("open");
        return;
      }
      takeBag(r.data);
    });
  }

  function openListedBag(id) {
    if (!bg || bg.step !== "open" || needNetwork()) { return; }
    var current = bg;
    say(t("promptBusy"), "info");
    call("GET", "/api/v1/bags/" + id).then(function (r) {
      if (bg !== current || bg.step !== "open") { return; }
      if (!r.ok) { PdaFeedback.error(); say(detailText(r), "error"); loadOpenBags(); return; }
      takeBag(r.data);
    });
  }

  /* A bag from the server (with its parcels when it came from GET /bags/{id}). */
  function takeBag(data) {
    bg.result = "";
    if (data.status !== "open") {                    // a sealed bag's label: say so, offer its label again
      PdaFeedback.error();
      bg.bag = null; bg.parcels = [];
      bg.result = sealedCard(data, false);
      say(t("bagNotOpen", { sscc: data.sscc, state: t("bagSt_" + data.status) }), "error");
      goBag("open");
      return;
    }
    PdaFeedback.ok();
    bg.bag = data;
    bg.parcels = (data.parcels || []).slice().reverse().map(parcelRow);
    say(t("bagOpened", { sscc: data.sscc, n: data.parcels_count }), "ok");
    goBag("parcel");
    if (!data.parcels) { loadBagParcels(data.id); }
  }

  /* The bag's parcels as the server has them (order numbers; queued scans that have since gone through). */
  function loadBagParcels(id) {
    call("GET", "/api/v1/bags/" + id).then(function (r) {
      if (!bg || !bg.bag || bg.bag.id !== id || !r.ok) { return; }
      var known = {};
      bg.parcels.forEach(function (p) { known[p.logistics_no] = p; });
      var rows = (r.data.parcels || []).slice().reverse();
      rows.forEach(function (p) {
        var mine = known[p.logistics_no];
        if (mine) { mine.order_no = p.order_no || ""; mine.queued = false; }
      });
      bg.parcels = bg.parcels.concat(rows.filter(function (p) { return !known[p.logistics_no]; }).map(parcelRow));
      if (r.data.status === "open" && bg.step !== "seal") { bg.bag = r.data; }
      renderBag();
    });
  }

  function bagGone() {
    bg.bag = null; bg.parcels = []; bg.code = ""; bg.reason = "";
    goBag("open");
    loadOpenBags();
  }

  function addParcel(code) {
    var b = bg.bag, current = bg, step = bg.step;
    if (inBag(code)) {
      PdaFeedback.dup();
      say(t("bagAlready", { code: printable(code) }), "warn");
      return;
    }
    var summary = b.sscc + " ← " + code;
    busyStep("bag");
    say(t("promptBusy"), "info");
    PdaQueue.submit("bag", "POST", "/api/v1/bags/" + b.id + "/parcels", { scan: code }, summary).then(function (r) {
      if (bg !== current || !bg.bag || bg.bag.id !== b.id) { return; }
      if (r.outcome === "done") {
        PdaFeedback.ok();
        bg.bag = r.data; bg.result = "";
        bg.parcels.unshift({ logistics_no: code, order_no: "" });
        say(t("bagAdded", { code: printable(code), n: r.data.parcels_count }), "ok");
        goBag("parcel");
        loadBagParcels(b.id);
      } else if (r.outcome === "queued" || r.outcome === "auth") {
        PdaFeedback.queued();
        bg.parcels.unshift({ logistics_no: code, queued: true });
        bg.result = queuedCard(summary, r.outcome === "auth");
        say(t("queuedTitle"), "queued");
        goBag("parcel");
      } else if (r.outcome === "unsaved") {
        PdaFeedback.error();
        say(t("unsaved"), "error");
        goBag(step);
      } else {
        var problem = problemCode(r);
        if (problem === "parcel_bagged" && r.data.bag === b.sscc) {     // bagged here already (another device)
          PdaFeedback.dup();
          say(detailText(r), "warn");
          goBag("parcel");
          loadBagParcels(b.id);
          return;
        }
        PdaFeedback.error();
        bg.result = refusedCard("bag-refused", t("notBagged"), code, detailText(r));
        say(detailText(r), "error");                 // unknown_parcel, wrong_bag … name the scanned waybill
        if (problem === "invalid_transition" || problem === "record_not_found") { bagGone(); return; }
        goBag("parcel");
      }
    });
  }

  function startUnbag() {
    if (!bg || !bg.bag || bg.step !== "parcel") { return; }
    bg.code = ""; bg.reason = ""; bg.result = "";
    hideMessage();
    goBag("unbag");
  }

  function chooseUnbag(key) {
    if (!bg || bg.step !== "reason") { return; }
    bg.reason = key;
    if (key === "other") {
      renderBag();
      try { $("bag-reason-text").focus(); } catch (e) { /* ignore */ }
      return;
    }
    submitUnbag(t("unbag_" + key));
  }

  function submitUnbag(reason) {
    if (!bg || bg.step !== "reason" || !bg.bag) { return; }
    if (!reason) { PdaFeedback.error(); say(t("reasonRequired"), "error"); return; }
    var b = bg.bag, code = bg.code, current = bg;
    var summary = b.sscc + " → " + code + " · " + reason;
    busyStep("bag");
    say(t("promptBusy"), "info");
    PdaQueue.submit("unbag", "POST", "/api/v1/bags/" + b.id + "/unbag", { scan: code, reason: reason }, summary)
      .then(function (r) {
        if (bg !== current || !bg.bag || bg.bag.id !== b.id) { return; }
        if (r.outcome === "done" || r.outcome === "queued" || r.outcome === "auth") {
          var done = r.outcome === "done";
          if (done) { PdaFeedback.ok(); bg.bag = r.data; } else { PdaFeedback.queued(); }
          bg.parcels = bg.parcels.filter(function (p) { return p.logistics_no !== code; });
          bg.result = done ? "<div class=\"result warn\" id=\"bag-unbagged\"><b>" + icon("check") + esc(t("unbag")) + "</b>" +
            "<span class=\"big-line mono\">" + esc(printable(code)) + "</span><span>" + esc(reason) + "</span></div>" :
            queuedCard(summary, r.outcome === "auth");
          say(done ? t("unbagged", { code: printable(code), n: r.data.parcels_count }) : t("queuedTitle"), done ? "ok" : "queued");
          bg.code = ""; bg.reason = "";
          goBag("parcel");
        } else if (r.outcome === "unsaved") {
          PdaFeedback.error();
          say(t("unsaved"), "error");
          goBag("reason");
        } else {
          var problem = problemCode(r);
          PdaFeedback.error();
          bg.result = refusedCard("bag-refused", t("unbag"), code, detailText(r));
          say(detailText(r), "error");               // parcel_not_in_bag names the scanned waybill
          bg.code = ""; bg.reason = "";
          if (problem === "bag_sealed" || problem === "record_not_found") { bagGone(); return; }
          goBag("unbag");
        }
      });
  }

  /* Seal: only when none of this bag's scans still wait in the queue (the server's count must be complete). */
  function startSeal() {
    if (!bg || !bg.bag || bg.step !== "parcel") { return; }
    var b = bg.bag, current = bg, me = username(), prefix = "/api/v1/bags/" + b.id + "/";
    PdaQueue.pending().then(function (events) {
      if (bg !== current || !bg.bag || bg.bag.id !== b.id || bg.step !== "parcel") { return; }
      var waiting = events.filter(function (e) { return e.user === me && e.path.indexOf(prefix) === 0; }).length;
      if (waiting) { PdaFeedback.error(); say(t("sealPending", { n: waiting }), "error"); return; }
      bg.count = ""; bg.weight = ""; bg.field = "count"; bg.differs = false; bg.result = "";
      hideMessage();
      goBag("seal");
    });
  }

  function sealField(field) {
    if (!bg || bg.step !== "seal") { return; }
    bg.field = field;
    renderBag();
  }

  /* The keypad keys the hand count (whole parcels) or the weight (kg, up to 3 decimals). */
  function sealKey(key) {
    if (!bg || bg.step !== "seal") { return; }
    var field = bg.field, text = bg[field];
    if (field === "count") { bg.differs = false; }
    if (key === "C") { text = ""; }
    else if (key === "back") { text = text.slice(0, -1); }
    else if (key === ".") { if (field === "weight" && text.indexOf(".") < 0) { text = (text || "0") + "."; } }
    else if (field === "count") { if (text.length < 5) { text = (text === "0" ? "" : text) + key; } }
    else if (text.indexOf(".") >= 0) { if (text.length - text.indexOf(".") <= 3) { text += key; } }
    else if (text.length < 4) { text = (text === "0" ? "" : text) + key; }
    bg[field] = text;
    renderBag();
  }

  function sealOk() {
    if (!bg || bg.step !== "seal" || !bg.bag) { return; }
    var count = parseInt(bg.count || "0", 10), weight = bg.weight.replace(/\.$/, "");
    if (!(count > 0)) { bg.field = "count"; renderBag(); PdaFeedback.error(); say(t("sealNeedCount"), "error"); return; }
    if (!weight) { bg.field = "weight"; renderBag(); PdaFeedback.info(); say(t("sealNeedWeight"), "warn"); return; }
    if (!/^\d{1,4}(\.\d{1,3})?$/.test(weight) || !(parseFloat(weight) > 0)) {
      bg.field = "weight"; renderBag(); PdaFeedback.error(); say(t("sealBadWeight"), "error"); return;
    }
    if (bg.busy || needNetwork()) { return; }
    var b = bg.bag, current = bg;
    current.busy = true;
    busyStep("bag");
    say(t("promptBusy"), "info");
    live("/api/v1/bags/" + b.id + "/seal", { count: count, weight_kg: weight }).then(function (r) {
      current.busy = false;
      if (bg !== current) { return; }
      if (r.ok) {
        PdaFeedback.ok();
        bg.result = sealedCard(r.data, true);
        bg.bag = null; bg.parcels = [];
        say(t("sealed") + " · " + r.data.sscc + " · " + t("sealedDetail", { n: r.data.parcels_count, weight: r.data.weight_kg }), "ok");
        goBag("open");
        loadOpenBags();
        return;
      }
      var problem = problemCode(r);
      PdaFeedback.error();
      say(detailText(r), "error");                   // bag_count_differs names the count and the scans
      if (problem === "bag_count_differs") {        // count again: the count box turns red and is cleared
        bg.count = ""; bg.field = "count"; bg.differs = true;
        goBag("seal");
      } else if (problem === "bag_empty") {
        goBag("parcel");
      } else if (problem === "invalid_transition" || problem === "record_not_found") {
        bagGone();
      } else {
        goBag("seal");
      }
    });
  }

  function bindBag() {
    $("bag-new").addEventListener("click", function () { if (bg && bg.step === "open") { openBag(""); } });
    $("bag-list").addEventListener("click", function (ev) {
      var el = withAttr(ev.target, "data-bag", this);
      if (el) { openListedBag(parseInt(el.getAttribute("data-bag"), 10)); }
    });
    $("bag-result").addEventListener("click", function (ev) {
      var el = withAttr(ev.target, "data-label", this);
      if (el) { printLabel(el.getAttribute("data-label"), el.getAttribute("data-lpn")); }
    });
    $("bag-unbag").addEventListener("click", startUnbag);
    $("bag-seal-btn").addEventListener("click", startSeal);
    $("bag-back").addEventListener("click", function () {
      if (!bg || !bg.bag) { return; }
      bg.code = ""; bg.reason = "";
      hideMessage();
      goBag("parcel");
    });
    each("#bag-reason [data-unbag]", function (b) {
      b.addEventListener("click", function () { chooseUnbag(b.getAttribute("data-unbag")); });
    });
    $("bag-reason-ok").addEventListener("click", function () { submitUnbag(inputValue("bag-reason-text")); });
    onEnter("bag-reason-text", function () { submitUnbag(inputValue("bag-reason-text")); });
    each("#bag-keypad [data-key]", function (b) {
      b.addEventListener("click", function () { sealKey(b.getAttribute("data-key")); });
    });
    each("#bag-seal [data-field]", function (b) {
      b.addEventListener("click", function () { sealField(b.getAttribute("data-field")); });
    });
    $("bag-seal-ok").addEventListener("click", sealOk);
    $("bag-reset").addEventListener("click", function () {
      if (!bg) { return; }
      bg = newBagDraft();
      hideMessage();
      goBag("open");
      loadOpenBags();
    });
  }

  // ------------------------------------------------------------------ loading (装车)
  /* Sealed bags onto a carrier's vehicle: open its manifest (tap a vehicle being loaded, scan the manifest
     number or the plate, or start a new vehicle), scan bags, close the manifest (master bill and flight
     optional) and open its PDF. A bag goes onto the vehicle only once the server has checked it (sealed, of
     this carrier, released by customs), so every loading call is sent live with its own Idempotency-Key and
     needs the network. Gate-out (出区) moves stock and the customs account book: it is offered on a closed
     manifest to supervisors and admins only. */

  var LOAD_ACCEPT = { open: ["any"], "new": ["any"], bag: ["sscc"], close: ["sscc"], closed: ["any"] };
  var LOAD_PROMPT = { open: "promptLoadOpen", "new": "promptLoadNew", bag: "promptLoadBag", close: "promptLoadClose",
                      closed: "promptLoadClosed" };
  var LOAD_EXPECT = { open: "manifest", "new": "manifest", bag: "bag", close: "bag", closed: "manifest" };
  var GATE_ROLES = ["admin", "supervisor"];
  var SHOWN_BAGS = 8;

  function canGateOut() { return GATE_ROLES.indexOf(role()) >= 0; }

  function startLoad() {
    move = null; rcv = null; pa = null; qc = null; insp = null; pk = null; bg = null;
    show("task");
    $("task-title").textContent = t("load");
    showPane("load");
    ld = newLoadDraft();
    goLoad("open");
    loadVehicles();
  }

  function newLoadDraft() {
    return { step: "open", manifest: null, bags: [], carrier: "", carriers: null, list: null, armed: "", result: "",
             busy: false };
  }

  function goLoad(step, text) {
    if (ld.step !== step) { window.scrollTo(0, 0); }
    ld.step = step;
    ld.armed = "";
    renderLoad();
    var m = ld.manifest;
    setStep({ name: "load-" + step, text: text || "",
              prompt: step === "closed" && m && m.status === "departed" ? "promptLoadDeparted" : LOAD_PROMPT[step],
              params: { vehicle: m ? m.vehicle_no : "", number: m ? m.number : "" },
              accept: LOAD_ACCEPT[step], expect: LOAD_EXPECT[step], onScan: onLoadScan });
  }

  function loadHead(m) {
    return "<div class=\"asn-head load-head\"><span class=\"chip\">" + esc(t("manifestLabel")) + "</span><b id=\"load-number\">" +
      esc(m.number) + "</b><span class=\"chip warn\" id=\"load-status\">" + esc(t("mfSt_" + m.status)) + "</span><small>" +
      esc(t("vehicleInfo", { carrier: m.carrier_code, vehicle: m.vehicle_no })) +
      (m.driver ? " · " + esc(t("driverInfo", { driver: m.driver })) : "") +
      (m.bill_no ? " · " + esc(t("billInfo", { bill: m.bill_no })) : "") + "</small></div>";
  }

  function loadStats(m) {
    function stat(id, label, value) {
      return "<div class=\"stat\"><small>" + esc(t(label)) + "</small><b id=\"" + id + "\">" + esc(value) + "</b></div>";
    }
    return "<div class=\"stats\">" + stat("load-bags-count", "statBags", m.bags_count) +
      stat("load-parcels-count", "statParcels", m.parcels_count) +
      stat("load-weight", "statWeight", m.gross_weight_kg != null ? m.gross_weight_kg : "0") + "</div>";
  }

  function loadBagsList() {
    var bags = ld.bags.slice(0, SHOWN_BAGS);
    return listSection(t("loadedBags"), ld.manifest.bags_count) + (bags.length ? "<ul class=\"lines load-bags\" id=\"load-bag-rows\">" +
      bags.map(function (b) {
        return "<li><div class=\"stock-main\"><b class=\"sku mono\">" + esc(b.sscc) + "</b><span class=\"meta\">" +
          esc(b.channel_code ? bagRoute(b) : "") + "</span></div><div class=\"stock-qty\"><b>" +
          esc(b.parcels_count != null ? b.parcels_count : "") + "</b><small>" + esc(b.weight_kg ? b.weight_kg + " kg" : "") +
          "</small></div></li>";
      }).join("") + "</ul>" : "<p class=\"empty\">" + esc(t("noBagsYet")) + "</p>");
  }

  function vehicleButton(m) {
    return "<button type=\"button\" class=\"big choice row-choice\" data-manifest=\"" + esc(m.id) + "\"><span class=\"row-main\">" +
      "<b>" + esc(m.vehicle_no) + "</b><small>" + esc(m.carrier_code) + " · " + esc(m.number) +
      (m.driver ? " · " + esc(m.driver) : "") + "</small></span><span class=\"row-count\"><b>" + esc(m.bags_count) +
      "</b><small>" + esc(t("statBags")) + "</small></span></button>";
  }

  function vehicleList() {
    var list = ld.list;
    if (!list) { return ""; }
    if (list.error) { return "<p class=\"empty\">" + esc(list.error) + "</p>"; }
    var html = listSection(t("loadingVehicles"), list.loading.length) + (list.loading.length ?
      list.loading.map(vehicleButton).join("") : "<p class=\"empty\">" + esc(t("noVehicles")) + "</p>");
    if (list.closed && list.closed.length) {
      html += listSection(t("closedVehicles"), list.closed.length) + list.closed.map(vehicleButton).join("");
    }
    return html;
  }

  function carrierButtons() {
    if (!ld.carriers) { return ""; }
    return ld.carriers.map(function (c) {
      var on = c.code === ld.carrier;
      return "<button type=\"button\" data-carrier=\"" + esc(c.code) + "\" class=\"" + (on ? "on" : "") + "\" aria-pressed=\"" +
        (on ? "true" : "false") + "\"><b>" + esc(c.code) + "</b><small>" + esc(productName(c)) + "</small></button>";
    }).join("");
  }

  function closedCard(m) {
    var departed = m.status === "departed";
    return "<div class=\"result ok\" id=\"" + (departed ? "load-departed" : "load-closed") + "\"><b>" + icon("check") +
      esc(t(departed ? "departed" : "manifestClosed")) + "</b><span class=\"big-line\">" + esc(m.number) + " · " +
      esc(m.vehicle_no) + "</span><span>" + esc(t("closedDetail", { bags: m.bags_count, parcels: m.parcels_count,
      weight: m.gross_weight_kg })) + "</span>" + (departed ? "<span>" + esc(t("departedDetail")) + "</span>" : "") + "</div>";
  }

  function renderLoad() {
    if (!ld) { return; }
    var step = ld.step, m = ld.manifest, working = !!m && step !== "open" && step !== "new";
    $("load-head").innerHTML = working ? loadHead(m) : "";
    $("load-result").innerHTML = ld.result || "";
    $("load-form").hidden = step !== "new";
    if (step === "new") { $("load-carriers").innerHTML = carrierButtons(); }
    $("load-stats").innerHTML = working && step !== "closed" ? loadStats(m) : "";   // closed: its card has the totals
    $("load-close-form").hidden = step !== "close";
    $("load-done").hidden = step !== "closed";
    $("load-gate-out").hidden = !(step === "closed" && m && m.status === "closed" && canGateOut());
    $("load-gate-out").className = "big gate-out" + (ld.armed === "gate" ? " armed" : "");
    $("load-close").hidden = step !== "bag";
    $("load-bags").innerHTML = working && step !== "close" ? loadBagsList() : "";
    $("load-back").hidden = step !== "close";
    $("load-list").innerHTML = step === "open" ? vehicleList() : "";
    $("load-new").hidden = step !== "open";
    $("load-reset").hidden = step === "open";
  }

  function loadVehicles() {
    var current = ld, asks = [call("GET", "/api/v1/manifests?status=loading&per_page=30")];
    if (canGateOut()) { asks.push(call("GET", "/api/v1/manifests?status=closed&per_page=30")); }
    Promise.all(asks).then(function (rs) {
      if (ld !== current) { return; }
      ld.list = rs[0].ok ? { loading: rs[0].data.items || [], closed: rs[1] && rs[1].ok ? rs[1].data.items || [] : null } :
        { error: rs[0].network ? t("listOffline") : problemText(rs[0]) };
      if (ld.step === "open") { renderLoad(); }
    });
  }

  function loadCarriers() {
    var current = ld;
    call("GET", "/api/v1/carriers?per_page=100").then(function (r) {
      if (ld !== current) { return; }
      if (!r.ok) { PdaFeedback.error(); say(r.network ? t("needsNetwork") : problemText(r), "error"); return; }
      ld.carriers = (r.data.items || []).filter(function (c) { return c.active !== false; });
      if (ld.step === "new") { renderLoad(); }
    });
  }

  function newVehicle() {
    if (!ld || ld.step !== "open") { return; }
    ld.carrier = ""; ld.result = "";
    $("load-vehicle").value = ""; $("load-driver").value = "";
    hideMessage();
    goLoad("new");
    if (!ld.carriers) { loadCarriers(); }
  }

  function createManifest() {
    if (!ld || ld.step !== "new") { return; }
    var vehicle = inputValue("load-vehicle"), driver = inputValue("load-driver");
    if (!ld.carrier) { PdaFeedback.error(); say(t("chooseCarrier"), "error"); return; }
    if (!vehicle) {
      PdaFeedback.error(); say(t("needVehicle"), "error");
      try { $("load-vehicle").focus(); } catch (e) { /* ignore */ }
      return;
    }
    if (ld.busy || needNetwork()) { return; }
    var current = ld;
    current.busy = true;                             // a second tap must not open a second manifest
    busyStep("load");
    say(t("promptBusy"), "info");
    live("/api/v1/manifests", { carrier: ld.carrier, vehicle_no: vehicle, driver: driver }).then(function (r) {
      current.busy = false;
      if (ld !== current) { return; }
      if (!r.ok) { PdaFeedback.error(); say(detailText(r), "error"); goLoad("new"); return; }
      takeManifest(r.data);
    });
  }

  /* A manifest from the server (with its bags when it came from GET /manifests/{id}). */
  function takeManifest(m) {
    PdaFeedback.ok();
    ld.manifest = m; ld.result = "";
    ld.bags = (m.bags || []).slice().reverse();
    say(t("manifestOpened", { number: m.number, vehicle: m.vehicle_no }), "ok");
    if (m.status !== "loading") { ld.result = closedCard(m); }
    goLoad(m.status === "loading" ? "bag" : "closed");
    if (!m.bags) { loadManifest(m.id); }
  }

  function loadManifest(id) {
    call("GET", "/api/v1/manifests/" + id).then(function (r) {
      if (!ld || !ld.manifest || ld.manifest.id !== id || !r.ok) { return; }
      ld.manifest = r.data;
      ld.bags = (r.data.bags || []).slice().reverse();
      renderLoad();
    });
  }

  function openListedManifest(id) {
    if (!ld || needNetwork()) { return; }
    var current = ld;
    say(t("promptBusy"), "info");
    call("GET", "/api/v1/manifests/" + id).then(function (r) {
      if (ld !== current) { return; }
      if (!r.ok) { PdaFeedback.error(); say(detailText(r), "error"); return; }
      takeManifest(r.data);
    });
  }

  function plate(value) { return String(value || "").toUpperCase().replace(/[\s·.\-]/g, ""); }

  /* On the start screen: a manifest number or a plate opens that vehicle; a bag label needs a vehicle first. */
  function findManifest(scan) {
    var code = String(scanCode(scan));
    if (scan.kind === "sscc") {
      PdaFeedback.error(); say(t("chooseVehicleFirst", { code: scan.value }), "error");
      return;
    }
    if (needNetwork()) { return; }
    var current = ld, gate = canGateOut();
    say(t("lookingUp", { code: printable(code) }), "info");
    call("GET", "/api/v1/manifests?per_page=20&q=" + encodeURIComponent(code)).then(function (r) {
      if (ld !== current) { return; }
      if (!r.ok) { PdaFeedback.error(); say(detailText(r), "error"); return; }
      var found = (r.data.items || []).filter(function (m) {
        return (m.status === "loading" || (gate && m.status === "closed")) &&
          (m.number.toUpperCase() === code.toUpperCase() || plate(m.vehicle_no) === plate(code));
      });
      if (found.length !== 1) { PdaFeedback.error(); say(t("noManifest", { code: printable(code) }), "error"); return; }
      openListedManifest(found[0].id);
    });
  }

  function onLoadScan(scan) {
    var step = ld.step;
    if (step === "open" || step === "closed") { findManifest(scan); }
    else if (step === "new") { PdaFeedback.error(); say(t("promptLoadNew"), "warn"); }
    else { loadBag(scan.value); }                     // the bag step, or one more bag found while closing
  }

  function loadBag(code) {
    var m = ld.manifest, current = ld;
    if (ld.bags.some(function (b) { return b.sscc === code; })) {
      PdaFeedback.dup();
      say(t("bagAlreadyLoaded", { sscc: code }), "warn");
      return;
    }
    if (needNetwork()) { return; }
    say(t("lookingUp", { code: code }), "info");
    busyStep("load");
    live("/api/v1/manifests/" + m.id + "/bags", { scan: code }).then(function (r) {
      if (ld !== current || !ld.manifest || ld.manifest.id !== m.id) { return; }
      if (r.ok) {
        PdaFeedback.ok();
        ld.manifest = r.data; ld.result = "";
        ld.bags.unshift({ sscc: code });
        say(t("bagLoaded", { sscc: code, n: r.data.bags_count }), "ok");
        goLoad("bag");
        loadManifest(m.id);
        return;
      }
      var problem = problemCode(r);
      PdaFeedback.error();
      ld.result = refusedCard("load-refused", t("notLoaded"), code, detailText(r));
      say(detailText(r), "error");                   // unknown_bag, wrong_carrier, bag_not_sealed, not_released …
      if (problem === "invalid_transition") {        // closed meanwhile (another device): show it as it is
        ld.result = "";
        openListedManifest(m.id);
        return;
      }
      goLoad("bag");
    });
  }

  function showCloseForm() {
    if (!ld || ld.step !== "bag") { return; }
    $("load-bill").value = ""; $("load-traf").value = ""; $("load-voyage").value = "";
    ld.result = "";
    hideMessage();
    goLoad("close");
  }

  function closeManifest() {
    if (!ld || ld.step !== "close" || ld.busy || needNetwork()) { return; }
    var m = ld.manifest, current = ld;
    current.busy = true;
    var body = { bill_no: inputValue("load-bill"), traf_name: inputValue("load-traf"), voyage_no: inputValue("load-voyage") };
    busyStep("load");
    say(t("promptBusy"), "info");
    live("/api/v1/manifests/" + m.id + "/close", body).then(function (r) {
      current.busy = false;
      if (ld !== current) { return; }
      if (!r.ok) {
        PdaFeedback.error();
        say(detailText(r), "error");                 // manifest_empty, or the field that is wrong
        goLoad(problemCode(r) === "manifest_empty" ? "bag" : "close");
        return;
      }
      PdaFeedback.ok();
      ld.manifest = r.data;
      ld.result = closedCard(r.data);
      say(t("manifestClosed") + " · " + r.data.number, "ok");
      goLoad("closed");
    });
  }

  function gateOut() {
    var m = ld && ld.manifest;
    if (!m || ld.step !== "closed" || m.status !== "closed" || !canGateOut()) { return; }
    if (ld.armed !== "gate") {                       // final: stock and the account book go down; a second tap
      ld.armed = "gate";
      renderLoad();
      PdaFeedback.info();
      say(t("gateOutArm"), "warn");
      return;
    }
    if (ld.busy || needNetwork()) { return; }
    var current = ld;
    current.busy = true;
    busyStep("load");
    say(t("promptBusy"), "info");
    live("/api/v1/manifests/" + m.id + "/gate-out", {}).then(function (r) {
      current.busy = false;
      if (ld !== current) { return; }
      if (!r.ok) { PdaFeedback.error(); say(detailText(r), "error"); goLoad("closed"); return; }
      PdaFeedback.ok();
      ld.manifest = r.data;
      ld.result = closedCard(r.data);
      say(t("departed") + " · " + r.data.number + " · " + r.data.vehicle_no, "ok");
      goLoad("closed");
    });
  }

  function bindLoad() {
    $("load-new").addEventListener("click", newVehicle);
    $("load-list").addEventListener("click", function (ev) {
      var el = withAttr(ev.target, "data-manifest", this);
      if (el && ld && ld.step === "open") { openListedManifest(parseInt(el.getAttribute("data-manifest"), 10)); }
    });
    $("load-carriers").addEventListener("click", function (ev) {
      var el = withAttr(ev.target, "data-carrier", this);
      if (!el || !ld || ld.step !== "new") { return; }
      ld.carrier = el.getAttribute("data-carrier");
      renderLoad();
    });
    $("load-open-ok").addEventListener("click", createManifest);
    onEnter("load-vehicle", createManifest);
    onEnter("load-driver", createManifest);
    $("load-close").addEventListener("click", showCloseForm);
    $("load-close-ok").addEventListener("click", closeManifest);
    $("load-back").addEventListener("click", function () {
      if (!ld || ld.step !== "close") { return; }
      hideMessage();
      goLoad("bag");
    });
    $("load-pdf").addEventListener("click", function () {
      var m = ld && ld.manifest;
      if (!m) { return; }
      printLabel("/api/v1/manifests/" + m.id + "/document", m.number, { loading: "docLoading", failed: "docFailed" });
    });
    $("load-gate-out").addEventListener("click", gateOut);
    $("load-reset").addEventListener("click", function () {
      if (!ld) { return; }
      ld = newLoadDraft();
      hideMessage();
      goLoad("open");
      loadVehicles();
    });
  }

  // ------------------------------------------------------------------ sync queue and refused scans

  function showQueue() {
    show("queue");
    renderQueue();
  }

  function eventCard(e, extra) {
    return "<li class=\"event\"><b>" + esc(t("task_" + e.task)) + "</b><span class=\"big-line\">" + esc(e.summary) + "</span>" +
      "<span class=\"muted\">" + esc(formatTime(e.ts, true)) + " · " + esc(e.device) + "</span>" + (extra || "") + "</li>";
  }

  function renderQueue() {
    PdaQueue.pending().then(function (events) {
      $("pending-count").textContent = String(events.length);
      var me = username();
      $("pending-list").innerHTML = events.length ? "<ul class=\"events\">" + events.map(function (e) {
        var extra = e.user !== me ? "<span class=\"warn-text\">" + esc(t("otherUser", { user: e.user })) + "</span>" :
          (e.attempts ? "<span class=\"muted\">" + esc(t("attempts", { n: e.attempts })) + (e.lastError ? " · " + esc(e.lastError) : "") + "</span>" : "");
        return eventCard(e, extra);
      }).join("") + "</ul>" : "<p class=\"empty\">" + esc(t("nothingPending")) + "</p>";
    });
    PdaQueue.refused().then(function (items) {
      $("refused-count").textContent = String(items.length);
      $("refused-list").innerHTML = items.length ? "<ul class=\"events refused\">" + items.map(function (item) {
        var detail = (item.problem && (item.problem.detail || item.problem.title)) || ("HTTP " + item.status);
        return eventCard(item.event, "<span class=\"error-text\">" + esc(item.status) + " · " + esc(detail) + "</span>" +
          "<button type=\"button\" class=\"small-btn\" data-ack=\"" + esc(item.id) + "\">" + esc(t("acknowledge")) + "</button>");
      }).join("") + "</ul>" : "<p class=\"empty\">" + esc(t("nothingRefused")) + "</p>";
    });
  }

  function syncNow() {
    say(t("syncing"), "info");
    PdaQueue.sync("button").then(function (s) {
      if (s.stopped === "signed_out") { say(t("syncSignedOut"), "warn"); return; }
      if (s.stopped === "auth") { say(t("syncAuth"), "error"); return; }
      if (s.stopped === "queued") { setNetwork(false); PdaFeedback.queued(); say(t("syncOffline", { left: s.left }), "queued"); return; }
      setNetwork(true);
      if (s.refused) { PdaFeedback.error(); } else { PdaFeedback.ok(); }
      say(t("syncDone", s), s.refused ? "error" : "ok");
      if (screen === "queue") { renderQueue(); }
    });
  }

  // ------------------------------------------------------------------ scan exceptions (supervisors, read-only)

  function showExceptions() {
    show("exceptions");
    loadExceptions();
  }

  function loadExceptions() {
    $("exceptions-count").textContent = "…";
    call("GET", "/api/v1/scan-exceptions?state=open&per_page=100").then(function (r) {
      if (screen !== "exceptions") { return; }
      if (!r.ok) {
        $("exceptions-count").textContent = "";
        $("exceptions-list").innerHTML = "";
        say(r.network ? t("exceptionsOffline") : problemText(r), "error");
        return;
      }
      var items = r.data.items || [];
      $("exceptions-count").textContent = t("exceptionsCount", { n: r.data.total });
      $("home-exceptions-count").textContent = String(r.data.total);
      $("exceptions-list").innerHTML = items.length ? "<ul class=\"events refused\">" + items.map(function (x) {
        var b = x.request_body || {};
        var what = x.path === "/api/v1/moves" ? t("task_move") + " · " + moveSummary({
          qty: b.qty, barcode: b.barcode || ("#" + b.product_id), lpn: b.lpn, from_location: b.from_location, to_location: b.to_location
        }) : x.method + " " + x.path;
        var detail = (x.problem && (x.problem.detail || x.problem.title)) || "";
        return "<li class=\"event\"><b>" + esc(what) + "</b><span class=\"error-text\">" + esc(x.status_code) + " · " + esc(detail) + "</span>" +
          "<span class=\"muted\">" + esc(t("scannedAt")) + " " + esc(formatTime(x.scanned_at || x.created_at, true)) + " · " +
          esc(t("operator")) + " " + esc(x.username) + " · " + esc(t("deviceLabel")) + " " + esc(x.device) + "</span></li>";
      }).join("") + "</ul>" : "<p class=\"empty\">" + esc(t("noExceptions")) + "</p>";
    });
  }

  // ------------------------------------------------------------------ camera

  function openCamera() {
    var can = PdaCamera.availability();
    if (!can.ok) {
      PdaFeedback.error();
      say(t(can.reason === "insecure" ? "cameraInsecure" : "cameraUnsupported"), "error");
      return;
    }
    PdaCamera.open({ overlay: $("camera"), video: $("camera-video"), status: $("camera-status"), text: t }, function (text) {
      layer.inject(text, "camera");
    })["catch"](function (err) {
      var reason = err && err.reason;
      PdaFeedback.error();
      say(t(reason === "insecure" ? "cameraInsecure" : reason === "denied" ? "cameraDenied" :
        reason === "unsupported" ? "cameraUnsupported" : "cameraFailed"), "error");
    });
  }

  // ------------------------------------------------------------------ start-up

  function go(target) {
    if (target === "lookup") { startLookup(); }
    else if (target === "move") { startMove(); }
    else if (target === "receive") { startReceive(); }
    else if (target === "putaway") { startPutaway(); }
    else if (target === "qc") { startQc(); }
    else if (target === "inspection") { startInspection(); }
    else if (target === "pick") { startPick(); }
    else if (target === "bag") { startBag(); }
    else if (target === "load") { startLoad(); }
    else if (target === "exceptions") { showExceptions(); }
    else if (target === "queue") { showQueue(); }
  }

  function bind() {
    $("login-form").addEventListener("submit", onLogin);
    $("start-shift").addEventListener("click", startShift);
    each("[data-action=signout]", function (b) { b.addEventListener("click", signOut); });
    each("[data-action=home]", function (b) { b.addEventListener("click", showHome); });
    each("[data-go]", function (b) { b.addEventListener("click", function () { go(b.getAttribute("data-go")); }); });
    $("lang").addEventListener("click", function () {
      lang = lang === "zh-CN" ? "en" : "zh-CN";
      store.setItem("pda.lang", lang);
      PdaApi.setLang(lang);
      translate();
    });
    $("sync-badge").addEventListener("click", function () {
      if (session && screen !== "login" && screen !== "shift") { showQueue(); }
    });
    $("sync-now").addEventListener("click", syncNow);
    $("refused-list").addEventListener("click", function (ev) {
      var id = ev.target.getAttribute && ev.target.getAttribute("data-ack");
      if (id) { PdaQueue.acknowledge(id).then(renderQueue); }
    });
    $("exceptions-refresh").addEventListener("click", loadExceptions);
    each("#keypad [data-key]", function (b) {
      b.addEventListener("click", function () { keypad(b.getAttribute("data-key")); });
    });
    $("qty-ok").addEventListener("click", confirmQty);
    $("move-reset").addEventListener("click", function () { $("move-result").innerHTML = ""; hideMessage(); resetMove(); });
    $("lpn-choices").addEventListener("click", function (ev) {
      var lpn = ev.target.getAttribute && ev.target.getAttribute("data-lpn");
      if (lpn && move && move.step === "lpn") { layer.inject(lpn, "tap"); }
    });
    bindReceive();
    bindPutaway();
    bindQc();
    bindInspection();
    bindPick();
    bindBag();
    bindLoad();
    $("camera-btn").addEventListener("click", openCamera);
    $("camera-close").addEventListener("click", function () { PdaCamera.close(); });
    $("keyboard").addEventListener("click", function () {
      layer.setManual(!layer.manual);
    });
    window.addEventListener("online", function () { setNetwork(true); });
    window.addEventListener("offline", function () { setNetwork(false); });
  }

  function boot() {
    PdaScan.configure({ locationPatterns: CONFIG.locationPatterns });
    PdaCamera.configure({ vendorBase: CONFIG.vendorBase });
    PdaApi.setLang(lang);
    PdaApi.setDevice(device);
    PdaApi.setToken(session ? session.token : null);
    layer = new PdaScan.ScanLayer($("scan"), {
      idleMs: CONFIG.scanIdleMs,
      onReject: onReject,
      onStepChange: onStepChange,
      onManualChange: function (on) {
        $("keyboard").className = "icon-btn" + (on ? " active" : "");
        if (layer.step) { $("prompt").textContent = on ? t("promptManual") : layer.step.promptText(); }
      }
    });
    PdaQueue.init({
      api: PdaApi,
      user: username,
      device: function () { return device; },
      onChange: updateBadge,
      onRefused: function (item) {
        PdaFeedback.error();
        toast(t("replayRefused", { summary: item.event.summary,
          detail: (item.problem && (item.problem.detail || item.problem.title)) || item.status }), "error");
      },
      onApplied: function (event) { toast(t("replayApplied", { summary: event.summary }), "ok"); },
      onAuthNeeded: authNeeded,
      onNetwork: setNetwork
    });
    bind();
    translate();
    setNetwork(navigator.onLine !== false);
    PdaQueue.counts();
    if (session) {
      showShift();
      PdaQueue.start(CONFIG.syncIntervalMs);
      call("GET", "/api/v1/auth/me").then(function (r) {
        if (r.ok && session) { session.user = r.data; saveSession(session); renderWho(); }
      });
    } else {
      showLogin();
    }
  }

  window.PdaApp = {
    layer: function () { return layer; },
    state: function () {
      return { screen: screen, move: move, receive: rcv, putaway: pa, qc: qc, inspection: insp, pick: pk, bag: bg, load: ld, lang: lang, device: device, user: username(), shift: shiftStarted };
    },
    t: t
  };

  boot();
})();
