"""The browser engines a clinic uses besides Chromium: Firefox ESR and WebKit (the iPad's engine).

Each engine is driven by what works with Debian's packages here, behind one small interface
(``Engine``) so that ``tests/test_engines.py`` runs the same clinician's checks in both:

* Firefox ESR: puppeteer-core over WebDriver BiDi, from a node process (``firefox.py``);
* WebKitGTK: Selenium through ``WebKitWebDriver``, with MiniBrowser, under Xvfb (``webkit.py``).

What a driver cannot see it learns elsewhere: CSP violations from the server's ``report-uri``
(``NginxServer(csp_reports=True)``), and, for WebKit, requests from nginx's access log (the
browser sends everything through nginx as its proxy, so a request to any other origin shows
there with its full URL).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from calculator.kinds import kind_of
from calculator.model import Guideline

HERE = Path(__file__).resolve().parent


class Engine(Protocol):
    name: str

    def open(self, url: str) -> None:
        """Navigate to ``url`` (a fresh document, also when only the fragment differs)."""

    def ready(self, timeout: float = 120) -> str:
        """Wait until the calculator's state is ready or error; return it."""

    def answer(self, steps: list[dict[str, Any]]) -> None:
        """Tap each label (or type each number) of ``steps`` (``steps_for``), in order."""

    def click_button(self, text: str) -> None: ...

    def js(self, expression: str) -> Any:
        """The value of a JavaScript expression in the current frame."""

    def wait_js(self, expression: str, timeout: float = 30) -> Any:
        """Wait until the expression is truthy; return its value."""

    def run_async(self, function: str, argument: Any, timeout: float = 300) -> Any:
        """Apply an async JavaScript function (source) to ``argument``; its resolved value."""

    def clipboard(self) -> str:
        """What the system clipboard holds now."""

    def into_frame(self, selector: str) -> None:
        """Run later commands in the iframe ``selector`` of the page."""

    def main_frame(self) -> None: ...

    def page_errors(self) -> list[str]:
        """Script errors and CSP messages the engine reported since the last call (if it can)."""


def steps_for(guideline: Guideline, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """What a clinician does, in question order: tap option labels, or type a number."""
    steps: list[dict[str, Any]] = []
    for question in guideline.questions:
        if question.id not in answers:
            continue
        value = answers[question.id]
        if kind_of(question).shape == "number":
            steps.append({"question": question.id, "text": str(value)})
            continue
        labels = []
        for option_id in value if isinstance(value, list) else [value]:
            option = question.option(option_id)
            assert option is not None, option_id
            labels.append(option.label)
        steps.append({"question": question.id, "labels": labels})
    return steps


READY_STATE = "document.querySelector('[data-calculator]')?.dataset.calculatorState"
NOTE = "document.querySelector('textarea[data-gc-note]')?.value"
