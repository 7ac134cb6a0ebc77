"""The public interfaces hold to their JSON Schemas (``calculator/contract.py``).

Every vignette's result, evaluations of partial and broken answers, the CLI's output and
the question schema are validated here; the browser tests validate the messages the real
worker and the real embedded page send (``test_parity.py``, ``test_deployment.py``). The
property tests validate each of their results.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from jsonschema import Draft202012Validator

from calculator import contract
from calculator.browser import Session
from calculator.engine import assess
from calculator.explore import random_answers
from calculator.loader import discover_guidelines, load_guideline
from calculator.model import Guideline
from calculator.schema import schema
from calculator.vignettes import Vignette, load_vignettes

GUIDELINE_DIRS = [*discover_guidelines(ROOT / "content"), ROOT / "tests" / "fixtures" / "docformat"]
VIGNETTES = [vignette for folder in GUIDELINE_DIRS for vignette in load_vignettes(folder)]


@cache
def validator(name: str) -> Draft202012Validator:
    schema_document = contract.SCHEMAS[name]()
    Draft202012Validator.check_schema(schema_document)
    return Draft202012Validator(schema_document, format_checker=Draft202012Validator.FORMAT_CHECKER)


def conforms(name: str, instance: Any) -> list[str]:
    """Every way ``instance`` breaks schema ``name`` (empty when it conforms)."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(instance)]


@pytest.mark.parametrize("name", sorted(contract.SCHEMAS))
def test_every_schema_is_valid_json_schema_2020_12(name: str) -> None:
    document = contract.SCHEMAS[name]()
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(document)


@pytest.mark.parametrize("vignette", VIGNETTES, ids=lambda v: f"{v.guideline_dir.name}:{v.id}")
def test_every_vignette_result_conforms_to_the_result_schema(vignette: Vignette) -> None:
    result = assess(load_guideline(vignette.guideline_dir), vignette.answers)
    assert conforms("result", result) == []
    assert result["format"] == contract.RESULT_FORMAT


@pytest.mark.parametrize("folder", GUIDELINE_DIRS, ids=lambda f: f.name)
def test_evaluations_of_partial_and_broken_answers_conform(folder: Path) -> None:
    guideline = load_guideline(folder)
    session = Session(guideline, runtime="CPython")
    rng = random.Random(20261203)
    texts = ["{}", "[]", "null", '"answers"', "{nan", '{"unknown": 1}']
    for _ in range(200):
        answers = random_answers(guideline, rng)
        cut = dict(list(answers.items())[: rng.randrange(len(answers) + 1)])
        texts.append(json.dumps(cut))
        texts.append(json.dumps({**answers, rng.choice(sorted(answers)): rng.choice(["nan", True, None, [], "x"])}))
    for text in texts:
        evaluation = json.loads(session.evaluate(text))
        assert conforms("evaluation", evaluation) == [], text
        assert evaluation["format"] == contract.EVALUATION_FORMAT


def test_the_schema_rejects_what_the_contract_does_not_allow(aimss: Guideline) -> None:
    result = assess(aimss, VIGNETTES[0].answers)
    assert conforms("result", {**result, "format": "guideline-result/2"})
    assert conforms("result", {**result, "surprise": 1})
    broken_item = {**result, "findings": [{**result["findings"][0], "source": None}]} if result["findings"] else None
    if broken_item:
        assert conforms("result", broken_item)


def test_the_cli_prints_conforming_json(aimss: Guideline) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "calculator"],
        input=json.dumps(VIGNETTES[0].answers),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert conforms("result", json.loads(completed.stdout)) == []
    described = subprocess.run(
        [sys.executable, "-m", "calculator", "--schema"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert conforms("questions", json.loads(described.stdout)) == []


@pytest.mark.parametrize("folder", GUIDELINE_DIRS, ids=lambda f: f.name)
def test_every_guidelines_question_schema_conforms(folder: Path) -> None:
    described = schema(load_guideline(folder))
    assert conforms("questions", described) == []
    assert described["format"] == contract.QUESTIONS_FORMAT
