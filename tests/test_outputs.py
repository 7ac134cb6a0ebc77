"""What a clinician takes away: copy to note, print, a shareable link, a clean slate."""

from __future__ import annotations

import json
import re

import pytest
from aimss_cases import (
    DIFFUSE_MODERATE_WITH_DEPRESSION,
    FOCAL_CARPAL_TUNNEL,
    FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS,
    NEUROPATHY_ONLY,
)
from conftest import ROOT
from guideline_site.server import SiteServer
from playwright.sync_api import BrowserContext, Dialog, Page, expect
from ui import CALCULATOR, READY_TIMEOUT_MS, Recorder, answer, expected_display, open_calculator, shown_result

from calculator import text
from calculator.browser import Session
from calculator.engine import assess, evaluate
from calculator.fragment import encode_fragment
from calculator.kinds import kind_of
from calculator.model import Guideline
from calculator.protocol import LINK_MAX_ANSWERS, LINK_MAX_CHARACTERS

pytestmark = pytest.mark.browser

PYODIDE_VERSION = json.loads((ROOT / "package.json").read_text())["dependencies"]["pyodide"]
ARTIFACTS = ROOT / "test-artifacts"


def engine_note(guideline: Guideline, answers: dict[str, object]) -> str:
    reply = json.loads(Session(guideline, runtime=f"Pyodide {PYODIDE_VERSION}").evaluate(json.dumps(answers)))
    return str(reply["note"])


def as_the_form_holds_them(guideline: Guideline, answers: dict[str, object]) -> dict[str, object]:
    """Answers in question order, multiple choices in option order (as the form lists them)."""
    ordered: dict[str, object] = {}
    for question in guideline.questions:
        if question.id in answers:
            value = answers[question.id]
            if isinstance(value, list):
                value = [o.id for o in question.options if o.id in value]
            ordered[question.id] = value
    return ordered


def test_copy_to_note_puts_the_engines_summary_on_the_clipboard(
    page: Page, context: BrowserContext, site_server: SiteServer, aimss: Guideline
) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_calculator(page, site_server)
    answer(page, aimss, DIFFUSE_MODERATE_WITH_DEPRESSION)
    shown_result(page)
    page.get_by_role("button", name="Copy to note").click()
    expect(page.locator("[data-gc-announce]")).to_contain_text("on the clipboard")
    copied = page.evaluate("navigator.clipboard.readText()")
    expected = engine_note(aimss, DIFFUSE_MODERATE_WITH_DEPRESSION)
    assert copied == expected
    assert f"Pyodide {PYODIDE_VERSION}" in copied and aimss.info.review_date in copied
    assert "not for emergencies" in copied


def test_print_layout_fits_the_result_on_one_page_without_site_chrome(
    page: Page, site_server: SiteServer, aimss: Guideline
) -> None:
    open_calculator(page, site_server)
    answer(page, aimss, DIFFUSE_MODERATE_WITH_DEPRESSION)
    shown_result(page)
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(path=str(ARTIFACTS / "print-result.pdf"), format="A4")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", "[data-gc-form]", "[data-gc-copy]"):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.locator('[data-classification="assessment"]')).to_be_visible()
    expect(page.locator(".gc-answers")).to_be_visible()
    expect(page.locator(".gc-source").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "print-result.png"), full_page=True)


def test_answers_live_in_the_fragment_and_a_reload_restores_them(
    page: Page, site_server: SiteServer, aimss: Guideline
) -> None:
    recorder = Recorder(page)
    answers = FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS
    open_calculator(page, site_server)
    answer(page, aimss, answers)
    before = shown_result(page)
    expected_fragment = encode_fragment(as_the_form_holds_them(aimss, answers))
    expect(page).to_have_url(f"{site_server.url}{CALCULATOR}#{expected_fragment}")
    page.reload()
    expect(page.locator("[data-calculator]")).to_have_attribute(
        "data-calculator-state", "ready", timeout=READY_TIMEOUT_MS
    )
    assert shown_result(page) == before
    expect(page.get_by_label("De Quervain's tenosynovitis")).to_be_checked()
    # Nothing about the answers ever reaches the server: no query string, no request with them.
    assert "?" not in page.url
    assert not [url for url in recorder.requests if "de_quervain" in url or "?" in url]


