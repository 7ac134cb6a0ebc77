"""A real web server (Debian's nginx with the shipped snippets), embedding, plain HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from aimss_cases import DIFFUSE_MODERATE_WITH_DEPRESSION
from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, build_site, copy_project, require
from guideline_site import deploy
from guideline_site.server import SiteServer
from nginx_server import NginxServer, free_port, nginx_available
from playwright.sync_api import BrowserType, Page, expect
from test_contract import conforms
from ui import CALCULATOR, READY_TIMEOUT_MS, answer

from calculator.engine import assess
from calculator.fragment import encode_fragment
from calculator.model import Guideline

SUB_PATH = "/intranet/guidelines/aimss/"
PYODIDE = "assets/pyodide/" + json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"] + "/"


@pytest.fixture(scope="module")
def nginx(built_site: Path) -> Iterator[NginxServer]:
    require(
        nginx_available(), "nginx with the brotli module missing: apt-get install nginx libnginx-mod-http-brotli-static"
    )
    with NginxServer(built_site, sub_path=SUB_PATH) as server:
        yield server


def fetch(url: str, encoding: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.parametrize(
    ("path", "content_type", "cache_control"),
    [
        ("", "text/html", deploy.REVALIDATE),
        ("aimss/calculator/", "text/html", deploy.REVALIDATE),
        ("sw.js", "text/javascript", deploy.REVALIDATE),
        ("manifest.webmanifest", "application/manifest+json", deploy.REVALIDATE),
        ("assets/calculator/worker.mjs", "text/javascript", deploy.REVALIDATE),
        (PYODIDE + "pyodide.asm.wasm", "application/wasm", deploy.IMMUTABLE),
        (PYODIDE + "pyodide.mjs", "text/javascript", deploy.IMMUTABLE),
        (PYODIDE + "python_stdlib.zip", "application/zip", deploy.IMMUTABLE),
        ("aimss/guideline.py", "text/plain", deploy.REVALIDATE),
    ],
)
def test_nginx_sends_the_intended_types_cache_rules_and_security_headers(
    nginx: NginxServer, path: str, content_type: str, cache_control: str
) -> None:
    status, headers, _ = fetch(nginx.url + path)
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == content_type
    assert headers["Cache-Control"] == cache_control
    for name, value in deploy.security_headers().items():
        assert headers[name] == value


def test_material_bundles_are_cached_as_immutable(nginx: NginxServer, built_site: Path) -> None:
    bundle = next((built_site / "assets" / "javascripts").glob("bundle.*.min.js")).name
    assert fetch(f"{nginx.url}assets/javascripts/{bundle}")[1]["Cache-Control"] == deploy.IMMUTABLE


@pytest.mark.parametrize("encoding", ["br", "gzip"])
@pytest.mark.parametrize("path", ["aimss/calculator/", PYODIDE + "pyodide.asm.wasm", PYODIDE + "python_stdlib.zip"])
def test_precompressed_variants_are_served_to_clients_that_ask(
    nginx: NginxServer, built_site: Path, path: str, encoding: str
) -> None:
    status, headers, body = fetch(nginx.url + path, encoding)
    suffix = {"br": ".br", "gzip": ".gz"}[encoding]
    source = built_site / (path + "index.html" if path.endswith("/") else path)
    assert status == 200
    assert headers["Content-Encoding"] == encoding
    assert body == source.with_name(source.name + suffix).read_bytes()
    assert "Accept-Encoding" in headers.get("Vary", "")
    status, headers, body = fetch(nginx.url + path)  # and the plain file to those that do not
    assert "Content-Encoding" not in headers and body == source.read_bytes()


@pytest.mark.browser
def test_missing_page_gets_the_site_404_with_working_links_under_the_sub_path(nginx: NginxServer, page: Page) -> None:
    status, _, body = fetch(nginx.url + "no/such/page/")
    assert status == 404
    assert f'<base href="{SUB_PATH}">'.encode() in body
    response = page.goto(nginx.url + "no/such/page/")
    assert response is not None and response.status == 404
    stylesheet = page.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
    assert stylesheet in {"sticky", "fixed"}  # Material's stylesheet loaded through the base
    page.get_by_role("link", name="Interactive clinical guidelines").first.click()
    expect(page).to_have_url(nginx.url)


def test_the_shipped_snippets_are_what_the_generator_writes() -> None:
    shipped = ROOT / "deploy"
    ancestors = deploy.frame_ancestors_from_config(ROOT / "mkdocs.yml")
    assert (shipped / "nginx" / "guidelines-http.conf").read_text() == deploy.nginx_http(ancestors)
    location = deploy.nginx_location(frame_ancestors=ancestors)
    assert (shipped / "nginx" / "guidelines-location.conf").read_text() == location
    assert (shipped / "apache" / "guidelines.conf").read_text() == deploy.apache(frame_ancestors=ancestors)
    assert (shipped / "iis" / "web.config").read_text() == deploy.iis(frame_ancestors=ancestors)


# --- Embedding in another site's page -----------------------------------------------------

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
window.guidelineMessages = [];
document.addEventListener("guideline-calculator:result", (event) => window.guidelineResults.push(event.detail));
window.addEventListener("message", (event) => window.guidelineMessages.push(event.data));
"""


