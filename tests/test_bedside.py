"""Reading the result at the bedside, on a phone (390x844) and a tablet (820x1180).

A clinician taps through a case without scrolling by hand (a tap scrolls its target into
view, as a finger would): the first question is on the first screen; after the last tap the
assessment and the first plan item are in view on a tablet (the summary stays beside the
form), and one tap away on a phone (the bar at the foot of the screen). Nothing moves focus
or scrolls the page by itself. The same holds inside an embedded frame on another site.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, require
from guideline_site.server import SiteServer
from nginx_server import NginxServer, free_port, nginx_available
from playwright.sync_api import BrowserContext, FrameLocator, Locator, Page, expect
from ui import CALCULATOR, READY_TIMEOUT_MS, open_calculator

from calculator.engine import assess
from calculator.fragment import encode_fragment
from calculator.kinds import kind_of
from calculator.model import Guideline
from calculator.vignettes import load_vignettes

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
TABLET = {"viewport": {"width": 820, "height": 1180}, "has_touch": True, "device_scale_factor": 2}
DEVICES = {"phone": PHONE, "tablet": TABLET}
VIGNETTES = {v.id: v for v in load_vignettes(ROOT / "content" / "aimss")}
CASES = ["focal_carpal_tunnel", "diffuse_mild", "diffuse_limited_life_expectancy_visceral"]
"""One focal, one diffuse, one with a limited prognosis."""

HEADER_PX = 48
"""Material's header (2.4rem) covers the top of the view on the site's pages."""


def tap_through(target: Page | FrameLocator, guideline: Guideline, answers: dict[str, Any]) -> Locator:
    """Answer by tapping each option's label (typing numbers); return the last control used."""
    last: Locator | None = None
    for question in guideline.questions:
        if question.id not in answers:
            continue
        container = target.locator(f'[data-question="{question.id}"]')
        expect(container).to_be_visible()
        value = answers[question.id]
        if kind_of(question).shape == "number":
            last = container.get_by_label(question.label)
            last.tap()
            last.fill(str(value))
            last.blur()
            continue
        for option_id in value if isinstance(value, list) else [value]:
            option = question.option(option_id)
            assert option is not None
            last = container.get_by_label(option.label, exact=True)
            last.tap()
    assert last is not None
    return last


def tap_where_it_is(page: Page, locator: Locator) -> None:
    """A finger on the element where it shows now: no scrolling first (unlike ``Locator.tap``)."""
    box = locator.bounding_box()
    assert box is not None, "not on screen"
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def box_in(locator: Locator, top: float, bottom: float) -> bool:
    """Whether the element lies wholly between ``top`` and ``bottom`` (CSS px of its viewport)."""
    box = locator.bounding_box()
    return box is not None and box["height"] > 0 and box["y"] >= top - 1 and box["y"] + box["height"] <= bottom + 1


@pytest.fixture(params=list(DEVICES))
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def device_page(watched_context: Callable[..., BrowserContext], kind: str) -> Page:
    return watched_context(**DEVICES[kind]).new_page()


@pytest.mark.parametrize("case", CASES)
def test_tapping_through_a_case_puts_the_assessment_and_first_plan_item_in_view(
    device_page: Page, kind: str, site_server: SiteServer, aimss: Guideline, case: str
) -> None:
    page = device_page
    height = DEVICES[kind]["viewport"]["height"]  # type: ignore[index]
    open_calculator(page, site_server)
    first_control = page.locator("[data-gc-form] input").first
    assert box_in(first_control, HEADER_PX, height), "the first question is not on the first screen"

    answers = VIGNETTES[case].answers
    last = tap_through(page, aimss, answers)
    result = assess(aimss, answers)
    first_section = result["sections"][0]
    assessment = page.locator('[data-summary-classification="assessment"]')
    first_item = page.locator(f'[data-summary-section="{first_section["id"]}"] [data-summary-item]').first
    expect(assessment).to_have_text(result["classifications"][0]["category"]["label"])
    expect(first_item).to_have_text(first_section["items"][0]["short"])
    # The result came without moving focus from the clinician's last answer.
    assert last.evaluate("control => control === document.activeElement || document.activeElement === document.body")

    if kind == "tablet":  # the summary stays in view beside the form: nothing to tap
        assert box_in(assessment, HEADER_PX, height)
        assert box_in(first_item, HEADER_PX, height)
        expect(page.locator("[data-gc-bar]")).to_be_hidden()
        return
    # Phone: the summary follows the last question; when it is not on screen, the bar says the
    # result and one tap on it brings the summary into view.
    if not (box_in(assessment, HEADER_PX, height) and box_in(first_item, HEADER_PX, height)):
        bar = page.locator("[data-gc-bar]")
        expect(bar).to_contain_text(result["classifications"][0]["category"]["label"])
        assert box_in(bar, 0, height)
        tap_where_it_is(page, bar.get_by_role("link", name="Show result"))
    expect(assessment).to_be_in_viewport()
    assert box_in(assessment, HEADER_PX, height) and box_in(first_item, HEADER_PX, height)