def test_a_shared_link_opens_with_the_result(page: Page, site_server: SiteServer, aimss: Guideline) -> None:
    answers = DIFFUSE_MODERATE_WITH_DEPRESSION
    page.goto(f"{site_server.url}{CALCULATOR}#{encode_fragment(answers)}")
    shown = shown_result(page)
    assert shown == expected_display(assess(aimss, answers), site_server.url + "aimss/")


def test_a_link_with_bad_answers_shows_the_engines_messages(
    page: Page, site_server: SiteServer, aimss: Guideline
) -> None:
    answers = {"symptoms": ["arthralgia", "gout"], "age": "70"}
    page.goto(f"{site_server.url}{CALCULATOR}#{encode_fragment(answers)}")
    errors = {e["field"]: e["message"] for e in evaluate(aimss, answers)["errors"]}
    expect(page.locator("#gc-symptoms-error")).to_have_text(errors["symptoms"], timeout=READY_TIMEOUT_MS)
    expect(page.locator("[data-gc-summary-body]")).to_contain_text(f"age: {errors['age']}")


def test_a_link_with_padded_numbers_shows_in_each_field_the_number_the_result_used(
    page: Page, site_server: SiteServer, aimss: Guideline
) -> None:
    padded = {
        **FOCAL_CARPAL_TUNNEL,
        "weeks_since_ai_start": "0" * 58 + "20",
        "onset_weeks_after_ai_start": " " * 120 + "7",
    }
    page.goto(f"{site_server.url}{CALCULATOR}#{encode_fragment(padded)}")
    assert shown_result(page) == expected_display(assess(aimss, FOCAL_CARPAL_TUNNEL), site_server.url + "aimss/")
    weeks = page.locator('[data-question="weeks_since_ai_start"] input')
    onset = page.locator('[data-question="onset_weeks_after_ai_start"] input')
    expect(weeks).to_have_value("20")
    expect(onset).to_have_value("7")


@pytest.mark.parametrize(
    "link",
    [
        "&".join(f"question_{n}=1" for n in range(LINK_MAX_ANSWERS + 1)),  # one answer too many
        "question_0=" + "1" * LINK_MAX_CHARACTERS,  # one answer, longer than a link may be
    ],
    ids=["answers", "characters"],
)
def test_a_link_carrying_more_than_a_link_may_is_refused_with_one_message(
    page: Page, site_server: SiteServer, link: str
) -> None:
    page.goto(f"{site_server.url}{CALCULATOR}#{link}")
    refused = text.t("link.too_large", answers=LINK_MAX_ANSWERS, characters=LINK_MAX_CHARACTERS)
    summary = page.locator("[data-gc-summary-body]")
    expect(summary).to_contain_text(refused, timeout=READY_TIMEOUT_MS)
    expect(page.locator("[data-calculator]")).to_have_attribute("data-calculator-state", "ready")
    assert "question_0" not in summary.inner_text()
    # The clinician's first answer takes the place of the refused link.
    page.get_by_label("Arthralgia (joint pain)", exact=True).check()
    expect(summary).not_to_contain_text(refused)
    assert page.evaluate("location.hash") == "#symptoms=arthralgia"


