"""``make new-guideline NAME=...`` gives a guideline that builds and passes its checks at once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import build_site, copy_project

from calculator.engine import assess
from calculator.export import decision_logic, without_build_details
from calculator.loader import load_guideline
from calculator.vignettes import expected_summary, load_vignettes, result_summary


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def test_new_guideline_builds_and_passes_its_checks(project: Path) -> None:
    created = subprocess.run(
        [sys.executable, "scripts/new_guideline.py", "demo", "--title", "Demonstration guideline"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert created.returncode == 0, created.stderr
    folder = project / "content" / "demo"
    assert sorted(p.name for p in folder.iterdir()) == [
        "calculator.md",
        "guideline.py",
        "index.md",
        "releases",
        "vignettes.json",
    ]
    guideline = load_guideline(folder)  # the authoring checks
    for vignette in load_vignettes(folder):
        result = assess(guideline, vignette.answers)
        assert result_summary(result) == expected_summary(vignette, result)
    record = json.loads((folder / "releases" / "0.1.0.json").read_text())
    assert record == json.loads(json.dumps(without_build_details(decision_logic(guideline))))

    completed = build_site(project, project / "site")
    assert completed.returncode == 0, completed.stderr
    site = project / "site"
    for page in (
        "demo/index.html",
        "demo/calculator/index.html",
        "demo/decision-table/index.html",
        "demo/changes/index.html",
        "demo/embed/index.html",
        "demo/fhir/PlanDefinition.json",
    ):
        assert (site / page).is_file(), page
    assert 'href="demo/calculator/"' in (site / "index.html").read_text()
    assert "not for clinical use" in (site / "demo" / "calculator" / "index.html").read_text()
    assert "This is the first release of this guideline" in (site / "demo" / "changes" / "index.html").read_text()


def test_an_existing_or_malformed_name_is_refused(project: Path) -> None:
    for name, says in (("aimss", "already exists"), ("Bad Name", "use lower-case letters")):
        completed = subprocess.run(
            [sys.executable, "scripts/new_guideline.py", name], cwd=project, capture_output=True, text=True
        )
        assert completed.returncode != 0 and says in completed.stderr
