// Quarto's `axe:` option: axe-core checks the page once it has loaded and reports its violations as the options
// (base64 JSON in #quarto-axe-checker-options) ask: `output: console` (the default), `json` or `document`.
(function () {
  "use strict";
  function readOptions() {
    var element = document.getElementById("quarto-axe-checker-options");
    if (!element) return null;
    try {
      var parsed = JSON.parse(atob(element.textContent.trim()));
      return parsed && typeof parsed === "object" ? parsed : {};
    } catch (error) {
      return {};
    }
  }
  function describe(violation) {
    return violation.impact + ": " + violation.help + " (" + violation.id + ") at " +
      violation.nodes.map(function (node) { return node.target.join(" "); }).join(", ");
  }
  function reportOnPage(violations) {
    var report = document.createElement("div");
    report.className = "quarto-axe-report";
    report.setAttribute("role", "region");
    report.setAttribute("aria-label", "Accessibility report");
    if (!violations.length) {
      report.textContent = "axe-core found no accessibility violations.";
    } else {
      var list = document.createElement("ul");
      violations.forEach(function (violation) {
        var item = document.createElement("li");
        item.textContent = describe(violation);
        list.appendChild(item);
      });
      report.appendChild(list);
    }
    (document.querySelector("main") || document.body).appendChild(report);
  }
  function finish() {
    document.body.setAttribute("data-quarto-axe-complete", "true");
  }
  window.addEventListener("load", function () {
    var options = readOptions();
    if (options === null) return;
    if (!window.axe) {
      console.warn("axe: axe-core was not shipped with this page, so no accessibility check ran");
      finish();
      return;
    }
    window.axe.run(document).then(function (result) {
      var output = options.output || "console";
      if (output === "document") {
        reportOnPage(result.violations);
      } else if (output === "json") {
        console.log(JSON.stringify(result.violations, null, 2));
      } else {
        result.violations.forEach(function (violation) { console.warn(describe(violation)); });
      }
    }).catch(function (error) {
      console.error("axe: the accessibility check failed", error);
    }).then(finish);
  });
})();
