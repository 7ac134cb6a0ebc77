// The page's side of the Python worker (worker.mjs): started once, early, by boot.js or here;
// loaded with the page's guideline later; then one request per evaluation. Every request
// carries an id and every reply echoes it; errors come back as data and reject the request.
import { BOOT_STEP, BOOT_TIMEOUT_SECONDS, MESSAGES, PROTOCOL_VERSION } from "./protocol.mjs";

/** @typedef {import("./contract.mjs").BootRequest["params"] & {workerUrl: string}} WorkerUrls */
/** @typedef {import("./contract.mjs").LoadRequest["params"]} LoadParams */
/**
 * What boot.js hands over: the worker it started and what the worker said meanwhile.
 * @typedef {{worker: Worker, bootId: number, startedAt: number, release: () => {data?: any, error?: boolean}[]}} EarlyWorker
 */
/**
 * Why Python could not start: `unsupported` (no WebAssembly or module workers), `no-worker`
 * (the browser refused to create it), `worker-load` (its script did not load), `boot` (it started
 * and failed; `message` says how). `step` is the boot step reached. Slowness is not a failure.
 * @typedef {{kind: "unsupported" | "no-worker" | "worker-load" | "boot", message?: string, step: string}} Failure
 * @typedef {{loaded: number, total: number}} Progress bytes of the runtime downloaded, of those expected
 */

/**
 * Dispatches "status" (detail: boot step id), "progress" (detail: Progress), "slow" (the boot
 * has taken longer than BOOT_TIMEOUT_SECONDS and goes on) and "failure" (detail: Failure).
 */
export class WorkerClient extends EventTarget {
  constructor() {
    super();
    /** @type {Worker | null} */
    this.worker = null;
    /** @type {Failure | null} */
    this.failure = null;
    this.step = "";
    this.slow = false;
    /** @type {Map<number, {resolve: (value: any) => void, reject: (error: Error) => void}>} */
    this.pending = new Map();
    this.nextId = 1;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    /** @type {() => void} */
    this.markStarted = () => {};
    /** Settles once start() has run (or failed), so load() may be called before start(). */
    this.started = new Promise((resolve) => (this.markStarted = () => resolve(undefined)));
  }

  /**
   * Start Python (no-op when already started or failed), adopting a worker boot.js started.
   * @param {WorkerUrls} urls
   * @param {EarlyWorker | undefined} early
   */
  start(urls, early) {
    if (this.worker || this.failure) return;
    if (early) this.adopt(early);
    else this.launch(urls);
    this.markStarted();
  }

  /** @param {EarlyWorker} early */
  adopt(early) {
    this.worker = early.worker;
    this.nextId = early.bootId + 1;
    const booted = new Promise((resolve, reject) => this.pending.set(early.bootId, { resolve, reject }));
    booted.catch((/** @type {Error} */ error) => this.fail({ kind: "boot", message: error.message }));
    this.listen(this.worker);
    const elapsed = performance.now() - early.startedAt;
    this.timer = setTimeout(() => this.markSlow(), Math.max(0, BOOT_TIMEOUT_SECONDS * 1000 - elapsed));
    this.setStep("fetch-runtime");
    for (const event of early.release()) {
      if (event.error) this.fail({ kind: "worker-load" });
      else this.onMessage(event.data);
    }
  }

  /** @param {Worker} worker */
  listen(worker) {
    worker.addEventListener("message", (event) => this.onMessage(event.data));
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.fail({ kind: "worker-load" });
    });
  }

  /** @param {WorkerUrls} urls */
  launch({ workerUrl, ...boot }) {
    performance.mark("gc:worker-start");
    if (typeof WebAssembly !== "object") return this.fail({ kind: "unsupported" });
    let moduleWorkers = false;
    /** @type {WorkerOptions} */
    const options = {
      get type() {
        moduleWorkers = true; // only browsers that support module workers read this
        return /** @type {const} */ ("module");
      },
    };
    try {
      // A TrustedScriptURL from the site's policy (assets/site/trusted-types.js, first in <head>).
      const scriptUrl = /** @type {Window & {gcScriptUrl?: (url: string) => string}} */ (window).gcScriptUrl;
      this.worker = new Worker(scriptUrl ? scriptUrl(workerUrl) : workerUrl, options);
    } catch (error) {
      return this.fail({ kind: "no-worker", message: error instanceof Error ? error.message : String(error) });
    }
    if (!moduleWorkers) return this.fail({ kind: "unsupported" });
    this.listen(this.worker);
    this.timer = setTimeout(() => this.markSlow(), BOOT_TIMEOUT_SECONDS * 1000);
    this.setStep("fetch-runtime");
    this.request(MESSAGES.boot, boot).catch((error) =>
      this.fail({ kind: "boot", message: error.message }),
    );
  }

  /**
   * Load the page's guideline (after boot, which the worker awaits); resolves when ready.
   * @param {LoadParams} params
   */
  load(params) {
    return this.started
      .then(() => this.request(MESSAGES.load, params))
      .then(() => {
        clearTimeout(this.timer);
        this.setStep("ready");
      });
  }

  /** Still starting after BOOT_TIMEOUT_SECONDS: say so, and keep going (nothing is thrown away). */
  markSlow() {
    if (this.failure || this.step === BOOT_STEP.ready) return;
    this.slow = true;
    this.dispatchEvent(new CustomEvent("slow", { detail: this.step }));
  }

  /** @param {string} step */
  setStep(step) {
    if (step !== this.step) performance.mark(`gc:status:${step}`); // when the page heard it (make bench)
    this.step = step;
    this.dispatchEvent(new CustomEvent("status", { detail: step }));
  }

  /** @param {Omit<Failure, "step">} failure */
  fail(failure) {
    if (this.failure) return;
    this.failure = { ...failure, step: this.step };
    clearTimeout(this.timer);
    this.worker?.terminate();
    for (const { reject } of this.pending.values()) reject(new Error(failure.message ?? failure.kind));
    this.pending.clear();
    this.markStarted();
    this.dispatchEvent(new CustomEvent("failure", { detail: this.failure }));
  }

  /** @param {any} message a reply `{v, id, result | error}` or a status `{v, type, step, error?}` */
  onMessage(message) {
    if (message.type === MESSAGES.status) {
      if (message.error) this.fail({ kind: "boot", message: message.error });
      else if (message.progress) this.dispatchEvent(new CustomEvent("progress", { detail: message.progress }));
      else this.setStep(message.step);
      return;
    }
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    this.pending.delete(message.id);
    if ("error" in message) waiting.reject(new Error(message.error.message));
    else waiting.resolve(message.result);
  }

  /**
   * @param {string} type a MESSAGES value
   * @param {object} params
   * @returns {Promise<any>}
   */
  request(type, params) {
    if (this.failure) return Promise.reject(new Error(this.failure.message ?? this.failure.kind));
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error("Python has not been started"));
    const id = this.nextId++;
    const sent = performance.now();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ v: PROTOCOL_VERSION, id, type, params });
    }).finally(() => performance.measure(`gc:${type}`, { start: sent }));
  }
}
