"""The built site in Debian's Chromium, served under a sub-path like an intranet would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aimss_cases import BROWSER_CASES, FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS
from conftest import QUICK_BOOT_TIMEOUT, require
from guideline_site.server import SiteServer
from nginx_server import NginxServer, nginx_available
from playwright.sync_api import Page, Route, expect
from ui import (
    CALCULATOR,
    READY_TIMEOUT_MS,
    Recorder,
    answer,
    expected_display,
    is_calculator_worker,
    open_calculator,
    shown_result,
)

from calculator.engine import assess, evaluate
from calculator.model import Guideline

pytestmark = pytest.mark.browser


@pytest.fixture
def recorder(page: Page) -> Recorder:
    return Recorder(page)


def test_calculator_becomes_ready_under_a_sub_path(page: Page, site_server: SiteServer, recorder: Recorder) -> None:
    open_calculator(page, site_server)
    expect(page.locator("[data-gc-status]")).to_have_text("Calculator ready.")
    expect(page.locator(".gc-versions")).to_contain_text("Pyodide 314.0.7")
    assert recorder.errors == []


@pytest.mark.parametrize("case", sorted(BROWSER_CASES))
def test_result_in_the_browser_equals_cpython(
    page: Page, site_server: SiteServer, recorder: Recorder, aimss: Guideline, case: str
) -> None:
    answers = BROWSER_CASES[case]
    open_calculator(page, site_server)
    answer(page, aimss, answers)
    shown = shown_result(page)
    assert shown == expected_display(assess(aimss, answers), site_server.url + "aimss/")
    # Every request (page and worker) stayed on this origin, under the site's sub-path.
    assert recorder.requests
    assert [url for url in recorder.requests if not url.startswith(site_server.url)] == []
    assert any(url.endswith(".whl") for url in recorder.requests)
    assert recorder.errors == []


@pytest.mark.parametrize(
    "path", ["", "authoring/", "aimss/", "aimss/decision-table/", "aimss/changes/", "aimss/embed/", "no/such/page/"]
)
def test_every_page_loads_without_a_script_error(
    page: Page, site_server: SiteServer, recorder: Recorder, path: str
) -> None:
    page.goto(site_server.url + path)
    page.wait_for_load_state("networkidle")
    if path == "no/such/page/":  # the browser reports the missing page's own 404, and only that
        missing = [error for error in recorder.errors if "status of 404" in error]
        assert len(missing) == 1 and recorder.errors == missing
        expect(page.get_by_role("link", name="Interactive clinical guidelines").first).to_be_visible()
    else:
        assert recorder.errors == []


def test_result_is_announced(page: Page, site_server: SiteServer, aimss: Guideline) -> None:
    open_calculator(page, site_server)
    answer(page, aimss, BROWSER_CASES["neuropathy_only"])
    announcer = page.locator("[data-gc-announce]")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_have_text("Result updated: Not explained by AIMSS. 0 management items.")


def test_answers_given_before_python_is_ready_are_kept_and_evaluated(
    page: Page, site_server: SiteServer, aimss: Guideline
) -> None:
    held: list[Route] = []
    page.route("**/*.whl", lambda route: held.append(route))  # Python cannot finish starting without it
    page.goto(site_server.url + CALCULATOR)
    root = page.locator("[data-calculator]")
    page.get_by_label("Arthralgia (joint pain)").check()
    expect(root).to_have_attribute("data-calculator-state", "loading")
    for route in held:
        route.continue_()
    page.unroute("**/*.whl")
    expect(root).to_have_attribute("data-calculator-state", "ready", timeout=READY_TIMEOUT_MS)
    expect(page.locator('[data-question="ring_no_longer_fits"]')).to_be_visible()
    expect(page.get_by_label("Arthralgia (joint pain)")).to_be_checked()


def test_invalid_number_shows_the_engines_message_beside_the_field(
    page: Page, site_server: SiteServer, aimss: Guideline
) -> None:
    open_calculator(page, site_server)
    answers = {"symptoms": ["arthralgia"], "onset_before_ai": "no", "onset_weeks_after_ai_start": "1_000"}
    answer(page, aimss, answers)
    field = page.get_by_label(aimss.question("onset_weeks_after_ai_start").label)
    field.blur()
    [expected] = evaluate(aimss, answers)["errors"]
    message = page.locator("#gc-onset-weeks-after-ai-start-error")
    expect(message).to_have_text(expected["message"])
    expect(field).to_have_attribute("aria-invalid", "true")
    assert "gc-onset-weeks-after-ai-start-error" in (field.get_attribute("aria-describedby") or "")
    field.fill("7")
    field.blur()
    expect(message).to_be_hidden()


def test_inconsistent_durations_show_the_engines_messages_beside_every_field_involved(
    page: Page, site_server: SiteServer, aimss: Guideline
) -> None:
    open_calculator(page, site_server)
    answers = {**BROWSER_CASES["diffuse_mild"], "ai_stopped": "yes", "weeks_since_ai_stopped": 30}
    answer(page, aimss, {k: v for k, v in answers.items() if k != "improved_within_4_weeks_of_stopping"})
    errors = evaluate(aimss, answers)["errors"]
    involved = {"weeks_since_ai_start", "weeks_since_ai_stopped", "onset_weeks_after_ai_start"}
    assert {error["field"] for error in errors} == involved  # the AI stopped before it was started
    for field in sorted(involved):
        expected = " ".join(error["message"] for error in errors if error["field"] == field)
        message = page.locator(f"#gc-{field.replace('_', '-')}-error")
        expect(message).to_have_text(expected)
        expect(page.get_by_label(aimss.question(field).label)).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[data-gc-announce]")).to_contain_text("answers need correcting")
    page.get_by_label(aimss.question("weeks_since_ai_stopped").label).fill("2")
    for field in sorted(involved):
        expect(page.locator(f"#gc-{field.replace('_', '-')}-error")).to_be_hidden()


def test_new_patient_clears_answers_and_result(page: Page, site_server: SiteServer, aimss: Guideline) -> None:
    open_calculator(page, site_server)
    answer(page, aimss, BROWSER_CASES["diffuse_mild"])
    shown_result(page)
    page.get_by_role("button", name="New patient").click()
    expect(page.locator("[data-classification]")).to_have_count(0)
    expect(page.locator("[data-gc-result]")).to_be_hidden()
    expect(page.locator("[data-gc-summary-body]")).to_contain_text("The result shows here")
    assert page.locator("[data-gc-form] input:checked").count() == 0
    expect(page.locator('[data-question="distribution"]')).to_be_hidden()
    expect(page.locator('[data-step="pattern"]')).to_be_hidden()
    expect(page.locator("[data-gc-announce]")).to_have_text("Form cleared for a new patient.")


def test_source_link_leads_to_the_marked_guideline_sentence(
    page: Page, site_server: SiteServer, aimss: Guideline
) -> None:
    open_calculator(page, site_server)
    answer(page, aimss, FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS)
    injection = page.locator('[data-item="focal_corticosteroid_injection"]')
    injection.get_by_text("Why and source").click()  # details on demand
    injection.get_by_role("link", name="guideline sentence").click()
    page.wait_for_url("**/aimss/#focal-injection")
    expect(page.locator("#focal-injection")).to_contain_text("corticosteroid injections")


def test_reading_the_guideline_does_not_download_python(
    page: Page, site_server: SiteServer, recorder: Recorder
) -> None:
    page.goto(site_server.url + "aimss/")
    page.wait_for_load_state("networkidle")
    assert not [url for url in recorder.requests if "/pyodide/" in url or url.endswith(".whl")]
    assert recorder.errors == []


# --- Failures to start are shown, never a silent hang ----------------------------------


@pytest.fixture
def server_blocking_wasm(built_site: Path) -> Iterator[SiteServer]:
    """A server whose CSP lacks 'wasm-unsafe-eval': Pyodide would hang without a guard."""
    csp = "default-src 'self'; script-src 'self'; worker-src 'self'"
    with SiteServer(built_site, headers={"Content-Security-Policy": csp}) as server:
        yield server


@pytest.mark.csp_violations_expected
def test_csp_blocking_webassembly_shows_a_clear_error(page: Page, server_blocking_wasm: SiteServer) -> None:
    page.goto(server_blocking_wasm.url + CALCULATOR)
    root = page.locator("[data-calculator]")
    expect(root).to_have_attribute("data-calculator-state", "error", timeout=READY_TIMEOUT_MS)
    expect(page.locator("[data-gc-status]")).to_contain_text("Content-Security-Policy")
    expect(page.locator("[data-gc-summary-body]")).to_contain_text("Read the guideline")


def test_worker_that_cannot_load_shows_a_clear_error(page: Page, site_server: SiteServer) -> None:
    page.route("**/worker.mjs", lambda route: route.abort())
    page.goto(site_server.url + CALCULATOR)
    root = page.locator("[data-calculator]")
    expect(root).to_have_attribute("data-calculator-state", "error", timeout=READY_TIMEOUT_MS)
    expect(page.locator("[data-gc-status]")).to_contain_text("background worker could not be loaded")


def test_a_slow_start_is_said_and_waited_for_never_failed(page: Page, quick_timeout_site: Path) -> None:
    """Past the boot timeout the clinician is told the device or connection is slow, and the
    calculator keeps starting: the runtime that arrives late is used, not thrown away."""
    held: list[Route] = []
    with SiteServer(quick_timeout_site) as server:
        page.route("**/pyodide.asm.wasm", lambda route: held.append(route))  # the runtime is late
        page.goto(server.url + CALCULATOR)
        root = page.locator("[data-calculator]")
        status = page.locator("[data-gc-status]")
        expect(status).to_contain_text(f"Still starting after {QUICK_BOOT_TIMEOUT} seconds: Starting Python")
        expect(status).to_contain_text("the calculator keeps starting")
        expect(root).to_have_attribute("data-calculator-state", "loading")
        assert held  # it was the runtime that had not come
        for route in held:
            route.continue_()
        expect(root).to_have_attribute("data-calculator-state", "ready", timeout=READY_TIMEOUT_MS)
        expect(status).to_have_text("Calculator ready.")
        assert page.evaluate("document.querySelectorAll('.gc-status--error').length") == 0


def _wasm_requests(page: Page, failing: int) -> list[str]:
    """Route the runtime's WebAssembly: every request is recorded; the first ``failing`` aborted."""
    asked: list[str] = []

    def handle(route: Route) -> None:
        asked.append(route.request.url)
        if len(asked) <= failing:
            route.abort()
        else:
            route.continue_()

    page.route("**/pyodide.asm.wasm", handle)
    return asked


