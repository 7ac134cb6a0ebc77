"""Declarative conditions: when a question applies and when a catalogue entry is shown.

A condition is a small frozen value, not a function, so that the same object can be
evaluated (``holds``), explained to a clinician (``reasons``: the answers that made it
true), described in words for a decision table (``describe``) and checked by the
authoring checks (``question_ids``).

Every condition that reads a question is *false while that question is unanswered*
(or does not apply). There is deliberately no ``Not``: negating an unanswered
question would silently turn "unknown" into "true". Use ``IncludesNone`` or
``Is`` with the other option instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeAlias

from calculator.formatting import number_text
from calculator.text import t

AnswerValue: TypeAlias = str | float | frozenset[str]
"""A parsed answer: option id (single choice, yes/no), number, or set of option ids."""

Answers: TypeAlias = Mapping[str, AnswerValue]

Shape: TypeAlias = Literal["one", "many", "number"]
"""What a parsed answer is: ``one`` option id, ``many`` (a frozenset of ids), a ``number``.
Each question kind gives answers of one shape (``calculator.kinds``)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Reason:
    """One answer that contributed to a condition being true."""

    question: str
    option: str | None = None
    """For choice questions, the option that mattered; ``None`` for numbers."""


class Labels(Protocol):
    """What ``describe`` needs to turn ids into words (a ``Guideline`` provides it)."""

    def question_label(self, question_id: str) -> str: ...

    def option_label(self, question_id: str, option_id: str) -> str: ...

    def unit(self, question_id: str) -> str: ...


class FhirPaths(Protocol):
    """What ``fhirpath`` needs: FHIRPath expressions for a question's answers in a
    QuestionnaireResponse (``calculator.fhir`` provides it, knowing each question's kind)."""

    def codes(self, question_id: str) -> str:
        """The collection of chosen option codes."""
        ...

    def numbers(self, question_id: str) -> str:
        """The collection of number answers (zero or one)."""
        ...


class Condition(Protocol):
    def holds(self, answers: Answers) -> bool: ...

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        """The answers that make the condition true (empty when it does not hold)."""
        ...

    def describe(self, labels: Labels) -> str:
        """The condition in words, for the decision table and messages: the guideline's labels
        joined by the active catalogue's ``condition.*`` texts, so a French site reads French."""
        ...

    def question_ids(self) -> frozenset[str]: ...

    def option_refs(self) -> Iterator[tuple[str, str]]:
        """(question id, option id) pairs the condition reads, for authoring checks."""
        ...

    def to_json(self) -> dict[str, Any]:
        """The condition as data (``{"<operator>": ...}``), for the computable exports."""
        ...

    def fhirpath(self, paths: FhirPaths) -> str:
        """An equivalent FHIRPath boolean expression over a QuestionnaireResponse (never empty)."""
        ...

    def thresholds(self, question_id: str) -> tuple[float, ...]:
        """The numbers this condition compares ``question_id`` with (for generating answers)."""
        ...

    def shapes(self) -> Iterator[tuple[str, Shape]]:
        """(question id, the shape of answer it reads): ``one`` option, ``many`` options, a ``number``.
        A question of another kind's shape is an authoring mistake (``Guideline.check``)."""
        ...


@dataclass(frozen=True, slots=True)
class Always:
    """True for every answer set; for entries that belong to every result."""

    def holds(self, answers: Answers) -> bool:
        return True

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        return ()

    def describe(self, labels: Labels) -> str:
        return t("condition.always")

    def question_ids(self) -> frozenset[str]:
        return frozenset()

    def option_refs(self) -> Iterator[tuple[str, str]]:
        return iter(())

    def to_json(self) -> dict[str, Any]:
        return {"always": True}

    def fhirpath(self, paths: FhirPaths) -> str:
        return "true"

    def thresholds(self, question_id: str) -> tuple[float, ...]:
        return ()

    def shapes(self) -> Iterator[tuple[str, Shape]]:
        return iter(())


ALWAYS = Always()


