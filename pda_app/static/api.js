/* The PDA's HTTP client. XMLHttpRequest (with a timeout) rather than fetch: it exists in every WebView a
   PDA may have and a hung request on flaky warehouse Wi-Fi must end. The promise never rejects: it
   resolves {status, ok, data, replayed} for an answer, {status: 0, network: true} when there is none. */
(function (global) {
  "use strict";

  var state = { token: null, lang: "zh-CN", device: "" };

  function request(method, path, body, headers, timeoutMs) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      var done = false;
      function finish(value) { if (!done) { done = true; resolve(value); } }
      try {
        xhr.open(method, path, true);
      } catch (e) {
        finish({ status: 0, network: true, ok: false, data: null });
        return;
      }
      xhr.timeout = timeoutMs || 12000;
      var all = { "Accept": "application/json, application/problem+json", "Accept-Language": state.lang };
      if (state.token) { all.Authorization = "Bearer " + state.token; }
      if (state.device) { all["X-Device"] = state.device; }
      if (body !== undefined && body !== null) { all["Content-Type"] = "application/json"; }
      var name;
      if (headers) {
        for (name in headers) { if (headers.hasOwnProperty(name)) { all[name] = headers[name]; } }
      }
      for (name in all) {
        if (all.hasOwnProperty(name) && all[name] != null && all[name] !== "") { xhr.setRequestHeader(name, all[name]); }
      }
      xhr.onload = function () {
        var data = null;
        if (xhr.responseText) {
          try { data = JSON.parse(xhr.responseText); } catch (e) { data = { detail: xhr.responseText.slice(0, 300) }; }
        }
        if (!xhr.status) { finish({ status: 0, network: true, ok: false, data: null }); return; }
        finish({
          status: xhr.status, ok: xhr.status >= 200 && xhr.status < 300, data: data,
          replayed: xhr.getResponseHeader("Idempotent-Replayed") === "true"
        });
      };
      xhr.onerror = function () { finish({ status: 0, network: true, ok: false, data: null }); };
      xhr.ontimeout = function () { finish({ status: 0, network: true, timeout: true, ok: false, data: null }); };
      xhr.onabort = function () { finish({ status: 0, network: true, ok: false, data: null }); };
      xhr.send(body !== undefined && body !== null ? JSON.stringify(body) : null);
    });
  }

  /* RFC 4122 v4 id from crypto.getRandomValues (crypto.randomUUID needs HTTPS; PDAs may use plain HTTP). */
  function uuid() {
    var bytes = new Array(16), k;
    var cryptoObj = global.crypto || global.msCrypto;
    if (cryptoObj && cryptoObj.getRandomValues) {
      var arr = new Uint8Array(16);
      cryptoObj.getRandomValues(arr);
      for (k = 0; k < 16; k++) { bytes[k] = arr[k]; }
    } else {
      for (k = 0; k < 16; k++) { bytes[k] = Math.floor(Math.random() * 256); }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = "";
    for (k = 0; k < 16; k++) {
      hex += (bytes[k] < 16 ? "0" : "") + bytes[k].toString(16);
      if (k === 3 || k === 5 || k === 7 || k === 9) { hex += "-"; }
    }
    return hex;
  }

  global.PdaApi = {
    request: request,
    uuid: uuid,
    setToken: function (token) { state.token = token || null; },
    token: function () { return state.token; },
    setLang: function (lang) { state.lang = lang; },
    setDevice: function (device) { state.device = device || ""; }
  };
})(window);