def _worker_stats(page: Page) -> dict[str, Any]:
    worker = next(worker for worker in page.workers if is_calculator_worker(worker.url))
    stats: dict[str, Any] = worker.evaluate("self.calculatorStats()")
    return stats


def test_the_runtime_is_downloaded_once_and_compiled_by_the_page_as_it_arrives(
    page: Page, site_server: SiteServer
) -> None:
    """boot.js compiles pyodide.asm.wasm from its first byte and hands the module to the worker,
    whose Pyodide instantiates it: one request for the file, not one each."""
    asked = _wasm_requests(page, failing=0)
    page.goto(site_server.url + CALCULATOR)
    root = page.locator("[data-calculator]")
    expect(root).to_have_attribute("data-calculator-state", "ready", timeout=READY_TIMEOUT_MS)
    assert len(asked) == 1, asked
    assert _worker_stats(page)["wasm"] == "page"


@pytest.mark.parametrize(("failing", "compiled_by"), [(1, "early"), (2, "pyodide")])
def test_a_failed_compile_leaves_the_runtime_to_the_worker_then_to_pyodide(
    page: Page, site_server: SiteServer, failing: int, compiled_by: str
) -> None:
    """When the page's download fails, the worker downloads and compiles the file itself; when
    that fails too, Pyodide's own request is made. The calculator starts each time, with nothing
    shown as an error."""
    asked = _wasm_requests(page, failing=failing)
    page.goto(site_server.url + CALCULATOR)
    root = page.locator("[data-calculator]")
    expect(root).to_have_attribute("data-calculator-state", "ready", timeout=READY_TIMEOUT_MS)
    expect(page.locator("[data-gc-status]")).to_have_text("Calculator ready.")
    assert len(asked) == failing + 1, asked
    assert _worker_stats(page)["wasm"] == compiled_by


