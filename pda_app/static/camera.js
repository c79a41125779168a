/* Camera scanning, the fallback for a PDA whose scan engine is broken or a phone without one.
   Decoder: the native BarcodeDetector when getSupportedFormats() lists Code 128 (it exists only on Chrome
   with Google Play services, which Chinese PDAs usually lack), else ZXing-C++ compiled to WebAssembly
   (npm zxing-wasm, self-hosted under /pda/static/vendor/: its default jsDelivr URL is overridden through
   prepareZXingModule({overrides: {locateFile}}), so nothing is fetched from the Internet).
   Every decoded text goes to the shared scan layer (classification, duplicate drop, step check).
   getUserMedia needs a secure context: HTTPS, or http://localhost. Plain ES5 here; the vendored decoder
   script (ES2017) is loaded only when needed. */
(function (global) {
  "use strict";

  var NATIVE_FORMATS = ["code_128", "ean_13", "ean_8", "upc_a", "upc_e", "itf", "code_39", "qr_code", "data_matrix"];
  var ZXING_FORMATS = ["Code128", "EAN13", "EAN8", "UPCA", "UPCE", "ITF", "Code39", "QRCode", "DataMatrix",
                       "DataBar", "DataBarExp"];
  var GS1_IDS = { "]C1": 1, "]e0": 1, "]d2": 1, "]Q3": 1, "]J1": 1 };
  var vendorBase = "/pda/static/vendor/";
  var zxingPromise = null;
  var session = null;

  function configure(options) {
    if (options && options.vendorBase) { vendorBase = options.vendorBase; }
  }

  /* Can this page use the camera at all? {ok, reason: "insecure" | "unsupported"} */
  function availability() {
    if (global.isSecureContext === false) { return { ok: false, reason: "insecure" }; }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return { ok: false, reason: "unsupported" }; }
    return { ok: true };
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement("script");
      el.src = src; el.async = true;
      el.onload = function () { resolve(); };
      el.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(el);
    });
  }

  /* The self-hosted ZXing WebAssembly reader, loaded once. */
  function loadZxing() {
    if (zxingPromise) { return zxingPromise; }
    if (typeof global.WebAssembly !== "object") { return Promise.reject(new Error("no WebAssembly")); }
    var ready = global.ZXingWASM ? Promise.resolve() : loadScript(vendorBase + "zxing-reader.iife.js");
    zxingPromise = ready.then(function () {
      var Z = global.ZXingWASM;
      return Z.prepareZXingModule({
        overrides: {
          locateFile: function (path, prefix) {
            return /\.wasm$/.test(path) ? vendorBase + "zxing_reader.wasm" : prefix + path;
          }
        },
        fireImmediately: true
      }).then(function () { return Z; });
    });
    zxingPromise["catch"](function () { zxingPromise = null; });
    return zxingPromise;
  }

  /* {kind: "native", detector} when BarcodeDetector reads Code 128 here, else {kind: "wasm", zxing}. */
  function decoder(forceWasm) {
    var BD = global.BarcodeDetector;
    var nativeTry = (!forceWasm && BD && BD.getSupportedFormats) ? BD.getSupportedFormats() : Promise.resolve([]);
    return nativeTry.then(function (supported) {
      var formats = NATIVE_FORMATS.filter(function (f) { return supported.indexOf(f) >= 0; });
      if (formats.indexOf("code_128") >= 0) { return { kind: "native", detector: new BD({ formats: formats }) }; }
      return loadZxing().then(function (Z) { return { kind: "wasm", zxing: Z }; });
    }, function () {
      return loadZxing().then(function (Z) { return { kind: "wasm", zxing: Z }; });
    });
  }

  var canvas = null;
  function frame(source) {
    var w = source.videoWidth || source.naturalWidth || source.width;
    var h = source.videoHeight || source.naturalHeight || source.height;
    var scale = Math.min(1, 1280 / Math.max(w, h));
    canvas = canvas || document.createElement("canvas");
    canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
    var c2d = canvas.getContext("2d");
    c2d.drawImage(source, 0, 0, canvas.width, canvas.height);
    return c2d.getImageData(0, 0, canvas.width, canvas.height);
  }

  /* Decode one image/video/canvas → [{text, format, symbology}]; GS1 symbols keep their ]C1-style prefix
     and ASCII GS separators, exactly what a hardware scanner would type. */
  function decode(source, dec) {
    if (dec.kind === "native") {
      return dec.detector.detect(source).then(function (found) {
        return found.map(function (b) { return { text: b.rawValue, format: b.format, symbology: "" }; });
      });
    }
    return dec.zxing.readBarcodes(frame(source), {
      formats: ZXING_FORMATS, tryHarder: true, maxNumberOfSymbols: 1, textMode: "Plain"
    }).then(function (results) {
      return results.filter(function (r) { return r.isValid; }).map(function (r) {
        var id = r.symbologyIdentifier || "";
        return { text: (GS1_IDS[id] ? id : "") + r.text, format: r.format, symbology: id };
      });
    });
  }

  function decodeImage(source, options) {
    return decoder(options && options.forceWasm).then(function (dec) {
      return decode(source, dec).then(function (results) {
        return { decoder: dec.kind, results: results };
      });
    });
  }

  /* Open the full-screen camera view; onText(text) gets the first code read, then the view closes. */
  function open(ui, onText) {
    var can = availability();
    if (!can.ok) { return Promise.reject({ reason: can.reason }); }
    close();
    var overlay = ui.overlay, video = ui.video;
    var current = session = { stopped: false, stream: null };
    overlay.hidden = false;
    if (ui.status) { ui.status.textContent = ui.text("cameraStarting"); }
    return navigator.mediaDevices.getUserMedia({
      audio: false, video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } }
    }).then(function (stream) {
      current.stream = stream;
      if (current.stopped) { close(); return; }
      video.setAttribute("playsinline", "");
      video.muted = true;
      video.srcObject = stream;
      var playing = video.play ? video.play() : null;
      return Promise.resolve(playing).then(function () { return decoder(false); }).then(function (dec) {
        if (ui.status) { ui.status.textContent = ui.text(dec.kind === "native" ? "cameraAimNative" : "cameraAim"); }
        function tick() {
          if (current.stopped) { return; }
          if (!video.videoWidth) { setTimeout(tick, 150); return; }
          decode(video, dec).then(function (results) {
            if (current.stopped) { return; }
            if (results.length) { close(); onText(results[0].text); return; }
            setTimeout(tick, 120);
          }, function () { if (!current.stopped) { setTimeout(tick, 300); } });
        }
        tick();
      });
    })["catch"](function (error) {
      close();
      throw { reason: error && error.name === "NotAllowedError" ? "denied" : "failed", error: error };
    });
  }

  function close() {
    if (!session) { return; }
    session.stopped = true;
    if (session.stream) {
      var tracks = session.stream.getTracks();
      for (var k = 0; k < tracks.length; k++) { tracks[k].stop(); }
    }
    session = null;
    var overlay = document.getElementById("camera");
    if (overlay) { overlay.hidden = true; }
    var video = document.getElementById("camera-video");
    if (video) { try { video.srcObject = null; } catch (e) { /* old WebView */ } }
  }

  global.PdaCamera = {
    configure: configure,
    availability: availability,
    loadZxing: loadZxing,
    decodeImage: decodeImage,
    open: open,
    close: close,
    isOpen: function () { return !!session; }
  };
})(window);