# What a browser that blocks third-party storage does in a cross-site frame: every storage
# API throws. Material's helpers, the widget and the status line must not touch them.
STORAGE_BLOCKED_IN_FRAMES = """
if (window !== window.top) {
  const blocked = () => { throw new DOMException("Access is denied for this document.", "SecurityError"); };
  for (const name of ["localStorage", "sessionStorage", "indexedDB", "caches"]) {
    Object.defineProperty(window, name, { get: blocked, configurable: true });
  }
  Object.defineProperty(Document.prototype, "cookie", { get: blocked, set: blocked, configurable: true });
  window.__storageBlocked = true;
}
"""


@pytest.fixture
def host_dir(tmp_path: Path) -> Path:
    (tmp_path / "host").mkdir()
    (tmp_path / "host" / "host.js").write_text(HOST_SCRIPT)
    return tmp_path / "host"


def write_host_page(host_dir: Path, calculator_server: NginxServer | SiteServer) -> None:
    (host_dir / "index.html").write_text(
        HOST_PAGE.format(
            calculator=calculator_server.url + "aimss/embed/",
            embed_js=calculator_server.url + "assets/calculator/embed.js",
        )
    )


def site_sending_results_to(origin: str, tmp_path: Path) -> Path:
    """The site built with ``result_event_origins: [origin]`` in its ``mkdocs.yml``."""
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    option = "result_event_origins: []"
    assert option in config.read_text()
    config.write_text(config.read_text().replace(option, f"result_event_origins: [{origin}]"))
    site = tmp_path / "site"
    completed = build_site(project, site)
    assert completed.returncode == 0, completed.stderr
    return site


@pytest.mark.browser
def test_calculator_embedded_in_another_sites_page_resizes_and_reports_results(
    page: Page, tmp_path: Path, host_dir: Path, aimss: Guideline
) -> None:
    require(nginx_available(), "nginx with the brotli module is missing")
    host_port = free_port()
    host_origin = f"http://localhost:{host_port}"  # another site than 127.0.0.1: a cross-site frame
    built_site = site_sending_results_to(host_origin, tmp_path)
    with NginxServer(built_site, sub_path=SUB_PATH, frame_ancestors=f"'self' {host_origin}") as calculator_server:
        write_host_page(host_dir, calculator_server)
        with SiteServer(host_dir, headers={}, port=host_port) as host:
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type in {"error", "warning"} else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.add_init_script(STORAGE_BLOCKED_IN_FRAMES)
            page.goto(host.url.replace("127.0.0.1", "localhost"))
            frame = page.frame_locator("iframe[data-guideline-calculator]")
            expect(frame.locator("[data-calculator]")).to_have_attribute(
                "data-calculator-state", "ready", timeout=READY_TIMEOUT_MS
            )
            assert frame.locator("html").evaluate("() => window.__storageBlocked") is True
            answer(frame, aimss, DIFFUSE_MODERATE_WITH_DEPRESSION)  # type: ignore[arg-type]
            expect(frame.locator('[data-item="diffuse_duloxetine"]')).to_be_visible()
            page.wait_for_function("window.guidelineResults.length > 0")
            detail = page.evaluate("window.guidelineResults.at(-1)")
            assert detail["guideline"] == "aimss"
            assert detail["result"] == assess(aimss, DIFFUSE_MODERATE_WITH_DEPRESSION)
            assert detail["note"].startswith(aimss.info.title)
            # Every message the frame sent holds to the embed-message schema.
            messages = page.evaluate("window.guidelineMessages")
            assert {message["type"] for message in messages} >= {
                "guideline-calculator:resize",
                "guideline-calculator:result",
            }
            assert [conforms("embed-message", message) for message in messages] == [[]] * len(messages)
            # The frame grew to its content: no scrollbar inside, no empty space.
            iframe = page.locator("iframe[data-guideline-calculator]")
            for _ in range(50):
                inner = frame.locator("html").evaluate("html => html.scrollHeight")
                outer = iframe.evaluate("f => f.getBoundingClientRect().height")
                if abs(outer - inner) <= 2:
                    break
                page.wait_for_timeout(100)
            assert abs(outer - inner) <= 2 and outer > 1000, (outer, inner)
            # And back down after "New patient": the frame follows its content both ways.
            frame.get_by_role("button", name="New patient").click()
            page.wait_for_function(f"() => document.querySelector('iframe').getBoundingClientRect().height < {outer}")
            assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("headers", ["shipped", "none"])
