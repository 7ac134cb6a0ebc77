"""Accessibility and layout, proven in Chromium: axe-core (WCAG 2.2 A/AA) on every page and in
every calculator state, in the light and dark palettes; a keyboard-only assessment; touch
targets; screenshots at phone, tablet and desktop sizes with no horizontal scrolling.

axe-core comes from npm (``package.json`` devDependencies) and is evaluated in the page by the
test driver, so it is never part of the site.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from aimss_cases import DIFFUSE_MILD, DIFFUSE_MODERATE_WITH_DEPRESSION
from conftest import ROOT
from guideline_site.server import SiteServer
from playwright.sync_api import BrowserContext, Page, Route, expect
from ui import CALCULATOR, READY_TIMEOUT_MS, answer, open_calculator, shown_result

from calculator.browser import Session
from calculator.kinds import kind_of
from calculator.model import Guideline

pytestmark = pytest.mark.browser

AXE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCHEMES = ["light", "dark"]
PAGES = ["", "authoring/", "offline/", "aimss/", "aimss/decision-table/", "aimss/changes/", "no/such/page/"]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
VIEWPORTS = {"phone": (390, 844), "tablet": (820, 1180), "desktop": (1440, 900)}

SCROLLS_SIDEWAYS = """() => {
  // The page cannot be scrolled sideways, and nothing sticks out of the viewport unless it is
  // inside its own scroll container (a wide table scrolls within its box).
  window.scrollTo(10000, window.scrollY);
  const moved = window.scrollX !== 0;
  window.scrollTo(0, window.scrollY);
  const width = document.documentElement.clientWidth;
  const contained = (element) => {
    for (let a = element.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const outside = [...document.body.querySelectorAll("*")].filter((e) => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !contained(e);
  });
  return moved || outside.length > 0;
}"""


RENDER_SKIPPED = """async () => {
  const skipped = [...document.querySelectorAll('*')].filter((e) => getComputedStyle(e).contentVisibility === 'auto');
  const [x, y] = [window.scrollX, window.scrollY];
  const frames = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  for (const region of skipped) {
    region.scrollIntoView();
    await frames();
  }
  if (skipped.length) {
    window.scrollTo(x, y);
    await frames();
  }
}"""
"""Shows each ``content-visibility: auto`` region once, as a reader scrolling the page would: until
then its text has no place on the page (axe measured links and text inside a skipped list as
lying over what follows it); once shown, the region keeps its real size."""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.evaluate(RENDER_SKIPPED)
    # Colours are judged at rest: Material fades the header's title in and out as the page scrolls.
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE)
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(result =>
            result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                          nodes: v.nodes.map(n => n.target.join(' '))})))""",
        WCAG,
    )


@pytest.fixture(params=SCHEMES)
def scheme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def schemed_page(watched_context: Callable[..., BrowserContext], scheme: str) -> Page:
    # Service workers blocked: the states below are provoked by routing requests, which a
    # service worker serving from its cache would bypass.
    return watched_context(color_scheme=scheme, service_workers="block").new_page()


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.strip("/") or "home")
def test_every_page_has_no_wcag_violations(schemed_page: Page, site_server: SiteServer, path: str) -> None:
    schemed_page.goto(site_server.url + path)
    assert axe_violations(schemed_page) == []


def test_the_search_dialog_has_a_name_on_every_page(page: Page, site_server: SiteServer) -> None:
    """Material's search box is a role="dialog"; a dialog needs a name (axe and Lighthouse's
    aria-dialog-name, not a WCAG rule, so not in the run above)."""
    for path in PAGES:
        page.goto(site_server.url + path)
        expect(page.get_by_role("dialog", name="Search", include_hidden=True)).to_have_count(1)


def test_the_decision_tables_last_links_lie_where_they_are_drawn_on_a_phone_at_load(
    watched_context: Callable[..., BrowserContext], site_server: SiteServer
) -> None:
    """Unscrolled, as Lighthouse measures: no link or text of the sentence list lies over the
    offline note or the footer after it (a list skipped until it nears the screen had its content
    there, below its estimated size: Lighthouse's color-contrast and target-size audits failed)."""
    page = watched_context(viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True).new_page()
    page.goto(site_server.url + "aimss/decision-table/")
    overlaps = page.evaluate(
        """() => {
          const boxes = (selector) => [...document.querySelectorAll(selector)].map((e) => e.getBoundingClientRect());
          const after = [...boxes('.gc-offline a'), ...boxes('.md-footer')];
          const over = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
          return boxes('.gc-sentences a, .gc-sentences .gc-muted').filter((a) => after.some((b) => over(a, b))).length;
        }"""
    )
    assert overlaps == 0


