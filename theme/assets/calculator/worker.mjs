// Calculator worker: boots Pyodide from the site's own files, loads the calculator
// wheel and the guideline module, then forwards JSON between the page and Python.
// It holds a handle on the Python `evaluate` function, so a call costs microseconds.
//
// Protocol: names from protocol.mjs (inlined here by the build), message shapes from
// calculator/contract.py (the worker-message JSON Schema; types in contract.d.mts). `load` is
// sent once the page is parsed and answered when boot and load are both done; `evaluate`
// takes JSON text and answers JSON text of calculator.browser.Session.evaluate; `status`
// messages come unprompted during boot, with `error` when boot cannot complete.
import { BOOT_STEP, MESSAGES, PROTOCOL_VERSION, SNAPSHOT_FOLDER } from "./protocol.mjs";
import { packSnapshot, sealSnapshot, unpackSnapshot } from "./snapshot-pages.mjs";

/** @typedef {import("./contract.mjs").BootRequest} BootRequest */
/** @typedef {import("./contract.mjs").LoadRequest} LoadRequest */
/** @typedef {import("./contract.mjs").EvaluateRequest} EvaluateRequest */
/** @typedef {import("./contract.mjs").StatsRequest} StatsRequest */
/** @typedef {import("./contract.mjs").RuntimeNotice} RuntimeNotice */
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
/**
 * The guideline module a stored snapshot holds (its URL), once the boot has looked; null when
 * none is kept. `load` fetches the guideline's files only when the snapshot does not hold them.
 * @type {Promise<string | null>}
 */
let snapshotHolds = Promise.resolve(null);
/** @type {any} calculator.browser.create_session */
let createSession = null;

const PROGRESS_EVERY_MS = 250;

/**
 * The page's compile of the runtime's WebAssembly (boot.js), when the boot request says the page
 * does it (`runtimeModule: "page"`): the bytes it has downloaded, from its `runtime` notices, and
 * the module it hands over (null when its compile failed).
 */
const fromPage = {
  loaded: 0,
  /** @type {(module: WebAssembly.Module | null) => void} */
  settle: () => {},
  /** @type {(now: boolean) => void} told when `loaded` grows, while downloads are counted */
  progressed: () => {},
};
/** @type {Promise<WebAssembly.Module | null>} */
const pageModule = new Promise((settle) => {
  fromPage.settle = settle;
});

/**
 * Count the bytes of the runtime and the wheel as they arrive, and tell the page now and then:
 * on a slow connection the clinician sees the download move, not a frozen "starting". What is
 * counted is a clone; the caller gets the response itself, URL and all, so the engine can
 * compile WebAssembly as it streams and reuse its compiled code on the next visit (a Response
 * made here would have no URL, and the 9.6 MB runtime would be compiled anew at every start).
 * Returns a function that stops counting, downloads under way included; `boot` puts the plain
 * `fetch` back when it is done.
 * @param {string[]} prefixes URLs whose downloads count
 * @param {number} total the expected bytes (uncompressed), from the build
 */
function countDownloads(prefixes, total) {
  const plainFetch = self.fetch;
  let loaded = 0;
  let told = 0;
  let stopped = false;
  const tell = (/** @type {boolean} */ now) => {
    if (!now && performance.now() - told < PROGRESS_EVERY_MS) return;
    told = performance.now();
    post({ type: MESSAGES.status, step: currentStep, progress: { loaded: loaded + fromPage.loaded, total } });
  };
  fromPage.progressed = tell;
  /** @param {ReadableStreamDefaultReader<Uint8Array>} reader */
  const count = async (reader) => {
    for (;;) {
      const { done, value } = await reader.read();
      if (stopped) return reader.cancel(); // the response itself reads on
      if (done) return tell(true);
      loaded += value.byteLength;
      tell(false);
    }
  };
  self.fetch = async (input, init) => {
    const response = await plainFetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    if (stopped || !response.ok || !response.body || !prefixes.some((prefix) => url.startsWith(prefix))) return response;
    const counted = response.clone().body;
    // Counting is a courtesy: a failed download fails where the response itself is read.
    if (counted) count(counted.getReader()).catch(() => {});
    return response;
  };
  return () => {
    stopped = true;
    fromPage.progressed = () => {};
  };
}

