"""Number questions: a decimal within the question's range, in its unit.

Answers are a JSON number or a string of ASCII digits with an optional ``-`` and one decimal
point (``6``, ``"6.5"``, ``".5"``), with ASCII whitespace around it at most
(``calculator.formatting.TYPED_DECIMAL``, ``TYPED_NUMBER_SPACE``: the rule a field restored from a
link is shown by). Everything else is refused with a message naming the field, including
what Python's ``float()`` quietly accepts: ``"nan"``, ``"inf"``, ``"1_000"``, ``"1e3"``, non-ASCII
digits and booleans. In FHIR, a ``decimal`` item with its unit, minimum and maximum.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from calculator.conditions import ALWAYS, AllOf, AnswerValue, AnyOf, Condition, Exceeds
from calculator.formatting import TYPED_DECIMAL, TYPED_NUMBER_SPACE, number_text, quantity_text, show_value
from calculator.kinds import QuestionKind, Shape, SourceJson, register
from calculator.questions import GuidelineView, Question, Source
from calculator.text import t

NUMBER_STEP = 0.1
"""Numbers are generated on either side of every threshold, this far from it."""

EXT_UNIT = "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"
EXT_MIN = "http://hl7.org/fhir/StructureDefinition/minValue"
EXT_MAX = "http://hl7.org/fhir/StructureDefinition/maxValue"


class Number(QuestionKind):
    name: ClassVar[str] = "number"
    shape: ClassVar[Shape] = "number"
    fhir_value: ClassVar[str] = "valueDecimal"
    texts: ClassVar[dict[str, dict[str, str | dict[str, str]]]] = {
        "en": {
            "kinds.number": "number from {minimum} to {maximum} {unit}",
            "kinds.number.boolean": "{value} is not a number; give the number of{unit}",
            "kinds.number.too_large": "{value}… is not a number this calculator accepts",
            "kinds.number.not_finite": "{value} is not a finite number",
            "kinds.number.empty": "is empty; type a number",
            "kinds.number.not_digits": (
                "{value} is not a number; type digits with an optional decimal point, such as 6 or 6.5"
            ),
            "kinds.number.not_a_number": "{value} is not a number",
            "kinds.number.range": "must be between {minimum} and {maximum}{unit}",
        },
        "fr": {
            "kinds.number": "nombre de {minimum} à {maximum} {unit}",
            "kinds.number.boolean": "{value} n’est pas un nombre\u00a0; donnez le nombre de{unit}",
            "kinds.number.too_large": "{value}… n’est pas un nombre accepté par ce calculateur",
            "kinds.number.not_finite": "{value} n’est pas un nombre fini",
            "kinds.number.empty": "est vide\u00a0; saisissez un nombre",
            "kinds.number.not_digits": (
                "{value} n’est pas un nombre\u00a0; saisissez des chiffres avec éventuellement un point décimal, "
                "par exemple 6 ou 6.5"
            ),
            "kinds.number.not_a_number": "{value} n’est pas un nombre",
            "kinds.number.range": "doit être compris entre {minimum} et {maximum}{unit}",
        },
    }

    def problems(self, question: Question) -> Iterator[str]:
        if question.minimum is None or question.maximum is None or not question.unit:
            yield f"a {self.name} question needs a unit, a minimum and a maximum"
        elif question.minimum > question.maximum:
            yield "minimum is above maximum"

    def number(self, question: Question, value: object) -> float:
        """A finite number from ``value``, as sent (checks common to every number kind)."""
        unit = f" {question.unit}" if question.unit else ""
        if isinstance(value, bool):
            raise ValueError(t("kinds.number.boolean", value=show_value(value), unit=unit))
        if isinstance(value, int | float):
            try:
                number = float(value)
            except OverflowError:  # a JSON integer beyond any float
                raise ValueError(t("kinds.number.too_large", value=show_value(value)[:20])) from None
            if not math.isfinite(number):
                raise ValueError(t("kinds.number.not_finite", value=show_value(value)))
            return number
        if isinstance(value, str):
            text = value.strip(TYPED_NUMBER_SPACE)
            if not text:
                raise ValueError(t("kinds.number.empty"))
            if not TYPED_DECIMAL.fullmatch(text):
                raise ValueError(t("kinds.number.not_digits", value=show_value(value)))
            number = float(text)
            if not math.isfinite(number):  # more digits than any float holds
                raise ValueError(t("kinds.number.too_large", value=text[:20]))
            return number
        raise ValueError(t("kinds.number.not_a_number", value=show_value(value)))

    def in_range(self, question: Question, number: float) -> float:
        low, high = question.minimum, question.maximum
        if low is not None and high is not None and not low <= number <= high:
            unit = f" {question.unit}" if question.unit else ""
            raise ValueError(t("kinds.number.range", minimum=number_text(low), maximum=number_text(high), unit=unit))
        return number

    def parse(self, question: Question, value: object) -> AnswerValue:
        return self.in_range(question, self.number(question, value))

    def display(self, question: Question, value: AnswerValue) -> str:
        return quantity_text(float(value) if not isinstance(value, frozenset | str) else 0.0, question.unit)

    def accepts(self, question: Question, source_json: SourceJson) -> dict[str, Any]:
        return {"unit": question.unit, "minimum": question.minimum, "maximum": question.maximum}

    def accepts_in_words(self, question: Question) -> str:
        low, high = number_text(question.minimum or 0.0), number_text(question.maximum or 0.0)
        return t("kinds.number", minimum=low, maximum=high, unit=question.unit).rstrip()

    def example(
        self, guideline: GuidelineView, question: Question, values: Mapping[str, AnswerValue], rng: random.Random
    ) -> tuple[Any, AnswerValue]:
        low, high = number_bounds(guideline, question, values)
        points = [p for p in interesting_numbers(guideline, question) if low <= p <= high]
        if points and rng.random() < 0.7:
            number = rng.choice(points)
        else:
            number = round(rng.uniform(low, high), 1)
            number = min(max(number, low), high)
        raw: Any = number_text(number) if rng.random() < 0.3 else number
        return raw, float(number)

    def fhir_item(self, guideline: GuidelineView, question: Question) -> dict[str, Any]:
        return {
            "type": "decimal",
            "extension": [
                {"url": EXT_UNIT, "valueCoding": {"display": question.unit}},
                {"url": EXT_MIN, "valueDecimal": question.minimum},
                {"url": EXT_MAX, "valueDecimal": question.maximum},
            ],
        }

    def fhir_answer(self, guideline: GuidelineView, question: Question, value: Any) -> list[dict[str, Any]]:
        return [{"valueDecimal": float(value)}]


register(Number())


def number(
    *,
    id: str,
    label: str,
    unit: str,
    minimum: float,
    maximum: float,
    help: str = "",
    help_source: Source | None = None,
    applies_when: Condition = ALWAYS,
) -> Question:
    return Question(
        id=id,
        kind=Number.name,
        label=label,
        help=help,
        help_source=help_source,
        unit=unit,
        minimum=minimum,
        maximum=maximum,
        applies_when=applies_when,
    )


def interesting_numbers(guideline: GuidelineView, question: Question, step: float = NUMBER_STEP) -> list[float]:
    """The range's ends and every threshold any condition compares ``question`` with, +/- ``step``."""
    low, high = question.minimum or 0.0, question.maximum or 0.0
    points = {float(low), float(high)}
    for condition in guideline.conditions():
        for threshold in condition.thresholds(question.id):
            points.update(round(threshold + delta, 6) for delta in (-step, 0.0, step))
    return sorted(p for p in points if low <= p <= high)


def _leaves(condition: Condition) -> Iterator[Condition]:
    if isinstance(condition, AllOf | AnyOf):
        for part in condition.parts:
            yield from _leaves(part)
    else:
        yield condition


def number_bounds(
    guideline: GuidelineView, question: Question, values: Mapping[str, AnswerValue]
) -> tuple[float, float]:
    """The question's range, narrowed by constraints against numbers already chosen."""
    low, high = float(question.minimum or 0.0), float(question.maximum or 0.0)
    for constraint in guideline.constraints:
        for leaf in _leaves(constraint.violated_when):
            if not isinstance(leaf, Exceeds):
                continue
            other, this = values.get(leaf.other), values.get(leaf.question)
            if leaf.question == question.id and isinstance(other, float):
                high = min(high, other)
            elif leaf.other == question.id and isinstance(this, float):
                low = max(low, this)
    return low, high
