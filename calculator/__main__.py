"""Command line: print the question schema, or assess answers given as JSON.

    python -m calculator [--guideline DIR] [--language LANG] --schema
    python -m calculator [--guideline DIR] [--language LANG] [ANSWERS.json]     (stdin when no file)

Without ``--guideline``, the one guideline folder under ``./content`` is used; with
several, ``--guideline`` is required. Exit status: 0 with the result (or schema) as
JSON on stdout; 2 with one ``error: ...`` line per problem on stderr
when the answers (or the arguments) are invalid, each line naming the field
as ``<question id> (<question label>)``. Never a traceback for bad input. When the
guideline's review is overdue (past ``review_due`` by this machine's date), a
``warning: review overdue since ...`` line goes to stderr; the result is still given.

``--language`` (default ``en``) chooses the machinery's catalogue (``calculator/locales``): the
messages and the result's texts (yes/no labels, condition descriptions) come in that language.
The ``error:`` and ``warning:`` prefixes stay as they are, for scripts that read them.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from calculator.answers import InvalidAnswers, loads
from calculator.engine import assess
from calculator.loader import discover_guidelines, load_guideline
from calculator.model import GuidelineDefinitionError
from calculator.schema import schema
from calculator.text import DEFAULT_LANGUAGE, CatalogueError, t, use_language

EXIT_INVALID = 2


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_INVALID


def _guideline_path(given: Path | None) -> Path | str:
    """The guideline folder to use, or a message explaining why there is none."""
    if given is not None:
        return given
    found = discover_guidelines(Path("content"))
    if len(found) == 1:
        return found[0]
    if not found:
        return t("cli.calculator.no_guideline")
    return t("cli.calculator.several_guidelines", names=", ".join(str(p) for p in found))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m calculator",
        description="Assess answers against a guideline, or print its question schema.",
    )
    parser.add_argument("answers", nargs="?", type=Path, help="JSON file of answers (default: read standard input)")
    parser.add_argument("--guideline", type=Path, help="guideline folder (default: the one under ./content)")
    parser.add_argument("--schema", action="store_true", help="print the question schema")
    parser.add_argument(
        "--language", default=DEFAULT_LANGUAGE, help="language of the messages and texts (default: en; e.g. fr)"
    )
    args = parser.parse_args(argv)
    try:
        use_language(args.language)
    except CatalogueError as error:
        return _fail(str(error))

    path = _guideline_path(args.guideline)
    if isinstance(path, str):
        return _fail(path)
    try:
        guideline = load_guideline(path)
    except GuidelineDefinitionError as error:
        return _fail(str(error))

    if args.schema:
        json.dump(schema(guideline), sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0

    origin = t("cli.calculator.stdin") if args.answers is None else str(args.answers)
    try:
        data = sys.stdin.buffer.read() if args.answers is None else args.answers.read_bytes()
        text = data.decode("utf-8")
    except OSError as error:
        return _fail(t("cli.calculator.unreadable", origin=origin, error=error.strerror))
    except UnicodeDecodeError as error:
        return _fail(t("cli.calculator.not_utf8", origin=origin, byte=error.start))
    try:
        result = assess(guideline, loads(text))
    except InvalidAnswers as invalid:
        for field_error in invalid.errors:
            print(f"error: {field_error}", file=sys.stderr)
        return EXIT_INVALID
    except ValueError as error:
        return _fail(t("cli.calculator.answers", error=error))
    if guideline.info.overdue(date.today()):
        message = t("review.overdue", review_due=guideline.info.review_due, review_date=guideline.info.review_date)
        print(f"warning: {message}", file=sys.stderr)
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
