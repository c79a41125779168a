/* The inbound board (/boards/inbound): Socket.IO namespace "/boards", room "inbound".
 *
 * The server renders the first state. Once the room is joined (and after every reconnection) the page reloads
 * the state once, so events sent before joining are not lost; then events move cards between columns
 * (asn.*), update progress (receipt.posted, parcel.received) and counters (the rest), and every event adds a
 * line to the feed. The session cookie signs the socket in (the namespace accepts a session or a token).
 */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("board-config").textContent);
  var words = config.words;
  var COLUMNS = ["submitted", "arrived", "receiving", "received"];
  var live = document.getElementById("live");
  var feed = document.getElementById("feed");
  var timeFormat;
  try {
    timeFormat = new Intl.DateTimeFormat("en-GB", {timeZone: config.timezone, month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false});
  } catch (e) {
    timeFormat = new Intl.DateTimeFormat("en-GB", {month: "2-digit", day: "2-digit", hour: "2-digit",
      minute: "2-digit", second: "2-digit", hour12: false});
  }

  function now() {            // "MM-DD HH:MM:SS" in the warehouse's time zone, like the server's lines
    var parts = {};
    timeFormat.formatToParts(new Date()).forEach(function (p) { parts[p.type] = p.value; });
    return parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute + ":" + parts.second;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // --- connection state ------------------------------------------------------------------------------------

  function setLive(state) {
    live.className = "live " + (state === "live" ? "on" : state === "offline" ? "off" : "connecting");
    live.setAttribute("data-state", state);
    live.querySelector("span").textContent = state === "live" ? words.live
      : state === "offline" ? words.offline : words.connecting;
  }

  // --- cards -----------------------------------------------------------------------------------------------

  function column(status) {
    return document.querySelector('.column[data-column="' + status + '"]');
  }

  function progress(a) {
    return a.mode === "parcel" ? [a.parcels_received || 0, a.parcels || 0] : [a.received_qty || 0, a.expected_qty || 0];
  }

  function renderCard(a) {
    var card = el("a", "asn-card" + (a.mode === "parcel" ? " parcel" : ""));
    card.href = config.asn_url + a.id;
    card.setAttribute("data-id", a.id);
    card.setAttribute("data-number", a.number);
    card.setAttribute("data-status", a.status);
    var head = el("span", "asn-head");
    head.appendChild(el("b", "asn-number", a.number));
    head.appendChild(el("span", "asn-seller", a.seller));
    card.appendChild(head);
    var meta = el("span", "asn-meta");
    if (a.vehicle_no) meta.appendChild(el("span", "asn-vehicle", a.vehicle_no));
    if (a.cartons || a.cartons_arrived) {
      meta.appendChild(el("span", "asn-cartons", (a.status === "submitted" ? a.cartons
        : a.cartons_arrived + "/" + a.cartons) + " " + words.cartons));
    }
    card.appendChild(meta);
    var pr = progress(a), done = pr[0], total = pr[1];
    var pct = total ? Math.round(100 * done / total) : 0;
    var box = el("span", "asn-progress" + (a.status === "submitted" || a.status === "arrived" ? " idle" : ""));
    var bar = el("span", "bar"), fill = el("span", "fill" + (total && done > total ? " over" : ""));
    fill.style.width = Math.min(pct, 100) + "%";
    bar.appendChild(fill);
    box.appendChild(bar);
    var qty = el("span", "asn-qty", done + "/" + total + " " + (a.mode === "parcel" ? words.parcels : words.units));
    if (a.damaged_qty) {
      qty.appendChild(document.createTextNode(" · "));
      qty.appendChild(el("span", "asn-damaged", words.damaged + " " + a.damaged_qty));
    }
    box.appendChild(qty);
    card.appendChild(box);
    return card;
  }

  function count() {
    COLUMNS.forEach(function (status) {
      var col = column(status);
      col.querySelector(".count").textContent = col.querySelectorAll(".asn-card").length;
    });
  }

  function placeCard(a, flash) {
    var old = document.querySelector('.asn-card[data-id="' + a.id + '"]');
    var col = column(a.status);
    if (!col) {                                // closed, cancelled, back to draft: off the board
      if (old) old.remove();
      count();
      return;
    }
    var card = renderCard(a);
    if (flash) card.classList.add("moved");
    if (old && old.parentNode === col.querySelector(".cards")) {
      old.replaceWith(card);
    } else {
      if (old) old.remove();
      var cards = col.querySelector(".cards"), after = null;
      Array.prototype.forEach.call(cards.children, function (c) {   // keep the columns in id order
        if (after === null && Number(c.getAttribute("data-id")) > a.id) after = c;
      });
      cards.insertBefore(card, after);
    }
    count();
  }

  function renderColumns(columns) {
    COLUMNS.forEach(function (status) {
      var cards = column(status).querySelector(".cards");
      cards.textContent = "";
      (columns[status] || []).forEach(function (a) { cards.appendChild(renderCard(a)); });
    });
    count();
  }

  // --- counters --------------------------------------------------------------------------------------------

  function setCounters(values) {
    Object.keys(values).forEach(function (key) {
      var box = document.querySelector('.counter[data-counter="' + key + '"]');
      if (!box) return;
      var b = box.querySelector("b"), text = Number(values[key]).toLocaleString("en");
      if (b.textContent !== text) {
        b.textContent = text;
        box.classList.remove("changed");
        void box.offsetWidth;                   // restart the highlight
        box.classList.add("changed");
      }
    });
  }

  var pending = null, cardEvents = 0;
  function reload() {                         // the whole state from the database, once things settle
    if (pending) clearTimeout(pending);
    pending = setTimeout(function () {
      pending = null;
      var seen = cardEvents;
      fetch(config.state_url, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) {
          if (!state) return;
          if (seen !== cardEvents) {          // a card moved while asking: this answer may be older than it
            reload();
            return;
          }
          renderColumns(state.columns);
          setCounters(state.counters);
        })
        .catch(function () { /* the next event or reconnection tries again */ });
    }, 150);
  }

  // --- feed ------------------------------------------------------------------------------------------------

  function fill(template, payload) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      var v = payload[key];
      if (v === undefined || v === null || v === "") return "—";
      if (typeof v === "string" && Object.prototype.hasOwnProperty.call(config.values, v)) return config.values[v];
      return String(v);
    });
  }

  function addFeed(name, payload) {
    var key = name;
    if (name === "receipt.posted" && payload.condition === "damaged") key = "receipt.posted.damaged";
    if (config.texts[name + "." + payload.mode]) key = name + "." + payload.mode;   // parcel forecasts
    var template = config.texts[key] || (name.indexOf("disposal.") === 0 ? config.texts.disposal : config.texts.event);
    var values = Object.assign({name: name, status: name.split(".").pop()}, payload);
    if (name === "goods.held") values.count = (payload.lines || []).length;
    var item = el("li", "new");
    item.setAttribute("data-event", name);
    item.appendChild(el("time", null, now()));
    item.appendChild(el("span", null, fill(template, values)));
    var empty = feed.querySelector("li.empty");
    if (empty) empty.remove();
    feed.insertBefore(item, feed.firstChild);
    while (feed.children.length > config.feed_size) feed.removeChild(feed.lastChild);
  }

  // --- events ----------------------------------------------------------------------------------------------

  function onEvent(name, payload) {
    payload = payload || {};
    addFeed(name, payload);
    if (name.indexOf("asn.") === 0 || name === "receipt.posted" || name === "parcel.received") {
      cardEvents += 1;
      if (payload.id !== undefined) placeCard(payload, name.indexOf("asn.") === 0);
      if (name === "asn.received") reload();   // finishing a forecast drafts its temp-storage declaration
    } else if (name === "putaway.backlog") {
      setCounters({putaway_tasks: payload.open_tasks, putaway_units: payload.units});
    } else {
      reload();                               // declarations, holds, QC, disposals: counted by the server
    }
  }

  if (typeof io !== "function") {
    setLive("offline");
    return;
  }
  var socket = io(config.namespace, {withCredentials: true});
  window.inboundBoard = {socket: socket};
  setLive("connecting");
  socket.on("connect", function () {
    socket.emit("join", {room: config.room}, function (answer) {
      if (answer && answer.ok) {
        setLive("live");
        reload();                             // what happened between rendering (or a disconnection) and now
      } else {
        setLive("offline");
      }
    });
  });
  socket.on("disconnect", function () { setLive("offline"); });
  socket.on("connect_error", function () { setLive("offline"); });
  socket.onAny(onEvent);
})();