@dataclass(frozen=True, slots=True)
class Is:
    """A single-choice or yes/no question was answered with ``option``."""

    question: str
    option: str

    def holds(self, answers: Answers) -> bool:
        return answers.get(self.question) == self.option

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        return (Reason(question=self.question, option=self.option),) if self.holds(answers) else ()

    def describe(self, labels: Labels) -> str:
        option = labels.option_label(self.question, self.option)
        return t("condition.is", question=labels.question_label(self.question), option=option)

    def question_ids(self) -> frozenset[str]:
        return frozenset({self.question})

    def option_refs(self) -> Iterator[tuple[str, str]]:
        yield (self.question, self.option)

    def to_json(self) -> dict[str, Any]:
        return {"is": {"question": self.question, "option": self.option}}

    def fhirpath(self, paths: FhirPaths) -> str:
        return _any_code(paths, self.question, (self.option,))

    def thresholds(self, question_id: str) -> tuple[float, ...]:
        return ()

    def shapes(self) -> Iterator[tuple[str, Shape]]:
        yield (self.question, "one")


@dataclass(frozen=True, slots=True)
class IsAnyOf:
    """A single-choice question was answered with one of ``options``."""

    question: str
    options: tuple[str, ...]

    def holds(self, answers: Answers) -> bool:
        return answers.get(self.question) in self.options

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        value = answers.get(self.question)
        if isinstance(value, str) and value in self.options:
            return (Reason(question=self.question, option=value),)
        return ()

    def describe(self, labels: Labels) -> str:
        options = _options(labels, self.question, self.options)
        return t("condition.is", question=labels.question_label(self.question), option=options)

    def question_ids(self) -> frozenset[str]:
        return frozenset({self.question})

    def option_refs(self) -> Iterator[tuple[str, str]]:
        for option in self.options:
            yield (self.question, option)

    def to_json(self) -> dict[str, Any]:
        return {"is_any_of": {"question": self.question, "options": list(self.options)}}

    def fhirpath(self, paths: FhirPaths) -> str:
        return _any_code(paths, self.question, self.options)

    def thresholds(self, question_id: str) -> tuple[float, ...]:
        return ()

    def shapes(self) -> Iterator[tuple[str, Shape]]:
        yield (self.question, "one")


@dataclass(frozen=True, slots=True)
class IncludesAny:
    """A multiple-choice answer contains at least one of ``options``."""

    question: str
    options: tuple[str, ...]

    def holds(self, answers: Answers) -> bool:
        value = answers.get(self.question)
        return isinstance(value, frozenset) and not value.isdisjoint(self.options)

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        value = answers.get(self.question)
        if not isinstance(value, frozenset):
            return ()
        return tuple(Reason(question=self.question, option=o) for o in self.options if o in value)

    def describe(self, labels: Labels) -> str:
        options = _options(labels, self.question, self.options)
        return t("condition.includes", question=labels.question_label(self.question), options=options)

    def question_ids(self) -> frozenset[str]:
        return frozenset({self.question})

    def option_refs(self) -> Iterator[tuple[str, str]]:
        for option in self.options:
            yield (self.question, option)

    def to_json(self) -> dict[str, Any]:
        return {"includes_any": {"question": self.question, "options": list(self.options)}}

    def fhirpath(self, paths: FhirPaths) -> str:
        return _any_code(paths, self.question, self.options)

    def thresholds(self, question_id: str) -> tuple[float, ...]:
        return ()

    def shapes(self) -> Iterator[tuple[str, Shape]]:
        yield (self.question, "many")


def Includes(question: str, option: str) -> IncludesAny:
    """A multiple-choice answer contains ``option``."""
    return IncludesAny(question, (option,))


