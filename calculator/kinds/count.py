"""Count questions: a whole number of things, from a minimum (0 by default) to a maximum.

Answers are a JSON integer or a string of ASCII digits (``3``, ``"3"``); ``2.5``, ``"2.5"``
and everything a number question refuses are refused, naming the field. The parsed answer is
a number (shape ``number``), so every numeric condition reads it. In FHIR, an ``integer`` item.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from calculator.conditions import ALWAYS, AnswerValue, Condition
from calculator.formatting import number_text, show_value
from calculator.kinds import register
from calculator.kinds.number import EXT_MAX, EXT_MIN, EXT_UNIT, Number, interesting_numbers, number_bounds
from calculator.questions import GuidelineView, Question, Source
from calculator.text import t


class Count(Number):
    name: ClassVar[str] = "count"
    fhir_value: ClassVar[str] = "valueInteger"
    texts: ClassVar[dict[str, dict[str, str | dict[str, str]]]] = {
        "en": {
            "kinds.count": "whole number from {minimum} to {maximum} {unit}",
            "kinds.count.not_whole": "{value} is not a whole number; give a count, such as 3",
        },
        "fr": {
            "kinds.count": "nombre entier de {minimum} à {maximum} {unit}",
            "kinds.count.not_whole": "{value} n’est pas un nombre entier\u00a0; donnez un effectif, par exemple 3",
        },
    }

    def problems(self, question: Question) -> Iterator[str]:
        yield from super().problems(question)
        for bound in (question.minimum, question.maximum):
            if bound is not None and not float(bound).is_integer():
                yield f"a count's minimum and maximum are whole numbers, not {number_text(bound)}"

    def parse(self, question: Question, value: object) -> AnswerValue:
        number = self.number(question, value)
        if not number.is_integer():
            raise ValueError(t("kinds.count.not_whole", value=show_value(value)))
        return self.in_range(question, number)

    def json_value(self, value: AnswerValue) -> Any:
        return int(value) if isinstance(value, float) else value

    def accepts_in_words(self, question: Question) -> str:
        low, high = number_text(question.minimum or 0.0), number_text(question.maximum or 0.0)
        return t("kinds.count", minimum=low, maximum=high, unit=question.unit).rstrip()

    def example(
        self, guideline: GuidelineView, question: Question, values: Mapping[str, AnswerValue], rng: random.Random
    ) -> tuple[Any, AnswerValue]:
        low, high = number_bounds(guideline, question, values)
        points = [p for p in interesting_numbers(guideline, question, step=1.0) if low <= p <= high and p.is_integer()]
        count = rng.choice(points) if points and rng.random() < 0.7 else float(rng.randint(int(low), int(high)))
        return (number_text(count) if rng.random() < 0.3 else int(count)), count

    def fhir_item(self, guideline: GuidelineView, question: Question) -> dict[str, Any]:
        return {
            "type": "integer",
            "extension": [
                {"url": EXT_UNIT, "valueCoding": {"display": question.unit}},
                {"url": EXT_MIN, "valueInteger": int(question.minimum or 0)},
                {"url": EXT_MAX, "valueInteger": int(question.maximum or 0)},
            ],
        }

    def fhir_answer(self, guideline: GuidelineView, question: Question, value: Any) -> list[dict[str, Any]]:
        return [{"valueInteger": int(float(value))}]


register(Count())


def count(
    *,
    id: str,
    label: str,
    unit: str,
    maximum: int,
    minimum: int = 0,
    help: str = "",
    help_source: Source | None = None,
    applies_when: Condition = ALWAYS,
) -> Question:
    return Question(
        id=id,
        kind=Count.name,
        label=label,
        help=help,
        help_source=help_source,
        unit=unit,
        minimum=minimum,
        maximum=maximum,
        applies_when=applies_when,
    )
