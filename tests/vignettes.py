"""Golden clinical vignettes: ``vignettes.json`` beside each guideline's ``guideline.py``.

A vignette gives complete answers and what the result must show: the category of each
named classification, and the exact sets of finding and plan item ids. Every
expectation names the marked guideline sentence that justifies it (``because``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VIGNETTES_FILE = "vignettes.json"


@dataclass(frozen=True, kw_only=True, slots=True)
class Vignette:
    guideline_dir: Path
    id: str
    description: str
    answers: dict[str, Any]
    classifications: dict[str, dict[str, str]]
    """classification id -> {"category": id, "because": anchor}"""
    findings: dict[str, str]
    """finding id -> anchor of the sentence that justifies expecting it"""
    plan: dict[str, str]
    """plan item id -> anchor of the sentence that justifies expecting it"""


def load_vignettes(guideline_dir: Path) -> list[Vignette]:
    document = json.loads((guideline_dir / VIGNETTES_FILE).read_text(encoding="utf-8"))
    return [
        Vignette(
            guideline_dir=guideline_dir,
            id=item["id"],
            description=item["description"],
            answers=item["answers"],
            classifications=item["expect"]["classifications"],
            findings=item["expect"]["findings"],
            plan=item["expect"]["plan"],
        )
        for item in document["vignettes"]
    ]


def result_summary(result: dict[str, Any]) -> dict[str, Any]:
    """A result in the shape of a vignette's expectations (without the justifications)."""
    return {
        "classifications": {c["id"]: c["category"]["id"] for c in result["classifications"]},
        "findings": sorted(item["id"] for item in result["findings"]),
        "plan": sorted(item["id"] for section in result["sections"] for item in section["items"]),
    }


def expected_summary(vignette: Vignette, result: dict[str, Any]) -> dict[str, Any]:
    """What ``result_summary`` must give for the vignette (classifications it does not name are free)."""
    shown = {c["id"]: c["category"]["id"] for c in result["classifications"]}
    return {
        "classifications": {**shown, **{k: v["category"] for k, v in vignette.classifications.items()}},
        "findings": sorted(vignette.findings),
        "plan": sorted(vignette.plan),
    }
