"""Offline copies never mix builds or sites, and the pages run under Trusted Types.

One build per device: a page, script, engine or guideline comes from the build the service
worker keeps, never from another build on the server; a site under another site's path talks
to its own service worker only; nothing outside a site's guidelines is saved.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from aimss_cases import FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS
from conftest import CspWatch, Launch, build_site, copy_project, require
from guideline_site import deploy
from guideline_site.server import SiteServer
from nginx_server import NginxServer, free_port, nginx_available
from playwright.sync_api import BrowserContext, Page, expect
from test_offline import CALCULATOR, OFFLINE_READY_MS, calculator_ready, search_finds
from ui import answer

from calculator.model import Guideline

pytestmark = pytest.mark.browser

PREFIX = "/intranet/guidelines/"
CHANGED_SHELL_PAGE = "authoring/"
"""A page of the site's shell (not of a guideline), changed in build 2."""


def offline_state(page: Page, state: str) -> None:
    expect(page.locator("[data-offline]")).to_have_attribute("data-offline-state", state, timeout=OFFLINE_READY_MS)


def cache_names(page: Page) -> list[str]:
    return list(page.evaluate("caches.keys()"))


def test_a_page_of_another_build_never_runs_with_the_kept_builds_scripts_nor_is_its_guideline_kept(
    launch: Launch, built_site: Path, tmp_path: Path
) -> None:
    """Build 2 changed a guideline and a page of the shell, and that page arrives corrupt: build 2
    never installs. The device keeps build 1 whole and shows no page of build 2 with build 1's
    scripts, and the failed install leaves no partial cache behind."""
    changed = copy_project(tmp_path / "project")
    text = changed / "content" / "aimss" / "index.md"
    text.write_text(text.read_text().replace("\n## ", "\nUPDATED BUILD.\n\n## ", 1))
    authoring = changed / "content" / "authoring.md"
    authoring.write_text(authoring.read_text() + "\nChanged in build 2.\n")
    completed = build_site(changed, tmp_path / "site-v2")
    assert completed.returncode == 0, completed.stderr
    corrupt = tmp_path / "site-v2" / CHANGED_SHELL_PAGE / "index.html"
    corrupt.write_text(corrupt.read_text() + "\n<!-- damaged on the way -->\n")
    for copy in (corrupt.with_name("index.html.br"), corrupt.with_name("index.html.gz")):
        copy.unlink(missing_ok=True)

    port = free_port()
    with SiteServer(built_site, prefix=PREFIX, port=port) as first:
        context = launch()
        page = context.new_page()
        page.goto(first.url + "offline/")  # the shell only: no guideline is kept yet
        offline_state(page, "ready-without-calculator")
        assert not [name for name in cache_names(page) if ":guideline:" in name]
    with SiteServer(tmp_path / "site-v2", prefix=PREFIX, port=port) as second:
        page.goto(second.url + "aimss/")
        deadline = time.monotonic() + OFFLINE_READY_MS / 1000
        while not any(path.endswith(CHANGED_SHELL_PAGE) for path in second.requested):  # build 2's install
            assert time.monotonic() < deadline, "build 2 was never installed"
            time.sleep(0.2)
        page.wait_for_function(
            "navigator.serviceWorker.getRegistration().then((r) => !r.installing && !r.waiting)",
            timeout=OFFLINE_READY_MS,
        )
        # Build 2's page is not run with build 1's scripts: the device says what happened.
        expect(page.locator("[data-offline-missing]")).to_contain_text("another version of the site")
        expect(page.locator("body")).not_to_contain_text("UPDATED BUILD")
        # Nor does the build 1 worker keep build 2's guideline when asked.
        refused = page.evaluate(
            """() => window.gcOffline.ask(window.gcOffline.messages.save, {folders: ["aimss/"]})
                 .then(() => "saved", (error) => error.message)"""
        )
        assert "another version of the site" in refused
        names = cache_names(page)
    assert not [name for name in names if ":guideline:" in name]
    assert len([name for name in names if ":site:" in name]) == 1  # build 2's partial shell is gone
    context.close()