PROGRESS = """
window.__progress = [];
const PlainWorker = window.Worker;
window.Worker = class extends PlainWorker {
  constructor(url, options) {
    super(url, options);
    this.addEventListener("message", ({ data }) => data?.progress && window.__progress.push(data.progress));
  }
};
"""


def test_the_download_progress_counts_the_runtime_the_page_downloads(
    page: Page, site_server: SiteServer, built_site: Path
) -> None:
    """The page downloads pyodide.asm.wasm (boot.js), the worker the rest: on a first visit over
    a network slow to answer, the progress the worker reports counts both, so the progress line
    moves to the end. (A device that kept a snapshot counts nothing: counting costs the start.)"""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 150, "downloadThroughput": 4_000_000, "uploadThroughput": 4_000_000},
    )
    page.add_init_script(PROGRESS)
    page.goto(site_server.url + CALCULATOR)
    root = page.locator("[data-calculator]")
    expect(root).to_have_attribute("data-calculator-state", "ready", timeout=READY_TIMEOUT_MS)
    progress = page.evaluate("window.__progress")
    loaded = [entry["loaded"] for entry in progress]
    assert loaded == sorted(loaded), loaded
    wasm = next(built_site.glob("assets/pyodide/*/pyodide.asm.wasm")).stat().st_size
    # More than the worker's own downloads could make: the page's 9.6 MB are in it.
    assert max(loaded) >= wasm, (max(loaded), wasm)
    assert max(loaded) <= progress[-1]["total"], progress[-1]


