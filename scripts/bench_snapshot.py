"""``make bench``, the snapshot start: the calculator ready from a memory snapshot the device
made on its first visit, against a bare Pyodide boot in the same engine, alternating.

Per engine (Chromium, Firefox ESR, WebKitGTK) and run, in this order: bare and calculator cold
(a new profile: the calculator makes its snapshot), then bare and calculator warm (the same
page again: the calculator restores the snapshot its first visit stored, the bare page has its
HTTP cache). In Chromium also warm with the CPU slowed 4 times (``slowed``: the browser's
renderer processes get a quarter of the CPU time during the measured visit of both pages). No
service worker (``sw.js`` is removed from the served copy): both pages use the HTTP cache alike.
Ready is from navigation, as the page hears it. Chromium and Firefox ESR are driven over a bare
protocol connection that watches nothing (``quiet_browsers.py``): Playwright and puppeteer watch
every request and hold every new worker until they have set it up, which on two cores delayed
the calculator page (about 40 requests, two workers) far more than the bare page (six, one).

Also: how the warm calculator started (``snapshot`` when restored), the time the worker spent
restoring (its ``start-interpreter`` to ``load-calculator`` marks, Chromium), the bytes the
snapshot takes in Cache Storage and uncompressed, and the bytes a first visit transfers.

    python scripts/bench_snapshot.py [--site site] [--runs 7] [--engines chromium,firefox,webkit]
        [--encoding pages|gzip] [--against REV]

``--encoding gzip`` serves a worker that gzips the stored form (snapshot-pages.mjs: the heap
without its zero pages) before keeping it: how the decision for ``pages`` was measured (README,
"Snapshot start").

``--against REV`` also measures first visits of the calculator as the project built it at git
revision REV (for example the commit before the snapshot start): the revision is checked out
beside this one, installed into a venv of its own (pip), built with this checkout's vendored
runtime (the same Pyodide pin is required) and served by its own deploy configuration, in a
process of its own; its cold visits alternate with the others, and its ratio is reported next
to today's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT), str(PROJECT / "scripts"), str(PROJECT / "tests")]

CPU_SLOWDOWN = 4
STORED_AS = {
    "pages": "its heap without the zero pages (snapshot-pages.mjs)",
    "gzip": "its heap without the zero pages, gzipped",
}
TARGET_WARM = 0.35
ALONE = "bench/worker/#snapshot"
"""The calculator's worker driven without its page (scripts/bench_worker), from its snapshot."""
TARGET_WARM_SLOW = 0.40

READY = """(() => document.querySelector("[data-calculator]")?.dataset.calculatorState === "ready"
  || document.getElementById("state")?.dataset.state === "ready")()"""

MARKS = """(() => {
  const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
  const steps = {};
  for (const step of ["start-interpreter", "load-calculator", "load-guideline"]) {
    steps[step] = mark(`gc:status:${step}`);
  }
  return { ready: mark("gc:ready") ?? mark("bare:ready"), ...steps };
})()"""

SNAPSHOT_KEPT = """async (wait) => {
  // The calculator page's snapshot in Cache Storage: {stored, raw} bytes, waiting up to `wait` s.
  // On the worker-alone page (bench/worker/#snapshot), from what it gives the worker.
  const boot = document.querySelector("script[data-calculator-boot]");
  const alone = location.hash === "#snapshot" && document.getElementById("state")?.dataset.boot;
  const given = boot ? { ...boot.dataset } : alone ? JSON.parse(alone) : {};
  const [root, cache, worker] = boot
    ? [given.siteRoot, given.snapshotCache, given.workerUrl]
    : [given.urls?.root, given.snapshotCache, given.urls?.worker];
  if (!cache) return null;
  const name = `${new URL(root, document.baseURI).pathname}:${cache}`;
  const entry = new URL("snapshot/memory", new URL(worker, document.baseURI)).href;
  const until = performance.now() + wait * 1000;
  for (;;) {
    const found = (await caches.has(name)) && (await (await caches.open(name)).match(entry));
    // The stored size as the worker recorded it (the bytes are in a file beside the cache where
    // the engine has one: worker.mjs, "x-snapshot-file"), as the offline page shows it.
    if (found) {
      const bytes = (key) => Number(found.headers.get(key));
      const [stored, raw] = [bytes("x-snapshot-stored-bytes"), bytes("x-snapshot-bytes")];
      return { stored, raw, file: found.headers.get("x-snapshot-file") };
    }
    if (performance.now() > until) return { stored: 0, raw: 0 };
    await new Promise((done) => setTimeout(done, 200));
  }
}"""


