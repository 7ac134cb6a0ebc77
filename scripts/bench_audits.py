"""``make bench``, page audits: what a phone's main thread and layout go through on each page.

    python scripts/bench_audits.py [--site site] [--runs 3] [--guideline NAME] [--before OTHER_SITE]
    python scripts/bench_audits.py --scores [--desktop] [--site site]

Lighthouse 12.2.3 (package.json's devDependency; 13 needs Node 22) audits the decision table,
the calculator, the offline page and the home page in Debian's Chromium with its mobile
defaults (a mid-range phone: 4 times slower CPU, slow 4G, simulated), each visit on a fresh
profile, the pages alternating within each round. Reported per page, as medians with
minimum and maximum: Total Blocking Time (main-thread tasks past 50 ms between first paint and
interactive), Cumulative Layout Shift, the style and layout time of the main thread, and the
element count. Standalone, it prints the table; ``--before`` audits a second build in the same
rounds, alternating, to compare a change with what it replaces.

With ``--scores`` (and ``--desktop`` for Lighthouse's desktop preset), it audits accessibility,
best practices and SEO instead, once per kind of page the build writes (home, guideline text,
calculator, decision table, changes, embed, offline, authoring, and the 404 page at its own
address: Lighthouse refuses to audit a response whose status is 404), and prints each page's
scores with the audits that failed.

``LIGHTHOUSE_BIN`` overrides where Lighthouse is (default: ``node_modules/.bin/lighthouse``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT), str(PROJECT / "scripts")]

from chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

DECISION_TABLE = "Decision table"
TBT_TARGET_MS = 200.0
"""The decision table's mobile Total Blocking Time must stay under this (issue 10)."""
CLS_TARGET = 0.1
"""Web Vitals' "good" layout shift, for every page."""
ATTEMPTS = 3
"""Lighthouse now and then loses a page load's trace (NO_NAVSTART) and asks to be run again."""


def lighthouse() -> Path:
    """The Lighthouse command: ``LIGHTHOUSE_BIN`` if set, else the project's pinned install."""
    return Path(os.environ.get("LIGHTHOUSE_BIN") or PROJECT / "node_modules" / ".bin" / "lighthouse")


def pages(folder: str) -> dict[str, str]:
    """The audited pages (label: path under the site's root) for the guideline in ``folder``."""
    return {
        DECISION_TABLE: f"{folder}/decision-table/",
        "Calculator": f"{folder}/calculator/",
        "Offline": "offline/",
        "Home": "",
    }


SCORED = ("accessibility", "best-practices", "seo")
"""The categories ``--scores`` reports (issue 21: 100 on every page)."""


def page_kinds(folder: str) -> dict[str, str]:
    """Every kind of page the build writes (label: path under the site's root), for ``--scores``."""
    return {
        "Home": "",
        "Guideline text": f"{folder}/",
        "Calculator": f"{folder}/calculator/",
        "Decision table": f"{folder}/decision-table/",
        "What changed": f"{folder}/changes/",
        "Embed": f"{folder}/embed/",
        "Offline": "offline/",
        "Authoring": "authoring/",
        "404": "404.html",
    }


def run_lighthouse(url: str, categories: str, *, desktop: bool = False) -> dict[str, object]:
    """One Lighthouse run of ``url`` (mobile, or ``desktop``) on a fresh Chromium profile: its JSON report."""
    command = [
        str(lighthouse()),
        url,
        f"--only-categories={categories}",
        *(["--preset=desktop"] if desktop else []),
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
    ]
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    for _ in range(ATTEMPTS):
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=300)
        if done.returncode == 0:
            break
    else:
        raise RuntimeError(f"Lighthouse failed on {url}: {done.stderr.strip()[-2000:]}")
    report: dict[str, object] = json.loads(done.stdout)
    return report


def scores(url: str, *, desktop: bool = False) -> tuple[dict[str, int], list[str]]:
    """Accessibility, best practices and SEO scores (0-100) of ``url``, and the audits that failed
    (``category: audit id (title)``)."""
    report: dict[str, Any] = run_lighthouse(url, ",".join(SCORED), desktop=desktop)
    found = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in SCORED}
    failed = [
        f"{name}: {ref['id']} ({report['audits'][ref['id']]['title']})"
        for name in SCORED
        for ref in report["categories"][name]["auditRefs"]
        if ref["weight"] > 0 and report["audits"][ref["id"]]["score"] not in (None, 1)
    ]
    return found, failed


def audit(url: str) -> dict[str, float]:
    """One Lighthouse mobile performance audit of ``url`` on a fresh Chromium profile."""
    report: dict[str, Any] = run_lighthouse(url, "performance")
    audits = report["audits"]
    groups = {item["group"]: item["duration"] for item in audits["mainthread-work-breakdown"]["details"]["items"]}
    return {
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "styleLayout": groups.get("styleLayout", 0.0),
        "elements": audits["dom-size"]["numericValue"],
    }


