"""A site's own checks, without pytest or a browser: what ``guideline-site check`` runs.

For every guideline of the site (a folder under ``docs_dir`` holding ``guideline.py``, or
the module a page's front matter names with ``calculator: guideline.py``), in this order:

1. authoring: the module loads, and its catalogue agrees with the marked sentences of its
   page, short forms included (``calculator.loader.load_guideline``); a guideline that does
   not load is not checked further;
2. reachability: every rule is shown and every question asked for some answer set
   (``calculator.explore``), as the site build requires;
3. vignettes: each case of ``vignettes.json`` run in this Python, its expected categories,
   findings and plan items shown, each justified by a marked sentence the result cites
   (``calculator.vignettes``);
4. release record: the current ``content_version`` has a record under ``releases/`` that
   equals the current decision logic (``calculator.export.decision_logic``), so every
   published version is reproducible.

Each mistake is a ``Problem`` naming a file relative to the project, a line where one is
known, and what to do; the caller prints them (``str(problem)``) and fails if there are any.
The build checks the same things and more (source anchors in the rendered page); this is
the part that needs no Markdown rendering.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.utils.meta import get_data

from calculator.explore import explore, reachability_problems
from calculator.export import changes, decision_logic, without_build_details
from calculator.loader import MODULE_FILE, discover_guidelines, load_guideline
from calculator.model import Guideline, GuidelineDefinitionError, line_of
from calculator.text import t
from calculator.vignettes import VignetteError, load_vignettes, vignette_problems
from guideline_site.release import RELEASES_DIR


@dataclass(frozen=True, kw_only=True, slots=True)
class Problem:
    """One mistake: where (``path`` relative to the project, ``line`` when known) and what to do."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


def check_site(project_dir: Path, docs_dir: str = "docs") -> list[Problem]:
    """Every problem of every guideline under ``project_dir / docs_dir``; empty when all pass.

    Never raises for a mistake in the site's files: each becomes a ``Problem``.
    """
    project = project_dir.resolve()
    docs = project / docs_dir
    if not docs.is_dir():
        return [Problem(path=Path(docs_dir), line=None, message=t("cli.check.no_docs_dir"))]
    problems: list[Problem] = []
    modules = [folder / MODULE_FILE for folder in discover_guidelines(docs)]
    for page in sorted(docs.rglob("*.md")):
        module, problem = _calculator_module(page, project)
        if problem is not None:
            problems.append(problem)
        elif module is not None and module not in modules:
            modules.append(module)
    if not modules and not problems:
        return [Problem(path=Path(docs_dir), line=None, message=t("cli.check.no_guidelines"))]
    for module in modules:
        problems += guideline_problems(module, project)
    return problems


def guideline_problems(module: Path, project: Path) -> list[Problem]:
    """The problems of the guideline defined by ``module`` (absolute), paths relative to ``project``."""
    try:
        guideline = load_guideline(module)
    except GuidelineDefinitionError as error:
        return _load_problems(str(error), module, project)
    source = module.read_text(encoding="utf-8")
    problems = _reachability(guideline, source, module, project)
    problems += _vignettes(guideline, module.parent, project)
    problems += _release_record(guideline, source, module, project)
    return problems


def _calculator_module(page: Path, project: Path) -> tuple[Path | None, Problem | None]:
    """The module a page's front matter names (``calculator: guideline.py``), if any."""
    try:
        _, meta = get_data(page.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None, None  # not a guideline page's business here: the build reports unreadable pages
    name = meta.get("calculator")
    if name is None:
        return None, None
    if not isinstance(name, str) or "/" in name or "\\" in name:
        return None, Problem(path=_relative(page, project), line=None, message=t("cli.check.front_matter"))
    return page.parent / name, None


_LOCATED = re.compile(r"(?P<path>[^\n]+?)(?::(?P<line>\d+))?: (?P<message>.*)")


def _load_problems(error: str, module: Path, project: Path) -> list[Problem]:
    """``load_guideline``'s message, one problem per mistake it lists.

    It writes each as ``file:line: message`` (or ``file: message``), after a heading line when
    there are several (``guideline 'x' has 2 problem(s):``); a mistake without a file is the
    module's.
    """
    lines = error.splitlines()
    if len(lines) > 1:
        lines = [line.removeprefix("  - ") for line in lines[1:]]
    problems = []
    for text in lines:
        match = _LOCATED.fullmatch(text)
        path = Path(match["path"]) if match else None
        if match and path is not None and path.is_absolute() and path.is_relative_to(project):
            line = int(match["line"]) if match["line"] else None
            problems.append(_problem(path, line, match["message"], project))
        else:
            problems.append(_problem(module, None, text, project))
    return problems


def _reachability(guideline: Guideline, source: str, module: Path, project: Path) -> list[Problem]:
    try:
        exploration = explore(guideline)
    except ValueError as error:  # no valid answer set at all: its constraints cannot all be met
        return [_problem(module, None, str(error), project)]
    return [
        _problem(module, line_of(source, problem.at), problem.message, project)
        for problem in reachability_problems(guideline, exploration)
    ]


def _vignettes(guideline: Guideline, folder: Path, project: Path) -> list[Problem]:
    try:
        vignettes = load_vignettes(folder)
    except VignetteError as error:
        return [_problem(error.file, error.line, error.message, project)]
    return [
        _problem(vignette.file, vignette.line, message, project)
        for vignette in vignettes
        for message in vignette_problems(guideline, vignette)
    ]


def _release_record(guideline: Guideline, source: str, module: Path, project: Path) -> list[Problem]:
    """The current content version's record must exist and equal the current decision logic."""
    version = guideline.info.content_version
    record = module.parent / RELEASES_DIR / f"{version}.json"
    folder = _relative(module.parent, project)
    relative_record = _relative(record, project)
    version_line = _content_version_line(source)
    if not record.is_file():
        message = t("cli.check.release.missing", version=version, record=relative_record, folder=folder)
        return [_problem(module, version_line, message, project)]
    try:
        recorded = json.loads(record.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = error.lineno if isinstance(error, json.JSONDecodeError) else None
        return [_problem(record, line, t("cli.check.release.unreadable", error=error, folder=folder), project)]
    current = json.loads(json.dumps(without_build_details(decision_logic(guideline))))
    if current != recorded:
        changed = _changed_ids(recorded, current) or t("cli.check.release.changed_elsewhere")
        message = t(
            "cli.check.release.changed", version=version, record=relative_record, folder=folder, changed=changed
        )
        return [_problem(module, version_line, message, project)]
    return []


def _changed_ids(recorded: object, current: dict[str, Any]) -> str:
    """The ids of the recommendations and questions that differ from the record, as a list in words."""
    try:
        found = changes(recorded, current) if isinstance(recorded, dict) else {}
    except (KeyError, TypeError):  # a record of another shape: the ids cannot be told
        return ""
    return ", ".join(dict.fromkeys(change["id"] for kind in found.values() for change in kind))


_CONTENT_VERSION = re.compile(r"\bcontent_version\s*=")


def _content_version_line(source: str) -> int | None:
    match = _CONTENT_VERSION.search(source)
    return source.count("\n", 0, match.start()) + 1 if match else None


def _problem(path: Path, line: int | None, message: str, project: Path) -> Problem:
    """A problem whose path, and the paths its message names, are relative to ``project``."""
    return Problem(path=_relative(path, project), line=line, message=message.replace(f"{project}{os.sep}", ""))


def _relative(path: Path, project: Path) -> Path:
    return path.relative_to(project) if path.is_relative_to(project) else path
