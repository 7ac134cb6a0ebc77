"""Every engine a clinic uses: Firefox ESR (hospital desktops) and WebKit (every iPad), beside
the Chromium of the other browser tests.

Served by nginx with the shipped configuration (its CSP reports violations to the test's own
collector), each engine: reaches "ready" from the site's own files; gives, through the form,
the result CPython gives for a focal, a diffuse and a limited-prognosis case; restores a result
from a link; copies the note; works offline, reloaded and after a browser restart with the
server stopped; runs embedded in another site's page and reports its result there; and runs
the 1,205-case parity set through its own worker with the same JSON text as CPython, also when
the worker starts from the memory snapshot a first visit kept. After
each test: no CSP violation reported, no script error, no request to another origin.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aimss_cases import DIFFUSE_MODERATE_WITH_DEPRESSION, FOCAL_CARPAL_TUNNEL, NEUROPATHY_ONLY
from conftest import ROOT, UPDATED_TEXT, rebuilt_site, require
from engines import NOTE, READY_STATE, Engine, steps_for
from engines.firefox import FIREFOX, FirefoxDriver, FirefoxEngine
from engines.webkit import MINIBROWSER, PERSISTENT_BROWSER, WEBKITWEBDRIVER, Xvfb, in_webkit
from guideline_site.server import SiteServer
from nginx_server import NginxServer, free_port, nginx_available
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait
from test_deployment import site_sending_results_to
from test_parity import RUN_IN_WORKER, answer_sets
from test_snapshot import KEPT as SNAPSHOT_KEPT
from test_snapshot import SNAPSHOT_FILES
from ui import CALCULATOR

from calculator import text
from calculator.browser import Session
from calculator.fragment import encode_fragment
from calculator.model import Guideline
from calculator.vignettes import load_vignettes

pytestmark = [pytest.mark.browser, pytest.mark.engines]

ENGINES = ["firefox", "webkit"]
PREFIX = "/intranet/guidelines/"
PYODIDE_VERSION = json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"]
VIGNETTES = {v.id: v.answers for v in load_vignettes(ROOT / "content" / "aimss")}
CASES = ["focal_carpal_tunnel", "diffuse_mild", "diffuse_limited_life_expectancy_visceral"]
"""One focal, one diffuse, one with a limited prognosis."""


def cpython_note(guideline: Guideline, answers: dict[str, Any]) -> str:
    reply = json.loads(Session(guideline, runtime=f"Pyodide {PYODIDE_VERSION}").evaluate(json.dumps(answers)))
    return str(reply["note"])


@pytest.fixture(scope="session")
def firefox() -> Iterator[FirefoxEngine]:
    require(FIREFOX.exists(), "Firefox ESR is missing: apt-get install firefox-esr")
    require((ROOT / "node_modules" / "puppeteer-core").is_dir(), "puppeteer-core is missing: npm ci")
    driver = FirefoxDriver()
    engine = FirefoxEngine(driver)
    engine.launch()
    yield engine
    driver.close()


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    for path, package in ((WEBKITWEBDRIVER, "webkit2gtk-driver"), (MINIBROWSER, "webkit2gtk-driver")):
        require(path.exists(), f"{path} is missing: apt-get install {package}")
    require(shutil.which("Xvfb") is not None, "Xvfb is missing: apt-get install xvfb")
    with Xvfb() as number:
        yield number


@pytest.fixture
def server(built_site: Path) -> Iterator[NginxServer]:
    """The site under a sub-path with the shipped configuration; violations reported to us."""
    require(nginx_available(), "nginx with the brotli module is missing")
    with NginxServer(built_site, sub_path="/intranet/guidelines/", csp_reports=True) as nginx:
        yield nginx
        assert nginx.csp_violations() == [], "CSP violations"


@pytest.fixture(params=ENGINES)
def run(request: pytest.FixtureRequest, server: NginxServer) -> Callable[[Callable[[Engine], Any]], Any]:
    """``run(body)``: the body in this engine, then the checks every engine test ends with."""
    name = str(request.param)

    def in_engine(body: Callable[[Engine], Any], *, proxy: bool = True) -> Any:
        if name == "firefox":
            engine = request.getfixturevalue("firefox")
            engine.page_errors(), engine.requests()  # what an earlier test left
            value = body(engine)
            assert engine.page_errors() == []
            foreign = [
                url for url in engine.requests() if not url.startswith((server.origin, "data:", "blob:", "about:"))
            ]
            assert foreign == [], "requests to another origin"
            return value
        display = request.getfixturevalue("display")
        value = in_webkit(display, body, proxy_port=server.port if proxy else None)
        if proxy:  # every request went through nginx as the proxy: each names its origin
            absolute = [line.split()[1] for line in server.requests() if "://" in line.split()[1]]
            assert absolute, "the browser did not use nginx as its proxy"
            assert [url for url in absolute if not url.startswith(server.origin)] == [], "requests to another origin"
        return value

    return in_engine


def test_the_calculator_reaches_ready_from_the_sites_own_files(run: Any, server: NginxServer) -> None:
    def body(engine: Engine) -> None:
        engine.open(server.url + CALCULATOR)
        assert engine.ready() == "ready"
        assert engine.js("document.querySelector('[data-gc-status]').textContent") == "Calculator ready."
        assert "Pyodide " + PYODIDE_VERSION in engine.js("document.querySelector('.gc-versions').textContent")

    run(body)


def test_cases_through_the_form_give_the_result_cpython_gives(run: Any, server: NginxServer, aimss: Guideline) -> None:
    def body(engine: Engine) -> None:
        engine.open(server.url + CALCULATOR)
        assert engine.ready() == "ready"
        for case in CASES:
            engine.click_button("New patient")
            engine.wait_js("document.querySelector('[data-gc-result]').hidden")
            engine.answer(steps_for(aimss, VIGNETTES[case]))
            expected = cpython_note(aimss, VIGNETTES[case])
            assert engine.wait_js(f"{NOTE} === {json.dumps(expected)}", timeout=30), case
            assert engine.js("document.querySelector('[data-summary-classification=\"assessment\"]').textContent")

    run(body)


def test_a_link_restores_the_answers_and_the_result(run: Any, server: NginxServer, aimss: Guideline) -> None:
    answers = VIGNETTES["diffuse_mild"]

    def body(engine: Engine) -> None:
        engine.open(f"{server.url}{CALCULATOR}#{encode_fragment(answers)}")
        assert engine.ready() == "ready"
        assert engine.wait_js(f"{NOTE} === {json.dumps(cpython_note(aimss, answers))}", timeout=30)
        assert engine.js("document.getElementById('gc-distribution-diffuse').checked") is True

    run(body)


def test_copy_to_note_puts_the_note_on_the_clipboard(run: Any, server: NginxServer, aimss: Guideline) -> None:
    answers = VIGNETTES["focal_carpal_tunnel"]

    def body(engine: Engine) -> None:
        engine.open(f"{server.url}{CALCULATOR}#{encode_fragment(answers)}")
        assert engine.ready() == "ready"
        expected = cpython_note(aimss, answers)
        engine.wait_js(f"{NOTE} === {json.dumps(expected)}")
        engine.click_button("Copy to note")
        engine.wait_js("document.querySelector('[data-gc-announce]').textContent.includes('on the clipboard')")
        assert engine.clipboard() == expected

    run(body)


def test_parity_the_worker_gives_cpythons_json_text_for_every_case(
    run: Any, server: NginxServer, aimss: Guideline
) -> None:
    texts = [json.dumps(answers) for answers in answer_sets(aimss)]
    session = Session(aimss, runtime=f"Pyodide {PYODIDE_VERSION}")
    expected = [session.evaluate(text) for text in texts]

    def body(engine: Engine) -> None:
        engine.open(server.url + CALCULATOR)
        assert engine.ready() == "ready"
        ran = engine.run_async(RUN_IN_WORKER, {"texts": texts})
        assert "scriptError" not in ran, ran
        replies = ran["replies"]
        assert len(replies) == len(expected) >= 1200
        mismatched = [i for i, (mine, theirs) in enumerate(zip(expected, replies, strict=True)) if mine != theirs]
        assert mismatched == [], f"first mismatch: {texts[mismatched[0]]}" if mismatched else ""

    run(body)


def test_a_repeat_visit_starts_from_the_snapshot_with_cpythons_json_text_for_every_case(
    run: Any, server: NginxServer, aimss: Guideline
) -> None:
    """The snapshot start (tests/test_snapshot.py in Chromium): the first visit keeps a snapshot,
    the next starts from it, and the restored worker gives the parity set's JSON text; so does
    the form of a page started from it."""
    texts = [json.dumps(answers) for answers in answer_sets(aimss)]
    session = Session(aimss, runtime=f"Pyodide {PYODIDE_VERSION}")
    expected = [session.evaluate(text) for text in texts]
    answers = VIGNETTES["diffuse_mild"]

    def body(engine: Engine) -> None:
        engine.open(server.url + CALCULATOR)
        assert engine.ready() == "ready"
        kept = engine.run_async(SNAPSHOT_KEPT, 60)
        assert kept["stored"] > 0 and kept["shown"] == kept["stored"], kept
        print(f"{engine.name}: the snapshot's bytes kept {'in a file' if kept['file'] else 'in its cache'}")
        # A file only for a snapshot kept in one (WebKitGTK has no origin private file system).
        assert engine.run_async(SNAPSHOT_FILES, None) == ([kept["name"]] if kept["file"] else [])
        engine.open(f"{server.url}{CALCULATOR}#{encode_fragment(answers)}")
        assert engine.ready() == "ready"
        assert engine.wait_js(f"{NOTE} === {json.dumps(cpython_note(aimss, answers))}", timeout=30)
        ran = engine.run_async(RUN_IN_WORKER, {"texts": texts, "snapshot": kept["name"]})
        assert "scriptError" not in ran, ran
        assert ran["stats"]["start"] == "snapshot"
        mismatched = [
            i for i, (mine, theirs) in enumerate(zip(expected, ran["replies"], strict=True)) if mine != theirs
        ]
        assert mismatched == [], f"first mismatch: {texts[mismatched[0]]}" if mismatched else ""

    run(body)


HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ward intranet</title><link rel="icon" href="data:,"></head>
<body><h1>Ward intranet page</h1>
<iframe src="{calculator}" title="AIMSS calculator" data-guideline-calculator data-result-events
  width="100%" height="150" frameborder="0"></iframe>
<script src="{embed_js}" defer></script>
<script src="host.js" defer></script>
</body></html>
"""
HOST_SCRIPT = """window.guidelineResults = [];
document.addEventListener("guideline-calculator:result", (event) => window.guidelineResults.push(event.detail));
"""


