// Material's inline content script, as a file (no 'unsafe-inline' needed): when the URL
// fragment names a content tab, select that tab.
(function () {
  "use strict";
  var target = /** @type {HTMLInputElement | null} */ (document.getElementById(location.hash.slice(1)));
  if (target && target.name) target.checked = target.name.indexOf("__tabbed_") === 0;
})();
