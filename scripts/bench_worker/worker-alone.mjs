// Drives the calculator's worker (assets/calculator/worker.mjs) as the calculator page does:
// `boot` at once, `load` with the guideline, and marks when `load` has answered.
const state = document.getElementById("state");
// What the calculator page gives its worker (filled in by scripts/bench.py from that page).
const { urls, runtimeBytes, version, boot, load, snapshotCache } = JSON.parse(state.dataset.boot);
const url = (name) => new URL(urls[name], document.baseURI).href;
performance.mark("bare:worker-start");
const worker = new Worker(url("worker"), { type: "module" });
worker.addEventListener("message", ({ data }) => {
  if (data.type === "status") {
    if (data.error) state.textContent = data.error;
    else if (data.step) performance.mark(`gc:status:${data.step}`);
    return;
  }
  if (data.error) {
    state.textContent = data.error.message;
    state.dataset.state = "error";
  } else if (data.id === 2) {
    performance.mark("bare:ready");
    state.textContent = "ready";
    state.dataset.state = "ready";
  }
});
// With #snapshot (scripts/bench_snapshot.py), the snapshot start: its cache named as the page's
// boot.js names it (under the site root's path). Without, the start as before snapshots (bench.py).
const withSnapshot = location.hash === "#snapshot" && snapshotCache;
const snapshot = withSnapshot ? { cache: `${new URL(url("root")).pathname}:${snapshotCache}` } : undefined;
const params = { runtimeUrl: url("runtime"), wheelUrl: url("wheel"), runtimeBytes, snapshot };
worker.postMessage({ v: version, id: 1, type: boot, params });
worker.postMessage({
  v: version,
  id: 2,
  type: load,
  params: { moduleUrl: url("module"), sentencesUrl: url("sentences"), language: "en" },
});
