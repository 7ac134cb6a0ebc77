"""Conformance of the built pages: the Nu Html Checker (``vnu-jar`` from npm, run with Java)
over every HTML page of the session's site.

Any error fails the test, except the two that Material for MkDocs' own templates produce on
every page and that are not ours to fix (``UPSTREAM``, each matched on its message and on the
Material markup it is reported for, so the same mistake in our templates still fails). Every
page must also have a level-1 heading (the checker reports its absence as a warning only).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, require

VNU_JAR = Path(os.environ.get("VNU_JAR") or ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar")
"""The checker from ``package.json``'s devDependencies; ``VNU_JAR`` points elsewhere for a local run
before ``npm ci`` has installed it."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Upstream:
    """An error in Material's own markup: its message, and the markup it is reported on."""

    why: str
    message: re.Pattern[str]
    extract: re.Pattern[str]

    def matches(self, report: dict[str, Any]) -> bool:
        return bool(self.message.fullmatch(report["message"]) and self.extract.search(report.get("extract", "")))


UPSTREAM = (
    Upstream(
        why="Material 9.8's base.html: its drawer and search toggles are checkboxes with "
        'autocomplete="off" (so that Firefox does not restore them open)',
        message=re.compile(r"Attribute “autocomplete” is only allowed when the input type is .*"),
        extract=re.compile(r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox"'),
    ),
    Upstream(
        why="Material 9.8's partials/nav-item.html: a section's label gets tabindex=\"\" "
        '(tabindex="{{ tabindex }}", set only when the item is not a section)',
        message=re.compile(r"Bad value “” for attribute “tabindex” on element “label”: .*"),
        extract=re.compile(r'<label class="md-nav__link" for="__nav_[\d_]+" id="__nav_[\d_]+_label" tabindex='),
    ),
)

H1 = re.compile(r"<h1[\s>]")


@pytest.fixture(scope="module")
def reports(built_site: Path) -> dict[str, list[dict[str, Any]]]:
    """The checker's messages for every built page, by page path (relative to the site)."""
    require(shutil.which("java") is not None, "Java is missing: apt-get install default-jre-headless")
    require(VNU_JAR.exists(), f"vnu.jar not found at {VNU_JAR}: run `npm ci` (or set VNU_JAR)")
    pages = sorted(built_site.rglob("*.html"))
    assert pages
    completed = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, pages)],
        capture_output=True,
        text=True,
        check=True,
    )
    by_page: dict[str, list[dict[str, Any]]] = {p.relative_to(built_site).as_posix(): [] for p in pages}
    for report in json.loads(completed.stderr)["messages"]:
        path = Path(report["url"].removeprefix("file:")).relative_to(built_site).as_posix()
        by_page[path].append(report)
    return by_page


def describe(path: str, report: dict[str, Any]) -> str:
    return f"{path}:{report.get('lastLine')}: {report['message']} [{report.get('extract', '').strip()}]"


def test_every_page_is_valid_html_but_for_materials_documented_errors(reports: dict[str, list[dict[str, Any]]]) -> None:
    errors = [
        describe(path, report)
        for path, found in reports.items()
        for report in found
        if report["type"] in {"error", "non-document-error"} and not any(u.matches(report) for u in UPSTREAM)
    ]
    assert errors == []


def test_every_upstream_exception_is_still_needed(reports: dict[str, list[dict[str, Any]]]) -> None:
    """An exception Material no longer needs is removed, so it cannot hide one of ours."""
    seen = [u.why for u in UPSTREAM if any(u.matches(r) for found in reports.values() for r in found)]
    assert seen == [u.why for u in UPSTREAM]


def test_every_page_has_a_level_one_heading(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert [p.relative_to(built_site).as_posix() for p in pages if not H1.search(p.read_text(encoding="utf-8"))] == []