@pytest.mark.parametrize("engine_name", ENGINES)
def test_embedded_in_another_sites_page_it_reports_its_result(
    engine_name: str, request: pytest.FixtureRequest, tmp_path: Path, aimss: Guideline
) -> None:
    require(nginx_available(), "nginx with the brotli module is missing")
    host_port = free_port()
    host_origin = f"http://localhost:{host_port}"
    answers = VIGNETTES["diffuse_mild"]
    # Results go only to the origins the site's configuration names (result_event_origins).
    site = site_sending_results_to(host_origin, tmp_path / "calculator")
    host_dir = tmp_path / "host"
    host_dir.mkdir()
    with NginxServer(
        site, sub_path="/guidelines/", frame_ancestors=f"'self' {host_origin}", csp_reports=True
    ) as calculator:
        (host_dir / "index.html").write_text(
            HOST_PAGE.format(
                calculator=calculator.url + "aimss/embed/", embed_js=calculator.url + "assets/calculator/embed.js"
            )
        )
        (host_dir / "host.js").write_text(HOST_SCRIPT)
        with SiteServer(host_dir, headers={}, port=host_port) as host:

            def body(engine: Engine) -> None:
                engine.open(host.url.replace("127.0.0.1", "localhost"))
                engine.wait_js("document.querySelector('iframe').getBoundingClientRect().height > 500", timeout=60)
                engine.into_frame("iframe[data-guideline-calculator]")
                assert engine.ready() == "ready"
                engine.answer(steps_for(aimss, answers))
                engine.main_frame()
                detail = engine.wait_js("window.guidelineResults.at(-1)", timeout=30)
                assert detail["guideline"] == "aimss"
                assert detail["note"] == cpython_note(aimss, answers)

            in_each_engine(engine_name, request, body, fresh=False)
        assert calculator.csp_violations() == []


