// The serve page: send the form's article to /v1/enrich, then the enriched JSON to
// /v1/render, and show that view under the form. Text from the user or the API reaches the
// page only through textContent or the server's escaped HTML.
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var count = 0;

  function status(text) { $("status").textContent = text; }

  async function post(path, body) {
    var r = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body
    });
    var text = await r.text();
    if (!r.ok) {
      var message = r.status + " " + r.statusText;
      try {
        var e = JSON.parse(text).error;
        message = e.kind + ": " + e.message;
      } catch (_) { /* not our JSON error: keep the status line */ }
      throw new Error(message);
    }
    return text;
  }

  async function loadSample() {
    var r = await fetch("/v1/sample");
    var article = await r.json();
    $("title").value = article.title || "";
    $("body").value = article.body || "";
    status("Sample loaded.");
  }

  async function enrich(ev) {
    ev.preventDefault();
    var button = $("enrich");
    var result = $("result");
    button.disabled = true;
    $("error").textContent = "";
    result.setAttribute("aria-busy", "true");
    status("Enriching…");
    var started = performance.now();
    try {
      count += 1;
      var title = $("title").value;
      var article = { id: "page-" + count, title: title === "" ? null : title, body: $("body").value };
      var enriched = await post("/v1/enrich", JSON.stringify(article));
      var html = await post("/v1/render", enriched);
      var received = performance.now();
      result.innerHTML = html;
      void result.offsetHeight; // style and layout now, so that they count below
      requestAnimationFrame(function () {
        var shown = performance.now();
        result.dataset.renderMs = (shown - received).toFixed(1);
        result.dataset.totalMs = (shown - started).toFixed(1);
        result.dataset.count = String(count);
        result.removeAttribute("aria-busy");
        status("Enriched and shown in " + Math.round(shown - started) + " ms (drawing: " +
          Math.round(shown - received) + " ms).");
      });
      $("json").textContent = JSON.stringify(JSON.parse(enriched), null, 2);
    } catch (e) {
      result.removeAttribute("aria-busy");
      status("");
      $("error").textContent = e.message;
    } finally {
      button.disabled = false;
    }
  }

  $("form").addEventListener("submit", enrich);
  $("sample").addEventListener("click", function () {
    loadSample().catch(function (e) { $("error").textContent = e.message; });
  });
})();
