// storyline pages work without this script; it only adds conveniences:
// every piece of a cited span is highlighted (CSS :target marks the first), the span is scrolled to
// the middle of the window, and the static index gets a filter box.
(function () {
  "use strict";

  function highlight() {
    var old = document.querySelectorAll("mark.ev.hl");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("hl");
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!/^[A-Za-z0-9-]*ev-\d+-\d+$/.test(id)) return;
    var pieces = document.querySelectorAll('mark.ev[data-ev="' + id + '"]');
    for (var j = 0; j < pieces.length; j++) pieces[j].classList.add("hl");
    var first = document.getElementById(id);
    if (first) first.scrollIntoView({ block: "center" });
  }

  function filter() {
    var box = document.getElementById("filter-box");
    var input = document.getElementById("filter");
    if (!box || !input) return;
    box.hidden = false;
    var rows = document.querySelectorAll("table.stories tbody tr");
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      for (var i = 0; i < rows.length; i++) {
        var terms = rows[i].getAttribute("data-terms") || "";
        var keep = words.every(function (w) { return terms.indexOf(w) !== -1; });
        rows[i].hidden = !keep;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    highlight();
    filter();
    document.documentElement.classList.add("js");
  });
  window.addEventListener("hashchange", highlight);
})();
