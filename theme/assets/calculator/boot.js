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

  /**
   * Download and compile Pyodide's WebAssembly (9.6 MB) here, from this script on: a worker
   * starts 50-100 ms later (its script is fetched and parsed first), and compiling is done off
   * this thread either way. The worker gets the module in `runtime` notices (worker.mjs), and
   * meanwhile the bytes downloaded, for its progress line. The response itself is compiled, so
   * the engine reuses its compiled code on the next visit (Chromium). What is counted is a clone,
   * and only on a device known, by the time the file answers, to keep no snapshot of this
   * calculator (`snapshotCache`): a clone splits the body in two, which cost a start from the
   * snapshot 50 ms (Chromium) to 100 ms (Firefox ESR), and a device that kept a snapshot has the
   * runtime's files (the worker then counts nothing either). Nothing waits for that answer: a
   * file that answers first is not counted (it came at once, from a cache or a fast network).
   * Null where the engine cannot compile a stream (the worker then downloads it itself).
   * @param {string} wasmUrl
   * @param {string | undefined} snapshotCache
   */
  function compileRuntime(wasmUrl, snapshotCache) {
    if (typeof WebAssembly.compileStreaming !== "function" || typeof ReadableStream !== "function") return null;
    var loaded = 0;
    var done = false;
    /** @type {((loaded: number) => void) | null} */
    var tell = null;
    var stop = typeof AbortController === "function" ? new AbortController() : null;
    /** @type {boolean | null} whether this device keeps a snapshot; null: not known yet */
    var kept = false;
    try {
      if (snapshotCache && self.caches) {
        kept = null;
        caches.has(snapshotCache).then(
          function (found) {
            kept = found;
          },
          function () {
            kept = false;
          },
        );
      }
    } catch (error) {
      kept = false; // no Cache Storage here (an opaque origin): no snapshot either
    }
    /** @type {Promise<unknown>} resolves once every byte counted has been counted */
    var counting = Promise.resolve();
    var response = fetch(wasmUrl, stop ? { signal: stop.signal } : {}).then(function (answer) {
      var counted = kept === false && answer.ok && answer.body ? answer.clone().body : null;
      if (counted) {
        var reader = counted.getReader();
        /**
         * @param {ReadableStreamReadResult<Uint8Array>} part
         * @returns {Promise<unknown> | undefined}
         */
        var read = function (part) {
          if (part.done || done) return done ? reader.cancel() : undefined;
          loaded += part.value.byteLength;
          if (tell) tell(loaded);
          return reader.read().then(read);
        };
        counting = reader.read().then(read).catch(function () {}); // counting is a courtesy
      }
      return answer;
    });
    var compiled = WebAssembly.compileStreaming(response);
    compiled.catch(function () {}); // the worker is told, and compiles it itself
    return {
      /** No worker to hand it to: the download stops. */
      cancel: function () {
        done = true;
        if (stop) stop.abort();
      },
      /**
       * @param {Worker} worker
       * @param {number} v the protocol version
       * @param {string} type the `runtime` notice's type
       */
      handOver: function (worker, v, type) {
        var told = 0;
        /** @param {object} params */
        var notify = function (params) {
          worker.postMessage({ v: v, type: type, params: params });
        };
        tell = function (bytes) {
          if (performance.now() - told < 250) return;
          told = performance.now();
          notify({ loaded: bytes });
        };
        compiled.then(
          function (module) {
            return counting.then(function () {
              done = true;
              try {
                notify({ loaded: loaded, module: module });
              } catch (error) {
                notify({ loaded: loaded, module: null }); // an engine that cannot hand a module to a worker
              }
            });
          },
          function () {
            done = true;
            notify({ loaded: loaded, module: null });
          },
        );
      },
    };
  }

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
  /** @type {import("./contract.mjs").BootRequest["params"]} */
  var boot = {
    runtimeUrl: url("data-runtime-url"),
    wheelUrl: url("data-wheel-url"),
    runtimeBytes: Number(script.getAttribute("data-runtime-bytes")) || 0,
  };
  var version = Number(script.getAttribute("data-protocol-version"));
  // The snapshot's cache is named under the site root's path, as the service worker's are.
  var snapshotCache = script.getAttribute("data-snapshot-cache");
  if (snapshotCache) boot.snapshot = { cache: new URL(url("data-site-root")).pathname + ":" + snapshotCache };
  var runtime = compileRuntime(new URL("pyodide.asm.wasm", boot.runtimeUrl).href, boot.snapshot && boot.snapshot.cache);
  if (runtime) boot.runtimeModule = "page";
  var message = { v: version, id: 0, type: "", params: boot };
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
    if (runtime) runtime.cancel();
    return; // the widget tries again, and reports what fails
  }
  if (!moduleWorkers) {
    worker.terminate();
    if (runtime) runtime.cancel();
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
  if (runtime) runtime.handOver(worker, version, script.getAttribute("data-runtime-message") || "");
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
