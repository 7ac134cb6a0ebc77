"""Computable exports of a guideline's decision logic, and comparison between releases.

* ``decision_logic``: everything the engine decides with, as JSON: questions (with when
  they apply), consistency checks, classifications, findings and the plan, each with its
  condition as data and in words, and its source sentence. Written by the build as
  ``<guideline>/decision-logic.json``; the same document is kept per release in
  ``content/<guideline>/releases/<content version>.json`` (the clinical change record).
* ``decision_rows``: the same logic flattened into CSV rows (a decision table).
* ``changes``: what changed between two such documents, for the "What changed" page.

Stdlib only, like the rest of ``calculator``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from calculator.conditions import Condition
from calculator.formatting import source_json
from calculator.model import Entry, Guideline, Source
from calculator.schema import answer_schema, guideline_json
from calculator.version import __version__

FORMAT = "guideline-decision-logic/1"


def _source(guideline: Guideline, source: Source | None) -> dict[str, Any] | None:
    return source_json(source, guideline.sentences)


def _condition(guideline: Guideline, condition: Condition) -> dict[str, Any]:
    return {"logic": condition.to_json(), "text": condition.describe(guideline)}


def _entry(guideline: Guideline, entry: Entry) -> dict[str, Any]:
    described = {
        "id": entry.id,
        "text": entry.full_text,
        "when": _condition(guideline, entry.when),
        "source": _source(guideline, entry.source),
    }
    if entry.short:  # the summary's wording, when the author gave one (else the text is shown)
        described["short"] = entry.short
    return described


def decision_logic(guideline: Guideline) -> dict[str, Any]:
    """The guideline's complete decision logic as a JSON-serialisable document."""
    questions = []
    for step in guideline.steps:
        for question in step.questions:
            described: dict[str, Any] = {
                "id": question.id,
                "step": step.id,
                "step_title": step.title,
                "kind": question.kind,
                "label": question.label,
                "help": question.help,
                "help_source": _source(guideline, question.help_source),
                "applies_when": _condition(guideline, question.applies_when),
                **answer_schema(question, lambda source: _source(guideline, source)),
            }
            questions.append(described)
    return {
        "format": FORMAT,
        "guideline": guideline_json(guideline),
        "calculator_version": __version__,
        "questions": questions,
        "constraints": [
            {
                "id": c.id,
                "fields": list(c.fields),
                "violated_when": _condition(guideline, c.violated_when),
                "message": c.message,
            }
            for c in guideline.constraints
        ],
        "classifications": [
            {
                "id": c.id,
                "label": c.label,
                "categories": [
                    {
                        "id": k.id,
                        "label": k.label,
                        "text": k.full_text,
                        "when": _condition(guideline, k.when),
                        "source": _source(guideline, k.source),
                    }
                    for k in c.categories
                ],
            }
            for c in guideline.classifications
        ],
        "findings": [_entry(guideline, e) for e in guideline.findings],
        "sections": [
            {"id": s.id, "title": s.title, "entries": [_entry(guideline, e) for e in s.entries]}
            for s in guideline.sections
        ],
        "sentences": dict(guideline.sentences),
    }


CSV_COLUMNS = ("kind", "group", "id", "when", "shows", "source_anchor", "citations", "source_sentence")


def decision_rows(logic: dict[str, Any]) -> Iterator[dict[str, str]]:
    """One row per rule: classifications (first match wins), findings, plan entries."""

    def row(kind: str, group: str, item: dict[str, Any], shows: str) -> dict[str, str]:
        source = item.get("source") or {}
        return {
            "kind": kind,
            "group": group,
            "id": item["id"],
            "when": item["when"]["text"],
            "shows": shows,
            "source_anchor": source.get("anchor", ""),
            "citations": " ".join(str(c) for c in source.get("citations", [])),
            "source_sentence": source.get("quote", ""),
        }

    for classification in logic["classifications"]:
        for category in classification["categories"]:
            yield row("classification", classification["id"], category, f"{category['label']}: {category['text']}")
    for finding in logic["findings"]:
        yield row("finding", "findings", finding, finding["text"])
    for section in logic["sections"]:
        for entry in section["entries"]:
            yield row("recommendation", section["id"], entry, entry["text"])


def decision_table_csv(logic: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(decision_rows(logic))
    return out.getvalue()


# --- What changed between two releases ---------------------------------------------------


def _recommendations(logic: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Everything a result can show, by id: categories (``<classification>.<id>``) and entries."""
    found: dict[str, dict[str, Any]] = {}
    for classification in logic["classifications"]:
        for category in classification["categories"]:
            found[f"{classification['id']}.{category['id']}"] = {
                "text": f"{category['label']}: {category['text']}",
                "when": category["when"],
                "source": category["source"],
                "group": classification["label"],
            }
    for finding in logic["findings"]:
        found[finding["id"]] = {**finding, "group": "Findings"}
    for section in logic["sections"]:
        for entry in section["entries"]:
            found[entry["id"]] = {**entry, "group": section["title"]}
    return found


def changes(previous: dict[str, Any], current: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Recommendations added, removed, reworded, given a new short form (the summary's wording),
    or shown under changed conditions; question changes."""
    before, after = _recommendations(previous), _recommendations(current)
    reworded, shortened, rule_changed = [], [], []
    for key in after.keys() & before.keys():
        old, new = before[key], after[key]
        if old["text"] != new["text"]:
            reworded.append({"id": key, "group": new["group"], "before": old["text"], "after": new["text"]})
        if old.get("short", "") != new.get("short", ""):
            shortened.append(
                {"id": key, "group": new["group"], "before": old.get("short", ""), "after": new.get("short", "")}
            )
        if old["when"]["logic"] != new["when"]["logic"] or old["source"] != new["source"]:
            rule_changed.append(
                {
                    "id": key,
                    "group": new["group"],
                    "before": old["when"]["text"],
                    "after": new["when"]["text"],
                    "source_before": old["source"],
                    "source_after": new["source"],
                }
            )
    old_questions = {q["id"]: q for q in previous["questions"]}
    new_questions = {q["id"]: q for q in current["questions"]}
    questions = [
        {"id": qid, "change": "added", "label": new_questions[qid]["label"]}
        for qid in new_questions
        if qid not in old_questions
    ]
    questions += [
        {"id": qid, "change": "removed", "label": old_questions[qid]["label"]}
        for qid in old_questions
        if qid not in new_questions
    ]
    questions += [
        {"id": qid, "change": "changed", "label": new_questions[qid]["label"]}
        for qid in new_questions
        if qid in old_questions and new_questions[qid] != old_questions[qid]
    ]
    return {
        "added": [{"id": k, "group": after[k]["group"], "text": after[k]["text"]} for k in after if k not in before],
        "removed": [
            {"id": k, "group": before[k]["group"], "text": before[k]["text"]} for k in before if k not in after
        ],
        "reworded": sorted(reworded, key=lambda change: list(after).index(change["id"])),
        "shortened": sorted(shortened, key=lambda change: list(after).index(change["id"])),
        "rule_changed": sorted(rule_changed, key=lambda change: list(after).index(change["id"])),
        "questions": questions,
    }


def without_build_details(logic: dict[str, Any]) -> dict[str, Any]:
    """The clinical content only: what a release record must keep unchanged."""
    return {key: value for key, value in logic.items() if key != "calculator_version"}
