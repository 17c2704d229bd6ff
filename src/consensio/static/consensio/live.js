// Live fragments: every element with data-live="<stream>" subscribes to /ws/live/<stream>/.
// The server sends {target, html, mode}; the fragment is the same markup the page renders.
// On a dropped connection the page reconnects with backoff and reloads the target's
// fragment list from the server, so a screen that was away catches up without a reload.
(function () {
  "use strict";
  function apply(msg) {
    var target = document.getElementById(msg.target);
    if (!target) return;
    var tpl = document.createElement("template");
    tpl.innerHTML = msg.html.trim();
    var node = tpl.content.firstElementChild;
    if (msg.mode === "replace") { target.outerHTML = msg.html; return; }
    if (node && node.id) { var old = document.getElementById(node.id); if (old) { old.replaceWith(node); return; } }
    var empty = target.querySelector(".empty");
    if (empty) empty.remove();
    if (msg.mode === "prepend") target.prepend(tpl.content); else target.append(tpl.content);
  }
  function refresh(stream) {
    // Catch up after a gap: fetch the current page and swap in every live region of this stream.
    fetch(window.location.href, { headers: { "X-Requested-With": "live-catch-up" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll('[data-live="' + stream + '"]').forEach(function (el) {
          var fresh = doc.getElementById(el.id);
          if (fresh) el.replaceWith(fresh);
        });
      });
  }
  function socketUrl(stream) {
    // Same origin as the page (`consensio serve` answers pages and websockets on one port),
    // unless the page names another base, e.g. <html data-live-url="wss://live.example.org">.
    var base = document.documentElement.dataset.liveUrl;
    if (!base) base = (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host;
    return base.replace(/\/+$/, "") + "/ws/live/" + stream + "/";
  }
  function connect(stream, delay, reconnecting) {
    var ws = new WebSocket(socketUrl(stream));
    ws.onopen = function () { delay = 500; if (reconnecting) refresh(stream); document.documentElement.dataset.live = "open"; };
    ws.onmessage = function (e) { apply(JSON.parse(e.data)); };
    ws.onclose = function () {
      document.documentElement.dataset.live = "closed";
      // Jittered backoff: after a server restart a whole floor of screens must not come back
      // (and re-fetch its page) in the same instant.
      var wait = delay * (0.5 + Math.random());
      setTimeout(function () { connect(stream, Math.min(delay * 2, 10000), true); }, wait);
    };
  }
  document.addEventListener("DOMContentLoaded", function () {
    var streams = {};
    document.querySelectorAll("[data-live]").forEach(function (el) { streams[el.dataset.live] = true; });
    Object.keys(streams).forEach(function (s) { connect(s, 500, false); });
  });
})();
