"""A second guideline needs no machinery change: the non-clinical fixture beside AIMSS.

``tests/fixtures/docformat/`` is a demonstration guideline (never published with the clinical
site). A site is built with both guidelines; both calculators run in Chromium, sharing one
Pyodide runtime and one service-worker precache.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, build_site, copy_project, require
from guideline_site.assets import service_worker_manifest
from guideline_site.server import SiteServer
from playwright.sync_api import Page
from ui import vignettes_through_the_form

FIXTURE = ROOT / "tests" / "fixtures" / "docformat"
MACHINERY = ("calculator/", "scripts/", "theme/", "mkdocs.yml", "Makefile", "pyproject.toml", "package.json")


@pytest.fixture(scope="module")
def two_guideline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("two") / "project")
    shutil.copytree(FIXTURE, project / "content" / "docformat")
    completed = build_site(project, project / "site")
    assert completed.returncode == 0, completed.stderr
    return project / "site"


def test_both_guidelines_are_built_sharing_one_runtime_and_one_precache(two_guideline_site: Path) -> None:
    site = two_guideline_site
    for name in ("aimss", "docformat"):
        for page in ("index.html", "calculator/index.html", "decision-table/index.html", "changes/index.html"):
            assert (site / name / page).is_file(), f"{name}/{page}"
        assert f'href="{name}/calculator/"' in (site / "index.html").read_text()
    assert len(list((site / "assets" / "pyodide").iterdir())) == 1
    assert len(list((site / "assets" / "calculator").glob("*.whl"))) == 1
    shell = {path for path, _ in service_worker_manifest(site)["shell"]}
    assert any(path.endswith(".whl") for path in shell)  # one calculator package for both
    for name in ("aimss", "docformat"):
        group = {path for path, _ in json.loads((site / name / "offline.json").read_text())["files"]}
        assert {f"{name}/calculator/", f"{name}/guideline.py", f"{name}/search.json"} <= group


@pytest.mark.build
def test_the_fixtures_count_question_is_rendered_by_its_kinds_partial(two_guideline_site: Path) -> None:
    html = (two_guideline_site / "docformat" / "calculator" / "index.html").read_text()
    assert 'data-question="reviewers" data-kind="count" data-answer="number"' in html
    assert 'inputmode="numeric" id="gc-reviewers"' in html


@pytest.fixture(scope="module")
def two_guideline_server(two_guideline_site: Path) -> Iterator[SiteServer]:
    with SiteServer(two_guideline_site, prefix="/guidelines/") as server:
        yield server


@pytest.mark.browser
@pytest.mark.parametrize("folder", [ROOT / "content" / "aimss", FIXTURE], ids=lambda p: p.name)
def test_each_calculator_runs_its_vignettes_in_chromium(
    page: Page, two_guideline_server: SiteServer, folder: Path
) -> None:
    vignettes_through_the_form(page, two_guideline_server, folder)


def test_the_commit_that_added_the_fixture_changed_no_machinery() -> None:
    require((ROOT / ".git").exists() and shutil.which("git") is not None, "not a git checkout")
    shallow = subprocess.run(
        ["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    if shallow == "true":  # its one commit "adds" every file: the history that proves it is not here
        pytest.skip("a shallow clone lacks the fixture's own commit: clone with full history")
    added = subprocess.run(
        ["git", "log", "--diff-filter=A", "--format=%H", "--", "tests/fixtures/docformat/guideline.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    require(bool(added), "the fixture is not committed yet: commit tests/fixtures/docformat on its own")
    changed = subprocess.run(
        ["git", "show", "--name-only", "--format=", added[-1]], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert changed and all(path.startswith("tests/") for path in changed), changed
    assert not [path for path in changed if path.startswith(MACHINERY)]
