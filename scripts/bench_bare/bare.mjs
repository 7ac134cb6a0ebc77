// Starts the bare worker at once and marks when the trivial Python call has returned.
const state = document.getElementById("state");
const runtimeUrl = new URL(state.dataset.runtimeUrl, document.baseURI).href;
performance.mark("bare:worker-start");
const worker = new Worker(new URL("bare-worker.mjs", import.meta.url), { type: "module" });
worker.addEventListener("message", ({ data }) => {
  if (data.step) return performance.mark(`gc:status:${data.step}`);
  performance.mark("bare:ready");
  state.textContent = `ready: ${data.result}`;
  state.dataset.state = "ready";
});
worker.postMessage({ runtimeUrl });
