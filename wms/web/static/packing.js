/* The packing station (打包台): a barcode scanner and a scale typing into the page (keyboard wedge, Enter at the
 * end), a label printer; the packing list (装箱单) opens in a tab of its own after each close. Plain JS over
 * the session JSON views under /admin/packing/api/… (same answers and problems as /api/v1/packing/…). Every
 * unit scanned for the order is kept here and sent whole to "check"; a wrong or extra unit is refused (409):
 * a blocking red alert, that scan dropped, an error sound.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("pack-config").textContent);
  var W = config.words;
  var $ = function (id) { return document.getElementById(id); };
  var el = {
    scan: $("pack-scan"), prompt: $("pack-prompt"), msg: $("pack-msg"), order: $("pack-order"), done: $("pack-done"),
    material: $("pack-material"), weight: $("pack-weight"), expected: $("pack-expected"), printer: $("pack-printer"),
    close: $("pack-close"), reset: $("pack-reset"), alert: $("pack-alert"), alertText: $("pack-alert-text"),
    alertOk: $("pack-alert-ok"), modeNormal: $("mode-normal"), modeFast: $("mode-fast"), wave: $("pack-wave"),
    waveNo: $("pack-wave-no"), waveChange: $("pack-wave-change")
  };
  var store = window.sessionStorage;
  var state = {
    mode: store.getItem("pack.mode") === "fast" ? "fast" : "normal",
    wave: store.getItem("pack.wave") || "",
    step: "start",            // start | wave | verify | close
    order: null,
    scans: [],
    busy: false,
    sounds: [],
    lastLabel: null,
    lastPackingList: null
  };
  var chain = Promise.resolve();

  // --- sounds (WebAudio: no files to load) -----------------------------------------------------------
  var audio = null;
  function tone(freq, start, length, type) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.type = type || "sine";
      osc.frequency.value = freq;
      gain.gain.value = 0.15;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(audio.currentTime + start);
      osc.stop(audio.currentTime + start + length);
    } catch (e) { /* no audio on this machine */ }
  }
  function sound(kind) {
    state.sounds.push(kind);
    if (kind === "error") { tone(220, 0, 0.18, "square"); tone(160, 0.22, 0.3, "square"); }
    else if (kind === "done") { tone(880, 0, 0.1); tone(1320, 0.12, 0.15); }
    else { tone(1200, 0, 0.06); }
  }

  // --- weights -------------------------------------------------------------------------------------------
  /* "1.234", "1,234 kg", "+0001.234kg", "512 g", "512g" → "1.234" / "0.512" (kg, 3 decimals); else null. */
  function parseWeight(text) {
    var t = String(text || "").trim().toLowerCase().replace(/\s+/g, "").replace(",", ".");
    var m = /^\+?(\d+(?:\.\d*)?|\.\d+)(kg|g)?$/.exec(t);
    if (!m) return null;
    var value = parseFloat(m[1]);
    if (m[2] === "g") value = value / 1000;
    if (!(value > 0) || value > 100) return null;
    return (Math.round(value * 1000) / 1000).toFixed(3);
  }
  /* A scan that is a scale's reading, not a barcode: a number with a unit, or with a decimal point. */
  function looksLikeWeight(code) {
    return /^\+?\d*[.,]?\d+\s*(kg|g)$/i.test(code) || /^\+?\d+\.\d+$/.test(code);
  }

  // --- helpers -------------------------------------------------------------------------------------------
  function url(name, id) { return config.urls[name].replace("{id}", id); }

  function api(path, body) {
    return fetch(path, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": config.csrf},
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        return {ok: response.ok, status: response.status, data: data || {}};
      });
    }, function () {
      return {ok: false, status: 0, data: {detail: W.network}};
    });
  }

  /* A problem as one line: its detail, field errors, and for a weight refused the expected ± tolerance. */
  function problemText(answer) {
    var p = answer.data || {};
    var text = p.detail || p.message || (answer.status + " " + (p.title || ""));
    if (p.errors && typeof p.errors === "object") {
      var parts = [];
      Object.keys(p.errors).forEach(function (key) {
        var v = p.errors[key];
        parts.push(key + ": " + (Array.isArray(v) ? v.join(" ") : (typeof v === "object" ? JSON.stringify(v) : v)));
      });
      if (parts.length) text += " — " + parts.join("; ");
    }
    if (p.code === "weight_out_of_tolerance" && p.expected) {
      text += " (" + W.expected + " " + p.expected + " kg ± " + p.tolerance + " kg)";
    }
    return text;
  }

  function say(text, kind) {
    el.msg.textContent = text || "";
    el.msg.className = "pack-msg" + (kind ? " " + kind : "");
  }

  function focusScan() {
    if (!el.alert.hidden) { el.alertOk.focus(); return; }
    el.scan.focus();
  }

  function blockingError(text) {
    el.alertText.textContent = text;
    el.alert.hidden = false;
    sound("error");
    say(text, "error");
    el.alertOk.focus();
  }

  function dismissAlert() {
    el.alert.hidden = true;
    el.scan.value = "";
    focusScan();
  }

  function enqueue(work) {
    chain = chain.then(function () {
      state.busy = true;
      render();
      return work();
    }).catch(function (e) {
      say(String(e), "error");
    }).then(function () {
      state.busy = false;
      render();
    });
    return chain;
  }

  // --- material and expected weight ------------------------------------------------------------------------
  function material(code) {
    for (var i = 0; i < config.materials.length; i++) if (config.materials[i].code === code) return config.materials[i];
    return null;
  }

  /* The smallest material (they come sorted by max. weight) whose max. weight holds the units and its tare. */
  function defaultMaterial(units) {
    var list = config.materials;
    for (var i = 0; i < list.length; i++) {
      var m = list[i];
      if (m.max_kg === null || units + parseFloat(m.tare_kg) <= parseFloat(m.max_kg)) return m.code;
    }
    return list.length ? list[list.length - 1].code : "";
  }

  function expected() {
    if (!state.order) return null;
    var m = material(el.material.value);
    var value = parseFloat(state.order.expected_weight_kg) + (m ? parseFloat(m.tare_kg) : 0);
    var tol = Math.max(parseFloat(config.tolerance_kg), value * parseFloat(config.tolerance_pct) / 100);
    return {value: value, tolerance: tol};
  }

  // --- rendering -------------------------------------------------------------------------------------------
  function prompt() {
    if (state.step === "wave") return W.scan_wave;
    if (state.step === "verify") return W.scan_items;
    if (state.step === "close") return W.choose_material;
    return state.mode === "fast" ? W.scan_unit_fast : W.scan_start;
  }

  function node(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined && text !== null) n.textContent = text;
    return n;
  }

  function renderOrder() {
    var order = state.order;
    el.order.innerHTML = "";
    if (!order) {
      el.order.className = "pack-order empty";
      el.order.textContent = W.no_order;
      return;
    }
    el.order.className = "pack-order";
    el.order.dataset.id = order.id;
    var head = node("div", "pack-head");
    head.appendChild(node("span", "no", order.order_no));
    [[W.waybill, order.logistics_no], [W.channel, order.channel], [W.country, order.country]]
      .forEach(function (pair) {
        var s = node("span", null, pair[0] + " ");
        s.appendChild(node("b", null, pair[1] || "—"));
        head.appendChild(s);
      });
    var done = 0, total = 0;
    order.lines.forEach(function (l) { done += l.checked; total += l.qty; });
    var totalEl = node("span", "pack-total", done + " / " + total);
    totalEl.id = "pack-total";
    head.appendChild(totalEl);
    el.order.appendChild(head);

    var table = node("table", "pack-lines");
    var hr = node("tr");
    ["SKU", W.name, W.checked_qty]
      .forEach(function (t) { hr.appendChild(node("th", null, t)); });
    var thead = node("thead"); thead.appendChild(hr); table.appendChild(thead);
    var body = node("tbody");
    order.lines.forEach(function (l) {
      var tr = node("tr", l.checked >= l.qty ? "done" : "");
      tr.dataset.productId = l.product_id;
      tr.appendChild(node("td", "sku", l.sku));
      tr.appendChild(node("td", null, l.name_zh));
      var td = node("td", "qty"), bar = node("div", "pack-bar"), track = node("span", "bar"), fill = node("span", "fill");
      fill.style.width = Math.min(100, Math.round(100 * l.checked / (l.qty || 1))) + "%";
      track.appendChild(fill);
      bar.appendChild(track);
      bar.appendChild(node("b", "count", l.checked + "/" + l.qty));
      td.appendChild(bar);
      tr.appendChild(td);
      body.appendChild(tr);
    });
    table.appendChild(body);
    el.order.appendChild(table);
  }

  function renderExpected() {
    var e = expected();
    el.expected.innerHTML = "";
    el.expected.appendChild(document.createTextNode(W.expected + ": "));
    if (!e) { el.expected.appendChild(node("b", null, "—")); el.weight.className = ""; return; }
    var b = node("b", null, e.value.toFixed(3) + " kg ± " + e.tolerance.toFixed(3) + " kg");
    b.id = "pack-expected-value";
    el.expected.appendChild(b);
    el.expected.appendChild(node("div", null, "(" + (e.value - e.tolerance).toFixed(3) + " – " +
                                             (e.value + e.tolerance).toFixed(3) + " kg)"));
    var w = parseWeight(el.weight.value);
    el.weight.className = w === null ? "" : (Math.abs(parseFloat(w) - e.value) <= e.tolerance + 1e-9 ? "in" : "out");
  }

  function render() {
    el.scan.dataset.step = state.step;
    el.prompt.textContent = prompt();
    el.modeNormal.className = state.mode === "normal" ? "on" : "";
    el.modeFast.className = state.mode === "fast" ? "on" : "";
    el.wave.hidden = state.mode !== "fast" || !state.wave;
    el.waveNo.textContent = state.wave;
    renderOrder();
    renderExpected();
    el.close.disabled = state.busy || state.step !== "close" || !el.material.value || parseWeight(el.weight.value) === null;
  }

  // --- the steps -----------------------------------------------------------------------------------------
  function loadOrder(answer) {
    state.order = answer.order;
    state.scans = (answer.scans || []).slice();
    state.step = answer.step === "close" ? "close" : "verify";
    el.material.value = defaultMaterial(parseFloat(answer.order.expected_weight_kg));
    el.weight.value = "";
    el.done.hidden = true;
    say(answer.prompt || "", "ok");
    sound("ok");
  }

  function start(code) {
    return api(config.urls.start, {scan: code}).then(function (answer) {
      if (!answer.ok) { sound("error"); say(problemText(answer), "error"); return; }
      loadOrder(answer.data);
    });
  }

  function fastLane(code) {
    return api(config.urls.fast_lane, {wave: state.wave, scan: code}).then(function (answer) {
      if (!answer.ok) {
        if (answer.status === 409) blockingError(problemText(answer));
        else { sound("error"); say(problemText(answer), "error"); }
        return;
      }
      loadOrder(answer.data);
    });
  }

  function check(code) {
    var order = state.order;
    state.scans.push(code);
    return api(url("check", order.id), {scans: state.scans}).then(function (answer) {
      if (state.order !== order) return;
      if (!answer.ok) {
        var at = state.scans.lastIndexOf(code);               // that scan is not counted
        if (at >= 0) state.scans.splice(at, 1);
        if (answer.status === 409) blockingError(problemText(answer));
        else { sound("error"); say(problemText(answer), "error"); }
        return;
      }
      state.order = answer.data.order;
      state.step = answer.data.step === "close" ? "close" : "verify";
      say(answer.data.prompt || "", "ok");
      sound(state.step === "close" ? "done" : "ok");
    });
  }

  function close() {
    if (state.step !== "close" || !state.order) { sound("error"); say(W.unchecked, "error"); return Promise.resolve(); }
    if (!el.material.value) { sound("error"); say(W.no_material, "error"); return Promise.resolve(); }
    var weight = parseWeight(el.weight.value);
    if (weight === null) { sound("error"); say(el.weight.value ? W.wrong_weight : W.no_weight, "error"); return Promise.resolve(); }
    el.weight.value = weight;
    var order = state.order;
    return api(url("close", order.id), {scans: state.scans, material: el.material.value, weight_kg: weight})
      .then(function (answer) {
        if (!answer.ok) {
          if (answer.status === 409) blockingError(problemText(answer));
          else { sound("error"); say(problemText(answer), "error"); }
          return;
        }
        packed(order, answer.data);
      });
  }

  function packed(order, answer) {
    var parcel = answer.parcel || {};
    var labelUrl = answer.label_url || url("label", order.id);
    state.lastLabel = labelUrl;
    el.done.innerHTML = "";
    el.done.appendChild(node("b", null, W.packed + " " + order.order_no));
    el.done.appendChild(document.createTextNode(" · " + (parcel.logistics_no || "") + " · " + parcel.weight_kg + " kg · "));
    var link = node("a", null, W.open_label);
    link.href = labelUrl;
    link.target = "_blank";
    link.id = "pack-label-link";
    el.done.appendChild(link);
    var listUrl = answer.packing_list_url || null;     // null: the seller's template does not print one
    state.lastPackingList = listUrl;
    if (listUrl) {
      el.done.appendChild(document.createTextNode(" · "));
      var listLink = node("a", null, W.open_list);
      listLink.href = listUrl;
      listLink.target = "_blank";
      listLink.id = "pack-list-link";
      el.done.appendChild(listLink);
    }
    var note = node("div", null, "");
    note.id = "pack-label-note";
    el.done.appendChild(note);
    var listNote = node("div", null, "");
    listNote.id = "pack-list-note";
    el.done.appendChild(listNote);
    el.done.hidden = false;
    sound("done");
    printLabel(labelUrl, note);
    if (listUrl) printPackingList(listUrl, listNote);
    reset(answer.prompt || "");
  }

  /* The packing list is a PDF for the browser to print: always a tab of its own (raw printer ports take
   * label formats only). A second tab from one close needs pop-ups allowed for this site. */
  function printPackingList(listUrl, note) {
    var tab = window.open(listUrl, "_blank");
    note.textContent = tab ? W.list_opened : W.list_blocked;
  }

  function printLabel(labelUrl, note) {
    var printer = el.printer.value;
    if (!printer) {
      var tab = window.open(labelUrl, "_blank");
      note.textContent = tab ? W.label_opened : W.label_blocked;
      return;
    }
    fetch(labelUrl + "?printer=" + encodeURIComponent(printer), {credentials: "same-origin",
                                                                  headers: {"Accept": "application/json"}})
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok) {
          return response.json().then(function (p) { note.textContent = problemText({status: response.status, data: p}); },
                                      function () { note.textContent = response.status + ""; });
        }
        if (type.indexOf("json") >= 0) {
          return response.json().then(function (job) { note.textContent = W.label_sent + " " + (job.printer || printer); });
        }
        return response.blob().then(function (blob) {       // a printer without an address: the file itself
          var tab = window.open(URL.createObjectURL(blob), "_blank");
          note.textContent = tab ? W.label_opened : W.label_blocked;
        });
      }, function () { note.textContent = W.network; });
  }

  function reset(text) {
    state.order = null;
    state.scans = [];
    state.step = state.mode === "fast" && !state.wave ? "wave" : "start";
    el.weight.value = "";
    el.weight.className = "";
    if (text !== undefined) say(text, "ok");
    render();
    focusScan();
  }

  function setMode(mode) {
    state.mode = mode;
    store.setItem("pack.mode", mode);
    reset("");
    if (mode === "fast" && !state.wave) state.step = "wave";
    render();
  }

  function setWeight(text) {
    var w = parseWeight(text);
    if (w === null) { sound("error"); say(W.wrong_weight, "error"); return; }
    el.weight.value = w;
    say(W.weight_set + ": " + w + " kg", "ok");
    render();
  }

  function handleScan(code) {
    if (!code) {                                    // Enter on the empty field: close when ready
      if (state.step === "close") enqueue(close);
      return;
    }
    if (looksLikeWeight(code)) { setWeight(code); return; }
    if (state.step === "wave") {
      state.wave = code.toUpperCase();
      store.setItem("pack.wave", state.wave);
      state.step = "start";
      say(W.wave + " " + state.wave, "ok");
      render();
      return;
    }
    if (state.order && material(code.toUpperCase())) {       // a material's barcode chooses it
      el.material.value = code.toUpperCase();
      say(W.material_set + ": " + code.toUpperCase(), "ok");
      render();
      return;
    }
    if (!state.order) {
      enqueue(function () { return state.mode === "fast" ? fastLane(code) : start(code); });
    } else {
      enqueue(function () { return check(code); });
    }
  }

  // --- events --------------------------------------------------------------------------------------------
  el.scan.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    var code = el.scan.value.trim();
    el.scan.value = "";
    if (!el.alert.hidden) return;
    handleScan(code);
  });

  document.addEventListener("keydown", function (event) {
    if (el.alert.hidden) return;
    event.preventDefault();                         // the alert blocks: only Enter / Escape acknowledge it
    event.stopPropagation();
    if (event.key === "Enter" || event.key === "Escape") dismissAlert();
  }, true);
  el.alertOk.addEventListener("click", dismissAlert);
  el.alert.addEventListener("click", function (event) { if (event.target === el.alert) dismissAlert(); });

  el.weight.addEventListener("input", render);
  el.weight.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    var w = parseWeight(el.weight.value);
    if (w === null) { sound("error"); say(W.wrong_weight, "error"); return; }
    el.weight.value = w;
    render();
    if (state.step === "close") enqueue(close);
    else focusScan();
  });
  el.weight.addEventListener("change", function () {
    var w = parseWeight(el.weight.value);
    if (w !== null) el.weight.value = w;
    render();
  });
  el.material.addEventListener("change", function () { render(); focusScan(); });
  el.printer.addEventListener("change", function () { store.setItem("pack.printer", el.printer.value); focusScan(); });
  el.close.addEventListener("click", function () { enqueue(close); });
  el.reset.addEventListener("click", function () { reset(W.reset_done); });
  el.modeNormal.addEventListener("click", function () { setMode("normal"); focusScan(); });
  el.modeFast.addEventListener("click", function () { setMode("fast"); focusScan(); });
  el.waveChange.addEventListener("click", function () {
    state.wave = "";
    store.removeItem("pack.wave");
    reset("");
  });

  // the scan field keeps the focus, except while another field is being used
  document.addEventListener("click", function (event) {
    var t = event.target;
    if (t.closest && t.closest("input, select, textarea, a, .pack-alert")) return;
    focusScan();
  });
  el.scan.addEventListener("blur", function () {
    setTimeout(function () {
      var a = document.activeElement;
      if (!a || a === document.body) focusScan();
    }, 0);
  });

  var savedPrinter = store.getItem("pack.printer");
  if (savedPrinter && Array.prototype.some.call(el.printer.options, function (o) { return o.value === savedPrinter; })) {
    el.printer.value = savedPrinter;
  }
  state.step = state.mode === "fast" && !state.wave ? "wave" : "start";
  render();
  focusScan();

  window.PackStation = {
    state: function () { return state; },
    parseWeight: parseWeight,
    idle: function () { return chain.then(function () { return true; }); }
  };
})();
