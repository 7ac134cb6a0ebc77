// Starts the page's Python worker as early as a page can: this is a small classic script,
// parser-blocking and first in <head>, so the worker starts before the main thread is busy
// with the stylesheets and the page (an async script waited for that work).
// assets/calculator/widget.mjs adopts the worker (and whatever it has already said) when it
// runs. Classic and dependency-free on purpose; message names come from calculator/protocol.py
// through data attributes.
(function () {
  "use strict";
  var script = /** @type {(HTMLScriptElement & {pythonWorker?: import("./worker-client.mjs").EarlyWorker}) | null} */ (
    document.currentScript
  );
  if (!script || location.protocol === "file:") return;
  if (script.hasAttribute("data-started")) return; // widget.mjs ran first and started Python itself
  if ((script.getAttribute("data-start") || "immediate") !== "immediate") return; // the widget starts it
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") return; // the widget explains

  var tag = script;
  /** @param {string} name */
  function url(name) {
    return new URL(tag.getAttribute(name) || "", document.baseURI).href;
  }

  var moduleWorkers = false;
  /** @type {WorkerOptions} */
  var options = {
    get type() {
      moduleWorkers = true; // only browsers that support module workers read this
      return /** @type {WorkerType} */ ("module");
    },
  };
  /** @type {{runtimeUrl: string, wheelUrl: string, runtimeBytes: number, snapshot?: {cache: string}}} */
  var boot = {
    runtimeUrl: url("data-runtime-url"),
    wheelUrl: url("data-wheel-url"),
    runtimeBytes: Number(script.getAttribute("data-runtime-bytes")) || 0,
  };
  // The snapshot's cache is named under the site root's path, as the service worker's are.
  var snapshotCache = script.getAttribute("data-snapshot-cache");
  if (snapshotCache) boot.snapshot = { cache: new URL(url("data-site-root")).pathname + ":" + snapshotCache };
  var message = { v: Number(script.getAttribute("data-protocol-version")), id: 0, type: "", params: boot };
  message.type = script.getAttribute("data-boot-message") || "";
  /** @type {Worker} */
  var worker;
  try {
    // The boot request rides in the worker's URL too (after "#boot=", read by worker.mjs): the
    // worker starts on it at once, where the message below reaches it only once this page's
    // main thread is free to hand it over (Chromium).
    var workerUrl = url("data-worker-url") + "#boot=" + encodeURIComponent(JSON.stringify(message));
    // A TrustedScriptURL from the site's policy (assets/site/trusted-types.js, loaded before this script).
    var scriptUrl = /** @type {Window & {gcScriptUrl?: (url: string) => string}} */ (window).gcScriptUrl;
    worker = new Worker(scriptUrl ? scriptUrl(workerUrl) : workerUrl, options);
  } catch (error) {
    return; // the widget tries again, and reports what fails
  }
  if (!moduleWorkers) {
    worker.terminate();
    return;
  }
  performance.mark("gc:worker-start");
  script.setAttribute("data-started", "boot");
  /** @type {{data?: unknown, error?: boolean}[]} */
  var held = [];
  /** @param {MessageEvent} event */
  function hold(event) {
    held.push({ data: event.data });
  }
  /** @param {ErrorEvent} event */
  function holdError(event) {
    event.preventDefault();
    held.push({ error: true });
  }
  worker.addEventListener("message", hold);
  worker.addEventListener("error", holdError);
  worker.postMessage(message);
  script.pythonWorker = {
    worker: worker,
    bootId: 0,
    startedAt: performance.now(),
    /** Hand over: stop holding, and return what the worker said meanwhile. */
    release: function () {
      worker.removeEventListener("message", hold);
      worker.removeEventListener("error", holdError);
      return held;
    },
  };
})();
