/* Scan feedback: one sound, one vibration pattern and one screen flash per outcome (ok, error, duplicate,
   queued offline, info). Android WebViews keep an AudioContext suspended and refuse navigator.vibrate until
   the user has tapped, so the "start shift" tap calls unlock(), which creates/resumes the context inside
   the gesture. Plain ES5: old PDA WebViews run this file. */
(function (global) {
  "use strict";

  var ctx = null;
  var unlocked = false;
  var flashTimer = null;
  var TONES = {
    //        [frequency Hz, duration ms, gap ms after] ... ; wave
    ok:     { wave: "square",   notes: [[1318, 90, 0]] },
    error:  { wave: "sawtooth", notes: [[220, 170, 70], [196, 230, 0]] },
    dup:    { wave: "square",   notes: [[1760, 30, 40], [1760, 30, 0]] },
    queued: { wave: "triangle", notes: [[988, 110, 30], [740, 110, 30], [587, 160, 0]] },
    info:   { wave: "sine",     notes: [[880, 80, 0]] }
  };
  var VIBRATE = { ok: [40], error: [160, 90, 160], dup: [15], queued: [70, 50, 70, 50, 70], info: [25] };
  var FLASH = { ok: "flash-ok", error: "flash-error", queued: "flash-queued", dup: "flash-dup", info: "flash-info" };
  var log = [];          // the last outcomes, newest last (read by tests and the status screen)

  function audioClass() { return global.AudioContext || global.webkitAudioContext || null; }

  /* Call from inside a tap handler: resumes audio and proves vibration works. */
  function unlock() {
    var Ctx = audioClass();
    try {
      if (!ctx && Ctx) { ctx = new Ctx(); }
      if (ctx && ctx.state === "suspended" && ctx.resume) { ctx.resume(); }
      if (ctx) {             // a silent buffer played inside the gesture unlocks old WebKit too
        var buffer = ctx.createBuffer(1, 1, 22050);
        var source = ctx.createBufferSource();
        source.buffer = buffer; source.connect(ctx.destination);
        if (source.start) { source.start(0); } else if (source.noteOn) { source.noteOn(0); }
      }
    } catch (e) { ctx = null; }
    if (navigator.vibrate) { try { navigator.vibrate(1); } catch (e2) { /* not allowed */ } }
    unlocked = true;
  }

  function state() { return ctx ? ctx.state : (unlocked ? "unavailable" : "locked"); }

  function tone(kind) {
    var spec = TONES[kind];
    if (!ctx || !spec) { return; }
    if (ctx.state === "suspended" && ctx.resume) { ctx.resume(); }
    try {
      var t = ctx.currentTime + 0.01;
      for (var i = 0; i < spec.notes.length; i++) {
        var note = spec.notes[i];
        var osc = ctx.createOscillator();
        var gain = ctx.createGain();
        osc.type = spec.wave;
        osc.frequency.value = note[0];
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.linearRampToValueAtTime(0.25, t + 0.008);
        gain.gain.setValueAtTime(0.25, t + note[1] / 1000 - 0.015);
        gain.gain.linearRampToValueAtTime(0.0001, t + note[1] / 1000);
        osc.connect(gain); gain.connect(ctx.destination);
        osc.start(t); osc.stop(t + note[1] / 1000 + 0.02);
        t += (note[1] + note[2]) / 1000;
      }
    } catch (e) { /* audio is a nicety; never break a scan for it */ }
  }

  function flash(kind) {
    var body = document.body;
    var all = [];
    for (var k in FLASH) { if (FLASH.hasOwnProperty(k)) { all.push(FLASH[k]); } }
    for (var j = 0; j < all.length; j++) { body.classList.remove(all[j]); }
    void body.offsetWidth;              // restart the CSS animation
    body.classList.add(FLASH[kind]);
    if (flashTimer) { clearTimeout(flashTimer); }
    flashTimer = setTimeout(function () { body.classList.remove(FLASH[kind]); flashTimer = null; }, 1200);
  }

  function signal(kind) {
    tone(kind);
    if (navigator.vibrate && unlocked) { try { navigator.vibrate(VIBRATE[kind]); } catch (e) { /* ignore */ } }
    if (FLASH[kind] && document.body) { flash(kind); }
    log.push({ kind: kind, at: Date.now() });
    if (log.length > 50) { log.shift(); }
    if (document.body) { document.body.setAttribute("data-feedback", kind); }
  }

  global.PdaFeedback = {
    unlock: unlock,
    state: state,
    isUnlocked: function () { return unlocked; },
    ok: function () { signal("ok"); },
    error: function () { signal("error"); },
    dup: function () { signal("dup"); },
    queued: function () { signal("queued"); },
    info: function () { signal("info"); },
    signal: signal,
    log: log,
    VIBRATE: VIBRATE
  };
})(window);
