// Calculator worker: boots Pyodide from the site's own files, loads the calculator
// wheel and the guideline module, then forwards JSON between the page and Python.
// It holds a handle on the Python `evaluate` function, so a call costs microseconds.
//
// Protocol: names from protocol.mjs (inlined here by the build), message shapes from
// calculator/contract.py (the worker-message JSON Schema; types in contract.d.mts). `load` is
// sent once the page is parsed and answered when boot and load are both done; `evaluate`
// takes JSON text and answers JSON text of calculator.browser.Session.evaluate; `status`
// messages come unprompted during boot, with `error` when boot cannot complete.
import { BOOT_STEP, MESSAGES, PROTOCOL_VERSION } from "./protocol.mjs";

/** @typedef {import("./contract.mjs").BootRequest} BootRequest */
/** @typedef {import("./contract.mjs").LoadRequest} LoadRequest */
/** @typedef {import("./contract.mjs").EvaluateRequest} EvaluateRequest */
/** @typedef {import("./contract.mjs").StatsRequest} StatsRequest */
/** @typedef {BootRequest["params"]} BootParams */
/** @typedef {LoadRequest["params"]} LoadParams */

/** @type {((answersJson: string) => string) | null} */
let evaluateAnswers = null;
/** @type {any} the Pyodide API object */
let pyodideModule = null;
let currentStep = "";

/** @param {object} message */
const post = (message) => self.postMessage({ v: PROTOCOL_VERSION, ...message });

/** @param {string} name a BOOT_STEP value */
function step(name) {
  currentStep = name;
  performance.mark(`gc:step:${name}`); // read by `make bench`
  post({ type: MESSAGES.status, step: name });
}

// Trusted Types hold in this worker too (its response carries the site's CSP, with
// `require-trusted-types-for 'script'`). Nothing here passes a string to a script sink: Pyodide
// is loaded with import(), which is none. But Pyodide tells a classic worker from a module
// worker by calling importScripts("data:text/javascript,") and catching the error; without a
// policy that call is a Trusted Types violation, which the listener below would report as a
// blocked start. This worker's "default" policy refuses every script URL with the error the
// probe expects, so nothing is loaded and nothing is reported.
/** @type {{createPolicy(name: string, rules: {createScriptURL(url: string): string}): unknown} | undefined} */
const trustedTypes = /** @type {any} */ (self).trustedTypes;
trustedTypes?.createPolicy("default", {
  createScriptURL(url) {
    throw new TypeError(`the calculator's worker loads no script by URL (${url.slice(0, 40)})`);
  },
});

// A Content-Security-Policy that forbids WebAssembly makes Pyodide hang rather than
// fail; the violation event lets the page say so at once instead of timing out.
self.addEventListener("securitypolicyviolation", (event) => {
  const violation = /** @type {SecurityPolicyViolationEvent} */ (event);
  const blocked = `${violation.effectiveDirective} (${violation.blockedURI || "inline"})`;
  post({ type: MESSAGES.status, step: currentStep, error: `the site's Content-Security-Policy blocked ${blocked}` });
});