def test_on_a_phone_the_bar_takes_the_clinician_to_the_result_in_one_tap(
    watched_context: Callable[..., BrowserContext], site_server: SiteServer, aimss: Guideline
) -> None:
    """A shared link opens at the top of the page: the result is far below, and the bar says so."""
    page = watched_context(**PHONE).new_page()
    answers = VIGNETTES["diffuse_mild"].answers
    page.goto(f"{site_server.url}{CALCULATOR}#{encode_fragment(answers)}")
    bar = page.locator("[data-gc-bar]")
    expect(bar).to_contain_text("Result: Consistent with AIMSS", timeout=READY_TIMEOUT_MS)
    assessment = page.locator('[data-summary-classification="assessment"]')
    assert not box_in(assessment, HEADER_PX, 844)
    assert box_in(bar, 0, 844)
    tap_where_it_is(page, bar.get_by_role("link", name="Show result"))
    expect(page.locator("#gc-summary-heading")).to_be_focused()
    first_item = page.locator("[data-summary-item]").first
    assert box_in(assessment, HEADER_PX, 844) and box_in(first_item, HEADER_PX, 844)
    assert "#symptoms=" in page.url  # the answers stay in the fragment
    expect(bar).to_be_hidden()  # with the summary on screen, the bar steps aside


def expect_convention_tag_opens(entry: Locator, convention: str) -> None:
    """The summary entry's "convention" tag is shown, its words hidden until the tag is tapped."""
    tag = entry.get_by_text("convention", exact=True)
    words = entry.get_by_text(convention)
    expect(tag).to_be_visible()
    expect(words).to_be_hidden()
    tag.tap()
    expect(words).to_be_visible()


def test_an_assessment_resting_on_a_convention_is_marked_in_the_summary_and_the_tag_opens_it(
    watched_context: Callable[..., BrowserContext], site_server: SiteServer, aimss: Guideline
) -> None:
    """Onset in the week the AI started is 'within the appropriate time frame' only by convention."""
    page = watched_context(**TABLET).new_page()
    open_calculator(page, site_server)
    answers = {**VIGNETTES["diffuse_mild"].answers, "onset_weeks_after_ai_start": 0}
    tap_through(page, aimss, answers)
    convention = assess(aimss, answers)["classifications"][0]["category"]["convention"]
    summary = page.locator("[data-gc-summary-body]")
    assessment = summary.locator("dd").filter(has=page.locator('[data-summary-classification="assessment"]'))
    expect(assessment.locator("[data-summary-classification]")).to_have_text("Consistent with AIMSS")
    expect_convention_tag_opens(assessment, convention)
    pattern = summary.locator("dd").filter(has=page.locator('[data-summary-classification="pattern"]'))
    expect(pattern.get_by_text("convention", exact=True)).to_have_count(0)  # Diffuse rests on none


def test_symptoms_the_week_the_ai_started_with_the_ai_stopped_that_week_ask_to_check_with_the_convention_marked(
    watched_context: Callable[..., BrowserContext], site_server: SiteServer, aimss: Guideline
) -> None:
    """The source gives no rule for this combination: the summary shows no confident assessment but
    asks to check the durations, and its convention tag opens the convention's text."""
    page = watched_context(**TABLET).new_page()
    open_calculator(page, site_server)
    answers = VIGNETTES["ai_stopped_in_the_week_symptoms_started"].answers
    tap_through(page, aimss, answers)
    convention = assess(aimss, answers)["classifications"][0]["category"]["convention"]
    summary = page.locator("[data-gc-summary-body]")
    assessment = summary.locator("dd").filter(has=page.locator('[data-summary-classification="assessment"]'))
    expect(assessment.locator("[data-summary-classification]")).to_have_text("Not classified: check the durations")
    expect(summary).not_to_contain_text("Consistent with AIMSS")
    expect_convention_tag_opens(assessment, convention)
    full = page.locator("[data-gc-result-body]")
    expect(full).to_contain_text("Check the weeks since starting, the weeks from starting to the symptoms")
    expect(full).to_contain_text(f"Convention: {convention}")


def test_the_summary_lists_what_is_left_as_links_and_never_takes_focus(
    device_page: Page, kind: str, site_server: SiteServer, aimss: Guideline
) -> None:
    page = device_page
    open_calculator(page, site_server)
    page.get_by_label("Arthralgia (joint pain)").tap()
    summary = page.locator("[data-gc-summary-body]")
    expect(summary).to_contain_text("questions left")
    expect(page.get_by_label("Arthralgia (joint pain)")).to_be_focused()
    links = summary.get_by_role("link")
    expect(links.first).to_have_text(aimss.question("ring_no_longer_fits").label)
    bar = page.locator("[data-gc-bar-text]")
    if kind == "phone":
        expect(bar).to_have_text(f"{links.count()} questions left")
    links.first.tap()  # a link leads to its question, and the answers stay in the URL
    expect(page.locator("#gc-ring-no-longer-fits-yes")).to_be_focused()
    assert "#symptoms=arthralgia" in page.url