def _renderers(profile: Path) -> list[int]:
    """The renderer processes (pages and their workers) of the Chromium using ``profile``."""
    processes: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        processes[int(entry.name)] = (parent, command)
    mine = {pid for pid, (_, command) in processes.items() if f"--user-data-dir={profile}" in command}
    grown = True
    while grown:
        children = {pid for pid, (parent, _) in processes.items() if parent in mine} - mine
        grown = bool(children)
        mine |= children
    return [pid for pid in mine if "--type=renderer" in processes[pid][1]]


@contextmanager
def slowed(profile: Path, factor: int) -> Iterator[None]:
    """The renderer processes of the Chromium using ``profile`` get 1/``factor`` of the CPU time
    they would (stopped and continued in 8 ms cycles, as ``cpulimit`` does): the page's main
    thread and its workers alike. DevTools' CPU throttling (``Emulation.setCPUThrottlingRate``)
    slows the page's main thread only, not its dedicated workers, where Pyodide runs
    ("Operation is only supported for pages, not workers" for a worker's target)."""
    import os
    import signal
    import threading

    stop = threading.Event()
    period = 0.008

    def cycle() -> None:
        pids: list[int] = []
        scanned = 0.0
        while not stop.is_set():
            if time.perf_counter() - scanned > 0.1:
                pids, scanned = _renderers(profile), time.perf_counter()
            for pid in pids:
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGSTOP)
            time.sleep(period * (1 - 1 / factor))
            for pid in pids:
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)
            time.sleep(period / factor)

    thread = threading.Thread(target=cycle, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        for pid in _renderers(profile):
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


Visit = Callable[[str, str], dict[str, Any]]
"""(url, mode) → measures; mode: ``cold``, ``warm`` or ``warm-cpu4``."""


@contextmanager
def chromium(work: Path, sent: Callable[[], int | None]) -> Iterator[Visit]:
    from chromium import TABLET
    from quiet_browsers import QuietChromium

    count = 0

    def visit(url: str, mode: str) -> dict[str, Any]:
        nonlocal count
        count += 1
        profile = work / f"snapshot-profile-{count}"
        browser = QuietChromium(profile, TABLET)
        sizes: list[int | None] = []

        @contextmanager
        def measured() -> Iterator[None]:
            sizes.append(sent())
            with slowed(profile, CPU_SLOWDOWN) if mode.endswith("cpu4") else nullcontext():
                yield
            sizes.append(sent())

        try:
            result = _engine_visit(browser, url, mode, measured=measured())
            before, after = sizes
            if mode == "cold" and before is not None and after is not None:
                result["bytes"] = after - before  # the bodies nginx sent, from its access log
            if "bench/bare/" not in url:
                seen = browser.worker_js(
                    "calculator/worker", f"({{stats: self.calculatorStats(), marks: {WORKER_MARKS}}})"
                )
                stats, marks = seen["stats"], dict(seen["marks"])
                result["start"] = stats.get("start")  # an earlier revision's (--against) may not say
                started, restored = marks.get("gc:step:start-interpreter"), marks.get("gc:step:load-calculator")
                if started is not None and restored is not None:
                    result["interpreter"] = restored - started
                result["making"] = marks.get("gc:snapshot-make")
                result["wasm"] = stats.get("wasm")
            return result
        finally:
            browser.close()

    yield visit


WORKER_MARKS = """performance.getEntries()
  .filter((entry) => entry.entryType === "mark" || entry.entryType === "measure")
  .map((entry) => [entry.name, entry.entryType === "mark" ? entry.startTime : entry.duration])"""


WARM_AT_S = 8.0
"""A warm visit is measured this long after the browser started, for every page alike. Measured
as soon as the first visit was done, the calculator's warm visit came later after the browser's
start than the bare page's (its first visit is longer, and waits for the snapshot to be stored),
so any work a new browser does in its first seconds fell differently on the two; now it falls
alike (a likely cause of a slow Firefox ESR run, not shown: BENCHMARKS.md)."""


def _engine_visit(
    engine: Any, url: str, mode: str, measured: AbstractContextManager[None] | None = None
) -> dict[str, Any]:
    """Cold: ``url`` in a new profile. Warm: ``url`` once (the calculator keeps its snapshot),
    then again, measured (within ``measured``, the CPU slowdown), ``WARM_AT_S`` after the start."""
    calculator = "bench/bare/" not in url
    started = time.monotonic()
    if mode != "cold":
        engine.open(url)
        engine.wait_js(READY, timeout=180)
        if calculator:
            engine.run_async(SNAPSHOT_KEPT, 30)
        time.sleep(max(0.0, started + WARM_AT_S - time.monotonic()))
    with measured or nullcontext():
        engine.open(url)
        engine.wait_js(READY, timeout=180)
    result: dict[str, Any] = engine.js(MARKS)
    if calculator:
        # Restored or not: a failed restore deletes the snapshot before the normal start, and a
        # new one is stored only a second after ready, so a snapshot kept at ready was used.
        kept = engine.run_async(SNAPSHOT_KEPT, 0 if mode != "cold" else 30)
        if mode == "cold":
            result["kept"] = kept
        else:
            result["start"] = "snapshot" if kept and kept.get("stored") else "normal"
    return result


@contextmanager
def firefox(work: Path) -> Iterator[Visit]:
    from quiet_browsers import QuietFirefox

    count = 0

    def visit(url: str, mode: str) -> dict[str, Any]:
        nonlocal count
        count += 1
        browser = QuietFirefox(work / f"snapshot-firefox-{count}")
        try:
            return _engine_visit(browser, url, mode)
        finally:
            browser.close()

    yield visit


@contextmanager
def webkit() -> Iterator[Visit]:
    from engines.webkit import Xvfb, in_webkit

    with Xvfb() as display:

        def visit(url: str, mode: str) -> dict[str, Any]:
            value: dict[str, Any] = in_webkit(display, lambda engine: _engine_visit(engine, url, mode))
            return value

        yield visit


ENGINE_NAMES = {"chromium": "Chromium", "firefox": "Firefox ESR", "webkit": "WebKitGTK"}


def without_snapshot(served: Path, subject_path: str) -> str:
    """A copy of the calculator page that names no snapshot cache: the start as it was before
    the snapshot start (same depth, so its relative URLs hold). Returns its path."""
    page = (served / subject_path / "index.html").read_text()
    variant = subject_path.rstrip("/") + "-without-snapshot/"
    (served / variant).mkdir(parents=True, exist_ok=True)
    changed = re.sub(r' data-snapshot-cache="[^"]*"', "", page)
    if changed == page:
        raise SystemExit(f"{subject_path}: no data-snapshot-cache to leave out")
    (served / variant / "index.html").write_text(changed)
    return variant


SERVE_EARLIER = """
import shutil, sys, tempfile
from pathlib import Path
sys.path[:0] = ["scripts", "tests", "."]
from nginx_server import NginxServer
served = Path(tempfile.mkdtemp(prefix="bench-earlier-")) / "served"
shutil.copytree(sys.argv[1], served)
(served / "sw.js").unlink(missing_ok=True)
with NginxServer(served, sub_path="/earlier/") as running:
    print(running.url, flush=True)
    sys.stdin.read()
shutil.rmtree(served.parent, ignore_errors=True)
"""
"""Run in the earlier revision's checkout and venv: its site, served by its nginx configuration
(its CSP and headers, which its scripts were written for), without its service worker."""


@contextmanager
def earlier_build(rev: str, work: Path, subject_path: str) -> Iterator[str]:
    """The calculator page the project built at git revision ``rev``, served as that revision
    served it (``--against``). Yields its URL."""
    checkout = work / "earlier"
    git = ["git", "-C", str(PROJECT)]
    try:
        subprocess.run([*git, "worktree", "add", "--detach", "--force", str(checkout), rev], check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise SystemExit(f"--against {rev}: no checkout of it from this project's git history ({error})") from error
    try:
        pin = json.loads((PROJECT / "package.json").read_text())["dependencies"]["pyodide"]
        theirs = json.loads((checkout / "package.json").read_text())["dependencies"]["pyodide"]
        if theirs != pin:
            raise SystemExit(f"--against {rev}: Pyodide {theirs} there, {pin} here; the bare boot would differ")
        runtime = Path("scripts/guideline_site/runtime")
        if not (checkout / runtime.parent).is_dir():
            raise SystemExit(f"--against {rev}: no {runtime.parent} there to put the vendored runtime in")
        shutil.copytree(PROJECT / runtime, checkout / runtime, dirs_exist_ok=True)
        (checkout / "node_modules").symlink_to(PROJECT / "node_modules")
        venv = work / "earlier-venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = str(venv / "bin" / "python")
        subprocess.run([python, "-m", "pip", "install", "--quiet", "-e", str(checkout)], check=True)
        site = work / "earlier-site"
        subprocess.run(
            [str(venv / "bin" / "guideline-site"), "build", "--site-dir", str(site)], cwd=checkout, check=True
        )
        serving = subprocess.Popen(
            [python, "-c", SERVE_EARLIER, str(site)],
            cwd=checkout,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert serving.stdout is not None and serving.stdin is not None
            base = serving.stdout.readline().strip()
            if not base.startswith("http"):
                raise SystemExit(f"--against {rev}: its server did not start")
            yield base + subject_path
        finally:
            if serving.stdin:
                serving.stdin.close()
            serving.wait(timeout=60)
    finally:
        subprocess.run([*git, "worktree", "remove", "--force", str(checkout)], check=False)


def measure(
    served: Path,
    base: str,
    subject_path: str,
    runs: int,
    engines: list[str],
    work: Path,
    sent: Callable[[], int | None],
    only: tuple[str, ...] = (),
    earlier: str | None = None,
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Alternating bare and calculator visits, cold, warm (and, in Chromium, warm with the CPU
    slowed); cold also the calculator page without the snapshot start (``before``), and the
    calculator of an earlier revision at URL ``earlier`` (``earlier``)."""
    (served / "sw.js").unlink(missing_ok=True)  # both pages on the HTTP cache alike
    before = without_snapshot(served, subject_path)
    results: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for name in engines:
        every = ("cold", "warm", "warm-cpu4") if name == "chromium" else ("cold", "warm")
        modes = [mode for mode in every if not only or mode in only]
        opened = chromium(work, sent) if name == "chromium" else firefox(work) if name == "firefox" else webkit()
        by_key: dict[str, list[dict[str, Any]]] = {}
        results[ENGINE_NAMES[name]] = by_key
        with opened as visit:
            for run in range(runs):
                for mode in modes:
                    pages = [("bare", base + "bench/bare/"), ("calculator", base + subject_path)]
                    if mode == "cold":
                        pages.append(("before", base + before))
                        if earlier:
                            pages.append(("earlier", earlier))
                    if mode == "warm":
                        pages.append(("alone", base + ALONE))
                    pages = pages[run % len(pages) :] + pages[: run % len(pages)]  # no page always first
                    for page, url in pages:
                        key = f"{page}-{mode}"
                        by_key.setdefault(key, []).append(visit(url, mode))
                        last = by_key[key][-1]
                        started = f" ({last['start']})" if "start" in last else ""
                        print(
                            f"[snapshot {ENGINE_NAMES[name]} {run + 1}/{runs}] {key}: "
                            f"ready {last.get('ready') or 0:.0f} ms{started}",
                            flush=True,
                        )
    return results


def _median(values: list[Any]) -> float | None:
    present = [v for v in values if isinstance(v, (int, float))]
    return statistics.median(present) if present else None


def report(
    results: dict[str, dict[str, list[dict[str, Any]]]], runs: int, encoding: str = "pages", against: str = ""
) -> tuple[str, list[tuple[str, str, bool]]]:
    lines = [
        "\n### Snapshot start: ready ÷ a bare Pyodide boot, per engine\n",
        f"{runs} runs per engine, alternating bare and calculator within each run (`scripts/bench_snapshot.py`); "
        "no service worker (both pages on the HTTP cache); Chromium and Firefox ESR driven over a bare protocol "
        "connection that watches no request and holds no worker (`scripts/quiet_browsers.py`). "
        "Cold: a new profile (the calculator starts as before "
        "and makes its snapshot). Warm: the same page again, the snapshot present, "
        f"{WARM_AT_S:.0f} s after the browser started (every page alike). Warm, CPU 4×: Chromium's "
        "renderer processes (page and workers) given a quarter of the CPU time during both pages' measured visit "
        "(stopped and continued in 8 ms cycles; DevTools' CPU throttling slows no worker). "
        f"Snapshot stored as {STORED_AS[encoding]}. Medians of ready, in ms from navigation.\n",
        "| Engine | Visit | Bare | Calculator | Calculator / bare | Started from the snapshot |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    targets: list[tuple[str, str, bool]] = []
    storage: list[str] = []
    for engine, by_key in results.items():
        for mode in ("cold", "warm", "warm-cpu4"):
            if f"bare-{mode}" not in by_key:
                continue
            bare = _median([r.get("ready") for r in by_key[f"bare-{mode}"]])
            calc = _median([r.get("ready") for r in by_key[f"calculator-{mode}"]])
            if bare is None or calc is None:
                continue
            ratio = calc / bare
            restored = sum(r.get("start") == "snapshot" for r in by_key[f"calculator-{mode}"])
            shown = "–" if mode == "cold" else f"{restored} of {len(by_key[f'calculator-{mode}'])}"
            label = {"cold": "cold", "warm": "warm", "warm-cpu4": "warm, CPU 4×"}[mode]
            lines.append(f"| {engine} | {label} | {bare:.0f} | {calc:.0f} | {ratio:.2f} | {shown} |")
            alone = _median([r.get("ready") for r in by_key.get(f"alone-{mode}", [])])
            if alone is not None:
                restored_alone = sum(r.get("start") == "snapshot" for r in by_key[f"alone-{mode}"])
                lines.append(
                    f"| {engine} | {label}, the worker alone (no page) | {bare:.0f} | {alone:.0f} | "
                    f"{alone / bare:.2f} | {restored_alone} of {len(by_key[f'alone-{mode}'])} |"
                )
            earlier = _median([r.get("ready") for r in by_key.get("before-cold", [])]) if mode == "cold" else None
            if earlier is not None:
                lines.append(
                    f"| {engine} | cold, without the snapshot start | {bare:.0f} | {earlier:.0f} | "
                    f"{earlier / bare:.2f} | – |"
                )
                targets.append(
                    (
                        f"{engine}: first visit ≤ the start without snapshots (same run)",
                        f"{ratio:.2f} × against {earlier / bare:.2f} ×",
                        ratio <= earlier / bare,
                    )
                )
            then = _median([r.get("ready") for r in by_key.get("earlier-cold", [])]) if mode == "cold" else None
            if then is not None:
                lines.append(
                    f"| {engine} | cold, as built at {against} | {bare:.0f} | {then:.0f} | {then / bare:.2f} | – |"
                )
                paired = [
                    now["ready"] - old["ready"]
                    for now, old in zip(by_key["calculator-cold"], by_key["earlier-cold"], strict=False)
                    if now.get("ready") and old.get("ready")
                ]
                faster = sum(difference <= 0 for difference in paired)
                targets.append(
                    (
                        f"{engine}: first visit ≤ the calculator as built at {against} (same run)",
                        f"{ratio:.2f} × against {then / bare:.2f} ×; today's ready minus then's, per run: median "
                        f"{statistics.median(paired):+.0f} ms, ≤ 0 in {faster} of {len(paired)} runs",
                        ratio <= then / bare,
                    )
                )
            if mode == "warm":
                target = TARGET_WARM
                met = ratio <= target or engine == "WebKitGTK"
                suffix = " (reported)" if engine == "WebKitGTK" else ""
                targets.append((f"{engine}: repeat visit ≤ {target} × bare boot{suffix}", f"{ratio:.2f} ×", met))
            if mode == "warm-cpu4":
                plain = _median([r.get("ready") for r in by_key.get("bare-warm", [])])
                if plain:
                    storage.append(f"{engine}: the slowdown made the bare boot {bare / plain:.1f} × slower")
                met = ratio <= TARGET_WARM_SLOW
                targets.append((f"{engine}: repeat visit, CPU 4×, ≤ {TARGET_WARM_SLOW} × bare", f"{ratio:.2f} ×", met))
        kept = [r["kept"] for r in by_key.get("calculator-cold", []) if r.get("kept")]
        stored, raw = _median([k["stored"] for k in kept]), _median([k["raw"] for k in kept])
        interpreter = {
            mode: _median([r.get("interpreter") for r in by_key.get(f"calculator-{mode}", [])])
            for mode in ("cold", "warm")
        }
        making = _median([r.get("making") for r in by_key.get("calculator-cold", [])])
        calculator_runs = [r for key in ("calculator-cold", "calculator-warm") for r in by_key.get(key, [])]
        compilers = [r["wasm"] for r in calculator_runs if r.get("wasm")]
        if compilers:
            storage.append(
                f"{engine}: of {len(compilers)} calculator starts, WebAssembly compiled by the page as it downloaded "
                f"in {compilers.count('page')}, by the worker while Pyodide's JavaScript loaded in "
                f"{compilers.count('early')}, by Pyodide in {compilers.count('pyodide')}"
            )
        if making is not None:
            storage.append(
                f"{engine}: making the snapshot (first visit, after ready, before the first answer) "
                f"took {making:.0f} ms"
            )
        if stored:
            storage.append(f"{engine}: {stored / 1e6:.1f} MB kept ({(raw or 0) / 1e6:.1f} MB uncompressed)")
        if interpreter["warm"] is not None and interpreter["cold"] is not None:
            storage.append(
                f"{engine}: interpreter started in {interpreter['cold']:.0f} ms cold (loadPyodide), "
                f"{interpreter['warm']:.0f} ms warm (restored, {encoding})"
            )
        first = _median([r.get("bytes") for r in by_key.get("calculator-cold", [])])
        if first:
            storage.append(f"{engine}: a first visit transfers {first / 1e6:.2f} MB (nothing more for the snapshot)")
        for key in ("calculator-cold", "before-cold", "calculator-warm"):
            runs_of = by_key.get(key, [])
            heard = {
                step: _median([r.get(step) for r in runs_of])
                for step in ("start-interpreter", "load-calculator", "load-guideline")
            }
            if runs_of and all(value is not None for value in heard.values()):
                storage.append(
                    f"{engine}, {key}: the page heard Pyodide imported at {heard['start-interpreter']:.0f} ms, "
                    f"the interpreter started at {heard['load-calculator']:.0f} ms, the wheel unpacked at "
                    f"{heard['load-guideline']:.0f} ms"
                )
    if storage:
        lines.append("\nStorage per guideline, and where the time goes:\n")
        lines += [f"- {line}" for line in storage]
    return "\n".join(lines), targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--site", type=Path, default=PROJECT / "site")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--engines", default="chromium,firefox,webkit")
    parser.add_argument("--encoding", choices=("pages", "gzip"), default="pages")
    parser.add_argument("--modes", default="", help="only these visits, e.g. cold or warm,warm-cpu4")
    parser.add_argument("--against", default="", help="also first visits of the calculator built at this git revision")
    args = parser.parse_args()
    engines = [name.strip() for name in args.engines.split(",") if name.strip()]
    if unknown := set(engines) - set(ENGINE_NAMES):
        parser.error(f"unknown engines: {', '.join(sorted(unknown))}")
    from bench import Subject, prepare, server

    work = Path(tempfile.mkdtemp(prefix="bench-snapshot-"))
    try:
        subject = Subject(None)
        served = prepare(args.site, work, subject)
        if args.encoding != "pages":
            with_encoding(served, args.encoding)
        against = earlier_build(args.against, work, subject.path) if args.against else nullcontext(None)
        with server(served) as (base, sent), against as earlier:
            started, load = time.perf_counter(), os.getloadavg()[1]
            only = tuple(mode for mode in args.modes.split(",") if mode)
            results = measure(served, base, subject.path, args.runs, engines, work, sent, only, earlier)
            load = (load + os.getloadavg()[1]) / 2
            print(f"measured in {time.perf_counter() - started:.0f} s")
        body, targets = report(results, args.runs, args.encoding, args.against)
        body += f"\n\nThe machine's load average (5 min) while measuring: about {load:.1f} on {os.cpu_count()} CPUs."
        print(body)
        for name, value, met in targets:
            print(f"{'MET ' if met else 'MISS'} {name}: {value}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def with_encoding(served: Path, encoding: str) -> None:
    """The served worker stores its snapshot as ``encoding`` (precompressed copies dropped)."""
    worker = next(served.glob("assets/calculator/worker.mjs"))
    source, count = re.subn(
        r'(const SNAPSHOT_ENCODING = /\*\* @type \{[^}]*\} \*/ )\("\w+"\);', rf'\1("{encoding}");', worker.read_text()
    )
    if count != 1:
        raise SystemExit(f"{worker}: no SNAPSHOT_ENCODING to set")
    worker.write_text(source)
    for compressed in (".br", ".gz"):
        worker.with_name(worker.name + compressed).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
