/* Draws the page's mermaid diagrams (Quarto's <pre class="mermaid mermaid-js">) with mermaid.js, shipped
   beside the page by report (report/outputs/mermaid.py); no network. */
(function () {
  "use strict";
  function draw() {
    if (typeof mermaid === "undefined") { return; }
    var theme = document.querySelector('meta[name="mermaid-theme"]');
    mermaid.initialize(theme ? { startOnLoad: false, theme: theme.content } : { startOnLoad: false });
    mermaid.run({ querySelector: "pre.mermaid-js" });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