@pytest.mark.parametrize("engine_name", ENGINES)
def test_offline_it_reloads_and_restarts_with_the_server_stopped(
    engine_name: str, request: pytest.FixtureRequest, built_site: Path, tmp_path: Path, aimss: Guideline
) -> None:
    """A clinic tablet: one visit online; then no network, a reload, and the next morning a
    restarted browser (the same profile): the calculator still starts and restores a link."""
    require(nginx_available(), "nginx with the brotli module is missing")
    answers = VIGNETTES["diffuse_mild"]
    profile = tmp_path / "profile"
    nginx = NginxServer(built_site, sub_path="/intranet/guidelines/", csp_reports=True).start()
    link = f"{nginx.url}{CALCULATOR}#{encode_fragment(answers)}"
    expected = cpython_note(aimss, answers)

    def online_then_offline(engine: Any) -> None:
        engine.open(nginx.url + CALCULATOR)
        assert engine.ready() == "ready"
        engine.wait_js("document.querySelector('[data-offline]').dataset.offlineState === 'ready'", timeout=180)
        assert nginx.csp_violations() == []
        nginx.stop()
        engine.reload()
        assert engine.ready() == "ready"

    def after_restart(engine: Any) -> None:
        engine.open(link)
        assert engine.ready() == "ready"
        assert engine.wait_js(f"{NOTE} === {json.dumps(expected)}", timeout=30)

    try:
        if engine_name == "firefox":
            engine = request.getfixturevalue("firefox")
            engine.launch(profile)
            try:
                online_then_offline(engine)
                engine.launch(profile)  # closes the browser, starts it again on the same profile
                after_restart(engine)
                assert engine.page_errors() == []
            finally:
                engine.launch()  # back to a fresh profile for later tests
        else:
            require(PERSISTENT_BROWSER.exists(), "tests/engines/wk_browser.py is missing")
            display = request.getfixturevalue("display")
            in_webkit(display, online_then_offline, profile=profile)
            in_webkit(display, after_restart, profile=profile)
    finally:
        nginx.stop()
        nginx.__exit__(None, None, None)


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_csp_violation_reaches_the_server_from_every_engine(
    engine_name: str, request: pytest.FixtureRequest, built_site: Path
) -> None:
    """The other tests' "no violation" can fail: a blocked image is reported to the collector."""
    require(nginx_available(), "nginx with the brotli module is missing")
    with NginxServer(built_site, sub_path="/intranet/guidelines/", csp_reports=True) as nginx:

        def body(engine: Engine) -> None:
            engine.open(nginx.url)
            image = "Object.assign(document.createElement('img'), {src: 'http://127.0.0.2/x.png'})"
            engine.js(f"document.body.append({image}) || true")
            for _ in range(100):
                if nginx.csp_violations():
                    break
                engine.wait_js("new Promise((done) => setTimeout(() => done(true), 100))")

        if engine_name == "firefox":
            engine = request.getfixturevalue("firefox")
            body(engine)
            engine.page_errors(), engine.requests()  # the provoked error and the blocked request: expected
        else:
            in_webkit(request.getfixturevalue("display"), body)
        reports = nginx.csp_violations()
        assert reports and "img-src" in json.dumps(reports), reports


