// newsfold: a little behaviour on server-rendered pages. Everything works without it.
"use strict";

(function () {
  // Filters that apply as soon as they change.
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () {
      if (el.form) el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    });
  });

  // "/" focuses the search box, as on many sites.
  document.addEventListener("keydown", function (ev) {
    var tag = (ev.target && ev.target.tagName) || "";
    if (ev.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(tag)) {
      var box = document.getElementById("global-search");
      if (box) { ev.preventDefault(); box.focus(); }
    }
  });

  // Article page: show or hide each kind of highlighted fact.
  var text = document.getElementById("article-text");
  document.querySelectorAll("[data-toggle-kind]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (text) text.classList.toggle("hide-" + box.getAttribute("data-toggle-kind"), !box.checked);
    });
  });

  // Pages stay open all day: say when the store has changed underneath.
  var body = document.body;
  var seen = body.getAttribute("data-generation");
  var banner = document.getElementById("stale");
  var reload = document.getElementById("stale-reload");
  if (seen === null) return;
  if (reload) reload.addEventListener("click", function (ev) { ev.preventDefault(); location.reload(); });
  function check() {
    if (document.hidden || !banner || !window.fetch) return;
    fetch("/api/stats", { headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && String(data.generation) !== seen) banner.hidden = false;
      })
      .catch(function () { /* the server may be restarting; try again later */ });
  }
  setInterval(check, 60000);
  document.addEventListener("visibilitychange", check);
})();
