"""The result as plain text for a clinical note: what "Copy to note" puts on the clipboard.

Plain ASCII punctuation and short lines, so it pastes cleanly into an electronic health
record. It holds no patient identifier (the calculator asks for none): the answers, the
assessment, the plan with a source tag per item, and which guideline, content version,
review date, calculator and runtime produced it.
"""

from __future__ import annotations

from typing import Any


def _source_tag(source: dict[str, Any] | None) -> str:
    if not source:
        return ""
    tag = f"guideline #{source['anchor']}"
    if source["cited_as"]:
        tag += f", {source['cited_as']}"
    return f" [{tag}]"


def note_text(result: dict[str, Any], *, runtime: str) -> str:
    """Plain-text summary of an engine result (``calculator.engine.assess``).

    ``runtime`` names what ran the calculator (e.g. ``"Pyodide 314.0.7"``), so a note
    records exactly which build of the logic produced it.
    """
    guideline = result["guideline"]
    lines = [
        f"{guideline['title']}: calculator result",
        f"Guideline content {guideline['content_version']}, checked against source {guideline['review_date']}.",
        f"Calculator {result['calculator_version']} ({runtime}).",
        guideline["intended_use"],
        "",
        "Answers:",
    ]
    lines += [f"- {answer['label']} {answer['display']}" for answer in result["answers"]]
    lines.append("")
    for classification in result["classifications"]:
        category = classification["category"]
        lines.append(f"{classification['label']}: {category['label']}.{_source_tag(category['source'])}")
        lines.append(f"  {category['text']}")
    if result["findings"]:
        lines += ["", "Findings:"]
        lines += [f"- {item['text']}{_source_tag(item['source'])}" for item in result["findings"]]
    lines += ["", "Plan:"]
    if not result["sections"]:
        lines.append("- The guideline gives no management plan for these answers.")
    for section in result["sections"]:
        lines.append(f"{section['title']}:")
        lines += [f"- {item['text']}{_source_tag(item['source'])}" for item in section["items"]]
    return "\n".join(lines) + "\n"