@dataclass(frozen=True, slots=True)
class IncludesNone:
    """A multiple-choice question was answered and contains none of ``options``."""

    question: str
    options: tuple[str, ...]

    def holds(self, answers: Answers) -> bool:
        value = answers.get(self.question)
        return isinstance(value, frozenset) and value.isdisjoint(self.options)

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        value = answers.get(self.question)
        if not self.holds(answers) or not isinstance(value, frozenset):
            return ()
        return tuple(Reason(question=self.question, option=o) for o in sorted(value))

    def describe(self, labels: Labels) -> str:
        options = _options(labels, self.question, self.options)
        return t("condition.includes_none", question=labels.question_label(self.question), options=options)

    def question_ids(self) -> frozenset[str]:
        return frozenset({self.question})

    def option_refs(self) -> Iterator[tuple[str, str]]:
        for option in self.options:
            yield (self.question, option)

    def to_json(self) -> dict[str, Any]:
        return {"includes_none": {"question": self.question, "options": list(self.options)}}

    def fhirpath(self, paths: FhirPaths) -> str:
        codes = paths.codes(self.question)
        return f"({codes}.exists() and {_any_code(paths, self.question, self.options)}.not())"

    def thresholds(self, question_id: str) -> tuple[float, ...]:
        return ()

    def shapes(self) -> Iterator[tuple[str, Shape]]:
        yield (self.question, "many")


@dataclass(frozen=True, slots=True)
class Between:
    """A number answer lies in ``[minimum, maximum]`` (both inclusive)."""

    question: str
    minimum: float
    maximum: float

    def holds(self, answers: Answers) -> bool:
        value = answers.get(self.question)
        return isinstance(value, float) and self.minimum <= value <= self.maximum

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        return (Reason(question=self.question),) if self.holds(answers) else ()

    def describe(self, labels: Labels) -> str:
        low, high = number_text(self.minimum), number_text(self.maximum)
        return _measured("condition.between", labels, self.question, minimum=low, maximum=high)

    def question_ids(self) -> frozenset[str]:
        return frozenset({self.question})

    def option_refs(self) -> Iterator[tuple[str, str]]:
        return iter(())

    def to_json(self) -> dict[str, Any]:
        return {"between": {"question": self.question, "minimum": self.minimum, "maximum": self.maximum}}

    def fhirpath(self, paths: FhirPaths) -> str:
        test = f"$this >= {self.minimum} and $this <= {self.maximum}"
        return f"{paths.numbers(self.question)}.where({test}).exists()"

    def thresholds(self, question_id: str) -> tuple[float, ...]:
        return (self.minimum, self.maximum) if question_id == self.question else ()

    def shapes(self) -> Iterator[tuple[str, Shape]]:
        yield (self.question, "number")


@dataclass(frozen=True, slots=True)
class Above:
    """A number answer is strictly greater than ``threshold``."""

    question: str
    threshold: float

    def holds(self, answers: Answers) -> bool:
        value = answers.get(self.question)
        return isinstance(value, float) and value > self.threshold

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        return (Reason(question=self.question),) if self.holds(answers) else ()

    def describe(self, labels: Labels) -> str:
        return _measured("condition.above", labels, self.question, threshold=number_text(self.threshold))

    def question_ids(self) -> frozenset[str]:
        return frozenset({self.question})

    def option_refs(self) -> Iterator[tuple[str, str]]:
        return iter(())

    def to_json(self) -> dict[str, Any]:
        return {"above": {"question": self.question, "threshold": self.threshold}}

    def fhirpath(self, paths: FhirPaths) -> str:
        return f"{paths.numbers(self.question)}.where($this > {self.threshold}).exists()"

    def thresholds(self, question_id: str) -> tuple[float, ...]:
        return (self.threshold,) if question_id == self.question else ()

    def shapes(self) -> Iterator[tuple[str, Shape]]:
        yield (self.question, "number")


@dataclass(frozen=True, slots=True)
class Below:
    """A number answer is strictly less than ``threshold``."""

    question: str
    threshold: float

    def holds(self, answers: Answers) -> bool:
        value = answers.get(self.question)
        return isinstance(value, float) and value < self.threshold

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        return (Reason(question=self.question),) if self.holds(answers) else ()

    def describe(self, labels: Labels) -> str:
        return _measured("condition.below", labels, self.question, threshold=number_text(self.threshold))

    def question_ids(self) -> frozenset[str]:
        return frozenset({self.question})

    def option_refs(self) -> Iterator[tuple[str, str]]:
        return iter(())

    def to_json(self) -> dict[str, Any]:
        return {"below": {"question": self.question, "threshold": self.threshold}}

    def fhirpath(self, paths: FhirPaths) -> str:
        return f"{paths.numbers(self.question)}.where($this < {self.threshold}).exists()"

    def thresholds(self, question_id: str) -> tuple[float, ...]:
        return (self.threshold,) if question_id == self.question else ()

    def shapes(self) -> Iterator[tuple[str, Shape]]:
        yield (self.question, "number")


