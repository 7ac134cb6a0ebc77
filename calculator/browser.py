"""The entry points the browser worker holds a handle on.

The worker passes JSON text in and gets JSON text back, so no Python object crosses
into JavaScript and the call costs a few microseconds. Nothing here touches ``js``
or the DOM; CPython tests call exactly these functions for parity checks.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from datetime import date
from typing import Any

from calculator.answers import loads
from calculator.contract import EVALUATION_FORMAT
from calculator.engine import evaluate
from calculator.loader import load_guideline_source
from calculator.model import Guideline
from calculator.note import note_text
from calculator.schema import schema
from calculator.text import Catalogue, use_catalogue


class Session:
    """One loaded guideline, ready to evaluate answers for the step-by-step form.

    ``runtime`` names what runs it (``"Pyodide 314.0.7"`` in the browser); it is written
    into the copy-to-note text.
    """

    def __init__(self, guideline: Guideline, *, runtime: str, today: Callable[[], date] = date.today) -> None:
        self.guideline = guideline
        self.runtime = runtime
        self.today = today
        """The device's date, read at each evaluation: a page left open past midnight is current."""

    def evaluate(self, answers_json: str) -> str:
        """Evaluate answers given as JSON text; errors travel as data, never as exceptions.

        The reply is ``calculator.engine.evaluate``'s, plus ``note`` (the copy-to-note
        text) whenever there is a result, and ``overdue_since``: the date the guideline's
        review was due when the device's date is past it (else null).
        """
        today = self.today()
        try:
            raw = loads(answers_json)
        except ValueError as error:
            reply: dict[str, Any] = {
                "format": EVALUATION_FORMAT,
                "applicable": [],
                "missing": [],
                "inapplicable": [],
                "errors": [{"field": "answers", "label": "", "message": str(error)}],
                "result": None,
            }
        else:
            reply = evaluate(self.guideline, raw)
        result = reply["result"]
        reply["note"] = note_text(result, runtime=self.runtime, today=today) if result else None
        due = self.guideline.info.review_due
        reply["overdue_since"] = due if self.guideline.info.overdue(today) else None
        return json.dumps(reply, ensure_ascii=False)

    def schema(self) -> str:
        return json.dumps(schema(self.guideline), ensure_ascii=False)


SELF_CHECK_ANSWERS = "{}"
"""What the worker evaluates to check a restored interpreter against the one it was made from:
no answers, so nothing of a patient; the reply still walks the guideline's questions."""

snapshot_session: Session | None = None
"""The session a memory snapshot of the interpreter was made with (``keep_for_snapshot``)."""


def keep_for_snapshot(session: Session) -> None:
    """Hold ``session`` where an interpreter restored from a memory snapshot finds it.

    The worker calls this once the guideline is loaded and before anything is evaluated, then
    snapshots the interpreter: a snapshot holds the guideline, never an answer.
    """
    global snapshot_session
    snapshot_session = session


def resume_from_snapshot() -> Session:
    """The session of an interpreter restored from a memory snapshot, ``random`` reseeded.

    A snapshot freezes ``random``'s state with everything else: every restore would draw the
    same numbers. The string hash seed stays as the snapshot has it (fixed per snapshot).
    """
    if snapshot_session is None:
        raise RuntimeError("this interpreter holds no session for a snapshot")
    random.seed(os.urandom(32))
    return snapshot_session


def create_session(
    module_source: str, filename: str, sentences_json: str, runtime: str, catalogue_json: str | None = None
) -> Session:
    """Load a guideline module from its source text and its marked sentences, as fetched by the worker.

    ``sentences_json`` is the build's ``sentences.json``: ``{"sentences": {anchor: text}}``;
    ``catalogue_json`` the site's words as the build wrote them into ``catalogue.mjs`` (its
    language with the site's own overrides; English when not given), which the messages, the
    note and the Yes/No labels are taken from: the worker speaks exactly as the page does.
    """
    if catalogue_json is not None:
        use_catalogue(Catalogue.from_json(catalogue_json))
    sentences = json.loads(sentences_json)["sentences"]
    return Session(load_guideline_source(module_source, filename=filename, sentences=sentences), runtime=runtime)
