"""``make new-guideline NAME=...``: the skeleton of a new guideline that builds at once.

    python scripts/new_guideline.py NAME [--title "Full title"] [--short-title SHORT]

Creates ``content/NAME/`` with the guideline text (``index.md``), the calculator page
(``calculator.md``), the questions, rules and catalogue (``guideline.py``), a first pair of
vignettes (``vignettes.json``) and the release record of its draft version. Nothing else
needs changing: the site finds it by its ``calculator:`` front matter. See *Writing a
guideline* in the site for the next steps.
"""

from __future__ import annotations

import argparse
import datetime
import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).with_name("guideline_template")
NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


def create(name: str, *, title: str | None = None, short_title: str | None = None, content: Path) -> Path:
    if not NAME.match(name):
        raise SystemExit(f"NAME {name!r}: use lower-case letters, digits, '-' and '_', starting with a letter")
    folder = content / name
    if folder.exists():
        raise SystemExit(f"{folder} already exists: choose another NAME")
    values = {
        "guideline_id": name.replace("-", "_"),
        "title": title or name.replace("-", " ").replace("_", " ").capitalize(),
        "short_title": short_title or name.upper().replace("-", " ").replace("_", " "),
        "today": datetime.date.today().isoformat(),
    }
    folder.mkdir(parents=True)
    for template in sorted(TEMPLATE.iterdir()):
        (folder / template.name).write_text(template.read_text(encoding="utf-8").format(**values), encoding="utf-8")
    from guideline_site.release import write_record

    write_record(folder)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("name")
    parser.add_argument("--title")
    parser.add_argument("--short-title")
    parser.add_argument("--content", type=Path, default=PROJECT / "content")
    args = parser.parse_args()
    folder = create(args.name, title=args.title, short_title=args.short_title, content=args.content)
    print(f"Created {folder}: edit index.md and guideline.py, then `make site` (see Writing a guideline).")


if __name__ == "__main__":
    main()
