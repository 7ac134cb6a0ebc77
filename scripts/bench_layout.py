"""``make bench``, bedside layout: how far the result is from the clinician's last answer.

On a phone (390x844) and a tablet (820x1180), in Chromium, a clinician taps through cases of
the guideline (a tap scrolls its target into view, nothing else scrolls the page) and we read,
in screens (viewport heights):

* where the first question is on load (< 1: on the first screen);
* after the last tap, how far below the view the assessment and the first plan item are
  (0: in view), and whether one tap on the phone's bar brings them into view;
* the page's height with the result.

The same is measured on the site as it was before the bedside summary (``BASELINE``, built
from git into a scratch folder), so the report shows before and after from one run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent

BASELINE = "3b11134d22893a941d5ed7416a207660d07c4ed6"
"""The last commit before the live summary (issue 12): every result item shown in full, after the form."""

VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "tablet": {"viewport": {"width": 820, "height": 1180}, "has_touch": True},
}

MEASURE = """() => {
  const screen = window.innerHeight;
  const pick = (...selectors) => selectors.map((s) => document.querySelector(s)).find(Boolean);
  // The summary's lines where there is one, else the full result (the layout before it).
  const assessment = pick('[data-summary-classification]', '[data-classification]');
  const plan = pick('[data-summary-section] [data-summary-item]', '.gc-plan [data-item]');
  const below = (element) => element ? Math.max(0, element.getBoundingClientRect().bottom - screen) / screen : null;
  return {assessment: below(assessment), plan: below(plan),
          page: document.documentElement.scrollHeight / screen};
}"""

FIRST_CONTROL = (
    "() => document.querySelector('[data-gc-form] input').getBoundingClientRect().bottom / window.innerHeight"
)


@contextmanager
def baseline_site(work: Path) -> Iterator[Path | None]:
    """The site built from ``BASELINE`` (``None`` where git has not got it, e.g. a shallow clone)."""
    archive = subprocess.run(["git", "archive", BASELINE], cwd=PROJECT, capture_output=True, check=False)
    if archive.returncode != 0:
        yield None
        return
    source = work / "baseline-source"
    source.mkdir(parents=True)
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(source, filter="data")
    (source / "node_modules").symlink_to(PROJECT / "node_modules")
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "GUIDELINE_SITE_CACHE": str(PROJECT / "build" / "site-cache"),
        "PYTHONPATH": str(source),  # that commit's calculator, not the installed one
    }
    site = work / "baseline-site"
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)]
    subprocess.run(command, cwd=source, env=env, check=True, capture_output=True)
    yield site


def measure(base: str, path: str, playwright: Any, cases: list[dict[str, Any]], guideline: Any) -> dict[str, Any]:
    """Per viewport: the medians over ``cases`` of each figure (in screens), and taps needed."""
    from chromium import CHROMIUM, CHROMIUM_ARGS
    from test_bedside import tap_through, tap_where_it_is

    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    figures: dict[str, Any] = {}
    try:
        for name, device in VIEWPORTS.items():
            rows: list[dict[str, Any]] = []
            for answers in cases:
                context = browser.new_context(**device, service_workers="block")
                page = context.new_page()
                page.goto(base + path)
                page.wait_for_selector("[data-calculator-state=ready]", timeout=60_000)
                first = page.evaluate(FIRST_CONTROL)
                tap_through(page, guideline, answers)
                page.wait_for_selector("[data-summary-item], [data-classification]", timeout=10_000)
                page.wait_for_timeout(300)
                row = {"first": first, **page.evaluate(MEASURE), "reach": "in view"}
                if row["plan"] or row["assessment"]:
                    row["reach"] = "scroll"
                    bar = page.locator("[data-gc-bar]:not(.gc-bar--idle) [data-gc-bar-link]")
                    if bar.count() and bar.is_visible():
                        tap_where_it_is(page, bar)
                        page.wait_for_timeout(300)
                        after = page.evaluate(MEASURE)
                        row["reach"] = "1 tap" if not (after["plan"] or after["assessment"]) else "scroll"
                rows.append(row)
                context.close()
            figures[name] = {
                key: statistics.median(row[key] for row in rows) if all(row[key] is not None for row in rows) else None
                for key in ("first", "assessment", "plan", "page")
            }
            reached = [row["reach"] for row in rows]
            figures[name]["reach"] = ", ".join(
                f"{way} {reached.count(way)}/{len(rows)}" for way in ("in view", "1 tap", "scroll") if way in reached
            )
    finally:
        browser.close()
    return figures


def report(before: dict[str, Any] | None, after: dict[str, Any], cases: int) -> str:
    """The markdown section: before and after, per viewport."""

    def cell(figures: dict[str, Any] | None, device: str, key: str) -> str:
        if figures is None:
            return "n/a"
        value = figures[device][key]
        if isinstance(value, str):
            return value
        return "–" if value is None else f"{value:.2f}"

    lines = [
        "\n### Bedside layout: the result after the last answer\n",
        f"Tapping through {cases} cases (one focal, one diffuse, one with a limited prognosis), never scrolling "
        "by hand; in screens (viewport heights), medians. *Before*: the site at "
        f"`{BASELINE[:7]}`, every result item in full after the form; *after*: this build, with the live summary.",
        "",
        "| Measure | Phone before | Phone after | Tablet before | Tablet after |",
        "| --- | --- | --- | --- | --- |",
    ]
    rows = (
        ("First question's bottom on load (< 1: first screen)", "first"),
        ("Assessment: screens below the view after the last answer", "assessment"),
        ("First plan item: screens below the view after the last answer", "plan"),
        ("Assessment and first plan item after the last answer (cases)", "reach"),
        ("Page height with the result", "page"),
    )
    for label, key in rows:
        cells = [cell(figures, device, key) for device in VIEWPORTS for figures in (before, after)]
        lines.append(f"| {label} | {' | '.join(cells)} |")
    return "\n".join(lines)


def bedside_layout(playwright: Any, after_base: str, subject: Any) -> str:
    """Measure this build (served at ``after_base``) and the baseline; return the report section."""
    from guideline_site.server import SiteServer

    from calculator.vignettes import load_vignettes

    folder = PROJECT / "content" / subject.path.split("/")[0]
    vignettes = {v.id: v.answers for v in load_vignettes(folder)}
    wanted = ["focal_carpal_tunnel", "diffuse_mild", "diffuse_limited_life_expectancy_visceral"]
    cases = [vignettes[name] for name in wanted if name in vignettes] or list(vignettes.values())[:3]
    after = measure(after_base, subject.path, playwright, cases, subject.guideline)
    with tempfile.TemporaryDirectory(prefix="bench-baseline-") as work, baseline_site(Path(work)) as site:
        before = None
        if site is not None:
            with SiteServer(site, prefix="/bench-before/") as server:
                before = measure(server.url, subject.path, playwright, cases, subject.guideline)
    return report(before, after, len(cases))


def main() -> None:
    """``python scripts/bench_layout.py [--site site]``: just this section, printed."""
    import argparse

    sys.path[:0] = [str(PROJECT), str(PROJECT / "scripts"), str(PROJECT / "tests")]
    from bench import Subject
    from guideline_site.server import SiteServer
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--site", type=Path, default=PROJECT / "site")
    parser.add_argument("--guideline")
    args = parser.parse_args()
    subject = Subject(args.guideline)
    with SiteServer(args.site, prefix="/bench-after/") as server, sync_playwright() as playwright:
        print(bedside_layout(playwright, server.url, subject))


if __name__ == "__main__":
    main()