TRUSTED_TYPES = {"firefox": True, "webkit": True}
"""Whether the engine enforces Trusted Types (``window.trustedTypes``): asserted, not assumed."""
MATERIAL_BUNDLE = r"/assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js$"
SEARCH = """(() => {
  const input = document.querySelector("input.md-search__input");
  input.focus();
  input.value = "duloxetine";
  input.dispatchEvent(new KeyboardEvent("keyup", { key: "e", bubbles: true }));
  return true;
})()"""


def test_trusted_types_the_pages_run_and_search_finds_without_our_code_reaching_the_default_policy(
    run: Any, server: NginxServer, aimss: Guideline, request: pytest.FixtureRequest
) -> None:
    """As in Chromium (tests/test_offline_builds.py): under the site's CSP with
    ``require-trusted-types-for 'script'``, the calculator, the embed page, the offline page and
    search work; the default policy is never called by our scripts (the embed page: never; the
    calculator and offline pages: only Material clearing its empty result list); search's
    results pass through its sanitizer. The server fixture fails the test on any CSP report (a
    document's or a worker's). An engine without Trusted Types is named in TRUSTED_TYPES, and
    the test asserts it lacks ``window.trustedTypes`` and still runs every page."""
    engine_name = request.node.callspec.params["run"]
    enforced = TRUSTED_TYPES[engine_name]
    answers = VIGNETTES["focal_carpal_tunnel"]

    def material_clears_only(engine: Engine) -> None:
        calls = engine.js("window.gcTrustedTypesDefaultCalls || []")
        assert all(re.search(MATERIAL_BUNDLE, call["script"]) and call["length"] == 0 for call in calls), calls

    def body(engine: Engine) -> None:
        engine.open(server.url + CALCULATOR)
        assert engine.js("typeof window.trustedTypes") == ("object" if enforced else "undefined")
        assert engine.js("Array.isArray(window.gcTrustedTypesDefaultCalls)") is enforced
        assert engine.ready() == "ready"
        engine.answer(steps_for(aimss, answers))
        assert engine.wait_js(f"{NOTE} === {json.dumps(cpython_note(aimss, answers))}", timeout=30)
        engine.wait_js("document.querySelector('[data-offline]').dataset.offlineState === 'ready'", timeout=180)
        material_clears_only(engine)
        engine.open(server.url + "aimss/embed/")
        assert engine.ready() == "ready"
        assert engine.js("window.gcTrustedTypesDefaultCalls || []") == []
        engine.open(server.url + "offline/")
        engine.wait_js("document.querySelector('[data-offline-rows] > *') !== null", timeout=30)
        material_clears_only(engine)
        engine.open(server.url + "aimss/")
        engine.wait_js("document.querySelector('input.md-search__input') !== null")
        engine.wait_js(SEARCH)
        found = "document.querySelector('.md-search-result__item mark')?.textContent.toLowerCase() === 'duloxetine'"
        assert engine.wait_js(found, timeout=30)
        if enforced:
            assert engine.js("window.gcTrustedTypesDefaultCalls.some((call) => call.length > 0)")

    run(body)