def test_a_site_under_another_sites_path_keeps_its_own_guideline_from_its_first_visit(
    launch: Launch, built_site: Path, tmp_path: Path
) -> None:
    outer = tmp_path / "outer"
    shutil.copytree(built_site, outer)
    shutil.copytree(built_site, outer / "b")
    with SiteServer(outer, prefix="/a/", port=free_port()) as server:
        context = launch()
        page = context.new_page()
        page.goto(server.url + "aimss/")
        offline_state(page, "ready-without-calculator")
        page.goto(server.url + "b/aimss/")  # the inner site's first visit, under the outer's worker
        offline_state(page, "ready-without-calculator")
        expect(page.locator("[data-offline]")).to_contain_text("kept on this device")
        names = cache_names(page)
    assert [name for name in names if name.startswith("/a/b/:guideline:aimss/:")], names
    page.goto(server.url + "b/aimss/")  # offline
    expect(page.locator("#focal-injection")).to_contain_text("corticosteroid injections")
    context.close()


def test_saving_refuses_a_folder_that_is_not_a_guideline_of_this_site(launch: Launch, built_site: Path) -> None:
    with SiteServer(built_site, prefix=PREFIX, port=free_port()) as server:
        page = launch().new_page()
        page.goto(server.url + "aimss/")
        offline_state(page, "ready-without-calculator")
        before = len(server.requested)
        for folder in ("%2e%2e/aimss/", "aimss/%2E%2E/aimss/", "..%2faimss/", "offline/"):
            refused = page.evaluate(
                """(folder) => window.gcOffline.ask(window.gcOffline.messages.save, {folders: [folder]})
                     .then(() => "saved", (error) => error.message)""",
                folder,
            )
            assert "not a guideline of this site" in refused, folder
        assert [path for path in server.requested[before:] if not path.startswith(PREFIX + "offline")] == []


MATERIAL_BUNDLE = re.compile(r"/assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js$")
ATTACKS = (
    '<img src="x" onerror="window.attacked = 1"><script>window.attacked = 2</script>'
    '<a href="javascript:window.attacked = 3">a</a><a href="java&#x09;script:window.attacked = 4">b</a>'
    '<iframe srcdoc="<script>parent.attacked = 5</script>"></iframe><style>body{display:none}</style>'
    '<svg onload="window.attacked = 6"><path d="M0 0"></path><foreignObject><img src=x onerror=1></foreignObject></svg>'
    '<math><mtext><table><mglyph><style><img src=x onerror="window.attacked = 7"></style>'
    "</mglyph></table></mtext></math>"
    '<noscript><p title="</noscript><img src=x onerror=window.attacked=8>"></p></noscript>'
    '<p class="kept" onclick="window.attacked = 9">kept <mark data-md-highlight="">text</mark></p>'
)
"""Script, handlers, javascript: URLs (one with a tab the URL parser drops), frames, styles, and
two known mutation-XSS shapes (math/mglyph/style, noscript with a closing tag in an attribute)."""


def default_policy_calls(page: Page) -> list[dict[str, Any]]:
    """The calls of the Trusted Types default policy on this page (assets/site/trusted-types.js)."""
    return list(page.evaluate("window.gcTrustedTypesDefaultCalls"))


def only_materials_result_list_cleared(calls: list[dict[str, Any]]) -> bool:
    """Every call is Material's bundle clearing its search result list (``innerHTML = ""``, done
    when its worker answers the empty query every page starts with): none from our scripts."""
    return all(MATERIAL_BUNDLE.search(call["script"]) and call["length"] == 0 for call in calls)


