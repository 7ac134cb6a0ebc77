"""Computable exports: FHIR resources validate, and every export reproduces the engine.

The FHIR resources declare R4 (4.0.1). They are validated twice: with ``fhirclient``'s R4
4.0.1 models (strict: unknown elements, wrong types and missing required elements fail) and
with ``fhir.resources``' R4B models (pydantic), for every guideline, the non-clinical test
fixture included.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from fhir.resources.R4B.plandefinition import PlanDefinition
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhirclient.models.plandefinition import PlanDefinition as R4PlanDefinition
from fhirclient.models.questionnaire import Questionnaire as R4Questionnaire
from fhirclient.models.questionnaireresponse import QuestionnaireResponse as R4QuestionnaireResponse
from fhirpathpy import evaluate as fhirpath_evaluate

from calculator.engine import assess
from calculator.explore import rules_shown
from calculator.export import decision_logic, decision_table_csv
from calculator.fhir import FHIR_VERSION, plan_definition, questionnaire, response
from calculator.loader import discover_guidelines, load_guideline
from calculator.model import Guideline
from calculator.vignettes import load_vignettes

FOLDERS = [*discover_guidelines(ROOT / "content"), ROOT / "tests" / "fixtures" / "docformat"]
VIGNETTES = [v for folder in FOLDERS for v in load_vignettes(folder)]


def valid_r4(model: Any, resource: dict[str, Any]) -> Any:
    """``resource`` parsed by an R4 4.0.1 model in strict mode, and written back unchanged."""
    parsed = model(json.loads(json.dumps(resource)), strict=True)
    assert parsed.as_json() == json.loads(json.dumps(resource))
    return parsed


def test_fhir_version_is_the_one_the_r4_models_were_generated_from() -> None:
    assert FHIR_VERSION == "4.0.1"
    assert (
        "Generated from FHIR 4.0.1"
        in Path(__import__("fhirclient.models.questionnaire").__file__)
        .parent.joinpath("models", "questionnaire.py")
        .read_text()
    )


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_guidelines_resources_are_valid_r4_and_r4b(folder: Path) -> None:
    guideline = load_guideline(folder)
    for r4, r4b, resource in (
        (R4Questionnaire, Questionnaire, questionnaire(guideline)),
        (R4PlanDefinition, PlanDefinition, plan_definition(guideline)),
    ):
        valid_r4(r4, resource)
        r4b.model_validate(resource)


@pytest.mark.parametrize("damage", ["missing status", "unknown element"])
def test_an_invalid_resource_is_refused_by_both_validators(aimss: Guideline, damage: str) -> None:
    broken = questionnaire(aimss)
    if damage == "missing status":  # required (1..1) in R4 and R4B
        del broken["status"]
    else:
        broken["author"] = "Not an element of Questionnaire"
    field = "status" if damage == "missing status" else "author"
    with pytest.raises(Exception, match=field):
        Questionnaire.model_validate(broken)
    with pytest.raises(Exception, match=field):
        R4Questionnaire(broken, strict=True)


def test_questionnaire_is_valid_fhir(aimss: Guideline) -> None:
    resource = Questionnaire.model_validate(questionnaire(aimss))
    link_ids = [item.linkId for group in resource.item for item in group.item]
    assert link_ids == [q.id for q in aimss.questions]
    weeks = next(i for g in resource.item for i in g.item if i.linkId == "onset_weeks_after_ai_start")
    assert weeks.type == "decimal" and weeks.enableWhen[0].question == "onset_before_ai"
    symptoms = resource.item[0].item[0]
    assert symptoms.repeats is True and [o.valueCoding.code for o in symptoms.answerOption] == [
        o.id for o in aimss.question("symptoms").options
    ]


def test_plan_definition_is_valid_fhir_with_sources(aimss: Guideline) -> None:
    resource = PlanDefinition.model_validate(plan_definition(aimss))
    actions = [a for group in resource.action for a in group.action]
    assert len(actions) == sum(len(c.categories) for c in aimss.classifications) + len(list(aimss.entries()))
    duloxetine = next(a for a in actions if a.id == "diffuse-duloxetine")
    assert duloxetine.condition[0].expression.language == "text/fhirpath"
    assert duloxetine.documentation[0].label == "diffuse-duloxetine"
    assert "titration to 60 mg daily" in duloxetine.documentation[0].display


def _action_rule_id(guideline: Guideline, action_id: str) -> str:
    ids = {rule.replace("_", "-"): rule for rule in _all_rules(guideline)}
    return ids[action_id]


def _all_rules(guideline: Guideline) -> list[str]:
    from calculator.explore import rule_ids

    return rule_ids(guideline)


@pytest.mark.parametrize("vignette", VIGNETTES, ids=lambda v: f"{v.guideline_dir.name}:{v.id}")
def test_plan_definition_conditions_evaluated_by_fhirpath_select_what_the_engine_shows(vignette: Any) -> None:
    guideline = load_guideline(vignette.guideline_dir)
    plan = plan_definition(guideline)
    filled = response(guideline, vignette.answers)
    QuestionnaireResponse.model_validate(filled)
    valid_r4(R4QuestionnaireResponse, filled)
    selected = set()
    for group in plan["action"]:
        for action in group["action"]:
            expression = action["condition"][0]["expression"]["expression"]
            if fhirpath_evaluate(filled, expression, {"resource": filled}) == [True]:
                selected.add(_action_rule_id(guideline, action["id"]))
    assert selected == rules_shown(assess(guideline, vignette.answers))


def _as_number(value: Any) -> float | None:
    """A number answer as JSON carries it (a number, or digits in a string), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    return float(value) if isinstance(value, str) and value[:1].isdigit() else None