# --- Finding 4: another origin cannot rewrite the answers ---------------------------------------


def change_fragment_from_outside(engine: Engine, fragment: str, reply: str) -> list[str]:
    """Set the calculator's fragment as a link, an opener or a frame's host would, and answer
    ``reply`` ("accept" or "dismiss") to the question the page asks, if it asks: the messages
    of the page's dialogs. Firefox: puppeteer's dialog events (firefox_drive.mjs ``dialogs``);
    WebKit: WebDriver's user prompts."""
    if isinstance(engine, FirefoxEngine):
        engine.driver("dialogs", answer=reply)
        engine.js(f"(location.hash = {json.dumps(fragment)}, true)")
        deadline = time.monotonic() + 5
        messages: list[str] = []
        while not messages and time.monotonic() < deadline:
            messages = engine.driver("dialogs")["messages"]
            time.sleep(0.1)
        return messages
    driver = engine.driver  # type: ignore[attr-defined]
    driver.execute_script("location.hash = arguments[0]", fragment)
    try:
        WebDriverWait(driver, 5, poll_frequency=0.1).until(expected_conditions.alert_is_present())
    except TimeoutException:
        return []
    prompt = driver.switch_to.alert
    message = str(prompt.text)
    prompt.accept() if reply == "accept" else prompt.dismiss()
    return [message]