def test_pages_offline_page_and_search_run_under_trusted_types(
    page: Page, context: BrowserContext, built_site: Path, aimss: Guideline
) -> None:
    """Trusted Types enforced (``require-trusted-types-for 'script'``): the calculator (its
    worker and Pyodide), copy to note, the service worker, the embed page and the offline page
    run, and none of them reaches the default policy from our code: the embed page never calls
    it, the calculator and offline pages only through Material clearing its empty result list.
    Search, whose results Material writes with innerHTML, finds "duloxetine" through the default
    policy's sanitizer. Any violation fails: the page's events (the CSP watch) and the reports of every
    document and worker (nginx's report-uri collector)."""
    require(nginx_available(), "nginx with the brotli module is missing")
    assert "require-trusted-types-for 'script'" in deploy.content_security_policy()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    with NginxServer(built_site, sub_path=PREFIX, csp_reports=True) as server:
        response = page.goto(server.url + CALCULATOR)
        assert response is not None
        assert "require-trusted-types-for 'script'" in response.headers["content-security-policy"]
        assert page.evaluate("typeof trustedTypes.createPolicy") == "function"  # enforced, not ignored
        calculator_ready(page)
        answer(page, aimss, FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS)
        expect(page.locator('[data-item="focal_corticosteroid_injection"]')).to_be_visible()
        page.get_by_role("button", name="Copy to note").click()
        expect(page.locator("[data-gc-announce]")).to_contain_text("on the clipboard")
        assert "AIMSS" in page.evaluate("navigator.clipboard.readText()")
        offline_state(page, "ready")  # the service worker, registered through the site's policy
        calls = default_policy_calls(page)
        assert only_materials_result_list_cleared(calls), calls

        page.goto(server.url + "aimss/embed/")
        calculator_ready(page)
        answer(page, aimss, FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS)
        expect(page.locator('[data-item="focal_corticosteroid_injection"]')).to_be_visible()
        assert default_policy_calls(page) == []

        page.goto(server.url + "offline/")
        expect(page.locator("[data-offline-rows] > *").first).to_be_visible(timeout=30_000)
        calls = default_policy_calls(page)
        assert only_materials_result_list_cleared(calls), calls

        page.goto(server.url + "aimss/")
        search_finds(page, "duloxetine")
        expect(page.locator(".md-search-result mark").first).to_have_text("duloxetine", ignore_case=True)
        link = page.locator("a.md-search-result__link").first.get_attribute("href")
        assert link is not None and link.startswith(server.url)
        assert any(call["length"] > 0 for call in default_policy_calls(page))  # the results, sanitized

        assert server.csp_violations() == [], "CSP violations reported by a document or worker"


@pytest.mark.csp_violations_expected
def test_the_default_policy_drops_scripts_handlers_and_javascript_urls_through_the_browsers_parser(
    page: Page, built_site: Path, csp_watch: CspWatch
) -> None:
    """HTML a script writes through the default policy (as Material does) is parsed by the
    browser in an inert document and cleaned by the allowlist: nothing of the attacks is kept or
    runs, Material's markup is. The only violations are the CSP's refusals of the handlers and
    inline styles met while parsing the inert copy (script-src-attr, style-src-elem: reported,
    never applied): an injection attempt is reported to the site's CSP report address."""
    with SiteServer(built_site, prefix=PREFIX, port=free_port()) as server:
        page.goto(server.url + "aimss/")
        cleaned = page.evaluate("(html) => trustedTypes.defaultPolicy.createHTML(html).toString()", ATTACKS)
        kept = '<p class="kept">kept <mark data-md-highlight="">text</mark></p>'
        assert cleaned == '<a>a</a><a>b</a><svg><path d="M0 0"></path></svg>' + kept
        scripts = page.evaluate("document.scripts.length")
        page.evaluate("(html) => { document.body.insertAdjacentHTML('beforeend', html); }", ATTACKS)
        expect(page.locator("p.kept")).to_have_text("kept text")
        page.wait_for_timeout(500)  # an image's error event, had one been kept
        assert page.evaluate("window.attacked") is None
        assert page.evaluate("document.querySelectorAll('[onerror], [onclick], [onload], iframe, style').length") == 0
        assert page.evaluate("document.scripts.length") == scripts
    assert csp_watch.violations, "the handlers in the inert copy are refused and reported"
    refusals = ("script-src-attr", "style-src-elem", "inline event handler", "inline style")
    assert all(any(refusal in text for refusal in refusals) for text in csp_watch.violations), csp_watch.violations
