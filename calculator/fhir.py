"""HL7 FHIR (R4) representation of a guideline: a Questionnaire and a PlanDefinition.

In the style of the CPG-on-FHIR implementation guide: the ``Questionnaire`` holds the
questions (with ``enableWhen`` for when each applies); the ``PlanDefinition`` (type
``eca-rule``) has one action group per classification, for the findings and per plan
section, and one action per recommendation, with its applicability condition as a
FHIRPath expression over the ``QuestionnaireResponse`` and its source sentence as a
``justification`` related artifact.

What FHIR does not carry here is listed in the README ("FHIR export"). Notably, the
engine picks the *first* matching category of a classification; FHIR defines no order
among actions, so each category's condition is exported with the earlier ones negated.

Stdlib only: the resources are plain dicts; the tests validate them with ``fhir.resources``.
"""

from __future__ import annotations

from typing import Any

from calculator.conditions import AllOf, Always, Condition, IncludesAny, Is, IsAnyOf
from calculator.formatting import citations_text
from calculator.kinds import canonical, kind_of, option_system
from calculator.model import Entry, Guideline, Source
from calculator.text import t

__all__ = [
    "EXT_ENABLE_WHEN_EXPRESSION",
    "FHIR_VERSION",
    "PLAN_TYPE",
    "ResponsePaths",
    "canonical",
    "fhirpath",
    "option_system",
    "plan_definition",
    "questionnaire",
    "response",
]

FHIR_VERSION = "4.0.1"
EXT_ENABLE_WHEN_EXPRESSION = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-enableWhenExpression"
PLAN_TYPE = "http://terminology.hl7.org/CodeSystem/plan-definition-type"


def _answers(question_id: str, field: str) -> str:
    return f"%resource.repeat(item).where(linkId='{question_id}').answer.{field}"


class ResponsePaths:
    """Where a QuestionnaireResponse holds each question's answers (``conditions.FhirPaths``):
    where its kind puts them, or, without a guideline, codes and decimals."""

    def __init__(self, guideline: Guideline | None = None) -> None:
        self.guideline = guideline

    def _field(self, question_id: str, default: str) -> str:
        if self.guideline is None or not self.guideline.has_question(question_id):
            return default
        return kind_of(self.guideline.question(question_id)).fhir_value

    def codes(self, question_id: str) -> str:
        return _answers(question_id, self._field(question_id, "valueCoding.code"))

    def numbers(self, question_id: str) -> str:
        return _answers(question_id, self._field(question_id, "valueDecimal"))


def fhirpath(condition: Condition, guideline: Guideline | None = None) -> str:
    """A FHIRPath boolean expression (never empty) equivalent to ``condition`` on a response.

    Each condition kind writes its own (``Condition.fhirpath``), so every kind the engine knows
    is exported; ``Guideline.check`` rejects any other."""
    return condition.fhirpath(ResponsePaths(guideline))


def _simple_enable_when(guideline: Guideline, condition: Condition) -> tuple[list[dict[str, Any]], str] | None:
    """``enableWhen`` entries and ``enableBehavior`` for conditions FHIR can state directly."""

    def answer(question_id: str, option: str) -> dict[str, Any]:
        question = guideline.question(question_id)
        coding = {"system": option_system(guideline, question), "code": option}
        return {"question": question_id, "operator": "=", "answerCoding": coding}

    if isinstance(condition, Always):
        return [], "all"
    if isinstance(condition, Is):
        return [answer(condition.question, condition.option)], "all"
    if isinstance(condition, IsAnyOf | IncludesAny):
        return [answer(condition.question, o) for o in condition.options], "any"
    if isinstance(condition, AllOf) and all(isinstance(p, Is) for p in condition.parts):
        return [answer(p.question, p.option) for p in condition.parts if isinstance(p, Is)], "all"
    return None


def _source_artifact(guideline: Guideline, source: Source | None) -> list[dict[str, Any]]:
    if source is None:
        return []
    cited_as = citations_text(source.citations)
    citation = guideline.info.source + (f", {cited_as}" if cited_as else "")
    return [
        {
            "type": "justification",
            "label": source.anchor,
            "display": guideline.sentences.get(source.anchor, ""),
            "citation": citation,
        }
    ]


