// Freshness on the reader's device: a guideline page carries the date its next review is
// due (data-review-due, from guideline.py); once the device's date is past it, the
// "review overdue" note shows. The build shows it already when it ran after that date;
// this covers a site built earlier and read later (offline copies on clinic tablets).
(function () {
  "use strict";
  /** The device's local date as YYYY-MM-DD (the form the guideline's dates are written in). */
  function today() {
    var now = new Date();
    return [now.getFullYear(), now.getMonth() + 1, now.getDate()]
      .map(function (part, index) {
        return String(part).padStart(index ? 2 : 4, "0");
      })
      .join("-");
  }
  var date = today();
  document.querySelectorAll("[data-review-due]").forEach(function (note) {
    var due = note.getAttribute("data-review-due") || "";
    // ISO dates compare as text; due on the day itself is not yet overdue.
    if (due && date > due) /** @type {HTMLElement} */ (note).hidden = false;
  });
})();