def test_results_go_only_to_origins_the_sites_configuration_allows(
    page: Page, built_site: Path, host_dir: Path, aimss: Guideline, headers: str
) -> None:
    """The host page asks for results (``data-result-events``) and may frame the calculator
    (``frame-ancestors``, or a server sending no headers at all), but the site allows no origin
    in ``result_event_origins``: the frame sends it its height, never a result."""
    require(nginx_available(), "nginx with the brotli module is missing")
    host_port = free_port()
    host_origin = f"http://localhost:{host_port}"
    if headers == "shipped":
        calculator_server: NginxServer | SiteServer = NginxServer(
            built_site, sub_path=SUB_PATH, frame_ancestors=f"'self' {host_origin}"
        )
    else:
        calculator_server = SiteServer(built_site, prefix="/intranet/guidelines/", headers={})
    with calculator_server:
        write_host_page(host_dir, calculator_server)
        with SiteServer(host_dir, headers={}, port=host_port) as host:
            page.goto(host.url.replace("127.0.0.1", "localhost"))
            frame = page.frame_locator("iframe[data-guideline-calculator]")
            expect(frame.locator("[data-calculator]")).to_have_attribute(
                "data-calculator-state", "ready", timeout=READY_TIMEOUT_MS
            )
            answer(frame, aimss, DIFFUSE_MODERATE_WITH_DEPRESSION)  # type: ignore[arg-type]
            expect(frame.locator('[data-item="diffuse_duloxetine"]')).to_be_visible()
            page.wait_for_timeout(500)  # time for a result message to arrive, were one sent
            types = page.evaluate("window.guidelineMessages.map((message) => message.type)")
            assert "guideline-calculator:resize" in types
            assert "guideline-calculator:result" not in types
            assert page.evaluate("window.guidelineResults") == []


@pytest.mark.browser
def test_a_page_of_another_origin_that_opened_the_calculator_cannot_change_its_answers(
    page: Page, site_server: NginxServer | SiteServer, host_dir: Path, aimss: Guideline
) -> None:
    """Cross-Origin-Opener-Policy: the opener's handle on the calculator's window is cut."""
    (host_dir / "index.html").write_text("<!doctype html><title>Another site</title><p>Another site</p>")
    with SiteServer(host_dir, headers={}) as host:
        page.goto(host.url.replace("127.0.0.1", "localhost"))
        calculator = site_server.url + "aimss/calculator/"
        with page.context.expect_page() as opened:
            page.evaluate("url => { window.calculator = window.open(url); }", calculator)
        popup = opened.value
        expect(popup.locator("[data-calculator]")).to_have_attribute(
            "data-calculator-state", "ready", timeout=READY_TIMEOUT_MS
        )
        page.evaluate(
            "url => { try { window.calculator.location.href = url; } catch (error) {} }",
            f"{calculator}#{encode_fragment(DIFFUSE_MODERATE_WITH_DEPRESSION)}",
        )
        page.wait_for_timeout(500)
        assert page.evaluate("window.calculator.closed") is True
        assert popup.url == calculator
        expect(popup.get_by_label("Joint stiffness", exact=True)).not_to_be_checked()


@pytest.mark.browser
@pytest.mark.csp_violations_expected
def test_a_page_not_listed_in_frame_ancestors_cannot_embed_the_calculator(
    page: Page, built_site: Path, host_dir: Path
) -> None:
    require(nginx_available(), "nginx with the brotli module is missing")
    with NginxServer(built_site, sub_path=SUB_PATH) as calculator_server:  # frame-ancestors 'self'
        write_host_page(host_dir, calculator_server)
        with SiteServer(host_dir, headers={}) as host:
            with page.expect_console_message(lambda m: "frame-ancestors" in m.text):
                page.goto(host.url)
            assert page.frame_locator("iframe").locator("[data-calculator]").count() == 0


# --- Plain HTTP: offline use is impossible there, and the page says so ------------------


@pytest.mark.browser
def test_plain_http_intranet_is_told_offline_use_is_unavailable_and_the_calculator_still_works(
    browser_type: BrowserType, built_site: Path
) -> None:
    with SiteServer(built_site, prefix="/intranet/guidelines/") as server:
        rules = "--host-resolver-rules=MAP intranet.test 127.0.0.1"
        browser = browser_type.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, rules])
        try:
            page = browser.new_page()
            url = server.url.replace("127.0.0.1", "intranet.test")
            page.goto(url + CALCULATOR)
            assert page.evaluate("window.isSecureContext") is False
            status = page.locator("[data-offline]")
            expect(status).to_have_attribute("data-offline-state", "insecure")
            expect(status).to_contain_text("served over plain HTTP")
            expect(page.locator("[data-calculator]")).to_have_attribute(
                "data-calculator-state", "ready", timeout=READY_TIMEOUT_MS
            )
        finally:
            browser.close()
