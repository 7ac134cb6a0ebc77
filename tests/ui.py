"""Driving the calculator like a clinician: shared by the browser tests."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from guideline_site.server import SiteServer
from playwright.sync_api import ConsoleMessage, Page, Request, expect

from calculator.kinds import kind_of
from calculator.model import Guideline

CALCULATOR = "aimss/calculator/"
READY_TIMEOUT_MS = 20_000


class Recorder:
    """Every request made by the page and its workers, and every console error."""

    def __init__(self, page: Page) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", self._request)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in {"error", "warning"}:
            self.errors.append(f"{message.type}: {message.text}")


def is_calculator_worker(url: str) -> bool:
    """The page's Python worker (its URL carries the boot request after "#boot=": boot.js)."""
    return urlsplit(url).path.endswith("/worker.mjs")


def open_calculator(page: Page, server: SiteServer, path: str = CALCULATOR) -> None:
    page.goto(server.url + path)
    expect(page.locator("[data-calculator]")).to_have_attribute(
        "data-calculator-state", "ready", timeout=READY_TIMEOUT_MS
    )


def answer(page: Page, guideline: Guideline, answers: dict[str, Any]) -> None:
    """Answer like a clinician: find each question and option by its visible label."""
    for question in guideline.questions:
        if question.id not in answers:
            continue
        container = page.locator(f'[data-question="{question.id}"]')
        expect(container).to_be_visible()
        value = answers[question.id]
        if kind_of(question).shape == "number":
            container.get_by_label(question.label).fill(str(value))
            continue
        for option_id in value if isinstance(value, list) else [value]:
            option = question.option(option_id)
            assert option is not None
            container.get_by_label(option.label, exact=True).check()


SHOWN_RESULT_JS = """root => {
  // Why, quote and source sit behind each item's disclosure (open or not, they are in the page).
  const why = (node) => [...node.querySelectorAll(':scope > details > .gc-why li')].map(li => li.textContent);
  const source = (node) => node.querySelector(':scope > details > .gc-source a')?.href ?? null;
  const quote = (node) => node.querySelector(':scope > details > .gc-quote')?.textContent ?? null;
  const item = (node) => ({id: node.dataset.item,
    text: node.querySelector('.gc-item__text').textContent, why: why(node), source: source(node),
    quote: quote(node)});
  return {
    classifications: [...root.querySelectorAll('[data-classification]')].map(dd => ({
      id: dd.dataset.classification, category: dd.dataset.category,
      label: dd.querySelector('.gc-category').textContent, why: why(dd), source: source(dd),
      quote: quote(dd)})),
    findings: [...root.querySelectorAll('.gc-findings > [data-item]')].map(item),
    sections: [...root.querySelectorAll('[data-section]')].map(section => ({
      id: section.dataset.section, title: section.querySelector('h4').textContent,
      items: [...section.querySelectorAll('[data-item]')].map(item)})),
  };
}"""


def shown_result(page: Page) -> dict[str, Any]:
    """The result on screen, once there is one: after a page load (a shared link, an example)
    that is when Python has started, so this waits as long as ``open_calculator`` does."""
    expect(page.locator("[data-classification]").first).to_be_visible(timeout=READY_TIMEOUT_MS)
    shown: dict[str, Any] = page.locator("[data-gc-result-body]").evaluate(SHOWN_RESULT_JS)
    return shown


def expected_display(result: dict[str, Any], source_page_url: str) -> dict[str, Any]:
    """What the page must show for an engine result, in the same shape as ``shown_result``."""

    def why(reasons: list[dict[str, str]]) -> list[str]:
        return [f"{r['label']} {r['answer']}" for r in reasons]

    def source(src: dict[str, Any] | None) -> str | None:
        return f"{source_page_url}#{src['anchor']}" if src else None

    def quote(src: dict[str, Any] | None) -> str | None:
        return src["quote"] if src else None

    def item(entry: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": entry["id"],
            "text": entry["text"],
            "why": why(entry["why"]),
            "source": source(entry["source"]),
            "quote": quote(entry["source"]),
        }

    return {
        "classifications": [
            {
                "id": c["id"],
                "category": c["category"]["id"],
                "label": c["category"]["label"],
                "why": why(c["category"]["why"]),
                "source": source(c["category"]["source"]),
                "quote": quote(c["category"]["source"]),
            }
            for c in result["classifications"]
        ],
        "findings": [item(f) for f in result["findings"]],
        "sections": [
            {"id": s["id"], "title": s["title"], "items": [item(i) for i in s["items"]]} for s in result["sections"]
        ],
    }


def vignettes_through_the_form(page: Page, server: Any, folder: Any) -> None:
    """Answer each vignette of a guideline through its calculator page; compare with CPython."""
    from calculator.engine import assess
    from calculator.loader import load_guideline
    from calculator.vignettes import load_vignettes

    guideline = load_guideline(folder)
    open_calculator(page, server, f"{folder.name}/calculator/")
    for vignette in load_vignettes(folder):
        page.get_by_role("button", name="New patient").click()
        expect(page.locator("[data-classification]")).to_have_count(0)
        answer(page, guideline, vignette.answers)
        expected = expected_display(assess(guideline, vignette.answers), f"{server.url}{folder.name}/")
        assert shown_result(page) == expected, vignette.id
