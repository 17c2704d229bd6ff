// The floor's screens, progressively enhanced: forms post with fetch (no reload), the
// person's controls are fetched again whenever a live region changes, and the speaker's
// clock and the "any objection?" window count locally from the times the server stored.
// Without JavaScript every form still works over a plain POST.
(function () {
  "use strict";
  var root, offset = 0, pending = null;

  function say(text, isError) {
    var box = document.getElementById("floor-message");
    if (!box) return;
    box.textContent = text || "";
    box.classList.toggle("error", !!isError);
    box.setAttribute("role", isError ? "alert" : "status");
  }

  function typing() {
    // Someone filling in a field of their controls keeps it: the refresh waits until they leave it.
    var el = document.activeElement, box = document.getElementById("floor-controls");
    return !!(el && box && box.contains(el) && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName));
  }

  function refreshControls() {
    var url = root && root.dataset.controlsUrl;
    if (!url) return;
    if (typing()) { setTimeout(refreshControls, 1000); return; }
    fetch(url, { headers: { "X-Requested-With": "floor" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var old = document.getElementById("floor-controls");
        var tpl = document.createElement("template");
        tpl.innerHTML = html.trim();
        var fresh = tpl.content.querySelector("#floor-controls");
        if (old && fresh) old.replaceWith(fresh);
      });
  }

  function soon() {
    // Several regions arrive for one event: fetch the controls once.
    if (pending) clearTimeout(pending);
    pending = setTimeout(function () { pending = null; refreshControls(); }, 80);
  }

  function submit(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "floor", "Accept": "application/json" }
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; },
                           function () { return { ok: false, body: null, status: r.status }; });
    }).then(function (res) {
      if (res.ok) say(res.body.message, false);
      else say(res.body && res.body.error ? res.body.error.message : root.dataset.msgRefused, true);
      refreshControls();
    }).catch(function () {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      say(root.dataset.msgUnreachable, true);
    });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function mmss(s) { var neg = s < 0; s = Math.abs(s); return (neg ? "-" : "") + Math.floor(s / 60) + ":" + pad(s % 60); }

  function tick() {
    var now = Date.now() + offset;
    document.querySelectorAll("[data-clock]").forEach(function (el) {
      var limit = +el.dataset.limit, used = +el.dataset.used, rest = limit - used;
      if (el.dataset.startedAt) rest -= Math.floor((now - Date.parse(el.dataset.startedAt)) / 1000);
      var out = el.querySelector(".remaining");
      if (out) out.textContent = mmss(rest);
      el.classList.toggle("over", rest < 0);
    });
    document.querySelectorAll("[data-since]").forEach(function (el) {
      var s = Math.max(0, Math.floor((now - Date.parse(el.dataset.since)) / 1000));
      el.dataset.elapsed = String(s);
      var shown = el.parentNode && el.parentNode.querySelector(".elapsed");
      if (shown) shown.textContent = mmss(s);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    root = document.getElementById("floor");
    if (!root) return;
    // Count with the server's clock: the page says what time it was when it was rendered.
    var serverNow = Date.parse(root.dataset.serverNow);
    if (!isNaN(serverNow)) offset = serverNow - Date.now();
    document.addEventListener("submit", function (e) {
      var form = e.target;
      if (!form.matches || !form.matches("form[data-floor-form]")) return;
      e.preventDefault();
      submit(form, e.submitter);
    });
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var added = records[i].addedNodes;
        for (var j = 0; j < added.length; j++) {
          if (added[j].nodeType === 1 && added[j].hasAttribute("data-live")) { soon(); tick(); return; }
        }
      }
    }).observe(root, { childList: true, subtree: true });
    tick();
    setInterval(tick, 250);
  });
})();
