// Quarto's code-copy: a button after each code block copies its code (report.outputs.html_reading).
(function () {
  function codeText(button) {
    var code = button.parentElement.querySelector("pre code");
    var copy = code.cloneNode(true);
    copy.querySelectorAll(".code-annotation-anchor").forEach(function (anchor) { anchor.remove(); });
    return copy.textContent;
  }
  function fallbackCopy(text) {  // file:// pages may have no navigator.clipboard
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
    return Promise.resolve();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".code-copy-button") : null;
    if (!button) return;
    var text = codeText(button);
    var copied = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); })
      : fallbackCopy(text);
    copied.then(function () {
      var label = button.getAttribute("aria-label");
      button.classList.add("code-copy-button-checked");
      button.setAttribute("aria-label", button.getAttribute("data-copied"));
      button.setAttribute("title", button.getAttribute("data-copied"));
      setTimeout(function () {
        button.classList.remove("code-copy-button-checked");
        button.setAttribute("aria-label", label);
        button.setAttribute("title", label);
      }, 1500);
    });
  });
})();
