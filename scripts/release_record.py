"""Record a guideline release: its decision logic, kept in the repository.

    python scripts/release_record.py content/<guideline>      (make release-record GUIDELINE=<guideline>)

Writes ``content/<guideline>/releases/<content version>.json``: the guideline's decision
logic (``calculator.export.decision_logic``) without build details. The "What changed"
page compares the current logic with the previous release's record, and a test fails
when the logic of a recorded version has changed: a clinical change needs a new content
version (and a new record), so every published version is reproducible.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from calculator.export import decision_logic, without_build_details  # noqa: E402
from calculator.loader import load_guideline  # noqa: E402

RELEASES_DIR = "releases"


def record_path(folder: Path, version: str) -> Path:
    return folder / RELEASES_DIR / f"{version}.json"


def write_record(folder: Path, *, overwrite: bool = False) -> Path:
    guideline = load_guideline(folder)
    path = record_path(folder, guideline.info.content_version)
    logic = without_build_details(decision_logic(guideline))
    if path.exists() and not overwrite and json.loads(path.read_text(encoding="utf-8")) != logic:
        raise SystemExit(
            f"{path} already records a different content {guideline.info.content_version}: raise content_version "
            "in guideline.py for a new release (or pass --overwrite to correct an unpublished record)"
        )
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(logic, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("guideline", type=Path, help="the guideline folder, e.g. content/<name>")
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args()
    print(write_record(args.guideline, overwrite=args.overwrite))


if __name__ == "__main__":
    main()
