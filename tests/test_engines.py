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
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, require
from engines import NOTE, Engine, steps_for
from engines.firefox import FIREFOX, FirefoxDriver, FirefoxEngine
from engines.webkit import MINIBROWSER, PERSISTENT_BROWSER, WEBKITWEBDRIVER, Xvfb, in_webkit
from guideline_site.server import SiteServer
from nginx_server import NginxServer, free_port, nginx_available
from test_deployment import site_sending_results_to
from test_parity import RUN_IN_WORKER, answer_sets
from test_snapshot import KEPT as SNAPSHOT_KEPT
from ui import CALCULATOR

from calculator.browser import Session
from calculator.fragment import encode_fragment
from calculator.model import Guideline
from calculator.vignettes import load_vignettes

pytestmark = [pytest.mark.browser, pytest.mark.engines]

ENGINES = ["firefox", "webkit"]
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
        assert kept["stored"] > 0, kept
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

            if engine_name == "firefox":
                engine = request.getfixturevalue("firefox")
                engine.page_errors()
                body(engine)
                assert engine.page_errors() == []
            else:
                in_webkit(request.getfixturevalue("display"), body)
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