def test_once_an_answer_is_changed_a_new_fragment_asks_before_replacing_the_answers(
    page: Page, site_server: SiteServer, aimss: Guideline
) -> None:
    page.goto(f"{site_server.url}{CALCULATOR}#{encode_fragment(FOCAL_CARPAL_TUNNEL)}")
    shown_result(page)
    other = encode_fragment(DIFFUSE_MODERATE_WITH_DEPRESSION)
    # Not yet edited: the answers are the link's, and a new link replaces them.
    page.evaluate("fragment => { location.hash = fragment; }", encode_fragment(NEUROPATHY_ONLY))
    expect(page.get_by_label("Tendinopathy", exact=True)).not_to_be_checked()
    page.get_by_label("Tendinopathy", exact=True).check()  # the clinician's own answer
    expect(page).to_have_url(re.compile("symptoms=tendinopathy,neuropathy$"))
    mine = page.evaluate("location.hash")
    asked: list[str] = []

    def refuse(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", refuse)
    page.evaluate("fragment => { location.hash = fragment; }", other)
    expect(page).to_have_url(f"{site_server.url}{CALCULATOR}{mine}")
    assert asked == [text.t("link.replace_answers")]
    expect(page.get_by_label("Tendinopathy", exact=True)).to_be_checked()
    expect(page.get_by_label("Joint stiffness", exact=True)).not_to_be_checked()
    page.once("dialog", lambda dialog: dialog.accept())
    page.evaluate("fragment => { location.hash = fragment; }", other)
    expect(page.get_by_label("Joint stiffness", exact=True)).to_be_checked()
    assert shown_result(page) == expected_display(
        assess(aimss, DIFFUSE_MODERATE_WITH_DEPRESSION), site_server.url + "aimss/"
    )


def test_new_patient_leaves_no_state(page: Page, site_server: SiteServer, aimss: Guideline) -> None:
    open_calculator(page, site_server)
    answer(page, aimss, FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS)
    shown_result(page)
    page.get_by_role("button", name="New patient").click()
    expect(page).to_have_url(site_server.url + CALCULATOR)
    expect(page.locator("[data-classification]")).to_have_count(0)
    expect(page.locator("[data-gc-result-actions]")).to_be_hidden()
    assert page.locator("[data-gc-note]").input_value() == ""
    assert page.locator("[data-gc-form] input:checked").count() == 0
    assert page.locator("[data-gc-form] input[type=text]").evaluate_all("inputs => inputs.map(i => i.value)") == [
        "" for _ in aimss.questions if kind_of(_).shape == "number"
    ]
    expect(page.locator('[data-question="distribution"]')).to_be_hidden()


STORAGE_JS = """async () => ({
  local: localStorage.length,
  session: sessionStorage.length,
  cookies: document.cookie,
  databases: (await indexedDB.databases()).length,
})"""


def test_nothing_is_stored_after_a_full_run(page: Page, site_server: SiteServer, aimss: Guideline) -> None:
    page.goto(site_server.url + "aimss/")
    page.get_by_role("link", name="Open the AIMSS calculator").click()
    expect(page.locator("[data-calculator]")).to_have_attribute(
        "data-calculator-state", "ready", timeout=READY_TIMEOUT_MS
    )
    answer(page, aimss, DIFFUSE_MODERATE_WITH_DEPRESSION)
    shown_result(page)
    page.locator("label[for=__palette_1]").click()  # the light/dark toggle
    page.get_by_role("button", name="Print result").evaluate("b => { window.print = () => {}; b.click(); }")
    page.goto(site_server.url + "aimss/decision-table/")
    page.get_by_role("link", name=re.compile("Open the calculator with an example")).first.click()
    shown_result(page)
    page.get_by_role("button", name="New patient").click()
    assert page.evaluate(STORAGE_JS) == {"local": 0, "session": 0, "cookies": "", "databases": 0}


def test_decision_table_example_opens_the_calculator_showing_that_rule(
    page: Page, site_server: SiteServer, aimss: Guideline
) -> None:
    page.goto(site_server.url + "aimss/decision-table/")
    row = page.locator("#rule-focal_corticosteroid_injection")
    row.get_by_role("link", name=re.compile("example")).click()
    item = page.locator('[data-item="focal_corticosteroid_injection"]')
    expect(item).to_be_visible(timeout=READY_TIMEOUT_MS)
    item.get_by_text("Why and source").click()  # details on demand
    item.get_by_role("link", name="rule").click()
    expect(page).to_have_url(site_server.url + "aimss/decision-table/#rule-focal_corticosteroid_injection")


def test_result_shows_intended_use_and_versions(page: Page, site_server: SiteServer, aimss: Guideline) -> None:
    open_calculator(page, site_server)
    answer(page, aimss, DIFFUSE_MODERATE_WITH_DEPRESSION)
    shown_result(page)
    meta = page.locator(".gc-result-meta")
    expect(meta).to_contain_text("not for emergencies")
    expect(meta).to_contain_text(f"Pyodide {PYODIDE_VERSION}")
    expect(meta).to_contain_text(aimss.info.content_version)


def test_artifacts_dir_is_ignored_by_git() -> None:
    assert "/test-artifacts/" in (ROOT / ".gitignore").read_text().splitlines()
