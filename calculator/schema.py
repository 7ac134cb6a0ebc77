"""The question schema as JSON: what ``python -m calculator --schema`` prints.

The site build renders the form from this same schema, so the page shows the
questions before Python has started in the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from calculator.contract import QUESTIONS_FORMAT
from calculator.formatting import source_json
from calculator.kinds import kind_of
from calculator.model import Guideline, Question, Source
from calculator.version import __version__


def answer_schema(
    question: Question, describe_source: Callable[[Source | None], dict[str, Any] | None]
) -> dict[str, Any]:
    """What a question accepts (its kind's to say): unit and range of a number, the options with their help."""
    return kind_of(question).accepts(question, describe_source)


def question_schema(guideline: Guideline, question: Question) -> dict[str, Any]:
    described: dict[str, Any] = {
        "id": question.id,
        "kind": question.kind,
        "shape": kind_of(question).shape,
        "label": question.label,
        "help": question.help,
        "help_source": source_json(question.help_source),
        **answer_schema(question, source_json),
    }
    conditional = bool(question.applies_when.question_ids())
    described["applies_when"] = question.applies_when.describe(guideline) if conditional else None
    return described


def guideline_json(guideline: Guideline) -> dict[str, Any]:
    """Who wrote the guideline, which version, reviewed when and by whom, and for what use."""
    info = guideline.info
    return {
        "id": guideline.id,
        "title": info.title,
        "short_title": info.short_title,
        "authors": list(info.authors),
        "source": info.source,
        "content_version": info.content_version,
        "review_date": info.review_date,
        "reviewer": info.reviewer,
        "intended_use": info.intended_use,
    }


def schema(guideline: Guideline) -> dict[str, Any]:
    return {
        "format": QUESTIONS_FORMAT,
        "guideline": guideline_json(guideline),
        "calculator_version": __version__,
        "constraints": [{"id": c.id, "fields": list(c.fields), "message": c.message} for c in guideline.constraints],
        "steps": [
            {
                "id": step.id,
                "title": step.title,
                "questions": [question_schema(guideline, q) for q in step.questions],
            }
            for step in guideline.steps
        ],
    }