/**
 * Compile Pyodide's WebAssembly from its first byte, while Pyodide's 1.2 MB of JavaScript
 * loads and runs: left to itself, Pyodide asks for the file only once that JavaScript has run,
 * and compiles it after. Firefox keeps no compiled WebAssembly between visits, so there the
 * compile is ~200 ms of every start (README, "Snapshot start"). When the page compiles it
 * (`byPage`: boot.js starts before this worker does), the page's module is used, and only if
 * the page's compile failed is it compiled here. Pyodide's own request for the file is answered
 * with a stand-in, and its instantiation of the stand-in uses the module compiled early; if
 * that failed, Pyodide's request is made after all and fails or succeeds as it would have.
 * Returns a function that undoes the hand-over.
 * @param {string} url the runtime's pyodide.asm.wasm
 * @param {boolean} byPage the page compiles it and hands the module over
 * @returns {() => void}
 */
function compileWasmEarly(url, byPage) {
  const { compileStreaming, instantiateStreaming } = WebAssembly;
  if (typeof compileStreaming !== "function" || typeof instantiateStreaming !== "function") return () => {};
  const outerFetch = self.fetch;
  /** @type {"page" | "early"} */
  let compiler = "early";
  const compiled = byPage
    ? pageModule.then((module) => {
        if (!module) return compileStreaming(outerFetch(url));
        compiler = "page";
        return module;
      })
    : compileStreaming(outerFetch(url));
  compiled.catch(() => {}); // handled where Pyodide instantiates
  // A stand-in per request: after a failed snapshot start, the fresh start uses the module too.
  const standIns = new WeakSet();
  self.fetch = (input, init) => {
    if ((input instanceof Request ? input.url : String(input)) !== url) return outerFetch(input, init);
    const standIn = new Response(null);
    standIns.add(standIn);
    return Promise.resolve(standIn);
  };
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const response = await source;
    if (!standIns.has(response)) return instantiateStreaming(response, imports);
    let module;
    try {
      module = await compiled;
    } catch {
      return instantiateStreaming(outerFetch(url), imports);
    }
    start.wasm = compiler;
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };
  return () => {
    self.fetch = outerFetch;
    WebAssembly.instantiateStreaming = instantiateStreaming;
  };
}

/** Python's print goes to the console only as debug output: never user-facing. */
const streams = {
  stdout: (/** @type {string} */ line) => console.debug(line),
  stderr: (/** @type {string} */ line) => console.debug(line),
};

// Memory snapshot start (README, "Snapshot start"). A device's first start makes a snapshot of
// the interpreter once the guideline's session exists and before anything is evaluated, and
// keeps it in Cache Storage (the cache the build names for it: the runtime, the wheel, this
// worker, the guideline and the site's words are in its name); every later start restores it
// instead of starting Python. Any failure falls back to the normal start, deletes it and is
// only a debug message. Pyodide refuses a snapshot of another build of itself.
const SNAPSHOT_ENTRY = new URL("snapshot/memory", self.location.href).href;
const SNAPSHOT_CHECK = new URL("snapshot/self-check", self.location.href).href;
/**
 * How the stored form (snapshot-pages.mjs) is kept: "pages" as it is; "gzip" compresses it
 * further (a fifth of the heap instead of half) but inflating it costs the start ~100 ms of
 * this thread. Measured with `make bench-snapshot --encoding` (BENCHMARKS.md).
 */
const SNAPSHOT_ENCODING = /** @type {"pages" | "gzip"} */ ("pages");

