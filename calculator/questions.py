"""Questions and what they cite: the values question kinds read, below the kinds and the model.

A guideline module imports these from ``calculator.model`` (which re-exports them) or from here.
They sit apart from the rest of the model because the kinds (``calculator.kinds``) describe,
parse and generate answers to a ``Question`` and the model asks the kinds to check one: with
the questions here, the words and conditions below them and the guideline above, every module
imports only downwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from calculator.conditions import ALWAYS, Condition


@dataclass(frozen=True, kw_only=True, slots=True)
class Source:
    """Where an entry comes from: a marked sentence of the guideline page and its citations.

    ``anchor`` is the ``id`` of a ``<span class="rec">`` in the guideline's Markdown;
    ``citations`` are the guideline's own numbered citation markers, as printed there.
    """

    anchor: str
    citations: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Option:
    id: str
    label: str
    help: str = ""
    help_source: Source | None = None
    """The guideline sentence the help text restates, if it restates one."""
    no_rule: str = ""
    """Why no rule reads this option, for an answer that deliberately changes nothing.
    Every option of a choice question must be read by a condition or say why here."""


YES = "yes"
NO = "no"


@dataclass(frozen=True, kw_only=True, slots=True)
class Question:
    """One question of the assessment.

    ``applies_when`` may only read questions that come earlier in the guideline, so
    applicability is decided in one pass in question order. ``help_source`` names the
    guideline sentence the help text restates, so that the form can link to it.
    """

    id: str
    kind: str
    """A kind's name (``calculator.kinds``: ``yes_no``, ``single_choice``, ``multiple_choice``,
    ``number``, …); each kind's module has the constructor authors use (``kinds.number.number``)."""
    label: str
    help: str = ""
    help_source: Source | None = None
    options: tuple[Option, ...] = ()
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    applies_when: Condition = ALWAYS

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True, kw_only=True, slots=True)
class Constraint:
    """A cross-field rule: answers that cannot all be true together.

    When ``violated_when`` holds, every question in ``fields`` gets ``message`` (which
    should name the other fields, since it is shown beside each of them) and no result
    is given until the clinician corrects one of them. Violated constraints are reported in
    the order the guideline lists them: list a root cause before those that follow from it.
    """

    id: str
    fields: tuple[str, ...]
    violated_when: Condition
    message: str


class GuidelineView(Protocol):
    """What a question kind may read of the guideline its question is in (``calculator.model.Guideline``
    is the one there is): its id, its cross-field constraints and every condition it holds."""

    @property
    def id(self) -> str: ...

    @property
    def constraints(self) -> tuple[Constraint, ...]: ...

    def conditions(self) -> Iterator[Condition]: ...
