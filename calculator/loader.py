"""Find and load a guideline: a folder whose ``guideline.py`` defines ``GUIDELINE``.

The same module source is loaded by CPython (tests, CLI, site build) from the file
and by Pyodide in the browser from the text the worker fetched, so both runtimes run
one code base. A guideline module may import only the standard library and
``calculator``.

Loading from a folder also reads the marked sentences of the guideline's source page
(``calculator.sentences``) and checks them against the catalogue: every cited anchor
must be marked exactly once, and every marked sentence must be cited by something.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import types
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from calculator.model import Guideline, GuidelineDefinitionError, Problem, owner_ids

if TYPE_CHECKING:  # the browser loads from source text: pathlib and the Markdown reader stay unimported
    from pathlib import Path

    from calculator.sentences import MarkedSentence

MODULE_FILE = "guideline.py"
"""The file in a guideline folder that defines ``GUIDELINE``."""


def load_guideline_source(source: str, *, filename: str, sentences: Mapping[str, str] | None = None) -> Guideline:
    """Execute a guideline module's source and return its checked ``GUIDELINE``.

    ``sentences`` (anchor -> text of the marked sentence) lets results quote their sources.
    """
    module_name = "calculator_guideline_" + str(abs(hash(filename)))
    module = types.ModuleType(module_name)
    module.__file__ = filename
    # dataclasses and typing look the module up while the class bodies execute.
    sys.modules[module_name] = module
    try:
        code = compile(source, filename, "exec")
        exec(code, module.__dict__)
    except GuidelineDefinitionError:
        raise
    except SyntaxError as error:
        where = f"{filename}:{error.lineno}" if error.lineno else filename
        raise GuidelineDefinitionError(f"{where}: Python cannot read this line ({error.msg}): correct it") from error
    except Exception as error:  # an author's module that fails to run: say where, not a traceback
        line = _failing_line(error, filename)
        where = f"{filename}:{line}" if line else filename
        raise GuidelineDefinitionError(
            f"{where}: running the guideline module failed with {type(error).__name__}: {error}: correct that line"
        ) from error
    finally:
        del sys.modules[module_name]
    guideline = module.__dict__.get("GUIDELINE")
    if not isinstance(guideline, Guideline):
        raise GuidelineDefinitionError(f"{filename}: define GUIDELINE = Guideline(...) at module level")
    guideline.check(source=source, filename=filename)
    if sentences is not None:
        guideline = dataclasses.replace(guideline, sentences=dict(sentences))
    return guideline


def _failing_line(error: BaseException, filename: str) -> int | None:
    """The last line of ``filename`` in the traceback of ``error`` (where the module failed)."""
    line = None
    traceback = error.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == filename:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line


def sentence_problems(
    guideline: Guideline,
    marked: list[MarkedSentence],
    page: str,
    *,
    module_source: str = "",
    module_filename: str = "",
) -> Iterator[str]:
    """Mistakes between the catalogue and the marked sentences of ``page`` (its path).

    With the module's source and file name, a problem about a citing entry, category or
    question names its line (``guideline.py:123: entry ...``).
    """
    from calculator.sentences import citation_markers

    seen: dict[str, int] = {}
    for sentence in marked:
        where = f"{page}:{sentence.line}"
        if sentence.nested_in is not None:
            yield (
                f"{where}: marked sentence {sentence.anchor!r} is inside marked sentence "
                f"{sentence.nested_in!r}: marks may not nest; close the first </span> before opening the next"
            )
            continue
        if not sentence.anchor:
            yield f'{where}: a marked sentence has no id: write <span class="rec" id="a-stable-name">'
        elif sentence.anchor in seen:
            yield (
                f"{where}: sentence id {sentence.anchor!r} is already used on line {seen[sentence.anchor]}: "
                "each marked sentence needs its own id"
            )
        else:
            seen[sentence.anchor] = sentence.line
        if sentence.anchor and not sentence.text:
            yield f"{where}: marked sentence {sentence.anchor!r} is empty"
    cited = {source.anchor for _, source in guideline.sources()}
    texts = {sentence.anchor: sentence.text for sentence in marked if sentence.nested_in is None}
    for owner, source in guideline.sources():
        where_cited = Problem(message="", at=owner_ids(owner)).located(module_source, module_filename)
        if source.anchor not in seen:
            yield (
                f"{where_cited}{owner} cites sentence {source.anchor!r}, which {page} does not mark: mark it with "
                f'<span class="rec" id="{source.anchor}">…</span> or correct the anchor'
            )
            continue
        markers = citation_markers(texts[source.anchor])
        if sorted(source.citations) != sorted(markers):
            shown = ", ".join(str(n) for n in markers) or "none"
            yield (
                f"{where_cited}{owner} gives citations {list(source.citations)} for sentence {source.anchor!r} "
                f"({page}:{seen[source.anchor]}), which prints citation markers {shown}: "
                "the citations must be the sentence's own markers"
            )
    for entry in guideline.entries():
        if entry.short and entry.source.anchor in texts:
            where_cited = Problem(message="", at=(entry.id,)).located(module_source, module_filename)
            for problem in short_form_problems(entry.short, entry.text, texts[entry.source.anchor]):
                yield f"{where_cited}entry {entry.id!r}: short form {entry.short!r}: {problem}"
    for anchor, line in seen.items():
        if anchor not in cited:
            yield (
                f"{page}:{line}: marked sentence {anchor!r} is cited by no catalogue entry: add an Entry "
                f'with source=Source(anchor="{anchor}") or remove the mark if the sentence is not a recommendation'
            )


SHORT_FORM_CONNECTIVES = frozenset(
    {"a", "an", "the", "and", "or", "of", "to", "for", "with", "in", "on", "at", "by", "per", "as", "if", "from"}
)
"""Words a short form may use that its sentence and text need not: they join, and claim nothing.
(Negations are not among them: a "not" must come from the guideline.)"""

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|[0-9]+(?:\.[0-9]+)?")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower().replace("\u2019", "'")))


_QUALIFIER = re.compile(
    r"^with\b|\b(?:in|for) whom\b|\bunless\b|\bwhen\b|\bif\b|\bas there is\b|\bin cases of\b"
    r"|(?<=\bpatients )(?:with|who)\b",
    re.IGNORECASE,
)
"""Where a qualifying clause begins: the condition under which, or the patients for whom, an entry
holds (a leading "With ...", "in whom", "unless", "when", "if", "in cases of", "patients with")."""

_DURATION = re.compile(r"\bfor [0-9]+(?:\.[0-9]+)?(?:-[0-9]+)? (?:day|week|month|year)s?\b", re.IGNORECASE)
"""For how long: "for 1 week"."""

_CLAUSE_END = re.compile(r"[,;:.()]|\b(?:should|may|must|can|could|will|then)\b", re.IGNORECASE)
"""A qualifying clause runs to the next punctuation or to the verb of what it qualifies."""

_FRAME_WORDS = frozenset(
    {"whom", "who", "that", "which", "unless", "when", "there", "is", "are", "cases", "patients", "patient"}
)
"""Words that frame a qualifying clause; the rest of its words are its condition."""


def qualifying_clauses(text: str) -> list[str]:
    """The clauses of ``text`` that say under which condition, or for whom, or for how long it holds."""
    clauses = [match.group(0) for match in _DURATION.finditer(text)]
    for match in _QUALIFIER.finditer(text.strip()):
        rest = text.strip()[match.start() :]
        end = _CLAUSE_END.search(rest, match.end() - match.start())
        clauses.append(rest[: end.start() if end else len(rest)].strip())
    return clauses


def _covered(word: str, known: set[str]) -> bool:
    return bool({word, word + "s", word + "es", word.removesuffix("s"), word.removesuffix("es")} & known)


def short_form_problems(short: str, text: str, sentence: str) -> Iterator[str]:
    """Why a catalogue entry's short form does not trace to its sentence and text, if it does not.

    A short form is content: it says less than the entry's text, in the guideline's words. Every
    word of it (but a few connectives, ``SHORT_FORM_CONNECTIVES``) must be a word of the marked
    sentence or of the entry's text (a plural ``s`` aside), and every number must be one of
    theirs: nothing clinical, no dose or threshold, can be added by shortening. Nor can a condition
    be dropped: every word of each qualifying clause of the text (``qualifying_clauses``: in whom,
    when, unless, if, for how long, a leading "With ...") must be a word of the short form.
    """
    if len(short) >= len(text):
        yield "is not shorter than the text: shorten it, or leave short out"
    known = _words(sentence) | _words(text)
    for word in sorted(_words(short) - known - SHORT_FORM_CONNECTIVES):
        if word[0].isdigit():
            yield f"the number {word} is in neither its sentence nor its text: use the guideline's numbers"
        elif not _covered(word, known):
            yield f"the word {word!r} is in neither its sentence nor its text: use the guideline's words"
    kept = _words(short)
    for clause in qualifying_clauses(text):
        words = _WORD.findall(clause.lower().replace("\u2019", "'"))
        missing = [w for w in dict.fromkeys(words) if w not in SHORT_FORM_CONNECTIVES | _FRAME_WORDS]
        missing = [w for w in missing if not _covered(w, kept)]
        if missing:
            yield (
                f"drops the condition {clause!r} (missing: {', '.join(missing)}): a short form may leave out "
                "words, never the condition under which, or the patients for whom, it holds"
            )


def load_guideline(path: Path) -> Guideline:
    """Load and check the guideline in folder ``path`` (or from ``path`` itself if it is the module)."""
    from calculator.sentences import marked_sentences

    module_path = path / MODULE_FILE if path.is_dir() else path
    if not module_path.is_file():
        raise GuidelineDefinitionError(f"{module_path}: no such guideline module")
    module_source = _read_text(module_path)
    guideline = load_guideline_source(module_source, filename=str(module_path))
    page = module_path.parent / guideline.source_page
    if not page.is_file():
        raise GuidelineDefinitionError(
            f"{module_path}: source_page {guideline.source_page!r} does not exist beside the module"
        )
    marked = marked_sentences(_read_text(page))
    problems = list(
        sentence_problems(guideline, marked, str(page), module_source=module_source, module_filename=str(module_path))
    )
    if problems:
        raise GuidelineDefinitionError(
            f"guideline {guideline.id!r} has {len(problems)} problem(s):\n" + "\n".join(f"  - {p}" for p in problems)
        )
    return dataclasses.replace(guideline, sentences={s.anchor: s.text for s in marked})


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise GuidelineDefinitionError(f"{path}: is not UTF-8 text (byte {error.start}): save it as UTF-8") from error
    except OSError as error:
        raise GuidelineDefinitionError(f"{path}: cannot be read: {error.strerror}") from error


def discover_guidelines(content_dir: Path) -> list[Path]:
    """Guideline folders directly under ``content_dir`` (those holding a ``guideline.py``)."""
    return sorted(p.parent for p in content_dir.glob(f"*/{MODULE_FILE}"))
