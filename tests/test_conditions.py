"""The condition vocabulary: truth, reasons ("why"), wording and data form of each kind."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fhirpathpy import evaluate as fhirpath_evaluate
from test_exports import json_logic_holds

from calculator import text
from calculator.conditions import (
    ALWAYS,
    CONDITION_KINDS,
    Above,
    AtLeast,
    Below,
    Between,
    Condition,
    DifferenceBelow,
    Exceeds,
    Includes,
    IncludesAny,
    IncludesNone,
    Is,
    IsAnyOf,
    Reason,
    SumExceeds,
    all_of,
    any_of,
)
from calculator.fhir import fhirpath


class Labels:
    def question_label(self, question_id: str) -> str:
        return question_id.upper()

    def option_label(self, question_id: str, option_id: str) -> str:
        return option_id.capitalize()

    def unit(self, question_id: str) -> str:
        return "weeks" if question_id.startswith("w") else ""


LABELS = Labels()
ANSWERS: dict[str, Any] = {"pick": "b", "many": frozenset({"x", "y"}), "weeks": 8.0, "other": 4.0, "plain": 3.0}


TRUTH: list[tuple[Condition, bool, tuple[Reason, ...]]] = [
    (ALWAYS, True, ()),
    (Is("pick", "b"), True, (Reason(question="pick", option="b"),)),
    (Is("pick", "a"), False, ()),
    (Is("missing", "a"), False, ()),
    (IsAnyOf("pick", ("a", "b")), True, (Reason(question="pick", option="b"),)),
    (IsAnyOf("pick", ("a", "c")), False, ()),
    (IsAnyOf("many", ("x",)), False, ()),
    (IncludesAny("many", ("y", "z")), True, (Reason(question="many", option="y"),)),
    (IncludesAny("many", ("z",)), False, ()),
    (IncludesAny("pick", ("b",)), False, ()),
    (Includes("many", "x"), True, (Reason(question="many", option="x"),)),
    (
        IncludesNone("many", ("z",)),
        True,
        (Reason(question="many", option="x"), Reason(question="many", option="y")),
    ),
    (IncludesNone("many", ("x",)), False, ()),
    (IncludesNone("missing", ("x",)), False, ()),
    (IncludesNone("pick", ("x",)), False, ()),
    (Between("weeks", 6, 8), True, (Reason(question="weeks"),)),
    (Between("weeks", 8, 9), True, (Reason(question="weeks"),)),
    (Between("weeks", 8.1, 9), False, ()),
    (Between("weeks", 6, 7.9), False, ()),
    (Between("pick", 0, 9), False, ()),
    (Above("weeks", 7.9), True, (Reason(question="weeks"),)),
    (Above("weeks", 8), False, ()),
    (Above("missing", 0), False, ()),
    (Below("weeks", 8.1), True, (Reason(question="weeks"),)),
    (Below("weeks", 8), False, ()),
    (Below("missing", 100), False, ()),
    (AtLeast("weeks", 8), True, (Reason(question="weeks"),)),
    (AtLeast("weeks", 8.1), False, ()),
    (AtLeast("missing", 0), False, ()),
    (Exceeds("weeks", "other"), True, (Reason(question="weeks"), Reason(question="other"))),
    (Exceeds("other", "weeks"), False, ()),
    (Exceeds("weeks", "weeks"), False, ()),
    (Exceeds("weeks", "missing"), False, ()),
    (Exceeds("missing", "weeks"), False, ()),
    (
        SumExceeds(("other", "plain"), "weeks"),  # 4 + 3 = 7, not more than 8
        False,
        (),
    ),
    (
        SumExceeds(("weeks", "plain"), "other"),  # 8 + 3 = 11 > 4
        True,
        (Reason(question="weeks"), Reason(question="plain"), Reason(question="other")),
    ),
    (SumExceeds(("weeks", "missing"), "other"), False, ()),
    (SumExceeds(("weeks", "plain"), "missing"), False, ()),
    (DifferenceBelow("weeks", "other", 5), True, (Reason(question="weeks"), Reason(question="other"))),  # 8 - 4
    (DifferenceBelow("weeks", "other", 4), False, ()),  # 8 - 4 is 4, not less
    (DifferenceBelow("other", "weeks", 0), True, (Reason(question="other"), Reason(question="weeks"))),  # 4 - 8
    (DifferenceBelow("weeks", "weeks", 0.5), True, (Reason(question="weeks"), Reason(question="weeks"))),
    (DifferenceBelow("weeks", "missing", 100), False, ()),
    (DifferenceBelow("missing", "weeks", 100), False, ()),
    (
        all_of(Is("pick", "b"), Above("weeks", 1), Is("pick", "b")),
        True,
        (Reason(question="pick", option="b"), Reason(question="weeks")),
    ),
    (all_of(Is("pick", "b"), Above("weeks", 10)), False, ()),
    (any_of(Is("pick", "a"), Above("weeks", 1)), True, (Reason(question="weeks"),)),
    (
        any_of(Is("pick", "b"), Above("weeks", 1)),
        True,
        (Reason(question="pick", option="b"), Reason(question="weeks")),
    ),
    (any_of(Is("pick", "a"), Above("weeks", 10)), False, ()),
]
"""Each kind of condition, true and false, with the reasons it gives."""


@pytest.mark.parametrize(("condition", "holds", "reasons"), TRUTH)
def test_truth_and_reasons(condition: Condition, holds: bool, reasons: tuple[Reason, ...]) -> None:
    assert condition.holds(ANSWERS) is holds
    assert condition.reasons(ANSWERS) == reasons


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        (ALWAYS, "always"),
        (Is("pick", "b"), "PICK = B"),
        (IsAnyOf("pick", ("a", "b")), "PICK = A or B"),
        (IncludesAny("many", ("x", "y")), "MANY include X or Y"),
        (IncludesNone("many", ("x", "y")), "MANY answered, without X or Y"),
        (Between("weeks", 0, 8.7), "WEEKS from 0 to 8.7 weeks"),
        (Between("plain", 1, 2), "PLAIN from 1 to 2"),
        (Above("weeks", 8.7), "WEEKS more than 8.7 weeks"),
        (Above("plain", 2.0), "PLAIN more than 2"),
        (Below("weeks", 4), "WEEKS less than 4 weeks"),
        (Below("plain", 4), "PLAIN less than 4"),
        (AtLeast("weeks", 4), "WEEKS 4 weeks or more"),
        (AtLeast("plain", 4), "PLAIN 4 or more"),
        (Exceeds("weeks", "other"), "WEEKS more than OTHER"),
        (SumExceeds(("weeks", "plain"), "other"), "WEEKS plus PLAIN more than OTHER"),
        (DifferenceBelow("weeks", "other", 1), "WEEKS minus OTHER less than 1 weeks"),
        (DifferenceBelow("plain", "other", 0.5), "PLAIN minus OTHER less than 0.5"),
        (
            all_of(Is("pick", "b"), any_of(Is("pick", "a"), Above("plain", 1))),
            "PICK = B and (PICK = A or PLAIN more than 1)",
        ),
        (
            any_of(all_of(Is("pick", "b"), Is("pick", "c")), Below("plain", 1)),
            "(PICK = B and PICK = C) or PLAIN less than 1",
        ),
    ],
)
def test_wording_for_the_decision_table(condition: Condition, words: str) -> None:
    assert condition.describe(LABELS) == words


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        (ALWAYS, "toujours"),
        (Is("pick", "b"), "PICK = B"),
        (IsAnyOf("pick", ("a", "b", "c")), "PICK = A ou B ou C"),
        (IncludesAny("many", ("x", "y")), "MANY comprend X ou Y"),
        (IncludesNone("many", ("x", "y")), "MANY\u00a0: réponse donnée, sans X ou Y"),
        (Between("weeks", 0, 8.7), "WEEKS de 0 à 8.7 weeks"),
        (Between("plain", 1, 2), "PLAIN de 1 à 2"),
        (Above("weeks", 8.7), "WEEKS plus de 8.7 weeks"),
        (Below("plain", 4), "PLAIN moins de 4"),
        (AtLeast("weeks", 4), "WEEKS 4 weeks ou plus"),
        (AtLeast("plain", 4), "PLAIN 4 ou plus"),
        (Exceeds("weeks", "other"), "WEEKS dépasse OTHER"),
        (SumExceeds(("weeks", "plain"), "other"), "WEEKS plus PLAIN dépasse OTHER"),
        (DifferenceBelow("weeks", "other", 1), "WEEKS moins OTHER\u00a0: moins de 1 weeks"),
        (
            all_of(Is("pick", "b"), any_of(Is("pick", "a"), Above("plain", 1))),
            "PICK = B et (PICK = A ou PLAIN plus de 1)",
        ),
    ],
)
def test_wording_in_the_sites_language(condition: Condition, words: str) -> None:
    """A French site's decision table and messages describe conditions in French words (the
    labels are the guideline's own)."""
    text.use_language("fr")
    try:
        assert condition.describe(LABELS) == words
    finally:
        text.use_language("en")


