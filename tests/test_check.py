"""``check_site``: a site's own checks without pytest or a browser (``guideline-site check``).

Each test breaks one thing in a copy of this project and finds the problem at the file and
line an author would correct.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from guideline_site.check import Problem, check_site

AIMSS = Path("content") / "aimss"
MODULE = AIMSS / "guideline.py"
VIGNETTES = AIMSS / "vignettes.json"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def _edit(project: Path, path: Path, old: str, new: str) -> str:
    """Replace the first ``old`` by ``new`` in the project's ``path``; return the new text."""
    text = (project / path).read_text(encoding="utf-8")
    assert old in text, old
    edited = text.replace(old, new, 1)
    (project / path).write_text(edited, encoding="utf-8")
    return edited


def _line(text: str, fragment: str, occurrence: int = 1) -> int:
    position = -1
    for _ in range(occurrence):
        position = text.index(fragment, position + 1)
    return text.count("\n", 0, position) + 1


def _about(problems: list[Problem], words: str) -> list[Problem]:
    return [problem for problem in problems if words in problem.message]


def test_the_sites_own_guidelines_pass_every_check() -> None:
    assert check_site(ROOT, "content") == []


def test_a_failing_vignette_expectation_is_reported_on_the_line_of_its_id(project: Path) -> None:
    text = (project / VIGNETTES).read_text(encoding="utf-8")
    start = text.index('"id": "focal_de_quervain_refractory"')
    # the pattern this vignette expects, changed (focal to diffuse): the second vignette's only
    edited = text[:start] + text[start:].replace('"category": "focal"', '"category": "diffuse"', 1)
    (project / VIGNETTES).write_text(edited, encoding="utf-8")
    problems = check_site(project, "content")
    assert problems == [
        Problem(
            path=VIGNETTES,
            line=_line(edited, '"id": "focal_de_quervain_refractory"'),
            message=(
                "vignette 'focal_de_quervain_refractory': expect.classifications.pattern expects category 'diffuse', "
                "the result shows 'focal': correct the rule, or the expectation with the sentence that justifies it"
            ),
        )
    ]
    assert str(problems[0]).startswith(f"content/aimss/vignettes.json:{problems[0].line}: vignette ")


def test_a_vignette_justified_by_an_unmarked_sentence_is_a_problem(project: Path) -> None:
    edited = _edit(project, VIGNETTES, '"focal_icing": "focal-conservative"', '"focal_icing": "icing"')
    problems = check_site(project, "content")
    assert [(p.path, p.line) for p in problems] == [(VIGNETTES, _line(edited, '"id": "focal_carpal_tunnel"'))] * 2
    assert "expect.plan.focal_icing is justified by sentence 'icing', which the guideline page does not mark" in (
        problems[0].message
    )
    assert "the result cites 'focal-conservative'" in problems[1].message


def test_malformed_vignettes_json_is_a_problem_at_its_line_not_a_traceback(project: Path) -> None:
    edited = _edit(project, VIGNETTES, '"ring_no_longer_fits": "no",', '"ring_no_longer_fits": "no",,')
    problems = check_site(project, "content")
    assert [(p.path, p.line) for p in problems] == [(VIGNETTES, _line(edited, ",,"))]
    assert problems[0].message.startswith("is not valid JSON")


def test_a_python_mistake_in_guideline_py_is_reported_on_its_line(project: Path) -> None:
    edited = _edit(project, MODULE, 'text="Icing.",', 'text="Icing.,')
    problems = check_site(project, "content")
    assert [(p.path, p.line) for p in problems] == [(MODULE, _line(edited, 'text="Icing.,'))]
    assert problems[0].message.startswith("Python cannot read this line")


def test_each_authoring_mistake_is_a_problem_of_its_own_at_its_line(project: Path) -> None:
    icing = 'id="focal_icing",\n            text="Icing.",\n            when=FOCAL,\n            source=source('
    _edit(project, MODULE, icing + '"focal-conservative")', icing + '"icing")')
    edited = _edit(project, MODULE, 'short="Occupational therapy."', 'short="Therapy, done daily."')
    problems = check_site(project, "content")
    assert [(p.path, p.line) for p in problems] == [
        (MODULE, _line(edited, 'id="focal_icing"')),
        (MODULE, _line(edited, 'id="focal_occupational_therapy"')),
        (MODULE, _line(edited, 'id="focal_occupational_therapy"')),
    ]  # and nothing else: a guideline that does not load is not checked further
    assert problems[0].message.startswith("entry focal_icing cites sentence 'icing', which content/aimss/index.md")
    assert "the word 'daily' is in neither its sentence nor its text" in problems[1].message
    assert "the word 'done'" in problems[2].message


