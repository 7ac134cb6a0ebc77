"""``make bench``: the calculator against the Pyodide floor, as ratios, in one run.

    python scripts/bench.py [--site site] [--runs 7] [--out BENCHMARKS.md] [--guideline NAME]

Serves the built site on 127.0.0.1 (Debian's nginx with the shipped snippets and the
precompressed files, when installed; else the dev server) and, in one run, each visit in
headless Chromium started on a fresh profile, alternates between

* **bare**: a page that only boots Pyodide from the same vendored files, in a module
  worker, and calls one trivial function (``scripts/bench_bare/``),
* **worker alone**: the calculator's own worker, booted and loaded with the guideline as the
  calculator page does, from a page with nothing else on it (``scripts/bench_worker/``), and
* **calculator**: a guideline's calculator page (by default the first guideline under
  ``content/``), answering one of its vignettes after it is ready,

cold (new profile) and warm (second visit, same profile), service workers blocked so both
use the HTTP cache alike. It also compares when the calculator starts Python (at once, when
idle, when visible), and times ``make site`` against a plain Material build of the same
content (rebuilds with the build cache, and a fresh clone's first build without it).
It also measures the bedside layout before and after the live summary (``bench_layout.py``),
the same boot against the bare page in Firefox ESR and WebKitGTK (``bench_engines.py``), the
snapshot start against it in every engine (``bench_snapshot.py``; ``make bench-snapshot`` runs
only that part, printed), and
what a library of 1 to 500 guidelines costs (``bench_library.py``), and Lighthouse's mobile
Total Blocking Time and layout shift of the decision table and other pages (``bench_audits.py``).
Medians, minima and maxima and the ratios go to ``BENCHMARKS.md`` (between the
markers; the analysis written below them is kept). Timings here swing run to run: compare
the ratios, which are measured alternately within one run.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import html
import json
import math
import os
import platform
import posixpath
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT), str(PROJECT / "scripts"), str(PROJECT / "tests")]

import bench_audits  # noqa: E402
import bench_engines  # noqa: E402
import bench_layout  # noqa: E402
import bench_library  # noqa: E402
import bench_snapshot  # noqa: E402
from chromium import CHROMIUM, TABLET, launch_profile  # noqa: E402
from guideline_site.server import SiteServer  # noqa: E402

SUB_PATH = "/bench/"
STRATEGIES = ("immediate", "idle", "visible")
CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
MIN_RUNS = 5
LIBRARY_ROUNDS = 3
"""Builds per library size (N = 1 … 500), alternating: the N = 500 build is the slow part."""
"""Fewer cold and warm runs per page than this give no meaningful median."""
AUDIT_RUNS = 3
"""Lighthouse audits per page (bench_audits.py; each takes 10 to 20 s)."""

OBSERVE = """
window.__bench = { longtasks: [], frames: [], firstQuestion: null };
const observe = (type, callback) => {
  try { new PerformanceObserver((list) => list.getEntries().forEach(callback)).observe({ type, buffered: true }); }
  catch (error) { /* entry type unsupported */ }
};
observe("longtask", (e) => __bench.longtasks.push(e.duration));
observe("long-animation-frame", (e) => __bench.frames.push(
  { duration: e.duration, scripts: e.scripts.map((s) => ({ url: s.sourceURL, duration: s.duration })) }));
