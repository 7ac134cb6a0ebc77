"""Answers in a URL fragment: ``#symptoms=arthralgia,tendinopathy&onset_before_ai=no``.

The calculator page keeps its answers in the fragment only (never the query string,
which is sent to the server), so a reload or a shared link restores them. The
widget (``theme/assets/calculator/fragment.mjs``) writes and reads the same format,
checked against the same test vectors (``tests/fixtures/fragment-vectors.json``);
the site build uses ``encode_fragment`` for the decision table's example links.

A fragment is recognised as answers when it contains ``=``; anything else is an
ordinary in-page anchor. Multiple choices are joined with commas; numbers are plain
decimals; ``+`` is a plus sign (a fragment is not a form submission). Decoding does not
validate: the engine does, naming each bad field. A link may carry at most
``LINK_MAX_ANSWERS`` answers in ``LINK_MAX_CHARACTERS`` characters (``calculator.protocol``):
``link_fits`` says whether it does, and the page reads nothing of a link that does not.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any
from urllib.parse import quote, unquote

from calculator.formatting import number_text
from calculator.kinds import kind_of
from calculator.model import Guideline
from calculator.protocol import LINK_MAX_ANSWERS, LINK_MAX_CHARACTERS


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return number_text(float(value))
    return str(value)


def encode_fragment(answers: Mapping[str, Any]) -> str:
    """The fragment (without ``#``) for raw answers, keys in the order given."""
    return "&".join(f"{quote(key, safe='')}={quote(_text(value), safe=',.-')}" for key, value in answers.items())


def list_valued(guideline: Guideline) -> frozenset[str]:
    """The questions whose answers are lists in a fragment (their kind's shape is ``many``)."""
    return frozenset(q.id for q in guideline.questions if kind_of(q).shape == "many")


def decode_fragment(fragment: str, multiple: Collection[str]) -> dict[str, Any]:
    """Raw answers from a fragment (with or without ``#``), as the widget reads them.

    ``multiple`` names the questions whose values are lists (``list_valued``).
    """
    answers: dict[str, Any] = {}
    for part in fragment.removeprefix("#").split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        name, text = unquote(key), unquote(value)
        answers[name] = [v for v in text.split(",") if v] if name in multiple else text
    return answers


def link_fits(fragment: str) -> bool:
    """Whether a fragment (with or without ``#``) is within what a link may carry: at most
    ``LINK_MAX_CHARACTERS`` characters and ``LINK_MAX_ANSWERS`` answers (non-empty parts)."""
    text = fragment.removeprefix("#")
    if len(text) > LINK_MAX_CHARACTERS:
        return False
    return sum(1 for part in text.split("&") if part) <= LINK_MAX_ANSWERS
