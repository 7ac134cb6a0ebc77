"""Apache httpd (Debian's apache2) serving the site with the shipped snippet, as nginx does in
``test_deployment.py``; and IIS's web.config read as XML against the same definitions."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from aimss_cases import DIFFUSE_MODERATE_WITH_DEPRESSION
from apache_server import ApacheServer, apache_available
from conftest import ROOT, Launch, require
from guideline_site import deploy
from playwright.sync_api import Page, expect
from test_deployment import PYODIDE, SERVED_FILES, SUB_PATH, fetch
from test_offline import calculator_ready, search_finds, wait_offline_ready
from ui import CALCULATOR, answer, expected_display, shown_result

from calculator.engine import assess
from calculator.fragment import encode_fragment
from calculator.model import Guideline


@pytest.fixture(scope="module")
def apache(built_site: Path) -> Iterator[ApacheServer]:
    require(apache_available(), "apache2 missing: apt-get install apache2")
    with ApacheServer(built_site, sub_path=SUB_PATH) as server:
        yield server


@pytest.mark.parametrize(("path", "content_type", "cache_control"), SERVED_FILES)
def test_apache_sends_the_intended_types_cache_rules_and_security_headers(
    apache: ApacheServer, path: str, content_type: str, cache_control: str
) -> None:
    status, headers, _ = fetch(apache.url + path)
    assert status == 200, apache.error_log()[-2000:]
    assert headers["Content-Type"].split(";")[0] == content_type
    assert headers["Cache-Control"] == cache_control
    for name, value in deploy.security_headers().items():
        assert headers[name] == value


def test_apache_caches_material_bundles_as_immutable(apache: ApacheServer, built_site: Path) -> None:
    bundle = next((built_site / "assets" / "javascripts").glob("bundle.*.min.js")).name
    assert fetch(f"{apache.url}assets/javascripts/{bundle}")[1]["Cache-Control"] == deploy.IMMUTABLE


@pytest.mark.parametrize("encoding", ["br", "gzip"])
@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("aimss/calculator/", "text/html"),
        ("sw.js", "text/javascript"),
        (PYODIDE + "pyodide.asm.wasm", "application/wasm"),
        (PYODIDE + "python_stdlib.zip", "application/zip"),
    ],
)
def test_apache_serves_the_precompressed_files_to_clients_that_ask(
    apache: ApacheServer, built_site: Path, path: str, content_type: str, encoding: str
) -> None:
    status, headers, body = fetch(apache.url + path, encoding)
    suffix = {"br": ".br", "gzip": ".gz"}[encoding]
    source = built_site / (path + "index.html" if path.endswith("/") else path)
    assert status == 200
    assert headers["Content-Encoding"] == encoding
    assert headers["Content-Type"].split(";")[0] == content_type
    assert "Content-Language" not in headers  # Debian's mime.conf: "AddLanguage br .br" (Breton)
    assert body == source.with_name(source.name + suffix).read_bytes()
    assert "Accept-Encoding" in headers.get("Vary", "")
    for name, value in deploy.security_headers().items():
        assert headers[name] == value
    status, headers, body = fetch(apache.url + path)  # and the plain file to those that do not
    assert "Content-Encoding" not in headers and body == source.read_bytes()


def test_apache_serves_the_site_404_at_the_missing_address_with_its_base_rewritten(apache: ApacheServer) -> None:
    status, headers, body = fetch(apache.url + "no/such/page/")
    assert status == 404
    assert f'<base href="{SUB_PATH}">'.encode() in body
    assert f'"base": "{SUB_PATH}"'.encode() in body
    assert headers["Content-Security-Policy"] == deploy.content_security_policy()


@pytest.mark.browser
def test_apache_404_page_links_work_under_the_sub_path(apache: ApacheServer, page: Page) -> None:
    response = page.goto(apache.url + "no/such/page/")
    assert response is not None and response.status == 404
    stylesheet = page.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
    assert stylesheet in {"sticky", "fixed"}  # Material's stylesheet loaded through the base
    page.get_by_role("link", name="Interactive clinical guidelines").first.click()
    expect(page).to_have_url(apache.url)


# --- IIS: not run here; its web.config states what deploy.py defines ------------------------

IIS = ROOT / "deploy" / "iis" / "web.config"


@pytest.fixture(scope="module")
def web_config() -> ET.Element:
    server = ET.parse(IIS).getroot().find("system.webServer")
    assert server is not None
    return server


def test_iis_config_maps_every_content_type(web_config: ET.Element) -> None:
    mime = {m.get("fileExtension"): m.get("mimeType") for m in web_config.iter("mimeMap")}
    assert mime == {f".{suffix}": kind for suffix, kind in deploy.CONTENT_TYPES.items()}
    removed = {r.get("fileExtension") for r in web_config.findall("staticContent/remove")}
    assert removed == set(mime)  # IIS refuses a second mimeMap for a suffix it already knows


def test_iis_config_sends_the_security_headers_and_revalidates_by_default(web_config: ET.Element) -> None:
    headers = {h.get("name"): h.get("value") for h in web_config.findall("httpProtocol/customHeaders/add")}
    ancestors = deploy.frame_ancestors_from_config(ROOT / "mkdocs.yml")
    assert headers == {"Cache-Control": deploy.REVALIDATE, **deploy.security_headers(ancestors)}


def test_iis_config_states_each_cache_rule(web_config: ET.Element) -> None:
    stated = set()
    for rule in web_config.findall("rewrite/outboundRules/rule"):
        match, action = rule.find("match"), rule.find("action")
        assert match is not None and action is not None
        assert match.get("serverVariable") == "RESPONSE_Cache_Control"
        for condition in rule.findall("conditions/add"):
            assert condition.get("input") == "{URL}"
            stated.add((condition.get("pattern"), action.get("value")))
    assert stated == {(rule.pattern, rule.cache_control) for rule in deploy.CACHE_RULES}


def test_iis_config_serves_the_site_404_page(web_config: ET.Element) -> None:
    [error] = web_config.findall("httpErrors/error")
    assert error.get("statusCode") == "404"
    assert error.get("path") == f"/intranet/guidelines/{deploy.NOT_FOUND_PAGE}"
    assert error.get("responseMode") == "ExecuteURL"
    assert web_config.find("httpErrors/remove[@statusCode='404']") is not None


@pytest.mark.browser
def test_apache_offline_the_calculator_search_and_a_link_work_with_the_server_stopped(
    launch: Launch, built_site: Path, aimss: Guideline
) -> None:
    """The offline test of nginx (test_offline.py), on apache2 with the shipped snippet: one
    visit installs the service worker (the shell, the guideline, the Python runtime); with
    apache2 stopped, the calculator reloads and answers, the guideline and its search work, and
    a browser restarted on the same profile restores a link's result."""
    require(apache_available(), "apache2 missing: apt-get install apache2")
    server = ApacheServer(built_site, sub_path=SUB_PATH).start()
    base = server.url
    try:
        context = launch()
        page = context.new_page()
        response = page.goto(base + CALCULATOR)
        assert (
            response is not None and "require-trusted-types-for 'script'" in response.headers["content-security-policy"]
        )
        calculator_ready(page)
        wait_offline_ready(page)
        caches = page.evaluate("caches.keys()")
        assert any(":runtime:" in name for name in caches) and any(":site:" in name for name in caches)
        assert any(":guideline:aimss/:" in name for name in caches)
    finally:
        server.__exit__(None, None, None)  # the network is gone
    page.reload()
    calculator_ready(page)
    answer(page, aimss, DIFFUSE_MODERATE_WITH_DEPRESSION)
    assert shown_result(page) == expected_display(assess(aimss, DIFFUSE_MODERATE_WITH_DEPRESSION), base + "aimss/")
    page.goto(base + "aimss/")
    expect(page.locator("#focal-injection")).to_contain_text("corticosteroid injections")
    search_finds(page, "duloxetine")
    context.close()

    context = launch()  # switched off and on again, still offline
    page = context.new_page()
    page.goto(f"{base}{CALCULATOR}#{encode_fragment(DIFFUSE_MODERATE_WITH_DEPRESSION)}")
    calculator_ready(page)
    expect(page.locator('[data-item="diffuse_duloxetine"]')).to_be_visible()