def questionnaire(guideline: Guideline) -> dict[str, Any]:
    info = guideline.info
    groups = []
    for step in guideline.steps:
        items = []
        for question in step.questions:
            item: dict[str, Any] = {"linkId": question.id, "text": question.label, "required": True}
            item.update(kind_of(question).fhir_item(guideline, question))
            if question.applies_when.question_ids():
                simple = _simple_enable_when(guideline, question.applies_when)
                if simple is not None:
                    item["enableWhen"], item["enableBehavior"] = simple
                    if len(item["enableWhen"]) == 1:
                        del item["enableBehavior"]
                else:
                    expression = {"language": "text/fhirpath", "expression": fhirpath(question.applies_when, guideline)}
                    item.setdefault("extension", []).append(
                        {"url": EXT_ENABLE_WHEN_EXPRESSION, "valueExpression": expression}
                    )
            if question.help:
                item["item"] = [{"linkId": f"{question.id}.help", "type": "display", "text": question.help}]
            items.append(item)
        groups.append({"linkId": step.id, "type": "group", "text": step.title, "item": items})
    return {
        "resourceType": "Questionnaire",
        "id": f"{guideline.id}-questionnaire".replace("_", "-"),
        "url": canonical(guideline, "questionnaire"),
        "version": info.content_version,
        "name": guideline.id.title().replace("_", ""),
        "title": f"{info.title}: assessment",
        "status": "draft",
        "date": info.review_date,
        "publisher": ", ".join(info.authors),
        "description": info.intended_use,
        "item": groups,
    }


def _action(
    guideline: Guideline, action_id: str, title: str, text: str, expression: str, when: str, source: Source | None
) -> dict[str, Any]:
    action: dict[str, Any] = {
        "id": action_id,
        "title": title,
        "description": text,
        "condition": [
            {
                "kind": "applicability",
                "expression": {"language": "text/fhirpath", "expression": expression, "description": when},
            }
        ],
    }
    documentation = _source_artifact(guideline, source)
    if documentation:
        action["documentation"] = documentation
    return action


def _entry_action(guideline: Guideline, entry: Entry) -> dict[str, Any]:
    when = entry.when.describe(guideline)
    return _action(
        guideline, _fhir_id(entry.id), entry.id, entry.full_text, fhirpath(entry.when, guideline), when, entry.source
    )


def _fhir_id(text: str) -> str:
    """FHIR element ids allow letters, digits, '-' and '.' only."""
    return text.replace("_", "-")


def plan_definition(guideline: Guideline) -> dict[str, Any]:
    info = guideline.info
    groups: list[dict[str, Any]] = []
    for classification in guideline.classifications:
        earlier: list[str] = []
        actions = []
        for category in classification.categories:
            expression = fhirpath(category.when, guideline)
            effective = expression if not earlier else f"({expression}) and ({' or '.join(earlier)}).not()"
            earlier.append(f"({expression})")
            when = category.when.describe(guideline)
            if len(earlier) > 1:
                when = t("condition.first_match", condition=when)
            actions.append(
                _action(
                    guideline,
                    _fhir_id(f"{classification.id}.{category.id}"),
                    f"{classification.label}: {category.label}",
                    category.full_text,
                    effective,
                    when,
                    category.source,
                )
            )
        groups.append(
            {
                "id": _fhir_id(f"classification.{classification.id}"),
                "title": classification.label,
                "selectionBehavior": "exactly-one",
                "action": actions,
            }
        )
    if guideline.findings:
        groups.append(
            {
                "id": "findings",
                "title": "Findings",
                "selectionBehavior": "any",
                "action": [_entry_action(guideline, e) for e in guideline.findings],
            }
        )
    for section in guideline.sections:
        groups.append(
            {
                "id": _fhir_id(f"section.{section.id}"),
                "title": section.title,
                "selectionBehavior": "any",
                "action": [_entry_action(guideline, e) for e in section.entries],
            }
        )
    return {
        "resourceType": "PlanDefinition",
        "id": f"{guideline.id}-plan".replace("_", "-"),
        "url": canonical(guideline, "plandefinition"),
        "version": info.content_version,
        "name": guideline.id.title().replace("_", "") + "Recommendations",
        "title": info.title,
        "type": {"coding": [{"system": PLAN_TYPE, "code": "eca-rule"}]},
        "status": "draft",
        "date": info.review_date,
        "publisher": ", ".join(info.authors),
        "description": info.intended_use,
        "usage": (
            "Evaluate each action's condition against a QuestionnaireResponse to "
            f"{canonical(guideline, 'questionnaire')}."
        ),
        "relatedArtifact": [
            {"type": "citation", "citation": f"{', '.join(info.authors)}. {info.source}."},
        ],
        "action": groups,
    }


def response(guideline: Guideline, answers: dict[str, Any]) -> dict[str, Any]:
    """A QuestionnaireResponse for parsed-or-raw answers (used to evaluate the PlanDefinition)."""
    items = []
    for question in guideline.questions:
        if question.id not in answers:
            continue
        answer = kind_of(question).fhir_answer(guideline, question, answers[question.id])
        items.append({"linkId": question.id, "answer": answer})
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": canonical(guideline, "questionnaire"),
        "status": "completed",
        "item": items,
    }
