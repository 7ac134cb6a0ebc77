"""Offline after one visit: a real service worker, cut off by stopping the server.

Playwright's offline emulation does not reliably cut service-worker traffic, so "offline"
here means the server is gone. Each test uses its own persistent browser profile, so a
browser restart on the same profile can be tested too.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from aimss_cases import DIFFUSE_MODERATE_WITH_DEPRESSION
from conftest import ROOT, UPDATED_TEXT, Launch, rebuilt_site, require
from guideline_site.assets import service_worker_manifest
from guideline_site.offline import never_used_offline
from guideline_site.server import SiteServer
from nginx_server import NginxServer, free_port, nginx_available
from playwright.sync_api import Page, Route, expect
from ui import CALCULATOR, READY_TIMEOUT_MS, answer, expected_display, shown_result

from calculator import __version__
from calculator.engine import assess
from calculator.fragment import encode_fragment
from calculator.model import Guideline

pytestmark = pytest.mark.browser

PREFIX = "/intranet/guidelines/"
OFFLINE_READY_MS = 60_000
TIMINGS = ROOT / "test-artifacts" / "offline-timings.json"


def wait_offline_ready(page: Page) -> None:
    status = page.locator("[data-offline]")
    expect(status).to_have_attribute("data-offline-state", "ready", timeout=OFFLINE_READY_MS)
    expect(status).to_contain_text("Available offline, calculators included")
    expect(status).to_contain_text(f"Calculator {__version__}")  # which versions it holds


def kept_offline(launch: Launch, url: str) -> Page:
    """A first visit to the calculator at ``url`` on a new device (``launch``'s profile): the
    calculator ready and the site, calculators included, kept for offline use."""
    page = launch().new_page()
    page.goto(url)
    calculator_ready(page)
    wait_offline_ready(page)
    return page


def timed(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return round(time.perf_counter() - start, 3)


def calculator_ready(page: Page) -> None:
    expect(page.locator("[data-calculator]")).to_have_attribute(
        "data-calculator-state", "ready", timeout=READY_TIMEOUT_MS
    )


def search_finds(page: Page, term: str) -> None:
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially(term, delay=30)
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=10_000)
    expect(page.locator(".md-search-result")).to_contain_text(term, ignore_case=True)


@pytest.mark.parametrize("server_kind", ["dev-server", "nginx"])
def test_guideline_search_and_calculator_work_offline_after_one_visit_and_a_restart(
    launch: Launch, built_site: Path, aimss: Guideline, server_kind: str
) -> None:
    port = free_port()
    server: SiteServer | NginxServer
    if server_kind == "nginx":
        require(nginx_available(), "nginx with the brotli module is missing")
        server = NginxServer(built_site, sub_path="/intranet/guidelines/aimss/", port=port)
    else:
        server = SiteServer(built_site, prefix=PREFIX, port=port)
    server.__enter__()
    base = server.url
    page = kept_offline(launch, base + CALCULATOR)
    caches = page.evaluate("caches.keys()")
    assert any(":runtime:" in name for name in caches) and any(":site:" in name for name in caches)
    server.__exit__(None, None, None)  # the network is gone
    # A missing page, offline: the site's own 404 page, working under the sub-path.
    page.goto(base + "no/such/page/")
    expect(page.get_by_role("link", name="Interactive clinical guidelines").first).to_be_visible()

    timings: dict[str, float] = {}
    timings["guideline_reload_s"] = timed(lambda: page.goto(base + "aimss/"))
    expect(page.locator("#focal-injection")).to_contain_text("corticosteroid injections")
    timings["search_s"] = timed(lambda: search_finds(page, "duloxetine"))
    timings["calculator_reload_to_ready_s"] = timed(lambda: (page.goto(base + CALCULATOR), calculator_ready(page)))
    answer(page, aimss, DIFFUSE_MODERATE_WITH_DEPRESSION)
    assert shown_result(page) == expected_display(assess(aimss, DIFFUSE_MODERATE_WITH_DEPRESSION), base + "aimss/")
    timings["decision_table_s"] = timed(lambda: page.goto(base + "aimss/decision-table/"))
    expect(page.locator("#rule-diffuse_duloxetine")).to_be_visible()
    page.context.close()

    context = launch()  # the tablet is switched off and on again, still offline
    page = context.new_page()
    timings["after_restart_guideline_s"] = timed(lambda: page.goto(base + "aimss/"))
    expect(page.locator("#timing")).to_be_visible()
    timings["after_restart_search_s"] = timed(lambda: search_finds(page, "acupuncture"))
    timings["after_restart_calculator_to_ready_s"] = timed(
        lambda: (
            page.goto(f"{base}{CALCULATOR}#{encode_fragment(DIFFUSE_MODERATE_WITH_DEPRESSION)}"),
            calculator_ready(page),
        )
    )
    expect(page.locator('[data-item="diffuse_duloxetine"]')).to_be_visible()
    TIMINGS.parent.mkdir(exist_ok=True)
    recorded = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    TIMINGS.write_text(json.dumps({**recorded, server_kind: timings}, indent=2))


def test_a_first_visit_saves_the_site_for_offline_use_only_once_the_calculator_has_started(
    launch: Launch, built_site: Path
) -> None:
    """The first offline copy downloads and hashes the shell and the runtime: on a calculator
    page the service worker is registered when the calculator is ready, so that copy never
    competes with Python's start for the device's cores and connection."""
    with SiteServer(built_site, prefix=PREFIX, port=free_port()) as server:
        context = launch()
        page = context.new_page()
        held: list[Route] = []
        page.route("**/*.whl", lambda route: held.append(route))  # Python cannot finish starting
        page.goto(server.url + CALCULATOR)
        status = page.locator("[data-offline]")
        expect(status).to_have_attribute("data-offline-state", "waiting")
        expect(status).to_contain_text("saved for offline use once the calculator has started")
        page.wait_for_function("() => document.readyState === 'complete'")
        expect(page.locator("[data-calculator]")).to_have_attribute("data-calculator-state", "loading")
        assert page.evaluate("navigator.serviceWorker.getRegistration().then((found) => found === undefined)")
        for route in held:
            route.continue_()
        page.unroute("**/*.whl")
        calculator_ready(page)
        wait_offline_ready(page)
        context.close()


def test_text_readers_never_download_python_until_they_make_the_calculators_available_offline(
    launch: Launch, built_site: Path, aimss: Guideline
) -> None:
    port = free_port()
    with SiteServer(built_site, prefix=PREFIX, port=port) as server:
        page = launch().new_page()
        page.goto(server.url + "aimss/")
        status = page.locator("[data-offline]")
        expect(status).to_have_attribute("data-offline-state", "ready-without-calculator", timeout=OFFLINE_READY_MS)
        expect(status).to_contain_text("the calculators still need the network")
        page.goto(server.url + "aimss/decision-table/")
        expect(status).to_have_attribute("data-offline-state", "ready-without-calculator", timeout=OFFLINE_READY_MS)
        # Everything else is saved, but neither the page nor its service worker fetched Python.
        assert any(path.endswith("/search/search_index.json") for path in server.requested)
        assert [path for path in server.requested if "/pyodide/" in path] == []
        assert not [name for name in page.evaluate("caches.keys()") if ":runtime:" in name]

        status.get_by_role("button", name="Make the calculators available offline").click()
        wait_offline_ready(page)
        # It asked the browser to keep the copy, and says what the browser answered.
        granted = page.evaluate("navigator.storage.persisted()")
        expect(status).to_contain_text("persistent storage granted" if granted else "may remove it when space runs low")
        fetched = {path.rsplit("/", 1)[-1] for path in server.requested if "/pyodide/" in path}
        assert {"pyodide.asm.wasm", "python_stdlib.zip", "pyodide.mjs", "pyodide.asm.mjs"} <= fetched
    # Offline now, and no calculator page was ever opened: it works all the same.
    page.goto(f"{server.url}{CALCULATOR}#{encode_fragment(DIFFUSE_MODERATE_WITH_DEPRESSION)}")
    calculator_ready(page)
    expect(page.locator('[data-item="diffuse_duloxetine"]')).to_be_visible()


def integrity_of(path: Path) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()


def site_file(site: Path, listed: str) -> Path:
    return site / (listed + "index.html" if listed == "" or listed.endswith("/") else listed)


def test_runtime_is_listed_for_caching_with_its_hashes(built_site: Path) -> None:
    manifest = service_worker_manifest(built_site)
    runtime = dict(manifest["runtime"]["files"])
    version = json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"]
    assert manifest["runtime"]["prefix"] == f"assets/pyodide/{version}/"
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"):
        listed = f"assets/pyodide/{version}/{name}"
        assert runtime.get(listed) == integrity_of(built_site / listed), listed
    assert (built_site / f"assets/pyodide/{version}/pyodide.asm.wasm").stat().st_size > 5_000_000  # never left out
    group = json.loads((built_site / "aimss" / "offline.json").read_text())
    shell = manifest["shell"]
    listings = [*shell, *group["files"]]
    for path, integrity in listings:  # every file with the hash of what was built
        assert integrity in ("", integrity_of(site_file(built_site, path))), path
    assert [path for path, integrity in listings if not integrity] == ["404.html"]
    built = {
        path.relative_to(built_site).as_posix()
        for path in built_site.rglob("*")
        if path.is_file() and path.suffix not in {".br", ".gz"} and path.name != "sw.js"
    }
    listed = {site_file(built_site, path).relative_to(built_site).as_posix() for path, _ in listings} | set(runtime)
    # Every file the site has, and nothing it has not, but what no page or worker requests:
    # source maps (developer tools only) and the search language files of other languages;
    # and what is kept as last seen: the catalogue (home page), its search entries, the list
    # of guidelines and each guideline's listing.
    never_requested = never_used_offline(built_site)
    last_seen = {"index.html", "search/catalogue.json", "offline/groups.json", "aimss/offline.json"}
    assert listed == built - never_requested - last_seen
    assert never_requested and all(
        path.endswith(".map") or path.startswith("assets/javascripts/lunr/") or path == "sitemap.xml"
        for path in never_requested
    )
    assert "assets/javascripts/lunr/min/lunr.de.min.js" in never_requested  # the site is in English
    for required in ("offline/", "search/search_index.json", "404.html", "manifest.webmanifest", "authoring/"):
        assert required in dict(shell), required
    for required in (
        "aimss/",
        "aimss/calculator/",
        "aimss/decision-table/",
        "aimss/guideline.py",
        "aimss/sentences.json",
    ):
        assert required in dict(group["files"]), required
    assert any(path.endswith(".whl") for path, _ in shell)
    assert not [path for path, _ in listings if path.endswith((".br", ".gz")) or path == "sw.js"]


def test_a_new_build_is_installed_completely_then_offered_and_the_old_cache_removed(
    launch: Launch, built_site: Path, tmp_path: Path
) -> None:
    site_v2 = rebuilt_site(tmp_path, UPDATED_TEXT)

    port = free_port()
    with SiteServer(built_site, prefix=PREFIX, port=port) as first:
        page = kept_offline(launch, first.url + CALCULATOR)
        old_caches = page.evaluate("caches.keys()")
    with SiteServer(site_v2, prefix=PREFIX, port=port) as second:
        # Mid-assessment on the old version: the update waits to be asked for. (A page is
        # opened anew: only the fragment differs, so goto alone would stay in the document.)
        page.goto("about:blank")
        page.goto(f"{second.url}{CALCULATOR}#{encode_fragment(DIFFUSE_MODERATE_WITH_DEPRESSION)}")
        status = page.locator("[data-offline]")
        expect(status).to_have_attribute("data-offline-state", "update", timeout=OFFLINE_READY_MS)
        expect(page.locator('[data-item="diffuse_duloxetine"]')).to_be_visible(timeout=READY_TIMEOUT_MS)
        with page.expect_navigation():
            status.get_by_role("button", name="Reload to update").click()
        calculator_ready(page)
        expect(page.locator('[data-item="diffuse_duloxetine"]')).to_be_visible()  # answers survived
        new_caches = page.evaluate("caches.keys()")
    old_site = [name for name in old_caches if ":site:" in name]
    new_site = [name for name in new_caches if ":site:" in name]
    assert len(old_site) == len(new_site) == 1 and old_site != new_site
    assert old_site[0] not in new_caches
    # The guideline changed: its group was saved anew, and the old copy deleted.
    old_group = [name for name in old_caches if ":guideline:aimss/:" in name]
    new_group = [name for name in new_caches if ":guideline:aimss/:" in name]
    assert len(old_group) == len(new_group) == 1 and old_group != new_group
    assert old_group[0] not in new_caches
    # Offline: the new cache holds exactly the new build, every file of it, and serves it.
    cached = page.evaluate(
        "name => caches.open(name).then(cache => cache.keys()).then(keys => keys.map(k => k.url))", new_site[0]
    )
    listed = [second.url + path for path, _ in service_worker_manifest(site_v2)["shell"]]
    assert sorted(cached) == sorted(listed)
    page.goto(second.url + "aimss/")
    expect(page.locator("article")).to_contain_text("UPDATED BUILD")
    page.goto(f"{second.url}{CALCULATOR}#{encode_fragment(DIFFUSE_MODERATE_WITH_DEPRESSION)}")
    calculator_ready(page)
    expect(page.locator('[data-item="diffuse_duloxetine"]')).to_be_visible()
