"""The URL-fragment codec against the test vectors node runs against the widget's twin
(``tests/js/fragment.test.mjs``): one format, two implementations, one set of vectors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import ROOT

from calculator.fragment import decode_fragment, encode_fragment, list_valued
from calculator.model import Guideline

VECTORS = json.loads((ROOT / "tests" / "fixtures" / "fragment-vectors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("vector", VECTORS["encode"], ids=lambda v: v["fragment"] or "empty")
def test_encodes_as_the_vectors_say(vector: dict[str, Any]) -> None:
    assert encode_fragment(vector["answers"]) == vector["fragment"]


@pytest.mark.parametrize("vector", VECTORS["decode"], ids=lambda v: v["fragment"] or "empty")
def test_decodes_as_the_vectors_say(vector: dict[str, Any]) -> None:
    assert decode_fragment(vector["fragment"], set(vector["multiple"])) == vector["answers"]


def test_multiple_choice_questions_are_the_list_valued_ones(aimss: Guideline) -> None:
    assert list_valued(aimss) == {"symptoms", "tendinopathy_types"}