@pytest.mark.parametrize(
    ("condition", "data", "questions", "options"),
    [
        (ALWAYS, {"always": True}, set(), []),
        (Is("pick", "b"), {"is": {"question": "pick", "option": "b"}}, {"pick"}, [("pick", "b")]),
        (
            IsAnyOf("pick", ("a", "b")),
            {"is_any_of": {"question": "pick", "options": ["a", "b"]}},
            {"pick"},
            [("pick", "a"), ("pick", "b")],
        ),
        (
            IncludesAny("many", ("x",)),
            {"includes_any": {"question": "many", "options": ["x"]}},
            {"many"},
            [("many", "x")],
        ),
        (
            IncludesNone("many", ("x",)),
            {"includes_none": {"question": "many", "options": ["x"]}},
            {"many"},
            [("many", "x")],
        ),
        (
            Between("weeks", 0, 8.7),
            {"between": {"question": "weeks", "minimum": 0, "maximum": 8.7}},
            {"weeks"},
            [],
        ),
        (Above("weeks", 8.7), {"above": {"question": "weeks", "threshold": 8.7}}, {"weeks"}, []),
        (Below("weeks", 4), {"below": {"question": "weeks", "threshold": 4}}, {"weeks"}, []),
        (AtLeast("weeks", 4), {"at_least": {"question": "weeks", "threshold": 4}}, {"weeks"}, []),
        (Exceeds("weeks", "other"), {"exceeds": {"question": "weeks", "other": "other"}}, {"weeks", "other"}, []),
        (
            SumExceeds(("weeks", "plain"), "other"),
            {"sum_exceeds": {"questions": ["weeks", "plain"], "other": "other"}},
            {"weeks", "plain", "other"},
            [],
        ),
        (
            DifferenceBelow("weeks", "other", 1),
            {"difference_below": {"question": "weeks", "other": "other", "threshold": 1}},
            {"weeks", "other"},
            [],
        ),
        (
            all_of(Is("pick", "b"), any_of(Below("weeks", 4))),
            {
                "all_of": [
                    {"is": {"question": "pick", "option": "b"}},
                    {"any_of": [{"below": {"question": "weeks", "threshold": 4}}]},
                ]
            },
            {"pick", "weeks"},
            [("pick", "b")],
        ),
    ],
)
def test_data_form_and_what_it_reads(
    condition: Condition, data: dict[str, Any], questions: set[str], options: list[tuple[str, str]]
) -> None:
    assert condition.to_json() == data
    assert condition.question_ids() == questions
    assert list(condition.option_refs()) == options


