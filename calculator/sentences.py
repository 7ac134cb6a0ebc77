"""The marked sentences of a guideline page: ``<span class="rec" id="...">...</span>``.

A guideline author marks each recommendation-bearing sentence in the Markdown with a
``span`` of class ``rec`` and a stable ``id``. This module reads those marks from the
Markdown source, with line numbers, so that:

* results can quote the sentence each item comes from (CLI and browser alike);
* the build can say in which file and on which line a sentence is, when it is
  duplicated or cited by no catalogue entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

MARK_CLASS = "rec"
"""The class that marks a recommendation-bearing sentence."""


@dataclass(frozen=True, kw_only=True, slots=True)
class MarkedSentence:
    anchor: str
    text: str
    """The sentence as a reader sees it: whitespace collapsed, Markdown emphasis removed."""
    line: int
    """1-based line of the Markdown file where the mark opens."""
    nested_in: str | None = None
    """The anchor of the mark this one was found inside (a mistake: marks may not nest)."""


_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


def _plain(text: str) -> str:
    return " ".join(_EMPHASIS.sub("", text).split())


class _Marks(HTMLParser):
    """Collects marked spans; nested spans inside a mark are kept as text."""

    def __init__(self, line_offset: int) -> None:
        super().__init__(convert_charrefs=True)
        self.line_offset = line_offset
        self.found: list[MarkedSentence] = []
        self._open: tuple[str, int] | None = None
        self._depth = 0
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "span":
            return
        attributes = dict(attrs)
        marks = MARK_CLASS in (attributes.get("class") or "").split()
        if self._open is not None:
            self._depth += 1
            if marks:
                line = self.getpos()[0] + self.line_offset
                anchor = attributes.get("id") or ""
                self.found.append(MarkedSentence(anchor=anchor, text="", line=line, nested_in=self._open[0]))
            return
        if marks:
            line = self.getpos()[0] + self.line_offset
            self._open = (attributes.get("id") or "", line)
            self._depth = 0
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag != "span" or self._open is None:
            return
        if self._depth:
            self._depth -= 1
            return
        anchor, line = self._open
        self.found.append(MarkedSentence(anchor=anchor, text=_plain("".join(self._text)), line=line))
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)


def _without_front_matter(markdown: str) -> tuple[str, int]:
    """The Markdown body and how many lines the YAML front matter took."""
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        if end >= 0:
            head = markdown[: end + len("\n---\n")]
            return markdown[len(head) :], head.count("\n")
    return markdown, 0


_FENCED = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)


def _blank(match: re.Match[str]) -> str:
    """Code is shown, not meant: blank it out, keeping its line breaks for line numbers."""
    return re.sub(r"[^\n]", " ", match.group(0))


def marked_sentences(markdown: str) -> list[MarkedSentence]:
    """Every marked sentence, in document order (duplicates and empty ids included).

    Marks written inside code (fenced blocks, `code spans`) are examples, not marks.
    """
    body, offset = _without_front_matter(markdown)
    body = _CODE_SPAN.sub(_blank, _FENCED.sub(_blank, body))
    parser = _Marks(offset)
    parser.feed(body)
    parser.close()
    return parser.found


_MARKER = re.compile(r"\((\d+(?:\s*[-,]\s*\d+)*)\)")


def citation_markers(text: str) -> tuple[int, ...]:
    """The citation numbers a sentence prints, e.g. ``(4,14)`` and ``(4-7)`` -> 4, 14, 5, 6, 7."""
    numbers: list[int] = []
    for group in _MARKER.findall(text):
        for part in group.split(","):
            low, _, high = part.strip().partition("-")
            first = int(low)
            last = int(high) if high else first
            numbers.extend(range(first, last + 1))
    return tuple(dict.fromkeys(numbers))
