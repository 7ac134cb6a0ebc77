// Trusted Types (the CSP's `require-trusted-types-for 'script'; trusted-types guideline-site
// guideline-site-parse default`): the browser refuses a plain string at a script-URL sink (a
// worker, the service worker, importScripts) and at an HTML sink (innerHTML, outerHTML,
// insertAdjacentHTML, DOMParser...) unless a policy made it. The CSP names the only policies
// there can be, all created here, by the first script of every page (theme/main.html, after
// assets/site/html-sanitizer.js), so no later script can create one of these names:
// * "guideline-site", createScriptURL only, for our own script-URL sinks (window.gcScriptUrl);
// * "guideline-site-parse", createHTML, private to this file: it only lets DOMParser parse a
//   string into an inert document for the sanitizer below, and is never handed out;
// * "default", which the browser applies to a plain string at a sink: createScriptURL for
//   Material's search worker (a plain string URL), and createHTML for Material's legacy
//   innerHTML (its JSX helper and its search results, see html-sanitizer.js), which returns the
//   string parsed and cleaned by the allowlist sanitizer, never unchanged. No createScript.
// A script URL must be this site's .js or .mjs file (same origin, under the site's root).
// Our own pages never reach the default policy: each of its calls is counted, with the script
// that made it, in window.gcTrustedTypesDefaultCalls (the browser tests read it).
// Browsers without Trusted Types get the URL unchanged and install no policy.
(function () {
  "use strict";
  var script = /** @type {HTMLScriptElement} */ (document.currentScript);
  var root = new URL("../../", script.src); // this file is assets/site/trusted-types.js
  var sanitizer = /** @type {{sanitize(parent: Node, base: string): void}} */ (/** @type {any} */ (window).gcHtmlSanitizer);

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

  /**
   * @typedef {{createScriptURL?(url: string): string, createHTML?(html: string, type?: string, sink?: string): string}} PolicyRules
   * @typedef {{createScriptURL(url: string): unknown, createHTML(html: string): unknown}} Policy
   * @type {{createPolicy(name: string, rules: PolicyRules): Policy} | undefined}
   */
  var trustedTypes = /** @type {any} */ (window).trustedTypes;
  var policy = trustedTypes ? trustedTypes.createPolicy("guideline-site", { createScriptURL: siteScript }) : null;

  if (trustedTypes) {
    var parsing = trustedTypes.createPolicy("guideline-site-parse", {
      createHTML: function (html) {
        return html;
      },
    });
    /** @type {{sink: string, script: string, length: number}[]} */
    var calls = [];
    /** @type {any} */ (window).gcTrustedTypesDefaultCalls = calls;

    /**
     * The string as the allowlist keeps it (parsed in an inert document, cleaned, serialized).
     * @param {string} html
     * @returns {string}
     */
    var clean = function (html) {
      var body = new DOMParser().parseFromString(/** @type {string} */ (parsing.createHTML(html)), "text/html").body;
      sanitizer.sanitize(body, document.baseURI);
      return body.innerHTML;
    };

    trustedTypes.createPolicy("default", {
      createScriptURL: siteScript,
      createHTML: function (html, type, sink) {
        var stack = String(new Error().stack || "");
        var scripts = (stack.match(/https?:\/\/[^\s)]+?\.m?js/g) || []).filter(function (url) {
          return url !== script.src;
        });
        calls.push({ sink: String(sink), script: scripts[0] || "", length: html.length });
        var once = clean(html);
        // Serializing and parsing again must give the same markup; if it does not (a parser
        // quirk that turns inert text into markup), nothing is written.
        return clean(once) === once ? once : "";
      },
    });
  }

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
