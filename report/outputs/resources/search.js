// Offline full-text search over window.REPORT_SEARCH (loaded as a script, so it works from file://).
// Dutch-aware matching: case and diacritics are folded ("enquête" = "enquete"), and each query word is cut to
// a stem and matched as a prefix of the words in the text, so "bedreigingen" finds "bedreiging".
(function () {
  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-results");
  if (!input || !panel || !window.REPORT_SEARCH) return;
  var status = panel.querySelector(".search-status");
  var list = panel.querySelector(".search-hits");
  var more = panel.querySelector(".search-more");
  var root = input.getAttribute("data-root") || "";
  var PAGE = 10;
  var CONTEXT = 70; // characters of text shown on either side of the first match

  // Folded text plus, per folded character, its position in the original, to cut snippets from the original.
  function fold(text) {
    var folded = "", origin = [];
    for (var i = 0; i < text.length; i++) {
      var piece = text[i].normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
      for (var j = 0; j < piece.length; j++) { folded += piece[j]; origin.push(i); }
    }
    return { text: folded, origin: origin };
  }
  // A light Dutch stemmer for query words: plural and inflection endings go, so that the stem is a prefix of
  // every form ("gemeenten" -> "gemeent", "burgemeesters" -> "burgemeester", "mogelijkheden" -> "mogelijkheid").
  function stem(word) {
    if (word.length <= 4) return word;
    var rules = [[/heden$/, "heid"], [/'s$/, ""], [/ingen$/, "ing"], [/eren$/, "er"], [/en$/, ""], [/ers$/, "er"],
                 [/s$/, ""], [/e$/, ""]];
    for (var i = 0; i < rules.length; i++) {
      if (rules[i][0].test(word)) {
        var cut = word.replace(rules[i][0], rules[i][1]);
        return cut.length >= 3 ? cut : word;
      }
    }
    return word;
  }
  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  var entries = window.REPORT_SEARCH.map(function (entry) {
    return { entry: entry, title: fold(entry.title), text: fold(entry.text) };
  });

  function matchesOf(pattern, folded) {
    var found = [], match;
    pattern.lastIndex = 0;
    while ((match = pattern.exec(folded.text)) !== null) {
      found.push([match.index + match[1].length, match.index + match[0].length]);
      if (match[0].length === 0) pattern.lastIndex++;
    }
    return found;
  }

  function snippet(entry, folded, ranges) {
    var text = entry.text;
    var fragment = document.createDocumentFragment();
    if (!ranges.length) { fragment.appendChild(document.createTextNode(text.slice(0, 2 * CONTEXT) + (text.length > 2 * CONTEXT ? " …" : ""))); return fragment; }
    var first = folded.origin[ranges[0][0]];
    var from = Math.max(0, first - CONTEXT), to = Math.min(text.length, first + 2 * CONTEXT);
    while (from > 0 && !/\s/.test(text[from - 1])) from--;   // whole words only
    while (to < text.length && !/\s/.test(text[to])) to++;
    if (from > 0) fragment.appendChild(document.createTextNode("… "));
    var cursor = from;
    ranges.forEach(function (range) {
      var start = folded.origin[range[0]], end = folded.origin[range[1] - 1] + 1;
      if (start < cursor || end > to) return;
      fragment.appendChild(document.createTextNode(text.slice(cursor, start)));
      var mark = document.createElement("mark"); mark.textContent = text.slice(start, end);
      fragment.appendChild(mark);
      cursor = end;
    });
    fragment.appendChild(document.createTextNode(text.slice(cursor, to) + (to < text.length ? " …" : "")));
    return fragment;
  }

  function highlight(element, text, folded, ranges) {
    var cursor = 0;
    ranges.forEach(function (range) {
      var start = folded.origin[range[0]], end = folded.origin[range[1] - 1] + 1;
      if (start < cursor) return;
      element.appendChild(document.createTextNode(text.slice(cursor, start)));
      var mark = document.createElement("mark"); mark.textContent = text.slice(start, end); element.appendChild(mark);
      cursor = end;
    });
    element.appendChild(document.createTextNode(text.slice(cursor)));
  }

  var hits = [], shown = 0, query = "";

  function search() {
    query = input.value;
    var words = fold(query).text.split(/[^0-9a-z\u00c0-\u024f]+/).filter(function (w) { return w.length > 1; });
    hits = [];
    shown = 0;
    list.innerHTML = "";
    if (!words.length) { close(); return; }
    // A word matches where a word of the text starts with its stem; the rest of that text word is highlighted too.
    var patterns = words.map(function (w) {
      return new RegExp("(^|[^0-9a-z\u00c0-\u024f])" + escapeRegExp(stem(w)) + "[0-9a-z\u00c0-\u024f]*", "g");
    });
    entries.forEach(function (item, order) {
      var inTitle = [], inText = [], score = 0;
      for (var i = 0; i < patterns.length; i++) {
        var t = matchesOf(patterns[i], item.title), x = matchesOf(patterns[i], item.text);
        if (!t.length && !x.length) return;
        inTitle = inTitle.concat(t); inText = inText.concat(x);
        score += 10 * t.length + Math.min(x.length, 10);
      }
      var byStart = function (a, b) { return a[0] - b[0]; };
      hits.push({ item: item, order: order, score: score, title: inTitle.sort(byStart), text: inText.sort(byStart) });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    panel.classList.add("open");
    status.textContent = hits.length === 0 ? input.getAttribute("data-empty")
      : hits.length === 1 ? input.getAttribute("data-count-one")
      : input.getAttribute("data-count").replace("{n}", hits.length);
    showMore();
  }

  function showMore() {
    var next = hits.slice(shown, shown + PAGE);
    var firstNew = null;
    next.forEach(function (hit) {
      var entry = hit.item.entry;
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = root + entry.href;
      var title = document.createElement("span"); title.className = "search-hit-title";
      highlight(title, entry.title, hit.item.title, hit.title);
      var chapter = document.createElement("span"); chapter.className = "search-hit-chapter"; chapter.textContent = entry.chapter;
      var text = document.createElement("span"); text.className = "search-hit-snippet";
      text.appendChild(snippet(entry, hit.item.text, hit.text));
      a.appendChild(title); a.appendChild(chapter); a.appendChild(text);
      li.appendChild(a); list.appendChild(li);
      if (!firstNew) firstNew = a;
    });
    shown += next.length;
    var left = hits.length - shown;
    more.hidden = left <= 0;
    if (left > 0) {
      more.textContent = input.getAttribute("data-more").replace("{total}", left);
    }
    return firstNew;
  }

  function close() {
    panel.classList.remove("open");
    status.textContent = "";
    more.hidden = true;
  }

  input.addEventListener("input", search);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && input.value) {
      event.stopPropagation(); // the first Escape clears the search, the next one closes the menu
      input.value = ""; list.innerHTML = ""; close();
    }
  });
  more.addEventListener("click", function () {
    var first = showMore();
    if (first) first.focus();
  });
})();
