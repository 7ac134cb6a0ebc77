"""The URL-fragment codec against the test vectors node runs against the widget's twin
(``tests/js/fragment.test.mjs``): one format, two implementations, one set of vectors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import ROOT

from calculator.formatting import shown_number
from calculator.fragment import decode_fragment, encode_fragment, link_fits, list_valued
from calculator.kinds import kind_of
from calculator.kinds.number import Number
from calculator.model import Guideline
from calculator.protocol import LINK_MAX_ANSWERS, LINK_MAX_CHARACTERS

VECTORS = json.loads((ROOT / "tests" / "fixtures" / "fragment-vectors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("vector", VECTORS["encode"], ids=lambda v: v["fragment"] or "empty")
def test_encodes_as_the_vectors_say(vector: dict[str, Any]) -> None:
    assert encode_fragment(vector["answers"]) == vector["fragment"]


@pytest.mark.parametrize("vector", VECTORS["decode"], ids=lambda v: v["fragment"] or "empty")
def test_decodes_as_the_vectors_say(vector: dict[str, Any]) -> None:
    assert decode_fragment(vector["fragment"], set(vector["multiple"])) == vector["answers"]


def test_multiple_choice_questions_are_the_list_valued_ones(aimss: Guideline) -> None:
    assert list_valued(aimss) == {"symptoms", "tendinopathy_types"}


@pytest.mark.parametrize("vector", VECTORS["numbers"], ids=lambda v: repr(v["text"])[:30])
def test_a_number_from_a_link_is_shown_as_the_number_the_engine_uses(vector: dict[str, Any]) -> None:
    assert shown_number(vector["text"]) == vector["shown"]


@pytest.mark.parametrize("vector", VECTORS["numbers"], ids=lambda v: repr(v["text"])[:30])
def test_the_engine_accepts_exactly_the_numbers_a_field_shows_as_such(vector: dict[str, Any], aimss: Guideline) -> None:
    """What the engine takes for a number, a restored field shows as that number; the rest
    the field shows as given and the engine refuses, beside it."""
    weeks = next(q for q in aimss.questions if q.id == "weeks_since_ai_start")
    kind = kind_of(weeks)
    assert isinstance(kind, Number)
    try:
        used: float | None = kind.number(weeks, vector["text"])
    except ValueError:
        used = None
    assert used == (None if vector["shown"] is None else float(vector["shown"]))


def test_a_link_within_the_limits_is_read_and_one_beyond_them_refused() -> None:
    most = "&".join(f"q{n}=1" for n in range(LINK_MAX_ANSWERS))
    assert link_fits(most)
    assert not link_fits(most + "&one_more=1")
    longest = "note=" + "x" * (LINK_MAX_CHARACTERS - len("note="))
    assert link_fits(longest) and link_fits("#" + longest)
    assert not link_fits(longest + "x")
