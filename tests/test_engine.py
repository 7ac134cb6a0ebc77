"""The engine's contract: result format, authoring guarantees, immutable domain values."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from aimss_cases import DIFFUSE_MILD, FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS

import calculator.answers as answers_module
import calculator.conditions as conditions
import calculator.model as model
from calculator.conditions import ALWAYS, Is
from calculator.engine import assess, display_answer
from calculator.kinds.choice import single_choice
from calculator.kinds.number import number
from calculator.loader import load_guideline_source
from calculator.model import (
    Category,
    Classification,
    Entry,
    Guideline,
    GuidelineDefinitionError,
    GuidelineInfo,
    Option,
    Section,
    Source,
    Step,
)

ITEM_KEYS = {"id", "text", "short", "why", "source"}
SOURCE_KEYS = {"anchor", "citations", "cited_as", "quote"}


def test_result_has_the_documented_shape(aimss: Guideline) -> None:
    result = assess(aimss, FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS)
    assert set(result) == {
        "format",
        "guideline",
        "calculator_version",
        "answers",
        "classifications",
        "findings",
        "sections",
    }
    assert result["format"] == "guideline-result/1"
    assert set(result["guideline"]) == {"id", "title", "content_version", "review_date", "review_due", "intended_use"}
    assert result["guideline"]["title"] == aimss.info.title
    for answer in result["answers"]:
        assert set(answer) == {"question", "label", "value", "display"}
    for classification in result["classifications"]:
        assert set(classification) == {"id", "label", "category"}
        category = classification["category"]
        assert set(category) - {"convention"} == {"id", "label", "text", "why", "source"}
        assert category.get("convention", "x") != ""  # given only where a convention holds
    items = [*result["findings"], *(i for s in result["sections"] for i in s["items"])]
    for item in items:
        assert set(item) - {"convention"} == ITEM_KEYS and set(item["source"]) == SOURCE_KEYS
        for reason in item["why"]:
            assert set(reason) == {"question", "label", "answer"}
            assert reason["label"] == aimss.question(reason["question"]).label
    for section in result["sections"]:
        assert set(section) == {"id", "title", "items"}
        assert section["title"] == next(s.title for s in aimss.sections if s.id == section["id"])


def test_answers_are_listed_in_question_order_with_display_text(aimss: Guideline) -> None:
    result = assess(aimss, FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS)
    shown = {a["question"]: (a["value"], a["display"]) for a in result["answers"]}
    assert [a["question"] for a in result["answers"]] == [
        q.id for q in aimss.questions if q.id in FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS
    ]
    assert shown["symptoms"] == (["arthralgia", "tendinopathy"], "Arthralgia (joint pain), Tendinopathy")
    assert shown["onset_weeks_after_ai_start"] == (4.5, "4.5 weeks")
    assert shown["weeks_since_ai_start"] == (12.0, "12 weeks")
    assert shown["equally_effective_alternative"] == ("not_known", "Not known")


def test_number_reasons_show_the_number_with_its_unit(aimss: Guideline) -> None:
    result = assess(aimss, DIFFUSE_MILD)
    suspicion = next(f for f in result["findings"] if f["id"] == "index_of_suspicion")
    assert {
        "question": "onset_weeks_after_ai_start",
        "label": aimss.question("onset_weeks_after_ai_start").label,
        "answer": "6 weeks",
    } in suspicion["why"]


@pytest.mark.parametrize(("value", "shown"), [(6.0, "6 weeks"), (8.7, "8.7 weeks"), (0.25, "0.25 weeks")])
def test_numbers_display_plainly(aimss: Guideline, value: float, shown: str) -> None:
    assert display_answer(aimss.question("onset_weeks_after_ai_start"), value) == shown


INFO = GuidelineInfo(
    title="Demo",
    short_title="Demo",
    authors=("A",),
    source="S",
    content_version="1",
    review_date="2026-01-01",
    reviewer="R",
    intended_use="U",
    next_review="2027-01-01",
)


def tiny(categories: tuple[Category, ...]) -> Guideline:
    question = single_choice(id="q", label="Q?", options=(Option(id="a", label="A"), Option(id="b", label="B")))
    return Guideline(
        id="tiny",
        info=INFO,
        source_page="index.md",
        steps=(Step(id="s", title="S", questions=(question,)),),
        classifications=(Classification(id="c", label="C", categories=categories),),
        findings=(),
        sections=(
            Section(
                id="plan",
                title="Plan",
                entries=(Entry(id="e", text="E.", when=Is("q", "a"), source=Source(anchor="x")),),
            ),
        ),
    )


def test_a_classification_with_no_matching_category_is_an_authoring_error_that_says_what_to_do() -> None:
    guideline = tiny((Category(id="only_a", label="A", text="A.", when=Is("q", "a"), source=Source(anchor="x")),))
    assert assess(guideline, {"q": "a"})["classifications"][0]["category"]["id"] == "only_a"
    with pytest.raises(GuidelineDefinitionError, match="classification 'c' has no category for these answers: end its"):
        assess(guideline, {"q": "b"})


def test_without_marked_sentences_quotes_are_empty_not_invented() -> None:
    guideline = tiny((Category(id="any", label="Any", text="Any.", when=ALWAYS, source=Source(anchor="x")),))
    result = assess(guideline, {"q": "a"})
    assert result["sections"][0]["items"][0]["source"] == {"anchor": "x", "citations": [], "cited_as": "", "quote": ""}


def test_a_module_without_guideline_is_rejected_by_name() -> None:
    with pytest.raises(GuidelineDefinitionError, match=r"demo\.py: define GUIDELINE = Guideline\(\.\.\.\)"):
        load_guideline_source("X = 1\n", filename="demo.py")


DOMAIN_VALUES = [
    getattr(module, name)
    for module in (conditions, model, answers_module)
    for name in dir(module)
    if dataclasses.is_dataclass(getattr(module, name)) and isinstance(getattr(module, name), type)
]


@pytest.mark.parametrize("cls", DOMAIN_VALUES, ids=lambda c: c.__name__)
def test_domain_values_are_frozen_and_slotted(cls: Any) -> None:
    params = cls.__dataclass_params__
    assert params.frozen, cls
    assert "__slots__" in cls.__dict__, cls


@pytest.mark.parametrize(
    "cls",
    [c for c in DOMAIN_VALUES if c.__module__ in {"calculator.model", "calculator.questions", "calculator.answers"}],
    ids=lambda c: c.__name__,
)
def test_model_values_take_keyword_arguments_only(cls: Any) -> None:
    assert (
        cls.__dataclass_params__.kw_only
        if hasattr(cls.__dataclass_params__, "kw_only")
        else all(f.kw_only for f in dataclasses.fields(cls))
    )


def test_reasons_are_hashable_values() -> None:
    reason = conditions.Reason(question="q", option="a")
    assert hash(reason) == hash(conditions.Reason(question="q", option="a"))
    assert conditions.Reason(question="q").option is None
    with pytest.raises(TypeError):
        conditions.Reason("q", "a")  # type: ignore[misc]


def test_every_condition_kind_is_a_value() -> None:
    kinds = [
        getattr(conditions, name)
        for name in dir(conditions)
        if isinstance(getattr(conditions, name), type)
        and hasattr(getattr(conditions, name), "holds")
        and name != "Condition"
    ]
    assert len(kinds) >= 11
    for kind in kinds:
        assert dataclasses.is_dataclass(kind), kind
        assert kind.__dataclass_params__.frozen, kind


def test_a_range_with_decimals_is_named_as_written() -> None:
    question = number(id="dose", label="Dose?", unit="mg", minimum=0.5, maximum=2.5)
    from calculator.answers import parse_value

    with pytest.raises(ValueError, match=r"^must be between 0\.5 and 2\.5 mg$"):
        parse_value(question, 3)