def test_the_worker_starts_on_the_boot_request_in_its_url_before_any_message(
    page: Page, site_server: SiteServer
) -> None:
    """boot.js puts the boot request in the worker's URL too: the worker starts on it without
    waiting for the message (which Chromium hands over only once the page's main thread is free).
    A request of another protocol version in the URL is left to the message."""
    open_calculator(page, site_server)
    steps = page.evaluate(
        """async () => {
      const boot = document.querySelector("script[data-calculator-boot]");
      const absolute = (name) => new URL(boot.getAttribute(name), document.baseURI).href;
      const request = { v: Number(boot.dataset.protocolVersion), id: 0, type: boot.dataset.bootMessage,
        params: { runtimeUrl: absolute("data-runtime-url"), wheelUrl: absolute("data-wheel-url"), runtimeBytes: 0 } };
      const start = (given) => {
        const url = absolute("data-worker-url") + "#boot=" + encodeURIComponent(JSON.stringify(given));
        const worker = new Worker(window.gcScriptUrl(url), { type: "module" });
        const heard = [];
        worker.onmessage = ({ data }) => data.step && data.step !== heard.at(-1) && heard.push(data.step);
        return heard;
      };
      const given = start(request);
      const otherVersion = start({ ...request, v: 999 });
      const until = performance.now() + 60000;
      const pause = (ms) => new Promise((done) => setTimeout(done, ms));
      while (!given.includes("load-calculator") && performance.now() < until) await pause(100);
      await pause(500);
      return { given, otherVersion };
    }"""
    )
    assert steps["given"][:3] == ["fetch-runtime", "start-interpreter", "load-calculator"], steps
    assert steps["otherVersion"] == [], steps


