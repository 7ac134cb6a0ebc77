// Search that does not grow with the library. Material's search worker is started through
// this wrapper (theme/main.html changes only the worker's URL in Material's configuration):
// the index every page loads (search/search_index.json) holds no entries; on the first query
// this wrapper fetches the catalogue's (the site's own pages, and every guideline by title,
// short title and topics), the full index of the guideline being read (<folder>search.json)
// and that of every guideline kept on the device (search/saved.json, answered by the service
// worker; a 404 without one), and only then hands Material's worker the merged index. Offline,
// what the device keeps is searched. Same folder as Material's worker, so its imports resolve.
(function () {
  "use strict";
  var scope = /** @type {DedicatedWorkerGlobalScope} */ (/** @type {unknown} */ (self));
  // In the fragment, not a query: nothing about the page is sent to the server, and the script
  // is one cached file whatever page started it.
  var params = new URLSearchParams(new URL(scope.location.href).hash.slice(1));
  var material = params.get("w") || "";
  var guideline = params.get("g") || "";
  var root = new URL("../../../", scope.location.href);
  // Trusted Types hold in this worker too (its response carries the site's CSP): the page's
  // rule (assets/site/trusted-types.js), a .js or .mjs file of this site only, for this file's
  // importScripts ("guideline-site") and Material's, which pass plain strings ("default": its
  // languages' stemmers).
  /** @param {string} url */
  function siteScript(url) {
    var parsed = new URL(url, scope.location.href);
    if (parsed.origin !== root.origin || !parsed.pathname.startsWith(root.pathname) || !/\.m?js$/.test(parsed.pathname)) {
      throw new TypeError("Trusted Types: not a script of this site: " + url);
    }
    return parsed.href;
  }
  /** @type {{createPolicy(name: string, rules: {createScriptURL(url: string): string}): {createScriptURL(url: string): unknown}} | undefined} */
  var trustedTypes = /** @type {any} */ (scope).trustedTypes;
  var policy = trustedTypes ? trustedTypes.createPolicy("guideline-site", { createScriptURL: siteScript }) : null;
  if (trustedTypes) trustedTypes.createPolicy("default", { createScriptURL: siteScript });
  var urls = ["search/catalogue.json"].concat(guideline ? [guideline + "search.json"] : [], ["search/saved.json"]);
  /**
   * @typedef {{location: string, title: string, text: string}} Doc
   * @typedef {{type: number, data?: any}} SearchMessage Material's: 0 setup, 1 ready, 2 query, 3 result
   */
  /** @type {WeakSet<Event>} */
  var forwarded = new WeakSet();
  /** @type {SearchMessage | null} */
  var setup = null;
  /** @type {Promise<void> | null} */
  var loading = null;
  /** @type {() => void} */
  var materialReady = function () {};
  var swallowReady = false;
  var post = scope.postMessage.bind(scope);

  // Material's worker answers setup with "ready"; the page already had one from this wrapper.
  scope.postMessage = /** @type {typeof scope.postMessage} */ (
    /** @param {SearchMessage} message */
    function (message) {
      if (message && message.type === 1 && swallowReady) {
        swallowReady = false;
        materialReady();
        return;
      }
      post(message);
    }
  );

  /** @param {SearchMessage} data */
  function forward(data) {
    var event = new MessageEvent("message", { data: data });
    forwarded.add(event);
    scope.dispatchEvent(event);
  }

  /**
   * An index's entries; none when it cannot be had (offline and not kept, or no service worker).
   * @param {string} name
   * @returns {Promise<Doc[]>}
   */
  function entries(name) {
    return fetch(new URL(name, root).href, { credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : { docs: [] };
      })
      .then(
        function (/** @type {{docs?: Doc[]}} */ index) {
          return index.docs || [];
        },
        function () {
          return [];
        },
      );
  }

  /** @param {SearchMessage} first */
  function load(first) {
    return Promise.all(urls.map(entries)).then(function (parts) {
      /** @type {Set<string>} */
      var seen = new Set();
      /** @type {Doc[]} */
      var docs = [];
      [first.data.docs || []].concat(parts).forEach(function (part) {
        part.forEach(function (/** @type {Doc} */ doc) {
          if (seen.has(doc.location)) return;
          seen.add(doc.location);
          docs.push(doc);
        });
      });
      return new Promise(function (resolve) {
        materialReady = /** @type {() => void} */ (resolve);
        swallowReady = true;
        forward({ type: 0, data: { config: first.data.config, docs: docs, options: first.data.options } });
      });
    });
  }

  scope.addEventListener("message", function (event) {
    if (forwarded.has(event)) return; // for Material's own listener
    event.stopImmediatePropagation();
    var message = /** @type {SearchMessage} */ (event.data);
    if (message.type === 0) {
      setup = message;
      post({ type: 1 }); // ready at once: the index is put together on the first query
      return;
    }
    if (!loading && message.type === 2 && !String(message.data).trim()) {
      post({ type: 3, data: { items: [] } }); // the empty query Material sends at start
      return;
    }
    if (!loading && setup) loading = load(setup);
    if (loading) {
      loading.then(function () {
        forward(message);
      });
    }
  });

  scope.importScripts(policy ? /** @type {string} */ (policy.createScriptURL(material)) : siteScript(material));
})();