/** @type {{cache: string, memory: Uint8Array<ArrayBuffer> | null, moduleUrl: string} | null} made, not yet stored */
let madeSnapshot = null;
/** @type {{moduleUrl: string | null, session: any} | null} the session a restored interpreter holds */
let restored = null;
/** How this worker started, for `stats` (tests and `make bench`). */
let start = { kind: "normal", snapshot: /** @type {string} */ ("none"), wasm: /** @type {"page" | "early" | "pyodide"} */ ("pyodide") };

// The snapshot's bytes are kept in the origin private file system where the engine has it, in a
// file named after the snapshot's cache: a worker reads a file there straight into memory with
// a sync access handle (Chromium: 15 MB in ~20 ms), where the same bytes from Cache Storage
// came through the browser's pipes in 150-350 ms, racing the 9.6 MB runtime read beside them
// (BENCHMARKS.md, "Snapshot start"). The cache keeps the rest: the self-check, the sizes (what
// the offline page shows) and a note that the bytes are in the file (`x-snapshot-file: opfs`).
// Where there is no such file system, the cache keeps the bytes too. Whatever deletes a
// snapshot's cache deletes its file: this worker, the service worker at an update, the offline
// page's "Remove" (and the next snapshot this worker stores prunes any file left without one).
// The folder's name, SNAPSHOT_FOLDER, comes from the build (guideline_site.assets), as it does for
// the service worker and the offline page.
const IN_FILE = "opfs";

/**
 * The folder of snapshot files, or null where the engine has no origin private file system.
 * @param {boolean} create
 * @returns {Promise<FileSystemDirectoryHandle | null>}
 */
async function snapshotFolder(create) {
  const storage = self.navigator?.storage;
  if (typeof storage?.getDirectory !== "function") return null;
  return (await storage.getDirectory()).getDirectoryHandle(SNAPSHOT_FOLDER, { create });
}

/** @param {string} cache a snapshot's cache name, which is its file's name encoded */
const snapshotFile = (cache) => encodeURIComponent(cache);

/**
 * The bytes of the snapshot file of `cache`. Read with a sync access handle (read-only where
 * the engine allows several, so two open calculators can start at once); when none can be had
 * (another tab holds the file), as a File.
 * @param {string} cache
 * @returns {Promise<ArrayBuffer>}
 */
async function readSnapshotFile(cache) {
  const folder = await snapshotFolder(false);
  if (!folder) throw new Error("the snapshot is kept in a file, and this engine has no file system for it");
  const file = await folder.getFileHandle(snapshotFile(cache));
  /** @type {any} */
  let handle = null;
  try {
    handle = await /** @type {any} */ (file).createSyncAccessHandle({ mode: "read-only" });
  } catch {
    return (await file.getFile()).arrayBuffer();
  }
  try {
    const bytes = new Uint8Array(handle.getSize());
    const read = handle.read(bytes, { at: 0 });
    if (read !== bytes.byteLength) throw new Error(`read ${read} of the snapshot file's ${bytes.byteLength} bytes`);
    return bytes.buffer;
  } finally {
    handle.close();
  }
}

/**
 * Keep `stored` in the snapshot file of `cache`; false where the engine cannot (then the cache
 * keeps the bytes).
 * @param {string} cache
 * @param {Blob} stored
 */
async function writeSnapshotFile(cache, stored) {
  // Nothing is created where no sync access handle can be had (an engine with the file system but
  // without these handles): an empty file there would outlive its use until the next update.
  const fileHandle = /** @type {any} */ (self).FileSystemFileHandle;
  if (typeof fileHandle?.prototype?.createSyncAccessHandle !== "function") return false;
  try {
    const folder = await snapshotFolder(true);
    const file = await folder?.getFileHandle(snapshotFile(cache), { create: true });
    if (!file) return false;
    const handle = await /** @type {any} */ (file).createSyncAccessHandle();
    try {
      const bytes = new Uint8Array(await stored.arrayBuffer());
      handle.truncate(0);
      const written = handle.write(bytes, { at: 0 });
      if (written !== bytes.byteLength) throw new Error(`wrote ${written} of ${bytes.byteLength} bytes`);
      handle.flush();
    } finally {
      handle.close();
    }
    return true;
  } catch (error) {
    console.debug("calculator: the snapshot is kept in Cache Storage, not in a file:", error);
    await forgetFile(cache);
    return false;
  }
}

