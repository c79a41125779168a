/* Offline-tolerant scans. Every stock-changing scan is stored FIRST, in IndexedDB, as an event
   {id (client-made UUID), device, user, ts, task, method, path, body, summary}, and only then POSTed with
   "Idempotency-Key: <id>" and "X-Device". The server stores the first answer under that key, so sending an
   event any number of times applies it at most once.

   Outcome of one send:
     2xx (or a stored answer replayed by the server) ............ done: removed from the queue
     no answer (Wi-Fi gone, timeout, server down), 408/429/5xx ... stays queued (attempts + 1)
     401 ......................................................... stays queued; onAuthNeeded() asks for a new sign-in
     other 4xx on the first, live send ........................... removed; answered to the operator on screen
     (IndexedDB write failed and no answer either: "unsaved", the operator is told to scan again)
     other 4xx on a replay ....................................... removed AND kept in the local "refused" list;
                                                                     the server records it for supervisors
                                                                     (replays carry X-Scan-Queued-At)
   Replays run on `online`, on load, every 15 s and from "sync now", oldest first, one at a time, only for
   the signed-in user's events (a token must never replay someone else's scans). No Background Sync: it
   does not exist in Android WebView. Plain ES5. */
(function (global) {
  "use strict";

  var DB_NAME = "bonded-wms-pda";
  var DB_VERSION = 1;
  var EVENTS = "events";
  var REFUSED = "refused";

  // ------------------------------------------------------------------ storage: IndexedDB, else localStorage

  var dbPromise = null;

  function openDb() {
    if (dbPromise) { return dbPromise; }
    dbPromise = new Promise(function (resolve, reject) {
      var idb = global.indexedDB || global.webkitIndexedDB;
      if (!idb) { reject(new Error("no IndexedDB")); return; }
      var req;
      try { req = idb.open(DB_NAME, DB_VERSION); } catch (e) { reject(e); return; }
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains(EVENTS)) { db.createObjectStore(EVENTS, { keyPath: "id" }); }
        if (!db.objectStoreNames.contains(REFUSED)) { db.createObjectStore(REFUSED, { keyPath: "id" }); }
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error || new Error("IndexedDB open failed")); };
      req.onblocked = function () { reject(new Error("IndexedDB blocked")); };
    });
    return dbPromise;
  }

  function idbCall(store, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result;
        var req = work(tx.objectStore(store));
        if (req) { req.onsuccess = function () { result = req.result; }; }
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error || new Error("IndexedDB error")); };
        tx.onabort = function () { reject(tx.error || new Error("IndexedDB aborted")); };
      });
    });
  }

  var local = {             // the same API on localStorage, for WebViews without IndexedDB
    read: function (store) {
      try { return JSON.parse(global.localStorage.getItem("pda.store." + store) || "{}"); } catch (e) { return {}; }
    },
    write: function (store, map) { global.localStorage.setItem("pda.store." + store, JSON.stringify(map)); }
  };
  var useLocal = false;

  var storage = {
    all: function (store) {
      if (useLocal) {
        var map = local.read(store), list = [];
        for (var k in map) { if (map.hasOwnProperty(k)) { list.push(map[k]); } }
        return Promise.resolve(list);
      }
      return idbCall(store, "readonly", function (os) { return os.getAll ? os.getAll() : null; })
        .then(function (items) {
          if (items) { return items; }
          return new Promise(function (resolve, reject) {     // old WebViews: no getAll(), walk a cursor
            openDb().then(function (db) {
              var list = [], tx = db.transaction(store, "readonly");
              var cursorReq = tx.objectStore(store).openCursor();
              cursorReq.onsuccess = function () {
                var cursor = cursorReq.result;
                if (cursor) { list.push(cursor.value); cursor["continue"](); }
              };
              tx.oncomplete = function () { resolve(list); };
              tx.onerror = function () { reject(tx.error); };
            }, reject);
          });
        });
    },
    put: function (store, item) {
      if (useLocal) { var map = local.read(store); map[item.id] = item; local.write(store, map); return Promise.resolve(); }
      return idbCall(store, "readwrite", function (os) { return os.put(item); });
    },
    del: function (store, id) {
      if (useLocal) { var map = local.read(store); delete map[id]; local.write(store, map); return Promise.resolve(); }
      return idbCall(store, "readwrite", function (os) { return os["delete"](id); });
    }
  };

  var ready = openDb().then(function () { return "indexeddb"; }, function () { useLocal = true; return "localstorage"; });

  // ------------------------------------------------------------------ the queue

  var hooks = {
    api: null,                    // PdaApi
    user: function () { return null; },
    device: function () { return ""; },
    onChange: function () {},     // ({pending, mine, refused})
    onRefused: function () {},    // (item) a replay was refused
    onApplied: function () {},    // (event, answer) a replay went through
    onAuthNeeded: function () {}, // () the token was refused: keep the events, ask for a new sign-in
    onNetwork: function () {}     // (up) whether the last send got an answer
  };
  var inFlight = {};
  var syncing = null;
  var timer = null;
  var lastCounts = { pending: 0, mine: 0, refused: 0 };

  function byTime(a, b) { return a.ts < b.ts ? -1 : (a.ts > b.ts ? 1 : 0); }

  function counts() {
    return Promise.all([storage.all(EVENTS), storage.all(REFUSED)]).then(function (lists) {
      var me = hooks.user(), mine = 0;
      for (var k = 0; k < lists[0].length; k++) { if (lists[0][k].user === me) { mine++; } }
      lastCounts = { pending: lists[0].length, mine: mine, refused: lists[1].length };
      hooks.onChange(lastCounts);
      return lastCounts;
    });
  }

  function send(event, replay, unsaved) {
    inFlight[event.id] = true;
    var headers = { "Idempotency-Key": event.id, "X-Device": event.device };
    if (replay) { headers["X-Scan-Queued-At"] = event.ts; }
    return hooks.api.request(event.method, event.path, event.body, headers).then(function (answer) {
      var status = answer.status;
      var outcome;
      hooks.onNetwork(!answer.network);
      var work;
      if (answer.ok) {
        outcome = "done";
        work = storage.del(EVENTS, event.id);
      } else if (unsaved && (answer.network || status === 408 || status === 429 || status >= 500)) {
        outcome = "unsaved";                     // storage failed and so did the network: nothing kept
        work = Promise.resolve();
      } else if (answer.network || status === 408 || status === 429 || status >= 500) {
        outcome = "queued";
        event.attempts = (event.attempts || 0) + 1;
        event.lastTry = new Date().toISOString();
        event.lastError = answer.network ? (answer.timeout ? "timeout" : "network") : "http " + status;
        work = storage.put(EVENTS, event);
      } else if (status === 401) {
        outcome = unsaved ? "unsaved" : "auth";
        work = Promise.resolve();
      } else if (!replay) {
        outcome = "rejected";                    // the operator is looking at the screen: answer there
        work = storage.del(EVENTS, event.id);
      } else {
        outcome = "refused";
        var item = { id: event.id, event: event, status: status, problem: answer.data || {},
                     at: new Date().toISOString(), replayed: !!answer.replayed };
        work = storage.put(REFUSED, item).then(function () { return storage.del(EVENTS, event.id); })
          .then(function () { hooks.onRefused(item); });
      }
      // A storage error after an answer is not fatal: at worst the event is sent again (same key, same answer).
      return work["catch"](function () {}).then(function () {
        delete inFlight[event.id];
        if (status === 401) { hooks.onAuthNeeded(); }
        if (outcome === "done" && replay) { hooks.onApplied(event, answer); }
        return counts().then(function () {
          return { outcome: outcome, status: status, data: answer.data, replayed: !!answer.replayed, event: event };
        });
      });
    }, function (error) {
      delete inFlight[event.id];
      throw error;
    });
  }

  /* Store the event, then send it live. Resolves {outcome, status, data, event}. */
  function submit(task, method, path, body, summary) {
    var event = {
      id: hooks.api.uuid(), device: hooks.device(), user: hooks.user(), ts: new Date().toISOString(),
      task: task, method: method, path: path, body: body, summary: summary || "", attempts: 0
    };
    inFlight[event.id] = true;                   // a replay running now must not pick this one up
    return ready.then(function () { return storage.put(EVENTS, event); })
      .then(function () { return counts().then(function () { return send(event, false); }); },
            function () { return send(event, false, true); });    // storage full/broken: send it live only
  }

  /* Replay the signed-in user's queued events, oldest first; stop at the first one with no answer. */
  function sync(reason) {
    if (syncing) { return syncing; }
    var summary = { reason: reason || "", sent: 0, done: 0, refused: 0, left: 0, stopped: null };
    if (!hooks.api || !hooks.api.token() || !hooks.user()) {
      summary.stopped = "signed_out";
      return counts().then(function () { return summary; });
    }
    syncing = ready.then(function () { return storage.all(EVENTS); }).then(function (events) {
      var me = hooks.user();
      var mine = events.filter(function (e) { return e.user === me && !inFlight[e.id]; }).sort(byTime);
      var index = 0;
      function next() {
        if (index >= mine.length) { return summary; }
        var event = mine[index++];
        summary.sent++;
        return send(event, true).then(function (r) {
          if (r.outcome === "done") { summary.done++; return next(); }
          if (r.outcome === "refused") { summary.refused++; return next(); }
          summary.stopped = r.outcome;           // queued (no network) or auth: try again later
          return summary;
        });
      }
      return next();
    }).then(function (result) {
      syncing = null;
      return counts().then(function (c) { result.left = c.mine; return result; });
    }, function (error) {
      syncing = null;
      throw error;
    });
    return syncing;
  }

  function start(intervalMs) {
    if (timer) { clearInterval(timer); }
    timer = setInterval(function () { sync("timer"); }, intervalMs || 15000);
    return sync("load");
  }

  function stop() { if (timer) { clearInterval(timer); timer = null; } }

  global.addEventListener("online", function () { sync("online"); });

  global.PdaQueue = {
    init: function (options) {
      for (var k in options) { if (options.hasOwnProperty(k)) { hooks[k] = options[k]; } }
      return ready;
    },
    ready: ready,
    submit: submit,
    sync: sync,
    start: start,
    stop: stop,
    counts: counts,
    lastCounts: function () { return lastCounts; },
    pending: function () { return ready.then(function () { return storage.all(EVENTS); }).then(function (l) { return l.sort(byTime); }); },
    refused: function () { return ready.then(function () { return storage.all(REFUSED); }).then(function (l) { return l.sort(function (a, b) { return a.at < b.at ? 1 : (a.at > b.at ? -1 : 0); }); }); },
    acknowledge: function (id) { return storage.del(REFUSED, id).then(counts); },
    isSyncing: function () { return !!syncing; },
    storageKind: function () { return useLocal ? "localstorage" : "indexeddb"; }
  };
})(window);
