"""Untrusted answers are parsed at the boundary; every problem names its field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aimss_cases import DIFFUSE_MILD, NEUROPATHY_ONLY

from calculator.answers import InvalidAnswers, loads
from calculator.browser import Session
from calculator.engine import assess, evaluate
from calculator.model import Guideline

WEEKS = "onset_weeks_after_ai_start"


def errors_for(guideline: Guideline, answers: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidAnswers) as raised:
        assess(guideline, answers)
    return {e.field: e.message for e in raised.value.errors}


@pytest.mark.parametrize(
    "bad",
    [
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "1_000",
        "1e3",
        "0x10",
        "\u0666",
        "\uff16",
        "6,5",
        "6.",
        "",
        "   ",
        "six",
        True,
        False,
        None,
        [],
        {},
        float("nan"),
        float("inf"),
    ],
)
def test_number_rejects_what_float_quietly_accepts(aimss: Guideline, bad: Any) -> None:
    errors = errors_for(aimss, {**DIFFUSE_MILD, WEEKS: bad})
    assert WEEKS in errors
    assert "number" in errors[WEEKS] or "empty" in errors[WEEKS]


@pytest.mark.parametrize("bad", [-1, "-0.5", 1041, "100000"])
def test_number_out_of_range_names_the_range_and_unit(aimss: Guideline, bad: Any) -> None:
    assert errors_for(aimss, {**DIFFUSE_MILD, WEEKS: bad})[WEEKS] == ("must be between 0 and 1040 weeks")


@pytest.mark.parametrize("good", [6, 6.5, "6", "6.5", " 6.5 ", "08", 0, 1040, ".5", "0.5"])
def test_number_accepts_plain_decimals(aimss: Guideline, good: Any) -> None:
    assess(aimss, {**DIFFUSE_MILD, "weeks_since_ai_start": 1040, WEEKS: good})


@pytest.mark.parametrize("bad", [True, "true", "Yes", "YES", 1, None, ["yes"]])
def test_yes_no_accepts_only_yes_or_no(aimss: Guideline, bad: Any) -> None:
    errors = errors_for(aimss, {**DIFFUSE_MILD, "ring_no_longer_fits": bad})
    assert 'is not one of the options ("yes", "no")' in errors["ring_no_longer_fits"]


@pytest.mark.parametrize("bad", ["sideways", "Focal", 1, True, None, ["focal"]])
def test_single_choice_rejects_unknown_options(aimss: Guideline, bad: Any) -> None:
    errors = errors_for(aimss, {**DIFFUSE_MILD, "distribution": bad})
    assert '("focal", "diffuse")' in errors["distribution"]


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("arthralgia", "must be a list"),
        ([], "choose at least one"),
        (["arthralgia", "arthralgia"], "chosen twice"),
        (["gout"], "is not one of the options"),
        ([1], "is not one of the options"),
        ([True], "is not one of the options"),
    ],
)
def test_multiple_choice_is_validated(aimss: Guideline, bad: Any, says: str) -> None:
    assert says in errors_for(aimss, {**DIFFUSE_MILD, "symptoms": bad})["symptoms"]


def test_unknown_keys_are_rejected_by_name(aimss: Guideline) -> None:
    errors = errors_for(aimss, {**DIFFUSE_MILD, "age": 70, "Symptoms": ["arthralgia"]})
    assert errors["age"] == "is not a question of this calculator"
    assert "Symptoms" in errors


def test_answer_to_a_question_that_does_not_apply_is_rejected(aimss: Guideline) -> None:
    errors = errors_for(aimss, {**DIFFUSE_MILD, "focal_refractory": "yes"})
    assert errors["focal_refractory"].startswith("does not apply to these answers")
    assert "Focal" in errors["focal_refractory"]


def test_missing_answers_are_named(aimss: Guideline) -> None:
    answers = {k: v for k, v in DIFFUSE_MILD.items() if k != "diffuse_severity"}
    assert errors_for(aimss, answers) == {"diffuse_severity": "answer required"}


def test_every_error_is_reported_not_just_the_first(aimss: Guideline) -> None:
    answers = {**DIFFUSE_MILD, WEEKS: "nan", "distribution": "x", "extra": 1}
    assert set(errors_for(aimss, answers)) == {WEEKS, "distribution", "extra"}


@pytest.mark.parametrize("bad", ["[]", '"answers"', "null", "3"])
def test_answers_must_be_an_object(aimss: Guideline, bad: str) -> None:
    assert set(errors_for(aimss, loads(bad))) == {"answers"}


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "1e999", "{"])
def test_json_constants_and_overflow_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"not a number|too large|not valid JSON"):
        loads(text)


# --- The step-by-step form's view: partial answers are normal, not errors.


def test_partial_answers_list_what_is_missing_without_errors(aimss: Guideline) -> None:
    state = evaluate(aimss, {"symptoms": ["arthralgia"]})
    assert state["errors"] == []
    assert state["result"] is None
    assert state["missing"][0] == "ring_no_longer_fits"
    assert "distribution" in state["missing"]


def test_changed_earlier_answer_sets_aside_hidden_answers_and_still_gives_a_result(
    aimss: Guideline,
) -> None:
    # The clinician answered the diffuse questions, then unticked every primary symptom.
    state = evaluate(aimss, {**DIFFUSE_MILD, "symptoms": ["neuropathy"]})
    assert state["errors"] == []
    assert "diffuse_severity" in state["inapplicable"]
    assert state["result"]["classifications"][0]["category"]["id"] == "not_explained_by_aimss"


def test_invalid_value_in_a_hidden_question_does_not_block_the_result(aimss: Guideline) -> None:
    state = evaluate(aimss, {**NEUROPATHY_ONLY, WEEKS: "nan"})
    assert state["errors"] == []
    assert state["result"] is not None


def test_form_errors_name_field_and_label(aimss: Guideline) -> None:
    state = evaluate(aimss, {**DIFFUSE_MILD, WEEKS: "1_000"})
    assert state["result"] is None
    [error] = state["errors"]
    assert error["field"] == WEEKS
    assert error["label"] == aimss.question(WEEKS).label
    assert "not a number" in error["message"]


def test_browser_session_reports_bad_json_as_data(aimss: Guideline) -> None:
    import json

    reply = json.loads(Session(aimss, runtime="CPython").evaluate('{"symptoms": ["arthralgia"'))
    assert reply["errors"][0]["field"] == "answers"
    assert reply["result"] is None


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("NaN", "NaN is not a number this calculator accepts"),
        ("-Infinity", "-Infinity is not a number this calculator accepts"),
        ("1e400", "1e400 is too large to be a number this calculator accepts"),
    ],
)
def test_a_refused_json_number_is_named_by_its_field(aimss: Guideline, number: str, message: str) -> None:
    text = json.dumps({**DIFFUSE_MILD, WEEKS: 0}).replace(f'"{WEEKS}": 0', f'"{WEEKS}": {number}')
    reply = json.loads(Session(aimss, runtime="CPython").evaluate(text))
    assert [(e["field"], e["message"]) for e in reply["errors"]] == [(WEEKS, message)]
    assert errors_for(aimss, loads(text)) == {WEEKS: message}


def test_a_refused_json_number_inside_a_list_is_named_by_its_field(aimss: Guideline) -> None:
    text = json.dumps({**DIFFUSE_MILD, "symptoms": ["arthralgia"]}).replace('["arthralgia"]', '["arthralgia", NaN]')
    assert errors_for(aimss, loads(text))["symptoms"] == "NaN is not a number this calculator accepts"


def test_refused_json_numbers_outside_an_object_still_say_so() -> None:
    with pytest.raises(ValueError, match="NaN is not a number this calculator accepts"):
        loads("NaN")


# --- Impossible combinations: cross-field constraints name every field involved.


def test_onset_later_than_the_time_on_the_ai_is_caught_naming_both_fields(aimss: Guideline) -> None:
    errors = errors_for(aimss, {**DIFFUSE_MILD, "weeks_since_ai_start": 5, WEEKS: 6})
    assert set(errors) == {WEEKS, "weeks_since_ai_start"}
    assert "check both durations" in errors[WEEKS]


def test_ai_stopped_before_it_was_started_is_caught_naming_both_fields(aimss: Guideline) -> None:
    answers = {
        **DIFFUSE_MILD,
        "onset_before_ai": "yes",
        WEEKS: None,
        "ai_stopped": "yes",
        "weeks_since_ai_stopped": 31,
        "improved_within_4_weeks_of_stopping": "yes",
    }
    errors = errors_for(aimss, {k: v for k, v in answers.items() if v is not None})
    assert set(errors) == {"weeks_since_ai_stopped", "weeks_since_ai_start"}
    assert "cannot have been stopped before it was started" in errors["weeks_since_ai_stopped"]


@pytest.mark.parametrize(("start", "onset", "stopped_ago"), [(12, 6, 6), (10, 0, 0), ("8.5", "8", "0.5")])
def test_equal_durations_are_consistent(aimss: Guideline, start: Any, onset: Any, stopped_ago: Any) -> None:
    answers = {
        **DIFFUSE_MILD,
        "weeks_since_ai_start": start,
        WEEKS: onset,
        "ai_stopped": "yes",
        "weeks_since_ai_stopped": stopped_ago,
        "improved_within_4_weeks_of_stopping": "yes",
    }
    assess(aimss, answers)


def test_a_half_filled_form_is_not_told_its_answers_contradict(aimss: Guideline) -> None:
    state = evaluate(aimss, {"symptoms": ["arthralgia"], "onset_before_ai": "no", WEEKS: 50})
    assert state["errors"] == []


def test_contradiction_blocks_the_result_in_the_form(aimss: Guideline) -> None:
    state = evaluate(aimss, {**DIFFUSE_MILD, "weeks_since_ai_start": 2})
    assert state["result"] is None
    assert {e["field"] for e in state["errors"]} == {WEEKS, "weeks_since_ai_start"}


# --- The exact words a clinician reads beside a field ------------------------------------


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        (WEEKS, "nan", '"nan" is not a number; type digits with an optional decimal point, such as 6 or 6.5'),
        (WEEKS, "\u0666", '"\u0666" is not a number; type digits with an optional decimal point, such as 6 or 6.5'),
        (WEEKS, True, "true is not a number; give the number of weeks"),
        (WEEKS, float("inf"), "Infinity is not a finite number"),
        (WEEKS, "", "is empty; type a number"),
        (WEEKS, None, "null is not a number"),
        (WEEKS, (6,), "(6,) is not a number"),
        (WEEKS, 2000, "must be between 0 and 1040 weeks"),
        ("distribution", "both", '"both" is not one of the options ("focal", "diffuse")'),
        ("distribution", ("focal",), '(\'focal\',) is not one of the options ("focal", "diffuse")'),
        (
            "symptoms",
            "arthralgia",
            'must be a list of options (any of "arthralgia", "joint_stiffness", "tendinopathy", "neuropathy")',
        ),
        ("symptoms", [], "choose at least one option"),
        ("symptoms", ["arthralgia", "arthralgia"], '"arthralgia" is chosen twice'),
        (
            "symptoms",
            ["gout"],
            '"gout" is not one of the options ("arthralgia", "joint_stiffness", "tendinopathy", "neuropathy")',
        ),
    ],
)
def test_error_messages_are_exact(aimss: Guideline, field: str, bad: Any, message: str) -> None:
    assert errors_for(aimss, {**DIFFUSE_MILD, field: bad})[field] == message


def test_field_errors_read_as_field_label_message(aimss: Guideline) -> None:
    with pytest.raises(InvalidAnswers) as raised:
        assess(aimss, {**DIFFUSE_MILD, "distribution": "x", "extra": 1})
    assert str(raised.value) == (
        "distribution (Are the symptoms focal or diffuse?): "
        '"x" is not one of the options ("focal", "diffuse"); extra: is not a question of this calculator'
    )
    assert [e.to_json() for e in raised.value.errors][1] == {
        "field": "extra",
        "label": "",
        "message": "is not a question of this calculator",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("NaN", "NaN is not a number this calculator accepts"),
        ("1e999", "1e999 is too large to be a number this calculator accepts"),
        (
            "{",
            "answers are not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        ),
        ("[" * 100_000, "answers are nested too deeply to be answers: send one JSON object of answers"),
    ],
    ids=["nan", "overflow", "truncated", "nested-100000-deep"],
)
def test_json_errors_are_exact(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        loads(text)
    assert str(raised.value) == message


def test_answers_that_are_not_an_object_are_named(aimss: Guideline) -> None:
    assert errors_for(aimss, [])["answers"] == "must be a JSON object of answers"  # type: ignore[arg-type]


def test_a_question_whose_applicability_hangs_on_an_invalid_answer_is_not_judged_but_later_ones_are(
    aimss: Guideline,
) -> None:
    errors = errors_for(aimss, {"symptoms": ["arthralgia"], "onset_before_ai": "maybe", WEEKS: 7})
    assert errors["onset_before_ai"].startswith('"maybe" is not one of the options')
    assert WEEKS not in errors  # may or may not apply: not reported
    assert errors["distribution"] == "answer required"  # a later, unrelated question still is


def test_consistency_errors_carry_the_question_label(aimss: Guideline) -> None:
    state = evaluate(aimss, {**DIFFUSE_MILD, "weeks_since_ai_start": 2})
    labels = {e["field"]: e["label"] for e in state["errors"]}
    assert labels == {
        WEEKS: aimss.question(WEEKS).label,
        "weeks_since_ai_start": aimss.question("weeks_since_ai_start").label,
    }


def test_an_integer_beyond_any_float_is_refused_not_a_crash(aimss: Guideline) -> None:
    huge = 10**400
    errors = errors_for(aimss, {**DIFFUSE_MILD, WEEKS: huge})
    assert errors[WEEKS] == "10000000000000000000… is not a number this calculator accepts"  # its first 20 digits
    reply = json.loads(Session(aimss, runtime="CPython").evaluate(json.dumps({**DIFFUSE_MILD, WEEKS: huge})))
    assert reply["errors"][0]["field"] == WEEKS


def test_the_cli_refuses_a_huge_integer_with_status_2() -> None:
    import subprocess
    import sys

    from conftest import ROOT

    completed = subprocess.run(
        [sys.executable, "-m", "calculator"],
        input=json.dumps({**DIFFUSE_MILD, WEEKS: 10**400}),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert completed.returncode == 2 and "Traceback" not in completed.stderr
    assert completed.stderr.startswith(f"error: {WEEKS} (")


def test_symptoms_that_started_after_the_ai_was_stopped_are_caught_naming_all_three_durations(
    aimss: Guideline,
) -> None:
    # Started 20 weeks ago, stopped 19 weeks ago (taken for 1 week), symptoms from week 7.
    answers = {
        **DIFFUSE_MILD,
        "weeks_since_ai_start": 20,
        WEEKS: 7,
        "ai_stopped": "yes",
        "weeks_since_ai_stopped": 19,
        "improved_within_4_weeks_of_stopping": "yes",
    }
    errors = errors_for(aimss, answers)
    assert set(errors) == {WEEKS, "weeks_since_ai_stopped", "weeks_since_ai_start"}
    assert "started after the AI was stopped" in errors[WEEKS]
    assess(aimss, {**answers, "weeks_since_ai_stopped": 13})  # 7 + 13 = 20: the day it was stopped


def nested_list(depth: int) -> list[Any]:
    """``[[[…]]]`` ``depth`` lists deep, built without recursion."""
    innermost: list[Any] = []
    for _ in range(depth - 1):
        innermost = [innermost]
    return innermost


DEEP_SYMPTOMS = '{"symptoms": ' + "[" * 500 + "]" * 500 + "}"
"""Far deeper than any answer, shallow enough for the parser under pytest's own stack. (At 988
levels from the command line, quoting the value back in a message exhausted the stack:
``test_cli.py``'s ``nested-988-deep-in-a-field``.)"""


