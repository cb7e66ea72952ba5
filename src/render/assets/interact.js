// news-enricher view: click (or Enter on) a name or a row of the entity table to mark every
// mention of that entity in its article; a row also scrolls to the first mention. A quote in
// the list scrolls to it in the text, and a quote in the text marks its list entry.
(function () {
  "use strict";
  function clear(sec, cls) {
    sec.querySelectorAll("." + cls).forEach(function (e) { e.classList.remove(cls); });
  }
  function flash(el) {
    el.classList.add("flash");
    setTimeout(function () { el.classList.remove("flash"); }, 1500);
  }
  function focusEntity(sec, id, scroll) {
    clear(sec, "focus");
    var sel = '[data-entity="' + CSS.escape(id) + '"]';
    sec.querySelectorAll("mark" + sel + ", tr" + sel).forEach(function (e) {
      e.classList.add("focus");
    });
    var first = sec.querySelector("mark" + sel);
    if (scroll && first) first.scrollIntoView({ block: "center", behavior: "smooth" });
  }
  document.addEventListener("click", function (ev) {
    var t = ev.target.closest("[data-entity], [data-quote]");
    var sec = t && t.closest("section.article");
    if (!sec) return;
    if (t.dataset.entity) {
      focusEntity(sec, t.dataset.entity, t.tagName === "TR");
      return;
    }
    var sel = '[data-quote="' + CSS.escape(t.dataset.quote) + '"]';
    var target = sec.querySelector(t.tagName === "LI" ? ".quote" + sel : "li" + sel);
    if (!target) return;
    if (t.tagName === "LI") target.scrollIntoView({ block: "center", behavior: "smooth" });
    else target.scrollIntoView({ block: "nearest" });
    flash(target);
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && ev.target.matches("tr[data-entity], li[data-quote]")) {
      ev.target.click();
    }
  });
})();
