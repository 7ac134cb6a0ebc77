"""Generate complete, valid answer sets for a guideline, and find examples for every rule.

Used by the site build (each row of the decision table links to an example answer
set that triggers it; a rule no example reaches is reported), by the property and
parity tests (which feed it a seeded or Hypothesis-controlled ``random.Random``; each
question's kind chooses its answer, ``QuestionKind.example``),
and by the authoring checks (a question that never applies). Nothing here knows any
particular guideline: it walks the same tables as ``calculator.engine``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from calculator.conditions import AnswerValue
from calculator.engine import applicable_questions, assess, constraint_errors
from calculator.kinds import kind_of
from calculator.model import Guideline, Problem


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
            raw[question.id], values[question.id] = kind_of(question).example(guideline, question, values, rng)
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
