"""One way to write each shared thing: numbers, citations, sources.

The engine, the note, the exports and the generated pages all call these, and the browser
shows what the engine wrote (``cited_as`` in a result's sources), so a number or a
citation reads the same everywhere.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from calculator.text import t


class Cited(Protocol):
    """What a source is written from: the anchor of its marked sentence and its citation numbers.

    A ``calculator.questions.Source``; named by what it reads because this module sits below the
    questions (the conditions, which the questions use, write numbers with it)."""

    @property
    def anchor(self) -> str: ...

    @property
    def citations(self) -> tuple[int, ...]: ...


def number_text(value: float) -> str:
    """A number as people write it: every digit given, no exponent, no trailing zeros.

    ``6.0`` is ``6``, ``6.50`` is ``6.5``, ``0.00001`` stays ``0.00001``. (Python's shortest
    round-trip digits, written out in full.)
    """
    text = format(Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"", "-0"} else text


TYPED_NUMBER_SPACE = " \t\n\r\f\v"
"""What may surround a typed number: ASCII whitespace only. A no-break or other Unicode space
is refused, so nothing invisible in a field can stand beside the number the engine reads."""

TYPED_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")
"""A typed number: ASCII digits, an optional ``-`` and decimal point (no exponent, no ``+``):
``6``, ``6.5``, ``0.5`` and ``.5`` alike, as a number field types them; not ``6.`` or ``1e3``."""


def shown_number(typed: str) -> str | None:
    """The text a number field shows for ``typed`` from a link: the number the engine reads
    from it, written as ``number_text`` writes it (``"0020"`` and ``"  20"`` are ``20``,
    ``"19.99999999999999999999"`` is ``20``); ``None`` when the engine would not read a number
    from it (the field then shows it as given, and the engine's message stands beside it).

    Its twin is ``shownNumber`` in ``theme/assets/calculator/fragment.mjs``, held to the same
    vectors (``tests/fixtures/fragment-vectors.json``).
    """
    text = typed.strip(TYPED_NUMBER_SPACE)
    if not TYPED_DECIMAL.fullmatch(text):
        return None
    number = float(text)
    return number_text(number) if math.isfinite(number) else None


def quantity_text(value: float, unit: str) -> str:
    """A number with its unit: ``6 weeks``; just the number when there is no unit."""
    return f"{number_text(value)} {unit}".rstrip()


def date_text(iso: str) -> str:
    """An ISO date (``2027-01-05``) as the site's language writes it: the catalogue's
    ``date.format`` with ``{year}``, ``{month}`` (``date.month.1`` to ``12``), ``{day}``, and
    ``{mm}``/``{dd}`` (two digits); English keeps the ISO form, French writes "5 janvier 2027".
    The format is chosen by the day as a count, so a language may write the first of the month
    apart ("1er janvier 2027"). ``theme/assets/calculator/text.mjs`` (``dateText``) does the same."""
    day = date.fromisoformat(iso)
    return t(
        "date.format",
        count=day.day,
        year=f"{day.year:04}",
        month=t(f"date.month.{day.month}"),
        day=day.day,
        mm=f"{day.month:02}",
        dd=f"{day.day:02}",
    )


def citations_text(citations: Sequence[int]) -> str:
    """The guideline's own citation numbers: ``citation 4``, ``citations 4, 14``; empty when none."""
    if not citations:
        return ""
    return t("source.citations", count=len(citations), numbers=", ".join(str(c) for c in citations))


def source_json(
    source: Cited | None, sentences: Mapping[str, str] | None = None, *, cited_as: bool = False
) -> dict[str, Any] | None:
    """A source as data: its anchor and citations; given the guideline's marked sentences, the
    quoted sentence; with ``cited_as``, how the citations read (``citations_text``), for display."""
    if source is None:
        return None
    described: dict[str, Any] = {"anchor": source.anchor, "citations": list(source.citations)}
    if cited_as:
        described["cited_as"] = citations_text(source.citations)
    if sentences is not None:
        described["quote"] = sentences.get(source.anchor, "")
    return described


def show_value(value: object) -> str:
    """A value someone sent, quoted in a message about it: as JSON where it is JSON."""
    jsonish = value is None or isinstance(value, str | int | float | bool | list | dict)
    return json.dumps(value, ensure_ascii=False) if jsonish else repr(value)
