"""Every authoring mistake stops the build or the load with file, line and what to do."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, build_site, copy_project

from calculator.kinds import kinds
from calculator.loader import load_guideline
from calculator.model import GuidelineDefinitionError

AIMSS = ROOT / "content" / "aimss"


def broken(tmp_path: Path, module: Callable[[str], str] = str, page: Callable[[str], str] = str) -> Path:
    """A copy of the AIMSS folder with its guideline.py and/or index.md edited."""
    folder = tmp_path / "aimss"
    shutil.copytree(AIMSS, folder)
    for name, edit in (("guideline.py", module), ("index.md", page)):
        path = folder / name
        changed = edit(path.read_text(encoding="utf-8"))
        path.write_text(changed, encoding="utf-8")
    return folder


def load_error(folder: Path) -> str:
    with pytest.raises(GuidelineDefinitionError) as raised:
        load_guideline(folder)
    return str(raised.value)


def line(folder: Path, name: str, text: str, occurrence: int = 1) -> int:
    lines = [i for i, row in enumerate((folder / name).read_text().splitlines(), 1) if text in row]
    return lines[occurrence - 1]


def test_unknown_question_in_a_rule(tmp_path: Path) -> None:
    folder = broken(tmp_path, module=lambda s: s.replace('Is("focal_refractory", YES)', 'Is("focal_refactory", YES)'))
    at = line(folder, "guideline.py", 'id="focal_corticosteroid_injection"')
    assert (
        f"guideline.py:{at}: entry 'focal_corticosteroid_injection': condition reads unknown question 'focal_refactory'"
        in load_error(folder)
    )


def test_unknown_option_in_a_rule(tmp_path: Path) -> None:
    folder = broken(
        tmp_path,
        module=lambda s: s.replace(
            'Includes("tendinopathy_types", "carpal_tunnel")),', 'Includes("tendinopathy_types", "carpal")),'
        ),
    )
    message = load_error(folder)
    assert "condition reads option 'carpal' of question 'tendinopathy_types', which has no such option" in message
    assert "(options: de_quervain, trigger_finger, carpal_tunnel, other_tendinopathy)" in message


def test_entry_without_a_source_anchor(tmp_path: Path) -> None:
    folder = broken(tmp_path, module=lambda s: s.replace('source=source("ring-sign")', 'source=source("")'))
    at = line(folder, "guideline.py", 'id="ring_sign"')
    assert f"guideline.py:{at}: entry ring_sign: source anchor '' must be the id of a marked sentence" in load_error(
        folder
    )


def test_entry_citing_a_sentence_the_page_does_not_mark(tmp_path: Path) -> None:
    folder = broken(
        tmp_path, module=lambda s: s.replace('source("focal-injection", 13)', 'source("focal-injections", 13)')
    )
    at = line(folder, "guideline.py", 'id="focal_corticosteroid_injection"')
    message = load_error(folder)
    assert (
        f"guideline.py:{at}: entry focal_corticosteroid_injection cites sentence 'focal-injections', which" in message
    )
    assert 'mark it with <span class="rec" id="focal-injections">' in message


def test_recommendation_sentence_no_entry_cites(tmp_path: Path) -> None:
    mark = '<span class="rec" id="unused-advice">A new recommendation.</span>'
    folder = broken(tmp_path, page=lambda s: s.replace("## Treatment\n", f"## Treatment\n\n{mark}\n"))
    at = line(folder, "index.md", 'id="unused-advice"')
    message = load_error(folder)
    assert f"index.md:{at}: marked sentence 'unused-advice' is cited by no catalogue entry: add an Entry" in message


def test_citation_numbers_that_are_not_the_sentences_own(tmp_path: Path) -> None:
    folder = broken(
        tmp_path, module=lambda s: s.replace('source("focal-injection", 13)', 'source("focal-injection", 14)')
    )
    message = load_error(folder)
    assert "entry focal_corticosteroid_injection gives citations [14] for sentence 'focal-injection'" in message
    assert "prints citation markers 13: the citations must be the sentence's own markers" in message


def test_duplicate_id(tmp_path: Path) -> None:
    folder = broken(tmp_path, module=lambda s: s.replace('id="focal_icing"', 'id="focal_nsaids"'))
    at = line(folder, "guideline.py", 'id="focal_nsaids"', occurrence=1)
    message = load_error(folder)
    assert "entry id 'focal_nsaids' is used twice: ids must be unique; rename one" in message
    assert f"guideline.py:{at}:" in message


def test_duplicate_question_id(tmp_path: Path) -> None:
    folder = broken(tmp_path, module=lambda s: s.replace('id="concomitant_depression"', 'id="diffuse_severity"'))
    first, second = (line(folder, "guideline.py", 'id="diffuse_severity"', n) for n in (1, 2))
    message = load_error(folder)
    assert f"guideline.py:{first}: question id 'diffuse_severity' is used twice: ids must be unique" in message
    assert f"(id='diffuse_severity' is written on lines {first}, {second})" in message


def test_sentence_id_marked_twice(tmp_path: Path) -> None:
    folder = broken(tmp_path, page=lambda s: s.replace('id="ring-sign"', 'id="tendinopathies"'))
    first, second = line(folder, "index.md", 'id="tendinopathies"'), line(folder, "index.md", 'id="tendinopathies"', 2)
    message = load_error(folder)
    assert f"index.md:{second}: sentence id 'tendinopathies' is already used on line {first}" in message


def test_option_no_rule_reads(tmp_path: Path) -> None:
    folder = broken(
        tmp_path,
        module=lambda s: s.replace(
            'Option(id="not_known", label="Not known"),',
            'Option(id="not_known", label="Not known"),\n                Option(id="unsure", label="Unsure"),',
        ),
    )
    at = line(folder, "guideline.py", 'id="unsure"')
    message = load_error(folder)
    assert f"guideline.py:{at}: question 'equally_effective_alternative': option 'unsure' is read by no rule" in message
    assert 'no_rule="..."' in message


def test_question_no_rule_reads(tmp_path: Path) -> None:
    step = 'title="Prognosis and cancer treatment",\n    questions=(\n'
    extra = '        yes_no(id="smoker", label="Does the patient smoke?"),\n'
    folder = broken(tmp_path, module=lambda s: s.replace(step, step + extra))
    at = line(folder, "guideline.py", 'id="smoker"')
    assert f"guideline.py:{at}: question 'smoker' is read by no rule" in load_error(folder)


def test_module_that_does_not_define_a_guideline(tmp_path: Path) -> None:
    folder = broken(tmp_path, module=lambda s: s.replace("GUIDELINE = Guideline(", "OTHER = Guideline("))
    assert "guideline.py: define GUIDELINE = Guideline(...) at module level" in load_error(folder)


# --- Mistakes only the build can find: it explores the answers -------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_build_stops_on_a_question_that_can_never_apply(project: Path) -> None:
    module = project / "content" / "aimss" / "guideline.py"
    edit(
        module,
        'applies_when=Is("widespread_metastases", YES),',
        'applies_when=all_of(Is("widespread_metastases", YES), Is("widespread_metastases", NO)),',
    )
    completed = build_site(project, project / "site")
    assert completed.returncode != 0
    at = line(module.parent, "guideline.py", 'id="widespread_visceral_disease"')
    assert f"guideline.py:{at}: question 'widespread_visceral_disease' applies to no answer set" in completed.stderr
    assert "its applies_when can never hold; correct it" in completed.stderr


def test_build_stops_on_a_rule_that_can_never_be_shown(project: Path) -> None:
    module = project / "content" / "aimss" / "guideline.py"
    edit(
        module, 'when=all_of(FOCAL, Is("focal_refractory", YES)),', 'when=all_of(DIFFUSE, Is("focal_refractory", YES)),'
    )
    completed = build_site(project, project / "site")
    assert completed.returncode != 0
    at = line(module.parent, "guideline.py", 'id="focal_corticosteroid_injection"')
    assert f"guideline.py:{at}: rule 'focal_corticosteroid_injection' is shown for no answer set" in completed.stderr


def test_build_stops_on_a_module_that_fails_to_run(project: Path) -> None:
    module = project / "content" / "aimss" / "guideline.py"
    edit(module, "TWO_MONTHS_IN_WEEKS = 8.7", "TWO_MONTHS_IN_WEEKS = 8.7 +")
    completed = build_site(project, project / "site")
    assert completed.returncode != 0
    at = line(module.parent, "guideline.py", "TWO_MONTHS_IN_WEEKS = 8.7 +")
    assert f"aimss/calculator.md: {module}:{at}: Python cannot read this line (invalid syntax)" in completed.stderr


def test_a_module_that_raises_names_the_line(tmp_path: Path) -> None:
    folder = broken(tmp_path, module=lambda s: s.replace("MAX_WEEKS = 1040", "MAX_WEEKS = int('1040 weeks')"))
    at = line(folder, "guideline.py", "MAX_WEEKS = int(")
    assert (
        f"guideline.py:{at}: running the guideline module failed with ValueError: invalid literal for int()"
        in load_error(folder)
    )


# --- Short forms (the summary's wording) say less, in the guideline's own words --------------


def test_a_short_form_with_a_dose_its_sentence_does_not_give(tmp_path: Path) -> None:
    folder = broken(tmp_path, module=lambda s: s.replace("depression): 30 mg daily", "depression): 40 mg daily"))
    at = line(folder, "guideline.py", 'id="diffuse_duloxetine"')
    message = load_error(folder)
    assert f"guideline.py:{at}: entry 'diffuse_duloxetine': short form " in message
    assert "the number 40 is in neither its sentence nor its text: use the guideline's numbers" in message


def test_a_short_form_with_a_word_its_sentence_does_not_use(tmp_path: Path) -> None:
    folder = broken(tmp_path, module=lambda s: s.replace('short="Occupational therapy."', 'short="Physiotherapy."'))
    at = line(folder, "guideline.py", 'id="focal_occupational_therapy"')
    assert (
        f"guideline.py:{at}: entry 'focal_occupational_therapy': short form 'Physiotherapy.': the word "
        "'physiotherapy' is in neither its sentence nor its text: use the guideline's words"
    ) in load_error(folder)


def test_a_short_form_may_not_drop_a_negation_into_a_claim(tmp_path: Path) -> None:
    folder = broken(
        tmp_path,
        module=lambda s: s.replace(
            '"Improved within 4 weeks of stopping: AIMSS symptoms',
            '"No improvement within 4 weeks of stopping: not AIMSS',
        ),
    )
    assert "the word 'no' is in neither its sentence nor its text" in load_error(folder)


CESSATION_SHORT = (
    "With widespread visceral disease and limited life expectancy, cessation of the AI and systemic cancer "
    "treatment may be warranted."
)


def test_a_short_form_that_drops_the_condition_of_its_text(tmp_path: Path) -> None:
    folder = broken(
        tmp_path,
        module=lambda s: s.replace(
            '"With widespread visceral disease and limited life expectancy, cessation of the AI and systemic cancer "\n'
            '                "treatment may be warranted."',
            '"Cessation of the AI and systemic cancer treatment may be warranted."',
        ),
    )
    at = line(folder, "guideline.py", 'id="ai_cessation"')
    assert (
        f"guideline.py:{at}: entry 'ai_cessation': short form 'Cessation of the AI and systemic cancer treatment "
        "may be warranted.': drops the condition 'With widespread visceral disease and limited life expectancy' "
        "(missing: widespread, visceral, disease, limited, life, expectancy): a short form may leave out words, "
        "never the condition under which, or the patients for whom, it holds"
    ) in load_error(folder)


@pytest.mark.parametrize(
    ("text", "short", "clause"),
    [
        ("In patients in whom NSAIDs fail, consider duloxetine.", "Consider duloxetine.", "in whom NSAIDs fail"),
        ("Continue the AI unless symptoms are severe.", "Continue the AI.", "unless symptoms are severe"),
        ("When symptoms are refractory, consider injections.", "Consider injections.", "When symptoms are refractory"),
        ("Give prednisone 5 mg for 1 week, then stop.", "Give prednisone 5 mg, then stop.", "for 1 week"),
        ("Consider rotation if there is an equally effective treatment.", "Consider rotation.", "if there is"),
        (
            "Patients with limited life expectancy should discuss options.",
            "Discuss options.",
            "with limited life expectancy",
        ),
    ],
)
def test_the_short_form_check_keeps_every_qualifying_clause(text: str, short: str, clause: str) -> None:
    from calculator.loader import short_form_problems

    problems = list(short_form_problems(short, text, text))
    assert any(problem.startswith(f"drops the condition '{clause}") for problem in problems), problems
    assert not [problem for problem in short_form_problems(text, text, text) if problem.startswith("drops")]


def test_a_short_form_no_shorter_than_its_text(tmp_path: Path) -> None:
    folder = broken(tmp_path, module=lambda s: s.replace('short="Splinting.",', 'short="Splinting" + " " * 300,'))
    at = line(folder, "guideline.py", 'id="focal_splinting"')
    assert f"guideline.py:{at}: entry 'focal_splinting': short form" in load_error(folder)
    assert "is not shorter than the text: shorten it, or leave short out" in load_error(folder)


# --- Conditions: only the kinds the calculator can explain and export, read as their questions' shape


def test_a_condition_of_an_unknown_kind(tmp_path: Path) -> None:
    folder = broken(
        tmp_path,
        module=lambda s: s.replace(
            'when=all_of(FOCAL, Is("focal_refractory", YES)),', "when=all_of(FOCAL, lambda answers: True),"
        ),
    )
    at = line(folder, "guideline.py", 'id="focal_corticosteroid_injection"')
    message = load_error(folder)
    assert f"guideline.py:{at}: entry 'focal_corticosteroid_injection': condition function is not a kind" in message
    assert "could be neither explained nor exported (JSON, FHIR): build it from Always, Is," in message


def test_a_condition_reading_a_question_as_another_shape(tmp_path: Path) -> None:
    folder = broken(
        tmp_path, module=lambda s: s.replace('Includes("symptoms", "neuropathy")', 'Is("symptoms", "neuropathy")')
    )
    at = line(folder, "guideline.py", 'id="neuropathy_not_caused_by_ai"')
    assert (
        f"guideline.py:{at}: entry 'neuropathy_not_caused_by_ai': a condition reads question 'symptoms' as one "
        "option, but it is a multiple_choice question (several options): use IncludesAny, Includes or IncludesNone"
    ) in load_error(folder)


def test_a_condition_comparing_a_question_with_itself(tmp_path: Path) -> None:
    folder = broken(
        tmp_path,
        module=lambda s: s.replace(
            'DifferenceBelow("weeks_since_ai_start", "weeks_since_ai_stopped", 1)',
            'DifferenceBelow("weeks_since_ai_start", "weeks_since_ai_start", 1)',
        ),
    )
    at = line(folder, "guideline.py", 'id="check_durations_ai_stopped_in_first_week"')
    assert (
        f"guideline.py:{at}: category 'check_durations_ai_stopped_in_first_week': a condition compares question "
        "'weeks_since_ai_start' with itself: compare two different questions"
    ) in load_error(folder)


def test_a_condition_comparing_answers_in_different_units(tmp_path: Path) -> None:
    folder = broken(
        tmp_path,
        module=lambda s: s.replace(
            'label="How many weeks ago was the AI stopped?",\n            unit="weeks",',
            'label="How many weeks ago was the AI stopped?",\n            unit="days",',
        ),
    )
    at = line(folder, "guideline.py", 'id="check_durations_ai_stopped_in_first_week"')
    message = load_error(folder)
    assert (
        f"guideline.py:{at}: category 'check_durations_ai_stopped_in_first_week': a condition compares answers in "
        "different units ('weeks_since_ai_start' in weeks, 'weeks_since_ai_stopped' in days): compare answers in "
        "one unit"
    ) in message
    assert "constraint 'stopped_before_started': a condition compares answers in different units" in message


def test_a_question_of_an_unknown_kind(tmp_path: Path) -> None:
    folder = broken(
        tmp_path,
        module=lambda s: s.replace(
            "from calculator.model import (", "from calculator.model import Question\nfrom calculator.model import ("
        ).replace(
            'yes_no(\n            id="ring_no_longer_fits",',
            'Question(kind="slider", options=(Option(id="yes", label="Y"), Option(id="no", label="N")),\n'
            '            id="ring_no_longer_fits",',
        ),
    )
    at = line(folder, "guideline.py", 'id="ring_no_longer_fits"')
    assert (
        f"guideline.py:{at}: question 'ring_no_longer_fits': kind 'slider' is not one of " + ", ".join(sorted(kinds()))
    ) in load_error(folder)
