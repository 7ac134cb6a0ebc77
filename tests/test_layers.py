"""The engine's modules import in one direction, and its public names all import.

Every ``import`` of a ``calculator`` module counts, wherever it is written: at the top, inside
a function (a lazy import only moves the circle to run time) or under ``TYPE_CHECKING`` (the
types still say which module needs which). None of these may form a circle, so the modules
stand in layers: the words (``text``) at the bottom, then ``formatting``, ``conditions``,
the ``questions`` kinds read, the ``kinds``, the ``model``, and everything that runs a
guideline above them (see ``calculator/__init__.py``).

A package below ``calculator`` counts as one module: the kinds' registry
(``calculator.kinds``) loads its modules by listing its folder and they register with it, so a
kind's module importing something that imports the registry is a circle too. Not counted: a
module's implicit import of the ``calculator`` package, whose ``__init__`` is the top layer
(the public names, each imported when first asked; its modules name it in no import).
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import TypeAlias

import pytest

import calculator

Graph: TypeAlias = dict[str, dict[str, int | str]]
PACKAGE = Path(calculator.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str) -> Iterator[tuple[str, int]]:
    """Each engine module ``name`` imports, with the line that imports it (a string that is a
    module's whole name counts: it is there for ``importlib.import_module``)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Constant) and node.value in MODULES:
            yield node.value, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES:
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in MODULES:
                    yield submodule, node.lineno
                elif source in MODULES:
                    yield source, node.lineno


def layer(name: str) -> str:
    """The module, or the package below ``calculator`` it is part of (``calculator.kinds``)."""
    return ".".join(name.split(".")[:2])


def import_graph() -> Graph:
    """Module -> {module it imports: first line that does} (lines of a package's own modules
    are written ``module:line``)."""
    graph: Graph = {}
    for name in MODULES:
        edges = graph.setdefault(layer(name), {})
        for imported, line in imports(name):
            if layer(imported) != layer(name):
                edges.setdefault(layer(imported), line if layer(name) == name else f"{name}:{line}")
    return graph


def cycles(graph: Graph) -> list[tuple[list[str], list[str]]]:
    """Each group of modules that import each other, with one shortest circle through its first
    module (Tarjan's strongly connected components, then a breadth-first path back)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    found = []
    for group in groups:
        start = min(group)
        paths = {start: [start]}
        frontier = [start]
        while frontier and start not in {t for n in frontier for t in graph[n]}:
            following = []
            for node in frontier:
                for target in sorted(graph[node]):
                    if target in group and target not in paths:
                        paths[target] = [*paths[node], target]
                        following.append(target)
            frontier = following
        last = next(n for n in frontier if start in graph[n])
        found.append((sorted(group), [*paths[last], start]))
    return found


def test_the_cycle_finder_names_a_circle() -> None:
    graph = {"a": {"b": 3}, "b": {"c": 5}, "c": {"a": 7}, "d": {"a": 1}}
    assert cycles(graph) == [(["a", "b", "c"], ["a", "b", "c", "a"])]
    assert cycles({"a": {"b": 1}, "b": {}}) == []


def test_engine_modules_import_in_one_direction() -> None:
    graph = import_graph()
    described = [
        f"{', '.join(group)} import each other; for one:\n  "
        + " -> ".join(f"{a} (line {graph[a][b]})" for a, b in pairwise(circle))
        + f" -> {circle[-1]}"
        for group, circle in cycles(graph)
    ]
    assert not described, "engine modules import each other in a circle:\n" + "\n".join(described)


def test_the_graph_sees_lazy_imports_and_whole_packages() -> None:
    """The loader imports the Markdown reader only in functions and under ``TYPE_CHECKING``; the
    kinds' modules count as their package."""
    graph = import_graph()
    assert "calculator.sentences" in graph["calculator.loader"]
    assert "calculator.kinds" in graph and "calculator.kinds.choice" not in graph
    assert str(graph["calculator.kinds"]["calculator.formatting"]).startswith("calculator.kinds.")
    assert "calculator.engine" in graph["calculator"]


def test_a_catalogue_has_the_kinds_words_whatever_was_imported_first() -> None:
    """The words' module imports no kind; importing any module of the engine hands it theirs."""
    code = "from calculator.text import load_catalogue; print(load_catalogue().strings['kinds.number'])"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "number from {minimum} to {maximum} {unit}"


@pytest.mark.parametrize("name", getattr(calculator, "__all__", ()))
def test_every_public_name_imports(name: str) -> None:
    """A public name that is also a module's is that module, on first asking too: the import
    system sets a package's attribute to each submodule it loads, so a function of that name
    would be one thing or the other depending on what was imported before."""
    package = importlib.import_module("calculator")
    assert getattr(package, name) is not None
    if f"calculator.{name}" in MODULES:
        first_asked = package.__getattr__(name)  # what the package gives before the module is loaded
        assert first_asked is importlib.import_module(f"calculator.{name}")


def test_public_names_are_unique_and_listed_for_dir() -> None:
    assert len(set(calculator.__all__)) == len(calculator.__all__)
    assert set(calculator.__all__) <= set(dir(calculator))


def test_importing_the_package_runs_no_guideline_machinery() -> None:
    """The public names load when first asked, so a script that needs only ``calculator.protocol``
    (or the browser, before it needs the engine) pays for nothing else."""
    code = "import sys, calculator; print(' '.join(sorted(m for m in sys.modules if m.startswith('calculator'))))"
    loaded = set(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    )
    assert not loaded & {"calculator.engine", "calculator.model", "calculator.loader", "calculator.schema"}
