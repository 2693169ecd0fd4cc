/* Tabsets (WAI-ARIA tabs pattern) and keyboard shortcuts per platform, for pages made by report.
   No framework and no network: works from file://. */
(function () {
  "use strict";
  function select(tab, focus, synced) {
    var list = tab.closest('[role="tablist"]');
    var tabs = Array.prototype.slice.call(list.querySelectorAll('[role="tab"]'));
    tabs.forEach(function (other) {
      var selected = other === tab;
      other.setAttribute("aria-selected", selected ? "true" : "false");
      other.setAttribute("tabindex", selected ? "0" : "-1");
      other.classList.toggle("active", selected);
      var panel = document.getElementById(other.getAttribute("aria-controls"));
      if (panel) {
        panel.hidden = !selected;
        panel.classList.toggle("active", selected);
      }
    });
    if (focus) { tab.focus(); }
    var tabset = list.closest(".panel-tabset");
    /* The margin notes of the tabs stand before the tabset (Quarto's tabset-margin-container): the shown tab's. */
    var notes = tabset && tabset.previousElementSibling;
    if (notes && notes.classList.contains("tabset-margin-container")) {
      notes.querySelectorAll(".tabset-margin-content").forEach(function (note) {
        note.classList.toggle("collapse", !note.classList.contains(tab.id + "-margin-content"));
      });
    }
    var group = tabset && tabset.getAttribute("data-group");
    if (group && !synced) {  /* Quarto's tabset groups: the same tab in every tabset of the group */
      document.querySelectorAll('.panel-tabset[data-group="' + group + '"]').forEach(function (other) {
        if (other === tabset) { return; }
        other.querySelectorAll('[role="tab"]').forEach(function (candidate) {
          if (candidate.textContent.trim() === tab.textContent.trim()) { select(candidate, false, true); }
        });
      });
    }
  }
  function setUp(list) {
    var tabs = Array.prototype.slice.call(list.querySelectorAll('[role="tab"]'));
    tabs.forEach(function (tab, index) {
      tab.addEventListener("click", function (event) { event.preventDefault(); select(tab, false); });
      tab.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowRight") { next = tabs[(index + 1) % tabs.length]; }
        else if (event.key === "ArrowLeft") { next = tabs[(index - 1 + tabs.length) % tabs.length]; }
        else if (event.key === "Home") { next = tabs[0]; }
        else if (event.key === "End") { next = tabs[tabs.length - 1]; }
        else if (event.key === " " || event.key === "Enter") { event.preventDefault(); select(tab, true); return; }
        if (next) { event.preventDefault(); select(next, true); }
      });
    });
  }
  function platform() {
    var name = (navigator.userAgentData && navigator.userAgentData.platform) || navigator.platform || "";
    if (/mac|iphone|ipad/i.test(name)) { return "mac"; }
    if (/win/i.test(name)) { return "windows"; }
    if (/linux/i.test(name)) { return "linux"; }
    return "";
  }
  function showKeys() {
    var os = platform();
    if (!os) { return; }
    document.querySelectorAll("kbd[data-" + os + "]").forEach(function (key) {
      var text = key.getAttribute("data-" + os);
      key.textContent = text;
      var spoken = key.nextElementSibling;
      if (spoken && spoken.classList.contains("visually-hidden")) { spoken.textContent = text; }
    });
  }
  function followCallout(details) {
    /* A collapsible callout's margin notes stand after it (Quarto's callout-margin-content): shown while it is open. */
    var notes = details.closest(".callout");
    notes = notes && notes.nextElementSibling;
    if (!notes || !notes.classList.contains("column-container")) { return; }
    details.addEventListener("toggle", function () {
      notes.querySelectorAll(".callout-margin-content.callout-collapse").forEach(function (note) {
        note.classList.toggle("show", details.open);
      });
    });
  }
  function start() {
    document.querySelectorAll('.panel-tabset [role="tablist"]').forEach(setUp);
    document.querySelectorAll("details.callout-collapse").forEach(followCallout);
    showKeys();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
