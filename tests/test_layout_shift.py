"""Nothing moves under the clinician's finger: the cumulative layout shift of a cold visit,
at phone and tablet sizes, through the calculator's whole boot (its status line changes while
Python starts) and while the offline page fills in its chooser.

Layout shifts are not timings: each is the share of the view that moved, recorded by a
``PerformanceObserver`` the test adds before the page's own scripts run (a Playwright init
script, which the site's CSP does not forbid as it would an inline script).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from guideline_site.server import SiteServer
from playwright.sync_api import BrowserContext, Page, expect
from ui import CALCULATOR, READY_TIMEOUT_MS

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
TABLET = {"viewport": {"width": 820, "height": 1180}, "has_touch": True, "device_scale_factor": 2}
DEVICES = {"phone": PHONE, "tablet": TABLET}

OBSERVE_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__shifts.push({
      value: entry.value,
      at: Math.round(entry.startTime),
      moved: entry.sources.map((s) => (s.node && s.node.nodeType === 1
        ? s.node.tagName.toLowerCase() + (s.node.className ? "." + String(s.node.className).split(" ")[0] : "")
        : String(s.node && s.node.nodeName))
        + ` ${Math.round(s.previousRect.y)}→${Math.round(s.currentRect.y)}`),
    });
  }
}).observe({ type: "layout-shift", buffered: true });
"""

SETTLE = """() => new Promise((resolve) =>
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 300))))"""
"""Two frames and a moment: a shift caused by the last change has been painted and reported."""


def shifts(page: Page) -> list[dict[str, Any]]:
    page.evaluate(SETTLE)
    found: list[dict[str, Any]] = page.evaluate("window.__shifts")
    return found


def total(found: list[dict[str, Any]]) -> float:
    return sum(shift["value"] for shift in found)


@pytest.fixture(params=sorted(DEVICES))
def cold_page(request: pytest.FixtureRequest, watched_context: Callable[..., BrowserContext]) -> Page:
    """A first visit on a phone or tablet: a new profile, nothing cached, shifts recorded."""
    context = watched_context(**DEVICES[request.param])
    context.add_init_script(OBSERVE_SHIFTS)
    return context.new_page()


def test_the_form_does_not_move_while_python_starts(cold_page: Page, site_server: SiteServer) -> None:
    cold_page.goto(site_server.url + CALCULATOR)
    calculator = cold_page.locator("[data-calculator]")
    expect(calculator).to_have_attribute("data-calculator-state", "ready", timeout=READY_TIMEOUT_MS)
    found = shifts(cold_page)
    assert total(found) == 0, found


def test_the_offline_page_does_not_jump_when_its_chooser_fills_in(cold_page: Page, site_server: SiteServer) -> None:
    cold_page.goto(site_server.url + "offline/")
    expect(cold_page.locator("[data-offline-rows] tr").first).to_contain_text("Not kept")  # sized and stated
    expect(cold_page.locator("[data-offline-shell]")).not_to_be_empty()
    expect(cold_page.locator("[data-offline-kept]")).not_to_contain_text("Checking")
    found = shifts(cold_page)
    assert total(found) <= 0.02, found
