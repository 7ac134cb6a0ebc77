// Trusted Types (the CSP's `require-trusted-types-for 'script'`): the browser then refuses a
// plain string at a script-URL sink (a worker, the service worker, importScripts) unless a
// policy made it. The first script of every page (theme/main.html), so the policies exist
// before any other script runs. Two policies, both with createScriptURL only (no createHTML,
// no createScript: nothing here writes HTML or code):
// * "guideline-site", for our own sinks, through window.gcScriptUrl;
// * "default", which the browser applies to a plain string: Material's bundle starts its search
//   worker with one (assets/javascripts/workers/guideline-search.js, see theme/main.html).
// Both accept a URL of this site only: same origin, under the site's root, a .js or .mjs file.
// Browsers without Trusted Types (Firefox ESR, Safari) get the URL unchanged.
(function () {
  "use strict";
  var script = /** @type {HTMLScriptElement} */ (document.currentScript);
  var root = new URL("../../", script.src); // this file is assets/site/trusted-types.js

  /**
   * @param {string} url
   * @returns {string}
   */
  function siteScript(url) {
    var parsed = new URL(url, document.baseURI);
    if (parsed.origin !== root.origin || !parsed.pathname.startsWith(root.pathname) || !/\.m?js$/.test(parsed.pathname)) {
      throw new TypeError("Trusted Types: not a script of this site: " + url);
    }
    return parsed.href;
  }

  /** @type {{createPolicy(name: string, rules: {createScriptURL(url: string): string}): {createScriptURL(url: string): unknown}} | undefined} */
  var trustedTypes = /** @type {any} */ (window).trustedTypes;
  var policy = trustedTypes ? trustedTypes.createPolicy("guideline-site", { createScriptURL: siteScript }) : null;
  if (trustedTypes) trustedTypes.createPolicy("default", { createScriptURL: siteScript });

  /**
   * A script URL of this site, for a script-URL sink (new Worker, serviceWorker.register): a
   * TrustedScriptURL where the browser has Trusted Types, which the sinks take as they take a
   * string. Throws for any other URL.
   * @param {string} url
   * @returns {string}
   */
  /** @type {Window & {gcScriptUrl?: (url: string) => string}} */ (window).gcScriptUrl = function (url) {
    return policy ? /** @type {string} */ (policy.createScriptURL(url)) : siteScript(url);
  };
})();