/** @param {string} cache */
async function forgetFile(cache) {
  try {
    await (await snapshotFolder(false))?.removeEntry(snapshotFile(cache));
  } catch {
    // none kept, or no file system: nothing to delete
  }
}

/**
 * Delete the snapshot files of this site (names beginning `prefix`) whose cache is gone: left by
 * something that deleted a cache without knowing of its file.
 * @param {string} prefix
 */
async function pruneSnapshotFiles(prefix) {
  try {
    const folder = await snapshotFolder(false);
    if (!folder) return;
    for await (const name of /** @type {any} */ (folder).keys()) {
      const cache = decodeURIComponent(name);
      if (cache.startsWith(prefix) && !(await caches.has(cache))) await folder.removeEntry(name);
    }
  } catch {
    // a courtesy: the service worker deletes them at the next update
  }
}

/** @param {string} cache */
const forget = (cache) => Promise.all([caches.delete(cache).catch(() => false), forgetFile(cache)]);

/**
 * The stored snapshot for `cache`, or null when there is none. Never creates the cache. Its heap
 * is returned at once, all zero and of the stored size (Pyodide sizes the interpreter's memory by
 * it); `filled` resolves once the stored pages are read, checked and copied into it, or rejects
 * (naming the damage) leaving it zero.
 * @param {string} cache
 * @returns {Promise<{heap: Uint8Array, filled: Promise<unknown>, moduleUrl: string | null, expected: Promise<string>} | null>}
 */
async function findSnapshot(cache) {
  if (!self.caches) return null;
  // One request each, together: on a device's first start this is on the way to Python (a
  // cache that does not exist answers undefined, and is not created).
  const [memory, check] = await Promise.all([
    caches.match(SNAPSHOT_ENTRY, { cacheName: cache }),
    caches.match(SNAPSHOT_CHECK, { cacheName: cache }),
  ]);
  if (!memory || !check) return null;
  const encoding = memory.headers.get("x-snapshot-encoding");
  const length = Number(memory.headers.get("x-snapshot-bytes"));
  if (!Number.isSafeInteger(length) || length <= 0 || length > 2 ** 32) throw new Error(`a snapshot of ${length} bytes`);
  const heap = new Uint8Array(length);
  const inFile = memory.headers.get("x-snapshot-file") === IN_FILE;
  /** @type {Promise<ArrayBuffer>} */
  let bytes = inFile ? readSnapshotFile(cache) : memory.arrayBuffer();
  if (encoding === "gzip") {
    const inflate = (/** @type {ArrayBuffer} */ packed) => new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = bytes.then((packed) => new Response(inflate(packed)).arrayBuffer());
  }
  const filled = bytes
    .then((buffer) => unpackSnapshot(buffer, heap))
    .then(() => performance.mark("gc:snapshot:read")); // read by `make bench`
  const expected = check.text();
  for (const pending of [filled, expected]) pending.catch(() => {}); // handled where awaited
  return { heap, filled, moduleUrl: memory.headers.get("x-snapshot-module"), expected };
}

/**
 * Restore the interpreter from the snapshot `stored` in `cache`; null when there is none or it
 * fails (then it is deleted: the normal start follows, and makes a new one).
 * @param {(options: object) => Promise<any>} loadPyodide
 * @param {string} runtimeUrl
 * @param {Promise<ArrayBuffer>} wheel
 * @param {string} cache
 * @param {ReturnType<typeof findSnapshot>} stored
 */