def test_the_truth_table_has_every_kind_of_condition() -> None:
    """A new kind of condition must come with its rows here, and so through every exporter below."""
    assert {type(condition) for condition, _, _ in TRUTH} == set(CONDITION_KINDS)
    assert {type(condition) for condition, _, _ in EXPORTABLE} == set(CONDITION_KINDS)


def _response(answers: dict[str, Any]) -> dict[str, Any]:
    """A QuestionnaireResponse holding ``ANSWERS`` (codes for options, decimals for numbers)."""

    def answer(value: Any) -> list[dict[str, Any]]:
        if isinstance(value, float):
            return [{"valueDecimal": value}]
        codes = sorted(value) if isinstance(value, frozenset) else [value]
        return [{"valueCoding": {"code": code}} for code in codes]

    items = [{"linkId": question, "answer": answer(value)} for question, value in answers.items()]
    return {"resourceType": "QuestionnaireResponse", "status": "completed", "item": items}


def _shape(value: Any) -> str:
    return "many" if isinstance(value, frozenset) else "number" if isinstance(value, float) else "one"


EXPORTABLE = [row for row in TRUTH if all(q not in ANSWERS or _shape(ANSWERS[q]) == s for q, s in row[0].shapes())]
"""The rows a guideline could hold: the authoring checks refuse a condition that reads a question
as another shape than its kind's (``IsAnyOf`` on a multiple-choice question, say)."""


@pytest.mark.parametrize(("condition", "holds", "reasons"), EXPORTABLE)
def test_every_kind_exports_to_fhirpath_that_agrees_with_the_engine(
    condition: Condition, holds: bool, reasons: tuple[Reason, ...]
) -> None:
    filled = _response(ANSWERS)
    assert fhirpath_evaluate(filled, fhirpath(condition), {"resource": filled}) == [holds]


@pytest.mark.parametrize(("condition", "holds", "reasons"), EXPORTABLE)
def test_every_kind_exports_to_json_logic_that_agrees_with_the_engine(
    condition: Condition, holds: bool, reasons: tuple[Reason, ...]
) -> None:
    raw = {key: sorted(value) if isinstance(value, frozenset) else value for key, value in ANSWERS.items()}
    assert json_logic_holds(json.loads(json.dumps(condition.to_json())), raw) is holds
