"""``make bench``, library: what a site of N guidelines costs, for N = 1, 10, 50, 100, 500.

For each N, a copy of the project gets N-1 synthetic guidelines (``library.py``: copies of the
non-clinical fixture) and is built with ``mkdocs build --strict`` (the build cache warmed by
one build first, so the brotli copies of unchanged files are reused, as in an author's
rebuild); the builds of all N alternate, round after round. Then, per N:

* one guideline page's HTML (``<first guideline>/index.html``) and the site's bytes (without
  the precompressed copies);
* a first visit to that page in Chromium with the service worker on, on a fresh profile,
  served by nginx with the shipped snippets (bytes from its access log: what went over the
  wire, brotli) until the status line says the page is kept offline; and what the service
  worker saved (the shell and the guideline);
* search: the index every page loads, and what the first query fetches;
* at N = 100, the authors' preview (``make serve``): seconds from saving an edit to one
  guideline's text until the open page shows it.

Ratios are to N = 1. ``report`` writes the table and the targets of issue 14.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
SIZES = (1, 10, 50, 100, 500)
PREVIEW_AT = 100
PREVIEW_EDITS = 5
SENT = re.compile(r'" (\d{3}) (\d+) "')
"""An nginx access log line's status and bytes sent."""


def project_copy(work: Path, total: int) -> Path:
    """The tracked project files (and untracked, not ignored, ones) with ``total`` guidelines."""
    target = work / f"library-{total}"
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = PROJECT / name
        if source.is_file() and not name.startswith("tests/"):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / "node_modules").symlink_to(PROJECT / "node_modules")
    subprocess.run(
        [sys.executable, str(PROJECT / "scripts" / "library.py"), str(target / "content"), str(total)],
        check=True,
        capture_output=True,
    )
    return target


def build(project: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(project / "site")]
    subprocess.run(command, cwd=project, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file() and p.suffix not in {".br", ".gz"})


def first_visit(playwright: Any, site: Path, page_path: str, work: Path) -> dict[str, int]:
    """Bytes and requests of a first visit with the service worker on, until the page is kept offline."""
    from chromium import launch_profile
    from nginx_server import NginxServer

    with NginxServer(site, sub_path="/bench/") as nginx:
        profile = Path(tempfile.mkdtemp(prefix="profile-", dir=work))
        context = launch_profile(playwright.chromium, profile)
        try:
            page = context.new_page()
            page.goto(nginx.url + page_path)
            page.wait_for_selector("[data-offline-state=ready-without-calculator]", timeout=120_000)
            page.wait_for_timeout(1000)  # let the access log catch up
        finally:
            context.close()
        log = (nginx.workdir / "access.log").read_text()
    served = [(int(status), int(size)) for status, size in SENT.findall(log)]
    return {"bytes": sum(size for _, size in served), "requests": len(served)}


def saved_bytes(site: Path, folder: str) -> int:
    """What the service worker keeps after that first visit: the shell and the guideline."""
    from guideline_site.assets import service_worker_manifest

    def size(listed: str) -> int:
        path = site / (listed + "index.html" if listed == "" or listed.endswith("/") else listed)
        return path.stat().st_size

    shell = service_worker_manifest(site)["shell"]
    group = json.loads((site / folder / "offline.json").read_text())["files"]
    return sum(size(path) for path, _ in [*shell, *group])


def preview_seconds(playwright: Any, project: Path, folder: str, env: dict[str, str]) -> list[float]:
    """From saving an edit to the guideline's text to the open page showing it (``make serve``)."""
    from chromium import CHROMIUM, CHROMIUM_ARGS
    from nginx_server import free_port

    port = free_port()
    command = [sys.executable, "-m", "guideline_site", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "-f", str(project / "mkdocs.yml")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("Previewing at"):
            break
    threading.Thread(target=process.stdout.read, daemon=True).start()
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    text = project / "content" / folder / "index.md"
    original = text.read_text()
    seconds = []
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}/{folder}/")
        page.wait_for_timeout(1000)
        for edit in range(PREVIEW_EDITS):
            marker = f"Edited {edit} {time.time_ns()}"
            start = time.perf_counter()
            text.write_text(original.replace("\n## ", f"\n{marker}\n\n## ", 1))
            page.get_by_text(marker).wait_for(timeout=60_000)
            seconds.append(time.perf_counter() - start)
            page.wait_for_timeout(500)
    finally:
        text.write_text(original)
        browser.close()
        process.terminate()
        process.wait(timeout=10)
    return seconds


