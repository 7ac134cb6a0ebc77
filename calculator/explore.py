"""Generate complete, valid answer sets for a guideline, and find examples for every rule.

Used by the site build (each row of the decision table links to an example answer
set that triggers it; a rule no example reaches is reported), by the property and
parity tests (which feed it a seeded or Hypothesis-controlled ``random.Random``),
and by the authoring checks (a question that never applies). Nothing here knows any
particular guideline: it walks the same tables as ``calculator.engine``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from calculator.conditions import (
    Above,
    AllOf,
    AnswerValue,
    AnyOf,
    AtLeast,
    Below,
    Between,
    Condition,
    Exceeds,
)
from calculator.engine import applicable_questions, assess, constraint_errors
from calculator.formatting import number_text
from calculator.model import Guideline, Problem, Question

NUMBER_STEP = 0.1
"""Numbers are generated on either side of every threshold, this far from it."""


def _conditions(guideline: Guideline) -> Iterator[Condition]:
    for question in guideline.questions:
        yield question.applies_when
    for classification in guideline.classifications:
        for category in classification.categories:
            yield category.when
    for entry in guideline.entries():
        yield entry.when
    for constraint in guideline.constraints:
        yield constraint.violated_when


def _leaves(condition: Condition) -> Iterator[Condition]:
    if isinstance(condition, AllOf | AnyOf):
        for part in condition.parts:
            yield from _leaves(part)
    else:
        yield condition


def interesting_numbers(guideline: Guideline, question: Question) -> list[float]:
    """The range's ends and every threshold any condition compares ``question`` with, +/- a step."""
    low, high = question.minimum or 0.0, question.maximum or 0.0
    points = {float(low), float(high)}
    for condition in _conditions(guideline):
        for leaf in _leaves(condition):
            if isinstance(leaf, Above | Below | AtLeast) and leaf.question == question.id:
                thresholds: tuple[float, ...] = (leaf.threshold,)
            elif isinstance(leaf, Between) and leaf.question == question.id:
                thresholds = (leaf.minimum, leaf.maximum)
            else:
                continue
            for threshold in thresholds:
                points.update(round(threshold + delta, 6) for delta in (-NUMBER_STEP, 0.0, NUMBER_STEP))
    return sorted(p for p in points if low <= p <= high)


def _number_bounds(guideline: Guideline, question: Question, values: dict[str, AnswerValue]) -> tuple[float, float]:
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


def _choose(guideline: Guideline, question: Question, values: dict[str, AnswerValue], rng: random.Random) -> Any:
    """One raw (wire-format) answer and its parsed value."""
    if question.kind == "number":
        low, high = _number_bounds(guideline, question, values)
        points = [p for p in interesting_numbers(guideline, question) if low <= p <= high]
        if points and rng.random() < 0.7:
            number = rng.choice(points)
        else:
            number = round(rng.uniform(low, high), 1)
            number = min(max(number, low), high)
        raw: Any = number_text(number) if rng.random() < 0.3 else number
        return raw, float(number)
    if question.kind == "multiple_choice":
        chosen = [o.id for o in question.options if rng.random() < 0.4] or [rng.choice(question.options).id]
        return chosen, frozenset(chosen)
    option = rng.choice(question.options).id
    return option, option


def random_answers(guideline: Guideline, rng: random.Random, *, attempts: int = 50) -> dict[str, Any]:
    """A complete, valid answer set (raw, as JSON would carry it) that ``assess`` accepts.

    Questions are answered in order, only when they apply; numbers respect the
    guideline's cross-field constraints.
    """
    for _ in range(attempts):
        raw: dict[str, Any] = {}
        values: dict[str, AnswerValue] = {}
        for question in guideline.questions:
            if not question.applies_when.holds(values):
                continue
            raw[question.id], values[question.id] = _choose(guideline, question, values, rng)
        _, used = applicable_questions(guideline, values)
        if not constraint_errors(guideline, used):
            return raw
    raise ValueError(f"no valid answer set found in {attempts} attempts: are the constraints satisfiable?")


def rule_ids(guideline: Guideline) -> list[str]:
    """Every rule a result can show: ``<classification>.<category>`` and entry ids."""
    ids = [f"{c.id}.{category.id}" for c in guideline.classifications for category in c.categories]
    return ids + [entry.id for entry in guideline.entries()]


def rules_shown(result: dict[str, Any]) -> set[str]:
    """The rule ids a result shows (in the vocabulary of ``rule_ids``)."""
    shown = {f"{c['id']}.{c['category']['id']}" for c in result["classifications"]}
    shown.update(item["id"] for item in result["findings"])
    shown.update(item["id"] for section in result["sections"] for item in section["items"])
    return shown


@dataclass(kw_only=True)
class Exploration:
    """What a seeded run of ``random_answers`` reached."""

    samples: int
    examples: dict[str, dict[str, Any]] = field(default_factory=dict)
    """A first answer set that shows each rule, by rule id."""
    applied: set[str] = field(default_factory=set)
    """Questions that applied in at least one answer set."""
    unreached: list[str] = field(default_factory=list)
    """Rule ids no answer set showed, in catalogue order."""


def explore(guideline: Guideline, *, samples: int = 4000, seed: int = 20261125) -> Exploration:
    """Evaluate ``samples`` seeded answer sets; stop early once every rule has an example."""
    rng = random.Random(seed)
    every_rule = rule_ids(guideline)
    exploration = Exploration(samples=0)
    for _ in range(samples):
        answers = random_answers(guideline, rng)
        exploration.samples += 1
        exploration.applied.update(answers)
        for rule in rules_shown(assess(guideline, answers)):
            exploration.examples.setdefault(rule, answers)
        if len(exploration.examples) == len(every_rule) and len(exploration.applied) == len(guideline.questions):
            break
    exploration.unreached = [rule for rule in every_rule if rule not in exploration.examples]
    return exploration


def reachability_problems(guideline: Guideline, exploration: Exploration) -> list[Problem]:
    """Rules no generated answer set shows, and questions that never apply: authoring mistakes."""
    problems = [
        Problem(
            message=(
                f"rule {rule!r} is shown for no answer set ({exploration.samples} tried): its condition can "
                "never hold given when the questions it reads apply; correct the condition or remove the rule"
            ),
            at=tuple(rule.split(".")),
        )
        for rule in exploration.unreached
    ]
    problems += [
        Problem(
            message=(
                f"question {question.id!r} applies to no answer set ({exploration.samples} tried): its "
                "applies_when can never hold; correct it"
            ),
            at=(question.id,),
        )
        for question in guideline.questions
        if question.id not in exploration.applied
    ]
    return problems