def test_each_items_why_quote_and_source_are_on_demand_and_expand_all_opens_them(
    page: Page, site_server: SiteServer, aimss: Guideline
) -> None:
    open_calculator(page, site_server)
    tap_free = VIGNETTES["focal_carpal_tunnel"].answers
    page.goto(f"{site_server.url}{CALCULATOR}#{encode_fragment(tap_free)}")
    result = page.locator("[data-gc-result-body]")
    expect(result.locator("[data-item]").first).to_be_visible(timeout=READY_TIMEOUT_MS)
    disclosures = result.locator("details.gc-details")
    count = disclosures.count()
    assert count == len(assess(aimss, tap_free)["findings"]) + sum(
        len(s["items"]) for s in assess(aimss, tap_free)["sections"]
    ) + len([c for c in assess(aimss, tap_free)["classifications"] if c["category"]["source"] or c["category"]["why"]])
    expect(result.locator(".gc-quote").first).to_be_hidden()
    expand = page.get_by_role("button", name="Expand all")
    expand.click()
    assert disclosures.evaluate_all("all => all.every((d) => d.open)")
    expect(result.locator(".gc-quote").first).to_be_visible()
    expect(page.get_by_role("button", name="Collapse all")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Collapse all").click()
    assert disclosures.evaluate_all("all => all.every((d) => !d.open)")
    # A new evaluation keeps the clinician's choice: expanded stays expanded.
    page.get_by_role("button", name="Expand all").click()
    page.get_by_label("Yes").first.check()  # an answer that changes nothing shown
    assert disclosures.evaluate_all("all => all.every((d) => d.open)")


# --- Embedded on another site: the same rules inside the frame -----------------------------

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ward intranet</title><link rel="icon" href="data:,"></head>
<body><h1>Ward intranet page</h1><p>Text above the calculator.</p>
<iframe src="{calculator}" title="AIMSS calculator" data-guideline-calculator
  width="100%" height="150" frameborder="0"></iframe>
<p>Text below the calculator.</p>
<script src="{embed_js}" defer></script>
</body></html>
"""


@pytest.mark.parametrize("case", ["diffuse_mild"])
def test_embedded_the_summary_stays_in_the_host_pages_view(
    watched_context: Callable[..., BrowserContext],
    built_site: Path,
    tmp_path: Path,
    aimss: Guideline,
    kind: str,
    case: str,
) -> None:
    require(nginx_available(), "nginx with the brotli module is missing")
    host_port = free_port()
    host_origin = f"http://localhost:{host_port}"
    with NginxServer(built_site, sub_path="/guidelines/", frame_ancestors=f"'self' {host_origin}") as calculator:
        host_dir = tmp_path / "host"
        host_dir.mkdir()
        (host_dir / "index.html").write_text(
            HOST_PAGE.format(
                calculator=calculator.url + "aimss/embed/", embed_js=calculator.url + "assets/calculator/embed.js"
            )
        )
        with SiteServer(host_dir, headers={}, port=host_port) as host:
            page = watched_context(**DEVICES[kind]).new_page()
            height = DEVICES[kind]["viewport"]["height"]  # type: ignore[index]
            page.goto(host.url.replace("127.0.0.1", "localhost"))
            frame = page.frame_locator("iframe[data-guideline-calculator]")
            expect(frame.locator("[data-calculator]")).to_have_attribute(
                "data-calculator-state", "ready", timeout=READY_TIMEOUT_MS
            )
            answers = VIGNETTES[case].answers
            tap_through(frame, aimss, answers)
            result = assess(aimss, answers)
            assessment = frame.locator('[data-summary-classification="assessment"]')
            first_item = frame.locator("[data-summary-item]").first
            expect(assessment).to_have_text(result["classifications"][0]["category"]["label"])

            # Positions in the host page's view: the frame's own top there, plus the element's top in
            # the frame (which is as tall as its content and never scrolls itself).
            def host_view(locator: Locator) -> tuple[float, float]:
                frame_top = float(page.locator("iframe").evaluate("f => f.getBoundingClientRect().top"))
                top, bottom = locator.evaluate(
                    "e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; }"
                )
                return frame_top + top, frame_top + bottom

            def in_host_view(locator: Locator) -> bool:
                top, bottom = host_view(locator)
                return top >= 0 and bottom <= height + 1

            def eventually(check: Callable[[], bool]) -> bool:
                """The frame follows the host's scrolling through messages: give them a moment."""
                for _ in range(30):
                    if check():
                        return True
                    page.wait_for_timeout(100)
                return check()

            assert page.locator("iframe").evaluate("f => f.getBoundingClientRect().top") < 0  # scrolled past its top
            if kind == "phone" and not eventually(lambda: in_host_view(first_item)):
                bar = frame.locator("[data-gc-bar]")
                assert eventually(lambda: in_host_view(bar)), host_view(bar)  # at the foot of the host's view
                tap_where_it_is(page, bar.get_by_role("link", name="Show result"))
            assert eventually(lambda: in_host_view(assessment)), host_view(assessment)
            assert eventually(lambda: in_host_view(first_item)), host_view(first_item)
