"""``make bench``, other engines: Firefox ESR and WebKitGTK, each against a bare Pyodide boot in
the same engine, alternating in one run (the drivers of ``tests/engines/``).

For each engine and visit (cold: a new profile; warm: the same page again), the page's own
marks say when the worker was created, when each boot step was heard (``gc:status:<step>``:
worker running, Pyodide imported, interpreter started, calculator engine loaded, ready) and
when the page first painted (``first-contentful-paint``: the form is answerable then). The
service worker is left out (its ``sw.js`` is removed from the copy served here), so both pages
use the HTTP cache alike, as in the Chromium section. Memory: the worker's WebAssembly memory,
asked with the worker protocol's ``stats`` request (no engine but Chromium exposes a page's
JavaScript heap to it). WebKitGTK runs without accelerated compositing, as in the tests
(``tests/engines/webkit.py``, ``browser_env``): this machine has no GPU, and composited it drew
every layer through Mesa's software OpenGL, which cost a page of content about 2 s of CPU that a
one-line bare page never paid.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent

STEPS = ("fetch-runtime", "start-interpreter", "load-calculator", "load-guideline", "ready")
STEP_NAMES = {
    "workerStart": "Worker created",
    "step:fetch-runtime": "Worker running, boot requested",
    "step:start-interpreter": "Pyodide module imported",
    "step:load-calculator": "Interpreter started (loadPyodide done)",
    "step:load-guideline": "Calculator engine imported (wheel unpacked)",
    "ready": "Ready (the trivial call returned; the calculator ready)",
    "firstPaint": "First paint (the form answerable)",
}

COLLECT = (
    """(() => {
  const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
  const steps = {};
  for (const step of %s) steps[`step:${step}`] = mark(`gc:status:${step}`);
  return {
    ready: mark("gc:ready") ?? mark("bare:ready"),
    workerStart: mark("gc:worker-start") ?? mark("bare:worker-start"),
    firstPaint: performance.getEntriesByType("paint")
      .find((e) => e.name === "first-contentful-paint")?.startTime ?? null,
    ...steps,
  };
})()"""
).replace("%s", str(list(STEPS)).replace("'", '"'))

READY = """(() => document.querySelector("[data-calculator]")?.dataset.calculatorState === "ready"
  || document.getElementById("state")?.dataset.state === "ready")()"""

STATS = """async () => {
  const boot = document.querySelector("script[data-calculator-boot]");
  const root = document.querySelector("[data-calculator]");
  const url = (name) => new URL(boot.dataset[name] ?? root.dataset[name], document.baseURI).href;
  const worker = new Worker(url("workerUrl"), { type: "module" });
  let next = 1;
  const call = (type, params) => new Promise((resolve, reject) => {
    const id = next++;
    const listen = ({ data }) => {
      if (data.id !== id) return;
      worker.removeEventListener("message", listen);
      "error" in data ? reject(new Error(data.error.message)) : resolve(data.result);
    };
    worker.addEventListener("message", listen);
    worker.postMessage({ v: 1, id, type, params });
  });
  await call("boot", { runtimeUrl: url("runtimeUrl"), wheelUrl: url("wheelUrl") });
  await call("load", { moduleUrl: url("moduleUrl"), sentencesUrl: url("sentencesUrl") });
  await call("evaluate", { answers: "{}" });
  const stats = await call("stats", {});
  worker.terminate();
  return stats;
}"""


def _median_ready(by_key: dict[str, list[dict[str, Any]]], key: str) -> float | None:
    return _median([r.get("ready") for r in by_key[key]])


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


@contextmanager
def firefox() -> Iterator[Callable[[str, bool], dict[str, Any]]]:
    from engines.firefox import FirefoxDriver, FirefoxEngine

    driver = FirefoxDriver()
    engine = FirefoxEngine(driver)

    def visit(url: str, warm: bool) -> dict[str, Any]:
        engine.launch()  # a new profile: cold
        if warm:
            engine.open(url)
            engine.wait_js(READY, timeout=180)
        engine.open(url)
        engine.wait_js(READY, timeout=180)
        engine.wait_js("new Promise((done) => setTimeout(() => done(true), 300))")
        result: dict[str, Any] = engine.js(COLLECT)
        if "calculator" in url and not warm:
            result["wasmMemoryBytes"] = engine.run_async(STATS, None)["wasmMemoryBytes"]
        return result

    try:
        yield visit
    finally:
        driver.close()


@contextmanager
def webkit() -> Iterator[Callable[[str, bool], dict[str, Any]]]:
    from engines.webkit import Xvfb, in_webkit

    with Xvfb() as display:

        def visit(url: str, warm: bool) -> dict[str, Any]:
            def body(engine: Any) -> dict[str, Any]:
                if warm:
                    engine.open(url)
                    engine.wait_js(READY, timeout=180)
                engine.open(url)
                engine.wait_js(READY, timeout=180)
                engine.wait_js("new Promise((done) => setTimeout(() => done(true), 300))")
                result: dict[str, Any] = engine.js(COLLECT)
                if "calculator" in url and not warm:
                    result["wasmMemoryBytes"] = engine.run_async(STATS, None)["wasmMemoryBytes"]
                return result

            value: dict[str, Any] = in_webkit(display, body)
            return value

        yield visit


ENGINES = {"Firefox ESR": firefox, "WebKitGTK": webkit}
PAGES = (("bare", "bench/bare/"), ("worker", "bench/worker/"))
"""Measured with the calculator page: the floor, and the calculator's worker alone."""


