/* The one scan-input layer every PDA screen uses.

   1. Code rules (pure functions, unit-tested in the browser): GS1 check digits, GS1 element strings
      (]C1 / ]d2 / ]Q3 / ]e0 symbology identifiers, ASCII GS, "{GS}" or "<GS>" text separators, "(01)…"
      human-readable form, GS1 Digital Link URLs), UPU S10 check digits, and classify(): every scan gets a
      kind BEFORE any network call — location, lpn, sscc, gtin, parcel, sku (sku-like text), unknown, or
      invalid (a code with a wrong check digit / a broken GS1 string).
   2. ScanLayer: one always-focused <input inputmode="none"> (never readonly: readonly breaks DataWedge IME
      injection). Keystrokes are buffered until Enter/Tab, or until a short idle gap after a fast burst
      (scanners type a character every few ms; people do not). IME insertText and paste go through the
      same buffer; altKey is ignored (MC3300x firmware sets it on every scanner key); Ctrl+] (how keyboard
      wedges send GS) becomes ASCII GS. The same value again within ~300 ms is dropped (intent + keystroke
      output both on). Each step declares the kinds it accepts; a wrong kind gives the error signal and
      fills nothing.
   Plain ES5: old PDA WebViews run this file. */
(function (global) {
  "use strict";

  var GS = "\u001d";

  // ------------------------------------------------------------------ code rules

  /* Full-width ASCII (a Chinese IME's 全角 forms) folded to ASCII; the ideographic space too. */
  function foldWidth(value) {
    var out = "";
    for (var i = 0; i < value.length; i++) {
      var c = value.charCodeAt(i);
      if (c >= 0xFF01 && c <= 0xFF5E) { out += String.fromCharCode(c - 0xFEE0); }
      else if (c === 0x3000) { out += " "; }
      else { out += value.charAt(i); }
    }
    return out;
  }

  /* GS1 mod-10 check digit of the digits before it (GTIN-8/12/13/14, SSCC, GLN): weights 3,1 from the right. */
  function gs1CheckDigit(body) {
    var total = 0;
    for (var i = 0; i < body.length; i++) {
      var digit = body.charCodeAt(body.length - 1 - i) - 48;
      total += digit * (i % 2 === 0 ? 3 : 1);
    }
    return (10 - total % 10) % 10;
  }

  function hasGs1CheckDigit(code) {
    return /^\d{2,}$/.test(code) && gs1CheckDigit(code.slice(0, -1)) === +code.charAt(code.length - 1);
  }

  function isValidGtin(code) {
    return /^(\d{8}|\d{12,14})$/.test(code) && hasGs1CheckDigit(code);
  }

  function isValidSscc(code) {
    return /^\d{18}$/.test(code) && hasGs1CheckDigit(code);
  }

  /* UPU S10 (international postal items): 2 letters, 8 digits, check digit, country code. */
  function s10CheckDigit(eight) {
    var weights = [8, 6, 4, 2, 3, 5, 9, 7], total = 0;
    for (var i = 0; i < 8; i++) { total += (eight.charCodeAt(i) - 48) * weights[i]; }
    var check = 11 - total % 11;
    return check === 10 ? 0 : (check === 11 ? 5 : check);
  }

  function isValidS10(code) {
    var m = /^[A-Z]{2}(\d{8})(\d)[A-Z]{2}$/.exec(code);
    return !!m && s10CheckDigit(m[1]) === +m[2];
  }

  // GS1 application identifiers: [fixed data length or 0, max length, numeric?, check digit?]
  var AI = {
    "00": [18, 18, true, true], "01": [14, 14, true, true], "02": [14, 14, true, true],
    "10": [0, 20], "11": [6, 6, true], "12": [6, 6, true], "13": [6, 6, true], "15": [6, 6, true],
    "16": [6, 6, true], "17": [6, 6, true], "20": [2, 2, true], "21": [0, 20], "22": [0, 20],
    "30": [0, 8, true], "37": [0, 8, true], "90": [0, 30],
    "235": [0, 28], "240": [0, 30], "241": [0, 30], "250": [0, 30], "251": [0, 30], "253": [0, 30],
    "254": [0, 20], "400": [0, 30], "401": [0, 30], "402": [17, 17, true, true], "403": [0, 30],
    "420": [0, 20], "421": [0, 12], "422": [3, 3, true], "423": [0, 15, true], "424": [3, 3, true],
    "425": [0, 15, true], "426": [3, 3, true], "7003": [10, 10, true], "8020": [0, 25]
  };
  var i;
  for (i = 91; i <= 99; i++) { AI[String(i)] = [0, 90]; }
  for (i = 410; i <= 417; i++) { AI[String(i)] = [13, 13, true, true]; }
  var DATE_AIS = { "11": 1, "12": 1, "13": 1, "15": 1, "16": 1, "17": 1 };

  function aiSpec(ai) {
    if (AI.hasOwnProperty(ai)) { return AI[ai]; }
    if (/^3[1-6]\d\d$/.test(ai)) { return [6, 6, true]; }          // measures, n = decimal places
    if (/^39[0-3]\d$/.test(ai)) { return [0, 18, true]; }          // amounts
    return null;
  }

  function aiAt(text, pos) {
    for (var len = 2; len <= 4; len++) {
      var ai = text.substr(pos, len);
      if (ai.length === len && /^\d+$/.test(ai) && aiSpec(ai)) { return ai; }
    }
    return null;
  }

  /* YYMMDD → ISO date with the GS1 century rule; DD = 00 means the end of the month. */
  function gs1Date(value) {
    var yy = +value.slice(0, 2), mm = +value.slice(2, 4), dd = +value.slice(4, 6);
    if (mm < 1 || mm > 12 || dd > 31) { return null; }
    var now = new Date().getFullYear(), century = Math.floor(now / 100) * 100;
    var diff = yy - now % 100;
    var year = century + yy + (diff >= 51 ? -100 : (diff <= -50 ? 100 : 0));
    var last = new Date(year, mm, 0).getDate();
    if (dd > last) { return null; }
    return year + "-" + (mm < 10 ? "0" : "") + mm + "-" + ((dd || last) < 10 ? "0" : "") + (dd || last);
  }

  function checkField(ai, value, spec) {
    if (!value.length) { return "gs1_bad_length"; }
    if (spec[0] && value.length !== spec[0]) { return "gs1_bad_length"; }
    if (value.length > spec[1]) { return "gs1_bad_length"; }
    if (spec[2] && !/^\d+$/.test(value)) { return "gs1_not_numeric"; }
    if (/[\u0000-\u001f]/.test(value)) { return "gs1_bad_character"; }
    if (spec[3] && !hasGs1CheckDigit(value)) { return "gs1_check_digit"; }
    if (DATE_AIS[ai] && !gs1Date(value)) { return "gs1_bad_date"; }
    return null;
  }

  function gs1Result(fields, order) {
    var out = { ok: true, fields: fields, ais: order };
    if (fields["17"]) { out.expiry = gs1Date(fields["17"]); }
    return out;
  }

  /* A GS1 element string (no symbology identifier) with ASCII GS separators → {ok, fields, ais} or {ok:false, error, ai}. */
  function parseElementString(text) {
    var fields = {}, order = [], pos = 0;
    while (pos < text.length) {
      if (text.charAt(pos) === GS) { pos++; continue; }
      var ai = aiAt(text, pos);
      if (!ai) { return { ok: false, error: "gs1_unknown_ai", at: pos }; }
      var spec = aiSpec(ai), value;
      pos += ai.length;
      if (spec[0]) {
        value = text.substr(pos, spec[0]);
        pos += spec[0];
      } else {
        var end = text.indexOf(GS, pos);
        if (end < 0) { end = text.length; }
        value = text.slice(pos, end);
        pos = end;
      }
      var error = checkField(ai, value, spec);
      if (error) { return { ok: false, error: error, ai: ai }; }
      if (fields.hasOwnProperty(ai)) { return { ok: false, error: "gs1_repeated_ai", ai: ai }; }
      fields[ai] = value; order.push(ai);
    }
    if (!order.length) { return { ok: false, error: "gs1_empty" }; }
    return gs1Result(fields, order);
  }

  /* The human-readable form "(01)09506000134352(10)ABC". */
  function parseBracketed(text) {
    var re = /\((\d{2,4})\)([^(]*)/g, m, fields = {}, order = [], consumed = 0;
    while ((m = re.exec(text)) !== null) {
      if (m.index !== consumed) { return { ok: false, error: "gs1_unknown_ai" }; }
      consumed = re.lastIndex;
      var ai = m[1], spec = aiSpec(ai), value = m[2].replace(/\u001d/g, "");
      if (!spec) { return { ok: false, error: "gs1_unknown_ai", ai: ai }; }
      var error = checkField(ai, value, spec);
      if (error) { return { ok: false, error: error, ai: ai }; }
      if (fields.hasOwnProperty(ai)) { return { ok: false, error: "gs1_repeated_ai", ai: ai }; }
      fields[ai] = value; order.push(ai);
    }
    if (consumed !== text.length || !order.length) { return { ok: false, error: "gs1_unknown_ai" }; }
    return gs1Result(fields, order);
  }

  /* GS1 Digital Link: https://id.gs1.org/01/{gtin}/10/{lot}/21/{serial} (also /00/{sscc}). */
  function parseDigitalLink(text) {
    var m = /^https?:\/\/[^\/]+(?:\/[^\/]*)*?\/(00|01)\/(\d{14,18})((?:\/\d{2,4}\/[^\/?#]+)*)\/?(?:[?#].*)?$/.exec(text);
    if (!m) { return null; }
    var fields = {}, order = [m[1]];
    fields[m[1]] = m[2];
    var rest = m[3].split("/").slice(1);
    for (var k = 0; k + 1 < rest.length; k += 2) {
      var value;
      try { value = decodeURIComponent(rest[k + 1]); } catch (e) { return { ok: false, error: "gs1_bad_character" }; }
      fields[rest[k]] = value; order.push(rest[k]);
    }
    for (var j = 0; j < order.length; j++) {
      var spec = aiSpec(order[j]);
      if (!spec) { return { ok: false, error: "gs1_unknown_ai", ai: order[j] }; }
      var error = checkField(order[j], fields[order[j]], spec);
      if (error) { return { ok: false, error: error, ai: order[j] }; }
    }
    return gs1Result(fields, order);
  }

  var GS1_IDS = /^\](C1|e0|d2|Q3|J1)/;              // symbology identifiers that mean "GS1 data follows"
  var OTHER_IDS = /^\][A-Za-z][0-9A-Za-z]/;          // any other symbology identifier: strip it

  /* Separators as wedges send them: ASCII GS, the text "{GS}" or "<GS>", the ␝ symbol, "^]" … → ASCII GS. */
  function normalizeSeparators(text) {
    return text.replace(/\{GS\}|<GS>|\u241d|\^\]/gi, GS);
  }

  /* Parse any GS1 form; null when the text is not GS1 at all. */
  function parseGs1(raw) {
    var text = normalizeSeparators(foldWidth(String(raw)).replace(/^[\s\r\n]+|[\s\r\n]+$/g, ""));
    var link = /^https?:\/\//i.test(text) ? parseDigitalLink(text) : null;
    if (link) { return link; }
    if (GS1_IDS.test(text)) {
      text = text.slice(3);
      if (text.charAt(0) === "(") { return parseBracketed(text); }
      return parseElementString(text);
    }
    if (/^\(\d{2,4}\)/.test(text)) { return parseBracketed(text); }
    if (text.indexOf(GS) >= 0 && /^\d{2}/.test(text)) { return parseElementString(text); }
    return null;
  }

  // Locations: the shapes of the demo warehouse (A01-01-1-1, TMP-A01, RCV-01, QC-01, DEF-01, PCK-01, DSP-01).
  // Deliberately tighter than "letters-and-dashes": SKUs such as AK-GLS-IP15 must not look like locations.
  // The server can pass other patterns (PDA_LOCATION_PATTERNS) through configure().
  var config = {
    locationPatterns: [/^[A-Z]\d{2}-\d{2}-\d{1,2}-\d{1,2}$/, /^[A-Z]{2,4}-[A-Z]?\d{2,3}$/],
    lpnPattern: /^LPN\d{6,}$/,
    parcelPatterns: [
      { carrier: "upu_s10", re: /^[A-Z]{2}\d{9}[A-Z]{2}$/, check: isValidS10 },
      { carrier: "sf", re: /^SF\d{12,13}$/ },
      { carrier: "yunexpress", re: /^YT\d{16}$/ }
    ],
    skuPattern: /^[A-Za-z0-9][A-Za-z0-9._\-\/+#]{0,39}$/
  };

  function configure(options) {
    options = options || {};
    function regex(p) { return p instanceof RegExp ? p : new RegExp(p); }
    if (options.locationPatterns && options.locationPatterns.length) {
      config.locationPatterns = options.locationPatterns.map(regex);
    }
    if (options.lpnPattern) { config.lpnPattern = regex(options.lpnPattern); }
    return config;
  }

  function fromGs1(parsed, raw, text) {
    var result = { raw: raw, text: text, gs1: true, fields: parsed.fields, ais: parsed.ais };
    if (parsed.expiry) { result.expiry = parsed.expiry; }
    if (parsed.fields["00"]) { result.kind = "sscc"; result.value = parsed.fields["00"]; }
    else if (parsed.fields["01"]) { result.kind = "gtin"; result.value = parsed.fields["01"]; }
    else if (parsed.fields["02"]) { result.kind = "gtin"; result.value = parsed.fields["02"]; }
    else { result.kind = "gs1"; result.value = text; }
    if (parsed.fields["10"]) { result.lot = parsed.fields["10"]; }
    if (parsed.fields["21"]) { result.serial = parsed.fields["21"]; }
    return result;
  }

  /* What a scan is, from its pattern alone: {kind, value, raw, text, …}. */
  function classify(raw) {
    raw = raw == null ? "" : String(raw);
    var text = normalizeSeparators(foldWidth(raw)).replace(/^[\s\r\n\t]+|[\s\r\n\t]+$/g, "");
    var result = { raw: raw, text: text, kind: "unknown", value: text };
    if (!text) { result.kind = "empty"; return result; }
    var gs1 = parseGs1(text);
    if (gs1) {
      if (!gs1.ok) { result.kind = "invalid"; result.error = gs1.error; result.ai = gs1.ai; return result; }
      return fromGs1(gs1, raw, text);
    }
    if (OTHER_IDS.test(text)) { text = text.slice(3); result.text = text; result.value = text; }
    if (/[\u0000-\u001f\u007f]/.test(text)) { result.kind = "invalid"; result.error = "control_character"; return result; }
    var upper = text.toUpperCase();

    if (/^\d+$/.test(text)) {
      if (text.length === 8 || (text.length >= 12 && text.length <= 14)) {
        if (isValidGtin(text)) { result.kind = "gtin"; return result; }
        result.kind = "invalid"; result.error = "check_digit"; return result;
      }
      if (text.length === 18) {
        if (isValidSscc(text)) { result.kind = "sscc"; return result; }
        result.kind = "invalid"; result.error = "check_digit"; return result;
      }
      if (text.length === 20 && text.slice(0, 2) === "00") {      // (00) SSCC without the brackets
        if (isValidSscc(text.slice(2))) { return fromGs1({ fields: { "00": text.slice(2) }, ais: ["00"] }, raw, text); }
        result.kind = "invalid"; result.error = "check_digit"; return result;
      }
      if (text.length > 16 && text.slice(0, 2) === "01") {        // "01…" element string without ]C1
        var plain = parseElementString(text);
        if (plain.ok) { return fromGs1(plain, raw, text); }
      }
      result.kind = "sku";                                           // an internal numeric code or SKU
      return result;
    }
    if (text.length > 16 && /^01\d{14}/.test(text) && isValidGtin(text.substr(2, 14))) {
      var element = parseElementString(text);
      if (element.ok) { return fromGs1(element, raw, text); }
    }
    if (config.lpnPattern.test(upper)) { result.kind = "lpn"; result.value = upper; return result; }
    for (var l = 0; l < config.locationPatterns.length; l++) {
      if (config.locationPatterns[l].test(upper)) { result.kind = "location"; result.value = upper; return result; }
    }
    for (var p = 0; p < config.parcelPatterns.length; p++) {
      var parcel = config.parcelPatterns[p];
      if (parcel.re.test(upper)) {
        result.value = upper; result.carrier = parcel.carrier;
        if (parcel.check && !parcel.check(upper)) { result.kind = "invalid"; result.error = "check_digit"; return result; }
        result.kind = "parcel"; return result;
      }
    }
    if (config.skuPattern.test(text)) { result.kind = "sku"; return result; }
    return result;                                                   // "unknown": free text, URLs, CJK …
  }

  /* Does a step that accepts `kinds` take this scan? "any" takes everything but empty/invalid. */
  function accepts(kinds, result) {
    if (!result || result.kind === "empty" || result.kind === "invalid") { return false; }
    for (var k = 0; k < kinds.length; k++) {
      if (kinds[k] === "any" || kinds[k] === result.kind) { return true; }
    }
    return false;
  }

  // ------------------------------------------------------------------ the input layer

  function now() { return Date.now ? Date.now() : new Date().getTime(); }

  function isOtherField(el, input) {
    if (!el || el === input) { return false; }
    var tag = (el.tagName || "").toUpperCase();
    var field = tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
    // a field on a screen just hidden (the form that was sent) keeps no claim on the scanner's keys
    return field && !!(el.getClientRects && el.getClientRects().length);
  }

  /* options: {idleMs, burstGapMs, dupMs, onReject(result, reason, step), onStepChange(step), promptEl} */
  function ScanLayer(input, options) {
    this.input = input;
    this.options = options || {};
    this.idleMs = this.options.idleMs || 80;
    this.burstGapMs = this.options.burstGapMs || 45;
    this.dupMs = this.options.dupMs || 300;
    this.step = null;
    this.enabled = false;
    this.manual = false;
    this.timer = null;
    this.last = { value: null, at: 0 };
    this.history = [];
    this._reset();
    this._bind();
  }

  ScanLayer.prototype._reset = function () {
    this.count = 0; this.firstAt = 0; this.lastAt = 0; this.burst = false;
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
  };

  ScanLayer.prototype._bind = function () {
    var self = this, input = this.input;
    input.setAttribute("inputmode", "none");
    input.removeAttribute("readonly");
    input.addEventListener("keydown", function (e) { self._keydown(e); });
    input.addEventListener("input", function (e) { self._input(e); });
    input.addEventListener("paste", function (e) { self._paste(e); });
    input.addEventListener("blur", function () {
      setTimeout(function () { self.focus(); }, 60);
    });
    if (input.form) {
      input.form.addEventListener("submit", function (e) { e.preventDefault(); self.flush("submit"); });
    }
    var refocus = function (e) {
      self.last = { value: null, at: 0 };      // a tap between two reads of one code: two scans, not a double read
      if (e && e.target && isOtherField(e.target, input)) { return; }
      setTimeout(function () { self.focus(); }, 0);
    };
    document.addEventListener("click", refocus, true);
    document.addEventListener("touchend", refocus, true);
    // A tapped button must not take the focus away: a scan right after the tap would be typed into it.
    document.addEventListener("mousedown", function (e) {
      if (self.enabled && document.activeElement === input && e.target !== input && !isOtherField(e.target, input)) {
        e.preventDefault();
      }
    }, true);
    // Keys that still land outside the input (focus lost to the page): route them into the layer.
    document.addEventListener("keydown", function (e) {
      if (!self.enabled || e.target === input || isOtherField(e.target, input)) { return; }
      var key = e.key, code = e.keyCode || e.which;
      self.focus();
      if (key === "Enter" || key === "Tab" || code === 13 || code === 9) {
        if (self.input.value) { e.preventDefault(); self.flush("key"); }
      } else if (key && key.length === 1 && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        self._append(key);
      }
    }, true);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) { self.focus(); }
    });
    global.addEventListener("focus", function () { self.focus(); });
    global.addEventListener("pageshow", function () { self.focus(); });
  };

  ScanLayer.prototype.focus = function () {
    if (!this.enabled || document.hidden) { return; }
    if (isOtherField(document.activeElement, this.input)) { return; }
    if (document.activeElement !== this.input) {
      try { this.input.focus({ preventScroll: true }); } catch (e) { this.input.focus(); }
    }
  };

  ScanLayer.prototype._keydown = function (e) {
    var key = e.key, code = e.keyCode || e.which;
    if (key === "Enter" || key === "Tab" || code === 13 || code === 9) {
      e.preventDefault();
      this.flush("key");
      return;
    }
    if (e.ctrlKey && !e.altKey && (key === "]" || code === 221)) {     // GS from a keyboard wedge
      e.preventDefault();
      this._append(GS);
      return;
    }
    if (e.altKey && !e.ctrlKey && !e.metaKey && key && key.length === 1) {
      e.preventDefault();                                           // Alt-flagged scanner keys: keep the char
      this._append(key);
    }
  };

  ScanLayer.prototype._append = function (text) {
    this.input.value += text;
    this._note(text.length);
  };

  ScanLayer.prototype._input = function (e) {
    var data = e && e.data;
    var type = (e && e.inputType) || "";
    if (/\r|\n/.test(this.input.value)) {                           // an IME that commits a line break
      this.flush("input");
      return;
    }
    if (!this.input.value) { this._reset(); return; }
    this._note(data ? data.length : 1, type);
  };

  ScanLayer.prototype._paste = function (e) {
    var data = e.clipboardData || global.clipboardData;
    var text = data && data.getData ? data.getData("text") : null;
    if (text == null) { return; }                                   // let the browser paste; input handles it
    e.preventDefault();
    var lines = text.split(/[\r\n]+/);
    var pending = this.input.value;
    this.input.value = "";
    this._reset();
    for (var k = 0; k < lines.length; k++) {
      var line = (k === 0 ? pending : "") + lines[k];
      if (line.replace(/\s+/g, "")) { this.handle(line, "paste"); }
    }
  };

  /* Timing: n characters arrived now. Fast bursts (scanner, IME commit, injection) end on a short idle gap;
     slow typing (manual entry) waits for Enter. */
  ScanLayer.prototype._note = function (n, type) {
    var t = now(), self = this;
    if (!this.count) { this.firstAt = t; }
    this.count += n;
    this.lastAt = t;
    if (n > 1 || type === "insertFromPaste" || type === "insertReplacementText" || type === "insertCompositionText") {
      this.burst = true;
    } else if (this.count >= 2) {
      this.burst = (t - this.firstAt) / (this.count - 1) <= this.burstGapMs;
    }
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    if (this.burst && !this.manual) {
      var gap = this.count > 1 ? (t - this.firstAt) / (this.count - 1) : 0;
      var idle = Math.max(this.idleMs, Math.round(gap * 3));
      this.timer = setTimeout(function () { self.timer = null; self.flush("idle"); }, idle);
    }
  };

  ScanLayer.prototype.flush = function (source) {
    var value = this.input.value;
    this.input.value = "";
    this._reset();
    if (this.manual) { this.setManual(false); }
    if (!value || !value.replace(/\s+/g, "")) { return; }
    this.handle(value, source || "key");
  };

  /* Every scan, whatever its source (keyboard wedge, IME, paste, camera, JS bridge), ends here. */
  ScanLayer.prototype.handle = function (raw, source) {
    var result = classify(raw);
    result.source = source || "inject";
    var t = now();
    if (result.text === this.last.value && t - this.last.at < this.dupMs) {
      this.last.at = t;
      this.history.push({ text: result.text, kind: "duplicate", at: t });
      if (global.PdaFeedback) { global.PdaFeedback.dup(); }
      return { dropped: true, result: result };
    }
    this.last = { value: result.text, at: t };
    this.history.push({ text: result.text, kind: result.kind, at: t, source: result.source });
    if (this.history.length > 30) { this.history.shift(); }
    var step = this.step;
    if (!this.enabled || !step) { return { ignored: true, result: result }; }
    if (!accepts(step.accept, result)) {
      var reason = result.kind === "invalid" ? (result.error || "invalid") : "wrong_kind";
      this.reject(result, reason);
      return { rejected: reason, result: result };
    }
    step.onScan(result);
    return { accepted: true, result: result };
  };

  ScanLayer.prototype.reject = function (result, reason) {
    if (global.PdaFeedback) { global.PdaFeedback.error(); }
    if (this.options.onReject) { this.options.onReject(result, reason, this.step); }
  };

  /* step: {name, prompt, accept: [kinds], onScan(result)} */
  ScanLayer.prototype.setStep = function (step) {
    this.step = step;
    this.enabled = !!step;
    this.input.setAttribute("data-step", step ? step.name : "");
    this.input.setAttribute("data-accept", step ? step.accept.join(" ") : "");
    if (this.options.onStepChange) { this.options.onStepChange(step); }
    this._reset();
    this.input.value = "";
    this.focus();
  };

  /* Manual entry: show the soft keyboard for one code, then back to inputmode=none. */
  ScanLayer.prototype.setManual = function (on) {
    this.manual = !!on;
    this.input.setAttribute("inputmode", on ? "text" : "none");
    if (this.options.onManualChange) { this.options.onManualChange(this.manual); }
    if (on) { this.input.blur(); this.focus(); }
  };

  /* For a camera decoder or a future WebView JS bridge (broadcast intents). */
  ScanLayer.prototype.inject = function (raw, source) {
    return this.handle(raw, source || "inject");
  };

  global.PdaScan = {
    GS: GS,
    foldWidth: foldWidth,
    gs1CheckDigit: gs1CheckDigit,
    isValidGtin: isValidGtin,
    isValidSscc: isValidSscc,
    isValidS10: isValidS10,
    s10CheckDigit: s10CheckDigit,
    gs1Date: gs1Date,
    parseGs1: parseGs1,
    parseElementString: parseElementString,
    classify: classify,
    accepts: accepts,
    configure: configure,
    config: config,
    ScanLayer: ScanLayer
  };
})(window);
