"""Release records, computable exports and the change log's comparison."""

from __future__ import annotations

import copy
import csv
import io
import json
from typing import Any

import pytest
from conftest import ROOT, copy_project
from guideline_site.release import record_path

from calculator.explore import rule_ids
from calculator.export import changes, decision_logic, decision_table_csv, without_build_details
from calculator.loader import discover_guidelines, load_guideline
from calculator.model import Guideline

FOLDERS = discover_guidelines(ROOT / "content")


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_the_current_content_version_is_recorded_and_unchanged(folder: Any) -> None:
    guideline = load_guideline(folder)
    path = record_path(folder, guideline.info.content_version)
    assert path.is_file(), f"no release record for {guideline.info.content_version}: run make release-record"
    recorded = json.loads(path.read_text(encoding="utf-8"))
    current = json.loads(json.dumps(without_build_details(decision_logic(guideline))))
    assert current == recorded, (
        f"the decision logic of {guideline.id} {guideline.info.content_version} differs from its release record: "
        "a clinical change needs a new content_version in guideline.py and `make release-record`"
    )


def test_decision_logic_carries_every_rule_with_condition_and_source(aimss: Guideline) -> None:
    logic = decision_logic(aimss)
    assert logic["format"] == "guideline-decision-logic/1"
    assert [q["id"] for q in logic["questions"]] == [q.id for q in aimss.questions]
    entries = [*logic["findings"], *(e for s in logic["sections"] for e in s["entries"])]
    assert {e["id"] for e in entries} == {e.id for e in aimss.entries()}
    for entry in entries:
        assert entry["when"]["logic"] and entry["when"]["text"]
        assert entry["source"]["quote"] == aimss.sentences[entry["source"]["anchor"]]


def test_csv_decision_table_has_one_row_per_rule(aimss: Guideline) -> None:
    rows = list(csv.DictReader(io.StringIO(decision_table_csv(decision_logic(aimss)))))
    assert [r["id"] if r["kind"] != "classification" else f"{r['group']}.{r['id']}" for r in rows] == rule_ids(aimss)
    duloxetine = next(r for r in rows if r["id"] == "diffuse_duloxetine")
    assert duloxetine["citations"] == "14" and duloxetine["source_anchor"] == "diffuse-duloxetine"
    assert "duloxetine (starting at 30 mg daily" in duloxetine["source_sentence"]


def test_changes_name_added_removed_reworded_and_rule_changes(aimss: Guideline) -> None:
    before = decision_logic(aimss)
    after = copy.deepcopy(before)
    plan = after["sections"][2]["entries"]  # diffuse
    plan[0]["text"] = plan[0]["text"].replace("30 minutes", "45 minutes")
    plan[1]["when"] = {"logic": {"always": True}, "text": "always"}
    removed = plan.pop(2)
    after["findings"].append({"id": "new_finding", "text": "New.", "when": plan[0]["when"], "source": None})
    after["questions"][0]["label"] = "Changed?"
    found = changes(before, after)
    assert [c["id"] for c in found["reworded"]] == [plan[0]["id"]]
    assert found["reworded"][0]["after"].count("45 minutes") == 1
    assert [c["id"] for c in found["rule_changed"]] == [plan[1]["id"]]
    assert [c["id"] for c in found["removed"]] == [removed["id"]]
    assert [c["id"] for c in found["added"]] == ["new_finding"]
    assert found["questions"] == [{"id": "symptoms", "change": "changed", "label": "Changed?"}]
    assert changes(before, before) == {
        "added": [],
        "removed": [],
        "reworded": [],
        "shortened": [],
        "rule_changed": [],
        "questions": [],
    }


