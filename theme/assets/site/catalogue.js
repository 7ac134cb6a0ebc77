// The home page's catalogue of guidelines: filter its rows by words in a title or topic and by
// topic. The table is complete without JavaScript; this only hides rows, and says how many show
// (politely, for screen readers). Nothing is stored: a filter lasts for the page.
(function () {
  "use strict";
  var form = /** @type {HTMLFormElement | null} */ (document.querySelector("[data-catalogue-filter]"));
  var table = document.querySelector("[data-catalogue]");
  if (!form || !table) return;
  var words = /** @type {HTMLInputElement} */ (form.elements.namedItem("words"));
  var topic = /** @type {HTMLSelectElement} */ (form.elements.namedItem("topic"));
  var count = /** @type {HTMLElement} */ (form.querySelector("[data-catalogue-count]"));
  var shown = table.getAttribute("data-shown") || "{count} / {total}";
  var rows = /** @type {HTMLElement[]} */ (Array.prototype.slice.call(table.querySelectorAll("[data-catalogue-row]")));

  function filter() {
    var wanted = words.value.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
    var chosen = topic.value;
    var visible = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute("data-words") || "";
      var topics = (row.getAttribute("data-topics") || "").split("|");
      var match =
        wanted.every(function (word) {
          return text.indexOf(word) !== -1;
        }) &&
        (!chosen || topics.indexOf(chosen) !== -1);
      row.hidden = !match;
      if (match) visible += 1;
    });
    count.textContent = shown.replace("{count}", String(visible)).replace("{total}", String(rows.length));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault(); // filtering happens as one types; Enter must not reload the page
  });
  words.addEventListener("input", filter);
  topic.addEventListener("change", filter);
  form.hidden = false;
  // Words typed before the script ran (or restored by the browser on Back) still count.
  if (words.value || topic.value) filter();
})();