CHECKED = "document.getElementById('gc-symptoms-{}').checked"


def test_once_an_answer_is_changed_a_fragment_from_outside_asks_before_replacing_the_answers(
    run: Any, server: NginxServer, aimss: Guideline
) -> None:
    """As test_outputs.py's Chromium test, with each engine's own dialog: a link's answers are
    replaced by a new fragment until the clinician changes an answer; then a fragment changed
    from outside (an opener's or an embedding page's write) asks first: refused, the answers
    and the address stay the clinician's; accepted, the new answers and their result show."""
    other = encode_fragment(DIFFUSE_MODERATE_WITH_DEPRESSION)

    def body(engine: Engine) -> None:
        engine.open(f"{server.url}{CALCULATOR}#{encode_fragment(FOCAL_CARPAL_TUNNEL)}")
        assert engine.ready() == "ready"
        assert engine.wait_js(f"{NOTE} === {json.dumps(cpython_note(aimss, FOCAL_CARPAL_TUNNEL))}", timeout=30)
        # Not yet edited: the answers are the link's, and a new fragment replaces them unasked.
        assert change_fragment_from_outside(engine, encode_fragment(NEUROPATHY_ONLY), "dismiss") == []
        assert engine.wait_js(f"!{CHECKED.format('tendinopathy')} && {CHECKED.format('neuropathy')}")
        engine.answer([{"question": "symptoms", "labels": ["Tendinopathy"]}])  # the clinician's own answer
        assert engine.wait_js("location.hash.endsWith('symptoms=tendinopathy,neuropathy')")
        mine = engine.js("location.hash")
        assert change_fragment_from_outside(engine, other, "dismiss") == [text.t("link.replace_answers")]
        assert engine.wait_js(f"location.hash === {json.dumps(mine)}")
        assert engine.js(CHECKED.format("tendinopathy")) is True
        assert engine.js(CHECKED.format("joint-stiffness")) is False
        assert change_fragment_from_outside(engine, other, "accept") == [text.t("link.replace_answers")]
        assert engine.wait_js(CHECKED.format("joint-stiffness"))
        expected = cpython_note(aimss, DIFFUSE_MODERATE_WITH_DEPRESSION)
        assert engine.wait_js(f"{NOTE} === {json.dumps(expected)}", timeout=30)

    run(body)


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_page_of_another_origin_that_opened_the_calculator_keeps_no_handle_on_it(
    engine_name: str, request: pytest.FixtureRequest, built_site: Path, tmp_path: Path
) -> None:
    """Cross-Origin-Opener-Policy: same-origin, in each engine. A page of another origin opens
    the calculator with window.open: the calculator loads (nginx serves it), and the opener's
    handle reads as closed, so it can neither read nor navigate it (a fragment written through it
    goes nowhere). The popup itself is not inspected: firefox_drive.mjs and WebKitWebDriver
    drive one page, and COOP gives the opener no way to reach the popup's document either."""
    require(nginx_available(), "nginx with the brotli module is missing")
    host_dir = tmp_path / "host"
    host_dir.mkdir()
    (host_dir / "index.html").write_text("<!doctype html><title>Another site</title><p>Another site</p>")
    with (
        NginxServer(built_site, sub_path="/intranet/guidelines/", csp_reports=True) as calculator,
        SiteServer(host_dir, headers={}) as host,
    ):
        url = calculator.url + CALCULATOR
        link = f"{url}#{encode_fragment(DIFFUSE_MODERATE_WITH_DEPRESSION)}"

        def body(engine: Engine) -> None:
            engine.open(host.url.replace("127.0.0.1", "localhost"))
            assert engine.js(f"(window.calculator = window.open({json.dumps(url)})) !== null")
            deadline = time.monotonic() + 60
            while not any(f"GET {PREFIX}{CALCULATOR} " in line for line in calculator.requests()):
                assert time.monotonic() < deadline, "the calculator was never opened"
                time.sleep(0.2)
            assert engine.wait_js("window.calculator.closed === true", timeout=30)
            write = f"window.calculator.location.href = {json.dumps(link)};"
            engine.js(f"(() => {{ try {{ {write} }} catch {{}} return true; }})()")

        if engine_name == "firefox":
            engine = request.getfixturevalue("firefox")
            engine.page_errors()
            body(engine)
            assert engine.page_errors() == []
        else:
            # MiniBrowser, like Safari, blocks a window a script opens without a click unless told.
            arguments = ("--javascript-can-open-windows-automatically=true",)
            in_webkit(request.getfixturevalue("display"), body, arguments=arguments)
        # Written through a cut handle, the fragment opened nothing: one visit to the calculator.
        assert len([line for line in calculator.requests() if f"GET {PREFIX}{CALCULATOR} " in line]) == 1
        assert calculator.csp_violations() == []


