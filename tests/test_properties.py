"""Properties over generated answer sets (Hypothesis), for every guideline under content/.

* >= 10,000 valid answer sets: no exception; no error; every shown item has a source
  whose sentence is quoted; every result conforms to the result schema
  (``calculator/contract.py``); together they reach every rule of the catalogue (100%).
* >= 10,000 answer sets broken in one way: rejected, with an error naming the broken field.
* Arbitrary JSON: never an uncaught exception; every error names a field; every
  evaluation conforms to the evaluation schema.

``HYPOTHESIS_PROFILE=quick`` (used by ``make mutation``) runs fewer examples.
"""

from __future__ import annotations

import json
import math
import os
import random
from typing import Any

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_contract import conforms

from calculator.answers import InvalidAnswers
from calculator.browser import Session
from calculator.engine import assess, evaluate
from calculator.explore import random_answers, rule_ids, rules_shown
from calculator.kinds import kind_of
from calculator.loader import discover_guidelines, load_guideline
from calculator.model import Guideline

settings.register_profile(
    "full", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("quick", max_examples=300, deadline=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "full"))

GUIDELINES = [load_guideline(folder) for folder in discover_guidelines(ROOT / "content")]
COVERAGE: dict[str, set[str]] = {}
"""Rules reached per guideline, reported at the end of the run (see conftest)."""


def valid_answers(guideline: Guideline) -> st.SearchStrategy[dict[str, Any]]:
    return st.randoms(use_true_random=False).map(lambda rng: random_answers(guideline, rng))


@pytest.mark.parametrize("guideline", GUIDELINES, ids=lambda g: g.id)
def test_valid_answer_sets_give_sourced_results_and_reach_every_rule(guideline: Guideline) -> None:
    reached: set[str] = set()

    @given(valid_answers(guideline))
    def check(answers: dict[str, Any]) -> None:
        result = assess(guideline, json.loads(json.dumps(answers)))
        assert conforms("result", result) == []
        assert evaluate(guideline, answers)["errors"] == []
        items = [*result["findings"], *(i for s in result["sections"] for i in s["items"])]
        categories = [c["category"] for c in result["classifications"]]
        for shown in [*items, *(c for c in categories if c["source"] is not None)]:
            assert shown["source"]["anchor"] in guideline.sentences, shown["id"]
            assert shown["source"]["quote"] == guideline.sentences[shown["source"]["anchor"]]
        for item in items:
            assert item["text"].strip(), item["id"]
        reached.update(rules_shown(result))

    check()
    COVERAGE[guideline.id] = reached
    assert reached == set(rule_ids(guideline)), f"never shown: {set(rule_ids(guideline)) - reached}"


JUNK = [
    "nan",
    "inf",
    "-Infinity",
    "1_000",
    "1e3",
    "\u0666",
    "",
    " ",
    True,
    False,
    None,
    [],
    {},
    [None],
    math.nan,
    math.inf,
    -1e9,
    1e9,
    "x" * 300,
]


def _break(guideline: Guideline, answers: dict[str, Any], rng: random.Random) -> tuple[dict[str, Any], str]:
    """Break a valid answer set in one way; return it and the field the error must name."""
    broken = dict(answers)
    questions = guideline.questions
    kind = rng.choice(["junk", "unknown_key", "missing", "inapplicable", "out_of_range"])
    if kind == "unknown_key":
        name = rng.choice(["age", "Symptoms", "", "__proto__", "symptoms ", "patient_name"])
        if guideline.has_question(name):
            name += "_x"
        broken[name] = rng.choice([*JUNK, "yes"])
        return broken, name
    if kind == "missing":
        name = rng.choice(sorted(answers))
        del broken[name]
        # Removing an answer can hide later questions; their answers then do not apply.
        return broken, name
    if kind == "inapplicable":
        hidden = [q for q in questions if q.id not in answers]
        if hidden:
            question = rng.choice(hidden)
            broken[question.id] = question.options[0].id if question.options else question.minimum
            return broken, question.id
    if kind == "out_of_range":
        numbers = [q for q in questions if kind_of(q).shape == "number" and q.id in answers]
        if numbers:
            question = rng.choice(numbers)
            assert question.maximum is not None and question.minimum is not None
            broken[question.id] = rng.choice([question.maximum + 1, question.minimum - 1, str(question.maximum + 0.5)])
            return broken, question.id
    name = rng.choice(sorted(answers))
    broken[name] = rng.choice([*JUNK, "not_an_option", ["not_an_option"]])
    if broken[name] == answers[name]:
        broken[name] = "not_an_option"
    return broken, name


@pytest.mark.parametrize("guideline", GUIDELINES, ids=lambda g: g.id)
def test_each_broken_answer_set_is_rejected_naming_the_broken_field(guideline: Guideline) -> None:
    @given(valid_answers(guideline), st.randoms(use_true_random=False))
    def check(answers: dict[str, Any], rng: random.Random) -> None:
        broken, field = _break(guideline, answers, rng)
        with pytest.raises(InvalidAnswers) as raised:
            assess(guideline, broken)
        named = {error.field for error in raised.value.errors}
        assert field in named, (broken, raised.value.errors)
        for error in raised.value.errors:
            assert error.message

    check()


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=True)
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400)  # beyond any float
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=20), children, max_size=4),
    max_leaves=12,
)


@pytest.mark.parametrize("guideline", GUIDELINES, ids=lambda g: g.id)
def test_arbitrary_json_never_raises_and_every_error_names_a_field(guideline: Guideline) -> None:
    session = Session(guideline, runtime="CPython")
    keys = st.sampled_from([q.id for q in guideline.questions]) | st.text(max_size=10)
    answers = st.dictionaries(keys, JSON, max_size=8) | JSON

    @given(answers)
    def check(raw: Any) -> None:
        state = evaluate(guideline, raw)
        for error in state["errors"]:
            assert error["field"] is not None and error["message"]
        reply = json.loads(session.evaluate(json.dumps(raw)))
        assert reply["result"] is None or reply["note"]
        assert conforms("evaluation", reply) == []

    check()