// The first question's label is marked for Element Timing here, as the parser inserts it, and
// not in the page: `elementtiming` is not valid HTML on a <legend> (tests/test_conformance.py).
// A MutationObserver's callback runs before the next paint, so the first paint is still seen.
new MutationObserver((records, observer) => {
  const label = document.querySelector(".gc-question__label");
  if (label) {
    label.setAttribute("elementtiming", "gc-first-question");
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
observe("element", (e) => {
  // The first report is the first paint of the first question (later ones follow re-renders).
  if (e.identifier === "gc-first-question" && __bench.firstQuestion === null) {
    __bench.firstQuestion = e.renderTime || e.loadTime;
  }
});
"""

COLLECT = """() => {
  const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
  const measures = (name) => performance.getEntriesByName(name).map((e) => e.duration);
  const calculatorScripts = __bench.frames.flatMap((f) => f.scripts)
    .filter((s) => s.url.includes("/assets/calculator/")).map((s) => s.duration);
  return {
    ready: mark("gc:ready") ?? mark("bare:ready"),
    workerStart: mark("gc:worker-start") ?? mark("bare:worker-start"),
    firstQuestion: __bench.firstQuestion,
    longestTask: Math.max(0, ...__bench.longtasks),
    longestCalculatorScript: Math.max(0, ...calculatorScripts),
    roundTrips: measures("gc:evaluate"),
    answerToResult: measures("gc:answer-to-result").at(-1) ?? null,
  };
}"""


def median_min_max(values: list[float]) -> tuple[float, float, float] | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return statistics.median(values), min(values), max(values)


SENT = re.compile(r'" \d{3} (\d+) "')


@contextmanager
def server(site: Path) -> Iterator[tuple[str, Callable[[], int | None]]]:
    """nginx with the shipped snippets if available (precompressed files), else the dev server.

    Also yields a counter of the bytes the server has sent so far (from nginx's access log;
    ``None`` for the dev server), which sees what a service worker fetches too.
    """
    from nginx_server import NginxServer, nginx_available

    if nginx_available():
        with NginxServer(site, sub_path=SUB_PATH) as nginx:
            log = nginx.workdir / "access.log"

            def sent() -> int | None:
                text = log.read_text() if log.exists() else ""
                return sum(int(size) for size in SENT.findall(text))

            yield nginx.url, sent
    else:
        with SiteServer(site, prefix=SUB_PATH) as dev:
            yield dev.url, lambda: None


class Subject:
    """The calculator page to measure, and a complete case to answer on it."""

    def __init__(self, name: str | None) -> None:
        import json as _json

        from calculator.kinds import kind_of
        from calculator.loader import discover_guidelines, load_guideline
        from calculator.model import Guideline

        folders = discover_guidelines(PROJECT / "content")
        folder = next((f for f in folders if f.name == name), None) if name else folders[0]
        if folder is None:
            raise SystemExit(f"no guideline {name!r} under content/")
        self.guideline: Guideline = load_guideline(folder)
        page = next(p for p in sorted(folder.glob("*.md")) if "\ncalculator:" in p.read_text(encoding="utf-8"))
        self.path = f"{folder.name}/{page.stem}/"
        vignettes = _json.loads((folder / "vignettes.json").read_text(encoding="utf-8"))["vignettes"]

        def last_is_a_choice(answers: dict[str, Any]) -> bool:
            last = [q for q in self.guideline.questions if q.id in answers][-1]
            return kind_of(last).shape != "number"  # a typed answer waits for typing to pause

        chosen = next((v for v in vignettes if last_is_a_choice(v["answers"])), vignettes[0])
        self.answers: dict[str, Any] = chosen["answers"]


def _worker_boot(page: str, page_path: str, at: str) -> str:
    """What the calculator page at ``page_path`` gives its worker, as JSON for the worker-alone
    page at ``at`` (``scripts/bench_worker/``): its URLs made relative to ``at``."""
    from calculator.protocol import MESSAGES

    def attribute(name: str) -> str:
        found = re.search(rf'{name}="([^"]*)"', page)
        if not found:
            raise SystemExit(f"the calculator page {page_path} has no {name}")
        return html.unescape(found.group(1))

    def moved(relative: str) -> str:
        return posixpath.relpath(posixpath.normpath(posixpath.join(page_path, relative)), at)

    urls = {
        "worker": attribute("data-worker-url"),
        "runtime": attribute("data-runtime-url"),
        "wheel": attribute("data-wheel-url"),
        "module": attribute("data-module-url"),
        "sentences": attribute("data-sentences-url"),
        "root": attribute("data-site-root"),
    }
    found = re.search(r'data-snapshot-cache="([^"]*)"', page)
    boot = {
        "snapshotCache": html.unescape(found.group(1)) if found else None,
        "urls": {name: moved(url) + ("/" if url.endswith("/") else "") for name, url in urls.items()},
        "runtimeBytes": int(attribute("data-runtime-bytes")),
        "version": int(attribute("data-protocol-version")),
        "boot": attribute("data-boot-message"),
        "load": MESSAGES["load"],
    }
    return html.escape(json.dumps(boot), quote=True)


def prepare(site: Path, work: Path, subject: Subject) -> Path:
    """A copy of the site with the bare page, the calculator's worker alone, and the start-strategy
    variants of the calculator."""
    served = work / "served"
    shutil.copytree(site, served)
    version = json.loads((PROJECT / "package.json").read_text())["dependencies"]["pyodide"]
    bare = served / "bench" / "bare"
    bare.mkdir(parents=True)
    for source in (Path(__file__).parent / "bench_bare").iterdir():
        (bare / source.name).write_text(source.read_text().replace("PYODIDE_VERSION", version))
    page = (served / subject.path / "index.html").read_text()
    worker = served / "bench" / "worker"
    worker.mkdir()
    boot = _worker_boot(page, subject.path, "bench/worker/")
    for source in (Path(__file__).parent / "bench_worker").iterdir():
        (worker / source.name).write_text(source.read_text().replace("BOOT", boot))
    for strategy in STRATEGIES:
        variant = served / subject.path.split("/")[0] / f"calculator-{strategy}"
        variant.mkdir()
        (variant / "index.html").write_text(page.replace('data-start="immediate"', f'data-start="{strategy}"'))
        for compressed in (".br", ".gz"):
            (variant / f"index.html{compressed}").unlink(missing_ok=True)
    return served


class Runner:
    def __init__(
        self, base: str, playwright: Any, work: Path, subject: Subject, sent: Callable[[], int | None]
    ) -> None:
        self.sent = sent
        self.subject = subject
        self.base = base
        self.playwright = playwright
        self.work = work
        self.count = 0

    def visit(self, path: str, *, calculator: bool, warm: bool, control: bool = False) -> dict[str, Any]:
        """One measured visit; ``warm`` visits once first, in the same fresh profile.

        ``control``: a page of the site without a calculator (the guideline text), to tell the
        main-thread work of the calculator from that of Material itself.
        """
        from ui import answer  # the tests' clinician-like form filling (tests/ui.py)

        self.count += 1
        context = launch_profile(
            self.playwright.chromium, self.work / f"profile-{self.count}", service_workers="block", viewport=TABLET
        )
        try:
            page = context.new_page()
            ready = "[data-calculator-state=ready]" if calculator else "body" if control else "[data-state=ready]"
            if warm:
                page.goto(self.base + path)
                page.wait_for_selector(ready, timeout=60_000)
                page.goto("about:blank")
            sizes: list[int] = []
            page.on("requestfinished", lambda request: sizes.append(transferred(request)))
            page.add_init_script(OBSERVE)
            page.goto(self.base + path)
            page.wait_for_selector(ready, timeout=60_000)
            if control:
                page.wait_for_load_state("load")
                page.wait_for_timeout(2000)
            if calculator:
                answer(page, self.subject.guideline, self.subject.answers)
                page.wait_for_selector("[data-classification]", timeout=10_000)
                page.wait_for_function("() => performance.getEntriesByName('gc:answer-to-result').length > 0")
            page.wait_for_timeout(300)  # let the observers deliver
            result: dict[str, Any] = page.evaluate(COLLECT)
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
            result["jsHeapBytes"] = metrics.get("JSHeapUsedSize")
            workers = [w for w in page.workers if "worker" in w.url and "search" not in w.url]
            result["wasmMemoryBytes"] = (
                workers[0].evaluate("self.calculatorStats?.().wasmMemoryBytes") if workers else None
            )
            if workers:  # the worker's boot steps, on the page's clock
                shift = workers[0].evaluate("performance.timeOrigin") - page.evaluate("performance.timeOrigin")
                marks = workers[0].evaluate("performance.getEntriesByType('mark').map(m => [m.name, m.startTime])")
                for name, at in marks:
                    result[name.removeprefix("gc:step:")] = at + shift
            result["bytes"] = sum(sizes)
            return result
        finally:
            context.close()

    def offline_bytes(self, path: str) -> dict[str, Any]:
        """A first visit with the service worker on: bytes until the site and runtime are saved."""
        self.count += 1
        context = launch_profile(self.playwright.chromium, self.work / f"profile-{self.count}")
        try:
            before = self.sent()
            page = context.new_page()
            start = time.perf_counter()
            page.goto(self.base + path)
            page.wait_for_selector("[data-offline-state=ready]", timeout=120_000)
            seconds = time.perf_counter() - start
            page.wait_for_timeout(1000)  # let the log catch up
            after = self.sent()
            sent = after - before if after is not None and before is not None else None
            return {"bytes": sent, "seconds": seconds}
        finally:
            context.close()


def transferred(request: Any) -> int:
    """The bytes a finished request took on the wire: its headers and (encoded) body."""
    try:
        sizes = request.sizes()
    except Exception:
        return 0
    return int(sizes.get("responseBodySize", 0)) + int(sizes.get("responseHeadersSize", 0))


def time_builds(runs: int, work: Path) -> dict[str, list[float]]:
    """`mkdocs build` of the project against a plain Material build of the same content.

    ``make site`` is timed as a rebuild (build cache filled: the wheel, the brotli copies of
    the runtime and the icons are reused) and as a fresh clone's first build (an empty cache).
    """
    plain = work / "plain-mkdocs.yml"
    plain.write_text(
        "site_name: Interactive clinical guidelines\n"
        f"docs_dir: {PROJECT / 'content'}\n"
        "theme:\n  name: material\n  font: false\n"
        "markdown_extensions: [admonition, attr_list, md_in_html, tables, {toc: {permalink: true}}]\n"
        "plugins: [search]\n"
        "exclude_docs: |\n  releases/\n  vignettes.json\n"
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--quiet"]
    commands = {
        "make site": [*mkdocs, "--strict", "-f", str(PROJECT / "mkdocs.yml"), "--site-dir", str(work / "build-full")],
        "plain Material": [*mkdocs, "-f", str(plain), "--site-dir", str(work / "build-plain")],
    }
    timings: dict[str, list[float]] = {name: [] for name in [*commands, "make site, fresh clone"]}
    for command in commands.values():  # one warm-up each: caches filled, imports compiled
        subprocess.run(command, env=env, check=True, capture_output=True)
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            timings[name].append(time.perf_counter() - start)
    for attempt in range(2):  # slow (the runtime's brotli copies): two runs
        fresh_env = {**env, "GUIDELINE_SITE_CACHE": str(work / f"empty-cache-{attempt}")}
        start = time.perf_counter()
        subprocess.run(commands["make site"], env=fresh_env, check=True, capture_output=True)
        timings["make site, fresh clone"].append(time.perf_counter() - start)
    return timings


def core_brotli_bytes(site: Path) -> int:
    version = json.loads((PROJECT / "package.json").read_text())["dependencies"]["pyodide"]
    runtime = site / "assets" / "pyodide" / version
    return sum((runtime / f"{name}.br").stat().st_size for name in CORE_FILES)


def machine() -> dict[str, str]:
    chromium = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True).stdout.strip()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs",
        "browser": f"{chromium} (headless)",
        "pyodide": json.loads((PROJECT / "package.json").read_text())["dependencies"]["pyodide"],
        "python": platform.python_version(),
    }


def fmt(values: tuple[float, float, float] | None, unit: str = "ms", scale: float = 1.0) -> str:
    if values is None:
        return "n/a"
    median, low, high = (v * scale for v in values)
    if unit == "MB":
        return f"{median:.2f} MB ({low:.2f}–{high:.2f})"
    if unit == "s":
        return f"{median:.2f} s ({low:.2f}–{high:.2f})"
    return f"{median:.0f} ms ({low:.0f}–{high:.0f})" if median >= 10 else f"{median:.2f} ms ({low:.2f}–{high:.2f})"


def report(
    results: dict[str, list[dict[str, Any]]],
    builds: dict[str, list[float]],
    core: int,
    runs: int,
    server_kind: str,
    more_targets: list[tuple[str, str, bool]] = (),  # type: ignore[assignment]
) -> tuple[str, list[tuple[str, str, bool]]]:
    def series(key: str, metric: str) -> tuple[float, float, float] | None:
        values = []
        for run in results[key]:
            value = run.get(metric)
            if isinstance(value, list):
                values.extend(value)
            elif value is not None:
                values.append(value)
        return median_min_max(values)

    def med(key: str, metric: str) -> float:
        found = series(key, metric)
        return found[0] if found else float("nan")

    lines = []
    for mode in ("cold", "warm"):
        lines.append(
            f"\n### {mode.capitalize()} ({'new profile' if mode == 'cold' else 'second visit, same profile'})\n"
        )
        lines.append("| Measure | Bare Pyodide | Calculator | Calculator / bare |")
        lines.append("| --- | --- | --- | --- |")
        bare, calc = f"bare-{mode}", f"calculator-{mode}"
        rows = [
            ("Calculator ready (from navigation)", "ready", "ms", 1.0),
            ("Worker created (from navigation)", "workerStart", "ms", 1.0),
            ("Worker running, boot requested", "fetch-runtime", "ms", 1.0),
            ("Pyodide module imported", "start-interpreter", "ms", 1.0),
            ("Interpreter started (loadPyodide done)", "load-calculator", "ms", 1.0),
            ("Longest main-thread task", "longestTask", "ms", 1.0),
            ("JS heap (page)", "jsHeapBytes", "MB", 1e-6),
            ("Wasm memory (worker)", "wasmMemoryBytes", "MB", 1e-6),
            ("Bytes transferred", "bytes", "MB", 1e-6),
        ]
        for label, metric, unit, scale in rows:
            medians = (med(bare, metric), med(calc, metric))
            # A ratio against (nearly) nothing says nothing: none where either rounds to 0.00 as shown.
            negligible = any(math.isnan(value) or abs(value * scale) < 0.005 for value in medians)
            ratio = "–" if negligible else f"{medians[1] / medians[0]:.2f}"
            shown = f"{fmt(series(bare, metric), unit, scale)} | {fmt(series(calc, metric), unit, scale)}"
            lines.append(f"| {label} | {shown} | {ratio} |")
        for label, metric in (
            ("Calculator engine imported (wheel unpacked)", "load-guideline"),
            ("First question answerable (rendered)", "firstQuestion"),
            ("Longest task in calculator scripts", "longestCalculatorScript"),
            ("Worker round trip per step", "roundTrips"),
            ("Last answer to result shown", "answerToResult"),
        ):
            lines.append(f"| {label} | – | {fmt(series(calc, metric))} | |")

    lines.append("\n### Ready, split: the calculator's worker alone\n")
    lines += bench_engines.split_table(lambda key: med(key, "ready"))

    lines.append("\n### Main-thread work: calculator page against its guideline's text page (cold)\n")
    lines.append("| Page | Longest main-thread task | Longest task in calculator scripts |")
    lines.append("| --- | --- | --- |")
    lines.append(f"| Guideline text (Material, no calculator) | {fmt(series('control-cold', 'longestTask'))} | – |")
    lines.append(
        f"| Calculator | {fmt(series('calculator-cold', 'longestTask'))} | "
        f"{fmt(series('calculator-cold', 'longestCalculatorScript'))} |"
    )
    offline = median_min_max([run["bytes"] for run in results["offline"] if run["bytes"] is not None])
    offline_time = median_min_max([run["seconds"] for run in results["offline"]])
    lines.append("\n### Offline (service worker on, first visit to the calculator)\n")
    lines.append(
        f"Bytes the server sent (nginx access log: page, worker and service worker) until the site's shell, "
        f"this guideline and the runtime were saved for offline use: {fmt(offline, 'MB', 1e-6)}, in "
        f"{fmt(offline_time, 's')}; {offline[0] / core:.2f} × the brotli core (3 visits). What the service "
        "worker saves comes on top of the calculator's own bytes above; the runtime is not fetched twice."
        if offline and offline_time
        else "Not measured: served by the dev server, which keeps no access log."
    )

    lines.append("\n### When to start Python (cold, calculator page)\n")
    lines.append("| Start | First question answerable | Ready | Longest main-thread task |")
    lines.append("| --- | --- | --- | --- |")
    for strategy in STRATEGIES:
        key = f"start-{strategy}"
        cells = " | ".join(fmt(series(key, metric)) for metric in ("firstQuestion", "ready", "longestTask"))
        lines.append(f"| `{strategy}` | {cells} |")

    full, plain = median_min_max(builds["make site"]), median_min_max(builds["plain Material"])
    fresh = median_min_max(builds["make site, fresh clone"])
    assert full and plain and fresh
    lines.append("\n### Build\n")
    lines.append("| Build | Time | Ratio |")
    lines.append("| --- | --- | --- |")
    lines.append(f"| plain Material, same content | {fmt(plain, 's')} | 1.00 |")
    lines.append(
        f"| `make site` (mkdocs build --strict with the hooks), rebuild | {fmt(full, 's')} | {full[0] / plain[0]:.2f} |"
    )
    lines.append(
        f"| `make site`, fresh clone (empty build cache; 2 runs) | {fmt(fresh, 's')} | {fresh[0] / plain[0]:.2f} |"
    )

    cold_bare, cold_calc = med("bare-cold", "ready"), med("calculator-cold", "ready")
    warm_bare, warm_calc = med("bare-warm", "ready"), med("calculator-warm", "ready")
    # Caused by the calculator: tasks in its own scripts, and what its page adds over the same
    # page without a calculator (Material's own work is on both).
    calculator_block = max(
        med("calculator-cold", "longestCalculatorScript"),
        med("calculator-warm", "longestCalculatorScript"),
        med("calculator-cold", "longestTask") - med("control-cold", "longestTask"),
    )
    targets = [
        ("Calculator ready ≤ 1.10 × bare boot (cold)", f"{cold_calc / cold_bare:.2f} ×", cold_calc / cold_bare <= 1.10),
        ("Calculator ready ≤ 1.10 × bare boot (warm)", f"{warm_calc / warm_bare:.2f} ×", warm_calc / warm_bare <= 1.10),
        (
            "First question answerable ≤ 0.10 × bare boot (cold)",
            f"{med('calculator-cold', 'firstQuestion') / cold_bare:.3f} ×",
            med("calculator-cold", "firstQuestion") / cold_bare <= 0.10,
        ),
        (
            "No main-thread task > 50 ms caused by the calculator",
            f"{calculator_block:.0f} ms",
            calculator_block <= 50,
        ),
        (
            "Worker round trip per step ≤ 5 ms (median)",
            f"{med('calculator-warm', 'roundTrips'):.2f} ms",
            med("calculator-warm", "roundTrips") <= 5,
        ),
        (
            "First-visit bytes ≤ 1.05 × brotli size of the Pyodide core files (calculator page and worker)",
            f"{med('calculator-cold', 'bytes') / core:.2f} × ({core / 1e6:.2f} MB core)",
            med("calculator-cold", "bytes") / core <= 1.05,
        ),
    ]
    if offline:
        targets.append(
            (
                "… the same first visit with the service worker on (the shell and this guideline saved offline too)",
                f"{offline[0] / core:.2f} ×",
                offline[0] / core <= 1.05,
            )
        )
    targets += [
        ("`make site` ≤ 2 × plain Material build (rebuild)", f"{full[0] / plain[0]:.2f} ×", full[0] / plain[0] <= 2.0),
        (
            "`make site` ≤ 2 × plain Material build (fresh clone, empty build cache)",
            f"{fresh[0] / plain[0]:.2f} ×",
            fresh[0] / plain[0] <= 2.0,
        ),
    ]
    targets += list(more_targets)
    summary = ["| Target | Measured | Met |", "| --- | --- | --- |"]
    summary += [f"| {name} | {value} | {'yes' if met else '**no**'} |" for name, value, met in targets]
    header = (
        f"Runs: {runs} cold and {runs} warm per page, alternating bare and calculator; served by {server_kind}; "
        "service workers blocked (both pages use the HTTP cache alike). Medians, with (min–max)."
    )
    return "\n".join([header, "", "### Targets", "", *summary, *lines]), targets


def write_benchmarks(out: Path, body: str, facts: dict[str, str]) -> None:
    machine_lines = "\n".join(f"- **{k}:** {v}" for k, v in facts.items())
    note = "<!-- Generated by `make bench` (scripts/bench.py); edit only outside the markers. -->"
    generated = f"{BEGIN}\n{note}\n\n{machine_lines}\n\n{body}\n{END}"
    if out.exists() and BEGIN in out.read_text():
        text = out.read_text()
        text = text[: text.index(BEGIN)] + generated + text[text.index(END) + len(END) :]
    else:
        placeholder = "(Written by hand after a run: what the figures mean and why a missed target is missed.)"
        text = f"# Benchmarks\n\n{generated}\n\n## Analysis\n\n{placeholder}\n"
    out.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--site", type=Path, default=PROJECT / "site")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=PROJECT / "BENCHMARKS.md")
    parser.add_argument("--guideline", help="the guideline folder name (default: the first under content/)")
    parser.add_argument(
        "--against", default="", help="also first visits of the calculator built at this git revision (snapshot start)"
    )
    args = parser.parse_args()
    if args.runs < MIN_RUNS:
        parser.error(f"--runs must be at least {MIN_RUNS} (cold and warm runs per page)")
    if not (args.site / "sw.js").is_file():
        parser.error(f"{args.site} is not a built site: run `make site`")
    from nginx_server import nginx_available
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        subject = Subject(args.guideline)
        served = prepare(args.site, work, subject)
        results: dict[str, list[dict[str, Any]]] = {}
        earlier = (
            bench_snapshot.earlier_build(args.against, work, subject.path) if args.against else contextlib.nullcontext()
        )
        with server(served) as (base, sent), sync_playwright() as playwright, earlier as earlier_url:
            runner = Runner(base, playwright, work, subject, sent)
            folder = subject.path.split("/")[0]
            plan: list[tuple[str, str, bool, bool]] = []  # (result key, path, calculator?, warm?)
            for _ in range(args.runs):
                for mode in ("cold", "warm"):
                    plan.append((f"bare-{mode}", "bench/bare/", False, mode == "warm"))
                    plan.append((f"worker-{mode}", "bench/worker/", False, mode == "warm"))
                    plan.append((f"calculator-{mode}", subject.path, True, mode == "warm"))
                for strategy in STRATEGIES:
                    plan.append((f"start-{strategy}", f"{folder}/calculator-{strategy}/", True, False))
                plan.append(("control-cold", f"{folder}/", False, False))
            for index, (key, path, calculator, warm) in enumerate(plan, 1):
                control = key.startswith("control")
                results.setdefault(key, []).append(
                    runner.visit(path, calculator=calculator, warm=warm, control=control)
                )
                print(f"[{index}/{len(plan)}] {key}: ready {results[key][-1]['ready'] or 0:.0f} ms", flush=True)
            results["offline"] = [runner.offline_bytes(subject.path) for _ in range(3)]
            layout = bench_layout.bedside_layout(playwright, base, subject)
            audits_body, audit_targets = bench_audits.report(
                bench_audits.measure({"site": base}, folder, AUDIT_RUNS), AUDIT_RUNS
            )
            # Last: these remove sw.js from the served copy (both pages on the HTTP cache alike).
            engines_body, engine_targets = bench_engines.report(
                bench_engines.measure(served, base, subject.path, args.runs), args.runs
            )
            snapshot_body, snapshot_targets = bench_snapshot.report(
                bench_snapshot.measure(
                    served,
                    base,
                    subject.path,
                    args.runs,
                    list(bench_snapshot.ENGINE_NAMES),
                    work,
                    sent,
                    earlier=earlier_url,
                ),
                args.runs,
                against=args.against,
            )
            library_body, library_targets = bench_library.report(bench_library.measure(playwright, LIBRARY_ROUNDS))
        builds = time_builds(max(3, args.runs // 2), work)
        served_by = (
            "nginx (shipped snippets, precompressed)" if nginx_available() else "the dev server (no compression)"
        )
        more = [*audit_targets, *engine_targets, *snapshot_targets, *library_targets]
        body, targets = report(results, builds, core_brotli_bytes(args.site), args.runs, served_by, more)
        body += "\n" + layout + "\n" + audits_body + "\n" + engines_body + "\n" + snapshot_body + "\n" + library_body
        write_benchmarks(args.out, body, machine())
        for name, value, met in targets:
            print(f"{'MET ' if met else 'MISS'} {name}: {value}")
        print(f"Wrote {args.out}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