/** @param {string} url */
async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status} ${response.statusText}`);
  return response;
}

/** @type {Promise<unknown> | null} */
let booted = null;
/** @type {any} calculator.browser.create_session */
let createSession = null;

const PROGRESS_EVERY_MS = 250;

/**
 * Count the bytes of the runtime and the wheel as they arrive, and tell the page now and then:
 * on a slow connection the clinician sees the download move, not a frozen "starting". What is
 * counted is a clone; the caller gets the response itself, URL and all, so the engine can
 * compile WebAssembly as it streams and reuse its compiled code on the next visit (a Response
 * made here would have no URL, and the 9.6 MB runtime would be compiled anew at every start).
 * Returns a function that stops counting.
 * @param {string[]} prefixes URLs whose downloads count
 * @param {number} total the expected bytes (uncompressed), from the build
 */
function countDownloads(prefixes, total) {
  const plainFetch = self.fetch;
  let loaded = 0;
  let told = 0;
  const tell = (/** @type {boolean} */ now) => {
    if (!now && performance.now() - told < PROGRESS_EVERY_MS) return;
    told = performance.now();
    post({ type: MESSAGES.status, step: currentStep, progress: { loaded, total } });
  };
  /** @param {ReadableStreamDefaultReader<Uint8Array>} reader */
  const count = async (reader) => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return tell(true);
      loaded += value.byteLength;
      tell(false);
    }
  };
  self.fetch = async (input, init) => {
    const response = await plainFetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (!response.ok || !response.body || !prefixes.some((prefix) => url.startsWith(prefix))) return response;
    const counted = response.clone().body;
    // Counting is a courtesy: a failed download fails where the response itself is read.
    if (counted) count(counted.getReader()).catch(() => {});
    return response;
  };
  return () => {
    self.fetch = plainFetch;
  };
}

/** @param {BootParams} params */
async function boot({ runtimeUrl, wheelUrl, runtimeBytes }) {
  step(BOOT_STEP.fetchRuntime);
  const stopCounting = countDownloads([runtimeUrl, wheelUrl], runtimeBytes ?? 0);
  // The wheel downloads while Python starts, not after.
  const wheel = fetchOk(wheelUrl).then((response) => response.arrayBuffer());
  wheel.catch(() => {}); // handled when awaited below; never an unhandled rejection meanwhile
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtimeUrl).href);
  step(BOOT_STEP.startInterpreter);
  const pyodide = await loadPyodide({
    indexURL: runtimeUrl,
    // Python's print goes to the console only as debug output: never user-facing.
    stdout: (/** @type {string} */ line) => console.debug(line),
    stderr: (/** @type {string} */ line) => console.debug(line),
  });
  step(BOOT_STEP.loadCalculator);
  // A pure-Python wheel is a zip to unpack into site-packages: no package manager needed.
  pyodide.unpackArchive(await wheel, "wheel");
  stopCounting();
  createSession = pyodide.pyimport("calculator.browser").create_session;
  pyodideModule = pyodide;
}

/** @param {LoadParams} params */
async function load({ moduleUrl, sentencesUrl, catalogue }) {
  const files = Promise.all([
    fetchOk(moduleUrl).then((response) => response.text()),
    fetchOk(sentencesUrl).then((response) => response.text()),
  ]);
  files.catch(() => {});
  if (booted === null) throw new Error("the calculator was asked to load a guideline before it started");
  await booted;
  step(BOOT_STEP.loadGuideline);
  const [moduleSource, sentences] = await files;
  const runtime = `Pyodide ${pyodideModule.version}`;
  const session = createSession(moduleSource, moduleUrl, sentences, runtime, catalogue ? JSON.stringify(catalogue) : undefined);
  evaluateAnswers = session.evaluate;
  step(BOOT_STEP.ready);
}

/** Memory in use, for monitoring and `make bench`: the `stats` request, and (Chromium's DevTools) this scope. */
const stats = () => ({ wasmMemoryBytes: pyodideModule?._module?.HEAP8?.buffer?.byteLength ?? null });
Object.assign(self, { calculatorStats: stats });

self.addEventListener("message", async (/** @type {MessageEvent} */ event) => {
  /** @type {BootRequest | LoadRequest | EvaluateRequest | StatsRequest} */
  const { v, id, type, params } = event.data;
  try {
    if (v !== PROTOCOL_VERSION) {
      throw new Error(`the page speaks protocol version ${JSON.stringify(v)}, this worker ${PROTOCOL_VERSION}: reload`);
    } else if (type === MESSAGES.boot) {
      booted ??= boot(params);
      await booted;
      post({ id, result: true });
    } else if (type === MESSAGES.load) {
      await load(params);
      post({ id, result: true });
    } else if (type === MESSAGES.stats) {
      post({ id, result: stats() });
    } else if (type === MESSAGES.evaluate) {
      if (evaluateAnswers === null) throw new Error("the calculator has not finished starting");
      post({ id, result: evaluateAnswers(/** @type {EvaluateRequest["params"]} */ (params).answers) });
    } else {
      throw new Error(`unknown request type ${JSON.stringify(type)}`);
    }
  } catch (error) {
    post({ id, error: { field: null, message: error instanceof Error ? error.message : String(error) } });
  }
});
