"""Choice questions: yes/no, one of several options, or any of several options.

Answers are option ids: ``"yes"``, ``"focal"``, or a non-empty list of distinct ids
(``["arthralgia", "tendinopathy"]``). In FHIR, a ``choice`` item with the options as codings.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from calculator.conditions import ALWAYS, AnswerValue, Condition
from calculator.formatting import show_value
from calculator.kinds import QuestionKind, Shape, SourceJson, option_system, register
from calculator.questions import NO, YES, GuidelineView, Option, Question, Source
from calculator.text import t


class _Choice(QuestionKind):
    fhir_value: ClassVar[str] = "valueCoding.code"
    texts: ClassVar[dict[str, dict[str, str | dict[str, str]]]] = {
        "en": {
            "kinds.choice.one": "one of: {options}",
            "kinds.choice.many": "one or more of: {options}",
            "kinds.no_rule": "changes nothing; {reason}",
            "kinds.choice.not_an_option": "{value} is not one of the options ({allowed})",
            "kinds.choice.not_a_list": "must be a list of options (any of {allowed})",
            "kinds.choice.none_chosen": "choose at least one option",
            "kinds.choice.twice": "{value} is chosen twice",
            "kinds.yes_no.yes": "Yes",
            "kinds.yes_no.no": "No",
        },
        "fr": {
            "kinds.choice.one": "une option parmi\u00a0: {options}",
            "kinds.choice.many": "une ou plusieurs options parmi\u00a0: {options}",
            "kinds.no_rule": "ne change rien\u00a0; {reason}",
            "kinds.choice.not_an_option": "{value} ne fait pas partie des options ({allowed})",
            "kinds.choice.not_a_list": "doit être une liste d’options (parmi {allowed})",
            "kinds.choice.none_chosen": "choisissez au moins une option",
            "kinds.choice.twice": "{value} est choisi deux fois",
            "kinds.yes_no.yes": "Oui",
            "kinds.yes_no.no": "Non",
        },
    }

    def problems(self, question: Question) -> Iterator[str]:
        if len(question.options) < 2:
            yield "a choice question needs at least two options"

    def _allowed(self, question: Question) -> str:
        return ", ".join(f'"{o.id}"' for o in question.options)

    def display(self, question: Question, value: AnswerValue) -> str:
        if isinstance(value, frozenset):
            return ", ".join(o.label for o in question.options if o.id in value)
        option = question.option(str(value))
        return option.label if option else str(value)

    def accepts(self, question: Question, source_json: SourceJson) -> dict[str, Any]:
        return {
            "options": [
                {
                    "id": o.id,
                    "label": o.label,
                    "help": o.help,
                    "help_source": source_json(o.help_source),
                    "no_rule": o.no_rule,
                }
                for o in question.options
            ]
        }

    def accepts_in_words(self, question: Question) -> str:
        def described(option: Option) -> str:
            why = f": {t('kinds.no_rule', reason=option.no_rule)}" if option.no_rule else ""
            return f"{option.label} ({option.id}{why})"

        key = "kinds.choice.many" if self.shape == "many" else "kinds.choice.one"
        return t(key, options=", ".join(described(o) for o in question.options))

    def fhir_item(self, guideline: GuidelineView, question: Question) -> dict[str, Any]:
        system = option_system(guideline, question)
        item: dict[str, Any] = {"type": "choice"}
        if self.shape == "many":
            item["repeats"] = True
        item["answerOption"] = [
            {"valueCoding": {"system": system, "code": o.id, "display": o.label}} for o in question.options
        ]
        return item

    def fhir_answer(self, guideline: GuidelineView, question: Question, value: Any) -> list[dict[str, Any]]:
        system = option_system(guideline, question)
        codes = set(value) if isinstance(value, list | tuple | frozenset | set) else {value}
        return [
            {"valueCoding": {"system": system, "code": o.id, "display": o.label}}
            for o in question.options
            if o.id in codes
        ]


class SingleChoice(_Choice):
    name: ClassVar[str] = "single_choice"
    shape: ClassVar[Shape] = "one"
    options_must_be_read: ClassVar[bool] = True

    def parse(self, question: Question, value: object) -> AnswerValue:
        if not isinstance(value, str) or question.option(value) is None:
            raise ValueError(t("kinds.choice.not_an_option", value=show_value(value), allowed=self._allowed(question)))
        return value

    def example(
        self, guideline: GuidelineView, question: Question, values: Mapping[str, AnswerValue], rng: random.Random
    ) -> tuple[Any, AnswerValue]:
        option = rng.choice(question.options).id
        return option, option


class YesNo(SingleChoice):
    name: ClassVar[str] = "yes_no"
    options_must_be_read: ClassVar[bool] = False


class MultipleChoice(_Choice):
    name: ClassVar[str] = "multiple_choice"
    shape: ClassVar[Shape] = "many"
    options_must_be_read: ClassVar[bool] = True

    def parse(self, question: Question, value: object) -> AnswerValue:
        allowed = self._allowed(question)
        if not isinstance(value, list | tuple):
            raise ValueError(t("kinds.choice.not_a_list", allowed=allowed))
        if not value:
            raise ValueError(t("kinds.choice.none_chosen"))
        chosen: list[str] = []
        for item in value:
            if not isinstance(item, str) or question.option(item) is None:
                raise ValueError(t("kinds.choice.not_an_option", value=show_value(item), allowed=allowed))
            if item in chosen:
                raise ValueError(t("kinds.choice.twice", value=show_value(item)))
            chosen.append(item)
        return frozenset(chosen)

    def example(
        self, guideline: GuidelineView, question: Question, values: Mapping[str, AnswerValue], rng: random.Random
    ) -> tuple[Any, AnswerValue]:
        chosen = [o.id for o in question.options if rng.random() < 0.4] or [rng.choice(question.options).id]
        return chosen, frozenset(chosen)


register(SingleChoice())
register(YesNo())
register(MultipleChoice())


def yes_no(
    *,
    id: str,
    label: str,
    help: str = "",
    help_source: Source | None = None,
    applies_when: Condition = ALWAYS,
) -> Question:
    """A question answered yes or no. Its options are labelled in the site's language (the
    catalogue's ``kinds.yes_no.*``) as the guideline is loaded: the build and the worker choose
    the language first."""
    return Question(
        id=id,
        kind=YesNo.name,
        label=label,
        help=help,
        help_source=help_source,
        options=(Option(id=YES, label=t("kinds.yes_no.yes")), Option(id=NO, label=t("kinds.yes_no.no"))),
        applies_when=applies_when,
    )


def single_choice(
    *,
    id: str,
    label: str,
    options: tuple[Option, ...],
    help: str = "",
    help_source: Source | None = None,
    applies_when: Condition = ALWAYS,
) -> Question:
    return Question(
        id=id,
        kind=SingleChoice.name,
        label=label,
        help=help,
        help_source=help_source,
        options=options,
        applies_when=applies_when,
    )


def multiple_choice(
    *,
    id: str,
    label: str,
    options: tuple[Option, ...],
    help: str = "",
    help_source: Source | None = None,
    applies_when: Condition = ALWAYS,
) -> Question:
    return Question(
        id=id,
        kind=MultipleChoice.name,
        label=label,
        help=help,
        help_source=help_source,
        options=options,
        applies_when=applies_when,
    )
