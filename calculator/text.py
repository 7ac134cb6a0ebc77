"""The machinery's user-facing words, from one catalogue per language.

Every text the engine, the note, the widget, the offline status and the generated pages
show that does not come from a guideline is a key in ``calculator/locales/<language>.json``
(English: ``en.json``, which has every key; French: ``fr.json``). A translation is a new file
beside it, not a code change: the site build picks the file named by ``theme.language`` in
``mkdocs.yml``, layers the site's own ``locales/<language>.json`` over it (single strings, or a
language the distribution does not ship; ``load_catalogue``) and writes the result into the
browser's ``catalogue.mjs``, which the page reads and hands to the worker (``use_catalogue``),
so the browser speaks exactly the build's words. The CLI loads the shipped file.

Each question kind brings its own words (``QuestionKind.texts``, by language, in its module):
a new kind is one module, and a language file may override or add them.

A catalogue is ``{"language", "plural", "strings"}``. ``strings`` maps keys to texts with
``{name}`` placeholders, or, for texts that depend on a count, to one text per plural
category (``{"one": ..., "other": ...}``). ``plural`` lists the exact counts of each
category but ``other`` (English: ``{"one": [1]}``); the JavaScript side
(``theme/assets/calculator/text.mjs``) reads the same rule, so both choose alike.

Dates are written by the catalogue too (``date.format``, ``date.month.1`` to ``12``;
``calculator.formatting.date_text`` and ``text.mjs``'s ``dateText``): a language's date is a
line of its file, not code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
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
    fallbacks: tuple[str, ...] = ()
    """Keys this language's catalogues do not give, whose English text stands in (``load_catalogue``)."""

    @classmethod
    def from_json(cls, document: str) -> Catalogue:
        """A catalogue as ``to_json`` wrote it (``catalogue.mjs``, handed to the worker): the
        build's, already checked, so only its shape is."""
        data = json.loads(document)
        if not isinstance(data, dict) or not {"language", "plural", "strings"} <= data.keys():
            raise CatalogueError("a catalogue is a JSON object with language, plural and strings")
        return cls(
            language=str(data["language"]),
            plural={name: tuple(counts) for name, counts in data["plural"].items()},
            strings=dict(data["strings"]),
        )

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

SITE_LOCALES = "locales"
"""A site's own catalogues: ``<folder of mkdocs.yml>/locales/<language>.json``."""


def available_languages(site_locales: Path | None = None) -> list[str]:
    """The languages with a shipped catalogue, and those a site's ``locales`` folder adds."""
    folders = [LOCALES, *([site_locales] if site_locales is not None and site_locales.is_dir() else [])]
    return sorted({p.name.removesuffix(".json") for folder in folders for p in folder.iterdir() if p.suffix == ".json"})


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


@dataclass(frozen=True, kw_only=True, slots=True)
class _File:
    """One catalogue file, read and checked against the English keys (``_read``)."""

    plural: dict[str, tuple[int, ...]] | None
    strings: dict[str, str | dict[str, str]]


