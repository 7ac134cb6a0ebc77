"""Find and load a guideline: a folder whose ``guideline.py`` defines ``GUIDELINE``.

The same module source is loaded by CPython (tests, CLI, site build) from the file
and by Pyodide in the browser from the text the worker fetched, so both runtimes run
one code base. A guideline module may import only the standard library and
``calculator``.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

from calculator.model import Guideline, GuidelineDefinitionError

MODULE_FILE = "guideline.py"
"""The file in a guideline folder that defines ``GUIDELINE``."""


def load_guideline_source(source: str, *, filename: str) -> Guideline:
    """Execute a guideline module's source and return its checked ``GUIDELINE``."""
    module_name = "calculator_guideline_" + str(abs(hash(filename)))
    module = types.ModuleType(module_name)
    module.__file__ = filename
    # dataclasses and typing look the module up while the class bodies execute.
    sys.modules[module_name] = module
    try:
        code = compile(source, filename, "exec")
        exec(code, module.__dict__)
    finally:
        del sys.modules[module_name]
    guideline = module.__dict__.get("GUIDELINE")
    if not isinstance(guideline, Guideline):
        raise GuidelineDefinitionError(f"{filename}: define GUIDELINE = Guideline(...) at module level")
    guideline.check()
    return guideline


def load_guideline(path: Path) -> Guideline:
    """Load the guideline in folder ``path`` (or from ``path`` itself if it is the module)."""
    module_path = path / MODULE_FILE if path.is_dir() else path
    if not module_path.is_file():
        raise GuidelineDefinitionError(f"{module_path}: no such guideline module")
    return load_guideline_source(module_path.read_text(encoding="utf-8"), filename=str(module_path))


def discover_guidelines(content_dir: Path) -> list[Path]:
    """Guideline folders directly under ``content_dir`` (those holding a ``guideline.py``)."""
    return sorted(p.parent for p in content_dir.glob(f"*/{MODULE_FILE}"))
