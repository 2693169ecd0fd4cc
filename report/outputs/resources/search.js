// Offline full-text search over window.REPORT_SEARCH (loaded as a script so it works from file://).
(function () {
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  if (!input || !list || !window.REPORT_SEARCH) return;
  var root = input.getAttribute("data-root") || "";
  function normalise(text) { return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }
  var entries = window.REPORT_SEARCH.map(function (e) { return { e: e, hay: normalise(e.title + " " + e.text) }; });
  input.addEventListener("input", function () {
    var terms = normalise(input.value).split(/\s+/).filter(function (t) { return t.length > 1; });
    list.innerHTML = "";
    if (!terms.length) return;
    var hits = entries.filter(function (x) { return terms.every(function (t) { return x.hay.indexOf(t) >= 0; }); }).slice(0, 12);
    if (!hits.length) { var li = document.createElement("li"); li.textContent = input.getAttribute("data-empty"); list.appendChild(li); return; }
    hits.forEach(function (x) {
      var li = document.createElement("li"); var a = document.createElement("a");
      a.href = root + x.e.href; a.textContent = x.e.chapter + " › " + x.e.title;
      li.appendChild(a); list.appendChild(li);
    });
  });
})();
