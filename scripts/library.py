"""A library of synthetic guidelines, for the tests and ``make bench``: never clinical text.

    python scripts/library.py CONTENT_DIR N

Makes ``CONTENT_DIR`` hold N guidelines: the ones it has (they stay) plus numbered copies of
the non-clinical demonstration guideline under ``tests/fixtures/`` (``sample-0001/`` …), each
with its own id, title, short title and topic, so that a site of N guidelines can be built
and measured. Earlier copies (``sample-*``) are removed first.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from calculator.loader import discover_guidelines, load_guideline  # noqa: E402

PREFIX = "sample-"
TOPICS = ("documents", "archiving", "editing", "summaries", "reviews")
"""Non-clinical topics spread over the copies, so the catalogue's filter has something to find."""
WORDS = ("records", "letters", "reports", "minutes", "handbooks", "policies", "forms", "plans", "lists", "notes")


def fixture() -> Path:
    """The one guideline folder under ``tests/fixtures/``: written for the tests, not clinical."""
    found = discover_guidelines(PROJECT / "tests" / "fixtures")
    if len(found) != 1:
        raise SystemExit(f"tests/fixtures/ should hold exactly one guideline folder, not {len(found)}")
    return found[0]


def write_library(content: Path, copies: int) -> list[Path]:
    """Write ``copies`` numbered copies of the fixture into ``content`` (earlier copies removed)."""
    for earlier in content.glob(PREFIX + "*"):
        shutil.rmtree(earlier)
    source_folder = fixture()
    info = load_guideline(source_folder)
    module_text = (source_folder / "guideline.py").read_text(encoding="utf-8")
    page_text = (source_folder / "index.md").read_text(encoding="utf-8")
    made = []
    for number in range(1, copies + 1):
        n = f"{number:04d}"
        folder = content / f"{PREFIX}{n}"
        shutil.copytree(source_folder, folder, ignore=shutil.ignore_patterns("vignettes.json", "releases"))
        words = f"{WORDS[number % len(WORDS)]} {WORDS[(number // len(WORDS)) % len(WORDS)]}"
        title = f"Choosing a format for {words}, sample {n}"
        replacements = (
            (rf'(GUIDELINE = Guideline\(\s*id=)"{re.escape(info.id)}"', rf'\1"sample_{n}"'),
            (rf'(?<![a-z_])title="{re.escape(info.info.title)}"', f'title="{title}"'),
            (
                rf'short_title="{re.escape(info.info.short_title)}"',
                f'short_title="Sample {n}",\n        topics=("{TOPICS[number % len(TOPICS)]}",)',
            ),
        )
        text = module_text
        for pattern, replacement in replacements:
            text, count = re.subn(pattern, replacement, text, count=1)
            if count != 1:
                raise SystemExit(f"{source_folder / 'guideline.py'}: no {pattern!r} to replace: update {__file__}")
        (folder / "guideline.py").write_text(text, encoding="utf-8")
        page = re.sub(r"(?m)^title: .*$", f"title: {title}", page_text, count=1)
        (folder / "index.md").write_text(page, encoding="utf-8")
        made.append(folder)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("content", type=Path, help="the content/ folder of a project copy")
    parser.add_argument("total", type=int, help="guidelines in all, the ones already there included")
    args = parser.parse_args()
    own = [path for path in discover_guidelines(args.content) if not path.name.startswith(PREFIX)]
    if args.total < len(own):
        raise SystemExit(f"{args.content} already holds {len(own)} guidelines")
    write_library(args.content, args.total - len(own))


if __name__ == "__main__":
    main()