def test_browser_without_module_workers_is_told_it_cannot_run_the_calculator(
    page: Page, site_server: SiteServer
) -> None:
    # A browser with classic workers only never reads the `type` option.
    page.add_init_script(
        "const ClassicWorker = globalThis.Worker;globalThis.Worker = function (url) { return new ClassicWorker(url); };"
    )
    page.goto(site_server.url + CALCULATOR)
    expect(page.locator("[data-calculator]")).to_have_attribute("data-calculator-state", "error")
    expect(page.locator("[data-gc-status]")).to_contain_text("This browser cannot run the calculator")
    expect(page.locator("[data-gc-status]")).to_contain_text("module workers")


def test_browser_without_webassembly_is_told_it_cannot_run_the_calculator(page: Page, site_server: SiteServer) -> None:
    page.add_init_script("delete globalThis.WebAssembly;")
    page.goto(site_server.url + CALCULATOR)
    expect(page.locator("[data-calculator]")).to_have_attribute("data-calculator-state", "error")
    expect(page.locator("[data-gc-unsupported]")).to_be_visible()
    expect(page.locator("[data-gc-unsupported]")).to_contain_text("This browser cannot run the calculator")


def test_opened_from_a_file_the_calculator_explains_it_needs_a_server(page: Page, built_site: Path) -> None:
    page.goto((built_site / "aimss" / "calculator" / "index.html").as_uri())
    expect(page.locator("[data-calculator]")).to_have_attribute("data-calculator-state", "error")
    expect(page.locator("[data-gc-needs-server]")).to_be_visible()
    expect(page.locator("[data-gc-needs-server]")).to_contain_text("served by a web server")


def test_one_python_worker_per_page_never_two(page: Page, site_server: SiteServer, aimss: Guideline) -> None:
    def calculator_workers() -> list[str]:
        return [w.url for w in page.workers if is_calculator_worker(w.url)]

    open_calculator(page, site_server)
    assert len(calculator_workers()) == 1
    page.reload()
    expect(page.locator("[data-calculator]")).to_have_attribute(
        "data-calculator-state", "ready", timeout=READY_TIMEOUT_MS
    )
    assert len(calculator_workers()) == 1
    page.goto(site_server.url + "aimss/")  # the guideline text: no Python at all
    page.wait_for_load_state("load")
    assert calculator_workers() == []


SLOW_NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 300 * 1024, "uploadThroughput": 100 * 1024}
"""A weak ward Wi-Fi: 300 KB/s down, 150 ms round trips (Chromium's DevTools network emulation)."""
SLOW_CPU = 4
"""An older tablet: the CPU four times slower (DevTools CPU throttling)."""

WATCH_STATES = """
window.__seen = [];
new MutationObserver(() => {
  const root = document.querySelector("[data-calculator]");
  const status = document.querySelector("[data-gc-status]");
  if (root) window.__seen.push([root.dataset.calculatorState, status?.textContent ?? ""]);
}).observe(document, { subtree: true, attributes: true, childList: true, characterData: true });
"""


def test_a_first_visit_on_a_slow_connection_and_device_reaches_ready_without_an_error(
    watched_context: Any, built_site: Path
) -> None:
    require(nginx_available(), "nginx with the brotli module is missing")
    with NginxServer(built_site, sub_path="/slow/") as server:
        context = watched_context(service_workers="block")
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": SLOW_CPU})
        page.add_init_script(WATCH_STATES)
        page.goto(server.url + CALCULATOR, timeout=120_000)
        root = page.locator("[data-calculator]")
        expect(root).to_have_attribute("data-calculator-state", "ready", timeout=240_000)
        seen = page.evaluate("window.__seen")
        assert all(state != "error" for state, _ in seen)
        statuses = [status for _, status in seen]
        # It was slow (past the boot timeout), it said so, and it showed the download moving.
        assert any(status.startswith("Still starting after") for status in statuses), statuses[-5:]
        assert any(" MB)" in status for status in statuses)