# An evaluator of the exported decision logic written from its data format alone,
# independent of calculator.conditions: the JSON export says everything the engine knows.
def json_logic_holds(logic: dict[str, Any], answers: dict[str, Any]) -> bool:
    ((operator, argument),) = logic.items()
    if operator == "always":
        return True
    if operator in {"all_of", "any_of"}:
        results = [json_logic_holds(part, answers) for part in argument]
        return all(results) if operator == "all_of" else any(results)
    if operator in {"exceeds", "sum_exceeds"}:
        parts = argument.get("questions", [argument.get("question")])
        values = [answers.get(part) for part in [*parts, argument["other"]]]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            return False
        return sum(values[:-1]) > values[-1]
    if operator == "difference_below":
        first, second = (_as_number(answers.get(argument[key])) for key in ("question", "other"))
        return first is not None and second is not None and first - second < argument["threshold"]
    value = answers.get(argument["question"])
    chosen = set(value) if isinstance(value, list) else ({value} if isinstance(value, str) else set())
    number = (
        float(value) if isinstance(value, int | float) or (isinstance(value, str) and value[:1].isdigit()) else None
    )
    if operator == "is":
        return isinstance(value, str) and value == argument["option"]
    if operator == "is_any_of":
        return isinstance(value, str) and value in argument["options"]
    if operator == "includes_any":
        return isinstance(value, list) and bool(chosen & set(argument["options"]))
    if operator == "includes_none":
        return isinstance(value, list) and not chosen & set(argument["options"])
    if operator == "between":
        return number is not None and argument["minimum"] <= number <= argument["maximum"]
    if operator == "above":
        return number is not None and number > argument["threshold"]
    if operator == "below":
        return number is not None and number < argument["threshold"]
    if operator == "at_least":
        return number is not None and number >= argument["threshold"]
    raise AssertionError(f"unknown operator {operator}")


@pytest.mark.parametrize("vignette", VIGNETTES, ids=lambda v: f"{v.guideline_dir.name}:{v.id}")
def test_exported_decision_logic_reproduces_the_engine(vignette: Any) -> None:
    guideline = load_guideline(vignette.guideline_dir)
    logic = json.loads(json.dumps(decision_logic(guideline)))
    shown = set()
    for classification in logic["classifications"]:
        first = next(c for c in classification["categories"] if json_logic_holds(c["when"]["logic"], vignette.answers))
        shown.add(f"{classification['id']}.{first['id']}")
    for entry in [*logic["findings"], *(e for s in logic["sections"] for e in s["entries"])]:
        if json_logic_holds(entry["when"]["logic"], vignette.answers):
            shown.add(entry["id"])
    assert shown == rules_shown(assess(guideline, vignette.answers))


@pytest.mark.parametrize("vignette", VIGNETTES, ids=lambda v: f"{v.guideline_dir.name}:{v.id}")
def test_csv_decision_table_rows_say_what_the_engine_shows(vignette: Any) -> None:
    guideline = load_guideline(vignette.guideline_dir)
    rows = list(csv.DictReader(io.StringIO(decision_table_csv(decision_logic(guideline)))))
    by_rule = {row["id"] if row["kind"] != "classification" else f"{row['group']}.{row['id']}": row for row in rows}
    result = assess(guideline, vignette.answers)
    shown = [(f"{c['id']}.{c['category']['id']}", c["category"]) for c in result["classifications"]]
    shown += [(item["id"], item) for item in result["findings"]]
    shown += [(item["id"], item) for section in result["sections"] for item in section["items"]]
    for rule, item in shown:
        row = by_rule[rule]
        assert row["shows"].endswith(item["text"]), rule
        source = item.get("source") or {}
        assert (row["source_anchor"], row["source_sentence"]) == (source.get("anchor", ""), source.get("quote", ""))
        assert row["citations"] == " ".join(str(c) for c in source.get("citations", []))


def test_exports_are_written_by_the_build(built_site: Path, aimss: Guideline) -> None:
    folder = built_site / "aimss"
    assert json.loads((folder / "decision-logic.json").read_text()) == json.loads(json.dumps(decision_logic(aimss)))
    assert (folder / "decision-table.csv").read_text().startswith("kind,group,id,when,shows")
    Questionnaire.model_validate_json((folder / "fhir" / "Questionnaire.json").read_text())
    PlanDefinition.model_validate_json((folder / "fhir" / "PlanDefinition.json").read_text())
