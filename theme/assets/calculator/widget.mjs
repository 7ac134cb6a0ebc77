// Entry point of the calculator page (loaded async from <head>, theme/main.html): starts
// Python at once, or adopts the worker assets/calculator/boot.js already started, and wires
// up the build-time form once the page is parsed (calculator.mjs).
import { Calculator } from "./calculator.mjs";
import { WorkerClient } from "./worker-client.mjs";

/** @typedef {import("./worker-client.mjs").EarlyWorker} EarlyWorker */

const boot = /** @type {(HTMLScriptElement & {pythonWorker?: EarlyWorker}) | null} */ (
  document.querySelector("script[data-calculator-boot]")
);
const python = new WorkerClient();

if (location.protocol !== "file:" && boot) {
  /** @param {string} name */
  const url = (name) => new URL(boot.dataset[name] ?? "", document.baseURI).href;
  const urls = {
    workerUrl: url("workerUrl"),
    runtimeUrl: url("runtimeUrl"),
    wheelUrl: url("wheelUrl"),
    runtimeBytes: Number(boot.dataset.runtimeBytes) || 0,
    // The snapshot's cache is named under the site root's path, as the service worker's are.
    snapshot: boot.dataset.snapshotCache
      ? { cache: `${new URL(url("siteRoot")).pathname}:${boot.dataset.snapshotCache}` }
      : undefined,
  };
  const start = () => {
    // Whichever of boot.js and this module runs first starts Python; the other adopts or bails.
    if (!boot.pythonWorker) boot.dataset.started = "widget";
    python.start(urls, boot.pythonWorker);
  };
  // When Python starts (data-start, measured with `make bench`): "immediate", "idle" (when the
  // page is idle) or "visible" (when the calculator scrolls into view). Once per page, whichever.
  const strategy = boot.dataset.start ?? "immediate";
  if (strategy === "idle" && "requestIdleCallback" in window) requestIdleCallback(start, { timeout: 1000 });
  else if (strategy !== "visible") start();

  const wire = () => {
    const root = /** @type {HTMLElement | null} */ (
      document.querySelector("[data-calculator]:not([data-calculator-started])")
    );
    if (!root) return;
    if (strategy === "visible") {
      const observer = new IntersectionObserver((entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer.disconnect();
          start();
        }
      });
      observer.observe(root);
    }
    new Calculator(root, python).start();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire, { once: true });
  else wire();
}
