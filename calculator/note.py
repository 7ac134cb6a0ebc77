"""The result as plain text for a clinical note: what "Copy to note" puts on the clipboard.

Plain punctuation and short lines, so it pastes cleanly into an electronic health
record; its separators come from the catalogue like its headings (``note.classification``,
``note.section``), so a French note puts the non-breaking space before ":" throughout.
It holds no patient identifier (the calculator asks for none): the answers, the
assessment, the plan with a source tag per item, and which guideline, content version,
review date, calculator and runtime produced it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from calculator.formatting import date_text
from calculator.text import t


def _source_tag(source: dict[str, Any] | None) -> str:
    if not source:
        return ""
    tag = t("note.source", anchor=source["anchor"])
    if source["cited_as"]:
        tag += f", {source['cited_as']}"
    return f" [{tag}]"


def overdue_since(result: dict[str, Any], today: date) -> str | None:
    """The date the guideline's next review was due, if ``today`` is past it; else None."""
    due = result["guideline"].get("review_due")
    return due if due is not None and today > date.fromisoformat(due) else None


def note_text(result: dict[str, Any], *, runtime: str, today: date | None = None) -> str:
    """Plain-text summary of an engine result (``calculator.engine.assess``).

    ``runtime`` names what ran the calculator (e.g. ``"Pyodide 314.0.7"``), so a note
    records exactly which build of the logic produced it. ``today`` (the device's date by
    default) decides whether the note says the guideline's review is overdue.
    """
    guideline = result["guideline"]
    lines = [t("note.title", title=guideline["title"])]
    overdue = overdue_since(result, today or date.today())
    if overdue:
        lines.append(t("note.overdue", review_due=date_text(overdue), review_date=date_text(guideline["review_date"])))
    reviewed = date_text(guideline["review_date"])
    lines.append(t("note.content", content_version=guideline["content_version"], review_date=reviewed))
    if guideline.get("review_due") and not overdue:
        lines.append(t("note.review_due", review_due=date_text(guideline["review_due"])))
    lines += [
        t("note.calculator", calculator_version=result["calculator_version"], runtime=runtime),
        guideline["intended_use"],
        "",
        t("note.answers"),
    ]
    lines += [f"- {answer['label']} {answer['display']}" for answer in result["answers"]]
    lines.append("")
    for classification in result["classifications"]:
        category = classification["category"]
        category_line = t("note.classification", label=classification["label"], category=category["label"])
        lines.append(category_line + _source_tag(category["source"]))
        lines.append(f"  {category['text']}")
    if result["findings"]:
        lines += ["", t("note.findings")]
        lines += [f"- {item['text']}{_source_tag(item['source'])}" for item in result["findings"]]
    lines += ["", t("note.plan")]
    if not result["sections"]:
        lines.append(f"- {t('note.no_plan')}")
    for section in result["sections"]:
        lines.append(t("note.section", title=section["title"]))
        lines += [f"- {item['text']}{_source_tag(item['source'])}" for item in section["items"]]
    return "\n".join(lines) + "\n"