@dataclass(frozen=True, slots=True)
class AtLeast:
    """A number answer is greater than or equal to ``threshold``."""

    question: str
    threshold: float

    def holds(self, answers: Answers) -> bool:
        value = answers.get(self.question)
        return isinstance(value, float) and value >= self.threshold

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        return (Reason(question=self.question),) if self.holds(answers) else ()

    def describe(self, labels: Labels) -> str:
        return _measured("condition.at_least", labels, self.question, threshold=number_text(self.threshold))

    def question_ids(self) -> frozenset[str]:
        return frozenset({self.question})

    def option_refs(self) -> Iterator[tuple[str, str]]:
        return iter(())

    def to_json(self) -> dict[str, Any]:
        return {"at_least": {"question": self.question, "threshold": self.threshold}}

    def fhirpath(self, paths: FhirPaths) -> str:
        return f"{paths.numbers(self.question)}.where($this >= {self.threshold}).exists()"

    def thresholds(self, question_id: str) -> tuple[float, ...]:
        return (self.threshold,) if question_id == self.question else ()

    def shapes(self) -> Iterator[tuple[str, Shape]]:
        yield (self.question, "number")


@dataclass(frozen=True, slots=True)
class Exceeds:
    """Two number answers are both given and the first is greater than the second.

    Used by cross-field constraints (``calculator.model.Constraint``), e.g. "weeks since
    the AI was stopped" must not exceed "weeks since it was started".
    """

    question: str
    other: str

    def holds(self, answers: Answers) -> bool:
        value, other = answers.get(self.question), answers.get(self.other)
        return isinstance(value, float) and isinstance(other, float) and value > other

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        if not self.holds(answers):
            return ()
        return (Reason(question=self.question), Reason(question=self.other))

    def describe(self, labels: Labels) -> str:
        question, other = labels.question_label(self.question), labels.question_label(self.other)
        return t("condition.exceeds", question=question, other=other)

    def question_ids(self) -> frozenset[str]:
        return frozenset({self.question, self.other})

    def option_refs(self) -> Iterator[tuple[str, str]]:
        return iter(())

    def to_json(self) -> dict[str, Any]:
        return {"exceeds": {"question": self.question, "other": self.other}}

    def fhirpath(self, paths: FhirPaths) -> str:
        first, second = paths.numbers(self.question), paths.numbers(self.other)
        return f"({first}.exists() and {second}.exists() and {first}.first() > {second}.first())"

    def thresholds(self, question_id: str) -> tuple[float, ...]:
        return ()

    def shapes(self) -> Iterator[tuple[str, Shape]]:
        yield (self.question, "number")
        yield (self.other, "number")


@dataclass(frozen=True, slots=True)
class SumExceeds:
    """The number answers ``parts`` are all given and add up to more than the answer ``other``.

    Used by cross-field constraints, e.g. weeks from starting the AI to the symptoms plus weeks
    since stopping it must not exceed the weeks since it was started.
    """

    parts: tuple[str, ...]
    other: str

    def holds(self, answers: Answers) -> bool:
        values = [answers.get(part) for part in self.parts]
        other = answers.get(self.other)
        if not isinstance(other, float) or not all(isinstance(v, float) for v in values):
            return False
        return sum(v for v in values if isinstance(v, float)) > other

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        if not self.holds(answers):
            return ()
        return (*(Reason(question=part) for part in self.parts), Reason(question=self.other))

    def describe(self, labels: Labels) -> str:
        summed = _joined("condition.plus", (labels.question_label(part) for part in self.parts))
        return t("condition.exceeds", question=summed, other=labels.question_label(self.other))

    def question_ids(self) -> frozenset[str]:
        return frozenset({*self.parts, self.other})

    def option_refs(self) -> Iterator[tuple[str, str]]:
        return iter(())

    def to_json(self) -> dict[str, Any]:
        return {"sum_exceeds": {"questions": list(self.parts), "other": self.other}}

    def fhirpath(self, paths: FhirPaths) -> str:
        parts = [paths.numbers(part) for part in self.parts]
        given = " and ".join(f"{path}.exists()" for path in [*parts, paths.numbers(self.other)])
        total = " + ".join(f"{path}.first()" for path in parts)
        return f"({given} and ({total}) > {paths.numbers(self.other)}.first())"

    def thresholds(self, question_id: str) -> tuple[float, ...]:
        return ()

    def shapes(self) -> Iterator[tuple[str, Shape]]:
        for part in (*self.parts, self.other):
            yield (part, "number")


