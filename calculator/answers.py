"""Parse untrusted answers (JSON from the CLI, form values from the browser) into typed values.

What each kind of question accepts is its kind's to say (``calculator.kinds``: ``yes_no``
and ``single_choice`` take one option id, ``multiple_choice`` a non-empty list of distinct
ids, ``number`` a number within its range). Everything else is rejected with a message
naming the field, including what Python's ``float()``/``int()`` quietly accept: ``"nan"``,
``"inf"``, ``"1_000"``, ``"1e3"``, non-ASCII digits (``"٦"``), booleans given as numbers,
and unknown keys.

Depth is bounded here too: no answer is deeper than a list of values, so a document nested more
than ``MAX_NESTING`` levels is refused before anything walks it. Without the bound, a value a
few hundred lists deep passed the parser and then exhausted the stack where a message quotes it
back (``json.dumps``), which ended the command in a traceback and the worker in an exception.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from calculator.conditions import AnswerValue
from calculator.kinds import kind_of
from calculator.model import Guideline, Question
from calculator.text import t


@dataclass(frozen=True, kw_only=True, slots=True)
class FieldError:
    """A problem with one answer.

    ``field`` is the question id (or the unknown key); ``label`` the question as the
    clinician sees it (empty for unknown keys); ``message`` what is wrong and what to do,
    written to stand beside the question in the form.
    """

    field: str
    message: str
    label: str = ""

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "label": self.label, "message": self.message}

    def __str__(self) -> str:
        named = f"{self.field} ({self.label})" if self.label else self.field
        return f"{named}: {self.message}"


class InvalidAnswers(ValueError):
    """Raised by strict assessment; carries every ``FieldError`` found, not just the first."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


MAX_NESTING = 32
"""Lists and objects deeper than this are refused. An answers document is two deep (an object of
lists of option ids); the margin is for readable refusals of near-misses, not for use."""


def _nested_deeper_than(value: object, limit: int) -> bool:
    """Whether lists/objects in ``value`` nest more than ``limit`` levels (``[]`` is one level).

    Walks without recursion, so it answers for any depth the parser produced."""
    pending: list[tuple[object, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, Mapping):
            children: Iterable[object] = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if depth + 1 > limit:
            return True
        pending.extend((child, depth + 1) for child in children)
    return False


@dataclass(frozen=True, kw_only=True, slots=True)
class RefusedNumber:
    """A JSON number the calculator refuses (``NaN``, ``Infinity``, ``1e400``), kept in place by
    ``loads`` so that ``parse_answers`` names the answer it was given for, not the whole text."""

    message: str


def _reject_constant(name: str) -> RefusedNumber:
    return RefusedNumber(message=t("answers.constant", value=name))


def _finite_float(text: str) -> float | RefusedNumber:
    value = float(text)
    if not math.isfinite(value):
        return RefusedNumber(message=t("answers.too_large", value=text))
    return value


def loads(text: str) -> Any:
    """``json.loads`` that refuses ``NaN``, ``Infinity`` and overflowing numbers.

    Raises ``ValueError`` with a readable message for text that is not JSON, nests more than
    ``MAX_NESTING`` deep, or is one refused number; a refused number inside the text is left as a
    ``RefusedNumber``, which
    ``parse_answers`` reports under the answer that holds it.
    """
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except json.JSONDecodeError as error:
        raise ValueError(t("answers.not_json", error=error)) from error
    except RecursionError as error:  # "[[[[…" nested thousands deep exhausts the parser's stack
        raise ValueError(t("answers.too_deep")) from error
    if _nested_deeper_than(value, MAX_NESTING):
        raise ValueError(t("answers.too_deep"))
    if isinstance(value, RefusedNumber):
        raise ValueError(value.message)
    return value


def _refused(value: object) -> RefusedNumber | None:
    """The first refused number in an answer (a list of options may hold one), if any.

    Walked without recursion: the answer may be nested as deep as the JSON parser allowed."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, RefusedNumber):
            return item
        if isinstance(item, list):
            pending.extend(reversed(item))
        elif isinstance(item, dict):
            pending.extend(reversed(list(item.values())))
    return None


def parse_answers(guideline: Guideline, raw: object) -> tuple[dict[str, AnswerValue], list[FieldError]]:
    """Turn a raw answers object into typed values, collecting every error.

    Answers that fail to parse are left out of the returned values (and reported).
    Applicability is not judged here; see ``calculator.engine``.
    """
    if not isinstance(raw, Mapping):
        return {}, [FieldError(field="answers", message=t("answers.not_an_object"))]
    values: dict[str, AnswerValue] = {}
    errors: list[FieldError] = []
    for key, value in raw.items():
        if not isinstance(key, str) or not guideline.has_question(key):
            errors.append(FieldError(field=str(key), message=t("answers.unknown_question")))
            continue
        question = guideline.question(key)
        if _nested_deeper_than(value, MAX_NESTING - 1):  # given as data, past loads()
            errors.append(FieldError(field=key, label=question.label, message=t("answers.value_too_deep")))
            continue
        refused = _refused(value)
        if refused is not None:
            errors.append(FieldError(field=key, label=question.label, message=refused.message))
            continue
        try:
            values[key] = parse_value(question, value)
        except ValueError as error:
            errors.append(FieldError(field=key, label=question.label, message=str(error)))
    return values, errors


def parse_value(question: Question, value: object) -> AnswerValue:
    """Parse one answer for ``question`` (by its kind, ``calculator.kinds``); raise ``ValueError``
    with a human message."""
    return kind_of(question).parse(question, value)
