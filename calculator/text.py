"""The machinery's user-facing words, from one catalogue per language.

Every text the engine, the note, the widget, the offline status and the generated pages
show that does not come from a guideline is a key in ``calculator/locales/<language>.json``
(English: ``en.json``). A translation is a new file beside it, not a code change: the site
build picks the file named by ``theme.language`` in ``mkdocs.yml`` and writes it into the
browser's ``catalogue.mjs``; the worker and the CLI load the same file.

Each question kind brings its own words (``QuestionKind.texts``, by language, in its module):
a new kind is one module, and a language file may override or add them.

A catalogue is ``{"language", "plural", "strings"}``. ``strings`` maps keys to texts with
``{name}`` placeholders, or, for texts that depend on a count, to one text per plural
category (``{"one": ..., "other": ...}``). ``plural`` lists the exact counts of each
category but ``other`` (English: ``{"one": [1]}``); the JavaScript side
(``theme/assets/calculator/text.mjs``) reads the same rule, so both choose alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_LANGUAGE = "en"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class CatalogueError(ValueError):
    """A catalogue file is missing, malformed, or lacks a key; the message names which."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Catalogue:
    language: str
    plural: dict[str, tuple[int, ...]]
    strings: dict[str, str | dict[str, str]]

    def plural_category(self, count: float) -> str:
        return next((name for name, counts in self.plural.items() if count in counts), "other")

    def template(self, key: str, count: float = 0) -> str:
        """The raw text for ``key`` (the form for ``count`` where it has plural forms)."""
        entry = self.strings.get(key)
        if entry is None:
            raise CatalogueError(f"catalogue {self.language!r} has no text {key!r}: add it to every catalogue")
        if isinstance(entry, dict):
            return entry.get(self.plural_category(count), entry["other"])
        return entry

    def text(self, key: str, /, *, escape: Callable[[Any], str] = str, **values: Any) -> str:
        """The text for ``key`` with ``{name}`` placeholders filled (plural forms by ``count``).

        With ``escape`` (for HTML: markupsafe's), the text and each value are escaped, so a value
        that is already markup (a link) goes in as it is."""
        template = escape(self.template(key, values.get("count", 0)))
        return _PLACEHOLDER.sub(lambda m: escape(values[m.group(1)]) if m.group(1) in values else m.group(0), template)

    def to_json(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "plural": {k: list(v) for k, v in self.plural.items()},
            "strings": self.strings,
        }


LOCALES = Path(__file__).with_name("locales")
"""The catalogues: files beside this module (an installed wheel is unpacked, in the browser too;
importlib.resources would cost 11 ms of the browser's start to import)."""


def available_languages() -> list[str]:
    return sorted(p.name.removesuffix(".json") for p in LOCALES.iterdir() if p.name.endswith(".json"))


_WORDS_BROUGHT: list[Callable[[str], dict[str, str | dict[str, str]]]] = []
"""Who brings words besides the files: the question kinds (``calculator.kinds.words``, handed
over when ``calculator`` is imported), so this module, below the kinds, imports none of them."""


def bring_words(words: Callable[[str], dict[str, str | dict[str, str]]]) -> None:
    """Add ``words(language)`` to every catalogue loaded from now on (the files may override them)."""
    if words not in _WORDS_BROUGHT:
        _WORDS_BROUGHT.append(words)


def _kind_texts(language: str) -> dict[str, str | dict[str, str]]:
    """The words each question kind brings (``QuestionKind.texts``), in ``language`` where given."""
    texts: dict[str, str | dict[str, str]] = {}
    for words in _WORDS_BROUGHT:
        texts.update(words(language))
    return texts


def load_catalogue(language: str = DEFAULT_LANGUAGE) -> Catalogue:
    """The catalogue of ``language``: its file, with the words each question kind brings (which
    the file may override). Every key of the English catalogue must be in it."""
    file = LOCALES / f"{language}.json"
    if not file.is_file():
        known = ", ".join(available_languages())
        raise CatalogueError(
            f"no catalogue for language {language!r} (calculator/locales/{language}.json); have: {known}"
        )
    data = json.loads(file.read_text(encoding="utf-8"))
    catalogue = Catalogue(
        language=data["language"],
        plural={name: tuple(counts) for name, counts in data["plural"].items()},
        strings={**_kind_texts(language), **data["strings"]},
    )
    if language != DEFAULT_LANGUAGE:
        missing = sorted(set(load_catalogue().strings) - set(catalogue.strings))
        if missing:
            raise CatalogueError(f"calculator/locales/{language}.json lacks {', '.join(missing)}")
    return catalogue


_active: dict[str, Catalogue] = {}
"""The catalogue ``t`` speaks: English until ``use_language`` (loaded when first asked)."""


def use_language(language: str) -> None:
    """Make ``language`` the one ``t`` speaks (the build and the worker call this once)."""
    _active["catalogue"] = load_catalogue(language)


def catalogue() -> Catalogue:
    if "catalogue" not in _active:
        _active["catalogue"] = load_catalogue()
    return _active["catalogue"]


def t(key: str, /, **values: Any) -> str:
    """The active catalogue's text for ``key``."""
    return catalogue().text(key, **values)