@pytest.mark.build
def test_what_changed_page_compares_with_the_previous_release(tmp_path: Any) -> None:

    from conftest import build_site
    from guideline_site.release import write_record

    project = copy_project(tmp_path / "project")
    module = project / "content" / "aimss" / "guideline.py"
    text = module.read_text()
    text = text.replace('content_version="1.3.0"', 'content_version="1.4.0"')
    text = text.replace('text="Icing.",', 'text="Icing of the painful area.",')
    text = text.replace('short="Occupational therapy.",', 'short="Course of occupational therapy.",')
    module.write_text(text)
    write_record(project / "content" / "aimss")
    completed = build_site(project, project / "site")
    assert completed.returncode == 0, completed.stderr
    page = (project / "site" / "aimss" / "changes" / "index.html").read_text()
    assert "Compared with release 1.3.0" in page
    reworded = page[page.index('id="reworded"') : page.index('id="short-forms"')]
    assert "<code>focal_icing</code>" in reworded and "<del>Icing.</del>" in reworded
    assert "<ins>Icing of the painful area.</ins>" in reworded
    shortened = page[page.index('id="short-forms"') : page.index('id="conditions"')]
    assert "<code>focal_occupational_therapy</code>" in shortened
    assert "<del>Occupational therapy.</del>" in shortened and "<ins>Course of occupational therapy.</ins>" in shortened
    assert "<code>focal_icing</code>" not in shortened
    for version in ("1.4.0", "1.3.0", "1.2.0", "1.1.0", "1.0.0"):
        assert f"{version}: checked against source" in page


def recorded(version: str) -> dict[str, Any]:
    logic: dict[str, Any] = json.loads(record_path(ROOT / "content" / "aimss", version).read_text(encoding="utf-8"))
    return logic


def test_the_changes_of_1_2_0_since_1_1_0_are_what_the_clinical_review_found() -> None:
    # 1.2.0 (the clinical review) rewords what the review found wrong, and nothing else: two
    # findings, and each rule resting on a convention now names it (a category's "by convention"
    # and a rule that rested on 8.7 weeks or on 4 weeks without saying so)
    found = changes(recorded("1.1.0"), recorded("1.2.0"))
    assert [change["id"] for change in found["reworded"]] == [
        "assessment.atypical_late_onset",
        "assessment.consistent_with_aimss",
        "timing.before_ai",
        "plan_assumes_aimss",
        "index_of_suspicion",
        "improved_after_stopping",
        "too_early_to_judge_response",
    ]


@pytest.mark.build
def test_the_changes_of_1_3_0_are_listed_since_1_2_0(built_site: Any, aimss: Guideline) -> None:
    # 1.3.0 adds one category, before the ones it keeps from a confident result: symptoms in the
    # week the AI was started with the AI stopped that week are not classified (a convention)
    page = (built_site / "aimss" / "changes" / "index.html").read_text()
    assert "Compared with release 1.2.0" in page
    found = changes(recorded("1.2.0"), recorded("1.3.0"))
    assert [change["id"] for change in found["added"]] == ["assessment.check_durations_ai_stopped_in_first_week"]
    assert not found["removed"] and not found["reworded"] and not found["shortened"] and not found["questions"]
    added = page[page.index('id="added"') : page.index('id="removed"')]
    assert "<code>assessment.check_durations_ai_stopped_in_first_week</code>" in added
    assert "Not classified: check the durations" in added or "By these durations the symptoms started" in added


@pytest.mark.build
def test_home_page_lists_every_guideline(built_site: Any, aimss: Guideline) -> None:
    home = (built_site / "index.html").read_text()
    for href in ('href="aimss/"', 'href="aimss/calculator/"', 'href="aimss/decision-table/"', 'href="aimss/changes/"'):
        assert href in home
    assert aimss.info.title in home


def test_a_recorded_version_whose_logic_changed_is_refused_until_its_version_is_raised(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from guideline_site.cli import main
    from guideline_site.release import ReleaseRecordError, write_record
    from guideline_site.scaffold import new_guideline

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: Drafts\ntheme: {name: material}\nplugins: [guideline-site]\n")
    folder = new_guideline(tmp_path / "docs", "draft", language="en")
    recorded = (folder / "releases" / "0.1.0.json").read_text()
    assert write_record(folder) == folder / "releases" / "0.1.0.json"  # the same logic again: harmless
    module = folder / "guideline.py"
    module.write_text(
        module.read_text().replace("the first recommendation, in", "the first recommendation, reworded, in")
    )
    with pytest.raises(ReleaseRecordError, match="raise content_version"):
        write_record(folder)
    assert main(["release-record", "-f", str(tmp_path / "mkdocs.yml"), "draft"]) == 1
    assert "already records a different content 0.1.0" in capsys.readouterr().err
    assert (folder / "releases" / "0.1.0.json").read_text() == recorded
    module.write_text(module.read_text().replace('content_version="0.1.0"', 'content_version="0.2.0"'))
    assert main(["release-record", "-f", str(tmp_path / "mkdocs.yml"), "draft"]) == 0
    assert (folder / "releases" / "0.2.0.json").is_file()
