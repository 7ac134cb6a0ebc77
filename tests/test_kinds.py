"""Question kinds live in one place each (``calculator/kinds/``): proven by the count kind.

The commit that added ``count`` touched only its module, its form partial and the
demonstration fixture that uses it; the fixture's vignettes then ran through the engine, the
exports and, in Chromium, the form (``test_two_guidelines.py``). Each kind has its partial and
its words, and the count kind behaves as a count.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import ROOT, require
from test_two_guidelines import FIXTURE

from calculator.answers import parse_answers
from calculator.engine import assess
from calculator.fhir import questionnaire, response
from calculator.kinds import kind_of, kinds
from calculator.loader import load_guideline
from calculator.text import load_catalogue

KIND_FILES = ("calculator/kinds/count.py", "theme/partials/kinds/count.html")


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_the_commit_that_added_the_count_kind_touched_only_its_module_its_partial_and_the_fixture() -> None:
    require((ROOT / ".git").exists() and shutil.which("git") is not None, "not a git checkout")
    if _git("rev-parse", "--is-shallow-repository").strip() == "true":
        pytest.skip("a shallow clone lacks the kind's own commit: clone with full history")
    added = _git("log", "--diff-filter=A", "--format=%H", "--", KIND_FILES[0]).split()
    require(bool(added), "the count kind is not committed yet: commit it on its own")
    changed = _git("show", "--name-only", "--format=", added[-1]).split()
    assert set(KIND_FILES) <= set(changed), changed
    others = [path for path in changed if path not in KIND_FILES]
    assert others and all(path.startswith("tests/fixtures/docformat/") for path in others), changed


def test_every_kind_has_its_partial_and_its_words() -> None:
    english = load_catalogue("en").strings
    for name, kind in kinds().items():
        assert (ROOT / "theme" / kind.partial).is_file(), name
        assert kind.shape in {"one", "many", "number"}, name
        assert kind.texts.get("en", {}).keys() <= english.keys(), name


def test_a_count_takes_whole_numbers_and_says_why_it_refuses_others() -> None:
    guideline = load_guideline(FIXTURE)
    reviewers = guideline.question("reviewers")
    assert kind_of(reviewers).name == "count"
    values, errors = parse_answers(guideline, {"reviewers": "3", "edited_later": "yes", "length": "long"})
    assert values["reviewers"] == 3.0 and errors == []
    for given, says in (
        (2.5, "2.5 is not a whole number; give a count, such as 3"),
        ("2.5", '"2.5" is not a whole number; give a count, such as 3'),
        (51, "must be between 0 and 50 colleagues"),
        (-1, "must be between 0 and 50 colleagues"),
        (True, "true is not a number; give the number of colleagues"),
        ("three", '"three" is not a number; type digits'),
    ):
        _, [error] = parse_answers(guideline, {"reviewers": given})
        assert error.field == "reviewers" and says in error.message, (given, error.message)


def test_a_count_is_shown_exported_and_read_as_a_number() -> None:
    guideline = load_guideline(FIXTURE)
    answers = {"edited_later": "yes", "length": "long", "reviewers": "3"}
    result = assess(guideline, answers)
    shown = next(a for a in result["answers"] if a["question"] == "reviewers")
    assert (shown["value"], shown["display"]) == (3, "3 colleagues")
    assert any(item["id"] == "add_contents" for section in result["sections"] for item in section["items"])
    assert not any(
        item["id"] == "add_contents"
        for section in assess(guideline, {**answers, "reviewers": 2})["sections"]
        for item in section["items"]
    )
    item = next(i for group in questionnaire(guideline)["item"] for i in group["item"] if i["linkId"] == "reviewers")
    assert item["type"] == "integer"
    filled = response(guideline, answers)
    assert next(i for i in filled["item"] if i["linkId"] == "reviewers")["answer"] == [{"valueInteger": 3}]
    assert kind_of(guideline.question("reviewers")).accepts_in_words(guideline.question("reviewers")) == (
        "whole number from 0 to 50 colleagues"
    )