@dataclass(frozen=True, slots=True)
class DifferenceBelow:
    """Two number answers are both given and the first minus the second is less than ``threshold``.

    Compares two answers in the same unit (``Guideline.check`` refuses two units, or a question
    compared with itself): e.g. weeks since the AI was started minus weeks since it was stopped
    less than 1 week, "the AI was stopped within a week of starting it". With a threshold of a
    step finer than the answers are given in, it reads as "the two answers are equal".
    """

    question: str
    other: str
    threshold: float

    def holds(self, answers: Answers) -> bool:
        value, other = answers.get(self.question), answers.get(self.other)
        return isinstance(value, float) and isinstance(other, float) and value - other < self.threshold

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        if not self.holds(answers):
            return ()
        return (Reason(question=self.question), Reason(question=self.other))

    def describe(self, labels: Labels) -> str:
        unit = labels.unit(self.question)
        text = t(
            "condition.difference_below",
            question=labels.question_label(self.question),
            other=labels.question_label(self.other),
            threshold=number_text(self.threshold),
            unit=unit,
        )
        return text if unit else text.replace("  ", " ").rstrip()

    def question_ids(self) -> frozenset[str]:
        return frozenset({self.question, self.other})

    def option_refs(self) -> Iterator[tuple[str, str]]:
        return iter(())

    def to_json(self) -> dict[str, Any]:
        return {"difference_below": {"question": self.question, "other": self.other, "threshold": self.threshold}}

    def fhirpath(self, paths: FhirPaths) -> str:
        first, second = paths.numbers(self.question), paths.numbers(self.other)
        return f"({first}.exists() and {second}.exists() and ({first}.first() - {second}.first()) < {self.threshold})"

    def thresholds(self, question_id: str) -> tuple[float, ...]:
        return ()

    def shapes(self) -> Iterator[tuple[str, Shape]]:
        yield (self.question, "number")
        yield (self.other, "number")


def _any_code(paths: FhirPaths, question: str, options: tuple[str, ...]) -> str:
    test = " or ".join(f"$this = '{option}'" for option in options)
    return f"{paths.codes(question)}.where({test}).exists()"


def _joined(key: str, texts: Iterable[str]) -> str:
    """``texts`` joined two at a time by the catalogue's ``key`` (``{first} or {second}``), so a
    language writes its own "or", "and", "plus"; empty when there are none."""
    joined: str | None = None
    for text in texts:
        joined = text if joined is None else t(key, first=joined, second=text)
    return joined or ""


def _options(labels: Labels, question: str, options: tuple[str, ...]) -> str:
    """The options' labels, as alternatives ("A or B")."""
    return _joined("condition.options", (labels.option_label(question, option) for option in options))


def _measured(key: str, labels: Labels, question: str, **numbers: str) -> str:
    """A comparison of a number answer in the catalogue's words, with the question's unit; a
    question without a unit leaves no gap where the unit would be."""
    unit = labels.unit(question)
    text = t(key, question=labels.question_label(question), unit=unit, **numbers)
    return text if unit else text.replace("  ", " ").rstrip()


def _dedupe(reasons: Iterator[Reason]) -> tuple[Reason, ...]:
    return tuple(dict.fromkeys(reasons))


