// Boots Pyodide and calls one trivial function: nothing else.
let pyodide = null;
self.calculatorStats = () => ({ wasmMemoryBytes: pyodide?._module?.HEAP8?.buffer?.byteLength ?? null });
/** Mark a step here (Chromium reads the worker's marks) and tell the page (every engine). */
const step = (name) => {
  performance.mark(`gc:step:${name}`);
  self.postMessage({ step: name });
};
self.addEventListener("message", async ({ data }) => {
  step("fetch-runtime");
  const { loadPyodide } = await import(new URL("pyodide.mjs", data.runtimeUrl).href);
  step("start-interpreter");
  pyodide = await loadPyodide({ indexURL: data.runtimeUrl });
  step("load-calculator");
  const add = pyodide.runPython("lambda a, b: a + b");
  self.postMessage({ result: add(1, 1) });
});
