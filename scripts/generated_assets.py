"""Write the browser's generated modules and types, for type checking and node's tests.

    python scripts/generated_assets.py build/generated

The site build puts ``protocol.mjs`` and ``catalogue.mjs`` into ``assets/calculator/``
(``scripts/guideline_site/plugin.py``). The hand-written modules in ``theme/assets/calculator/``
import them, so ``tsc`` (``theme/tsconfig.json``, whose ``rootDirs`` lays this folder over
``theme/assets``) and the node tests (``tests/js/``) need them too, with ``contract.d.mts``:
the TypeScript types of the JSON Schemas in ``calculator/contract.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT), str(PROJECT / "scripts")]

from guideline_site import assets as site_assets  # noqa: E402

from calculator.text import DEFAULT_LANGUAGE, load_catalogue  # noqa: E402


def write_generated(out: Path, *, language: str = DEFAULT_LANGUAGE) -> Path:
    """Write the generated files under ``out/assets/calculator/``; return that folder."""
    folder = out / "assets" / "calculator"
    folder.mkdir(parents=True, exist_ok=True)
    version = site_assets.pinned_pyodide_version(PROJECT)
    (folder / "protocol.mjs").write_text(site_assets.protocol_module(version), encoding="utf-8")
    catalogue = site_assets.catalogue_module(load_catalogue(language))
    (folder / "catalogue.mjs").write_text(catalogue, encoding="utf-8")
    (folder / "contract.d.mts").write_text(site_assets.typescript_declarations(), encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write assets/calculator/ into (e.g. build/generated)")
    write_generated(parser.parse_args().out)


if __name__ == "__main__":
    main()