def test_a_mistake_in_the_guideline_page_is_a_problem_at_its_line(project: Path) -> None:
    page = (project / AIMSS / "index.md").read_text(encoding="utf-8")
    mark = '<span class="rec" id="focal-conservative">'
    assert mark in page
    edited = _edit(project, AIMSS / "index.md", mark, '<span class="rec" id="">')
    problems = check_site(project, "content")
    assert (AIMSS / "index.md", _line(edited, '<span class="rec" id="">')) in [(p.path, p.line) for p in problems]


def test_an_id_used_twice_is_a_problem_listing_both_lines(project: Path) -> None:
    edited = _edit(project, MODULE, 'id="focal_icing"', 'id="focal_nsaids"')
    first, second = _line(edited, 'id="focal_nsaids"'), _line(edited, 'id="focal_nsaids"', 2)
    assert [str(p) for p in check_site(project, "content")] == [
        f"content/aimss/guideline.py:{first}: entry id 'focal_nsaids' is used twice: ids must be unique; rename one "
        f"(id='focal_nsaids' is written on lines {first}, {second})"
    ]


def test_a_short_form_adding_a_word_is_a_problem_at_its_entry(project: Path) -> None:
    edited = _edit(project, MODULE, 'short="Occupational therapy."', 'short="Weekly occupational therapy."')
    problems = check_site(project, "content")
    assert problems == [
        Problem(
            path=MODULE,
            line=_line(edited, 'id="focal_occupational_therapy"'),
            message=(
                "entry 'focal_occupational_therapy': short form 'Weekly occupational therapy.': the word 'weekly' "
                "is in neither its sentence nor its text: use the guideline's words"
            ),
        )
    ]


def test_a_rule_no_answer_set_reaches_is_a_problem_at_the_rule(project: Path) -> None:
    edited = _edit(
        project,
        MODULE,
        'id="focal_icing",\n            text="Icing.",\n            when=FOCAL,',
        'id="focal_icing",\n            text="Icing.",\n            when=all_of(FOCAL, DIFFUSE),',
    )
    problems = check_site(project, "content")
    unreachable = _about(problems, "is shown for no answer set")
    assert [(p.path, p.line) for p in unreachable] == [(MODULE, _line(edited, 'id="focal_icing"'))]
    assert unreachable[0].message.startswith("rule 'focal_icing' is shown for no answer set")


def test_changed_decision_logic_without_a_new_release_record_is_a_problem(project: Path) -> None:
    edited = _edit(project, MODULE, 'text="Icing.",', 'text="Icing of the painful area.",')
    problems = check_site(project, "content")
    assert problems == [
        Problem(
            path=MODULE,
            line=_line(edited, 'content_version="1.3.0"'),
            message=(
                "the decision logic differs from content/aimss/releases/1.3.0.json, the release record of content "
                "version 1.3.0 (changed: focal_icing): a clinical change needs a new content_version here, then "
                "`guideline-site release-record content/aimss`; a version never published may be recorded again "
                "with `guideline-site release-record content/aimss --overwrite`"
            ),
        )
    ]


def test_a_new_content_version_without_its_release_record_is_a_problem(project: Path) -> None:
    edited = _edit(project, MODULE, 'content_version="1.3.0"', 'content_version="1.4.0"')
    problems = check_site(project, "content")
    assert [str(p) for p in problems] == [
        f"content/aimss/guideline.py:{_line(edited, 'content_version=')}: content version 1.4.0 has no release "
        "record (content/aimss/releases/1.4.0.json): record it with `guideline-site release-record content/aimss`"
    ]


def test_guidelines_are_found_by_their_calculator_page_and_a_site_without_one_is_a_problem(project: Path) -> None:
    (project / "pages").mkdir()
    (project / "pages" / "index.md").write_text("# Guidelines\n", encoding="utf-8")
    assert [str(p) for p in check_site(project, "pages")] == [
        "pages: holds no guideline: a guideline is a folder with a guideline.py, wired in by a page whose front "
        "matter says calculator: guideline.py"
    ]
    (project / "pages" / "section").mkdir()
    (project / AIMSS).rename(project / "pages" / "section" / "aimss")  # deeper than a guideline folder is looked for
    assert check_site(project, "pages") == []  # found through calculator.md's front matter
    _edit(project, Path("pages/section/aimss/vignettes.json"), '"category": "focal"', '"category": "diffuse"')
    assert [p.path for p in check_site(project, "pages")] == [Path("pages/section/aimss/vignettes.json")]
    assert [str(p) for p in check_site(project, "docs")] == [
        "docs: no such folder: set docs_dir in mkdocs.yml to the folder that holds the site's pages"
    ]
