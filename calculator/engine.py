"""Walk a guideline's tables: which questions apply, what the result is, and why.

Two entry points share one evaluation:

* ``assess(guideline, answers)`` is strict. It is what the CLI and any integration
  call: every applicable question must be answered, nothing else may be, and any
  problem raises ``InvalidAnswers`` naming each field.
* ``evaluate(guideline, answers)`` serves the step-by-step form, whose answers are
  partial while the clinician works. It reports which questions apply, which are
  still missing, field errors, and the result once the answers are complete. An
  answer to a question that no longer applies (the clinician changed an earlier
  answer) is listed under ``inapplicable`` and not used, so the form can keep the
  hidden value in case the clinician changes back.

Both return plain JSON-serialisable dicts; the result format is documented in
``calculator/__init__.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calculator.answers import FieldError, InvalidAnswers, parse_answers
from calculator.conditions import AnswerValue, Condition, Reason
from calculator.contract import EVALUATION_FORMAT, RESULT_FORMAT
from calculator.formatting import source_json
from calculator.kinds import kind_of
from calculator.model import Entry, Guideline, GuidelineDefinitionError, Question, Source
from calculator.text import t
from calculator.version import __version__


def applicable_questions(
    guideline: Guideline, values: Mapping[str, AnswerValue]
) -> tuple[list[Question], dict[str, AnswerValue]]:
    """The questions that apply, in order, and the answers to them.

    A question's condition only sees answers to earlier questions that apply, so an
    answer hidden by an earlier change can never switch anything on.
    """
    applicable: list[Question] = []
    used: dict[str, AnswerValue] = {}
    for question in guideline.questions:
        if question.applies_when.holds(used):
            applicable.append(question)
            if question.id in values:
                used[question.id] = values[question.id]
    return applicable, used


def evaluate(guideline: Guideline, raw_answers: object) -> dict[str, Any]:
    """State of the step-by-step form for possibly partial answers (see module doc)."""
    values, errors = parse_answers(guideline, raw_answers)
    applicable, used = applicable_questions(guideline, values)
    # An invalid value in a hidden question neither shows nor blocks the result.
    hidden = {q.id for q in guideline.questions} - {q.id for q in applicable}
    errors = [e for e in errors if e.field not in hidden]
    failed = {e.field for e in errors}
    missing = [q.id for q in applicable if q.id not in used and q.id not in failed]
    errors += constraint_errors(guideline, used)
    return {
        "format": EVALUATION_FORMAT,
        "applicable": [q.id for q in applicable],
        "missing": missing,
        "inapplicable": [k for k in values if k in hidden],
        "errors": [e.to_json() for e in errors],
        "result": _result(guideline, used) if not missing and not errors else None,
    }


def assess(guideline: Guideline, raw_answers: object) -> dict[str, Any]:
    """Strictly assess a complete answer set; raise ``InvalidAnswers`` on any problem."""
    values, errors = parse_answers(guideline, raw_answers)
    if not isinstance(raw_answers, Mapping):
        raise InvalidAnswers(errors)
    applicable, used = applicable_questions(guideline, values)
    applicable_ids = {q.id for q in applicable}
    uncertain = _depends_on_invalid(guideline, {e.field for e in errors})
    for question in guideline.questions:
        if question.id in uncertain:
            continue  # its applicability hangs on an invalid answer, reported already
        if question.id in values and question.id not in applicable_ids:
            because = question.applies_when.describe(guideline)
            message = t("answers.inapplicable", because=because)
            errors.append(FieldError(field=question.id, label=question.label, message=message))
        elif question.id in applicable_ids and question.id not in used:
            errors.append(FieldError(field=question.id, label=question.label, message=t("answers.required")))
    errors += constraint_errors(guideline, used)
    if errors:
        raise InvalidAnswers(errors)
    return _result(guideline, used)


def constraint_errors(guideline: Guideline, used: Mapping[str, AnswerValue]) -> list[FieldError]:
    """One error per field of each violated cross-field constraint.

    A constraint is judged only when all its fields apply and hold valid answers, so a
    half-filled form is never told that its answers contradict each other.
    """
    errors: list[FieldError] = []
    for constraint in guideline.constraints:
        if all(name in used for name in constraint.fields) and constraint.violated_when.holds(used):
            for name in constraint.fields:
                label = guideline.question_label(name)
                errors.append(FieldError(field=name, label=label, message=constraint.message))
    return errors


def _depends_on_invalid(guideline: Guideline, invalid: set[str]) -> set[str]:
    """Questions that are invalid, or whose applicability reads one (transitively)."""
    uncertain = set(invalid)
    for question in guideline.questions:
        if question.applies_when.question_ids() & uncertain:
            uncertain.add(question.id)
    return uncertain


def _result(guideline: Guideline, answers: Mapping[str, AnswerValue]) -> dict[str, Any]:
    classifications = []
    for classification in guideline.classifications:
        category = next((c for c in classification.categories if c.when.holds(answers)), None)
        if category is None:
            raise GuidelineDefinitionError(
                f"classification {classification.id!r} has no category for these answers: "
                "end its categories with one that uses ALWAYS"
            )
        shown: dict[str, Any] = {
            "id": category.id,
            "label": category.label,
            "text": category.full_text,
            "why": _why(guideline, category.when, answers),
            "source": _source(guideline, category.source),
        }
        if category.convention:
            shown["convention"] = category.convention
        classifications.append({"id": classification.id, "label": classification.label, "category": shown})
    sections = []
    for section in guideline.sections:
        items = [_item(guideline, e, answers) for e in section.entries if e.when.holds(answers)]
        if items:
            sections.append({"id": section.id, "title": section.title, "items": items})
    return {
        "format": RESULT_FORMAT,
        "guideline": {
            "id": guideline.id,
            "title": guideline.info.title,
            "content_version": guideline.info.content_version,
            "review_date": guideline.info.review_date,
            "review_due": guideline.info.review_due,
            "intended_use": guideline.info.intended_use,
        },
        "calculator_version": __version__,
        "answers": [
            {
                "question": q.id,
                "label": q.label,
                "value": kind_of(q).json_value(answers[q.id]),
                "display": display_answer(q, answers[q.id]),
            }
            for q in guideline.questions
            if q.id in answers
        ],
        "classifications": classifications,
        "findings": [_item(guideline, e, answers) for e in guideline.findings if e.when.holds(answers)],
        "sections": sections,
    }


def _item(guideline: Guideline, entry: Entry, answers: Mapping[str, AnswerValue]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": entry.id,
        "text": entry.full_text,
        "short": entry.short or entry.text,
        "why": _why(guideline, entry.when, answers),
        "source": _source(guideline, entry.source),
    }
    if entry.convention:
        item["convention"] = entry.convention
    return item


def _why(guideline: Guideline, condition: Condition, answers: Mapping[str, AnswerValue]) -> list[dict[str, str]]:
    return [_reason(guideline, reason, answers) for reason in condition.reasons(answers)]


def _reason(guideline: Guideline, reason: Reason, answers: Mapping[str, AnswerValue]) -> dict[str, str]:
    question = guideline.question(reason.question)
    if reason.option is not None:
        answer = guideline.option_label(question.id, reason.option)
    else:
        answer = display_answer(question, answers[question.id])
    return {"question": question.id, "label": question.label, "answer": answer}


def _source(guideline: Guideline, source: Source | None) -> dict[str, Any] | None:
    return source_json(source, guideline.sentences, cited_as=True)


def display_answer(question: Question, value: AnswerValue) -> str:
    """The answer as a clinician would read it (option labels, number with unit): the kind's."""
    return kind_of(question).display(question, value)
