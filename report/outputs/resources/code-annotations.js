// Quarto's interactive code annotations (`code-annotations: hover` or `select`): each annotated line has a
// button; the note (from the hidden list below the code) opens beside it and the annotated lines are marked.
(function () {
  var config = { trigger: '%TRIGGER%' };
  var open = null;
  function note(button) {
    var cell = button.getAttribute("data-target-cell");
    var number = button.getAttribute("data-target-annotation");
    return document.querySelector('span[data-code-cell="' + cell + '"][data-code-annotation="' + number + '"]');
  }
  function hide() {
    if (!open) return;
    open.tip.remove();
    open.button.setAttribute("aria-expanded", "false");
    open.button.classList.remove("code-annotation-active");
    document.querySelectorAll(".code-annotation-selected").forEach(function (line) {
      line.classList.remove("code-annotation-selected");
    });
    open = null;
  }
  function show(button) {
    var source = note(button);
    if (!source) return;
    hide();
    var tip = document.createElement("div");
    tip.className = "code-annotation-tip";
    tip.setAttribute("role", "tooltip");
    tip.id = button.getAttribute("data-target-cell") + "-tip-" + button.getAttribute("data-target-annotation");
    tip.innerHTML = source.innerHTML;
    button.setAttribute("aria-describedby", tip.id);
    button.setAttribute("aria-expanded", "true");
    button.classList.add("code-annotation-active");
    button.closest("pre").insertAdjacentElement("afterend", tip);
    (source.getAttribute("data-code-lines") || "").split(",").forEach(function (line) {
      var span = document.getElementById(source.getAttribute("data-code-cell") + "-" + line);
      if (span) span.classList.add("code-annotation-selected");
    });
    open = { button: button, tip: tip };
  }
  document.querySelectorAll("button.code-annotation-anchor").forEach(function (button) {
    button.setAttribute("aria-expanded", "false");
    if (config.trigger === 'click') {
      button.addEventListener("click", function () { open && open.button === button ? hide() : show(button); });
    } else {
      button.addEventListener("mouseenter", function () { show(button); });
      button.addEventListener("focus", function () { show(button); });
      button.addEventListener("mouseleave", hide);
      button.addEventListener("blur", hide);
    }
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") hide(); });
})();
