/* PDA page: renders one step at a time; every rule lives in the API. Hardware scanners type into #scan
   and end with Enter. Each stock-changing scan carries a client-made Idempotency-Key, so a retry after a
   Wi-Fi drop is answered with the first result instead of moving stock twice. */
(function () {
  "use strict";
  var T = {
    "zh-CN": { app: "保税仓 PDA", username: "用户名", password: "密码", signin: "登录", lookup: "库存查询", move: "移库",
      signout: "退出登录", confirm: "确认", back: "返回", scanAny: "扫描库位、商品条码或 LPN", scanFrom: "扫描来源库位",
      scanProduct: "扫描商品条码或 LPN", enterQty: "输入数量", scanTo: "扫描目标库位", moved: "已移库", nothing: "无库存",
      offline: "网络不可用，请重试", sku: "SKU", loc: "库位", status: "状态", qty: "数量" },
    "en": { app: "Bonded WMS PDA", username: "User name", password: "Password", signin: "Sign in", lookup: "Stock lookup",
      move: "Move", signout: "Sign out", confirm: "Confirm", back: "Back", scanAny: "Scan a location, product or LPN",
      scanFrom: "Scan the FROM location", scanProduct: "Scan the product or LPN", enterQty: "Enter the quantity",
      scanTo: "Scan the TO location", moved: "Moved", nothing: "No stock", offline: "Network down, try again",
      sku: "SKU", loc: "Location", status: "Status", qty: "Qty" }
  };
  var lang = localStorage.getItem("pda.lang") || "zh-CN";
  var token = sessionStorage.getItem("pda.token");
  var user = JSON.parse(sessionStorage.getItem("pda.user") || "null");
  var $ = function (id) { return document.getElementById(id); };
  var task = null, step = null, draft = {};

  function t(key) { return T[lang][key] || key; }
  function translate() {
    document.documentElement.lang = lang;
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n]"), function (el) { el.textContent = t(el.dataset.i18n); });
    $("lang").textContent = lang === "zh-CN" ? "EN" : "中文";
  }
  function show(id) {
    ["login", "home", "task"].forEach(function (s) { $(s).hidden = s !== id; });
    $("who").textContent = user ? (user.display_name || user.username) : "";
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0; return (c === "x" ? r : (r & 3 | 8)).toString(16); });
  }
  function say(text, kind) {
    $("message").textContent = text; $("message").className = kind || "";
    if (kind === "error") {
      document.body.classList.add("flash-error");
      setTimeout(function () { document.body.classList.remove("flash-error"); }, 900);
      if (navigator.vibrate) { navigator.vibrate([120, 80, 120]); }
    }
  }
  function api(method, path, body, key) {
    var headers = { "Accept-Language": lang, "Content-Type": "application/json" };
    if (token) { headers.Authorization = "Bearer " + token; }
    if (key) { headers["Idempotency-Key"] = key; }
    return fetch(path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          if (r.status === 401 && path !== "/api/v1/auth/token") { signOut(); }
          if (!r.ok) { throw data; }
          return data;
        });
      }, function () { throw { detail: t("offline") }; });
  }
  function signOut() {
    token = null; user = null; sessionStorage.clear(); show("login");
  }
  function stockTable(rows) {
    if (!rows.length) { return "<p>" + t("nothing") + "</p>"; }
    var esc = function (s) { return String(s == null ? "" : s).replace(/[&<>"]/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); };
    return "<table><tr><th>" + t("sku") + "</th><th>" + t("loc") + "</th><th>" + t("status") + "</th><th class=num>" + t("qty") + "</th></tr>" +
      rows.map(function (s) {
        return "<tr><td>" + esc(s.sku) + (s.lpn ? "<br><small>" + esc(s.lpn) + "</small>" : "") + "</td><td>" + esc(s.location_code) +
          "</td><td>" + esc(s.status) + "</td><td class=num>" + esc(s.qty) + "</td></tr>";
      }).join("") + "</table>";
  }
  function prompt(key) { step = key; $("prompt").textContent = t(key); $("qty-pad").hidden = key !== "enterQty";
    if (key === "enterQty") { $("qty").value = 1; $("qty").focus(); } else { $("scan").focus(); } }

  function startTask(name) {
    task = name; draft = {}; $("result").innerHTML = ""; say("");
    show("task"); prompt(name === "lookup" ? "scanAny" : "scanFrom");
  }
  function onScan(code) {
    if (!code) { return; }
    if (task === "lookup") {
      api("GET", "/api/v1/barcodes/" + encodeURIComponent(code)).then(function (r) {
        say(r.kind + ": " + code, "ok"); $("result").innerHTML = stockTable(r.stock || []);
      }, function (e) { say(e.detail || "?", "error"); $("result").innerHTML = ""; });
      return;
    }
    if (step === "scanFrom") { draft.from_location = code; prompt("scanProduct"); say(code, "ok"); }
    else if (step === "scanProduct") { draft.barcode = code; prompt("enterQty"); say(code, "ok"); }
    else if (step === "scanTo") {
      draft.to_location = code;
      draft.key = draft.key || uuid();
      var body = { barcode: draft.barcode, from_location: draft.from_location, to_location: code, qty: draft.qty };
      api("POST", "/api/v1/moves", body, draft.key).then(function (m) {
        say(t("moved") + " #" + m.id + ": " + draft.qty + " × " + m.lines[0].sku, "ok");
        draft = {}; prompt("scanFrom");
      }, function (e) { say(e.detail || "?", "error"); if (e.status) { draft.key = null; } });
    }
  }

  $("scan-form").addEventListener("submit", function (ev) {
    ev.preventDefault(); var code = $("scan").value.trim(); $("scan").value = ""; onScan(code);
  });
  $("qty-ok").addEventListener("click", function () {
    var q = parseInt($("qty").value, 10);
    if (!(q > 0)) { say(t("enterQty"), "error"); return; }
    draft.qty = q; prompt("scanTo");
  });
  $("login-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = ev.target;
    api("POST", "/api/v1/auth/token", { username: f.username.value, password: f.password.value, label: "PDA" })
      .then(function (r) {
        token = r.token; user = r.user;
        sessionStorage.setItem("pda.token", token); sessionStorage.setItem("pda.user", JSON.stringify(user));
        f.password.value = ""; home();
      }, function (e) { alert(e.detail || "?"); });
  });
  function home() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-role]"), function (b) {
      b.hidden = b.dataset.role.split(" ").indexOf(user.role) < 0; });
    show("home");
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-go]"), function (b) {
    b.addEventListener("click", function () { startTask(b.dataset.go); });
  });
  $("back").addEventListener("click", home);
  $("signout").addEventListener("click", function () { api("DELETE", "/api/v1/auth/token").catch(function () {}); signOut(); });
  $("lang").addEventListener("click", function () {
    lang = lang === "zh-CN" ? "en" : "zh-CN"; localStorage.setItem("pda.lang", lang); translate();
    if (step) { $("prompt").textContent = t(step); }
  });
  document.addEventListener("click", function (ev) {
    if (!$("task").hidden && ev.target.tagName !== "INPUT" && ev.target.tagName !== "BUTTON") { $("scan").focus(); }
  });
  translate();
  if (token && user) { home(); } else { show("login"); }
})();