async function restoreSnapshot(loadPyodide, runtimeUrl, wheel, cache, stored) {
  try {
    const found = await stored;
    if (!found) return null;
    let pyodide;
    try {
      pyodide = await loadPyodide({
        indexURL: runtimeUrl,
        ...streams,
        _loadSnapshot: found.heap,
        // WebAssembly is compiled and instantiated while the snapshot is read: the file system's
        // set-up, which Pyodide runs after instantiating and before restoring the heap, waits
        // for it. A damaged snapshot leaves the heap zero, which Pyodide refuses.
        fsInit: () => found.filled.catch(() => {}),
      });
    } catch (error) {
      await found.filled; // the damage, if any, is the reason to report
      throw error;
    }
    performance.mark("gc:snapshot:restored");
    // The file system is not in the snapshot: the wheel is unpacked again for later imports.
    pyodide.unpackArchive(await wheel, "wheel");
    const browser = pyodide.pyimport("calculator.browser");
    const session = browser.resume_from_snapshot();
    if (session.evaluate(browser.SELF_CHECK_ANSWERS) !== (await found.expected)) {
      throw new Error("the restored interpreter answers the self-check differently");
    }
    createSession = browser.create_session;
    restored = { moduleUrl: found.moduleUrl, session };
    return pyodide;
  } catch (error) {
    console.debug("calculator: the snapshot start failed; starting Python afresh:", error);
    start.snapshot = "failed";
    await forget(cache);
    return null;
  }
}

/** @param {BootParams} params */
async function boot({ runtimeUrl, wheelUrl, runtimeBytes, runtimeModule, snapshot }) {
  step(BOOT_STEP.fetchRuntime);
  const plainFetch = self.fetch;
  const stopCounting = countDownloads([runtimeUrl, wheelUrl], runtimeBytes ?? 0);
  const undoEarlyCompile = compileWasmEarly(new URL("pyodide.asm.wasm", runtimeUrl).href, runtimeModule === "page");
  try {
    // The wheel downloads while Python starts, not after.
    const wheel = fetchOk(wheelUrl).then((response) => response.arrayBuffer());
    wheel.catch(() => {}); // handled when awaited below; never an unhandled rejection meanwhile
    // The snapshot is read (and checked) while Pyodide's module loads: restoring waits for it.
    const cache = snapshot && self.caches && self.crypto?.subtle ? snapshot.cache : null;
    const stored = cache ? findSnapshot(cache) : Promise.resolve(null);
    stored.catch(() => {}); // handled in restoreSnapshot
    snapshotHolds = stored.then(
      (found) => found?.moduleUrl ?? null,
      () => null,
    );
    // A device that kept a snapshot has the runtime's files (HTTP cache or the service worker's):
    // counting them as they stream would only cost the start this thread's time (~50 ms measured).
    stored.then((found) => found && stopCounting(), () => {});
    const { loadPyodide } = await import(new URL("pyodide.mjs", runtimeUrl).href);
    step(BOOT_STEP.startInterpreter);
    let pyodide = cache ? await restoreSnapshot(loadPyodide, runtimeUrl, wheel, cache, stored) : null;
    if (pyodide) {
      Object.assign(start, { kind: "snapshot", snapshot: "restored" });
      step(BOOT_STEP.loadCalculator);
    } else {
      pyodide = await loadPyodide({ indexURL: runtimeUrl, ...streams, _makeSnapshot: cache !== null });
      step(BOOT_STEP.loadCalculator);
      // A pure-Python wheel is a zip to unpack into site-packages: no package manager needed.
      pyodide.unpackArchive(await wheel, "wheel");
      createSession = pyodide.pyimport("calculator.browser").create_session;
      if (cache) madeSnapshot = { cache, memory: null, moduleUrl: "" };
    }
    pyodideModule = pyodide;
  } finally {
    undoEarlyCompile();
    stopCounting();
    self.fetch = plainFetch;
  }
}

/**
 * Snapshot the interpreter now: the session exists and nothing has been evaluated. Called in
 * the task that answers `load`, so no `evaluate` can come first. Making it takes ~50 ms; storing
 * it waits until the worker is idle (`storeSnapshot`).
 * @param {any} session the calculator.browser.Session
 */
