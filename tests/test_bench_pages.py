"""`make bench`'s own pages start under the site's headers, as every page of the site must.

The bare Pyodide page (scripts/bench_bare) and the calculator's worker alone (scripts/bench_worker)
are what every ratio of BENCHMARKS.md is measured against. They are served with the site's CSP,
Trusted Types included; when they broke under it (8bbdc83), only a bench run found out. Here
each reaches ready, with no CSP violation (the ``page`` fixture is watched), and the worker alone
keeps and restores its snapshot as the calculator page does (scripts/bench_snapshot.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bench import Subject, prepare, server
from bench_snapshot import READY, SNAPSHOT_KEPT
from playwright.sync_api import Page
from ui import is_calculator_worker

pytestmark = pytest.mark.browser


def test_the_bench_pages_reach_ready_under_the_sites_headers(page: Page, built_site: Path, tmp_path: Path) -> None:
    served = prepare(built_site, tmp_path, Subject(None))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with server(served) as (base, _sent):
        for path in ("bench/bare/", "bench/worker/", "bench/worker/#snapshot"):
            page.goto("about:blank")
            page.goto(base + path)
            page.wait_for_function(f"() => {READY}", timeout=120_000)
            assert page.evaluate("performance.getEntriesByName('bare:ready').length") == 1, path
        kept = page.evaluate(SNAPSHOT_KEPT, 30)
        assert kept and kept["stored"] > 0, "the worker alone kept no snapshot"
        page.goto("about:blank")
        page.goto(base + "bench/worker/#snapshot")
        page.wait_for_function(f"() => {READY}", timeout=120_000)
        worker = next(worker for worker in page.workers if is_calculator_worker(worker.url))
        assert worker.evaluate("self.calculatorStats()")["start"] == "snapshot"
    assert errors == []


@pytest.mark.parametrize("engine", ["chromium", "firefox"])
def test_the_quiet_browsers_measure_a_first_and_a_repeat_visit(engine: str, built_site: Path, tmp_path: Path) -> None:
    """The bench's timing drivers (scripts/quiet_browsers.py, a bare protocol connection) see
    what the bench reports: the calculator's ready mark from navigation, its snapshot kept on the
    first visit and restored on the second, and the bare page's ready."""
    from bench_snapshot import chromium, firefox

    subject = Subject(None)
    served = prepare(built_site, tmp_path / "site", subject)
    (served / "sw.js").unlink(missing_ok=True)  # as bench_snapshot.measure serves it
    with server(served) as (base, sent):
        visits = chromium(tmp_path, sent) if engine == "chromium" else firefox(tmp_path)
        with visits as visit:
            cold = visit(base + subject.path, "cold")
            warm = visit(base + subject.path, "warm")
            bare = visit(base + "bench/bare/", "warm")
    assert cold["kept"]["stored"] > 1_000_000, cold
    assert warm["start"] == "snapshot", warm
    assert 0 < warm["ready"] < cold["ready"], (warm, cold)
    assert bare["ready"] > 0 and "start" not in bare
    if engine == "chromium":
        assert cold["bytes"] > 1_000_000 and cold["wasm"] == warm["wasm"] == "page", (cold, warm)
        assert warm["interpreter"] > 0 and cold["making"] > 0


def test_the_report_sets_first_visits_against_an_earlier_build_run_by_run() -> None:
    """``--against REV``: the earlier build's first visits get their own row, and the target line
    compares the ratios and gives the per-run differences (today's ready minus then's)."""
    from bench_snapshot import report

    def runs(readies: list[float]) -> list[dict[str, float]]:
        return [{"ready": ready} for ready in readies]

    cold = {
        "bare-cold": runs([2000, 2000, 2000]),
        "calculator-cold": runs([2300, 2200, 2250]),
        "earlier-cold": runs([2260, 2300, 2400]),
    }
    body, targets = report({"Chromium": cold}, 3, against="49490b7")
    assert "| Chromium | cold, as built at 49490b7 | 2000 | 2300 | 1.15 | – |" in body  # noqa: RUF001
    name, value, met = next(target for target in targets if "49490b7" in target[0])
    assert name == "Chromium: first visit ≤ the calculator as built at 49490b7 (same run)"
    assert value == "1.12 × against 1.15 ×; today's ready minus then's, per run: median -100 ms, ≤ 0 in 2 of 3 runs"  # noqa: RUF001
    assert met is True
    cold["earlier-cold"] = runs([2100, 2100, 2100])
    assert (
        next(target for target in report({"Chromium": cold}, 3, against="x")[1] if "as built" in target[0])[2] is False
    )
