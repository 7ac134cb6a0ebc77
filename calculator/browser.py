"""The entry points the browser worker holds a handle on.

The worker passes JSON text in and gets JSON text back, so no Python object crosses
into JavaScript and the call costs a few microseconds. Nothing here touches ``js``
or the DOM; CPython tests call exactly these functions for parity checks.
"""

from __future__ import annotations

import json

from calculator.answers import loads
from calculator.engine import evaluate
from calculator.loader import load_guideline_source
from calculator.model import Guideline
from calculator.schema import schema


class Session:
    """One loaded guideline, ready to evaluate answers for the step-by-step form."""

    def __init__(self, guideline: Guideline) -> None:
        self.guideline = guideline

    def evaluate(self, answers_json: str) -> str:
        """Evaluate answers given as JSON text; errors travel as data, never as exceptions."""
        try:
            raw = loads(answers_json)
        except ValueError as error:
            reply = {
                "applicable": [],
                "missing": [],
                "inapplicable": [],
                "result": None,
                "errors": [{"field": "answers", "message": str(error)}],
            }
            return json.dumps(reply)
        return json.dumps(evaluate(self.guideline, raw))

    def schema(self) -> str:
        return json.dumps(schema(self.guideline))


def create_session(module_source: str, filename: str) -> Session:
    """Load a guideline module from its source text (as fetched by the worker)."""
    return Session(load_guideline_source(module_source, filename=filename))
