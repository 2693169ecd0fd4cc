// The book's navigation on a page: the menu button (narrow screens), the folding page menu, and a scrollspy
// that marks the section being read in the page menu. Plain DOM and IntersectionObserver, no framework.
(function () {
  var body = document.body;
  var header = document.getElementById("quarto-header");

  function setHeaderOffset() {
    if (header) body.style.setProperty("--header-offset", header.getBoundingClientRect().bottom + "px");
  }

  function disclosure(button, onToggle) {
    if (!button) return;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      onToggle(open);
    });
  }

  var menuButton = document.querySelector(".sidebar-toggle");
  disclosure(menuButton, function (open) {
    setHeaderOffset();
    body.classList.toggle("sidebar-open", open);
  });
  // A link followed from the open menu (a chapter, or a search hit on this page) closes it.
  var sidebar = document.getElementById("quarto-sidebar");
  if (sidebar && menuButton) {
    sidebar.addEventListener("click", function (event) {
      if (event.target.closest("a") && body.classList.contains("sidebar-open")) {
        body.classList.remove("sidebar-open");
        menuButton.setAttribute("aria-expanded", "false");
      }
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && body.classList.contains("sidebar-open")) {
      body.classList.remove("sidebar-open");
      menuButton.setAttribute("aria-expanded", "false");
      menuButton.focus();
    }
  });

  var toc = document.getElementById("quarto-margin-sidebar");
  if (!toc) return;
  disclosure(toc.querySelector(".page-toc-toggle"), function (open) { toc.classList.toggle("open", open); });

  // Scrollspy: the current section is the last one whose heading has passed the upper third of the window.
  var links = Array.prototype.slice.call(toc.querySelectorAll("a[href^='#']"));
  var targets = links.map(function (link) {
    return document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
  });
  var headings = targets.map(function (section) {
    return section ? (section.querySelector("h1, h2, h3, h4, h5, h6") || section) : null;
  });
  var current = -1;
  function update() {
    var line = window.innerHeight / 3;
    var index = -1;
    var atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
    headings.forEach(function (heading, i) {
      var top = heading ? heading.getBoundingClientRect().top : Infinity;
      // At the end of the page the last sections cannot scroll up to the line: the lowest visible one counts.
      if (top <= line || (atEnd && top < window.innerHeight)) index = i;
    });
    if (index === current) return;
    if (current >= 0) { links[current].classList.remove("active"); links[current].removeAttribute("aria-current"); }
    current = index;
    if (current >= 0) { links[current].classList.add("active"); links[current].setAttribute("aria-current", "location"); }
  }
  if ("IntersectionObserver" in window) {
    // The sections, not their headings, are observed against the upper third of the window: whichever way the
    // reader moves (scrolling, a jump to an anchor), some section starts or stops crossing that band.
    var observer = new IntersectionObserver(update, { rootMargin: "0px 0px -66% 0px" });
    targets.forEach(function (section) { if (section) observer.observe(section); });
    var footer = document.querySelector(".page-footer");
    if (footer) new IntersectionObserver(update).observe(footer);
  }
  window.addEventListener("resize", update);
  update();
})();