def test_calculator_in_every_state_has_no_wcag_violations(
    schemed_page: Page, site_server: SiteServer, aimss: Guideline
) -> None:
    page = schemed_page
    seen: dict[str, list[dict[str, Any]]] = {}

    # Loading: the wheel is held back, so Python is still starting.
    release: list[Route] = []
    page.route("**/*.whl", lambda route: release.append(route))
    page.goto(site_server.url + CALCULATOR)
    expect(page.locator("[data-calculator]")).to_have_attribute("data-calculator-state", "loading")
    page.get_by_label("Arthralgia (joint pain)").check()
    seen["loading"] = axe_violations(page)
    page.wait_for_function("() => true")
    for route in release:
        route.continue_()
    page.unroute("**/*.whl")
    expect(page.locator("[data-calculator]")).to_have_attribute(
        "data-calculator-state", "ready", timeout=READY_TIMEOUT_MS
    )
    seen["partly answered"] = axe_violations(page)

    answer(page, aimss, {**DIFFUSE_MILD, "onset_weeks_after_ai_start": "six"})
    expect(page.locator("#gc-onset-weeks-after-ai-start-error")).to_be_visible()
    seen["errors shown"] = axe_violations(page)

    page.get_by_label(aimss.question("onset_weeks_after_ai_start").label).fill("6")
    shown_result(page)
    page.locator(".gc-note summary").click()
    seen["result shown"] = axe_violations(page)
    page.get_by_role("button", name="Expand all").click()
    seen["result expanded"] = axe_violations(page)

    # A phone: the summary follows the form, and the bar at the foot of the screen shows.
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("window.scrollTo(0, 0)")
    expect(page.locator("[data-gc-bar]")).to_be_visible()
    seen["phone, result"] = axe_violations(page)
    page.get_by_label(aimss.question("onset_weeks_after_ai_start").label).fill("")
    expect(page.locator("[data-gc-bar]")).to_contain_text("question left")
    seen["phone, partly answered"] = axe_violations(page)
    page.set_viewport_size({"width": 1280, "height": 720})

    page.get_by_role("button", name="New patient").click()
    seen["empty"] = axe_violations(page)

    page.route("**/worker.mjs", lambda route: route.abort())
    page.goto(site_server.url + CALCULATOR)
    expect(page.locator("[data-calculator]")).to_have_attribute(
        "data-calculator-state", "error", timeout=READY_TIMEOUT_MS
    )
    seen["failed boot"] = axe_violations(page)
    assert {state: found for state, found in seen.items() if found} == {}


def test_embedded_calculator_has_no_wcag_violations(schemed_page: Page, site_server: SiteServer) -> None:
    schemed_page.goto(site_server.url + "aimss/embed/")
    expect(schemed_page.locator("[data-calculator]")).to_have_attribute(
        "data-calculator-state", "ready", timeout=READY_TIMEOUT_MS
    )
    assert axe_violations(schemed_page) == []