def test_answers_nested_far_deeper_than_any_answer_are_refused_as_too_deep() -> None:
    with pytest.raises(ValueError) as raised:
        loads(DEEP_SYMPTOMS)
    assert str(raised.value) == "answers are nested too deeply to be answers: send one JSON object of answers"


def test_a_deeply_nested_answer_given_as_data_is_named_by_its_field(aimss: Guideline) -> None:
    errors = errors_for(aimss, {**DIFFUSE_MILD, "symptoms": nested_list(988)})
    assert errors["symptoms"] == "is nested too deeply to be an answer: give one value or one list of values"


def test_the_worker_replies_to_deeply_nested_answers_with_an_error_not_an_exception(aimss: Guideline) -> None:
    reply = json.loads(Session(aimss, runtime="CPython").evaluate(DEEP_SYMPTOMS))
    assert reply["result"] is None
    assert reply["errors"] == [
        {
            "field": "answers",
            "label": "",
            "message": "answers are nested too deeply to be answers: send one JSON object of answers",
        }
    ]


def test_the_ai_stopped_before_it_was_started_is_reported_before_its_knock_on_effects(aimss: Guideline) -> None:
    # Started 10 weeks ago, "stopped" 12 weeks ago: the root cause; that the symptoms (week 7)
    # then started after stopping follows from it.
    answers = {
        **DIFFUSE_MILD,
        "weeks_since_ai_start": 10,
        WEEKS: 7,
        "ai_stopped": "yes",
        "weeks_since_ai_stopped": 12,
        "improved_within_4_weeks_of_stopping": "yes",
    }
    with pytest.raises(InvalidAnswers) as raised:
        assess(aimss, answers)
    first = raised.value.errors[0]
    assert "cannot have been stopped before it was started" in first.message
    state = evaluate(aimss, answers)
    assert "cannot have been stopped before it was started" in state["errors"][0]["message"]
