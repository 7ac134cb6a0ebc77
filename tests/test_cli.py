"""``python -m calculator``: schema, assessment, and exit status 2 for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aimss_cases import DIFFUSE_MILD, FOCAL_CARPAL_TUNNEL
from conftest import ROOT

from calculator.engine import assess
from calculator.model import Guideline


def run(*args: str, stdin: str = "", cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "calculator", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_schema_lists_every_question_with_kind_and_condition(aimss: Guideline) -> None:
    completed = run("--schema")
    assert completed.returncode == 0, completed.stderr
    schema = json.loads(completed.stdout)
    questions = [q for step in schema["steps"] for q in step["questions"]]
    assert [q["id"] for q in questions] == [q.id for q in aimss.questions]
    weeks = next(q for q in questions if q["id"] == "onset_weeks_after_ai_start")
    assert weeks["kind"] == "number" and weeks["unit"] == "weeks"
    assert weeks["applies_when"] is not None
    assert schema["guideline"]["authors"] == ["Philip Chang DO"]


@pytest.mark.parametrize("answers", [FOCAL_CARPAL_TUNNEL, DIFFUSE_MILD])
def test_assess_from_stdin_matches_the_engine(aimss: Guideline, answers: dict[str, Any]) -> None:
    completed = run(stdin=json.dumps(answers))
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == assess(aimss, answers)


def test_assess_from_a_file_with_explicit_guideline(tmp_path: Path, aimss: Guideline) -> None:
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps(DIFFUSE_MILD), encoding="utf-8")
    completed = run("--guideline", str(ROOT / "content" / "aimss"), str(answers_file), cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == assess(aimss, DIFFUSE_MILD)


def test_invalid_answers_exit_2_naming_each_field_without_traceback() -> None:
    bad = {**DIFFUSE_MILD, "onset_weeks_after_ai_start": "nan", "distribution": "both", "age": 3}
    completed = run(stdin=json.dumps(bad))
    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert any(line.startswith("error: onset_weeks_after_ai_start (") for line in lines)
    assert any(line.startswith("error: distribution (") for line in lines)
    assert "error: age: is not a question of this calculator" in lines
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize("text", ["{", "NaN", "", "[1]"])
def test_malformed_json_exits_2(text: str) -> None:
    completed = run(stdin=text)
    assert completed.returncode == 2
    assert completed.stderr.startswith("error: answers")
    assert "Traceback" not in completed.stderr


def test_a_refused_number_is_named_by_its_answer() -> None:
    completed = run(stdin='{"symptoms": NaN}')
    assert completed.returncode == 2
    assert "error: symptoms (Which symptoms does the patient have?): NaN is not a number" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    completed = run(str(tmp_path / "nope.json"))
    assert completed.returncode == 2
    assert "cannot read" in completed.stderr


def test_without_a_guideline_folder_it_says_how_to_choose_one(tmp_path: Path) -> None:
    completed = run("--schema", cwd=tmp_path)
    assert completed.returncode == 2
    assert "--guideline" in completed.stderr


def run_bytes(*args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "calculator", *args], input=stdin, capture_output=True, cwd=ROOT, check=False
    )


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (b"[" * 200_000, b"error: answers: answers are nested too deeply"),
        (b'{"symptoms": ' + b"[" * 988 + b"]" * 988 + b"}", b"error: answers: answers are nested too deeply"),
        (b'{"symptoms": ["arthralgia\xff"]}', b"error: answers: cannot read"),
        (b'{"weeks_since_ai_start": ' + b"9" * 50_000 + b"}", b"error: "),
    ],
    ids=["nested-200000-deep", "nested-988-deep-in-a-field", "not-utf-8", "50000-digit-number"],
)
def test_hostile_input_exits_2_with_a_message_not_a_traceback(stdin: bytes, message: bytes) -> None:
    completed = run_bytes(stdin=stdin)
    assert completed.returncode == 2, completed.stderr[-500:]
    assert completed.stderr.startswith(message), completed.stderr[:300]
    assert b"Traceback" not in completed.stderr
    assert completed.stdout == b""


def test_a_file_that_is_not_a_guideline_module_exits_2_naming_it_and_its_line(tmp_path: Path) -> None:
    not_python = tmp_path / "notes.txt"
    not_python.write_text("first line\nthis is not Python\n", encoding="utf-8")
    completed = run("--guideline", str(not_python), "--schema")
    assert completed.returncode == 2
    assert completed.stderr.startswith(f"error: {not_python}:1: Python cannot read this line")
    assert "Traceback" not in completed.stderr


def test_a_guideline_module_that_fails_to_run_exits_2_naming_its_line(tmp_path: Path) -> None:
    module = tmp_path / "guideline.py"
    module.write_text("WEEKS = 8\n\nLIMIT = WEEKS / 0\n", encoding="utf-8")
    completed = run("--guideline", str(tmp_path), "--schema")
    assert completed.returncode == 2
    assert completed.stderr.startswith(
        f"error: {module}:3: running the guideline module failed with ZeroDivisionError: division by zero"
    )
    assert "Traceback" not in completed.stderr


def test_language_fr_gives_the_result_and_the_messages_in_french(tmp_path: Path) -> None:
    completed = run("--language", "fr", stdin=json.dumps(DIFFUSE_MILD))
    assert completed.returncode == 0, completed.stderr
    displays = [answer["display"] for answer in json.loads(completed.stdout)["answers"]]
    assert displays.count("Non") >= 5, displays  # the yes/no questions' catalogue labels
    inapplicable = {**DIFFUSE_MILD, "tendinopathy_types": ["carpal_tunnel"]}
    completed = run("--language", "fr", stdin=json.dumps(inapplicable))
    assert completed.returncode == 2
    assert "ne s’applique pas à ces réponses (seulement quand" in completed.stderr, completed.stderr
    assert " comprend " in completed.stderr and " include " not in completed.stderr
    completed = run("--language", "fr", str(tmp_path / "absent.json"))
    assert completed.returncode == 2
    assert completed.stderr.startswith("error: réponses\u00a0: lecture impossible de "), completed.stderr


def test_an_unknown_language_exits_2_naming_those_there_are() -> None:
    completed = run("--language", "xx", "--schema")
    assert completed.returncode == 2
    assert completed.stderr.startswith("error: no catalogue for language 'xx'") and "have: en, fr" in completed.stderr
    assert "Traceback" not in completed.stderr
