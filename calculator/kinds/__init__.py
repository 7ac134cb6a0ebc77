"""Question kinds: each in one module of this package, declaring everything about it.

A kind says how its answer is written by an author (its constructor function), checked
(authoring problems), parsed from untrusted input, displayed, written as JSON, described in
the schema and the decision table, generated for tests and rule examples, exported to FHIR,
and which template partial renders it in the form (``theme/partials/kinds/<name>.html``).
The machinery asks the kind; nothing else names one. A new kind is a new module here and its
partial: every module of this package that subclasses ``QuestionKind`` registers itself.

Parsed answers come in three shapes (``Shape``): ``one`` option id, ``many`` option ids (a
frozenset; a list in JSON, in the URL fragment and in the form), or a ``number`` (a float).
Conditions read shapes, not kinds, so a new kind of number works with every numeric condition.
"""

from __future__ import annotations

import importlib
import pkgutil
import random
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar, TypeAlias

from calculator.conditions import AnswerValue, Shape
from calculator.questions import GuidelineView, Question, Source

__all__ = [
    "QuestionKind",
    "Shape",
    "SourceJson",
    "canonical",
    "kind_of",
    "kinds",
    "option_system",
    "register",
    "words",
]
SourceJson: TypeAlias = Callable[[Source | None], dict[str, Any] | None]


class QuestionKind:
    """One kind of question. Subclasses set ``name``, ``shape`` and ``partial`` and write the
    methods; ``register`` makes the kind known under its name."""

    name: ClassVar[str]
    shape: ClassVar[Shape]
    options_must_be_read: ClassVar[bool] = False
    """Every option must be read by some rule, or say why not (``Option.no_rule``)."""
    texts: ClassVar[dict[str, dict[str, str | dict[str, str]]]] = {}
    """The kind's words by language (``words`` gives them to each catalogue of ``calculator.text``)."""

    @property
    def partial(self) -> str:
        """The form's template for a question of this kind (``theme/partials/kinds/``)."""
        return f"partials/kinds/{self.name}.html"

    def problems(self, question: Question) -> Iterator[str]:
        """Authoring mistakes in a question of this kind (without the 'question x: ' prefix)."""
        yield from ()

    def parse(self, question: Question, value: object) -> AnswerValue:
        """The typed answer; raise ``ValueError`` with a message for the clinician."""
        raise NotImplementedError

    def display(self, question: Question, value: AnswerValue) -> str:
        """The answer as a clinician reads it."""
        raise NotImplementedError

    def json_value(self, value: AnswerValue) -> Any:
        """The parsed answer as JSON (a result's ``answers[].value``)."""
        return sorted(value) if isinstance(value, frozenset) else value

    def accepts(self, question: Question, source_json: SourceJson) -> dict[str, Any]:
        """What the question accepts, for the schema and the decision logic export."""
        raise NotImplementedError

    def accepts_in_words(self, question: Question) -> str:
        """The same in words, for the decision table."""
        raise NotImplementedError

    def example(
        self, guideline: GuidelineView, question: Question, values: Mapping[str, AnswerValue], rng: random.Random
    ) -> tuple[Any, AnswerValue]:
        """A random valid answer (raw, as JSON carries it) and its parsed value, for generated
        answer sets; ``values`` are the answers chosen so far (numbers respect constraints)."""
        raise NotImplementedError

    def fhir_item(self, guideline: GuidelineView, question: Question) -> dict[str, Any]:
        """The Questionnaire item's fields for this kind (``type`` and what goes with it)."""
        raise NotImplementedError

    def fhir_answer(self, guideline: GuidelineView, question: Question, value: Any) -> list[dict[str, Any]]:
        """The QuestionnaireResponse answers for a (parsed or raw) answer."""
        raise NotImplementedError

    fhir_value: ClassVar[str]
    """Where a QuestionnaireResponse answer holds the value: ``valueCoding.code``, ``valueDecimal``…"""


def canonical(guideline: GuidelineView, kind: str) -> str:
    """Canonical URLs as URNs: the site has no fixed address (it may live on any intranet).

    Defined here, below ``calculator.fhir``, because a choice kind codes its options with them."""
    return f"urn:guideline:{guideline.id}:{kind}"


def option_system(guideline: GuidelineView, question: Question) -> str:
    """The FHIR code system of a choice question's options."""
    return f"{canonical(guideline, 'options')}:{question.id}"


_KINDS: dict[str, QuestionKind] = {}
_DISCOVERED: list[bool] = []


def register(kind: QuestionKind) -> QuestionKind:
    """Make ``kind`` known under its name (each kind's module calls this once)."""
    _KINDS[kind.name] = kind
    return kind


def _discover() -> None:
    """Import every module of the package once (a guideline may have imported one already)."""
    if not _DISCOVERED:
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        _DISCOVERED.append(True)


def kinds() -> dict[str, QuestionKind]:
    """Every kind, by name."""
    _discover()
    return dict(_KINDS)


def kind_of(question: Question) -> QuestionKind:
    """The kind of ``question``; ``KeyError`` for a name no module registers (``Guideline.check``
    reports that as an authoring mistake first)."""
    _discover()
    return _KINDS[question.kind]


def words(language: str) -> dict[str, str | dict[str, str]]:
    """The words each question kind brings (``QuestionKind.texts``), in ``language`` where given.

    ``calculator`` hands this to ``calculator.text.bring_words`` when it is imported, so every
    catalogue has them and the words' module, below the kinds, imports none of them."""
    texts: dict[str, str | dict[str, str]] = {}
    for kind in kinds().values():
        texts.update(kind.texts.get(language, {}))
    return texts