function makeSnapshot(session) {
  if (!madeSnapshot || madeSnapshot.memory) return;
  try {
    const begun = performance.now();
    pyodideModule.pyimport("calculator.browser").keep_for_snapshot(session);
    madeSnapshot.memory = pyodideModule.makeMemorySnapshot();
    performance.measure("gc:snapshot-make", { start: begun }); // read by `make bench`
    start.snapshot = "made";
    scheduleStore();
  } catch (error) {
    console.debug("calculator: no snapshot made:", error);
    madeSnapshot = null;
  }
}

const STORE_WHEN_IDLE_MS = 1000;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let storeTimer;
/** Store the snapshot once no request has come for a while: never in the way of an answer. */
function scheduleStore() {
  clearTimeout(storeTimer);
  if (madeSnapshot?.memory) storeTimer = setTimeout(storeSnapshot, STORE_WHEN_IDLE_MS);
}

/**
 * Keep the snapshot made at the start, with what the self-check answers, in its cache; delete
 * the snapshots this site kept for the same guideline under other names (another build's).
 */
async function storeSnapshot() {
  const made = madeSnapshot;
  if (!made?.memory) return;
  madeSnapshot = null;
  try {
    const browser = pyodideModule.pyimport("calculator.browser");
    const expected = evaluateAnswers ? evaluateAnswers(browser.SELF_CHECK_ANSWERS) : null;
    if (expected === null) return;
    const sealed = await sealSnapshot(packSnapshot(made.memory));
    const body = SNAPSHOT_ENCODING === "gzip" ? sealed.stream().pipeThrough(new CompressionStream("gzip")) : sealed;
    const stored = await new Response(body).blob();
    const headers = {
      "x-snapshot-encoding": SNAPSHOT_ENCODING,
      "x-snapshot-bytes": String(made.memory.byteLength),
      "x-snapshot-stored-bytes": String(stored.size), // what the offline page shows
      "x-snapshot-module": made.moduleUrl,
    };
    made.memory = null;
    const prefix = made.cache.slice(0, made.cache.lastIndexOf(":") + 1);
    for (const name of await caches.keys()) {
      if (!name.startsWith(prefix) || name === made.cache) continue;
      const other = await (await caches.open(name)).match(SNAPSHOT_ENTRY);
      if (other?.headers.get("x-snapshot-module") === made.moduleUrl) await forget(name);
    }
    await pruneSnapshotFiles(prefix);
    const inFile = await writeSnapshotFile(made.cache, stored);
    const memory = inFile ? new Response(null, { headers: { ...headers, "x-snapshot-file": IN_FILE } }) : new Response(stored, { headers });
    const cache = await caches.open(made.cache);
    await cache.put(SNAPSHOT_CHECK, new Response(expected, { headers: { "content-type": "application/json" } }));
    await cache.put(SNAPSHOT_ENTRY, memory);
    start.snapshot = "stored";
    performance.mark("gc:snapshot-stored"); // read by `make bench`
  } catch (error) {
    console.debug("calculator: the snapshot was not stored:", error);
    await forget(made.cache);
  }
}

/**
 * @param {LoadParams} params
 * @returns {Promise<any>} the new session, or null when a restored one serves
 */
async function load({ moduleUrl, sentencesUrl, catalogue }) {
  if (booted === null) throw new Error("the calculator was asked to load a guideline before it started");
  const fetchFiles = () =>
    Promise.all([
      fetchOk(moduleUrl).then((response) => response.text()),
      fetchOk(sentencesUrl).then((response) => response.text()),
    ]);
  // The files download while Python starts, unless a kept snapshot holds this guideline already.
  const early = snapshotHolds.then((held) => (held === moduleUrl ? null : fetchFiles()));
  early.catch(() => {}); // handled when awaited below
  await booted;
  step(BOOT_STEP.loadGuideline);
  if (restored && restored.moduleUrl === moduleUrl) {
    evaluateAnswers = restored.session.evaluate;
    step(BOOT_STEP.ready);
    return null;
  }
  const [moduleSource, sentences] = (await early) ?? (await fetchFiles()); // a failed restore fetches them now
  const runtime = `Pyodide ${pyodideModule.version}`;
  const session = createSession(moduleSource, moduleUrl, sentences, runtime, catalogue ? JSON.stringify(catalogue) : undefined);
  evaluateAnswers = session.evaluate;
  if (madeSnapshot) madeSnapshot.moduleUrl = moduleUrl;
  step(BOOT_STEP.ready);
  return session;
}