def _read(file: Path, language: str, english: Mapping[str, str | dict[str, str]] | None) -> _File:
    """A catalogue file as data; ``CatalogueError`` naming the file for anything a catalogue may
    not hold, above all a key the English catalogue lacks (``english``; None for ``en.json``
    itself). Any text may have plural forms where English has none (French writes the first of
    the month "1er"), and the reverse."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CatalogueError(f"{file}: not a readable JSON catalogue: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("strings"), dict):
        raise CatalogueError(f'{file}: a catalogue is a JSON object with "strings" (and "plural", "language")')
    unknown_fields = sorted(set(data) - {"language", "plural", "strings"})
    if unknown_fields:
        raise CatalogueError(
            f"{file}: unknown field {', '.join(unknown_fields)} (a catalogue has language, plural, strings)"
        )
    if data.get("language", language) != language:
        raise CatalogueError(f"{file}: says language {data['language']!r}, but its name says {language!r}")
    plural = data.get("plural")
    if plural is not None and not (
        isinstance(plural, dict)
        and all(isinstance(counts, list) and all(type(n) is int for n in counts) for counts in plural.values())
    ):
        raise CatalogueError(
            f'{file}: "plural" maps each category but "other" to its exact counts, e.g. {{"one": [1]}}'
        )
    strings: dict[str, str | dict[str, str]] = data["strings"]
    for key, entry in strings.items():
        forms = isinstance(entry, dict) and "other" in entry and all(isinstance(v, str) for v in entry.values())
        if not (isinstance(entry, str) or forms):
            raise CatalogueError(f'{file}: {key!r} must be a text, or one text per plural category with "other"')
        if english is None:
            continue
        if key not in english:
            raise CatalogueError(f"{file}: unknown key {key!r}: the English catalogue has no such text")
    counts = None if plural is None else {name: tuple(numbers) for name, numbers in plural.items()}
    return _File(plural=counts, strings=strings)


def _english() -> Catalogue:
    file = _read(LOCALES / f"{DEFAULT_LANGUAGE}.json", DEFAULT_LANGUAGE, None)
    return Catalogue(
        language=DEFAULT_LANGUAGE,
        plural=file.plural or {},
        strings={**_kind_texts(DEFAULT_LANGUAGE), **file.strings},
    )


def load_catalogue(language: str = DEFAULT_LANGUAGE, *, site_locales: Path | None = None) -> Catalogue:
    """The catalogue of ``language``, layered: English (``en.json`` and the kinds' words), then
    the shipped catalogue of ``language`` with the words each kind brings in it, then the site's
    own ``<site_locales>/<language>.json`` (which may override single strings of the shipped
    catalogue, or add a language of its own).

    Each file is checked (``_read``): a key the English catalogue lacks is an error naming the
    file and the key. A key no layer of ``language`` gives keeps its English text and is listed
    in ``Catalogue.fallbacks`` for the caller to warn of (the build does; it does not fail).
    A language with neither a shipped nor a site catalogue is an error.
    """
    english = _english()
    shipped = LOCALES / f"{language}.json"
    site = site_locales / f"{language}.json" if site_locales is not None else None
    has_site = site is not None and site.is_file()
    if language != DEFAULT_LANGUAGE and not shipped.is_file() and not has_site:
        where = f"calculator/locales/{language}.json" + (f" or {site}" if site is not None else "")
        known = ", ".join(available_languages(site_locales))
        raise CatalogueError(f"no catalogue for language {language!r} ({where}); have: {known}")
    layers: list[_File] = []
    if language != DEFAULT_LANGUAGE:
        layers.append(_File(plural=None, strings=_kind_texts(language)))
        if shipped.is_file():
            layers.append(_read(shipped, language, english.strings))
    if site is not None and has_site:
        layers.append(_read(site, language, english.strings))
    plural = english.plural if language == DEFAULT_LANGUAGE else None
    strings: dict[str, str | dict[str, str]] = {}
    for layer in layers:
        plural = layer.plural if layer.plural is not None else plural
        strings.update(layer.strings)
    if plural is None:
        raise CatalogueError(f'{site}: a new language needs its plural rule, e.g. "plural": {{"one": [1]}}')
    fallbacks = tuple(key for key in english.strings if key not in strings)
    return Catalogue(
        language=language,
        plural=plural,
        strings={**english.strings, **strings},
        fallbacks=() if language == DEFAULT_LANGUAGE else fallbacks,
    )


_active: dict[str, Catalogue] = {}
"""The catalogue ``t`` speaks: English until ``use_language`` (loaded when first asked)."""


def use_language(language: str, *, site_locales: Path | None = None) -> Catalogue:
    """Make ``language`` the one ``t`` speaks (the build calls this once); return its catalogue,
    whose ``fallbacks`` the caller may warn of."""
    _active["catalogue"] = load_catalogue(language, site_locales=site_locales)
    return _active["catalogue"]


def use_catalogue(catalogue: Catalogue) -> None:
    """Make ``catalogue`` the one ``t`` speaks: the worker gets the build's, overrides included."""
    _active["catalogue"] = catalogue


def catalogue() -> Catalogue:
    if "catalogue" not in _active:
        _active["catalogue"] = load_catalogue()
    return _active["catalogue"]


def t(key: str, /, **values: Any) -> str:
    """The active catalogue's text for ``key``."""
    return catalogue().text(key, **values)
