// Calculator worker: boots Pyodide from the site's own files, loads the calculator
// wheel and the guideline module, then forwards JSON between the page and Python.
// It holds a handle on the Python `evaluate` function, so a call costs microseconds.
//
// Protocol (names shared with Python via protocol.mjs):
/**
 * @typedef {{id: number, type: "boot", params: BootParams}} BootRequest
 * @typedef {{runtimeUrl: string, wheelUrl: string}} BootParams
 * @typedef {{id: number, type: "load", params: LoadParams}} LoadRequest
 * @typedef {{moduleUrl: string, sentencesUrl: string}} LoadParams
 *   Sent once the page is parsed; answered when boot and load are both done.
 * @typedef {{id: number, type: "evaluate", params: {answers: string}}} EvaluateRequest
 *   `answers` is JSON text; the reply's `result` is JSON text of calculator.browser.Session.evaluate.
 * @typedef {{id: number, result: unknown} | {id: number, error: {field: string|null, message: string}}} Reply
 * @typedef {{type: "status", step: string} | {type: "status", step: string, error: string}} StatusMessage
 *   Sent unprompted during boot; `error` means boot cannot complete.
 */
import { MESSAGES } from "./protocol.mjs";

/** @type {((answersJson: string) => string) | null} */
let evaluateAnswers = null;
let pyodideModule = null;
let currentStep = "";

const post = (message) => self.postMessage(message);

function step(name) {
  currentStep = name;
  performance.mark(`gc:step:${name}`); // read by `make bench`
  post({ type: MESSAGES.status, step: name });
}

// A Content-Security-Policy that forbids WebAssembly makes Pyodide hang rather than
// fail; the violation event lets the page say so at once instead of timing out.
self.addEventListener("securitypolicyviolation", (event) => {
  post({
    type: MESSAGES.status,
    step: currentStep,
    error: `the site's Content-Security-Policy blocked ${event.effectiveDirective} (${event.blockedURI || "inline"})`,
  });
});

async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status} ${response.statusText}`);
  return response;
}

/** @type {Promise<unknown> | null} */
let booted = null;
let createSession = null;

/** @param {BootParams} params */
async function boot({ runtimeUrl, wheelUrl }) {
  step("fetch-runtime");
  // The wheel downloads while Python starts, not after.
  const wheel = fetchOk(wheelUrl).then((response) => response.arrayBuffer());
  wheel.catch(() => {}); // handled when awaited below; never an unhandled rejection meanwhile
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtimeUrl).href);
  step("start-interpreter");
  const pyodide = await loadPyodide({
    indexURL: runtimeUrl,
    // Python's print goes to the console only as debug output: never user-facing.
    stdout: (line) => console.debug(line),
    stderr: (line) => console.debug(line),
  });
  step("load-calculator");
  // A pure-Python wheel is a zip to unpack into site-packages: no package manager needed.
  pyodide.unpackArchive(await wheel, "wheel");
  createSession = pyodide.pyimport("calculator.browser").create_session;
  pyodideModule = pyodide;
}

/** @param {LoadParams} params */
async function load({ moduleUrl, sentencesUrl }) {
  const files = Promise.all([
    fetchOk(moduleUrl).then((response) => response.text()),
    fetchOk(sentencesUrl).then((response) => response.text()),
  ]);
  files.catch(() => {});
  if (booted === null) throw new Error("the calculator was asked to load a guideline before it started");
  await booted;
  step("load-guideline");
  const [moduleSource, sentences] = await files;
  const session = createSession(moduleSource, moduleUrl, sentences, `Pyodide ${pyodideModule.version}`);
  evaluateAnswers = session.evaluate;
  step("ready");
}

/** Memory in use, for monitoring and `make bench` (which calls it in this worker's scope). */
self.calculatorStats = () => ({ wasmMemoryBytes: pyodideModule?._module?.HEAP8?.buffer?.byteLength ?? null });

self.addEventListener("message", async (event) => {
  /** @type {BootRequest | LoadRequest | EvaluateRequest} */
  const { id, type, params } = event.data;
  try {
    if (type === MESSAGES.boot) {
      booted ??= boot(params);
      await booted;
      post({ id, result: true });
    } else if (type === MESSAGES.load) {
      await load(params);
      post({ id, result: true });
    } else if (type === MESSAGES.evaluate) {
      if (evaluateAnswers === null) throw new Error("the calculator has not finished starting");
      post({ id, result: evaluateAnswers(params.answers) });
    } else {
      throw new Error(`unknown request type ${JSON.stringify(type)}`);
    }
  } catch (error) {
    post({ id, error: { field: null, message: String(error?.message ?? error) } });
  }
});
