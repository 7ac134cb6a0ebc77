// Boots Pyodide and calls one trivial function: nothing else.
let pyodide = null;
self.calculatorStats = () => ({ wasmMemoryBytes: pyodide?._module?.HEAP8?.buffer?.byteLength ?? null });
self.addEventListener("message", async ({ data }) => {
  performance.mark("gc:step:fetch-runtime");
  const { loadPyodide } = await import(new URL("pyodide.mjs", data.runtimeUrl).href);
  performance.mark("gc:step:start-interpreter");
  pyodide = await loadPyodide({ indexURL: data.runtimeUrl });
  performance.mark("gc:step:load-calculator");
  const add = pyodide.runPython("lambda a, b: a + b");
  self.postMessage({ result: add(1, 1) });
});