/** Memory in use, for monitoring and `make bench`: the `stats` request, and (Chromium's DevTools) this scope. */
const stats = () => ({
  wasmMemoryBytes: pyodideModule?._module?.HEAP8?.buffer?.byteLength ?? null,
  start: start.kind,
  snapshot: start.snapshot,
  wasm: start.wasm,
});
Object.assign(self, { calculatorStats: stats });

self.addEventListener("message", async (/** @type {MessageEvent} */ event) => {
  /** @type {BootRequest | LoadRequest | EvaluateRequest | StatsRequest | RuntimeNotice} */
  const message = event.data;
  if (message.v === PROTOCOL_VERSION && message.type === MESSAGES.runtime) {
    // A notice, not a request: no reply.
    const { loaded, module } = /** @type {RuntimeNotice} */ (message).params;
    if (Number.isSafeInteger(loaded) && loaded > fromPage.loaded) {
      fromPage.loaded = loaded;
      fromPage.progressed(module !== undefined); // the last notice: its download is complete
    }
    if (module !== undefined) fromPage.settle(module instanceof WebAssembly.Module ? module : null);
    return;
  }
  const { v, id, type, params } = /** @type {BootRequest | LoadRequest | EvaluateRequest | StatsRequest} */ (message);
  try {
    if (v !== PROTOCOL_VERSION) {
      throw new Error(`the page speaks protocol version ${JSON.stringify(v)}, this worker ${PROTOCOL_VERSION}: reload`);
    } else if (type === MESSAGES.boot) {
      booted ??= boot(params);
      await booted;
      post({ id, result: true });
    } else if (type === MESSAGES.load) {
      const session = await load(params);
      post({ id, result: true });
      if (session) makeSnapshot(session); // before any evaluate: this task ends first
    } else if (type === MESSAGES.stats) {
      post({ id, result: stats() });
    } else if (type === MESSAGES.evaluate) {
      if (evaluateAnswers === null) throw new Error("the calculator has not finished starting");
      scheduleStore();
      post({ id, result: evaluateAnswers(/** @type {EvaluateRequest["params"]} */ (params).answers) });
    } else {
      throw new Error(`unknown request type ${JSON.stringify(type)}`);
    }
  } catch (error) {
    post({ id, error: { field: null, message: error instanceof Error ? error.message : String(error) } });
  }
});

/**
 * The boot request the page put in this worker's URL (boot.js: "#boot=" and the message's JSON),
 * or null. Chromium hands a new worker the page's first messages only once the page's main
 * thread is free, which on a page being parsed was 25-55 ms after this script ran (measured on
 * two cores); the URL is there at once. The boot message still comes, and is answered when this
 * boot is done. A request of another protocol version, or not a boot, is left to the message.
 * @returns {BootParams | null}
 */
function bootRequestInUrl() {
  const text = new URLSearchParams(self.location.hash.slice(1)).get("boot");
  if (!text) return null;
  try {
    const { v, type, params } = JSON.parse(text);
    const valid = typeof params?.runtimeUrl === "string" && typeof params.wheelUrl === "string";
    return v === PROTOCOL_VERSION && type === MESSAGES.boot && valid ? params : null;
  } catch {
    return null;
  }
}

const bootInUrl = bootRequestInUrl();
if (bootInUrl) {
  booted = boot(bootInUrl);
  booted.catch(() => {}); // reported in the reply to the boot message
}