def _tab_to(page: Page, selector: str, limit: int = 80, *, backwards: bool = False) -> None:
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("s => document.activeElement?.matches(s) === true", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_clinician_completes_an_assessment_and_copies_the_note_with_the_keyboard_only(
    page: Page, context: BrowserContext, site_server: SiteServer, aimss: Guideline
) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    answers = DIFFUSE_MODERATE_WITH_DEPRESSION
    open_calculator(page, site_server)
    page.locator("body").focus()
    for question in aimss.questions:
        if question.id not in answers:
            continue
        # As a clinician would, wait for the question to appear before moving on to it.
        expect(page.locator(f'[data-question="{question.id}"]')).to_be_visible()
        _tab_to(page, f'[data-question="{question.id}"] input')
        value = answers[question.id]
        if kind_of(question).shape == "number":
            page.keyboard.type(str(value))
        elif kind_of(question).shape == "many":  # each box in turn (past its help link)
            for index, option in enumerate(question.options):
                if index:
                    _tab_to(page, f'[data-question="{question.id}"] input[value="{option.id}"]')
                if option.id in value:
                    page.keyboard.press("Space")
        else:  # a radio group: arrow keys move the choice
            options = [o.id for o in question.options]
            page.keyboard.press("Space")
            for _ in range(options.index(value)):
                page.keyboard.press("ArrowDown")
    shown_result(page)
    expect(page.locator("[data-gc-announce]")).to_contain_text("Result updated")
    _tab_to(page, "[data-gc-copy]")  # past the result's links, in reading order
    page.keyboard.press("Enter")
    expect(page.locator("[data-gc-announce]")).to_contain_text("on the clipboard")
    expected = json.loads(Session(aimss, runtime="Pyodide 314.0.7").evaluate(json.dumps(answers)))["note"]
    assert page.evaluate("navigator.clipboard.readText()") == expected
    # New patient, by keyboard: everything clears and focus returns to the first question.
    _tab_to(page, ".gc-actions button[type=reset]")  # beside Copy, in the summary
    page.keyboard.press("Enter")
    expect(page.locator("[data-classification]")).to_have_count(0)
    assert page.evaluate("document.activeElement.id") == "gc-symptoms-arthralgia"


def test_focus_stays_put_as_questions_appear_and_tab_reaches_the_new_question_next(
    page: Page, site_server: SiteServer, aimss: Guideline
) -> None:
    open_calculator(page, site_server)
    tendinopathy = page.locator('[data-question="symptoms"] input[value="tendinopathy"]')
    tendinopathy.focus()
    page.keyboard.press("Space")
    expect(page.locator('[data-question="tendinopathy_types"]')).to_be_visible()
    assert page.evaluate("document.activeElement.value") == "tendinopathy"  # not lost to the page
    page.locator('[data-question="symptoms"] input[value="neuropathy"]').focus()  # the last option
    _tab_to(page, "input")  # past help links: the next field is the question that just appeared
    assert page.evaluate("document.activeElement.name") == "tendinopathy_types"
    page.locator('[data-question="symptoms"] input[value="tendinopathy"]').focus()
    page.keyboard.press("Space")  # unticked: the question goes, focus stays where the clinician is
    expect(page.locator('[data-question="tendinopathy_types"]')).to_be_hidden()
    assert page.evaluate("document.activeElement.value") == "tendinopathy"


def test_touch_targets_are_at_least_24_css_pixels(page: Page, site_server: SiteServer, aimss: Guideline) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    open_calculator(page, site_server)
    answer(page, aimss, DIFFUSE_MILD)
    shown_result(page)
    small = page.evaluate(
        """() => [...document.querySelectorAll(
              '.gc input, .gc button, .gc summary, .gc-rules-link, .gc-offline button, .gc-offline a')]
              .filter(e => e.offsetParent !== null)
              .map(e => ({e: e.outerHTML.slice(0, 80), r: e.getBoundingClientRect()}))
              .filter(({r}) => r.width < 24 || r.height < 24)
              .map(({e, r}) => `${e} ${r.width}x${r.height}`)"""
    )
    assert small == []


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_layout_has_no_horizontal_scrolling_and_is_captured(
    watched_context: Callable[..., BrowserContext], site_server: SiteServer, aimss: Guideline, size: str, scheme: str
) -> None:
    width, height = VIEWPORTS[size]
    page = watched_context(viewport={"width": width, "height": height}, color_scheme=scheme).new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    overflowing = []

    def capture(name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}-{scheme}.png"))
        if page.evaluate(SCROLLS_SIDEWAYS):
            overflowing.append(name)

    pages = (
        ("guideline", "aimss/"),
        ("decision-table", "aimss/decision-table/"),
        ("home", ""),
        ("offline", "offline/"),
    )
    for name, path in pages:
        page.goto(site_server.url + path)
        capture(name)
    open_calculator(page, site_server)
    capture("calculator-empty")
    answers = DIFFUSE_MODERATE_WITH_DEPRESSION
    answer(page, aimss, dict(list(answers.items())[:4]))
    expect(page.locator("[data-gc-summary-body]")).to_contain_text("questions left")
    capture("calculator-partly-answered")
    answer(page, aimss, answers)
    shown_result(page)
    capture("calculator-complete")  # where the last answer leaves the clinician
    page.locator("[data-gc-result]").scroll_into_view_if_needed()
    capture("calculator-result")
    assert overflowing == []


def test_screenshots_are_kept_out_of_git() -> None:
    assert "/test-artifacts/" in (ROOT / ".gitignore").read_text().splitlines()
