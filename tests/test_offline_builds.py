"""Offline copies never mix builds or sites, and the pages run under Trusted Types.

One build per device: a page, script, engine or guideline comes from the build the service
worker keeps, never from another build on the server; a site under another site's path talks
to its own service worker only; nothing outside a site's guidelines is saved.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from aimss_cases import FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS
from conftest import Launch, build_site, copy_project
from guideline_site import deploy
from guideline_site.server import SiteServer
from nginx_server import free_port
from playwright.sync_api import Page, expect
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


def test_pages_offline_page_and_search_run_under_trusted_types(page: Page, built_site: Path, aimss: Guideline) -> None:
    """The CSP requires Trusted Types for scripts: the calculator (its worker), the service
    worker, search (Material's worker and ours) and the embed page start through the site's
    policies, and the browser suite's CSP watch reports any refused sink as a violation."""
    assert "require-trusted-types-for 'script'" in deploy.content_security_policy()
    with SiteServer(built_site, prefix=PREFIX, port=free_port()) as server:
        response = page.goto(server.url + CALCULATOR)
        assert response is not None
        assert "require-trusted-types-for 'script'" in response.headers["content-security-policy"]
        calculator_ready(page)
        answer(page, aimss, FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS)
        expect(page.locator('[data-item="focal_corticosteroid_injection"]')).to_be_visible()
        page.goto(server.url + "aimss/embed/")
        calculator_ready(page)
        answer(page, aimss, FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS)
        expect(page.locator('[data-item="focal_corticosteroid_injection"]')).to_be_visible()
        page.goto(server.url + "offline/")
        expect(page.locator("[data-offline-rows] > *").first).to_be_visible(timeout=30_000)
        page.goto(server.url + "aimss/")
        search_finds(page, "duloxetine")