def split_table(ready: Callable[[str], float | None]) -> list[str]:
    """Ready on the bare page, the worker-alone page and the calculator page, cold and warm:
    what our worker costs, and what the page around it costs. ``ready("bare-cold")``: a median."""
    lines = [
        "The calculator's worker booted and loaded with the guideline as the calculator page does, from an "
        "empty page (`scripts/bench_worker/`). Against the bare boot: what our worker costs (the wheel, the "
        "calculator's import, the guideline). The calculator page against it: what the page around the worker "
        "costs.\n",
        "| Visit | Bare | Worker alone | Calculator page | Worker / bare | Page / worker |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for mode in ("cold", "warm"):
        floor, alone, page = (ready(f"{key}-{mode}") for key in ("bare", "worker", "calculator"))
        if floor and alone and page:
            lines.append(
                f"| {mode} | {floor:.0f} | {alone:.0f} | {page:.0f} | {alone / floor:.2f} | {page / alone:.2f} |"
            )
    return lines


def measure(served: Path, base: str, subject_path: str, runs: int) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Alternating bare and calculator visits, cold and warm, in each engine."""
    (served / "sw.js").unlink(missing_ok=True)  # both pages on the HTTP cache alike
    results: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name, engine in ENGINES.items():
        results[name] = {}
        with engine() as visit:
            for run in range(runs):
                for mode in ("cold", "warm"):
                    for page, path in (*PAGES, ("calculator", subject_path)):
                        key = f"{page}-{mode}"
                        results[name].setdefault(key, []).append(visit(base + path, mode == "warm"))
                        ready = results[name][key][-1].get("ready") or 0
                        print(f"[{name} {run + 1}/{runs}] {key}: ready {ready:.0f} ms", flush=True)
    return results


def report(results: dict[str, dict[str, list[dict[str, Any]]]], runs: int) -> tuple[str, list[tuple[str, str, bool]]]:
    lines = [
        "\n### Other engines: Firefox ESR and WebKitGTK against a bare Pyodide boot in the same engine\n",
        f"{runs} cold and {runs} warm visits per page and engine, alternating bare and calculator; nginx; no "
        "service worker (both pages on the HTTP cache); WebKitGTK without accelerated compositing (no GPU here). "
        "Medians, in ms from navigation. Boot steps are when the "
        "page heard each (`gc:status:<step>`); first paint is `first-contentful-paint`, when the form can be "
        "answered.",
    ]
    targets: list[tuple[str, str, bool]] = []
    for engine, by_key in results.items():
        lines += [
            f"\n#### {engine}\n",
            "| Measure | Bare cold | Calculator cold | Ratio | Bare warm | Calculator warm | Ratio |",
        ]
        lines.append("| --- | --- | --- | --- | --- | --- | --- |")
        for metric, label in STEP_NAMES.items():
            cells = []
            for mode in ("cold", "warm"):
                bare = _median([r.get(metric) for r in by_key[f"bare-{mode}"]])
                calc = _median([r.get(metric) for r in by_key[f"calculator-{mode}"]])
                shown = f"{calc / bare:.2f}" if bare and calc and bare > 5 else "–"
                cells += [f"{bare:.0f}" if bare is not None else "–", f"{calc:.0f}" if calc is not None else "–", shown]
            lines.append(f"| {label} | {' | '.join(cells)} |")
        lines.append("\nReady, split:\n")
        lines += split_table(partial(_median_ready, by_key))
        memory = _median([r.get("wasmMemoryBytes") for r in by_key["calculator-cold"]])
        if memory is not None:
            lines.append(f"\nWorker's WebAssembly memory: {memory / 2**20:.1f} MiB (budget 64 MiB).")
        for mode in ("cold", "warm"):
            bare = _median_ready(by_key, f"bare-{mode}")
            calc = _median_ready(by_key, f"calculator-{mode}")
            if bare and calc:
                ratio: float = calc / bare
                targets.append(
                    (f"{engine}: calculator ready ≤ 1.10 × bare boot ({mode})", f"{ratio:.2f} ×", ratio <= 1.10)
                )
        if memory is not None:
            targets.append((f"{engine}: worker memory ≤ 64 MiB", f"{memory / 2**20:.1f} MiB", memory <= 64 * 2**20))
    return "\n".join(lines), targets


def main() -> None:
    """``python scripts/bench_engines.py [--site site] [--runs 5]``: just this section, printed."""
    import argparse
    import tempfile

    sys.path[:0] = [str(PROJECT), str(PROJECT / "scripts"), str(PROJECT / "tests")]
    from bench import Subject, prepare
    from nginx_server import NginxServer

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--site", type=Path, default=PROJECT / "site")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    subject = Subject(None)
    with tempfile.TemporaryDirectory(prefix="bench-engines-") as work:
        served = prepare(args.site, Path(work), subject)
        with NginxServer(served, sub_path="/bench/") as nginx:
            results = measure(served, nginx.url, subject.path, args.runs)
    body, targets = report(results, args.runs)
    print(body)
    for name, value, met in targets:
        print(f"{'MET ' if met else 'MISS'} {name}: {value}")


if __name__ == "__main__":
    main()