# --- Finding 2: a device never runs a mix of two builds ----------------------------------------

CHANGED_SHELL_PAGE = "authoring/"
"""A page of the site's shell (not of a guideline), changed in build 2 (as test_offline_builds.py)."""
OFFLINE_STATE = "document.querySelector('[data-offline]')?.dataset.offlineState"


@pytest.fixture(scope="module")
def second_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build 2 of the site: the guideline's text and a page of the shell changed."""
    shell_page = {"content/authoring.md": lambda text: text + "\nChanged in build 2.\n"}
    return rebuilt_site(tmp_path_factory.mktemp("second-build"), {**UPDATED_TEXT, **shell_page})


def cache_names(engine: Engine) -> list[str]:
    return list(engine.run_async("() => caches.keys()", None))


def eventually(engine: Engine, expression: str, timeout: float = 180) -> Any:
    """``expression`` (a promise is awaited) once truthy, read again while a page navigates."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = engine.run_async(f"() => Promise.resolve({expression})", None, timeout=30)
        except Exception:  # the document went away mid-call (a reload): ask the next one
            value = None
        if value and not (isinstance(value, dict) and "scriptError" in value):
            return value
        assert time.monotonic() < deadline, f"never true: {expression}"
        time.sleep(0.2)


def in_each_engine(
    engine_name: str, request: pytest.FixtureRequest, body: Callable[[Engine], None], *, fresh: bool = True
) -> None:
    """``body`` in a fresh browser of the engine (a new profile: no service worker of an earlier
    test); ``fresh=False``: Firefox's browser as the session left it, only its page errors so far
    forgotten (WebKit's is always new). Fails on any page error ``body`` leaves."""
    if engine_name == "firefox":
        engine = request.getfixturevalue("firefox")
        if fresh:
            engine.launch()
        else:
            engine.page_errors()
        body(engine)
        assert engine.page_errors() == []
    else:
        in_webkit(request.getfixturevalue("display"), body)


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_page_of_another_build_never_runs_with_the_kept_builds_scripts_nor_is_its_guideline_kept(
    engine_name: str, request: pytest.FixtureRequest, built_site: Path, second_build: Path, tmp_path: Path
) -> None:
    """As test_offline_builds.py's Chromium test: the device keeps build 1's shell; the server
    switches to build 2, whose changed shell page arrives corrupt, so build 2 never installs.
    Opening build 2's guideline page, the device shows no page of build 2 with build 1's
    scripts (it says another version is on the server), the build-1 worker refuses to keep
    build 2's guideline, and the failed install leaves no partial cache."""
    require(nginx_available(), "nginx with the brotli module is missing")
    corrupt_site = tmp_path / "site-v2"
    shutil.copytree(second_build, corrupt_site)
    corrupt = corrupt_site / CHANGED_SHELL_PAGE / "index.html"
    corrupt.write_text(corrupt.read_text() + "\n<!-- damaged on the way -->\n")
    for copy in (corrupt.with_name("index.html.br"), corrupt.with_name("index.html.gz")):
        copy.unlink(missing_ok=True)
    port = free_port()
    first = NginxServer(built_site, port=port, csp_reports=True)
    second = NginxServer(corrupt_site, port=port, csp_reports=True)

    def body(engine: Engine) -> None:
        engine.open(first.url + "offline/")  # the shell only: no guideline is kept yet
        eventually(engine, f"{OFFLINE_STATE} === 'ready-without-calculator'")
        assert not [name for name in cache_names(engine) if ":guideline:" in name]
        first.stop()
        second.start()
        engine.open(second.url + "aimss/")
        deadline = time.monotonic() + 180
        while not any(f"{PREFIX}{CHANGED_SHELL_PAGE} " in line for line in second.requests()):  # build 2's install
            assert time.monotonic() < deadline, "build 2 was never installed"
            time.sleep(0.2)
        eventually(engine, "navigator.serviceWorker.getRegistration().then((r) => !r.installing && !r.waiting)")
        missing = "document.querySelector('[data-offline-missing]')?.textContent || ''"
        assert "another version of the site" in eventually(engine, missing, timeout=60)
        assert "UPDATED BUILD" not in engine.js("document.body.textContent")
        refused = engine.run_async(
            """() => window.gcOffline.ask(window.gcOffline.messages.save, {folders: ["aimss/"]})
                 .then(() => "saved", (error) => error.message)""",
            None,
        )
        assert "another version of the site" in refused
        names = cache_names(engine)
        assert not [name for name in names if ":guideline:" in name]
        assert len([name for name in names if ":site:" in name]) == 1  # build 2's partial shell is gone

    try:
        first.start()
        in_each_engine(engine_name, request, body)
    finally:
        for server in (first, second):
            server.__exit__(None, None, None)
    assert first.csp_violations() == second.csp_violations() == []


@pytest.mark.parametrize("engine_name", ENGINES)
def test_a_new_build_is_installed_whole_before_it_runs_and_the_old_one_removed(
    engine_name: str, request: pytest.FixtureRequest, built_site: Path, second_build: Path, aimss: Guideline
) -> None:
    """As test_offline.py's Chromium test: the device runs build 1 (shell, guideline, Python);
    the server switches to build 2. Mid-assessment the page stays build 1's (the answers and
    result shown) and offers the update once build 2 is installed whole; after "Reload to
    update" the device keeps build 2 only (one shell cache, one group, neither build 1's) and
    shows build 2's guideline."""
    require(nginx_available(), "nginx with the brotli module is missing")
    port = free_port()
    first = NginxServer(built_site, port=port, csp_reports=True)
    second = NginxServer(second_build, port=port, csp_reports=True)
    answers = DIFFUSE_MODERATE_WITH_DEPRESSION
    note = json.dumps(cpython_note(aimss, answers))

    def body(engine: Engine) -> None:
        engine.open(first.url + CALCULATOR)
        assert engine.ready() == "ready"
        eventually(engine, f"{OFFLINE_STATE} === 'ready'")
        old = cache_names(engine)
        first.stop()
        second.start()
        engine.open(f"{second.url}{CALCULATOR}#{encode_fragment(answers)}")
        eventually(engine, f"{OFFLINE_STATE} === 'update'")
        assert engine.wait_js(f"{NOTE} === {note}", timeout=60)
        engine.click_button("Reload to update")
        eventually(engine, f"{READY_STATE} === 'ready' && {NOTE} === {note} && {OFFLINE_STATE} !== 'update'")
        new = cache_names(engine)
        old_site, new_site = ([name for name in names if ":site:" in name] for names in (old, new))
        assert len(old_site) == len(new_site) == 1 and old_site != new_site
        old_group, new_group = ([name for name in names if ":guideline:aimss/:" in name] for names in (old, new))
        assert len(old_group) == len(new_group) == 1 and old_group != new_group
        assert not set(old_site + old_group) & set(new)
        engine.open(second.url + "aimss/")
        assert "UPDATED BUILD" in engine.js("document.querySelector('article').textContent")

    try:
        first.start()
        in_each_engine(engine_name, request, body)
    finally:
        for server in (first, second):
            server.__exit__(None, None, None)
    assert first.csp_violations() == second.csp_violations() == []