def measure(bases: dict[str, str], folder: str, runs: int) -> dict[tuple[str, str], list[dict[str, float]]]:
    """``runs`` rounds; in each, every page of every served build (``bases``: label to URL)."""
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    for round_number in range(1, runs + 1):
        for page, path in pages(folder).items():
            for build, base in bases.items():
                result = audit(base + path)
                results.setdefault((build, page), []).append(result)
                print(
                    f"[audits {round_number}/{runs}] {build} {page}: TBT {result['tbt']:.0f} ms, "
                    f"CLS {result['cls']:.3f}, {result['elements']:.0f} elements",
                    file=sys.stderr,
                    flush=True,
                )
    return results


def _spread(values: list[float], digits: int, unit: str = "") -> str:
    return f"{statistics.median(values):.{digits}f}{unit} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def report(
    results: dict[tuple[str, str], list[dict[str, float]]], runs: int
) -> tuple[str, list[tuple[str, str, bool]]]:
    """The section for ``BENCHMARKS.md`` and the targets, met or not (of the first build only)."""
    lines = [
        "\n### Pages on a phone (Lighthouse 12.2.3, mobile)\n",
        f"Lighthouse's mobile audit (simulated mid-range phone: 4 × slower CPU, slow 4G), {runs} runs per "
        "page on fresh profiles, pages alternating. Medians, with (min–max).\n",
    ]
    several = len({build for build, _ in results}) > 1
    lines.append(
        ("| Build " if several else "")
        + "| Page | Total Blocking Time | Cumulative Layout Shift | Style & layout | Elements |"
    )
    lines.append(("| --- " if several else "") + "| --- | --- | --- | --- | --- |")
    for (build, page), runs_of_page in results.items():
        column = {metric: [run[metric] for run in runs_of_page] for metric in runs_of_page[0]}
        lines.append(
            (f"| {build} " if several else "")
            + f"| {page} | {_spread(column['tbt'], 0, ' ms')} | {_spread(column['cls'], 3)} | "
            f"{_spread(column['styleLayout'], 0, ' ms')} | {statistics.median(column['elements']):.0f} |"
        )
    first = next(iter(results))[0]
    medians = {
        page: {metric: statistics.median(run[metric] for run in found) for metric in ("tbt", "cls")}
        for (build, page), found in results.items()
        if build == first
    }
    worst_shift = max(medians, key=lambda page: medians[page]["cls"])
    targets = [
        (
            f"Decision table: mobile Total Blocking Time < {TBT_TARGET_MS:.0f} ms (Lighthouse, median)",
            f"{medians[DECISION_TABLE]['tbt']:.0f} ms",
            medians[DECISION_TABLE]["tbt"] < TBT_TARGET_MS,
        ),
        (
            f"Cumulative Layout Shift ≤ {CLS_TARGET} on every audited page (median)",
            f"{medians[worst_shift]['cls']:.3f} ({worst_shift})",
            medians[worst_shift]["cls"] <= CLS_TARGET,
        ),
    ]
    return "\n".join(lines), targets


def main() -> None:
    import bench

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--site", type=Path, default=PROJECT / "site")
    parser.add_argument("--before", type=Path, help="a second build audited in the same rounds (e.g. before a change)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--guideline", help="the guideline folder name (default: the first under content/)")
    parser.add_argument(
        "--scores", action="store_true", help="accessibility, best practices and SEO of every page kind"
    )
    parser.add_argument("--desktop", action="store_true", help="with --scores: Lighthouse's desktop preset")
    args = parser.parse_args()
    folder = bench.Subject(args.guideline).path.split("/")[0]
    if args.scores:
        print_scores(args.site, folder, desktop=args.desktop)
        return
    sites = {"this build": args.site, **({"before": args.before} if args.before else {})}
    with ExitStack() as stack:
        bases = {label: stack.enter_context(bench.server(site))[0] for label, site in sites.items()}
        body, targets = report(measure(bases, folder, args.runs), args.runs)
    print(body)
    for name, value, met in targets:
        print(f"{'MET ' if met else 'MISS'} {name}: {value}")


def print_scores(site: Path, folder: str, *, desktop: bool = False) -> None:
    """The ``--scores`` table: one row per kind of page, then each page's failed audits."""
    import bench

    rows, failures = [], []
    with bench.server(site) as (base, _):
        for page, path in page_kinds(folder).items():
            found, failed = scores(base + path, desktop=desktop)
            print(f"[scores] {page}: {found} {failed}", file=sys.stderr, flush=True)
            rows.append(f"| {page} | " + " | ".join(f"{found[name]}" for name in SCORED) + " |")
            failures += [f"- {page}: {audit}" for audit in failed]
    print("| Page | Accessibility | Best practices | SEO |\n| --- | --- | --- | --- |")
    print("\n".join(rows))
    print("\n".join(failures) or "No failed audit.")


if __name__ == "__main__":
    main()
