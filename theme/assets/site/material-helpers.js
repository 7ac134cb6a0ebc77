// The helpers Material for MkDocs expects before its bundle runs (it defines them in an
// inline <script>; a file keeps the site working under a CSP without 'unsafe-inline').
//
// Deliberately, nothing is stored on the device: clinic tablets are shared, the
// calculator's answers must never persist, and storage throws in cross-site iframes. So
// __md_get always finds nothing and __md_set writes nothing. Effects: the light/dark
// toggle lasts for the page (the default follows the system setting), and Material's
// remembered announcement/tab choices are not remembered.
/* global globalThis */
(function () {
  "use strict";
  var script = /** @type {HTMLScriptElement | null} */ (document.currentScript);
  var material = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (globalThis));
  // This file is assets/site/material-helpers.js: the site root is two folders up.
  material.__md_scope = new URL("../../", script ? script.src : location.href);
  /** @param {string} text */
  material.__md_hash = function (text) {
    return Array.from(text).reduce(function (hash, character) {
      return (hash << 5) - hash + character.charCodeAt(0);
    }, 0);
  };
  material.__md_get = function () {
    return null;
  };
  material.__md_set = function () {};

  // Opened from disk (file://), directory links such as "../calculator/" would show a folder
  // listing: point them at the folder's index.html, so the site can still be read.
  if (location.protocol === "file:") {
    document.addEventListener("DOMContentLoaded", function () {
      var links = document.querySelectorAll("a[href]");
      for (var i = 0; i < links.length; i++) {
        var href = links[i].getAttribute("href") || "";
        if (/^[a-z]+:/i.test(href) || href.charAt(0) === "#") continue;
        var parts = /** @type {RegExpMatchArray} */ (href.match(/^([^#?]*)(.*)$/)); // matches any text
        if (parts[1] === "" || parts[1].slice(-1) === "/" || parts[1] === "." || parts[1] === "..") {
          var path = parts[1] === "" ? "" : parts[1].replace(/\/?$/, "/");
          links[i].setAttribute("href", path + "index.html" + parts[2]);
        }
      }
    });
  }
})();