@dataclass(frozen=True, slots=True)
class AllOf:
    """Every part holds; the reasons are those of every part."""

    parts: tuple[Condition, ...]

    def holds(self, answers: Answers) -> bool:
        return all(part.holds(answers) for part in self.parts)

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        if not self.holds(answers):
            return ()
        return _dedupe(r for part in self.parts for r in part.reasons(answers))

    def describe(self, labels: Labels) -> str:
        return _joined("condition.all_of", (_grouped(part, labels) for part in self.parts))

    def question_ids(self) -> frozenset[str]:
        return frozenset().union(*(part.question_ids() for part in self.parts))

    def option_refs(self) -> Iterator[tuple[str, str]]:
        for part in self.parts:
            yield from part.option_refs()

    def to_json(self) -> dict[str, Any]:
        return {"all_of": [part.to_json() for part in self.parts]}

    def fhirpath(self, paths: FhirPaths) -> str:
        return "(" + " and ".join(f"({part.fhirpath(paths)})" for part in self.parts) + ")"

    def thresholds(self, question_id: str) -> tuple[float, ...]:
        return tuple(t for part in self.parts for t in part.thresholds(question_id))

    def shapes(self) -> Iterator[tuple[str, Shape]]:
        for part in self.parts:
            yield from part.shapes()


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one part holds; the reasons are those of every part that holds."""

    parts: tuple[Condition, ...]

    def holds(self, answers: Answers) -> bool:
        return any(part.holds(answers) for part in self.parts)

    def reasons(self, answers: Answers) -> tuple[Reason, ...]:
        return _dedupe(r for part in self.parts for r in part.reasons(answers))

    def describe(self, labels: Labels) -> str:
        return _joined("condition.any_of", (_grouped(part, labels) for part in self.parts))

    def question_ids(self) -> frozenset[str]:
        return frozenset().union(*(part.question_ids() for part in self.parts))

    def option_refs(self) -> Iterator[tuple[str, str]]:
        for part in self.parts:
            yield from part.option_refs()

    def to_json(self) -> dict[str, Any]:
        return {"any_of": [part.to_json() for part in self.parts]}

    def fhirpath(self, paths: FhirPaths) -> str:
        return "(" + " or ".join(f"({part.fhirpath(paths)})" for part in self.parts) + ")"

    def thresholds(self, question_id: str) -> tuple[float, ...]:
        return tuple(t for part in self.parts for t in part.thresholds(question_id))

    def shapes(self) -> Iterator[tuple[str, Shape]]:
        for part in self.parts:
            yield from part.shapes()


def _grouped(part: Condition, labels: Labels) -> str:
    text = part.describe(labels)
    return f"({text})" if isinstance(part, AllOf | AnyOf) else text


def all_of(*parts: Condition) -> AllOf:
    return AllOf(parts)


def any_of(*parts: Condition) -> AnyOf:
    return AnyOf(parts)


CONDITION_KINDS: tuple[type, ...] = (
    Always,
    Is,
    IsAnyOf,
    IncludesAny,
    IncludesNone,
    Between,
    Above,
    Below,
    AtLeast,
    Exceeds,
    SumExceeds,
    DifferenceBelow,
    AllOf,
    AnyOf,
)
"""Every kind of condition: each holds, gives its reasons, describes itself and exports itself
(JSON, FHIRPath). A guideline may use no other (``Guideline.check`` says where one does)."""


def foreign_conditions(condition: Condition) -> Iterator[str]:
    """The type names of any part of ``condition`` that is not one of ``CONDITION_KINDS``."""
    if not isinstance(condition, CONDITION_KINDS):
        yield type(condition).__name__
    elif isinstance(condition, AllOf | AnyOf):
        for part in condition.parts:
            yield from foreign_conditions(part)


COMPARISONS: tuple[type, ...] = (Exceeds, SumExceeds, DifferenceBelow)
"""Kinds of condition that compare number answers with each other (not with a threshold)."""


def compared_answers(condition: Condition) -> Iterator[tuple[str, ...]]:
    """For each part of ``condition`` that compares answers with each other, the questions it
    compares (first the ones on the left): ``Guideline.check`` requires one unit among them."""
    if isinstance(condition, AllOf | AnyOf):
        for part in condition.parts:
            yield from compared_answers(part)
    elif isinstance(condition, Exceeds | DifferenceBelow):
        yield (condition.question, condition.other)
    elif isinstance(condition, SumExceeds):
        yield (*condition.parts, condition.other)
