// Classic (non-module) script, deliberately old-fashioned JavaScript: it runs where the
// module widget cannot (old browsers, pages opened from file://) and replaces a silent
// "starting" with an explanation. It does nothing once widget.mjs has started.
(function () {
  "use strict";
  var GRACE_MS = 5000;

  /**
   * @param {Element} root
   * @param {string} selector the message to show
   */
  function explain(root, selector) {
    if (root.getAttribute("data-calculator-state") === "error") return;
    root.setAttribute("data-calculator-state", "error");
    if (selector === "[data-gc-script-missing]") root.setAttribute("data-gc-fallback", "script-missing");
    var status = /** @type {HTMLElement | null} */ (root.querySelector("[data-gc-status]"));
    if (status) status.hidden = true;
    var message = /** @type {HTMLElement | null} */ (root.querySelector(selector));
    if (message) message.hidden = false;
  }

  var roots = document.querySelectorAll("[data-calculator]");
  var modules = "noModule" in document.createElement("script");
  var reason = null;
  if (window.location.protocol === "file:") reason = "[data-gc-needs-server]";
  else if (!modules || typeof WebAssembly !== "object") reason = "[data-gc-unsupported]";

  for (var i = 0; i < roots.length; i++) {
    if (reason) explain(roots[i], reason);
  }
  if (reason) return;
  window.setTimeout(function () {
    for (var j = 0; j < roots.length; j++) {
      if (!roots[j].hasAttribute("data-calculator-started")) explain(roots[j], "[data-gc-script-missing]");
    }
  }, GRACE_MS);
})();