def measure(playwright: Any, rounds: int) -> dict[str, Any]:
    from calculator.loader import discover_guidelines

    folder = discover_guidelines(PROJECT / "content")[0].name
    work = Path(tempfile.mkdtemp(prefix="bench-library-"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GUIDELINE_SITE_CACHE": str(work / "site-cache")}
    try:
        projects = {n: project_copy(work, n) for n in SIZES}
        for n, project in projects.items():  # warm-up: compressed copies and the wheel cached
            build(project, env)
            print(f"library: N={n} built once (warm-up)", flush=True)
        times: dict[int, list[float]] = {n: [] for n in SIZES}
        for round_number in range(rounds):
            for n, project in projects.items():
                times[n].append(build(project, env))
            print(f"library: build round {round_number + 1}/{rounds}", flush=True)
        results: dict[str, Any] = {"folder": folder, "sizes": {}}
        for n, project in projects.items():
            site = project / "site"
            index = json.loads((site / "search" / "search_index.json").read_text())
            visit = first_visit(playwright, site, f"{folder}/", work)
            results["sizes"][n] = {
                "build": times[n],
                "page": (site / folder / "index.html").stat().st_size,
                "home": (site / "index.html").stat().st_size,
                "site": site_bytes(site),
                "files": sum(1 for p in site.rglob("*") if p.is_file() and p.suffix not in {".br", ".gz"}),
                "firstVisitBytes": visit["bytes"],
                "firstVisitRequests": visit["requests"],
                "saved": saved_bytes(site, folder),
                "searchEveryPage": (site / "search" / "search_index.json").stat().st_size,
                "searchFirstQuery": (site / "search" / "catalogue.json").stat().st_size
                + (site / folder / "search.json").stat().st_size,
                "searchEntries": len(index["docs"]),
            }
            print(f"library: N={n} measured", flush=True)
        results["preview"] = preview_seconds(playwright, projects[PREVIEW_AT], folder, env)
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(results: dict[str, Any]) -> tuple[str, list[tuple[str, str, bool]]]:
    sizes = results["sizes"]
    base = sizes[1]
    median = {n: statistics.median(s["build"]) for n, s in sizes.items()}

    def ratio(n: int, key: str) -> str:
        return f"{sizes[n][key] / base[key]:.2f}"

    lines = [
        "\n## Library (issue 14)\n",
        "A copy of the project with N guidelines (the project's own guidelines and synthetic copies of the "
        "non-clinical fixture, "
        f"`scripts/library.py`), built {len(base['build'])} times each, alternating; first visit to "
        f"`{results['folder']}/` with the service worker on, fresh profile, served by nginx (brotli; bytes from "
        "its access log). Ratios to N = 1 in brackets.\n",
        "| N | Build (median) | One page's HTML | Home (catalogue) | Site (files) | First visit, sent | "
        "Saved on the device | Search index, every page | Search, first query |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for n, s in sizes.items():
        lines.append(
            f"| {n} | {median[n]:.1f} s ({median[n] / median[1]:.1f}) | {s['page'] / 1e3:.1f} KB ({ratio(n, 'page')}) "
            f"| {s['home'] / 1e3:.0f} KB ({ratio(n, 'home')}) | {s['site'] / 1e6:.1f} MB, {s['files']} files "
            f"| {s['firstVisitBytes'] / 1e3:.0f} KB in {s['firstVisitRequests']} requests "
            f"({ratio(n, 'firstVisitBytes')}) | {s['saved'] / 1e3:.0f} KB ({ratio(n, 'saved')}) "
            f"| {s['searchEveryPage']} B | {s['searchFirstQuery'] / 1e3:.0f} KB ({ratio(n, 'searchFirstQuery')}) |"
        )
    preview = results["preview"]
    preview_median = statistics.median(preview)
    lines.append(
        f"\nThe authors' preview (`make serve`) at N = {PREVIEW_AT}: an edit to one guideline's text shows in the "
        f"open page after {preview_median:.2f} s (median of {len(preview)}; {min(preview):.2f}–{max(preview):.2f} s)."
    )
    top = max(sizes)
    targets = [
        (
            f"One page's HTML at N = {top} ≤ 1.10 × N = 1",
            f"{sizes[top]['page'] / base['page']:.2f} ×",
            sizes[top]["page"] / base["page"] <= 1.10,
        ),
        (
            f"First-visit bytes (service worker on) at N = {top} ≤ 1.10 × N = 1",
            f"{sizes[top]['firstVisitBytes'] / base['firstVisitBytes']:.2f} ×",
            sizes[top]["firstVisitBytes"] / base["firstVisitBytes"] <= 1.10,
        ),
        (
            f"Search index a first visit loads at N = {top} ≤ 1.10 × N = 1",
            f"{sizes[top]['searchEveryPage'] / base['searchEveryPage']:.2f} ×",
            sizes[top]["searchEveryPage"] / base["searchEveryPage"] <= 1.10,
        ),
        (
            "Build time(500) / time(50) ≤ 11",
            f"{median[500] / median[50]:.1f}",
            median[500] / median[50] <= 11,
        ),
        (
            f"`make serve`: an edit shows after a reload in ≤ 3 s at N = {PREVIEW_AT}",
            f"{preview_median:.2f} s",
            preview_median <= 3.0,
        ),
    ]
    return "\n".join(lines) + "\n", targets


def main() -> None:
    """Run the library section alone: ``python scripts/bench_library.py [ROUNDS]``."""
    from playwright.sync_api import sync_playwright

    sys.path[:0] = [str(PROJECT), str(PROJECT / "scripts")]
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with sync_playwright() as playwright:
        results = measure(playwright, rounds)
    body, targets = report(results)
    print(body)
    for name, value, met in targets:
        print(f"{'MET ' if met else 'MISS'} {name}: {value}")


if __name__ == "__main__":
    sys.path[:0] = [str(PROJECT), str(PROJECT / "scripts")]
    main()
