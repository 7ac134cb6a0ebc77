"""Record a guideline release: its decision logic, kept beside the guideline.

    guideline-site release-record docs/<guideline> [--overwrite]

Writes ``<guideline>/releases/<content version>.json``: the guideline's decision logic
(``calculator.export.decision_logic``) without build details. The "What changed" page
compares the current logic with the previous release's record, and ``check`` fails when the
logic of a recorded version has changed: a clinical change needs a new content version (and
a new record), so every published version is reproducible.
"""

from __future__ import annotations

import json
from pathlib import Path

from calculator.export import decision_logic, without_build_details
from calculator.loader import load_guideline
from calculator.text import t

RELEASES_DIR = "releases"
"""The folder of a guideline that holds its release records (never published as a page)."""


class ReleaseRecordError(ValueError):
    """A record that would silently rewrite a published version; the message says what to do
    (in the active catalogue's language, ``cli.release.changed``)."""


def record_path(folder: Path, version: str) -> Path:
    """Where the record of ``version`` of the guideline in ``folder`` lives (it may not exist)."""
    return folder / RELEASES_DIR / f"{version}.json"


def write_record(folder: Path, *, overwrite: bool = False) -> Path:
    """Write the record of the current content version of the guideline in ``folder``; return its path.

    Writing the same logic again is harmless. A record of the same version with different
    logic raises ``ReleaseRecordError`` unless ``overwrite`` (to correct an unpublished
    record). An authoring mistake raises ``calculator.model.GuidelineDefinitionError``.
    """
    guideline = load_guideline(folder)
    path = record_path(folder, guideline.info.content_version)
    logic = without_build_details(decision_logic(guideline))
    if path.exists() and not overwrite and json.loads(path.read_text(encoding="utf-8")) != logic:
        raise ReleaseRecordError(t("cli.release.changed", path=path, version=guideline.info.content_version))
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(logic, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
